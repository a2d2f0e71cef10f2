//! Loading, validating and generating tenants, including every way a tenant file can be wrong.

use super::*;

#[test]
fn demo_tenant_has_the_documented_shape() {
    let t = Tenant::demo();
    assert_eq!(t.customer_id(), "216196257331281920");
    assert_eq!(t.key_count(), 22);
    let per_type = AssociationType::ALL.map(|ty| t.keys(ty).len());
    assert_eq!(per_type, [14, 4, 1, 2, 1]);
    assert_eq!(t.credentials().client_id, "zpa-sim-demo-client");
    assert!(t.credentials().public_key_pem.contains("BEGIN PUBLIC KEY"));
    // Field order survives loading.
    let first = t.keys(AssociationType::ConnectorGrp)[0]
        .as_object()
        .unwrap();
    let order: Vec<&str> = first.keys().map(String::as_str).take(3).collect();
    assert_eq!(order, ["id", "modifiedTime", "creationTime"]);
}

/// The keys issue 13 added; zpakey's tests count on these exact states.
#[test]
fn demo_tenant_has_keys_of_the_new_types_and_one_with_a_far_expiry() {
    let t = Tenant::demo();
    let find = |id: &str| {
        AssociationType::ALL
            .into_iter()
            .find_map(|ty| {
                t.keys(ty)
                    .iter()
                    .find(|k| k["id"] == id)
                    .map(|k| (ty, k.clone()))
            })
            .unwrap_or_else(|| panic!("no demo key {id}"))
    };
    for (id, ty, name, usage, max, expiry) in [
        (
            "60111",
            AssociationType::ConnectorGrp,
            "expiring-soon",
            "0",
            "10",
            Some("4102444800"),
        ),
        (
            "60401",
            AssociationType::SiteControllerGrp,
            "pcc-prod",
            "2",
            "3",
            None,
        ),
        (
            "60402",
            AssociationType::SiteControllerGrp,
            "pcc-lab",
            "0",
            "10",
            None,
        ),
        (
            "60501",
            AssociationType::ExporterGrp,
            "exporter-01",
            "1",
            "5",
            None,
        ),
    ] {
        let (found_ty, key) = find(id);
        assert_eq!(found_ty, ty, "{id}");
        assert_eq!(key["name"], name, "{id}");
        assert_eq!(key["usageCount"], usage, "{id}");
        assert_eq!(key["maxUsage"], max, "{id}");
        assert_eq!(key["enabled"], true, "{id}");
        assert_eq!(key["exportable"], true, "{id}");
        assert_eq!(key["expirationInEpochSec"].as_str(), expiry, "{id}");
        assert!(key.get("microtenantId").is_none(), "{id}");
        // Ids and counts are strings, as the API sends them; the group and certificate
        // are named like the recorded keys'.
        for field in [
            "modifiedTime",
            "creationTime",
            "modifiedBy",
            "zcomponentId",
            "zcomponentName",
            "enrollmentCertId",
            "enrollmentCertName",
        ] {
            assert!(key[field].is_string(), "{id}.{field}");
        }
        let secret = key["provisioningKey"].as_str().unwrap();
        let material = secret
            .strip_prefix("3|api.private.zscaler.com|")
            .unwrap_or_else(|| panic!("{id}: {secret}"));
        assert!(material.len() > 300, "{id}");
        // The new names are not shared: the ambiguity cases stay as they were.
        let same_name = AssociationType::ALL
            .iter()
            .flat_map(|ty| t.keys(*ty))
            .filter(|k| k["name"] == name)
            .count();
        assert_eq!(same_name, 1, "{name}");
    }

    // Every secret is distinct, and ids are unique across types (checked on load).
    let mut secrets: Vec<&str> = AssociationType::ALL
        .iter()
        .flat_map(|ty| t.keys(*ty))
        .filter_map(|k| k["provisioningKey"].as_str())
        .collect();
    let with_secret = secrets.len();
    secrets.sort_unstable();
    secrets.dedup();
    assert_eq!(secrets.len(), with_secret);
    assert_eq!(
        with_secret,
        t.key_count() - 1,
        "only 60102 is not exportable"
    );
}

