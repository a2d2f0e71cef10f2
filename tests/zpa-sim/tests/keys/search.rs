//! Narrowing the key list: EQ and LIKE search in the clients' encodings, the case and
//! special-character switches, and the microtenant filter.

use serde_json::json;
use zpa_sim::{SearchCase, Sim, SpecialCharSearch};

use super::*;

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
