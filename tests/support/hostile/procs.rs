//! Processes and files: finding, signalling and killing leftover processes, and the file
//! modes and names the cases inspect.

use std::path::Path;
use std::time::{Duration, Instant};

/// The pids of processes whose command line holds exactly `arg` as one argument.
pub fn pids_with_arg(arg: &str) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|cmdline| cmdline.split(|b| *b == 0).any(|a| a == arg.as_bytes()))
        })
        .collect()
}

/// Waits up to `within` for every process holding `arg` to be gone; returns the survivors.
pub fn survivors(arg: &str, within: Duration) -> Vec<i32> {
    let until = Instant::now() + within;
    loop {
        let pids = pids_with_arg(arg);
        if pids.is_empty() || Instant::now() >= until {
            return pids;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Kills, by pid, the leftovers of a case (processes zpakey started and failed to stop), so
/// one failing case does not leave sleepers behind for the rest of the suite.
pub fn kill_leftovers(arg: &str) {
    for pid in pids_with_arg(arg) {
        // SAFETY: kill(2) on a pid we just found carrying the case's unique argument.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
}

/// Whether `pid` has a handler installed for `signal` (the SigCgt mask of /proc/PID/status).
pub fn catches(pid: i32, signal: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("SigCgt:"))
                .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        })
        .is_some_and(|mask| mask & (1u64 << (signal - 1)) != 0)
}

/// The names in `dir`, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// zpakey's temporary files (`.zpakey-*.tmp`) left in `dir`.
pub fn temp_files_in(dir: &Path) -> Vec<String> {
    names_in(dir)
        .into_iter()
        .filter(|n| n.starts_with(".zpakey-"))
        .collect()
}

/// Sets a file's or directory's mode.
pub fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Whether the tests run as root (some cases need it to set up ownership or devices).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A number for making a case's process arguments unique (pids are, per test process).
pub fn nonce() -> String {
    format!("{:06}", fastrand::u32(0..1_000_000))
}
