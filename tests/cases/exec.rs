//! `zpakey exec` (issue 14): the key reaches the command in one environment variable and
//! nowhere else — not in argv, not in its output (masked, however it is written), not with
//! zpakey's own credentials beside it — and zpakey is transparent around the command: its
//! exit status, and the signals sent to zpakey, are the command's.

#![cfg(unix)]

mod running;

use zpa_sim::{EnvMode, SimHandle};

use crate::cases::terminal::pty::{self, Pty, Wire};
use crate::support::{assert_no_key_material, material, sim, value_of, zpakey};

const CONCEALED: &str = "<concealed by zpakey>";
/// Where the commands are found: the tests give zpakey no environment of their own.
const PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// `zpakey exec SELECTOR -- sh -c SCRIPT`, with a PATH for the script.
fn exec(sim: &SimHandle, selector: &[&str], script: &str) -> assert_cmd::Command {
    let mut cmd = zpakey(sim);
    cmd.env("PATH", PATH)
        .arg("exec")
        .args(selector)
        .args(["--", "sh", "-c", script]);
    cmd
}

#[test]
fn the_command_sees_exactly_the_key_and_no_credentials_of_zpakey() {
    let sim = sim();
    let value = value_of(sim.tenant(), "58856");
    let dir = tempfile::tempdir().unwrap();
    let (key_file, env_file) = (dir.path().join("key"), dir.path().join("env"));
    let script = r#"printf '%s' "$ZPA_PROVISION_KEY" > "$1"; env > "$2""#;
    zpakey(&sim)
        .env("PATH", PATH)
        .env("KEPT", "yes")
        .env("ZPAKEY_NO_MASKING", "0")
        // A stale value of the variable is replaced, not kept.
        .env("ZPA_PROVISION_KEY", "stale")
        .args(["exec", "--id", "58856", "--", "sh", "-c", script, "sh"])
        .args([&key_file, &env_file])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), value);
    let env = std::fs::read_to_string(&env_file).unwrap();
    let names: Vec<&str> = env
        .lines()
        .filter_map(|l| l.split_once('=').map(|(n, _)| n))
        .collect();
    let credentials: Vec<&&str> = names
        .iter()
        .filter(|n| {
            ["ZSCALER_", "ZPA_", "ZPAKEY_"]
                .iter()
                .any(|p| n.starts_with(p))
        })
        .collect();
    assert_eq!(credentials, [&"ZPA_PROVISION_KEY"], "{env}");
    assert!(names.contains(&"KEPT") && names.contains(&"PATH"), "{env}");
    for (name, _) in sim.env(EnvMode::OneApi) {
        assert!(
            !names.contains(&name.as_str()),
            "{name} reached the command"
        );
    }
}

#[test]
fn env_names_the_variable() {
    let sim = sim();
    let value = value_of(sim.tenant(), "60401");
    let dir = tempfile::tempdir().unwrap();
    let (key_file, env_file) = (dir.path().join("key"), dir.path().join("env"));
    zpakey(&sim)
        .env("PATH", PATH)
        .args(["exec", "--name", "pcc-prod", "--env", "PROVISION_KEY", "--"])
        .args([
            "sh",
            "-c",
            r#"printf '%s' "$PROVISION_KEY" > "$1"; env > "$2""#,
            "sh",
        ])
        .args([&key_file, &env_file])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), value);
    let env = std::fs::read_to_string(&env_file).unwrap();
    assert!(
        !env.lines()
            .any(|l| l.starts_with("ZSCALER_") || l.starts_with("ZPA") || l.starts_with("ZPAKEY_")),
        "{env}"
    );
    let before = sim.requests().len();
    for bad in ["1KEY", "MY-KEY", "", "A B", "KEY=x"] {
        zpakey(&sim)
            .args(["exec", "--id", "58856", "--env", bad, "--", "true"])
            .assert()
            .code(2)
            .stdout("");
    }
    assert_eq!(
        sim.requests().len(),
        before,
        "a bad --env is refused before any request"
    );
}

#[test]
fn the_exit_status_is_the_commands() {
    let sim = sim();
    exec(&sim, &["--id", "58856"], "exit 0")
        .assert()
        .code(0)
        .stdout("")
        .stderr("");
    exec(&sim, &["--id", "58856"], "echo out; echo err >&2; exit 42")
        .assert()
        .code(42)
        .stdout("out\n")
        .stderr("err\n");
    // Killed by SIGTERM (15): 128 + 15, as a shell reports it.
    exec(&sim, &["--id", "58856"], "kill -TERM $$")
        .assert()
        .code(143)
        .stdout("")
        .stderr("");
    exec(&sim, &["--id", "58856"], "kill -KILL $$")
        .assert()
        .code(137);
}

