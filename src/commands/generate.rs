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
    clap_complete::generate(shell, &mut Cli::command(), "zpakey", &mut buf);
    out.write_all(&buf)
}

/// The man page: clap's sections, then the long help's examples, environment and exit codes
/// as sections of their own (one source of truth with `--help`).
pub(crate) fn man(out: &mut dyn Write) -> io::Result<()> {
    let man = clap_mangen::Man::new(Cli::command());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    for (title, body) in help_sections(crate::cli::AFTER_LONG_HELP) {
        let title = match title {
            "Exit codes" => "EXIT STATUS".to_owned(),
            other => other.to_ascii_uppercase(),
        };
        writeln!(out, ".SH \"{title}\"\n.nf")?;
        for line in body.lines() {
            let escaped = line.replace('\\', "\\e");
            if escaped.starts_with(['.', '\'']) {
                writeln!(out, "\\&{escaped}")?;
            } else {
                writeln!(out, "{escaped}")?;
            }
        }
        writeln!(out, ".fi")?;
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
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let page = clap_mangen::Man::new(sub.clone());
        let mut buf = Vec::new();
        page.render(&mut buf)?;
        files.push((dir.join(page.get_filename()), buf));
        subcommand_pages(sub, dir, files)?;
    }
    Ok(())
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
