//! The HTTP server: accepts loopback connections, routes each request, applies latency and
//! injected faults, and logs it. Built on hyper directly (not a framework) because one
//! fault must close the TCP connection without writing any response.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot};

use crate::keys::KeyRoute;
use crate::options::Fault;
use crate::reply::{PLAIN_JSON, Reply, ZPA_429_BODY};
use crate::state::{RequestKind, RequestRecord, Shared};
use crate::{auth, keys};

/// Request bodies (token forms) larger than this are refused.
const MAX_BODY: usize = 64 * 1024;

const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// Serves until `stop` fires (or its sender is dropped). Connections still open then are
/// abandoned with the runtime, so a stalled request never delays shutdown.
pub(crate) async fn run(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
) {
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(serve_connection(stream, shared.clone()));
                }
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
            },
        }
    }
}

async fn serve_connection(stream: tokio::net::TcpStream, shared: Arc<Shared>) {
    // Fired by a DropConnection fault: dropping the connection future closes the socket
    // without anything written, whatever protocol the connection speaks.
    let kill = Arc::new(Notify::new());
    let service_kill = kill.clone();
    let service = service_fn(move |req| handle(shared.clone(), service_kill.clone(), req));
    let builder = auto::Builder::new(TokioExecutor::new());
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = connection => {}
        _ = kill.notified() => {}
    }
}

/// The error a service returns to abort its connection.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// Logs its request exactly once: with the status on `finish`, or with status 0 if the
/// request is abandoned first (connection closed, server shut down).
struct Recorder {
    shared: Arc<Shared>,
    record: Option<RequestRecord>,
}

impl Recorder {
    fn finish(&mut self, status: u16) {
        if let Some(mut record) = self.record.take() {
            record.status = status;
            record.finished = Instant::now();
            self.shared.state().log(record);
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.finish(0);
    }
}

async fn handle(
    shared: Arc<Shared>,
    kill: Arc<Notify>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let kind = RequestKind::of(&method, &path);
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| path.clone(), |pq| pq.as_str().to_owned());
    let (fault, latency) = {
        let mut state = shared.state();
        (state.take_fault(kind, &target), state.latency)
    };
    let mut recorder = Recorder {
        shared: shared.clone(),
        record: Some(RequestRecord {
            method,
            path,
            query: req.uri().query().map(str::to_owned),
            status: 0,
            started,
            finished: started,
            fault: fault.as_ref().map(|f| f.kind().to_owned()),
        }),
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }

    let reply = match fault {
        None => respond(&shared, req, true).await,
        Some(Fault::Stall(pause)) => {
            tokio::time::sleep(pause).await;
            respond(&shared, req, false).await
        }
        Some(Fault::TruncatedJson) => {
            // Status and headers stay those of the real answer, as when a proxy or the
            // network cuts a response short.
            let mut reply = respond(&shared, req, false).await;
            reply.body = reply.body.slice(..reply.body.len() / 2);
            reply
        }
        Some(Fault::DropConnection) => {
            recorder.finish(0);
            kill.notify_one();
            return Err(Dropped);
        }
        Some(other) => fault_reply(other),
    };
    recorder.finish(reply.status);
    Ok(reply.into_response())
}

fn fault_reply(fault: Fault) -> Reply {
    let with_retry = |reply: Reply, retry_after: Option<String>| match retry_after {
        Some(v) => reply.header("retry-after", v),
        None => reply,
    };
    match fault {
        Fault::RateLimited { retry_after } => {
            with_retry(Reply::new(429, PLAIN_JSON, ZPA_429_BODY), retry_after)
        }
        Fault::Unavailable { retry_after } => with_retry(
            Reply::json(
                503,
                PLAIN_JSON,
                &serde_json::json!({
                    "id": "retryable.server.error",
                    "reason": "An error occurred. Refer to the Retry-After header, and then try again.",
                }),
            ),
            retry_after,
        ),
        Fault::ResourceAccessBlocked => Reply::json(
            401,
            PLAIN_JSON,
            &serde_json::json!({
                "id": "resource.access.blocked",
                "reason": "Resource Access Blocked",
            }),
        ),
        Fault::HtmlBadGateway => Reply::new(502, "text/html", BAD_GATEWAY_HTML),
        Fault::Status {
            status,
            body,
            content_type,
            headers,
        } => Reply {
            status,
            content_type,
            headers,
            body: Bytes::from(body),
        },
        // Handled by the caller: they need the request.
        Fault::TruncatedJson | Fault::Stall(_) | Fault::DropConnection => {
            unreachable!("fault {} is not a fixed answer", fault.kind())
        }
    }
}

/// The normal answer to a request.
async fn respond(shared: &Shared, req: Request<Incoming>, count_rate: bool) -> Reply {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path();
    match path {
        "/oauth2/v1/token" | "/signin" => {
            if parts.method != Method::POST {
                return method_not_allowed("POST");
            }
            let Ok(collected) = Limited::new(body, MAX_BODY).collect().await else {
                return Reply::zpa_error(413, "request.too.large", "Request body too large");
            };
            let body = collected.to_bytes();
            if path == "/signin" {
                auth::signin(shared, &body)
            } else {
                auth::token(shared, &parts.headers, &body)
            }
        }
        _ => match KeyRoute::parse(path) {
            Some(route) if parts.method == Method::GET => keys::serve(
                shared,
                &route,
                &parts.headers,
                parts.uri.query(),
                count_rate,
            ),
            Some(_) => method_not_allowed("GET"),
            None => Reply::zpa_error(
                404,
                "resource.not.found",
                &format!("zpa-sim has no endpoint {} {path}", parts.method),
            ),
        },
    }
}

fn method_not_allowed(allowed: &str) -> Reply {
    Reply::zpa_error(
        405,
        "method.not.allowed",
        &format!("zpa-sim only answers {allowed} here"),
    )
    .header("allow", allowed)
}
