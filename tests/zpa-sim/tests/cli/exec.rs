//! `zpa-sim exec`: the environment it hands the command, its exit status, the private-key
//! copy, the simulator serving meanwhile, and finding the zpakey built next to it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use serde_json::Value;

use super::*;

#[test]
fn exec_sets_the_oneapi_environment_and_passes_the_exit_code_on() {
    let script = r#"
        test "$ZSCALER_CLIENT_ID" = zpa-sim-demo-client || exit 10
        test "$ZSCALER_CLIENT_SECRET" = zpa-sim-demo-secret-8f3c1e2a9b7d4f60 || exit 11
        test "$ZSCALER_VANITY_DOMAIN" = zpa-sim || exit 12
        test "$ZPA_CUSTOMER_ID" = 216196257331281920 || exit 13
        case "$ZPAKEY_API_URL" in http://127.0.0.1:*) ;; *) exit 14 ;; esac
        test "$ZPAKEY_AUTH_URL" = "$ZPAKEY_API_URL/oauth2/v1/token" || exit 15
        for v in ZPA_CLIENT_ID ZSCALER_CLOUD ZPA_MICROTENANT_ID ZSCALER_CLIENT_SECRET_FILE ZSCALER_PRIVATE_KEY ZSCALER_USE_LEGACY_CLIENT; do
            eval "test -z \"\${$v+set}\"" || exit 16
        done
        exit 7
    "#;
    let status = zpa_sim()
        .args(["exec", "--", "sh", "-c", script])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(7));
}

