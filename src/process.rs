//! What zpakey does to its own process before any work, and the signals that stop it: no core
//! dumps (a core would hold the client secret, the token and any key read), a stdout that was
//! closed recognised as such (a key written there goes nowhere), and SIGINT, SIGTERM and
//! SIGHUP all ending the run the same orderly way — except while `exec`'s command runs: then
//! they are the command's to act on, and zpakey passes them on (see [`Forwarder`]).

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::Kind;

/// Set while a [`Forwarder`] exists: [`stop_signal`] then leaves the signals to it.
static FORWARDING: AtomicBool = AtomicBool::new(false);

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
    let listeners = listen();
    async move {
        let Some(mut listeners) = listeners else {
            // Without handlers the default actions stay in place: nothing to wait for.
            return std::future::pending().await;
        };
        loop {
            let kind = next(&mut listeners).await;
            // Every listener hears every signal; while a command runs, the forwarder's
            // answer is the one that counts, and stopping here would kill the command.
            if !FORWARDING.load(Ordering::SeqCst) {
                return kind;
            }
        }
    }
}

/// The next of the three stop signals, as the stop it asks for.
#[cfg(unix)]
async fn next([int, term, hup]: &mut [tokio::signal::unix::Signal; 3]) -> Kind {
    tokio::select! {
        _ = int.recv() => Kind::Interrupted,
        _ = term.recv() => Kind::Terminated,
        _ = hup.recv() => Kind::HungUp,
    }
}

/// Passes SIGINT, SIGTERM and SIGHUP on to the command `exec` runs, instead of ending
/// zpakey's run: the command decides how to stop (a deploy tool may clean up first), and
/// zpakey then exits with its status. Dropping it hands the signals back to [`stop_signal`].
pub(crate) struct Forwarder {
    #[cfg(unix)]
    listeners: Option<[tokio::signal::unix::Signal; 3]>,
}

impl Forwarder {
    /// Starts listening at once, so a signal that comes before the command is started is
    /// passed on as soon as it is.
    pub(crate) fn start() -> Forwarder {
        FORWARDING.store(true, Ordering::SeqCst);
        Forwarder {
            #[cfg(unix)]
            listeners: listen(),
        }
    }

    /// The next signal to pass on, as the stop it asks for.
    pub(crate) async fn recv(&mut self) -> Kind {
        #[cfg(unix)]
        if let Some(listeners) = &mut self.listeners {
            loop {
                match next(listeners).await {
                    // Ctrl-C at a terminal signals its whole foreground process group, the
                    // command included; a second SIGINT from us would read as "pressed again:
                    // quit now, skip the clean-up" (Terraform does that).
                    Kind::Interrupted if keyboard_reaches_command() => {}
                    kind => return kind,
                }
            }
        }
        std::future::pending().await
    }
}

impl Drop for Forwarder {
    fn drop(&mut self) {
        FORWARDING.store(false, Ordering::SeqCst);
    }
}

/// Listeners for the three stop signals, or none if one cannot be installed (then the
/// default actions, or [`stop_signal`]'s, stay in place).
#[cfg(unix)]
fn listen() -> Option<[tokio::signal::unix::Signal; 3]> {
    use tokio::signal::unix::{SignalKind, signal};
    Some([
        signal(SignalKind::interrupt()).ok()?,
        signal(SignalKind::terminate()).ok()?,
        signal(SignalKind::hangup()).ok()?,
    ])
}

/// Sends the process `pid` the signal that asks for `stop`.
#[cfg(unix)]
pub(crate) fn send_signal(pid: u32, stop: Kind) {
    use rustix::process::{Pid, Signal, kill_process};
    let signal = match stop {
        Kind::Interrupted => Signal::INT,
        Kind::HungUp => Signal::HUP,
        _ => Signal::TERM,
    };
    if let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) {
        // The command may have just exited; there is nothing to do then.
        let _ = kill_process(pid, signal);
    }
}

#[cfg(not(unix))]
pub(crate) fn send_signal(_pid: u32, _stop: Kind) {}

/// Whether zpakey (and so the command, which shares its process group) is in the foreground
/// of its controlling terminal, where a Ctrl-C reaches both directly.
#[cfg(unix)]
fn keyboard_reaches_command() -> bool {
    let Ok(tty) = std::fs::File::open("/dev/tty") else {
        return false;
    };
    rustix::termios::tcgetpgrp(&tty).is_ok_and(|group| group == rustix::process::getpgrp())
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
