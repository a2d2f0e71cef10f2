//! What zpakey does to its own process before any work, and the signals that stop it: no core
//! dumps (a core would hold the client secret, the token and any key read), a stdout that was
//! closed recognised as such (a key written there goes nowhere), and SIGINT, SIGTERM and
//! SIGHUP all ending the run the same orderly way.

use crate::error::Kind;

/// Facts about the standard streams as zpakey found them at start-up.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Streams {
    /// Standard output was a closed descriptor (`>&-`): whatever is written goes nowhere.
    pub(crate) stdout_closed: bool,
}

/// Applies every protection; call first thing in `main`.
pub(crate) fn harden() -> Streams {
    disable_core_dumps();
    closed_streams()
}

#[cfg(unix)]
fn disable_core_dumps() {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let none = Rlimit {
        current: Some(0),
        maximum: Some(0),
    };
    // Best effort: neither call can fail for an ordinary process, and neither failure would
    // be a reason not to run.
    let _ = setrlimit(Resource::Core, none);
    // Also keeps other processes of this user from attaching a debugger and reading memory.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let _ = rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable);
}

#[cfg(not(unix))]
fn disable_core_dumps() {}

/// Whether stdout was closed when zpakey started. Rust's runtime, before `main`, points a
/// closed standard descriptor at `/dev/null`, opened read-write (so no later file or socket
/// can take its number); that is what is looked for here. A shell's `>/dev/null` opens it
/// write-only, so a deliberate discard is not mistaken for a closed stdout.
#[cfg(unix)]
fn closed_streams() -> Streams {
    use rustix::fs::{FileType, OFlags};
    let stdout = std::io::stdout();
    let read_write =
        rustix::fs::fcntl_getfl(&stdout).is_ok_and(|flags| flags & OFlags::RWMODE == OFlags::RDWR);
    let is_null = match (rustix::fs::fstat(&stdout), rustix::fs::stat("/dev/null")) {
        (Ok(out), Ok(null)) => {
            FileType::from_raw_mode(out.st_mode) == FileType::CharacterDevice
                && out.st_rdev == null.st_rdev
        }
        _ => false,
    };
    Streams {
        stdout_closed: read_write && is_null,
    }
}

#[cfg(not(unix))]
fn closed_streams() -> Streams {
    Streams::default()
}

/// Installs the handlers at once (so a signal from now on is ours to handle, not fatal) and
/// returns a future that resolves to the kind of stop the first signal asks for.
#[cfg(unix)]
pub(crate) fn stop_signal() -> impl Future<Output = Kind> {
    use tokio::signal::unix::{SignalKind, signal};
    let int = signal(SignalKind::interrupt());
    let term = signal(SignalKind::terminate());
    let hup = signal(SignalKind::hangup());
    async move {
        match (int, term, hup) {
            (Ok(mut int), Ok(mut term), Ok(mut hup)) => tokio::select! {
                _ = int.recv() => Kind::Interrupted,
                _ = term.recv() => Kind::Terminated,
                _ = hup.recv() => Kind::HungUp,
            },
            // Without handlers the default actions stay in place: nothing to wait for.
            _ => std::future::pending().await,
        }
    }
}

#[cfg(not(unix))]
pub(crate) fn stop_signal() -> impl Future<Output = Kind> {
    async {
        match tokio::signal::ctrl_c().await {
            Ok(()) => Kind::Interrupted,
            Err(_) => std::future::pending().await,
        }
    }
}
