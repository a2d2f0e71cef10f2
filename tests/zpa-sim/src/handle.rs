//! Starting and driving a simulator from Rust: a builder for its settings and a handle that
//! owns the server thread. The server runs on its own OS thread and tokio runtime so that
//! it works the same from a plain `#[test]` and from inside a `#[tokio::test]`.

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::oneshot;

use crate::options::{
    AssertionAudience, EmptyPageShape, Fault, FaultScope, SearchCase, SpecialCharSearch,
    TypeRefusal,
};
use crate::state::{Config, RequestKind, RequestRecord, Shared};
use crate::tenant::{AssociationType, Tenant};

/// Namespace for starting a simulator: `Sim::builder()…start()`.
#[derive(Debug)]
pub struct Sim;

impl Sim {
    pub fn builder() -> SimBuilder {
        SimBuilder::default()
    }
}

/// The settings of a simulator to start. Defaults: demo tenant, ephemeral port, no latency,
/// one-hour tokens, rate limit on at 20 GETs per 10 s, and every UNCONFIRMED switch at its
/// default.
#[derive(Debug, Clone)]
pub struct SimBuilder {
    tenant: Tenant,
    port: u16,
    latency: Duration,
    token_lifetime: Duration,
    rate_limit: bool,
    rate_max: u32,
    rate_window: Duration,
    search_case: SearchCase,
    special_char_search: SpecialCharSearch,
    empty_page_shape: EmptyPageShape,
    assertion_audience: AssertionAudience,
    refusals: HashMap<AssociationType, TypeRefusal>,
    html_escape_names: bool,
}

impl Default for SimBuilder {
    fn default() -> Self {
        SimBuilder {
            tenant: Tenant::demo(),
            port: 0,
            latency: Duration::ZERO,
            token_lifetime: Duration::from_secs(3600),
            rate_limit: true,
            rate_max: 20,
            rate_window: Duration::from_secs(10),
            search_case: SearchCase::default(),
            special_char_search: SpecialCharSearch::default(),
            empty_page_shape: EmptyPageShape::default(),
            assertion_audience: AssertionAudience::default(),
            refusals: HashMap::new(),
            html_escape_names: false,
        }
    }
}

impl SimBuilder {
    pub fn tenant(mut self, tenant: Tenant) -> Self {
        self.tenant = tenant;
        self
    }

    /// 0 (the default) lets the system pick a free port.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// A delay before every answer, token requests included.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    pub fn rate_limit(mut self, on: bool) -> Self {
        self.rate_limit = on;
        self
    }

    /// At most `max` provisioning-key GETs per customer in a fixed window of `window`,
    /// which starts at the first GET after the previous window ended.
    pub fn rate_limit_window(mut self, max: u32, window: Duration) -> Self {
        self.rate_max = max;
        self.rate_window = window;
        self
    }

    pub fn search_case(mut self, case: SearchCase) -> Self {
        self.search_case = case;
        self
    }

    pub fn special_char_search(mut self, mode: SpecialCharSearch) -> Self {
        self.special_char_search = mode;
        self
    }

    pub fn empty_page_shape(mut self, shape: EmptyPageShape) -> Self {
        self.empty_page_shape = shape;
        self
    }

    pub fn assertion_audience(mut self, audience: AssertionAudience) -> Self {
        self.assertion_audience = audience;
        self
    }

    /// Answers every request for `ty` with `refusal`, as for a type not enabled for the
    /// tenant.
    pub fn refuse_type(mut self, ty: AssociationType, refusal: TypeRefusal) -> Self {
        self.refusals.insert(ty, refusal);
        self
    }

    /// Serves `name` with `& < > " '` HTML-escaped, as some reports say the real API does.
    pub fn html_escape_names(mut self, on: bool) -> Self {
        self.html_escape_names = on;
        self
    }

    /// Binds 127.0.0.1 and starts serving on a thread of its own; returns once listening.
    pub fn start(self) -> io::Result<SimHandle> {
        let assertion_key = jsonwebtoken::DecodingKey::from_rsa_pem(
            self.tenant.credentials().public_key_pem.as_bytes(),
        )
        .map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("the tenant's public key is not a PEM RSA public key: {e}"),
            )
        })?;
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, self.port))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();

        let config = Config {
            tenant: self.tenant,
            search_case: self.search_case,
            special_char_search: self.special_char_search,
            empty_page_shape: self.empty_page_shape,
            assertion_audience: self.assertion_audience,
            refusals: self.refusals,
            html_escape_names: self.html_escape_names,
            rate_max: self.rate_max,
            rate_window: self.rate_window,
            assertion_key,
            legacy_signing_secret: (0..32).map(|_| fastrand::u8(..)).collect(),
        };
        let shared = Arc::new(Shared::new(
            config,
            self.latency,
            self.token_lifetime,
            self.rate_limit,
        ));

        let (stop_tx, stop_rx) = oneshot::channel();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<()>>();
        let server_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name(format!("zpa-sim:{port}"))
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => {
                            let _ = ready_tx.send(Ok(()));
                            crate::server::run(listener, server_shared, stop_rx).await;
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
                // Abandons open connections, stalled ones included, instead of waiting.
                runtime.shutdown_background();
            })?;
        match ready_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let _ = thread.join();
                return Err(e);
            }
            Err(_) => {
                let _ = thread.join();
                return Err(io::Error::other("the zpa-sim server thread died at start"));
            }
        }
        Ok(SimHandle {
            port,
            shared,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }
}

