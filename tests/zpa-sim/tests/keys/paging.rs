//! Paging the key list: page and page size edges, empty pages, the 500 clamp and
//! large generated tenants.

use serde_json::json;
use zpa_sim::{AssociationType, EmptyPageShape, Sim, Tenant};

use super::*;

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
