//! Parses the templates `zpakey inject` fills in, so every key reference is found and checked
//! before any key is read or anything written, and text that other template languages own
//! (Helm's `{{ .Values.x }}`) passes through untouched.

use std::collections::HashMap;
use std::ops::Range;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::escape;
use crate::key::{self, KeyType};

/// Ends every error message, because the person is about to fix a reference by hand.
const USAGE: &str = "use {{ zpakey://id/ID }} or {{ zpakey://name/NAME?type=TYPE }}";

/// References longer than this are shortened in messages; a reference is short, and a long
/// one is most likely a missing `}}` swallowing the rest of the line.
const SHOWN_CHARS: usize = 80;

/// Which key a reference asks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Reference {
    Id(String),
    Name {
        name: String,
        key_type: Option<KeyType>,
    },
}

/// A parsed template: its text, and where in it each reference sits.
#[derive(Debug)]
pub(crate) struct Template {
    text: String,
    slots: Vec<Slot>,
    references: Vec<Reference>,
}

#[derive(Debug)]
struct Slot {
    /// The whole `{{ … }}`, in bytes of the text.
    range: Range<usize>,
    /// Index into `references`.
    reference: usize,
}

/// A reference that cannot be used, and where it starts (its `{{`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateError {
    /// 1-based.
    pub(crate) line: usize,
    /// 1-based, in characters, as editors count them.
    pub(crate) column: usize,
    pub(crate) message: String,
}

impl Template {
    pub(crate) fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut slots = Vec::new();
        let mut references: Vec<Reference> = Vec::new();
        let mut seen: HashMap<Reference, usize> = HashMap::new();
        let mut at = 0;
        while let Some(found) = text[at..].find("{{") {
            let open = at + found;
            let braces_end = open + count_while(&text[open..], |c| c == '{');
            let body_start = braces_end + count_while(&text[braces_end..], is_space);
            // The scheme is matched in any case so that `{{ ZPAKEY://id/1 }}` is reported,
            // not silently left in the output where a key was expected.
            if !text
                .get(body_start..body_start + "zpakey:".len())
                .is_some_and(|s| s.eq_ignore_ascii_case("zpakey:"))
            {
                at = braces_end;
                continue;
            }
            let fail = |message: String| error_at(text, open, message);
            // The next `}}`, then a line break only before it: each reference costs its own
            // length, not the rest of its line (a template may be one long line).
            let rest = &text[body_start..];
            let close = rest.find("}}");
            let line_break = rest[..close.unwrap_or(rest.len())].find(['\n', '\r']);
            let (Some(close), None) = (close, line_break) else {
                let line = &rest[..line_break.unwrap_or(rest.len())];
                return Err(fail(format!(
                    "reference '{}' has no closing }}}} on its line; {USAGE}",
                    shown(line.split(is_space).next().unwrap_or(line))
                )));
            };
            let inner = &rest[..close];
            let body = inner.trim_end_matches(is_space);
            // Mustache's `{{{ }}}`, or another template's expression inside a reference: what
            // was meant is unclear, and a guess would put stray braces next to a key.
            if braces_end - open > 2 {
                return Err(fail(format!(
                    "reference '{}' has extra braces around it; {USAGE}",
                    shown(body)
                )));
            }
            if inner.contains(['{', '}']) {
                return Err(fail(format!(
                    "reference '{}' has braces inside it; {USAGE}",
                    shown(body)
                )));
            }
            let reference = parse_reference(body).map_err(fail)?;
            let index = *seen.entry(reference.clone()).or_insert_with(|| {
                references.push(reference);
                references.len() - 1
            });
            let end = body_start + close + "}}".len();
            slots.push(Slot {
                range: open..end,
                reference: index,
            });
            at = end;
        }
        Ok(Template {
            text: text.to_owned(),
            slots,
            references,
        })
    }

    /// The distinct references, in order of first appearance (each resolved once).
    pub(crate) fn references(&self) -> &[Reference] {
        &self.references
    }

    /// The text with each reference replaced by `values[i]` for `references()[i]`; the
    /// result may hold keys, so it is Zeroizing.
    pub(crate) fn render(&self, values: &[SecretString]) -> Zeroizing<String> {
        debug_assert_eq!(values.len(), self.references.len());
        // A missing value leaves its reference as written: visibly unfilled, never blank.
        let value = |slot: &Slot| {
            values
                .get(slot.reference)
                .map_or(&self.text[slot.range.clone()], |v| v.expose_secret())
        };
        let literal_len = self.text.len() - self.slots.iter().map(|s| s.range.len()).sum::<usize>();
        let values_len: usize = self.slots.iter().map(|s| value(s).len()).sum();
        // Sized up front: growing would copy keys into buffers that are freed unwiped.
        let mut out = Zeroizing::new(String::with_capacity(literal_len + values_len));
        let mut at = 0;
        for slot in &self.slots {
            out.push_str(&self.text[at..slot.range.start]);
            out.push_str(value(slot));
            at = slot.range.end;
        }
        out.push_str(&self.text[at..]);
        out
    }
}

