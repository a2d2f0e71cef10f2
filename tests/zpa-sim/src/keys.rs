//! The provisioning-key endpoints: list and get under the OneAPI and legacy prefixes, with
//! the real API's paging envelope, search syntax, microtenant filter and error bodies.

use hyper::HeaderMap;
use serde_json::{Value, json};

use crate::auth;
use crate::options::{EmptyPageShape, SearchCase, SpecialCharSearch, TypeRefusal};
use crate::reply::{PLAIN_JSON, Reply, ZPA_429_BODY, ZPA_JSON};
use crate::state::{Flavor, Shared};
use crate::tenant::AssociationType;

/// `pagesize` when the client sends none, as the real API defaults.
const DEFAULT_PAGE_SIZE: usize = 20;
/// The documented maximum; larger values are clamped to it rather than refused, as the
/// Python SDK assumes (it clamps client-side) and the docs do not say otherwise.
pub(crate) const MAX_PAGE_SIZE: usize = 500;

/// A provisioning-key path, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyRoute<'a> {
    pub flavor: Flavor,
    pub customer_id: &'a str,
    pub type_name: &'a str,
    pub id: Option<&'a str>,
}

impl<'a> KeyRoute<'a> {
    /// `[/zpa]/mgmtconfig/v1/admin/customers/{c}/associationType/{t}/provisioningKey[/{id}]`
    pub fn parse(path: &'a str) -> Option<KeyRoute<'a>> {
        let (flavor, rest) = match path.strip_prefix("/zpa") {
            Some(rest) if rest.starts_with("/mgmtconfig/") => (Flavor::OneApi, rest),
            _ => (Flavor::Legacy, path),
        };
        let segments: Vec<&str> = rest.strip_prefix('/')?.split('/').collect();
        match segments.as_slice() {
            [
                "mgmtconfig",
                "v1",
                "admin",
                "customers",
                customer_id,
                "associationType",
                type_name,
                "provisioningKey",
                tail @ ..,
            ] if !customer_id.is_empty() && !type_name.is_empty() => {
                let id = match tail {
                    [] => None,
                    [id] if !id.is_empty() => Some(*id),
                    _ => return None,
                };
                Some(KeyRoute {
                    flavor,
                    customer_id,
                    type_name,
                    id,
                })
            }
            _ => None,
        }
    }
}

fn bad_request(param: &str, reason: String) -> Reply {
    Reply::json(
        400,
        ZPA_JSON,
        &json!({ "id": "bad.request", "reason": reason, "params": [param] }),
    )
}

fn not_found(id: &str) -> Reply {
    Reply::json(
        400,
        ZPA_JSON,
        &json!({
            "id": "resource.not.found",
            "reason": format!("No resource exists with the given id/name :{id}"),
            "params": [id],
        }),
    )
}

/// Decodes `%XX` escapes of a path segment; invalid escapes are kept as they are.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Answers a provisioning-key GET. `count_rate` is false when a fault consumed the request:
/// such requests do not use up the client's rate-limit budget.
pub(crate) fn serve(
    shared: &Shared,
    route: &KeyRoute<'_>,
    headers: &HeaderMap,
    query: Option<&str>,
    count_rate: bool,
) -> Reply {
    if let Err(reply) = auth::check_bearer(shared, headers, route.flavor, route.customer_id) {
        return reply;
    }
    let config = &shared.config;
    if count_rate {
        let mut state = shared.state();
        if state.rate_limit_on
            && let Err(secs) =
                state.count_get(route.customer_id, config.rate_max, config.rate_window)
        {
            return Reply::new(429, PLAIN_JSON, ZPA_429_BODY)
                .header("retry-after", format!("{secs}s"));
        }
    }

    let Some(ty) = AssociationType::from_wire(route.type_name) else {
        return Reply::zpa_error(
            400,
            "invalid.association.type",
            &format!(
                "Invalid association type: {}",
                percent_decode(route.type_name)
            ),
        );
    };
    match config.refusals.get(&ty) {
        Some(TypeRefusal::Forbidden) => {
            return Reply::zpa_error(
                403,
                "authz.featureflag.permission.denied",
                "Feature not enabled for this tenant",
            );
        }
        Some(TypeRefusal::UnsupportedType) => {
            return Reply::zpa_error(
                400,
                "invalid.association.type",
                "Association type not supported",
            );
        }
        None => {}
    }

    let params: Vec<(String, String)> = query
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let param = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let microtenant =
        param("microtenantId").filter(|m| !m.is_empty() && !m.eq_ignore_ascii_case("null"));
    let keys = config.tenant.keys(ty);

    if let Some(raw_id) = route.id {
        let id = percent_decode(raw_id);
        let found = id.bytes().all(|b| b.is_ascii_digit()).then(|| {
            keys.iter()
                .find(|k| k["id"].as_str() == Some(id.as_str()) && visible(k, microtenant))
        });
        return match found.flatten() {
            Some(key) => Reply::json(200, ZPA_JSON, &served_key(shared, key)),
            None => not_found(&id),
        };
    }

    let page = match positive(param("page"), 1) {
        Ok(p) => p,
        Err(v) => return bad_request("page", format!("Invalid value for page: {v}")),
    };
    let page_size = match positive(param("pagesize"), DEFAULT_PAGE_SIZE) {
        Ok(s) => s.min(MAX_PAGE_SIZE),
        Err(v) => return bad_request("pagesize", format!("Invalid value for pagesize: {v}")),
    };
    let search = match param("search").filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => match Search::parse(raw) {
            Some(s) => {
                if config.special_char_search == SpecialCharSearch::Error400
                    && s.has_special_chars()
                {
                    return bad_request("search", format!("Invalid search value: {}", s.value));
                }
                Some(s)
            }
            None => {
                return bad_request("search", format!("Invalid search criteria: {raw}"));
            }
        },
    };

