//! Tools for the hostile cases (issue 10): a scripted HTTP/1.1 server for answers zpa-sim
//! cannot give (absurd headers, echoed secrets, lying page counts), a runner that measures the
//! real binary (exit status, wall time, peak RSS) with a hang guard, and the checks every
//! hostile run must pass (no panic, the documented exit code, bounded memory, no secret out).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------
// Distinctive secrets: easy to search for in output, and shaped so that the redactor's
// generic patterns (JWTs, `Bearer …`, `N|host|material`) do not catch them by accident.
// ---------------------------------------------------------------------------------------

pub const CLIENT_ID: &str = "hostile-client";
pub const CLIENT_SECRET: &str = "hostile-client-secret-5b8e1f";
/// Opaque, not JWT-shaped, and never echoed after "Bearer " unless a case wants that.
pub const TOKEN: &str = "opaqueTok3nAbcdef0123456789";
pub const VANITY: &str = "hostilevanity";
pub const CUSTOMER: &str = "216196257331281920";
/// The ids of the hostile tenant's three connector keys.
pub const IDS: [&str; 3] = ["58856", "58857", "58858"];
pub const NAMES: [&str; 3] = ["hostile-a", "hostile-b", "hostile-c"];
/// ZPA's own 429 body (tests/zpa-sim/recorded/error_429_zpa_toomanyrequests_response.json).
pub const ZPA_429_BODY: &str =
    r#"{"id":"invalid.toomanyrequests","reason":"Exceeded the number of requests allowed."}"#;

/// The exact sign-in form zpakey sends with the hostile credentials, for echoes.
pub fn sign_in_form() -> String {
    format!(
        "grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}&audience=https%3A%2F%2Fapi.zscaler.com"
    )
}

/// A key value `3|api.private.zscaler.com|<material>` whose material is long base64, distinct
/// per seed and the same every run.
pub fn key_value(seed: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut x = seed ^ 0x9e37_79b9_7f4a_7c15;
    let material: String = (0..344)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ALPHABET[(x >> 58) as usize] as char
        })
        .collect();
    format!("3|api.private.zscaler.com|{material}-21619625733131{seed:04}")
}

/// The secret part of a key value: everything after the second `|`.
pub fn material_of(value: &str) -> &str {
    value.splitn(3, '|').nth(2).unwrap_or(value)
}

/// One key in the API's wire format (ids and counts as strings).
pub fn wire_key(id: &str, name: &str, value: Option<&str>) -> Value {
    let mut key = json!({
        "id": id,
        "modifiedTime": "1773369925",
        "creationTime": "1773369925",
        "modifiedBy": "216196257331372705",
        "name": name,
        "usageCount": "0",
        "maxUsage": "10",
        "zcomponentId": "216196257331404676",
        "enabled": true,
        "zcomponentName": "hostile-group",
        "exportable": true,
        "readOnly": false,
        "zscalerManaged": false,
        "enrollmentCertId": "6573",
        "enrollmentCertName": "Connector",
    });
    if let Some(value) = value {
        key["provisioningKey"] = json!(value);
    }
    key
}

/// The hostile tenant's usual keys: [`IDS`] named [`NAMES`], values `key_value(1..=3)`.
pub fn default_keys() -> Vec<Value> {
    IDS.iter()
        .zip(NAMES)
        .enumerate()
        .map(|(i, (id, name))| wire_key(id, name, Some(&key_value(i as u64 + 1))))
        .collect()
}

/// A list page: `{"totalPages":"N","totalCount":"M","list":[...]}` (counts as strings).
pub fn page_body(total_pages: &str, total_count: &str, keys: &[Value]) -> String {
    json!({"totalPages": total_pages, "totalCount": total_count, "list": keys}).to_string()
}

/// A page of a type without keys, as ZPA sends it (no `list` field).
pub fn empty_page_body() -> String {
    r#"{"totalPages":"0","totalCount":"0"}"#.to_owned()
}

/// The token endpoint's answer, with `expires_in` given as raw JSON (`3600`, `"3600"`, `1e300`).
pub fn token_reply_with(expires_in_json: &str) -> Reply {
    Reply::json(
        200,
        format!(
            r#"{{"access_token": "{TOKEN}", "token_type": "Bearer", "expires_in": {expires_in_json}}}"#
        ),
    )
}

