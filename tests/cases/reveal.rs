//! `zpakey reveal`: exactly the key, only for a usable key, or a clear exit 7.

use crate::support::{sim, value_of, zpakey};

#[test]
fn prints_exactly_the_key_and_a_newline() {
    let sim = sim();
    let value = value_of(sim.tenant(), "58856");
    assert!(value.starts_with("3|api.private.zscaler.com|xxuCGPTXL81GMEAplykN"));
    zpakey(&sim)
        .args(["reveal", "--id", "58856"])
        .assert()
        .success()
        .stdout(format!("{value}\n"))
        .stderr("");
    zpakey(&sim)
        .args(["reveal", "--name", "tests-pkseg-vcr0003", "-n"])
        .assert()
        .success()
        .stdout(value_of(sim.tenant(), "58857"))
        .stderr("");
}

#[test]
fn json_output() {
    let sim = sim();
    let value = value_of(sim.tenant(), "60107");
    zpakey(&sim)
        .args(["reveal", "--name", "Zürich  Büro  Connectors", "-o", "json"])
        .assert()
        .success()
        .stdout(format!(
            "{{\n  \"id\": \"60107\",\n  \"name\": \"Zürich  Büro  Connectors\",\n  \"association_type\": \"CONNECTOR_GRP\",\n  \"provisioning_key\": \"{value}\"\n}}\n"
        ));
}

#[test]
fn every_reason_a_key_cannot_be_revealed_is_exit_7() {
    let sim = sim();
    for (id, stderr) in [
        (
            "60101",
            "zpakey: error: key 'connector-disabled' is disabled\n\
             hint: enable the key in the ZPA admin portal (Configuration & Control > Provisioning Keys), or use another key\n\
             hint: pass --allow-unusable to reveal it anyway\n",
        ),
        (
            "60201",
            "zpakey: error: key 'edge-prod' has been used 10 of 10 times\n\
             hint: raise the key's maximum usage in the ZPA admin portal, or use another key\n\
             hint: pass --allow-unusable to reveal it anyway\n",
        ),
        (
            "60104",
            "zpakey: error: key 'connector-expired' expired at 2023-11-14T22:13:20Z\n\
             hint: pass --allow-unusable to reveal it anyway\n",
        ),
        (
            "60102",
            "zpakey: error: key 'connector-no-export' is not exportable: ZPA withholds its value (it was created with exportable=false)\n\
             hint: a key's exportable setting cannot be changed; create a new key with it enabled\n",
        ),
    ] {
        zpakey(&sim)
            .args(["reveal", "--id", id])
            .assert()
            .code(7)
            .stdout("")
            .stderr(stderr);
    }
    zpakey(&sim)
        .args(["reveal", "--id", "60102", "--allow-unusable"])
        .assert()
        .code(7)
        .stdout("");
}

#[test]
fn allow_unusable_reveals_with_a_warning() {
    let sim = sim();
    let value = value_of(sim.tenant(), "60201");
    zpakey(&sim)
        .args(["reveal", "--id", "60201", "--allow-unusable"])
        .assert()
        .success()
        .stdout(format!("{value}\n"))
        .stderr("zpakey: warning: revealing an unusable key: key 'edge-prod' has been used 10 of 10 times\n");
}

#[test]
fn exit_7_under_json_is_the_error_envelope() {
    let sim = sim();
    zpakey(&sim)
        .args(["-o", "json", "reveal", "--id", "60201"])
        .assert()
        .code(7)
        .stdout("")
        .stderr("{\"error\":{\"code\":\"unusable\",\"exit\":7,\"message\":\"key 'edge-prod' has been used 10 of 10 times\"}}\n");
}

#[cfg(unix)]
#[test]
fn out_file_is_private_and_refuses_to_overwrite() {
    use std::os::unix::fs::PermissionsExt;
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("provision_key");
    let value = value_of(sim.tenant(), "58856");
    zpakey(&sim)
        .args(["reveal", "--id", "58856", "--out-file"])
        .arg(&path)
        .assert()
        .success()
        .stdout("")
        .stderr(format!(
            "zpakey: wrote key 'tests-pkacg-vcr0003' (id 58856, CONNECTOR_GRP) to {}\n",
            path.display()
        ));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{value}\n")
    );
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );

    zpakey(&sim)
        .args(["reveal", "--id", "58857", "--out-file"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(format!(
            "zpakey: error: --out-file {} already exists\nhint: pass --force to replace it\n",
            path.display()
        ));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{value}\n")
    );

    zpakey(&sim)
        .args(["reveal", "--id", "58857", "-n", "--force", "--out-file"])
        .arg(&path)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        value_of(sim.tenant(), "58857")
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}
