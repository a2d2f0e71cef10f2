//! What an API call does with its token: each API's 401 without a usable one, tokens
//! bound to their prefix and customer, and token expiry.

use std::time::Duration;

use serde_json::{Value, json};
use zpa_sim::{API_AUDIENCE, Sim};

use super::*;

#[tokio::test]
async fn api_calls_without_a_usable_token_get_each_apis_401() {
    let sim = Sim::builder().rate_limit(false).start().unwrap();
    let one = oneapi_token(&sim).await;
    let legacy = legacy_token(&sim).await;
    let one_url = keys_url(&sim, Api::OneApi, "CONNECTOR_GRP", "");
    let legacy_url = keys_url(&sim, Api::Legacy, "CONNECTOR_GRP", "");
    let denied = json!({"id": "access.denied", "reason": "Access denied"});

    // Missing token.
    let resp = client().get(&one_url).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    assert_eq!(resp.headers()["content-type"], "application/json");
    assert_eq!(resp.text().await.unwrap(), RECORDED_401);
    let resp = client().get(&legacy_url).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    assert_eq!(resp.json::<Value>().await.unwrap(), denied);

    // Invalid token, wrong scheme.
    assert_eq!(get_raw(&one_url, "simtok-made-up").await.2, RECORDED_401);
    let resp = client()
        .get(&one_url)
        .header("authorization", format!("Basic {one}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);

    // Each token works only under its own prefix.
    assert_eq!(get_raw(&one_url, &one).await.0, 200);
    assert_eq!(get_raw(&legacy_url, &legacy).await.0, 200);
    let (status, _, body) = get_raw(&one_url, &legacy).await;
    assert_eq!((status, body.as_str()), (401, RECORDED_401));
    let (status, body) = get_json(&legacy_url, &one).await;
    assert_eq!((status, body), (401, denied.clone()));

    // A token is valid only for its own customer.
    for api in [Api::OneApi, Api::Legacy] {
        let token = if api == Api::OneApi { &one } else { &legacy };
        let url = keys_url_for(&sim, api, "216196257331281921", "CONNECTOR_GRP", "");
        assert_eq!(get_raw(&url, token).await.0, 401, "{api:?}");
        let url = keys_url_for(&sim, api, "216196257331281921", "CONNECTOR_GRP", "/58856");
        assert_eq!(get_raw(&url, token).await.0, 401, "{api:?}");
    }

    // A token from another simulator means nothing here.
    let other = Sim::builder().start().unwrap();
    let foreign = oneapi_token(&other).await;
    assert_eq!(get_raw(&one_url, &foreign).await.0, 401);
}

#[tokio::test]
async fn tokens_expire_after_the_configured_lifetime() {
    // Long enough that the GETs below come well within it on any machine.
    let lifetime = Duration::from_secs(4);
    let sim = Sim::builder().token_lifetime(lifetime).start().unwrap();
    let token = oneapi_token(&sim).await;
    let legacy = legacy_token(&sim).await;
    let url = keys_url(&sim, Api::OneApi, "CONNECTOR_GRP", "/58856");
    let legacy_url = keys_url(&sim, Api::Legacy, "CONNECTOR_GRP", "/58856");
    assert_eq!(get_raw(&url, &token).await.0, 200);
    assert_eq!(get_raw(&legacy_url, &legacy).await.0, 200);
    // Past the lifetime of the later of the two tokens.
    let issued = sim.requests().iter().map(|r| r.finished).max().unwrap();
    let wait = (issued + lifetime + Duration::from_millis(100))
        .saturating_duration_since(std::time::Instant::now());
    tokio::time::sleep(wait).await;
    let (status, _, body) = get_raw(&url, &token).await;
    assert_eq!((status, body.as_str()), (401, RECORDED_401));
    assert_eq!(get_raw(&legacy_url, &legacy).await.0, 401);

    // The knob applies to tokens issued afterwards, and shows in expires_in.
    sim.set_token_lifetime(Duration::from_secs(5));
    let c = sim.tenant().credentials().clone();
    let (status, body) = token_request(
        &sim,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", c.client_id.as_str()),
            ("client_secret", c.client_secret.as_str()),
            ("audience", API_AUDIENCE),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["expires_in"],
        5
    );
    let resp = client()
        .post(format!("{}/signin", sim.base_url()))
        .form(&[
            ("client_id", c.legacy_client_id.as_str()),
            ("client_secret", c.legacy_client_secret.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.json::<Value>().await.unwrap()["expires_in"], "5");
}
