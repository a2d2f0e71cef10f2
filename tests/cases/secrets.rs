//! The promise of CLI.md: `get` and `list` never print key material, in any format, at any
//! verbosity; logs never carry credentials or tokens.

use crate::support::{assert_no_key_material, sim, stderr_of, stdout_of, zpakey};

#[test]
fn get_and_list_never_show_any_key_material() {
    let sim = sim();
    let tenant = sim.tenant();
    let ids: Vec<String> = zpa_sim::AssociationType::ALL
        .iter()
        .flat_map(|t| tenant.keys(*t).iter())
        .map(|k| k["id"].as_str().unwrap().to_owned())
        .collect();
    for id in &ids {
        for format in ["table", "json"] {
            let out = zpakey(&sim)
                .args(["-vvv", "-o", format, "get", "--id", id])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{id}: {}", stderr_of(&out));
            assert_no_key_material(&stdout_of(&out), tenant);
            assert_no_key_material(&stderr_of(&out), tenant);
        }
    }
    for format in ["table", "json"] {
        let out = zpakey(&sim)
            .args(["-vvv", "-o", format, "list"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert_no_key_material(&stdout_of(&out), tenant);
        assert_no_key_material(&stderr_of(&out), tenant);
    }
}

#[test]
fn verbose_logs_show_requests_but_no_credentials() {
    let sim = sim();
    let secret = sim.tenant().credentials().client_secret.clone();
    let out = zpakey(&sim)
        .args(["-vvv", "reveal", "--id", "58856"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("zpakey: POST /oauth2/v1/token -> 200"),
        "{stderr}"
    );
    assert!(
        stderr.contains("zpakey: GET /zpa/mgmtconfig/v1/admin/customers/216196257331281920/associationType/CONNECTOR_GRP/provisioningKey/58856 -> 200"),
        "{stderr}"
    );
    assert!(!stderr.contains(&secret));
    assert!(
        !stderr.contains("simtok"),
        "no bearer token in logs: {stderr}"
    );
    assert!(!stderr.to_ascii_lowercase().contains("bearer "), "{stderr}");
    assert_no_key_material(&stderr, sim.tenant());
}
