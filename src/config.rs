//! Works out which tenant to talk to and how to sign in, from flags and the environment
//! variables the Zscaler SDKs, Terraform provider and Ansible collection already use, so an
//! existing CI job needs no new settings.

use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use reqwest::Url;
use secrecy::SecretString;

use crate::cli::GlobalArgs;
use crate::error::{Error, Result};
use crate::log;

/// How zpakey signs in.
pub enum Mode {
    /// OAuth2 client credentials against ZIdentity (the default for current tenants).
    OneApi {
        client_id: String,
        credential: OneApiCredential,
        token_url: String,
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

pub fn resolve(args: &GlobalArgs, env: &dyn Env) -> Result<Settings> {
    let legacy = args.legacy || truthy(env, "ZSCALER_USE_LEGACY_CLIENT")?;
    let has_oneapi = var(env, "ZSCALER_CLIENT_ID")?.is_some();
    let has_legacy = var(env, "ZPA_CLIENT_ID")?.is_some();
    let legacy = if legacy {
        true
    } else if has_oneapi && has_legacy {
        return Err(Error::usage(
            "both ZSCALER_CLIENT_ID (OneAPI) and ZPA_CLIENT_ID (legacy API) are set, so the sign-in mode is ambiguous",
        )
        .hint("pass --legacy or set ZSCALER_USE_LEGACY_CLIENT=true for the legacy API, or unset ZPA_CLIENT_ID for OneAPI"));
    } else {
        has_legacy && !has_oneapi
    };

    let customer = customer_id(env)?;
    let (mode, api_base) = if legacy {
        legacy_mode(args, env, customer.is_none())?
    } else {
        oneapi_mode(args, env, customer.is_none())?
    };
    let customer_id = customer.expect("the mode checks that it is set");
    Ok(Settings {
        mode,
        customer_id,
        api_base,
        microtenant_id: args.microtenant_id.clone(),
        timeout: Duration::from_secs_f64(args.timeout),
        max_wait: Duration::from_secs_f64(args.max_wait),
        token_cache: args.token_cache,
    })
}

/// The tenant id from `ZPA_CUSTOMER_ID` or its alias `ZSCALER_CUSTOMER_ID`, if set.
fn customer_id(env: &dyn Env) -> Result<Option<String>> {
    let found = match var(env, "ZPA_CUSTOMER_ID")? {
        Some(v) => Some(("ZPA_CUSTOMER_ID", v)),
        None => var(env, "ZSCALER_CUSTOMER_ID")?.map(|v| ("ZSCALER_CUSTOMER_ID", v)),
    };
    let Some((name, value)) = found else {
        return Ok(None);
    };
    if !value.bytes().all(|b| b.is_ascii_digit()) || value.len() > 19 {
        return Err(Error::usage(format!(
            "{name} must be the tenant's numeric customer id, not '{value}'"
        )));
    }
    Ok(Some(value))
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

fn oneapi_mode(args: &GlobalArgs, env: &dyn Env, no_customer: bool) -> Result<(Mode, String)> {
    let client_id = var(env, "ZSCALER_CLIENT_ID")?;
    let secret = secret(env, "ZSCALER_CLIENT_SECRET")?;
    let private_key = private_key(env)?;
    let vanity = var(env, "ZSCALER_VANITY_DOMAIN")?;

    let mut absent = Vec::new();
    if client_id.is_none() {
        absent.push("ZSCALER_CLIENT_ID");
    }
    if secret.is_none() && private_key.is_none() {
        absent.push("ZSCALER_CLIENT_SECRET");
    }
    if vanity.is_none() && args.auth_url.is_none() {
        absent.push("ZSCALER_VANITY_DOMAIN");
    }
    if no_customer {
        absent.push("ZPA_CUSTOMER_ID");
    }
    if !absent.is_empty() {
        return Err(missing(&absent, false));
    }
    let credential = match (secret, private_key) {
        (Some(_), Some(_)) => {
            return Err(Error::usage(
                "both a client secret and ZSCALER_PRIVATE_KEY are set; set only one",
            ));
        }
        (Some(s), None) => OneApiCredential::Secret(s),
        (None, Some(k)) => OneApiCredential::PrivateKey(k),
        (None, None) => unreachable!("checked above"),
    };

    let cloud = match &args.cloud {
        Some(c) => Some(("--cloud", c.clone())),
        None => var(env, "ZSCALER_CLOUD")?.map(|c| ("ZSCALER_CLOUD", c)),
    };
    let (login_domain, api_host) = match &cloud {
        None => ("zslogin.net", "https://api.zsapi.net"),
        Some((source, name)) => match name.to_ascii_lowercase().as_str() {
            "production" => ("zslogin.net", "https://api.zsapi.net"),
            "beta" => ("zsloginbeta.net", "https://api.beta.zsapi.net"),
            "gov" => ("zidentitygov.net", "https://api.zscalergov.net"),
            "govus" => ("zidentitygov.us", "https://api.zscalergov.us"),
            _ => {
                return Err(Error::usage(format!(
                    "{source} '{name}' is not a OneAPI cloud zpakey knows"
                ))
                .hint("use production, beta, gov or govus; for another cloud pass --api-url and --auth-url"));
            }
        },
    };
    let token_url = match &args.auth_url {
        Some(url) => checked_url("--auth-url (or ZPAKEY_AUTH_URL)", url)?,
        None => {
            let vanity = vanity.expect("checked above");
            if vanity.is_empty()
                || !vanity
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            {
                return Err(Error::usage(format!(
                    "ZSCALER_VANITY_DOMAIN must be the bare vanity name (as in https://<name>.zslogin.net), not '{vanity}'"
                )));
            }
            format!("https://{vanity}.{login_domain}/oauth2/v1/token")
        }
    };
    let api_base = match &args.api_url {
        Some(url) => checked_url("--api-url (or ZPAKEY_API_URL)", url)?,
        None => api_host.to_owned(),
    };
    let mode = Mode::OneApi {
        client_id: client_id.expect("checked above"),
        credential,
        token_url,
    };
    Ok((mode, api_base))
}

fn legacy_mode(args: &GlobalArgs, env: &dyn Env, no_customer: bool) -> Result<(Mode, String)> {
    let client_id = var(env, "ZPA_CLIENT_ID")?;
    let secret = secret(env, "ZPA_CLIENT_SECRET")?;
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
    let cloud = match &args.cloud {
        Some(c) => Some(("--cloud", c.clone())),
        None => var(env, "ZPA_CLOUD")?.map(|c| ("ZPA_CLOUD", c)),
    };
    let host = match &cloud {
        None => "https://config.private.zscaler.com",
        Some((source, name)) => match name.to_ascii_uppercase().as_str() {
            "PRODUCTION" => "https://config.private.zscaler.com",
            "ZPATWO" => "https://config.zpatwo.net",
            "BETA" => "https://config.zpabeta.net",
            "GOV" => "https://config.zpagov.net",
            "GOVUS" => "https://config.zpagov.us",
            "PREVIEW" => "https://config.zpapreview.net",
            _ => {
                return Err(Error::usage(format!(
                    "{source} '{name}' is not a ZPA cloud zpakey knows"
                ))
                .hint("use PRODUCTION, BETA, GOV, GOVUS, ZPATWO or PREVIEW; for another host pass --api-url"));
            }
        },
    };
    let api_base = match &args.api_url {
        Some(url) => checked_url("--api-url (or ZPAKEY_API_URL)", url)?,
        None => host.to_owned(),
    };
    let mode = Mode::Legacy {
        client_id: client_id.expect("checked above"),
        client_secret: secret.expect("checked above"),
    };
    Ok((mode, api_base))
}

/// A secret from `NAME` or from the file `NAME_FILE` names; never from a flag.
fn secret(env: &dyn Env, name: &str) -> Result<Option<SecretString>> {
    let file_var = format!("{name}_FILE");
    let direct = var(env, name)?;
    let file = env.var_os(&file_var);
    match (direct, file) {
        (Some(_), Some(_)) => Err(Error::usage(format!(
            "both {name} and {file_var} are set; set only one"
        ))),
        (Some(value), None) => Ok(Some(SecretString::from(value))),
        (None, Some(path)) => read_secret_file(&file_var, Path::new(&path)).map(Some),
        (None, None) => Ok(None),
    }
}

/// `ZSCALER_PRIVATE_KEY` holds PEM text or the path of a PEM file, as the SDKs accept.
fn private_key(env: &dyn Env) -> Result<Option<SecretString>> {
    match var(env, "ZSCALER_PRIVATE_KEY")? {
        None => Ok(None),
        Some(value) if value.contains("-----BEGIN") => Ok(Some(SecretString::from(value))),
        Some(path) => read_secret_file("ZSCALER_PRIVATE_KEY", Path::new(&path)).map(Some),
    }
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
    let mut text = String::from_utf8(bytes).map_err(|_| {
        Error::credentials(format!(
            "{var_name} file {} is not UTF-8 text",
            path.display()
        ))
    })?;
    let trimmed = text.trim_end_matches(['\n', '\r']).len();
    text.truncate(trimmed);
    if text.trim().is_empty() {
        return Err(Error::credentials(format!(
            "{var_name} file {} is empty",
            path.display()
        )));
    }
    Ok(SecretString::from(text))
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

/// Accepts https anywhere and plain http only to loopback, so credentials never cross a
/// network in clear text.
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
        resolve(&cli.global, &MapEnv(vars.iter().copied().collect()))
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
