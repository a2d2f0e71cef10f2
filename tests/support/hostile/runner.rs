//! The measuring runner: builds a zpakey command with a scrubbed environment, runs it under
//! the helper with a hang guard, and checks what every hostile run must pass.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::*;

/// The real `zpakey` binary with only the environment a case gives it, `-vvv` always (the most
/// verbose logs are where leaks hide), stdin from /dev/null, output captured.
pub struct Zpakey {
    cmd: std::process::Command,
    args: Vec<std::ffi::OsString>,
    flags: Vec<&'static str>,
    guard: Duration,
    reader_closes_early: bool,
}

impl Zpakey {
    pub fn new(env: &[(String, String)]) -> Zpakey {
        let mut cmd = std::process::Command::new(std::env::current_exe().expect("test binary"));
        cmd.env_clear()
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Zpakey {
            cmd,
            args: vec![
                assert_cmd::cargo::cargo_bin("zpakey").into(),
                std::ffi::OsString::new(),
                "-vvv".into(),
            ],
            flags: Vec::new(),
            guard: HANG_GUARD,
            reader_closes_early: false,
        }
    }

    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Zpakey {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<S: AsRef<std::ffi::OsStr>>(mut self, args: impl IntoIterator<Item = S>) -> Zpakey {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    pub fn env(mut self, name: &str, value: impl AsRef<std::ffi::OsStr>) -> Zpakey {
        self.cmd.env(name, value);
        self
    }

    pub fn env_remove(mut self, name: &str) -> Zpakey {
        self.cmd.env_remove(name);
        self
    }

    pub fn current_dir(mut self, dir: &Path) -> Zpakey {
        self.cmd.current_dir(dir);
        self
    }

    /// Starts zpakey with file descriptor 1 closed (not /dev/null: closed).
    pub fn close_stdout(mut self) -> Zpakey {
        self.flags.push("close-stdout");
        self.cmd.stdout(Stdio::null());
        self
    }

    /// Closes the reading end of zpakey's stdout pipe right after the start, like a reader
    /// that exits at once.
    pub fn stdout_reader_closes_early(mut self) -> Zpakey {
        self.reader_closes_early = true;
        self
    }

    /// Starts zpakey with RLIMIT_CORE raised to unlimited (or to the hard limit), so that only
    /// zpakey itself can be what turns core dumps off.
    pub fn unlimited_core(mut self) -> Zpakey {
        self.flags.push("unlimited-core");
        self
    }

    pub fn spawn(mut self) -> Running {
        let dir = tempfile::Builder::new()
            .prefix("zpakey-hostile-run")
            .tempdir()
            .expect("helper directory");
        self.args[1] = self.flags.join(",").into();
        let mut spec = Vec::new();
        for arg in &self.args {
            use std::os::unix::ffi::OsStrExt;
            spec.extend_from_slice(arg.as_bytes());
            spec.push(0);
        }
        std::fs::write(dir.path().join("spec"), spec).expect("helper spec");
        self.cmd.env(HELPER_VAR, dir.path());
        let started = Instant::now();
        let mut helper: Child = self.cmd.spawn().expect("start the helper");
        let stdout = match helper.stdout.take() {
            Some(pipe) if self.reader_closes_early => {
                drop(pipe);
                Capture::empty()
            }
            Some(pipe) => Capture::start(pipe),
            None => Capture::empty(),
        };
        let stderr = helper
            .stderr
            .take()
            .map_or_else(Capture::empty, Capture::start);
        let pid_file = dir.path().join("pid");
        let deadline = Instant::now() + Duration::from_secs(30);
        let pid = loop {
            if let Some(pid) = std::fs::read_to_string(&pid_file)
                .ok()
                .and_then(|p| p.trim().parse().ok())
            {
                break pid;
            }
            if let Ok(status) = std::fs::read_to_string(dir.path().join("status")) {
                panic!("the helper could not start zpakey: {status}");
            }
            assert!(Instant::now() < deadline, "the helper did not start zpakey");
            std::thread::sleep(Duration::from_millis(1));
        };
        Running {
            pid,
            helper,
            dir,
            started,
            guard: self.guard,
            sent: Vec::new(),
            stdout,
            stderr,
            finished: false,
        }
    }

    pub fn run(self) -> Run {
        self.spawn().wait()
    }
}

/// Drains a pipe on a thread. Kept apart from waiting for the child: a grandchild (a secret
/// command zpakey failed to stop) can hold the pipe open long after zpakey is gone.
struct Capture {
    buf: Arc<Mutex<Vec<u8>>>,
    done: Arc<AtomicBool>,
}

impl Capture {
    fn empty() -> Capture {
        Capture {
            buf: Arc::default(),
            done: Arc::new(AtomicBool::new(true)),
        }
    }

    fn start(mut pipe: impl Read + Send + 'static) -> Capture {
        let capture = Capture::empty();
        capture.done.store(false, Ordering::SeqCst);
        let (buf, done) = (capture.buf.clone(), capture.done.clone());
        std::thread::spawn(move || {
            let mut chunk = [0u8; 64 * 1024];
            loop {
                match pipe.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf
                        .lock()
                        .expect("capture lock")
                        .extend_from_slice(&chunk[..n]),
                }
            }
            done.store(true, Ordering::SeqCst);
        });
        capture
    }

    /// What was read, after waiting a little for the end of the stream.
    fn finish(&self, grace: Duration) -> Vec<u8> {
        let until = Instant::now() + grace;
        while !self.done.load(Ordering::SeqCst) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(10));
        }
        self.buf.lock().expect("capture lock").clone()
    }
}

