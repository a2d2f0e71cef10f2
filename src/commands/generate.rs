//! Shell completions and the man page, generated from the clap definition so they cannot
//! drift from the real flags; `generate` refreshes the committed copies.

use std::io::{self, Write};
use std::path::Path;

use clap::CommandFactory;
use clap_complete::{Generator, Shell};

use crate::cli::Cli;
use crate::error::{Error, Kind};

pub(crate) const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

pub(crate) fn completions(shell: Shell, out: &mut dyn Write) -> io::Result<()> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut visible(Cli::command()), "zpakey", &mut buf);
    out.write_all(&buf)
}

/// The command without its hidden subcommands (`generate`, for maintainers): completion
/// generators offer hidden subcommands too, and people should not be offered it.
fn visible(command: clap::Command) -> clap::Command {
    // Rebuilt without them: clap has no way to remove a subcommand.
    let kept: Vec<clap::Command> = command
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .cloned()
        .collect();
    let mut shown = clap::Command::new("zpakey").args(command.get_arguments().cloned());
    if let Some(about) = command.get_about() {
        shown = shown.about(about.clone());
    }
    shown.version(env!("CARGO_PKG_VERSION")).subcommands(kept)
}

/// The man page: clap's sections, then the long help's examples, environment and exit codes
/// as sections of their own (one source of truth with `--help`).
pub(crate) fn man(out: &mut dyn Write) -> io::Result<()> {
    let mut command = Cli::command();
    command.build();
    let man = page(command.clone(), "zpakey");
    man.render_title(out)?;
    man.render_name_section(out)?;
    synopsis(&command, "zpakey", out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    for (title, body) in help_sections(crate::cli::AFTER_LONG_HELP) {
        let title = match title {
            "Exit codes" => "EXIT STATUS".to_owned(),
            other => other.to_ascii_uppercase(),
        };
        section(&title, &body, out)?;
    }
    man.render_version_section(out)
}

/// Renders `zpakey-<sub>.1` (and deeper, e.g. `zpakey-auth-status.1`) for every visible
/// subcommand of a built command, named by clap's display names as clap_mangen does.
fn subcommand_pages(
    command: &clap::Command,
    dir: &Path,
    files: &mut Vec<(std::path::PathBuf, Vec<u8>)>,
) -> io::Result<()> {
    for sub in command
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let full = sub
            .get_display_name()
            .unwrap_or_else(|| sub.get_name())
            .to_owned();
        let man = page(sub.clone(), &full);
        let mut buf = Vec::new();
        man.render_title(&mut buf)?;
        man.render_name_section(&mut buf)?;
        synopsis(sub, &full.replace('-', " "), &mut buf)?;
        man.render_description_section(&mut buf)?;
        man.render_options_section(&mut buf)?;
        if sub
            .get_subcommands()
            .any(|s| !s.is_hide_set() && s.get_name() != "help")
        {
            man.render_subcommands_section(&mut buf)?;
        }
        // The command's examples (its after_help) as EXAMPLES, not clap_mangen's EXTRA.
        if let Some(examples) = sub.get_after_help() {
            let text = examples.to_string();
            let body = text
                .split_once('\n')
                .map_or(text.as_str(), |(_, rest)| rest);
            section("EXAMPLES", body, &mut buf)?;
        }
        writeln!(buf, ".SH \"SEE ALSO\"\n\\fBzpakey\\fR(1)")?;
        files.push((dir.join(man.get_filename()), buf));
        subcommand_pages(sub, dir, files)?;
    }
    Ok(())
}

/// A page titled as man pages are (`ZPAKEY-GET(1)`), its footer naming zpakey and its version
/// (clap_mangen's default names the subcommand: "get 0.1.0").
fn page(command: clap::Command, name: &str) -> clap_mangen::Man {
    clap_mangen::Man::new(command)
        .title(name.to_ascii_uppercase())
        .section("1")
        .source(format!("zpakey {}", env!("CARGO_PKG_VERSION")))
        .manual("User Commands")
}

