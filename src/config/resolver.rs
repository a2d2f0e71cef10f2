//! The precedence resolver: for each setting, the first of flag > environment > profile >
//! default, remembering where each came from. Secrets are only located here, never read:
//! [`super::secrets`] reads the one that wins.

use std::cell::RefCell;
use std::time::Duration;

use reqwest::Url;

use super::clouds;
use super::profile::{self, Profile};
use super::secrets::SecretSource;
use super::urls::checked_url;
use super::{Env, FlagOrigins, Mode, Origin, Reported, Settings};
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
    fn flag_origin(&self, id: &str, flag: &str) -> Origin {
        self.origins
            .get(id)
            .cloned()
            .unwrap_or_else(|| Origin::Flag(flag.to_owned()))
    }

    fn profile_value(
        &self,
        pick: impl Fn(&Profile) -> Option<&String>,
    ) -> Option<(String, Origin)> {
        let (name, profile) = self.profile.as_ref()?;
        pick(profile).map(|v| (v.clone(), Origin::Profile(name.clone())))
    }

    /// A plain setting: the first of the variables, then the profile.
    fn setting(
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

        let customer = self.setting(&["ZPA_CUSTOMER_ID", "ZSCALER_CUSTOMER_ID"], |p| {
            p.customer_id.as_ref()
        })?;
        if let Some((value, origin)) = &customer {
            if crate::key::parse_id(value).is_err() {
                return Err(Error::usage(format!(
                    "{origin} must be the tenant's numeric customer id, not '{value}'"
                )));
            }
            self.report("customer_id", value.clone(), origin.clone());
        }
        let microtenant = match &self.args.microtenant_id {
            Some(id) => Some((
                id.clone(),
                self.flag_origin("microtenant_id", "--microtenant-id"),
            )),
            None => self.profile_value(|p| p.microtenant_id.as_ref()),
        };
        if let Some((id, origin)) = &microtenant {
            if crate::key::parse_id(id).is_err() {
                return Err(Error::usage(format!(
                    "{origin} must be a numeric microtenant id, not '{id}'"
                )));
            }
            self.report("microtenant_id", id.clone(), origin.clone());
        }
        let (mode, api_base) = if legacy {
            self.legacy_mode(customer.is_none())?
        } else {
            self.oneapi_mode(customer.is_none())?
        };
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

    /// Reports the cloud named, or the default one.
    fn report_cloud(&self, cloud: &Option<(String, Origin)>, default: &'static str) {
        match cloud {
            Some((name, origin)) => self.report("cloud", name.clone(), origin.clone()),
            None => self.report("cloud", default, Origin::Default),
        }
    }

    /// The API base: `--api-url` (or the profile's), else the cloud's host; reported.
    fn api_base(&self, cloud_host: &str, cloud: Option<(String, Origin)>) -> Result<String> {
        let found = self.url("api_url", "--api-url", &self.args.api_url, |p| {
            p.api_url.as_ref()
        })?;
        let (base, origin) = found.unwrap_or_else(|| {
            (
                cloud_host.to_owned(),
                cloud.map_or(Origin::Default, |(_, o)| o),
            )
        });
        self.report("api_url", base.clone(), origin);
        Ok(base)
    }

    fn cloud(&self, var_name: &str) -> Result<Option<(String, Origin)>> {
        if let Some(c) = &self.args.cloud {
            return Ok(Some((c.clone(), Origin::Flag("--cloud".into()))));
        }
        self.setting(&[var_name], |p| p.cloud.as_ref())
    }

    fn url(
        &self,
        id: &str,
        flag: &str,
        arg: &Option<String>,
        pick: impl Fn(&Profile) -> Option<&String>,
    ) -> Result<Option<(String, Origin)>> {
        let found = match arg {
            Some(url) => Some((url.clone(), self.flag_origin(id, flag))),
            None => self.profile_value(pick),
        };
        match found {
            Some((url, origin)) => {
                let what = match &origin {
                    Origin::Profile(name) => format!("{} of profile '{name}'", &flag[2..]),
                    _ => format!(
                        "{flag} (or ZPAKEY_{})",
                        flag[2..].replace('-', "_").to_ascii_uppercase()
                    ),
                };
                Ok(Some((checked_url(&what, &url)?, origin)))
            }
            None => Ok(None),
        }
    }

    fn oneapi_mode(&self, no_customer: bool) -> Result<(Mode<SecretSource>, String)> {
        let client_id = self.setting(&["ZSCALER_CLIENT_ID"], |p| p.client_id.as_ref())?;
        let credential = self.oneapi_credential(client_id.is_some())?;
        let vanity = self.setting(&["ZSCALER_VANITY_DOMAIN"], |p| p.vanity_domain.as_ref())?;
        let auth_url = self.url("auth_url", "--auth-url", &self.args.auth_url, |p| {
            p.auth_url.as_ref()
        })?;
        if let Some((id, origin)) = &client_id {
            self.report("client_id", id.clone(), origin.clone());
        }

        let mut absent = Vec::new();
        if client_id.is_none() {
            absent.push("ZSCALER_CLIENT_ID");
        }
        if credential.is_none() {
            absent.push("ZSCALER_CLIENT_SECRET");
        }
        if vanity.is_none() && auth_url.is_none() {
            absent.push("ZSCALER_VANITY_DOMAIN");
        }
        if no_customer {
            absent.push("ZPA_CUSTOMER_ID");
        }
        let (Some((client_id, _)), Some((credential, _))) = (client_id, credential) else {
            return Err(self.missing(&absent, false));
        };
        if !absent.is_empty() {
            return Err(self.missing(&absent, false));
        }

        let cloud = self.cloud("ZSCALER_CLOUD")?;
        let hosts = match &cloud {
            None => &clouds::ONEAPI[0],
            Some((name, origin)) => clouds::oneapi(name).ok_or_else(|| {
                Error::usage(format!(
                    "{origin} '{name}' is not a OneAPI cloud zpakey knows"
                ))
                .hint(format!(
                    "use {}; for another cloud pass --api-url and --auth-url",
                    clouds::names(&clouds::ONEAPI, |c| c.name)
                ))
            })?,
        };
        self.report_cloud(&cloud, hosts.name);
        let documented_audience = vanity
            .as_ref()
            .map(|(vanity, _)| format!("https://{vanity}.{}", hosts.login_domain));
        let (token_url, token_origin) = match (auth_url, vanity) {
            (Some(found), _) => found,
            (None, Some((vanity, origin))) => {
                if vanity.is_empty()
                    || !vanity
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    return Err(Error::usage(format!(
                        "{origin} must be the bare vanity name (as in https://<name>.zslogin.net), not '{vanity}'"
                    )));
                }
                (
                    format!("https://{vanity}.{}/oauth2/v1/token", hosts.login_domain),
                    origin,
                )
            }
            (None, None) => return Err(self.missing(&["ZSCALER_VANITY_DOMAIN"], false)),
        };
        let documented_audience = documented_audience.unwrap_or_else(|| {
            Url::parse(&token_url)
                .map(|u| u.origin().ascii_serialization())
                .unwrap_or_default()
        });
        self.report("token_url", token_url.clone(), token_origin);
        let api_base = self.api_base(hosts.api_host, cloud)?;
        let mode = Mode::OneApi {
            client_id,
            credential,
            token_url,
            documented_audience,
        };
        Ok((mode, api_base))
    }

    fn legacy_mode(&self, no_customer: bool) -> Result<(Mode<SecretSource>, String)> {
        let client_id = self.setting(&["ZPA_CLIENT_ID"], |p| p.client_id.as_ref())?;
        let secret = match self.env_secret("ZPA_CLIENT_SECRET", "ZPA_CLIENT_SECRET_FILE")? {
            Some(found) => Some(found),
            None => self
                .profile_secret()?
                .or_else(|| self.prompt_for("ZPA_CLIENT_SECRET", client_id.is_some())),
        };
        if let Some((id, origin)) = &client_id {
            self.report("client_id", id.clone(), origin.clone());
        }
        let mut absent = Vec::new();
        if client_id.is_none() {
            absent.push("ZPA_CLIENT_ID");
        }
        if secret.is_none() {
            absent.push("ZPA_CLIENT_SECRET");
        }
        if no_customer {
            absent.push("ZPA_CUSTOMER_ID");
        }
        let (Some((client_id, _)), Some((client_secret, secret_origin))) = (client_id, secret)
        else {
            return Err(self.missing(&absent, true));
        };
        if !absent.is_empty() {
            return Err(self.missing(&absent, true));
        }
        self.report("credential", "client secret: set", secret_origin);
        let cloud = self.cloud("ZPA_CLOUD")?;
        let host = match &cloud {
            None => &clouds::LEGACY[0],
            Some((name, origin)) => clouds::legacy(name).ok_or_else(|| {
                Error::usage(format!("{origin} '{name}' is not a ZPA cloud zpakey knows")).hint(
                    format!(
                        "use {}; for another host pass --api-url",
                        clouds::names(&clouds::LEGACY, |c| c.name)
                    ),
                )
            })?,
        };
        self.report_cloud(&cloud, host.name);
        let api_base = self.api_base(host.api_host, cloud)?;
        self.report("token_url", format!("{api_base}/signin"), Origin::Default);
        let mode = Mode::Legacy {
            client_id,
            client_secret,
        };
        Ok((mode, api_base))
    }
}

impl Resolver<'_> {
    /// The missing-settings error, plus, when no profile is selected but the config file
    /// defines some, where they are: someone with a config file and an empty environment
    /// should not have to guess that `--profile` exists.
    fn missing(&self, names: &[&str], legacy: bool) -> Error {
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
    let profile = match &args.profile {
        None => None,
        Some(name) => match profile::load(name, env) {
            Ok(p) => Some((name.clone(), p)),
            Err(e) => return (Err(e), Vec::new()),
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
    let result = resolver.resolve();
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