    let matching: Vec<&Value> = keys
        .iter()
        .filter(|k| visible(k, microtenant))
        .filter(|k| {
            search
                .as_ref()
                .is_none_or(|s| s.matches(k, config.search_case, config.special_char_search))
        })
        .collect();
    let total = matching.len();
    let pages = total.div_ceil(page_size);
    let mut envelope = serde_json::Map::new();
    envelope.insert("totalPages".into(), Value::String(pages.to_string()));
    envelope.insert("totalCount".into(), Value::String(total.to_string()));
    if page <= pages {
        let list = matching
            .into_iter()
            .skip((page - 1) * page_size)
            .take(page_size)
            .map(|k| served_key(shared, k))
            .collect();
        envelope.insert("list".into(), Value::Array(list));
    } else if config.empty_page_shape == EmptyPageShape::EmptyList {
        envelope.insert("list".into(), Value::Array(Vec::new()));
    }
    Reply::json(200, ZPA_JSON, &Value::Object(envelope))
}

/// A query number that must be a positive integer; `Err` carries the offending text.
fn positive(value: Option<&str>, default: usize) -> Result<usize, String> {
    match value {
        None => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(v.to_owned()),
        },
    }
}

/// `microtenantId` absent: every key. `0`: keys of the Default microtenant (no id, or "0").
fn visible(key: &Value, microtenant: Option<&str>) -> bool {
    let own = key["microtenantId"].as_str();
    match microtenant {
        None => true,
        Some("0") => own.is_none_or(|m| m == "0"),
        Some(m) => own == Some(m),
    }
}

/// A key as the API returns it: without its secret when not exportable.
fn served_key(shared: &Shared, key: &Value) -> Value {
    let mut key = key.clone();
    if let Value::Object(obj) = &mut key {
        let exportable = match obj.get("exportable") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => !s.eq_ignore_ascii_case("false"),
            _ => true,
        };
        if !exportable {
            obj.shift_remove("provisioningKey");
        }
        if shared.config.html_escape_names
            && let Some(Value::String(name)) = obj.get_mut("name")
        {
            *name = html_escape(name);
        }
    }
    key
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Like,
}

/// A `search` value: `<field><sep><OP><sep><value>`, where each separator is one `+` or
/// one space (the SDKs send `name+EQ+…`, the docs `name EQ …`) and the value is everything
/// after the second separator, verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Search {
    field: String,
    op: Op,
    value: String,
}

