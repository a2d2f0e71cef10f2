//! Server text that tries to act on the terminal (issue 10): key names, group names, cert
//! names, IP ACL entries, microtenant fields and `modifiedBy` carrying ESC sequences (colour,
//! clear screen, OSC 52 clipboard writes, OSC 8 links, window titles), CR, NUL, LF, TAB, DEL,
//! C1 controls, bidi controls and line separators. Tables, `--field`, the pick prompt and
//! messages show them escaped, on a terminal and in a pipe; `-o json` keeps them exact.

use serde_json::{Value, json};
use zpa_sim::{EnvMode, SimHandle, Tenant};

use super::pty::{Pty, Screen, Wire, command};
use crate::support::{sim_with, stderr_of, stdout_of, value_of, zpakey};

/// A unique name: clear screen and a right-to-left override.
const EVIL: &str = "evil\x1b[2J\u{202e}name";
const EVIL_SHOWN: &str = r"evil\e[2J\u{202e}name";

/// The name of two keys (so a name lookup asks which). Only characters an argument may carry
/// (zpakey refuses control characters in `--name`): bidi controls and a line separator.
const TWIN: &str = "twin\u{202e}\u{2066}gnp.exe\u{2069}\u{2028}\u{200f}name";
const TWIN_SHOWN: &str = r"twin\u{202e}\u{2066}gnp.exe\u{2069}\u{2028}\u{200f}name";

/// The two candidates of a lookup of [`TWIN`], as the pick prompt and exit 5 show them.
const TWIN_FIRST: &str = r"id 70002  CONNECTOR_GRP     twin\u{202e}\u{2066}gnp.exe\u{2069}\u{2028}\u{200f}name  group acg\e[2J\u{9b}2J\rname  usable";
const TWIN_SECOND: &str = r"id 70003  SERVICE_EDGE_GRP  twin\u{202e}\u{2066}gnp.exe\u{2069}\u{2028}\u{200f}name  group edge\ngroup\u{2028}two  usable";

const GROUP: &str = "grp\x1b]52;c;ZXZpbA==\x07\x1b[31mred\0";
const GROUP_SHOWN: &str = r"grp\e]52;c;ZXZpbA==\u{7}\e[31mred\0";
const GROUP_ID: &str = "zc\u{9b}6n";
const CERT: &str = "\x1b]8;;https://evil.example/\x1b\\cert\x1b]8;;\x1b\\";
const CERT_SHOWN: &str = r"\e]8;;https://evil.example/\e\cert\e]8;;\e\";
const ACL: [&str; 2] = [
    "10.0.0.0/8\r\n70009  forged  CONNECTOR_GRP",
    "\x1b]0;pwned\x07192.168.1.0/24\t\x7f",
];
const ACL_JSON: &str = r#"["10.0.0.0/8\r\n70009  forged  CONNECTOR_GRP","\u001b]0;pwned\u0007192.168.1.0/24\t\u007f"]"#;
const MICROTENANT_ID: &str = "mt\u{2066}1\u{2069}";
const MICROTENANT: &str = "fin\u{2028}ance\u{2029}\u{61c}\u{85}";
const MICROTENANT_SHOWN: &str = r"fin\u{2028}ance\u{2029}\u{61c}\u{85}";
const MODIFIED_BY: &str = "admin\x1b[8m\0\x7f";
const MODIFIED_BY_SHOWN: &str = r"admin\e[8m\0\u{7f}";
const ACG_ID: &str = "acg\x1b[5m";
const ACG: &str = "acg\x1b[2J\u{9b}2J\rname";
const EDGE_GROUP: &str = "edge\ngroup\u{2028}two";
const EDGE_CERT: &str = "Service\x1b[?25lEdge";

/// What the hostile sequences say once their ESC is gone; each may appear only escaped.
const PAYLOADS: [&str; 7] = ["[2J", "]52;", "]8;;", "]0;", "[31m", "[8m", "[?25l"];

