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
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn masks_key_material_but_keeps_host() {
        let body = r#"{"provisioningKey":"3|api.private.zscaler.com|xxuCG/PT+XL81=-2161962"}"#;
        assert_eq!(
            mask_keys(body),
            r#"{"provisioningKey":"3|api.private.zscaler.com|[redacted]"}"#
        );
        assert_eq!(
            mask_keys(r#"{"provisioningKey":"opaque-value"}"#),
            r#"{"provisioningKey":"[redacted]"}"#
        );
        assert_eq!(
            mask_keys("key 3|api.private.zscaler.com|xxuCG/PT+XL81=-2161962 here"),
            "key 3|api.private.zscaler.com|[redacted] here"
        );
    }

    #[test]
    fn leaves_ordinary_pipes_alone() {
        for text in ["a|b", "12|host|", "x 3|| y", "cost 12345|a.b|c"] {
            assert_eq!(mask_keys(text), text, "{text}");
        }
    }

    #[test]
    fn masks_truncated_and_repeated_keys() {
        assert_eq!(
            mask_keys("1|h.example|abc and 3|h|d"),
            "1|h.example|[redacted] and 3|h|[redacted]"
        );
    }

    #[test]
    fn masks_tokens_and_assertions() {
        assert_eq!(
            mask_keys("auth Bearer simtok-abc123 failed"),
            "auth Bearer [redacted] failed"
        );
        assert_eq!(
            mask_keys("assertion eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln, end"),
            "assertion [redacted], end"
        );
        assert_eq!(mask_keys("keyJSON and eyJust"), "keyJSON and eyJust");
    }

    #[test]
    fn masks_secret_fields_of_forms_and_json() {
        assert_eq!(
            mask_keys("grant_type=client_credentials&client_id=c&client_secret=s%2Bx&audience=a"),
            "grant_type=client_credentials&client_id=c&client_secret=[redacted]&audience=a"
        );
        assert_eq!(
            mask_keys(r#"{"access_token": "opaque", "expires_in": 1}"#),
            r#"{"access_token": "[redacted]", "expires_in": 1}"#
        );
        assert_eq!(mask_keys("my_client_secret=x"), "my_client_secret=x");
        assert_eq!(
            mask_keys("-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----"),
            "-----BEGIN PRIVATE KEY-----[redacted]-----END PRIVATE KEY-----"
        );
    }

    #[test]
    fn masks_registered_values_in_every_echoed_form() {
        register("known+secret/value-test1");
        assert_eq!(
            mask_keys(
                "a known+secret/value-test1 b known%2Bsecret%2Fvalue-test1 c known+secret\\/value-test1"
            ),
            "a [redacted] b [redacted] c [redacted]"
        );
        // Already masked by value: no second mask after "Bearer ".
        register("opaqueTok3nForBearerTest");
        assert_eq!(
            mask_keys("got Bearer opaqueTok3nForBearerTest back"),
            "got Bearer [redacted] back"
        );
        register("short");
        assert_eq!(mask_keys("short"), "short");
    }

    #[test]
    fn masks_key_material_in_every_echoed_form_whole() {
        let material = "Mat3rial/For+Echo=Test/abcdefghij+klmnop/qrstuv==";
        register_material(material);
        let escaped = material.replace('/', "\\/");
        let percent: String =
            percent_encoding::utf8_percent_encode(material, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        let form: String = url::form_urlencoded::byte_serialize(material.as_bytes()).collect();
        for (echo, masked) in [
            (format!("key {material} seen"), "key [redacted] seen"),
            (
                format!("{{\"detail\":\"3|api.example.com|{escaped}\"}}"),
                "{\"detail\":\"3|api.example.com|[redacted]\"}",
            ),
            (format!("?key={percent}&x=1"), "?key=[redacted]&x=1"),
            (format!("key={form} end"), "key=[redacted] end"),
            (format!("bad value {escaped}."), "bad value [redacted]"),
        ] {
            assert_eq!(mask_keys(&echo), masked, "{echo}");
        }
        // Only a registered beginning starts a mask (its first 16 characters, whole).
        assert_eq!(mask_keys("Mat3rial/For+Ex=Other"), "Mat3rial/For+Ex=Other");
    }

    #[test]
    fn clean_escapes_control_and_bidi_characters() {
        assert_eq!(
            clean("bad\u{1b}[31m red\nline\u{7}\u{202e}"),
            "bad\\e[31m red\\nline\\u{7}\\u{202e}"
        );
    }

    #[test]
    fn excerpt_is_short_and_marks_truncation() {
        assert_eq!(
            excerpt(b"<html>\n<body>  Bad   Gateway</body>", 14),
            "<html> <body> …"
        );
        assert_eq!(excerpt("Zürich".as_bytes(), 10), "Zürich");
    }

    /// Secrets as real ones look: long, printable, no brackets (which [`MASK`] is made of).
    fn secret() -> impl Strategy<Value = String> {
        "[A-Za-z0-9+/=_.~!@#$%^&*()-]{8,40}"
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1_000))]

        #[test]
        fn clean_output_has_no_unsafe_character_and_no_registered_secret(
            secrets in prop::collection::vec(secret(), 1..4),
            pieces in prop::collection::vec(any::<String>(), 0..6),
            picks in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
        ) {
            for s in &secrets {
                register(s);
            }
            // Arbitrary text with the secrets (and escaped, urlencoded forms) mixed in.
            let mut text = String::new();
            for (i, piece) in pieces.iter().enumerate() {
                text.push_str(piece);
                if let Some(pick) = picks.get(i) {
                    let s = pick.get(&secrets);
                    match i % 3 {
                        0 => text.push_str(s),
                        1 => text.extend(url::form_urlencoded::byte_serialize(s.as_bytes())),
                        _ => text.push_str(&format!("\u{1b}{s}\u{202e}")),
                    }
                }
            }
            for out in [clean(&text), excerpt(text.as_bytes(), 1_000_000)] {
                prop_assert!(!out.chars().any(escape::is_unsafe), "{out:?}");
                for s in &secrets {
                    prop_assert!(!out.contains(s.as_str()), "{s:?} in {out:?}");
                }
            }
        }

        #[test]
        fn redaction_never_panics(text in ".{0,200}") {
            let _ = clean(&text);
            let _ = excerpt(text.as_bytes(), 10);
        }
    }
}
