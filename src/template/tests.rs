//! Parsing and rendering of templates: every reference form, every error with its position.

use super::*;
use proptest::prelude::*;

fn refs(text: &str) -> Vec<Reference> {
    Template::parse(text).unwrap().references().to_vec()
}

fn id(id: &str) -> Reference {
    Reference::Id(id.to_owned())
}

fn name(name: &str, key_type: Option<KeyType>) -> Reference {
    Reference::Name {
        name: name.to_owned(),
        key_type,
    }
}

fn error(text: &str) -> TemplateError {
    Template::parse(text).unwrap_err()
}

/// The message of an error that must be at `line` and `column`.
fn error_at_position(text: &str, line: usize, column: usize) -> String {
    let error = error(text);
    assert_eq!(
        (error.line, error.column),
        (line, column),
        "{text:?}: {error:?}"
    );
    assert!(error.message.ends_with(USAGE), "{}", error.message);
    error.message
}

fn secrets(values: &[&str]) -> Vec<SecretString> {
    values.iter().map(|v| SecretString::from(*v)).collect()
}

#[test]
fn id_references() {
    assert_eq!(refs("key: {{ zpakey://id/58856 }}\n"), [id("58856")]);
    assert_eq!(refs("{{zpakey://id/1}}"), [id("1")]);
    assert_eq!(refs("{{   zpakey://id/1\t}}"), [id("1")]);
    assert_eq!(refs("{{\tzpakey://id/1 }}"), [id("1")]);
    assert_eq!(
        refs("{{ zpakey://id/9223372036854775807 }}"),
        [id("9223372036854775807")]
    );
}

#[test]
fn name_references() {
    assert_eq!(
        refs("{{ zpakey://name/edge-prod }}"),
        [name("edge-prod", None)]
    );
    assert_eq!(
        refs("{{zpakey://name/edge-prod?type=connector}}"),
        [name("edge-prod", Some(KeyType::ConnectorGrp))]
    );
    assert_eq!(
        refs("{{ zpakey://name/AWS%20us-east-1%20%26%20DR%3F%2Fx?type=SERVICE_EDGE_GRP }}"),
        [name("AWS us-east-1 & DR?/x", Some(KeyType::ServiceEdgeGrp))]
    );
    assert_eq!(
        refs("{{ zpakey://name/Z%C3%BCrich%20B%C3%BCro }}"),
        [name("Zürich Büro", None)]
    );
    // Unencoded where that is unambiguous.
    assert_eq!(
        refs("{{ zpakey://name/Zürich&x=1 }}"),
        [name("Zürich&x=1", None)]
    );
    assert_eq!(refs("{{ zpakey://name/50%25 }}"), [name("50%", None)]);
}

#[test]
fn type_values_and_aliases() {
    for (value, expected) in [
        ("connector", KeyType::ConnectorGrp),
        ("CONNECTOR_GRP", KeyType::ConnectorGrp),
        ("connector_grp", KeyType::ConnectorGrp),
        ("service-edge", KeyType::ServiceEdgeGrp),
        ("Service_Edge_Grp", KeyType::ServiceEdgeGrp),
        ("NP_ASSISTANT_GRP", KeyType::NpAssistantGrp),
        // An unambiguous beginning, as for --type.
        ("np", KeyType::NpAssistantGrp),
        ("site", KeyType::SiteControllerGrp),
    ] {
        assert_eq!(
            refs(&format!("{{{{ zpakey://name/k?type={value} }}}}")),
            [name("k", Some(expected))],
            "{value}"
        );
    }
    for t in KeyType::ALL {
        assert_eq!(
            refs(&format!("{{{{ zpakey://name/k?type={t} }}}}")),
            [name("k", Some(t))]
        );
    }
}

