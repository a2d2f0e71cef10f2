//! Makes server-supplied text harmless to print: a key name carrying ESC sequences, CR, NUL,
//! C1 controls, bidi overrides or line breaks must not rewrite a terminal, forge table rows or
//! hide part of a line, so such characters are shown in a visible, ASCII form instead.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

use serde_json::ser::{CharEscape, CompactFormatter, Formatter, PrettyFormatter};

/// Whether printing `c` could change how a terminal (or a line-oriented reader) shows the
/// text around it: every control character (C0, DEL, C1, which includes the 8-bit CSI
/// U+009B), the bidi controls that reorder what follows, and the Unicode line and paragraph
/// separators, which some terminals and editors treat as line breaks.
pub(crate) fn is_unsafe(c: char) -> bool {
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

/// Whether `text` holds any character [`is_unsafe`] refuses. Names, ids and key values are
/// almost always printable ASCII, which is checked a byte at a time before decoding chars;
/// over a 10,000-key list the per-char check was a tenth of the CPU time.
pub(crate) fn has_unsafe(text: &str) -> bool {
    // A fold rather than `all`: without the early exit the compiler vectorizes it.
    let printable_ascii = text
        .bytes()
        .fold(true, |ok, b| ok & (b.wrapping_sub(0x20) < 0x5f));
    !printable_ascii && text.chars().any(is_unsafe)
}

/// `text` with every unsafe character written visibly: `\0`, `\t`, `\n`, `\r`, `\e`, or
/// `\u{hex}` for the rest. Borrowed when there is nothing to escape, which is the usual case.
///
/// A backslash is deliberately left alone: escaping it would change every ordinary name
/// containing one, and the result would no longer be idempotent. The cost is that a name
/// spelled `a\eb` and a name with a real ESC look alike; scripts that need exact values use
/// `-o json`, which keeps them exactly.
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    if !has_unsafe(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\0' => out.push_str("\\0"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\x1b' => out.push_str("\\e"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A serde_json formatter that writes every unsafe character inside strings as a `\uXXXX`
/// escape, so JSON shown on a terminal or grepped line by line cannot carry DEL, C1, bidi
/// controls or line separators raw (serde_json already escapes C0 itself). The output is
/// still valid JSON, and decodes to exactly the original values.
pub(crate) struct SafeFormatter<F>(F);

impl SafeFormatter<PrettyFormatter<'static>> {
    /// Indented, as `serde_json::to_writer_pretty` writes.
    pub(crate) fn pretty() -> Self {
        SafeFormatter(PrettyFormatter::new())
    }
}

impl SafeFormatter<CompactFormatter> {
    /// On one line, as `serde_json::to_writer` writes.
    pub(crate) fn compact() -> Self {
        SafeFormatter(CompactFormatter)
    }
}

/// Forwards formatter methods to the wrapped formatter, so layout stays exactly its own.
macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            #[inline]
            fn $name<W: ?Sized + io::Write>(
                &mut self,
                writer: &mut W
                $(, $arg: $ty)*
            ) -> io::Result<()> {
                self.0.$name(writer $(, $arg)*)
            }
        )*
    };
}

