//! Where zpakey keeps its files, by the XDG base-directory rules, decided in one place: the
//! config file, the token cache and the pacing state shared by concurrent runs.

use std::ffi::OsString;
use std::path::PathBuf;

/// Reads an environment variable; a seam so tests can supply their own environment.
pub(crate) type Vars<'a> = &'a dyn Fn(&str) -> Option<OsString>;

/// The process's own environment.
pub(crate) fn process_vars(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

/// `$<xdg>` when it is an absolute path, else `$HOME/<fallback>` (the XDG rules: a relative
/// XDG path is ignored).
fn base(vars: Vars<'_>, xdg: &str, fallback: &str) -> Option<PathBuf> {
    vars(xdg)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            vars("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(fallback))
        })
}

/// `$XDG_CONFIG_HOME/zpakey/config.toml`, or `~/.config/zpakey/config.toml`.
pub(crate) fn config_file(vars: Vars<'_>) -> Option<PathBuf> {
    base(vars, "XDG_CONFIG_HOME", ".config").map(|b| b.join("zpakey").join("config.toml"))
}

/// `$XDG_CACHE_HOME/zpakey`, or `~/.cache/zpakey`.
pub(crate) fn cache_dir(vars: Vars<'_>) -> Option<PathBuf> {
    base(vars, "XDG_CACHE_HOME", ".cache").map(|b| b.join("zpakey"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn xdg_first_then_home() {
        let v = with(&[("HOME", "/h"), ("XDG_CONFIG_HOME", "/c")]);
        assert_eq!(
            config_file(&v),
            Some(PathBuf::from("/c/zpakey/config.toml"))
        );
        let v = with(&[("HOME", "/h"), ("XDG_CONFIG_HOME", "relative")]);
        assert_eq!(
            config_file(&v),
            Some(PathBuf::from("/h/.config/zpakey/config.toml"))
        );
        let v = with(&[("HOME", "/h")]);
        assert_eq!(cache_dir(&v), Some(PathBuf::from("/h/.cache/zpakey")));
        assert_eq!(cache_dir(&with(&[])), None);
    }
}
