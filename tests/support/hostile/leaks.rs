//! The secrets a run must never print, whole or as any long fragment.

use std::collections::HashSet;

use super::*;

/// Secrets to look for in output: some whole, some also as any 24-character piece (key
/// material and private keys, of which a long fragment is as bad as the whole).
#[derive(Debug, Clone, Default)]
pub struct Leaks {
    whole: Vec<(String, String)>,
    pieces: Vec<(String, String)>,
}

/// The length of the fragments of key material that count as a leak.
pub const PIECE: usize = 24;

impl Leaks {
    /// The hostile tenant's secrets: client secret, token, the default keys' material, and
    /// the demo private key's PEM body lines.
    pub fn hostile() -> Leaks {
        let mut leaks = Leaks::default()
            .secret("the client secret", CLIENT_SECRET)
            .secret("the access token", TOKEN)
            .pem_lines();
        for key in default_keys() {
            if let Some(value) = key["provisioningKey"].as_str() {
                leaks = leaks.key(value);
            }
        }
        leaks
    }

    /// A simulator's secrets: both client secrets, every token it issued so far, every key's
    /// material, and the demo private key. Build it after the run, for the tokens.
    pub fn of_sim(sim: &zpa_sim::SimHandle) -> Leaks {
        let creds = sim.tenant().credentials();
        let mut leaks = Leaks::default()
            .secret("the client secret", &creds.client_secret)
            .secret("the legacy client secret", &creds.legacy_client_secret)
            .pem_lines();
        for token in sim.issued_tokens() {
            leaks = leaks.secret("an access token", &token);
        }
        for value in crate::support::key_values(sim.tenant()) {
            leaks = leaks.key(&value);
        }
        leaks
    }

    pub fn secret(mut self, label: &str, value: &str) -> Leaks {
        if !value.is_empty() {
            self.whole.push((label.to_owned(), value.to_owned()));
        }
        self
    }

    /// A secret whose every 24-character piece is secret too.
    pub fn secret_pieces(mut self, label: &str, value: &str) -> Leaks {
        self = self.secret(label, value);
        if value.len() >= PIECE {
            self.pieces.push((label.to_owned(), value.to_owned()));
        }
        self
    }

    /// A provisioning key value: its material, whole and in pieces.
    pub fn key(self, value: &str) -> Leaks {
        let material = material_of(value).to_owned();
        self.secret_pieces(&format!("key material of {}…", short(value)), &material)
    }

    /// The client assertions a hostile server received.
    pub fn assertions(mut self, server: &HostileServer) -> Leaks {
        for assertion in server.assertions() {
            self = self.secret("a client assertion", &assertion);
        }
        self
    }

    fn pem_lines(mut self) -> Leaks {
        let pem = std::fs::read_to_string(crate::support::private_key("demo_client_key.pem"))
            .expect("demo private key");
        for line in pem
            .lines()
            .filter(|l| !l.starts_with("-----") && !l.is_empty())
        {
            self = self.secret("a line of the private key", line);
        }
        self
    }

    /// The labels of the secrets that appear in `text`.
    pub fn found_in(&self, text: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for (label, value) in &self.whole {
            if text.contains(value.as_str()) && !found.contains(label) {
                found.push(label.clone());
            }
        }
        let windows: HashSet<&[u8]> = text.as_bytes().windows(PIECE).collect();
        for (label, value) in &self.pieces {
            let piece = format!("a {PIECE}-character piece of {label}");
            if !found.contains(label)
                && value.as_bytes().windows(PIECE).any(|w| windows.contains(w))
                && !found.contains(&piece)
            {
                found.push(piece);
            }
        }
        found
    }
}

fn short(value: &str) -> String {
    value
        .chars()
        .take(32)
        .collect::<String>()
        .escape_default()
        .to_string()
}
