//! `zpakey list`: every page of every type, sorted, filtered, and safe to pipe into `head`.

use std::io::Read;

use zpa_sim::{AssociationType, Sim, Tenant, TypeRefusal};

use crate::support::{sim, sim_with, stderr_of, stdout_of, zpakey};

fn ids(stdout: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(stdout).expect("JSON array");
    value
        .as_array()
        .expect("array")
        .iter()
        .map(|k| k["id"].as_str().expect("string id").to_owned())
        .collect()
}

#[test]
fn every_key_sorted_by_type_then_name_then_id() {
    let sim = sim();
    let out = zpakey(&sim).args(["list", "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(stderr_of(&out), "");
    assert_eq!(
        ids(&stdout_of(&out)),
        [
            "60105", "60106", "60108", "60107", "60101", "60104", "60102", "60110", "60111",
            "60103", "60109", "52408", "52658", "58856", // CONNECTOR_GRP
            "60501", // EXPORTER_GRP
            "60301", // NP_ASSISTANT_GRP
            "46174", "60201", "60202", "58857", // SERVICE_EDGE_GRP
            "60402", "60401", // SITE_CONTROLLER_GRP
        ]
    );
}

#[test]
fn types_and_search_filter() {
    let sim = sim();
    let out = zpakey(&sim)
        .args([
            "list",
            "--type",
            "service-edge,np_assistant_grp",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        ids(&stdout_of(&out)),
        ["60301", "46174", "60201", "60202", "58857"]
    );
    let out = zpakey(&sim)
        .args(["list", "--search", "PROD", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(ids(&stdout_of(&out)), ["60105", "60108", "60201", "60401"]);
    let out = zpakey(&sim)
        .args(["list", "--type", "site-controller,exporter", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(ids(&stdout_of(&out)), ["60501", "60402", "60401"]);
}

#[test]
fn the_piped_table_is_plain_ascii() {
    let sim = sim();
    zpakey(&sim)
        .args(["list", "--type", "np_assistant_grp"])
        .assert()
        .success()
        .stderr("")
        .stdout(
            "ID     NAME          TYPE              GROUP                      USAGE  USABLE  MODIFIED\n\
             60301  branch-np-01  NP_ASSISTANT_GRP  branch-network-connectors  0/10   yes     2026-02-13T18:00:00Z\n",
        );
}

#[test]
fn an_empty_list_is_success() {
    let sim = sim();
    zpakey(&sim)
        .args(["list", "--search", "no such key"])
        .assert()
        .success()
        .stdout("")
        .stderr("zpakey: no provisioning keys found\n");
    zpakey(&sim)
        .args(["list", "--search", "no such key", "-o", "json"])
        .assert()
        .success()
        .stdout("[]\n")
        .stderr("");
}

#[test]
fn every_page_of_every_type() {
    // 1,100 keys per type: three pages of 500 each.
    let total = 1_100 * AssociationType::ALL.len();
    let sim = sim_with(Tenant::generated(total));
    let out = zpakey(&sim).args(["list", "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let listed = ids(&stdout_of(&out));
    assert_eq!(listed.len(), total);
    let mut unique = listed.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), total, "no key twice");
    let mut pages: Vec<(String, String)> = sim
        .api_requests()
        .into_iter()
        .map(|r| {
            let ty = r.path.split('/').nth(8).unwrap().to_owned();
            (ty, r.query.unwrap_or_default())
        })
        .collect();
    pages.sort();
    let expected: Vec<(String, String)> = AssociationType::ALL
        .iter()
        .flat_map(|t| {
            (1..=3).map(move |p| (t.as_str().to_owned(), format!("page={p}&pagesize=500")))
        })
        .collect();
    let mut expected = expected;
    expected.sort();
    assert_eq!(pages, expected);
}

#[test]
fn a_closed_stdout_is_success() {
    let sim = sim_with(Tenant::generated(2_000));
    let mut child = crate::support::process(&sim, &["list"]).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout); // as `head -c1` does
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr_of(&out), "");
}

#[test]
fn refused_types_are_skipped_with_a_note_at_v_unless_named() {
    let sim = Sim::builder()
        .rate_limit(false)
        .refuse_type(
            AssociationType::NpAssistantGrp,
            TypeRefusal::UnsupportedType,
        )
        .start()
        .unwrap();
    let out = zpakey(&sim).args(["list", "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(ids(&stdout_of(&out)).len(), 21);
    assert_eq!(stderr_of(&out), "", "skipped quietly");
    let out = zpakey(&sim)
        .args(["-v", "list", "-o", "json"])
        .output()
        .unwrap();
    assert!(
        stderr_of(&out)
            .contains("zpakey: skipping NP_ASSISTANT_GRP: this tenant does not allow it (HTTP 400"),
        "{}",
        stderr_of(&out)
    );
    zpakey(&sim)
        .args(["list", "--type", "np_assistant_grp"])
        .assert()
        .code(6)
        .stdout("");
}

#[test]
fn empty_types_in_either_page_shape() {
    let tenant = r#"{
        "customerId": "216196257331281920",
        "provisioningKeys": {
            "CONNECTOR_GRP": [{"id": "7", "name": "only", "usageCount": "0", "maxUsage": "1", "enabled": true}]
        }
    }"#;
    for shape in [
        zpa_sim::EmptyPageShape::OmitList,
        zpa_sim::EmptyPageShape::EmptyList,
    ] {
        let sim = Sim::builder()
            .tenant(Tenant::from_json_str(tenant).unwrap())
            .rate_limit(false)
            .empty_page_shape(shape)
            .start()
            .unwrap();
        let out = zpakey(&sim).args(["list", "-o", "json"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shape:?}: {}", stderr_of(&out));
        assert_eq!(ids(&stdout_of(&out)), ["7"], "{shape:?}");
        zpakey(&sim)
            .args(["list", "--type", "service-edge", "-o", "json"])
            .assert()
            .success()
            .stdout("[]\n");
    }
}

#[test]
fn html_escaped_names_are_unescaped() {
    let sim = Sim::builder()
        .rate_limit(false)
        .html_escape_names(true)
        .start()
        .unwrap();
    for (name, id) in [
        ("AWS us-east-1 (prod) & DR #2", "60105"),
        ("O'Brien's \"lab\" key", "60106"),
    ] {
        zpakey(&sim)
            .args(["get", "--name", name, "--field", "name"])
            .assert()
            .success()
            .stdout(format!("{name}\n"));
        zpakey(&sim)
            .args(["get", "--id", id, "--field", "name"])
            .assert()
            .success()
            .stdout(format!("{name}\n"));
    }
}