/// SYNOPSIS with what a reader needs: the required choice of `--id` or `--name` shown as a
/// choice, each option with its value, and the global options named once.
fn synopsis(command: &clap::Command, name: &str, out: &mut dyn Write) -> io::Result<()> {
    let mut parts = vec![format!("\\fB{}\\fR", name.replace('-', "\\-"))];
    let mut grouped: Vec<&str> = Vec::new();
    for group in command.get_groups().filter(|g| g.is_required_set()) {
        let members: Vec<String> = group
            .get_args()
            .filter_map(|id| command.get_arguments().find(|a| a.get_id() == id))
            .map(option)
            .collect();
        grouped.extend(group.get_args().map(|id| id.as_str()));
        parts.push(format!("({})", members.join(" | ")));
    }
    for arg in command.get_arguments() {
        if arg.is_global_set()
            || arg.is_hide_set()
            || grouped.contains(&arg.get_id().as_str())
            || matches!(arg.get_id().as_str(), "help" | "version")
        {
            continue;
        }
        let repeats = matches!(arg.get_action(), clap::ArgAction::Append) && !arg.is_positional();
        let shown = option(arg) + if repeats { "..." } else { "" };
        if arg.is_positional() || arg.is_required_set() {
            parts.push(shown);
        } else {
            parts.push(format!("[{shown}]"));
        }
    }
    if command.get_subcommands().any(|s| !s.is_hide_set()) {
        parts.push("\\fICOMMAND\\fR".to_owned());
    }
    parts.push("[\\fIGLOBAL OPTIONS\\fR]".to_owned());
    writeln!(out, ".SH SYNOPSIS\n{}", parts.join(" "))
}

/// `--type TYPE`, `-n`, `SHELL`, `--env NAME` in roff.
fn option(arg: &clap::Arg) -> String {
    let value = arg
        .get_value_names()
        .and_then(|names| names.first())
        .map(|v| v.to_string());
    let takes = arg.get_num_args().is_none_or(|n| n.takes_values());
    let name = match (arg.get_long(), arg.get_short()) {
        (Some(long), _) => format!("\\fB\\-\\-{}\\fR", long.replace('-', "\\-")),
        (None, Some(short)) => format!("\\fB\\-{short}\\fR"),
        (None, None) => {
            let v = value.unwrap_or_else(|| arg.get_id().to_string().to_ascii_uppercase());
            let dots = if arg.is_positional() && matches!(arg.get_action(), clap::ArgAction::Append)
            {
                "..."
            } else {
                ""
            };
            return format!("\\fI{v}\\fR{dots}");
        }
    };
    match value {
        Some(v) if takes => format!("{name} \\fI{v}\\fR"),
        _ => name,
    }
}

/// A section of preformatted text (examples, environment), escaped for roff.
fn section(title: &str, body: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, ".SH \"{title}\"\n.nf")?;
    for line in body.lines() {
        let escaped = line.replace('\\', "\\e");
        if escaped.starts_with(['.', '\'']) {
            writeln!(out, "\\&{escaped}")?;
        } else {
            writeln!(out, "{escaped}")?;
        }
    }
    writeln!(out, ".fi")
}

/// Splits help text into its "Title:" sections (a header is an unindented line ending in ':').
fn help_sections(text: &str) -> Vec<(&str, String)> {
    let mut sections: Vec<(&str, String)> = Vec::new();
    for line in text.lines() {
        if let Some(title) = line.strip_suffix(':').filter(|_| !line.starts_with(' ')) {
            sections.push((title, String::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    for (_, body) in &mut sections {
        let trimmed = body.trim_end().len();
        body.truncate(trimmed);
        body.push('\n');
    }
    sections
}

/// Writes `completions/<file>` for every shell and `man/zpakey.1` under `root`.
pub(crate) fn write_all(root: &Path) -> anyhow::Result<()> {
    let mut files = Vec::new();
    for shell in SHELLS {
        let mut buf = Vec::new();
        completions(shell, &mut buf)?;
        files.push((
            root.join("completions").join(shell.file_name("zpakey")),
            buf,
        ));
    }
    let mut buf = Vec::new();
    man(&mut buf)?;
    files.push((root.join("man").join("zpakey.1"), buf));
    // The main page's SUBCOMMANDS section refers to zpakey-get(1) and so on: provide them.
    let mut command = Cli::command();
    command.build();
    subcommand_pages(&command, &root.join("man"), &mut files)?;
    for (path, bytes) in files {
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, bytes));
        written.map_err(|e| {
            Error::new(
                Kind::Internal,
                format!("cannot write {}: {e}", path.display()),
            )
        })?;
    }
    Ok(())
}