pub fn token_reply() -> Reply {
    token_reply_with("3600")
}

// ---------------------------------------------------------------------------------------
// The server.
// ---------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------
// The measuring runner.
//
// ru_maxrss from wait4 is the high-water mark of the child's *process*, and Linux folds into
// it the memory image the child had before exec: with posix_spawn/vfork that is the parent's
// whole address space, with fork a copy of it. The test process runs many tests and grows to
// tens of MiB, so wait4 on a child it spawned reports the test process, not zpakey (measured:
// a 200 MiB test process makes /bin/true "use" 200 MiB). So zpakey is started by a tiny
// helper: this test binary re-executed with a spec directory in the environment, caught by an
// `.init_array` hook before libtest even starts. The helper spawns zpakey, waits for it with
// wait4 and writes the status and ru_maxrss to the spec directory; its own footprint (a few
// MiB at most) is all that can leak into the figure.
// ---------------------------------------------------------------------------------------

/// Runs longer than this are killed and reported as hangs. A hang detector, not a timing
/// assertion: cases that promise promptness assert their own, tighter bounds.
pub const HANG_GUARD: Duration = Duration::from_secs(60);
/// Peak resident memory every hostile run must stay under.
pub const MAX_RSS_KIB: i64 = 50 * 1024;

/// Names the helper's spec directory; its presence makes a run of the test binary a helper.
const HELPER_VAR: &str = "__ZPAKEY_HOSTILE_HELPER";
/// How long a helper waits for the test to let it reap zpakey before doing so anyway.
const HELPER_PATIENCE: Duration = Duration::from_secs(300);

#[used]
#[unsafe(link_section = ".init_array")]
static HELPER_HOOK: extern "C" fn() = helper_hook;

/// Runs before `main` in every start of the test binary; returns at once unless started as a
/// helper, in which case it never returns.
extern "C" fn helper_hook() {
    let Some(dir) = std::env::var_os(HELPER_VAR) else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let outcome = helper(&dir);
    if let Err(error) = outcome {
        let _ = std::fs::write(dir.join("status"), format!("error {error}\n"));
        let _ = std::fs::write(dir.join("exited"), "");
    }
    // SAFETY: ends the helper without running libtest or any destructor.
    unsafe { libc::_exit(0) }
}

