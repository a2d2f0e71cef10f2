//! `list` on a narrow terminal (issue 15): on 80 and 60 columns the table gives up MODIFIED,
//! then GROUP, then the long spelling of TYPE before it wraps anything, and what still wraps
//! breaks between words — at a space, or after a hyphen, underscore, dot or slash in a word
//! without spaces — never inside a word that a line could have held. Every key's id, name,
//! type, usage and verdict is still there.

use serde_json::Value;
use zpa_sim::{EnvMode, SimHandle};

use super::pty::{Pty, Wire, command};
use crate::support::{sim, stdout_of, zpakey};

/// One key as the table must show it: id, name, short type, usage, verdict.
struct Expected {
    cells: [String; 5],
}

/// The keys `list` shows, in its order, read from its JSON (and the verdicts from the piped
/// table, whose last two columns are the verdict and an RFC 3339 time).
fn expected(sim: &SimHandle) -> Vec<Expected> {
    let json = zpakey(sim).args(["-o", "json", "list"]).output().unwrap();
    let keys: Vec<Value> = serde_json::from_str(&stdout_of(&json)).expect("JSON");
    let plain = zpakey(sim).arg("list").output().unwrap();
    let plain = stdout_of(&plain);
    let verdicts: Vec<String> = plain
        .lines()
        .skip(1)
        .map(|line| {
            let (rest, _modified) = line.trim_end().rsplit_once(' ').expect("columns");
            let rest = rest.trim_end();
            let reason = rest.rfind("no (").or_else(|| rest.rfind("yes ("));
            match reason {
                Some(at) if rest.ends_with(')') => rest[at..].to_owned(),
                _ => rest.rsplit(' ').next().expect("a verdict").to_owned(),
            }
        })
        .collect();
    assert_eq!(keys.len(), verdicts.len(), "{plain}");
    keys.iter()
        .zip(verdicts)
        .map(|(key, verdict)| {
            let field = |name: &str| key[name].as_str().expect(name).to_owned();
            let number = |name: &str| key[name].as_u64().map_or("-".to_owned(), |n| n.to_string());
            Expected {
                cells: [
                    field("id"),
                    field("name"),
                    short_type(&field("association_type")),
                    format!("{}/{}", number("usage_count"), number("max_usage")),
                    verdict,
                ],
            }
        })
        .collect()
}

/// `CONNECTOR_GRP` → `connector`, as `--type` spells it; written out here rather than taken
/// from zpakey.
fn short_type(wire: &str) -> String {
    match wire {
        "CONNECTOR_GRP" => "connector",
        "SERVICE_EDGE_GRP" => "service-edge",
        "NP_ASSISTANT_GRP" => "np-assistant",
        "SITE_CONTROLLER_GRP" => "site-controller",
        "EXPORTER_GRP" => "exporter",
        other => panic!("an unknown type {other}"),
    }
    .to_owned()
}

/// A box-drawn table on the screen: its header, and for each row (a line whose ID cell is
/// filled, plus the lines that continue it) each column's lines; and each column's width.
struct Drawn {
    header: Vec<String>,
    rows: Vec<Vec<Vec<String>>>,
    widths: Vec<usize>,
}

