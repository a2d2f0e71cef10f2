//! Breaking text into lines for a narrow table column the way a person would: at spaces,
//! else after a hyphen, underscore, dot or slash, and only as a last resort inside a run of
//! letters (comfy-table, left to itself, cuts `Prod-Connectors` into `Prod-Conne` and
//! `ctors`).

/// Characters after which a word without spaces may be broken.
const SOFT_BREAKS: [char; 4] = ['-', '_', '.', '/'];

/// `text` as lines of at most `width` characters, joined by `\n`.
pub(crate) fn lines(text: &str, width: usize) -> String {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    // The line being filled; `None` before its first word (which may be empty: a name can
    // start with a space, and that space is kept).
    let mut line: Option<String> = None;
    // Splitting at single spaces keeps a run of spaces inside a line as it was; the space
    // where a line is broken goes.
    for word in text.split(' ') {
        let wanted = match &line {
            None => count(word),
            Some(line) => count(line) + 1 + count(word),
        };
        if wanted <= width {
            let line = line.get_or_insert_with(String::new);
            if wanted > count(word) {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        // A line of nothing but the space a name starts with is not worth a line.
        // (Spaces left at the end of a broken line would not show.)
        lines.extend(
            line.take()
                .map(|l| l.trim_end().to_owned())
                .filter(|l| !l.is_empty()),
        );
        let mut rest = word;
        while count(rest) > width {
            let (head, tail) = split_long(rest, width);
            lines.push(head.to_owned());
            rest = tail;
        }
        // The space where the line broke is gone: the next word starts the new line.
        line = (!rest.is_empty()).then(|| rest.to_owned());
    }
    lines.extend(line);
    lines.join("\n")
}

/// Splits a word longer than `width` after its last soft break within `width` characters,
/// or, without one, at `width`.
fn split_long(word: &str, width: usize) -> (&str, &str) {
    let hard = word
        .char_indices()
        .nth(width)
        .map_or(word.len(), |(at, _)| at);
    let soft = word[..hard]
        .char_indices()
        .rev()
        .find(|(_, c)| SOFT_BREAKS.contains(c))
        .map(|(at, c)| at + c.len_utf8());
    word.split_at(soft.unwrap_or(hard))
}

fn count(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_break_at_spaces_then_after_hyphens_then_anywhere() {
        assert_eq!(
            lines("AWS us-east-1 (prod) & DR #2", 12),
            "AWS\nus-east-1\n(prod) & DR\n#2"
        );
        assert_eq!(lines("Prod-Connectors", 12), "Prod-\nConnectors");
        assert_eq!(
            lines("docker-prov-key-zsdemo-zpa", 12),
            "docker-prov-\nkey-zsdemo-\nzpa"
        );
        assert_eq!(lines("abcdefghijklmno", 6), "abcdef\nghijkl\nmno");
        assert_eq!(
            lines("Zürich  Büro  Connectors", 12),
            "Zürich  Büro\nConnectors"
        );
        assert_eq!(lines("fits as it is", 20), "fits as it is");
        assert_eq!(lines("", 5), "");
        assert_eq!(lines(" edge-prod ", 12), " edge-prod ");
        assert_eq!(lines(" edge-prod-two", 12), "edge-prod-\ntwo");
    }
}
