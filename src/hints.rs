//! Remembers which association type each key id was last found under, so that a lookup by id
//! without `--type` (the usual second step of a CI job: `get --name … --field id`, then
//! `reveal --id …`) asks one type instead of all of them: fewer GETs against the tenant's
//! shared rate limit. A hint is only a first guess; a wrong one costs one request.
//!
//! Ids and types are not secret; the file lives with the pacing state in the private runtime
//! directory, one per tenant.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;

use crate::key::KeyType;
use crate::log;
use crate::{paths, perms};

/// The most ids remembered per tenant (the newest win); a few hundred KiB at most.
pub(crate) const MAX_ENTRIES: usize = 4096;

pub(crate) struct Hints {
    path: Option<PathBuf>,
}

impl Hints {
    /// The hints of the tenant `tenant` names (API base and customer id); none when there is
    /// no private runtime directory.
    pub(crate) fn open(tenant: &[&str]) -> Hints {
        let path = paths::private_runtime_dir()
            .ok()
            .map(|dir| dir.join(format!("types-{}.txt", paths::tag(tenant))));
        Hints { path }
    }

    /// The type key `id` was last found under.
    pub(crate) fn type_of(&self, id: &str) -> Option<KeyType> {
        self.read()
            .into_iter()
            .rev()
            .find(|(known, _)| known == id)
            .map(|(_, key_type)| key_type)
    }

    /// Records where keys were found. Best effort: a failure costs only a later request.
    pub(crate) fn remember<'a>(&self, found: impl IntoIterator<Item = (&'a str, KeyType)>) {
        let Some(path) = &self.path else {
            return;
        };
        let mut entries = self.read();
        let known: HashMap<&str, KeyType> =
            entries.iter().map(|(id, t)| (id.as_str(), *t)).collect();
        let found: Vec<(String, KeyType)> = found
            .into_iter()
            .filter(|(id, t)| known.get(id) != Some(t))
            .map(|(id, t)| (id.to_owned(), t))
            .collect();
        if found.is_empty() {
            return;
        }
        // Once, not per key: a 10,000-key list remembers them all.
        let moved: HashSet<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
        entries.retain(|(id, _)| !moved.contains(id.as_str()));
        entries.extend(found.iter().cloned());
        let skip = entries.len().saturating_sub(MAX_ENTRIES);
        let mut text = String::new();
        for (id, key_type) in &entries[skip..] {
            text.push_str(&format!("{id} {key_type}\n"));
        }
        // Written in place, in one write: a reader that catches it half-written skips the
        // lines it cannot parse, and a lost hint costs only a request later.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options
            .open(path)
            .and_then(|mut file| file.write_all(text.as_bytes()));
        if let Err(e) = written {
            log::debug(format_args!("could not remember key types: {e}"));
        }
    }

    /// The remembered (id, type) pairs, oldest first; lines that do not parse are skipped.
    fn read(&self) -> Vec<(String, KeyType)> {
        let Some(text) = self
            .path
            .as_ref()
            .and_then(|p| perms::read_owner_only(p))
            .and_then(|bytes| String::from_utf8(bytes).ok())
        else {
            return Vec::new();
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut entries: Vec<(String, KeyType)> = Vec::new();
        for line in text.lines() {
            let Some((id, ty)) = line.split_once(' ') else {
                continue;
            };
            let (Ok(id), Some(key_type)) = (crate::key::parse_id(id), KeyType::parse(ty)) else {
                continue;
            };
            if let Some(&i) = seen.get(id) {
                entries[i].1 = key_type;
                continue;
            }
            seen.insert(id.to_owned(), entries.len());
            entries.push((id.to_owned(), key_type));
        }
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_the_latest_type_of_each_id() {
        let dir = tempfile::tempdir().unwrap();
        let hints = Hints {
            path: Some(dir.path().join("types.txt")),
        };
        assert_eq!(hints.type_of("1"), None);
        hints.remember([("1", KeyType::ConnectorGrp), ("2", KeyType::ServiceEdgeGrp)]);
        assert_eq!(hints.type_of("1"), Some(KeyType::ConnectorGrp));
        hints.remember([("1", KeyType::NpAssistantGrp)]);
        assert_eq!(hints.type_of("1"), Some(KeyType::NpAssistantGrp));
        assert_eq!(hints.type_of("2"), Some(KeyType::ServiceEdgeGrp));
        std::fs::write(
            dir.path().join("types.txt"),
            "junk\n3 NOPE\nx CONNECTOR_GRP\n4 CONNECTOR_GRP\n",
        )
        .unwrap();
        assert_eq!(hints.type_of("4"), Some(KeyType::ConnectorGrp));
        assert_eq!(hints.type_of("3"), None);
    }

    #[test]
    fn keeps_only_the_newest_entries() {
        let dir = tempfile::tempdir().unwrap();
        let hints = Hints {
            path: Some(dir.path().join("types.txt")),
        };
        let ids: Vec<String> = (0..MAX_ENTRIES + 10).map(|i| i.to_string()).collect();
        hints.remember(ids.iter().map(|i| (i.as_str(), KeyType::ConnectorGrp)));
        assert_eq!(hints.read().len(), MAX_ENTRIES);
        assert_eq!(hints.type_of("0"), None);
        assert_eq!(
            hints.type_of(&(MAX_ENTRIES + 9).to_string()),
            Some(KeyType::ConnectorGrp)
        );
    }
}
