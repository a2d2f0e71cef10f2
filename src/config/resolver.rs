//! The precedence resolver: for each setting, the first of flag > environment > profile >
//! default, remembering where each came from. Secrets are only located here, never read:
//! [`super::secrets`] reads the one that wins.

use std::cell::RefCell;
use std::time::Duration;

use super::profile::{self, Profile};
use super::secrets::SecretSource;
use super::{Env, FlagOrigins, Origin, Reported, Settings};
use crate::cli::GlobalArgs;
use crate::error::{Error, Result};

/// Returns the variable's value, treating empty as unset and non-UTF-8 as a usage error.
pub(super) fn var(env: &dyn Env, name: &str) -> Result<Option<String>> {
    match env.var_os(name) {
        None => Ok(None),
        Some(value) => match value.into_string() {
            Ok(s) if s.is_empty() => Ok(None),
            Ok(s) => Ok(Some(s)),
            Err(_) => Err(Error::usage(format!("{name} is not valid UTF-8"))),
        },
    }
}

fn truthy(env: &dyn Env, name: &str) -> Result<bool> {
    match var(env, name)?
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("false") | Some("0") | Some("no") => Ok(false),
        Some("true") | Some("1") | Some("yes") => Ok(true),
        Some(other) => Err(Error::usage(format!(
            "{name} must be true or false, not '{other}'"
        ))),
    }
}

/// A located secret and where it came from.
pub(super) type Located = (SecretSource, Origin);

/// Resolves settings layer by layer, recording where each came from.
pub(super) struct Resolver<'a> {
    pub(super) args: &'a GlobalArgs,
    pub(super) origins: &'a FlagOrigins,
    pub(super) env: &'a dyn Env,
    pub(super) profile: Option<(String, Profile)>,
    pub(super) can_prompt: bool,
    pub(super) reports: RefCell<Vec<Reported>>,
}

impl Resolver<'_> {
    pub(super) fn report(&self, setting: &'static str, value: impl Into<String>, origin: Origin) {
        self.reports.borrow_mut().push(Reported {
            setting,
            value: value.into(),
            origin,
        });
    }

    /// The origin clap saw for a global flag that can also come from a variable.
    pub(super) fn flag_origin(&self, id: &str, flag: &str) -> Origin {
        self.origins
            .get(id)
            .cloned()
            .unwrap_or_else(|| Origin::Flag(flag.to_owned()))
    }

    pub(super) fn profile_value(
        &self,
        pick: impl Fn(&Profile) -> Option<&String>,
    ) -> Option<(String, Origin)> {
        let (name, profile) = self.profile.as_ref()?;
        pick(profile).map(|v| (v.clone(), Origin::Profile(name.clone())))
    }

    /// A plain setting: the first of the variables, then the profile.
    pub(super) fn setting(
        &self,
        names: &[&str],
        pick: impl Fn(&Profile) -> Option<&String>,
    ) -> Result<Option<(String, Origin)>> {
        for name in names {
            if let Some(value) = var(self.env, name)? {
                return Ok(Some((value, Origin::Env((*name).to_owned()))));
            }
        }
        Ok(self.profile_value(pick))
    }
}

impl Resolver<'_> {
    fn resolve(&self) -> Result<Settings<SecretSource>> {
        let profile_legacy = self.profile.as_ref().and_then(|(_, p)| p.legacy);
        let (legacy, mode_origin) = if self.args.legacy {
            (true, Origin::Flag("--legacy".into()))
        } else if truthy(self.env, "ZSCALER_USE_LEGACY_CLIENT")? {
            (true, Origin::Env("ZSCALER_USE_LEGACY_CLIENT".into()))
        } else {
            let has_oneapi = var(self.env, "ZSCALER_CLIENT_ID")?.is_some();
            let has_legacy = var(self.env, "ZPA_CLIENT_ID")?.is_some();
            match (has_oneapi, has_legacy, profile_legacy) {
                (true, true, _) => {
                    return Err(Error::usage(
                        "both ZSCALER_CLIENT_ID (OneAPI) and ZPA_CLIENT_ID (legacy API) are set, so the sign-in mode is ambiguous",
                    )
                    .hint("pass --legacy or set ZSCALER_USE_LEGACY_CLIENT=true for the legacy API, or unset ZPA_CLIENT_ID for OneAPI"));
                }
                (false, true, _) => (true, Origin::Env("ZPA_CLIENT_ID".into())),
                (true, false, _) => (false, Origin::Env("ZSCALER_CLIENT_ID".into())),
                (false, false, Some(l)) => {
                    let name = self
                        .profile
                        .as_ref()
                        .map(|(n, _)| n.clone())
                        .unwrap_or_default();
                    (l, Origin::Profile(name))
                }
                (false, false, None) => (false, Origin::Default),
            }
        };
        self.report(
            "mode",
            if legacy { "legacy" } else { "OneAPI" },
            mode_origin,
        );

        // A bad id fails resolution, but only after the sign-in settings have been worked
        // out (and reported): `auth status` shows everything it could find.
        let customer = self.setting(&["ZPA_CUSTOMER_ID", "ZSCALER_CUSTOMER_ID"], |p| {
            p.customer_id.as_ref()
        })?;
        let bad_customer = customer.as_ref().and_then(|(value, origin)| {
            self.report("customer_id", value.clone(), origin.clone());
            crate::key::parse_id(value).is_err().then(|| {
                Error::usage(format!(
                    "{origin} must be the tenant's numeric customer id, not '{value}'"
                ))
            })
        });
        let microtenant = match &self.args.microtenant_id {
            Some(id) => Some((
                id.clone(),
                self.flag_origin("microtenant_id", "--microtenant-id"),
            )),
            None => self.profile_value(|p| p.microtenant_id.as_ref()),
        };
        let bad_microtenant = microtenant.as_ref().and_then(|(id, origin)| {
            self.report("microtenant_id", id.clone(), origin.clone());
            crate::key::parse_id(id).is_err().then(|| {
                Error::usage(format!(
                    "{origin} must be a numeric microtenant id, not '{id}'"
                ))
            })
        });
        let mode = if legacy {
            self.legacy_mode(customer.is_none())
        } else {
            self.oneapi_mode(customer.is_none())
        };
        if let Some(error) = bad_customer.or(bad_microtenant) {
            return Err(error);
        }
        let (mode, api_base) = mode?;
        // The modes above report ZPA_CUSTOMER_ID as missing; this is for the compiler.
        let Some((customer_id, _)) = customer else {
            return Err(self.missing(&["ZPA_CUSTOMER_ID"], legacy));
        };
        Ok(Settings {
            mode,
            customer_id,
            api_base,
            microtenant_id: microtenant.map(|(id, _)| id),
            timeout: Duration::from_secs_f64(self.args.timeout),
            max_wait: Duration::from_secs_f64(self.args.max_wait),
            token_cache: self.args.token_cache,
        })
    }
}

