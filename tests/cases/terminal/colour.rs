//! Colour and decoration: box drawing, colour and relative times on a terminal; plain columns,
//! RFC 3339 times and no escapes when piped unless colour is forced; `reveal`, JSON and
//! `--field` never decorated.

use zpa_sim::{AssociationType, EnvMode, SimHandle};

use super::pty::{Pty, Screen, Wire, command, is_green, is_red, strip_ansi, styled_runs};
use crate::support::{sim, stdout_of, zpakey};

/// `list --type service-edge` piped: the stable layout scripts may rely on.
const EDGE_PLAIN: &str = "\
ID     NAME                        TYPE              GROUP                 USAGE  USABLE        MODIFIED
46174  docker-prov-key-zsdemo-zpa  SERVICE_EDGE_GRP  Service-Edge-Group-1  4/10   yes           2025-04-29T00:40:55Z
60201  edge-prod                   SERVICE_EDGE_GRP  edge-group-prod       10/10  no (used up)  2026-02-13T17:43:20Z
60202  shared-name                 SERVICE_EDGE_GRP  edge-group-lab        0/10   yes           2026-02-13T17:45:00Z
58857  tests-pkseg-vcr0003         SERVICE_EDGE_GRP  tests-pkseg-vcr0001   0/2    yes           2026-03-13T02:45:27Z
";

/// The same rows on a terminal, without the MODIFIED column (a relative time there).
const EDGE_ROWS: [[&str; 6]; 4] = [
    [
        "46174",
        "docker-prov-key-zsdemo-zpa",
        "SERVICE_EDGE_GRP",
        "Service-Edge-Group-1",
        "4/10",
        "yes",
    ],
    [
        "60201",
        "edge-prod",
        "SERVICE_EDGE_GRP",
        "edge-group-prod",
        "10/10",
        "no (used up)",
    ],
    [
        "60202",
        "shared-name",
        "SERVICE_EDGE_GRP",
        "edge-group-lab",
        "0/10",
        "yes",
    ],
    [
        "58857",
        "tests-pkseg-vcr0003",
        "SERVICE_EDGE_GRP",
        "tests-pkseg-vcr0001",
        "0/2",
        "yes",
    ],
];

/// `get --id 60104 --type connector` (an expired key) piped.
const EXPIRED_PLAIN: &str = "\
FIELD            VALUE
id               60104
name             connector-expired
type             CONNECTOR_GRP
group            lab-connector-group
group id         216196257331404701
usage            0/10
usable           no (expired)
enabled          yes
exportable       yes
enrollment cert  Connector
ip acl           -
expires          2023-11-14T22:13:20Z
created          2026-02-13T16:31:40Z
modified         2026-02-13T17:31:40Z
microtenant      -
";

/// An environment value meaning "remove the variable".
const UNSET: &str = "<unset>";

const BOX_DRAWING: std::ops::RangeInclusive<char> = '\u{2500}'..='\u{257f}';

/// Runs zpakey with stdout (and stdin) on a terminal and stderr in a file, which must stay
/// empty; returns the raw terminal output and the screen it makes.
fn on_terminal(sim: &SimHandle, env: &[(&str, &str)], args: &[&str]) -> (String, Screen) {
    let mut cmd = command(sim, EnvMode::OneApi);
    for (name, value) in env {
        if *value == UNSET {
            cmd.env_remove(name);
        } else {
            cmd.env(name, value);
        }
    }
    cmd.args(args);
    let mut pty = Pty::wired(cmd, [Wire::Pty, Wire::Pty, Wire::File]);
    let code = pty.finish();
    let raw = pty.text();
    assert_eq!(code, 0, "{env:?} {args:?}:\n{raw}");
    assert_eq!(pty.captured(2), "", "stderr of {env:?} {args:?}");
    let screen = pty.screen();
    (raw, screen)
}

/// The cells of a box-drawn table: header first, then one row per key; checks the frame.
fn box_cells(screen: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines.len() >= 4, "not a table:\n{screen}");
    let (first, last) = (lines[0], lines[lines.len() - 1]);
    assert!(
        first.starts_with('┌') && first.ends_with('┐'),
        "no top border:\n{screen}"
    );
    assert!(
        last.starts_with('└') && last.ends_with('┘'),
        "no bottom border:\n{screen}"
    );
    assert!(lines[2].starts_with('╞'), "no header rule:\n{screen}");
    lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 0 && *i != 2 && *i != lines.len() - 1)
        .map(|(_, line)| {
            assert!(
                line.starts_with('│') && line.ends_with('│'),
                "a wrapped or broken row {line:?}:\n{screen}"
            );
            line.trim_matches('│')
                .split('┆')
                .map(|cell| cell.trim().to_owned())
                .collect()
        })
        .collect()
}

