//! The provisioning key as zpakey understands it: its association type, its metadata, its
//! health, and its secret value kept apart from everything that is printed.

use std::fmt;
use std::time::SystemTime;

use secrecy::SecretString;

/// The association types ZPA files provisioning keys under. There is no endpoint that spans
/// them, so zpakey asks each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(clippy::enum_variant_names)] // named after the wire values, which all end in _GRP
pub(crate) enum KeyType {
    ConnectorGrp,
    ExporterGrp,
    NpAssistantGrp,
    ServiceEdgeGrp,
    SiteControllerGrp,
}

impl KeyType {
    /// Every type, in the order `list` sorts them (alphabetical by wire name). ZPA has five:
    /// App Connector, Private Service Edge, Network Connector (NP assistant), Private Cloud
    /// Controller (site controller) and exporter groups.
    pub(crate) const ALL: [KeyType; 5] = [
        KeyType::ConnectorGrp,
        KeyType::ExporterGrp,
        KeyType::NpAssistantGrp,
        KeyType::ServiceEdgeGrp,
        KeyType::SiteControllerGrp,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            KeyType::ConnectorGrp => "CONNECTOR_GRP",
            KeyType::ExporterGrp => "EXPORTER_GRP",
            KeyType::NpAssistantGrp => "NP_ASSISTANT_GRP",
            KeyType::ServiceEdgeGrp => "SERVICE_EDGE_GRP",
            KeyType::SiteControllerGrp => "SITE_CONTROLLER_GRP",
        }
    }

    /// The short name `--type` also accepts for this type.
    pub(crate) fn alias(self) -> &'static str {
        match self {
            KeyType::ConnectorGrp => "connector",
            KeyType::ExporterGrp => "exporter",
            KeyType::NpAssistantGrp => "np-assistant",
            KeyType::ServiceEdgeGrp => "service-edge",
            KeyType::SiteControllerGrp => "site-controller",
        }
    }

    /// Every spelling `--type` accepts, wire names first: the one list behind parsing, help
    /// and completions.
    pub(crate) fn spellings() -> impl Iterator<Item = &'static str> {
        KeyType::ALL
            .iter()
            .map(|t| t.as_str())
            .chain(KeyType::ALL.iter().map(|t| t.alias()))
    }

    /// Parses the wire names and the aliases, in any case, or an unambiguous beginning of one
    /// of at least two letters (`np`, `site`, `exp`): nobody should have to type
    /// `NP_ASSISTANT_GRP`, on the command line or in a template.
    pub(crate) fn parse(text: &str) -> Option<KeyType> {
        let exact = KeyType::ALL.into_iter().find(|t| {
            t.as_str().eq_ignore_ascii_case(text) || t.alias().eq_ignore_ascii_case(text)
        });
        if exact.is_some() || text.len() < 2 {
            return exact;
        }
        let lower = text.to_ascii_lowercase();
        let mut found = KeyType::ALL.into_iter().filter(|t| {
            t.alias().starts_with(&lower) || t.as_str().to_ascii_lowercase().starts_with(&lower)
        });
        match (found.next(), found.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }
}

/// Checks a ZPA id: digits only, at most 19 of them (ids are 64-bit, kept as strings because
/// they do not fit in an f64). The one check for key, customer and microtenant ids alike.
pub(crate) fn parse_id(value: &str) -> Result<&str, &'static str> {
    if value.is_empty() {
        return Err("an id cannot be empty");
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err("ZPA ids are digits only, e.g. 58856");
    }
    if value.len() > 19 {
        return Err("ZPA ids have at most 19 digits");
    }
    Ok(value)
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One provisioning key, with its value (if the API sent it) held as a secret.
#[derive(Debug, Clone)]
pub(crate) struct Key {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) key_type: KeyType,
    pub(crate) enabled: bool,
    pub(crate) max_usage: Option<u64>,
    pub(crate) usage_count: Option<u64>,
    pub(crate) exportable: Option<bool>,
    pub(crate) zcomponent_id: Option<String>,
    pub(crate) zcomponent_name: Option<String>,
    pub(crate) enrollment_cert_id: Option<String>,
    pub(crate) enrollment_cert_name: Option<String>,
    pub(crate) ip_acl: Vec<String>,
    pub(crate) expiration_time: Option<i64>,
    pub(crate) creation_time: Option<i64>,
    pub(crate) modified_time: Option<i64>,
    pub(crate) modified_by: Option<String>,
    pub(crate) microtenant_id: Option<String>,
    pub(crate) microtenant_name: Option<String>,
    pub(crate) app_connector_group_id: Option<String>,
    pub(crate) app_connector_group_name: Option<String>,
    /// The enrollment secret. `None` when the API withholds it (`exportable: false`).
    pub(crate) value: Option<SecretString>,
}

/// What is wrong with a key, in the words zpakey prints and the codes JSON carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    Disabled,
    UsedUp {
        used: u64,
        max: u64,
    },
    Expired {
        at: i64,
    },
    /// Created with `exportable: false`: it can enroll, but ZPA never hands out its value.
    NotExportable,
}

impl Key {
    /// Everything wrong with this key now; empty when it is fine.
    pub(crate) fn problems(&self, now: SystemTime) -> Vec<Problem> {
        let mut problems = Vec::new();
        if !self.enabled {
            problems.push(Problem::Disabled);
        }
        if let Some(max) = self.max_usage {
            let used = self.usage_count.unwrap_or(0);
            if used >= max {
                problems.push(Problem::UsedUp { used, max });
            }
        }
        if let Some(at) = self.expiration_time
            && at <= crate::time::epoch_secs(now)
        {
            problems.push(Problem::Expired { at });
        }
        if self.exportable == Some(false) {
            problems.push(Problem::NotExportable);
        }
        problems
    }

