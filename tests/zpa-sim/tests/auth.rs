//! Authentication: the OneAPI token endpoint (secret, Basic, RS256 assertion), legacy
//! sign-in, and the 401s an API call gets without a usable token.

mod common;

use std::time::Duration;

use base64::Engine as _;
use common::*;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};
use zpa_sim::{API_AUDIENCE, AssertionAudience, DEMO_PRIVATE_KEY_PEM, Sim};

#[tokio::test]
async fn client_secret_in_the_body_gets_a_bearer_token() {
    let sim = Sim::builder().start().unwrap();
    let c = sim.tenant().credentials().clone();
    let resp = client()
        .post(sim.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", c.client_id.as_str()),
            ("client_secret", c.client_secret.as_str()),
            ("audience", API_AUDIENCE),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "application/json;charset=UTF-8"
    );
    let text = resp.text().await.unwrap();
    assert!(!text.contains(&c.client_secret));
    let body: Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["access_token", "token_type", "expires_in"]);
    let token = body["access_token"].as_str().unwrap();
    assert!(token.starts_with("simtok-") && token.len() >= 32, "{token}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(sim.issued_tokens(), [token]);
}

#[tokio::test]
async fn http_basic_credentials_are_accepted() {
    let sim = Sim::builder().start().unwrap();
    let c = sim.tenant().credentials().clone();
    let ok = client()
        .post(sim.token_url())
        .basic_auth(&c.client_id, Some(&c.client_secret))
        .form(&[
            ("grant_type", "client_credentials"),
            ("audience", API_AUDIENCE),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().await.unwrap();
    assert!(
        body["access_token"]
            .as_str()
            .unwrap()
            .starts_with("simtok-")
    );

    let bad = client()
        .post(sim.token_url())
        .basic_auth(&c.client_id, Some("wrong"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("audience", API_AUDIENCE),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");

    let garbage = client()
        .post(sim.token_url())
        .header(
            "authorization",
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode("no-colon")
            ),
        )
        .form(&[
            ("grant_type", "client_credentials"),
            ("audience", API_AUDIENCE),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 401);
}

/// A token request's form fields.
type Form<'a> = Vec<(&'a str, &'a str)>;

async fn token_request(sim: &zpa_sim::SimHandle, form: &[(&str, &str)]) -> (u16, String) {
    let resp = client()
        .post(sim.token_url())
        .form(form)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test]
async fn token_failures_are_oauth_errors_that_never_echo_the_secret() {
    let sim = Sim::builder().start().unwrap();
    let c = sim.tenant().credentials().clone();
    let id = c.client_id.as_str();
    let secret = c.client_secret.as_str();
    let gt = ("grant_type", "client_credentials");
    let aud = ("audience", API_AUDIENCE);
    let cases: Vec<(Form, u16, &str)> = vec![
        (
            vec![gt, ("client_id", id), ("client_secret", "not-it"), aud],
            401,
            "invalid_client",
        ),
        (
            vec![
                gt,
                ("client_id", "someone-else"),
                ("client_secret", secret),
                aud,
            ],
            401,
            "invalid_client",
        ),
        (
            vec![("client_id", id), ("client_secret", secret), aud],
            400,
            "invalid_request",
        ),
        (
            vec![
                ("grant_type", "password"),
                ("client_id", id),
                ("client_secret", secret),
                aud,
            ],
            400,
            "unsupported_grant_type",
        ),
        (
            vec![gt, ("client_id", id), ("client_secret", secret)],
            400,
            "invalid_request",
        ),
        (
            vec![
                gt,
                ("client_id", id),
                ("client_secret", secret),
                ("audience", "https://example.com"),
            ],
            400,
            "invalid_request",
        ),
        (vec![gt, ("client_id", id), aud], 400, "invalid_request"),
        (
            vec![gt, ("client_secret", secret), aud],
            400,
            "invalid_request",
        ),
        (
            vec![gt, gt, ("client_id", id), ("client_secret", secret), aud],
            400,
            "invalid_request",
        ),
        (
            vec![
                gt,
                ("client_id", id),
                ("client_secret", secret),
                ("client_assertion", "x.y.z"),
                ("client_assertion_type", ASSERTION_TYPE),
                aud,
            ],
            400,
            "invalid_request",
        ),
    ];
    for (form, status, error) in cases {
        let (got, body) = token_request(&sim, &form).await;
        assert_eq!(got, status, "{form:?}: {body}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["error"], error, "{form:?}");
        assert!(body["error_description"].is_string());
        assert!(!body.to_string().contains(secret));
    }
    assert!(sim.issued_tokens().is_empty());
}

#[tokio::test]
async fn a_private_key_assertion_gets_a_token_with_pkcs8_or_pkcs1_keys() {
    let sim = Sim::builder().start().unwrap();
    for key in [DEMO_PRIVATE_KEY_PEM, PKCS1_KEY_PEM] {
        let (status, body) = assertion_request(&sim, &sign(key, &sdk_claims(&sim))).await;
        assert_eq!(status, 200, "{body}");
        assert!(
            body["access_token"]
                .as_str()
                .unwrap()
                .starts_with("simtok-")
        );
        assert_eq!(body["expires_in"], 3600);
    }
    // Without client_id in the form, iss names the client (RFC 7523).
    let resp = client()
        .post(sim.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            (
                "client_assertion",
                sign(DEMO_PRIVATE_KEY_PEM, &sdk_claims(&sim)).as_str(),
            ),
            ("client_assertion_type", ASSERTION_TYPE),
            ("audience", API_AUDIENCE),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn bad_assertions_are_refused() {
    let sim = Sim::builder().start().unwrap();
    let id = sim.tenant().credentials().client_id.clone();
    let good = sdk_claims(&sim);
    let with = |k: &str, v: Value| {
        let mut c = good.clone();
        c[k] = v;
        c
    };
    let without = |k: &str| {
        let mut c = good.clone();
        c.as_object_mut().unwrap().remove(k);
        c
    };
    let now = now_epoch();
    let cases = [
        ("signed by another key", sign(OTHER_KEY_PEM, &good)),
        (
            "expired",
            sign(DEMO_PRIVATE_KEY_PEM, &with("exp", json!(now - 30))),
        ),
        (
            "exp two hours ahead",
            sign(DEMO_PRIVATE_KEY_PEM, &with("exp", json!(now + 7200))),
        ),
        ("no exp", sign(DEMO_PRIVATE_KEY_PEM, &without("exp"))),
        (
            "wrong iss",
            sign(DEMO_PRIVATE_KEY_PEM, &with("iss", json!("intruder"))),
        ),
        ("no iss", sign(DEMO_PRIVATE_KEY_PEM, &without("iss"))),
        (
            "wrong sub",
            sign(DEMO_PRIVATE_KEY_PEM, &with("sub", json!("intruder"))),
        ),
        ("no aud", sign(DEMO_PRIVATE_KEY_PEM, &without("aud"))),
        (
            "wrong aud",
            sign(
                DEMO_PRIVATE_KEY_PEM,
                &with("aud", json!("https://example.com")),
            ),
        ),
        (
            "HS256 with the client id as secret",
            sign_with(
                Algorithm::HS256,
                &EncodingKey::from_secret(id.as_bytes()),
                &good,
            ),
        ),
        ("not a JWT", "not.a.jwt".to_owned()),
    ];
    for (what, assertion) in cases {
        let (status, body) = assertion_request(&sim, &assertion).await;
        assert_eq!(status, 401, "{what}: {body}");
        assert_eq!(body["error"], "invalid_client", "{what}");
        assert!(!body.to_string().contains(&assertion), "{what}: echoed");
    }

    let wrong_type = client()
        .post(sim.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id.as_str()),
            (
                "client_assertion",
                sign(DEMO_PRIVATE_KEY_PEM, &good).as_str(),
            ),
            ("client_assertion_type", "urn:something:else"),
            ("audience", API_AUDIENCE),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), 400);
    assert!(sim.issued_tokens().is_empty());
}

#[tokio::test]
async fn the_assertion_audience_switch_decides_which_aud_is_accepted() {
    let docs_aud = "https://zpa-sim.zslogin.net";
    for (setting, sdk_ok, docs_ok) in [
        (AssertionAudience::Sdk, true, false),
        (AssertionAudience::Docs, false, true),
        (AssertionAudience::Either, true, true),
    ] {
        let sim = Sim::builder().assertion_audience(setting).start().unwrap();
        for (aud, ok) in [
            (json!(API_AUDIENCE), sdk_ok),
            (json!(docs_aud), docs_ok),
            (json!(["https://other.example", API_AUDIENCE]), sdk_ok),
            (json!("https://zpa-sim.zslogin.net/"), false),
        ] {
            let mut claims = sdk_claims(&sim);
            claims["aud"] = aud.clone();
            let (status, body) =
                assertion_request(&sim, &sign(DEMO_PRIVATE_KEY_PEM, &claims)).await;
            let expected = if ok { 200 } else { 401 };
            assert_eq!(status, expected, "{setting:?} aud {aud}: {body}");
        }
    }
    assert_eq!(AssertionAudience::default(), AssertionAudience::Either);
}

#[tokio::test]
async fn a_replayed_jti_is_refused() {
    let sim = Sim::builder().start().unwrap();
    let mut claims = sdk_claims(&sim);
    claims["jti"] = json!("jti-1");
    let assertion = sign(DEMO_PRIVATE_KEY_PEM, &claims);
    assert_eq!(assertion_request(&sim, &assertion).await.0, 200);
    let (status, body) = assertion_request(&sim, &assertion).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "invalid_client");

    claims["jti"] = json!("jti-2");
    assert_eq!(
        assertion_request(&sim, &sign(DEMO_PRIVATE_KEY_PEM, &claims))
            .await
            .0,
        200
    );
    // The SDKs send no jti; such assertions may be reused until they expire.
    let no_jti = sign(DEMO_PRIVATE_KEY_PEM, &sdk_claims(&sim));
    assert_eq!(assertion_request(&sim, &no_jti).await.0, 200);
    assert_eq!(assertion_request(&sim, &no_jti).await.0, 200);
}

#[tokio::test]
async fn legacy_signin_answers_expires_in_as_a_string() {
    let sim = Sim::builder().start().unwrap();
    let c = sim.tenant().credentials().clone();
    let resp = client()
        .post(format!("{}/signin", sim.base_url()))
        .form(&[
            ("client_id", c.legacy_client_id.as_str()),
            ("client_secret", c.legacy_client_secret.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["token_type", "access_token", "expires_in"]);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], "3600");
    // A JWT whose exp the SDKs can read, as on the real API.
    let token = body["access_token"].as_str().unwrap();
    let payload = token.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    let exp = claims["exp"].as_u64().unwrap();
    assert!(exp.abs_diff(now_epoch() + 3600) <= 2);
    assert!(sim.issued_tokens().contains(&token.to_owned()));

    for form in [
        vec![
            ("client_id", c.legacy_client_id.as_str()),
            ("client_secret", "nope"),
        ],
        vec![
            ("client_id", c.client_id.as_str()),
            ("client_secret", c.client_secret.as_str()),
        ],
        vec![("client_id", c.legacy_client_id.as_str())],
    ] {
        let resp = client()
            .post(format!("{}/signin", sim.base_url()))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(
            body,
            json!({"id": "access.denied", "reason": "Access denied"})
        );
    }
}

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
    let sim = Sim::builder()
        .token_lifetime(Duration::from_secs(1))
        .start()
        .unwrap();
    let token = oneapi_token(&sim).await;
    let legacy = legacy_token(&sim).await;
    let url = keys_url(&sim, Api::OneApi, "CONNECTOR_GRP", "/58856");
    let legacy_url = keys_url(&sim, Api::Legacy, "CONNECTOR_GRP", "/58856");
    assert_eq!(get_raw(&url, &token).await.0, 200);
    assert_eq!(get_raw(&legacy_url, &legacy).await.0, 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
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

#[tokio::test]
async fn token_endpoints_refuse_other_methods() {
    let sim = Sim::builder().start().unwrap();
    for path in ["/oauth2/v1/token", "/signin"] {
        let resp = client()
            .get(format!("{}{path}", sim.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 405, "{path}");
        assert_eq!(resp.headers()["allow"], "POST");
    }
}
