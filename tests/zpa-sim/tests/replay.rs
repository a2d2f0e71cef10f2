//! Replays the recorded real responses: for the recorded keys, the simulator must answer
//! exactly what the real API answered, field for field.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;
use zpa_sim::Sim;

fn recorded_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("recorded")
}

fn recorded(name: &str) -> String {
    std::fs::read_to_string(recorded_dir().join(name)).unwrap()
}

#[tokio::test]
async fn get_answers_equal_the_recorded_bodies() {
    let sim = Sim::builder().start().unwrap();
    for api in [Api::OneApi, Api::Legacy] {
        let token = token_for(&sim, api).await;
        for (ty, id, file) in [
            (
                "CONNECTOR_GRP",
                "58856",
                "provisioning_key_connector_get_response.json",
            ),
            (
                "SERVICE_EDGE_GRP",
                "58857",
                "provisioning_key_service_edge_get_response.json",
            ),
        ] {
            let (status, headers, body) =
                get_raw(&keys_url(&sim, api, ty, &format!("/{id}")), &token).await;
            assert_eq!(status, 200);
            assert_eq!(headers["content-type"], "application/json;charset=utf-8");
            let want = recorded(file);
            let got: Value = serde_json::from_str(&body).unwrap();
            let want_value: Value = serde_json::from_str(&want).unwrap();
            assert_eq!(got, want_value, "{api:?} {file}");
            // Same fields in the same order, serialised the same way: byte for byte.
            assert_eq!(body, want, "{api:?} {file}");
        }
    }
}

#[tokio::test]
async fn list_entries_equal_the_recorded_list_entries() {
    let sim = Sim::builder().start().unwrap();
    let token = oneapi_token(&sim).await;
    for (ty, file) in [
        (
            "CONNECTOR_GRP",
            "provisioning_key_connector_list_response.json",
        ),
        (
            "SERVICE_EDGE_GRP",
            "provisioning_key_service_edge_list_response.json",
        ),
    ] {
        let want: Value = serde_json::from_str(&recorded(file)).unwrap();
        // Requested like the recording: no page, no pagesize.
        let (status, got) = get_json(&keys_url(&sim, Api::OneApi, ty, ""), &token).await;
        assert_eq!(status, 200);
        for field in ["totalPages", "totalCount"] {
            assert!(got[field].is_string(), "{field} must be a string");
        }
        let served = got["list"].as_array().unwrap();
        let recorded_list = want["list"].as_array().unwrap();
        assert!(!recorded_list.is_empty());
        for entry in recorded_list {
            let id = &entry["id"];
            let ours = served
                .iter()
                .find(|k| &k["id"] == id)
                .unwrap_or_else(|| panic!("{file}: key {id} not served"));
            assert_eq!(ours, entry, "{file}: key {id}");
            let our_order: Vec<&String> = ours.as_object().unwrap().keys().collect();
            let their_order: Vec<&String> = entry.as_object().unwrap().keys().collect();
            assert_eq!(our_order, their_order, "{file}: key {id} field order");
        }
        // The recorded keys keep their relative order in the simulator's list.
        let positions: Vec<usize> = recorded_list
            .iter()
            .map(|e| served.iter().position(|k| k["id"] == e["id"]).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    }
}

#[tokio::test]
async fn the_service_edge_list_is_the_recording_when_only_its_keys_exist() {
    // A tenant file holding exactly the recorded service-edge keys answers the recorded
    // list body itself, envelope and all.
    let recorded_list: Value = serde_json::from_str(&recorded(
        "provisioning_key_service_edge_list_response.json",
    ))
    .unwrap();
    let tenant_json = serde_json::json!({
        "customerId": CUSTOMER,
        "provisioningKeys": { "SERVICE_EDGE_GRP": recorded_list["list"] },
    });
    let tenant = zpa_sim::Tenant::from_json_str(&tenant_json.to_string()).unwrap();
    let sim = Sim::builder().tenant(tenant).start().unwrap();
    let token = oneapi_token(&sim).await;
    let (_, _, body) = get_raw(&keys_url(&sim, Api::OneApi, "SERVICE_EDGE_GRP", ""), &token).await;
    assert_eq!(
        body,
        recorded("provisioning_key_service_edge_list_response.json")
    );
}

#[tokio::test]
async fn error_and_token_bodies_have_the_recorded_shape() {
    let sim = Sim::builder()
        .rate_limit_window(1, std::time::Duration::from_secs(10))
        .start()
        .unwrap();
    let url = keys_url(&sim, Api::OneApi, "CONNECTOR_GRP", "");
    assert_eq!(
        get_raw(&url, "none").await.2,
        recorded("error_401_oneapi_unauthorized_response.json")
    );
    let token = oneapi_token(&sim).await;
    get_raw(&url, &token).await;
    assert_eq!(
        get_raw(&url, &token).await.2,
        recorded("error_429_zpa_toomanyrequests_response.json")
    );

    let want: Value =
        serde_json::from_str(&recorded("oneapi_token_response_redacted.json")).unwrap();
    let c = sim.tenant().credentials().clone();
    let got: Value = client()
        .post(sim.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", c.client_id.as_str()),
            ("client_secret", c.client_secret.as_str()),
            ("audience", zpa_sim::API_AUDIENCE),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let shape = |v: &Value| -> Vec<(String, &'static str)> {
        v.as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                let t = match v {
                    Value::String(_) => "string",
                    Value::Number(_) => "number",
                    _ => "other",
                };
                (k.clone(), t)
            })
            .collect()
    };
    assert_eq!(shape(&got), shape(&want));
}

#[test]
fn the_copies_match_the_shared_recordings() {
    // The crate carries copies so that it builds from a plain clone; when the project's
    // shared/ sits beside the repository (as in CI), the copies must not have drifted.
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/zpa/recorded");
    if !shared.is_dir() {
        eprintln!("note: {} not found; copies not compared", shared.display());
        return;
    }
    // Every recorded body has an identical copy here (zpakey's unit tests read them too).
    let mut compared = 0;
    for entry in std::fs::read_dir(&shared).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let name = path.file_name().unwrap();
            assert_eq!(
                std::fs::read(recorded_dir().join(name)).ok(),
                Some(std::fs::read(&path).unwrap()),
                "{} is missing or differs",
                name.to_string_lossy()
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 12, "the twelve recorded bodies");
}
