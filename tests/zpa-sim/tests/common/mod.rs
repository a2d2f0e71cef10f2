//! Helpers shared by the integration tests: an HTTP client that never leaves loopback,
//! token fetching for both APIs, URL builders and client-assertion signing.

#![allow(dead_code)] // each test binary uses its own subset

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use zpa_sim::{API_AUDIENCE, SimHandle};

pub const OTHER_KEY_PEM: &str = include_str!("../../keys/other_key.pem");
pub const PKCS1_KEY_PEM: &str = include_str!("../../keys/demo_client_key_pkcs1.pem");
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
pub const CUSTOMER: &str = "216196257331281920";
pub const RECORDED_401: &str =
    include_str!("../../recorded/error_401_oneapi_unauthorized_response.json");
pub const RECORDED_429: &str =
    include_str!("../../recorded/error_429_zpa_toomanyrequests_response.json");

/// Which API prefix a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    OneApi,
    Legacy,
}

impl Api {
    pub fn prefix(self) -> &'static str {
        match self {
            Api::OneApi => "/zpa",
            Api::Legacy => "",
        }
    }
}

thread_local! {
    // Building a client costs tens of milliseconds; libtest runs each test on a thread of
    // its own, so this is one client (and one connection pool) per test and runtime.
    static CLIENT: reqwest::Client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("build reqwest client");
}

pub fn client() -> reqwest::Client {
    CLIENT.with(reqwest::Client::clone)
}

pub fn now_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub async fn oneapi_token(sim: &SimHandle) -> String {
    let c = sim.tenant().credentials();
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
    let body: Value = resp.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

pub async fn legacy_token(sim: &SimHandle) -> String {
    let c = sim.tenant().credentials();
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
    body["access_token"].as_str().unwrap().to_owned()
}

pub async fn token_for(sim: &SimHandle, api: Api) -> String {
    match api {
        Api::OneApi => oneapi_token(sim).await,
        Api::Legacy => legacy_token(sim).await,
    }
}

/// `…/associationType/{ty}/provisioningKey{rest}` for the sim's customer.
pub fn keys_url(sim: &SimHandle, api: Api, ty: &str, rest: &str) -> String {
    keys_url_for(sim, api, sim.tenant().customer_id(), ty, rest)
}

pub fn keys_url_for(sim: &SimHandle, api: Api, customer: &str, ty: &str, rest: &str) -> String {
    format!(
        "{}{}/mgmtconfig/v1/admin/customers/{customer}/associationType/{ty}/provisioningKey{rest}",
        sim.base_url(),
        api.prefix()
    )
}

/// Form-encodes a query value the way `url.QueryEscape` and Python's `urlencode` do:
/// space as `+`, a literal `+` as `%2B`.
pub fn enc(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A GET with the bearer token; returns status, headers and raw body.
pub async fn get_raw(url: &str, token: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let resp = client().get(url).bearer_auth(token).send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, headers, resp.text().await.unwrap())
}

pub async fn get_json(url: &str, token: &str) -> (u16, Value) {
    let (status, _, body) = get_raw(url, token).await;
    let value = serde_json::from_str(&body)
        .unwrap_or_else(|e| panic!("body of {url} is not JSON ({e}): {body}"));
    (status, value)
}

/// The ids of a list answer, in order.
pub fn ids(page: &Value) -> Vec<String> {
    page["list"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|k| k["id"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Claims the SDKs send: iss = sub = client id, aud = the API audience, exp in 10 minutes.
pub fn sdk_claims(sim: &SimHandle) -> Value {
    let id = &sim.tenant().credentials().client_id;
    json!({ "iss": id, "sub": id, "aud": API_AUDIENCE, "exp": now_epoch() + 600 })
}

pub fn sign(key_pem: &str, claims: &Value) -> String {
    sign_with(
        Algorithm::RS256,
        &EncodingKey::from_rsa_pem(key_pem.as_bytes()).unwrap(),
        claims,
    )
}

pub fn sign_with(alg: Algorithm, key: &EncodingKey, claims: &Value) -> String {
    jsonwebtoken::encode(&Header::new(alg), claims, key).unwrap()
}

/// Posts a client-assertion token request; returns status and body.
pub async fn assertion_request(sim: &SimHandle, assertion: &str) -> (u16, Value) {
    let c = sim.tenant().credentials();
    let resp = client()
        .post(sim.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", c.client_id.as_str()),
            ("client_assertion", assertion),
            ("client_assertion_type", ASSERTION_TYPE),
            ("audience", API_AUDIENCE),
        ])
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

/// A client whose requests give up after `timeout`.
pub fn client_with_timeout(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(timeout)
        .build()
        .unwrap()
}
