//! What a running simulator shares between its connections: the fixed configuration and
//! the mutable state (issued tokens, rate-limit windows, the fault queue, the request log).
//! One std mutex guards the state; it is never held across an await.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::options::{
    AssertionAudience, EmptyPageShape, Fault, FaultScope, SearchCase, SpecialCharSearch,
    TypeRefusal,
};
use crate::tenant::{AssociationType, Tenant};

/// One request as the simulator saw it. Headers and bodies are never kept: they carry
/// secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    /// The raw query string, not decoded.
    pub query: Option<String>,
    /// 0 when no response was written (dropped connection, or the request was abandoned).
    pub status: u16,
    pub started: Instant,
    pub finished: Instant,
    /// The kind of the injected fault that answered this request (see [`Fault::kind`]).
    pub fault: Option<String>,
}

/// What a request is, for fault scopes and the rate limiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RequestKind {
    /// A provisioning-key GET.
    Api,
    /// `/oauth2/v1/token` or `/signin`.
    Token,
    Other,
}

impl RequestKind {
    pub fn of(method: &str, path: &str) -> RequestKind {
        if path == "/oauth2/v1/token" || path == "/signin" {
            RequestKind::Token
        } else if method == "GET" && crate::keys::KeyRoute::parse(path).is_some() {
            RequestKind::Api
        } else {
            RequestKind::Other
        }
    }
}

/// Which API a token was issued for: OneAPI tokens work on `/zpa/…` only, legacy tokens on
/// `/mgmtconfig/…` only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    OneApi,
    Legacy,
}

#[derive(Debug, Clone)]
pub(crate) struct IssuedToken {
    pub flavor: Flavor,
    pub customer_id: String,
    pub expires_at: Instant,
}

/// The settings that do not change while the simulator runs.
pub(crate) struct Config {
    pub tenant: Tenant,
    pub search_case: SearchCase,
    pub special_char_search: SpecialCharSearch,
    pub empty_page_shape: EmptyPageShape,
    pub assertion_audience: AssertionAudience,
    pub refusals: HashMap<AssociationType, TypeRefusal>,
    pub html_escape_names: bool,
    pub rate_max: u32,
    pub rate_window: Duration,
    pub assertion_key: jsonwebtoken::DecodingKey,
    /// Signs legacy tokens, which are JWTs on the real API.
    pub legacy_signing_secret: Vec<u8>,
}

struct QueuedFault {
    fault: Fault,
    remaining: usize,
    scope: FaultScope,
}

struct RateWindow {
    started: Instant,
    count: u32,
}

pub(crate) struct State {
    pub latency: Duration,
    pub token_lifetime: Duration,
    pub rate_limit_on: bool,
    tokens: HashMap<String, IssuedToken>,
    issued: Vec<String>,
    /// jti → exp of every accepted client assertion that carried one, until it expires.
    jtis: HashMap<String, u64>,
    windows: HashMap<String, RateWindow>,
    faults: VecDeque<QueuedFault>,
    /// A fault for the first request of each distinct provisioning-key GET, and the
    /// requests (path and query) already answered with it.
    first_try: Option<(Fault, HashSet<String>)>,
    log: Vec<RequestRecord>,
}

pub(crate) struct Shared {
    pub config: Config,
    state: Mutex<State>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("customer_id", &self.config.tenant.customer_id())
            .finish_non_exhaustive()
    }
}

impl Shared {
    pub fn new(config: Config, latency: Duration, token_lifetime: Duration, rate: bool) -> Self {
        Shared {
            config,
            state: Mutex::new(State {
                latency,
                token_lifetime,
                rate_limit_on: rate,
                tokens: HashMap::new(),
                issued: Vec::new(),
                jtis: HashMap::new(),
                windows: HashMap::new(),
                faults: VecDeque::new(),
                first_try: None,
                log: Vec::new(),
            }),
        }
    }

    /// The state, even if a panicking thread poisoned the lock: the data stays consistent
    /// because every critical section is a few plain assignments.
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    /// Stores a new token and returns its lifetime; expired tokens are forgotten here.
    pub fn register_token(&mut self, token: String, flavor: Flavor, customer_id: &str) -> Duration {
        let now = Instant::now();
        let lifetime = self.token_lifetime;
        self.tokens.retain(|_, t| t.expires_at > now);
        self.issued.push(token.clone());
        self.tokens.insert(
            token,
            IssuedToken {
                flavor,
                customer_id: customer_id.to_owned(),
                expires_at: now + lifetime,
            },
        );
        lifetime
    }

    /// The token's record if it was issued and has not expired.
    pub fn valid_token(&self, token: &str) -> Option<IssuedToken> {
        self.tokens
            .get(token)
            .filter(|t| t.expires_at > Instant::now())
            .cloned()
    }

    pub fn issued_tokens(&self) -> Vec<String> {
        self.issued.clone()
    }

    /// Records an assertion's jti; false when it was seen before (a replay).
    pub fn accept_jti(&mut self, jti: &str, exp: u64, now_epoch: u64) -> bool {
        self.jtis.retain(|_, e| *e >= now_epoch);
        if self.jtis.contains_key(jti) {
            return false;
        }
        self.jtis.insert(jti.to_owned(), exp);
        true
    }

    /// Counts one GET against the customer's fixed window. `Err(secs)` when over the limit:
    /// whole seconds until the window resets, at least 1.
    pub fn count_get(&mut self, customer: &str, max: u32, window: Duration) -> Result<(), u64> {
        let now = Instant::now();
        let w = self
            .windows
            .entry(customer.to_owned())
            .or_insert(RateWindow {
                started: now,
                count: 0,
            });
        if now >= w.started + window {
            w.started = now;
            w.count = 0;
        }
        w.count = w.count.saturating_add(1);
        if w.count <= max {
            return Ok(());
        }
        let left = (w.started + window).saturating_duration_since(now);
        Err((left.as_secs_f64().ceil() as u64).max(1))
    }

    pub fn push_fault(&mut self, fault: Fault, count: usize, scope: FaultScope) {
        if count > 0 {
            self.faults.push_back(QueuedFault {
                fault,
                remaining: count,
                scope,
            });
        }
    }

    pub fn set_first_try_fault(&mut self, fault: Option<Fault>) {
        self.first_try = fault.map(|f| (f, HashSet::new()));
    }

    /// The fault for this request: the first-try fault when this provisioning-key GET
    /// (`target`, path and query) is new, else one use of the oldest queued fault whose
    /// scope covers it.
    pub fn take_fault(&mut self, kind: RequestKind, target: &str) -> Option<Fault> {
        if kind == RequestKind::Api
            && let Some((fault, seen)) = &mut self.first_try
            && seen.insert(target.to_owned())
        {
            return Some(fault.clone());
        }
        self.take_queued_fault(kind)
    }

    fn take_queued_fault(&mut self, kind: RequestKind) -> Option<Fault> {
        let pos = self.faults.iter().position(|q| match q.scope {
            FaultScope::Any => true,
            FaultScope::Api => kind == RequestKind::Api,
            FaultScope::Token => kind == RequestKind::Token,
        })?;
        let queued = &mut self.faults[pos];
        queued.remaining -= 1;
        let fault = queued.fault.clone();
        if queued.remaining == 0 {
            self.faults.remove(pos);
        }
        Some(fault)
    }

    pub fn log(&mut self, record: RequestRecord) {
        self.log.push(record);
    }

    pub fn records(&self) -> Vec<RequestRecord> {
        self.log.clone()
    }

    pub fn clear_records(&mut self) {
        self.log.clear();
    }
}
