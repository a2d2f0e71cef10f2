//! `zpakey auth status` and profiles: what was resolved, from where, whether it signs in —
//! and never a secret.

use std::path::Path;

use zpa_sim::SimHandle;

use crate::support::{GET_58856, bare, json_of, sim, stderr_of, stdout_of, zpakey, zpakey_legacy};

fn origin(status: &serde_json::Value, setting: &str) -> (String, String) {
    let entry = status["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["setting"] == setting)
        .unwrap_or_else(|| panic!("{setting} in {status}"));
    (
        entry["value"].as_str().unwrap().to_owned(),
        entry["origin"]["name"]
            .as_str()
            .unwrap_or(entry["origin"]["kind"].as_str().unwrap())
            .to_owned(),
    )
}

#[test]
fn oneapi_status_shows_each_source_and_signs_in() {
    let sim = sim();
    let out = zpakey(&sim)
        .args(["auth", "status", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(stderr_of(&out), "");
    let status = json_of(&out);
    assert_eq!(
        origin(&status, "mode"),
        ("OneAPI".into(), "ZSCALER_CLIENT_ID".into())
    );
    assert_eq!(
        origin(&status, "client_id"),
        ("zpa-sim-demo-client".into(), "ZSCALER_CLIENT_ID".into())
    );
    assert_eq!(
        origin(&status, "credential"),
        ("client secret: set".into(), "ZSCALER_CLIENT_SECRET".into())
    );
    assert_eq!(
        origin(&status, "customer_id"),
        ("216196257331281920".into(), "ZPA_CUSTOMER_ID".into())
    );
    assert_eq!(
        origin(&status, "api_url"),
        (sim.base_url(), "ZPAKEY_API_URL".into())
    );
    assert_eq!(
        origin(&status, "token_url"),
        (sim.token_url(), "ZPAKEY_AUTH_URL".into())
    );
    assert_eq!(
        origin(&status, "cloud"),
        ("production".into(), "default".into())
    );
    assert_eq!(status["sign_in"]["ok"], true);
    assert_eq!(status["sign_in"]["expires_in"], 3600);

    let out = zpakey(&sim)
        .args(["--api-url", &sim.base_url(), "auth", "status", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(
        origin(&json_of(&out), "api_url"),
        (sim.base_url(), "--api-url".into())
    );

    let out = zpakey(&sim).args(["auth", "status"]).output().unwrap();
    let table = stdout_of(&out);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["SETTING", "VALUE", "FROM"]
    );
    assert!(
        lines
            .iter()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == [
                    "credential",
                    "client",
                    "secret:",
                    "set",
                    "ZSCALER_CLIENT_SECRET"
                ]),
        "{table}"
    );
    assert!(lines.iter().any(|l| l.split_whitespace().collect::<Vec<_>>()
        == ["microtenant", "not", "set", "-"]), "{table}");
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with("sign-in      ok: token valid for 1h ("),
        "{table}"
    );
    check_no_secret(&sim, &table);
}

#[test]
fn legacy_status_and_bad_credentials() {
    let sim = sim();
    let out = zpakey_legacy(&sim)
        .args(["auth", "status", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let status = json_of(&out);
    assert_eq!(
        origin(&status, "mode"),
        ("legacy".into(), "ZSCALER_USE_LEGACY_CLIENT".into())
    );
    assert_eq!(
        origin(&status, "token_url"),
        (format!("{}/signin", sim.base_url()), "default".into())
    );
    assert_eq!(
        origin(&status, "credential"),
        ("client secret: set".into(), "ZPA_CLIENT_SECRET".into())
    );

    for mut cmd in [zpakey(&sim), zpakey_legacy(&sim)] {
        let out = cmd
            .env("ZSCALER_CLIENT_SECRET", "not-the-secret")
            .env("ZPA_CLIENT_SECRET", "not-the-secret")
            .args(["auth", "status", "-o", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3));
        let status = json_of(&out);
        assert_eq!(status["sign_in"]["ok"], false);
        assert!(
            status["sign_in"]["error"]
                .as_str()
                .unwrap()
                .contains("rejected the credentials")
        );
        let stderr = stderr_of(&out);
        assert!(
            stderr.starts_with("{\"error\":{\"code\":\"credentials\",\"exit\":3,"),
            "{stderr}"
        );
        assert!(!stdout_of(&out).contains("not-the-secret") && !stderr.contains("not-the-secret"));
        check_no_secret(&sim, &stdout_of(&out));
    }
}

#[test]
fn missing_settings_are_shown_as_not_set() {
    let out = bare()
        .env("ZSCALER_CLIENT_ID", "someone")
        .args(["auth", "status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let table = stdout_of(&out);
    assert!(table.contains("client id    someone"), "{table}");
    assert!(table.contains("credential   not set"), "{table}");
    assert!(
        table.contains("sign-in      failed (the error follows on stderr)"),
        "{table}"
    );
    assert!(
        stderr_of(&out).starts_with(
            "zpakey: error: ZSCALER_CLIENT_SECRET, ZSCALER_VANITY_DOMAIN, ZPA_CUSTOMER_ID not set"
        ),
        "{}",
        stderr_of(&out)
    );
}

fn write_config(dir: &Path, text: &str, mode: u32) {
    let config = dir.join("zpakey");
    std::fs::create_dir_all(&config).unwrap();
    let path = config.join("config.toml");
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

fn profile_for(sim: &SimHandle, secret_file: &Path) -> String {
    let creds = sim.tenant().credentials();
    format!(
        r#"
[profiles.sim]
client_id = "{}"
customer_id = "{}"
api_url = "{}"
auth_url = "{}"
client_secret_file = "{}"

[profiles.other]
legacy = true
client_id = "x"
"#,
        creds.client_id,
        sim.tenant().customer_id(),
        sim.base_url(),
        sim.token_url(),
        secret_file.display()
    )
}

#[cfg(unix)]
#[test]
fn profiles_fill_in_below_variables_and_flags() {
    use std::os::unix::fs::PermissionsExt;
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("secret");
    std::fs::write(
        &secret_file,
        format!("{}\n", sim.tenant().credentials().client_secret),
    )
    .unwrap();
    std::fs::set_permissions(&secret_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    write_config(dir.path(), &profile_for(&sim, &secret_file), 0o600);

    // Only the profile: a working configuration.
    bare()
        .env("XDG_CONFIG_HOME", dir.path())
        .args(["--profile", "sim"])
        .args(GET_58856)
        .assert()
        .success()
        .stdout("58856\n")
        .stderr("");

    // The environment beats the profile, and a flag beats the environment.
    let out = bare()
        .env("XDG_CONFIG_HOME", dir.path())
        .env("ZPAKEY_PROFILE", "sim")
        .env("ZPAKEY_AUTH_URL", sim.token_url())
        .args(["--api-url", &sim.base_url(), "auth", "status", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let status = json_of(&out);
    assert_eq!(
        origin(&status, "profile"),
        ("sim".into(), "ZPAKEY_PROFILE".into())
    );
    assert_eq!(origin(&status, "client_id").1, "sim");
    assert_eq!(
        origin(&status, "credential"),
        ("client secret: set".into(), "sim".into())
    );
    assert_eq!(origin(&status, "token_url").1, "ZPAKEY_AUTH_URL");
    assert_eq!(origin(&status, "api_url").1, "--api-url");
    check_no_secret(&sim, &stdout_of(&out));

    // A secret command instead of a file.
    let creds_file = secret_file.display().to_string();
    let text = profile_for(&sim, &secret_file).replace(
        &format!("client_secret_file = \"{creds_file}\""),
        &format!("client_secret_command = [\"cat\", \"{creds_file}\"]"),
    );
    write_config(dir.path(), &text, 0o600);
    bare()
        .env("XDG_CONFIG_HOME", dir.path())
        .args(["--profile", "sim"])
        .args(GET_58856)
        .assert()
        .success()
        .stdout("58856\n");
}

#[cfg(unix)]
#[test]
fn unsafe_or_unknown_profiles_are_refused() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, "x").unwrap();
    write_config(dir.path(), &profile_for(&sim, &secret_file), 0o666);
    let path = dir.path().join("zpakey/config.toml");
    bare()
        .env("XDG_CONFIG_HOME", dir.path())
        .args(["--profile", "sim", "list"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "zpakey: error: refusing {}: it is writable by others (mode 666), and a profile can name a command to run\nhint: run: chmod go-w {}\n",
            path.display(),
            path.display()
        ));
    write_config(dir.path(), &profile_for(&sim, &secret_file), 0o600);
    bare()
        .env("XDG_CONFIG_HOME", dir.path())
        .args(["--profile", "prod", "list"])
        .assert()
        .code(2)
        .stderr(format!(
            "zpakey: error: no profile 'prod' in {}\nhint: profiles there: other, sim\n",
            path.display()
        ));
    write_config(
        dir.path(),
        "[profiles.sim]\nclient_secret = \"inline\"\n",
        0o600,
    );
    let out = bare()
        .env("XDG_CONFIG_HOME", dir.path())
        .args(["--profile", "sim", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).starts_with(&format!(
            "zpakey: error: {} is not a valid zpakey config: unknown field `client_secret`",
            path.display()
        )),
        "{}",
        stderr_of(&out)
    );
    assert!(sim.requests().is_empty());
}

fn check_no_secret(sim: &SimHandle, text: &str) {
    let creds = sim.tenant().credentials();
    assert!(!text.contains(&creds.client_secret), "{text}");
    assert!(!text.contains(&creds.legacy_client_secret), "{text}");
    for token in sim.issued_tokens() {
        assert!(!text.contains(&token), "{text}");
    }
}

#[cfg(unix)]
#[test]
fn profile_paths_may_start_at_home() {
    use std::os::unix::fs::PermissionsExt;
    let sim = sim();
    let home = tempfile::tempdir().unwrap();
    let secret_file = home.path().join("zpa-secret");
    std::fs::write(
        &secret_file,
        sim.tenant().credentials().client_secret.clone(),
    )
    .unwrap();
    std::fs::set_permissions(&secret_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let text =
        profile_for(&sim, &secret_file).replace(&secret_file.display().to_string(), "~/zpa-secret");
    write_config(&home.path().join(".config"), &text, 0o600);
    bare()
        .env("HOME", home.path())
        .args(["--profile", "sim"])
        .args(GET_58856)
        .assert()
        .success()
        .stdout("58856\n")
        .stderr("");
}