#[test]
fn the_same_key_twice_is_one_reference() {
    let text = "a: {{ zpakey://id/7 }}\n\
                b: {{ zpakey://name/k?type=connector }}\n\
                c: {{zpakey://id/7}}\n\
                d: {{ zpakey://name/k?type=CONNECTOR_GRP }}\n\
                e: {{ zpakey://name/k }}\n\
                f: {{ zpakey://name/%6B }}\n";
    assert_eq!(
        refs(text),
        [
            id("7"),
            name("k", Some(KeyType::ConnectorGrp)),
            name("k", None)
        ]
    );
    assert_eq!(
        *Template::parse(text)
            .unwrap()
            .render(&secrets(&["S7", "SK", "SU"])),
        "a: S7\nb: SK\nc: S7\nd: SK\ne: SU\nf: SU\n"
    );
}

#[test]
fn other_braces_are_left_alone() {
    let text = "image: {{ .Values.image }}\n\
                key: {{ zpakey://id/1 }}\n\
                {{- if .Values.x }}{{ end -}}\n\
                json: {\"a\": {\"b\": 1}}\n\
                url: {{ https://zpakey.example/ }} {{ zpakey }} {{ \"zpakey://id/1\" }}\n\
                flow: {k: {{zpakey://id/1}}}\n\
                {{ {{ zpakey://id/2 }} }}\n\
                {{";
    let template = Template::parse(text).unwrap();
    assert_eq!(template.references(), [id("1"), id("2")]);
    assert_eq!(
        *template.render(&secrets(&["ONE", "TWO"])),
        "image: {{ .Values.image }}\n\
         key: ONE\n\
         {{- if .Values.x }}{{ end -}}\n\
         json: {\"a\": {\"b\": 1}}\n\
         url: {{ https://zpakey.example/ }} {{ zpakey }} {{ \"zpakey://id/1\" }}\n\
         flow: {k: ONE}\n\
         {{ TWO }}\n\
         {{"
    );
}

#[test]
fn unknown_kinds() {
    assert_eq!(
        error_at_position("{{ zpakey://group/x }}", 1, 1),
        "unknown reference 'zpakey://group/x'; use {{ zpakey://id/ID }} or \
         {{ zpakey://name/NAME?type=TYPE }}"
    );
    assert_eq!(
        error_at_position("x {{ZPAKEY://id/1}}", 1, 3),
        format!("unknown reference 'ZPAKEY://id/1'; {USAGE}")
    );
    error_at_position("{{ zpakey:id/1 }}", 1, 1);
    error_at_position("{{ zpakey://ID/1 }}", 1, 1);
    error_at_position("{{ zpakey://id }}", 1, 1);
    error_at_position("{{ zpakey:// }}", 1, 1);
}

#[test]
fn bad_ids() {
    assert_eq!(
        error_at_position("{{ zpakey://id/58a56 }}", 1, 1),
        format!(
            "invalid id in reference 'zpakey://id/58a56': ZPA ids are digits only, e.g. \
             58856; {USAGE}"
        )
    );
    assert!(error_at_position("{{ zpakey://id/ }}", 1, 1).contains("an id cannot be empty"));
    assert!(
        error_at_position("{{ zpakey://id/12345678901234567890 }}", 1, 1)
            .contains("at most 19 digits")
    );
    assert!(error_at_position("{{ zpakey://id/-1 }}", 1, 1).contains("digits only"));
    assert!(
        error_at_position("{{ zpakey://id/1?type=connector }}", 1, 1)
            .contains("an id reference does not take")
    );
}

#[test]
fn bad_names() {
    for (text, why) in [
        ("{{ zpakey://name/ }}", "the name is empty"),
        ("{{ zpakey://name/?type=connector }}", "the name is empty"),
        ("{{ zpakey://name/a/b }}", "%2F"),
        ("{{ zpakey://name/a#b }}", "%23"),
        ("{{ zpakey://name/100% }}", "two hex digits"),
        ("{{ zpakey://name/a%2 }}", "two hex digits"),
        ("{{ zpakey://name/a%zz }}", "two hex digits"),
        ("{{ zpakey://name/a%FF }}", "not valid UTF-8"),
        ("{{ zpakey://name/a%C3 }}", "not valid UTF-8"),
        ("{{ zpakey://name/a%1Bb }}", "control character"),
        ("{{ zpakey://name/a%0A }}", "control character"),
        ("{{ zpakey://name/a%C2%9B }}", "control character"),
        ("{{ zpakey://name/edge prod }}", "%20"),
        ("{{ zpakey://name/a\u{85}b }}", "control character"),
    ] {
        let message = error_at_position(text, 1, 1);
        assert!(message.contains(why), "{text}: {message}");
    }
}

