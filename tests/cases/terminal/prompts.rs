//! Prompts only when a person is there (stdin and stderr on a terminal, no `--no-input`, not
//! CI): picking one of several matching keys, and a hidden prompt for a missing client
//! secret. Everywhere else the documented error and exit code, without a prompt.

use expectrl::WaitStatus;
use zpa_sim::{AssociationType, EnvMode, SimHandle};

use super::pty::{Pty, TIMEOUT, Wire, command};
use crate::support::{sim, zpakey, zpakey_legacy};

const PICK_PROMPT: &str = "2 keys match name 'shared-name'; pick one:";
/// The candidates, in columns, each with its group and health.
const FIRST: &str = "id 60109  CONNECTOR_GRP     shared-name  group prod-connector-group  usable";
const SECOND: &str = "id 60202  SERVICE_EDGE_GRP  shared-name  group edge-group-lab        usable";

/// The error of an ambiguous `--name shared-name`, as the screen shows it.
const AMBIGUOUS: &str = "\
zpakey: error: 2 keys match name 'shared-name'
  id 60109  CONNECTOR_GRP     shared-name  group prod-connector-group  usable
  id 60202  SERVICE_EDGE_GRP  shared-name  group edge-group-lab        usable
hint: choose one with --id, or narrow the search with --type";

/// The error when the person leaves the pick with Esc or q.
const NOT_PICKED: &str = "\
zpakey: error: no key picked among the 2 that match name 'shared-name'
  id 60109  CONNECTOR_GRP     shared-name  group prod-connector-group  usable
  id 60202  SERVICE_EDGE_GRP  shared-name  group edge-group-lab        usable
hint: choose one with --id, or narrow the search with --type";

const ONEAPI_MISSING: &str = "\
zpakey: error: ZSCALER_CLIENT_SECRET not set: the OneAPI sign-in needs it
hint: set ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET (or ZSCALER_CLIENT_SECRET_FILE, or ZSCALER_PRIVATE_KEY), ZSCALER_VANITY_DOMAIN and ZPA_CUSTOMER_ID; for the legacy API pass --legacy";

const LEGACY_MISSING: &str = "\
zpakey: error: ZPA_CLIENT_SECRET not set: the legacy ZPA API sign-in needs it
hint: set ZPA_CLIENT_ID, ZPA_CLIENT_SECRET (or ZPA_CLIENT_SECRET_FILE) and ZPA_CUSTOMER_ID";

const ONEAPI_REJECTED: &str = "\
zpakey: error: ZIdentity rejected the credentials (HTTP 401: invalid_client: client authentication failed)
hint: check ZSCALER_CLIENT_ID and ZSCALER_CLIENT_SECRET for the API client in ZIdentity, and ZSCALER_VANITY_DOMAIN / ZSCALER_CLOUD";

const LEGACY_REJECTED: &str = "\
zpakey: error: the legacy ZPA API rejected the credentials (HTTP 401: access.denied: Access denied)
hint: check ZPA_CLIENT_ID, ZPA_CLIENT_SECRET and ZPA_CUSTOMER_ID
hint: a tenant migrated to ZIdentity accepts only OneAPI: set ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET and ZSCALER_VANITY_DOMAIN instead of --legacy";

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";
const ESC: &str = "\x1b";

/// `args` with stdin and stderr on the terminal and stdout in a file, as in
/// `ID=$(zpakey get --name X --field id)` typed at a terminal.
fn pick(sim: &SimHandle, env: &[(&str, &str)], args: &[&str]) -> Pty {
    let mut cmd = command(sim, EnvMode::OneApi);
    cmd.envs(env.iter().copied()).args(args);
    let mut pty = Pty::wired(cmd, [Wire::Pty, Wire::File, Wire::Pty]);
    pty.until(PICK_PROMPT);
    pty.until(&format!("> {FIRST}"));
    pty.until(&format!("  {SECOND}"));
    pty.until_raw();
    pty
}

#[test]
fn several_matches_become_a_pick_whose_choice_goes_to_stdout() {
    let sim = sim();
    let mut pty = pick(
        &sim,
        &[],
        &["get", "--name", "shared-name", "--field", "id"],
    );
    pty.send(DOWN);
    pty.until(&format!("  {FIRST}"));
    pty.until(&format!("> {SECOND}"));
    pty.until_raw();
    pty.send(ENTER);
    assert_eq!(pty.finish(), 0, "{}", pty.text());
    assert_eq!(pty.captured(1), "60202\n");
    let screen = pty.screen();
    assert_eq!(screen.text, format!("{PICK_PROMPT} {SECOND}"));
    assert!(screen.cursor_visible, "the cursor stays hidden");

    // Enter takes the highlighted first candidate; reveal prints its value and nothing else.
    let value = sim
        .tenant()
        .keys(AssociationType::ConnectorGrp)
        .iter()
        .find(|k| k["id"] == "60109")
        .and_then(|k| k["provisioningKey"].as_str())
        .expect("key 60109 has a value")
        .to_owned();
    let mut pty = pick(&sim, &[], &["reveal", "--name", "shared-name"]);
    pty.send(ENTER);
    assert_eq!(pty.finish(), 0, "{}", pty.text());
    assert_eq!(pty.captured(1), format!("{value}\n"));
    assert_eq!(pty.screen().text, format!("{PICK_PROMPT} {FIRST}"));
    assert!(!pty.text().contains(&value), "the key reached the terminal");
}

