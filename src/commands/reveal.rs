//! `zpakey reveal`: the only command that prints a key's value — exactly the value, to stdout
//! or atomically to a file of the asked mode — and only for a key that can still enroll what
//! the job needs (see `health`).

use std::io::{self, Write};

use secrecy::ExposeSecret;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::cli::RevealArgs;
use crate::commands::{Context, Session, ci_mask, handout, out_file};
use crate::error::Error;
use crate::log;
use crate::output::OutputFormat;

#[derive(Serialize)]
struct Revealed<'a> {
    id: &'a str,
    name: &'a str,
    association_type: &'static str,
    provisioning_key: &'a str,
}

pub(crate) async fn run(
    session: &mut Session,
    args: &RevealArgs,
    ctx: &Context,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if args.out.out_file.is_none() && ctx.streams.stdout_closed {
        // Rust quietly discards writes to a closed stdout; a key written nowhere is a failure.
        return Err(
            Error::internal("stdout is closed, so the key would go nowhere")
                .hint("give the key somewhere to go: a pipe, a redirect, or --out-file PATH")
                .into(),
        );
    }
    let key = session.select(&args.selector, ctx).await?;
    let value = handout::value(
        &key,
        ctx,
        &args.health,
        args.allow_unusable,
        handout::Use {
            verb: "reveal it",
            doing: "revealing",
        },
    )?;

    // The one place a provisioning key is exposed: writing it where the user asked.
    let secret = value.expose_secret();
    // A fixed buffer, big enough for the worst JSON escaping: it never grows, so no copy of
    // the key is left behind in a freed allocation, and it is wiped when dropped.
    let room = 6 * (secret.len() + key.name.len() + key.id.len()) + 256;
    let mut buf = Zeroizing::new(vec![0u8; room]);
    let mut cursor = io::Cursor::new(&mut buf[..]);
    match ctx.format {
        OutputFormat::Json => {
            let revealed = Revealed {
                id: &key.id,
                name: &key.name,
                association_type: key.key_type.as_str(),
                provisioning_key: secret,
            };
            let mut json = serde_json::Serializer::with_formatter(
                &mut cursor,
                crate::escape::SafeFormatter::pretty(),
            );
            revealed.serialize(&mut json)?;
        }
        OutputFormat::Table => cursor.write_all(secret.as_bytes())?,
    }
    if !args.no_newline {
        cursor.write_all(b"\n")?;
    }
    let len = cursor.position() as usize;
    let text = &buf[..len];
    match &args.out.out_file {
        Some(path) => {
            out_file::write(path, text, args.out.force, args.out.file_mode)?;
            log::notice(format_args!(
                "wrote key '{}' (id {}, {}) to {}",
                key.name,
                key.id,
                key.key_type,
                path.display()
            ));
            Ok(())
        }
        None => {
            ci_mask::announce([value]);
            out.write_all(text).map_err(anyhow::Error::from)
        }
    }
}
