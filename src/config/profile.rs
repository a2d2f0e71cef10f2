//! Named profiles of `$XDG_CONFIG_HOME/zpakey/config.toml`: non-secret settings plus secret
//! *references* (a file, or a command that prints the secret). Because a profile can name a
//! command to run, the file is trusted only as ssh trusts `~/.ssh/config`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Env;
use crate::error::{Error, Result};
use crate::paths;
use crate::perms;

/// A named set of non-secret settings plus secret references from the config file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Profile {
    pub(crate) legacy: Option<bool>,
    pub(crate) client_id: Option<String>,
    pub(crate) vanity_domain: Option<String>,
    pub(crate) cloud: Option<String>,
    pub(crate) customer_id: Option<String>,
    pub(crate) microtenant_id: Option<String>,
    pub(crate) api_url: Option<String>,
    pub(crate) auth_url: Option<String>,
    /// A file holding the client secret.
    pub(crate) client_secret_file: Option<PathBuf>,
    /// A command whose standard output is the client secret (e.g. a password manager's read).
    pub(crate) client_secret_command: Option<Vec<String>>,
    /// A PEM file with the OneAPI private key.
    pub(crate) private_key_file: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// Loads the named profile, refusing a config file that someone else could have written.
pub(crate) fn load(name: &str, env: &dyn Env) -> Result<Profile> {
    let path = paths::config_file(&|v| env.var_os(v)).ok_or_else(|| {
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
    refuse_if_untrusted(&path)?;
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

/// The config file and the profiles it defines, when it exists and defines any: for a hint
/// when settings are missing and no profile is selected. Only names are read (nothing is
/// run or used), so the file is not held to the trust rules here; any failure means no hint.
pub(crate) fn defined(env: &dyn Env) -> Option<(String, Vec<String>)> {
    let path = paths::config_file(&|v| env.var_os(v))?;
    let text = std::fs::read_to_string(&path).ok()?;
    let file: ConfigFile = toml::from_str(&text).ok()?;
    let names: Vec<String> = file.profiles.into_keys().collect();
    if names.is_empty() {
        return None;
    }
    Some((shown(&path, env), names))
}

/// A path as a person would type it: under the home directory, `~/…`.
fn shown(path: &Path, env: &dyn Env) -> String {
    let home = env
        .var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from);
    match home
        .as_deref()
        .and_then(|home| path.strip_prefix(home).ok())
    {
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    }
}

/// The file and the directory holding it must be this user's (or root's) and writable by
/// nobody else: otherwise another user could make zpakey run a command of their choosing.
fn refuse_if_untrusted(path: &Path) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    for (place, hint) in [
        (path, format!("run: chmod go-w {}", path.display())),
        (dir, format!("run: chmod go-w {}", dir.display())),
    ] {
        match perms::untrusted(place) {
            Ok(None) => {}
            Ok(Some(why)) => {
                let hint = match why {
                    perms::Untrusted::Owner { .. } => format!(
                        "the config file and its directory must belong to you; run: chown \"$(id -u)\" {}",
                        place.display()
                    ),
                    perms::Untrusted::Writable { .. } => hint,
                };
                return Err(Error::usage(format!(
                    "refusing {}: {}, and a profile can name a command to run",
                    place.display(),
                    why.describe()
                ))
                .hint(hint));
            }
            Err(e) => {
                return Err(Error::usage(format!(
                    "cannot check {}: {}",
                    place.display(),
                    io_reason(&e)
                )));
            }
        }
    }
    Ok(())
}

/// `~/…` in a profile's paths means the home directory, as a person writing the file expects.
pub(crate) fn expand_home(path: &Path, env: &dyn Env) -> PathBuf {
    match (path.strip_prefix("~"), env.var_os("HOME")) {
        (Ok(rest), Some(home)) if !home.is_empty() => PathBuf::from(home).join(rest),
        _ => path.to_path_buf(),
    }
}

/// A short reason for an I/O failure, in the words a person would use.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "it is a directory".into(),
        _ => e.to_string(),
    }
}
