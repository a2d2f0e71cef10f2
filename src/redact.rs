//! Masks secret-shaped text before it reaches a terminal or a log, because API error
//! bodies and proxies can echo provisioning keys or tokens back at us.

/// Replaces provisioning-key material (`<version>|<host>|<material>`) with a mask, keeping the
/// version and host, which are not secret and help a person see which cloud a key is for.
///
/// Also masks JWT-shaped strings and whatever follows `Bearer `, in case an answer echoes a
/// token or an assertion.
pub fn mask_keys(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if let Some((host_end, material_end)) = key_shape_at(bytes, i) {
            out.push_str(&text[i..=host_end]);
            out.push_str("[redacted]");
            i = material_end;
            continue;
        }
        if let Some(end) = jwt_at(bytes, i) {
            out.push_str("[redacted]");
            i = end;
            continue;
        }
        if bytes[i..].starts_with(b"Bearer ") || bytes[i..].starts_with(b"bearer ") {
            let start = i + "Bearer ".len();
            let end = start
                + bytes[start..]
                    .iter()
                    .take_while(|b| is_material(**b) || **b == b'~')
                    .count();
            out.push_str(&text[i..start]);
            out.push_str("[redacted]");
            i = end;
            continue;
        }
        // Copy one whole UTF-8 character.
        let ch = text[i..]
            .chars()
            .next()
            .expect("index is on a char boundary");
        out.push(ch);
        i += ch.len_utf8();
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

fn is_material(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_' | b'.')
}

/// Makes server-supplied text safe to print: no key material, no control characters
/// (which could rewrite a terminal), on one line.
pub fn clean(text: &str) -> String {
    mask_keys(text)
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect()
}

/// A short, printable, redacted quote of a response body for error messages.
pub fn excerpt(body: &[u8], max_chars: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let cleaned = clean(&text);
    let collapsed: String = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = collapsed.chars().take(max_chars).collect();
    if collapsed.chars().count() > max_chars {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_key_material_but_keeps_host() {
        let body = r#"{"provisioningKey":"3|api.private.zscaler.com|xxuCG/PT+XL81=-2161962"}"#;
        assert_eq!(
            mask_keys(body),
            r#"{"provisioningKey":"3|api.private.zscaler.com|[redacted]"}"#
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
    fn clean_strips_control_characters() {
        assert_eq!(clean("bad\u{1b}[31m red\nline\u{7}"), "bad[31m red line");
    }

    #[test]
    fn excerpt_is_short_and_marks_truncation() {
        assert_eq!(
            excerpt(b"<html>\n<body>  Bad   Gateway</body>", 14),
            "<html> <body> …"
        );
        assert_eq!(excerpt("Zürich".as_bytes(), 10), "Zürich");
    }
}