#[test]
fn exec_legacy_is_the_mirror_image() {
    let script = r#"
        test "$ZSCALER_USE_LEGACY_CLIENT" = true || exit 10
        test "$ZPA_CLIENT_ID" = zpa-sim-legacy-client || exit 11
        test "$ZPA_CLIENT_SECRET" = zpa-sim-legacy-secret-5d2e7a1c3b9f8e40 || exit 12
        test "$ZPA_CUSTOMER_ID" = 216196257331281920 || exit 13
        test -n "$ZPAKEY_API_URL" || exit 14
        for v in ZSCALER_CLIENT_ID ZSCALER_CLIENT_SECRET ZSCALER_PRIVATE_KEY ZSCALER_CLOUD ZPA_MICROTENANT_ID ZPAKEY_AUTH_URL; do
            eval "test -z \"\${$v+set}\"" || exit 15
        done
    "#;
    let status = zpa_sim()
        .args(["exec", "--legacy", "--", "sh", "-c", script])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn the_simulator_serves_while_the_command_runs() {
    // The child prints its URL and waits; the test talks to the simulator meanwhile, then
    // lets the child finish.
    let mut child = zpa_sim()
        .args([
            "exec",
            "--fault",
            "503:2",
            "--",
            "sh",
            "-c",
            r#"echo "$ZPAKEY_API_URL $ZSCALER_CLIENT_ID $ZSCALER_CLIENT_SECRET"; read line; exit 3"#,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let mut parts = first.split_whitespace();
    let (base, id, secret) = (
        parts.next().unwrap().to_owned(),
        parts.next().unwrap().to_owned(),
        parts.next().unwrap().to_owned(),
    );
    let resp = client()
        .post(format!("{base}/oauth2/v1/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id.as_str()),
            ("client_secret", secret.as_str()),
            ("audience", zpa_sim::API_AUDIENCE),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let token = resp.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = format!(
        "{base}/zpa/mgmtconfig/v1/admin/customers/{CUSTOMER}/associationType/CONNECTOR_GRP/provisioningKey"
    );
    // The two injected faults, then the real answer.
    for expected in [503, 503, 200] {
        let (status, headers, _) = get_raw(&url, &token).await;
        assert_eq!(status, expected);
        if status == 503 {
            assert_eq!(headers["retry-after"], "1s");
        }
    }
    child.stdin.take().unwrap().write_all(b"done\n").unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(3));
    // Stopped with the command.
    assert!(client().get(&url).send().await.is_err());
}

#[test]
fn exec_reports_commands_that_cannot_start_or_die_by_signal() {
    let out = zpa_sim()
        .args(["exec", "--", "/nonexistent/command", "arg"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(127));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot run /nonexistent/command"),
        "{stderr}"
    );

    let status = zpa_sim()
        .args(["exec", "--", "sh", "-c", "kill -9 $$"])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(128 + 9));

    // Without `--` too, and with the command's own flags.
    let status = zpa_sim()
        .args(["exec", "sh", "-c", "exit 4"])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(4));
}

#[test]
fn exec_private_key_hands_over_a_0600_copy_that_is_removed_afterwards() {
    let out = zpa_sim()
        .args([
            "exec",
            "--private-key",
            "--",
            "sh",
            "-c",
            r#"test -z "${ZSCALER_CLIENT_SECRET+set}" || exit 9; echo "$ZSCALER_PRIVATE_KEY"; ls -l "$ZSCALER_PRIVATE_KEY"; cat "$ZSCALER_PRIVATE_KEY""#,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut lines = stdout.lines();
    let path = lines.next().unwrap().to_owned();
    assert!(lines.next().unwrap().starts_with("-rw-------"));
    let rest: Vec<&str> = lines.collect();
    assert_eq!(
        rest.join("\n").trim_end(),
        zpa_sim::DEMO_PRIVATE_KEY_PEM.trim_end()
    );
    assert!(!std::path::Path::new(&path).exists(), "{path} left behind");
}

/// A directory removed when dropped.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A copy of zpa-sim in a directory of its own (a hard link where the file system allows),
/// optionally with a stand-in `zpakey` script next to it, as `cargo build` leaves them in
/// target/debug.
fn zpa_sim_in_a_directory(with_zpakey: bool) -> (Scratch, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let dir = Scratch(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "zpa-sim-beside-{}-{with_zpakey}",
            std::process::id()
        )),
    );
    let _ = std::fs::remove_dir_all(dir.path());
    std::fs::create_dir_all(dir.path()).unwrap();
    let copy = dir.path().join("zpa-sim");
    if std::fs::hard_link(BIN, &copy).is_err() {
        std::fs::copy(BIN, &copy).unwrap();
    }
    if with_zpakey {
        let zpakey = dir.path().join("zpakey");
        std::fs::write(
            &zpakey,
            "#!/bin/sh\necho \"zpakey beside zpa-sim: $ZPAKEY_API_URL $*\"\n",
        )
        .unwrap();
        std::fs::set_permissions(&zpakey, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (dir, copy)
}

#[test]
fn exec_finds_the_zpakey_built_next_to_it() {
    let (dir, copy) = zpa_sim_in_a_directory(true);
    let out = Command::new(&copy)
        .env("PATH", "/usr/bin:/bin")
        .args(["exec", "--legacy", "--", "zpakey", "list"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("zpakey beside zpa-sim: http://127.0.0.1:")
            && stdout.ends_with(" list\n"),
        "{stdout}"
    );
    // First on PATH, before the rest, which stays as it was.
    let out = Command::new(&copy)
        .env("PATH", "/usr/bin:/bin")
        .args(["exec", "--", "sh", "-c", "echo \"$PATH\""])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}:/usr/bin:/bin\n", dir.path().display())
    );
}

#[test]
fn without_zpakey_next_to_it_exec_leaves_path_alone_and_says_what_to_do() {
    let (_dir, copy) = zpa_sim_in_a_directory(false);
    let out = Command::new(&copy)
        .env("PATH", "/usr/bin:/bin")
        .args(["exec", "--", "sh", "-c", "echo \"$PATH\""])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "/usr/bin:/bin\n");
    let out = Command::new(&copy)
        .env("PATH", "/usr/bin:/bin")
        .args(["exec", "--", "zpakey", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(127));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.ends_with(
            "hint: put zpakey on PATH, or run the zpa-sim built next to it: cargo build --workspace && target/debug/zpa-sim exec -- zpakey …\n"
        ),
        "{stderr}"
    );
}

#[test]
fn exec_says_it_is_a_simulator_and_names_the_demo_key() {
    let out = zpa_sim()
        .args(["exec", "--", "sh", "-c", "echo \"$ZPAKEY_API_URL\""])
        .output()
        .unwrap();
    assert!(out.status.success());
    let base = String::from_utf8(out.stdout).unwrap();
    let base = base.trim_end();
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "zpa-sim: running sh against a simulated ZPA tenant on {base} (not Zscaler), serving the demo tenant (22 keys)\n\
             zpa-sim: the keys are demo data, not yours: zpakey reveal --id 58856 prints the value of demo key 'tests-pkacg-vcr0003'\n"
        )
    );
    // Another tenant has no key 58856 to name.
    let out = zpa_sim()
        .args(["--generate", "5", "exec", "--", "true"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("a generated tenant (5 keys)"), "{stderr}");
    assert!(!stderr.contains("58856"), "{stderr}");
}
