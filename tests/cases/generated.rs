//! The committed completions and man page are exactly what the binary generates now.

use crate::support::bare;

#[test]
fn committed_completions_and_man_page_are_current() {
    let dir = tempfile::tempdir().unwrap();
    bare()
        .args(["generate", "--out-dir"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout("");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let names = |dir: &std::path::Path| -> Vec<String> {
        let names = crate::support::hostile::names_in(dir);
        assert!(!names.is_empty(), "{} is empty or missing", dir.display());
        names
    };
    for sub in ["completions", "man"] {
        // The same files: a stale extra one (a page for a command that is gone) fails too.
        assert_eq!(
            names(&root.join(sub)),
            names(&dir.path().join(sub)),
            "{sub}/ holds other files than `cargo run -- generate --out-dir .` writes"
        );
        for entry in std::fs::read_dir(dir.path().join(sub)).unwrap() {
            let fresh = entry.unwrap().path();
            let name = fresh.file_name().unwrap();
            let committed = root.join(sub).join(name);
            let committed_bytes = std::fs::read(&committed).unwrap_or_default();
            assert!(
                committed_bytes == std::fs::read(&fresh).unwrap(),
                "{} is stale: run `cargo run -- generate --out-dir .` and commit the result",
                committed.display()
            );
        }
    }
}

#[test]
fn completions_print_to_stdout_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = bare().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(
            String::from_utf8(out.stdout).unwrap().contains("zpakey"),
            "{shell}"
        );
    }
}
