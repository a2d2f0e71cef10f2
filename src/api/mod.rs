//! A thin client for ZPA's provisioning-key endpoints: one connection pool, one token, paced
//! requests, bounded retries, and answers decoded strictly enough that a fault never turns
//! into wrong output.

mod pacing;
#[cfg(test)]
mod recorded;
pub mod retry;
pub mod wire;

use std::sync::Mutex as StdMutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use std::collections::HashSet;

use futures_util::stream::{self, StreamExt};
use reqwest::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::auth::{self, Audience, TokenRequest};
use crate::cache::TokenCache;
use crate::config::{Mode, Settings};
use crate::error::{Error, Result};
use crate::key::{Key, KeyType};
use crate::log;
use crate::redact;
use pacing::Pacer;
use wire::{ErrorBody, Page, TokenResponse, WireKey};

/// The largest page ZPA serves; fewer pages means fewer requests against the rate limit.
pub const PAGE_SIZE: u32 = 500;
/// The most pages of one type zpakey reads: 100,000 keys, far beyond any real tenant, and at
/// ZPA's rate limit already close to two minutes of requests.
pub const MAX_PAGES: u64 = 200;
/// Pages requested at once; the pacing spaces them anyway, and this bounds what is held.
const PAGES_IN_FLIGHT: usize = 8;
/// A 500-key page is well under 1 MiB; anything near this is not a ZPA answer.
const MAX_BODY: usize = 16 * 1024 * 1024;
const EXCERPT_CHARS: usize = 80;

/// A decoded HTTP answer.
struct Answer {
    status: u16,
    content_type: String,
    retry_after: Option<Duration>,
    body: Vec<u8>,
}

impl Answer {
    fn error_body(&self) -> ErrorBody {
        ErrorBody::parse(&self.body)
    }

    /// "HTTP 503 (retryable.server.error: An error occurred…)" for messages.
    fn describe(&self) -> String {
        let body = self.error_body();
        let detail = match (body.code(), body.reason()) {
            (Some(code), Some(reason)) => format!(" ({code}: {reason})"),
            (Some(text), None) | (None, Some(text)) => format!(" ({text})"),
            (None, None) if self.body.is_empty() => String::new(),
            (None, None) => format!(
                " ({}: \"{}\")",
                self.content_type_or_unknown(),
                redact::excerpt(&self.body, EXCERPT_CHARS)
            ),
        };
        redact::clean(&format!("HTTP {}{detail}", self.status))
    }

    fn content_type_or_unknown(&self) -> &str {
        if self.content_type.is_empty() {
            "no content type"
        } else {
            &self.content_type
        }
    }

    fn mentions_blocked(&self) -> bool {
        String::from_utf8_lossy(&self.body).contains("Resource Access Blocked")
    }

    /// The error for an answer we cannot use: names status and content type, quotes a little.
    fn unreadable(&self, what: &str, why: impl std::fmt::Display) -> Error {
        Error::api(format!(
            "unreadable answer to {what}: HTTP {}, {}, {why}; the body starts \"{}\"",
            self.status,
            self.content_type_or_unknown(),
            redact::excerpt(&self.body, EXCERPT_CHARS)
        ))
        .hint("a proxy or gateway between zpakey and ZPA may have answered instead of ZPA; run again with -v to see the requests")
    }
}

/// Why a transport attempt produced no answer.
enum Transport {
    /// Worth another try: timeouts, refused or dropped connections.
    Retryable(String),
    /// An answer, but not one we will read (too large).
    Fatal(Error),
}

/// What one attempt at a request came to.
enum Attempt {
    /// An answer for the caller to interpret.
    Answer(Answer),
    /// Worth another try: a retryable status or a transport failure.
    Retry {
        reason: String,
        retry_after: Option<Duration>,
        /// ZPA said "too many" (429, or a 401 "Resource Access Blocked").
        rate_limited: bool,
    },
}

/// A failed attempt that may be retried, as `wait_to_retry` reports it.
struct Failed<'a> {
    /// "GET key 58856 (CONNECTOR_GRP)", "sign-in"
    what: &'a str,
    /// Scheme, host and path (no query) of the request.
    url: &'a str,
    reason: String,
    retry_after: Option<Duration>,
    /// ZPA said "too many" (429, or a 401 "Resource Access Blocked").
    rate_limited: bool,
}

