//! Dispatch from a parsed command line to the command that runs it, with the shared pieces
//! (settings, client, terminal facts) built once and only for commands that need them.

mod auth_status;
mod generate;
mod get;
mod list;
mod prompt;
mod reveal;

use std::io::Write;
use std::time::SystemTime;

use crate::api::Client;
use crate::cli::{AuthCommand, Cli, Command, GlobalArgs, OutputFormat};
use crate::config::secrets::{self, Limits};
use crate::config::{self, ProcessEnv, SecretSource, Settings};
use crate::error::Result;
use crate::process::Streams;
use crate::term::Term;

/// What every command's output depends on besides its arguments.
pub struct Context {
    pub term: Term,
    pub format: OutputFormat,
    /// One clock reading per run, so every key's health is judged at the same instant.
    pub now: SystemTime,
    pub streams: Streams,
}

pub async fn run(cli: Cli, term: Term, streams: Streams) -> anyhow::Result<()> {
    let ctx = Context {
        term,
        format: cli.global.output,
        now: SystemTime::now(),
        streams,
    };
    // Buffered: a 10,000-key list is 230,000 lines, and one write each would cost more than
    // the requests. Flushed below; a closed pipe surfaces there as BrokenPipe (exit 0).
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match cli.command {
        Command::Auth {
            command: AuthCommand::Status,
        } => auth_status::run(&cli.global, &ctx, &mut stdout).await?,
        Command::Completions { shell } => generate::completions(shell, &mut stdout)?,
        Command::Generate { out_dir } => generate::write_all(&out_dir)?,
        Command::Get(args) => {
            let client = connect(&cli.global, &ctx).await?;
            get::run(&client, &args, &ctx, &mut stdout).await?
        }
        Command::List(args) => {
            let client = connect(&cli.global, &ctx).await?;
            list::run(&client, &args, &ctx, &mut stdout).await?
        }
        Command::Reveal(args) => {
            let client = connect(&cli.global, &ctx).await?;
            reveal::run(&client, &args, &ctx, &mut stdout).await?
        }
    }
    crate::progress::finish();
    stdout.flush()?;
    Ok(())
}

/// Resolves settings and builds the client; only network commands pay for TLS set-up.
async fn connect(global: &GlobalArgs, ctx: &Context) -> Result<Client> {
    let settings = config::resolve(global, &ProcessEnv, ctx.term.can_prompt)?;
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
    let settings = read_secret(settings, &ctx.term).await?;
    let client = Client::new(settings)?;
    // Only now: a secret prompt above must never share the line with a spinner.
    crate::progress::start(ctx.term.stderr_tty);
    Ok(client)
}

/// Reads the secret resolution chose (a file, a command, or a person at the terminal).
pub async fn read_secret(located: Settings<SecretSource>, term: &Term) -> Result<Settings> {
    let limits = Limits {
        timeout: located.timeout,
        interactive: term.can_prompt,
    };
    let (settings, source) = located.split();
    let secret = secrets::read(source, limits, async |name| prompt::secret(name).await).await?;
    Ok(settings.with_secret(secret))
}