#[test]
fn a_command_that_cannot_run_is_126_or_127() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("not-executable.sh");
    std::fs::write(&script, "#!/bin/sh\necho ran\n").unwrap();
    zpakey(&sim)
        .args(["exec", "--id", "58856", "--"])
        .arg(&script)
        .assert()
        .code(126)
        .stdout("")
        .stderr(format!(
            "zpakey: error: cannot run '{}': permission denied (not an executable file)\n",
            script.display()
        ));
    zpakey(&sim)
        .env("PATH", PATH)
        .args(["exec", "--id", "58856", "--", "no-such-command-zpakey", "x"])
        .assert()
        .code(127)
        .stdout("")
        .stderr(
            "zpakey: error: cannot run 'no-such-command-zpakey': command not found\n\
             hint: check the name, and that its directory is on PATH\n",
        );
    zpakey(&sim)
        .args(["-o", "json", "exec", "--id", "58856", "--"])
        .arg(dir.path().join("missing"))
        .assert()
        .code(127)
        .stdout("")
        .stderr(format!(
            "{{\"error\":{{\"code\":\"command_not_found\",\"exit\":127,\"message\":\"cannot run '{}': command not found\"}}}}\n",
            dir.path().join("missing").display()
        ));
}

#[test]
fn zpakey_failures_come_before_the_command_runs() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran");
    let run = |selector: &[&str], code: i32, stderr: &str| {
        zpakey(&sim)
            .env("PATH", PATH)
            .arg("exec")
            .args(selector)
            .args(["--", "touch"])
            .arg(&marker)
            .assert()
            .code(code)
            .stdout("")
            .stderr(stderr.to_owned());
        assert!(!marker.exists(), "{selector:?}: the command ran");
    };
    run(
        &["--id", "999"],
        4,
        "zpakey: error: no provisioning key has id 999\n\
         hint: run 'zpakey list' to see the keys this API client can read\n",
    );
    // Typed, so that the runs stay within the rate limit zpakey paces itself to.
    run(
        &["--id", "60201", "--type", "service-edge"],
        7,
        "zpakey: error: key 'edge-prod' has been used 10 of 10 times\n\
         hint: raise the key's maximum usage in the ZPA admin portal, or use another key\n\
         hint: pass --allow-unusable to hand it over anyway\n",
    );
    run(
        &[
            "--id",
            "60401",
            "--type",
            "site-controller",
            "--min-remaining",
            "3",
        ],
        7,
        "zpakey: error: key 'pcc-prod' has 1 use left; --min-remaining asks for 3\n\
         hint: raise the key's maximum usage in the ZPA admin portal, or use another key\n\
         hint: pass --allow-unusable to hand it over anyway\n",
    );
    run(
        &["--name", "shared-name", "--no-input"],
        5,
        "zpakey: error: 2 keys match name 'shared-name'\n  \
         id 60109  CONNECTOR_GRP     shared-name  group prod-connector-group  usable\n  \
         id 60202  SERVICE_EDGE_GRP  shared-name  group edge-group-lab        usable\n\
         hint: choose one with --id, or narrow the search with --type\n",
    );
    // With --allow-unusable the command runs, after a warning.
    zpakey(&sim)
        .env("PATH", PATH)
        .args(["exec", "--id", "60201", "--allow-unusable", "--", "touch"])
        .arg(&marker)
        .assert()
        .success()
        .stderr(
            "zpakey: warning: handing over an unusable key: key 'edge-prod' has been used 10 of 10 times\n",
        );
    assert!(marker.exists());
}

#[test]
fn the_key_is_masked_in_stdout_and_stderr() {
    let sim = sim();
    let value = value_of(sim.tenant(), "58856");
    exec(
        &sim,
        &["--id", "58856"],
        r#"printf 'key=%s\n' "$ZPA_PROVISION_KEY"; printf 'err=%s!\n' "$ZPA_PROVISION_KEY" >&2"#,
    )
    .assert()
    .success()
    .stdout(format!("key={CONCEALED}\n"))
    .stderr(format!("err={CONCEALED}!\n"));
    // The secret material alone, as a script splitting the key at `|` would print it.
    exec(
        &sim,
        &["--id", "58856"],
        r#"K=$ZPA_PROVISION_KEY; printf '%s\n' "${K##*|}"; printf '[%s]\n' "${K##*|}" >&2"#,
    )
    .assert()
    .success()
    .stdout(format!("{CONCEALED}\n"))
    .stderr(format!("[{CONCEALED}]\n"));
    assert!(material(&value).len() > 40);
}

