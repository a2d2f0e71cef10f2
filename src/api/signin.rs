//! How zpakey signs in: the OneAPI client-credentials grant (with a client secret or a signed
//! JWT assertion) and the legacy ZPA `/signin`. The transport and its retries live in `api`.

use std::time::{Duration, SystemTime};

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use crate::config::{Mode, OneApiCredential, Settings};
use crate::error::{Error, Result};

/// The audience the official SDKs send, in the form body and in assertions (API.md §1b).
pub(crate) const AUDIENCE: &str = "https://api.zscaler.com";
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Assertions only need to live long enough to reach the token endpoint.
const ASSERTION_LIFETIME: Duration = Duration::from_secs(300);
/// ZIdentity and the legacy API issue tokens for an hour; no real token lives a day. A longer
/// `expires_in` (a hostile or broken server's 2^64-1) is trusted only this far, here and in the
/// token cache.
pub(crate) const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// A token request ready to send: where, and the form fields (secrets still wrapped).
pub(crate) struct TokenRequest {
    pub(crate) url: String,
    pub(crate) form: Vec<(&'static str, SecretString)>,
    /// Names the credential in messages: "ZSCALER_CLIENT_SECRET", "ZPA_CLIENT_SECRET", …
    pub(crate) credential_name: &'static str,
    pub(crate) legacy: bool,
    /// Signed with a private key (so another assertion audience may be worth a try).
    pub(crate) assertion: bool,
}

/// Which `aud` a private-key assertion carries. ZIdentity's requirement is not documented
/// consistently: the SDKs send `https://api.zscaler.com` (in production use), the docs say
/// the token endpoint's own origin. zpakey sends the SDKs' first and the docs' on refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    Sdk,
    Documented,
}

/// Builds the sign-in request for the configured mode.
pub(crate) fn token_request(settings: &Settings, audience: Audience) -> Result<TokenRequest> {
    match &settings.mode {
        Mode::OneApi {
            client_id,
            credential,
            token_url,
            documented_audience,
        } => {
            let mut form = vec![
                ("grant_type", SecretString::from("client_credentials")),
                ("client_id", SecretString::from(client_id.as_str())),
            ];
            let credential_name = match credential {
                OneApiCredential::Secret(secret) => {
                    form.push(("client_secret", secret.clone()));
                    "ZSCALER_CLIENT_SECRET"
                }
                OneApiCredential::PrivateKey(pem) => {
                    let aud = match audience {
                        Audience::Sdk => AUDIENCE,
                        Audience::Documented => documented_audience.as_str(),
                    };
                    form.push(("client_assertion", assertion(client_id, pem, aud)?));
                    form.push(("client_assertion_type", SecretString::from(ASSERTION_TYPE)));
                    "ZSCALER_PRIVATE_KEY"
                }
            };
            form.push(("audience", SecretString::from(AUDIENCE)));
            Ok(TokenRequest {
                url: token_url.clone(),
                form,
                credential_name,
                legacy: false,
                assertion: matches!(credential, OneApiCredential::PrivateKey(_)),
            })
        }
        Mode::Legacy {
            client_id,
            client_secret,
        } => Ok(TokenRequest {
            url: format!("{}/signin", settings.api_base),
            form: vec![
                ("client_id", SecretString::from(client_id.as_str())),
                ("client_secret", client_secret.clone()),
            ],
            credential_name: "ZPA_CLIENT_SECRET",
            legacy: true,
            assertion: false,
        }),
    }
}

impl TokenRequest {
    /// The urlencoded body. One of the few places a secret is exposed: to build the form.
    pub(crate) fn body(&self) -> SecretString {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.form {
            out.append_pair(name, value.expose_secret());
        }
        SecretString::from(out.finish())
    }
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    iat: u64,
    exp: u64,
    jti: String,
}

/// Signs the RS256 client assertion the SDKs send: `iss` = `sub` = client id, the audience,
/// a short `exp`, and a unique `jti` so a captured assertion cannot be replayed.
pub(crate) fn assertion(client_id: &str, pem: &SecretString, aud: &str) -> Result<SecretString> {
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(pem.expose_secret().as_bytes())
        .map_err(|e| {
            Error::credentials(format!(
                "ZSCALER_PRIVATE_KEY is not a PEM-encoded RSA private key ({e})"
            ))
            .hint("give an unencrypted PKCS#1 (BEGIN RSA PRIVATE KEY) or PKCS#8 (BEGIN PRIVATE KEY) RSA key, as text or as a file path")
        })?;
    if modulus_bits(key.as_bytes()).is_some_and(|bits| bits < 2048) {
        return Err(short_key());
    }
    if let Err(rejected) = aws_lc_rs::signature::RsaKeyPair::from_der(key.as_bytes()) {
        return Err(Error::credentials(format!(
            "ZSCALER_PRIVATE_KEY is not a usable RSA private key ({rejected})"
        )));
    }
    let now = crate::time::epoch_secs(SystemTime::now()).unsigned_abs();
    let claims = Claims {
        iss: client_id,
        sub: client_id,
        aud,
        iat: now,
        exp: now + ASSERTION_LIFETIME.as_secs(),
        jti: format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..)),
    };
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    jsonwebtoken::encode(&header, &claims, &key)
        .map(|jwt| {
            crate::redact::register(&jwt);
            SecretString::from(jwt)
        })
        .map_err(|e| {
            Error::credentials(format!(
                "cannot sign a client assertion with ZSCALER_PRIVATE_KEY ({e})"
            ))
        })
}

