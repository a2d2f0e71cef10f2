//! `zpakey get`: every selection path, the JSON contract, names with punctuation, case,
//! ambiguity, microtenants and both sign-in modes.

use zpa_sim::{AssociationType, SearchCase, Sim, SpecialCharSearch};

use crate::support::{sim, stdout_of, zpakey, zpakey_legacy};

const KEY_58856_JSON: &str = r#"{
  "id": "58856",
  "name": "tests-pkacg-vcr0003",
  "association_type": "CONNECTOR_GRP",
  "enabled": true,
  "usable": true,
  "problems": [],
  "max_usage": 2,
  "usage_count": 0,
  "remaining_uses": 2,
  "exportable": true,
  "zcomponent_id": "216196257331404676",
  "zcomponent_name": "tests-pkacg-vcr0001",
  "enrollment_cert_id": "6573",
  "enrollment_cert_name": "Connector",
  "ip_acl": [],
  "expiration_time": null,
  "creation_time": "2026-03-13T02:45:25Z",
  "modified_time": "2026-03-13T02:45:25Z",
  "modified_by": "216196257331372705",
  "microtenant_id": null,
  "microtenant_name": null,
  "app_connector_group_id": null,
  "app_connector_group_name": null
}
"#;

#[test]
fn by_id_with_type_is_one_request_and_the_exact_json_contract() {
    let sim = sim();
    zpakey(&sim)
        .args([
            "-o",
            "json",
            "get",
            "--id",
            "58856",
            "--type",
            "CONNECTOR_GRP",
        ])
        .assert()
        .success()
        .stdout(KEY_58856_JSON)
        .stderr("");
    let requests = sim.api_requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(
        requests[0].path,
        "/zpa/mgmtconfig/v1/admin/customers/216196257331281920/associationType/CONNECTOR_GRP/provisioningKey/58856"
    );
}

#[test]
fn by_id_without_type_searches_every_type() {
    let sim = sim();
    zpakey(&sim)
        .args(["get", "--id", "58857", "--field", "association_type"])
        .assert()
        .success()
        .stdout("SERVICE_EDGE_GRP\n")
        .stderr("");
    let mut types: Vec<String> = sim
        .api_requests()
        .iter()
        .map(|r| r.path.split('/').nth(8).unwrap().to_owned())
        .collect();
    types.sort();
    assert_eq!(
        types,
        [
            "CONNECTOR_GRP",
            "EXPORTER_GRP",
            "NP_ASSISTANT_GRP",
            "SERVICE_EDGE_GRP",
            "SITE_CONTROLLER_GRP"
        ]
    );
}

#[test]
fn type_names_in_any_case_and_aliases() {
    let sim = sim();
    for (ty, id) in [
        ("connector", "52408"),
        ("Connector_Grp", "52408"),
        ("service-edge", "46174"),
        ("np_assistant_grp", "60301"),
    ] {
        zpakey(&sim)
            .args(["get", "--id", id, "--type", ty, "--field", "id"])
            .assert()
            .success()
            .stdout(format!("{id}\n"));
    }
}

#[test]
fn by_name_with_and_without_type() {
    let sim = sim();
    zpakey(&sim)
        .args(["get", "--name", "tests-pkseg-vcr0003", "--field", "id"])
        .assert()
        .success()
        .stdout("58857\n")
        .stderr("");
    zpakey(&sim)
        .args([
            "get",
            "--name",
            "test_provisioning_key",
            "--type",
            "connector",
            "--field",
            "id",
        ])
        .assert()
        .success()
        .stdout("52408\n");
}

#[test]
fn names_with_punctuation_quotes_accents_and_repeated_spaces() {
    let names = [
        ("AWS us-east-1 (prod) & DR #2", "60105"),
        ("O'Brien's \"lab\" key", "60106"),
        ("Zürich  Büro  Connectors", "60107"),
    ];
    for special in [
        SpecialCharSearch::Works,
        SpecialCharSearch::Error400,
        SpecialCharSearch::NoMatch,
    ] {
        let sim = Sim::builder()
            .rate_limit(false)
            .special_char_search(special)
            .start()
            .unwrap();
        for (name, id) in names {
            zpakey(&sim)
                .args(["get", "--name", name, "--field", "id"])
                .assert()
                .success()
                .stdout(format!("{id}\n"))
                .stderr("");
        }
    }
}

