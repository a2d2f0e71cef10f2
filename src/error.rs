//! One place that turns failures into the documented exit codes and stderr text, so every
//! command reports errors the same way (CLI.md "Exit codes").

use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;

use crate::redact;

/// The kinds of failure CLI.md distinguishes; each has one exit code and one JSON `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Anything not covered below (exit 1).
    Internal,
    /// A bad flag or value (exit 2).
    Usage,
    /// Credentials missing, rejected or not permitted (exit 3).
    Credentials,
    /// No key matches (exit 4).
    NotFound,
    /// More than one key matches (exit 5).
    Ambiguous,
    /// The API or network failed after retries, or answered something unreadable (exit 6).
    Api,
    /// The key exists but cannot be used or revealed (exit 7).
    Unusable,
    /// `exec`'s command exists but cannot be run: not executable, a directory (exit 126).
    CannotExecute,
    /// `exec`'s command was not found (exit 127).
    CommandNotFound,
    /// Ctrl-C, SIGINT (exit 130).
    Interrupted,
    /// SIGTERM, what CI cancellation sends (exit 143).
    Terminated,
    /// SIGHUP, the terminal went away (exit 129).
    HungUp,
}

impl Kind {
    pub(crate) fn exit_code(self) -> u8 {
        match self {
            Kind::Internal => 1,
            Kind::Usage => 2,
            Kind::Credentials => 3,
            Kind::NotFound => 4,
            Kind::Ambiguous => 5,
            Kind::Api => 6,
            Kind::Unusable => 7,
            Kind::CannotExecute => 126,
            Kind::CommandNotFound => 127,
            Kind::Interrupted => 130,
            Kind::Terminated => 143,
            Kind::HungUp => 129,
        }
    }

    /// The stable snake_case name scripts see in the JSON error envelope.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Kind::Internal => "internal",
            Kind::Usage => "usage",
            Kind::Credentials => "credentials",
            Kind::NotFound => "not_found",
            Kind::Ambiguous => "ambiguous",
            Kind::Api => "api",
            Kind::Unusable => "unusable",
            Kind::CannotExecute => "cannot_execute",
            Kind::CommandNotFound => "command_not_found",
            Kind::Interrupted => "interrupted",
            Kind::Terminated => "terminated",
            Kind::HungUp => "hangup",
        }
    }

    /// The message of a run stopped by a signal.
    pub(crate) fn signal_message(self) -> &'static str {
        match self {
            Kind::Terminated => "terminated",
            Kind::HungUp => "hung up",
            _ => "interrupted",
        }
    }
}

/// A failure that knows its exit code, its one-line message and the hints that help a person.
#[derive(Debug, Clone)]
pub(crate) struct Error {
    pub(crate) kind: Kind,
    pub(crate) message: String,
    /// Extra lines printed after the message in text mode (e.g. the candidates of exit 5).
    pub(crate) details: Vec<String>,
    pub(crate) hints: Vec<String>,
}

impl Error {
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            details: Vec::new(),
            hints: Vec::new(),
        }
    }

    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::new(Kind::Usage, message)
    }

    pub(crate) fn credentials(message: impl Into<String>) -> Self {
        Self::new(Kind::Credentials, message)
    }

    pub(crate) fn api(message: impl Into<String>) -> Self {
        Self::new(Kind::Api, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::new(Kind::Internal, message)
    }

    /// The run was stopped by SIGINT, SIGTERM or SIGHUP (`kind` says which).
    pub(crate) fn stopped(kind: Kind) -> Self {
        Self::new(kind, kind.signal_message())
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub(crate) fn detail(mut self, line: impl Into<String>) -> Self {
        self.details.push(line.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

/// The status of the command `exec` ran, which becomes zpakey's own, silently: the command
/// has said what went wrong, if anything, and scripts test its status as if zpakey were not
/// there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ChildStatus(pub(crate) u8);

impl fmt::Display for ChildStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the command exited with status {}", self.0)
    }
}

impl std::error::Error for ChildStatus {}

/// Turns the outcome of a command into an exit code, printing the error to stderr.
///
/// A closed stdout (`zpakey list | head -c1`) is success: Rust ignores SIGPIPE, so the write
/// fails with `BrokenPipe` instead of killing us, and the reader already has what it wanted.
pub(crate) fn report(result: anyhow::Result<()>, json: bool) -> ExitCode {
    let err = match result {
        Ok(()) => return ExitCode::SUCCESS,
        Err(err) => err,
    };
    if let Some(ChildStatus(code)) = err.downcast_ref::<ChildStatus>() {
        return ExitCode::from(*code);
    }
    if is_broken_pipe(&err) {
        return ExitCode::SUCCESS;
    }
    let owned;
    let error = match err.downcast_ref::<Error>() {
        Some(e) => e,
        None => {
            owned = Error::new(Kind::Internal, format!("{err:#}"));
            &owned
        }
    };
    print_error(error, json);
    ExitCode::from(error.kind.exit_code())
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Writes an error as CLI.md prescribes: text lines, or one JSON object under `-o json`.
pub(crate) fn print_error(error: &Error, json: bool) {
    let text = if json {
        let mut message = error.message.clone();
        for line in &error.details {
            message.push_str("; ");
            message.push_str(line.trim());
        }
        let envelope = serde_json::json!({
            "error": {
                "code": error.kind.code(),
                "exit": error.kind.exit_code(),
                "message": redact::clean(&message),
            }
        });
        format!("{envelope}\n")
    } else {
        let mut text = format!("zpakey: error: {}\n", redact::clean(&error.message));
        for line in &error.details {
            text.push_str(&redact::clean(line));
            text.push('\n');
        }
        for hint in &error.hints {
            text.push_str("hint: ");
            text.push_str(&redact::clean(hint));
            text.push('\n');
        }
        text
    };
    // Nothing sensible is left to do if stderr itself is gone.
    let _ = io::stderr().lock().write_all(text.as_bytes());
}