#[test]
fn escape_or_q_cancels_the_pick_with_exit_5_saying_nothing_was_picked() {
    let sim = sim();
    for key in [ESC, "q"] {
        let mut pty = pick(
            &sim,
            &[],
            &["get", "--name", "shared-name", "--field", "id"],
        );
        pty.send(key);
        assert_eq!(pty.finish(), 5, "{key:?}: {}", pty.text());
        assert_eq!(pty.captured(1), "", "{key:?}");
        let screen = pty.screen();
        assert_eq!(screen.text, NOT_PICKED, "{key:?}");
        assert!(screen.cursor_visible, "{key:?}: the cursor stays hidden");
    }
}

#[test]
fn ci_false_or_0_still_lets_a_person_pick() {
    let sim = sim();
    for ci in ["false", "0", ""] {
        let mut pty = pick(
            &sim,
            &[("CI", ci)],
            &["get", "--name", "shared-name", "--field", "id"],
        );
        pty.send(DOWN);
        pty.until(&format!("> {SECOND}"));
        pty.until_raw();
        pty.send(ENTER);
        assert_eq!(pty.finish(), 0, "CI={ci}: {}", pty.text());
        assert_eq!(pty.captured(1), "60202\n", "CI={ci}");
    }
}

#[test]
fn no_pick_without_a_person_at_the_terminal() {
    let sim = sim();
    let get = ["get", "--name", "shared-name", "--field", "id"];
    let all_pty = [Wire::Pty, Wire::Pty, Wire::Pty];
    for (what, env, flags, wires) in [
        ("--no-input", &[][..], &["--no-input"][..], all_pty),
        ("CI=true", &[("CI", "true")], &[], all_pty),
        ("CI=1", &[("CI", "1")], &[], all_pty),
        (
            "stdin not a terminal",
            &[],
            &[],
            [Wire::Null, Wire::Pty, Wire::Pty],
        ),
    ] {
        let mut cmd = command(&sim, EnvMode::OneApi);
        cmd.envs(env.iter().copied()).args(flags).args(get);
        let mut pty = Pty::wired(cmd, wires);
        // A prompt would wait for a key that never comes: finish() would time out.
        assert_eq!(pty.finish(), 5, "{what}: {}", pty.text());
        assert_eq!(pty.screen().text, AMBIGUOUS, "{what}");
        assert!(!pty.text().contains("pick one"), "{what}");
    }

    // stderr not a terminal: the candidates go to stderr, nothing to the terminal.
    let mut cmd = command(&sim, EnvMode::OneApi);
    cmd.args(get);
    let mut pty = Pty::wired(cmd, [Wire::Pty, Wire::Pty, Wire::File]);
    assert_eq!(pty.finish(), 5, "{}", pty.text());
    assert_eq!(pty.text(), "");
    assert_eq!(pty.captured(2), format!("{AMBIGUOUS}\n"));

    // Piped, as in CI.
    zpakey(&sim)
        .args(get)
        .assert()
        .code(5)
        .stdout("")
        .stderr(format!("{AMBIGUOUS}\n"));
}

/// Starts `get --id 58856 --field id` without `secret_var` and waits at the hidden prompt.
fn secret_prompt(sim: &SimHandle, mode: EnvMode, secret_var: &str) -> Pty {
    let mut cmd = command(sim, mode);
    cmd.env_remove(secret_var).args([
        "get",
        "--id",
        "58856",
        "--type",
        "connector",
        "--field",
        "id",
    ]);
    let mut pty = Pty::wired(cmd, [Wire::Pty, Wire::File, Wire::Pty]);
    pty.until(&format!("{secret_var} (not set; input hidden): "));
    // The prompt is ready (and hides what is typed) once echo is off.
    pty.until_silent();
    pty
}

fn echoes(pty: &Pty) -> bool {
    pty.mode().c_lflag & libc::ECHO != 0
}

#[test]
fn a_missing_secret_is_asked_for_in_a_hidden_prompt_in_both_modes() {
    let sim = sim();
    let creds = sim.tenant().credentials().clone();
    for (mode, var, secret) in [
        (
            EnvMode::OneApi,
            "ZSCALER_CLIENT_SECRET",
            &creds.client_secret,
        ),
        (
            EnvMode::Legacy,
            "ZPA_CLIENT_SECRET",
            &creds.legacy_client_secret,
        ),
    ] {
        let mut pty = secret_prompt(&sim, mode, var);
        pty.send(&format!("{secret}{ENTER}"));
        assert_eq!(pty.finish(), 0, "{var}: {}", pty.text());
        assert_eq!(pty.captured(1), "58856\n", "{var}");
        assert!(
            !pty.text().contains(secret.as_str()),
            "{var}: the secret was echoed:\n{}",
            pty.text()
        );
        assert_eq!(
            pty.screen().text,
            format!("{var} (not set; input hidden): [hidden]")
        );
        assert!(echoes(&pty), "{var}: the terminal was left without echo");
    }
}

