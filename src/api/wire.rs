//! The ZPA wire format, decoded leniently where the API is known to vary (numbers sent as
//! strings, booleans sometimes as strings) and strictly everywhere else, so an answer we do
//! not understand becomes an error instead of a wrong table.

use secrecy::SecretString;
use serde::Deserialize;
use serde::de::{self, Deserializer};

use crate::key::{Key, KeyType};

/// The paged envelope of list calls: `{"totalPages": "N", "totalCount": "N", "list": [...]}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Page {
    #[serde(default, deserialize_with = "opt_u64")]
    pub(crate) total_pages: Option<u64>,
    #[serde(default, deserialize_with = "opt_u64")]
    pub(crate) total_count: Option<u64>,
    /// Missing on an empty page or a page past the end.
    #[serde(default)]
    pub(crate) list: Option<Vec<WireKey>>,
}

/// A provisioning key exactly as the API sends it; every field optional, unknown ones ignored.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireKey {
    #[serde(deserialize_with = "id_string")]
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) name: Option<String>,
    #[serde(default, deserialize_with = "opt_bool")]
    pub(crate) enabled: Option<bool>,
    #[serde(default, deserialize_with = "opt_u64")]
    pub(crate) max_usage: Option<u64>,
    #[serde(default, deserialize_with = "opt_u64")]
    pub(crate) usage_count: Option<u64>,
    #[serde(default, deserialize_with = "opt_bool")]
    pub(crate) exportable: Option<bool>,
    #[serde(default, deserialize_with = "opt_string")]
    pub(crate) zcomponent_id: Option<String>,
    #[serde(default)]
    pub(crate) zcomponent_name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub(crate) enrollment_cert_id: Option<String>,
    #[serde(default)]
    pub(crate) enrollment_cert_name: Option<String>,
    #[serde(default)]
    pub(crate) ip_acl: Option<Vec<String>>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub(crate) expiration_in_epoch_sec: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub(crate) creation_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_i64")]
    pub(crate) modified_time: Option<i64>,
    #[serde(default, deserialize_with = "opt_string")]
    pub(crate) modified_by: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub(crate) microtenant_id: Option<String>,
    #[serde(default)]
    pub(crate) microtenant_name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    pub(crate) app_connector_group_id: Option<String>,
    #[serde(default)]
    pub(crate) app_connector_group_name: Option<String>,
    #[serde(default, deserialize_with = "opt_key_value")]
    pub(crate) provisioning_key: Option<SecretString>,
}

impl WireKey {
    /// Attaches the type the key was found under (the API does not say) and normalises values.
    pub(crate) fn into_key(self, key_type: KeyType) -> Key {
        let value = self
            .provisioning_key
            .filter(|v| !secrecy::ExposeSecret::expose_secret(v).is_empty());
        Key {
            id: self.id,
            name: unescape_html(self.name.as_deref().unwrap_or_default()),
            key_type,
            enabled: self.enabled.unwrap_or(true),
            max_usage: self.max_usage,
            usage_count: self.usage_count,
            exportable: self.exportable,
            zcomponent_id: self.zcomponent_id,
            zcomponent_name: self.zcomponent_name.map(|n| unescape_html(&n)),
            enrollment_cert_id: self.enrollment_cert_id,
            enrollment_cert_name: self.enrollment_cert_name,
            ip_acl: self.ip_acl.unwrap_or_default(),
            // ZPA uses 0 for "never"; a key does not expire in 1970.
            expiration_time: self.expiration_in_epoch_sec.filter(|t| *t > 0),
            creation_time: self.creation_time,
            modified_time: self.modified_time,
            modified_by: self.modified_by,
            microtenant_id: self.microtenant_id,
            microtenant_name: self.microtenant_name,
            app_connector_group_id: self.app_connector_group_id,
            app_connector_group_name: self.app_connector_group_name.map(|n| unescape_html(&n)),
            value,
        }
    }
}

/// The error bodies ZPA, the OneAPI gateway and ZIdentity send, read for their code and reason.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ErrorBody {
    #[serde(default)]
    pub(crate) id: Option<String>,
    #[serde(default)]
    pub(crate) code: Option<String>,
    #[serde(default)]
    pub(crate) error: Option<String>,
    #[serde(default)]
    pub(crate) reason: Option<String>,
    #[serde(default)]
    pub(crate) message: Option<String>,
    #[serde(default)]
    pub(crate) detail: Option<String>,
    #[serde(default)]
    pub(crate) error_description: Option<String>,
}