fn drawn(screen: &str, cols: usize) -> Drawn {
    let lines: Vec<&str> = screen.lines().collect();
    for line in &lines {
        assert!(
            line.chars().count() <= cols,
            "a line wider than the terminal ({cols}):\n{screen}"
        );
    }
    assert!(lines.len() >= 4, "not a table:\n{screen}");
    assert!(
        lines[0].starts_with('┌') && lines[2].starts_with('╞'),
        "{screen}"
    );
    assert!(lines[lines.len() - 1].starts_with('└'), "{screen}");
    let cells = |line: &str| -> Vec<String> {
        assert!(
            line.starts_with('│') && line.ends_with('│'),
            "a broken row {line:?}:\n{screen}"
        );
        line.trim_matches('│')
            .split('┆')
            .map(str::to_owned)
            .collect()
    };
    let header: Vec<String> = cells(lines[1])
        .iter()
        .map(|c| c.trim().to_owned())
        .collect();
    let widths = cells(lines[1])
        .iter()
        .map(|c| c.chars().count() - 2)
        .collect();
    let mut rows: Vec<Vec<Vec<String>>> = Vec::new();
    for line in &lines[3..lines.len() - 1] {
        let line = cells(line);
        assert_eq!(line.len(), header.len(), "{screen}");
        if !line[0].trim().is_empty() {
            rows.push(vec![Vec::new(); header.len()]);
        }
        let row = rows.last_mut().expect("a row starts with its id");
        for (column, cell) in row.iter_mut().zip(&line) {
            // One space of padding on each side; the rest is the cell's own.
            let text = cell.chars().skip(1).collect::<String>();
            let text = text.trim_end();
            if !text.is_empty() {
                column.push(text.to_owned());
            }
        }
    }
    Drawn {
        header,
        rows,
        widths,
    }
}

/// Where a word without spaces may be broken: after these.
const SOFT: [char; 4] = ['-', '_', '.', '/'];

/// Checks that `lines` spell `text` and that each break between them falls at a space, after
/// a hyphen, underscore, dot or slash, or inside a run of letters too long for a line of
/// `width`.
fn assert_broken_between_words(lines: &[String], text: &str, width: usize, context: &str) {
    let mut at = 0;
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            while text[at..].starts_with(' ') {
                at += 1;
            }
        }
        assert!(
            text[at..].starts_with(line.as_str()),
            "{context}: {lines:?} do not spell {text:?}"
        );
        at += line.len();
        if i + 1 == lines.len() {
            break;
        }
        let at_space = text[at..].starts_with(' ');
        let after_soft = line.ends_with(SOFT);
        // The run the break falls in, from the last space or soft break before it to the
        // next after it: a line could have held it whole unless it is longer than a line.
        let start = text[..at]
            .rfind(|c| c == ' ' || SOFT.contains(&c))
            .map_or(0, |s| s + 1);
        let end = text[at..]
            .find(|c| c == ' ' || SOFT.contains(&c))
            .map_or(text.len(), |e| at + e + 1)
            .min(text.len());
        let too_long = text[start..end].trim_end().chars().count() > width;
        assert!(
            at_space || after_soft || too_long,
            "{context}: {lines:?} break {:?} mid-way",
            &text[start..end]
        );
    }
    assert_eq!(
        at,
        text.trim_end().len(),
        "{context}: {lines:?} leave out part of {text:?}"
    );
}

fn list_at(sim: &SimHandle, cols: u16) -> String {
    let mut cmd = command(sim, EnvMode::OneApi);
    cmd.arg("list");
    let mut pty = Pty::sized(cmd, [Wire::Pty, Wire::Pty, Wire::File], cols);
    assert_eq!(pty.finish(), 0, "{}", pty.text());
    assert_eq!(pty.captured(2), "");
    pty.screen().text
}

#[test]
fn narrow_terminals_drop_columns_before_breaking_words() {
    let sim = sim();
    let keys = expected(&sim);
    for cols in [80u16, 60] {
        let screen = list_at(&sim, cols);
        let table = drawn(&screen, usize::from(cols));
        assert_eq!(
            table.header,
            ["ID", "NAME", "TYPE", "USAGE", "USABLE"],
            "{cols} columns:\n{screen}"
        );
        assert_eq!(table.rows.len(), keys.len(), "{cols} columns:\n{screen}");
        for (row, key) in table.rows.iter().zip(&keys) {
            for (column, (lines, text)) in row.iter().zip(&key.cells).enumerate() {
                let context = format!("{cols} columns, {} {}", table.header[column], key.cells[0]);
                assert_broken_between_words(lines, text, table.widths[column], &context);
            }
        }
        if cols == 80 {
            // 80 columns hold every name of the demo tenant on at most two lines.
            assert!(table.rows.iter().all(|row| row[1].len() <= 2), "{screen}");
        }
    }
}
