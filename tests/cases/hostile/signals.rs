//! Hostile endings: SIGTERM and SIGHUP in the middle of `reveal --out-file` (once while the API
//! stalls, and thirty times at random moments), and SIGABRT, which must not leave a core file
//! full of secrets (issue 10, cases h and m).

use std::time::{Duration, Instant};

use zpa_sim::{EnvMode, Fault, Sim, SimHandle};

use crate::support::hostile::{
    Leaks, Running, Zpakey, catches, is_root, names_in, temp_files_in, verdict,
};
use crate::support::{REVEAL_58856, value_of};

/// Waits until zpakey has signed in to `sim` (its GET is then stalled in flight).
fn wait_for_stalled_get(sim: &SimHandle, running: &Running) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !sim.requests().iter().any(|r| r.path == "/oauth2/v1/token")
        && Instant::now() < deadline
        && !running.has_exited()
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    // The sim logs a stalled request only when it ends; give the GET time to be sent.
    std::thread::sleep(Duration::from_millis(300));
}

fn stalled_sim() -> SimHandle {
    let sim = Sim::builder().rate_limit(false).start().unwrap();
    sim.inject(Fault::Stall(Duration::from_secs(120)), 10);
    sim
}

fn signal_during_stall(signal: i32, code: i32, name: &str) {
    let sim = stalled_sim();
    let dir = tempfile::tempdir().unwrap();
    let mut running = Zpakey::new(&sim.env(EnvMode::OneApi))
        .args(REVEAL_58856)
        .arg("--out-file")
        .arg(dir.path().join("key"))
        .spawn();
    wait_for_stalled_get(&sim, &running);
    running.signal(signal);
    let run = running.wait();
    let case = format!("h: {name} while the API stalls");
    // The API stalls for 120 s and then answers: the documented code, rather than a key
    // written and exit 0, shows the signal ended the run.
    let mut problems = run.problems(&case, &[code], &Leaks::of_sim(&sim), None);
    let left = names_in(dir.path());
    if !left.is_empty() {
        problems.push(format!("{case}: left in the directory: {left:?}"));
    }
    verdict(problems);
}

#[test]
fn h_sigterm_during_reveal_out_file_exits_143_and_leaves_nothing() {
    signal_during_stall(libc::SIGTERM, 143, "SIGTERM");
}

#[test]
fn h_sighup_during_reveal_out_file_exits_129_and_leaves_nothing() {
    signal_during_stall(libc::SIGHUP, 129, "SIGHUP");
}

#[test]
fn h_sigterm_at_random_moments_never_leaves_a_partial_key_file() {
    // Slow enough answers that most SIGTERMs land while zpakey works, with its handler in.
    let sim = Sim::builder()
        .rate_limit(false)
        .latency(Duration::from_millis(100))
        .start()
        .unwrap();
    let value = value_of(sim.tenant(), "58856");
    let mut problems = Vec::new();
    let (mut wrote, mut handled, mut raw) = (0, 0, 0);
    for i in 0..30 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        let mut running = Zpakey::new(&sim.env(EnvMode::OneApi))
            .args(REVEAL_58856)
            .arg("--out-file")
            .arg(&path)
            .spawn();
        std::thread::sleep(Duration::from_millis(fastrand::u64(0..=300)));
        // A SIGTERM that lands before zpakey installs its handler kills it the default way;
        // that is the kernel's doing, not zpakey's. Once the handler is in, it must exit 143
        // (or 0, when it had already finished).
        let caught = catches(running.pid(), libc::SIGTERM);
        running.signal(libc::SIGTERM);
        let run = running.wait();
        let case = format!("h: SIGTERM at a random moment, run {i}");
        problems.extend(run.sanity_problems(&case, &Leaks::of_sim(&sim), None));
        match (run.code, run.signal) {
            (Some(0), _) => wrote += 1,
            (Some(143), _) => handled += 1,
            (None, Some(libc::SIGTERM)) if !caught => raw += 1,
            _ => problems.extend(run.code_problem(&case, &[0, 143])),
        }
        let temps = temp_files_in(dir.path());
        if !temps.is_empty() {
            problems.push(format!("{case}: temporary files left: {temps:?}"));
        }
        if let Ok(text) = std::fs::read_to_string(&path)
            && text != format!("{value}\n")
        {
            problems.push(format!("{case}: a partial key file ({} bytes)", text.len()));
        }
    }
    eprintln!(
        "hostile h: 30 SIGTERMs: {wrote} finished first, {handled} exited 143, {raw} died before a handler was installed"
    );
    // Without a handler every run would be "finished first" or "died before a handler".
    if handled == 0 {
        problems.push(format!(
            "h: no SIGTERM was handled ({wrote} finished first, {raw} died raw)"
        ));
    }
    verdict(problems);
}

// --- m. no core dumps ------------------------------------------------------------------------

/// The soft "Max core file size" of a process, as /proc shows it.
fn core_limit(pid: i32) -> Option<String> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).ok()?;
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))?;
    line["Max core file size".len()..]
        .split_whitespace()
        .next()
        .map(str::to_owned)
}

#[test]
fn m_core_dumps_are_disabled() {
    let sim = stalled_sim();
    let cwd = tempfile::tempdir().unwrap();
    let mut running = Zpakey::new(&sim.env(EnvMode::OneApi))
        .args(REVEAL_58856)
        .current_dir(cwd.path())
        .unlimited_core()
        .spawn();
    wait_for_stalled_get(&sim, &running);
    let case = "m: reveal waiting on a stalled API";
    let mut problems = Vec::new();
    match core_limit(running.pid()) {
        Some(soft) if soft == "0" => {}
        other => problems.push(format!(
            "{case}: soft core limit is {other:?} while it runs, not 0"
        )),
    }
    // Not dumpable: the kernel then gives its /proc files to root, which a user other than
    // root can see (as root, everything there is root's anyway).
    if !is_root() {
        use std::os::unix::fs::MetadataExt;
        let owner = std::fs::metadata(format!("/proc/{}/stat", running.pid()))
            .map(|m| m.uid())
            .ok();
        if owner != Some(0) {
            problems.push(format!(
                "{case}: /proc/<pid>/stat is owned by uid {owner:?}, not root: the process is dumpable"
            ));
        }
    }
    let pattern = std::fs::read_to_string("/proc/sys/kernel/core_pattern")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let local_cores = pattern.starts_with("core");
    running.signal(libc::SIGABRT);
    let run = running.wait();
    problems.extend(run.sanity_problems(case, &Leaks::of_sim(&sim), None));
    // The kernel reports any dump it made, to a file or to a handler such as
    // systemd-coredump (which ignores the size limit: only "not dumpable" stops it there).
    if run.core_dumped {
        problems.push(format!(
            "{case}: SIGABRT dumped core (core_pattern {pattern:?})"
        ));
    }
    if local_cores {
        let cores: Vec<String> = names_in(cwd.path())
            .into_iter()
            .filter(|n| n.starts_with("core"))
            .collect();
        if !cores.is_empty() {
            problems.push(format!("{case}: core files left: {cores:?}"));
        }
    }
    verdict(problems);
}
