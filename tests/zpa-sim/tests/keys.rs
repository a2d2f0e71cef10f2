//! The provisioning-key endpoints: list and get under both prefixes, paging, search,
//! microtenants, not-found, withheld secrets, refused types and escaped names.

mod common;

use common::*;
use serde_json::{Value, json};
use zpa_sim::{
    AssociationType, EmptyPageShape, SearchCase, Sim, SimHandle, SpecialCharSearch, Tenant,
    TypeRefusal,
};

const CONNECTOR_IDS: [&str; 14] = [
    "52408", "52658", "58856", "60101", "60102", "60103", "60104", "60105", "60106", "60107",
    "60108", "60109", "60110", "60111",
];

fn sim() -> SimHandle {
    Sim::builder().rate_limit(false).start().unwrap()
}

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

async fn page(sim: &SimHandle, token: &str, query: &str) -> (u16, Value) {
    get_json(
        &keys_url(sim, Api::OneApi, "CONNECTOR_GRP", &format!("?{query}")),
        token,
    )
    .await
}

#[tokio::test]
async fn paging_edges() {
    let sim = sim();
    let token = oneapi_token(&sim).await;

    let (_, p) = page(&sim, &token, "page=1&pagesize=5").await;
    assert_eq!(
        (p["totalPages"].as_str(), p["totalCount"].as_str()),
        (Some("3"), Some("14"))
    );
    assert_eq!(ids(&p), CONNECTOR_IDS[..5]);
    // The exact last page holds the remainder.
    let (_, p) = page(&sim, &token, "page=3&pagesize=5").await;
    assert_eq!(ids(&p), CONNECTOR_IDS[10..]);
    // A page size that divides the count exactly.
    let (_, p) = page(&sim, &token, "pagesize=14").await;
    assert_eq!((p["totalPages"].as_str(), ids(&p).len()), (Some("1"), 14));
    let (_, p) = page(&sim, &token, "page=2&pagesize=14").await;
    assert_eq!(p, json!({"totalPages": "1", "totalCount": "14"}));

    // Past the end: the counts stay right and `list` is omitted by default.
    let (status, p) = page(&sim, &token, "page=4&pagesize=5").await;
    assert_eq!(status, 200);
    assert_eq!(p, json!({"totalPages": "3", "totalCount": "14"}));

    // pagesize=1 walks every key in tenant order.
    let mut walked = Vec::new();
    for n in 1..=14 {
        let (_, p) = page(&sim, &token, &format!("page={n}&pagesize=1")).await;
        assert_eq!(p["totalPages"], "14");
        walked.extend(ids(&p));
    }
    assert_eq!(walked, CONNECTOR_IDS);

    for bad in [
        "page=0",
        "page=-1",
        "page=abc",
        "page=",
        "pagesize=0",
        "pagesize=x",
        "pagesize=-5",
        "page=1.5",
    ] {
        let (status, body) = page(&sim, &token, bad).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(body["id"], "bad.request", "{bad}");
    }
}

#[tokio::test]
async fn a_page_past_the_end_can_carry_an_empty_list() {
    let sim = Sim::builder()
        .empty_page_shape(EmptyPageShape::EmptyList)
        .start()
        .unwrap();
    let token = oneapi_token(&sim).await;
    let (_, p) = page(&sim, &token, "page=9&pagesize=5").await;
    assert_eq!(
        p,
        json!({"totalPages": "3", "totalCount": "14", "list": []})
    );
}

#[tokio::test]
async fn a_type_without_keys_has_zero_pages() {
    let text = r#"{"customerId":"7","provisioningKeys":{"CONNECTOR_GRP":[{"id":"1","name":"a"}]}}"#;
    for (shape, expected) in [
        (
            EmptyPageShape::OmitList,
            json!({"totalPages": "0", "totalCount": "0"}),
        ),
        (
            EmptyPageShape::EmptyList,
            json!({"totalPages": "0", "totalCount": "0", "list": []}),
        ),
    ] {
        let sim = Sim::builder()
            .tenant(Tenant::from_json_str(text).unwrap())
            .empty_page_shape(shape)
            .start()
            .unwrap();
        let token = oneapi_token(&sim).await;
        for ty in ["SERVICE_EDGE_GRP", "NP_ASSISTANT_GRP"] {
            let (status, p) = get_json(&keys_url(&sim, Api::OneApi, ty, ""), &token).await;
            assert_eq!((status, p), (200, expected.clone()), "{shape:?} {ty}");
        }
    }
}

#[tokio::test]
async fn pagesize_over_500_is_clamped_to_500() {
    // 2505 keys round-robin over the five types: 501 per type.
    let sim = Sim::builder()
        .tenant(Tenant::generated(2505))
        .rate_limit(false)
        .start()
        .unwrap();
    let token = oneapi_token(&sim).await;
    let (status, p) = page(&sim, &token, "pagesize=501").await;
    assert_eq!(status, 200);
    assert_eq!(
        (p["totalPages"].as_str(), p["totalCount"].as_str()),
        (Some("2"), Some("501"))
    );
    assert_eq!(p["list"].as_array().unwrap().len(), zpa_sim::MAX_PAGE_SIZE);
    let (_, p) = page(&sim, &token, "page=2&pagesize=100000").await;
    assert_eq!(p["list"].as_array().unwrap().len(), 1);
    // The default page size is 20.
    let (_, p) = page(&sim, &token, "").await;
    assert_eq!(
        (
            p["totalPages"].as_str(),
            p["list"].as_array().unwrap().len()
        ),
        (Some("26"), 20)
    );
}

