//! Listing and getting keys: the same answers under both prefixes, the demo keys,
//! not-found, withheld secrets, refused or unknown types, escaped names and unknown routes.

use serde_json::{Value, json};
use zpa_sim::{AssociationType, Sim, Tenant, TypeRefusal};

use super::*;

#[tokio::test]
async fn list_and_get_work_the_same_under_both_prefixes() {
    let sim = sim();
    let mut bodies = Vec::new();
    for api in [Api::OneApi, Api::Legacy] {
        let token = token_for(&sim, api).await;
        let (status, headers, body) =
            get_raw(&keys_url(&sim, api, "CONNECTOR_GRP", ""), &token).await;
        assert_eq!(status, 200, "{api:?}");
        assert_eq!(headers["content-type"], "application/json;charset=utf-8");
        let page: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(page["totalPages"], "1");
        assert_eq!(page["totalCount"], "14");
        assert_eq!(ids(&page), CONNECTOR_IDS);
        let keys: Vec<&str> = page
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["totalPages", "totalCount", "list"]);
        bodies.push(body);

        for (ty, expected) in [
            ("SERVICE_EDGE_GRP", vec!["46174", "58857", "60201", "60202"]),
            ("NP_ASSISTANT_GRP", vec!["60301"]),
            ("SITE_CONTROLLER_GRP", vec!["60401", "60402"]),
            ("EXPORTER_GRP", vec!["60501"]),
        ] {
            let (status, page) = get_json(&keys_url(&sim, api, ty, ""), &token).await;
            assert_eq!(status, 200);
            assert_eq!(ids(&page), expected);
            assert_eq!(page["totalCount"], expected.len().to_string());
        }

        let (status, key) =
            get_json(&keys_url(&sim, api, "SERVICE_EDGE_GRP", "/60201"), &token).await;
        assert_eq!(status, 200);
        assert_eq!(key["name"], "edge-prod");
        assert_eq!(key["usageCount"], "10");
    }
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn the_demo_keys_of_the_new_types_and_the_far_expiry_are_served() {
    let sim = sim();
    for api in [Api::OneApi, Api::Legacy] {
        let token = token_for(&sim, api).await;
        for (ty, id, name, usage, max, expiry) in [
            ("SITE_CONTROLLER_GRP", "60401", "pcc-prod", "2", "3", None),
            ("SITE_CONTROLLER_GRP", "60402", "pcc-lab", "0", "10", None),
            ("EXPORTER_GRP", "60501", "exporter-01", "1", "5", None),
            (
                "CONNECTOR_GRP",
                "60111",
                "expiring-soon",
                "0",
                "10",
                Some("4102444800"),
            ),
        ] {
            let (status, key) = get_json(&keys_url(&sim, api, ty, &format!("/{id}")), &token).await;
            assert_eq!(status, 200, "{api:?} {ty}/{id}");
            assert_eq!(
                (
                    &key["name"],
                    &key["usageCount"],
                    &key["maxUsage"],
                    &key["enabled"]
                ),
                (&json!(name), &json!(usage), &json!(max), &json!(true)),
                "{api:?} {id}"
            );
            assert_eq!(key["expirationInEpochSec"].as_str(), expiry, "{id}");
            assert!(
                key["provisioningKey"]
                    .as_str()
                    .unwrap()
                    .starts_with("3|api.private.zscaler.com|")
            );
            // Found by name with the SDKs' search, and under no other type (how a client
            // that tries each type in turn finds a key's type).
            let (_, p) = get_json(
                &keys_url(&sim, api, ty, &format!("?{}", eq_queries(name)[0])),
                &token,
            )
            .await;
            assert_eq!(ids(&p), [id], "{api:?} {name}");
            for other in AssociationType::ALL
                .into_iter()
                .filter(|t| t.as_str() != ty)
            {
                let (status, _) = get_json(
                    &keys_url(&sim, api, other.as_str(), &format!("/{id}")),
                    &token,
                )
                .await;
                assert_eq!(status, 400, "{api:?} {other}/{id}");
            }
        }
    }
}

#[tokio::test]
async fn a_missing_id_or_one_under_another_type_is_a_400_not_found() {
    let sim = sim();
    let token = oneapi_token(&sim).await;
    for (ty, id) in [
        ("CONNECTOR_GRP", "99999"),
        ("CONNECTOR_GRP", "60202"),    // a SERVICE_EDGE_GRP key
        ("SERVICE_EDGE_GRP", "58856"), // a CONNECTOR_GRP key
        ("NP_ASSISTANT_GRP", "0"),
        ("CONNECTOR_GRP", "abc"),
    ] {
        let (status, headers, body) =
            get_raw(&keys_url(&sim, Api::OneApi, ty, &format!("/{id}")), &token).await;
        assert_eq!(status, 400, "{ty}/{id}");
        assert_eq!(headers["content-type"], "application/json;charset=utf-8");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            body,
            json!({
                "id": "resource.not.found",
                "reason": format!("No resource exists with the given id/name :{id}"),
                "params": [id],
            })
        );
        let keys: Vec<&str> = body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["id", "reason", "params"]);
    }
}

