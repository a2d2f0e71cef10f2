//! The opt-in token cache (`--token-cache`): one private file per sign-in identity under
//! `$XDG_CACHE_HOME/zpakey/`, so a CI job that calls zpakey several times pays for one
//! sign-in instead of one per call. A bearer token at rest is a trade-off the user opts into.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::log;
use crate::{paths, perms};

/// A cached token is reused only while it has at least this long to live.
pub(crate) const MIN_REMAINING: Duration = Duration::from_secs(60);

pub(crate) struct TokenCache {
    path: PathBuf,
}

#[derive(Deserialize)]
struct Entry {
    access_token: SecretString,
    expires_at: u64,
}

/// Serializes only when writing the cache file, the one place a token is stored on purpose.
#[derive(Serialize)]
struct EntryOut<'a> {
    access_token: &'a str,
    expires_at: u64,
}

impl TokenCache {
    /// The cache for this identity, or `None` (with a warning) when there is no safe place.
    pub(crate) fn open(identity: &[&str]) -> Option<TokenCache> {
        let Some(dir) = paths::cache_dir(&paths::process_vars) else {
            log::warn(format_args!(
                "not caching the token: neither XDG_CACHE_HOME nor HOME is set"
            ));
            return None;
        };
        if let Err(e) = perms::private_dir(&dir) {
            log::warn(format_args!(
                "not caching the token: {} ({e})",
                dir.display()
            ));
            return None;
        }
        let name = paths::tag(identity);
        Some(TokenCache {
            path: dir.join(format!("token-{name}.json")),
        })
    }

    /// A cached token with enough life left, and how long it has.
    pub(crate) fn load(&self) -> Option<(SecretString, Duration)> {
        let mut file = fs::File::open(&self.path).ok()?;
        // Judged on the file as opened, before a byte of the token is read.
        if !perms::owner_only(&file.metadata().ok()?) {
            log::warn(format_args!(
                "ignoring {}: others can read it",
                self.path.display()
            ));
            return None;
        }
        let mut bytes = Zeroizing::new(Vec::new());
        std::io::Read::read_to_end(&mut file, &mut bytes).ok()?;
        let entry: Entry = match serde_json::from_slice(&bytes) {
            Ok(entry) => entry,
            Err(e) => {
                log::debug(format_args!("ignoring unreadable token cache: {e}"));
                return None;
            }
        };
        let remaining = Duration::from_secs(entry.expires_at.saturating_sub(now_secs()));
        if remaining > super::signin::MAX_TOKEN_LIFETIME {
            // No token lives this long: the file was written by a broken server's answer, or
            // by someone else. Sign in again rather than trust it.
            log::debug(format_args!(
                "ignoring the cached token: it claims {} s to live",
                remaining.as_secs()
            ));
            self.discard();
            return None;
        }
        if remaining < MIN_REMAINING {
            log::debug(format_args!("the cached token is about to expire"));
            return None;
        }
        log::debug(format_args!(
            "using the cached token ({} s left)",
            remaining.as_secs()
        ));
        crate::redact::register_secret(&entry.access_token);
        Some((entry.access_token, remaining))
    }

    /// Stores the token in a 0600 file, atomically; failures only cost the next run a sign-in.
    pub(crate) fn store(&self, token: &SecretString, lifetime: Duration) {
        let entry = EntryOut {
            // Exposed to write the cache file the user asked for (--token-cache).
            access_token: token.expose_secret(),
            expires_at: now_secs().saturating_add(lifetime.as_secs()),
        };
        let result = (|| -> std::io::Result<()> {
            let dir = self.path.parent().unwrap_or(Path::new("."));
            let mut file = tempfile::Builder::new()
                .prefix(".token-")
                .tempfile_in(dir)?;
            serde_json::to_writer(&mut file, &entry)?;
            file.flush()?;
            file.persist(&self.path).map_err(|e| e.error)?;
            Ok(())
        })();
        if let Err(e) = result {
            log::debug(format_args!("could not cache the token: {e}"));
        }
    }

    /// Forgets the token after the API refused it.
    pub(crate) fn discard(&self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Never negative: `epoch_secs` is 0 for a clock before the epoch.
fn now_secs() -> u64 {
    crate::time::epoch_secs(SystemTime::now()).unsigned_abs()
}
