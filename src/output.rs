//! Rendering of key metadata: the JSON contract of CLI.md (field for field, never the key
//! value) and tables for people. Everything is written to a caller-supplied writer, and every
//! piece of server text is escaped on the way (see `escape`): tables and `--field` show it
//! visibly escaped, JSON keeps it exact.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::OnceLock;
use std::time::SystemTime;

use comfy_table::{Cell, Color, ColumnConstraint, ContentArrangement, Table, Width, presets};
use serde::Serialize;

use crate::escape::{SafeFormatter, escape};
use crate::key::Key;
use crate::term::Term;
use crate::time;
use crate::wrap;

/// How results are written: a table for people or JSON for scripts (`-o`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OutputFormat {
    Table,
    Json,
}

/// The JSON object of `get` and each element of `list`. It has no field for the key value,
/// so no format or flag can print one by accident.
#[derive(Debug, Default, Serialize)]
pub(crate) struct KeyJson<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) association_type: &'static str,
    pub(crate) enabled: bool,
    pub(crate) usable: bool,
    /// `disabled`, `used_up`, `expired`, `not_exportable`; empty when none.
    pub(crate) problems: Vec<&'static str>,
    pub(crate) max_usage: Option<u64>,
    pub(crate) usage_count: Option<u64>,
    pub(crate) remaining_uses: Option<u64>,
    pub(crate) exportable: Option<bool>,
    pub(crate) zcomponent_id: Option<&'a str>,
    pub(crate) zcomponent_name: Option<&'a str>,
    pub(crate) enrollment_cert_id: Option<&'a str>,
    pub(crate) enrollment_cert_name: Option<&'a str>,
    pub(crate) ip_acl: &'a [String],
    pub(crate) expiration_time: Option<String>,
    pub(crate) creation_time: Option<String>,
    pub(crate) modified_time: Option<String>,
    pub(crate) modified_by: Option<&'a str>,
    pub(crate) microtenant_id: Option<&'a str>,
    pub(crate) microtenant_name: Option<&'a str>,
    pub(crate) app_connector_group_id: Option<&'a str>,
    pub(crate) app_connector_group_name: Option<&'a str>,
}

impl<'a> KeyJson<'a> {
    pub(crate) fn new(key: &'a Key, now: SystemTime) -> Self {
        let problems = key.problems(now);
        KeyJson {
            id: &key.id,
            name: &key.name,
            association_type: key.key_type.as_str(),
            enabled: key.enabled,
            // As `Key::usable` decides, from the problems already found.
            usable: problems.iter().all(|p| !p.blocks_enrollment()),
            problems: problems.iter().map(|p| p.code()).collect(),
            max_usage: key.max_usage,
            usage_count: key.usage_count,
            remaining_uses: key.remaining_uses(),
            exportable: key.exportable,
            zcomponent_id: key.zcomponent_id.as_deref(),
            zcomponent_name: key.zcomponent_name.as_deref(),
            enrollment_cert_id: key.enrollment_cert_id.as_deref(),
            enrollment_cert_name: key.enrollment_cert_name.as_deref(),
            ip_acl: &key.ip_acl,
            expiration_time: key.expiration_time.and_then(time::rfc3339),
            creation_time: key.creation_time.and_then(time::rfc3339),
            modified_time: key.modified_time.and_then(time::rfc3339),
            modified_by: key.modified_by.as_deref(),
            microtenant_id: key.microtenant_id.as_deref(),
            microtenant_name: key.microtenant_name.as_deref(),
            app_connector_group_id: key.app_connector_group_id.as_deref(),
            app_connector_group_name: key.app_connector_group_name.as_deref(),
        }
    }
}

/// The names of [`KeyJson`]'s fields, in order: the one list `--field` offers, read off the
/// type itself so that a field added or renamed there is offered at once.
pub(crate) fn fields() -> &'static [&'static str] {
    static FIELDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let text = serde_json::to_string(&KeyJson::default()).unwrap_or_default();
        let mut decoder = serde_json::Deserializer::from_str(&text);
        serde::Deserializer::deserialize_map(&mut decoder, FieldNames)
            .unwrap_or_default()
            .into_iter()
            .map(|name| &*name.leak())
            .collect()
    })
}

/// Collects the keys of a JSON object in the order they appear.
struct FieldNames;

impl<'de> serde::de::Visitor<'de> for FieldNames {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
        let mut names = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            map.next_value::<serde::de::IgnoredAny>()?;
            names.push(name);
        }
        Ok(names)
    }
}

