//! Running one zpakey process and measuring it the way a user experiences it: wall time from
//! spawn to exit, and the peak resident memory of that process alone.
//!
//! Peak RSS needs care. `wait4` returns a child's own `ru_maxrss`, but Linux folds into it the
//! high-water mark of the memory the child had before `exec` — with `posix_spawn`'s vfork,
//! this benchmark's own memory, which holds a simulated tenant of 10,000 keys. So the bench
//! does not spawn zpakey itself: it re-executes its own binary as a small launcher
//! ([`LAUNCH_FLAG`]), which spawns zpakey, reaps it with `wait4` and writes the numbers to a
//! report file. zpakey's figure then includes at most the launcher's few MiB, which the
//! report states ([`Outcome::launcher_rss`]).

use std::ffi::OsString;
use std::io;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, LazyLock, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// First argument that turns the bench binary into the launcher. Not a flag cargo passes.
pub const LAUNCH_FLAG: &str = "--zpakey-bench-launch";

/// A process to run: program, arguments and its entire environment.
#[derive(Debug, Clone)]
pub struct Spec {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub env: Vec<(OsString, OsString)>,
}

impl Spec {
    pub fn new(program: &Path) -> Spec {
        Spec {
            program: program.to_path_buf(),
            args: Vec::new(),
            env: Vec::new(),
        }
    }

    pub fn arg(&mut self, arg: impl Into<OsString>) -> &mut Spec {
        self.args.push(arg.into());
        self
    }

    pub fn env(&mut self, name: impl Into<OsString>, value: impl Into<OsString>) -> &mut Spec {
        self.env.push((name.into(), value.into()));
        self
    }
}

/// What one process did.
#[derive(Debug)]
pub struct Outcome {
    pub wall: Duration,
    /// `ru_maxrss` in bytes.
    pub peak_rss: u64,
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Killed for running longer than the timeout.
    pub timed_out: bool,
    /// The launcher's own peak RSS in bytes when it spawned the child: `peak_rss` cannot be
    /// below it, so a `peak_rss` equal to it is an upper bound.
    pub launcher_rss: u64,
    /// When the child was spawned and seen to exit, on this process's clock, to set against
    /// the simulator's request log.
    pub spawned: Instant,
    pub exited: Instant,
}

/// The same moment as an `Instant` and as raw `CLOCK_MONOTONIC` (which `Instant` reads on
/// Linux), so that times the launcher reports can be placed on this process's timeline.
static ANCHOR: LazyLock<(Instant, u64)> = LazyLock::new(|| (Instant::now(), monotonic_ns()));

/// Fixes the anchor now, before any run, so that every reported time comes after it.
pub fn init_clock() {
    LazyLock::force(&ANCHOR);
}

fn to_instant(mono_ns: u64) -> Instant {
    let (instant, anchor_ns) = *ANCHOR;
    instant + Duration::from_nanos(mono_ns.saturating_sub(anchor_ns))
}

fn monotonic_ns() -> u64 {
    // SAFETY: timespec is plain data, for which all zeroes is a valid value.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    let secs = u64::try_from(ts.tv_sec).unwrap_or(0);
    let nanos = u64::try_from(ts.tv_nsec).unwrap_or(0);
    secs * 1_000_000_000 + nanos
}