/// How a type-specific call can fail short of an error for the whole command.
pub enum Failure {
    /// The tenant does not have this type, or we may not read it (403, or a 400 about the
    /// association type).
    Refused {
        status: u16,
        detail: String,
    },
    /// The server could not run the `search` we sent; listing without it still works.
    SearchRejected(String),
    Error(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Error(e)
    }
}

struct Token {
    value: SecretString,
    lifetime: Duration,
    refresh_at: Instant,
    generation: u64,
}

/// The sign-in state shared by concurrent requests.
enum TokenSlot {
    Empty,
    Valid(Token),
    /// Sign-in failed for good: every waiting request gets the same error, with no new attempt.
    Failed(Error),
}

pub struct Client {
    /// For API requests and for sign-ins; the same client when both go the same way (see
    /// [`http_clients`]).
    api_http: reqwest::Client,
    token_http: reqwest::Client,
    settings: Settings,
    customer_base: String,
    token: Mutex<TokenSlot>,
    /// Numbers tokens, so a request that saw a 401 discards only the token it used.
    generation: AtomicU64,
    pacer: Pacer,
    cache: Option<TokenCache>,
    /// The assertion audience that worked last (see `auth::Audience`).
    audience: StdMutex<Audience>,
    /// When `--max-wait` started counting: the command gives up within `--max-wait` plus one
    /// `--timeout` of this, however many requests wait at once.
    started: Instant,
}

