//! Hostile cases (issue 10), written as an attacker would, against CLI.md: servers that lie or
//! echo secrets, absurd numbers, misconfigured secrets, a profile's secret command that
//! misbehaves, special files, signals, closed descriptors. Every run also passes the common
//! checks of `support::hostile` (no panic, documented exit code, peak RSS < 50 MiB, no secret
//! in stdout or stderr) and prints a one-line summary.

mod credentials;
mod files;
mod network;
mod signals;

use std::path::PathBuf;

use crate::support::hostile::{CLIENT_ID, CUSTOMER, HostileServer, VANITY, chmod};

/// A config file with one profile `p` pointing at `server`, laid out as a careful person
/// would (directory 0700, file 0600), under a temporary XDG_CONFIG_HOME.
pub struct ProfileConfig {
    pub home: tempfile::TempDir,
    /// `$XDG_CONFIG_HOME/zpakey`
    pub dir: PathBuf,
    /// `$XDG_CONFIG_HOME/zpakey/config.toml`
    pub file: PathBuf,
}

impl ProfileConfig {
    pub fn new(server: &HostileServer, secret_command: Option<&[&str]>) -> ProfileConfig {
        let home = tempfile::tempdir().expect("temporary directory");
        let dir = home.path().join("zpakey");
        std::fs::create_dir(&dir).expect("config directory");
        chmod(&dir, 0o700);
        let file = dir.join("config.toml");
        // JSON strings are valid TOML basic strings for what these hold.
        let quote = |s: &str| serde_json::to_string(s).expect("quote");
        let mut text = format!(
            "[profiles.p]\nclient_id = {}\nvanity_domain = {}\ncustomer_id = {}\napi_url = {}\nauth_url = {}\n",
            quote(CLIENT_ID),
            quote(VANITY),
            quote(CUSTOMER),
            quote(&server.base_url()),
            quote(&server.token_url()),
        );
        if let Some(command) = secret_command {
            let parts: Vec<String> = command.iter().map(|s| quote(s)).collect();
            text.push_str(&format!("client_secret_command = [{}]\n", parts.join(", ")));
        }
        std::fs::write(&file, text).expect("write config");
        chmod(&file, 0o600);
        ProfileConfig { home, dir, file }
    }

    /// The environment of a run that uses only the profile: PATH and XDG_CONFIG_HOME.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("PATH".into(), "/usr/bin:/bin".into()),
            (
                "XDG_CONFIG_HOME".into(),
                self.home.path().to_string_lossy().into_owned(),
            ),
        ]
    }
}

/// `get --id 58856 --type connector --field id`, the simplest complete lookup.
pub const GET: [&str; 7] = crate::support::GET_58856;
