//! Static checks of the committed completions and man page, with the tools people use them
//! with: each shell's syntax check, and the man page rendered with warnings on. A shell or
//! formatter that is not installed is skipped with a note.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `name` on PATH, if installed.
fn tool(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// Runs a check; it must exit 0 with nothing on stderr.
fn assert_clean(program: &Path, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .current_dir(root())
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "{} {args:?}: {}\n{stderr}",
        program.display(),
        out.status
    );
}

#[test]
fn completion_scripts_parse_in_their_shells() {
    let bash = tool("bash").expect("bash is installed");
    assert_clean(&bash, &["-n", "completions/zpakey.bash"]);
    for (shell, args) in [
        ("zsh", ["-n", "completions/_zpakey"]),
        ("fish", ["--no-execute", "completions/zpakey.fish"]),
    ] {
        match tool(shell) {
            Some(path) => assert_clean(&path, &args),
            None => eprintln!("note: {shell} is not installed; skipped {args:?}"),
        }
    }
}

#[test]
fn the_man_page_renders_without_warnings() {
    if let Some(groff) = tool("groff") {
        assert_clean(&groff, &["-man", "-Tutf8", "-ww", "-z", "man/zpakey.1"]);
    } else if let Some(mandoc) = tool("mandoc") {
        assert_clean(&mandoc, &["-T", "lint", "-W", "warning", "man/zpakey.1"]);
    } else if let Some(man) = tool("man") {
        assert_clean(&man, &["--warnings", "-l", "man/zpakey.1"]);
    } else {
        eprintln!("note: none of groff, mandoc or man is installed; man page not rendered");
    }
}

#[test]
fn the_man_page_carries_the_environment_variables_and_exit_codes() {
    let source = std::fs::read_to_string(root().join("man/zpakey.1")).expect("man/zpakey.1");
    let text = source.replace("\\-", "-");
    for name in [
        "ZSCALER_CLIENT_ID",
        "ZSCALER_CLIENT_SECRET",
        "ZSCALER_CLIENT_SECRET_FILE",
        "ZSCALER_PRIVATE_KEY",
        "ZSCALER_VANITY_DOMAIN",
        "ZSCALER_CLOUD",
        "ZPA_CUSTOMER_ID",
        "ZSCALER_CUSTOMER_ID",
        "ZSCALER_USE_LEGACY_CLIENT",
        "ZPA_CLIENT_ID",
        "ZPA_CLIENT_SECRET",
        "ZPA_CLIENT_SECRET_FILE",
        "ZPA_CLOUD",
        "ZPA_MICROTENANT_ID",
        "ZPAKEY_OUTPUT",
        "ZPAKEY_API_URL",
        "ZPAKEY_AUTH_URL",
        "ZPAKEY_MAX_WAIT",
        "ZPAKEY_TOKEN_CACHE",
        "ZPAKEY_PROFILE",
    ] {
        assert!(text.contains(name), "the man page does not mention {name}");
    }
    for (code, meaning) in [
        ("0", "success"),
        ("1", "any other error"),
        ("2", "usage error"),
        ("3", "credentials missing, rejected, or not permitted"),
        ("4", "no key matches"),
        ("5", "more than one key matches"),
        ("6", "the API or network failed"),
        ("7", "the key exists but cannot be used or revealed"),
        ("130", "interrupted"),
    ] {
        assert!(
            text.lines().any(|line| {
                line.trim_start().strip_prefix(code).is_some_and(|rest| {
                    rest.starts_with(' ') && rest.trim_start().starts_with(meaning)
                })
            }),
            "the man page's exit-code table lacks {code} ({meaning})"
        );
    }
}
