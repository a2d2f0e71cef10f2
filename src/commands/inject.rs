//! `zpakey inject`: fills in the key references of a template — a Helm values file, cloud-init
//! user-data — so a key goes from ZPA straight into the file its consumer reads, never through
//! a shell variable or argv. All or nothing: every reference is parsed, resolved and checked
//! before a byte is written, because a half-filled values file deploys a connector that
//! cannot enroll.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use futures_util::future::join_all;
use secrecy::SecretString;

use crate::api::Client;
use crate::cli::{GlobalArgs, InjectArgs, Selector};
use crate::commands::{Context, ci_mask, connect, handout, out_file};
use crate::error::{Error, Result};
use crate::key::{Key, KeyType};
use crate::log;
use crate::lookup::{self, Found};
use crate::template::{Reference, Template};

/// Far beyond any values file or user-data (cloud-init's own limit is 16 KiB); a bigger input
/// is the wrong file, and is not read into memory.
const MAX_TEMPLATE_BYTES: u64 = 8 * 1024 * 1024;

pub(crate) async fn run(
    global: &GlobalArgs,
    args: &InjectArgs,
    ctx: &Context,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if args.out.out_file.is_none() && ctx.streams.stdout_closed {
        return Err(
            Error::internal("stdout is closed, so the keys would go nowhere")
                .hint("give the output somewhere to go: a pipe, a redirect, or -o FILE")
                .into(),
        );
    }
    let text = read_template(args.in_file.clone()).await?;
    let template = Template::parse(&text).map_err(|e| {
        Error::usage(format!(
            "line {}, column {}: {}",
            e.line, e.column, e.message
        ))
    })?;
    drop(text);
    let references = template.references();
    let mut values: Vec<SecretString> = Vec::with_capacity(references.len());
    let mut keys: Vec<Key> = Vec::new();
    if references.is_empty() {
        log::warn(format_args!(
            "the template has no {{{{ zpakey://… }}}} references; writing it unchanged"
        ));
    } else {
        let mut session = connect(global, ctx).await?;
        let resolved = resolve(&session.client, references, ctx.now).await;
        session.spinner.finish();
        keys = resolved?;
        // One decision (and at most one warning) per key, however many references name it.
        for (i, first) in firsts(&keys).into_iter().enumerate() {
            let value = if first == i {
                handout::value(
                    &keys[i],
                    ctx,
                    &args.health,
                    args.allow_unusable,
                    handout::Use {
                        verb: "fill it in",
                        doing: "filling in",
                    },
                )?
                .clone()
            } else {
                values[first].clone()
            };
            values.push(value);
        }
    }
    let rendered = template.render(&values);
    match &args.out.out_file {
        Some(path) => {
            out_file::write(
                path,
                rendered.as_bytes(),
                args.out.force,
                args.out.file_mode,
            )?;
            let distinct = distinct(&keys).len();
            log::notice(format_args!(
                "wrote {} ({distinct} key{})",
                path.display(),
                plural(distinct)
            ));
        }
        None => {
            let announced: Vec<&SecretString> =
                distinct(&keys).into_iter().map(|i| &values[i]).collect();
            ci_mask::announce(announced);
            out.write_all(rendered.as_bytes())?;
        }
    }
    Ok(())
}

/// Reads the template from `path`, or stdin, on a blocking thread so a signal is handled at
/// once; at most [`MAX_TEMPLATE_BYTES`], and UTF-8 text.
async fn read_template(path: Option<PathBuf>) -> Result<String> {
    let shown = path.as_ref().map_or_else(
        || "the template on stdin".to_owned(),
        |p| format!("the template {}", p.display()),
    );
    let read = tokio::task::spawn_blocking(move || -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        match &path {
            Some(path) => open(path)?
                .take(MAX_TEMPLATE_BYTES + 1)
                .read_to_end(&mut bytes)?,
            None => io::stdin()
                .lock()
                .take(MAX_TEMPLATE_BYTES + 1)
                .read_to_end(&mut bytes)?,
        };
        Ok(bytes)
    })
    .await
    .map_err(|e| Error::internal(format!("reading the template failed: {e}")))?;
    let bytes = read.map_err(|e| Error::usage(format!("cannot read {shown}: {}", reason(&e))))?;
    if bytes.len() as u64 > MAX_TEMPLATE_BYTES {
        return Err(Error::usage(format!(
            "{shown} is larger than {} MiB",
            MAX_TEMPLATE_BYTES / 1024 / 1024
        )));
    }
    String::from_utf8(bytes).map_err(|_| Error::usage(format!("{shown} is not UTF-8 text")))
}

/// Opens a template file, refusing a directory (which would read as an odd I/O error).
fn open(path: &Path) -> io::Result<std::fs::File> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(io::Error::from(io::ErrorKind::IsADirectory));
    }
    Ok(file)
}

fn reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "it is a directory".into(),
        _ => e.to_string(),
    }
}

/// The key each reference means, all looked up at once (the client paces the requests within
/// the rate limit); the first failure, in the template's order, is the command's. Several
/// matches are exit 5: there is no one to ask while a template is rendered.
async fn resolve(client: &Client, references: &[Reference], now: SystemTime) -> Result<Vec<Key>> {
    let selectors: Vec<Selector> = references.iter().map(selector).collect();
    let found = join_all(selectors.iter().map(|s| lookup::find(client, s))).await;
    found
        .into_iter()
        .map(|found| match found? {
            Found::One(key) => Ok(*key),
            Found::Many { what, keys } => Err(lookup::ambiguous(&what, &keys, now)),
        })
        .collect()
}

fn selector(reference: &Reference) -> Selector {
    match reference {
        Reference::Id(id) => Selector {
            id: Some(id.clone()),
            name: None,
            key_type: None,
            ignore_case: false,
        },
        Reference::Name { name, key_type } => Selector {
            id: None,
            name: Some(name.clone()),
            key_type: *key_type,
            ignore_case: false,
        },
    }
}

/// For each reference's key, the index of the first reference to the same key (two
/// references may name one key, by id and by name).
fn firsts(keys: &[Key]) -> Vec<usize> {
    let mut seen: HashMap<(&str, KeyType), usize> = HashMap::new();
    keys.iter()
        .enumerate()
        .map(|(i, key)| *seen.entry((key.id.as_str(), key.key_type)).or_insert(i))
        .collect()
}

/// The index of the first reference to each distinct key.
fn distinct(keys: &[Key]) -> Vec<usize> {
    let firsts = firsts(keys);
    (0..keys.len()).filter(|&i| firsts[i] == i).collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
