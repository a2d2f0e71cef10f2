//! `--file-mode` (issue 13): the connector service must be able to read its key file, so
//! `--out-file` takes a mode, exactly that mode from the file's creation (never wider, even
//! for a moment), refusing modes that let group or others write or execute it.

#![cfg(unix)]

use std::os::unix::process::CommandExt;

use crate::support::{mode_of, process, sim, stderr_of, value_of, zpakey};

#[test]
fn the_file_has_exactly_the_mode_asked_whatever_the_umask() {
    let sim = sim();
    let key = value_of(sim.tenant(), "58856");
    for (mode, expected) in [
        (None, 0o600),
        (Some("0600"), 0o600),
        (Some("0640"), 0o640),
        (Some("644"), 0o644),
        (Some("0o444"), 0o444),
    ] {
        for umask in [0o022, 0o077, 0o000] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("provision_key");
            let mut cmd = process(&sim, &["reveal", "--id", "58856", "--out-file"]);
            cmd.arg(&path);
            if let Some(mode) = mode {
                cmd.args(["--file-mode", mode]);
            }
            // SAFETY: umask is async-signal-safe.
            unsafe {
                cmd.pre_exec(move || {
                    libc::umask(umask);
                    Ok(())
                });
            }
            let out = cmd.output().unwrap();
            assert_eq!(out.status.code(), Some(0), "{mode:?}: {}", stderr_of(&out));
            assert_eq!(mode_of(&path), expected, "{mode:?} under umask {umask:o}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("{key}\n"));
            let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert_eq!(names.len(), 1, "no temporary file left");
        }
    }
}

#[test]
fn the_temporary_file_is_never_wider_than_the_mode_even_for_a_moment() {
    if std::process::Command::new("strace")
        .arg("-V")
        .output()
        .is_err()
    {
        eprintln!(
            "note: strace is not installed; the creation mode is checked by the final mode only"
        );
        return;
    }
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("provision_key");
    let log = dir.path().join("trace");
    let mut cmd = std::process::Command::new("strace");
    cmd.env_clear()
        .args(["-f", "-qq", "-e", "trace=%file,fchmod,write", "-o"])
        .arg(&log)
        .arg(assert_cmd::cargo::cargo_bin("zpakey"))
        .args([
            "reveal",
            "--id",
            "58856",
            "--file-mode",
            "0640",
            "--out-file",
        ])
        .arg(&path);
    for (k, v) in sim.env(zpa_sim::EnvMode::OneApi) {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let trace = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = trace.lines().collect();
    let created = lines
        .iter()
        .position(|l| l.contains(".zpakey-") && l.contains("O_CREAT"))
        .unwrap_or_else(|| panic!("no temporary file created:\n{trace}"));
    assert!(
        lines[created].contains(", 0640)"),
        "created with the mode asked: {}",
        lines[created]
    );
    let fd = lines[created].rsplit("= ").next().unwrap().trim();
    let chmod = lines
        .iter()
        .position(|l| l.contains(&format!("fchmod({fd}, 0640)")))
        .unwrap_or_else(|| panic!("no fchmod to 0640 on {fd}:\n{trace}"));
    let written = lines
        .iter()
        .position(|l| l.contains(&format!("write({fd}, ")))
        .unwrap_or_else(|| panic!("no write to {fd}:\n{trace}"));
    assert!(created < chmod && chmod < written, "{trace}");
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("chmod") && !l.contains("0640")),
        "no other mode is ever set:\n{trace}"
    );
    assert_eq!(mode_of(&path), 0o640);
}

#[test]
fn modes_that_let_others_write_or_execute_are_refused() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key");
    for (mode, message) in [
        (
            "0666",
            "mode 0666 lets group or others write or execute the file; use 0600, 0640 or 0644",
        ),
        (
            "0755",
            "mode 0755 lets group or others write or execute the file; use 0600, 0640 or 0644",
        ),
        (
            "0620",
            "mode 0620 lets group or others write or execute the file; use 0600, 0640 or 0644",
        ),
        (
            "4600",
            "only permission bits are allowed (no setuid, setgid or sticky bit)",
        ),
        (
            "rw-r--r--",
            "expected octal permission bits, e.g. 0600 or 0644",
        ),
        ("0800", "expected octal permission bits, e.g. 0600 or 0644"),
    ] {
        zpakey(&sim)
            .args(["reveal", "--id", "58856", "--out-file"])
            .arg(&path)
            .args(["--file-mode", mode])
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!(
                "zpakey: error: invalid value '{mode}' for '--file-mode <MODE>': {message}\n\nFor more information, try '--help'.\n"
            ));
    }
    zpakey(&sim)
        .args(["reveal", "--id", "58856", "--file-mode", "0644"])
        .assert()
        .code(2);
    assert!(!path.exists());
    assert!(sim.requests().is_empty(), "refused before any request");
}

#[test]
fn a_missing_directory_is_a_clear_error_without_the_temporary_name() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("opt/zscaler/var");
    let path = missing.join("provision_key");
    zpakey(&sim)
        .args(["reveal", "--id", "58856", "--out-file"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "zpakey: error: cannot write --out-file {}: the directory {} does not exist\nhint: create it first: mkdir -p {}\n",
            path.display(),
            missing.display(),
            missing.display()
        ));
}
