//! The scripted HTTP/1.1 server: answers zpa-sim cannot give (absurd headers, echoed
//! secrets, lying page counts), one handler per case, every request logged.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::*;

/// A request as the handler sees it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// The raw query string, without `?` ("" when none).
    pub query: String,
    /// Lower-cased names.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

/// Which ZPA endpoint a request is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `POST /oauth2/v1/token`
    Token,
    /// `GET …/associationType/{TYPE}/provisioningKey?page=N…`
    List {
        key_type: String,
        page: u64,
    },
    /// `GET …/associationType/{TYPE}/provisioningKey/{id}`
    Get {
        key_type: String,
        id: String,
    },
    Other,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// A query parameter, percent-decoded.
    pub fn param(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// A field of a urlencoded form body, decoded.
    pub fn form(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(&self.body)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    pub fn route(&self) -> Route {
        if self.path == "/oauth2/v1/token" {
            return Route::Token;
        }
        let prefix = format!("/zpa/mgmtconfig/v1/admin/customers/{CUSTOMER}/associationType/");
        let Some(rest) = self.path.strip_prefix(&prefix) else {
            return Route::Other;
        };
        let parts: Vec<&str> = rest.split('/').collect();
        match parts.as_slice() {
            [key_type, "provisioningKey"] => Route::List {
                key_type: (*key_type).to_owned(),
                page: self.param("page").and_then(|p| p.parse().ok()).unwrap_or(1),
            },
            [key_type, "provisioningKey", id] => Route::Get {
                key_type: (*key_type).to_owned(),
                id: (*id).to_owned(),
            },
            _ => Route::Other,
        }
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// An answer; `Content-Length` and `Connection: close` are added.
    Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Wait this long (or until the server stops), then do the inner reply.
    Stall(Duration, Box<Reply>),
    /// Close the connection without answering.
    Close,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Answer {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::new(status, "application/json", body)
    }

    /// Adds a header (only to an answer; stalls pass it to their inner reply).
    pub fn header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Answer {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.into(), value.into()));
                Reply::Answer {
                    status,
                    headers,
                    body,
                }
            }
            Reply::Stall(d, inner) => Reply::Stall(d, Box::new(inner.header(name, value))),
            Reply::Close => Reply::Close,
        }
    }

    pub fn stall(pause: Duration, then: Reply) -> Reply {
        Reply::Stall(pause, Box::new(then))
    }
}

/// One request as the server logged it, when it had been read in full.
#[derive(Debug, Clone)]
pub struct Record {
    pub method: String,
    pub path: String,
    pub query: String,
    pub body: Vec<u8>,
    pub at: Instant,
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync + 'static;

/// A scripted HTTP/1.1 server on 127.0.0.1: a thread accepts, a thread per connection answers
/// one request with `Connection: close`. Dropping it stops the server, stalled answers too.
pub struct HostileServer {
    port: u16,
    log: Arc<Mutex<Vec<Record>>>,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

/// The largest request body the server reads; larger ones get a 413 and a closed connection,
/// so a client sending a runaway secret cannot make the test itself use a lot of memory.
const MAX_REQUEST_BODY: usize = 1024 * 1024;
const MAX_HEAD: usize = 64 * 1024;

impl HostileServer {
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> HostileServer {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let accept = {
            let (log, connections, stop) = (log.clone(), connections.clone(), stop.clone());
            std::thread::Builder::new()
                .name(format!("hostile:{port}"))
                .spawn(move || {
                    for stream in listener.incoming() {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let Ok(stream) = stream else { continue };
                        connections.fetch_add(1, Ordering::SeqCst);
                        let (handler, log, stop) = (handler.clone(), log.clone(), stop.clone());
                        // Detached: a stalled connection must not hold up the others or Drop.
                        let _ = std::thread::Builder::new()
                            .name(format!("hostile:{port}:conn"))
                            .spawn(move || serve(stream, &*handler, &log, &stop));
                    }
                })
                .expect("spawn the accept thread")
        };
        HostileServer {
            port,
            log,
            connections,
            stop,
            accept: Some(accept),
        }
    }