#[tokio::test]
async fn a_generated_tenant_pages_at_500() {
    let sim = Sim::builder()
        .tenant(Tenant::generated(1234))
        .rate_limit(false)
        .start()
        .unwrap();
    let token = oneapi_token(&sim).await;
    let mut names = Vec::new();
    for ty in AssociationType::ALL {
        let (_, p) = get_json(
            &keys_url(&sim, Api::OneApi, ty.as_str(), "?page=1&pagesize=500"),
            &token,
        )
        .await;
        assert_eq!(p["totalPages"], "1");
        assert_eq!(p["totalCount"], sim.tenant().keys(ty).len().to_string());
        for key in p["list"].as_array().unwrap() {
            names.push(key["name"].as_str().unwrap().to_owned());
            assert!(
                key["provisioningKey"]
                    .as_str()
                    .unwrap()
                    .starts_with("3|api.private.zscaler.com|")
            );
        }
    }
    assert_eq!(names.len(), 1234);
    names.sort();
    assert_eq!(names[42], "gen-key-000042");
    // 1234 over five types: 247 connector keys, the last 47 of them on page 3.
    let (_, p) = get_json(
        &keys_url(&sim, Api::OneApi, "CONNECTOR_GRP", "?pagesize=100&page=3"),
        &token,
    )
    .await;
    assert_eq!((p["totalPages"].as_str(), ids(&p).len()), (Some("3"), 47));
}

/// The three query encodings clients use for an EQ search.
fn eq_queries(name: &str) -> [String; 3] {
    [
        // SDKs (Go OneAPI, Python): name+EQ+<value>, form-encoded: `name%2BEQ%2B…`.
        format!("search={}", enc(&format!("name+EQ+{name}"))),
        // Docs: spaces, form-encoded as `+`.
        format!("search={}", enc(&format!("name EQ {name}"))),
        // Go legacy: `+` replaced by `%20` after encoding.
        format!(
            "search={}",
            enc(&format!("name+EQ+{name}")).replace('+', "%20")
        ),
    ]
}

#[tokio::test]
async fn search_finds_names_with_spaces_punctuation_and_accents() {
    let sim = sim();
    for api in [Api::OneApi, Api::Legacy] {
        let token = token_for(&sim, api).await;
        for (name, id) in [
            ("AWS us-east-1 (prod) & DR #2", "60105"),
            ("O'Brien's \"lab\" key", "60106"),
            ("Zürich  Büro  Connectors", "60107"),
            ("Prod-Connectors", "60108"),
            ("tests-pkacg-vcr0003", "58856"),
        ] {
            for query in eq_queries(name) {
                let url = keys_url(&sim, api, "CONNECTOR_GRP", &format!("?{query}"));
                let (status, p) = get_json(&url, &token).await;
                assert_eq!(status, 200, "{query}");
                assert_eq!(ids(&p), [id], "{api:?} {query}");
                assert_eq!(p["totalCount"], "1");
                assert_eq!(p["list"][0]["name"], name);
            }
        }
        // Repeated spaces are significant: one space is another name.
        let url = keys_url(
            &sim,
            api,
            "CONNECTOR_GRP",
            &format!("?{}", eq_queries("Zürich Büro Connectors")[0]),
        );
        let (_, p) = get_json(&url, &token).await;
        assert_eq!(p, json!({"totalPages": "0", "totalCount": "0"}));
    }
}

#[tokio::test]
async fn search_eq_is_exact_and_like_is_a_substring_match() {
    let sim = sim();
    let token = oneapi_token(&sim).await;
    let search = |q: &str| format!("?search={}", enc(q));
    let get = |q: String| {
        let url = keys_url(&sim, Api::OneApi, "CONNECTOR_GRP", &q);
        let token = token.clone();
        async move { get_json(&url, &token).await }
    };
    let (_, p) = get(search("name EQ shared-name")).await;
    assert_eq!(ids(&p), ["60109"]);
    let (_, p) = get(search("name EQ shared")).await;
    assert_eq!(ids(&p), Vec::<String>::new());
    let (_, p) = get(search("name LIKE connector")).await;
    // Tenant order, whatever the case of "connector" in the name.
    assert_eq!(
        ids(&p),
        ["60101", "60102", "60103", "60104", "60107", "60108"]
    );
    let (_, p) = get(search("name+like+(prod) &")).await;
    assert_eq!(ids(&p), ["60105"]);
    // Other fields can be searched too, as the docs' `maxUsage EQ 2`.
    let (_, p) = get(search("maxUsage EQ 2")).await;
    assert_eq!(ids(&p), ["58856"]);
    // Search combines with paging.
    let (_, p) = get(format!(
        "{}&pagesize=4&page=2",
        search("name LIKE connector")
    ))
    .await;
    assert_eq!(
        (
            p["totalPages"].as_str(),
            p["totalCount"].as_str(),
            ids(&p).len()
        ),
        (Some("2"), Some("6"), 2)
    );

    for bad in [
        "name",
        "name EQ",
        "name NE x",
        "name  EQ x",
        "EQ x",
        "(name) EQ x",
    ] {
        let (status, body) = get(search(bad)).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(body["id"], "bad.request");
    }
    // An empty search is no search.
    let (_, p) = get("?search=".to_owned()).await;
    assert_eq!(p["totalCount"], "14");
}

