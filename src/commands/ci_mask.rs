//! GitHub Actions masks a value in a job's log once the step announces it with the workflow
//! command `::add-mask::VALUE`, which the runner also reads on stderr. Announced just before a
//! key goes to stdout, a later `echo "$KEY"` (or `set -x`) in the job shows `***`. This is the
//! one place zpakey writes a key to stderr, on purpose, so it bypasses the redactor that
//! guards every other line there.

use std::io::Write;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

/// Announces `values` when running under GitHub Actions, unless `ZPAKEY_CI_MASK=0`.
pub(crate) fn announce<'a>(values: impl IntoIterator<Item = &'a SecretString>) {
    if !enabled(|name| std::env::var_os(name)) {
        return;
    }
    let mut stderr = std::io::stderr().lock();
    for value in values {
        let line = command(value.expose_secret());
        // Without stderr there is no log to mask either.
        let _ = stderr.write_all(line.as_bytes());
    }
    let _ = stderr.flush();
}

fn enabled(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    let on_github = var("GITHUB_ACTIONS").is_some_and(|v| v == "true");
    let turned_off = var("ZPAKEY_CI_MASK").is_some_and(|v| {
        let v = v.to_string_lossy().to_ascii_lowercase();
        matches!(v.as_str(), "0" | "false" | "no" | "off")
    });
    on_github && !turned_off
}

/// The workflow command for one value, escaped as the runner unescapes command data (so a
/// `%` or line break in a value cannot end the command early or mask the wrong text).
fn command(value: &str) -> Zeroizing<String> {
    const PREFIX: &str = "::add-mask::";
    // Sized for the worst case, so the buffer holding the key never grows (and leaves no copy).
    let mut line = Zeroizing::new(String::with_capacity(PREFIX.len() + 3 * value.len() + 1));
    line.push_str(PREFIX);
    for c in value.chars() {
        match c {
            '%' => line.push_str("%25"),
            '\r' => line.push_str("%0D"),
            '\n' => line.push_str("%0A"),
            c => line.push(c),
        }
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_on_github_actions_and_not_when_turned_off() {
        let run = |vars: &[(&str, &str)]| {
            enabled(|name| {
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).into())
            })
        };
        assert!(run(&[("GITHUB_ACTIONS", "true")]));
        assert!(run(&[("GITHUB_ACTIONS", "true"), ("ZPAKEY_CI_MASK", "1")]));
        assert!(!run(&[]));
        assert!(!run(&[("GITHUB_ACTIONS", "false")]));
        assert!(!run(&[("CI", "true")]));
        for off in ["0", "false", "OFF", "no"] {
            assert!(!run(&[("GITHUB_ACTIONS", "true"), ("ZPAKEY_CI_MASK", off)]));
        }
    }

    #[test]
    fn values_are_escaped_as_command_data() {
        assert_eq!(
            command("3|api.private.zscaler.com|a/b+c=").as_str(),
            "::add-mask::3|api.private.zscaler.com|a/b+c=\n"
        );
        assert_eq!(command("50%\r\nx").as_str(), "::add-mask::50%25%0D%0Ax\n");
    }
}