/// `list` piped: one line per key, every server string escaped.
const LIST_PLAIN: &str = r"ID     NAME                                                     TYPE              GROUP                                USAGE  USABLE  MODIFIED
70001  evil\e[2J\u{202e}name                                    CONNECTOR_GRP     grp\e]52;c;ZXZpbA==\u{7}\e[31mred\0  0/10   yes     2026-02-13T17:28:20Z
70002  twin\u{202e}\u{2066}gnp.exe\u{2069}\u{2028}\u{200f}name  CONNECTOR_GRP     acg\e[2J\u{9b}2J\rname               0/10   yes     2026-02-13T17:30:00Z
70003  twin\u{202e}\u{2066}gnp.exe\u{2069}\u{2028}\u{200f}name  SERVICE_EDGE_GRP  edge\ngroup\u{2028}two               0/10   yes     2026-02-13T17:31:40Z
";

/// `get --id 70001` piped.
const GET_PLAIN: &str = r"FIELD            VALUE
id               70001
name             evil\e[2J\u{202e}name
type             CONNECTOR_GRP
group            grp\e]52;c;ZXZpbA==\u{7}\e[31mred\0
group id         zc\u{9b}6n
usage            0/10
usable           yes
enabled          yes
exportable       yes
enrollment cert  \e]8;;https://evil.example/\e\cert\e]8;;\e\
ip acl           10.0.0.0/8\r\n70009  forged  CONNECTOR_GRP, \e]0;pwned\u{7}192.168.1.0/24\t\u{7f}
expires          -
created          2026-02-13T16:26:40Z
modified         2026-02-13T17:28:20Z
microtenant      fin\u{2028}ance\u{2029}\u{61c}\u{85}
";

fn key_value(id: &str) -> String {
    format!(
        "3|api.private.zscaler.com|{}-{id}",
        "Hx0sT3+kq/Zr9".repeat(20)
    )
}

fn tenant() -> Tenant {
    let tenant = json!({
        "customerId": "216196257331281920",
        "provisioningKeys": {
            "CONNECTOR_GRP": [
                {
                    "id": "70001",
                    "modifiedTime": "1771003700",
                    "creationTime": "1771000000",
                    "modifiedBy": MODIFIED_BY,
                    "name": EVIL,
                    "usageCount": "0",
                    "maxUsage": "10",
                    "zcomponentId": GROUP_ID,
                    "enabled": true,
                    "zcomponentName": GROUP,
                    "exportable": true,
                    "enrollmentCertId": "6573",
                    "enrollmentCertName": CERT,
                    "provisioningKey": key_value("70001"),
                    "ipAcl": ACL,
                    "microtenantId": MICROTENANT_ID,
                    "microtenantName": MICROTENANT
                },
                {
                    "id": "70002",
                    "modifiedTime": "1771003800",
                    "creationTime": "1771000000",
                    "modifiedBy": "216196257331372705",
                    "name": TWIN,
                    "usageCount": "0",
                    "maxUsage": "10",
                    "enabled": true,
                    "exportable": true,
                    "provisioningKey": key_value("70002"),
                    "appConnectorGroupId": ACG_ID,
                    "appConnectorGroupName": ACG
                }
            ],
            "SERVICE_EDGE_GRP": [
                {
                    "id": "70003",
                    "modifiedTime": "1771003900",
                    "creationTime": "1771000000",
                    "modifiedBy": "216196257331372705",
                    "name": TWIN,
                    "usageCount": "0",
                    "maxUsage": "10",
                    "zcomponentId": "216196257331404677",
                    "enabled": true,
                    "zcomponentName": EDGE_GROUP,
                    "exportable": true,
                    "enrollmentCertId": "6574",
                    "enrollmentCertName": EDGE_CERT,
                    "provisioningKey": key_value("70003")
                }
            ],
            "NP_ASSISTANT_GRP": []
        }
    });
    Tenant::from_json_str(&tenant.to_string()).expect("the hostile tenant")
}

/// Characters that can act on a terminal or break a line-oriented reader. Written here, not
/// taken from zpakey, so the test does not trust the code it tests.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// Asserts that `text` carries no unsafe character except its own line ends (`\n`, or `\r\n`
/// from a terminal's output processing).
fn assert_inert(text: &str, context: &str) {
    let lines = text.replace("\r\n", "\n");
    let raw: Vec<char> = lines
        .chars()
        .filter(|c| *c != '\n' && is_unsafe(*c))
        .collect();
    assert!(
        raw.is_empty(),
        "{context}: raw {raw:?} reached the output:\n{text:?}"
    );
}

/// Asserts that each hostile sequence's payload appears only after its escaped ESC (`\e` in
/// text, `\u001b` in JSON), never after a real one or on its own.
fn assert_payloads_escaped(text: &str, esc: &str, context: &str) {
    for payload in PAYLOADS {
        for (at, _) in text.match_indices(payload) {
            assert!(
                text[..at].ends_with(esc),
                "{context}: {payload:?} at byte {at} is not escaped:\n{text:?}"
            );
        }
    }
}

/// zpakey piped, as a script runs it: exit 0, nothing on stderr; returns stdout.
fn piped(sim: &SimHandle, args: &[&str]) -> String {
    let out = zpakey(sim).args(args).output().expect("run zpakey");
    let (stdout, stderr) = (stdout_of(&out), stderr_of(&out));
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    assert_eq!(stderr, "", "{args:?}");
    assert_inert(&stdout, &format!("{args:?}"));
    stdout
}

/// zpakey with stdin and stdout on a terminal, colour off, stderr in a file (which must stay
/// empty); returns what the terminal received. `esc` is how the output escapes ESC.
fn on_terminal(sim: &SimHandle, args: &[&str], esc: &str) -> String {
    let mut cmd = command(sim, EnvMode::OneApi);
    cmd.args(["--color", "never"]).args(args);
    let mut pty = Pty::wired(cmd, [Wire::Pty, Wire::Pty, Wire::File]);
    let code = pty.finish();
    let raw = pty.text();
    assert_eq!(code, 0, "{args:?}:\n{raw:?}");
    assert_eq!(pty.captured(2), "", "stderr of {args:?}");
    // zpakey's own decoration is off, so any ESC at all would be the server's.
    assert!(
        !raw.contains('\x1b'),
        "{args:?}: ESC on the terminal:\n{raw:?}"
    );
    assert_inert(&raw, &format!("{args:?} on a terminal"));
    assert_payloads_escaped(&raw, esc, &format!("{args:?} on a terminal"));
    raw
}

/// Asserts that zpakey's JSON object of a key carries the tenant's raw strings exactly.
fn assert_exact_values(object: &Value, tenant: &Tenant, context: &str) {
    let id = object["id"].as_str().expect("an id");
    let wire = zpa_sim::AssociationType::ALL
        .iter()
        .flat_map(|t| tenant.keys(*t).iter())
        .find(|k| k["id"] == id)
        .expect("a key of the tenant");
    for (field, wire_field) in [
        ("name", "name"),
        ("zcomponent_id", "zcomponentId"),
        ("zcomponent_name", "zcomponentName"),
        ("enrollment_cert_name", "enrollmentCertName"),
        ("modified_by", "modifiedBy"),
        ("microtenant_id", "microtenantId"),
        ("microtenant_name", "microtenantName"),
        ("app_connector_group_id", "appConnectorGroupId"),
        ("app_connector_group_name", "appConnectorGroupName"),
    ] {
        assert_eq!(
            object[field], wire[wire_field],
            "{context}: {field} of {id} is not the server's value"
        );
    }
    let acl = wire.get("ipAcl").cloned().unwrap_or(json!([]));
    assert_eq!(object["ip_acl"], acl, "{context}: ip_acl of {id}");
}

#[test]
fn piped_tables_escape_server_text_and_keep_one_line_per_key() {
    let sim = sim_with(tenant());
    let list = piped(&sim, &["list"]);
    assert_eq!(list, LIST_PLAIN);
    assert_eq!(list.lines().count(), 1 + sim.tenant().key_count());
    assert_payloads_escaped(&list, r"\e", "list");
    assert!(list.contains(r"\e]52;c;"), "{list}");

    let get = piped(&sim, &["get", "--id", "70001"]);
    assert_eq!(get, GET_PLAIN);
    assert_payloads_escaped(&get, r"\e", "get");
    // The forged row in the IP ACL stays inside its cell.
    assert!(!get.lines().any(|l| l.starts_with("70009")), "{get}");
}

#[test]
fn piped_fields_are_one_escaped_line() {
    let sim = sim_with(tenant());
    let field = |id: &str, name: &str| piped(&sim, &["get", "--id", id, "--field", name]);
    assert_eq!(field("70001", "name"), format!("{EVIL_SHOWN}\n"));
    assert_eq!(
        field("70001", "zcomponent_name"),
        format!("{GROUP_SHOWN}\n")
    );
    assert_eq!(field("70001", "zcomponent_id"), "zc\\u{9b}6n\n");
    assert_eq!(
        field("70001", "enrollment_cert_name"),
        format!("{CERT_SHOWN}\n")
    );
    assert_eq!(
        field("70001", "modified_by"),
        format!("{MODIFIED_BY_SHOWN}\n")
    );
    assert_eq!(field("70001", "microtenant_id"), "mt\\u{2066}1\\u{2069}\n");
    assert_eq!(
        field("70001", "microtenant_name"),
        format!("{MICROTENANT_SHOWN}\n")
    );
    assert_eq!(
        field("70002", "app_connector_group_name"),
        "acg\\e[2J\\u{9b}2J\\rname\n"
    );
    assert_eq!(
        field("70003", "zcomponent_name"),
        "edge\\ngroup\\u{2028}two\n"
    );
    assert_eq!(field("70002", "app_connector_group_id"), "acg\\e[5m\n");
    assert_eq!(
        field("70003", "enrollment_cert_name"),
        "Service\\e[?25lEdge\n"
    );

    // Not a string: JSON on one line, still exact once decoded.
    let acl = field("70001", "ip_acl");
    assert_eq!(acl, format!("{ACL_JSON}\n"));
    let decoded: Vec<String> = serde_json::from_str(&acl).expect("JSON");
    assert_eq!(decoded, ACL);
    assert_payloads_escaped(&acl, r"\u001b", "--field ip_acl");
}

#[test]
fn json_keeps_the_exact_values_without_raw_controls() {
    let tenant = tenant();
    let sim = sim_with(tenant.clone());
    let list = piped(&sim, &["-o", "json", "list"]);
    assert_payloads_escaped(&list, r"\u001b", "list -o json");
    // The characters serde_json leaves alone are escaped too.
    for escaped in [
        r"\u007f", r"\u009b", r"\u202e", r"\u2066", r"\u2028", r"\u0085",
    ] {
        assert!(list.contains(escaped), "{escaped} not in:\n{list}");
    }
    let keys: Vec<Value> = serde_json::from_str(&list).expect("JSON");
    assert_eq!(keys.len(), 3);
    for key in &keys {
        assert_exact_values(key, &tenant, "list -o json");
    }
    let get = piped(&sim, &["-o", "json", "get", "--id", "70001"]);
    assert_payloads_escaped(&get, r"\u001b", "get -o json");
    let key: Value = serde_json::from_str(&get).expect("JSON");
    assert_exact_values(&key, &tenant, "get -o json");
    assert_eq!(key, keys[0]);
}

#[test]
fn messages_about_names_escape_them() {
    let sim = sim_with(tenant());
    let out = zpakey(&sim)
        .args(["get", "--name", TWIN, "--field", "id"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(stdout_of(&out), "");
    assert_eq!(
        stderr_of(&out),
        format!(
            "zpakey: error: 2 keys match name '{TWIN_SHOWN}'\n  {TWIN_FIRST}\n  {TWIN_SECOND}\nhint: choose one with --id, or narrow the search with --type\n"
        )
    );

    let shouting = TWIN.to_uppercase();
    let out = zpakey(&sim)
        .args(["get", "--name", &shouting])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let stderr = stderr_of(&out);
    assert_inert(&stderr, "did you mean");
    assert_eq!(
        stderr.lines().next(),
        Some(
            format!(
                r"zpakey: error: no provisioning key is named 'TWIN\u{{202e}}\u{{2066}}GNP.EXE\u{{2069}}\u{{2028}}\u{{200f}}NAME'; did you mean '{TWIN_SHOWN}' (id 70002)?"
            )
            .as_str()
        )
    );

    let out = zpakey(&sim)
        .args(["get", "--name", "nope\u{202e}\u{2028}x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let stderr = stderr_of(&out);
    assert_inert(&stderr, "not found");
    assert_eq!(
        stderr.lines().next(),
        Some(r"zpakey: error: no provisioning key is named 'nope\u{202e}\u{2028}x'")
    );
}

#[test]
fn reveal_still_prints_the_key_byte_for_byte() {
    let tenant = tenant();
    let sim = sim_with(tenant.clone());
    let out = piped(&sim, &["reveal", "--id", "70001"]);
    assert_eq!(out, format!("{}\n", value_of(&tenant, "70001")));
}

#[test]
fn a_terminal_shows_tables_and_fields_escaped() {
    let sim = sim_with(tenant());
    let raw = on_terminal(&sim, &["list"], r"\e");
    let screen = Screen::render(&raw).text;
    // Top border, header, rule, one row per key, bottom border: nothing forged or wrapped.
    assert_eq!(screen.lines().count(), 4 + 3, "{screen}");
    for (line, (name, group)) in screen.lines().skip(3).zip([
        (EVIL_SHOWN, GROUP_SHOWN),
        (TWIN_SHOWN, r"acg\e[2J\u{9b}2J\rname"),
        (TWIN_SHOWN, r"edge\ngroup\u{2028}two"),
    ]) {
        assert!(
            line.contains(&format!(" {name} ")) && line.contains(&format!(" {group} ")),
            "{line:?} lacks {name:?} or {group:?}:\n{screen}"
        );
    }

    let raw = on_terminal(&sim, &["get", "--id", "70001"], r"\e");
    let screen = Screen::render(&raw).text;
    assert_eq!(screen.lines().count(), 3 + 16, "{screen}");
    for (field, value) in [
        ("name", EVIL_SHOWN),
        ("group", GROUP_SHOWN),
        ("enrollment cert", CERT_SHOWN),
        ("microtenant", MICROTENANT_SHOWN),
    ] {
        assert!(
            screen
                .lines()
                .any(|l| l.contains(&format!(" {field} ")) && l.contains(&format!(" {value} "))),
            "no row {field} = {value}:\n{screen}"
        );
    }

    assert_eq!(
        on_terminal(&sim, &["get", "--id", "70001", "--field", "name"], r"\e"),
        format!("{EVIL_SHOWN}\r\n")
    );
    assert_eq!(
        on_terminal(
            &sim,
            &["get", "--id", "70001", "--field", "ip_acl"],
            r"\u001b"
        ),
        format!("{ACL_JSON}\r\n")
    );
}

#[test]
fn json_on_a_terminal_is_inert_and_exact() {
    let tenant = tenant();
    let sim = sim_with(tenant.clone());
    for args in [
        &["-o", "json", "list"][..],
        &["-o", "json", "get", "--id", "70001"],
    ] {
        let raw = on_terminal(&sim, args, r"\u001b");
        let decoded: Value = serde_json::from_str(&raw.replace("\r\n", "\n")).expect("JSON");
        let keys = match decoded {
            Value::Array(keys) => keys,
            one => vec![one],
        };
        for key in &keys {
            assert_exact_values(key, &tenant, &format!("{args:?} on a terminal"));
        }
    }
}

#[test]
fn the_pick_prompt_shows_names_escaped() {
    let sim = sim_with(tenant());
    let prompt = format!("2 keys match name '{TWIN_SHOWN}'; pick one:");
    let (first, second) = (TWIN_FIRST, TWIN_SECOND);
    let mut cmd = command(&sim, EnvMode::OneApi);
    cmd.args(["--color", "never", "get", "--name", TWIN, "--field", "name"]);
    let mut pty = Pty::wired(cmd, [Wire::Pty, Wire::File, Wire::Pty]);
    pty.until(&prompt);
    pty.until(&format!("> {first}"));
    pty.until(&format!("  {second}"));
    pty.until_raw();
    pty.send("\x1b[B");
    pty.until(&format!("> {second}"));
    pty.until_raw();
    pty.send("\r");
    assert_eq!(pty.finish(), 0, "{:?}", pty.text());
    assert_eq!(pty.captured(1), format!("{TWIN_SHOWN}\n"));
    let raw = pty.text();
    // The prompt draws with cursor movements (ESC [ …); the screen model accepts only those,
    // and fails on any other sequence or control character.
    let screen = Screen::render(&raw);
    // The answer line is wider than the terminal: it wraps, and only there.
    assert_eq!(screen.text.replace('\n', ""), format!("{prompt} {second}"));
    assert!(screen.cursor_visible);
    let without_decoration = super::pty::strip_ansi(&raw);
    assert_inert(&without_decoration.replace('\r', ""), "the pick prompt");
}
