//! All five association types side by side, the two newer ones (SITE_CONTROLLER_GRP,
//! EXPORTER_GRP) included: listing, the request log, refusals and generated tenants.

use serde_json::{Value, json};
use zpa_sim::{AssociationType, Sim, SimHandle, Tenant, TypeRefusal};

use super::*;

/// A tenant file with keys of all five types, the two new ones with the edges a client
/// meets: a microtenant key, a non-exportable key, a name shared with another type.
const FIVE_TYPES_TENANT: &str = r#"{"customerId":"216196257331281920","provisioningKeys":{
    "CONNECTOR_GRP":[{"id":"101","name":"conn","exportable":true,"provisioningKey":"3|h|c-101"}],
    "SERVICE_EDGE_GRP":[{"id":"201","name":"edge","exportable":true,"provisioningKey":"3|h|s-201"}],
    "NP_ASSISTANT_GRP":[{"id":"301","name":"np","exportable":true,"provisioningKey":"3|h|n-301"}],
    "SITE_CONTROLLER_GRP":[
        {"id":"401","name":"pcc-a","usageCount":"1","maxUsage":"3","exportable":true,"provisioningKey":"3|h|p-401"},
        {"id":"402","name":"pcc-finance","exportable":true,"provisioningKey":"3|h|p-402","microtenantId":"77","microtenantName":"Finance"},
        {"id":"403","name":"conn","exportable":true,"provisioningKey":"3|h|p-403"}],
    "EXPORTER_GRP":[
        {"id":"501","name":"exp-a","exportable":true,"provisioningKey":"3|h|e-501"},
        {"id":"502","name":"exp-hidden","exportable":false,"provisioningKey":"3|h|e-502"}]}}"#;

fn five_types_sim() -> SimHandle {
    Sim::builder()
        .tenant(Tenant::from_json_str(FIVE_TYPES_TENANT).unwrap())
        .rate_limit(false)
        .start()
        .unwrap()
}

#[tokio::test]
async fn every_type_is_listed_and_got_under_both_prefixes() {
    let sim = five_types_sim();
    let expected = [
        ("CONNECTOR_GRP", vec!["101"]),
        ("SERVICE_EDGE_GRP", vec!["201"]),
        ("NP_ASSISTANT_GRP", vec!["301"]),
        ("SITE_CONTROLLER_GRP", vec!["401", "402", "403"]),
        ("EXPORTER_GRP", vec!["501", "502"]),
    ];
    let wire: Vec<&str> = AssociationType::ALL.iter().map(|t| t.as_str()).collect();
    let listed: Vec<&str> = expected.iter().map(|(ty, _)| *ty).collect();
    assert_eq!(wire, listed, "ALL order");

    let mut bodies = Vec::new();
    for api in [Api::OneApi, Api::Legacy] {
        let token = token_for(&sim, api).await;
        let mut answers = Vec::new();
        for (ty, ids_of_ty) in &expected {
            let (status, _, body) = get_raw(&keys_url(&sim, api, ty, ""), &token).await;
            assert_eq!(status, 200, "{api:?} {ty}");
            let page: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(ids(&page), *ids_of_ty, "{api:?} {ty}");
            assert_eq!(page["totalCount"], ids_of_ty.len().to_string());
            assert_eq!(page["totalPages"], "1");
            answers.push(body);
            for id in ids_of_ty {
                let (status, key) =
                    get_json(&keys_url(&sim, api, ty, &format!("/{id}")), &token).await;
                assert_eq!(status, 200, "{api:?} {ty}/{id}");
                assert_eq!(key["id"], *id);
            }
        }
        bodies.push(answers);

        // A key is found under its own type only, the new types included.
        for (ty, id) in [
            ("SITE_CONTROLLER_GRP", "501"),
            ("EXPORTER_GRP", "401"),
            ("CONNECTOR_GRP", "403"),
            ("SITE_CONTROLLER_GRP", "101"),
        ] {
            let (status, body) =
                get_json(&keys_url(&sim, api, ty, &format!("/{id}")), &token).await;
            assert_eq!(
                (status, &body["id"]),
                (400, &json!("resource.not.found")),
                "{api:?} {ty}/{id}"
            );
        }

        // Withheld secrets, search, paging and the microtenant filter work as for the
        // other types.
        let (_, key) = get_json(&keys_url(&sim, api, "EXPORTER_GRP", "/502"), &token).await;
        assert!(key.get("provisioningKey").is_none(), "{key}");
        let (_, key) = get_json(&keys_url(&sim, api, "EXPORTER_GRP", "/501"), &token).await;
        assert_eq!(key["provisioningKey"], "3|h|e-501");
        for query in eq_queries("conn") {
            let (_, p) = get_json(
                &keys_url(&sim, api, "SITE_CONTROLLER_GRP", &format!("?{query}")),
                &token,
            )
            .await;
            assert_eq!(ids(&p), ["403"], "{query}");
        }
        let (_, p) = get_json(
            &keys_url(
                &sim,
                api,
                "SITE_CONTROLLER_GRP",
                &format!("?search={}&page=2&pagesize=1", enc("name LIKE pcc")),
            ),
            &token,
        )
        .await;
        assert_eq!(
            (p["totalPages"].as_str(), ids(&p)),
            (Some("2"), vec!["402".to_owned()])
        );
        for (query, expected) in [
            ("microtenantId=77", vec!["402"]),
            ("microtenantId=0", vec!["401", "403"]),
            ("microtenantId=null", vec!["401", "402", "403"]),
        ] {
            let (_, p) = get_json(
                &keys_url(&sim, api, "SITE_CONTROLLER_GRP", &format!("?{query}")),
                &token,
            )
            .await;
            assert_eq!(ids(&p), expected, "{api:?} {query}");
        }
        let (status, _) = get_json(
            &keys_url(&sim, api, "SITE_CONTROLLER_GRP", "/402?microtenantId=0"),
            &token,
        )
        .await;
        assert_eq!(status, 400);
        let (_, p) = get_json(
            &keys_url(&sim, api, "EXPORTER_GRP", "?microtenantId=77"),
            &token,
        )
        .await;
        assert_eq!(p, json!({"totalPages": "0", "totalCount": "0"}));
    }
    assert_eq!(bodies[0], bodies[1], "same bodies under both prefixes");
}

