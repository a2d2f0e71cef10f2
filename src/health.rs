//! Whether a key can do what a job asks of it, beyond being usable at all: enough uses left
//! (`--min-remaining`, since each pod restart or retried enrollment burns one) and valid long
//! enough (`--valid-for`). `reveal`, `check`, `exec` and `inject` all decide through
//! [`refusals`], so `check` exits 0 exactly when `reveal` would succeed.

use std::time::{Duration, SystemTime};

use crate::error::{Error, Kind};
use crate::key::{Key, Problem};

/// What the job needs of the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Needs {
    /// At least this many enrollments left (1 by default: a used-up key is refused anyway).
    pub min_remaining: u64,
    /// Not expiring within this long (0 by default: an expired key is refused anyway).
    pub valid_for: Duration,
}

impl Default for Needs {
    fn default() -> Self {
        Needs {
            min_remaining: 1,
            valid_for: Duration::ZERO,
        }
    }
}

/// Why a key falls short of what the job needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shortfall {
    FewUses { left: u64, wanted: u64 },
    ExpiresSoon { at: i64, wanted: Duration },
}

impl Shortfall {
    pub(crate) fn describe(&self, name: &str) -> String {
        match self {
            Shortfall::FewUses { left, wanted } => format!(
                "key '{name}' has {left} use{} left; --min-remaining asks for {wanted}",
                if *left == 1 { "" } else { "s" }
            ),
            Shortfall::ExpiresSoon { at, wanted } => format!(
                "key '{name}' expires at {}, within --valid-for {}",
                crate::time::rfc3339(*at).unwrap_or_else(|| at.to_string()),
                humantime::format_duration(*wanted)
            ),
        }
    }
}

impl Needs {
    /// Where the key falls short. A key already used up or expired is not counted again here:
    /// its problem says it.
    pub(crate) fn shortfalls(&self, key: &Key, now: SystemTime) -> Vec<Shortfall> {
        let mut found = Vec::new();
        if let Some(left) = key.remaining_uses()
            && left > 0
            && left < self.min_remaining
        {
            found.push(Shortfall::FewUses {
                left,
                wanted: self.min_remaining,
            });
        }
        let now = crate::time::epoch_secs(now);
        if let Some(at) = key.expiration_time
            && at > now
            && !self.valid_for.is_zero()
        {
            let wanted = i64::try_from(self.valid_for.as_secs()).unwrap_or(i64::MAX);
            if at - now < wanted {
                found.push(Shortfall::ExpiresSoon {
                    at,
                    wanted: self.valid_for,
                });
            }
        }
        found
    }
}

/// Every reason a key may not be handed out, in the words zpakey prints; empty when it may.
pub(crate) fn refusals(key: &Key, now: SystemTime, needs: &Needs) -> Refusals {
    let mut refusals = Refusals::default();
    for problem in key.problems(now) {
        match problem {
            Problem::NotExportable => refusals.withheld = true,
            other => {
                match other {
                    Problem::UsedUp { .. } => refusals.used_up = true,
                    Problem::Disabled => refusals.disabled = true,
                    _ => {}
                }
                refusals.reasons.push(other.describe(&key.name));
            }
        }
    }
    if key.value.is_none() && key.exportable != Some(false) {
        refusals.no_value = true;
    }
    for shortfall in needs.shortfalls(key, now) {
        if matches!(shortfall, Shortfall::FewUses { .. }) {
            refusals.used_up = true;
        }
        refusals.reasons.push(shortfall.describe(&key.name));
    }
    refusals
}

/// The outcome of [`refusals`].
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Refusals {
    /// ZPA withholds the value (`exportable: false`).
    pub withheld: bool,
    /// ZPA sent no value although the key is exportable (the API client may not read it).
    pub no_value: bool,
    /// Problems and shortfalls, each a sentence.
    pub reasons: Vec<String>,
    /// Uses ran out, or too few are left: raising the maximum would help.
    pub used_up: bool,
    /// Switched off in the portal: switching it on would help.
    pub disabled: bool,
}

impl Refusals {
    pub(crate) fn is_empty(&self) -> bool {
        !self.withheld && !self.no_value && self.reasons.is_empty()
    }

    /// Whether `--allow-unusable` can waive them: not when there is no value to hand out.
    pub(crate) fn waivable(&self) -> bool {
        !self.withheld && !self.no_value
    }

