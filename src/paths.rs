//! Where zpakey keeps its files, by the XDG base-directory rules, decided in one place: the
//! config file, the token cache and the pacing state shared by concurrent runs.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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

/// `$XDG_RUNTIME_DIR/zpakey` (per user, per boot: the right home for state shared by running
/// processes), else the cache directory.
pub(crate) fn runtime_dir(vars: Vars<'_>) -> Option<PathBuf> {
    vars("XDG_RUNTIME_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .map(|p| p.join("zpakey"))
        .or_else(|| cache_dir(vars))
}

/// The process's runtime directory, created private (0700) on first use and checked once:
/// the pacing file and the remembered key types both live there. `Err` says why there is
/// none (no variable to find it, or a directory that is not private).
pub(crate) fn private_runtime_dir() -> Result<&'static Path, String> {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = runtime_dir(&process_vars)
            .ok_or_else(|| "neither XDG_RUNTIME_DIR, XDG_CACHE_HOME nor HOME is set".to_owned())?;
        crate::perms::private_dir(&dir)
            .map_err(|e| format!("{} is not a private directory ({e})", dir.display()))?;
        Ok(dir)
    })
    .as_deref()
    .map_err(Clone::clone)
}

/// A short stable name for what `parts` identify (a tenant, a sign-in identity), for file
/// names: the same parts always give the same name, and different ones never collide in
/// practice.
pub(crate) fn tag(parts: &[&str]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, parts.join("\n").as_bytes());
    digest.as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
        assert_eq!(runtime_dir(&v), Some(PathBuf::from("/h/.cache/zpakey")));
        let v = with(&[("XDG_RUNTIME_DIR", "/run/user/1")]);
        assert_eq!(runtime_dir(&v), Some(PathBuf::from("/run/user/1/zpakey")));
        assert_eq!(cache_dir(&with(&[])), None);
    }
}
