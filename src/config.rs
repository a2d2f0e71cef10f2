//! Works out which tenant to talk to and how to sign in, from flags, the environment
//! variables the Zscaler SDKs, Terraform provider and Ansible collection already use (so an
//! existing CI job needs no new settings), and optional named profiles — remembering where
//! each setting came from, which is what `zpakey auth status` reports.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::cli::GlobalArgs;
use crate::error::{Error, Kind, Result};
use crate::log;

/// How zpakey signs in.
pub enum Mode {
    /// OAuth2 client credentials against ZIdentity (the default for current tenants).
    OneApi {
        client_id: String,
        credential: OneApiCredential,
        token_url: String,
        /// The assertion audience ZIdentity's documentation gives
        /// (`https://<vanity>.zslogin.net`), tried when the SDKs' audience is refused.
        documented_audience: String,
    },
    /// The per-cloud `config.*` host with a ZPA API key, signed in at `/signin`.
    Legacy {
        client_id: String,
        client_secret: SecretString,
    },
}

pub enum OneApiCredential {
    Secret(SecretString),
    /// PEM text of an RSA private key, for a signed JWT assertion.
    PrivateKey(SecretString),
}

/// Where a setting came from, in precedence order: flag > environment > profile > default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Origin {
    Flag(String),
    Env(String),
    Profile(String),
    Prompt,
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag(flag) => f.write_str(flag),
            Origin::Env(name) => f.write_str(name),
            Origin::Profile(name) => write!(f, "profile '{name}'"),
            Origin::Prompt => f.write_str("prompt"),
            Origin::Default => f.write_str("default"),
        }
    }
}

/// One resolved setting as `auth status` shows it; secrets only ever as "set".
#[derive(Debug, Clone, Serialize)]
pub struct Reported {
    pub setting: &'static str,
    pub value: String,
    pub origin: Origin,
}

/// Everything a command needs to reach the API, resolved once at start-up.
pub struct Settings {
    pub mode: Mode,
    pub customer_id: String,
    /// Scheme and host (and any path prefix) of the management API, without a trailing slash.
    pub api_base: String,
    pub microtenant_id: Option<String>,
    pub timeout: Duration,
    pub max_wait: Duration,
    /// Reuse tokens across runs (`--token-cache`).
    pub token_cache: bool,
}

impl Settings {
    pub fn mode_name(&self) -> &'static str {
        match self.mode {
            Mode::OneApi { .. } => "OneAPI",
            Mode::Legacy { .. } => "legacy",
        }
    }

    /// Where the provisioning-key paths start: OneAPI puts ZPA under `/zpa`, legacy does not.
    pub fn customer_base(&self) -> String {
        let prefix = match self.mode {
            Mode::OneApi { .. } => "/zpa",
            Mode::Legacy { .. } => "",
        };
        format!(
            "{}{prefix}/mgmtconfig/v1/admin/customers/{}",
            self.api_base, self.customer_id
        )
    }

    /// What a cached token belongs to: it is only reused for the same mode, token endpoint,
    /// client and tenant.
    pub fn identity(&self) -> Vec<&str> {
        match &self.mode {
            Mode::OneApi {
                client_id,
                token_url,
                ..
            } => vec!["oneapi", token_url, client_id, &self.customer_id],
            Mode::Legacy { client_id, .. } => {
                vec!["legacy", &self.api_base, client_id, &self.customer_id]
            }
        }
    }
}

/// Reads one environment variable; a seam so tests can supply their own environment.
pub trait Env {
    fn var_os(&self, name: &str) -> Option<OsString>;
}

pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var_os(&self, name: &str) -> Option<OsString> {
        std::env::var_os(name)
    }
}

