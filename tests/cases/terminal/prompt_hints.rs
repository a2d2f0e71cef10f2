//! What the prompts tell a newcomer (issue 15): each candidate of the pick with its group and
//! health, in columns that line up whatever the lengths of ids and types (in the pick and in
//! the exit-5 error alike); why an empty secret is asked for again; and a did-you-mean for a
//! name that differs only in its spaces.

use serde_json::json;
use zpa_sim::{EnvMode, SimHandle, Tenant};

use super::pty::{Pty, Wire, command};
use crate::support::{sim, sim_with, zpakey};

/// Three keys named alike, under three types, with ids of three lengths and three states.
fn look_alikes() -> Tenant {
    let key = |id: &str, extra: serde_json::Value| {
        let mut key = json!({
            "id": id, "name": "dup name", "usageCount": "0", "maxUsage": "10",
            "enabled": true, "exportable": true,
            "provisioningKey": format!("3|api.private.zscaler.com|material-of-key-{id}-0123456789abcdef"),
        });
        for (field, value) in extra.as_object().into_iter().flatten() {
            key[field] = value.clone();
        }
        key
    };
    let tenant = json!({
        "customerId": "216196257331281920",
        "provisioningKeys": {
            "CONNECTOR_GRP": [key("7", json!({"zcomponentName": "g", "usageCount": "2", "maxUsage": "2"}))],
            "SERVICE_EDGE_GRP": [key("1234567890123", json!({"zcomponentName": "edge-group-lab", "enabled": false}))],
            "NP_ASSISTANT_GRP": [key("456", json!({"zcomponentName": "np", "exportable": false}))],
        }
    });
    Tenant::from_json_str(&tenant.to_string()).expect("the look-alike tenant")
}

/// The candidates of `--name 'dup name'`, in `list` order (by type).
const CANDIDATES: [&str; 3] = [
    "id 7              CONNECTOR_GRP     dup name  group g               used up",
    "id 456            NP_ASSISTANT_GRP  dup name  group np              not exportable",
    "id 1234567890123  SERVICE_EDGE_GRP  dup name  group edge-group-lab  disabled",
];

const HINT: &str = "hint: choose one with --id, or narrow the search with --type";

fn error_text(first_line: &str) -> String {
    let mut text = format!("zpakey: error: {first_line}\n");
    for candidate in CANDIDATES {
        text.push_str(&format!("  {candidate}\n"));
    }
    text.push_str(HINT);
    text
}

/// `get --name 'dup name' --field id` on a terminal (stdout in a file), at the pick.
fn at_the_pick(sim: &SimHandle) -> Pty {
    let mut cmd = command(sim, EnvMode::OneApi);
    cmd.args(["get", "--name", "dup name", "--field", "id"]);
    let mut pty = Pty::wired(cmd, [Wire::Pty, Wire::File, Wire::Pty]);
    pty.until("3 keys match name 'dup name'; pick one:");
    pty.until(&format!("> {}", CANDIDATES[0]));
    pty.until(&format!("  {}", CANDIDATES[1]));
    pty.until(&format!("  {}", CANDIDATES[2]));
    pty.until_raw();
    pty
}

#[test]
fn the_pick_shows_each_candidates_group_and_health_in_aligned_columns() {
    let sim = sim_with(look_alikes());
    let mut pty = at_the_pick(&sim);
    pty.send("\x1b[B\x1b[B");
    pty.until(&format!("> {}", CANDIDATES[2]));
    pty.until_raw();
    pty.send("\r");
    assert_eq!(pty.finish(), 0, "{}", pty.text());
    assert_eq!(pty.captured(1), "1234567890123\n");
    assert_eq!(
        pty.screen().text,
        format!("3 keys match name 'dup name'; pick one: {}", CANDIDATES[2])
    );
}

#[test]
fn leaving_the_pick_says_nothing_was_picked_and_lists_the_candidates_aligned() {
    let sim = sim_with(look_alikes());
    for key in ["\x1b", "q"] {
        let mut pty = at_the_pick(&sim);
        pty.send(key);
        assert_eq!(pty.finish(), 5, "{key:?}: {}", pty.text());
        assert_eq!(pty.captured(1), "", "{key:?}");
        let screen = pty.screen();
        assert_eq!(
            screen.text,
            error_text("no key picked among the 3 that match name 'dup name'"),
            "{key:?}"
        );
        assert!(screen.cursor_visible, "{key:?}: the cursor stays hidden");
    }
}

