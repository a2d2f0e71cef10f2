//! Masking by value and by shape, and the property that cleaned text carries no unsafe
//! character and no registered secret.

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