/// Returns the variable's value, treating empty as unset and non-UTF-8 as a usage error.
fn var(env: &dyn Env, name: &str) -> Result<Option<String>> {
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

/// A named set of non-secret settings plus secret *references* from the config file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub legacy: Option<bool>,
    pub client_id: Option<String>,
    pub vanity_domain: Option<String>,
    pub cloud: Option<String>,
    pub customer_id: Option<String>,
    pub microtenant_id: Option<String>,
    pub api_url: Option<String>,
    pub auth_url: Option<String>,
    /// A file holding the client secret.
    pub client_secret_file: Option<PathBuf>,
    /// A command whose standard output is the client secret (e.g. a password manager's read).
    pub client_secret_command: Option<Vec<String>>,
    /// A PEM file with the OneAPI private key.
    pub private_key_file: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// `$XDG_CONFIG_HOME/zpakey/config.toml`, or `~/.config/zpakey/config.toml`.
pub fn config_path(env: &dyn Env) -> Option<PathBuf> {
    let base = env
        .var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            env.var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("zpakey").join("config.toml"))
}

/// Loads the named profile, refusing a config file that others could have written to (it can
/// name a command to run).
pub fn load_profile(name: &str, env: &dyn Env) -> Result<Profile> {
    let path = config_path(env).ok_or_else(|| {
        Error::usage(format!(
            "profile '{name}' is selected, but neither XDG_CONFIG_HOME nor HOME is set to find the config file"
        ))
    })?;
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::usage(format!(
            "profile '{name}' is selected, but {} cannot be read: {}",
            path.display(),
            io_reason(&e)
        ))
        .hint("create it with a [profiles.NAME] table, or unset ZPAKEY_PROFILE / drop --profile")
    })?;
    refuse_if_writable_by_others(&path)?;
    let file: ConfigFile = toml::from_str(&text).map_err(|e| {
        Error::usage(format!(
            "{} is not a valid zpakey config: {}",
            path.display(),
            e.message()
        ))
    })?;
    let known: Vec<String> = file.profiles.keys().cloned().collect();
    file.profiles.get(name).cloned().ok_or_else(|| {
        Error::usage(format!("no profile '{name}' in {}", path.display())).hint(
            if known.is_empty() {
                "the file defines no [profiles.NAME] tables".to_owned()
            } else {
                format!("profiles there: {}", known.join(", "))
            },
        )
    })
}