/// The helper: spawn zpakey as the spec says, publish its pid, wait until it exits, wait for
/// the test's go-ahead (so the pid stays a zombie, never reused, while the test may still
/// signal it), reap it with wait4 and publish status and peak RSS.
fn helper(dir: &Path) -> std::io::Result<()> {
    let spec = std::fs::read(dir.join("spec"))?;
    // Every field ends with a NUL; empty fields (an empty argument) are kept.
    let spec = spec.strip_suffix(&[0]).unwrap_or(&spec);
    let mut fields = spec.split(|b| *b == 0).map(|f| {
        use std::os::unix::ffi::OsStrExt;
        std::ffi::OsStr::from_bytes(f).to_owned()
    });
    let program = fields
        .next()
        .ok_or_else(|| std::io::Error::other("empty spec"))?;
    let flags = fields.next().unwrap_or_default();
    let flags = flags.to_string_lossy();
    let mut cmd = std::process::Command::new(program);
    cmd.args(fields).env_remove(HELPER_VAR);
    let (close_stdout, unlimited_core) = (
        flags.contains("close-stdout"),
        flags.contains("unlimited-core"),
    );
    // SAFETY: close, setrlimit and getrlimit are async-signal-safe system calls.
    unsafe {
        cmd.pre_exec(move || {
            if unlimited_core {
                let unlimited = libc::rlimit {
                    rlim_cur: libc::RLIM_INFINITY,
                    rlim_max: libc::RLIM_INFINITY,
                };
                if libc::setrlimit(libc::RLIMIT_CORE, &unlimited) != 0 {
                    let mut current = libc::rlimit {
                        rlim_cur: 0,
                        rlim_max: 0,
                    };
                    libc::getrlimit(libc::RLIMIT_CORE, &mut current);
                    current.rlim_cur = current.rlim_max;
                    libc::setrlimit(libc::RLIMIT_CORE, &current);
                }
            }
            if close_stdout {
                libc::close(1);
            }
            Ok(())
        });
    }
    let child = cmd.spawn()?;
    let pid = child.id() as i32;
    std::fs::write(dir.join("pid.tmp"), pid.to_string())?;
    std::fs::rename(dir.join("pid.tmp"), dir.join("pid"))?;
    // Wait for the end without reaping.
    loop {
        // SAFETY: an all-zero siginfo_t is a valid out-value.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: waitid on our own child with a valid out-pointer.
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if r == 0 {
            break;
        }
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return Err(std::io::Error::last_os_error());
        }
    }
    std::fs::write(dir.join("exited"), "")?;
    let patience = Instant::now() + HELPER_PATIENCE;
    while !dir.join("reap").exists() && Instant::now() < patience {
        std::thread::sleep(Duration::from_millis(2));
    }
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid out-value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own (exited) child with valid out-pointers.
    while unsafe { libc::wait4(pid, &mut status, 0, &mut usage) } != pid {
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return Err(std::io::Error::last_os_error());
        }
    }
    let end = if libc::WIFEXITED(status) {
        format!("exit {}", libc::WEXITSTATUS(status))
    } else if libc::WIFSIGNALED(status) {
        format!(
            "signal {} {}",
            libc::WTERMSIG(status),
            u8::from(libc::WCOREDUMP(status))
        )
    } else {
        format!("unknown {status}")
    };
    std::fs::write(
        dir.join("status.tmp"),
        format!("{end}\nmaxrss {}\n", usage.ru_maxrss),
    )?;
    std::fs::rename(dir.join("status.tmp"), dir.join("status"))
}

/// The real `zpakey` binary with only the environment a case gives it, `-vvv` always (the most
/// verbose logs are where leaks hide), stdin from /dev/null, output captured.
pub struct Zpakey {
    cmd: std::process::Command,
    args: Vec<std::ffi::OsString>,
    flags: Vec<&'static str>,
    guard: Duration,
    reader_closes_early: bool,
}

