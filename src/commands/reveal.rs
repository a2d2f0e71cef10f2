//! `zpakey reveal`: the only command that prints a key's value — exactly the value, to stdout
//! or atomically to a private file — and only for a key that can still enroll something.

use std::io::{self, Write};
use std::path::Path;

use secrecy::ExposeSecret;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::cli::RevealArgs;
use crate::commands::{Context, Session};
use crate::error::{Error, Kind};
use crate::key::Key;
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
    if args.out_file.is_none() && ctx.streams.stdout_closed {
        // Rust quietly discards writes to a closed stdout; a key written nowhere is a failure.
        return Err(
            Error::internal("stdout is closed, so the key would go nowhere")
                .hint("give the key somewhere to go: a pipe, a redirect, or --out-file PATH")
                .into(),
        );
    }
    let key = session.select(&args.selector, &ctx.term).await?;
    // The spinner line must be gone before any result or message is written.
    session.spinner.finish();
    let Some(value) = &key.value else {
        return Err(withheld(&key).into());
    };
    let problems = key.problems(ctx.now);
    if !problems.is_empty() {
        let reasons: Vec<String> = problems.iter().map(|p| p.describe(&key.name)).collect();
        if !args.allow_unusable {
            let mut error = Error::new(Kind::Unusable, reasons.join("; "));
            if problems
                .iter()
                .any(|p| matches!(p, crate::key::Unusable::Exhausted { .. }))
            {
                error = error.hint(
                    "raise the key's maximum usage in the ZPA admin portal, or use another key",
                );
            }
            return Err(error
                .hint("pass --allow-unusable to reveal it anyway")
                .into());
        }
        log::warn(format_args!(
            "revealing an unusable key: {}",
            reasons.join("; ")
        ));
    }

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
    match &args.out_file {
        Some(path) => {
            write_file(path, text, args.force)?;
            log::notice(format_args!(
                "wrote key '{}' (id {}, {}) to {}",
                key.name,
                key.id,
                key.key_type,
                path.display()
            ));
            Ok(())
        }
        None => out.write_all(text).map_err(anyhow::Error::from),
    }
}

fn withheld(key: &Key) -> Error {
    if key.exportable == Some(false) {
        Error::new(
            Kind::Unusable,
            format!(
                "key '{}' is not exportable: ZPA withholds its value (it was created with exportable=false)",
                key.name
            ),
        )
        .hint("a key's exportable setting cannot be changed; create a new key with it enabled")
    } else {
        Error::new(
            Kind::Unusable,
            format!("ZPA returned no value for key '{}'", key.name),
        )
        .hint("check that the API client's role may read provisioning key values")
    }
}

/// Writes `bytes` to `path` through a 0600 temporary file in the same directory and a rename,
/// so the key is never in a file others can read and `path` is never half-written. The
/// temporary file removes itself on any error, or when Ctrl-C drops this future.
fn write_file(path: &Path, bytes: &[u8], force: bool) -> anyhow::Result<()> {
    let shown = path.display();
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(Error::usage(format!(
                "--out-file {shown} is a symbolic link; refusing to write a key through it"
            ))
            .hint("give the real path of the file")
            .into());
        }
        Ok(meta) if meta.is_dir() => {
            return Err(Error::usage(format!("--out-file {shown} is a directory")).into());
        }
        // A device, FIFO or socket is not a file to replace, even with --force (as root,
        // `--out-file /dev/null --force` would otherwise replace /dev/null).
        Ok(meta) if !meta.is_file() => {
            return Err(Error::usage(format!(
                "--out-file {shown} is not a regular file; refusing to replace it"
            ))
            .hint("give the path of a regular file, or of one that does not exist yet")
            .into());
        }
        Ok(_) if !force => {
            return Err(Error::usage(format!("--out-file {shown} already exists"))
                .hint("pass --force to replace it")
                .into());
        }
        _ => {}
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let io_error = |what: &str, e: io::Error| {
        Error::new(Kind::Internal, format!("cannot {what} {shown}: {e}"))
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".zpakey-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut temp = builder
        .tempfile_in(dir)
        .map_err(|e| io_error("create a temporary file next to", e))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| io_error("write", e))?;
    let persisted = if force {
        temp.persist(path).map(drop)
    } else {
        // Fails, rather than replaces, if something appeared at `path` meanwhile.
        temp.persist_noclobber(path).map(drop)
    };
    persisted.map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            Error::usage(format!("--out-file {shown} already exists"))
                .hint("pass --force to replace it")
        } else {
            io_error("write", e.error)
        }
    })?;
    Ok(())
}
