//! The simulator's switches and faults. Each switch covers one behaviour of the real API
//! that `API.md` marks UNCONFIRMED, so that clients can be tested against every plausible
//! answer instead of a guess.

use std::time::Duration;

/// Whether `search=name EQ <value>` (and `LIKE`) compares case-sensitively.
/// UNCONFIRMED on the real API (the Go SDK re-checks with `EqualFold`, Ansible with `==`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchCase {
    #[default]
    Insensitive,
    Sensitive,
}

/// How the server copes with search values holding characters outside `[A-Za-z0-9 _./-]`
/// (the set the Go SDK keeps before searching). UNCONFIRMED on the real API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpecialCharSearch {
    /// Such values match like any other.
    #[default]
    Works,
    /// Such values are refused with 400 `bad.request`.
    Error400,
    /// Such values match nothing.
    NoMatch,
}

/// The shape of a page past the end, and of the list of a type without keys.
/// UNCONFIRMED on the real API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EmptyPageShape {
    /// `{"totalPages":"N","totalCount":"M"}`, no `list` field.
    #[default]
    OmitList,
    /// `{"totalPages":"N","totalCount":"M","list":[]}`.
    EmptyList,
}

/// Which `aud` claim a private-key JWT client assertion must carry. UNCONFIRMED: the SDKs
/// send `https://api.zscaler.com`, the docs say `https://<vanity>.zslogin.net`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssertionAudience {
    /// Only `https://api.zscaler.com`.
    Sdk,
    /// Only `https://<vanityDomain>.zslogin.net`.
    Docs,
    /// Either of the two.
    #[default]
    Either,
}

/// How the simulator refuses an association type that is not enabled for the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeRefusal {
    /// 403 `authz.featureflag.permission.denied`.
    Forbidden,
    /// 400 `invalid.association.type`, "Association type not supported".
    UnsupportedType,
}

/// Which requests an injected fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FaultScope {
    /// Provisioning-key GETs (list and get, either prefix).
    #[default]
    Api,
    /// `POST /oauth2/v1/token` and `POST /signin`.
    Token,
    /// Every request.
    Any,
}

/// A failure to answer with, instead of the normal answer, for the next matching requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// 429 with the recorded ZPA body; `retry-after` set verbatim when given
    /// (`"4s"` as ZPA sends it, `"4"`, or an HTTP date).
    RateLimited { retry_after: Option<String> },
    /// 503 `retryable.server.error`, `retry-after` set verbatim when given.
    Unavailable { retry_after: Option<String> },
    /// 401 `resource.access.blocked`.
    ResourceAccessBlocked,
    /// 502 with an HTML page, as a proxy in front of the API would send.
    HtmlBadGateway,
    /// The normal answer with its body cut in half: valid HTTP, invalid JSON.
    TruncatedJson,
    /// Wait this long, then answer normally.
    Stall(Duration),
    /// Close the connection without writing any response.
    DropConnection,
    /// Any answer at all.
    Status {
        status: u16,
        body: String,
        content_type: String,
        headers: Vec<(String, String)>,
    },
}

impl Fault {
    /// The short name used in the request log and by `zpa-sim --fault`.
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::RateLimited { .. } => "429",
            Fault::Unavailable { .. } => "503",
            Fault::ResourceAccessBlocked => "blocked",
            Fault::HtmlBadGateway => "html502",
            Fault::TruncatedJson => "truncated",
            Fault::Stall(_) => "stall",
            Fault::DropConnection => "drop",
            Fault::Status { .. } => "status",
        }
    }
}