impl Zpakey {
    pub fn new(env: &[(String, String)]) -> Zpakey {
        let mut cmd = std::process::Command::new(std::env::current_exe().expect("test binary"));
        cmd.env_clear()
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Zpakey {
            cmd,
            args: vec![
                assert_cmd::cargo::cargo_bin("zpakey").into(),
                std::ffi::OsString::new(),
                "-vvv".into(),
            ],
            flags: Vec::new(),
            guard: HANG_GUARD,
            reader_closes_early: false,
        }
    }

    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Zpakey {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<S: AsRef<std::ffi::OsStr>>(mut self, args: impl IntoIterator<Item = S>) -> Zpakey {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    pub fn env(mut self, name: &str, value: impl AsRef<std::ffi::OsStr>) -> Zpakey {
        self.cmd.env(name, value);
        self
    }

    pub fn env_remove(mut self, name: &str) -> Zpakey {
        self.cmd.env_remove(name);
        self
    }

    pub fn current_dir(mut self, dir: &Path) -> Zpakey {
        self.cmd.current_dir(dir);
        self
    }

    /// Starts zpakey with file descriptor 1 closed (not /dev/null: closed).
    pub fn close_stdout(mut self) -> Zpakey {
        self.flags.push("close-stdout");
        self.cmd.stdout(Stdio::null());
        self
    }

    /// Closes the reading end of zpakey's stdout pipe right after the start, like a reader
    /// that exits at once.
    pub fn stdout_reader_closes_early(mut self) -> Zpakey {
        self.reader_closes_early = true;
        self
    }

    /// Starts zpakey with RLIMIT_CORE raised to unlimited (or to the hard limit), so that only
    /// zpakey itself can be what turns core dumps off.
    pub fn unlimited_core(mut self) -> Zpakey {
        self.flags.push("unlimited-core");
        self
    }

    pub fn spawn(mut self) -> Running {
        let dir = tempfile::Builder::new()
            .prefix("zpakey-hostile-run")
            .tempdir()
            .expect("helper directory");
        self.args[1] = self.flags.join(",").into();
        let mut spec = Vec::new();
        for arg in &self.args {
            use std::os::unix::ffi::OsStrExt;
            spec.extend_from_slice(arg.as_bytes());
            spec.push(0);
        }
        std::fs::write(dir.path().join("spec"), spec).expect("helper spec");
        self.cmd.env(HELPER_VAR, dir.path());
        let started = Instant::now();
        let mut helper: Child = self.cmd.spawn().expect("start the helper");
        let stdout = match helper.stdout.take() {
            Some(pipe) if self.reader_closes_early => {
                drop(pipe);
                Capture::empty()
            }
            Some(pipe) => Capture::start(pipe),
            None => Capture::empty(),
        };
        let stderr = helper
            .stderr
            .take()
            .map_or_else(Capture::empty, Capture::start);
        let pid_file = dir.path().join("pid");
        let deadline = Instant::now() + Duration::from_secs(30);
        let pid = loop {
            if let Some(pid) = std::fs::read_to_string(&pid_file)
                .ok()
                .and_then(|p| p.trim().parse().ok())
            {
                break pid;
            }
            if let Ok(status) = std::fs::read_to_string(dir.path().join("status")) {
                panic!("the helper could not start zpakey: {status}");
            }
            assert!(Instant::now() < deadline, "the helper did not start zpakey");
            std::thread::sleep(Duration::from_millis(1));
        };
        Running {
            pid,
            helper,
            dir,
            started,
            guard: self.guard,
            sent: Vec::new(),
            stdout,
            stderr,
            finished: false,
        }
    }

    pub fn run(self) -> Run {
        self.spawn().wait()
    }
}

/// Drains a pipe on a thread. Kept apart from waiting for the child: a grandchild (a secret
/// command zpakey failed to stop) can hold the pipe open long after zpakey is gone.
struct Capture {
    buf: Arc<Mutex<Vec<u8>>>,
    done: Arc<AtomicBool>,
}

impl Capture {
    fn empty() -> Capture {
        Capture {
            buf: Arc::default(),
            done: Arc::new(AtomicBool::new(true)),
        }
    }

    fn start(mut pipe: impl Read + Send + 'static) -> Capture {
        let capture = Capture::empty();
        capture.done.store(false, Ordering::SeqCst);
        let (buf, done) = (capture.buf.clone(), capture.done.clone());
        std::thread::spawn(move || {
            let mut chunk = [0u8; 64 * 1024];
            loop {
                match pipe.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf
                        .lock()
                        .expect("capture lock")
                        .extend_from_slice(&chunk[..n]),
                }
            }
            done.store(true, Ordering::SeqCst);
        });
        capture
    }

    /// What was read, after waiting a little for the end of the stream.
    fn finish(&self, grace: Duration) -> Vec<u8> {
        let until = Instant::now() + grace;
        while !self.done.load(Ordering::SeqCst) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(10));
        }
        self.buf.lock().expect("capture lock").clone()
    }
}

/// A started zpakey. Its helper does not reap it before [`Running::wait`], so its pid cannot be
/// reused while a case still signals it.
pub struct Running {
    pid: i32,
    helper: Child,
    dir: tempfile::TempDir,
    started: Instant,
    guard: Duration,
    sent: Vec<i32>,
    stdout: Capture,
    stderr: Capture,
    finished: bool,
}

