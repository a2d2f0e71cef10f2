//! Works out which tenant to talk to and how to sign in, from flags, the environment
//! variables the Zscaler SDKs, Terraform provider and Ansible collection already use (so an
//! existing CI job needs no new settings), and optional named profiles — remembering where
//! each setting came from, which is what `zpakey auth status` reports.
//!
//! Resolution decides which credential wins before any secret is read, so a profile's secret
//! command runs only when its secret is the one used ([`secrets`] reads it afterwards).

mod clouds;
mod credentials;
mod modes;
mod profile;
mod resolver;
pub(crate) mod secrets;
#[cfg(test)]
mod tests;
mod urls;

use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt;
use std::time::Duration;

use secrecy::SecretString;
use serde::Serialize;

pub(crate) use resolver::{resolve, resolve_reporting};
pub(crate) use secrets::SecretSource;
pub(crate) use urls::is_loopback;

/// How zpakey signs in. `C` is the secret: a [`SecretSource`] until it is read, then the
/// secret itself.
pub(crate) enum Mode<C = SecretString> {
    /// OAuth2 client credentials against ZIdentity (the default for current tenants).
    OneApi {
        client_id: String,
        credential: OneApiCredential<C>,
        token_url: String,
        /// The assertion audience ZIdentity's documentation gives
        /// (`https://<vanity>.zslogin.net`), tried when the SDKs' audience is refused.
        documented_audience: String,
    },
    /// The per-cloud `config.*` host with a ZPA API key, signed in at `/signin`.
    Legacy { client_id: String, client_secret: C },
}

pub(crate) enum OneApiCredential<C = SecretString> {
    Secret(C),
    /// PEM text of an RSA private key, for a signed JWT assertion.
    PrivateKey(C),
}

/// Where a setting came from, in precedence order: flag > environment > profile > default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub(crate) enum Origin {
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
pub(crate) struct Reported {
    pub(crate) setting: &'static str,
    pub(crate) value: String,
    pub(crate) origin: Origin,
}

/// Everything a command needs to reach the API, resolved once at start-up.
pub(crate) struct Settings<C = SecretString> {
    pub(crate) mode: Mode<C>,
    pub(crate) customer_id: String,
    /// Scheme and host (and any path prefix) of the management API, without a trailing slash.
    pub(crate) api_base: String,
    pub(crate) microtenant_id: Option<String>,
    pub(crate) timeout: Duration,
    pub(crate) max_wait: Duration,
    /// Reuse tokens across runs (`--token-cache`).
    pub(crate) token_cache: bool,
}

impl<C> Settings<C> {
    pub(crate) fn mode_name(&self) -> &'static str {
        match self.mode {
            Mode::OneApi { .. } => "OneAPI",
            Mode::Legacy { .. } => "legacy",
        }
    }

    /// Separates the one secret these settings need from everything else, so the secret can
    /// be read (a file, a command, a prompt) and put back with [`Settings::with_secret`].
    pub(crate) fn split(self) -> (Settings<()>, C) {
        let (mode, secret) = match self.mode {
            Mode::OneApi {
                client_id,
                credential,
                token_url,
                documented_audience,
            } => {
                let (credential, secret) = match credential {
                    OneApiCredential::Secret(s) => (OneApiCredential::Secret(()), s),
                    OneApiCredential::PrivateKey(k) => (OneApiCredential::PrivateKey(()), k),
                };
                let mode = Mode::OneApi {
                    client_id,
                    credential,
                    token_url,
                    documented_audience,
                };
                (mode, secret)
            }
            Mode::Legacy {
                client_id,
                client_secret,
            } => (
                Mode::Legacy {
                    client_id,
                    client_secret: (),
                },
                client_secret,
            ),
        };
        let settings = Settings {
            mode,
            customer_id: self.customer_id,
            api_base: self.api_base,
            microtenant_id: self.microtenant_id,
            timeout: self.timeout,
            max_wait: self.max_wait,
            token_cache: self.token_cache,
        };
        (settings, secret)
    }
}

impl Settings<()> {
    /// Puts the secret read for these settings back in its place.
    pub(crate) fn with_secret<D>(self, secret: D) -> Settings<D> {
        let mode = match self.mode {
            Mode::OneApi {
                client_id,
                credential,
                token_url,
                documented_audience,
            } => Mode::OneApi {
                client_id,
                credential: match credential {
                    OneApiCredential::Secret(()) => OneApiCredential::Secret(secret),
                    OneApiCredential::PrivateKey(()) => OneApiCredential::PrivateKey(secret),
                },
                token_url,
                documented_audience,
            },
            Mode::Legacy { client_id, .. } => Mode::Legacy {
                client_id,
                client_secret: secret,
            },
        };
        Settings {
            mode,
            customer_id: self.customer_id,
            api_base: self.api_base,
            microtenant_id: self.microtenant_id,
            timeout: self.timeout,
            max_wait: self.max_wait,
            token_cache: self.token_cache,
        }
    }
}

impl<C> Settings<C> {
    /// Where the provisioning-key paths start: OneAPI puts ZPA under `/zpa`, legacy does not.
    pub(crate) fn customer_base(&self) -> String {
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
    pub(crate) fn identity(&self) -> Vec<&str> {
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

    /// The URL sign-in requests go to.
    pub(crate) fn token_url(&self) -> String {
        match &self.mode {
            Mode::OneApi { token_url, .. } => token_url.clone(),
            Mode::Legacy { .. } => format!("{}/signin", self.api_base),
        }
    }
}

/// Reads one environment variable; a seam so tests can supply their own environment.
pub(crate) trait Env {
    fn var_os(&self, name: &str) -> Option<OsString>;
}

pub(crate) struct ProcessEnv;

impl Env for ProcessEnv {
    fn var_os(&self, name: &str) -> Option<OsString> {
        std::env::var_os(name)
    }
}

/// The origins clap saw for the global flags that can also come from variables, by argument id.
pub(crate) type FlagOrigins = HashMap<String, Origin>;

/// Where each option that can also come from a variable came from, read off clap's own
/// definitions (`env = …`): the flag-to-variable table has one source.
pub(crate) fn flag_origins(command: &clap::Command, matches: &clap::ArgMatches) -> FlagOrigins {
    // Global options are propagated to the innermost subcommand's matches.
    let mut innermost = matches;
    while let Some((_, sub)) = innermost.subcommand() {
        innermost = sub;
    }
    let mut origins = FlagOrigins::new();
    for arg in command.get_arguments() {
        let Some(var) = arg.get_env() else {
            continue;
        };
        let id = arg.get_id().as_str();
        let origin = match innermost.value_source(id) {
            Some(clap::parser::ValueSource::CommandLine) => {
                Origin::Flag(format!("--{}", arg.get_long().unwrap_or(id)))
            }
            Some(clap::parser::ValueSource::EnvVariable) => {
                Origin::Env(var.to_string_lossy().into_owned())
            }
            _ => Origin::Default,
        };
        origins.insert(id.to_owned(), origin);
    }
    origins
}
