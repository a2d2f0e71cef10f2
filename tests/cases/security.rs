//! Security: private-key sign-in end to end, secret files, `--out-file`'s guarantees, and a
//! leak test over every command and failure path at the highest verbosity.

use zpa_sim::{EnvMode, Fault, Sim, SimHandle};

use crate::support::{
    GET_58856, assert_no_key_material, material, private_key, sim, stderr_of, stdout_of, value_of,
    with_env, zpakey,
};

#[test]
fn private_key_sign_in_works_with_pkcs8_pkcs1_and_pem_text() {
    let sim = sim();
    for key in ["demo_client_key.pem", "demo_client_key_pkcs1.pem"] {
        with_env(&sim, EnvMode::OneApiPrivateKey(private_key(key)))
            .args(GET_58856)
            .assert()
            .success()
            .stdout("58856\n")
            .stderr("");
    }
    let pem = std::fs::read_to_string(private_key("demo_client_key.pem")).unwrap();
    with_env(
        &sim,
        EnvMode::OneApiPrivateKey(private_key("demo_client_key.pem")),
    )
    .env("ZSCALER_PRIVATE_KEY", pem)
    .args(GET_58856)
    .assert()
    .success()
    .stdout("58856\n");
}

#[test]
fn bad_private_keys_are_exit_3_with_a_clear_message() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(
        &garbage,
        "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&garbage, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    for (key, first_line) in [
        (
            private_key("other_key.pem"),
            "zpakey: error: ZIdentity rejected the credentials (HTTP 401: invalid_client: ",
        ),
        (
            private_key("short_key_1024.pem"),
            "zpakey: error: ZSCALER_PRIVATE_KEY is shorter than 2048 bits",
        ),
        (
            garbage.clone(),
            "zpakey: error: ZSCALER_PRIVATE_KEY is not a PEM-encoded RSA private key",
        ),
    ] {
        let out = with_env(&sim, EnvMode::OneApiPrivateKey(key.clone()))
            .args(["list"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{key:?}: {}", stderr_of(&out));
        assert!(
            stderr_of(&out).starts_with(first_line),
            "{key:?}: {}",
            stderr_of(&out)
        );
    }
}

#[cfg(unix)]
#[test]
fn secret_files_are_trimmed_and_warned_about_when_shared() {
    use std::os::unix::fs::PermissionsExt;
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret");
    let secret = sim.tenant().credentials().client_secret.clone();
    std::fs::write(&file, format!("{secret}\n\n")).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = || {
        zpakey(&sim)
            .env_remove("ZSCALER_CLIENT_SECRET")
            .env("ZSCALER_CLIENT_SECRET_FILE", &file)
            .args(GET_58856)
            .assert()
            .success()
            .stdout("58856\n")
    };
    run().stderr("");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    run().stderr(format!(
        "zpakey: warning: the file ZSCALER_CLIENT_SECRET_FILE names ({}) is readable by others (mode 644); run: chmod 600 {}\n",
        file.display(),
        file.display()
    ));
}

#[cfg(unix)]
#[test]
fn out_file_refuses_symlinks_and_leaves_nothing_on_failure() {
    let sim = sim();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target");
    std::fs::write(&target, "untouched\n").unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for force in [false, true] {
        let mut cmd = zpakey(&sim);
        cmd.args(["reveal", "--id", "58856", "--out-file"])
            .arg(&link);
        if force {
            cmd.arg("--force");
        }
        cmd.assert().code(2).stdout("").stderr(format!(
            "zpakey: error: --out-file {} is a symbolic link; refusing to write a key through it\nhint: give the real path of the file\n",
            link.display()
        ));
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched\n");

    // A failure after the request started: nothing at PATH, no temporary file.
    let path = dir.path().join("key");
    sim.inject(Fault::TruncatedJson, 1);
    zpakey(&sim)
        .args([
            "reveal",
            "--id",
            "58856",
            "--type",
            "connector",
            "--out-file",
        ])
        .arg(&path)
        .assert()
        .code(6)
        .stdout("");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["link", "target"]);

    // A directory that cannot take the file: an error, and still nothing left behind.
    let missing = dir.path().join("no-such-dir").join("key");
    zpakey(&sim)
        .args(["reveal", "--id", "58856", "--out-file"])
        .arg(&missing)
        .assert()
        .code(1)
        .stdout("");
    assert!(!missing.exists());
}

/// Everything secret a run could know: credentials, the private key, issued tokens.
fn secrets(sim: &SimHandle) -> Vec<String> {
    let creds = sim.tenant().credentials();
    let pem = std::fs::read_to_string(private_key("demo_client_key.pem")).unwrap();
    let mut secrets = vec![
        creds.client_secret.clone(),
        creds.legacy_client_secret.clone(),
    ];
    // Any line of the private key's base64 body.
    secrets.extend(
        pem.lines()
            .filter(|l| !l.starts_with("-----"))
            .map(str::to_owned),
    );
    secrets.extend(sim.issued_tokens());
    secrets
}

#[test]
fn nothing_secret_reaches_stderr_and_only_reveal_prints_a_key() {
    let sim = Sim::builder().rate_limit(false).start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let value_58856 = value_of(sim.tenant(), "58856");
    // An API error that echoes a provisioning key (and something token-shaped) back.
    let echo = Fault::Status {
        status: 400,
        body: format!(
            r#"{{"id":"bad.request","reason":"rejected {value_58856} with Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"}}"#
        ),
        content_type: "application/json".into(),
        headers: vec![],
    };
    let modes = [
        EnvMode::OneApi,
        EnvMode::OneApiPrivateKey(private_key("demo_client_key.pem")),
        EnvMode::Legacy,
    ];
    let commands: Vec<Vec<String>> = [
        "get --id 58856",
        "get --name tests-pkacg-vcr0003 -o json",
        "list",
        "list -o json",
        "reveal --id 58856",
        "reveal --id 58856 -o json",
        "auth status",
        "auth status -o json",
    ]
    .iter()
    .map(|c| c.split(' ').map(str::to_owned).collect())
    .collect();
    for mode in modes {
        for args in &commands {
            let out = with_env(&sim, mode.clone())
                .arg("-vvv")
                .args(args)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr_of(&out));
            check(&sim, &out, args[0] == "reveal");
        }
        let out_file = dir.path().join("key");
        let out = with_env(&sim, mode.clone())
            .args(["-vvv", "reveal", "--id", "58856", "--force", "--out-file"])
            .arg(&out_file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        check(&sim, &out, false);

        // Failure paths: wrong secret, refused token, rate limit, an echoing 400, bad bodies.
        // (fault injected and how often, wrong credentials?, expected exit code)
        type Failure = (Option<(Fault, usize)>, bool, i32);
        let failures: Vec<Failure> = vec![
            (None, true, 3),
            (
                Some((
                    Fault::Status {
                        status: 401,
                        body: r#"{"detail": "unauthorized"}"#.into(),
                        content_type: "application/json".into(),
                        headers: vec![],
                    },
                    2,
                )),
                false,
                3,
            ),
            (
                Some((
                    Fault::RateLimited {
                        retry_after: Some("1s".into()),
                    },
                    50,
                )),
                false,
                6,
            ),
            (Some((echo.clone(), 1)), false, 6),
            (Some((Fault::TruncatedJson, 1)), false, 6),
            (Some((Fault::HtmlBadGateway, 50)), false, 6),
        ];
        for (fault, wrong_credentials, code) in failures {
            for command in ["get", "reveal"] {
                // A fresh tenant per run, so no fault is left over for the next one.
                let sim = Sim::builder().rate_limit(false).start().unwrap();
                if let Some((fault, count)) = fault.clone() {
                    sim.inject(fault, count);
                }
                let mut cmd = with_env(&sim, mode.clone());
                if wrong_credentials {
                    match mode {
                        EnvMode::Legacy => cmd.env("ZPA_CLIENT_SECRET", "wrong"),
                        EnvMode::OneApi => cmd.env("ZSCALER_CLIENT_SECRET", "wrong"),
                        EnvMode::OneApiPrivateKey(_) => {
                            cmd.env("ZSCALER_PRIVATE_KEY", private_key("other_key.pem"))
                        }
                    };
                }
                let out = cmd
                    .args([
                        "-vvv",
                        "--max-wait",
                        "1",
                        command,
                        "--id",
                        "58856",
                        "--type",
                        "connector",
                    ])
                    .output()
                    .unwrap();
                assert_eq!(
                    out.status.code(),
                    Some(code),
                    "{command} {code}: {}",
                    stderr_of(&out)
                );
                assert!(out.stdout.is_empty(), "nothing on stdout when failing");
                check(&sim, &out, false);
            }
        }
    }
}

fn check(sim: &SimHandle, out: &std::process::Output, reveal: bool) {
    let stdout = stdout_of(out);
    let stderr = stderr_of(out);
    for secret in secrets(sim) {
        assert!(
            !stderr.contains(&secret),
            "a secret reached stderr:\n{stderr}"
        );
        assert!(
            !stdout.contains(&secret),
            "a secret reached stdout:\n{stdout}"
        );
    }
    assert!(
        !stderr.contains("eyJ"),
        "something JWT-shaped reached stderr:\n{stderr}"
    );
    assert_no_key_material(&stderr, sim.tenant());
    if reveal {
        let value = value_of(sim.tenant(), "58856");
        assert!(stdout.contains(material(&value)), "reveal printed the key");
    } else {
        assert_no_key_material(&stdout, sim.tenant());
    }
}

#[test]
fn private_key_sign_in_works_whichever_audience_the_server_requires() {
    use zpa_sim::AssertionAudience;
    for audience in [
        AssertionAudience::Sdk,
        AssertionAudience::Docs,
        AssertionAudience::Either,
    ] {
        let sim = Sim::builder()
            .rate_limit(false)
            .assertion_audience(audience)
            .start()
            .unwrap();
        with_env(
            &sim,
            EnvMode::OneApiPrivateKey(private_key("demo_client_key.pem")),
        )
        .args([
            "get",
            "--id",
            "58856",
            "--type",
            "connector",
            "--field",
            "id",
        ])
        .assert()
        .success()
        .stdout("58856\n")
        .stderr("");
        let sign_ins = sim
            .requests()
            .iter()
            .filter(|r| r.path == "/oauth2/v1/token")
            .count();
        let expected = if audience == AssertionAudience::Docs {
            2
        } else {
            1
        };
        assert_eq!(sign_ins, expected, "{audience:?}");
    }
}

#[test]
fn https_proxy_is_honoured() {
    // The simulator stands in for the proxy: zpakey must ask it for a tunnel to the (never
    // resolved) https host instead of going there itself.
    let sim = sim();
    let out = zpakey(&sim)
        .env("HTTPS_PROXY", sim.base_url())
        .args(["--max-wait", "0"])
        .args(["--api-url", "https://api.example.invalid"])
        .args([
            "--auth-url",
            "https://login.example.invalid/oauth2/v1/token",
        ])
        .args(GET_58856)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr_of(&out));
    let requests = sim.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].method, "CONNECT");
    assert!(stderr_of(&out).contains("tunnel"), "{}", stderr_of(&out));
}
