//! Authentication as the real services do it: the OneAPI (ZIdentity) token endpoint with a
//! client secret or an RS256 client assertion, the legacy ZPA `/signin`, and bearer-token
//! checks on API calls. No secret, assertion or token is ever echoed in an answer.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hyper::HeaderMap;
use hyper::header::AUTHORIZATION;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};
use serde_json::{Value, json};

use crate::options::AssertionAudience;
use crate::reply::{ONEAPI_401_BODY, PLAIN_JSON, Reply};
use crate::state::{Flavor, Shared};

/// The audience the SDKs request and send in assertions.
pub(crate) const API_AUDIENCE: &str = "https://api.zscaler.com";
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Assertions may not be valid for longer than this (what identity providers commonly allow).
const MAX_ASSERTION_LIFETIME_SECS: u64 = 3600;
/// Tolerance for a client clock slightly ahead of ours when checking that limit.
const CLOCK_SLACK_SECS: u64 = 5;
const TOKEN_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

fn oauth_error(status: u16, error: &str, description: &str) -> Reply {
    Reply::json(
        status,
        TOKEN_CONTENT_TYPE,
        &json!({ "error": error, "error_description": description }),
    )
    .header("cache-control", "no-store")
}

fn invalid_request(description: &str) -> Reply {
    oauth_error(400, "invalid_request", description)
}

fn invalid_client(description: &str) -> Reply {
    oauth_error(401, "invalid_client", description)
}

fn now_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `expires_in` as whole seconds, rounded up so that a sub-second lifetime is not "0".
fn lifetime_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// A comparison whose time does not depend on where the strings differ.
fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn random_hex(bytes: usize) -> String {
    (0..bytes)
        .map(|_| format!("{:02x}", fastrand::u8(..)))
        .collect()
}

struct Form(Vec<(String, String)>);

impl Form {
    fn parse(body: &[u8]) -> Form {
        Form(url::form_urlencoded::parse(body).into_owned().collect())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn repeated(&self) -> Option<&str> {
        self.0.iter().enumerate().find_map(|(i, (n, _))| {
            self.0[..i]
                .iter()
                .any(|(m, _)| m == n)
                .then_some(n.as_str())
        })
    }
}

/// `Authorization: Basic` credentials, as (client_id, client_secret).
fn basic_credentials(headers: &HeaderMap) -> Option<Result<(String, String), ()>> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    Some(
        decoded
            .and_then(|s| s.split_once(':').map(|(i, p)| (i.to_owned(), p.to_owned())))
            .ok_or(()),
    )
}

/// RFC 6749 §2.3.1 form-encodes Basic credentials; most clients do not. Accept both.
fn basic_matches(given: &str, expected: &str) -> bool {
    if same_secret(given, expected) {
        return true;
    }
    let decoded: String = url::form_urlencoded::parse(format!("v={given}").as_bytes())
        .map(|(_, v)| v.into_owned())
        .next()
        .unwrap_or_default();
    same_secret(&decoded, expected)
}

/// `POST /oauth2/v1/token`.
pub(crate) fn token(shared: &Shared, headers: &HeaderMap, body: &[u8]) -> Reply {
    let form = Form::parse(body);
    if let Some(name) = form.repeated() {
        return invalid_request(&format!("parameter {name} is repeated"));
    }
    match form.get("grant_type") {
        None => return invalid_request("grant_type is required"),
        Some("client_credentials") => {}
        Some(_) => {
            return oauth_error(
                400,
                "unsupported_grant_type",
                "only grant_type=client_credentials is supported",
            );
        }
    }
    match form.get("audience") {
        None => return invalid_request("audience is required"),
        Some(API_AUDIENCE) => {}
        Some(_) => return invalid_request("audience must be https://api.zscaler.com"),
    }

    let creds = shared.config.tenant.credentials();
    let basic = basic_credentials(headers);
    let secret = form.get("client_secret");
    let assertion = form.get("client_assertion");
    let methods_used = [basic.is_some(), secret.is_some(), assertion.is_some()]
        .into_iter()
        .filter(|used| *used)
        .count();
    if methods_used > 1 {
        return invalid_request("use exactly one client authentication method");
    }

    if let Some(basic) = basic {
        let Ok((id, pass)) = basic else {
            return invalid_client("malformed Basic credentials");
        };
        if form
            .get("client_id")
            .is_some_and(|f| !basic_matches(&id, f))
        {
            return invalid_request("client_id differs from the Basic credentials");
        }
        if !basic_matches(&id, &creds.client_id) {
            return invalid_client("unknown client");
        }
        if !basic_matches(&pass, &creds.client_secret) {
            return invalid_client("client authentication failed");
        }
    } else if let Some(secret) = secret {
        let Some(id) = form.get("client_id") else {
            return invalid_request("client_id is required");
        };
        if !same_secret(id, &creds.client_id) {
            return invalid_client("unknown client");
        }
        if !same_secret(secret, &creds.client_secret) {
            return invalid_client("client authentication failed");
        }
    } else if let Some(assertion) = assertion {
        match form.get("client_assertion_type") {
            None => return invalid_request("client_assertion_type is required"),
            Some(ASSERTION_TYPE) => {}
            Some(_) => {
                return invalid_request(
                    "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                );
            }
        }
        if let Err(why) = verify_assertion(shared, assertion, form.get("client_id")) {
            return invalid_client(why);
        }
    } else {
        return invalid_request("client_secret or client_assertion is required");
    }

    let access_token = format!("simtok-{}", random_hex(24));
    let lifetime = shared.state().register_token(
        access_token.clone(),
        Flavor::OneApi,
        shared.config.tenant.customer_id(),
    );
    Reply::json(
        200,
        TOKEN_CONTENT_TYPE,
        &json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": lifetime_secs(lifetime),
        }),
    )
    .header("cache-control", "no-store")
}

