//! The data a simulated ZPA tenant holds: its customer id, the API credentials it accepts
//! and its provisioning keys, loaded from the API's own wire format so that a user can write
//! a tenant file by pasting real (or redacted) API responses.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde_json::{Map, Value};

const DEMO_TENANT_JSON: &str = include_str!("demo_tenant.json");
const DEMO_PUBLIC_KEY_PEM: &str = include_str!("../keys/demo_client_pub.pem");

/// Parsed once: every `Tenant::demo()` is a clone of this.
static DEMO: LazyLock<Tenant> = LazyLock::new(|| {
    Tenant::from_json_str(DEMO_TENANT_JSON).expect("the embedded demo tenant is valid")
});

/// The association types ZPA files provisioning keys under. The first three are those the
/// API docs and the Go SDK's `ProvisioningKeyAssociationTypes` list; the Terraform
/// provider's resource also accepts the last two, whose support by the server `API.md`
/// marks UNCONFIRMED (`SimBuilder::refuse_type` models a tenant that refuses them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AssociationType {
    /// App Connector groups.
    ConnectorGrp,
    /// Private Service Edge groups.
    ServiceEdgeGrp,
    /// Network (NP assistant) Connector groups.
    NpAssistantGrp,
    /// Private Cloud Controller (site controller) groups.
    SiteControllerGrp,
    /// Exporter groups.
    ExporterGrp,
}

impl AssociationType {
    /// Every type, in a stable order that is part of the API: the three the Go SDK tries,
    /// in its order (`CONNECTOR_GRP`, `SERVICE_EDGE_GRP`, `NP_ASSISTANT_GRP`), then
    /// `SITE_CONTROLLER_GRP` and `EXPORTER_GRP`. New types are only ever appended.
    pub const ALL: [AssociationType; 5] = [
        AssociationType::ConnectorGrp,
        AssociationType::ServiceEdgeGrp,
        AssociationType::NpAssistantGrp,
        AssociationType::SiteControllerGrp,
        AssociationType::ExporterGrp,
    ];

    /// The wire name, as it appears in API paths.
    pub fn as_str(self) -> &'static str {
        match self {
            AssociationType::ConnectorGrp => "CONNECTOR_GRP",
            AssociationType::ServiceEdgeGrp => "SERVICE_EDGE_GRP",
            AssociationType::NpAssistantGrp => "NP_ASSISTANT_GRP",
            AssociationType::SiteControllerGrp => "SITE_CONTROLLER_GRP",
            AssociationType::ExporterGrp => "EXPORTER_GRP",
        }
    }

    /// The type for an exact wire name; the API's path segment is case-sensitive.
    pub fn from_wire(name: &str) -> Option<AssociationType> {
        AssociationType::ALL
            .into_iter()
            .find(|t| t.as_str() == name)
    }

    /// The wire names of every type, in `ALL` order, for messages: "A, B, … or E".
    pub(crate) fn wire_names() -> String {
        let names: Vec<&str> = AssociationType::ALL.iter().map(|t| t.as_str()).collect();
        let (last, rest) = names.split_last().expect("ALL is not empty");
        format!("{} or {last}", rest.join(", "))
    }

    /// The position in `ALL`, which indexes a tenant's per-type key lists.
    fn index(self) -> usize {
        match self {
            AssociationType::ConnectorGrp => 0,
            AssociationType::ServiceEdgeGrp => 1,
            AssociationType::NpAssistantGrp => 2,
            AssociationType::SiteControllerGrp => 3,
            AssociationType::ExporterGrp => 4,
        }
    }
}

/// How many association types there are: the length of every per-type array.
const TYPE_COUNT: usize = AssociationType::ALL.len();

impl fmt::Display for AssociationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The API clients the tenant accepts: a OneAPI (ZIdentity) client with a secret and an
/// RSA public key for private-key JWT, and a legacy ZPA API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub client_id: String,
    pub client_secret: String,
    pub vanity_domain: String,
    pub legacy_client_id: String,
    pub legacy_client_secret: String,
    /// PEM text of the RSA public key that verifies private-key JWT client assertions.
    pub public_key_pem: String,
}