#[test]
fn bad_parameters() {
    for (text, why) in [
        (
            "{{ zpakey://name/k?kind=connector }}",
            "unknown parameter 'kind'; the only one is type",
        ),
        (
            "{{ zpakey://name/k?type=connector&x=1 }}",
            "unknown parameter 'x'",
        ),
        ("{{ zpakey://name/k?type }}", "unknown parameter 'type'"),
        ("{{ zpakey://name/k? }}", "unknown parameter ''"),
        (
            "{{ zpakey://name/k?TYPE=connector }}",
            "unknown parameter 'TYPE'",
        ),
        (
            "{{ zpakey://name/k?type=connector&type=connector }}",
            "type is given twice",
        ),
        (
            "{{ zpakey://name/k?type=edge }}",
            "unknown key type 'edge'; types are CONNECTOR_GRP, EXPORTER_GRP, NP_ASSISTANT_GRP, SERVICE_EDGE_GRP, SITE_CONTROLLER_GRP",
        ),
        ("{{ zpakey://name/k?type= }}", "unknown key type ''"),
    ] {
        let message = error_at_position(text, 1, 1);
        assert!(message.contains(why), "{text}: {message}");
    }
}

#[test]
fn missing_closing_braces() {
    assert_eq!(
        error_at_position("a: {{ zpakey://id/1\nb: }}\n", 1, 4),
        format!("reference 'zpakey://id/1' has no closing }}}} on its line; {USAGE}")
    );
    assert_eq!(
        error_at_position("a: {{ zpakey://id/1 } }", 1, 4),
        format!("reference 'zpakey://id/1' has no closing }}}} on its line; {USAGE}")
    );
    error_at_position("{{ zpakey://id/1\r\n}}", 1, 1);
    error_at_position("{{ zpakey://id/1", 1, 1);
    error_at_position("ok\n{{zpakey://name/x?type=connector", 2, 1);
}

#[test]
fn nested_braces() {
    let message = error_at_position("{{ zpakey://id/{{ .Values.id }} }}", 1, 1);
    assert_eq!(
        message,
        format!("reference 'zpakey://id/{{{{ .Values.id' has braces inside it; {USAGE}")
    );
    assert_eq!(
        error_at_position("x: {{{ zpakey://id/1 }}}", 1, 4),
        format!("reference 'zpakey://id/1' has extra braces around it; {USAGE}")
    );
    error_at_position("{{ zpakey://name/a{b }}", 1, 1);
    error_at_position("{{ zpakey://name/a}b }}", 1, 1);
    error_at_position("{{ zpakey://id/1 {{ zpakey://id/2 }}", 1, 1);
}

#[test]
fn error_positions_count_lines_and_characters() {
    // Line 3, after multi-byte characters: the column counts characters, not bytes.
    let text = "ünïcødé: {{ zpakey://id/1 }}\n\
                😀 ok\n\
                naïve Zürich 😀: {{ zpakey://group/x }} {{ zpakey://group/y }}\n";
    let error = error(text);
    // "naïve Zürich 😀: " is 16 characters (but 21 bytes).
    assert_eq!((error.line, error.column), (3, 17));
    assert_eq!(
        error.message,
        format!("unknown reference 'zpakey://group/x'; {USAGE}")
    );
    // Only the reference is quoted, however long the line.
    let long = format!("{{{{ zpakey://name/{}", "a".repeat(200));
    let message = error_at_position(&format!("{long} secret-looking rest\n"), 1, 1);
    assert!(!message.contains("secret-looking"), "{message}");
    assert!(message.contains('…'), "{message}");
    // Control characters are shown escaped.
    let message = error_at_position("{{ zpakey://gr\x1b[2Joup }}", 1, 1);
    assert!(message.contains("zpakey://gr\\e[2Joup"), "{message}");
}

