//! Getting a token with an RS256 client assertion: the keys accepted, the assertions
//! refused, the audience switch and replayed jti values.

use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};
use zpa_sim::{API_AUDIENCE, AssertionAudience, DEMO_PRIVATE_KEY_PEM, Sim};

use super::*;

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
