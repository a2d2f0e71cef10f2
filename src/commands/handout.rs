//! The one decision whether a key may leave zpakey — printed by `reveal`, put in a command's
//! environment by `exec`, written into a template by `inject` — so all three refuse, and warn
//! about a waived refusal, alike (and as `check` predicts).

use secrecy::SecretString;

use crate::cli::HealthArgs;
use crate::commands::Context;
use crate::error::{Error, Result};
use crate::health;
use crate::key::Key;
use crate::log;

/// What a command does with a key, in the words of its messages.
pub(crate) struct Use {
    /// "reveal it": in the hint that `--allow-unusable` would do so anyway.
    pub(crate) verb: &'static str,
    /// "revealing": in the warning when it does.
    pub(crate) doing: &'static str,
}

/// The key's value, if the job may have it; else the exit-7 error saying why.
pub(crate) fn value<'k>(
    key: &'k Key,
    ctx: &Context,
    health: &HealthArgs,
    allow_unusable: bool,
    what: Use,
) -> Result<&'k SecretString> {
    let refusals = health::refusals(key, ctx.now, &health.needs());
    if !(allow_unusable && refusals.waivable()) {
        if let Some(error) = refusals.into_error(key, Some(what.verb)) {
            return Err(error);
        }
    } else if !refusals.reasons.is_empty() {
        log::warn(format_args!(
            "{} an unusable key: {}",
            what.doing,
            refusals.reasons.join("; ")
        ));
    }
    let Some(value) = &key.value else {
        return Err(Error::internal(format!(
            "ZPA returned no value for key '{}'",
            key.name
        )));
    };
    Ok(value)
}