/// A tenant file could not be read or is not a valid tenant.
#[derive(Debug)]
pub enum TenantError {
    /// The file could not be read.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The text is not JSON.
    Json {
        path: Option<PathBuf>,
        source: serde_json::Error,
    },
    /// The JSON is not a valid tenant; `what` names the offending field.
    Invalid { path: Option<PathBuf>, what: String },
}

impl TenantError {
    fn invalid(what: impl Into<String>) -> TenantError {
        TenantError::Invalid {
            path: None,
            what: what.into(),
        }
    }

    fn with_path(self, file: &Path) -> TenantError {
        match self {
            TenantError::Json { source, .. } => TenantError::Json {
                path: Some(file.to_path_buf()),
                source,
            },
            TenantError::Invalid { what, .. } => TenantError::Invalid {
                path: Some(file.to_path_buf()),
                what,
            },
            io @ TenantError::Io { .. } => io,
        }
    }
}

impl fmt::Display for TenantError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TenantError::Io { path, source } => {
                write!(f, "cannot read tenant file {}: {source}", path.display())
            }
            TenantError::Json { path, source } => match path {
                Some(p) => write!(f, "tenant file {} is not valid JSON: {source}", p.display()),
                None => write!(f, "tenant is not valid JSON: {source}"),
            },
            TenantError::Invalid { path, what } => match path {
                Some(p) => write!(f, "invalid tenant file {}: {what}", p.display()),
                None => write!(f, "invalid tenant: {what}"),
            },
        }
    }
}

impl std::error::Error for TenantError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TenantError::Io { source, .. } => Some(source),
            TenantError::Json { source, .. } => Some(source),
            TenantError::Invalid { .. } => None,
        }
    }
}

/// A simulated tenant. Keys are kept as raw JSON objects, field order preserved, so the
/// simulator serves a recorded key exactly as the real API sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tenant {
    customer_id: String,
    credentials: Credentials,
    /// Indexed by `AssociationType::index`.
    keys: [Vec<Value>; TYPE_COUNT],
}

impl Tenant {
    /// The built-in demo tenant: the recorded keys plus keys that exercise every edge a
    /// client must handle (disabled, exhausted, expired, non-exportable, in a microtenant,
    /// duplicate names across types, names with spaces, punctuation and accents).
    pub fn demo() -> Tenant {
        DEMO.clone()
    }