/// Runs `spec` to completion through the launcher, with stdin closed and stdout/stderr
/// captured. A process that outlives `timeout` is killed, so that a hung scenario costs one
/// row, not the whole benchmark.
pub fn run(spec: &Spec, timeout: Duration) -> io::Result<Outcome> {
    let dir = tempfile::tempdir()?;
    let report = dir.path().join("report");
    let output = Command::new(std::env::current_exe()?)
        .arg(LAUNCH_FLAG)
        .arg(&report)
        .arg(timeout.as_millis().to_string())
        .arg(&spec.program)
        .args(&spec.args)
        // The launcher's environment is exactly zpakey's: zpakey inherits it unchanged.
        .env_clear()
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .output()?;
    let text = std::fs::read_to_string(&report).map_err(|e| {
        io::Error::other(format!(
            "the launcher wrote no report ({e}); it exited {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    })?;
    let fields: Vec<u64> = text
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|e| io::Error::other(format!("unreadable launcher report {text:?}: {e}")))?;
    let [
        wall_ns,
        rss_kib,
        status,
        timed_out,
        launcher_kib,
        spawned,
        exited,
    ] = fields[..]
    else {
        return Err(io::Error::other(format!("bad launcher report {text:?}")));
    };
    Ok(Outcome {
        wall: Duration::from_nanos(wall_ns),
        peak_rss: rss_kib * 1024,
        status: ExitStatus::from_raw(i32::try_from(status).map_err(io::Error::other)?),
        stdout: output.stdout,
        stderr: output.stderr,
        timed_out: timed_out != 0,
        launcher_rss: launcher_kib * 1024,
        spawned: to_instant(spawned),
        exited: to_instant(exited),
    })
}

/// The launcher's `main`: `LAUNCH_FLAG REPORT TIMEOUT_MS PROGRAM ARGS…`. Runs PROGRAM with
/// the inherited stdio and environment, then writes `wall_ns maxrss_kib wait_status
/// timed_out launcher_maxrss_kib spawned_ns exited_ns` to REPORT, the last two on
/// `CLOCK_MONOTONIC`. Its exit code only says whether that worked.
pub fn launcher_main(args: &[OsString]) -> i32 {
    let [report, timeout, program, rest @ ..] = args else {
        eprintln!("usage: {LAUNCH_FLAG} REPORT TIMEOUT_MS PROGRAM [ARGS...]");
        return 2;
    };
    let Some(timeout) = timeout.to_str().and_then(|t| t.parse().ok()) else {
        eprintln!("{LAUNCH_FLAG}: bad timeout {timeout:?}");
        return 2;
    };
    let own_kib = own_peak_rss_kib();
    match spawn_and_reap(program, rest, Duration::from_millis(timeout)) {
        Ok(Reaped {
            spawned,
            exited,
            rss_kib,
            status,
            timed_out,
        }) => {
            let line = format!(
                "{} {rss_kib} {status} {} {own_kib} {spawned} {exited}\n",
                exited.saturating_sub(spawned),
                u8::from(timed_out)
            );
            match std::fs::write(report, line) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("{LAUNCH_FLAG}: cannot write the report: {e}");
                    1
                }
            }
        }
        Err(e) => {
            eprintln!("{LAUNCH_FLAG}: cannot run {program:?}: {e}");
            1
        }
    }
}

/// The launcher's own peak RSS in KiB, from `/proc/self/status`: the floor under the child's
/// figure, which includes the memory it was spawned from. 0 if unreadable.
fn own_peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// What the launcher saw of its child.
struct Reaped {
    /// `CLOCK_MONOTONIC` just before spawning and just after the child was seen to exit.
    spawned: u64,
    exited: u64,
    rss_kib: u64,
    /// The raw wait status.
    status: i32,
    timed_out: bool,
}

/// Spawns, waits (killing at `timeout`) and reaps.
fn spawn_and_reap(program: &OsString, args: &[OsString], timeout: Duration) -> io::Result<Reaped> {
    let spawned = monotonic_ns();
    let mut child = Command::new(program).args(args).spawn()?;
    let pid = libc::pid_t::try_from(child.id()).map_err(io::Error::other)?;

    let done = Arc::new((Mutex::new(false), Condvar::new()));
    let watchdog = {
        let done = done.clone();
        thread::spawn(move || {
            let (lock, cvar) = &*done;
            let Ok(guard) = lock.lock() else {
                return false;
            };
            let Ok((guard, _)) = cvar.wait_timeout_while(guard, timeout, |done| !*done) else {
                return false;
            };
            if *guard {
                return false;
            }
            // Still holding the lock, and the main thread only reaps after taking it, so the
            // pid is still ours (running or a zombie), never a recycled one.
            // SAFETY: kill(2) with a valid signal number has no memory-safety preconditions.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            true
        })
    };

    let waited = wait_exited(pid);
    let exited = monotonic_ns();
    {
        let (lock, cvar) = &*done;
        if let Ok(mut flag) = lock.lock() {
            *flag = true;
        }
        cvar.notify_all();
    }
    let timed_out = watchdog.join().unwrap_or(false);
    if let Err(e) = waited {
        let _ = child.kill();
        let _ = child.wait();
        return Err(e);
    }
    let (status, rss_kib) = reap(pid)?;
    Ok(Reaped {
        spawned,
        exited,
        rss_kib,
        status,
        timed_out,
    })
}

/// Blocks until `pid` has exited, leaving it unreaped (`WNOWAIT`) so that the watchdog can
/// never signal a pid the kernel has already handed to another process.
fn wait_exited(pid: libc::pid_t) -> io::Result<()> {
    let id = libc::id_t::try_from(pid).map_err(io::Error::other)?;
    loop {
        // SAFETY: siginfo_t is plain data, for which all zeroes is a valid value.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: `info` is a valid, writable siginfo_t for the duration of the call.
        let rc = unsafe { libc::waitid(libc::P_PID, id, &mut info, libc::WEXITED | libc::WNOWAIT) };
        if rc == 0 {
            return Ok(());
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// Reaps `pid`, returning its raw wait status and its peak RSS in KiB (Linux's unit).
fn reap(pid: libc::pid_t) -> io::Result<(i32, u64)> {
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: rusage is plain data, for which all zeroes is a valid value.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `status` and `usage` are valid and writable for the duration of the call.
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if rc == pid {
            return Ok((status, u64::try_from(usage.ru_maxrss).unwrap_or(0)));
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}
