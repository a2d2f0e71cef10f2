//! Hostile places to write a key: `--out-file` pointing at a FIFO or a device, and a stdout
//! that is closed or whose reader leaves at once (issue 10, cases g and k).

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;

use crate::support::hostile::{Leaks, Zpakey, is_root, temp_files_in, verdict};
use crate::support::{REVEAL_58856, sim, value_of};
use zpa_sim::EnvMode;

/// `reveal --out-file path --force` over a special file: refused, and the node left alone.
fn special_file_case(
    case: &str,
    make: impl FnOnce(&Path),
    still: impl Fn(&std::fs::FileType) -> bool,
) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("node");
    make(&path);
    special_file_at(case, &path, still)
}

/// `reveal --out-file path --force` over the special file at `path`.
fn special_file_at(
    case: &str,
    path: &Path,
    still: impl Fn(&std::fs::FileType) -> bool,
) -> Vec<String> {
    let sim = sim();
    let run = Zpakey::new(&sim.env(EnvMode::OneApi))
        .args(REVEAL_58856)
        .arg("--out-file")
        .arg(path)
        .arg("--force")
        .run();
    let mut problems = run.problems(case, &[2], &Leaks::of_sim(&sim), None);
    if !run.stderr.contains("not a regular file") {
        problems.push(format!(
            "{case}: stderr does not say \"not a regular file\""
        ));
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) if still(&meta.file_type()) => {}
        Ok(meta) => problems.push(format!(
            "{case}: the node was replaced (now {:?})",
            meta.file_type()
        )),
        Err(e) => problems.push(format!("{case}: the node is gone ({e})")),
    }
    let temps = temp_files_in(path.parent().unwrap());
    if !temps.is_empty() {
        problems.push(format!("{case}: temporary files left: {temps:?}"));
    }
    problems
}

fn c_path(path: &Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).expect("no NUL in a temporary path")
}

#[test]
fn g_out_file_force_refuses_a_fifo() {
    verdict(special_file_case(
        "g: --out-file FIFO --force",
        |path| {
            // SAFETY: a valid C string; mkfifo has no other preconditions.
            let made = unsafe { libc::mkfifo(c_path(path).as_ptr(), 0o600) };
            assert_eq!(made, 0, "mkfifo: {}", std::io::Error::last_os_error());
        },
        FileTypeExt::is_fifo,
    ));
}

#[test]
fn g_out_file_force_refuses_a_character_device() {
    if !is_root() {
        // mknod needs root; /dev/null itself is safe to aim at without it, since a zpakey
        // that tried to replace it would fail for want of permission on /dev, not refuse.
        verdict(special_file_at(
            "g: --out-file /dev/null --force",
            Path::new("/dev/null"),
            FileTypeExt::is_char_device,
        ));
        return;
    }
    verdict(special_file_case(
        "g: --out-file char device --force",
        |path| {
            // /dev/null's numbers: harmless even if something did write to it.
            // SAFETY: a valid C string and a plain device number.
            let made = unsafe {
                libc::mknod(
                    c_path(path).as_ptr(),
                    libc::S_IFCHR | 0o600,
                    libc::makedev(1, 3),
                )
            };
            assert_eq!(made, 0, "mknod: {}", std::io::Error::last_os_error());
        },
        FileTypeExt::is_char_device,
    ));
}

#[test]
fn g_out_file_force_still_replaces_a_regular_file() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key");
    std::fs::write(&path, "old\n").unwrap();
    let run = Zpakey::new(&sim.env(EnvMode::OneApi))
        .args(REVEAL_58856)
        .arg("--out-file")
        .arg(&path)
        .arg("--force")
        .run();
    let case = "g: --out-file regular file --force";
    let mut problems = run.problems(case, &[0], &Leaks::of_sim(&sim), None);
    let value = value_of(sim.tenant(), "58856");
    if std::fs::read_to_string(&path).ok() != Some(format!("{value}\n")) {
        problems.push(format!("{case}: the file does not hold the key"));
    }
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    if mode != 0o600 {
        problems.push(format!("{case}: mode {mode:o}"));
    }
    let temps = temp_files_in(dir.path());
    if !temps.is_empty() {
        problems.push(format!("{case}: temporary files left: {temps:?}"));
    }
    verdict(problems);
}

#[test]
fn k_reveal_with_stdout_closed_is_exit_1_and_prints_the_key_nowhere() {
    let sim = sim();
    let run = Zpakey::new(&sim.env(EnvMode::OneApi))
        .args(["reveal", "--id", "58856"])
        .close_stdout()
        .run();
    let case = "k: reveal with fd 1 closed";
    let mut problems = run.problems(case, &[1], &Leaks::of_sim(&sim), None);
    let lower = run.stderr.to_lowercase();
    if !(lower.contains("stdout") && lower.contains("closed")) {
        problems.push(format!("{case}: stderr does not say stdout is closed"));
    }
    verdict(problems);
}

#[test]
fn k_reveal_to_a_reader_that_leaves_at_once_is_exit_0() {
    let sim = sim();
    let run = Zpakey::new(&sim.env(EnvMode::OneApi))
        .args(["reveal", "--id", "58856"])
        .stdout_reader_closes_early()
        .run();
    run.check(
        "k: reveal into a pipe closed early",
        &[0],
        &Leaks::of_sim(&sim),
        None,
    );
}