impl Running {
    /// zpakey's pid (not the helper's).
    pub fn pid(&self) -> i32 {
        self.pid
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Sends `signal` to zpakey (only to it, not to its process group) and remembers it, so
    /// that dying of it does not count as a crash.
    pub fn signal(&mut self, signal: i32) {
        self.sent.push(signal);
        // SAFETY: kill(2) on zpakey, which is alive or an unreaped zombie until `wait`.
        unsafe {
            libc::kill(self.pid, signal);
        }
    }

    /// Whether zpakey has finished (it stays a zombie until `wait`).
    pub fn has_exited(&self) -> bool {
        self.dir.path().join("exited").exists()
    }

    /// Lets the helper reap zpakey (killing it first if it is still running) and end.
    fn release(&mut self, kill: bool) {
        if self.finished {
            return;
        }
        self.finished = true;
        if kill && !self.has_exited() {
            // SAFETY: zpakey is not reaped before the `reap` file exists.
            unsafe {
                libc::kill(self.pid, libc::SIGKILL);
            }
        }
        let _ = std::fs::write(self.dir.path().join("reap"), "");
        let _ = self.helper.wait();
    }

    /// Waits for zpakey (killing it once it outlives the hang guard) and measures it.
    pub fn wait(mut self) -> Run {
        let mut hung = false;
        while !self.has_exited() {
            if self.started.elapsed() > self.guard {
                hung = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let wall = self.started.elapsed();
        self.release(true);
        let report = std::fs::read_to_string(self.dir.path().join("status"))
            .unwrap_or_else(|e| format!("error no report ({e})"));
        assert!(!report.starts_with("error"), "the helper failed: {report}");
        let mut lines = report.lines();
        let end: Vec<&str> = lines
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        let number = |s: Option<&&str>| s.and_then(|s| s.parse::<i32>().ok());
        let (code, signal, core_dumped) = match end.first() {
            Some(&"exit") => (number(end.get(1)), None, false),
            Some(&"signal") => (None, number(end.get(1)), end.get(2) == Some(&"1")),
            _ => (None, None, false),
        };
        let peak_rss_kib = lines
            .find_map(|l| l.strip_prefix("maxrss "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(i64::MAX);
        let grace = Duration::from_secs(2);
        Run {
            code,
            signal,
            core_dumped,
            sent: self.sent.clone(),
            hung,
            guard: self.guard,
            stdout: String::from_utf8_lossy(&self.stdout.finish(grace)).into_owned(),
            stderr: String::from_utf8_lossy(&self.stderr.finish(grace)).into_owned(),
            wall,
            peak_rss_kib,
        }
    }
}

impl Drop for Running {
    /// A case that fails before `wait` must not leave zpakey or its helper behind.
    fn drop(&mut self) {
        self.release(true);
    }
}

/// What a run came to.
#[derive(Debug, Clone)]
pub struct Run {
    pub code: Option<i32>,
    /// The signal that ended it, if one did.
    pub signal: Option<i32>,
    pub core_dumped: bool,
    /// The signals the case sent.
    pub sent: Vec<i32>,
    /// Killed by the hang guard.
    pub hung: bool,
    pub guard: Duration,
    pub stdout: String,
    pub stderr: String,
    pub wall: Duration,
    /// ru_maxrss of the child from wait4 (KiB on Linux).
    pub peak_rss_kib: i64,
}

impl Run {
    /// The one-line summary every case prints.
    pub fn summary(&self, case: &str) {
        let end = match (self.code, self.signal) {
            (Some(code), _) => format!("exit {code}"),
            (None, Some(sig)) => format!("signal {sig}"),
            (None, None) => "no status".to_owned(),
        };
        eprintln!(
            "hostile {case}: {end}{}, {:.2} s, peak RSS {} KiB",
            if self.hung { " (hung, killed)" } else { "" },
            self.wall.as_secs_f64(),
            self.peak_rss_kib
        );
    }

    /// The checks every hostile run must pass, as a list of problems (empty when all hold):
    /// finished within the hang guard, no panic, not killed by a signal the case did not send,
    /// an exit code among `codes`, peak RSS under [`MAX_RSS_KIB`], and no secret of `leaks` in
    /// stdout or stderr. `revealed` is the key value a successful `reveal` may print on stdout.
    pub fn problems(
        &self,
        case: &str,
        codes: &[i32],
        leaks: &Leaks,
        revealed: Option<&str>,
    ) -> Vec<String> {
        let mut problems = self.sanity_problems(case, leaks, revealed);
        problems.extend(self.code_problem(case, codes));
        problems
    }

    /// The exit code is one of `codes` (a hang is reported by [`Run::sanity_problems`]).
    pub fn code_problem(&self, case: &str, codes: &[i32]) -> Option<String> {
        if self.hung || self.code.is_some_and(|c| codes.contains(&c)) {
            return None;
        }
        Some(format!(
            "{case}: expected exit {}, got {}; stderr: {}",
            codes
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(" or "),
            match (self.code, self.signal) {
                (Some(c), _) => format!("exit {c}"),
                (None, Some(s)) => format!("signal {s}"),
                (None, None) => "nothing".into(),
            },
            first_lines(&self.stderr, 4)
        ))
    }

    /// Every check of [`Run::problems`] but the exit code, for cases that judge the ending
    /// themselves (a signal the case sent on purpose). Prints the summary line.
    pub fn sanity_problems(
        &self,
        case: &str,
        leaks: &Leaks,
        revealed: Option<&str>,
    ) -> Vec<String> {
        self.summary(case);
        let mut problems = Vec::new();
        if self.hung {
            problems.push(format!(
                "{case}: still running after the {} s hang guard; killed",
                self.guard.as_secs()
            ));
        }
        if matches!(self.code, Some(101) | Some(134)) {
            problems.push(format!(
                "{case}: exit {} is a panic or abort",
                self.code.unwrap_or_default()
            ));
        }
        if let Some(line) = self.stderr.lines().find(|l| l.contains("panicked")) {
            problems.push(format!("{case}: stderr shows a panic: {line}"));
        }
        if let Some(sig) = self.signal
            && !self.sent.contains(&sig)
            && !self.hung
        {
            problems.push(format!(
                "{case}: killed by signal {sig}, which the test did not send"
            ));
        }
        if self.peak_rss_kib >= MAX_RSS_KIB {
            problems.push(format!(
                "{case}: peak RSS {} KiB, limit {MAX_RSS_KIB} KiB",
                self.peak_rss_kib
            ));
        }
        let mut stdout = self.stdout.clone();
        if let Some(value) = revealed
            && self.code == Some(0)
        {
            stdout = stdout.replace(value, "");
        }
        for (stream, text) in [("stdout", &stdout), ("stderr", &self.stderr)] {
            for label in leaks.found_in(text) {
                problems.push(format!("{case}: {label} appears in {stream}"));
            }
        }
        problems
    }

    /// [`Run::problems`], failing the test at once when there are any.
    pub fn check(&self, case: &str, codes: &[i32], leaks: &Leaks, revealed: Option<&str>) {
        verdict(self.problems(case, codes, leaks, revealed));
    }
}

/// Fails the test with every problem found, so one run reports all that is wrong with it.
pub fn verdict(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn first_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("zpakey: trace:") && !l.starts_with("zpakey: debug:"))
        .take(n)
        .collect();
    if lines.is_empty() {
        "(empty)".into()
    } else {
        lines.join(" | ")
    }
}

// ---------------------------------------------------------------------------------------
// The secrets a run must never print.
// ---------------------------------------------------------------------------------------

/// Secrets to look for in output: some whole, some also as any 24-character piece (key
/// material and private keys, of which a long fragment is as bad as the whole).
#[derive(Debug, Clone, Default)]
pub struct Leaks {
    whole: Vec<(String, String)>,
    pieces: Vec<(String, String)>,
}

/// The length of the fragments of key material that count as a leak.
pub const PIECE: usize = 24;

impl Leaks {
    /// The hostile tenant's secrets: client secret, token, the default keys' material, and
    /// the demo private key's PEM body lines.
    pub fn hostile() -> Leaks {
        let mut leaks = Leaks::default()
            .secret("the client secret", CLIENT_SECRET)
            .secret("the access token", TOKEN)
            .pem_lines();
        for key in default_keys() {
            if let Some(value) = key["provisioningKey"].as_str() {
                leaks = leaks.key(value);
            }
        }
        leaks
    }

    /// A simulator's secrets: both client secrets, every token it issued so far, every key's
    /// material, and the demo private key. Build it after the run, for the tokens.
    pub fn of_sim(sim: &zpa_sim::SimHandle) -> Leaks {
        let creds = sim.tenant().credentials();
        let mut leaks = Leaks::default()
            .secret("the client secret", &creds.client_secret)
            .secret("the legacy client secret", &creds.legacy_client_secret)
            .pem_lines();
        for token in sim.issued_tokens() {
            leaks = leaks.secret("an access token", &token);
        }
        for value in super::key_values(sim.tenant()) {
            leaks = leaks.key(&value);
        }
        leaks
    }

    pub fn secret(mut self, label: &str, value: &str) -> Leaks {
        if !value.is_empty() {
            self.whole.push((label.to_owned(), value.to_owned()));
        }
        self
    }

    /// A secret whose every 24-character piece is secret too.
    pub fn secret_pieces(mut self, label: &str, value: &str) -> Leaks {
        self = self.secret(label, value);
        if value.len() >= PIECE {
            self.pieces.push((label.to_owned(), value.to_owned()));
        }
        self
    }

    /// A provisioning key value: its material, whole and in pieces.
    pub fn key(self, value: &str) -> Leaks {
        let material = material_of(value).to_owned();
        self.secret_pieces(&format!("key material of {}…", short(value)), &material)
    }

    /// The client assertions a hostile server received.
    pub fn assertions(mut self, server: &HostileServer) -> Leaks {
        for assertion in server.assertions() {
            self = self.secret("a client assertion", &assertion);
        }
        self
    }

    fn pem_lines(mut self) -> Leaks {
        let pem = std::fs::read_to_string(super::private_key("demo_client_key.pem"))
            .expect("demo private key");
        for line in pem
            .lines()
            .filter(|l| !l.starts_with("-----") && !l.is_empty())
        {
            self = self.secret("a line of the private key", line);
        }
        self
    }

    /// The labels of the secrets that appear in `text`.
    pub fn found_in(&self, text: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for (label, value) in &self.whole {
            if text.contains(value.as_str()) && !found.contains(label) {
                found.push(label.clone());
            }
        }
        let windows: HashSet<&[u8]> = text.as_bytes().windows(PIECE).collect();
        for (label, value) in &self.pieces {
            let piece = format!("a {PIECE}-character piece of {label}");
            if !found.contains(label)
                && value.as_bytes().windows(PIECE).any(|w| windows.contains(w))
                && !found.contains(&piece)
            {
                found.push(piece);
            }
        }
        found
    }
}

fn short(value: &str) -> String {
    value
        .chars()
        .take(32)
        .collect::<String>()
        .escape_default()
        .to_string()
}

// ---------------------------------------------------------------------------------------
// Processes and files.
// ---------------------------------------------------------------------------------------

/// The pids of processes whose command line holds exactly `arg` as one argument.
pub fn pids_with_arg(arg: &str) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|cmdline| cmdline.split(|b| *b == 0).any(|a| a == arg.as_bytes()))
        })
        .collect()
}

