//! `zpakey check`: keys judged before a job needs them. With a selector, exit 0 exactly when
//! `reveal` with the same options would succeed (7 with the reasons otherwise, nothing on
//! stdout); without one, every enabled key of the selected types, printing those that fail,
//! as `list` would — a nightly monitor that warns before keys run out.

use std::io::Write;

use crate::cli::CheckArgs;
use crate::commands::{Context, Session, list};
use crate::error::{Error, Kind};
use crate::health;
use crate::log;
use crate::lookup;

pub(crate) async fn run(
    session: &mut Session,
    args: &CheckArgs,
    ctx: &Context,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let needs = args.health.needs();
    if let Some(selector) = args.selector()? {
        let key = session.select(&selector, &ctx.term).await?;
        session.spinner.finish();
        if let Some(error) = health::refusals(&key, ctx.now, &needs).into_error(&key, None) {
            return Err(error.into());
        }
        log::info(format_args!(
            "key '{}' (id {}, {}) can be revealed",
            key.name, key.id, key.key_type
        ));
        return Ok(());
    }

    // A disabled key is off on purpose, and a key whose value ZPA withholds is revealed by no
    // one: neither is news every night. Everything else that `reveal` would refuse is.
    let keys = lookup::list_all(&session.client, &args.types).await?;
    let enabled: Vec<_> = keys.into_iter().filter(|k| k.enabled).collect();
    let mut failing = Vec::new();
    let mut reasons = Vec::new();
    for key in &enabled {
        let why = health::refusals(key, ctx.now, &needs).reasons;
        if !why.is_empty() {
            reasons.push(format!("  id {}: {}", key.id, why.join("; ")));
            failing.push(key.clone());
        }
    }
    session.spinner.finish();
    if failing.is_empty() {
        if ctx.format == crate::output::OutputFormat::Json {
            list::print(&failing, ctx, out)?;
        }
        log::info(format_args!(
            "all {} enabled keys pass the checks",
            enabled.len()
        ));
        return Ok(());
    }
    list::print(&failing, ctx, out)?;
    out.flush()?;
    let mut error = Error::new(
        Kind::Unusable,
        format!(
            "{} of {} enabled key{} fail the checks",
            failing.len(),
            enabled.len(),
            if enabled.len() == 1 { "" } else { "s" }
        ),
    );
    for line in reasons {
        error = error.detail(line);
    }
    Err(error
        .hint("raise the keys' maximum usage or expiry in the ZPA admin portal, or create new keys")
        .into())
}