#[cfg(unix)]
fn refuse_if_writable_by_others(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map(|m| m.permissions().mode())
        .unwrap_or(0);
    if mode & 0o022 != 0 {
        return Err(Error::usage(format!(
            "refusing {}: it is writable by others (mode {:o}), and a profile can name a command to run",
            path.display(),
            mode & 0o777
        ))
        .hint(format!("run: chmod go-w {}", path.display())));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_if_writable_by_others(_: &Path) -> Result<()> {
    Ok(())
}

/// Resolves settings layer by layer, recording where each came from.
struct Resolver<'a> {
    args: &'a GlobalArgs,
    env: &'a dyn Env,
    profile: Option<(String, Profile)>,
    can_prompt: bool,
    reports: RefCell<Vec<Reported>>,
}

impl Resolver<'_> {
    fn report(&self, setting: &'static str, value: impl Into<String>, origin: Origin) {
        self.reports.borrow_mut().push(Reported {
            setting,
            value: value.into(),
            origin,
        });
    }

    /// The origin clap saw for a global flag that can also come from a variable.
    fn flag_origin(&self, id: &str, flag: &str) -> Origin {
        self.args
            .origins
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

    /// A secret from `NAME`, the file `NAME_FILE` names, or the profile's references; never a flag.
    fn secret(&self, name: &str) -> Result<Option<(SecretString, Origin)>> {
        let file_var = format!("{name}_FILE");
        let direct = var(self.env, name)?;
        let file = self.env.var_os(&file_var);
        match (direct, file) {
            (Some(_), Some(_)) => {
                return Err(Error::usage(format!(
                    "both {name} and {file_var} are set; set only one"
                )));
            }
            (Some(value), None) => {
                return Ok(Some((
                    SecretString::from(value),
                    Origin::Env(name.to_owned()),
                )));
            }
            (None, Some(path)) => {
                return read_secret_file(&file_var, Path::new(&path))
                    .map(|s| Some((s, Origin::Env(file_var.clone()))));
            }
            (None, None) => {}
        }
        let Some((profile_name, profile)) = &self.profile else {
            return Ok(None);
        };
        let origin = Origin::Profile(profile_name.clone());
        match (&profile.client_secret_file, &profile.client_secret_command) {
            (Some(_), Some(_)) => Err(Error::usage(format!(
                "profile '{profile_name}' sets both client_secret_file and client_secret_command; keep one"
            ))),
            (Some(path), None) => read_secret_file(
                &format!("profile '{profile_name}' client_secret_file"),
                &expand_home(path, self.env),
            )
            .map(|s| Some((s, origin))),
            (None, Some(command)) => {
                secret_from_command(profile_name, command).map(|s| Some((s, origin)))
            }
            (None, None) => Ok(None),
        }
    }

    /// `ZSCALER_PRIVATE_KEY` holds PEM text or a path, as the SDKs accept; or the profile's file.
    fn private_key(&self) -> Result<Option<(SecretString, Origin)>> {
        let origin = Origin::Env("ZSCALER_PRIVATE_KEY".into());
        match var(self.env, "ZSCALER_PRIVATE_KEY")? {
            Some(value) if value.contains("-----BEGIN") => {
                Ok(Some((SecretString::from(value), origin)))
            }
            Some(path) => {
                read_secret_file("ZSCALER_PRIVATE_KEY", Path::new(&path)).map(|k| Some((k, origin)))
            }
            None => match &self.profile {
                Some((
                    name,
                    Profile {
                        private_key_file: Some(path),
                        ..
                    },
                )) => read_secret_file(&format!("profile '{name}' private_key_file"), path)
                    .map(|k| Some((k, Origin::Profile(name.clone())))),
                _ => Ok(None),
            },
        }
    }

    fn prompt(&self, name: &str) -> Result<(SecretString, Origin)> {
        dialoguer::Password::new()
            .with_prompt(format!("{name} (not set; input hidden)"))
            .interact()
            .map(|s| (SecretString::from(s), Origin::Prompt))
            .map_err(|_| Error::new(Kind::Interrupted, "interrupted"))
    }

    fn resolve(&self) -> Result<Settings> {
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
            if !value.bytes().all(|b| b.is_ascii_digit()) || value.len() > 19 {
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
            if !id.bytes().all(|b| b.is_ascii_digit()) || id.len() > 19 {
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
        Ok(Settings {
            mode,
            customer_id: customer.expect("the mode checks that it is set").0,
            api_base,
            microtenant_id: microtenant.map(|(id, _)| id),
            timeout: Duration::from_secs_f64(self.args.timeout),
            max_wait: Duration::from_secs_f64(self.args.max_wait),
            token_cache: self.args.token_cache,
        })
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

    fn oneapi_mode(&self, no_customer: bool) -> Result<(Mode, String)> {
        let client_id = self.setting(&["ZSCALER_CLIENT_ID"], |p| p.client_id.as_ref())?;
        let mut secret = self.secret("ZSCALER_CLIENT_SECRET")?;
        let private_key = self.private_key()?;
        let vanity = self.setting(&["ZSCALER_VANITY_DOMAIN"], |p| p.vanity_domain.as_ref())?;
        let auth_url = self.url("auth_url", "--auth-url", &self.args.auth_url, |p| {
            p.auth_url.as_ref()
        })?;
        if secret.is_none() && private_key.is_none() && client_id.is_some() && self.can_prompt {
            secret = Some(self.prompt("ZSCALER_CLIENT_SECRET")?);
        }
        if let Some((id, origin)) = &client_id {
            self.report("client_id", id.clone(), origin.clone());
        }

        let mut absent = Vec::new();
        if client_id.is_none() {
            absent.push("ZSCALER_CLIENT_ID");
        }
        if secret.is_none() && private_key.is_none() {
            absent.push("ZSCALER_CLIENT_SECRET");
        }
        if vanity.is_none() && auth_url.is_none() {
            absent.push("ZSCALER_VANITY_DOMAIN");
        }
        if no_customer {
            absent.push("ZPA_CUSTOMER_ID");
        }
        if !absent.is_empty() {
            return Err(missing(&absent, false));
        }
        let credential = match (secret, private_key) {
            (Some((_, Origin::Env(_))), Some((_, Origin::Env(_)))) => {
                return Err(Error::usage(
                    "both a client secret and ZSCALER_PRIVATE_KEY are set; set only one",
                ));
            }
            // A layer above wins over the profile below it.
            (Some((s, origin)), Some((_, Origin::Profile(_)))) | (Some((s, origin)), None) => {
                self.report("credential", "client secret: set", origin);
                OneApiCredential::Secret(s)
            }
            (_, Some((k, origin))) => {
                self.report("credential", "private key: set", origin);
                OneApiCredential::PrivateKey(k)
            }
            (None, None) => unreachable!("checked above"),
        };

        let cloud = self.cloud("ZSCALER_CLOUD")?;
        let (login_domain, api_host) = match &cloud {
            None => ("zslogin.net", "https://api.zsapi.net"),
            Some((name, origin)) => match name.to_ascii_lowercase().as_str() {
                "production" => ("zslogin.net", "https://api.zsapi.net"),
                "beta" => ("zsloginbeta.net", "https://api.beta.zsapi.net"),
                "gov" => ("zidentitygov.net", "https://api.zscalergov.net"),
                "govus" => ("zidentitygov.us", "https://api.zscalergov.us"),
                _ => {
                    return Err(Error::usage(format!(
                        "{origin} '{name}' is not a OneAPI cloud zpakey knows"
                    ))
                    .hint("use production, beta, gov or govus; for another cloud pass --api-url and --auth-url"));
                }
            },
        };
        match &cloud {
            Some((name, origin)) => self.report("cloud", name.clone(), origin.clone()),
            None => self.report("cloud", "production", Origin::Default),
        }
        let documented_audience = vanity
            .as_ref()
            .map(|(vanity, _)| format!("https://{vanity}.{login_domain}"));
        let (token_url, token_origin) = match auth_url {
            Some(found) => found,
            None => {
                let (vanity, origin) = vanity.expect("checked above");
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
                    format!("https://{vanity}.{login_domain}/oauth2/v1/token"),
                    origin,
                )
            }
        };
        let documented_audience = documented_audience.unwrap_or_else(|| {
            Url::parse(&token_url)
                .map(|u| u.origin().ascii_serialization())
                .unwrap_or_default()
        });
        self.report("token_url", token_url.clone(), token_origin);
        let (api_base, api_origin) =
            match self.url("api_url", "--api-url", &self.args.api_url, |p| {
                p.api_url.as_ref()
            })? {
                Some(found) => found,
                None => (
                    api_host.to_owned(),
                    cloud.map_or(Origin::Default, |(_, o)| o),
                ),
            };
        self.report("api_url", api_base.clone(), api_origin);
        let mode = Mode::OneApi {
            client_id: client_id.expect("checked above").0,
            credential,
            token_url,
            documented_audience,
        };
        Ok((mode, api_base))
    }

    fn legacy_mode(&self, no_customer: bool) -> Result<(Mode, String)> {
        let client_id = self.setting(&["ZPA_CLIENT_ID"], |p| p.client_id.as_ref())?;
        let mut secret = self.secret("ZPA_CLIENT_SECRET")?;
        if secret.is_none() && client_id.is_some() && self.can_prompt {
            secret = Some(self.prompt("ZPA_CLIENT_SECRET")?);
        }
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
        if !absent.is_empty() {
            return Err(missing(&absent, true));
        }
        let (client_secret, secret_origin) = secret.expect("checked above");
        self.report("credential", "client secret: set", secret_origin);
        let cloud = self.cloud("ZPA_CLOUD")?;
        let host = match &cloud {
            None => "https://config.private.zscaler.com",
            Some((name, origin)) => match name.to_ascii_uppercase().as_str() {
                "PRODUCTION" => "https://config.private.zscaler.com",
                "ZPATWO" => "https://config.zpatwo.net",
                "BETA" => "https://config.zpabeta.net",
                "GOV" => "https://config.zpagov.net",
                "GOVUS" => "https://config.zpagov.us",
                "PREVIEW" => "https://config.zpapreview.net",
                _ => {
                    return Err(Error::usage(format!(
                        "{origin} '{name}' is not a ZPA cloud zpakey knows"
                    ))
                    .hint("use PRODUCTION, BETA, GOV, GOVUS, ZPATWO or PREVIEW; for another host pass --api-url"));
                }
            },
        };
        match &cloud {
            Some((name, origin)) => self.report("cloud", name.clone(), origin.clone()),
            None => self.report("cloud", "PRODUCTION", Origin::Default),
        }
        let (api_base, api_origin) =
            match self.url("api_url", "--api-url", &self.args.api_url, |p| {
                p.api_url.as_ref()
            })? {
                Some(found) => found,
                None => (host.to_owned(), cloud.map_or(Origin::Default, |(_, o)| o)),
            };
        self.report("api_url", api_base.clone(), api_origin);
        self.report("token_url", format!("{api_base}/signin"), Origin::Default);
        let mode = Mode::Legacy {
            client_id: client_id.expect("checked above").0,
            client_secret,
        };
        Ok((mode, api_base))
    }
}

/// `~/…` in a profile's paths means the home directory, as a person writing the file expects.
fn expand_home(path: &Path, env: &dyn Env) -> PathBuf {
    match (path.strip_prefix("~"), env.var_os("HOME")) {
        (Ok(rest), Some(home)) if !home.is_empty() => PathBuf::from(home).join(rest),
        _ => path.to_path_buf(),
    }
}

/// Resolves every setting. `can_prompt` allows asking for a missing secret in a hidden prompt
/// (only when a person is at the terminal).
pub fn resolve(args: &GlobalArgs, env: &dyn Env, can_prompt: bool) -> Result<Settings> {
    resolve_reporting(args, env, can_prompt).0
}

/// Like [`resolve`], also returning what was resolved (and from where) even when resolution
/// fails part-way, for `auth status`.
pub fn resolve_reporting(
    args: &GlobalArgs,
    env: &dyn Env,
    can_prompt: bool,
) -> (Result<Settings>, Vec<Reported>) {
    let profile = match &args.profile {
        None => None,
        Some(name) => match load_profile(name, env) {
            Ok(p) => Some((name.clone(), p)),
            Err(e) => return (Err(e), Vec::new()),
        },
    };
    let resolver = Resolver {
        args,
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

/// Runs a profile's secret command (no shell, no secret in its argv or environment) and takes
/// its standard output; the terminal stays attached so a password manager can ask the person.
fn secret_from_command(profile: &str, command: &[String]) -> Result<SecretString> {
    let Some((program, args)) = command.split_first() else {
        return Err(Error::usage(format!(
            "profile '{profile}' has an empty client_secret_command"
        )));
    };
    let output = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::inherit())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| {
            Error::credentials(format!(
                "cannot run the client_secret_command of profile '{profile}' ({program}): {}",
                io_reason(&e)
            ))
        })?;
    if !output.status.success() {
        return Err(Error::credentials(format!(
            "the client_secret_command of profile '{profile}' ({program}) failed with {}",
            output.status
        )));
    }
    secret_text(output.stdout).map_err(|bad| {
        let what = match bad {
            BadSecret::NotText => "something that is not UTF-8 text",
            BadSecret::Blank => "nothing",
        };
        Error::credentials(format!(
            "the client_secret_command of profile '{profile}' printed {what}"
        ))
    })
}

enum BadSecret {
    NotText,
    Blank,
}

/// A secret from a file or a command's output: UTF-8, trailing newlines trimmed, not blank.
fn secret_text(bytes: Vec<u8>) -> std::result::Result<SecretString, BadSecret> {
    let mut text = String::from_utf8(bytes).map_err(|_| BadSecret::NotText)?;
    let trimmed = text.trim_end_matches(['\n', '\r']).len();
    text.truncate(trimmed);
    if text.trim().is_empty() {
        return Err(BadSecret::Blank);
    }
    Ok(SecretString::from(text))
}

/// Reads a secret file, trimming trailing newlines, warning (as ssh does) when others can read it.
pub fn read_secret_file(var_name: &str, path: &Path) -> Result<SecretString> {
    if path.as_os_str().is_empty() {
        return Err(Error::credentials(format!("{var_name} is set but empty"))
            .hint("point it at a file that holds the secret"));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Error::credentials(format!(
            "cannot read {var_name} file {}: {}",
            path.display(),
            io_reason(&e)
        ))
    })?;
    warn_if_shared(var_name, path);
    secret_text(bytes).map_err(|bad| {
        let what = match bad {
            BadSecret::NotText => "not UTF-8 text",
            BadSecret::Blank => "empty",
        };
        Error::credentials(format!("{var_name} file {} is {what}", path.display()))
    })
}

#[cfg(unix)]
fn warn_if_shared(var_name: &str, path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            log::warn(format_args!(
                "{var_name} file {} is readable by others (mode {:o}); run: chmod 600 {}",
                path.display(),
                mode & 0o777,
                path.display()
            ));
        }
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_: &str, _: &Path) {}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "it is a directory".into(),
        _ => e.to_string(),
    }
}

