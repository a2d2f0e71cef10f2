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
        let key = session.select(&selector, ctx).await?;
        if let Some(error) = health::refusals(&key, ctx.now, &needs).into_error(&key, None) {
            return Err(error.into());
        }
        log::info(format_args!(
            "key '{}' (id {}, {}) can be revealed",
            key.name, key.id, key.key_type
        ));
        return Ok(());
    }

    // A disabled key is off on purpose: not news every night. Nor is a withheld value alone
    // (no one can reveal it, and that never changes); a key that is used up, expired or short
    // of the thresholds is, withheld or not.
    let keys = lookup::list_all(&session.client, &args.types).await?;
    let enabled = keys.iter().filter(|k| k.enabled).count();
    let (failing, reasons): (Vec<_>, Vec<_>) = keys
        .into_iter()
        .filter(|k| k.enabled)
        .filter_map(|key| {
            let why = health::refusals(&key, ctx.now, &needs).reasons;
            let line = format!("  id {}: {}", key.id, why.join("; "));
            (!why.is_empty()).then_some((key, line))
        })
        .unzip();
    session.spinner.finish();
    if failing.is_empty() {
        if ctx.format == crate::output::OutputFormat::Json {
            list::print(&failing, ctx, out)?;
        }
        log::info(format_args!("all {enabled} enabled keys pass the checks"));
        return Ok(());
    }
    list::print(&failing, ctx, out)?;
    out.flush()?;
    let mut error = Error::new(
        Kind::Unusable,
        format!(
            "{} of {} enabled key{} fail the checks",
            failing.len(),
            enabled,
            if enabled == 1 { "" } else { "s" }
        ),
    );
    for line in reasons {
        error = error.detail(line);
    }
    Err(error
        .hint("raise the keys' maximum usage or expiry in the ZPA admin portal, or create new keys")
        .into())
}