    /// The exit-7 error for a key that may not be handed out, or `None` when it may. A
    /// withheld value comes first: no option can help there. `allow_verb` ("reveal it") is
    /// what `--allow-unusable` would do anyway, for the hint of a command that has it.
    pub(crate) fn into_error(self, key: &Key, allow_verb: Option<&str>) -> Option<Error> {
        if self.is_empty() {
            return None;
        }
        if self.withheld {
            return Some(
                Error::new(Kind::Unusable, Problem::NotExportable.describe(&key.name)).hint(
                    "a key's exportable setting cannot be changed; create a new key with it enabled",
                ),
            );
        }
        if self.no_value {
            return Some(
                Error::new(
                    Kind::Unusable,
                    format!("ZPA returned no value for key '{}'", key.name),
                )
                .hint("check that the API client's role may read provisioning key values"),
            );
        }
        let mut error = Error::new(Kind::Unusable, self.reasons.join("; "));
        if self.disabled {
            error = error.hint(
                "enable the key in the ZPA admin portal (Configuration & Control > Provisioning Keys), or use another key",
            );
        }
        if self.used_up {
            error = error
                .hint("raise the key's maximum usage in the ZPA admin portal, or use another key");
        }
        if let Some(verb) = allow_verb {
            error = error.hint(format!("pass --allow-unusable to {verb} anyway"));
        }
        Some(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    /// A sample key with the fields a test cares about.
    fn key(fields: &[(&str, &str)]) -> Key {
        let mut key = crate::key::sample();
        key.name = "k".into();
        key.value = Some("3|h|abc".into());
        for (field, value) in fields {
            match *field {
                "max" => key.max_usage = value.parse().ok(),
                "used" => key.usage_count = value.parse().ok(),
                "expires" => key.expiration_time = value.parse().ok(),
                "enabled" => key.enabled = *value == "true",
                "exportable" => key.exportable = Some(*value == "true"),
                "value" => key.value = None,
                _ => panic!("{field}"),
            }
        }
        key
    }

    const NOW: u64 = 1_800_000_000;

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(NOW)
    }

    #[test]
    fn uses_left_against_min_remaining() {
        let k = key(&[("max", "3"), ("used", "2")]);
        assert_eq!(k.remaining_uses(), Some(1));
        assert!(Needs::default().shortfalls(&k, now()).is_empty());
        let needs = Needs {
            min_remaining: 3,
            ..Needs::default()
        };
        assert_eq!(
            needs.shortfalls(&k, now()),
            [Shortfall::FewUses { left: 1, wanted: 3 }]
        );
        assert_eq!(
            needs.shortfalls(&k, now())[0].describe("k"),
            "key 'k' has 1 use left; --min-remaining asks for 3"
        );
        // Used up is a problem, not also a shortfall.
        let k = key(&[("max", "3"), ("used", "3")]);
        assert!(needs.shortfalls(&k, now()).is_empty());
        assert_eq!(k.problems(now()), [Problem::UsedUp { used: 3, max: 3 }]);
        // No maximum: never short of uses.
        let k = key(&[("max", "none")]);
        assert!(needs.shortfalls(&k, now()).is_empty());
    }

    #[test]
    fn expiry_against_valid_for() {
        let expires = (NOW + 3600).to_string();
        let k = key(&[("expires", &expires)]);
        assert!(Needs::default().shortfalls(&k, now()).is_empty());
        let needs = Needs {
            valid_for: Duration::from_secs(2 * 3600),
            ..Needs::default()
        };
        assert_eq!(
            needs.shortfalls(&k, now()),
            [Shortfall::ExpiresSoon {
                at: (NOW + 3600) as i64,
                wanted: Duration::from_secs(7200)
            }]
        );
        let shorter = Needs {
            valid_for: Duration::from_secs(1800),
            ..Needs::default()
        };
        assert!(shorter.shortfalls(&k, now()).is_empty());
    }

    #[test]
    fn refusals_and_what_allow_unusable_waives() {
        let withheld = key(&[("exportable", "false"), ("enabled", "false"), ("value", "")]);
        let r = refusals(&withheld, now(), &Needs::default());
        assert!(r.withheld && !r.waivable());
        assert_eq!(r.reasons, ["key 'k' is disabled"]);
        let error = r.into_error(&withheld, Some("reveal it")).unwrap();
        // Nothing to hand out: no --allow-unusable hint.
        assert!(!error.hints.iter().any(|h| h.contains("--allow-unusable")));
        let disabled = key(&[("enabled", "false")]);
        let r = refusals(&disabled, now(), &Needs::default());
        assert!(r.waivable() && r.disabled);
        let error = r.into_error(&disabled, Some("reveal it")).unwrap();
        assert_eq!(
            error.hints.last().map(String::as_str),
            Some("pass --allow-unusable to reveal it anyway")
        );
        let fine = key(&[]);
        assert!(refusals(&fine, now(), &Needs::default()).is_empty());
        let valueless = key(&[("value", "")]);
        let r = refusals(&valueless, now(), &Needs::default());
        assert!(r.no_value && !r.waivable());
    }
}