/// The size in bits of an RSA key's modulus, read from its PKCS#1 DER (`RSAPrivateKey ::=
/// SEQUENCE { version INTEGER, modulus INTEGER, … }`), so a short key gets its own clear
/// message whatever the crypto library calls the problem.
fn modulus_bits(der: &[u8]) -> Option<usize> {
    let (0x30, sequence, _) = tlv(der)? else {
        return None;
    };
    let (0x02, _version, rest) = tlv(sequence)? else {
        return None;
    };
    let (0x02, modulus, _) = tlv(rest)? else {
        return None;
    };
    let first = modulus.iter().position(|b| *b != 0)?;
    let significant = &modulus[first..];
    Some(significant.len() * 8 - significant[0].leading_zeros() as usize)
}

/// One DER element: its tag, its contents and what follows it.
fn tlv(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let len = rest[..count]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[count..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

fn short_key() -> Error {
    Error::credentials("ZSCALER_PRIVATE_KEY is shorter than 2048 bits")
        .hint("ZIdentity needs an RSA key of at least 2048 bits; generate one with: openssl genrsa -out key.pem 2048")
}

/// The credential-rejected error for a 400/401/403 from the token endpoint.
pub(crate) fn rejected(request: &TokenRequest, status: u16, reason: &str) -> Error {
    let who = if request.legacy {
        "the legacy ZPA API"
    } else {
        "ZIdentity"
    };
    let reason = if reason.is_empty() {
        String::new()
    } else {
        format!(": {reason}")
    };
    let mut error = Error::credentials(format!(
        "{who} rejected the credentials (HTTP {status}{reason})"
    ));
    error = if request.legacy {
        error
            .hint("check ZPA_CLIENT_ID, ZPA_CLIENT_SECRET and ZPA_CUSTOMER_ID")
            .hint("a tenant migrated to ZIdentity accepts only OneAPI: set ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET and ZSCALER_VANITY_DOMAIN instead of --legacy")
    } else {
        error.hint(format!(
            "check ZSCALER_CLIENT_ID and {} for the API client in ZIdentity, and ZSCALER_VANITY_DOMAIN / ZSCALER_CLOUD",
            request.credential_name
        ))
    };
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    const PKCS8: &str = include_str!("../../tests/zpa-sim/keys/demo_client_key.pem");
    const PKCS1: &str = include_str!("../../tests/zpa-sim/keys/demo_client_key_pkcs1.pem");
    const SHORT: &str = include_str!("../../tests/zpa-sim/keys/short_key_1024.pem");
    const PUBLIC: &str = include_str!("../../tests/zpa-sim/keys/demo_client_pub.pem");

    fn decode(jwt: &SecretString) -> serde_json::Value {
        let key = jsonwebtoken::DecodingKey::from_rsa_pem(PUBLIC.as_bytes()).unwrap();
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        validation.set_audience(&[AUDIENCE]);
        jsonwebtoken::decode::<serde_json::Value>(jwt.expose_secret(), &key, &validation)
            .unwrap()
            .claims
    }

    #[test]
    fn assertion_claims_from_pkcs8_and_pkcs1() {
        for pem in [PKCS8, PKCS1] {
            let jwt = assertion("client-1", &SecretString::from(pem), AUDIENCE).unwrap();
            let claims = decode(&jwt);
            assert_eq!(claims["iss"], "client-1");
            assert_eq!(claims["sub"], "client-1");
            assert_eq!(claims["aud"], AUDIENCE);
            let (iat, exp) = (
                claims["iat"].as_u64().unwrap(),
                claims["exp"].as_u64().unwrap(),
            );
            assert_eq!(exp - iat, 300);
            assert_eq!(claims["jti"].as_str().unwrap().len(), 32);
        }
        let a = decode(&assertion("c", &SecretString::from(PKCS8), AUDIENCE).unwrap());
        let b = decode(&assertion("c", &SecretString::from(PKCS8), AUDIENCE).unwrap());
        assert_ne!(a["jti"], b["jti"]);
    }

    #[test]
    fn bad_keys_are_credential_errors() {
        let short = assertion("c", &SecretString::from(SHORT), AUDIENCE)
            .err()
            .unwrap();
        assert_eq!(
            short.message,
            "ZSCALER_PRIVATE_KEY is shorter than 2048 bits"
        );
        let garbage = assertion(
            "c",
            &SecretString::from("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n"),
            AUDIENCE,
        )
        .err()
        .unwrap();
        assert!(
            garbage
                .message
                .starts_with("ZSCALER_PRIVATE_KEY is not a PEM-encoded RSA private key"),
            "{}",
            garbage.message
        );
        assert_eq!(garbage.kind, crate::error::Kind::Credentials);
    }
}