impl Search {
    fn parse(raw: &str) -> Option<Search> {
        let is_sep = |c: char| c == '+' || c == ' ';
        let (field, rest) = raw.split_at(raw.find(is_sep)?);
        let rest = &rest[1..];
        let (op, rest) = rest.split_at(rest.find(is_sep)?);
        let value = &rest[1..];
        if field.is_empty() || !field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        let op = if op.eq_ignore_ascii_case("EQ") {
            Op::Eq
        } else if op.eq_ignore_ascii_case("LIKE") {
            Op::Like
        } else {
            return None;
        };
        Some(Search {
            field: field.to_owned(),
            op,
            value: value.to_owned(),
        })
    }

    fn has_special_chars(&self) -> bool {
        self.value
            .chars()
            .any(|c| !(c.is_ascii_alphanumeric() || " _./-".contains(c)))
    }

    fn matches(&self, key: &Value, case: SearchCase, special: SpecialCharSearch) -> bool {
        if special == SpecialCharSearch::NoMatch && self.has_special_chars() {
            return false;
        }
        let field = match &key[&self.field] {
            Value::String(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            _ => return false,
        };
        let (field, value) = match case {
            SearchCase::Sensitive => (field, self.value.clone()),
            SearchCase::Insensitive => (field.to_lowercase(), self.value.to_lowercase()),
        };
        match self.op {
            Op::Eq => field == value,
            Op::Like => field.contains(&value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_parse_under_both_prefixes() {
        let r = KeyRoute::parse(
            "/zpa/mgmtconfig/v1/admin/customers/1/associationType/CONNECTOR_GRP/provisioningKey",
        )
        .unwrap();
        assert_eq!(r.flavor, Flavor::OneApi);
        assert_eq!(
            (r.customer_id, r.type_name, r.id),
            ("1", "CONNECTOR_GRP", None)
        );
        let r = KeyRoute::parse(
            "/mgmtconfig/v1/admin/customers/1/associationType/X/provisioningKey/42",
        )
        .unwrap();
        assert_eq!(r.flavor, Flavor::Legacy);
        assert_eq!(r.id, Some("42"));
        for bad in [
            "/zpa/mgmtconfig/v1/admin/customers/1/associationType/X/provisioningKey/",
            "/zpa/mgmtconfig/v1/admin/customers/1/associationType/X/provisioningKey/1/2",
            "/zpa/mgmtconfig/v2/admin/customers/1/associationType/X/provisioningKey",
            "/zpa/zpa/mgmtconfig/v1/admin/customers/1/associationType/X/provisioningKey",
            "/mgmtconfig/v1/admin/customers//associationType/X/provisioningKey",
            "/",
            "",
        ] {
            assert_eq!(KeyRoute::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn search_keeps_the_value_verbatim() {
        let s = Search::parse("name+EQ+Service Edge").unwrap();
        assert_eq!(
            (s.field.as_str(), s.op, s.value.as_str()),
            ("name", Op::Eq, "Service Edge")
        );
        let s = Search::parse("name EQ Zürich  Büro  Connectors").unwrap();
        assert_eq!(s.value, "Zürich  Büro  Connectors");
        let s = Search::parse("name+like+a+b").unwrap();
        assert_eq!((s.op, s.value.as_str()), (Op::Like, "a+b"));
        let s = Search::parse("name EQ ").unwrap();
        assert_eq!(s.value, "");
        for bad in [
            "name",
            "name EQ",
            "name+NE+x",
            "+EQ+x",
            "na-me EQ x",
            "nameEQx",
        ] {
            assert_eq!(Search::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn special_characters_are_those_the_go_sdk_strips() {
        let s = |v: &str| {
            Search::parse(&format!("name EQ {v}"))
                .unwrap()
                .has_special_chars()
        };
        assert!(!s("Prod-Connectors v1.2/a_b"));
        for v in ["a&b", "a(b", "a#b", "O'Brien", "a\"b", "Zürich", "a+b"] {
            assert!(s(v), "{v}");
        }
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("%zz%2"), "%zz%2");
        assert_eq!(percent_decode("%C3%BC"), "ü");
    }

    #[test]
    fn html_escape_covers_the_five_characters() {
        assert_eq!(
            html_escape(r#"O'Brien's "lab" <&>"#),
            "O&#39;Brien&#39;s &quot;lab&quot; &lt;&amp;&gt;"
        );
    }
}