impl Client {
    pub fn new(settings: Settings) -> Result<Client> {
        let (api_http, token_http) = http_clients(&settings)?;
        let pacer = Pacer::new(&[&settings.api_base, &settings.customer_id]);
        let cache = if settings.token_cache {
            TokenCache::open(&settings.identity())
        } else {
            None
        };
        Ok(Client {
            api_http,
            token_http,
            cache,
            audience: StdMutex::new(Audience::Sdk),
            customer_base: settings.customer_base(),
            settings,
            token: Mutex::new(TokenSlot::Empty),
            generation: AtomicU64::new(0),
            pacer,
            started: Instant::now(),
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Signs in afresh (no cache) and returns the token's lifetime, for `auth status`.
    pub async fn sign_in(&self) -> Result<Duration> {
        let token = self.fetch_token().await?;
        let lifetime = token.lifetime;
        *self.token.lock().await = TokenSlot::Valid(token);
        Ok(lifetime)
    }

    /// One key by id under one type; `None` when ZPA says it is not there (a 400
    /// `resource.not.found`, or a 404).
    pub async fn get_key(&self, key_type: KeyType, id: &str) -> Result<Option<Key>, Failure> {
        let path = format!("/associationType/{key_type}/provisioningKey/{id}");
        let what = format!("GET key {id} ({key_type})");
        let answer = self.get(&path, &[], &what).await?;
        match answer.status {
            200..=299 => {
                let wire: WireKey = decode(&answer, &what)?;
                Ok(Some(wire.into_key(key_type)))
            }
            404 => Ok(None),
            400 if answer.error_body().code() == Some("resource.not.found") => Ok(None),
            _ => Err(self.classify_failure(&answer, &what, false)),
        }
    }

    /// Every key of one type: page 1, then the remaining pages concurrently (paced, a bounded
    /// number in flight). `search` is sent as ZPA's `name EQ …` filter; callers re-check names
    /// themselves. The server's page count and pages are not trusted: an implausible count is
    /// refused, an oversized page is unreadable, and a key sent twice is kept once.
    pub async fn list_keys(
        &self,
        key_type: KeyType,
        search: Option<&str>,
    ) -> Result<Vec<Key>, Failure> {
        let first = self.list_page(key_type, search, 1).await?;
        let total_pages = first.total_pages.unwrap_or(1);
        if total_pages > MAX_PAGES {
            return Err(Error::api(format!(
                "the API says {key_type} has {total_pages} pages of keys; zpakey reads at most {MAX_PAGES} pages ({} keys) of one type",
                MAX_PAGES * u64::from(PAGE_SIZE)
            ))
            .hint("at ZPA's rate limit such a list could not finish in reasonable time; a proxy or gateway may have answered instead of ZPA")
            .into());
        }
        log::debug(format_args!(
            "{key_type}: {} keys in {total_pages} pages",
            first
                .total_count
                .map_or_else(|| "an unknown number of".to_owned(), |n| n.to_string())
        ));
        let mut keys = Keys::default();
        keys.add(first, key_type, 1)?;
        let mut rest = stream::iter(2..=total_pages)
            .map(|page| self.list_page(key_type, search, page as u32))
            .buffered(PAGES_IN_FLIGHT);
        let mut page = 1;
        while let Some(answer) = rest.next().await {
            page += 1;
            keys.add(answer?, key_type, page)?;
        }
        Ok(keys.list)
    }

    async fn list_page(
        &self,
        key_type: KeyType,
        search: Option<&str>,
        page: u32,
    ) -> Result<Page, Failure> {
        let path = format!("/associationType/{key_type}/provisioningKey");
        let page_text = page.to_string();
        let page_size = PAGE_SIZE.to_string();
        let mut query = vec![
            ("page", page_text.as_str()),
            ("pagesize", page_size.as_str()),
        ];
        let filter;
        if let Some(name) = search {
            filter = format!("name+EQ+{name}");
            query.push(("search", filter.as_str()));
        }
        let what = format!("list {key_type} page {page}");
        crate::progress::message(format!("listing {key_type} keys, page {page}…"));
        let answer = self.get(&path, &query, &what).await?;
        match answer.status {
            200..=299 => Ok(decode(&answer, &what)?),
            _ => Err(self.classify_failure(&answer, &what, search.is_some())),
        }
    }

    fn classify_failure(&self, answer: &Answer, what: &str, searching: bool) -> Failure {
        let body = answer.error_body();
        let about_type = body.code().is_some_and(|c| c.contains("association"))
            || body
                .reason()
                .is_some_and(|r| r.to_ascii_lowercase().contains("association type"));
        match answer.status {
            403 => Failure::Refused {
                status: 403,
                detail: answer.describe(),
            },
            400 if about_type => Failure::Refused {
                status: 400,
                detail: answer.describe(),
            },
            400 if searching => Failure::SearchRejected(answer.describe()),
            status => Failure::Error(Error::api(format!(
                "the API failed {what}: {}",
                answer.describe()
            ))
            .hint(if status >= 500 {
                "ZPA had a problem; try again later"
            } else {
                "this looks like a zpakey bug or an API change; run again with -vv and report it"
            })),
        }
    }

    /// Builds `customer_base + path ? query`, adding `microtenantId` when set, encoding every
    /// value strictly (spaces as %20, `+` as %2B) as ZPA expects.
    fn url(&self, path: &str, query: &[(&str, &str)]) -> String {
        let mut url = format!("{}{path}", self.customer_base);
        let mut pairs: Vec<(&str, &str)> = query.to_vec();
        if let Some(mt) = &self.settings.microtenant_id {
            pairs.push(("microtenantId", mt));
        }
        for (i, (name, value)) in pairs.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(name);
            url.push('=');
            url.push_str(&percent_encode(value));
        }
        url
    }

    /// A GET with the token, paced, retried within the time budget. Returns any answer the
    /// caller should interpret (2xx, 4xx other than 401/429, 5xx other than 502–504).
    async fn get(&self, path: &str, query: &[(&str, &str)], what: &str) -> Result<Answer> {
        let url = self.url(path, query);
        let shown = url
            .strip_prefix(&self.settings.api_base)
            .unwrap_or(&url)
            .to_owned();
        let without_query = format!("{}{path}", self.customer_base);
        let mut attempts = 0u32;
        let mut reauthenticated = false;
        loop {
            // Signed in before the slot is taken, so that the request leaves when its slot
            // comes, not a sign-in later.
            self.token().await?;
            self.pacer.acquire().await;
            let (token, generation) = self.token().await?;
            let request = self
                .api_http
                .get(&url)
                .header(ACCEPT, "application/json")
                // One of the places a secret is exposed: the Authorization header.
                .bearer_auth(token.expose_secret());
            let outcome = self.attempt("GET", &shown, request).await?;
            match outcome {
                Attempt::Answer(answer) if answer.status == 401 && !reauthenticated => {
                    log::debug(format_args!(
                        "the API refused the token; fetching a new one"
                    ));
                    reauthenticated = true;
                    self.discard_token(generation).await;
                }
                Attempt::Answer(answer) if answer.status == 401 => {
                    return Err(self.token_refused(&answer));
                }
                Attempt::Answer(answer) => return Ok(answer),
                Attempt::Retry {
                    reason,
                    retry_after,
                    rate_limited,
                } => {
                    let failed = Failed {
                        what,
                        url: &without_query,
                        reason,
                        retry_after,
                        rate_limited,
                    };
                    self.wait_to_retry(failed, &mut attempts).await?
                }
            }
        }
    }

    /// Sends one attempt and logs it, sorting the outcome: an answer to interpret, or a reason
    /// to try again (429, 502–504, 401 "Resource Access Blocked", timeouts, connection errors).
    async fn attempt(
        &self,
        method: &str,
        shown: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<Attempt> {
        let started = Instant::now();
        let outcome = self.send(request).await;
        let elapsed = started.elapsed();
        let attempt = match outcome {
            Ok(answer) => {
                log_request(method, shown, Some(answer.status), elapsed);
                let blocked = answer.status == 401 && answer.mentions_blocked();
                match answer.status {
                    429 | 502 | 503 | 504 => {}
                    _ if blocked => {}
                    _ => return Ok(Attempt::Answer(answer)),
                }
                Attempt::Retry {
                    reason: answer.describe(),
                    retry_after: answer.retry_after,
                    rate_limited: blocked || answer.status == 429,
                }
            }
            Err(Transport::Retryable(reason)) => {
                log_request(method, shown, None, elapsed);
                Attempt::Retry {
                    reason,
                    retry_after: None,
                    rate_limited: false,
                }
            }
            Err(Transport::Fatal(error)) => return Err(error),
        };
        Ok(attempt)
    }

    fn token_refused(&self, answer: &Answer) -> Error {
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

    /// Sleeps before another try, or gives up when `--max-wait` is spent. The budget is wall
    /// time since the client was made, shared by every request of the command, so concurrent
    /// waits are not added up. When the next wait would pass the deadline, one last attempt
    /// is made at the deadline; a server asking for more than the whole budget is given up on
    /// at once.
    async fn wait_to_retry(&self, failed: Failed<'_>, attempt: &mut u32) -> Result<()> {
        *attempt += 1;
        let wait = retry::wait_before_retry(*attempt - 1, failed.retry_after);
        let spent = self.started.elapsed();
        let budget = self.settings.max_wait;
        let left = budget.saturating_sub(spent);
        let hopeless = failed.retry_after.is_some_and(|ra| ra > budget);
        if hopeless || left.is_zero() {
            let why = match failed.retry_after {
                Some(ra) if hopeless => format!(
                    "the API asked to wait {} s, more than --max-wait {} s allows",
                    ra.as_secs_f64().ceil(),
                    budget.as_secs_f64()
                ),
                _ => format!("--max-wait {} s is used up", budget.as_secs_f64()),
            };
            let error = Error::api(format!(
                "gave up on {} after {attempt} attempt{} in {:.1} s: {why}",
                failed.what,
                if *attempt == 1 { "" } else { "s" },
                spent.as_secs_f64()
            ))
            .detail(format!(
                "  last answer from {}: {}",
                failed.url, failed.reason
            ));
            return Err(if failed.rate_limited {
                error.hint("ZPA allows 20 GETs per 10 s per tenant; raise --max-wait (or ZPAKEY_MAX_WAIT) if other jobs share the limit")
            } else {
                error.hint("check the network path to ZPA (HTTPS_PROXY, NO_PROXY) or try again later; --max-wait (or ZPAKEY_MAX_WAIT) allows longer")
            });
        }
        let wait = wait.min(left);
        let note = format!(
            "{}: {}; retrying in {:.1} s",
            failed.what,
            failed.reason,
            wait.as_secs_f64()
        );
        crate::progress::message(note.clone());
        log::info(format_args!("{note}"));
        tokio::time::sleep(wait).await;
        Ok(())
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Answer, Transport> {
        let timeout = self.settings.timeout;
        let describe = |e: reqwest::Error| -> String {
            if e.is_timeout() {
                format!("no answer within {} s (--timeout)", timeout.as_secs_f64())
            } else if e.is_connect() {
                let host = e
                    .url()
                    .map(|u| match u.port_or_known_default() {
                        Some(port) => format!(" to {}:{port}", u.host_str().unwrap_or_default()),
                        None => format!(" to {}", u.host_str().unwrap_or_default()),
                    })
                    .unwrap_or_default();
                format!("cannot connect{host}: {}", root_cause(&e))
            } else {
                format!("connection failed: {}", root_cause(&e))
            }
        };
        let mut response = request
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| Transport::Retryable(describe(e)))?;
        let status = response.status().as_u16();
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(CONTENT_TYPE).unwrap_or_default();
        let retry_after =
            header(RETRY_AFTER).and_then(|v| retry::parse_retry_after(&v, SystemTime::now()));
        if log::enabled(3) {
            for (name, value) in response.headers() {
                if name == reqwest::header::SET_COOKIE {
                    continue;
                }
                log::trace(format_args!(
                    "  {name}: {}",
                    value.to_str().unwrap_or("(binary)")
                ));
            }
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Transport::Retryable(describe(e)))?
        {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(Transport::Fatal(Error::api(format!(
                    "unreadable answer: HTTP {status}, {content_type}, body larger than {} MiB",
                    MAX_BODY / 1024 / 1024
                ))));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            content_type,
            retry_after,
            body,
        })
    }

    /// The current token, fetching one when there is none or it is close to expiry.
    async fn token(&self) -> Result<(SecretString, u64)> {
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

    async fn discard_token(&self, generation: u64) {
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
        let mut audience = *self.audience.lock().expect("audience lock");
        loop {
            // Built per attempt: each private-key assertion carries a fresh jti.
            let request: TokenRequest = auth::token_request(&self.settings, audience)?;
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
                Attempt::Retry {
                    reason,
                    retry_after,
                    rate_limited,
                } => {
                    let failed = Failed {
                        what: "sign-in",
                        url: &request.url,
                        reason,
                        retry_after,
                        rate_limited,
                    };
                    self.wait_to_retry(failed, &mut attempts).await?;
                    continue;
                }
            };
            match answer.status {
                200..=299 => {
                    *self.audience.lock().expect("audience lock") = audience;
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
                    return Err(auth::rejected(&request, answer.status, &reason));
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
        crate::config::secrets::register(&parsed.access_token);
        let offered = Duration::from_secs(parsed.expires_in.unwrap_or(3600));
        let lifetime = offered.min(auth::MAX_TOKEN_LIFETIME);
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

fn decode<T: serde::de::DeserializeOwned>(answer: &Answer, what: &str) -> Result<T> {
    if !answer.content_type.is_empty() && !answer.content_type.contains("json") {
        return Err(answer.unreadable(what, "not JSON"));
    }
    serde_json::from_slice(&answer.body).map_err(|e| answer.unreadable(what, e))
}

#[cfg(test)]
fn into_keys(page: Page, key_type: KeyType) -> Vec<Key> {
    page.list
        .unwrap_or_default()
        .into_iter()
        .map(|w| w.into_key(key_type))
        .collect()
}

/// The keys of one type as pages arrive, each id once.
#[derive(Default)]
struct Keys {
    list: Vec<Key>,
    seen: HashSet<String>,
}

impl Keys {
    fn add(&mut self, page: Page, key_type: KeyType, number: u64) -> Result<()> {
        let items = page.list.unwrap_or_default();
        if items.len() > PAGE_SIZE as usize {
            return Err(Error::api(format!(
                "unreadable answer to list {key_type} page {number}: it holds {} keys, more than the {PAGE_SIZE} asked for",
                items.len()
            ))
            .hint("a proxy or gateway between zpakey and ZPA may have answered instead of ZPA"));
        }
        for wire in items {
            if self.seen.insert(wire.id.clone()) {
                self.list.push(wire.into_key(key_type));
            } else {
                log::debug(format_args!(
                    "{key_type}: the API sent key {} more than once; keeping the first",
                    wire.id
                ));
            }
        }
        Ok(())
    }
}

/// The HTTP clients for API requests and sign-ins. Requests to loopback never go through a
/// proxy (a proxy variable meant for the internet must not carry a plain-http secret to
/// another host); everything else honours HTTPS_PROXY, ALL_PROXY and NO_PROXY.
fn http_clients(settings: &Settings) -> Result<(reqwest::Client, reqwest::Client)> {
    let direct = |url: &str| reqwest::Url::parse(url).is_ok_and(|u| crate::config::is_loopback(&u));
    let (api_direct, token_direct) = (direct(&settings.api_base), direct(&settings.token_url()));
    let build = |proxied: bool| {
        let mut builder = reqwest::Client::builder()
            .user_agent(format!(
                "zpakey/{} (rust; {}/{})",
                env!("CARGO_PKG_VERSION"),
                std::env::consts::OS,
                std::env::consts::ARCH
            ))
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            // The API has no reason to redirect, and a redirect must not carry our token away.
            .redirect(reqwest::redirect::Policy::none());
        if !proxied {
            builder = builder.no_proxy();
        }
        builder
            .build()
            .map_err(|e| Error::internal(format!("cannot set up HTTPS: {e}")))
    };
    let api = build(!api_direct)?;
    let token = if token_direct == api_direct {
        api.clone()
    } else {
        build(!token_direct)?
    };
    Ok((api, token))
}

fn log_request(method: &str, path: &str, status: Option<u16>, elapsed: Duration) {
    match status {
        Some(status) => log::info(format_args!(
            "{method} {path} -> {status} ({} ms)",
            elapsed.as_millis()
        )),
        None => log::info(format_args!(
            "{method} {path} -> no answer ({} ms)",
            elapsed.as_millis()
        )),
    }
}

fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn answer(content_type: &str, body: Vec<u8>) -> Answer {
        Answer {
            status: 200,
            content_type: content_type.to_owned(),
            retry_after: None,
            body,
        }
    }

    /// Any JSON value, nested a few levels deep.
    fn arb_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<u64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(|f| serde_json::json!(f)),
            ".{0,40}".prop_map(serde_json::Value::from),
            "[0-9]{0,25}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                prop::collection::btree_map(field_name(), inner, 0..8)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// The wire's own field names most of the time, so decoding gets past the envelope.
    fn field_name() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "id",
                "name",
                "enabled",
                "maxUsage",
                "usageCount",
                "exportable",
                "zcomponentId",
                "zcomponentName",
                "enrollmentCertId",
                "ipAcl",
                "expirationInEpochSec",
                "creationTime",
                "modifiedTime",
                "modifiedBy",
                "microtenantId",
                "provisioningKey",
                "totalPages",
                "totalCount",
                "list",
                "access_token",
                "expires_in",
                "reason",
                "code",
                "detail",
            ])
            .prop_map(str::to_owned),
            "[a-zA-Z]{1,12}",
        ]
    }

    /// Decoding and rendering an answer must end in a value or an error, never a panic.
    fn exercise(bytes: Vec<u8>) {
        let now = std::time::SystemTime::now();
        for content_type in ["application/json", "text/html", ""] {
            let answer = answer(content_type, bytes.clone());
            if let Ok(page) = decode::<Page>(&answer, "test") {
                for key in into_keys(page, KeyType::ConnectorGrp) {
                    let json = crate::output::KeyJson::new(&key, now);
                    let _ = serde_json::to_string(&json).unwrap();
                    for problem in key.problems(now) {
                        let _ = problem.describe(&key.name);
                    }
                }
            }
            if let Ok(key) = decode::<WireKey>(&answer, "test") {
                let key = key.into_key(KeyType::ServiceEdgeGrp);
                let _ = serde_json::to_string(&crate::output::KeyJson::new(&key, now)).unwrap();
            }
            let _ = decode::<TokenResponse>(&answer, "test");
            let _ = answer.describe();
            let _ = answer.unreadable("test", "reason");
            let _ = answer.mentions_blocked();
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..1_024)) {
            exercise(bytes);
        }

        #[test]
        fn arbitrary_json_never_panics(value in arb_json()) {
            exercise(value.to_string().into_bytes());
            // Also as a page of such items.
            let page = serde_json::json!({"totalPages": "1", "list": [value]});
            exercise(page.to_string().into_bytes());
        }

        #[test]
        fn cut_off_bodies_never_panic(cut in 0usize..2_000) {
            let body = std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/zpa-sim/recorded/provisioning_key_connector_list_response.json"
            ))
            .unwrap();
            exercise(body[..cut.min(body.len())].to_vec());
        }

        #[test]
        fn redaction_never_panics(text in ".{0,200}") {
            let _ = crate::redact::clean(&text);
            let _ = crate::redact::excerpt(text.as_bytes(), 10);
        }
    }

    #[test]
    fn search_values_are_strictly_encoded() {
        assert_eq!(
            percent_encode("name+EQ+AWS us-east-1 (prod) & DR #2"),
            "name%2BEQ%2BAWS%20us-east-1%20%28prod%29%20%26%20DR%20%232"
        );
        assert_eq!(percent_encode("Zürich"), "Z%C3%BCrich");
    }
}
