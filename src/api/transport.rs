//! One HTTP exchange with ZPA: the HTTP clients (loopback never through a proxy), sending a
//! request within `--timeout`, reading at most 16 MiB of answer, and sorting the outcome into
//! an answer to interpret or a reason to try again.

use std::time::{Duration, SystemTime};

use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use tokio::time::Instant;

use super::Client;
use super::budget;
use super::wire::ErrorBody;
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::log;
use crate::redact;

/// A 500-key page is well under 1 MiB; anything near this is not a ZPA answer.
const MAX_BODY: usize = 16 * 1024 * 1024;
const EXCERPT_CHARS: usize = 80;

/// A decoded HTTP answer.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) content_type: String,
    pub(super) retry_after: Option<Duration>,
    pub(super) body: Vec<u8>,
}

impl Answer {
    pub(super) fn error_body(&self) -> ErrorBody {
        ErrorBody::parse(&self.body)
    }

    /// "HTTP 503 (retryable.server.error: An error occurred…)" for messages.
    pub(super) fn describe(&self) -> String {
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

    pub(super) fn content_type_or_unknown(&self) -> &str {
        if self.content_type.is_empty() {
            "no content type"
        } else {
            &self.content_type
        }
    }

    pub(super) fn mentions_blocked(&self) -> bool {
        String::from_utf8_lossy(&self.body).contains("Resource Access Blocked")
    }

    /// The error for an answer we cannot use: names status and content type, quotes a little.
    pub(super) fn unreadable(&self, what: &str, why: impl std::fmt::Display) -> Error {
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
pub(super) enum Transport {
    /// Worth another try: timeouts, refused or dropped connections.
    Retryable(String),
    /// An answer, but not one we will read (too large).
    Fatal(Error),
}

/// What one attempt at a request came to.
pub(super) enum Attempt {
    /// An answer for the caller to interpret.
    Answer(Answer),
    /// Worth another try: a retryable status or a transport failure.
    Retry(Retry),
}

/// Why an attempt is worth repeating, and what the server said about when.
pub(super) struct Retry {
    pub(super) reason: String,
    pub(super) retry_after: Option<Duration>,
    /// ZPA said "too many" (429, or a 401 "Resource Access Blocked").
    pub(super) rate_limited: bool,
}

impl Client {
    /// Sends one attempt and logs it, sorting the outcome: an answer to interpret, or a reason
    /// to try again (429, 502–504, 401 "Resource Access Blocked", timeouts, connection errors).
    pub(super) async fn attempt(
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
                Attempt::Retry(Retry {
                    reason: answer.describe(),
                    retry_after: answer.retry_after,
                    rate_limited: blocked || answer.status == 429,
                })
            }
            Err(Transport::Retryable(reason)) => {
                log_request(method, shown, None, elapsed);
                Attempt::Retry(Retry {
                    reason,
                    retry_after: None,
                    rate_limited: false,
                })
            }
            Err(Transport::Fatal(error)) => return Err(error),
        };
        Ok(attempt)
    }

    pub(super) async fn send(&self, request: reqwest::RequestBuilder) -> Result<Answer, Transport> {
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
            header(RETRY_AFTER).and_then(|v| budget::parse_retry_after(&v, SystemTime::now()));
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
        // Sized once from Content-Length: grown chunk by chunk, a 400 KB page was copied
        // a dozen times. Capped, since the server chooses the header; the limit below
        // still applies to what it actually sends.
        let expected = response.content_length().unwrap_or(0);
        let mut body =
            Vec::with_capacity(usize::try_from(expected).unwrap_or(MAX_BODY).min(MAX_BODY));
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
}

/// The HTTP clients for API requests and sign-ins. Requests to loopback never go through a
/// proxy (a proxy variable meant for the internet must not carry a plain-http secret to
/// another host); everything else honours HTTPS_PROXY, ALL_PROXY and NO_PROXY.
pub(super) fn http_clients(settings: &Settings) -> Result<(reqwest::Client, reqwest::Client)> {
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