/// "just now", "3 days ago", "in 1 year" and the like.
fn is_relative(text: &str) -> bool {
    let amount = |n: &str, unit: &str| {
        let base = unit.strip_suffix('s').unwrap_or(unit);
        n.parse::<u64>().is_ok_and(|n| {
            ["minute", "hour", "day", "month", "year"].contains(&base) && (n == 1) == (unit == base)
        })
    };
    match text.split(' ').collect::<Vec<_>>().as_slice() {
        ["just", "now"] => true,
        [n, unit, "ago"] | ["in", n, unit] => amount(n, unit),
        _ => false,
    }
}

fn assert_edge_table(screen: &Screen, context: &str) {
    let cells = box_cells(&screen.text);
    assert_eq!(
        cells[0],
        ["ID", "NAME", "TYPE", "GROUP", "USAGE", "USABLE", "MODIFIED"],
        "{context}:\n{}",
        screen.text
    );
    assert_eq!(
        cells.len(),
        1 + EDGE_ROWS.len(),
        "{context}:\n{}",
        screen.text
    );
    for (row, expected) in cells[1..].iter().zip(EDGE_ROWS) {
        assert_eq!(row[..6], expected, "{context}:\n{}", screen.text);
        assert!(
            is_relative(&row[6]),
            "{context}: MODIFIED {:?} is not a relative time:\n{}",
            row[6],
            screen.text
        );
    }
}

/// The usable cells are green "yes" and red "no (…)", and nothing else is coloured.
fn assert_usable_coloured(raw: &str, context: &str) {
    let coloured: Vec<(String, String)> = styled_runs(raw)
        .into_iter()
        .filter(|(params, _)| !params.is_empty() && params != "0" && params != "39")
        .map(|(params, text)| (params, text.trim().to_owned()))
        .collect();
    let green = coloured
        .iter()
        .filter(|(p, t)| is_green(p) && t == "yes")
        .count();
    let red = coloured
        .iter()
        .filter(|(p, t)| is_red(p) && t == "no (used up)")
        .count();
    assert_eq!(
        (green, red, coloured.len()),
        (3, 1, 4),
        "{context}: expected 3 green 'yes' and 1 red 'no (used up)', got {coloured:?}"
    );
}

#[test]
fn a_terminal_gets_box_drawing_colour_and_relative_times() {
    let sim = sim();
    let args = ["list", "--type", "service-edge"];
    let mut screens = Vec::new();
    for env in [
        &[][..],
        &[("TERM", UNSET)],
        &[("NO_COLOR", "")],
        &[("CLICOLOR", "1")],
        &[("CLICOLOR_FORCE", "0")],
    ] {
        let context = format!("{env:?}");
        let (raw, screen) = on_terminal(&sim, env, &args);
        assert_edge_table(&screen, &context);
        assert_usable_coloured(&raw, &context);
        for line in EDGE_PLAIN.lines().skip(1) {
            let rfc3339 = line.rsplit(' ').next().expect("a MODIFIED column");
            assert!(
                !raw.contains(rfc3339),
                "{context}: an absolute time on a terminal:\n{raw}"
            );
        }
        screens.push(screen.text);
    }
    let (raw, screen) = on_terminal(&sim, &[], &["--color", "always", args[0], args[1], args[2]]);
    assert_usable_coloured(&raw, "--color always");
    screens.push(screen.text);
    assert!(
        screens.windows(2).all(|w| w[0] == w[1]),
        "the layout depends on colour: {screens:#?}"
    );
}

#[test]
fn colour_can_be_turned_off_on_a_terminal_without_changing_the_layout() {
    let sim = sim();
    let args = ["list", "--type", "service-edge"];
    let (_, coloured) = on_terminal(&sim, &[], &args);
    for (env, flags) in [
        (&[("NO_COLOR", "1")][..], &[][..]),
        (&[("CLICOLOR", "0")], &[]),
        (&[("TERM", "dumb")], &[]),
        (&[], &["--color", "never"]),
        (&[("CLICOLOR_FORCE", "1")], &["--color", "never"]),
    ] {
        let context = format!("{env:?} {flags:?}");
        let all: Vec<&str> = flags.iter().chain(&args).copied().collect();
        let (raw, screen) = on_terminal(&sim, env, &all);
        assert!(
            !raw.contains('\x1b'),
            "{context}: escape sequences without colour:\n{raw:?}"
        );
        assert_edge_table(&screen, &context);
        assert_eq!(screen.text, coloured.text, "{context}");
    }
}

#[test]
fn get_on_a_terminal_is_a_box_with_relative_times_and_a_red_verdict() {
    let sim = sim();
    let (raw, screen) = on_terminal(&sim, &[], &["get", "--id", "60104", "--type", "connector"]);
    let cells = box_cells(&screen.text);
    let pairs: Vec<(&str, &str)> = cells
        .iter()
        .map(|row| {
            assert_eq!(row.len(), 2, "{}", screen.text);
            (row[0].as_str(), row[1].as_str())
        })
        .collect();
    let expected_plain: Vec<(&str, &str)> = EXPIRED_PLAIN
        .lines()
        .map(|line| {
            let (field, value) = line.split_once("  ").expect("two columns");
            (field, value.trim())
        })
        .collect();
    assert_eq!(pairs.len(), expected_plain.len(), "{}", screen.text);
    for (shown, plain) in pairs.iter().zip(&expected_plain) {
        if ["expires", "created", "modified"].contains(&plain.0) {
            assert_eq!(shown.0, plain.0);
            assert!(is_relative(shown.1), "{shown:?}:\n{}", screen.text);
        } else {
            assert_eq!(shown, plain, "{}", screen.text);
        }
    }
    let red: Vec<String> = styled_runs(&raw)
        .into_iter()
        .filter(|(p, _)| is_red(p))
        .map(|(_, t)| t.trim().to_owned())
        .collect();
    assert_eq!(red, ["no (expired)"], "{raw:?}");
}

