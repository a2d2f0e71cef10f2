//! The `zpa-sim` command: serve mode prints the environment and serves until SIGTERM;
//! `exec` runs a command against a fresh simulator and passes its exit status on.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_zpa-sim");

fn zpa_sim() -> Command {
    let mut cmd = Command::new(BIN);
    // A stale environment must not leak into what exec hands the child.
    cmd.env("ZPA_CLIENT_ID", "stale-legacy-id")
        .env("ZSCALER_CLOUD", "beta")
        .env("ZPA_MICROTENANT_ID", "123")
        .env("ZSCALER_CLIENT_SECRET_FILE", "/nonexistent")
        .env("ZSCALER_PRIVATE_KEY", "/nonexistent.pem")
        .env("ZSCALER_CLIENT_ID", "stale-oneapi-id");
    cmd
}

/// Parses `export NAME='value'` lines (values without embedded quotes).
fn parse_export(line: &str) -> (String, String) {
    let rest = line
        .strip_prefix("export ")
        .unwrap_or_else(|| panic!("{line}"));
    let (name, value) = rest.split_once('=').unwrap();
    let value = value
        .strip_prefix('\'')
        .unwrap()
        .strip_suffix('\'')
        .unwrap();
    (name.to_owned(), value.to_owned())
}

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

#[tokio::test]
async fn serve_prints_exports_and_stops_on_sigterm() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--no-rate-limit"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut env = Vec::new();
    for _ in 0..6 {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        env.push(parse_export(line.trim_end()));
    }
    let names: Vec<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "ZSCALER_CLIENT_ID",
            "ZSCALER_CLIENT_SECRET",
            "ZSCALER_VANITY_DOMAIN",
            "ZPA_CUSTOMER_ID",
            "ZPAKEY_API_URL",
            "ZPAKEY_AUTH_URL"
        ]
    );
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut banner = String::new();
    for _ in 0..3 {
        stderr.read_line(&mut banner).unwrap();
    }
    let base = &env[4].1;
    assert_eq!(
        banner,
        format!(
            "# zpa-sim serving the demo tenant (22 keys) on {base} — a simulator, not Zscaler; Ctrl-C to stop\n\
             # paste the export lines into another shell, then run zpakey (or your script) there, e.g. zpakey list\n\
             # the keys are demo data, not yours: zpakey reveal --id 58856 prints the value of demo key 'tests-pkacg-vcr0003'\n"
        )
    );

    let get = |k: &str| env.iter().find(|(n, _)| n == k).unwrap().1.clone();
    let resp = client()
        .post(get("ZPAKEY_AUTH_URL"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", get("ZSCALER_CLIENT_ID").as_str()),
            ("client_secret", get("ZSCALER_CLIENT_SECRET").as_str()),
            ("audience", zpa_sim::API_AUDIENCE),
        ])
        .send()
        .await
        .unwrap();
    let token = resp.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = format!(
        "{base}/zpa/mgmtconfig/v1/admin/customers/{}/associationType/NP_ASSISTANT_GRP/provisioningKey",
        get("ZPA_CUSTOMER_ID")
    );
    let (status, page) = get_json(&url, &token).await;
    assert_eq!((status, page["totalCount"].as_str()), (200, Some("1")));

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "", "nothing else on stdout");
}

