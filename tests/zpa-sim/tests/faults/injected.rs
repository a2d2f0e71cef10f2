//! Injected faults: fixed answers, truncated bodies, stalls, dropped connections, their
//! count, scope and order, and latency.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use zpa_sim::{Fault, FaultScope, Sim};

use super::*;

#[tokio::test]
async fn fixed_answer_faults() {
    let sim = Sim::builder().rate_limit(false).start().unwrap();
    let token = oneapi_token(&sim).await;

    sim.inject(
        Fault::Unavailable {
            retry_after: Some("10s".into()),
        },
        1,
    );
    let (status, headers, body) = get_raw(&url(&sim), &token).await;
    assert_eq!(status, 503);
    assert_eq!(headers["retry-after"], "10s");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"id": "retryable.server.error", "reason": "An error occurred. Refer to the Retry-After header, and then try again."})
    );

    sim.inject(Fault::ResourceAccessBlocked, 1);
    let (status, body) = get_json(&url(&sim), &token).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"id": "resource.access.blocked", "reason": "Resource Access Blocked"})
    );

    sim.inject(Fault::HtmlBadGateway, 1);
    let (status, headers, body) = get_raw(&url(&sim), &token).await;
    assert_eq!(status, 502);
    assert_eq!(headers["content-type"], "text/html");
    assert!(body.contains("<title>502 Bad Gateway</title>"));
    assert!(serde_json::from_str::<Value>(&body).is_err());

    sim.inject(
        Fault::Status {
            status: 400,
            body: r#"{"id":"bad.request","reason":"key 3|api.private.zscaler.com|leak"}"#.into(),
            content_type: "application/json".into(),
            headers: vec![("x-odd".into(), "yes".into())],
        },
        1,
    );
    let (status, headers, body) = get_raw(&url(&sim), &token).await;
    assert_eq!(status, 400);
    assert_eq!(headers["x-odd"], "yes");
    assert!(body.contains("3|api.private.zscaler.com|leak"));

    // Every fault was used once: the next request is served normally.
    assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    let faults: Vec<Option<String>> = sim.api_requests().into_iter().map(|r| r.fault).collect();
    assert_eq!(
        faults,
        [
            Some("503"),
            Some("blocked"),
            Some("html502"),
            Some("status"),
            None
        ]
        .map(|f| f.map(str::to_owned))
    );
}

#[tokio::test]
async fn a_truncated_body_is_half_the_real_one() {
    let sim = Sim::builder().rate_limit(false).start().unwrap();
    let token = oneapi_token(&sim).await;
    let (_, _, full) = get_raw(&url(&sim), &token).await;
    sim.inject(Fault::TruncatedJson, 1);
    let resp = client()
        .get(url(&sim))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "application/json;charset=utf-8"
    );
    let cut = resp.bytes().await.unwrap();
    assert_eq!(cut.len(), full.len() / 2);
    assert!(full.as_bytes().starts_with(&cut));
    assert!(serde_json::from_slice::<Value>(&cut).is_err());

    sim.inject(Fault::TruncatedJson, 1);
    let resp = client()
        .get(url(&sim))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(resp.json::<Value>().await.is_err());
}