/// Pretty JSON, exact values; characters that could act on a terminal are `\uXXXX` escapes.
pub(crate) fn write_json<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    // The serializer makes a write per quote, colon and indent: through `dyn Write` each is
    // a call that cannot be inlined, a sixth of a 10,000-key list's time. A buffer of a
    // known type turns them into copies; `out` gets whole 64 KiB blocks.
    let mut buffered = io::BufWriter::with_capacity(64 * 1024, &mut *out);
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut buffered, SafeFormatter::pretty());
    value.serialize(&mut serializer).map_err(io::Error::from)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// `--field`: strings bare (escaped, so one value is one line), everything else as JSON, one
/// line.
pub(crate) fn write_field(out: &mut dyn Write, key: &KeyJson<'_>, field: &str) -> io::Result<()> {
    let value = serde_json::to_value(key).map_err(io::Error::from)?;
    let picked = value.get(field).cloned().unwrap_or(serde_json::Value::Null);
    match picked {
        serde_json::Value::String(s) => writeln!(out, "{}", escape(&s)),
        other => {
            let mut serializer =
                serde_json::Serializer::with_formatter(&mut *out, SafeFormatter::compact());
            other.serialize(&mut serializer).map_err(io::Error::from)?;
            out.write_all(b"\n")
        }
    }
}

/// A table styled for where stdout goes: box drawing on a terminal, bare columns in a pipe.
pub(crate) fn new_table(term: &Term) -> Table {
    let mut table = Table::new();
    if term.stdout_tty {
        table.load_preset(presets::UTF8_FULL_CONDENSED);
        // Wrap to the terminal only when its width is known and usable: some terminals
        // (serial consoles, `script`) report 0 columns, which would squeeze every cell.
        let arrangement = match table.width() {
            Some(width) if width >= 40 => ContentArrangement::Dynamic,
            _ => ContentArrangement::Disabled,
        };
        table.set_content_arrangement(arrangement);
    } else {
        // Piped: borderless columns at full width, so lines never wrap differently per machine.
        table
            .load_preset(presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Disabled)
            .force_no_tty();
    }
    if term.color {
        table.enforce_styling();
    }
    table
}

/// What is wrong with a key, in the words of the USABLE column ("disabled", "used up",
/// "expired", "not exportable"); empty when nothing is. The picker's hints use the same words.
pub(crate) fn problem_words(key: &Key, now: SystemTime) -> Vec<&'static str> {
    key.problems(now).iter().map(|p| p.short()).collect()
}

/// "yes", "no (used up)", or "yes (not exportable)" for a key that can enroll but whose value
/// ZPA withholds; wider than `width` (a narrow table), the verdict and the reason on lines of
/// their own.
fn usable_cell(key: &Key, now: SystemTime, term: &Term, width: Option<usize>) -> Cell {
    let problems = problem_words(key, now);
    let usable = key.usable(now);
    let verdict = if usable { "yes" } else { "no" };
    let reason = format!("({})", problems.join(", "));
    let text = match width {
        _ if problems.is_empty() => "yes".to_owned(),
        Some(width) if reason.len() + verdict.len() + 1 > width => {
            format!("{verdict}\n{}", wrap::lines(&reason, width))
        }
        _ => format!("{verdict} {reason}"),
    };
    let cell = Cell::new(text);
    match (term.color, usable, problems.is_empty()) {
        (false, _, _) => cell,
        (true, true, true) => cell.fg(Color::Green),
        (true, true, false) => cell.fg(Color::Yellow),
        (true, false, _) => cell.fg(Color::Red),
    }
}

fn usage(key: &Key) -> String {
    let used = key.usage_count.map_or("-".to_owned(), |n| n.to_string());
    let max = key.max_usage.map_or("-".to_owned(), |n| n.to_string());
    format!("{used}/{max}")
}

fn time(epoch: Option<i64>, now: SystemTime, term: &Term) -> String {
    match epoch {
        None => "-".into(),
        Some(t) if term.stdout_tty => time::relative(t, now),
        Some(t) => time::rfc3339(t).unwrap_or_else(|| t.to_string()),
    }
}

