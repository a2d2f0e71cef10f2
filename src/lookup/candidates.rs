//! The candidates of an ambiguous lookup as people see them, in the picker and in the exit-5
//! error: one aligned line per key, its server text escaped.

use std::time::SystemTime;

use crate::error::{Error, Kind};
use crate::escape::escape;
use crate::key::Key;
use crate::output;

/// The candidates of an ambiguous lookup, one line each, as the picker and the errors show
/// them: id, type, name, then a hint of its state (group, and whether it can still enroll),
/// in columns padded to line up, since ids and type names differ in length.
pub(crate) fn labels(keys: &[Key], now: SystemTime) -> Vec<String> {
    let rows: Vec<[String; 5]> = keys
        .iter()
        .map(|key| {
            // Not exportable is among them: it can still enroll, but `reveal` cannot show it.
            let state = output::problem_words(key, now);
            [
                format!("id {}", escape(&key.id)),
                key.key_type.as_str().to_owned(),
                escape(&key.name).into_owned(),
                format!("group {}", escape(key.group().unwrap_or("-"))),
                if state.is_empty() {
                    "usable".to_owned()
                } else {
                    state.join(", ")
                },
            ]
        })
        .collect();
    aligned(&rows)
}

/// Rows of cells as lines, two spaces between columns, every column but the last padded to
/// its widest cell. Widths are counted in characters: the escaped text has no control
/// characters, and ZPA names are rarely double-width.
fn aligned<const N: usize>(rows: &[[String; N]]) -> Vec<String> {
    let mut widths = [0; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    rows.iter()
        .map(|row| {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if i + 1 < N {
                    let pad = widths[i] - cell.chars().count() + 2;
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            line
        })
        .collect()
}

/// The error for several matches and no choice: exit 5 with every candidate.
pub(crate) fn ambiguous(what: &str, keys: &[Key], now: SystemTime) -> Error {
    let message = format!("{} keys match {what}", keys.len());
    with_candidates(Error::new(Kind::Ambiguous, message), keys, now)
}

/// The error for a pick the person declined (Esc or q): exit 5 as without a picker, saying
/// that nothing was picked rather than that nobody could be asked.
pub(crate) fn not_picked(what: &str, keys: &[Key], now: SystemTime) -> Error {
    let message = format!("no key picked among the {} that match {what}", keys.len());
    with_candidates(Error::new(Kind::Ambiguous, message), keys, now)
}

fn with_candidates(mut error: Error, keys: &[Key], now: SystemTime) -> Error {
    for label in labels(keys, now) {
        error = error.detail(format!("  {label}"));
    }
    error.hint("choose one with --id, or narrow the search with --type")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::KeyType;

    fn key(json: &str) -> Key {
        serde_json::from_str::<crate::api::wire::WireKey>(json)
            .expect("a wire key")
            .into_key(KeyType::ConnectorGrp)
    }

    #[test]
    fn candidates_show_names_escaped() {
        // A name that no argument could carry (control characters are refused there), so
        // only a unit test reaches it.
        let hostile = key(r#"{"id": "7", "name": "a\u001b]52;c;eA==\u0007\r\nb\u009b"}"#);
        let shown = r"id 7  CONNECTOR_GRP  a\e]52;c;eA==\u{7}\r\nb\u{9b}  group -  usable";
        assert_eq!(
            labels(std::slice::from_ref(&hostile), SystemTime::now()),
            [shown]
        );
        let error = ambiguous("name 'x'", &[hostile], SystemTime::now());
        assert_eq!(error.details, [format!("  {shown}")]);
    }

    #[test]
    fn candidates_line_up_whatever_the_lengths() {
        let mut short = key(
            r#"{"id": "7", "name": "x", "zcomponentName": "g", "maxUsage": "2", "usageCount": "2"}"#,
        );
        short.key_type = KeyType::ServiceEdgeGrp;
        let long = key(
            r#"{"id": "1234567890", "name": "a longer name", "zcomponentName": "group-two", "enabled": false, "exportable": false}"#,
        );
        assert_eq!(
            labels(&[short, long], SystemTime::now()),
            [
                "id 7           SERVICE_EDGE_GRP  x              group g          used up",
                "id 1234567890  CONNECTOR_GRP     a longer name  group group-two  disabled, not exportable",
            ]
        );
    }
}