#[tokio::test]
async fn a_stall_is_seen_as_a_timeout_and_does_not_block_others_or_shutdown() {
    let sim = Sim::builder().rate_limit(false).start().unwrap();
    let token = oneapi_token(&sim).await;
    sim.inject(Fault::Stall(Duration::from_secs(60)), 1);
    let impatient = client_with_timeout(Duration::from_secs(1));
    let stalled = {
        let (url, token, impatient) = (url(&sim), token.clone(), impatient.clone());
        tokio::spawn(async move { impatient.get(url).bearer_auth(token).send().await })
    };
    // Let the stalled request take the fault before the others arrive.
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Other connections are served meanwhile.
    assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    let err = stalled.await.unwrap().unwrap_err();
    assert!(err.is_timeout(), "{err}");

    // A short stall answers normally, late.
    sim.inject(Fault::Stall(Duration::from_millis(300)), 1);
    let t = Instant::now();
    assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));

    // Shutdown does not wait for the 60 s stall.
    sim.inject(Fault::Stall(Duration::from_secs(60)), 1);
    let pending = {
        let (url, token) = (url(&sim), token.clone());
        tokio::spawn(async move { client().get(url).bearer_auth(token).send().await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop(sim);
    // Had the drop waited out the stall, the request would have been answered.
    assert!(pending.await.unwrap().is_err());
}

#[tokio::test]
async fn a_dropped_connection_is_a_connection_error_for_the_client() {
    let sim = Sim::builder().rate_limit(false).start().unwrap();
    let token = oneapi_token(&sim).await;
    sim.inject(Fault::DropConnection, 1);
    let err = client()
        .get(url(&sim))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_err();
    assert!(err.status().is_none());
    assert!(!err.is_timeout());
    assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    let log = sim.api_requests();
    assert_eq!((log[0].status, log[0].fault.as_deref()), (0, Some("drop")));
    assert_eq!(log[1].status, 200);
}

#[test]
fn a_dropped_connection_writes_not_a_single_byte() {
    // A plain #[test]: start() must not need the caller to be inside a runtime.
    let sim = Sim::builder().start().unwrap();
    sim.inject(Fault::DropConnection, 1);
    let mut stream = TcpStream::connect(("127.0.0.1", sim.port())).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "GET /zpa/mgmtconfig/v1/admin/customers/{CUSTOMER}/associationType/CONNECTOR_GRP/provisioningKey HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut received = Vec::new();
    // EOF (Ok) or a reset (Err) both mean: closed without an answer.
    let _ = stream.read_to_end(&mut received);
    assert!(
        received.is_empty(),
        "{}",
        String::from_utf8_lossy(&received)
    );

    // The next connection gets an answer.
    let mut stream = TcpStream::connect(("127.0.0.1", sim.port())).unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
}

#[tokio::test]
async fn faults_honour_their_count_scope_and_order() {
    let sim = Sim::builder().rate_limit(false).start().unwrap();
    let token = oneapi_token(&sim).await;

    sim.inject(Fault::HtmlBadGateway, 2);
    sim.inject(Fault::ResourceAccessBlocked, 1);
    // Api-scoped faults leave token requests alone.
    oneapi_token(&sim).await;
    let statuses = [
        get_raw(&url(&sim), &token).await.0,
        get_raw(&url(&sim), &token).await.0,
        get_raw(&url(&sim), &token).await.0,
        get_raw(&url(&sim), &token).await.0,
    ];
    assert_eq!(statuses, [502, 502, 401, 200]);

    // Token-scoped faults hit token and sign-in requests only.
    sim.inject_scoped(
        Fault::Unavailable { retry_after: None },
        2,
        FaultScope::Token,
    );
    assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    let c = sim.tenant().credentials().clone();
    let resp = client()
        .post(sim.token_url())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 503);
    let resp = client()
        .post(format!("{}/signin", sim.base_url()))
        .form(&[("client_id", c.legacy_client_id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 503);
    oneapi_token(&sim).await;

    // Any-scoped faults hit whatever comes next, even unknown routes.
    sim.inject_scoped(Fault::HtmlBadGateway, 3, FaultScope::Any);
    let resp = client()
        .get(format!("{}/nowhere", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 502);
    let resp = client()
        .post(sim.token_url())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 502);
    assert_eq!(get_raw(&url(&sim), &token).await.0, 502);
    assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
}

#[tokio::test]
async fn token_requests_can_be_dropped_or_stalled() {
    let sim = Sim::builder().start().unwrap();
    sim.inject_scoped(Fault::DropConnection, 1, FaultScope::Token);
    let c = sim.tenant().credentials().clone();
    let err = client()
        .post(sim.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", c.client_id.as_str()),
            ("client_secret", c.client_secret.as_str()),
            ("audience", zpa_sim::API_AUDIENCE),
        ])
        .send()
        .await
        .unwrap_err();
    assert!(err.status().is_none());
    sim.inject_scoped(Fault::Stall(Duration::from_secs(30)), 1, FaultScope::Token);
    let err = client_with_timeout(Duration::from_millis(500))
        .post(sim.token_url())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    oneapi_token(&sim).await;
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let sim = Sim::builder()
        .latency(Duration::from_millis(250))
        .start()
        .unwrap();
    let t = Instant::now();
    let token = oneapi_token(&sim).await;
    assert!(t.elapsed() >= Duration::from_millis(250));
    sim.set_latency(Duration::from_millis(400));
    let t = Instant::now();
    assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    assert!(t.elapsed() >= Duration::from_millis(400));
    // Back to zero: a request sent now overtakes one still sleeping out a long latency.
    sim.set_latency(Duration::from_secs(30));
    let slow = {
        let (url, token) = (url(&sim), token.clone());
        tokio::spawn(async move { get_raw(&url, &token).await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    sim.set_latency(Duration::ZERO);
    assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    assert!(
        !slow.is_finished(),
        "the zero-latency request came back first"
    );
    slow.abort();
}

#[test]
#[should_panic(expected = "Fault::Status")]
fn an_invalid_status_fault_is_refused_where_it_is_injected() {
    let sim = Sim::builder().start().unwrap();
    sim.inject(
        Fault::Status {
            status: 42,
            body: String::new(),
            content_type: "text/plain".into(),
            headers: vec![],
        },
        1,
    );
}
