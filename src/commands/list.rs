//! `zpakey list`: every key of the requested types — every page, never a silently truncated
//! list — sorted by type, name and id.

use std::io::Write;

use futures_util::future::join_all;

use crate::cli::ListArgs;
use crate::commands::{Context, Session};
use crate::key::{Key, KeyType};
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
    let named = !args.types.is_empty();
    let mut types: Vec<KeyType> = if named {
        args.types.clone()
    } else {
        KeyType::ALL.to_vec()
    };
    types.sort();
    types.dedup();

    let answers = join_all(types.iter().map(|t| session.client.list_keys(*t, None))).await;
    let mut keys = Vec::new();
    for (key_type, answer) in types.iter().zip(answers) {
        if let Some(found) = lookup::skip_or_fail(*key_type, named, answer)? {
            keys.extend(found);
        }
    }
    if let Some(text) = &args.search {
        let needle = text.to_lowercase();
        keys.retain(|k| k.name.to_lowercase().contains(&needle));
    }
    keys.sort_by(Key::display_order);
    lookup::hints(&session.client).remember(keys.iter().map(|k| (k.id.as_str(), k.key_type)));

    // The spinner line must be gone before any result or message is written.
    session.spinner.finish();
    match ctx.format {
        OutputFormat::Json => {
            let json: Vec<KeyJson<'_>> = keys.iter().map(|k| KeyJson::new(k, ctx.now)).collect();
            output::write_json(out, &json)?;
        }
        OutputFormat::Table if keys.is_empty() => {
            log::notice(format_args!("no provisioning keys found"));
        }
        OutputFormat::Table => output::write_list_table(out, &keys, ctx.now, &ctx.term)?,
    }
    Ok(())
}