#[test]
fn piped_output_is_plain_columns_with_rfc3339_times_and_no_escapes() {
    let sim = sim();
    for env in [
        &[][..],
        &[("CLICOLOR_FORCE", "0")],
        &[("CLICOLOR_FORCE", "")],
    ] {
        let mut cmd = zpakey(&sim);
        cmd.env("TERM", "xterm-256color");
        for (name, value) in env {
            cmd.env(name, value);
        }
        cmd.args(["list", "--type", "service-edge"])
            .assert()
            .success()
            .stdout(EDGE_PLAIN)
            .stderr("");
    }
    zpakey(&sim)
        .args(["get", "--id", "60104", "--type", "connector"])
        .assert()
        .success()
        .stdout(EXPIRED_PLAIN)
        .stderr("");
    assert!(!EDGE_PLAIN.contains(|c| BOX_DRAWING.contains(&c)));
}

#[test]
fn forced_colour_when_piped_colours_the_plain_layout() {
    let sim = sim();
    for (env, flags) in [
        (&[("CLICOLOR_FORCE", "1")][..], &[][..]),
        (&[("CLICOLOR_FORCE", "yes")], &[]),
        (&[], &["--color", "always"]),
    ] {
        let context = format!("{env:?} {flags:?}");
        let mut cmd = zpakey(&sim);
        for (name, value) in env {
            cmd.env(name, value);
        }
        let out = cmd
            .args(flags)
            .args(["list", "--type", "service-edge"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{context}");
        assert_eq!(out.stderr, b"", "{context}");
        let stdout = stdout_of(&out);
        assert_usable_coloured(&stdout, &context);
        assert_eq!(strip_ansi(&stdout), EDGE_PLAIN, "{context}");
    }
}

#[test]
fn color_always_beats_no_color() {
    let sim = sim();
    let args = ["--color", "always", "list", "--type", "service-edge"];
    let out = zpakey(&sim)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = stdout_of(&out);
    assert_usable_coloured(&stdout, "piped");
    assert_eq!(strip_ansi(&stdout), EDGE_PLAIN);
    let (raw, screen) = on_terminal(&sim, &[("NO_COLOR", "1")], &args);
    assert_usable_coloured(&raw, "on a terminal");
    assert_edge_table(&screen, "on a terminal");
}

#[test]
fn reveal_on_a_terminal_is_exactly_the_key() {
    let sim = sim();
    let value = sim
        .tenant()
        .keys(AssociationType::ConnectorGrp)
        .iter()
        .find(|k| k["id"] == "58856")
        .and_then(|k| k["provisioningKey"].as_str())
        .expect("key 58856 has a value")
        .to_owned();
    let reveal = ["reveal", "--id", "58856", "--type", "connector"];
    for (env, flags, expected) in [
        (&[][..], &[][..], format!("{value}\r\n")),
        (&[], &["--color", "always"], format!("{value}\r\n")),
        (&[("CLICOLOR_FORCE", "1")], &[], format!("{value}\r\n")),
        (&[], &["--color", "always", "-n"], value.clone()),
    ] {
        let args: Vec<&str> = reveal.iter().chain(flags).copied().collect();
        let (raw, _) = on_terminal(&sim, env, &args);
        assert_eq!(raw, expected, "{env:?} {flags:?}");
    }
}

#[test]
fn json_and_fields_on_a_terminal_are_exactly_what_a_pipe_gets() {
    let sim = sim();
    for args in [
        &["-o", "json", "get", "--id", "58856", "--type", "connector"][..],
        &[
            "get",
            "--id",
            "60201",
            "--type",
            "service-edge",
            "--field",
            "usable",
        ],
        &[
            "get",
            "--id",
            "58856",
            "--type",
            "connector",
            "--field",
            "name",
        ],
        &["-o", "json", "list", "--type", "service-edge"],
    ] {
        let piped = zpakey(&sim).args(args).output().unwrap();
        assert_eq!(piped.status.code(), Some(0), "{args:?}");
        let expected = stdout_of(&piped).replace('\n', "\r\n");
        for colour in ["auto", "always"] {
            let all: Vec<&str> = ["--color", colour].iter().chain(args).copied().collect();
            let (raw, _) = on_terminal(&sim, &[], &all);
            assert_eq!(raw, expected, "{all:?}");
        }
    }
}
