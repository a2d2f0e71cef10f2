//! `zpakey exec`: hands a key to the program that consumes it (the connector image reads
//! `ZPA_PROVISION_KEY`) through that program's environment, so it never passes through argv
//! (`ps`), a file, or a shell variable (`set -x`), and masks it in what the program prints,
//! because CI logs keep everything. From the moment the command starts, zpakey steps aside:
//! its exit status is the command's, and stop signals are the command's to act on.

mod relay;

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::process::{ExitStatus, Stdio};

use secrecy::{ExposeSecret, SecretString};

use crate::cli::ExecArgs;
use crate::commands::{Context, Session, handout};
use crate::config::secrets::is_credential_variable;
use crate::error::{ChildStatus, Error, Kind};
use crate::escape::escape;
use crate::log;
use crate::process::Forwarder;

pub(crate) async fn run(
    session: &mut Session,
    args: &ExecArgs,
    ctx: &Context,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    // clap requires a command; checked here too, before any request, to name the program.
    let Some((program, program_args)) = args.argv.split_first() else {
        return Err(Error::usage("give the command to run after --").into());
    };
    let key = session.select(&args.selector, ctx).await?;
    let value = handout::value(
        &key,
        ctx,
        &args.health,
        args.allow_unusable,
        handout::Use {
            verb: "hand it over",
            doing: "handing over",
        },
    )?;
    let masking = !args.no_masking;
    log::info(format_args!(
        "running {} with key '{}' (id {}, {}) in {}{}",
        shown(program),
        key.name,
        key.id,
        key.key_type,
        args.env_name,
        if masking { "" } else { ", output not masked" }
    ));
    // Listening before the command starts: a signal that comes meanwhile is passed on as soon
    // as the command exists, rather than ending zpakey with the command half-started.
    let forwarder = Forwarder::start();
    let child = command(program, program_args, &args.env_name, value, masking)
        .spawn()
        .map_err(|e| not_started(program, &e))?;
    let status = relay::run(child, &relay::secrets(value), forwarder, out).await?;
    match exit_code(status) {
        0 => Ok(()),
        code => Err(ChildStatus(code).into()),
    }
}

/// The command as it will run: no shell, the key only in `--env`'s variable, and none of
/// zpakey's own credentials (it needs none, and a program that logs its environment must not
/// log them).
fn command(
    program: &OsStr,
    args: &[OsString],
    name: &str,
    value: &SecretString,
    masking: bool,
) -> tokio::process::Command {
    let name = OsStr::new(name);
    let mut command = tokio::process::Command::new(program);
    command
        .args(args)
        .env_clear()
        .envs(std::env::vars_os().filter(|(var, _)| var != name && !is_credential_variable(var)))
        // The one place `exec` exposes the key: the command's environment, as asked.
        .env(name, value.expose_secret())
        .stdin(Stdio::inherit())
        // Only if zpakey itself fails while the command runs: never leave it behind.
        .kill_on_drop(true);
    if masking {
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
    } else {
        command.stdout(Stdio::inherit()).stderr(Stdio::inherit());
    }
    command
}

/// The shell's codes for a command that could not be started: 127 not found, 126 found but
/// not executable (permissions, a directory, not a program).
fn not_started(program: &OsStr, e: &io::Error) -> Error {
    let shown = shown(program);
    if e.kind() == io::ErrorKind::NotFound {
        let hint = if program.to_string_lossy().contains('/') {
            "check the path".to_owned()
        } else {
            "check the name, and that its directory is on PATH".to_owned()
        };
        return Error::new(
            Kind::CommandNotFound,
            format!("cannot run '{shown}': command not found"),
        )
        .hint(hint);
    }
    let why = match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied (not an executable file)".to_owned(),
        _ => e.to_string(),
    };
    Error::new(Kind::CannotExecute, format!("cannot run '{shown}': {why}"))
}

/// A program name as messages show it: it comes from the command line, and may carry control
/// characters.
fn shown(program: &OsStr) -> String {
    escape(&program.to_string_lossy()).into_owned()
}

/// The command's status as zpakey's exit code, as a shell reports it: 128+N when signal N
/// ended it.
fn exit_code(status: ExitStatus) -> u8 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return u8::try_from(128 + signal).unwrap_or(u8::MAX);
        }
    }
    status
        .code()
        .map_or(1, |code| u8::try_from(code & 0xff).unwrap_or(1))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn statuses_become_exit_codes_as_a_shell_reports_them() {
        // Raw wait statuses: the exit code in the second byte, a signal in the first.
        assert_eq!(exit_code(ExitStatus::from_raw(0)), 0);
        assert_eq!(exit_code(ExitStatus::from_raw(42 << 8)), 42);
        assert_eq!(exit_code(ExitStatus::from_raw(255 << 8)), 255);
        assert_eq!(exit_code(ExitStatus::from_raw(15)), 143);
        assert_eq!(exit_code(ExitStatus::from_raw(9)), 137);
    }

    #[test]
    fn commands_that_cannot_start_are_126_or_127() {
        let missing = not_started(OsStr::new("nope"), &io::ErrorKind::NotFound.into());
        assert_eq!(missing.kind.exit_code(), 127);
        assert_eq!(missing.message, "cannot run 'nope': command not found");
        let denied = not_started(
            OsStr::new("./x\x1b[2J"),
            &io::ErrorKind::PermissionDenied.into(),
        );
        assert_eq!(denied.kind.exit_code(), 126);
        assert_eq!(
            denied.message,
            "cannot run './x\\e[2J': permission denied (not an executable file)"
        );
    }

    #[test]
    fn the_key_and_its_material_are_masked() {
        let key = SecretString::from("3|api.private.zscaler.com|Xk9qP0ZtR2w=");
        assert_eq!(
            relay::secrets(&key),
            [
                b"3|api.private.zscaler.com|Xk9qP0ZtR2w=".as_slice(),
                b"Xk9qP0ZtR2w="
            ]
        );
        // Material too short to mask on its own would shred unrelated output.
        let short = SecretString::from("3|h|abc");
        assert_eq!(relay::secrets(&short), [b"3|h|abc".as_slice()]);
    }
}