impl ErrorBody {
    pub(crate) fn parse(body: &[u8]) -> ErrorBody {
        serde_json::from_slice(body).unwrap_or_default()
    }

    pub(crate) fn code(&self) -> Option<&str> {
        [&self.id, &self.code, &self.error]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .find(|s| !s.is_empty())
    }

    pub(crate) fn reason(&self) -> Option<&str> {
        [
            &self.reason,
            &self.message,
            &self.error_description,
            &self.detail,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .find(|s| !s.is_empty())
    }
}

/// The token answers of OneAPI (`expires_in` a number) and legacy `/signin` (a string).
#[derive(Deserialize)]
pub(crate) struct TokenResponse {
    pub(crate) access_token: SecretString,
    #[serde(default, deserialize_with = "opt_u64")]
    pub(crate) expires_in: Option<u64>,
}

/// What is wrong with a body, in words that quote none of it: for answers that may hold a
/// secret (a token answer), where the decoder's own message could echo a value.
pub(crate) fn category(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Io => "unreadable",
        Category::Syntax => "not valid JSON",
        Category::Data => "JSON of an unexpected shape",
        Category::Eof => "JSON cut off",
    };
    format!("{what} at line {}, column {}", e.line(), e.column())
}

/// ZPA names may arrive HTML-escaped (the Go SDK unescapes them); undo the common entities.
pub(crate) fn unescape_html(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// A number the API sends either as JSON number or as a string. Decoded by hand: an untagged
/// enum buffers every value and builds a formatted error for each variant that does not match,
/// which was a quarter of a 10,000-key list's CPU time.
enum NumOrString {
    Unsigned(u64),
    Signed(i64),
    Text(String),
}

impl<'de> Deserialize<'de> for NumOrString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = NumOrString;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an integer or a string")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
                Ok(NumOrString::Unsigned(n))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
                Ok(match u64::try_from(n) {
                    Ok(n) => NumOrString::Unsigned(n),
                    Err(_) => NumOrString::Signed(n),
                })
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(NumOrString::Text(s.to_owned()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
                Ok(NumOrString::Text(s))
            }
        }
        d.deserialize_any(Visitor)
    }
}

fn id_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match NumOrString::deserialize(d)? {
        NumOrString::Unsigned(n) => Ok(n.to_string()),
        NumOrString::Text(s) if crate::key::parse_id(&s).is_ok() => Ok(s),
        _ => Err(de::Error::custom("id is not a string of digits")),
    }
}

fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<NumOrString>::deserialize(d)? {
        None => None,
        Some(NumOrString::Unsigned(n)) => Some(n.to_string()),
        Some(NumOrString::Signed(n)) => Some(n.to_string()),
        Some(NumOrString::Text(s)) if s.is_empty() => None,
        Some(NumOrString::Text(s)) => Some(s),
    })
}

fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match Option::<NumOrString>::deserialize(d)? {
        None => Ok(None),
        Some(NumOrString::Unsigned(n)) => Ok(Some(n)),
        Some(NumOrString::Text(s)) if s.is_empty() => Ok(None),
        Some(NumOrString::Text(s)) => s
            .parse()
            .map(Some)
            .map_err(|_| de::Error::custom(format!("expected a count, got {s:?}"))),
        Some(NumOrString::Signed(n)) => Err(de::Error::custom(format!("negative count {n}"))),
    }
}

fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<NumOrString>::deserialize(d)? {
        None => Ok(None),
        Some(NumOrString::Unsigned(n)) => i64::try_from(n)
            .map(Some)
            .map_err(|_| de::Error::custom("time out of range")),
        Some(NumOrString::Signed(n)) => Ok(Some(n)),
        Some(NumOrString::Text(s)) if s.is_empty() => Ok(None),
        Some(NumOrString::Text(s)) => s
            .parse()
            .map(Some)
            .map_err(|_| de::Error::custom(format!("expected epoch seconds, got {s:?}"))),
    }
}

/// A key value is printable text (`<version>|<host>|<base64>`); one with control, bidi or
/// separator characters is not a key, and `reveal` must never write such a value raw. The
/// value is registered with the redactor at once, so no message can echo it.
fn opt_key_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    let Some(value) = Option::<SecretString>::deserialize(d)? else {
        return Ok(None);
    };
    let text = secrecy::ExposeSecret::expose_secret(&value);
    // The material is what is secret; `N|host|` before it is masked by its shape.
    match text.splitn(3, '|').nth(2) {
        Some(material) => crate::redact::register_material(material),
        None => crate::redact::register_secret(&value),
    }
    if crate::escape::has_unsafe(text) {
        return Err(de::Error::custom(
            "provisioningKey holds control or bidi characters, which no key has",
        ));
    }
    Ok(Some(value))
}

fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    enum BoolOrString {
        Bool(bool),
        Text(String),
    }
    // By hand for the same reason as `NumOrString`.
    impl<'de> Deserialize<'de> for BoolOrString {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Visitor;
            impl de::Visitor<'_> for Visitor {
                type Value = BoolOrString;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a boolean or a string")
                }
                fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
                    Ok(BoolOrString::Bool(b))
                }
                fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                    Ok(BoolOrString::Text(s.to_owned()))
                }
            }
            d.deserialize_any(Visitor)
        }
    }
    match Option::<BoolOrString>::deserialize(d)? {
        None => Ok(None),
        Some(BoolOrString::Bool(b)) => Ok(Some(b)),
        Some(BoolOrString::Text(s)) => match s.to_ascii_lowercase().as_str() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(de::Error::custom(format!(
                "expected true or false, got {s:?}"
            ))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn decodes_strings_numbers_and_booleans_leniently() {
        let k: WireKey = serde_json::from_str(
            r#"{"id": 216196257331404676, "name": "A &amp; B", "maxUsage": 2, "usageCount": "1",
                "exportable": "false", "enabled": true, "creationTime": "1773369925",
                "zcomponentId": "216196257331404676", "unknownField": {"x": 1}}"#,
        )
        .unwrap();
        let key = k.into_key(KeyType::ConnectorGrp);
        assert_eq!(key.id, "216196257331404676");
        assert_eq!(key.name, "A & B");
        assert_eq!((key.max_usage, key.usage_count), (Some(2), Some(1)));
        assert_eq!(key.exportable, Some(false));
        assert_eq!(key.zcomponent_id.as_deref(), Some("216196257331404676"));
        assert_eq!(key.creation_time, Some(1773369925));
        assert!(key.value.is_none());
    }

    #[test]
    fn rejects_wrong_types() {
        for body in [
            r#"{"id": "12a"}"#,
            r#"{"id": "1", "maxUsage": "ten"}"#,
            r#"{"id": "1", "enabled": "yes"}"#,
            r#"{"id": "1", "ipAcl": "10.0.0.0/8"}"#,
            r#"{"name": "no id"}"#,
            r#"{"id": 1.5}"#,
            r#"{"id": -3}"#,
            r#"{"id": "1", "maxUsage": -1}"#,
            r#"{"id": "1", "maxUsage": 2.5}"#,
            r#"{"id": "1", "maxUsage": true}"#,
            r#"{"id": "1", "enabled": 1}"#,
            r#"{"id": "1", "usageCount": [1]}"#,
        ] {
            assert!(serde_json::from_str::<WireKey>(body).is_err(), "{body}");
        }
    }

    #[test]
    fn token_expiry_as_number_or_string() {
        let t: TokenResponse = serde_json::from_str(
            r#"{"access_token":"a","token_type":"Bearer","expires_in":"3600"}"#,
        )
        .unwrap();
        assert_eq!(t.expires_in, Some(3600));
        assert_eq!(t.access_token.expose_secret(), "a");
        let t: TokenResponse =
            serde_json::from_str(r#"{"access_token":"b","expires_in":83999}"#).unwrap();
        assert_eq!(t.expires_in, Some(83999));
    }

    #[test]
    fn missing_list_is_an_empty_page() {
        let p: Page = serde_json::from_str(r#"{"totalPages":"0","totalCount":"0"}"#).unwrap();
        assert_eq!(p.total_pages, Some(0));
        assert!(p.list.is_none());
    }

    #[test]
    fn error_bodies_of_every_flavour() {
        let zpa =
            ErrorBody::parse(br#"{"id":"resource.not.found","reason":"gone","params":["1"]}"#);
        assert_eq!(
            (zpa.code(), zpa.reason()),
            (Some("resource.not.found"), Some("gone"))
        );
        let gw = ErrorBody::parse(br#"{"detail":"unauthorized","type":"","title":"","status":""}"#);
        assert_eq!((gw.code(), gw.reason()), (None, Some("unauthorized")));
        let html = ErrorBody::parse(b"<html>502</html>");
        assert_eq!((html.code(), html.reason()), (None, None));
    }
}
