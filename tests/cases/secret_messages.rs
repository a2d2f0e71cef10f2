//! What a newcomer reads when the settings are incomplete or a secret file cannot be used:
//! messages that name the file and the profile once, in plain words, and a pointer to the
//! profiles of the config file when none is selected.

#![cfg(unix)]

use std::path::Path;

use crate::support::{bare, private_file, sim, stderr_of, stdout_of, write_config};

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
    // A bad URL in a profile is named by its key there, as a secret file is.
    write_config(
        dir.path(),
        "[profiles.lab]\nclient_id = \"c\"\nclient_secret_file = \"/nonexistent\"\ncustomer_id = \"216196257331281920\"\napi_url = \"http://api.example.com\"\n",
    );
    bare()
        .env("XDG_CONFIG_HOME", dir.path())
        .env("ZSCALER_VANITY_DOMAIN", "acme")
        .args(["--profile", "lab", "list"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "zpakey: error: api_url of profile 'lab' 'http://api.example.com' uses plain http to a host that is not loopback\n\
             hint: use https://, so credentials never cross a network in clear text\n",
        );
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
