//! The docs stand alone (issue 15): README, zpa-sim's README and the man pages are read by
//! people who have the repository and nothing else, so they name no project-internal issue
//! or spec file, and every relative link points at a file the repository has.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The documents people read, with their paths.
fn documents() -> Vec<(PathBuf, String)> {
    let mut paths = vec![
        root().join("README.md"),
        root().join("tests/zpa-sim/README.md"),
    ];
    for entry in std::fs::read_dir(root().join("man")).unwrap() {
        paths.push(entry.unwrap().path());
    }
    assert!(paths.len() > 3, "{paths:?}");
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

/// What in `text` refers to something a reader of the repository does not have.
fn outside_references(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = text.to_lowercase();
    for (at, _) in lower.match_indices("issue") {
        let rest = lower[at + "issue".len()..].trim_start_matches([' ', '#']);
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            found.push(text[at..(at + 12).min(text.len())].to_owned());
        }
    }
    for name in [
        "CLI.md",
        "SIM.md",
        "API.md",
        "PEERS.md",
        "ANCHORS.md",
        "../shared",
    ] {
        if text.contains(name) {
            found.push(name.to_owned());
        }
    }
    found
}

#[test]
fn the_docs_name_no_internal_issue_or_spec() {
    for (path, text) in documents() {
        let found = outside_references(&text);
        assert!(found.is_empty(), "{}: {found:?}", path.display());
    }
}

#[test]
fn relative_links_point_at_files_the_repository_has() {
    for (path, text) in documents() {
        let dir = path.parent().unwrap();
        for (at, _) in text.match_indices("](") {
            let target = &text[at + 2..];
            let target = &target[..target.find(')').unwrap_or(target.len())];
            let target = target.split('#').next().unwrap_or_default();
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            assert!(
                dir.join(target).exists(),
                "{}: link to {target}, which the repository does not have",
                path.display()
            );
        }
    }
}

#[test]
fn the_checks_can_fail() {
    assert_eq!(
        outside_references("see issue 7 and Issue #13, CLI.md, ../shared/spec"),
        ["issue 7 and ", "Issue #13, C", "CLI.md", "../shared"]
    );
    assert!(outside_references("an issue that people report").is_empty());
}