#[tokio::test]
async fn the_request_log_records_the_new_types() {
    let sim = five_types_sim();
    let token = oneapi_token(&sim).await;
    let legacy = legacy_token(&sim).await;
    sim.clear_requests();
    get_raw(
        &keys_url(&sim, Api::OneApi, "SITE_CONTROLLER_GRP", "?page=1"),
        &token,
    )
    .await;
    get_raw(
        &keys_url(&sim, Api::Legacy, "EXPORTER_GRP", "/501"),
        &legacy,
    )
    .await;
    get_raw(&keys_url(&sim, Api::OneApi, "EXPORTER_GRP", "/401"), &token).await;
    let log: Vec<(String, Option<String>, u16)> = sim
        .api_requests()
        .into_iter()
        .map(|r| (r.path, r.query, r.status))
        .collect();
    let path = |prefix: &str, rest: &str| {
        format!("{prefix}/mgmtconfig/v1/admin/customers/{CUSTOMER}/associationType/{rest}")
    };
    assert_eq!(
        log,
        [
            (
                path("/zpa", "SITE_CONTROLLER_GRP/provisioningKey"),
                Some("page=1".to_owned()),
                200
            ),
            (path("", "EXPORTER_GRP/provisioningKey/501"), None, 200),
            (path("/zpa", "EXPORTER_GRP/provisioningKey/401"), None, 400),
        ]
    );
}

#[tokio::test]
async fn each_new_type_can_be_refused_either_way_under_both_prefixes() {
    let refusals = [
        (
            TypeRefusal::Forbidden,
            403,
            json!({"id": "authz.featureflag.permission.denied", "reason": "Feature not enabled for this tenant"}),
        ),
        (
            TypeRefusal::UnsupportedType,
            400,
            json!({"id": "invalid.association.type", "reason": "Association type not supported"}),
        ),
    ];
    for refused in [
        AssociationType::SiteControllerGrp,
        AssociationType::ExporterGrp,
    ] {
        for (how, status, body) in &refusals {
            let sim = Sim::builder()
                .tenant(Tenant::from_json_str(FIVE_TYPES_TENANT).unwrap())
                .rate_limit(false)
                .refuse_type(refused, *how)
                .start()
                .unwrap();
            for api in [Api::OneApi, Api::Legacy] {
                let token = token_for(&sim, api).await;
                // The list, a key of that type, and a key that does not exist: all refused.
                for rest in ["", "?page=1&pagesize=500", "/401", "/501", "/99999"] {
                    let (got, answer) =
                        get_json(&keys_url(&sim, api, refused.as_str(), rest), &token).await;
                    assert_eq!(
                        (got, &answer),
                        (*status, body),
                        "{refused} {how:?} {api:?} {rest}"
                    );
                }
                // The other four types are served as usual.
                for ty in AssociationType::ALL.into_iter().filter(|t| *t != refused) {
                    let (got, page) = get_json(&keys_url(&sim, api, ty.as_str(), ""), &token).await;
                    assert_eq!(got, 200, "{refused} {how:?} {api:?} {ty}");
                    assert_eq!(page["totalCount"], sim.tenant().keys(ty).len().to_string());
                }
            }
        }
    }

    // All five refused at once, each its own way.
    let mut builder = Sim::builder().rate_limit(false);
    for (i, ty) in AssociationType::ALL.into_iter().enumerate() {
        builder = builder.refuse_type(ty, refusals[i % 2].0);
    }
    let sim = builder.start().unwrap();
    let token = oneapi_token(&sim).await;
    for (i, ty) in AssociationType::ALL.into_iter().enumerate() {
        let (got, answer) = get_json(&keys_url(&sim, Api::OneApi, ty.as_str(), ""), &token).await;
        assert_eq!(
            (got, &answer),
            (refusals[i % 2].1, &refusals[i % 2].2),
            "{ty}"
        );
    }
}

#[tokio::test]
async fn generated_tenants_serve_keys_of_all_five_types() {
    let sim = Sim::builder()
        .tenant(Tenant::generated(12))
        .rate_limit(false)
        .start()
        .unwrap();
    for api in [Api::OneApi, Api::Legacy] {
        let token = token_for(&sim, api).await;
        for (i, ty) in AssociationType::ALL.into_iter().enumerate() {
            let (status, p) = get_json(&keys_url(&sim, api, ty.as_str(), ""), &token).await;
            assert_eq!(status, 200);
            // Keys i, i+5, i+10 (those below 12).
            let expected: Vec<String> = (i..12)
                .step_by(5)
                .map(|k| (1_000_000 + k).to_string())
                .collect();
            assert_eq!(ids(&p), expected, "{api:?} {ty}");
            let (status, key) = get_json(
                &keys_url(&sim, api, ty.as_str(), &format!("/{}", expected[0])),
                &token,
            )
            .await;
            assert_eq!(
                (status, &key["name"]),
                (200, &json!(format!("gen-key-{i:06}")))
            );
        }
    }
}
