//! Issue 13: every key type, health that tells the truth (`problems`, `remaining_uses`, the
//! thresholds `--min-remaining` and `--valid-for`), `check` in both forms, and `--file-mode`.

use zpa_sim::{AssociationType, Sim, TypeRefusal};

use crate::support::{json_of, sim, stderr_of, stdout_of, value_of, zpakey};

#[test]
fn every_type_is_found_by_id_and_name_without_type_and_listed() {
    let sim = sim();
    for (id, name, wire) in [
        ("58856", "tests-pkacg-vcr0003", "CONNECTOR_GRP"),
        ("58857", "tests-pkseg-vcr0003", "SERVICE_EDGE_GRP"),
        ("60301", "branch-np-01", "NP_ASSISTANT_GRP"),
        ("60401", "pcc-prod", "SITE_CONTROLLER_GRP"),
        ("60501", "exporter-01", "EXPORTER_GRP"),
    ] {
        zpakey(&sim)
            .args(["get", "--id", id, "--field", "association_type"])
            .assert()
            .success()
            .stdout(format!("{wire}\n"))
            .stderr("");
        zpakey(&sim)
            .args(["get", "--name", name, "--field", "id"])
            .assert()
            .success()
            .stdout(format!("{id}\n"))
            .stderr("");
        zpakey(&sim)
            .args(["reveal", "--name", name])
            .assert()
            .success()
            .stdout(format!("{}\n", value_of(sim.tenant(), id)));
        let listed = zpakey(&sim)
            .args(["list", "-o", "json", "--type", wire])
            .output()
            .unwrap();
        let ids: Vec<String> = json_of(&listed)
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["id"].as_str().unwrap().to_owned())
            .collect();
        assert!(ids.contains(&id.to_owned()), "{wire}: {ids:?}");
    }
    for (alias, wire) in [
        ("connector", "CONNECTOR_GRP"),
        ("service-edge", "SERVICE_EDGE_GRP"),
        ("np-assistant", "NP_ASSISTANT_GRP"),
        ("site-controller", "SITE_CONTROLLER_GRP"),
        ("exporter", "EXPORTER_GRP"),
    ] {
        let listed = zpakey(&sim)
            .args(["list", "--type", alias, "-o", "json"])
            .output()
            .unwrap();
        assert_eq!(listed.status.code(), Some(0), "{alias}");
        let keys = json_of(&listed);
        let types: Vec<&str> = keys
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["association_type"].as_str().unwrap())
            .collect();
        assert!(!types.is_empty(), "{alias}");
        assert!(types.iter().all(|t| *t == wire), "{alias}: {types:?}");
    }
}

#[test]
fn refused_types_are_skipped_and_all_refused_is_exit_3() {
    let mut builder = Sim::builder().rate_limit(false);
    for t in [
        AssociationType::SiteControllerGrp,
        AssociationType::ExporterGrp,
    ] {
        builder = builder.refuse_type(t, TypeRefusal::UnsupportedType);
    }
    let sim = builder.start().unwrap();
    zpakey(&sim)
        .args(["get", "--id", "58856", "--field", "id"])
        .assert()
        .success()
        .stdout("58856\n")
        .stderr("");
    zpakey(&sim)
        .args(["get", "--id", "60401"])
        .assert()
        .code(4)
        .stdout("");
    zpakey(&sim)
        .args(["get", "--id", "60401", "--type", "site-controller"])
        .assert()
        .code(6)
        .stdout("");

    let mut builder = Sim::builder().rate_limit(false);
    for t in AssociationType::ALL {
        builder = builder.refuse_type(t, TypeRefusal::Forbidden);
    }
    let sim = builder.start().unwrap();
    for args in [
        &["list"][..],
        &["get", "--id", "58856"],
        &["get", "--name", "x"],
    ] {
        zpakey(&sim)
            .args(args)
            .assert()
            .code(3)
            .stdout("")
            .stderr(
                "zpakey: error: the API refused every key type (CONNECTOR_GRP, EXPORTER_GRP, NP_ASSISTANT_GRP, SERVICE_EDGE_GRP, SITE_CONTROLLER_GRP)\n\
                 hint: check that the API client's role may read provisioning keys\n",
            );
    }
}

