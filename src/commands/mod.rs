//! Dispatch from a parsed command line to the command that runs it, with the shared pieces
//! (settings, client, terminal facts) built once and only for commands that need them.

mod generate;
mod get;
mod list;
mod reveal;

use std::io::Write;
use std::time::SystemTime;

use crate::api::Client;
use crate::cli::{Cli, Command, GlobalArgs, OutputFormat};
use crate::config::{self, ProcessEnv};
use crate::error::Result;
use crate::term::Term;

/// What every command's output depends on besides its arguments.
pub struct Context {
    pub term: Term,
    pub format: OutputFormat,
    /// One clock reading per run, so every key's health is judged at the same instant.
    pub now: SystemTime,
}

pub async fn run(cli: Cli, term: Term) -> anyhow::Result<()> {
    let ctx = Context {
        term,
        format: cli.global.output,
        now: SystemTime::now(),
    };
    let mut stdout = std::io::stdout().lock();
    match cli.command {
        Command::Completions { shell } => generate::completions(shell, &mut stdout)?,
        Command::Generate { out_dir } => generate::write_all(&out_dir)?,
        Command::Get(args) => get::run(&connect(&cli.global)?, &args, &ctx, &mut stdout).await?,
        Command::List(args) => list::run(&connect(&cli.global)?, &args, &ctx, &mut stdout).await?,
        Command::Reveal(args) => {
            reveal::run(&connect(&cli.global)?, &args, &ctx, &mut stdout).await?
        }
    }
    stdout.flush()?;
    Ok(())
}

/// Resolves settings and builds the client; only network commands pay for TLS set-up.
fn connect(global: &GlobalArgs) -> Result<Client> {
    let settings = config::resolve(global, &ProcessEnv)?;
    crate::log::debug(format_args!(
        "mode {}, API {}, customer {}{}",
        settings.mode_name(),
        settings.api_base,
        settings.customer_id,
        settings
            .microtenant_id
            .as_ref()
            .map(|m| format!(", microtenant {m}"))
            .unwrap_or_default()
    ));
    Client::new(settings)
}