impl Resolver<'_> {
    /// The missing-settings error, plus, when no profile is selected but the config file
    /// defines some, where they are: someone with a config file and an empty environment
    /// should not have to guess that `--profile` exists.
    pub(super) fn missing(&self, names: &[&str], legacy: bool) -> Error {
        let mut error = missing(names, legacy);
        if self.profile.is_none()
            && let Some((path, profiles)) = profile::defined(self.env)
        {
            // Right after the "set …" hint it continues; alone, it stands on its own.
            let after_set = usize::from(names != ["ZPA_CUSTOMER_ID"]).min(error.hints.len());
            error.hints.insert(
                after_set,
                format!(
                    "{}pick a profile of {path} with --profile NAME ({})",
                    if after_set == 0 { "" } else { "or " },
                    profiles.join(", ")
                ),
            );
        }
        error
    }
}

/// Resolves every setting, locating (not reading) the secret. `can_prompt` allows a hidden
/// prompt for a missing secret (only when a person is at the terminal).
pub(crate) fn resolve(
    args: &GlobalArgs,
    origins: &FlagOrigins,
    env: &dyn Env,
    can_prompt: bool,
) -> Result<Settings<SecretSource>> {
    resolve_reporting(args, origins, env, can_prompt).0
}

/// Like [`resolve`], also returning what was resolved (and from where) even when resolution
/// fails part-way, for `auth status`.
pub(crate) fn resolve_reporting(
    args: &GlobalArgs,
    origins: &FlagOrigins,
    env: &dyn Env,
    can_prompt: bool,
) -> (Result<Settings<SecretSource>>, Vec<Reported>) {
    // A profile that cannot be loaded fails resolution, but is still reported as selected.
    let (profile, unloadable) = match &args.profile {
        None => (None, None),
        Some(name) => match profile::load(name, env) {
            Ok(p) => (Some((name.clone(), p)), None),
            Err(e) => (None, Some(e)),
        },
    };
    let resolver = Resolver {
        args,
        origins,
        env,
        profile,
        can_prompt,
        reports: RefCell::new(Vec::new()),
    };
    if let Some(name) = &args.profile {
        resolver.report(
            "profile",
            name.clone(),
            resolver.flag_origin("profile", "--profile"),
        );
    }
    let result = match unloadable {
        Some(error) => Err(error),
        None => resolver.resolve(),
    };
    (result, resolver.reports.into_inner())
}

fn missing(names: &[&str], legacy: bool) -> Error {
    let what = if legacy { "legacy ZPA API" } else { "OneAPI" };
    let mut error = Error::credentials(format!(
        "{} not set: the {what} sign-in needs {}",
        names.join(", "),
        if names.len() == 1 { "it" } else { "them" }
    ));
    if names != ["ZPA_CUSTOMER_ID"] {
        error = error.hint(if legacy {
            "set ZPA_CLIENT_ID, ZPA_CLIENT_SECRET (or ZPA_CLIENT_SECRET_FILE) and ZPA_CUSTOMER_ID"
        } else {
            "set ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET (or ZSCALER_CLIENT_SECRET_FILE, or ZSCALER_PRIVATE_KEY), ZSCALER_VANITY_DOMAIN and ZPA_CUSTOMER_ID; for the legacy API pass --legacy"
        });
    }
    if names.contains(&"ZPA_CUSTOMER_ID") {
        error = error.hint("the customer id is on the ZPA admin portal under Configuration & Control > Public API > API Keys");
    }
    error
}