#[test]
fn serve_legacy_prints_the_legacy_exports() {
    let mut child = Command::new(BIN)
        .args(["--legacy", "--generate", "30"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut names = Vec::new();
    for _ in 0..5 {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        names.push(parse_export(line.trim_end()).0);
    }
    let mut banner = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut banner)
        .unwrap();
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(
        names,
        [
            "ZSCALER_USE_LEGACY_CLIENT",
            "ZPA_CLIENT_ID",
            "ZPA_CLIENT_SECRET",
            "ZPA_CUSTOMER_ID",
            "ZPAKEY_API_URL"
        ]
    );
    assert!(banner.contains("a generated tenant (30 keys)"), "{banner}");
    assert!(banner.contains("(legacy API)"), "{banner}");
}

#[test]
fn bad_options_are_usage_errors() {
    let out = Command::new(BIN)
        .args([
            "--tenant",
            "x.json",
            "--generate",
            "3",
            "exec",
            "--",
            "true",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN)
        .args(["--fault", "teapot", "exec", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown fault"));

    let dir = std::env::temp_dir().join(format!("zpa-sim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("tenant.json");
    std::fs::write(
        &bad,
        r#"{"customerId":"1","provisioningKeys":{"CONNECTOR_GRP":[{"id":"1"}]}}"#,
    )
    .unwrap();
    let out = Command::new(BIN)
        .arg("--tenant")
        .arg(&bad)
        .args(["exec", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("tenant.json") && stderr.contains("missing \"name\""),
        "{stderr}"
    );

    let good = dir.join("good.json");
    std::fs::write(&good, r#"{"customerId":"5","provisioningKeys":{}}"#).unwrap();
    let out = Command::new(BIN)
        .arg("--tenant")
        .arg(&good)
        .args(["exec", "--", "sh", "-c", "echo $ZPA_CUSTOMER_ID"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "5");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn help_documents_the_modes_and_knobs() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for word in [
        "exec",
        "--port",
        "--legacy",
        "--private-key",
        "--tenant",
        "--generate",
        "--latency-ms",
        "--token-lifetime",
        "--no-rate-limit",
        "--search-case",
        "--special-char-search",
        "--fault",
        "html502",
        "export NAME='value'",
    ] {
        assert!(help.contains(word), "--help lacks {word}");
    }
    let out = Command::new(BIN).args(["exec", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("CMD"));
}

#[test]
fn a_stalled_serve_stops_promptly() {
    let mut child = Command::new(BIN)
        .args(["--fault", "stall", "--stall-secs", "60"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut base = String::new();
    for _ in 0..6 {
        line.clear();
        stdout.read_line(&mut line).unwrap();
        let (name, value) = parse_export(line.trim_end());
        if name == "ZPAKEY_API_URL" {
            base = value;
        }
    }
    // Leave a GET stalled on the server, then stop it.
    let port: u16 = base.rsplit(':').next().unwrap().parse().unwrap();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /zpa/mgmtconfig/v1/admin/customers/{CUSTOMER}/associationType/CONNECTOR_GRP/provisioningKey HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(child.wait().unwrap().success());
    // Had it waited out the 60 s stall, the request would have been answered; it was cut.
    let mut answer = Vec::new();
    let _ = std::io::Read::read_to_end(&mut stream, &mut answer);
    assert!(
        !String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"),
        "the stalled request was answered: the server waited for it"
    );
}

#[tokio::test]
async fn serve_refuses_the_new_types_and_serves_them_from_a_tenant_file() {
    let dir = std::env::temp_dir().join(format!("zpa-sim-cli-new-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tenant.json");
    std::fs::write(
        &file,
        r#"{"customerId":"42","provisioningKeys":{
            "SITE_CONTROLLER_GRP":[{"id":"401","name":"pcc"}],
            "EXPORTER_GRP":[{"id":"501","name":"exp"}]}}"#,
    )
    .unwrap();
    for (flag, refused, status) in [
        ("SITE_CONTROLLER_GRP:forbidden", "SITE_CONTROLLER_GRP", 403),
        ("exporter_grp:unsupported", "EXPORTER_GRP", 400),
    ] {
        let mut child = Command::new(BIN)
            .arg("--tenant")
            .arg(&file)
            .args(["--no-rate-limit", "--refuse-type", flag])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut env = Vec::new();
        for _ in 0..6 {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            env.push(parse_export(line.trim_end()));
        }
        let mut banner = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut banner)
            .unwrap();
        assert!(banner.contains("(2 keys)"), "{banner}");
        let get = |k: &str| env.iter().find(|(n, _)| n == k).unwrap().1.clone();
        let resp = client()
            .post(get("ZPAKEY_AUTH_URL"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", get("ZSCALER_CLIENT_ID").as_str()),
                ("client_secret", get("ZSCALER_CLIENT_SECRET").as_str()),
                ("audience", zpa_sim::API_AUDIENCE),
            ])
            .send()
            .await
            .unwrap();
        let token = resp.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        for (ty, id) in [("SITE_CONTROLLER_GRP", "401"), ("EXPORTER_GRP", "501")] {
            let url = format!(
                "{}/zpa/mgmtconfig/v1/admin/customers/42/associationType/{ty}/provisioningKey",
                get("ZPAKEY_API_URL")
            );
            let expected = if ty == refused { status } else { 200 };
            let (got, page) = get_json(&url, &token).await;
            assert_eq!(got, expected, "{flag} {ty}");
            if expected == 200 {
                assert_eq!(ids(&page), [id]);
            }
            let (got, _) = get_json(&format!("{url}/{id}"), &token).await;
            assert_eq!(got, expected, "{flag} {ty}/{id}");
        }
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(child.wait().unwrap().success());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn refuse_type_names_every_type_when_given_an_unknown_one() {
    let out = Command::new(BIN)
        .args(["--refuse-type", "PCC_GRP:forbidden", "exec", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for ty in zpa_sim::AssociationType::ALL {
        assert!(stderr.contains(ty.as_str()), "{stderr}");
    }
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("SITE_CONTROLLER_GRP"), "{help}");
    assert!(help.contains("five association types"), "{help}");
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
