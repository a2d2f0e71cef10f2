//! Every command the docs show runs against zpa-sim (issue 15): the shell examples and the
//! terminal transcripts of README.md, and the examples of `--help` (which the man pages carry,
//! generated from the same text). A README example that stops working fails here.
//!
//! Conventions the docs follow so that they can be run:
//! - in a ```sh block, a line that runs `zpakey` or `zpa-sim` is run, in order, as one bash
//!   script per block (so `ID=$(zpakey …)` feeds the next line); other lines (installing,
//!   `export`ing placeholders for a real tenant) are not. It must exit 0, or N when its
//!   comment starts with `exit N`;
//! - a ```text block with `$ ` lines is a terminal transcript: each command runs on a pseudo
//!   terminal and what it prints must be what the block shows, relative times, ports and
//!   milliseconds aside, and the width of table columns aside;
//! - other programs an example hands the key to (a deploy script, docker, helm, a secrets
//!   manager's CLI) are stand-ins that check they got what the example says they get.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use zpa_sim::{EnvMode, SimHandle};

use super::terminal::pty::{Pty, Wire};
use crate::support::sim;

mod help_examples;

/// A runnable line of a ```sh block and the exit code it documents.
struct Line {
    number: usize,
    text: String,
    code: i32,
}

/// The ```sh blocks of a markdown text: the runnable lines of each.
fn shell_blocks(markdown: &str) -> Vec<Vec<Line>> {
    let mut blocks = Vec::new();
    // Inside a fence: `Some(true)` for a ```sh block, `Some(false)` for any other.
    let mut fence: Option<bool> = None;
    let mut block = Vec::new();
    let mut pending = String::new();
    let mut pending_start = 0;
    // The end marker of a here-document being read: its lines belong to the command.
    let mut heredoc: Option<String> = None;
    for (i, line) in markdown.lines().enumerate() {
        if heredoc.is_none() && line.starts_with("```") {
            fence = match fence {
                None => Some(line == "```sh"),
                Some(_) => {
                    if !block.is_empty() {
                        blocks.push(std::mem::take(&mut block));
                    }
                    None
                }
            };
            continue;
        }
        if fence != Some(true) {
            continue;
        }
        if pending.is_empty() {
            pending_start = i + 1;
        }
        if let Some(end) = &heredoc {
            pending.push_str(line);
            pending.push('\n');
            if line == end {
                heredoc = None;
            } else {
                continue;
            }
        } else if let Some(part) = line.strip_suffix('\\') {
            pending.push_str(part);
            pending.push(' ');
            continue;
        } else {
            pending.push_str(line);
            let code = strip_comment(line).trim_end();
            // A command goes on after `&&` or `|` at the end of a line.
            if code.ends_with("&&") || code.ends_with('|') {
                pending.push(' ');
                continue;
            }
            if let Some(at) = code.find("<<'") {
                let end = code[at + 3..].split('\'').next().unwrap_or_default();
                heredoc = Some(end.to_owned());
                pending.push('\n');
                continue;
            }
        }
        let whole = std::mem::take(&mut pending);
        let whole = whole.trim_end_matches('\n');
        if let Some(runnable) = runnable(whole) {
            block.push(Line {
                number: pending_start,
                code: documented_code(whole),
                text: runnable,
            });
        }
    }
    blocks
}

/// The shell text of a line that runs zpakey or zpa-sim, made to run here: `sudo` dropped,
/// `cargo build … &&` dropped (the binaries are built), `target/debug/` made absolute.
fn runnable(line: &str) -> Option<String> {
    // A here-document writing a file the next lines read (a template, say) runs as it is.
    if line.starts_with("cat > ") && line.contains("<<'") {
        return Some(line.to_owned());
    }
    let code = strip_comment(line).trim().to_owned();
    if code.is_empty() || code.starts_with("export ") || code.starts_with("cargo run") {
        return None;
    }
    let code = code
        .strip_prefix("cargo build --workspace && ")
        .unwrap_or(&code)
        .to_owned();
    if code.starts_with("cargo ") || code.starts_with("install ") {
        return None;
    }
    let runs = ["zpakey", "zpa-sim", "target/debug/zpa-sim"]
        .iter()
        .any(|tool| {
            let starts = |text: &str| {
                let text = text.trim_start();
                let text = text.strip_prefix("sudo ").unwrap_or(text);
                text.starts_with(&format!("{tool} ")) || text == *tool
            };
            starts(&code)
                || code.split(['|', ';', '&']).any(starts)
                || code.split("$(").skip(1).any(starts)
        });
    // `zpa-sim` without `exec` serves until stopped: an example for a person, not a script.
    let serves = code
        .split_whitespace()
        .next()
        .is_some_and(|w| w.ends_with("zpa-sim"))
        && !code.contains(" exec ");
    (runs && !serves).then(|| {
        code.replace("sudo ", "")
            .replace("target/debug/", &format!("{}/", target_dir().display()))
            .replace("/opt/zscaler", "\"$ZPAKEY_DOCS_ROOT\"/opt/zscaler")
    })
}

