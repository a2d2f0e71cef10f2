//! Reliability under the rate limit and faults: bounded give-up times, token refresh during a
//! long run, client-side pacing, many parallel jobs, and Ctrl-C.

use std::process::Command as StdCommand;
use std::time::{Duration, Instant};

use zpa_sim::{Fault, Sim, Tenant};

use crate::support::{GET_58856, process, stderr_of, stdout_of, zpakey};

#[test]
fn unrecoverable_faults_end_in_exit_6_within_max_wait_plus_one_timeout() {
    let (timeout, max_wait) = (1.0, 2.0);
    let faults = [
        Fault::RateLimited {
            retry_after: Some("1s".into()),
        },
        Fault::Unavailable { retry_after: None },
        Fault::ResourceAccessBlocked,
        Fault::HtmlBadGateway,
        Fault::DropConnection,
        Fault::Stall(Duration::from_secs(60)),
    ];
    for fault in faults {
        let name = format!("{fault:?}");
        let sim = Sim::builder().rate_limit(false).start().unwrap();
        sim.inject(fault, 1_000);
        let out = zpakey(&sim)
            .args(["--timeout", "1", "--max-wait", "2"])
            .args(["get", "--id", "58856", "--type", "connector"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(6), "{name}: {}", stderr_of(&out));
        assert!(out.stdout.is_empty(), "{name}");
        let stderr = stderr_of(&out);
        // The time zpakey reports having spent (its own clock, which its budget follows):
        // the whole --max-wait, and at most one --timeout more (with timer slack).
        let spent = spent_of(&stderr);
        assert!(
            (max_wait..=max_wait + timeout + 0.5).contains(&spent),
            "{name}: {stderr}"
        );
        assert!(
            stderr.starts_with("zpakey: error: gave up on GET key 58856 (CONNECTOR_GRP) after "),
            "{name}: {stderr}"
        );
        assert!(
            stderr.contains("last answer from http://127.0.0.1:"),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn a_retry_after_beyond_max_wait_gives_up_at_once() {
    let sim = Sim::builder().rate_limit(false).start().unwrap();
    sim.inject(
        Fault::RateLimited {
            retry_after: Some("120s".into()),
        },
        5,
    );
    let out = zpakey(&sim)
        .args([
            "--max-wait",
            "10",
            "get",
            "--id",
            "58856",
            "--type",
            "connector",
        ])
        .output()
        .unwrap();
    assert_eq!(sim.api_requests().len(), 1, "no second attempt, no wait");
    assert_eq!(out.status.code(), Some(6));
    let stderr = stderr_of(&out);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(
        lines[0].starts_with(
            "zpakey: error: gave up on GET key 58856 (CONNECTOR_GRP) after 1 attempt in "
        ),
        "{stderr}"
    );
    assert!(
        lines[0].ends_with(" s: the API asked to wait 120 s, more than --max-wait 10 s allows"),
        "{stderr}"
    );
    assert_eq!(
        lines[1],
        format!(
            "  last answer from {}/zpa/mgmtconfig/v1/admin/customers/{}/associationType/CONNECTOR_GRP/provisioningKey/58856: HTTP 429 (invalid.toomanyrequests: Exceeded the number of requests allowed.)",
            sim.base_url(),
            sim.tenant().customer_id()
        )
    );
    assert_eq!(
        lines[2],
        "hint: ZPA allows 20 GETs per 10 s per tenant; raise --max-wait (or ZPAKEY_MAX_WAIT) if other jobs share the limit"
    );
}

#[test]
fn retry_after_as_an_http_date_is_honoured() {
    let sim = Sim::builder().rate_limit(false).start().unwrap();
    let when = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    sim.inject(
        Fault::Unavailable {
            retry_after: Some(when),
        },
        1,
    );
    let started = Instant::now();
    zpakey(&sim)
        .args(GET_58856)
        .assert()
        .success()
        .stdout("58856\n");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited for the date"
    );
}

#[test]
fn a_long_list_paces_itself_and_renews_its_token() {
    // 2,100 keys of each of the five types: 5 pages each, 25 GETs, more than 20 per 10 s.
    let sim = Sim::builder()
        .tenant(Tenant::generated(10_500))
        .rate_limit(true)
        .token_lifetime(Duration::from_secs(4))
        .start()
        .unwrap();
    let out = zpakey(&sim).args(["list", "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let keys: Vec<serde_json::Value> = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(keys.len(), 10_500);
    assert_eq!(sim.api_requests().len(), 25);
    assert_eq!(sim.count_status(429), 0, "paced, not rate limited");
    assert_eq!(sim.count_status(401), 0, "renewed before expiry");
    let tokens = sim
        .requests()
        .iter()
        .filter(|r| r.path == "/oauth2/v1/token")
        .count();
    assert!(
        tokens >= 2,
        "the token was renewed during the run ({tokens})"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_exits_130_and_leaves_no_file() {
    let sim = Sim::builder().rate_limit(false).start().unwrap();
    sim.inject(Fault::Stall(Duration::from_secs(120)), 10);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key");
    let child = process(
        &sim,
        &[
            "reveal",
            "--id",
            "58856",
            "--type",
            "connector",
            "--out-file",
        ],
    )
    .arg(&path)
    .spawn()
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while sim.api_requests().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = StdCommand::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    // The key is stalled for 120 s: exit 130 (not 0 with a key) shows the interrupt ended it.
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    assert_eq!(stderr_of(&out), "zpakey: error: interrupted\n");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_host_that_refuses_connections_is_named() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sim = Sim::builder().rate_limit(false).start().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let out = zpakey(&sim)
        .env("ZPAKEY_AUTH_URL", format!("{url}/oauth2/v1/token"))
        .env("ZPAKEY_API_URL", &url)
        .args(["--max-wait", "1", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with("zpakey: error: gave up on sign-in after ")
            && stderr.contains(&format!(
                "\n  last answer from {url}/oauth2/v1/token: cannot connect to 127.0.0.1:{port}: "
            )),
        "{stderr}"
    );
    assert!(sim.requests().is_empty());
}

/// The seconds in "gave up on … after N attempts in 2.0 s: …".
pub fn spent_of(stderr: &str) -> f64 {
    stderr
        .split(" in ")
        .nth(1)
        .and_then(|rest| rest.split(" s:").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no time spent in: {stderr}"))
}
