//! The reaping helper: a copy of the test binary that forks zpakey and measures it with
//! wait4, so that peak RSS is zpakey's own and not the test's.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// Why a helper measures zpakey.
//
// ru_maxrss from wait4 is the high-water mark of the child's *process*, and Linux folds into
// it the memory image the child had before exec: with posix_spawn/vfork that is the parent's
// whole address space, with fork a copy of it. The test process runs many tests and grows to
// tens of MiB, so wait4 on a child it spawned reports the test process, not zpakey (measured:
// a 200 MiB test process makes /bin/true "use" 200 MiB). So zpakey is started by a tiny
// helper: this test binary re-executed with a spec directory in the environment, caught by an
// `.init_array` hook before libtest even starts. The helper spawns zpakey, waits for it with
// wait4 and writes the status and ru_maxrss to the spec directory; its own footprint (a few
// MiB at most) is all that can leak into the figure.
// ---------------------------------------------------------------------------------------

/// Runs longer than this are killed and reported as hangs. A hang detector, not a timing
/// assertion: cases that promise promptness assert their own, tighter bounds.
pub const HANG_GUARD: Duration = Duration::from_secs(60);
/// Peak resident memory every hostile run must stay under.
pub const MAX_RSS_KIB: i64 = 50 * 1024;

/// Names the helper's spec directory; its presence makes a run of the test binary a helper.
pub(super) const HELPER_VAR: &str = "__ZPAKEY_HOSTILE_HELPER";
/// How long a helper waits for the test to let it reap zpakey before doing so anyway.
const HELPER_PATIENCE: Duration = Duration::from_secs(300);

#[used]
#[unsafe(link_section = ".init_array")]
static HELPER_HOOK: extern "C" fn() = helper_hook;

/// Runs before `main` in every start of the test binary; returns at once unless started as a
/// helper, in which case it never returns.
extern "C" fn helper_hook() {
    let Some(dir) = std::env::var_os(HELPER_VAR) else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let outcome = helper(&dir);
    if let Err(error) = outcome {
        let _ = std::fs::write(dir.join("status"), format!("error {error}\n"));
        let _ = std::fs::write(dir.join("exited"), "");
    }
    // SAFETY: ends the helper without running libtest or any destructor.
    unsafe { libc::_exit(0) }
}

/// The helper: spawn zpakey as the spec says, publish its pid, wait until it exits, wait for
/// the test's go-ahead (so the pid stays a zombie, never reused, while the test may still
/// signal it), reap it with wait4 and publish status and peak RSS.
fn helper(dir: &Path) -> std::io::Result<()> {
    let spec = std::fs::read(dir.join("spec"))?;
    // Every field ends with a NUL; empty fields (an empty argument) are kept.
    let spec = spec.strip_suffix(&[0]).unwrap_or(&spec);
    let mut fields = spec.split(|b| *b == 0).map(|f| {
        use std::os::unix::ffi::OsStrExt;
        std::ffi::OsStr::from_bytes(f).to_owned()
    });
    let program = fields
        .next()
        .ok_or_else(|| std::io::Error::other("empty spec"))?;
    let flags = fields.next().unwrap_or_default();
    let flags = flags.to_string_lossy();
    let mut cmd = std::process::Command::new(program);
    cmd.args(fields).env_remove(HELPER_VAR);
    let (close_stdout, unlimited_core) = (
        flags.contains("close-stdout"),
        flags.contains("unlimited-core"),
    );
    // SAFETY: close, setrlimit and getrlimit are async-signal-safe system calls.
    unsafe {
        cmd.pre_exec(move || {
            if unlimited_core {
                let unlimited = libc::rlimit {
                    rlim_cur: libc::RLIM_INFINITY,
                    rlim_max: libc::RLIM_INFINITY,
                };
                if libc::setrlimit(libc::RLIMIT_CORE, &unlimited) != 0 {
                    let mut current = libc::rlimit {
                        rlim_cur: 0,
                        rlim_max: 0,
                    };
                    libc::getrlimit(libc::RLIMIT_CORE, &mut current);
                    current.rlim_cur = current.rlim_max;
                    libc::setrlimit(libc::RLIMIT_CORE, &current);
                }
            }
            if close_stdout {
                libc::close(1);
            }
            Ok(())
        });
    }
    let child = cmd.spawn()?;
    let pid = child.id() as i32;
    std::fs::write(dir.join("pid.tmp"), pid.to_string())?;
    std::fs::rename(dir.join("pid.tmp"), dir.join("pid"))?;
    // Wait for the end without reaping.
    loop {
        // SAFETY: an all-zero siginfo_t is a valid out-value.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: waitid on our own child with a valid out-pointer.
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if r == 0 {
            break;
        }
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return Err(std::io::Error::last_os_error());
        }
    }
    std::fs::write(dir.join("exited"), "")?;
    let patience = Instant::now() + HELPER_PATIENCE;
    while !dir.join("reap").exists() && Instant::now() < patience {
        std::thread::sleep(Duration::from_millis(2));
    }
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid out-value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own (exited) child with valid out-pointers.
    while unsafe { libc::wait4(pid, &mut status, 0, &mut usage) } != pid {
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return Err(std::io::Error::last_os_error());
        }
    }
    let end = if libc::WIFEXITED(status) {
        format!("exit {}", libc::WEXITSTATUS(status))
    } else if libc::WIFSIGNALED(status) {
        format!(
            "signal {} {}",
            libc::WTERMSIG(status),
            u8::from(libc::WCOREDUMP(status))
        )
    } else {
        format!("unknown {status}")
    };
    std::fs::write(
        dir.join("status.tmp"),
        format!("{end}\nmaxrss {}\n", usage.ru_maxrss),
    )?;
    std::fs::rename(dir.join("status.tmp"), dir.join("status"))
}