#[test]
fn the_name_filter_is_sent_strictly_encoded() {
    let sim = sim();
    zpakey(&sim)
        .args([
            "get",
            "--name",
            "AWS us-east-1 (prod) & DR #2",
            "--type",
            "connector",
            "--field",
            "id",
        ])
        .assert()
        .success()
        .stdout("60105\n");
    let requests = sim.api_requests();
    assert_eq!(
        requests.len(),
        1,
        "an exact server match needs no listing: {requests:?}"
    );
    assert_eq!(
        requests[0].query.as_deref(),
        Some(
            "page=1&pagesize=500&search=name%2BEQ%2BAWS%20us-east-1%20%28prod%29%20%26%20DR%20%232"
        )
    );
}

#[test]
fn ignore_case() {
    let sim = sim();
    zpakey(&sim)
        .args([
            "get",
            "--name",
            "PROD-connectors",
            "--ignore-case",
            "--field",
            "name",
        ])
        .assert()
        .success()
        .stdout("Prod-Connectors\n");
}

#[test]
fn did_you_mean_whatever_the_server_case_rules() {
    for case in [SearchCase::Insensitive, SearchCase::Sensitive] {
        let sim = Sim::builder()
            .rate_limit(false)
            .search_case(case)
            .start()
            .unwrap();
        zpakey(&sim)
            .args(["get", "--name", "prod-connectors"])
            .assert()
            .code(4)
            .stdout("")
            .stderr(
                "zpakey: error: no provisioning key is named 'prod-connectors'; did you mean 'Prod-Connectors' (id 60108)?\n\
                 hint: names match exactly and case-sensitively; pass --ignore-case to relax case\n",
            );
    }
}

#[test]
fn ambiguous_names_list_the_candidates() {
    let sim = sim();
    zpakey(&sim)
        .args(["get", "--name", "shared-name"])
        .assert()
        .code(5)
        .stdout("")
        .stderr(
            "zpakey: error: 2 keys match name 'shared-name'\n  \
             id 60109  CONNECTOR_GRP     shared-name  group prod-connector-group  usable\n  \
             id 60202  SERVICE_EDGE_GRP  shared-name  group edge-group-lab        usable\n\
             hint: choose one with --id, or narrow the search with --type\n",
        );
    zpakey(&sim)
        .args([
            "get",
            "--name",
            "shared-name",
            "--type",
            "service-edge",
            "--field",
            "id",
        ])
        .assert()
        .success()
        .stdout("60202\n");
    zpakey(&sim)
        .args(["-o", "json", "get", "--name", "Shared-Name", "--ignore-case", "--no-input"])
        .assert()
        .code(5)
        .stdout("")
        .stderr(
            "{\"error\":{\"code\":\"ambiguous\",\"exit\":5,\"message\":\"2 keys match name 'Shared-Name'; id 60109  CONNECTOR_GRP     shared-name  group prod-connector-group  usable; id 60202  SERVICE_EDGE_GRP  shared-name  group edge-group-lab        usable\"}}\n",
        );
}

#[test]
fn not_found() {
    let sim = sim();
    zpakey(&sim)
        .args(["get", "--id", "999"])
        .assert()
        .code(4)
        .stdout("")
        .stderr(
            "zpakey: error: no provisioning key has id 999\n\
             hint: run 'zpakey list' to see the keys this API client can read\n",
        );
    zpakey(&sim)
        .args(["get", "--id", "999", "--type", "connector"])
        .assert()
        .code(4)
        .stderr(
            "zpakey: error: no provisioning key has id 999 under CONNECTOR_GRP\n\
             hint: run 'zpakey list' to see the keys this API client can read\n",
        );
    // A key of that id or name under another type: the hint says which.
    zpakey(&sim)
        .args(["get", "--id", "58857", "--type", "connector"])
        .assert()
        .code(4)
        .stderr(
            "zpakey: error: no provisioning key has id 58857 under CONNECTOR_GRP\n\
             hint: key 58857 is a SERVICE_EDGE_GRP key: use --type service-edge, or leave --type out\n",
        );
    zpakey(&sim)
        .args(["get", "--name", "edge-prod", "--type", "CONNECTOR_GRP"])
        .assert()
        .code(4)
        .stderr(
            "zpakey: error: no provisioning key is named 'edge-prod' under CONNECTOR_GRP\n\
             hint: 'edge-prod' (id 60201) is a SERVICE_EDGE_GRP key: use --type service-edge, or leave --type out\n",
        );
    zpakey(&sim)
        .args(["reveal", "--name", "shared-name", "--type", "exporter"])
        .assert()
        .code(4)
        .stdout("")
        .stderr(
            "zpakey: error: no provisioning key is named 'shared-name' under EXPORTER_GRP\n\
             hint: there are keys of that name under CONNECTOR_GRP (id 60109) and SERVICE_EDGE_GRP (id 60202): give one of these types to --type, or leave --type out\n",
        );
    zpakey(&sim)
        .args(["-o", "json", "get", "--name", "nope"])
        .assert()
        .code(4)
        .stderr("{\"error\":{\"code\":\"not_found\",\"exit\":4,\"message\":\"no provisioning key is named 'nope'\"}}\n");
}

