//! Masks secrets before text reaches a terminal or a log, because API error bodies, proxies
//! and misconfigurations can echo them back at us. Two nets: by value (every secret this run
//! has read or received is registered here) and by shape (key material, JWTs, bearer tokens,
//! secret form and JSON fields, PEM private keys), for secrets zpakey never saw.

use std::collections::HashMap;
use std::sync::Mutex;

use zeroize::Zeroizing;

use crate::escape;

/// What a masked secret becomes.
pub(crate) const MASK: &str = "[redacted]";

/// Shorter values are not masked by value: masking every occurrence of a two-letter secret
/// would shred every message, and no real client secret, token or key is this short.
pub(crate) const MIN_KNOWN_LEN: usize = 8;

/// Registered secrets, indexed by their first bytes so that a message is scanned once, not
/// once per secret (a 10,000-key list registers 10,000 key values).
static KNOWN: Mutex<Option<Known>> = Mutex::new(None);

/// Registered secrets (and their echoed forms) by their first four bytes, longest first.
type Known = HashMap<[u8; 4], Vec<Zeroizing<String>>>;

/// [`register`] for a secret held as one: the client secret, a private key (each line of its
/// PEM body too, since an echo may be cut at line breaks), a token.
pub(crate) fn register_secret(secret: &secrecy::SecretString) {
    let text = secrecy::ExposeSecret::expose_secret(secret);
    register(text);
    if text.contains("-----BEGIN") {
        for line in text.lines().filter(|l| !l.starts_with("-----")) {
            register(line.trim());
        }
    }
}

/// Remembers a secret, and the forms it takes when echoed (URL-encoded in a form, escaped in
/// JSON), so every later message masks it wherever it appears.
pub(crate) fn register(secret: &str) {
    if secret.len() < MIN_KNOWN_LEN {
        return;
    }
    let mut forms = vec![secret.to_owned()];
    forms.push(url::form_urlencoded::byte_serialize(secret.as_bytes()).collect());
    forms.push(
        percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
            .to_string(),
    );
    if let Ok(json) = serde_json::to_string(secret) {
        forms.push(json[1..json.len() - 1].to_owned());
    }
    forms.push(secret.replace('/', "\\/"));
    forms.push(escape::escape(secret).into_owned());
    insert(&KNOWN, forms);
}

/// Remembers the material of a provisioning key (the part after `N|host|`) by its beginning,
/// in each form an echo can take (as it is, `/` escaped in JSON, percent- or form-encoded):
/// where one of those beginnings appears, it and the rest of the material run after it are
/// masked (see [`mask_known`]). Beginnings, not whole values: a 10,000-key list registers
/// every key, within its memory budget.
pub(crate) fn register_material(material: &str) {
    if material.len() < MIN_KNOWN_LEN {
        return;
    }
    let forms = [
        material.to_owned(),
        material.replace('/', "\\/"),
        percent_encoding::utf8_percent_encode(material, percent_encoding::NON_ALPHANUMERIC)
            .to_string(),
        url::form_urlencoded::byte_serialize(material.as_bytes()).collect(),
    ];
    let anchors = forms
        .into_iter()
        .map(|form| {
            // Every form is ASCII, so any length is a character boundary.
            let len = form.len().min(ANCHOR_LEN);
            form[..len].to_owned()
        })
        .collect();
    insert(&ANCHORS, anchors);
}

/// How much of a key's material [`register_material`] keeps: long enough that no other text
/// starts the same way by chance (96 bits of base64), short enough to keep 10,000 of them.
const ANCHOR_LEN: usize = 16;

/// Registered beginnings of key material, as [`KNOWN`] holds whole secrets.
static ANCHORS: Mutex<Option<Known>> = Mutex::new(None);

