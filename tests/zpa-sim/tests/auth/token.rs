//! Getting a token with a client secret: the OneAPI token endpoint (form and Basic),
//! its OAuth errors, legacy sign-in, and the methods both endpoints refuse.

use base64::Engine as _;
use serde_json::{Value, json};
use zpa_sim::{API_AUDIENCE, Sim};

use super::*;

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