#[test]
fn fields_print_plain_text() {
    let sim = sim();
    for (id, field, expected) in [
        ("60110", "ip_acl", "[\"10.0.0.0/8\",\"192.168.1.0/24\"]\n"),
        ("60110", "expiration_time", "2100-01-01T00:00:00Z\n"),
        (
            "60110",
            "app_connector_group_name",
            "prod-connector-group\n",
        ),
        ("58856", "expiration_time", "null\n"),
        ("58856", "max_usage", "2\n"),
        ("58856", "usable", "true\n"),
        ("60201", "usable", "false\n"),
        ("60102", "exportable", "false\n"),
        ("58856", "zcomponent_id", "216196257331404676\n"),
    ] {
        zpakey(&sim)
            .args(["get", "--id", id, "--field", field])
            .assert()
            .success()
            .stdout(expected);
    }
}

#[test]
fn microtenant_is_sent_on_every_call() {
    let sim = sim();
    let mt = "216196257331300001";
    zpakey(&sim)
        .env("ZPA_MICROTENANT_ID", mt)
        .args([
            "get",
            "--name",
            "finance-connectors",
            "--field",
            "microtenant_name",
        ])
        .assert()
        .success()
        .stdout("Finance\n");
    zpakey(&sim)
        .args(["--microtenant-id", mt, "get", "--id", "58856"])
        .assert()
        .code(4)
        .stderr(
            "zpakey: error: no provisioning key has id 58856\n\
             hint: only keys of microtenant 216196257331300001 are visible with --microtenant-id / ZPA_MICROTENANT_ID\n\
             hint: run 'zpakey list' to see the keys this API client can read\n",
        );
    let requests = sim.api_requests();
    assert!(requests.len() >= 4);
    for r in requests {
        let query = r.query.unwrap_or_default();
        assert!(query.contains(&format!("microtenantId={mt}")), "{query}");
    }
}

#[test]
fn legacy_mode_signs_in_and_uses_the_legacy_paths() {
    let sim = sim();
    zpakey_legacy(&sim)
        .args([
            "get",
            "--id",
            "58856",
            "--type",
            "connector",
            "--field",
            "name",
        ])
        .assert()
        .success()
        .stdout("tests-pkacg-vcr0003\n")
        .stderr("");
    let paths: Vec<String> = sim.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/signin",
            "/mgmtconfig/v1/admin/customers/216196257331281920/associationType/CONNECTOR_GRP/provisioningKey/58856"
        ]
    );
}

#[test]
fn oneapi_mode_fetches_one_token_for_concurrent_type_probes() {
    let sim = sim();
    zpakey(&sim)
        .args(["get", "--id", "60301"])
        .assert()
        .success();
    let tokens = sim
        .requests()
        .iter()
        .filter(|r| r.path == "/oauth2/v1/token")
        .count();
    assert_eq!(tokens, 1);
}

#[test]
fn a_type_the_tenant_lacks_is_skipped_unless_named() {
    let sim = Sim::builder()
        .rate_limit(false)
        .refuse_type(
            AssociationType::NpAssistantGrp,
            zpa_sim::TypeRefusal::Forbidden,
        )
        .start()
        .unwrap();
    // Skipped quietly: a tenant without the type would see a warning on every run.
    zpakey(&sim)
        .args(["get", "--id", "58856", "--field", "id"])
        .assert()
        .success()
        .stdout("58856\n")
        .stderr("");
    let out = zpakey(&sim)
        .args(["-v", "get", "--id", "58857", "--field", "id"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout_of(&out), "58857\n");
    assert!(
        crate::support::stderr_of(&out)
            .contains("zpakey: skipping NP_ASSISTANT_GRP: this tenant does not allow it (HTTP 403"),
        "{}",
        crate::support::stderr_of(&out)
    );
    zpakey(&sim)
        .args(["get", "--id", "60301", "--type", "NP_ASSISTANT_GRP"])
        .assert()
        .code(3);
}
