//! The sign-in state shared by concurrent requests: one token, fetched once (or read from the
//! opt-in cache), renewed before it expires, discarded when the API refuses it, and a failed
//! sign-in remembered so that waiting requests share its error instead of retrying it.

use std::sync::atomic::Ordering;
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use secrecy::{ExposeSecret, SecretString};
use tokio::time::Instant;

use super::Client;
use super::budget::Failed;
use super::cache::TokenCache;
use super::signin::{self, Audience, TokenRequest};
use super::transport::{Answer, Attempt};
use super::wire::{self, TokenResponse};
use crate::config::Mode;
use crate::error::{Error, Result};
use crate::log;

pub(super) struct Token {
    value: SecretString,
    lifetime: Duration,
    refresh_at: Instant,
    generation: u64,
}

/// The sign-in state shared by concurrent requests.
pub(super) enum TokenSlot {
    Empty,
    Valid(Token),
    /// Sign-in failed for good: every waiting request gets the same error, with no new attempt.
    Failed(Error),
}

impl Client {
    /// Signs in afresh (no cache) and returns the token's lifetime, for `auth status`.
    pub(crate) async fn sign_in(&self) -> Result<Duration> {
        let token = self.fetch_token().await?;
        let lifetime = token.lifetime;
        *self.token.lock().await = TokenSlot::Valid(token);
        Ok(lifetime)
    }

    pub(super) fn token_refused(&self, answer: &Answer) -> Error {
        let error = Error::credentials(format!(
            "the API rejected a freshly issued token ({})",
            answer.describe()
        ));
        match self.settings.mode {
            Mode::Legacy { .. } => error.hint(
                "a 401 from a legacy tenant can mean it moved to ZIdentity: use the ZSCALER_* variables (OneAPI) instead of --legacy",
            ),
            Mode::OneApi { .. } => error.hint(
                "check that ZPA_CUSTOMER_ID is this API client's tenant and that the client has a ZPA role",
            ),
        }
    }

    /// The current token, fetching one when there is none or it is close to expiry.
    pub(super) async fn token(&self) -> Result<(SecretString, u64)> {
        let mut slot = self.token.lock().await;
        match &*slot {
            TokenSlot::Valid(token) if Instant::now() < token.refresh_at => {
                return Ok((token.value.clone(), token.generation));
            }
            TokenSlot::Valid(_) => {
                log::debug(format_args!(
                    "the access token is about to expire; renewing it"
                ));
            }
            TokenSlot::Failed(error) => return Err(error.clone()),
            TokenSlot::Empty => {
                if let Some((value, remaining)) = self.cache.as_ref().and_then(TokenCache::load) {
                    let token = self.new_token(value, remaining);
                    let result = (token.value.clone(), token.generation);
                    *slot = TokenSlot::Valid(token);
                    return Ok(result);
                }
            }
        }
        match self.fetch_token().await {
            Ok(token) => {
                let result = (token.value.clone(), token.generation);
                *slot = TokenSlot::Valid(token);
                Ok(result)
            }
            Err(error) => {
                *slot = TokenSlot::Failed(error.clone());
                Err(error)
            }
        }
    }

    pub(super) async fn discard_token(&self, generation: u64) {
        let mut slot = self.token.lock().await;
        if matches!(&*slot, TokenSlot::Valid(t) if t.generation == generation) {
            *slot = TokenSlot::Empty;
            if let Some(cache) = &self.cache {
                cache.discard();
            }
        }
    }

    async fn fetch_token(&self) -> Result<Token> {
        let mut attempts = 0u32;
        let mut audience = *self.audience.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            // Built per attempt: each private-key assertion carries a fresh jti.
            let request: TokenRequest = signin::token_request(&self.settings, audience)?;
            let shown = reqwest::Url::parse(&request.url)
                .map(|u| u.path().to_owned())
                .unwrap_or_default();
            let post = self
                .token_http
                .post(&request.url)
                .header(ACCEPT, "application/json")
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                // One of the places a secret is exposed: the sign-in form.
                .body(request.body().expose_secret().to_owned());
            let outcome = self.attempt("POST", &shown, post).await?;
            let answer = match outcome {
                Attempt::Answer(answer) => answer,
                Attempt::Retry(retry) => {
                    let failed = Failed {
                        what: "sign-in",
                        url: &request.url,
                        retry,
                    };
                    self.wait_to_retry(failed, &mut attempts).await?;
                    continue;
                }
            };
            match answer.status {
                200..=299 => {
                    *self.audience.lock().unwrap_or_else(|e| e.into_inner()) = audience;
                    return self.accept_token(&answer);
                }
                400 | 401 if request.assertion && audience == Audience::Sdk => {
                    log::debug(format_args!(
                        "the assertion was refused with the SDKs' audience; trying the documented one"
                    ));
                    audience = Audience::Documented;
                }
                400 | 401 | 403 => {
                    let body = answer.error_body();
                    let reason = [body.code(), body.reason()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(": ");
                    return Err(signin::rejected(&request, answer.status, &reason));
                }
                _ => {
                    return Err(Error::api(format!(
                        "the sign-in at {} failed: {}",
                        request.url,
                        answer.describe()
                    )));
                }
            }
        }
    }

    fn accept_token(&self, answer: &Answer) -> Result<Token> {
        // Never quoted: a token answer we cannot read may still hold the token.
        let parsed: TokenResponse = serde_json::from_slice(&answer.body).map_err(|e| {
            Error::api(format!(
                "unreadable answer to the sign-in: HTTP {}, {}, {}",
                answer.status,
                answer.content_type_or_unknown(),
                wire::category(&e)
            ))
            .hint("a proxy or gateway between zpakey and ZPA may have answered instead of ZPA; run again with -v to see the requests")
        })?;
        crate::redact::register_secret(&parsed.access_token);
        let offered = Duration::from_secs(parsed.expires_in.unwrap_or(3600));
        let lifetime = offered.min(signin::MAX_TOKEN_LIFETIME);
        if lifetime < offered {
            log::debug(format_args!(
                "the token claims to live {} s; trusting it for {} s at most",
                offered.as_secs(),
                lifetime.as_secs()
            ));
        }
        log::debug(format_args!(
            "signed in ({} mode); token valid for {} s",
            self.settings.mode_name(),
            lifetime.as_secs()
        ));
        if let Some(cache) = &self.cache {
            cache.store(&parsed.access_token, lifetime);
        }
        Ok(self.new_token(parsed.access_token, lifetime))
    }

    fn new_token(&self, value: SecretString, lifetime: Duration) -> Token {
        // Renew a little early so a token never expires between our check and ZPA's.
        let margin = (lifetime / 4).min(Duration::from_secs(30));
        Token {
            value,
            lifetime,
            refresh_at: Instant::now() + lifetime - margin,
            generation: self.generation.fetch_add(1, Ordering::Relaxed) + 1,
        }
    }
}