fn verify_assertion(
    shared: &Shared,
    assertion: &str,
    form_client_id: Option<&str>,
) -> Result<(), &'static str> {
    let creds = shared.config.tenant.credentials();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = 0;
    validation.validate_aud = false;
    validation.set_required_spec_claims(&["exp"]);
    let claims =
        jsonwebtoken::decode::<Value>(assertion, &shared.config.assertion_key, &validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => "client assertion has expired",
                ErrorKind::InvalidSignature => {
                    "client assertion signature does not verify with the registered public key"
                }
                ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                    "client assertion must be signed with RS256"
                }
                ErrorKind::MissingRequiredClaim(_) => "client assertion has no exp claim",
                ErrorKind::InvalidClaimFormat(_) => "client assertion has a malformed claim",
                _ => "client assertion is not a valid JWT",
            })?
            .claims;

    let iss = claims["iss"].as_str();
    let sub = claims["sub"].as_str();
    let client_id = form_client_id.or(iss);
    if client_id != Some(creds.client_id.as_str()) {
        return Err("unknown client");
    }
    if iss != client_id {
        return Err("client assertion iss must be the client_id");
    }
    if sub != client_id {
        return Err("client assertion sub must be the client_id");
    }

    let now = now_epoch();
    let exp = claims["exp"]
        .as_u64()
        .ok_or("client assertion exp is malformed")?;
    if exp <= now {
        return Err("client assertion has expired");
    }
    if exp > now + MAX_ASSERTION_LIFETIME_SECS + CLOCK_SLACK_SECS {
        return Err("client assertion exp is more than one hour ahead");
    }

    let docs_audience = format!("https://{}.zslogin.net", creds.vanity_domain);
    let accepted: &[&str] = match shared.config.assertion_audience {
        AssertionAudience::Sdk => &[API_AUDIENCE],
        AssertionAudience::Docs => &[docs_audience.as_str()],
        AssertionAudience::Either => &[API_AUDIENCE, docs_audience.as_str()],
    };
    let audience_ok = match &claims["aud"] {
        Value::String(a) => accepted.contains(&a.as_str()),
        Value::Array(list) => list
            .iter()
            .any(|a| a.as_str().is_some_and(|a| accepted.contains(&a))),
        _ => false,
    };
    if !audience_ok {
        return Err("client assertion aud is not accepted");
    }

    match &claims["jti"] {
        Value::Null => {}
        Value::String(jti) => {
            if !shared.state().accept_jti(jti, exp, now) {
                return Err("client assertion jti was already used");
            }
        }
        _ => return Err("client assertion jti is malformed"),
    }
    Ok(())
}

fn access_denied() -> Reply {
    Reply::json(
        401,
        PLAIN_JSON,
        &json!({ "id": "access.denied", "reason": "Access denied" }),
    )
}

/// `POST /signin` (legacy ZPA API).
pub(crate) fn signin(shared: &Shared, body: &[u8]) -> Reply {
    let form = Form::parse(body);
    let creds = shared.config.tenant.credentials();
    let ok = form
        .get("client_id")
        .is_some_and(|id| same_secret(id, &creds.legacy_client_id))
        && form
            .get("client_secret")
            .is_some_and(|s| same_secret(s, &creds.legacy_client_secret));
    if !ok {
        return access_denied();
    }

    let lifetime = shared.state().token_lifetime;
    let now = now_epoch();
    // Legacy tokens are JWTs on the real API and the SDKs read their `exp`; the jti makes
    // every token unique and recognisable in leak checks once decoded.
    let claims = json!({
        "iss": "zpa-sim",
        "sub": creds.legacy_client_id,
        "customerId": shared.config.tenant.customer_id(),
        "iat": now,
        "exp": now + lifetime_secs(lifetime),
        "jti": format!("simtok-{}", random_hex(16)),
    });
    let access_token = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(&shared.config.legacy_signing_secret),
    )
    .expect("HS256 signing with an in-memory secret cannot fail");
    let lifetime = shared.state().register_token(
        access_token.clone(),
        Flavor::Legacy,
        shared.config.tenant.customer_id(),
    );
    Reply::json(
        200,
        PLAIN_JSON,
        &json!({
            "token_type": "Bearer",
            "access_token": access_token,
            "expires_in": lifetime_secs(lifetime).to_string(),
        }),
    )
}

/// The answer to a request without a usable token, as each API sends it.
pub(crate) fn unauthorized(flavor: Flavor) -> Reply {
    match flavor {
        Flavor::OneApi => Reply::new(401, PLAIN_JSON, ONEAPI_401_BODY),
        Flavor::Legacy => access_denied(),
    }
}

/// Checks the bearer token of an API call made under `flavor`'s prefix for `customer_id`.
pub(crate) fn check_bearer(
    shared: &Shared,
    headers: &HeaderMap,
    flavor: Flavor,
    customer_id: &str,
) -> Result<(), Reply> {
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim());
    let Some(token) = token else {
        return Err(unauthorized(flavor));
    };
    match shared.state().valid_token(token) {
        Some(t) if t.flavor == flavor && t.customer_id == customer_id => Ok(()),
        _ => Err(unauthorized(flavor)),
    }
}
