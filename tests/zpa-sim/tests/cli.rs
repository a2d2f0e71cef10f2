//! The `zpa-sim` command: serve mode prints the environment and serves until SIGTERM;
//! `exec` runs a command against a fresh simulator and passes its exit status on.

mod common;

#[path = "cli/exec.rs"]
mod exec;
#[path = "cli/serve.rs"]
mod serve;
#[path = "cli/usage.rs"]
mod usage;

use std::process::Command;

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_zpa-sim");

fn zpa_sim() -> Command {
    let mut cmd = Command::new(BIN);
    // A stale environment must not leak into what exec hands the child.
    cmd.env("ZPA_CLIENT_ID", "stale-legacy-id")
        .env("ZSCALER_CLOUD", "beta")
        .env("ZPA_MICROTENANT_ID", "123")
        .env("ZSCALER_CLIENT_SECRET_FILE", "/nonexistent")
        .env("ZSCALER_PRIVATE_KEY", "/nonexistent.pem")
        .env("ZSCALER_CLIENT_ID", "stale-oneapi-id");
    cmd
}

/// Parses `export NAME='value'` lines (values without embedded quotes).
fn parse_export(line: &str) -> (String, String) {
    let rest = line
        .strip_prefix("export ")
        .unwrap_or_else(|| panic!("{line}"));
    let (name, value) = rest.split_once('=').unwrap();
    let value = value
        .strip_prefix('\'')
        .unwrap()
        .strip_suffix('\'')
        .unwrap();
    (name.to_owned(), value.to_owned())
}
