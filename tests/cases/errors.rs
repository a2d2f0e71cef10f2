//! Errors: usage errors before any request, missing and rejected credentials, API faults,
//! retries that recover, and the JSON error envelope.

use zpa_sim::{Fault, FaultScope, Sim};

use crate::support::{GET_58856, bare, sim, stderr_of, unauthorized, zpakey, zpakey_legacy};

#[test]
fn usage_errors_exit_2_before_any_request() {
    let sim = sim();
    let cases: &[(&[&str], &str)] = &[
        (
            &["get", "--id", "12a"],
            "invalid value '12a' for '--id <ID>': ZPA ids are digits only, e.g. 58856",
        ),
        (&["get", "--id", "-5"], "unexpected argument '-5' found"),
        (
            &["get", "--id", "12345678901234567890"],
            "ZPA ids have at most 19 digits",
        ),
        (
            &["get", "--id", "1", "--type", "edge"],
            "invalid value 'edge' for '--type <TYPE>'",
        ),
        (&["get", "--name", ""], "a name cannot be empty"),
        (&["get", "--name", "   "], "a name cannot be empty"),
        (
            &["get", "--id", "1", "--name", "x"],
            "the argument '--id <ID>' cannot be used with '--name <NAME>'",
        ),
        (
            &["get"],
            "the following required arguments were not provided",
        ),
        (
            &["get", "--id", "1", "--field", "provisioning_key"],
            "invalid value 'provisioning_key' for '--field <FIELD>'",
        ),
        (
            &["reveal", "--id", "1", "--force"],
            "the following required arguments were not provided",
        ),
        (
            &["get", "--id", "1", "--ignore-case"],
            "the argument '--id <ID>' cannot be used with '--ignore-case'",
        ),
        (
            &["list", "--timeout", "0"],
            "invalid value '0' for '--timeout <SECONDS>'",
        ),
        (
            &["list", "-o", "yaml"],
            "invalid value 'yaml' for '--output <FORMAT>'",
        ),
        (
            &["list", "--microtenant-id", "abc"],
            "invalid value 'abc' for '--microtenant-id <ID>'",
        ),
        (&["frobnicate"], "unrecognized subcommand 'frobnicate'"),
    ];
    for (args, message) in cases {
        let out = zpakey(&sim).args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr_of(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
        let stderr = stderr_of(&out);
        assert!(stderr.starts_with("zpakey: error: "), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let long_name = "x".repeat(2000);
    zpakey(&sim)
        .args(["get", "--name", &long_name])
        .assert()
        .code(2);
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[test]
fn usage_errors_under_json_are_the_envelope() {
    bare()
        .args(["-o", "json", "get", "--id", "abc"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("{\"error\":{\"code\":\"usage\",\"exit\":2,\"message\":\"invalid value 'abc' for '--id <ID>': ZPA ids are digits only, e.g. 58856\"}}\n");
}

#[test]
fn missing_credentials_name_the_variables() {
    bare()
        .args(["list"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(
            "zpakey: error: ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET, ZSCALER_VANITY_DOMAIN, ZPA_CUSTOMER_ID not set: the OneAPI sign-in needs them\n\
             hint: set ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET (or ZSCALER_CLIENT_SECRET_FILE, or ZSCALER_PRIVATE_KEY), ZSCALER_VANITY_DOMAIN and ZPA_CUSTOMER_ID; for the legacy API pass --legacy\n\
             hint: the customer id is on the ZPA admin portal under Configuration & Control > Public API > API Keys\n",
        );
    bare()
        .env("ZSCALER_CLIENT_ID", "abc")
        .env("ZSCALER_CLIENT_SECRET", "s")
        .env("ZSCALER_VANITY_DOMAIN", "acme")
        .args(["list"])
        .assert()
        .code(3)
        .stderr(
            "zpakey: error: ZPA_CUSTOMER_ID not set: the OneAPI sign-in needs it\n\
             hint: the customer id is on the ZPA admin portal under Configuration & Control > Public API > API Keys\n",
        );
    bare()
        .env("ZPA_CUSTOMER_ID", "216196257331281920")
        .env("ZSCALER_CLIENT_ID", "abc")
        .args(["list"])
        .assert()
        .code(3)
        .stderr(
            "zpakey: error: ZSCALER_CLIENT_SECRET, ZSCALER_VANITY_DOMAIN not set: the OneAPI sign-in needs them\n\
             hint: set ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET (or ZSCALER_CLIENT_SECRET_FILE, or ZSCALER_PRIVATE_KEY), ZSCALER_VANITY_DOMAIN and ZPA_CUSTOMER_ID; for the legacy API pass --legacy\n",
        );
    bare()
        .env("ZPA_CUSTOMER_ID", "216196257331281920")
        .args(["--legacy", "list"])
        .assert()
        .code(3)
        .stderr(
            "zpakey: error: ZPA_CLIENT_ID, ZPA_CLIENT_SECRET not set: the legacy ZPA API sign-in needs them\n\
             hint: set ZPA_CLIENT_ID, ZPA_CLIENT_SECRET (or ZPA_CLIENT_SECRET_FILE) and ZPA_CUSTOMER_ID\n",
        );
}

#[test]
fn rejected_credentials_are_exit_3_in_both_modes() {
    let sim = sim();
    let out = zpakey(&sim)
        .env("ZSCALER_CLIENT_SECRET", "wrong-secret")
        .args(["list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with(
            "zpakey: error: ZIdentity rejected the credentials (HTTP 401: invalid_client"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: check ZSCALER_CLIENT_ID and ZSCALER_CLIENT_SECRET"),
        "{stderr}"
    );
    assert!(!stderr.contains("wrong-secret"));

    let out = zpakey_legacy(&sim)
        .env("ZPA_CLIENT_SECRET", "wrong-secret")
        .args(["list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with("zpakey: error: the legacy ZPA API rejected the credentials (HTTP 401"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: a tenant migrated to ZIdentity accepts only OneAPI"),
        "{stderr}"
    );
    // Credentials are checked once: no retries against a token endpoint that said no.
    let sign_ins = sim
        .requests()
        .iter()
        .filter(|r| r.path == "/oauth2/v1/token" || r.path == "/signin")
        .count();
    assert_eq!(sign_ins, 2);
}

#[test]
fn a_token_refused_twice_is_a_credentials_error() {
    let sim = sim();
    sim.inject(unauthorized(), 2);
    let out = zpakey(&sim)
        .args(["get", "--id", "58856", "--type", "connector"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert_eq!(
        stderr_of(&out),
        "zpakey: error: the API rejected a freshly issued token (HTTP 401 (unauthorized))\n\
         hint: check that ZPA_CUSTOMER_ID is this API client's tenant and that the client has a ZPA role\n"
    );
    let tokens = sim
        .requests()
        .iter()
        .filter(|r| r.path == "/oauth2/v1/token")
        .count();
    assert_eq!(tokens, 2, "one re-authentication");
}

#[test]
fn an_expired_token_costs_one_reauthentication() {
    let sim = sim();
    sim.inject(unauthorized(), 1);
    zpakey(&sim)
        .args(GET_58856)
        .assert()
        .success()
        .stdout("58856\n")
        .stderr("");
}

#[test]
fn transient_faults_are_retried() {
    let faults = [
        Fault::RateLimited {
            retry_after: Some("1s".into()),
        },
        Fault::RateLimited {
            retry_after: Some("1".into()),
        },
        Fault::Unavailable {
            retry_after: Some("1s".into()),
        },
        Fault::ResourceAccessBlocked,
        Fault::HtmlBadGateway,
        Fault::DropConnection,
        Fault::Stall(std::time::Duration::from_secs(30)),
    ];
    for fault in faults {
        let sim = sim();
        let name = format!("{fault:?}");
        sim.inject(fault, 1);
        let out = zpakey(&sim)
            .args([
                "--timeout",
                "1",
                "get",
                "--id",
                "58856",
                "--type",
                "connector",
                "--field",
                "id",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr_of(&out));
        assert_eq!(crate::support::stdout_of(&out), "58856\n", "{name}");
        assert_eq!(sim.api_requests().len(), 2, "{name}: one retry");
    }
}

#[test]
fn unreadable_answers_are_exit_6_and_never_partial_output() {
    let sim = sim();
    sim.inject(Fault::TruncatedJson, 1);
    let out = zpakey(&sim)
        .args(["list", "--type", "connector"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    assert!(out.stdout.is_empty());
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with("zpakey: error: unreadable answer to list CONNECTOR_GRP page 1: HTTP 200, application/json"),
        "{stderr}"
    );
    crate::support::assert_no_key_material(&stderr, sim.tenant());
}

#[test]
fn persistent_faults_give_up_within_max_wait() {
    let sim = sim();
    sim.inject(Fault::HtmlBadGateway, 100);
    let out = zpakey(&sim)
        .args([
            "--max-wait",
            "2",
            "get",
            "--id",
            "58856",
            "--type",
            "connector",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let stderr = stderr_of(&out);
    let spent = crate::cases::reliability::spent_of(&stderr);
    assert!((2.0..=2.0 + 30.0).contains(&spent), "{stderr}");
    assert!(
        stderr.starts_with("zpakey: error: gave up on GET key 58856 (CONNECTOR_GRP) after "),
        "{stderr}"
    );
    assert!(stderr.contains(": HTTP 502 (text/html"), "{stderr}");
}

#[test]
fn a_504_is_retried() {
    let sim = sim();
    sim.inject(
        Fault::Status {
            status: 504,
            body: "upstream timed out".into(),
            content_type: "text/plain".into(),
            headers: vec![],
        },
        1,
    );
    zpakey(&sim)
        .args(GET_58856)
        .assert()
        .success()
        .stdout("58856\n")
        .stderr("");
    assert_eq!(sim.api_requests().len(), 2);
}

#[test]
fn dropped_and_stalled_sign_ins_are_retried() {
    for fault in [
        Fault::DropConnection,
        Fault::Stall(std::time::Duration::from_secs(30)),
        Fault::HtmlBadGateway,
    ] {
        let sim = sim();
        let name = format!("{fault:?}");
        sim.inject_scoped(fault, 1, FaultScope::Token);
        zpakey(&sim)
            .args(["--timeout", "1"])
            .args(GET_58856)
            .assert()
            .success()
            .stdout("58856\n");
        let sign_ins = sim
            .requests()
            .iter()
            .filter(|r| r.path == "/oauth2/v1/token")
            .count();
        assert_eq!(sign_ins, 2, "{name}: one retry of the sign-in");
    }
}

#[test]
fn faults_at_the_token_endpoint_are_retried_too() {
    let sim = Sim::builder().rate_limit(false).start().unwrap();
    sim.inject_scoped(
        Fault::Unavailable {
            retry_after: Some("1s".into()),
        },
        1,
        FaultScope::Token,
    );
    zpakey(&sim)
        .args(GET_58856)
        .assert()
        .success()
        .stdout("58856\n");
}

#[test]
fn wrong_field_types_and_oversized_bodies_are_exit_6() {
    let sim = sim();
    let ok = |body: String| Fault::Status {
        status: 200,
        body,
        content_type: "application/json".into(),
        headers: vec![],
    };
    sim.inject(
        ok(r#"{"id":"58856","name":"k","enabled":"perhaps"}"#.into()),
        1,
    );
    let out = zpakey(&sim)
        .args(["get", "--id", "58856", "--type", "connector"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    assert!(out.stdout.is_empty());
    assert!(
        stderr_of(&out).starts_with(
            "zpakey: error: unreadable answer to GET key 58856 (CONNECTOR_GRP): HTTP 200, application/json, expected true or false, got \"perhaps\""
        ),
        "{}",
        stderr_of(&out)
    );

    let huge = format!(
        r#"{{"id":"58856","name":"{}"}}"#,
        "x".repeat(17 * 1024 * 1024)
    );
    sim.inject(ok(huge), 1);
    let out = zpakey(&sim)
        .args(["get", "--id", "58856", "--type", "connector"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    assert_eq!(
        stderr_of(&out),
        "zpakey: error: unreadable answer: HTTP 200, application/json, body larger than 16 MiB\n"
    );
}

#[test]
fn no_command_prints_the_help_as_a_usage_error() {
    let out = bare().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with("Read Zscaler Private Access provisioning keys"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Usage: zpakey [OPTIONS] <COMMAND>"),
        "{stderr}"
    );
    assert!(!stderr.contains("generate"), "{stderr}");
    // The same where settings come from the environment, as in any CI job (clap counts
    // those as arguments given); in JSON, the commands a person may use.
    let sim = sim();
    let with_settings = zpakey(&sim).env("ZPAKEY_MAX_WAIT", "30").output().unwrap();
    assert_eq!(with_settings.status.code(), Some(2));
    assert_eq!(stderr_of(&with_settings), stderr);
    assert!(with_settings.stdout.is_empty());
    zpakey(&sim)
        .env("ZPAKEY_OUTPUT", "json")
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "{\"error\":{\"code\":\"usage\",\"exit\":2,\"message\":\"give a command: get, list, reveal, check, exec, inject, auth, completions\"}}\n",
        );
}

#[test]
fn a_404_means_not_here_like_zpas_400_not_found() {
    let sim = sim();
    sim.inject(
        Fault::Status {
            status: 404,
            body: r#"{"id": "resource.not.found", "message": "Resource not found"}"#.into(),
            content_type: "application/json".into(),
            headers: vec![],
        },
        1,
    );
    zpakey(&sim)
        .args(GET_58856)
        .assert()
        .code(4)
        .stdout("")
        .stderr(
            "zpakey: error: no provisioning key has id 58856 under CONNECTOR_GRP\n\
             hint: run 'zpakey list' to see the keys this API client can read\n",
        );
}