/// A line without its `# comment` (a `#` inside quotes is not one).
fn strip_comment(line: &str) -> &str {
    let (mut single, mut double) = (false, false);
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'#' if !single && !double && (i == 0 || bytes[i - 1] == b' ') => {
                return &line[..i];
            }
            _ => {}
        }
    }
    line
}

/// N when the line's comment starts with `exit N`, else 0.
fn documented_code(line: &str) -> i32 {
    let comment = &line[strip_comment(line).len()..];
    comment
        .trim_start_matches('#')
        .trim()
        .strip_prefix("exit ")
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_zpakey"))
        .parent()
        .expect("target directory")
        .to_path_buf()
}

/// A place to run the docs' examples: a home, a working directory, a root for the paths the
/// docs write to (`/opt/zscaler/var/…`), and the stand-ins for the programs examples use.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        for sub in [
            "home/.local/share/bash-completion/completions",
            "home/.config",
            "work",
            "root/opt/zscaler/var/service-edge",
            "root/opt/zscaler/var/pcc",
            "bin",
        ] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        let sandbox = Sandbox { dir };
        // The key must arrive whole on stdin, exactly a key and a newline.
        sandbox.stub(
            "deploy-connector.sh",
            r#"key=$(cat); case "$key" in [0-9]\|*\|?*) exit 0;; *) echo "deploy-connector.sh: not a key" >&2; exit 1;; esac"#,
        );
        // A deploy script run by `zpa-sim exec` sees the simulator's variables.
        let script = sandbox.dir.path().join("work/deploy.sh");
        std::fs::write(&script, "#!/bin/sh\nzpakey list >/dev/null\n").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        // `docker run -e NAME` passes NAME through: it must be set, and no key in argv.
        sandbox.stub(
            "docker",
            r#"for a in "$@"; do case "$a" in *\|*\|*) echo "docker: a key in argv" >&2; exit 1;; esac; done; [ -n "${ZPA_PROVISION_KEY:-}" ] || { echo "docker: ZPA_PROVISION_KEY not set" >&2; exit 1; }"#,
        );
        // `helm … -f FILE`: the values file must hold a key.
        sandbox.stub(
            "helm",
            r#"while [ $# -gt 0 ]; do if [ "$1" = -f ]; then grep -q 'api.private.zscaler.com|' "$2" || { echo "helm: no key in $2" >&2; exit 1; }; fi; shift; done"#,
        );
        // A script that enrolls with the key in $PROVISION_KEY.
        let enroll = sandbox.dir.path().join("work/enroll.sh");
        std::fs::write(
            &enroll,
            "#!/bin/sh\ncase \"$PROVISION_KEY\" in [0-9]\\|*\\|?*) exit 0;; *) exit 1;; esac\n",
        )
        .unwrap();
        std::fs::set_permissions(&enroll, std::fs::Permissions::from_mode(0o755)).unwrap();
        // The templates the help's inject examples read (README writes its own).
        std::fs::write(
            sandbox.work().join("values.tpl"),
            "zsglobal: { provisionkey: { value: \"{{ zpakey://id/58856 }}\" } }\n",
        )
        .unwrap();
        std::fs::write(
            sandbox.work().join("user-data.tpl"),
            "#cloud-config\nwrite_files:\n  - content: \"{{ zpakey://id/58856 }}\"\n",
        )
        .unwrap();
        // aws: a key on stdin (secretsmanager), or in the user-data file (ec2).
        sandbox.stub(
            "aws",
            r#"for a in "$@"; do case "$a" in file:///dev/stdin) key=$(cat); case "$key" in [0-9]\|*\|?*) exit 0;; *) exit 1;; esac;; file://*) grep -q 'api.private.zscaler.com|' "${a#file://}" || exit 1;; esac; done"#,
        );
        // A secrets manager's CLI reading the key from stdin.
        for name in ["vault", "gh"] {
            sandbox.stub(
                name,
                r#"key=$(cat); case "$key" in [0-9]\|*\|?*) exit 0;; *) echo "no key on stdin" >&2; exit 1;; esac"#,
            );
        }
        sandbox
    }

    fn stub(&self, name: &str, body: &str) {
        let path = self.dir.path().join("bin").join(name);
        std::fs::write(&path, format!("#!/bin/bash\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// bash with the simulator's environment and the stand-ins first on PATH. Each script
    /// gets a runtime directory of its own: the docs' examples, run back to back against one
    /// tenant, would otherwise spend its rate limit together and wait for it (rightly).
    fn bash(&self, sim: &SimHandle) -> std::process::Command {
        let run = tempfile::Builder::new()
            .prefix("run-")
            .tempdir_in(self.dir.path())
            .unwrap()
            .keep();
        std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o700)).unwrap();
        let mut cmd = std::process::Command::new("bash");
        cmd.env_clear()
            .current_dir(self.work())
            .env("HOME", self.dir.path().join("home"))
            .env("XDG_RUNTIME_DIR", run)
            .env("WORKDIR", self.work())
            .env("ZPAKEY_DOCS_ROOT", self.dir.path().join("root"))
            .env(
                "PATH",
                format!(
                    "{}:{}:/usr/local/bin:/usr/bin:/bin",
                    self.dir.path().join("bin").display(),
                    target_dir().display()
                ),
            );
        for (name, value) in sim.env(EnvMode::OneApi) {
            cmd.env(name, value);
        }
        cmd
    }
}

