//! Reading the one secret a sign-in needs, from wherever resolution decided it comes from: a
//! variable, a file, a profile's command or a person at the terminal. Every read is bounded in
//! time and size, never echoes a value that might be the secret, and registers the secret
//! with the redactor the moment it is read.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use secrecy::SecretString;
use tokio::io::AsyncReadExt;
use zeroize::Zeroizing;

use super::profile::io_reason;
use crate::error::{Error, Result};
use crate::log;
use crate::perms;
use crate::redact;

/// No client secret, token or PEM key comes near this; a bigger answer is a mistake (a
/// command that prints a whole vault, a path to a large file) and is not read into memory.
pub(crate) const MAX_SECRET_BYTES: u64 = 64 * 1024;

/// Where the secret comes from; decided by precedence before anything is read or run.
pub(crate) enum SecretSource {
    /// The value of a variable, read already.
    Value(SecretString),
    File(SecretFile),
    /// A profile's `client_secret_command`.
    Command {
        profile: String,
        argv: Vec<String>,
    },
    /// Nothing is set: a person at the terminal will be asked (the commands own the prompt).
    Prompt(&'static str),
}

/// A file holding a secret, and what named it.
pub(crate) struct SecretFile {
    /// The setting that names the file: "ZSCALER_CLIENT_SECRET_FILE", "ZSCALER_PRIVATE_KEY",
    /// or "the client_secret_file of profile 'ci'".
    pub(crate) what: String,
    pub(crate) path: PathBuf,
    pub(crate) named_by: NamedBy,
}

/// Who named a secret file, which decides what a message may say about it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum NamedBy {
    /// A `*_FILE` variable; `set_instead` is the variable for the secret itself. Its value is
    /// never echoed: people put the secret itself there by mistake.
    FileVar { set_instead: &'static str },
    /// `ZSCALER_PRIVATE_KEY` holding something other than PEM text, read as a path. Never
    /// echoed either: it may be key material without its PEM header.
    PrivateKeyVar,
    /// A path in the config file, shown in messages.
    Profile,
}

/// How long a read may take and whether a person is at the terminal.
#[derive(Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) timeout: Duration,
    /// A person can answer a password manager's own prompt: the command then stays in the
    /// terminal's foreground process group.
    pub(crate) interactive: bool,
}