#[test]
fn a_wrong_secret_typed_at_the_prompt_is_exit_3() {
    let sim = sim();
    let typed = "not-the-secret-0123456789";
    for (mode, var, error) in [
        (EnvMode::OneApi, "ZSCALER_CLIENT_SECRET", ONEAPI_REJECTED),
        (EnvMode::Legacy, "ZPA_CLIENT_SECRET", LEGACY_REJECTED),
    ] {
        let mut pty = secret_prompt(&sim, mode, var);
        pty.send(&format!("{typed}{ENTER}"));
        assert_eq!(pty.finish(), 3, "{var}: {}", pty.text());
        assert_eq!(pty.captured(1), "", "{var}");
        assert!(!pty.text().contains(typed), "{var}: the secret was echoed");
        assert_eq!(
            pty.screen().text,
            format!("{var} (not set; input hidden): [hidden]\n{error}")
        );
        assert!(echoes(&pty), "{var}: the terminal was left without echo");
    }
}

#[test]
fn no_secret_prompt_without_a_person_at_the_terminal() {
    let sim = sim();
    let get = [
        "get",
        "--id",
        "58856",
        "--type",
        "connector",
        "--field",
        "id",
    ];
    zpakey(&sim)
        .env_remove("ZSCALER_CLIENT_SECRET")
        .args(get)
        .assert()
        .code(3)
        .stdout("")
        .stderr(format!("{ONEAPI_MISSING}\n"));
    zpakey_legacy(&sim)
        .env_remove("ZPA_CLIENT_SECRET")
        .args(get)
        .assert()
        .code(3)
        .stdout("")
        .stderr(format!("{LEGACY_MISSING}\n"));

    let all_pty = [Wire::Pty, Wire::Pty, Wire::Pty];
    for (mode, var, error) in [
        (EnvMode::OneApi, "ZSCALER_CLIENT_SECRET", ONEAPI_MISSING),
        (EnvMode::Legacy, "ZPA_CLIENT_SECRET", LEGACY_MISSING),
    ] {
        for (what, env, flags, wires) in [
            ("--no-input", &[][..], &["--no-input"][..], all_pty),
            ("CI=true", &[("CI", "true")], &[], all_pty),
            (
                "stdin not a terminal",
                &[],
                &[],
                [Wire::Null, Wire::Pty, Wire::Pty],
            ),
        ] {
            let mut cmd = command(&sim, mode.clone());
            cmd.env_remove(var)
                .envs(env.iter().copied())
                .args(flags)
                .args(get);
            let mut pty = Pty::wired(cmd, wires);
            assert_eq!(pty.finish(), 3, "{var}, {what}: {}", pty.text());
            assert_eq!(pty.screen().text, error, "{var}, {what}");
        }
    }
}

#[test]
fn a_private_key_needs_no_secret_prompt() {
    let sim = sim();
    let mut cmd = command(
        &sim,
        EnvMode::OneApiPrivateKey(crate::support::private_key("demo_client_key.pem")),
    );
    cmd.args([
        "get",
        "--id",
        "58856",
        "--type",
        "connector",
        "--field",
        "id",
    ]);
    let mut pty = Pty::wired(cmd, [Wire::Pty, Wire::File, Wire::Pty]);
    assert_eq!(pty.finish(), 0, "{}", pty.text());
    assert_eq!(pty.captured(1), "58856\n");
    assert_eq!(pty.screen().text, "");
}

/// Exit 130 (or death by SIGINT, which a shell reports as 130), promptly.
fn assert_interrupted(pty: &mut Pty, what: &str) {
    match pty.finish_within(TIMEOUT) {
        Some(WaitStatus::Exited(_, 130)) => {}
        Some(WaitStatus::Signaled(_, expectrl::Signal::SIGINT, _)) => {}
        Some(other) => panic!(
            "{what}: Ctrl-C ended zpakey with {other:?}:\n{}",
            pty.text()
        ),
        None => panic!(
            "{what}: zpakey ignored Ctrl-C for {TIMEOUT:?}; the terminal shows:\n{}",
            pty.screen().text
        ),
    }
}

#[test]
fn ctrl_c_at_the_secret_prompt_exits_130_and_restores_echo() {
    let sim = sim();
    for _ in 0..3 {
        let mut pty = secret_prompt(&sim, EnvMode::OneApi, "ZSCALER_CLIENT_SECRET");
        pty.send("\x03");
        assert_interrupted(&mut pty, "secret prompt");
        assert!(echoes(&pty), "the terminal was left without echo");
    }
}

#[test]
fn ctrl_c_at_the_pick_exits_130_and_shows_the_cursor_again() {
    let sim = sim();
    let mut pty = pick(
        &sim,
        &[],
        &["get", "--name", "shared-name", "--field", "id"],
    );
    pty.send("\x03");
    assert_interrupted(&mut pty, "pick");
    assert!(pty.screen().cursor_visible, "the cursor stays hidden");
    // Nothing reached stdout.
    assert_eq!(pty.captured(1), "");
}