fn insert(into: &Mutex<Option<Known>>, mut forms: Vec<String>) {
    forms.sort_unstable();
    forms.dedup();
    let mut known = into.lock().unwrap_or_else(|e| e.into_inner());
    let map = known.get_or_insert_with(HashMap::new);
    for form in forms {
        let Some(prefix) = prefix_of(form.as_bytes()) else {
            continue;
        };
        let bucket = map.entry(prefix).or_default();
        if bucket.iter().any(|s| s.as_str() == form) {
            continue;
        }
        // Longest first, so an overlapping shorter secret never leaves a tail behind.
        let at = bucket.partition_point(|s| s.len() >= form.len());
        bucket.insert(at, Zeroizing::new(form));
    }
}

fn prefix_of(bytes: &[u8]) -> Option<[u8; 4]> {
    bytes.get(..4)?.try_into().ok()
}

/// The length of the longest registered secret that starts at `bytes[0]`.
fn known_at(map: &Known, bytes: &[u8]) -> Option<usize> {
    let bucket = map.get(&prefix_of(bytes)?)?;
    bucket
        .iter()
        .find(|s| bytes.starts_with(s.as_bytes()))
        .map(|s| s.len())
}

/// Field names whose values are secrets, as they appear in forms (`name=`) and JSON
/// (`"name":"`): an echoed sign-in form or token answer is masked even when its values were
/// never registered.
const SECRET_FIELDS: [&str; 6] = [
    "client_secret",
    "client_assertion",
    "access_token",
    "refresh_token",
    "provisioningKey",
    "provisioning_key",
];

/// Replaces every secret in `text` with [`MASK`]: registered values first, then the shapes.
///
/// Provisioning-key material (`<version>|<host>|<material>`) keeps its version and host, which
/// are not secret and help a person see which cloud a key is for.
pub(crate) fn mask_keys(text: &str) -> String {
    mask_shapes(&mask_known(text))
}

/// Pass one: every registered secret, and every key material that starts as a registered one
/// does (to the end of its run of material characters, `\` and `%` included, so an escaped
/// or encoded echo goes whole). A separate pass, so the shape pass below can never copy a
/// registered secret through (say, as the "host" of a key-shaped string).
fn mask_known(text: &str) -> String {
    let known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    let anchors = ANCHORS.lock().unwrap_or_else(|e| e.into_inner());
    if known.is_none() && anchors.is_none() {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if let Some(len) = known.as_ref().and_then(|map| known_at(map, &bytes[i..])) {
            out.push_str(MASK);
            i += len;
            continue;
        }
        if let Some(len) = anchors.as_ref().and_then(|map| known_at(map, &bytes[i..])) {
            out.push_str(MASK);
            i += len;
            while i < bytes.len() && (is_material(bytes[i]) || matches!(bytes[i], b'\\' | b'%')) {
                i += 1;
            }
            continue;
        }
        let len = text[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[i..i + len]);
        i += len;
    }
    out
}

/// Pass two: secrets recognised by their shape.
fn mask_shapes(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if let Some((host_end, material_end)) = key_shape_at(bytes, i) {
            out.push_str(&text[i..=host_end]);
            out.push_str(MASK);
            i = material_end;
            continue;
        }
        if let Some(end) = jwt_at(bytes, i) {
            out.push_str(MASK);
            i = end;
            continue;
        }
        if let Some((value_start, end)) = bearer_at(bytes, i).or_else(|| field_at(bytes, i)) {
            out.push_str(&text[i..value_start]);
            out.push_str(MASK);
            i = end;
            continue;
        }
        if let Some((body_start, body_end)) = pem_at(text, i) {
            out.push_str(&text[i..body_start]);
            out.push_str(MASK);
            i = body_end;
            continue;
        }
        // Copy one whole UTF-8 character.
        let len = text[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[i..i + len]);
        i += len;
    }
    out
}