impl<F: Formatter> Formatter for SafeFormatter<F> {
    delegate! {
        write_null();
        write_bool(value: bool);
        write_i8(value: i8);
        write_i16(value: i16);
        write_i32(value: i32);
        write_i64(value: i64);
        write_i128(value: i128);
        write_u8(value: u8);
        write_u16(value: u16);
        write_u32(value: u32);
        write_u64(value: u64);
        write_u128(value: u128);
        write_f32(value: f32);
        write_f64(value: f64);
        write_number_str(value: &str);
        begin_string();
        end_string();
        write_char_escape(char_escape: CharEscape);
        write_byte_array(value: &[u8]);
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        end_object_key();
        begin_object_value();
        end_object_value();
        write_raw_fragment(fragment: &str);
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if !has_unsafe(fragment) {
            return self.0.write_string_fragment(writer, fragment);
        }
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if !is_unsafe(c) {
                continue;
            }
            if start < at {
                self.0.write_string_fragment(writer, &fragment[start..at])?;
            }
            // Every unsafe character is in the Basic Multilingual Plane, so one `\uXXXX`
            // escape is enough (no surrogate pair).
            debug_assert!(u32::from(c) <= 0xffff);
            write!(writer, "\\u{:04x}", u32::from(c))?;
            start = at + c.len_utf8();
        }
        if start < fragment.len() {
            self.0.write_string_fragment(writer, &fragment[start..])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;

    fn json_with<F: Formatter, T: Serialize>(formatter: F, value: &T) -> String {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
        value.serialize(&mut ser).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn unsafe_characters() {
        for c in [
            '\0', '\x07', '\t', '\n', '\r', '\x1b', '\x7f', '\u{80}', '\u{9b}', '\u{9f}',
            '\u{61c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}',
            '\u{2028}', '\u{2029}',
        ] {
            assert!(is_unsafe(c), "{c:?}");
        }
        for c in [
            ' ', 'a', '\\', '~', '\u{a0}', 'ü', '\u{200d}', '\u{2027}', '\u{202f}', '\u{2065}',
            '\u{206a}', '€', '😀',
        ] {
            assert!(!is_unsafe(c), "{c:?}");
        }
    }

    #[test]
    fn escapes_visibly() {
        assert_eq!(
            escape("a\0b\tc\nd\re\x1b[31mf\x7fg\u{9b}h\u{202e}i\u{2028}j\u{61c}"),
            "a\\0b\\tc\\nd\\re\\e[31mf\\u{7f}g\\u{9b}h\\u{202e}i\\u{2028}j\\u{61c}"
        );
        assert_eq!(escape("\x1b]52;c;ZXZpbA==\x07"), "\\e]52;c;ZXZpbA==\\u{7}");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for text in [
            "",
            "edge-prod",
            "AWS us-east-1 (prod) & DR #2",
            "O'Brien's \"lab\" key",
            "Zürich  Büro",
            r"C:\keys\new",
        ] {
            assert!(
                matches!(escape(text), Cow::Borrowed(t) if t == text),
                "{text}"
            );
        }
    }

    #[test]
    fn escaping_twice_changes_nothing() {
        let once = escape("x\x1b[2J\u{202e}y\\e");
        assert_eq!(escape(&once), once);
    }

    #[test]
    fn json_escapes_what_serde_json_leaves_raw() {
        let text = "a\x1b[2Jb\x7fc\u{9b}d\u{202e}e\u{2029}f\\g\"";
        assert_eq!(
            json_with(SafeFormatter::compact(), &[text]),
            r#"["a\u001b[2Jb\u007fc\u009bd\u202ee\u2029f\\g\""]"#
        );
        // Layout is the wrapped formatter's own.
        let value = serde_json::json!({"a": [1, null, true], "b\u{202e}": "ok"});
        assert_eq!(
            json_with(SafeFormatter::pretty(), &value),
            serde_json::to_string_pretty(&value)
                .unwrap()
                .replace('\u{202e}', "\\u202e")
        );
        assert_eq!(
            json_with(SafeFormatter::compact(), &value),
            value.to_string().replace('\u{202e}', "\\u202e")
        );
    }

    /// Strings of any characters, and strings mostly made of the ones that need escaping
    /// (plus backslashes and escape-like text, to test idempotence).
    fn hostile() -> impl Strategy<Value = String> {
        let c = prop_oneof![
            4 => prop::sample::select(vec![
                '\0', '\t', '\n', '\r', '\x1b', '\x07', '\x7f', '\u{85}', '\u{9b}', '\u{9f}',
                '\u{61c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202e}', '\u{2066}',
                '\u{2069}', '\u{2028}', '\u{2029}', '\\', 'u', 'e', '{', '}', '[', ']', '"',
            ]),
            2 => proptest::char::range('\0', '\u{a0}'),
            1 => any::<char>(),
        ];
        prop_oneof![
            any::<String>(),
            prop::collection::vec(c, 0..48).prop_map(String::from_iter),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn fast_check_agrees_with_the_char_check(text in hostile()) {
            prop_assert_eq!(has_unsafe(&text), text.chars().any(is_unsafe), "{:?}", text);
        }

        #[test]
        fn escape_leaves_nothing_unsafe(text in hostile()) {
            let escaped = escape(&text);
            prop_assert!(!escaped.chars().any(is_unsafe), "{escaped:?}");
            prop_assert_eq!(escape(&escaped), escaped.clone());
            if !text.chars().any(is_unsafe) {
                prop_assert!(matches!(escaped, Cow::Borrowed(_)));
                prop_assert_eq!(&escaped, &text);
            }
        }

        #[test]
        fn safe_json_round_trips_exactly(text in hostile()) {
            let mut object = serde_json::Map::new();
            object.insert(text.clone(), serde_json::json!([text.clone(), 1]));
            let value = serde_json::Value::Object(object);
            let compact = json_with(SafeFormatter::compact(), &value);
            let pretty = json_with(SafeFormatter::pretty(), &value);
            prop_assert!(!compact.chars().any(is_unsafe), "{compact:?}");
            // The pretty layout's own line breaks are the only ones left.
            prop_assert!(!pretty.chars().any(|c| c != '\n' && is_unsafe(c)), "{pretty:?}");
            prop_assert_eq!(pretty.lines().count(), 6);
            for json in [compact, pretty] {
                let decoded: serde_json::Value = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(&decoded, &value);
                prop_assert_eq!(decoded[&text][0].as_str(), Some(text.as_str()));
            }
            // Where serde_json alone is already safe, the output is byte for byte the same.
            if !text.chars().any(|c| is_unsafe(c) && c > '\u{1f}') {
                prop_assert_eq!(
                    json_with(SafeFormatter::pretty(), &value),
                    serde_json::to_string_pretty(&value).unwrap()
                );
            }
        }
    }
}
