//! `zpakey list`: every key of the requested types — every page, never a silently truncated
//! list — sorted by type, name and id.

use std::io::Write;

use crate::cli::ListArgs;
use crate::commands::{Context, Session};
use crate::key::Key;
use crate::log;
use crate::lookup;
use crate::output::OutputFormat;
use crate::output::{self, KeyJson};

pub(crate) async fn run(
    session: &mut Session,
    args: &ListArgs,
    ctx: &Context,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut keys = lookup::list_all(&session.client, &args.types).await?;
    if let Some(text) = &args.search {
        let needle = text.to_lowercase();
        keys.retain(|k| k.name.to_lowercase().contains(&needle));
    }

    // The spinner line must be gone before any result or message is written.
    session.spinner.finish();
    print(&keys, ctx, out)
}

/// Keys as `list` prints them: a JSON array, or a table (nothing but a note when empty).
pub(crate) fn print(keys: &[Key], ctx: &Context, out: &mut dyn Write) -> anyhow::Result<()> {
    match ctx.format {
        OutputFormat::Json => {
            let json: Vec<KeyJson<'_>> = keys.iter().map(|k| KeyJson::new(k, ctx.now)).collect();
            output::write_json(out, &json)?;
        }
        OutputFormat::Table if keys.is_empty() => {
            log::notice(format_args!("no provisioning keys found"));
        }
        OutputFormat::Table => output::write_list_table(out, keys, ctx.now, &ctx.term)?,
    }
    Ok(())
}
