//! Shell completions and the man page, generated from the clap definition so they cannot
//! drift from the real flags; `generate` refreshes the committed copies.

use std::io::{self, Write};
use std::path::Path;

use clap::CommandFactory;
use clap_complete::{Generator, Shell};

use crate::cli::Cli;
use crate::error::{Error, Kind};

pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

pub fn completions(shell: Shell, out: &mut dyn Write) -> io::Result<()> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "zpakey", &mut buf);
    out.write_all(&buf)
}

pub fn man(out: &mut dyn Write) -> io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)
}

/// Writes `completions/<file>` for every shell and `man/zpakey.1` under `root`.
pub fn write_all(root: &Path) -> anyhow::Result<()> {
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
