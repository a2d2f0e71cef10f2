//! What zpakey does to its own process before any work, and the signals that stop it: no core
//! dumps (a core would hold the client secret, the token and any key read), standard streams
//! that are never left closed (or the next file or socket opened would become "stdout" and
//! receive a key), and SIGINT, SIGTERM and SIGHUP all ending the run the same orderly way.

use crate::error::Kind;

/// Facts about the standard streams as zpakey found them at start-up.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Streams {
    /// Standard output was a closed descriptor (`>&-`): whatever is written goes nowhere.
    pub stdout_closed: bool,
}

/// Applies every protection; call first thing in `main`.
pub(crate) fn harden() -> Streams {
    disable_core_dumps();
    fill_closed_streams()
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

/// Points any closed standard descriptor at `/dev/null`, remembering whether stdout was one.
#[cfg(unix)]
fn fill_closed_streams() -> Streams {
    use std::os::fd::{AsFd, AsRawFd, IntoRawFd};
    fn is_closed(fd: impl AsFd) -> bool {
        rustix::io::fcntl_getfd(fd).is_err_and(|e| e == rustix::io::Errno::BADF)
    }
    let closed = [
        is_closed(std::io::stdin()),
        is_closed(std::io::stdout()),
        is_closed(std::io::stderr()),
    ];
    for (fd, closed) in closed.iter().enumerate() {
        if !closed {
            continue;
        }
        let Ok(null) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/null")
        else {
            continue;
        };
        if null.as_raw_fd() == fd as i32 {
            // It took the free number itself: keep it open for the life of the process.
            let _ = null.into_raw_fd();
            continue;
        }
        let _ = match fd {
            0 => rustix::stdio::dup2_stdin(&null),
            1 => rustix::stdio::dup2_stdout(&null),
            _ => rustix::stdio::dup2_stderr(&null),
        };
    }
    Streams {
        stdout_closed: closed[1],
    }
}

#[cfg(not(unix))]
fn fill_closed_streams() -> Streams {
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
