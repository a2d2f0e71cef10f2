//! The shape of the requests, which is what latency costs: a cached token means one request,
//! and types and pages are asked concurrently. Asserted from the simulator's log, not timing.

use std::time::Duration;

use zpa_sim::{RequestRecord, Sim};

use crate::support::{GET_58856, sim, stderr_of, unauthorized, zpakey};

fn overlapping(requests: &[RequestRecord]) -> bool {
    let last_start = requests.iter().map(|r| r.started).max().unwrap();
    let first_end = requests.iter().map(|r| r.finished).min().unwrap();
    last_start < first_end
}

#[test]
fn a_warm_token_cache_makes_get_a_single_request() {
    let sim = sim();
    let cache = tempfile::tempdir().unwrap();
    let run = || {
        zpakey(&sim)
            .env("XDG_CACHE_HOME", cache.path())
            .env("ZPAKEY_TOKEN_CACHE", "1")
            .args(GET_58856)
            .assert()
            .success()
            .stdout("58856\n")
            .stderr("");
    };
    run();
    assert_eq!(sim.requests().len(), 2, "cold: a token and the key");
    sim.clear_requests();
    run();
    let requests = sim.requests();
    assert_eq!(requests.len(), 1, "warm: only the key: {requests:?}");
    assert!(requests[0].path.ends_with("/provisioningKey/58856"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = cache.path().join("zpakey");
        assert_eq!(
            std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
            0o700
        );
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1);
        assert_eq!(
            std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn the_token_cache_is_discarded_on_a_401() {
    let sim = sim();
    let cache = tempfile::tempdir().unwrap();
    let run = || {
        zpakey(&sim)
            .env("XDG_CACHE_HOME", cache.path())
            .args([
                "--token-cache",
                "get",
                "--id",
                "58856",
                "--type",
                "connector",
                "--field",
                "id",
            ])
            .assert()
            .success()
            .stdout("58856\n");
    };
    run();
    sim.inject(unauthorized(), 1);
    sim.clear_requests();
    run();
    let paths: Vec<String> = sim.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert_eq!(
        paths[1], "/oauth2/v1/token",
        "re-authenticated after the 401"
    );
    sim.clear_requests();
    run();
    assert_eq!(sim.requests().len(), 1, "the new token was cached");
}

#[test]
fn without_the_flag_nothing_is_written() {
    let sim = sim();
    let cache = tempfile::tempdir().unwrap();
    zpakey(&sim)
        .env("XDG_CACHE_HOME", cache.path())
        .args(["get", "--id", "58856", "--type", "connector"])
        .assert()
        .success();
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 0);
}

#[test]
fn type_probes_and_name_searches_are_concurrent() {
    let sim = Sim::builder()
        .rate_limit(false)
        .latency(Duration::from_millis(150))
        .start()
        .unwrap();
    for args in [
        &["get", "--id", "60301"][..],
        &["get", "--name", "branch-np-01"][..],
        &["reveal", "--id", "58857"][..],
        &["list"][..],
    ] {
        sim.clear_requests();
        let out = zpakey(&sim).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr_of(&out));
        let requests = sim.api_requests();
        assert_eq!(
            requests.len(),
            zpa_sim::AssociationType::ALL.len(),
            "{args:?}: one request per type: {requests:?}"
        );
        assert!(
            overlapping(&requests),
            "{args:?}: the types were asked at once"
        );
    }
}

#[test]
fn the_remaining_pages_are_fetched_concurrently() {
    let sim = Sim::builder()
        // 1,100 connector keys: three pages.
        .tenant(zpa_sim::Tenant::generated(
            1_100 * zpa_sim::AssociationType::ALL.len(),
        ))
        .rate_limit(false)
        .latency(Duration::from_millis(100))
        .start()
        .unwrap();
    zpakey(&sim)
        .args(["list", "--type", "connector", "-o", "json"])
        .assert()
        .success();
    let requests = sim.api_requests();
    assert_eq!(requests.len(), 3);
    let later: Vec<RequestRecord> = requests
        .into_iter()
        .filter(|r| {
            !r.query
                .as_deref()
                .unwrap_or_default()
                .starts_with("page=1&")
        })
        .collect();
    assert_eq!(later.len(), 2);
    assert!(overlapping(&later), "pages 2 and 3 were asked at once");
}

/// The system calls of one zpakey run, as strace records them; `None` without strace.
fn traced(sim: Option<&zpa_sim::SimHandle>, args: &[&str]) -> Option<String> {
    if std::process::Command::new("strace")
        .arg("-V")
        .output()
        .is_err()
    {
        eprintln!("note: strace is not installed; start-up system calls not checked");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("trace");
    let mut cmd = std::process::Command::new("strace");
    cmd.env_clear()
        .args(["-f", "-qq", "-e", "trace=socket,connect,openat,open", "-o"])
        .arg(&log)
        .arg(assert_cmd::cargo::cargo_bin("zpakey"))
        .args(args);
    if let Some(sim) = sim {
        for (k, v) in sim.env(zpa_sim::EnvMode::OneApi) {
            cmd.env(k, v);
        }
    }
    cmd.output().unwrap();
    Some(std::fs::read_to_string(log).unwrap())
}

fn touches_network_or_certificates(trace: &str) -> bool {
    trace
        .lines()
        .any(|l| l.contains("socket(") || l.contains("connect(") || l.contains("/etc/ssl"))
}

#[test]
fn help_version_completions_and_usage_errors_touch_no_network_or_certificates() {
    for args in [
        &["--version"][..],
        &["--help"][..],
        &["get", "--help"][..],
        &["completions", "bash"][..],
        &["get", "--id", "not-a-number"][..],
    ] {
        let Some(trace) = traced(None, args) else {
            return;
        };
        assert!(
            !touches_network_or_certificates(&trace),
            "{args:?}:\n{trace}"
        );
    }
    // The check can fail: a real command opens a socket and reads the trust store.
    let sim = sim();
    let trace = traced(Some(&sim), &GET_58856).unwrap();
    assert!(touches_network_or_certificates(&trace), "{trace}");
}