#[test]
fn credentials_default_to_the_demo_ones() {
    let t = Tenant::from_json_str(r#"{"customerId":"42","provisioningKeys":{}}"#).unwrap();
    assert_eq!(t.credentials(), Tenant::demo().credentials());
    assert_eq!(t.key_count(), 0);
    let t = Tenant::from_json_str(
        r#"{"customerId":"42","credentials":{"clientId":"mine"},"provisioningKeys":{}}"#,
    )
    .unwrap();
    assert_eq!(t.credentials().client_id, "mine");
    assert_eq!(
        t.credentials().client_secret,
        Tenant::demo().credentials().client_secret
    );
}

fn err(text: &str) -> String {
    Tenant::from_json_str(text).unwrap_err().to_string()
}

#[test]
fn invalid_tenants_are_refused_with_a_pointer_to_the_problem() {
    assert!(err("[").contains("not valid JSON"));
    assert!(err("[]").contains("top level"));
    assert!(err(r#"{"provisioningKeys":{}}"#).contains("missing \"customerId\""));
    assert!(err(r#"{"customerId":"x1","provisioningKeys":{}}"#).contains("customerId"));
    assert!(err(r#"{"customerId":"1"}"#).contains("provisioningKeys"));
    assert!(err(r#"{"customerId":"1","provisioningKeys":{},"extra":1}"#).contains("extra"));
    assert!(err(r#"{"customerId":"1","provisioningKeys":{"FOO_GRP":[]}}"#).contains("FOO_GRP"));
    assert!(
        err(r#"{"customerId":"1","provisioningKeys":{"CONNECTOR_GRP":[{"name":"a"}]}}"#)
            .contains("CONNECTOR_GRP[0]: missing \"id\"")
    );
    assert!(
        err(r#"{"customerId":"1","provisioningKeys":{"CONNECTOR_GRP":[{"id":5,"name":"a"}]}}"#)
            .contains("\"id\" must be a string")
    );
    assert!(
        err(r#"{"customerId":"1","provisioningKeys":{"CONNECTOR_GRP":[{"id":"5"}]}}"#)
            .contains("missing \"name\"")
    );
    assert!(
        err(r#"{"customerId":"1","provisioningKeys":{"CONNECTOR_GRP":[{"id":"5","name":7}]}}"#)
            .contains("\"name\" must be a string")
    );
    let dup = r#"{"customerId":"1","provisioningKeys":{
        "CONNECTOR_GRP":[{"id":"5","name":"a"}],
        "SERVICE_EDGE_GRP":[{"id":"5","name":"b"}]}}"#;
    assert!(err(dup).contains("already used by provisioningKeys.CONNECTOR_GRP[0]"));
    assert!(
        err(r#"{"customerId":"1","credentials":{"publicKeyPem":"nope"},"provisioningKeys":{}}"#)
            .contains("publicKeyPem")
    );
    assert!(
        err(r#"{"customerId":"1","credentials":{"secret":"x"},"provisioningKeys":{}}"#)
            .contains("credentials.secret")
    );
}

#[test]
fn from_file_names_the_file_in_errors() {
    let dir = std::env::temp_dir().join(format!("zpa-sim-tenant-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"customerId":"1"}"#).unwrap();
    let msg = Tenant::from_file(&bad).unwrap_err().to_string();
    assert!(msg.contains("bad.json"), "{msg}");
    let missing = Tenant::from_file(&dir.join("missing.json")).unwrap_err();
    assert!(matches!(missing, TenantError::Io { .. }));
    let good = dir.join("good.json");
    std::fs::write(&good, DEMO_TENANT_JSON).unwrap();
    assert_eq!(Tenant::from_file(&good).unwrap(), Tenant::demo());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn generated_tenants_are_deterministic_and_spread_over_types() {
    let t = Tenant::generated(1234);
    assert_eq!(t.key_count(), 1234);
    // Round-robin over all five types: 1234 = 5 * 246 + 4.
    let per_type = AssociationType::ALL.map(|ty| t.keys(ty).len());
    assert_eq!(per_type, [247, 247, 247, 247, 246]);
    // Key i is the (i / 5)-th key of ALL[i % 5].
    for (i, ty) in AssociationType::ALL.into_iter().enumerate() {
        assert_eq!(t.keys(ty)[0]["name"], format!("gen-key-{i:06}"));
        assert_eq!(t.keys(ty)[1]["name"], format!("gen-key-{:06}", i + 5));
    }
    let k42 = &t.keys(AssociationType::NpAssistantGrp)[8];
    assert_eq!(k42["name"], "gen-key-000042");
    let material = k42["provisioningKey"].as_str().unwrap();
    assert!(material.starts_with("3|api.private.zscaler.com|"));
    assert_eq!(Tenant::generated(1234), t);
    assert_eq!(
        Tenant::generated(50).keys(AssociationType::NpAssistantGrp)[8],
        *k42
    );
    let mut ids: Vec<&str> = AssociationType::ALL
        .iter()
        .flat_map(|ty| t.keys(*ty))
        .map(|k| k["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 1234);
    let mut secrets: Vec<&str> = AssociationType::ALL
        .iter()
        .flat_map(|ty| t.keys(*ty))
        .map(|k| k["provisioningKey"].as_str().unwrap())
        .collect();
    secrets.sort_unstable();
    secrets.dedup();
    assert_eq!(secrets.len(), 1234);
}

#[test]
fn generated_keys_of_each_type_carry_that_types_group_and_certificate() {
    let t = Tenant::generated(5);
    for (ty, cert, group) in [
        (
            AssociationType::ConnectorGrp,
            "Connector",
            "gen-connector-group",
        ),
        (
            AssociationType::ServiceEdgeGrp,
            "Service Edge",
            "gen-service-edge-group",
        ),
        (
            AssociationType::NpAssistantGrp,
            "Network Connector",
            "gen-network-connector-group",
        ),
        (
            AssociationType::SiteControllerGrp,
            "Site Controller",
            "gen-site-controller-group",
        ),
        (
            AssociationType::ExporterGrp,
            "Exporter",
            "gen-exporter-group",
        ),
    ] {
        let keys = t.keys(ty);
        assert_eq!(keys.len(), 1, "{ty}");
        assert_eq!(keys[0]["enrollmentCertName"], cert, "{ty}");
        assert_eq!(keys[0]["zcomponentName"], group, "{ty}");
    }
    // Fewer keys than types: the later types stay empty.
    let t = Tenant::generated(3);
    assert!(t.keys(AssociationType::SiteControllerGrp).is_empty());
    assert!(t.keys(AssociationType::ExporterGrp).is_empty());
}

#[test]
fn association_types_have_a_stable_order_and_exact_wire_names() {
    let names: Vec<&str> = AssociationType::ALL.iter().map(|t| t.as_str()).collect();
    assert_eq!(
        names,
        [
            "CONNECTOR_GRP",
            "SERVICE_EDGE_GRP",
            "NP_ASSISTANT_GRP",
            "SITE_CONTROLLER_GRP",
            "EXPORTER_GRP"
        ]
    );
    for (i, ty) in AssociationType::ALL.into_iter().enumerate() {
        assert_eq!(ty.index(), i);
        assert_eq!(AssociationType::from_wire(ty.as_str()), Some(ty));
        assert_eq!(ty.to_string(), ty.as_str());
    }
    for other in [
        "site_controller_grp",
        "EXPORTER",
        "SITE_CONTROLLER_GRP ",
        "",
    ] {
        assert_eq!(AssociationType::from_wire(other), None, "{other:?}");
    }
    assert_eq!(
        AssociationType::wire_names(),
        "CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP or EXPORTER_GRP"
    );
}

#[test]
fn tenant_files_hold_keys_of_every_type() {
    let t = Tenant::from_json_str(
        r#"{"customerId":"7","provisioningKeys":{
            "EXPORTER_GRP":[{"id":"5","name":"exp"},{"id":"6","name":"exp-2"}],
            "SITE_CONTROLLER_GRP":[{"id":"4","name":"pcc","microtenantId":"9"}],
            "CONNECTOR_GRP":[{"id":"1","name":"c"}],
            "SERVICE_EDGE_GRP":[{"id":"2","name":"s"}],
            "NP_ASSISTANT_GRP":[{"id":"3","name":"n"}]}}"#,
    )
    .unwrap();
    assert_eq!(t.key_count(), 6);
    let ids = |ty| -> Vec<&str> {
        t.keys(ty)
            .iter()
            .map(|k| k["id"].as_str().unwrap())
            .collect()
    };
    assert_eq!(ids(AssociationType::ConnectorGrp), ["1"]);
    assert_eq!(ids(AssociationType::ServiceEdgeGrp), ["2"]);
    assert_eq!(ids(AssociationType::NpAssistantGrp), ["3"]);
    assert_eq!(ids(AssociationType::SiteControllerGrp), ["4"]);
    assert_eq!(ids(AssociationType::ExporterGrp), ["5", "6"]);

    // The new types are checked like the others: ids unique across all five types,
    // keys validated, and an unknown type names every known one.
    let dup = r#"{"customerId":"1","provisioningKeys":{
        "SITE_CONTROLLER_GRP":[{"id":"5","name":"a"}],
        "EXPORTER_GRP":[{"id":"5","name":"b"}]}}"#;
    assert!(err(dup).contains(
        "EXPORTER_GRP[0]: id \"5\" is already used by provisioningKeys.SITE_CONTROLLER_GRP[0]"
    ));
    assert!(
        err(r#"{"customerId":"1","provisioningKeys":{"EXPORTER_GRP":[{"id":"x","name":"a"}]}}"#)
            .contains("EXPORTER_GRP[0]: \"id\" must be a string of digits")
    );
    let unknown = err(r#"{"customerId":"1","provisioningKeys":{"PCC_GRP":[]}}"#);
    for ty in AssociationType::ALL {
        assert!(unknown.contains(ty.as_str()), "{unknown}");
    }
}
