//! Remembered key types (issue 11: a lookup spends as few GETs as the answer allows): the
//! second untyped lookup of an id asks only the type it was found under, and a remembered
//! type is only a first guess — never a reason for a different answer than without it.

use std::path::Path;

use zpa_sim::{AssociationType, Sim, TypeRefusal};

use crate::support::{sim, zpakey};

/// A private runtime directory of this test's own, where the remembered types are written.
fn runtime() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    dir
}

/// The one file of remembered types in `dir`.
fn types_file(dir: &Path) -> std::path::PathBuf {
    let files: Vec<_> = std::fs::read_dir(dir.join("zpakey"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("types-"))
        })
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
fn a_second_untyped_lookup_of_an_id_is_one_request() {
    let sim = sim();
    let dir = runtime();
    let get = || {
        zpakey(&sim)
            .env("XDG_RUNTIME_DIR", dir.path())
            .args(["get", "--id", "58857", "--field", "association_type"])
            .assert()
            .success()
            .stdout("SERVICE_EDGE_GRP\n");
    };
    get();
    assert_eq!(sim.api_requests().len(), AssociationType::ALL.len());
    assert!(
        std::fs::read_to_string(types_file(dir.path()))
            .unwrap()
            .contains("58857 SERVICE_EDGE_GRP\n")
    );
    sim.clear_requests();
    get();
    let paths: Vec<String> = sim.api_requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert!(
        paths[0].ends_with("/associationType/SERVICE_EDGE_GRP/provisioningKey/58857"),
        "{paths:?}"
    );
}

#[test]
fn a_remembered_type_the_tenant_refuses_is_skipped_like_any_other() {
    let sim = Sim::builder()
        .rate_limit(false)
        .refuse_type(AssociationType::ConnectorGrp, TypeRefusal::Forbidden)
        .start()
        .unwrap();
    let dir = runtime();
    let run = |args: &[&str]| {
        zpakey(&sim)
            .env("XDG_RUNTIME_DIR", dir.path())
            .args(args)
            .assert()
    };
    run(&["get", "--id", "60201", "--field", "id"])
        .success()
        .stdout("60201\n");
    // As if 58856 had been found under CONNECTOR_GRP before the tenant stopped allowing it.
    let file = types_file(dir.path());
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("58856 CONNECTOR_GRP\n");
    std::fs::write(&file, text).unwrap();
    sim.clear_requests();
    // The same answer as without the remembered type: not found among the types allowed.
    run(&["get", "--id", "58856"]).code(4).stdout("").stderr(
        "zpakey: error: no provisioning key has id 58856\n\
             hint: run 'zpakey list' to see the keys this API client can read\n",
    );
    let requests = sim.api_requests();
    assert_eq!(requests.len(), AssociationType::ALL.len(), "{requests:?}");
    assert!(requests[0].path.contains("/CONNECTOR_GRP/"), "{requests:?}");
}

#[test]
fn a_list_remembers_its_keys_unless_it_holds_more_than_the_file_keeps() {
    let small = sim();
    let dir = runtime();
    zpakey(&small)
        .env("XDG_RUNTIME_DIR", dir.path())
        .args(["list", "--type", "exporter"])
        .assert()
        .success();
    let text = std::fs::read_to_string(types_file(dir.path())).unwrap();
    assert_eq!(text, "60501 EXPORTER_GRP\n");

    // 1,000 keys of each type: more than the 4,096 ids the file keeps.
    let big = Sim::builder()
        .rate_limit(false)
        .tenant(zpa_sim::Tenant::generated(5_000))
        .start()
        .unwrap();
    let dir = runtime();
    zpakey(&big)
        .env("XDG_RUNTIME_DIR", dir.path())
        .args(["list", "-o", "json"])
        .assert()
        .success();
    let files: Vec<String> = std::fs::read_dir(dir.path().join("zpakey"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("types-"))
        .collect();
    assert!(files.is_empty(), "{files:?}");
}
