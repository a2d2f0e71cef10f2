//! Serve mode: the export lines and banner it prints, serving until SIGTERM, stopping
//! promptly while a request stalls, and refusing types given with --refuse-type.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use super::*;

fn exported(env: &[(String, String)], name: &str) -> String {
    env.iter().find(|(n, _)| n == name).unwrap().1.clone()
}

/// Signs in as a client given only serve mode's export lines would.
async fn sign_in_with(env: &[(String, String)]) -> String {
    let resp = client()
        .post(exported(env, "ZPAKEY_AUTH_URL"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", exported(env, "ZSCALER_CLIENT_ID").as_str()),
            (
                "client_secret",
                exported(env, "ZSCALER_CLIENT_SECRET").as_str(),
            ),
            ("audience", zpa_sim::API_AUDIENCE),
        ])
        .send()
        .await
        .unwrap();
    resp.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
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

    let get = |k: &str| exported(&env, k);
    let token = sign_in_with(&env).await;
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
        let get = |k: &str| exported(&env, k);
        let token = sign_in_with(&env).await;
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