/// Reads the secret; `prompt` asks a person for it when that is where it comes from.
pub(crate) async fn read<P>(source: SecretSource, limits: Limits, prompt: P) -> Result<SecretString>
where
    P: AsyncFnOnce(&'static str) -> Result<SecretString>,
{
    let secret = match source {
        SecretSource::Value(value) => value,
        SecretSource::File(file) => read_file(file, limits.timeout).await?,
        SecretSource::Command { profile, argv } => run_command(&profile, &argv, limits).await?,
        SecretSource::Prompt(name) => prompt(name).await?,
    };
    redact::register_secret(&secret);
    Ok(secret)
}

async fn read_file(file: SecretFile, timeout: Duration) -> Result<SecretString> {
    if file.path.as_os_str().is_empty() {
        return Err(
            Error::credentials(format!("{} is set but empty", file.what))
                .hint("point it at a file that holds the secret"),
        );
    }
    let path = file.path.clone();
    // On a blocking thread with a deadline: the path may be a pipe nobody writes to.
    let read =
        tokio::task::spawn_blocking(move || -> std::io::Result<(Vec<u8>, std::fs::Metadata)> {
            use std::io::Read;
            let mut bytes = Vec::new();
            let file = std::fs::File::open(&path)?;
            let meta = file.metadata()?;
            file.take(MAX_SECRET_BYTES + 1).read_to_end(&mut bytes)?;
            Ok((bytes, meta))
        });
    let (bytes, meta) = match tokio::time::timeout(timeout, read).await {
        Err(_) => {
            return Err(Error::credentials(format!(
                "reading {} did not finish within --timeout {} s",
                file.subject(file.named_by == NamedBy::Profile),
                timeout.as_secs_f64()
            )));
        }
        Ok(Err(join)) => {
            return Err(Error::internal(format!(
                "reading a secret file failed: {join}"
            )));
        }
        Ok(Ok(Err(e))) => return Err(unreadable(&file, &e)),
        Ok(Ok(Ok((bytes, meta)))) => (Zeroizing::new(bytes), meta),
    };
    if bytes.len() as u64 > MAX_SECRET_BYTES {
        return Err(Error::credentials(format!(
            "{} is larger than {} KiB; it must hold only the secret",
            file.subject(file.named_by == NamedBy::Profile),
            MAX_SECRET_BYTES / 1024
        )));
    }
    // From here on the file has been read, so its path is a real path and safe to show.
    if let Some(mode) = perms::shared_mode(&meta) {
        log::warn(format_args!(
            "{} is readable by others (mode {mode:o}); run: chmod 600 {}",
            file.subject(true),
            file.path.display()
        ));
    }
    secret_text(&bytes).map_err(|bad| {
        let what = match bad {
            BadSecret::NotText => "not UTF-8 text",
            BadSecret::Blank => "empty",
        };
        Error::credentials(format!("{} is {what}", file.subject(true)))
    })
}

impl SecretFile {
    /// The file as messages name it: "the file ZSCALER_CLIENT_SECRET_FILE names" or "the
    /// client_secret_file of profile 'p'", with its path in parentheses when `with_path` (a
    /// variable's value is shown only once it has proved to be a readable path, since people
    /// put the secret itself there by mistake).
    fn subject(&self, with_path: bool) -> String {
        let subject = match self.named_by {
            NamedBy::Profile => self.what.clone(),
            _ => format!("the file {} names", self.what),
        };
        if with_path {
            format!("{subject} ({})", self.path.display())
        } else {
            subject
        }
    }
}

fn unreadable(file: &SecretFile, e: &std::io::Error) -> Error {
    let reason = io_reason(e);
    match file.named_by {
        NamedBy::FileVar { set_instead } => Error::credentials(format!(
            "cannot read the file {} names: {reason}",
            file.what
        ))
        .hint(format!(
            "{} must be the path of a file that holds the secret; to give the secret itself, set {set_instead}",
            file.what
        )),
        NamedBy::PrivateKeyVar => Error::credentials(format!(
            "{} is neither PEM text nor the path of a readable file ({reason})",
            file.what
        ))
        .hint("set it to the PEM text of an RSA private key (-----BEGIN PRIVATE KEY----- …) or to the path of a PEM file"),
        NamedBy::Profile => {
            Error::credentials(format!("cannot read {}: {reason}", file.subject(true)))
        }
    }
}

/// Runs a profile's secret command: no shell, no credential variable in its environment (it
/// needs none, and a helper that logs its environment must not log ours), bounded in time and
/// output, and killed, with anything it started, if zpakey stops waiting for it.
async fn run_command(profile: &str, argv: &[String], limits: Limits) -> Result<SecretString> {
    let Some((program, args)) = argv.split_first() else {
        return Err(Error::usage(format!(
            "profile '{profile}' has an empty client_secret_command"
        )));
    };
    let mut command = tokio::process::Command::new(program);
    command
        .args(args)
        .env_clear()
        .envs(std::env::vars_os().filter(|(name, _)| !is_credential_variable(name)))
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    // Without a person to answer it, nothing needs the terminal: a process group of its own
    // lets a timeout or Ctrl-C kill whatever the command started, too.
    #[cfg(unix)]
    if !limits.interactive {
        command.process_group(0);
    }
    let mut child = command.spawn().map_err(|e| {
        Error::credentials(format!(
            "cannot run the client_secret_command of profile '{profile}' ({program}): {}",
            io_reason(&e)
        ))
    })?;
    let group = ProcessGroup::of(&child, !limits.interactive);
    let mut stdout = child.stdout.take();
    let finished = tokio::time::timeout(limits.timeout, async {
        let mut bytes = Zeroizing::new(Vec::new());
        if let Some(out) = stdout.as_mut() {
            out.take(MAX_SECRET_BYTES + 1)
                .read_to_end(&mut bytes)
                .await?;
        }
        if bytes.len() as u64 > MAX_SECRET_BYTES {
            return Ok((bytes, None));
        }
        child.wait().await.map(|status| (bytes, Some(status)))
    })
    .await;
    let failed = |why: String| {
        Error::credentials(format!(
            "the client_secret_command of profile '{profile}' ({program}) {why}"
        ))
    };
    let (bytes, status) = match finished {
        Err(_) => {
            return Err(failed(format!(
                "did not finish within --timeout {} s",
                limits.timeout.as_secs_f64()
            ))
            .hint("raise --timeout if it waits for you, or check the command by hand"));
        }
        Ok(Err(e)) => return Err(failed(format!("could not be read: {}", io_reason(&e)))),
        Ok(Ok(done)) => done,
    };
    let Some(status) = status else {
        return Err(failed(format!(
            "printed more than {} KiB; it must print only the secret",
            MAX_SECRET_BYTES / 1024
        )));
    };
    if !status.success() {
        return Err(failed(format!("failed with {status}")));
    }
    group.disarm();
    secret_text(&bytes).map_err(|bad| {
        let what = match bad {
            BadSecret::NotText => "something that is not UTF-8 text",
            BadSecret::Blank => "nothing",
        };
        failed(format!("printed {what}"))
    })
}

/// zpakey's own settings and the SDKs' credentials: not for a secret command's environment.
pub(crate) fn is_credential_variable(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy().to_ascii_uppercase();
    ["ZSCALER_", "ZPA_", "ZPAKEY_"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

/// Kills a secret command's whole process group when dropped (timeout, error, Ctrl-C), unless
/// the command finished normally.
struct ProcessGroup(Option<u32>);

impl ProcessGroup {
    fn of(child: &tokio::process::Child, own_group: bool) -> ProcessGroup {
        ProcessGroup(child.id().filter(|_| own_group && cfg!(unix)))
    }

    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(pid) = self
            .0
            .and_then(|p| rustix::process::Pid::from_raw(p as i32))
        {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }
}

enum BadSecret {
    NotText,
    Blank,
}

/// A secret from a file or a command's output: UTF-8, trailing newlines trimmed, not blank.
fn secret_text(bytes: &[u8]) -> std::result::Result<SecretString, BadSecret> {
    let text = std::str::from_utf8(bytes).map_err(|_| BadSecret::NotText)?;
    let text = text.trim_end_matches(['\n', '\r']);
    if text.trim().is_empty() {
        return Err(BadSecret::Blank);
    }
    Ok(SecretString::from(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn secrets_are_trimmed_and_must_be_text() {
        let s = secret_text(b"s3cret\r\n\n").ok().unwrap();
        assert_eq!(s.expose_secret(), "s3cret");
        assert!(matches!(secret_text(b" \n"), Err(BadSecret::Blank)));
        assert!(matches!(secret_text(&[0xff]), Err(BadSecret::NotText)));
    }

    #[test]
    fn credential_variables_are_recognised() {
        for name in ["ZSCALER_PRIVATE_KEY", "ZPA_CLIENT_SECRET", "zpakey_profile"] {
            assert!(is_credential_variable(name.as_ref()), "{name}");
        }
        for name in ["PATH", "HOME", "SSH_AUTH_SOCK", "XZPA_X"] {
            assert!(!is_credential_variable(name.as_ref()), "{name}");
        }
    }
}
