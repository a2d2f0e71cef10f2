//! Shared test helpers: a simulator per test and a `zpakey` command that sees only the
//! environment a test gives it, so a developer's real credentials can never leak in.

#![allow(dead_code)]

pub mod hostile;

use std::time::Duration;

use assert_cmd::Command;
use zpa_sim::{EnvMode, Sim, SimHandle, Tenant};

/// A fresh demo tenant without the rate limit (tests that exercise it turn it on).
pub fn sim() -> SimHandle {
    Sim::builder()
        .rate_limit(false)
        .start()
        .expect("start zpa-sim")
}

pub fn sim_with(tenant: Tenant) -> SimHandle {
    Sim::builder()
        .tenant(tenant)
        .rate_limit(false)
        .start()
        .expect("start zpa-sim")
}

/// `zpakey` with an empty environment: no HOME, no proxies, no real credentials; only a
/// private runtime directory, shared by every test process, where concurrent runs share
/// their pacing as on a real machine.
pub fn bare() -> Command {
    let mut cmd = Command::cargo_bin("zpakey").expect("zpakey binary");
    cmd.env_clear()
        .env("XDG_RUNTIME_DIR", runtime_dir())
        .timeout(Duration::from_secs(60));
    cmd
}

/// The `XDG_RUNTIME_DIR` the tests give zpakey: private (0700), like the real one.
pub fn runtime_dir() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("runtime directory"))
        .path()
}

/// `zpakey` pointed at the simulator with OneAPI client-secret credentials.
pub fn zpakey(sim: &SimHandle) -> Command {
    with_env(sim, EnvMode::OneApi)
}

/// `zpakey` pointed at the simulator with legacy ZPA API credentials.
pub fn zpakey_legacy(sim: &SimHandle) -> Command {
    with_env(sim, EnvMode::Legacy)
}

pub fn with_env(sim: &SimHandle, mode: EnvMode) -> Command {
    let mut cmd = bare();
    for (name, value) in sim.env(mode) {
        cmd.env(name, value);
    }
    cmd
}

pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8 stderr")
}

/// Every key value of a tenant, for the leak assertions.
pub fn key_values(tenant: &Tenant) -> Vec<String> {
    zpa_sim::AssociationType::ALL
        .iter()
        .flat_map(|t| tenant.keys(*t).iter())
        .filter_map(|k| k["provisioningKey"].as_str().map(str::to_owned))
        .collect()
}

/// The value (`provisioningKey`) of the tenant's key with this id.
pub fn value_of(tenant: &Tenant, id: &str) -> String {
    zpa_sim::AssociationType::ALL
        .iter()
        .flat_map(|t| tenant.keys(*t).iter())
        .find(|k| k["id"] == id)
        .and_then(|k| k["provisioningKey"].as_str())
        .unwrap_or_else(|| panic!("key {id} with a value"))
        .to_owned()
}

/// The part of a key value that is secret (after `N|host|`).
pub fn material(value: &str) -> &str {
    value.splitn(3, '|').nth(2).expect("N|host|material")
}

/// Asserts that no key material (nor a long piece of it) appears in `text`.
pub fn assert_no_key_material(text: &str, tenant: &Tenant) {
    for value in key_values(tenant) {
        let secret = material(&value);
        assert!(
            !text.contains(secret),
            "key material leaked into output:\n{text}"
        );
        assert!(
            !text.contains(&secret[..24]),
            "a piece of key material leaked into output:\n{text}"
        );
    }
}

/// The arguments of the simplest complete lookup: one key, by id and type, one field.
/// `reveal` of demo key 58856, typed: one GET.
pub const REVEAL_58856: [&str; 5] = ["reveal", "--id", "58856", "--type", "connector"];

/// stdout as JSON, or a failure showing what it was.
pub fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout_of(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout_of(out)))
}

/// A file's permission bits.
#[cfg(unix)]
pub fn mode_of(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

pub const GET_58856: [&str; 7] = [
    "get",
    "--id",
    "58856",
    "--type",
    "connector",
    "--field",
    "id",
];

/// The OneAPI gateway's answer to a token it does not accept (the recorded body).
pub fn unauthorized() -> zpa_sim::Fault {
    zpa_sim::Fault::Status {
        status: 401,
        body: r#"{"detail": "unauthorized", "type": "", "title": "", "status": ""}"#.into(),
        content_type: "application/json".into(),
        headers: vec![],
    }
}

/// `zpakey` as a plain process with the simulator's environment and piped output, for tests
/// that need to signal it, close its stdout or run many at once.
pub fn process(sim: &SimHandle, args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("zpakey"));
    cmd.env_clear()
        .env("XDG_RUNTIME_DIR", runtime_dir())
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in sim.env(EnvMode::OneApi) {
        cmd.env(k, v);
    }
    cmd
}

/// A private copy (mode 0600, as a person keeps a key) of one of zpa-sim's test keys. The
/// repository's copies have whatever mode the checkout gave them (git keeps no modes), and
/// zpakey rightly warns about a key file that others can read.
pub fn private_key(name: &str) -> std::path::PathBuf {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("temporary directory"));
    let path = dir.path().join(name);
    if !path.exists() {
        let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/zpa-sim/keys")
            .join(name);
        // Written aside and renamed, so parallel tests never see a half-written key.
        let aside = dir
            .path()
            .join(format!("{name}.{:?}", std::thread::current().id()));
        std::fs::write(&aside, std::fs::read(source).expect("test key")).expect("copy key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&aside, std::fs::Permissions::from_mode(0o600))
                .expect("chmod key");
        }
        std::fs::rename(&aside, &path).expect("place key");
    }
    path
}

/// Writes `$dir/zpakey/config.toml` (0600, in a 0700 directory, as zpakey requires of a
/// config file) and returns its path.
#[cfg(unix)]
pub fn write_config(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let config = dir.join("zpakey");
    std::fs::create_dir_all(&config).expect("config directory");
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let path = config.join("config.toml");
    std::fs::write(&path, text).expect("config file");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    path
}

/// A file only its owner can read (so zpakey does not warn about it), holding `bytes`.
#[cfg(unix)]
pub fn private_file(path: &std::path::Path, bytes: &[u8]) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, bytes).expect("private file");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
}