/// Which set of environment variables [`SimHandle::env`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvMode {
    /// OneAPI with the client secret.
    OneApi,
    /// Legacy ZPA API.
    Legacy,
    /// OneAPI with `ZSCALER_PRIVATE_KEY` set to this path instead of the secret.
    OneApiPrivateKey(PathBuf),
}

/// A running simulator. Dropping it stops the server and joins its thread promptly, even
/// with stalled requests pending.
#[derive(Debug)]
pub struct SimHandle {
    port: u16,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The OneAPI token endpoint.
    pub fn token_url(&self) -> String {
        format!("{}/oauth2/v1/token", self.base_url())
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn tenant(&self) -> &Tenant {
        &self.shared.config.tenant
    }

    /// The environment zpakey needs to talk to this simulator.
    pub fn env(&self, mode: EnvMode) -> Vec<(String, String)> {
        let tenant = self.tenant();
        let creds = tenant.credentials();
        let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        match mode {
            EnvMode::OneApi | EnvMode::OneApiPrivateKey(_) => {
                let (secret_var, secret) = match &mode {
                    EnvMode::OneApiPrivateKey(path) => {
                        ("ZSCALER_PRIVATE_KEY", path.to_string_lossy().into_owned())
                    }
                    _ => ("ZSCALER_CLIENT_SECRET", creds.client_secret.clone()),
                };
                vec![
                    pair("ZSCALER_CLIENT_ID", &creds.client_id),
                    pair(secret_var, &secret),
                    pair("ZSCALER_VANITY_DOMAIN", &creds.vanity_domain),
                    pair("ZPA_CUSTOMER_ID", tenant.customer_id()),
                    pair("ZPAKEY_API_URL", &self.base_url()),
                    pair("ZPAKEY_AUTH_URL", &self.token_url()),
                ]
            }
            EnvMode::Legacy => vec![
                pair("ZSCALER_USE_LEGACY_CLIENT", "true"),
                pair("ZPA_CLIENT_ID", &creds.legacy_client_id),
                pair("ZPA_CLIENT_SECRET", &creds.legacy_client_secret),
                pair("ZPA_CUSTOMER_ID", tenant.customer_id()),
                pair("ZPAKEY_API_URL", &self.base_url()),
            ],
        }
    }

    /// Every finished request so far, oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.state().records()
    }

    /// Only the provisioning-key GETs (not token or sign-in requests).
    pub fn api_requests(&self) -> Vec<RequestRecord> {
        self.requests()
            .into_iter()
            .filter(|r| RequestKind::of(&r.method, &r.path) == RequestKind::Api)
            .collect()
    }

    pub fn clear_requests(&self) {
        self.shared.state().clear_records();
    }

    /// How many logged requests were answered with `status`.
    pub fn count_status(&self, status: u16) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.status == status)
            .count()
    }

    /// Every access token issued so far (both APIs), for checks that none leaks.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.shared.state().issued_tokens()
    }

    /// Answers the next `count` provisioning-key GETs with `fault`.
    pub fn inject(&self, fault: Fault, count: usize) {
        self.inject_scoped(fault, count, FaultScope::Api);
    }

    /// Answers the next `count` requests in `scope` with `fault`. Faults queue up: each
    /// request takes the oldest fault whose scope covers it.
    ///
    /// # Panics
    /// On a [`Fault::Status`] with an invalid status code or header, so that a test's
    /// mistake shows where it was made.
    pub fn inject_scoped(&self, fault: Fault, count: usize, scope: FaultScope) {
        if let Fault::Status {
            status,
            content_type,
            headers,
            ..
        } = &fault
        {
            assert!(
                hyper::StatusCode::from_u16(*status).is_ok(),
                "Fault::Status: {status} is not an HTTP status code"
            );
            assert!(
                hyper::header::HeaderValue::from_str(content_type).is_ok(),
                "Fault::Status: invalid content type {content_type:?}"
            );
            for (name, value) in headers {
                assert!(
                    hyper::header::HeaderName::from_bytes(name.as_bytes()).is_ok()
                        && hyper::header::HeaderValue::from_str(value).is_ok(),
                    "Fault::Status: invalid header {name:?}: {value:?}"
                );
            }
        }
        self.shared.state().push_fault(fault, count, scope);
    }

    /// Answers the first request of every distinct provisioning-key GET (path and query)
    /// with `fault`, and its repeats normally: like a busy rate limiter that catches each
    /// page of a list once. `None` turns it off.
    pub fn fail_first_tries(&self, fault: Option<Fault>) {
        self.shared.state().set_first_try_fault(fault);
    }

    pub fn set_latency(&self, latency: Duration) {
        self.shared.state().latency = latency;
    }

    pub fn set_rate_limit(&self, on: bool) {
        self.shared.state().rate_limit_on = on;
    }

    /// Applies to tokens issued from now on.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.shared.state().token_lifetime = lifetime;
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
