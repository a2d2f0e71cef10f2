//! A thin client for ZPA's provisioning-key endpoints: one connection pool, one token, paced
//! requests, bounded retries, and answers decoded strictly enough that a fault never turns
//! into wrong output. Its parts: `transport` (one exchange), `budget` (when to retry and give
//! up), `pacing` (the shared rate limit), `token` and `signin` (signing in), `cache` (the
//! opt-in token cache) and `wire` (the wire format).

mod budget;
mod cache;
mod pacing;
#[cfg(test)]
mod recorded;
mod signin;
#[cfg(test)]
mod tests;
mod token;
mod transport;
pub(crate) mod wire;

use std::collections::HashSet;
use std::sync::Mutex as StdMutex;
use std::sync::atomic::AtomicU64;

use futures_util::stream::{self, StreamExt};
use reqwest::header::ACCEPT;
use secrecy::ExposeSecret;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::config::Settings;
use crate::error::{Error, Result};
use crate::key::{Key, KeyType};
use crate::log;
use budget::Failed;
use cache::TokenCache;
use pacing::Pacer;
use signin::Audience;
use token::TokenSlot;
use transport::{Answer, Attempt};
use wire::{Page, WireKey};

/// The largest page ZPA serves; fewer pages means fewer requests against the rate limit.
pub(crate) const PAGE_SIZE: u32 = 500;
/// The most pages of one type zpakey reads: 100,000 keys, far beyond any real tenant, and at
/// ZPA's rate limit already close to two minutes of requests.
pub(crate) const MAX_PAGES: u64 = 200;
/// Pages requested at once; the pacing spaces them anyway, and this bounds what is held.
const PAGES_IN_FLIGHT: usize = 8;

/// Everything but RFC 3986's unreserved characters is percent-encoded in query values, as ZPA
/// expects (spaces as %20, `+` as %2B).
const STRICT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A query value as ZPA expects it: everything but letters, digits and `-._~` encoded.
fn encoded(value: &str) -> percent_encoding::PercentEncode<'_> {
    percent_encoding::utf8_percent_encode(value, STRICT)
}

/// What the client is waiting for, for whoever shows progress (the commands' spinner): the
/// client reports, it never draws.
pub(crate) type Status = Box<dyn Fn(String) + Send + Sync>;

/// How a type-specific call can fail short of an error for the whole command.
pub(crate) enum Failure {
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

pub(crate) struct Client {
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
    status: Status,
}

impl Client {
    pub(crate) fn new(settings: Settings, status: Status) -> Result<Client> {
        let (api_http, token_http) = transport::http_clients(&settings)?;
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
            status,
        })
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.settings
    }

    /// One key by id under one type; `None` when ZPA says it is not there (a 400
    /// `resource.not.found`, or a 404).
    pub(crate) async fn get_key(
        &self,
        key_type: KeyType,
        id: &str,
    ) -> Result<Option<Key>, Failure> {
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
    pub(crate) async fn list_keys(
        &self,
        key_type: KeyType,
        search: Option<&str>,
        values: Values,
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
        let mut keys = Keys {
            values,
            ..Keys::default()
        };
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
        (self.status)(format!("listing {key_type} keys, page {page}…"));
        let answer = self.get(&path, &query, &what).await?;
        if !(200..=299).contains(&answer.status) {
            return Err(self.classify_failure(&answer, &what, search.is_some()));
        }
        // On the runtime's thread: decoding on the blocking pool let the pages that arrive
        // together decode on two cores, but each pool thread's malloc arena kept its memory,
        // and the 10,000-key list's peak RSS crossed 30 MB for a gain lost in the noise.
        Ok(decode(&answer, &what)?)
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
            url.extend(encoded(value));
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
            self.pacer
                .acquire(|wait| {
                    (self.status)(format!(
                        "waiting {} s for ZPA's rate limit (20 requests per 10 s, shared with other zpakey runs)…",
                        wait.as_secs_f64().ceil()
                    ));
                })
                .await;
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
                Attempt::Retry(retry) => {
                    let failed = Failed {
                        what,
                        url: &without_query,
                        retry,
                    };
                    self.wait_to_retry(failed, &mut attempts).await?
                }
            }
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(answer: &Answer, what: &str) -> Result<T> {
    if !answer.content_type.is_empty() && !answer.content_type.contains("json") {
        return Err(answer.unreadable(what, "not JSON"));
    }
    serde_json::from_slice(&answer.body).map_err(|e| answer.unreadable(what, e))
}

/// Whether a listing keeps the keys' values (a lookup that may reveal one) or wipes them as
/// each page is read (`list`, `check`: 10,000 values are megabytes of secrets for nothing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Values {
    #[default]
    Kept,
    Dropped,
}

/// The keys of one type as pages arrive, each id once.
#[derive(Default)]
struct Keys {
    list: Vec<Key>,
    seen: HashSet<String>,
    values: Values,
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
                let mut key = wire.into_key(key_type);
                if self.values == Values::Dropped {
                    key.value = None;
                }
                self.list.push(key);
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