/// Runs the blocks of `markdown` (named `source` in messages), each as one script.
fn run_blocks(source: &str, markdown: &str) {
    let sim = sim();
    let has_jq = std::process::Command::new("jq")
        .arg("--version")
        .output()
        .is_ok();
    let mut failures = Vec::new();
    let mut ran = 0;
    for block in shell_blocks(markdown) {
        let sandbox = Sandbox::new();
        let mut script = String::from("set -u -o pipefail\n");
        for line in &block {
            if line.text.contains("jq ") && !has_jq {
                eprintln!(
                    "note: jq is not installed; {source}:{} not run",
                    line.number
                );
                continue;
            }
            ran += 1;
            script.push_str(&format!(
                "{}\nrc=$?; if [ $rc -ne {} ]; then echo \"{source}:{}: exit $rc, not {}\" >&2; exit 100; fi\n",
                line.text, line.code, line.number, line.code
            ));
        }
        let out = sandbox.bash(&sim).arg("-c").arg(&script).output().unwrap();
        if !out.status.success() {
            failures.push(format!(
                "{}\n--- stderr:\n{}",
                script,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(ran > 0, "{source}: nothing ran");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_readme_shell_example_runs() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    run_blocks("README.md", &readme);
}

/// Makes what changes from run to run comparable: relative times, ports, milliseconds, and
/// the padding of table columns (which follows the longest value, a relative time say).
fn normalized(text: &str) -> String {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut words: Vec<String> = Vec::new();
        let tokens: Vec<&str> = line.split(' ').filter(|t| !t.is_empty()).collect();
        let mut i = 0;
        while i < tokens.len() {
            let token = tokens[i];
            let unit = tokens.get(i + 1).map(|u| u.trim_end_matches(['s', ',']));
            let is_unit = matches!(
                unit,
                Some("second" | "minute" | "hour" | "day" | "month" | "year")
            );
            if token.parse::<u64>().is_ok() && is_unit && tokens.get(i + 2) == Some(&"ago") {
                words.push("<time>".into());
                i += 3;
                continue;
            }
            if token == "in" && tokens.get(i + 1).is_some_and(|n| n.parse::<u64>().is_ok()) {
                words.push("<time>".into());
                i += 3;
                continue;
            }
            let mut token = token.to_owned();
            if let Some(at) = token.find("127.0.0.1:") {
                let start = at + "127.0.0.1:".len();
                let end = token[start..]
                    .find(|c: char| !c.is_ascii_digit())
                    .map_or(token.len(), |e| start + e);
                token.replace_range(start..end, "<port>");
            }
            if token.starts_with('(') && tokens.get(i + 1) == Some(&"ms)") {
                words.push("(<ms>".into());
                i += 1;
                continue;
            }
            words.push(token);
            i += 1;
        }
        let mut line = words.join(" ");
        for (run, one) in [("─", '─'), ("═", '═')] {
            while line.contains(&format!("{run}{run}")) {
                line = line.replace(&format!("{one}{one}"), &one.to_string());
            }
        }
        out.push(line);
    }
    out.join("\n").trim_end().to_owned()
}

#[test]
fn every_readme_transcript_is_what_zpakey_prints() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let sim = sim();
    let sandbox = Sandbox::new();
    let mut in_text = false;
    // Whether this text block has shown a `$ ` line yet: text before one is not output.
    let mut started = false;
    let mut steps: Vec<(String, String)> = Vec::new();
    for line in readme.lines() {
        if line == "```text" {
            (in_text, started) = (true, false);
            continue;
        }
        if in_text && line == "```" {
            in_text = false;
            continue;
        }
        if !in_text {
            continue;
        }
        match line.strip_prefix("$ ") {
            Some(command) => {
                started = true;
                steps.push((strip_comment(command).trim().to_owned(), String::new()));
            }
            None if started => {
                if let Some((_, expected)) = steps.last_mut() {
                    expected.push_str(line);
                    expected.push('\n');
                }
            }
            None => {}
        }
    }
    assert!(steps.len() >= 5, "no transcript found");
    let mut failures = Vec::new();
    let mut last_code = 0;
    for (command, expected) in &steps {
        let command = command.replace("$?", &last_code.to_string());
        eprintln!("transcript: $ {command}");
        let mut cmd = sandbox.bash(&sim);
        cmd.env("TERM", "xterm-256color")
            .env("NO_COLOR", "1")
            .arg("-c")
            .arg(format!("read -r _ </dev/tty; {command}"));
        let mut pty = Pty::wired(cmd, [Wire::Pty, Wire::Pty, Wire::Pty]);
        let code = pty.finish();
        if !command.starts_with("echo ") {
            last_code = code;
        }
        let got = super::terminal::pty::strip_ansi(&pty.text()).replace('\r', "");
        if normalized(&got) != normalized(expected) {
            failures.push(format!(
                "$ {command}\n--- README shows:\n{expected}--- zpakey printed:\n{got}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