/// Waits up to `within` for every process holding `arg` to be gone; returns the survivors.
pub fn survivors(arg: &str, within: Duration) -> Vec<i32> {
    let until = Instant::now() + within;
    loop {
        let pids = pids_with_arg(arg);
        if pids.is_empty() || Instant::now() >= until {
            return pids;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Kills, by pid, the leftovers of a case (processes zpakey started and failed to stop), so
/// one failing case does not leave sleepers behind for the rest of the suite.
pub fn kill_leftovers(arg: &str) {
    for pid in pids_with_arg(arg) {
        // SAFETY: kill(2) on a pid we just found carrying the case's unique argument.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
}

/// Whether `pid` has a handler installed for `signal` (the SigCgt mask of /proc/PID/status).
pub fn catches(pid: i32, signal: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("SigCgt:"))
                .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        })
        .is_some_and(|mask| mask & (1u64 << (signal - 1)) != 0)
}

/// The names in `dir`, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// zpakey's temporary files (`.zpakey-*.tmp`) left in `dir`.
pub fn temp_files_in(dir: &Path) -> Vec<String> {
    names_in(dir)
        .into_iter()
        .filter(|n| n.starts_with(".zpakey-"))
        .collect()
}

/// Sets a file's or directory's mode.
pub fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Whether the tests run as root (some cases need it to set up ownership or devices).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A number for making a case's process arguments unique (pids are, per test process).
pub fn nonce() -> String {
    format!("{:06}", fastrand::u32(0..1_000_000))
}