    /// Whether the key can enroll something (CLI.md "Key health"): enabled, not used up, not
    /// expired. Whether its value can be read is another matter (`problems`).
    pub(crate) fn usable(&self, now: SystemTime) -> bool {
        self.problems(now).iter().all(|p| !p.blocks_enrollment())
    }

    /// Enrollments left: `max_usage - usage_count`, when the key has a maximum.
    pub(crate) fn remaining_uses(&self) -> Option<u64> {
        self.max_usage
            .map(|max| max.saturating_sub(self.usage_count.unwrap_or(0)))
    }

    /// The order keys are shown in (`list`, and candidates of an ambiguous lookup): by type's
    /// wire name, then name, then id as a number (ids are digit strings of varying length).
    pub(crate) fn display_order(a: &Key, b: &Key) -> std::cmp::Ordering {
        (a.key_type.as_str(), &a.name, a.id.len(), &a.id).cmp(&(
            b.key_type.as_str(),
            &b.name,
            b.id.len(),
            &b.id,
        ))
    }

    /// The group this key enrolls into, for the table.
    pub(crate) fn group(&self) -> Option<&str> {
        self.zcomponent_name
            .as_deref()
            .or(self.app_connector_group_name.as_deref())
    }
}

impl Problem {
    /// The stable code in JSON's `problems`.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Problem::Disabled => "disabled",
            Problem::UsedUp { .. } => "used_up",
            Problem::Expired { .. } => "expired",
            Problem::NotExportable => "not_exportable",
        }
    }

    /// The words of a table cell.
    pub(crate) fn short(&self) -> &'static str {
        match self {
            Problem::Disabled => "disabled",
            Problem::UsedUp { .. } => "used up",
            Problem::Expired { .. } => "expired",
            Problem::NotExportable => "not exportable",
        }
    }

    /// Whether the key cannot enroll anything because of it.
    pub(crate) fn blocks_enrollment(&self) -> bool {
        !matches!(self, Problem::NotExportable)
    }

    pub(crate) fn describe(&self, name: &str) -> String {
        match self {
            Problem::Disabled => format!("key '{name}' is disabled"),
            Problem::UsedUp { used, max } => {
                format!("key '{name}' has been used {used} of {max} times")
            }
            Problem::Expired { at } => format!(
                "key '{name}' expired at {}",
                crate::time::rfc3339(*at).unwrap_or_else(|| at.to_string())
            ),
            Problem::NotExportable => format!(
                "key '{name}' is not exportable: ZPA withholds its value (it was created with exportable=false)"
            ),
        }
    }
}

/// A plain key for tests elsewhere: enabled, 3 of 10 uses, exportable, no expiry.
#[cfg(test)]
pub(crate) fn sample() -> Key {
    tests::key()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    pub(super) fn key() -> Key {
        Key {
            id: "1".into(),
            name: "k".into(),
            key_type: KeyType::ConnectorGrp,
            enabled: true,
            max_usage: Some(10),
            usage_count: Some(3),
            exportable: Some(true),
            zcomponent_id: None,
            zcomponent_name: None,
            enrollment_cert_id: None,
            enrollment_cert_name: None,
            ip_acl: vec![],
            expiration_time: None,
            creation_time: None,
            modified_time: None,
            modified_by: None,
            microtenant_id: None,
            microtenant_name: None,
            app_connector_group_id: None,
            app_connector_group_name: None,
            value: None,
        }
    }

    #[test]
    fn types_by_unambiguous_beginning() {
        assert_eq!(KeyType::parse("np"), Some(KeyType::NpAssistantGrp));
        assert_eq!(KeyType::parse("SITE"), Some(KeyType::SiteControllerGrp));
        assert_eq!(KeyType::parse("exp"), Some(KeyType::ExporterGrp));
        assert_eq!(KeyType::parse("conn"), Some(KeyType::ConnectorGrp));
        assert_eq!(KeyType::parse("s"), None, "too short");
        assert_eq!(KeyType::parse("se"), Some(KeyType::ServiceEdgeGrp));
        assert_eq!(KeyType::parse("si"), Some(KeyType::SiteControllerGrp));
        assert_eq!(KeyType::parse("edge"), None, "not a beginning");
    }

    #[test]
    fn type_names_and_aliases() {
        assert_eq!(KeyType::parse("connector"), Some(KeyType::ConnectorGrp));
        assert_eq!(
            KeyType::parse("Service-Edge"),
            Some(KeyType::ServiceEdgeGrp)
        );
        assert_eq!(
            KeyType::parse("np_assistant_grp"),
            Some(KeyType::NpAssistantGrp)
        );
        assert_eq!(KeyType::parse("edge"), None);
        for t in KeyType::ALL {
            assert_eq!(KeyType::parse(t.as_str()), Some(t));
        }
    }

    #[test]
    fn health_rules() {
        let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        assert!(key().usable(now));
        let mut k = key();
        k.enabled = false;
        assert_eq!(k.problems(now), vec![Problem::Disabled]);
        let mut k = key();
        k.usage_count = Some(10);
        assert_eq!(k.problems(now), vec![Problem::UsedUp { used: 10, max: 10 }]);
        let mut k = key();
        k.expiration_time = Some(1_700_000_000);
        assert_eq!(
            k.problems(now),
            vec![Problem::Expired { at: 1_700_000_000 }]
        );
        k.expiration_time = Some(1_900_000_000);
        assert!(k.usable(now));
        assert_eq!(
            Problem::UsedUp { used: 10, max: 10 }.describe("edge-prod"),
            "key 'edge-prod' has been used 10 of 10 times"
        );
    }
}
