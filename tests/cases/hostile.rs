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

/// The runner itself: the peak RSS it reports is zpakey's, not that of the test process, made
/// larger than the limit on purpose here (wait4 called by the test process would report it).
#[test]
fn the_runner_measures_zpakey_not_the_test_process() {
    use crate::support::hostile::{Leaks, MAX_RSS_KIB, Zpakey};
    let ballast = vec![1u8; 2 * MAX_RSS_KIB as usize * 1024];
    let run = Zpakey::new(&[]).arg("--version").run();
    std::hint::black_box(&ballast);
    run.check(
        "self-check: --version beside 100 MiB of test-process memory",
        &[0],
        &Leaks::hostile(),
        None,
    );
}

/// The leak checks themselves: a 24-character piece of key material is a leak, the key value
/// on the stdout of a successful reveal is not, and a secret in stderr always is.
#[test]
fn the_leak_checks_catch_pieces_of_secrets() {
    use crate::support::hostile::{Leaks, TOKEN, key_value, material_of};
    let value = key_value(1);
    let leaks = Leaks::hostile();
    let piece = &material_of(&value)[100..124];
    assert_eq!(leaks.found_in(&format!("x {piece} y")).len(), 1);
    assert_eq!(leaks.found_in(&material_of(&value)[100..123]).len(), 0);
    assert_eq!(leaks.found_in(&format!("token={TOKEN}")).len(), 1);
    let run = crate::support::hostile::Run {
        code: Some(0),
        signal: None,
        core_dumped: false,
        sent: Vec::new(),
        hung: false,
        guard: std::time::Duration::from_secs(60),
        stdout: format!("{value}\n"),
        stderr: String::new(),
        wall: std::time::Duration::ZERO,
        peak_rss_kib: 1,
    };
    assert!(
        run.problems("self-check: reveal", &[0], &leaks, Some(&value))
            .is_empty()
    );
    assert_eq!(run.problems("self-check: get", &[0], &leaks, None).len(), 1);
}