    /// A tenant from the text of a tenant file (see the crate README for the format).
    pub fn from_json_str(text: &str) -> Result<Tenant, TenantError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|source| TenantError::Json { path: None, source })?;
        Tenant::from_value(value)
    }

    /// A tenant from a tenant file.
    pub fn from_file(path: &Path) -> Result<Tenant, TenantError> {
        let text = std::fs::read_to_string(path).map_err(|source| TenantError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Tenant::from_json_str(&text).map_err(|e| e.with_path(path))
    }

    /// A tenant with the demo customer and credentials and `n` synthetic keys, spread
    /// round-robin over every type in `AssociationType::ALL` order (key `i` goes to
    /// `ALL[i % 5]`). Deterministic: the same `n` gives the same keys.
    pub fn generated(n: usize) -> Tenant {
        let demo = Tenant::demo();
        let mut keys: [Vec<Value>; TYPE_COUNT] = Default::default();
        for i in 0..n {
            let ty = AssociationType::ALL[i % TYPE_COUNT];
            keys[ty.index()].push(generated_key(i, ty));
        }
        Tenant {
            customer_id: demo.customer_id,
            credentials: demo.credentials,
            keys,
        }
    }

    pub fn customer_id(&self) -> &str {
        &self.customer_id
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The stored key objects of one type, in tenant order, exactly as loaded.
    pub fn keys(&self, ty: AssociationType) -> &[Value] {
        &self.keys[ty.index()]
    }

    /// How many keys the tenant holds over all types.
    pub fn key_count(&self) -> usize {
        self.keys.iter().map(Vec::len).sum()
    }

    fn from_value(value: Value) -> Result<Tenant, TenantError> {
        let Value::Object(mut top) = value else {
            return Err(TenantError::invalid("the top level must be a JSON object"));
        };
        for field in top.keys() {
            if !matches!(
                field.as_str(),
                "customerId" | "credentials" | "provisioningKeys"
            ) {
                return Err(TenantError::invalid(format!(
                    "unknown top-level field {field:?} (expected customerId, credentials, provisioningKeys)"
                )));
            }
        }

        let customer_id = match top.remove("customerId") {
            Some(Value::String(id)) if is_digits(&id) => id,
            Some(_) => {
                return Err(TenantError::invalid(
                    "\"customerId\" must be a string of digits, e.g. \"216196257331281920\"",
                ));
            }
            None => return Err(TenantError::invalid("missing \"customerId\"")),
        };

        let credentials = parse_credentials(top.remove("credentials"))?;

        let Some(pk) = top.remove("provisioningKeys") else {
            return Err(TenantError::invalid(
                "missing \"provisioningKeys\" (use {} for a tenant without keys)",
            ));
        };
        let Value::Object(pk) = pk else {
            return Err(TenantError::invalid(
                "\"provisioningKeys\" must be an object keyed by association type",
            ));
        };

        let mut keys: [Vec<Value>; TYPE_COUNT] = Default::default();
        let mut seen_ids = std::collections::HashMap::new();
        for (type_name, list) in pk {
            let Some(ty) = AssociationType::from_wire(&type_name) else {
                return Err(TenantError::invalid(format!(
                    "provisioningKeys: unknown association type {type_name:?} (expected {})",
                    AssociationType::wire_names()
                )));
            };
            let Value::Array(list) = list else {
                return Err(TenantError::invalid(format!(
                    "provisioningKeys.{type_name} must be an array of key objects"
                )));
            };
            for (i, key) in list.into_iter().enumerate() {
                let at = format!("provisioningKeys.{type_name}[{i}]");
                validate_key(&key, &at)?;
                let id = key["id"].as_str().unwrap_or_default().to_owned();
                if let Some(first) = seen_ids.insert(id.clone(), at.clone()) {
                    return Err(TenantError::invalid(format!(
                        "{at}: id {id:?} is already used by {first} (ids are unique across all types)"
                    )));
                }
                keys[ty.index()].push(key);
            }
        }

        Ok(Tenant {
            customer_id,
            credentials,
            keys,
        })
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_credentials(value: Option<Value>) -> Result<Credentials, TenantError> {
    let mut creds = match value {
        None => return Ok(demo_credentials()),
        Some(Value::Object(map)) => map,
        Some(_) => return Err(TenantError::invalid("\"credentials\" must be an object")),
    };
    let demo = demo_credentials();
    let mut take = |field: &str, default: String| -> Result<String, TenantError> {
        match creds.remove(field) {
            None => Ok(default),
            Some(Value::String(s)) if !s.is_empty() => Ok(s),
            Some(_) => Err(TenantError::invalid(format!(
                "credentials.{field} must be a non-empty string"
            ))),
        }
    };
    let parsed = Credentials {
        client_id: take("clientId", demo.client_id)?,
        client_secret: take("clientSecret", demo.client_secret)?,
        vanity_domain: take("vanityDomain", demo.vanity_domain)?,
        legacy_client_id: take("legacyClientId", demo.legacy_client_id)?,
        legacy_client_secret: take("legacyClientSecret", demo.legacy_client_secret)?,
        public_key_pem: take("publicKeyPem", demo.public_key_pem)?,
    };
    if let Some(field) = creds.keys().next() {
        return Err(TenantError::invalid(format!(
            "unknown field credentials.{field} (expected clientId, clientSecret, vanityDomain, legacyClientId, legacyClientSecret, publicKeyPem)"
        )));
    }
    if jsonwebtoken::DecodingKey::from_rsa_pem(parsed.public_key_pem.as_bytes()).is_err() {
        return Err(TenantError::invalid(
            "credentials.publicKeyPem is not a PEM-encoded RSA public key",
        ));
    }
    Ok(parsed)
}

/// The demo credentials, read from the embedded demo tenant file so there is one source.
fn demo_credentials() -> Credentials {
    let value: Value = serde_json::from_str(DEMO_TENANT_JSON).expect("embedded demo tenant");
    let c = &value["credentials"];
    let s = |k: &str| c[k].as_str().expect("demo credential").to_owned();
    Credentials {
        client_id: s("clientId"),
        client_secret: s("clientSecret"),
        vanity_domain: s("vanityDomain"),
        legacy_client_id: s("legacyClientId"),
        legacy_client_secret: s("legacyClientSecret"),
        public_key_pem: DEMO_PUBLIC_KEY_PEM.to_owned(),
    }
}

fn validate_key(key: &Value, at: &str) -> Result<(), TenantError> {
    let Value::Object(obj) = key else {
        return Err(TenantError::invalid(format!("{at} must be a JSON object")));
    };
    match obj.get("id") {
        Some(Value::String(id)) if is_digits(id) => {}
        Some(_) => {
            return Err(TenantError::invalid(format!(
                "{at}: \"id\" must be a string of digits, as the API sends it (e.g. \"58856\")"
            )));
        }
        None => return Err(TenantError::invalid(format!("{at}: missing \"id\""))),
    }
    match obj.get("name") {
        Some(Value::String(_)) => {}
        Some(_) => {
            return Err(TenantError::invalid(format!(
                "{at}: \"name\" must be a string"
            )));
        }
        None => return Err(TenantError::invalid(format!("{at}: missing \"name\""))),
    }
    if let Some(mt) = obj.get("microtenantId")
        && !mt.is_string()
    {
        return Err(TenantError::invalid(format!(
            "{at}: \"microtenantId\" must be a string"
        )));
    }
    Ok(())
}

const BASE64_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn generated_key(i: usize, ty: AssociationType) -> Value {
    // Seeded per key so that key i is the same whatever n is.
    let mut rng = fastrand::Rng::with_seed(0x5A5A_0000 ^ i as u64);
    let material: String = (0..344)
        .map(|_| char::from(BASE64_ALPHABET[rng.usize(..BASE64_ALPHABET.len())]))
        .collect();
    let (cert_id, cert_name, group_id, group_name) = match ty {
        AssociationType::ConnectorGrp => (
            "6573",
            "Connector",
            "216196257331405001",
            "gen-connector-group",
        ),
        AssociationType::ServiceEdgeGrp => (
            "6574",
            "Service Edge",
            "216196257331405002",
            "gen-service-edge-group",
        ),
        AssociationType::NpAssistantGrp => (
            "6575",
            "Network Connector",
            "216196257331405003",
            "gen-network-connector-group",
        ),
        // No recording shows these types' certificates or groups: plausible stand-ins.
        AssociationType::SiteControllerGrp => (
            "6576",
            "Site Controller",
            "216196257331405004",
            "gen-site-controller-group",
        ),
        AssociationType::ExporterGrp => (
            "6577",
            "Exporter",
            "216196257331405005",
            "gen-exporter-group",
        ),
    };
    let time = (1_770_000_000 + i as u64).to_string();
    let mut obj = Map::new();
    let mut put = |k: &str, v: Value| {
        obj.insert(k.to_owned(), v);
    };
    put("id", Value::String((1_000_000 + i).to_string()));
    put("modifiedTime", Value::String(time.clone()));
    put("creationTime", Value::String(time));
    put("modifiedBy", Value::String("216196257331372705".into()));
    put("name", Value::String(format!("gen-key-{i:06}")));
    put("usageCount", Value::String((i % 5).to_string()));
    put("maxUsage", Value::String("10".into()));
    put("zcomponentId", Value::String(group_id.into()));
    put("enabled", Value::Bool(true));
    put("zcomponentName", Value::String(group_name.into()));
    put("exportable", Value::Bool(true));
    put("readOnly", Value::Bool(false));
    put("zscalerManaged", Value::Bool(false));
    put("enrollmentCertId", Value::String(cert_id.into()));
    put("enrollmentCertName", Value::String(cert_name.into()));
    put(
        "provisioningKey",
        Value::String(format!(
            "3|api.private.zscaler.com|{material}-{}",
            216_196_257_331_400_000u64 + i as u64
        )),
    );
    Value::Object(obj)
}

#[cfg(test)]
mod tests;
