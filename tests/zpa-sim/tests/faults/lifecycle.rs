//! The simulator as a value: its request log, starting from sync and async code,
//! dropping it, and the environment it gives each client mode.

use zpa_sim::{Fault, Sim};

use super::*;

#[tokio::test]
async fn the_request_log_holds_method_path_raw_query_status_and_fault() {
    let sim = Sim::builder().rate_limit(false).start().unwrap();
    let token = oneapi_token(&sim).await;
    let list = keys_url(&sim, Api::OneApi, "CONNECTOR_GRP", "");
    get_raw(
        &format!("{list}?search=name%2BEQ%2BProd-Connectors&pagesize=500"),
        &token,
    )
    .await;
    get_raw(&format!("{list}/99999"), &token).await;
    sim.inject(Fault::HtmlBadGateway, 1);
    get_raw(&list, &token).await;

    let all = sim.requests();
    assert_eq!(all.len(), 4);
    assert_eq!(
        (
            all[0].method.as_str(),
            all[0].path.as_str(),
            all[0].query.as_deref(),
            all[0].status
        ),
        ("POST", "/oauth2/v1/token", None, 200)
    );
    let api = sim.api_requests();
    assert_eq!(api.len(), 3);
    let path = format!(
        "/zpa/mgmtconfig/v1/admin/customers/{CUSTOMER}/associationType/CONNECTOR_GRP/provisioningKey"
    );
    assert_eq!(api[0].method, "GET");
    assert_eq!(api[0].path, path);
    assert_eq!(
        api[0].query.as_deref(),
        Some("search=name%2BEQ%2BProd-Connectors&pagesize=500")
    );
    assert_eq!((api[0].status, api[0].fault.as_deref()), (200, None));
    assert_eq!(
        (api[1].path.clone(), api[1].status),
        (format!("{path}/99999"), 400)
    );
    assert_eq!(
        (api[2].status, api[2].fault.as_deref()),
        (502, Some("html502"))
    );
    for r in &all {
        assert!(r.started <= r.finished);
    }
    assert_eq!(sim.count_status(200), 2);
    assert_eq!(sim.count_status(400), 1);
    // Nothing secret is kept: there is no field for headers or bodies, and the token
    // request's form never shows up in a query.
    let debug = format!("{all:?}");
    assert!(!debug.contains(&token));
    assert!(!debug.contains(&sim.tenant().credentials().client_secret));

    sim.clear_requests();
    assert!(sim.requests().is_empty());
    get_raw(&list, &token).await;
    assert_eq!(sim.requests().len(), 1);
}

#[test]
fn start_works_outside_any_runtime_and_ports_can_be_chosen() {
    let first = Sim::builder().start().unwrap();
    assert!(first.base_url().starts_with("http://127.0.0.1:"));
    assert_eq!(
        first.token_url(),
        format!("{}/oauth2/v1/token", first.base_url())
    );
    // A taken port is an error, not a panic.
    let clash = Sim::builder().port(first.port()).start();
    assert!(clash.is_err());
    drop(first);
    let second = Sim::builder().start().unwrap();
    drop(second);
}

#[tokio::test(flavor = "current_thread")]
async fn start_and_drop_work_inside_a_single_threaded_runtime() {
    let sim = Sim::builder().start().unwrap();
    let token = oneapi_token(&sim).await;
    assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    drop(sim);
}

#[test]
fn env_gives_each_mode_its_variables() {
    let sim = Sim::builder().start().unwrap();
    let names = |mode| {
        sim.env(mode)
            .into_iter()
            .map(|(k, _)| k)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(zpa_sim::EnvMode::OneApi),
        [
            "ZSCALER_CLIENT_ID",
            "ZSCALER_CLIENT_SECRET",
            "ZSCALER_VANITY_DOMAIN",
            "ZPA_CUSTOMER_ID",
            "ZPAKEY_API_URL",
            "ZPAKEY_AUTH_URL"
        ]
    );
    assert_eq!(
        names(zpa_sim::EnvMode::Legacy),
        [
            "ZSCALER_USE_LEGACY_CLIENT",
            "ZPA_CLIENT_ID",
            "ZPA_CLIENT_SECRET",
            "ZPA_CUSTOMER_ID",
            "ZPAKEY_API_URL"
        ]
    );
    let key = zpa_sim::demo_private_key_path();
    let env = sim.env(zpa_sim::EnvMode::OneApiPrivateKey(key.clone()));
    assert_eq!(
        env[1],
        ("ZSCALER_PRIVATE_KEY".to_owned(), key.display().to_string())
    );
    assert!(!env.iter().any(|(k, _)| k == "ZSCALER_CLIENT_SECRET"));
    assert_eq!(
        std::fs::read_to_string(key).unwrap(),
        zpa_sim::DEMO_PRIVATE_KEY_PEM
    );
    let legacy = sim.env(zpa_sim::EnvMode::Legacy);
    assert_eq!(legacy[0].1, "true");
    assert_eq!(legacy[4].1, sim.base_url());
}
