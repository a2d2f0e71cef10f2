//! Parsers for option values, so that a bad value is a usage error (exit 2) naming what was
//! wrong before any request is sent.

use std::time::Duration;

use clap::builder::{PossibleValuesParser, TypedValueParser};

use crate::key::KeyType;

/// Longest name zpakey will send; ZPA names are far shorter, and a megabyte of argv is a mistake.
pub(crate) const MAX_NAME_BYTES: usize = 1024;

/// `--type`: a wire name or alias in any case, or an unambiguous beginning of one (`np`,
/// `site`, `exp`), since nobody should have to type `NP_ASSISTANT_GRP`. Anything else gets
/// clap's own error with the possible values and a did-you-mean.
pub(super) fn type_parser() -> TypeParser {
    TypeParser
}

#[derive(Clone)]
pub(super) struct TypeParser;

impl TypedValueParser for TypeParser {
    type Value = KeyType;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<KeyType, clap::Error> {
        if let Some(found) = value.to_str().and_then(KeyType::parse) {
            return Ok(found);
        }
        // For clap's own error (it accepts nothing `KeyType::parse` refuses).
        PossibleValuesParser::new(KeyType::spellings()).parse_ref(cmd, arg, value)?;
        Err(clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            KeyType::spellings().map(clap::builder::PossibleValue::new),
        ))
    }
}

pub(super) fn parse_id(value: &str) -> Result<String, String> {
    crate::key::parse_id(value)
        .map(str::to_owned)
        .map_err(str::to_owned)
}

pub(super) fn parse_name(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        return Err("a name cannot be empty".into());
    }
    if value.len() > MAX_NAME_BYTES {
        return Err(format!("a name is at most {MAX_NAME_BYTES} bytes"));
    }
    if value.chars().any(char::is_control) {
        return Err("a name cannot contain control characters".into());
    }
    Ok(value.to_owned())
}

pub(super) fn parse_seconds(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => Ok(s),
        _ => Err("expected a number of seconds greater than 0, e.g. 30 or 0.5".into()),
    }
}

pub(super) fn parse_wait(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(s) if s.is_finite() && (0.0..=86_400.0).contains(&s) => Ok(s),
        _ => Err("expected a number of seconds, 0 or more, e.g. 60".into()),
    }
}

/// `--valid-for`: a humantime duration (`30m`, `12h`, `7d`, `1w`), or 0.
pub(super) fn parse_duration(value: &str) -> Result<Duration, String> {
    if value.trim() == "0" {
        return Ok(Duration::ZERO);
    }
    humantime::parse_duration(value.trim())
        .map_err(|e| format!("{e}; expected a duration such as 30m, 12h or 7d"))
}

/// `exec --env`: a portable variable name (letters, digits and `_`, not starting with a
/// digit), which every shell and program can read back; anything else would be set but be
/// unreachable, or be refused by the platform.
pub(super) fn parse_env_name(value: &str) -> Result<String, String> {
    let mut chars = value.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid || value.len() > 255 {
        return Err(
            "expected a variable name: letters, digits and _, not starting with a digit, e.g. ZPA_PROVISION_KEY"
                .into(),
        );
    }
    Ok(value.to_owned())
}

/// `--file-mode`: octal permission bits (`0644`, `644`, `0o640`), owner's choice, but never
/// write or execute for group or others: a key file others could change or run is a hole.
pub(super) fn parse_file_mode(value: &str) -> Result<u32, String> {
    let digits = value
        .strip_prefix("0o")
        .or_else(|| value.strip_prefix("0O"))
        .unwrap_or(value);
    let mode = match u32::from_str_radix(digits, 8) {
        Ok(mode) if !digits.is_empty() && digits.len() <= 4 => mode,
        _ => return Err("expected octal permission bits, e.g. 0600 or 0644".into()),
    };
    if mode & !0o777 != 0 {
        return Err("only permission bits are allowed (no setuid, setgid or sticky bit)".into());
    }
    if mode & 0o033 != 0 {
        return Err(format!(
            "mode {mode:04o} lets group or others write or execute the file; use 0600, 0640 or 0644"
        ));
    }
    Ok(mode)
}
