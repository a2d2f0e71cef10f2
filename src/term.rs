//! What kind of terminal (if any) zpakey is talking to, decided once at start-up so every
//! command agrees on colour, decoration and whether a person can be asked anything.

use std::io::IsTerminal;

/// When to use colour (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Term {
    pub(crate) stdout_tty: bool,
    pub(crate) stderr_tty: bool,
    pub(crate) color: bool,
    /// A person can answer a prompt: stdin and stderr are terminals, no `--no-input`, not CI.
    pub(crate) can_prompt: bool,
}

impl Term {
    pub(crate) fn detect(choice: ColorChoice, no_input: bool) -> Term {
        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        let stdin_tty = std::io::stdin().is_terminal();
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let color = decide_color(choice, stdout_tty, &var);
        // comfy-table styles through crossterm, which reads NO_COLOR on its own; our decision
        // (where --color always beats NO_COLOR) must be the only one.
        crossterm::style::force_color_output(color);
        let ci = var("CI").is_some_and(|v| v != "0" && v != "false");
        Term {
            stdout_tty,
            stderr_tty,
            color,
            can_prompt: stdin_tty && stderr_tty && !no_input && !ci,
        }
    }
}

/// The controlling terminal's modes at start-up, restored on the way out so an interrupted
/// prompt never leaves the person's shell without echo or cursor.
#[cfg(unix)]
pub(crate) struct SavedTerminal {
    tty: std::fs::File,
    modes: rustix::termios::Termios,
}

#[cfg(unix)]
impl SavedTerminal {
    /// `None` when there is no terminal (CI, pipes): nothing to restore.
    pub(crate) fn capture() -> Option<SavedTerminal> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let tty = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .ok()?;
        let modes = rustix::termios::tcgetattr(&tty).ok()?;
        Some(SavedTerminal { tty, modes })
    }

    pub(crate) fn restore(&self) {
        use std::io::Write;
        let _ = rustix::termios::tcsetattr(
            &self.tty,
            rustix::termios::OptionalActions::Now,
            &self.modes,
        );
        // Show the cursor again, in case a picker hid it.
        let _ = (&self.tty).write_all(b"\x1b[?25h");
    }
}

#[cfg(not(unix))]
pub(crate) struct SavedTerminal;

#[cfg(not(unix))]
impl SavedTerminal {
    pub(crate) fn capture() -> Option<SavedTerminal> {
        None
    }

    pub(crate) fn restore(&self) {}
}

/// The colour rules of NO_COLOR, CLICOLOR/CLICOLOR_FORCE and TERM=dumb, with the flag first.
fn decide_color(
    choice: ColorChoice,
    stdout_tty: bool,
    var: &dyn Fn(&str) -> Option<std::ffi::OsString>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if var("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                return true;
            }
            if var("NO_COLOR").is_some()
                || var("CLICOLOR").is_some_and(|v| v == "0")
                || var("TERM").is_some_and(|v| v == "dumb")
            {
                return false;
            }
            stdout_tty
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn color(choice: ColorChoice, tty: bool, vars: &[(&str, &str)]) -> bool {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        decide_color(choice, tty, &|name| {
            map.get(name).filter(|v| !v.is_empty()).map(Into::into)
        })
    }

    #[test]
    fn colour_rules() {
        assert!(color(ColorChoice::Auto, true, &[]));
        assert!(!color(ColorChoice::Auto, false, &[]));
        assert!(!color(ColorChoice::Auto, true, &[("NO_COLOR", "1")]));
        assert!(color(ColorChoice::Auto, true, &[("NO_COLOR", "")]));
        assert!(!color(ColorChoice::Auto, true, &[("CLICOLOR", "0")]));
        assert!(!color(ColorChoice::Auto, true, &[("TERM", "dumb")]));
        assert!(color(ColorChoice::Auto, false, &[("CLICOLOR_FORCE", "1")]));
        assert!(color(ColorChoice::Always, false, &[("NO_COLOR", "1")]));
        assert!(!color(ColorChoice::Never, true, &[("CLICOLOR_FORCE", "1")]));
    }
}
