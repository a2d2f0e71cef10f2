//! `zpakey get`: one key's metadata as a table, JSON, or a single field — never its value.

use std::io::Write;

use crate::api::Client;
use crate::cli::{GetArgs, OutputFormat};
use crate::commands::Context;
use crate::lookup;
use crate::output::{self, KeyJson};

pub async fn run(
    client: &Client,
    args: &GetArgs,
    ctx: &Context,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let key = lookup::find_one(client, &args.selector, &ctx.term).await?;
    // The spinner line must be gone before any result or message is written.
    crate::progress::finish();
    let json = KeyJson::new(&key, ctx.now);
    match (&args.field, ctx.format) {
        (Some(field), _) => output::write_field(out, &json, field)?,
        (None, OutputFormat::Json) => output::write_json(out, &json)?,
        (None, OutputFormat::Table) => output::write_key_table(out, &key, ctx.now, &ctx.term)?,
    }
    Ok(())
}