/// Writes a table; piped tables get two-space gutters and no trailing blanks.
pub(crate) fn write_table(out: &mut dyn Write, mut table: Table, term: &Term) -> io::Result<()> {
    if term.stdout_tty {
        return writeln!(out, "{table}");
    }
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// `list` as a table: id, name, type, group, usage, usable, modified. On a terminal too
/// narrow for all of it, see [`narrow_list`].
pub(crate) fn write_list_table(
    out: &mut dyn Write,
    keys: &[Key],
    now: SystemTime,
    term: &Term,
) -> io::Result<()> {
    let table = list_table(keys, now, term, &Narrowed::default());
    let narrowed = arranged_width(&table).and_then(|width| narrow_list(&table, keys, now, width));
    let table = match narrowed {
        Some(narrowed) => list_table(keys, now, term, &narrowed),
        None => table,
    };
    write_table(out, table, term)
}

/// The columns of `list`, by position.
const LIST_HEADER: [&str; 7] = ["ID", "NAME", "TYPE", "GROUP", "USAGE", "USABLE", "MODIFIED"];
const NAME: usize = 1;
const TYPE: usize = 2;
const GROUP: usize = 3;
const USABLE: usize = 5;
const MODIFIED: usize = 6;

/// What `list` gives up on a terminal narrower than its rows.
#[derive(Default)]
struct Narrowed {
    /// Columns left out.
    hidden: Vec<usize>,
    /// TYPE by its short name (`service-edge`).
    short_types: bool,
    /// When even that does not fit: every column's content width, to which names and
    /// verdicts are broken into lines.
    widths: Option<Vec<usize>>,
}

fn list_table(keys: &[Key], now: SystemTime, term: &Term, narrowed: &Narrowed) -> Table {
    let mut table = new_table(term);
    table.set_header(LIST_HEADER);
    let width_of = |column: usize| narrowed.widths.as_ref().map(|w| w[column]);
    for key in keys {
        let key_type = match (narrowed.short_types, width_of(TYPE)) {
            (false, _) => Cow::Borrowed(key.key_type.as_str()),
            (true, None) => Cow::Borrowed(key.key_type.alias()),
            (true, Some(width)) => Cow::Owned(wrap::lines(key.key_type.alias(), width)),
        };
        let name = escape(&key.name);
        let name = match width_of(NAME) {
            Some(width) => Cow::Owned(wrap::lines(&name, width)),
            None => name,
        };
        table.add_row(vec![
            Cell::new(escape(&key.id)),
            Cell::new(name),
            Cell::new(key_type),
            Cell::new(escape(key.group().unwrap_or("-"))),
            Cell::new(usage(key)),
            usable_cell(key, now, term, width_of(USABLE)),
            Cell::new(time(key.modified_time, now, term)),
        ]);
    }
    for (index, column) in table.column_iter_mut().enumerate() {
        if narrowed.hidden.contains(&index) {
            column.set_constraint(ColumnConstraint::Hidden);
        } else if let Some(widths) = &narrowed.widths {
            let width = widths[index] + usize::from(column.padding_width());
            let width = u16::try_from(width).unwrap_or(u16::MAX);
            column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(width)));
        }
    }
    table
}

/// The width a table must fit in: the terminal's, when comfy-table arranges it to fit.
fn arranged_width(table: &Table) -> Option<usize> {
    match table.content_arrangement() {
        ContentArrangement::Dynamic => table.width().map(usize::from),
        _ => None,
    }
}