/// If a key shape starts at `start` (and is not the tail of a longer run of digits), returns
/// the index of the `|` after the host and the end of the material.
fn key_shape_at(bytes: &[u8], start: usize) -> Option<(usize, usize)> {
    if start > 0 && bytes[start - 1].is_ascii_digit() {
        return None;
    }
    let mut i = start;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    if i == start || i - start > 3 || bytes.get(i) != Some(&b'|') {
        return None;
    }
    i += 1;
    let host_start = i;
    while i < bytes.len()
        && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.' || bytes[i] == b'-')
    {
        i += 1;
    }
    if i == host_start || bytes.get(i) != Some(&b'|') {
        return None;
    }
    let host_end = i;
    i += 1;
    let material_start = i;
    while i < bytes.len() && is_material(bytes[i]) {
        i += 1;
    }
    (i > material_start).then_some((host_end, i))
}

/// A JWT: base64url segments starting with `eyJ` (`{"`), joined by dots.
fn jwt_at(bytes: &[u8], start: usize) -> Option<usize> {
    if !bytes[start..].starts_with(b"eyJ") || (start > 0 && is_material(bytes[start - 1])) {
        return None;
    }
    let len = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'='))
        .count();
    bytes[start..start + len]
        .contains(&b'.')
        .then_some(start + len)
}

/// `Bearer <token>`: where the token starts and ends. Nothing to mask when no token
/// characters follow (for instance when the token was already masked by value).
fn bearer_at(bytes: &[u8], start: usize) -> Option<(usize, usize)> {
    let rest = &bytes[start..];
    if !(rest.starts_with(b"Bearer ") || rest.starts_with(b"bearer ")) {
        return None;
    }
    let value = start + "Bearer ".len();
    let len = token_len(&bytes[value..]);
    (len > 0).then_some((value, value + len))
}

/// `client_secret=<value>` or `"client_secret": "<value>"` (any of [`SECRET_FIELDS`]): where
/// the value starts and ends.
fn field_at(bytes: &[u8], start: usize) -> Option<(usize, usize)> {
    let rest = &bytes[start..];
    let quoted = rest.first() == Some(&b'"');
    let name_at = usize::from(quoted);
    let field = SECRET_FIELDS
        .iter()
        .find(|f| rest[name_at..].starts_with(f.as_bytes()))?;
    if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
        return None;
    }
    let mut i = start + name_at + field.len();
    if quoted {
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        i += 1;
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        i += 1;
        let len = bytes[i..]
            .iter()
            .take_while(|b| **b != b'"' && **b != b'\\')
            .count();
        // Key material keeps its version and host (see below).
        return (len > 0 && key_shape_at(bytes, i).is_none()).then_some((i, i + len));
    }
    if bytes.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    let len = bytes[i..]
        .iter()
        .take_while(|b| is_material(**b) || matches!(b, b'%' | b'~' | b'|'))
        .count();
    (len > 0 && key_shape_at(bytes, i).is_none()).then_some((i, i + len))
}

/// A PEM private key (`-----BEGIN … PRIVATE KEY-----`): where its body starts and where the
/// masked part ends (at `-----END`, or the end of the text when it was cut off).
fn pem_at(text: &str, start: usize) -> Option<(usize, usize)> {
    let rest = &text[start..];
    if !rest.starts_with("-----BEGIN ") {
        return None;
    }
    let header_end = rest[11..].find("-----")? + 11 + 5;
    if !rest[..header_end].contains("PRIVATE KEY") {
        return None;
    }
    let body_end = rest[header_end..]
        .find("-----END")
        .map_or(rest.len(), |e| header_end + e);
    (body_end > header_end).then_some((start + header_end, start + body_end))
}

fn token_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|b| is_material(**b) || **b == b'~')
        .count()
}

fn is_material(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_' | b'.')
}

/// Makes server-supplied text safe to print: control, bidi and line-separator characters
/// escaped visibly (so it stays on one line and cannot drive the terminal), then every secret
/// masked.
pub(crate) fn clean(text: &str) -> String {
    mask_keys(&escape::escape(text))
}

/// A short, printable, redacted quote of a response body for error messages.
pub(crate) fn excerpt(body: &[u8], max_chars: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cleaned = clean(&collapsed);
    let mut out: String = cleaned.chars().take(max_chars).collect();
    if cleaned.chars().count() > max_chars {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests;
