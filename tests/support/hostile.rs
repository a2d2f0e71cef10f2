//! Tools for the hostile cases (issue 10): a scripted HTTP/1.1 server for answers zpa-sim
//! cannot give (absurd headers, echoed secrets, lying page counts), a runner that measures the
//! real binary (exit status, wall time, peak RSS) with a hang guard, and the checks every
//! hostile run must pass (no panic, the documented exit code, bounded memory, no secret out).

use serde_json::{Value, json};

mod helper;
mod leaks;
mod procs;
mod runner;
mod server;

pub use helper::*;
pub use leaks::*;
pub use procs::*;
pub use runner::*;
pub use server::*;

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