#[test]
fn problems_and_remaining_uses_for_every_demo_key() {
    let sim = sim();
    let out = zpakey(&sim).args(["list", "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let listed = json_of(&out);
    let by_id = |id: &str| -> &serde_json::Value {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == id)
            .unwrap_or_else(|| panic!("no key {id}"))
    };
    let expected: [(&str, &[&str], Option<u64>, bool); 22] = [
        ("60105", &[], Some(7), true),
        ("60106", &[], Some(10), true),
        ("60108", &[], Some(13), true),
        ("60107", &[], Some(10), true),
        ("60101", &["disabled"], Some(10), false),
        ("60104", &["expired"], Some(10), false),
        ("60102", &["not_exportable"], Some(10), true),
        ("60110", &[], Some(10), true),
        ("60111", &[], Some(10), true),
        ("60103", &[], Some(10), true),
        ("60109", &[], Some(10), true),
        ("52408", &[], Some(10), true),
        ("52658", &[], Some(10), true),
        ("58856", &[], Some(2), true),
        ("60501", &[], Some(4), true),
        ("60301", &[], Some(10), true),
        ("46174", &[], Some(6), true),
        ("60201", &["used_up"], Some(0), false),
        ("60202", &[], Some(10), true),
        ("58857", &[], Some(2), true),
        ("60402", &[], Some(10), true),
        ("60401", &[], Some(1), true),
    ];
    assert_eq!(listed.as_array().unwrap().len(), expected.len());
    for (id, problems, remaining, usable) in expected {
        let key = by_id(id);
        let got: Vec<&str> = key["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert_eq!(got, problems, "{id}");
        assert_eq!(key["remaining_uses"].as_u64(), remaining, "{id}");
        assert_eq!(key["usable"], usable, "{id}: usable keeps its meaning");
    }
    // The table says why, and that a non-exportable key can still enroll.
    zpakey(&sim)
        .args(["get", "--id", "60102", "--field", "problems"])
        .assert()
        .success()
        .stdout("[\"not_exportable\"]\n");
    let table = zpakey(&sim)
        .args(["list", "--type", "connector"])
        .output()
        .unwrap();
    let table = stdout_of(&table);
    let row = |name: &str| {
        table
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name}:\n{table}"))
            .to_owned()
    };
    assert!(row("connector-no-export").contains("yes (not exportable)"));
    assert!(row("connector-disabled").contains("no (disabled)"));
    assert!(row("connector-expired").contains("no (expired)"));
}

#[test]
fn thresholds_refuse_with_the_reason_and_allow_unusable_waives_them() {
    let sim = sim();
    let pcc = value_of(sim.tenant(), "60401");
    zpakey(&sim)
        .args(["reveal", "--id", "60401", "--min-remaining", "1"])
        .assert()
        .success()
        .stdout(format!("{pcc}\n"));
    zpakey(&sim)
        .args(["reveal", "--id", "60401", "--min-remaining", "3"])
        .assert()
        .code(7)
        .stdout("")
        .stderr(
            "zpakey: error: key 'pcc-prod' has 1 use left; --min-remaining asks for 3\n\
             hint: raise the key's maximum usage in the ZPA admin portal, or use another key\n\
             hint: pass --allow-unusable to reveal it anyway\n",
        );
    // 60111 expires at the start of 2100.
    zpakey(&sim)
        .args(["reveal", "--id", "60111", "--valid-for", "50y"])
        .assert()
        .success();
    zpakey(&sim)
        .args(["reveal", "--id", "60111", "--valid-for", "200y"])
        .assert()
        .code(7)
        .stdout("")
        .stderr(
            "zpakey: error: key 'expiring-soon' expires at 2100-01-01T00:00:00Z, within --valid-for 200years\n\
             hint: pass --allow-unusable to reveal it anyway\n",
        );
    // A key that never expires passes any --valid-for.
    zpakey(&sim)
        .args(["reveal", "--id", "58856", "--valid-for", "200y"])
        .assert()
        .success();
    let out = zpakey(&sim)
        .args([
            "reveal",
            "--id",
            "60401",
            "--min-remaining",
            "3",
            "--allow-unusable",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout_of(&out), format!("{pcc}\n"));
    assert_eq!(
        stderr_of(&out),
        "zpakey: warning: revealing an unusable key: key 'pcc-prod' has 1 use left; --min-remaining asks for 3\n"
    );
    sim.clear_requests();
    for bad in [
        &["--min-remaining", "-1"][..],
        &["--min-remaining", "many"],
        &["--valid-for", "soon"],
    ] {
        zpakey(&sim)
            .args(["reveal", "--id", "58856"])
            .args(bad)
            .assert()
            .code(2)
            .stdout("");
    }
    // Refused before any request, sign-in included.
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[test]
fn check_with_a_selector_exits_0_exactly_when_reveal_would_succeed() {
    let sim = sim();
    let options: [&[&str]; 3] = [
        &[],
        &["--min-remaining", "3"],
        &["--min-remaining", "2", "--valid-for", "100y"],
    ];
    let ids: Vec<String> = AssociationType::ALL
        .iter()
        .flat_map(|t| sim.tenant().keys(*t).iter())
        .filter(|k| k["microtenantId"].is_null())
        .map(|k| k["id"].as_str().unwrap().to_owned())
        .collect();
    for id in &ids {
        for extra in options {
            let check = zpakey(&sim)
                .args(["check", "--id", id])
                .args(extra)
                .output()
                .unwrap();
            let reveal = zpakey(&sim)
                .args(["reveal", "--id", id])
                .args(extra)
                .output()
                .unwrap();
            assert_eq!(
                check.status.code(),
                reveal.status.code(),
                "{id} {extra:?}: check {} / reveal {}",
                stderr_of(&check),
                stderr_of(&reveal)
            );
            assert!(check.stdout.is_empty(), "{id}: nothing on stdout");
            if check.status.code() == Some(7) {
                // The same reasons as reveal, without reveal's --allow-unusable hint.
                let reasons = stderr_of(&check);
                assert!(stderr_of(&reveal).starts_with(reasons.lines().next().unwrap()));
                assert!(!reasons.contains("--allow-unusable"), "{reasons}");
            }
        }
    }
    zpakey(&sim)
        .args(["check", "--name", "edge-prod"])
        .assert()
        .code(7)
        .stdout("")
        .stderr(
            "zpakey: error: key 'edge-prod' has been used 10 of 10 times\n\
             hint: raise the key's maximum usage in the ZPA admin portal, or use another key\n",
        );
    zpakey(&sim)
        .args(["check", "--id", "1", "--type", "connector,exporter"])
        .assert()
        .code(2)
        .stderr("zpakey: error: give at most one --type with --id or --name\n");
    // As for get and reveal: case applies to names only.
    zpakey(&sim)
        .args(["check", "--id", "1", "--ignore-case"])
        .assert()
        .code(2)
        .stderr(
            "zpakey: error: the argument '--id <ID>' cannot be used with '--ignore-case'\n\n\
             Usage: zpakey check [OPTIONS]\n\nFor more information, try '--help'.\n",
        );
}

#[test]
fn check_without_a_selector_prints_the_failing_enabled_keys() {
    let sim = sim();
    // Disabled (60101) and non-exportable (60102) keys are not news; used up and expired are.
    let out = zpakey(&sim).args(["check", "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", stderr_of(&out));
    let failing: Vec<String> = json_of(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(failing, ["60104", "60201"]);
    assert_eq!(
        stderr_of(&out),
        "{\"error\":{\"code\":\"unusable\",\"exit\":7,\"message\":\"2 of 21 enabled keys fail the checks; id 60104: key 'connector-expired' expired at 2023-11-14T22:13:20Z; id 60201: key 'edge-prod' has been used 10 of 10 times\"}}\n"
    );
    // A nightly monitor asking for three uses left.
    let out = zpakey(&sim)
        .args(["check", "--min-remaining", "3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
    let table = stdout_of(&out);
    assert!(table.starts_with("ID "), "{table}");
    for id in ["58856", "58857", "60104", "60201", "60401"] {
        assert!(table.lines().any(|l| l.starts_with(id)), "{id}:\n{table}");
    }
    assert_eq!(table.lines().count(), 6, "{table}");
    assert!(
        stderr_of(&out).starts_with("zpakey: error: 5 of 21 enabled keys fail the checks\n  id "),
        "{}",
        stderr_of(&out)
    );
    // All good: exit 0, an empty table (or []).
    zpakey(&sim)
        .args(["check", "--type", "exporter,site-controller"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    zpakey(&sim)
        .args(["check", "--type", "exporter", "-o", "json"])
        .assert()
        .success()
        .stdout("[]\n");
}
