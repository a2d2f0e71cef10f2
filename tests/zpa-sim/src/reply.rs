//! One answer of the simulator, kept as plain data until the last moment so that faults can
//! rewrite it (cut its body, delay it) before it becomes an HTTP response.

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;
use hyper::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use serde_json::Value;

/// The gateway's 401, byte for byte as recorded.
pub(crate) const ONEAPI_401_BODY: &str =
    include_str!("../recorded/error_401_oneapi_unauthorized_response.json");
/// ZPA's 429, byte for byte as recorded.
pub(crate) const ZPA_429_BODY: &str =
    include_str!("../recorded/error_429_zpa_toomanyrequests_response.json");

/// The content type of ZPA management API answers, as recorded.
pub(crate) const ZPA_JSON: &str = "application/json;charset=utf-8";
/// The content type of the gateway's own answers (401, 429), as recorded.
pub(crate) const PLAIN_JSON: &str = "application/json";

#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            content_type: content_type.to_owned(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// A JSON answer; `value` is serialised compactly, in insertion order, as ZPA does.
    pub fn json(status: u16, content_type: &str, value: &Value) -> Reply {
        let body = serde_json::to_vec(value).expect("a serde_json::Value always serialises");
        Reply::new(status, content_type, body)
    }

    /// A ZPA error body: `{"id": …, "reason": …}`.
    pub fn zpa_error(status: u16, id: &str, reason: &str) -> Reply {
        Reply::json(
            status,
            ZPA_JSON,
            &serde_json::json!({ "id": id, "reason": reason }),
        )
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    pub fn into_response(self) -> Response<Full<Bytes>> {
        let mut response = Response::new(Full::new(self.body));
        *response.status_mut() = hyper::StatusCode::from_u16(self.status)
            .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&self.content_type) {
            headers.insert(CONTENT_TYPE, v);
        }
        for (name, value) in self.headers {
            // Injected headers were checked when the fault was injected.
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                headers.append(n, v);
            }
        }
        response
    }
}
