//! `zpakey get`: one key's metadata as a table, JSON, or a single field — never its value.

use std::io::Write;

use crate::cli::GetArgs;
use crate::commands::{Context, Session};
use crate::output::OutputFormat;
use crate::output::{self, KeyJson};

pub(crate) async fn run(
    session: &mut Session,
    args: &GetArgs,
    ctx: &Context,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let key = session.select(&args.selector, ctx).await?;
    let json = KeyJson::new(&key, ctx.now);
    match (&args.field, ctx.format) {
        (Some(field), _) => output::write_field(out, &json, field)?,
        (None, OutputFormat::Json) => output::write_json(out, &json)?,
        (None, OutputFormat::Table) => output::write_key_table(out, &key, ctx.now, &ctx.term)?,
    }
    Ok(())
}