#[test]
fn without_a_pick_the_exit_5_candidates_line_up_too() {
    let sim = sim_with(look_alikes());
    let mut cmd = command(&sim, EnvMode::OneApi);
    cmd.args(["--no-input", "get", "--name", "dup name"]);
    let mut pty = Pty::wired(cmd, [Wire::Pty, Wire::Pty, Wire::Pty]);
    assert_eq!(pty.finish(), 5, "{}", pty.text());
    assert_eq!(
        pty.screen().text,
        error_text("3 keys match name 'dup name'")
    );
    zpakey(&sim)
        .args(["get", "--name", "dup name"])
        .assert()
        .code(5)
        .stdout("")
        .stderr(format!("{}\n", error_text("3 keys match name 'dup name'")));
}

#[test]
fn an_empty_secret_is_asked_for_again_saying_why() {
    let sim = sim();
    let secret = sim.tenant().credentials().client_secret.clone();
    let prompt = "ZSCALER_CLIENT_SECRET (not set; input hidden): ";
    let why = "ZSCALER_CLIENT_SECRET cannot be empty; type it, or press Ctrl-C";
    let mut cmd = command(&sim, EnvMode::OneApi);
    cmd.env_remove("ZSCALER_CLIENT_SECRET").args([
        "get",
        "--id",
        "58856",
        "--type",
        "connector",
        "--field",
        "id",
    ]);
    let mut pty = Pty::wired(cmd, [Wire::Pty, Wire::File, Wire::Pty]);
    pty.until(prompt);
    pty.until_silent();
    pty.send("\r");
    pty.until(why);
    pty.until(prompt);
    pty.until_silent();
    // While it waits, the screen says why it asks again.
    let screen = pty.screen().text;
    assert!(screen.contains(why), "{screen}");
    assert!(screen.ends_with(prompt.trim_end()), "{screen}");
    pty.send(&format!("{secret}\r"));
    assert_eq!(pty.finish(), 0, "{}", pty.text());
    assert_eq!(pty.captured(1), "58856\n");
    assert!(!pty.text().contains(&secret), "the secret was echoed");
    assert_eq!(pty.screen().text, format!("{prompt}[hidden]"));
    assert!(pty.mode().c_lflag & libc::ECHO != 0, "echo left off");
}

#[test]
fn a_name_that_differs_only_in_spaces_gets_a_did_you_mean() {
    let sim = sim();
    let hint =
        "hint: names match exactly, spaces included: repeated, leading and trailing spaces count";
    for (asked, meant, id) in [
        (
            "Zürich Büro Connectors",
            "Zürich  Büro  Connectors",
            "60107",
        ),
        (" edge-prod ", "edge-prod", "60201"),
        ("Prod-Connectors\u{a0}", "Prod-Connectors", "60108"),
    ] {
        let expected = format!(
            "zpakey: error: no provisioning key is named '{asked}'; did you mean '{meant}' (id {id})?\n{hint}"
        );
        let mut cmd = command(&sim, EnvMode::OneApi);
        cmd.args(["get", "--name", asked]);
        let mut pty = Pty::wired(cmd, [Wire::Pty, Wire::Pty, Wire::Pty]);
        assert_eq!(pty.finish(), 4, "{asked:?}: {}", pty.text());
        assert_eq!(pty.screen().text, expected.trim_end(), "{asked:?}");
        zpakey(&sim)
            .args(["get", "--name", asked])
            .assert()
            .code(4)
            .stdout("")
            .stderr(format!("{expected}\n"));
    }
    // A case-only variant still wins, with its own hint.
    zpakey(&sim)
        .args(["get", "--name", "prod-connectors"])
        .assert()
        .code(4)
        .stderr(
            "zpakey: error: no provisioning key is named 'prod-connectors'; did you mean 'Prod-Connectors' (id 60108)?\n\
             hint: names match exactly and case-sensitively; pass --ignore-case to relax case\n",
        );
}
