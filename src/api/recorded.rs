//! Every response body recorded against a live tenant (copied to `tests/zpa-sim/recorded/`
//! from `shared/zpa/recorded/`), decoded with the client's own types and rendered through the
//! JSON contract, field for field — the guard against a wire-format guess.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::wire::{ErrorBody, Page, TokenResponse, WireKey};
use crate::key::KeyType;
use crate::output::{self, KeyJson};
use crate::time::rfc3339;

fn recorded(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/zpa-sim/recorded")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Checks one rendered key against the wire object it came from, field for field.
fn assert_contract(wire: &Value, key_type: KeyType) {
    let decoded: WireKey = serde_json::from_value(wire.clone()).expect("decodes");
    let key = decoded.into_key(key_type);
    let now = UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    let json = serde_json::to_value(KeyJson::new(&key, now)).unwrap();
    let object = json.as_object().unwrap();
    let mut names: Vec<&str> = object.keys().map(String::as_str).collect();
    let mut contract = output::fields().to_vec();
    names.sort_unstable();
    contract.sort_unstable();
    assert_eq!(names, contract, "exactly the contract's fields");
    let text = |f: &str| wire.get(f).and_then(Value::as_str).map(str::to_owned);
    let count = |f: &str| text(f).map(|s| Value::from(s.parse::<u64>().unwrap()));
    let time = |f: &str| text(f).map(|s| Value::from(rfc3339(s.parse().unwrap()).unwrap()));
    let or_null = |v: Option<Value>| v.unwrap_or(Value::Null);
    let expected = [
        ("id", or_null(text("id").map(Value::from))),
        ("name", or_null(text("name").map(Value::from))),
        ("association_type", Value::from(key_type.as_str())),
        ("enabled", wire["enabled"].clone()),
        ("max_usage", or_null(count("maxUsage"))),
        ("usage_count", or_null(count("usageCount"))),
        (
            "remaining_uses",
            match (count("maxUsage"), count("usageCount")) {
                (Some(max), used) => {
                    Value::from(max.as_u64().unwrap() - used.and_then(|u| u.as_u64()).unwrap_or(0))
                }
                (None, _) => Value::Null,
            },
        ),
        ("problems", Value::Array(vec![])),
        ("exportable", wire["exportable"].clone()),
        (
            "zcomponent_id",
            or_null(text("zcomponentId").map(Value::from)),
        ),
        (
            "zcomponent_name",
            or_null(text("zcomponentName").map(Value::from)),
        ),
        (
            "enrollment_cert_id",
            or_null(text("enrollmentCertId").map(Value::from)),
        ),
        (
            "enrollment_cert_name",
            or_null(text("enrollmentCertName").map(Value::from)),
        ),
        (
            "ip_acl",
            wire.get("ipAcl").cloned().unwrap_or(Value::Array(vec![])),
        ),
        ("expiration_time", or_null(time("expirationInEpochSec"))),
        ("creation_time", or_null(time("creationTime"))),
        ("modified_time", or_null(time("modifiedTime"))),
        ("modified_by", or_null(text("modifiedBy").map(Value::from))),
        (
            "microtenant_id",
            or_null(text("microtenantId").map(Value::from)),
        ),
        (
            "microtenant_name",
            or_null(text("microtenantName").map(Value::from)),
        ),
        (
            "app_connector_group_id",
            or_null(text("appConnectorGroupId").map(Value::from)),
        ),
        (
            "app_connector_group_name",
            or_null(text("appConnectorGroupName").map(Value::from)),
        ),
    ];
    for (field, want) in &expected {
        assert_eq!(&object[*field], want, "{field} of key {}", key.id);
    }
    // Every field of the contract is checked here (usable just below).
    for field in output::fields() {
        assert!(
            *field == "usable" || expected.iter().any(|(f, _)| f == field),
            "{field} is not checked against the wire"
        );
    }
    // The recorded keys are enabled, under their limit and without expiry.
    assert_eq!(object["usable"], true);
    // The value is kept, but only as a secret, and no field of the contract carries it.
    assert!(key.value.is_some());
    let rendered = json.to_string();
    let value = wire["provisioningKey"].as_str().unwrap();
    assert!(!rendered.contains(value.split('|').nth(2).unwrap()));
}

#[test]
fn recorded_keys_render_the_json_contract_field_for_field() {
    for (file, key_type) in [
        (
            "provisioning_key_connector_get_response.json",
            KeyType::ConnectorGrp,
        ),
        (
            "provisioning_key_connector_create_response.json",
            KeyType::ConnectorGrp,
        ),
        (
            "provisioning_key_service_edge_get_response.json",
            KeyType::ServiceEdgeGrp,
        ),
        (
            "provisioning_key_service_edge_create_response.json",
            KeyType::ServiceEdgeGrp,
        ),
    ] {
        let wire: Value = serde_json::from_str(&recorded(file)).unwrap();
        assert_contract(&wire, key_type);
    }
}

#[test]
fn recorded_lists_decode_with_string_counts() {
    for (file, key_type, count) in [
        (
            "provisioning_key_connector_list_response.json",
            KeyType::ConnectorGrp,
            3,
        ),
        (
            "provisioning_key_service_edge_list_response.json",
            KeyType::ServiceEdgeGrp,
            2,
        ),
    ] {
        let body = recorded(file);
        let page: Page = serde_json::from_str(&body).unwrap();
        assert_eq!(page.total_pages, Some(1));
        assert_eq!(page.total_count, Some(count));
        assert_eq!(page.list.as_ref().map(Vec::len), Some(count as usize));
        let raw: Value = serde_json::from_str(&body).unwrap();
        for entry in raw["list"].as_array().unwrap() {
            assert_contract(entry, key_type);
        }
    }
}

#[test]
fn the_recorded_key_58856_is_exactly_the_contract() {
    let wire: WireKey =
        serde_json::from_str(&recorded("provisioning_key_connector_get_response.json")).unwrap();
    let key = wire.into_key(KeyType::ConnectorGrp);
    let json = serde_json::to_string(&KeyJson::new(&key, SystemTime::now())).unwrap();
    assert_eq!(
        json,
        r#"{"id":"58856","name":"tests-pkacg-vcr0003","association_type":"CONNECTOR_GRP","enabled":true,"usable":true,"problems":[],"max_usage":2,"usage_count":0,"remaining_uses":2,"exportable":true,"zcomponent_id":"216196257331404676","zcomponent_name":"tests-pkacg-vcr0001","enrollment_cert_id":"6573","enrollment_cert_name":"Connector","ip_acl":[],"expiration_time":null,"creation_time":"2026-03-13T02:45:25Z","modified_time":"2026-03-13T02:45:25Z","modified_by":"216196257331372705","microtenant_id":null,"microtenant_name":null,"app_connector_group_id":null,"app_connector_group_name":null}"#
    );
}

#[test]
fn recorded_token_and_error_bodies() {
    let token: TokenResponse =
        serde_json::from_str(&recorded("oneapi_token_response_redacted.json")).unwrap();
    assert_eq!(token.expires_in, Some(83999));

    let unauthorized =
        ErrorBody::parse(recorded("error_401_oneapi_unauthorized_response.json").as_bytes());
    assert_eq!(
        (unauthorized.code(), unauthorized.reason()),
        (None, Some("unauthorized"))
    );

    let limited =
        ErrorBody::parse(recorded("error_429_zpa_toomanyrequests_response.json").as_bytes());
    assert_eq!(
        (limited.code(), limited.reason()),
        (
            Some("invalid.toomanyrequests"),
            Some("Exceeded the number of requests allowed.")
        )
    );
}

#[test]
fn recorded_bodies_zpakey_does_not_use_still_decode_as_envelopes() {
    // The enrollment-certificate list shares the paged envelope; its items are not keys but
    // must not trip the decoder (ids are strings there too).
    let page: Page = serde_json::from_str(&recorded(
        "enrollment_cert_v2_list_search_connector_response.json",
    ))
    .unwrap();
    assert_eq!((page.total_pages, page.total_count), (Some(1), Some(1)));
    for file in [
        "app_connector_group_get_response.json",
        "service_edge_group_get_response.json",
    ] {
        let group: Value = serde_json::from_str(&recorded(file)).unwrap();
        assert!(
            group["id"].as_str().unwrap().len() == 18,
            "18-digit ids stay strings"
        );
    }
}
