//! `zpakey exec` while its command runs: signals sent to zpakey reach the command, and the
//! key is in no process's arguments.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use zpa_sim::SimHandle;

use super::PATH;
use crate::support::{material, process, sim, value_of};

/// How long a test waits for a running command before it fails (not a measure of speed).
const HANG_GUARD: Duration = Duration::from_secs(30);

/// zpakey running `script`, its stdout read line by line.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Running {
    fn start(sim: &SimHandle, script: &str, own_group: bool) -> Running {
        let mut cmd = process(sim, &["exec", "--id", "58856", "--", "sh", "-c", script]);
        cmd.env("PATH", PATH).stdin(Stdio::piped());
        if own_group {
            // Not in the foreground group of the terminal the tests may run from, where a
            // SIGINT is taken to come from the keyboard (and to reach the command directly).
            cmd.process_group(0);
        }
        let mut child = cmd.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Running { child, lines }
    }

    fn line(&self) -> String {
        self.lines
            .recv_timeout(HANG_GUARD)
            .expect("a line from the command")
    }

    fn signal(&self, signal: i32) {
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, signal) }, 0);
    }

    fn wait(self) -> i32 {
        let (send, done) = mpsc::channel();
        let pid = self.child.id();
        std::thread::spawn(move || send.send(self.child.wait_with_output().unwrap()));
        match done.recv_timeout(HANG_GUARD) {
            Ok(out) => out.status.code().expect("zpakey exited"),
            Err(_) => {
                unsafe { libc::kill(pid as i32, libc::SIGKILL) };
                panic!("zpakey did not exit");
            }
        }
    }
}

#[test]
fn sigterm_is_passed_on_and_zpakey_exits_with_the_commands_status() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("trapped");
    let script = format!(
        r#"trap 'kill $S; echo TERM > "{}"; exit 3' TERM; sleep 60 & S=$!; echo ready; wait $S"#,
        marker.display()
    );
    let running = Running::start(&sim, &script, false);
    assert_eq!(running.line(), "ready");
    running.signal(libc::SIGTERM);
    assert_eq!(running.wait(), 3, "the command's status, not 143");
    assert_eq!(std::fs::read_to_string(&marker).unwrap(), "TERM\n");
}

#[test]
fn sigint_and_sighup_are_passed_on_too() {
    let sim = sim();
    for (signal, code) in [
        (libc::SIGINT, 130),
        (libc::SIGHUP, 129),
        (libc::SIGTERM, 143),
    ] {
        // The command's pid, then `exec`: the signal ends the very process zpakey started.
        let running = Running::start(&sim, "echo $$; exec sleep 60", true);
        let pid = running.line();
        running.signal(signal);
        assert_eq!(running.wait(), code, "signal {signal}");
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "signal {signal}: the command is still there"
        );
    }
}

#[test]
fn the_key_is_in_no_process_arguments() {
    let sim = sim();
    let value = value_of(sim.tenant(), "58856");
    let mut running = Running::start(&sim, "echo ready; read line; echo \"got $line\"", false);
    assert_eq!(running.line(), "ready");
    let mut seen_command = false;
    for entry in std::fs::read_dir("/proc").unwrap() {
        let path = entry.unwrap().path();
        let is_pid = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
        // Processes come and go, and some are not ours to read.
        let Ok(cmdline) = std::fs::read(path.join("cmdline")) else {
            continue;
        };
        if !is_pid {
            continue;
        }
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        seen_command |= cmdline.contains("echo ready; read line");
        assert!(!cmdline.contains(&value), "{}: {cmdline}", path.display());
        assert!(
            !cmdline.contains(&material(&value)[..24]),
            "{}: {cmdline}",
            path.display()
        );
    }
    assert!(
        seen_command,
        "the command's arguments were among those read"
    );
    let stdin = running.child.stdin.as_mut().unwrap();
    stdin.write_all(b"go\n").unwrap();
    assert_eq!(running.line(), "got go");
    assert_eq!(running.wait(), 0);
}
