//! What a newcomer sees when the settings are incomplete or a secret cannot be read: messages
//! that name the file and the profile in plain words, a pointer to the profiles of the config
//! file when none is selected, and an `auth status` that still shows every setting it could
//! work out.

#![cfg(unix)]

use std::path::Path;

use crate::support::{bare, sim, stderr_of, stdout_of};

/// Writes `$dir/zpakey/config.toml` (0600, in a 0700 directory, as zpakey requires).
fn write_config(dir: &Path, text: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let config = dir.join("zpakey");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o700)).unwrap();
    let path = config.join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

/// A private file holding `bytes`.
fn private_file(path: &Path, bytes: &[u8]) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, bytes).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

#[test]
fn a_profile_secret_file_that_fails_is_named_once_with_its_profile() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    private_file(&empty, b"\n");
    let binary = dir.path().join("binary");
    private_file(&binary, &[0xff, 0xfe]);
    let missing = dir.path().join("missing");
    let creds = sim.tenant().credentials();
    let profile = |setting: &str, path: &Path| {
        format!(
            "[profiles.lab]\nclient_id = \"{}\"\ncustomer_id = \"{}\"\napi_url = \"{}\"\nauth_url = \"{}\"\n{setting} = \"{}\"\n",
            creds.client_id,
            sim.tenant().customer_id(),
            sim.base_url(),
            sim.token_url(),
            path.display()
        )
    };
    for (setting, path, why) in [
        ("client_secret_file", &missing, ": no such file".to_owned()),
        ("client_secret_file", &empty, " is empty".to_owned()),
        (
            "client_secret_file",
            &binary,
            " is not UTF-8 text".to_owned(),
        ),
        ("private_key_file", &missing, ": no such file".to_owned()),
        ("private_key_file", &empty, " is empty".to_owned()),
    ] {
        write_config(dir.path(), &profile(setting, path));
        let expected = if why.starts_with(':') {
            format!(
                "zpakey: error: cannot read the {setting} of profile 'lab' ({}){why}\n",
                path.display()
            )
        } else {
            format!(
                "zpakey: error: the {setting} of profile 'lab' ({}){why}\n",
                path.display()
            )
        };
        bare()
            .env("XDG_CONFIG_HOME", dir.path())
            .args(["--profile", "lab", "list"])
            .assert()
            .code(3)
            .stdout("")
            .stderr(expected);
    }
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[test]
fn secret_files_named_by_a_variable_are_named_once_too() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("binary");
    private_file(&binary, &[0xff, 0xfe]);
    let empty = dir.path().join("empty");
    private_file(&empty, b"");
    for (var, path, why) in [
        ("ZSCALER_CLIENT_SECRET_FILE", &binary, "is not UTF-8 text"),
        ("ZSCALER_PRIVATE_KEY", &empty, "is empty"),
    ] {
        bare()
            .env("ZSCALER_CLIENT_ID", "someone")
            .env("ZSCALER_VANITY_DOMAIN", "acme")
            .env("ZPA_CUSTOMER_ID", "42")
            .env(var, path)
            .arg("list")
            .assert()
            .code(3)
            .stdout("")
            .stderr(format!(
                "zpakey: error: the file {var} names ({}) {why}\n",
                path.display()
            ));
    }
}

const ONEAPI_SET_HINT: &str = "hint: set ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET (or ZSCALER_CLIENT_SECRET_FILE, or ZSCALER_PRIVATE_KEY), ZSCALER_VANITY_DOMAIN and ZPA_CUSTOMER_ID; for the legacy API pass --legacy\n";
const CUSTOMER_HINT: &str = "hint: the customer id is on the ZPA admin portal under Configuration & Control > Public API > API Keys\n";

#[test]
fn missing_settings_point_at_the_profiles_of_the_config_file() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join(".config");
    write_config(
        &config,
        "[profiles.prod]\nclient_id = \"p\"\n\n[profiles.gov]\ncloud = \"gov\"\n",
    );
    // Nothing in the environment: the error names the variables and the profiles.
    bare()
        .env("HOME", home.path())
        .arg("list")
        .assert()
        .code(3)
        .stdout("")
        .stderr(format!(
            "zpakey: error: ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET, ZSCALER_VANITY_DOMAIN, ZPA_CUSTOMER_ID not set: the OneAPI sign-in needs them\n\
             {ONEAPI_SET_HINT}\
             hint: or pick a profile of ~/.config/zpakey/config.toml with --profile NAME (gov, prod)\n\
             {CUSTOMER_HINT}"
        ));
    // Only the customer id missing: the pointer stands on its own.
    bare()
        .env("XDG_CONFIG_HOME", &config)
        .env("ZSCALER_CLIENT_ID", "someone")
        .env("ZSCALER_CLIENT_SECRET", "s3cret")
        .env("ZSCALER_VANITY_DOMAIN", "acme")
        .arg("list")
        .assert()
        .code(3)
        .stdout("")
        .stderr(format!(
            "zpakey: error: ZPA_CUSTOMER_ID not set: the OneAPI sign-in needs it\n\
             hint: pick a profile of {} with --profile NAME (gov, prod)\n\
             {CUSTOMER_HINT}",
            config.join("zpakey/config.toml").display()
        ));
    // A profile selected: no pointer to the others. A file without profiles: none either.
    let out = bare()
        .env("HOME", home.path())
        .args(["--profile", "prod", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        !stderr_of(&out).contains("pick a profile"),
        "{}",
        stderr_of(&out)
    );
    write_config(&config, "# nothing yet\n");
    let out = bare()
        .env("HOME", home.path())
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(!stderr_of(&out).contains("profile"), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out), "");
}