#[tokio::test]
async fn the_search_case_switch() {
    for (case, expected) in [
        (SearchCase::Insensitive, vec!["60108"]),
        (SearchCase::Sensitive, vec![]),
    ] {
        let sim = Sim::builder().search_case(case).start().unwrap();
        let token = oneapi_token(&sim).await;
        for query in eq_queries("prod-connectors") {
            let (_, p) = page(&sim, &token, &query).await;
            assert_eq!(ids(&p), expected, "{case:?} {query}");
        }
        let (_, p) = page(&sim, &token, &format!("search={}", enc("name LIKE ZÜRICH"))).await;
        assert_eq!(
            ids(&p).len(),
            usize::from(case == SearchCase::Insensitive),
            "{case:?}"
        );
        let (_, p) = page(&sim, &token, &eq_queries("Prod-Connectors")[0]).await;
        assert_eq!(ids(&p), ["60108"]);
    }
    assert_eq!(SearchCase::default(), SearchCase::Insensitive);
}

#[tokio::test]
async fn the_special_character_search_switch() {
    let specials = [
        "AWS us-east-1 (prod) & DR #2",
        "O'Brien's \"lab\" key",
        "Zürich  Büro  Connectors",
    ];
    for mode in [
        SpecialCharSearch::Works,
        SpecialCharSearch::Error400,
        SpecialCharSearch::NoMatch,
    ] {
        let sim = Sim::builder().special_char_search(mode).start().unwrap();
        let token = oneapi_token(&sim).await;
        for name in specials {
            let (status, p) = page(&sim, &token, &eq_queries(name)[0]).await;
            match mode {
                SpecialCharSearch::Works => assert_eq!((status, ids(&p).len()), (200, 1), "{name}"),
                SpecialCharSearch::Error400 => {
                    assert_eq!(status, 400, "{name}");
                    assert_eq!(p["id"], "bad.request");
                }
                SpecialCharSearch::NoMatch => {
                    assert_eq!(status, 200);
                    assert_eq!(p, json!({"totalPages": "0", "totalCount": "0"}), "{name}");
                }
            }
        }
        // Names within [A-Za-z0-9 _./-] behave the same in every mode.
        let (status, p) = page(&sim, &token, &eq_queries("Prod-Connectors")[1]).await;
        assert_eq!(
            (status, ids(&p)),
            (200, vec!["60108".to_owned()]),
            "{mode:?}"
        );
    }
    assert_eq!(SpecialCharSearch::default(), SpecialCharSearch::Works);
}

#[tokio::test]
async fn microtenant_filtering_applies_to_list_and_get() {
    let sim = sim();
    let token = oneapi_token(&sim).await;
    let finance = "216196257331300001";

    let (_, p) = page(&sim, &token, &format!("microtenantId={finance}")).await;
    assert_eq!(ids(&p), ["60103"]);
    assert_eq!(p["totalCount"], "1");
    let (_, p) = page(&sim, &token, "microtenantId=0").await;
    let expected: Vec<&str> = CONNECTOR_IDS
        .iter()
        .copied()
        .filter(|id| *id != "60103")
        .collect();
    assert_eq!(ids(&p), expected);
    let (_, p) = page(&sim, &token, "microtenantId=999").await;
    assert_eq!(p, json!({"totalPages": "0", "totalCount": "0"}));
    for all in ["", "microtenantId=null"] {
        let (_, p) = page(&sim, &token, all).await;
        assert_eq!(p["totalCount"], "14", "{all}");
    }
    let (_, p) = page(
        &sim,
        &token,
        &format!(
            "microtenantId={finance}&search={}",
            enc("name EQ finance-connectors")
        ),
    )
    .await;
    assert_eq!(ids(&p), ["60103"]);

    let get = |rest: String| keys_url(&sim, Api::OneApi, "CONNECTOR_GRP", &rest);
    assert_eq!(
        get_json(&get(format!("/60103?microtenantId={finance}")), &token)
            .await
            .0,
        200
    );
    assert_eq!(get_json(&get("/60103".into()), &token).await.0, 200);
    let (status, body) = get_json(&get("/60103?microtenantId=0".into()), &token).await;
    assert_eq!((status, &body["id"]), (400, &json!("resource.not.found")));
    let (status, _) = get_json(&get(format!("/58856?microtenantId={finance}")), &token).await;
    assert_eq!(status, 400);
    assert_eq!(
        get_json(&get("/58856?microtenantId=0".into()), &token)
            .await
            .0,
        200
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