#[test]
fn renders_several_references() {
    let text = "id: {{ zpakey://id/1 }}\nedge: {{zpakey://name/edge?type=service-edge}} \
                and {{ zpakey://id/2 }}, id again {{ zpakey://id/1 }}";
    let template = Template::parse(text).unwrap();
    assert_eq!(
        template.references(),
        [
            id("1"),
            name("edge", Some(KeyType::ServiceEdgeGrp)),
            id("2")
        ]
    );
    let rendered = template.render(&secrets(&["2|a.com|K1", "2|a.com|E", "3|b|K2"]));
    assert_eq!(
        *rendered,
        "id: 2|a.com|K1\nedge: 2|a.com|E and 3|b|K2, id again 2|a.com|K1"
    );
    // Sized exactly, so it never reallocated.
    assert_eq!(rendered.capacity(), rendered.len());
    assert_eq!(
        *Template::parse("{{zpakey://id/1}}")
            .unwrap()
            .render(&secrets(&["K"])),
        "K"
    );
}

#[test]
fn no_references_renders_to_itself() {
    for text in [
        "",
        "plain\n",
        "a {{ .Values.x }} b",
        "{ } {{",
        "}}{{ zpakey",
    ] {
        let template = Template::parse(text).unwrap();
        assert!(template.references().is_empty());
        assert_eq!(*template.render(&[]), text);
    }
}

/// Text biased towards braces, spaces and the scheme's letters.
fn text() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        3 => prop::sample::select(vec!['{', '}', ' ', '\n', 'z', ':', '/', '%', 'é', '😀']),
        1 => any::<char>(),
    ];
    prop_oneof![
        any::<String>(),
        prop::collection::vec(c, 0..64).prop_map(String::from_iter),
        prop::collection::vec(
            prop::sample::select(vec!["{", "}", " ", "zpakey://id/1", "zpakey:"]),
            0..16
        )
        .prop_map(|parts| parts.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Any text parses or fails with an error, never a panic; parsed, it renders to itself
    /// with every reference, and nothing else, replaced.
    #[test]
    fn any_text_renders_to_itself_with_references_replaced(text in text()) {
        if let Ok(template) = Template::parse(&text) {
            const VALUE: &str = "\u{e000}KEY\u{e000}";
            let values = vec![SecretString::from(VALUE); template.references().len()];
            let rendered = template.render(&values);
            let mut expected = String::new();
            let mut at = 0;
            for slot in &template.slots {
                prop_assert!(text[slot.range.clone()].starts_with("{{"));
                prop_assert!(text[slot.range.clone()].ends_with("}}"));
                expected.push_str(&text[at..slot.range.start]);
                expected.push_str(VALUE);
                at = slot.range.end;
            }
            expected.push_str(&text[at..]);
            prop_assert_eq!(&*rendered, &expected);
        }
    }

    /// Any name, percent-encoded, comes back exactly, and renders in its place.
    #[test]
    fn encoded_names_round_trip(
        names in prop::collection::vec("[^\\p{Cc}]{1,12}", 1..4),
        key_type in proptest::option::of(prop::sample::select(KeyType::ALL.to_vec())),
    ) {
        let mut text = String::new();
        for (i, name) in names.iter().enumerate() {
            let encoded =
                percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
            let query = key_type.map(|t| format!("?type={t}")).unwrap_or_default();
            text.push_str(&format!("line {i}: {{{{ zpakey://name/{encoded}{query} }}}}\n"));
        }
        let template = Template::parse(&text).unwrap();
        let mut distinct: Vec<&String> = Vec::new();
        for name in &names {
            if !distinct.contains(&name) {
                distinct.push(name);
            }
        }
        let wanted: Vec<Reference> = distinct
            .iter()
            .map(|n| Reference::Name { name: (*n).clone(), key_type })
            .collect();
        prop_assert_eq!(template.references(), wanted.as_slice());
        let values: Vec<SecretString> = (0..distinct.len())
            .map(|i| SecretString::from(format!("V{i}")))
            .collect();
        let mut expected = String::new();
        for (i, name) in names.iter().enumerate() {
            let value = distinct.iter().position(|n| *n == name).unwrap();
            expected.push_str(&format!("line {i}: V{value}\n"));
        }
        prop_assert_eq!(&*template.render(&values), &expected);
    }
}