/// How `list` fits a terminal narrower than its rows without cutting words mid-way
/// (`Prod-Conne|ctors`, which comfy-table does when it shares the room out by itself):
/// first MODIFIED goes (the least needed to tell keys apart), then GROUP, then TYPE shrinks
/// to its short name. A row that still does not fit puts "no" and the reason of a verdict
/// on two lines and gives the names the rest, broken at spaces (see `wrap`). `None` when
/// the table fits as it is, which then stays exactly as it was.
fn narrow_list(table: &Table, keys: &[Key], now: SystemTime, width: usize) -> Option<Narrowed> {
    let mut widths: Vec<usize> = table
        .column_max_content_widths()
        .into_iter()
        .map(usize::from)
        .collect();
    let padding = table
        .column(0)
        .map_or(2, |c| usize::from(c.padding_width()));
    // Content, padding and the vertical borders (both sides, and between columns).
    let row = |widths: &[usize], hidden: &[usize]| -> usize {
        let shown = (0..widths.len()).filter(|i| !hidden.contains(i));
        1 + shown.map(|i| widths[i] + padding + 1).sum::<usize>()
    };
    if row(&widths, &[]) <= width {
        return None;
    }
    let mut narrowed = Narrowed::default();
    for column in [MODIFIED, GROUP] {
        narrowed.hidden.push(column);
        if row(&widths, &narrowed.hidden) <= width {
            return Some(narrowed);
        }
    }
    narrowed.short_types = true;
    widths[TYPE] = keys
        .iter()
        .map(|k| k.key_type.alias().len())
        .chain([LIST_HEADER[TYPE].len()])
        .max()
        .unwrap_or_default();
    if row(&widths, &narrowed.hidden) <= width {
        return Some(narrowed);
    }
    // A verdict's reason may go on lines of its own, broken between words: the column needs
    // only its longest word ("exportable)").
    let reasons: Vec<String> = keys
        .iter()
        .map(|k| format!("({})", problem_words(k, now).join(", ")))
        .collect();
    let words = reasons
        .iter()
        .flat_map(|r| r.split(' ').map(|w| w.chars().count()));
    widths[USABLE] = words
        .chain([LIST_HEADER[USABLE].len()])
        .max()
        .unwrap_or_default()
        .min(widths[USABLE]);
    // With less room than this for names, short type names go on two lines as well
    // (`site-` / `controller`); with less than MIN_NAME even then, comfy-table shares out
    // what room there is as it can.
    const COMFORTABLE_NAME: usize = 12;
    const MIN_NAME: usize = 10;
    let mut others = row(&widths, &narrowed.hidden) - widths[NAME];
    if width < others + COMFORTABLE_NAME {
        let parts = keys.iter().flat_map(|k| {
            let short = k.key_type.alias();
            short.split_inclusive('-').map(str::len).max()
        });
        let narrowest = parts
            .chain([LIST_HEADER[TYPE].len()])
            .max()
            .unwrap_or_default();
        others -= widths[TYPE] - narrowest.min(widths[TYPE]);
        widths[TYPE] = narrowest.min(widths[TYPE]);
    }
    if width >= others + MIN_NAME {
        widths[NAME] = width - others;
        narrowed.widths = Some(widths);
    }
    Some(narrowed)
}

/// `get` as a two-column table of every field.
pub(crate) fn write_key_table(
    out: &mut dyn Write,
    key: &Key,
    now: SystemTime,
    term: &Term,
) -> io::Result<()> {
    let mut table = new_table(term);
    table.set_header(["FIELD", "VALUE"]);
    // Every value from the server is escaped: ids too, which the API sends as arbitrary
    // strings in places (zcomponentId, microtenantId).
    let or_dash = |v: Option<&str>| escape(v.unwrap_or("-")).into_owned();
    let rows: Vec<(&str, Cell)> = vec![
        ("id", Cell::new(escape(&key.id))),
        ("name", Cell::new(escape(&key.name))),
        ("type", Cell::new(key.key_type.as_str())),
        ("group", Cell::new(or_dash(key.group()))),
        ("group id", Cell::new(or_dash(key.zcomponent_id.as_deref()))),
        ("usage", Cell::new(usage(key))),
        ("usable", usable_cell(key, now, term, None)),
        ("enabled", Cell::new(if key.enabled { "yes" } else { "no" })),
        (
            "exportable",
            Cell::new(match key.exportable {
                Some(true) => "yes",
                Some(false) => "no",
                None => "-",
            }),
        ),
        (
            "enrollment cert",
            Cell::new(or_dash(key.enrollment_cert_name.as_deref())),
        ),
        (
            "ip acl",
            Cell::new(if key.ip_acl.is_empty() {
                "-".to_owned()
            } else {
                let entries: Vec<Cow<'_, str>> = key.ip_acl.iter().map(|a| escape(a)).collect();
                entries.join(", ")
            }),
        ),
        ("expires", Cell::new(time(key.expiration_time, now, term))),
        ("created", Cell::new(time(key.creation_time, now, term))),
        ("modified", Cell::new(time(key.modified_time, now, term))),
        (
            "microtenant",
            Cell::new(or_dash(
                key.microtenant_name
                    .as_deref()
                    .or(key.microtenant_id.as_deref()),
            )),
        ),
    ];
    for (field, value) in rows {
        table.add_row(vec![Cell::new(field), value]);
    }
    write_table(out, table, term)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_list_is_read_off_the_json_object() {
        // The JSON contract, written out: a field renamed, dropped or moved in `KeyJson` fails
        // here, not silently in `--field` or in scripts.
        assert_eq!(
            fields(),
            [
                "id",
                "name",
                "association_type",
                "enabled",
                "usable",
                "problems",
                "max_usage",
                "usage_count",
                "remaining_uses",
                "exportable",
                "zcomponent_id",
                "zcomponent_name",
                "enrollment_cert_id",
                "enrollment_cert_name",
                "ip_acl",
                "expiration_time",
                "creation_time",
                "modified_time",
                "modified_by",
                "microtenant_id",
                "microtenant_name",
                "app_connector_group_id",
                "app_connector_group_name",
            ]
        );
    }
}