#[test]
fn the_key_is_masked_when_written_in_pieces() {
    let sim = sim();
    let value = value_of(sim.tenant(), "58856");
    let halves = r#"K=$ZPA_PROVISION_KEY
        printf '%s' "$K" | head -c 10; sleep 0.2; printf '%s\n' "$K" | tail -c +11
        printf '%s' "$K" | head -c 10 >&2; sleep 0.2; printf '%s\n' "$K" | tail -c +11 >&2"#;
    let pieces = r#"printf '%s\n' "$ZPA_PROVISION_KEY" | fold -w 7 | while IFS= read -r p; do
            printf '%s' "$p"; printf '%s' "$p" >&2; sleep 0.02
        done; echo; echo >&2"#;
    let bytes = r#"printf 'a%sb\n' "$ZPA_PROVISION_KEY" | fold -w 1 | while IFS= read -r c; do
            printf '%s' "$c"; printf '%s' "$c" >&2
        done; echo; echo >&2"#;
    for (what, script, expected) in [
        ("halves", halves, format!("{CONCEALED}\n")),
        ("pieces of 7 bytes", pieces, format!("{CONCEALED}\n")),
        ("byte by byte", bytes, format!("a{CONCEALED}b\n")),
    ] {
        let out = exec(&sim, &["--id", "58856"], script).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{what}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            expected,
            "{what}: stdout"
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            expected,
            "{what}: stderr"
        );
    }
    assert!(value.len() > 100);
}

#[test]
fn the_key_is_masked_at_the_highest_verbosity() {
    let sim = sim();
    let mut cmd = zpakey(&sim);
    cmd.env("PATH", PATH)
        .args(["-vvv", "exec", "--id", "58856", "--", "sh", "-c"])
        .arg(r#"printf '%s\n' "$ZPA_PROVISION_KEY"; env; printf '%s\n' "$ZPA_PROVISION_KEY" >&2"#);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.starts_with(&format!("{CONCEALED}\n")), "{stdout}");
    assert!(
        stdout.contains(&format!("\nZPA_PROVISION_KEY={CONCEALED}\n")),
        "{stdout}"
    );
    assert!(
        stderr.contains(
            "zpakey: running sh with key 'tests-pkacg-vcr0003' (id 58856, CONNECTOR_GRP) in ZPA_PROVISION_KEY\n"
        ),
        "{stderr}"
    );
    assert!(stderr.ends_with(&format!("\n{CONCEALED}\n")), "{stderr}");
    assert_no_key_material(&stdout, sim.tenant());
    assert_no_key_material(&stderr, sim.tenant());
}

#[test]
fn no_masking_connects_the_command_to_the_terminal() {
    let sim = sim();
    let value = value_of(sim.tenant(), "58856");
    let script =
        r#"test -t 0 && test -t 1 && test -t 2 && echo "on a terminal: $ZPA_PROVISION_KEY""#;
    for masking in [&["--no-masking"][..], &[]] {
        let mut cmd = pty::command(&sim, EnvMode::OneApi);
        cmd.args(["exec", "--id", "58856"])
            .args(masking)
            .args(["--", "/bin/sh", "-c", script]);
        let mut pty = Pty::wired(cmd, [Wire::Pty; 3]);
        if masking.is_empty() {
            // Masked output goes through pipes: the command is not on a terminal.
            assert_eq!(pty.finish(), 1, "{}", pty.text());
            assert!(!pty.text().contains("on a terminal"), "{}", pty.text());
        } else {
            pty.until(&format!("on a terminal: {value}"));
            assert_eq!(pty.finish(), 0);
        }
    }
    // ZPAKEY_NO_MASKING=1 is the same as the flag.
    exec(
        &sim,
        &["--id", "58856"],
        r#"printf '%s\n' "$ZPA_PROVISION_KEY""#,
    )
    .env("ZPAKEY_NO_MASKING", "1")
    .assert()
    .success()
    .stdout(format!("{value}\n"));
}

#[test]
fn exec_never_announces_a_mask_to_github_actions() {
    let sim = sim();
    exec(&sim, &["--id", "58856"], "exit 0")
        .env("GITHUB_ACTIONS", "true")
        .assert()
        .success()
        .stdout("")
        .stderr("");
}