/// Parses `zpakey://…` (the text between the braces, without surrounding spaces); the error
/// is the message.
fn parse_reference(body: &str) -> Result<Reference, String> {
    let shown = shown(body);
    let Some(rest) = body.strip_prefix("zpakey://") else {
        return Err(format!("unknown reference '{shown}'; {USAGE}"));
    };
    if rest.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "reference '{shown}' contains a space or control character (write a space in a \
             name as %20); {USAGE}"
        ));
    }
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    if let Some(id) = path.strip_prefix("id/") {
        if query.is_some() {
            return Err(format!(
                "reference '{shown}' has parameters, which an id reference does not take; \
                 {USAGE}"
            ));
        }
        return match key::parse_id(id) {
            Ok(id) => Ok(Reference::Id(id.to_owned())),
            Err(why) => Err(format!("invalid id in reference '{shown}': {why}; {USAGE}")),
        };
    }
    let Some(encoded) = path.strip_prefix("name/") else {
        return Err(format!("unknown reference '{shown}'; {USAGE}"));
    };
    let name = decode_name(encoded)
        .map_err(|why| format!("invalid name in reference '{shown}': {why}; {USAGE}"))?;
    let key_type = match query {
        None => None,
        Some(query) => parse_query(query)
            .map_err(|why| format!("invalid parameters in reference '{shown}': {why}; {USAGE}"))?,
    };
    Ok(Reference::Name { name, key_type })
}

fn decode_name(encoded: &str) -> Result<String, String> {
    if encoded.is_empty() {
        return Err("the name is empty".to_owned());
    }
    // `/` and `#` are kept for what they mean in URLs, should references ever grow paths or
    // fragments; today they are most likely an unencoded name.
    if encoded.contains(['/', '#']) {
        return Err("'/' and '#' in a name must be percent-encoded as %2F and %23".to_owned());
    }
    // percent-encoding passes a malformed escape through as text; here it is a mistake.
    let bytes = encoded.as_bytes();
    for (at, _) in encoded.match_indices('%') {
        let escape = bytes.get(at + 1..at + 3);
        if !escape.is_some_and(|e| e.iter().all(u8::is_ascii_hexdigit)) {
            return Err(
                "'%' must start an escape of two hex digits, e.g. %20 (write '%' itself as %25)"
                    .to_owned(),
            );
        }
    }
    let name = percent_encoding::percent_decode_str(encoded)
        .decode_utf8()
        .map_err(|_| "the decoded name is not valid UTF-8".to_owned())?;
    if name.chars().any(char::is_control) {
        return Err("the decoded name contains a control character".to_owned());
    }
    Ok(name.into_owned())
}

/// The only parameter is `type`, so the result is the type it names, if any.
fn parse_query(query: &str) -> Result<Option<KeyType>, String> {
    let mut key_type = None;
    for parameter in query.split('&') {
        let Some(("type", value)) = parameter.split_once('=') else {
            let name = parameter
                .split_once('=')
                .map_or(parameter, |(name, _)| name);
            return Err(format!("unknown parameter '{name}'; the only one is type"));
        };
        if key_type.is_some() {
            return Err("type is given twice".to_owned());
        }
        let Some(parsed) = KeyType::parse(value) else {
            let known: Vec<&str> = KeyType::ALL.iter().map(|t| t.as_str()).collect();
            return Err(format!(
                "unknown key type '{value}'; types are {}",
                known.join(", ")
            ));
        };
        key_type = Some(parsed);
    }
    Ok(key_type)
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// The length in bytes of the leading characters of `text` that satisfy `keep`.
fn count_while(text: &str, keep: impl Fn(char) -> bool) -> usize {
    text.find(|c: char| !keep(c)).unwrap_or(text.len())
}

/// A reference as a message quotes it: escaped, since it goes to a terminal, and shortened.
fn shown(reference: &str) -> String {
    let mut text: String = reference.chars().take(SHOWN_CHARS).collect();
    if text.len() < reference.len() {
        text.push('…');
    }
    escape::escape(&text).into_owned()
}

fn error_at(text: &str, at: usize, message: String) -> TemplateError {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    TemplateError {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
        message,
    }
}

#[cfg(test)]
mod tests;
