//! `zpakey auth status` when sign-in cannot happen or fails — a missing secret, an
//! unreadable secret file, a secret the simulator rejects, an unknown cloud, a profile that
//! cannot be loaded: every setting that could be worked out is still shown, in the table and
//! in JSON, where it came from, and the failure is still the command's exit code.

#![cfg(unix)]

use crate::support::{bare, private_file, sim, stderr_of, stdout_of, write_config};

/// How the secret fails in [`auth_status_shows_what_is_set_when_the_secret_fails`].
#[derive(Debug, Clone, Copy)]
enum Failure {
    Missing,
    Unreadable,
    Rejected,
}

/// The settings `auth status` must show as (setting, table label, value, origin as the table
/// shows it, origin as the JSON names it).
type Expected = Vec<(&'static str, &'static str, String, String, String)>;

/// Runs `auth status` as table and as JSON; checks that every expected setting is shown in
/// both, that sign-in is reported failed, and that the error is `first_line` with exit 3.
fn assert_status(
    mut table: assert_cmd::Command,
    mut json: assert_cmd::Command,
    expected: &Expected,
    first_line: &str,
    context: &str,
) {
    let out = table.args(["auth", "status"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{context}: {}", stderr_of(&out));
    let stderr = stderr_of(&out);
    assert!(stderr.starts_with(first_line), "{context}: {stderr}");
    let shown = stdout_of(&out);
    let rows: Vec<String> = shown
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    for (_, label, value, origin, _) in expected {
        let row = format!("{label} {value} {origin}");
        assert!(rows.contains(&row), "{context}: no row {row:?} in\n{shown}");
    }
    assert_eq!(
        rows.last().map(String::as_str),
        Some("sign-in failed (the error follows on stderr)"),
        "{context}:\n{shown}"
    );

    let out = json
        .args(["-o", "json", "auth", "status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{context}: {}", stderr_of(&out));
    let status: serde_json::Value = serde_json::from_str(&stdout_of(&out)).expect("JSON on stdout");
    let envelope: serde_json::Value =
        serde_json::from_str(&stderr_of(&out)).expect("a JSON error on stderr");
    assert_eq!(envelope["error"]["exit"], 3, "{context}");
    assert_eq!(status["sign_in"]["ok"], false, "{context}");
    assert_eq!(
        status["sign_in"]["error"], envelope["error"]["message"],
        "{context}"
    );
    let settings = status["settings"].as_array().expect("settings");
    for (setting, _, value, _, origin) in expected {
        let entry = settings
            .iter()
            .find(|s| s["setting"] == *setting)
            .unwrap_or_else(|| panic!("{context}: no {setting} in {status}"));
        assert_eq!(entry["value"], value.as_str(), "{context}: {setting}");
        let named = entry["origin"]["name"]
            .as_str()
            .or(entry["origin"]["kind"].as_str());
        assert_eq!(named, Some(origin.as_str()), "{context}: {setting}");
    }
}

#[test]
fn auth_status_shows_what_is_set_when_the_secret_fails() {
    let sim = sim();
    let creds = sim.tenant().credentials().clone();
    let customer = sim.tenant().customer_id().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let wrong = dir.path().join("wrong-secret");
    private_file(&wrong, b"not-the-secret\n");
    let missing = dir.path().join("missing-secret");
    let failures = [Failure::Missing, Failure::Unreadable, Failure::Rejected];
    let env = |v: &str| (v.to_owned(), v.to_owned());

    // Everything from the environment, OneAPI, with a cloud named there.
    for failure in failures {
        let expected: Expected = vec![
            (
                "client_id",
                "client id",
                creds.client_id.clone(),
                env("ZSCALER_CLIENT_ID").0,
                env("ZSCALER_CLIENT_ID").1,
            ),
            (
                "cloud",
                "cloud",
                "beta".into(),
                env("ZSCALER_CLOUD").0,
                env("ZSCALER_CLOUD").1,
            ),
            (
                "api_url",
                "API URL",
                sim.base_url(),
                env("ZPAKEY_API_URL").0,
                env("ZPAKEY_API_URL").1,
            ),
            (
                "token_url",
                "token URL",
                sim.token_url(),
                env("ZPAKEY_AUTH_URL").0,
                env("ZPAKEY_AUTH_URL").1,
            ),
            (
                "customer_id",
                "customer id",
                customer.clone(),
                env("ZPA_CUSTOMER_ID").0,
                env("ZPA_CUSTOMER_ID").1,
            ),
        ];
        let command = || {
            let mut cmd = crate::support::zpakey(&sim);
            cmd.env("ZSCALER_CLOUD", "beta");
            match failure {
                Failure::Missing => cmd.env_remove("ZSCALER_CLIENT_SECRET"),
                Failure::Unreadable => cmd
                    .env_remove("ZSCALER_CLIENT_SECRET")
                    .env("ZSCALER_CLIENT_SECRET_FILE", &missing),
                Failure::Rejected => cmd.env("ZSCALER_CLIENT_SECRET", "not-the-secret"),
            };
            cmd
        };
        let first_line = match failure {
            Failure::Missing => {
                "zpakey: error: ZSCALER_CLIENT_SECRET not set: the OneAPI sign-in needs it\n"
            }
            Failure::Unreadable => {
                "zpakey: error: cannot read the file ZSCALER_CLIENT_SECRET_FILE names: no such file\n"
            }
            Failure::Rejected => "zpakey: error: ZIdentity rejected the credentials",
        };
        assert_status(
            command(),
            command(),
            &expected,
            first_line,
            &format!("environment, {failure:?}"),
        );
    }

    // The legacy API from the environment, with its cloud named there.
    for failure in failures {
        let expected: Expected = vec![
            (
                "client_id",
                "client id",
                creds.legacy_client_id.clone(),
                env("ZPA_CLIENT_ID").0,
                env("ZPA_CLIENT_ID").1,
            ),
            (
                "cloud",
                "cloud",
                "GOV".into(),
                env("ZPA_CLOUD").0,
                env("ZPA_CLOUD").1,
            ),
            (
                "api_url",
                "API URL",
                sim.base_url(),
                env("ZPAKEY_API_URL").0,
                env("ZPAKEY_API_URL").1,
            ),
            (
                "token_url",
                "token URL",
                format!("{}/signin", sim.base_url()),
                "default".into(),
                "default".into(),
            ),
        ];
        let command = || {
            let mut cmd = crate::support::zpakey_legacy(&sim);
            cmd.env("ZPA_CLOUD", "GOV");
            match failure {
                Failure::Missing => cmd.env_remove("ZPA_CLIENT_SECRET"),
                Failure::Unreadable => cmd
                    .env_remove("ZPA_CLIENT_SECRET")
                    .env("ZPA_CLIENT_SECRET_FILE", &missing),
                Failure::Rejected => cmd.env("ZPA_CLIENT_SECRET", "not-the-secret"),
            };
            cmd
        };
        let first_line = match failure {
            Failure::Missing => {
                "zpakey: error: ZPA_CLIENT_SECRET not set: the legacy ZPA API sign-in needs it\n"
            }
            Failure::Unreadable => {
                "zpakey: error: cannot read the file ZPA_CLIENT_SECRET_FILE names: no such file\n"
            }
            Failure::Rejected => "zpakey: error: the legacy ZPA API rejected the credentials",
        };
        assert_status(
            command(),
            command(),
            &expected,
            first_line,
            &format!("legacy environment, {failure:?}"),
        );
    }

    // Everything from a profile, including `cloud = "gov"`.
    let config = tempfile::tempdir().unwrap();
    for failure in failures {
        let secret = match failure {
            Failure::Missing => String::new(),
            Failure::Unreadable => format!("client_secret_file = \"{}\"\n", missing.display()),
            Failure::Rejected => format!("client_secret_file = \"{}\"\n", wrong.display()),
        };
        write_config(
            config.path(),
            &format!(
                "[profiles.lab]\nclient_id = \"{}\"\ncustomer_id = \"{customer}\"\ncloud = \"gov\"\napi_url = \"{}\"\nauth_url = \"{}\"\n{secret}",
                creds.client_id,
                sim.base_url(),
                sim.token_url()
            ),
        );
        let lab = || ("profile 'lab'".to_owned(), "lab".to_owned());
        let expected: Expected = vec![
            (
                "profile",
                "profile",
                "lab".into(),
                "--profile".into(),
                "--profile".into(),
            ),
            (
                "client_id",
                "client id",
                creds.client_id.clone(),
                lab().0,
                lab().1,
            ),
            ("cloud", "cloud", "gov".into(), lab().0, lab().1),
            ("api_url", "API URL", sim.base_url(), lab().0, lab().1),
            ("token_url", "token URL", sim.token_url(), lab().0, lab().1),
            (
                "customer_id",
                "customer id",
                customer.clone(),
                lab().0,
                lab().1,
            ),
        ];
        let command = || {
            let mut cmd = bare();
            cmd.env("XDG_CONFIG_HOME", config.path())
                .args(["--profile", "lab"]);
            cmd
        };
        let first_line = match failure {
            Failure::Missing => {
                "zpakey: error: ZSCALER_CLIENT_SECRET not set: the OneAPI sign-in needs it\n"
                    .to_owned()
            }
            Failure::Unreadable => format!(
                "zpakey: error: cannot read the client_secret_file of profile 'lab' ({}): no such file\n",
                missing.display()
            ),
            Failure::Rejected => "zpakey: error: ZIdentity rejected the credentials".to_owned(),
        };
        assert_status(
            command(),
            command(),
            &expected,
            &first_line,
            &format!("profile, {failure:?}"),
        );
    }
}

#[test]
fn auth_status_shows_an_unknown_cloud_and_the_profile_it_could_not_load() {
    let sim = sim();
    let out = crate::support::zpakey(&sim)
        .env("ZSCALER_CLOUD", "mars")
        .args(["-o", "json", "auth", "status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let status: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let shown: Vec<(String, String)> = status["settings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["setting"].as_str().unwrap().to_owned(),
                s["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (setting, value) in [
        ("cloud", "mars".to_owned()),
        ("api_url", sim.base_url()),
        ("client_id", sim.tenant().credentials().client_id.clone()),
        ("credential", "client secret: set".to_owned()),
    ] {
        assert!(
            shown.contains(&(setting.to_owned(), value.clone())),
            "{setting} {value} in {shown:?}"
        );
    }

    let out = bare()
        .args(["--profile", "nowhere", "auth", "status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    let table = stdout_of(&out);
    assert!(
        table.lines().any(
            |l| l.split_whitespace().collect::<Vec<_>>() == ["profile", "nowhere", "--profile"]
        ),
        "{table}"
    );
}