/// A started zpakey. Its helper does not reap it before [`Running::wait`], so its pid cannot be
/// reused while a case still signals it.
pub struct Running {
    pid: i32,
    helper: Child,
    dir: tempfile::TempDir,
    started: Instant,
    guard: Duration,
    sent: Vec<i32>,
    stdout: Capture,
    stderr: Capture,
    finished: bool,
}

impl Running {
    /// zpakey's pid (not the helper's).
    pub fn pid(&self) -> i32 {
        self.pid
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Sends `signal` to zpakey (only to it, not to its process group) and remembers it, so
    /// that dying of it does not count as a crash.
    pub fn signal(&mut self, signal: i32) {
        self.sent.push(signal);
        // SAFETY: kill(2) on zpakey, which is alive or an unreaped zombie until `wait`.
        unsafe {
            libc::kill(self.pid, signal);
        }
    }

    /// Whether zpakey has finished (it stays a zombie until `wait`).
    pub fn has_exited(&self) -> bool {
        self.dir.path().join("exited").exists()
    }

    /// Lets the helper reap zpakey (killing it first if it is still running) and end.
    fn release(&mut self, kill: bool) {
        if self.finished {
            return;
        }
        self.finished = true;
        if kill && !self.has_exited() {
            // SAFETY: zpakey is not reaped before the `reap` file exists.
            unsafe {
                libc::kill(self.pid, libc::SIGKILL);
            }
        }
        let _ = std::fs::write(self.dir.path().join("reap"), "");
        let _ = self.helper.wait();
    }

    /// Waits for zpakey (killing it once it outlives the hang guard) and measures it.
    pub fn wait(mut self) -> Run {
        let mut hung = false;
        while !self.has_exited() {
            if self.started.elapsed() > self.guard {
                hung = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let wall = self.started.elapsed();
        self.release(true);
        let report = std::fs::read_to_string(self.dir.path().join("status"))
            .unwrap_or_else(|e| format!("error no report ({e})"));
        assert!(!report.starts_with("error"), "the helper failed: {report}");
        let mut lines = report.lines();
        let end: Vec<&str> = lines
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        let number = |s: Option<&&str>| s.and_then(|s| s.parse::<i32>().ok());
        let (code, signal, core_dumped) = match end.first() {
            Some(&"exit") => (number(end.get(1)), None, false),
            Some(&"signal") => (None, number(end.get(1)), end.get(2) == Some(&"1")),
            _ => (None, None, false),
        };
        let peak_rss_kib = lines
            .find_map(|l| l.strip_prefix("maxrss "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(i64::MAX);
        let grace = Duration::from_secs(2);
        Run {
            code,
            signal,
            core_dumped,
            sent: self.sent.clone(),
            hung,
            guard: self.guard,
            stdout: String::from_utf8_lossy(&self.stdout.finish(grace)).into_owned(),
            stderr: String::from_utf8_lossy(&self.stderr.finish(grace)).into_owned(),
            wall,
            peak_rss_kib,
        }
    }
}

impl Drop for Running {
    /// A case that fails before `wait` must not leave zpakey or its helper behind.
    fn drop(&mut self) {
        self.release(true);
    }
}

/// What a run came to.
#[derive(Debug, Clone)]
pub struct Run {
    pub code: Option<i32>,
    /// The signal that ended it, if one did.
    pub signal: Option<i32>,
    pub core_dumped: bool,
    /// The signals the case sent.
    pub sent: Vec<i32>,
    /// Killed by the hang guard.
    pub hung: bool,
    pub guard: Duration,
    pub stdout: String,
    pub stderr: String,
    pub wall: Duration,
    /// ru_maxrss of the child from wait4 (KiB on Linux).
    pub peak_rss_kib: i64,
}

impl Run {
    /// The one-line summary every case prints.
    pub fn summary(&self, case: &str) {
        let end = match (self.code, self.signal) {
            (Some(code), _) => format!("exit {code}"),
            (None, Some(sig)) => format!("signal {sig}"),
            (None, None) => "no status".to_owned(),
        };
        eprintln!(
            "hostile {case}: {end}{}, {:.2} s, peak RSS {} KiB",
            if self.hung { " (hung, killed)" } else { "" },
            self.wall.as_secs_f64(),
            self.peak_rss_kib
        );
    }

    /// The checks every hostile run must pass, as a list of problems (empty when all hold):
    /// finished within the hang guard, no panic, not killed by a signal the case did not send,
    /// an exit code among `codes`, peak RSS under [`MAX_RSS_KIB`], and no secret of `leaks` in
    /// stdout or stderr. `revealed` is the key value a successful `reveal` may print on stdout.
    pub fn problems(
        &self,
        case: &str,
        codes: &[i32],
        leaks: &Leaks,
        revealed: Option<&str>,
    ) -> Vec<String> {
        let mut problems = self.sanity_problems(case, leaks, revealed);
        problems.extend(self.code_problem(case, codes));
        problems
    }

    /// The exit code is one of `codes` (a hang is reported by [`Run::sanity_problems`]).
    pub fn code_problem(&self, case: &str, codes: &[i32]) -> Option<String> {
        if self.hung || self.code.is_some_and(|c| codes.contains(&c)) {
            return None;
        }
        Some(format!(
            "{case}: expected exit {}, got {}; stderr: {}",
            codes
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(" or "),
            match (self.code, self.signal) {
                (Some(c), _) => format!("exit {c}"),
                (None, Some(s)) => format!("signal {s}"),
                (None, None) => "nothing".into(),
            },
            first_lines(&self.stderr, 4)
        ))
    }

    /// Every check of [`Run::problems`] but the exit code, for cases that judge the ending
    /// themselves (a signal the case sent on purpose). Prints the summary line.
    pub fn sanity_problems(
        &self,
        case: &str,
        leaks: &Leaks,
        revealed: Option<&str>,
    ) -> Vec<String> {
        self.summary(case);
        let mut problems = Vec::new();
        if self.hung {
            problems.push(format!(
                "{case}: still running after the {} s hang guard; killed",
                self.guard.as_secs()
            ));
        }
        if matches!(self.code, Some(101) | Some(134)) {
            problems.push(format!(
                "{case}: exit {} is a panic or abort",
                self.code.unwrap_or_default()
            ));
        }
        if let Some(line) = self.stderr.lines().find(|l| l.contains("panicked")) {
            problems.push(format!("{case}: stderr shows a panic: {line}"));
        }
        if let Some(sig) = self.signal
            && !self.sent.contains(&sig)
            && !self.hung
        {
            problems.push(format!(
                "{case}: killed by signal {sig}, which the test did not send"
            ));
        }
        if self.peak_rss_kib >= MAX_RSS_KIB {
            problems.push(format!(
                "{case}: peak RSS {} KiB, limit {MAX_RSS_KIB} KiB",
                self.peak_rss_kib
            ));
        }
        let mut stdout = self.stdout.clone();
        if let Some(value) = revealed
            && self.code == Some(0)
        {
            stdout = stdout.replace(value, "");
        }
        for (stream, text) in [("stdout", &stdout), ("stderr", &self.stderr)] {
            for label in leaks.found_in(text) {
                problems.push(format!("{case}: {label} appears in {stream}"));
            }
        }
        problems
    }

    /// [`Run::problems`], failing the test at once when there are any.
    pub fn check(&self, case: &str, codes: &[i32], leaks: &Leaks, revealed: Option<&str>) {
        verdict(self.problems(case, codes, leaks, revealed));
    }
}

/// Fails the test with every problem found, so one run reports all that is wrong with it.
pub fn verdict(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn first_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("zpakey: trace:") && !l.starts_with("zpakey: debug:"))
        .take(n)
        .collect();
    if lines.is_empty() {
        "(empty)".into()
    } else {
        lines.join(" | ")
    }
}
