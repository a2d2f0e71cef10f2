//! Decoding and rendering never panic on any answer: arbitrary bytes, arbitrary JSON and
//! recorded bodies cut off at any point (proptest).

use super::*;
use proptest::prelude::*;
use wire::TokenResponse;

fn answer(content_type: &str, body: Vec<u8>) -> Answer {
    Answer {
        status: 200,
        content_type: content_type.to_owned(),
        retry_after: None,
        body,
    }
}

/// Any JSON value, nested a few levels deep.
fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::json!(f)),
        ".{0,40}".prop_map(serde_json::Value::from),
        "[0-9]{0,25}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..8)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The wire's own field names most of the time, so decoding gets past the envelope.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "id",
            "name",
            "enabled",
            "maxUsage",
            "usageCount",
            "exportable",
            "zcomponentId",
            "zcomponentName",
            "enrollmentCertId",
            "ipAcl",
            "expirationInEpochSec",
            "creationTime",
            "modifiedTime",
            "modifiedBy",
            "microtenantId",
            "provisioningKey",
            "totalPages",
            "totalCount",
            "list",
            "access_token",
            "expires_in",
            "reason",
            "code",
            "detail",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z]{1,12}",
    ]
}

/// Decoding and rendering an answer must end in a value or an error, never a panic.
fn exercise(bytes: Vec<u8>) {
    let now = std::time::SystemTime::now();
    for content_type in ["application/json", "text/html", ""] {
        let answer = answer(content_type, bytes.clone());
        if let Ok(page) = decode::<Page>(&answer, "test") {
            // Through the listing's own page handling (size check, duplicates).
            let mut keys = Keys::default();
            let _ = keys.add(page, KeyType::ConnectorGrp, 1);
            for key in keys.list {
                let json = crate::output::KeyJson::new(&key, now);
                let _ = serde_json::to_string(&json).unwrap();
                for problem in key.problems(now) {
                    let _ = problem.describe(&key.name);
                }
            }
        }
        if let Ok(key) = decode::<WireKey>(&answer, "test") {
            let key = key.into_key(KeyType::ServiceEdgeGrp);
            let _ = serde_json::to_string(&crate::output::KeyJson::new(&key, now)).unwrap();
        }
        let _ = decode::<TokenResponse>(&answer, "test");
        let _ = answer.describe();
        let _ = answer.unreadable("test", "reason");
        let _ = answer.mentions_blocked();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..1_024)) {
        exercise(bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(value in arb_json()) {
        exercise(value.to_string().into_bytes());
        // Also as a page of such items.
        let page = serde_json::json!({"totalPages": "1", "list": [value]});
        exercise(page.to_string().into_bytes());
    }

    #[test]
    fn cut_off_bodies_never_panic(cut in 0usize..2_000) {
        let body = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/zpa-sim/recorded/provisioning_key_connector_list_response.json"
        ))
        .unwrap();
        exercise(body[..cut.min(body.len())].to_vec());
    }

}

fn encode(value: &str) -> String {
    encoded(value).to_string()
}

#[test]
fn search_values_are_strictly_encoded() {
    assert_eq!(
        encode("name+EQ+AWS us-east-1 (prod) & DR #2"),
        "name%2BEQ%2BAWS%20us-east-1%20%28prod%29%20%26%20DR%20%232"
    );
    assert_eq!(encode("Zürich"), "Z%C3%BCrich");
}