#[tokio::test]
async fn a_key_that_is_not_exportable_comes_back_without_its_secret() {
    let tenant = Tenant::from_json_str(
        r#"{"customerId":"7","provisioningKeys":{"CONNECTOR_GRP":[
            {"id":"1","name":"stored-with-secret","exportable":false,"provisioningKey":"3|h|secret-1"},
            {"id":"2","name":"string-false","exportable":"false","provisioningKey":"3|h|secret-2"},
            {"id":"3","name":"exportable","exportable":true,"provisioningKey":"3|h|secret-3"}]}}"#,
    )
    .unwrap();
    for sim in [sim(), Sim::builder().tenant(tenant).start().unwrap()] {
        let token = oneapi_token(&sim).await;
        let (_, page) = get_json(&keys_url(&sim, Api::OneApi, "CONNECTOR_GRP", ""), &token).await;
        for key in page["list"].as_array().unwrap() {
            let exportable = key["exportable"] == json!(true);
            assert_eq!(key.get("provisioningKey").is_some(), exportable, "{key}");
        }
    }
    let sim = sim();
    let token = oneapi_token(&sim).await;
    let (status, key) = get_json(
        &keys_url(&sim, Api::Legacy, "CONNECTOR_GRP", "/60102"),
        &legacy_token(&sim).await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(key["exportable"], false);
    assert!(key.get("provisioningKey").is_none());
    let (_, key) = get_json(
        &keys_url(&sim, Api::OneApi, "CONNECTOR_GRP", "/60101"),
        &token,
    )
    .await;
    assert!(
        key["provisioningKey"]
            .as_str()
            .unwrap()
            .starts_with("3|api.private.zscaler.com|")
    );
}

#[tokio::test]
async fn refused_and_unknown_association_types() {
    let sim = Sim::builder()
        .refuse_type(AssociationType::NpAssistantGrp, TypeRefusal::Forbidden)
        .refuse_type(
            AssociationType::ServiceEdgeGrp,
            TypeRefusal::UnsupportedType,
        )
        .start()
        .unwrap();
    let token = oneapi_token(&sim).await;
    for rest in ["", "/60301"] {
        let (status, body) = get_json(
            &keys_url(&sim, Api::OneApi, "NP_ASSISTANT_GRP", rest),
            &token,
        )
        .await;
        assert_eq!(status, 403);
        assert_eq!(
            body,
            json!({"id": "authz.featureflag.permission.denied", "reason": "Feature not enabled for this tenant"})
        );
        let (status, body) = get_json(
            &keys_url(&sim, Api::OneApi, "SERVICE_EDGE_GRP", rest),
            &token,
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(
            body,
            json!({"id": "invalid.association.type", "reason": "Association type not supported"})
        );
    }
    let (status, _) = get_json(&keys_url(&sim, Api::OneApi, "CONNECTOR_GRP", ""), &token).await;
    assert_eq!(status, 200);

    for ty in [
        "PCC_GRP",
        "connector_grp",
        "site_controller_grp",
        "EXPORTER",
        "%20",
    ] {
        let (status, body) = get_json(&keys_url(&sim, Api::OneApi, ty, ""), &token).await;
        assert_eq!(status, 400, "{ty}");
        assert_eq!(body["id"], "invalid.association.type");
    }
}

#[tokio::test]
async fn names_can_be_served_html_escaped() {
    for (on, expected) in [
        (false, "AWS us-east-1 (prod) & DR #2"),
        (true, "AWS us-east-1 (prod) &amp; DR #2"),
    ] {
        let sim = Sim::builder().html_escape_names(on).start().unwrap();
        let token = oneapi_token(&sim).await;
        let (_, key) = get_json(
            &keys_url(&sim, Api::OneApi, "CONNECTOR_GRP", "/60105"),
            &token,
        )
        .await;
        assert_eq!(key["name"], expected);
        let (_, key) = get_json(
            &keys_url(&sim, Api::OneApi, "CONNECTOR_GRP", "/60106"),
            &token,
        )
        .await;
        let quoted = if on {
            "O&#39;Brien&#39;s &quot;lab&quot; key"
        } else {
            "O'Brien's \"lab\" key"
        };
        assert_eq!(key["name"], quoted);
        // Search still matches the stored name.
        let (_, p) = page(&sim, &token, &eq_queries("AWS us-east-1 (prod) & DR #2")[0]).await;
        assert_eq!(p["list"][0]["name"], expected);
    }
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let sim = sim();
    let token = oneapi_token(&sim).await;
    for path in [
        "/",
        "/zpa/mgmtconfig/v1/admin/customers/216196257331281920/appConnectorGroup",
        "/zpa/mgmtconfig/v1/admin/customers/216196257331281920/associationType/CONNECTOR_GRP/provisioningKey/1/2",
        "/zpa/mgmtconfig/v1/admin/customers/216196257331281920/associationType/CONNECTOR_GRP/provisioningKey/",
    ] {
        let resp = client()
            .get(format!("{}{path}", sim.base_url()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 404, "{path}");
    }
    let resp = client()
        .post(keys_url(&sim, Api::OneApi, "CONNECTOR_GRP", ""))
        .bearer_auth(&token)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 405);
    assert_eq!(resp.headers()["allow"], "GET");
}
