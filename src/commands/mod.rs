//! Dispatch from a parsed command line to the command that runs it, with the shared pieces
//! (settings, client, terminal facts, the spinner and the prompts) built once, here, and only
//! for commands that need them.

mod auth_status;
mod check;
mod ci_mask;
mod exec;
mod generate;
mod get;
mod handout;
mod inject;
mod list;
mod out_file;
mod prompt;
mod reveal;

use std::io::Write;
use std::time::SystemTime;

use zeroize::Zeroize;

use crate::api::Client;
use crate::cli::{AuthCommand, Cli, Command, GlobalArgs, Selector};
use crate::config::secrets::{self, Limits};
use crate::config::{self, FlagOrigins, ProcessEnv, SecretSource, Settings};
use crate::error::Result;
use crate::key::Key;
use crate::lookup::{self, Found};
use crate::output::OutputFormat;
use crate::process::Streams;
use crate::progress::Spinner;
use crate::term::Term;

/// What every command's output depends on besides its arguments.
pub(crate) struct Context {
    pub(crate) term: Term,
    pub(crate) format: OutputFormat,
    /// One clock reading per run, so every key's health is judged at the same instant.
    pub(crate) now: SystemTime,
    pub(crate) streams: Streams,
    /// Where each option that can also come from a variable came from.
    pub(crate) origins: FlagOrigins,
}

/// A client to ZPA and the spinner that shows what it waits for.
pub(crate) struct Session {
    pub(crate) client: Client,
    pub(crate) spinner: Spinner,
}

impl Session {
    /// The one key the selector means. Several matches become a pick at an interactive
    /// terminal, else exit 5 with the candidates. The spinner is gone when it returns: what
    /// follows is a result, a message or a command's own output.
    pub(crate) async fn select(&mut self, selector: &Selector, ctx: &Context) -> Result<Key> {
        let found = lookup::find(&self.client, selector).await;
        self.spinner.finish();
        let (what, mut keys) = match found? {
            Found::One(key) => return Ok(*key),
            Found::Many { what, keys } => (what, keys),
        };
        if !ctx.term.can_prompt {
            return Err(lookup::ambiguous(&what, &keys, ctx.now));
        }
        let labels = lookup::labels(&keys, ctx.now);
        match prompt::pick(
            format!("{} keys match {what}; pick one", keys.len()),
            labels,
        )
        .await?
        {
            Some(i) if i < keys.len() => {
                let key = keys.swap_remove(i);
                lookup::remember(&self.client, &key);
                Ok(key)
            }
            // Esc or q: the person saw the candidates and chose none.
            _ => Err(lookup::not_picked(&what, &keys, ctx.now)),
        }
    }
}

pub(crate) async fn run(
    cli: Cli,
    origins: FlagOrigins,
    term: Term,
    streams: Streams,
) -> anyhow::Result<()> {
    let ctx = Context {
        term,
        format: cli.global.output,
        now: SystemTime::now(),
        streams,
        origins,
    };
    // Buffered: a 10,000-key list is 230,000 lines, and one write each would cost more than
    // the requests. 64 KiB is a Linux pipe's capacity; the default 8 KiB made 1,700 writes
    // of 7 MB of JSON. Flushed below; a closed pipe surfaces there as BrokenPipe (exit 0).
    let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    match cli.command {
        Command::Auth {
            command: AuthCommand::Status,
        } => auth_status::run(&cli.global, &ctx, &mut stdout).await?,
        Command::Completions { shell } => generate::completions(shell, &mut stdout)?,
        Command::Generate { out_dir } => generate::write_all(&out_dir)?,
        Command::Get(args) => {
            let mut session = connect(&cli.global, &ctx).await?;
            get::run(&mut session, &args, &ctx, &mut stdout).await?
        }
        Command::List(args) => {
            let mut session = connect(&cli.global, &ctx).await?;
            list::run(&mut session, &args, &ctx, &mut stdout).await?
        }
        Command::Check(args) => {
            let mut session = connect(&cli.global, &ctx).await?;
            check::run(&mut session, &args, &ctx, &mut stdout).await?
        }
        Command::Reveal(args) => {
            let mut session = connect(&cli.global, &ctx).await?;
            reveal::run(&mut session, &args, &ctx, &mut stdout).await?
        }
        Command::Exec(args) => {
            let mut session = connect(&cli.global, &ctx).await?;
            exec::run(&mut session, &args, &ctx, &mut stdout).await?
        }
        // Connects only once the template is read and every reference in it is valid.
        Command::Inject(args) => inject::run(&cli.global, &args, &ctx, &mut stdout).await?,
    }
    stdout.flush()?;
    // The buffer held what was printed, a revealed key or a filled-in template among it: wiped
    // before it is freed, as the buffers that built them are.
    if let (_, Ok(mut buffer)) = stdout.into_parts() {
        buffer.zeroize();
    }
    Ok(())
}

/// Resolves settings, reads the secret and builds the client; only network commands pay for
/// TLS set-up.
async fn connect(global: &GlobalArgs, ctx: &Context) -> Result<Session> {
    let settings = config::resolve(global, &ctx.origins, &ProcessEnv, ctx.term.can_prompt)?;
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
    // Only now: a secret prompt above must never share the line with a spinner.
    let spinner = Spinner::start(ctx.term.stderr_tty);
    let client = Client::new(settings, spinner.status())?;
    Ok(Session { client, spinner })
}

/// Reads the secret resolution chose (a file, a command, or a person at the terminal).
pub(crate) async fn read_secret(located: Settings<SecretSource>, term: &Term) -> Result<Settings> {
    let limits = Limits {
        timeout: located.timeout,
        interactive: term.can_prompt,
    };
    let (settings, source) = located.split();
    let secret = secrets::read(source, limits, async |name| prompt::secret(name).await).await?;
    Ok(settings.with_secret(secret))
}
