//! The command line itself: bad options and tenant files as usage errors, and what
//! --help documents.

use std::process::Command;

use super::*;

#[test]
fn bad_options_are_usage_errors() {
    let out = Command::new(BIN)
        .args([
            "--tenant",
            "x.json",
            "--generate",
            "3",
            "exec",
            "--",
            "true",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN)
        .args(["--fault", "teapot", "exec", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown fault"));

    let dir = std::env::temp_dir().join(format!("zpa-sim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("tenant.json");
    std::fs::write(
        &bad,
        r#"{"customerId":"1","provisioningKeys":{"CONNECTOR_GRP":[{"id":"1"}]}}"#,
    )
    .unwrap();
    let out = Command::new(BIN)
        .arg("--tenant")
        .arg(&bad)
        .args(["exec", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("tenant.json") && stderr.contains("missing \"name\""),
        "{stderr}"
    );

    let good = dir.join("good.json");
    std::fs::write(&good, r#"{"customerId":"5","provisioningKeys":{}}"#).unwrap();
    let out = Command::new(BIN)
        .arg("--tenant")
        .arg(&good)
        .args(["exec", "--", "sh", "-c", "echo $ZPA_CUSTOMER_ID"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "5");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn help_documents_the_modes_and_knobs() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for word in [
        "exec",
        "--port",
        "--legacy",
        "--private-key",
        "--tenant",
        "--generate",
        "--latency-ms",
        "--token-lifetime",
        "--no-rate-limit",
        "--search-case",
        "--special-char-search",
        "--fault",
        "html502",
        "export NAME='value'",
    ] {
        assert!(help.contains(word), "--help lacks {word}");
    }
    let out = Command::new(BIN).args(["exec", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("CMD"));
}

#[test]
fn refuse_type_names_every_type_when_given_an_unknown_one() {
    let out = Command::new(BIN)
        .args(["--refuse-type", "PCC_GRP:forbidden", "exec", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for ty in zpa_sim::AssociationType::ALL {
        assert!(stderr.contains(ty.as_str()), "{stderr}");
    }
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("SITE_CONTROLLER_GRP"), "{help}");
    assert!(help.contains("five association types"), "{help}");
}