/// The origins clap saw for the global flags that can also come from variables.
pub type FlagOrigins = HashMap<String, Origin>;

pub fn checked_url(what: &str, text: &str) -> Result<String> {
    let url = Url::parse(text).map_err(|e| {
        Error::usage(format!("{what} '{text}' is not a valid URL: {e}"))
            .hint("give a full URL such as https://api.zsapi.net")
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::usage(format!(
            "{what} must not carry credentials; use the environment variables instead"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::usage(format!(
            "{what} '{text}' must not have a query or fragment"
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::usage(format!(
                "{what} '{text}' uses plain http to a host that is not loopback"
            ))
            .hint("use https://, so credentials never cross a network in clear text"));
        }
        other => {
            return Err(Error::usage(format!(
                "{what} '{text}' has scheme '{other}'; use https://"
            )));
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use crate::error::Kind;
    use clap::Parser;
    use std::collections::HashMap;

    struct MapEnv(HashMap<&'static str, &'static str>);

    impl Env for MapEnv {
        fn var_os(&self, name: &str) -> Option<OsString> {
            self.0.get(name).map(Into::into)
        }
    }

    fn resolve_with(args: &[&str], vars: &[(&'static str, &'static str)]) -> Result<Settings> {
        let mut argv = vec!["zpakey"];
        argv.extend_from_slice(args);
        argv.push("list");
        let cli = Cli::try_parse_from(argv).unwrap();
        resolve(&cli.global, &MapEnv(vars.iter().copied().collect()), false)
    }

    const ONEAPI: [(&str, &str); 4] = [
        ("ZSCALER_CLIENT_ID", "id"),
        ("ZSCALER_CLIENT_SECRET", "s3cret"),
        ("ZSCALER_VANITY_DOMAIN", "acme"),
        ("ZPA_CUSTOMER_ID", "216196257331281920"),
    ];

    fn token_url(s: &Settings) -> &str {
        match &s.mode {
            Mode::OneApi { token_url, .. } => token_url,
            Mode::Legacy { .. } => panic!("legacy"),
        }
    }

    #[test]
    fn oneapi_clouds() {
        let s = resolve_with(&[], &ONEAPI).unwrap();
        assert_eq!(token_url(&s), "https://acme.zslogin.net/oauth2/v1/token");
        assert_eq!(
            s.customer_base(),
            "https://api.zsapi.net/zpa/mgmtconfig/v1/admin/customers/216196257331281920"
        );
        let s = resolve_with(&["--cloud", "BETA"], &ONEAPI).unwrap();
        assert_eq!(
            token_url(&s),
            "https://acme.zsloginbeta.net/oauth2/v1/token"
        );
        assert_eq!(s.api_base, "https://api.beta.zsapi.net");
        let s = resolve_with(&["--cloud", "govus"], &ONEAPI).unwrap();
        assert_eq!(
            token_url(&s),
            "https://acme.zidentitygov.us/oauth2/v1/token"
        );
        assert_eq!(s.api_base, "https://api.zscalergov.us");
        let e = resolve_with(&["--cloud", "mars"], &ONEAPI).err().unwrap();
        assert_eq!(e.kind, Kind::Usage);
    }

    #[test]
    fn legacy_selection_and_hosts() {
        let vars = [
            ("ZPA_CLIENT_ID", "id"),
            ("ZPA_CLIENT_SECRET", "s"),
            ("ZPA_CUSTOMER_ID", "1"),
            ("ZPA_CLOUD", "zpatwo"),
        ];
        let s = resolve_with(&[], &vars).unwrap();
        assert_eq!(s.mode_name(), "legacy");
        assert_eq!(
            s.customer_base(),
            "https://config.zpatwo.net/mgmtconfig/v1/admin/customers/1"
        );
        let mut both = ONEAPI.to_vec();
        both.push(("ZPA_CLIENT_ID", "x"));
        assert_eq!(resolve_with(&[], &both).err().unwrap().kind, Kind::Usage);
        both.push(("ZPA_CLIENT_SECRET", "y"));
        both.push(("ZSCALER_USE_LEGACY_CLIENT", "TRUE"));
        assert_eq!(resolve_with(&[], &both).unwrap().mode_name(), "legacy");
    }

    #[test]
    fn missing_settings_name_the_variables() {
        let e = resolve_with(&[], &[("ZPA_CUSTOMER_ID", "1")])
            .err()
            .unwrap();
        assert_eq!(e.kind, Kind::Credentials);
        assert_eq!(
            e.message,
            "ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET, ZSCALER_VANITY_DOMAIN not set: the OneAPI sign-in needs them"
        );
        let e = resolve_with(&[], &ONEAPI[..3]).err().unwrap();
        assert_eq!(
            e.message,
            "ZPA_CUSTOMER_ID not set: the OneAPI sign-in needs it"
        );
    }

    #[test]
    fn urls_are_https_or_loopback() {
        for ok in [
            "https://api.example.com/",
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            assert!(checked_url("--api-url", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com",
            "ftp://x",
            "not a url",
            "https://u:p@h",
            "http://10.0.0.1",
        ] {
            assert_eq!(
                checked_url("--api-url", bad).err().unwrap().kind,
                Kind::Usage,
                "{bad}"
            );
        }
        assert_eq!(checked_url("x", "https://h/a/").unwrap(), "https://h/a");
    }

    #[test]
    fn customer_id_must_be_numeric() {
        let mut vars = ONEAPI.to_vec();
        vars[3] = ("ZPA_CUSTOMER_ID", "acme");
        assert_eq!(resolve_with(&[], &vars).err().unwrap().kind, Kind::Usage);
        vars[3] = ("ZSCALER_CUSTOMER_ID", "42");
        assert_eq!(resolve_with(&[], &vars).unwrap().customer_id, "42");
    }
}