    /// A server that plays a normal tenant holding `keys` (see [`normal`]).
    pub fn tenant(keys: Vec<Value>) -> HostileServer {
        HostileServer::start(move |req| normal(req, &keys))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn token_url(&self) -> String {
        format!("{}/oauth2/v1/token", self.base_url())
    }

    /// The OneAPI environment zpakey needs to talk to this server (as `SimHandle::env`).
    pub fn env(&self) -> Vec<(String, String)> {
        [
            ("ZSCALER_CLIENT_ID", CLIENT_ID.to_owned()),
            ("ZSCALER_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
            ("ZSCALER_VANITY_DOMAIN", VANITY.to_owned()),
            ("ZPA_CUSTOMER_ID", CUSTOMER.to_owned()),
            ("ZPAKEY_API_URL", self.base_url()),
            ("ZPAKEY_AUTH_URL", self.token_url()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// Every request read so far, oldest first.
    pub fn requests(&self) -> Vec<Record> {
        self.log.lock().expect("log lock").clone()
    }

    pub fn clear_requests(&self) {
        self.log.lock().expect("log lock").clear();
    }

    /// How many sign-ins (`POST /oauth2/v1/token`) the server has seen.
    pub fn token_posts(&self) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path == "/oauth2/v1/token")
            .count()
    }

    /// How many TCP connections were accepted, requests or not.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// The client assertions sent so far (private-key sign-ins), for the leak checks.
    pub fn assertions(&self) -> Vec<String> {
        self.requests()
            .iter()
            .filter_map(|r| {
                url::form_urlencoded::parse(&r.body)
                    .find(|(k, _)| k == "client_assertion")
                    .map(|(_, v)| v.into_owned())
            })
            .collect()
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the blocking accept so the thread sees the flag.
        let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// Reads one request, asks the handler, answers (or stalls, or closes).
fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Record>>, stop: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let Some(mut request) = read_head(&mut reader) else {
        return;
    };
    let length: usize = request
        .header("content-length")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    if length > MAX_REQUEST_BODY {
        write_reply(&stream, 413, &[], b"request body too large");
        return;
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    request.body = body;
    log.lock().expect("log lock").push(Record {
        method: request.method.clone(),
        path: request.path.clone(),
        query: request.query.clone(),
        body: request.body.clone(),
        at: Instant::now(),
    });
    let mut reply = handler(&request);
    loop {
        match reply {
            Reply::Stall(pause, then) => {
                let until = Instant::now() + pause;
                while Instant::now() < until {
                    if stop.load(Ordering::SeqCst) {
                        let _ = stream.shutdown(Shutdown::Both);
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                reply = *then;
            }
            Reply::Close => {
                let _ = stream.shutdown(Shutdown::Both);
                return;
            }
            Reply::Answer {
                status,
                headers,
                body,
            } => {
                write_reply(&stream, status, &headers, &body);
                return;
            }
        }
    }
}

fn read_head(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut head = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).ok()?;
        if n == 0 || head.len() > MAX_HEAD {
            return None;
        }
        let trimmed = line.trim_end_matches(['\r', '\n']).to_owned();
        if trimmed.is_empty() {
            break;
        }
        head.push(trimmed);
    }
    let mut first = head.first()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (target, String::new()),
    };
    let headers = head[1..]
        .iter()
        .filter_map(|h| h.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Some(Request {
        method,
        path,
        query,
        headers,
        body: Vec::new(),
    })
}

fn write_reply(mut stream: &TcpStream, status: u16, headers: &[(String, String)], body: &[u8]) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
}

/// A well-behaved tenant holding `keys` under CONNECTOR_GRP (every other type is empty):
/// signs in [`CLIENT_SECRET`] (or any client assertion) with [`TOKEN`], wants that token on
/// every GET,
/// serves one page and answers unknown ids as ZPA does (400 `resource.not.found`). Cases call
/// it for every request they do not script themselves.
pub fn normal(req: &Request, keys: &[Value]) -> Reply {
    match req.route() {
        Route::Token if req.method == "POST" => {
            // Assertions are not verified: no case needs a wrong one refused.
            if req.form("client_secret").as_deref() == Some(CLIENT_SECRET)
                || req.form("client_assertion").is_some()
            {
                token_reply()
            } else {
                Reply::json(
                    401,
                    r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
                )
            }
        }
        Route::List { .. } | Route::Get { .. }
            if req.header("authorization") != Some(&format!("Bearer {TOKEN}")) =>
        {
            Reply::json(
                401,
                r#"{"detail": "unauthorized", "type": "", "title": "", "status": ""}"#,
            )
        }
        Route::List { key_type, page } => {
            if key_type == "CONNECTOR_GRP" && page == 1 {
                Reply::json(200, page_body("1", &keys.len().to_string(), keys))
            } else if key_type == "CONNECTOR_GRP" {
                Reply::json(
                    200,
                    format!(r#"{{"totalPages":"1","totalCount":"{}"}}"#, keys.len()),
                )
            } else {
                Reply::json(200, empty_page_body())
            }
        }
        Route::Get { key_type, id } => match keys.iter().find(|k| k["id"] == id.as_str()) {
            Some(key) if key_type == "CONNECTOR_GRP" => Reply::json(200, key.to_string()),
            _ => Reply::json(
                400,
                format!(
                    r#"{{"id":"resource.not.found","reason":"Resource not found","params":["{id}"]}}"#
                ),
            ),
        },
        _ => Reply::json(
            404,
            r#"{"id":"resource.not.found","reason":"no such endpoint"}"#,
        ),
    }
}
