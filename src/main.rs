//! zpakey: read Zscaler Private Access provisioning keys safely. `main` only wires the pieces:
//! parse, run on a small runtime, turn the outcome into an exit code.

#![warn(clippy::print_stdout, clippy::print_stderr)]

mod api;
mod auth;
mod cache;
mod cli;
mod commands;
#[cfg_attr(not(test), allow(dead_code))]
mod conceal;
mod config;
mod error;
mod escape;
mod hints;
mod key;
mod log;
mod lookup;
mod output;
mod paths;
mod perms;
mod process;
mod progress;
mod redact;
#[cfg_attr(not(test), allow(dead_code))]
mod template;
mod term;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::error::ErrorKind as ClapKind;
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};

use cli::{Cli, OutputFormat};
use error::{Error, Kind};

fn main() -> ExitCode {
    let streams = process::harden();
    let args: Vec<OsString> = std::env::args_os().collect();
    let parsed = Cli::command()
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches).map(|cli| (cli, matches)));
    let cli = match parsed {
        Ok((mut cli, matches)) => {
            cli.global.origins = flag_origins(&matches);
            cli
        }
        Err(e) => return clap_error(e, &args),
    };
    log::init(cli.global.verbose);
    let format = cli.global.output;
    let term = term::Term::detect(cli.global.color, cli.global.no_input);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let error = Error::new(Kind::Internal, format!("cannot start: {e}"));
            error::print_error(&error, format);
            return ExitCode::from(1);
        }
    };
    // Remember the terminal's settings: a prompt interrupted by Ctrl-C leaves echo off and
    // the cursor hidden, and the person's shell must get them back.
    let saved_terminal = term::SavedTerminal::capture();
    let result = runtime.block_on(async {
        // Handlers first, before anything can prompt or create a file: a stop signal then
        // drops the command (removing any temporary file, killing any secret command) and
        // ends the run with its documented exit code.
        let stopped = process::stop_signal();
        tokio::select! {
            biased;
            kind = stopped => Err(Error::stopped(kind).into()),
            result = commands::run(cli, term, streams) => result,
        }
    });
    if let Some(saved) = saved_terminal {
        saved.restore();
    }
    progress::finish();
    // Do not wait for stalled requests still in flight after an interrupt.
    runtime.shutdown_background();
    error::report(result, format)
}

/// Records whether each global option that can also come from a variable was given as a flag
/// or read from its variable (`auth status` shows it).
fn flag_origins(matches: &ArgMatches) -> config::FlagOrigins {
    // Global options are propagated to the innermost subcommand's matches.
    let mut innermost = matches;
    while let Some((_, sub)) = innermost.subcommand() {
        innermost = sub;
    }
    let mut origins = config::FlagOrigins::new();
    for (id, flag, var) in [
        ("output", "--output", "ZPAKEY_OUTPUT"),
        ("microtenant_id", "--microtenant-id", "ZPA_MICROTENANT_ID"),
        ("api_url", "--api-url", "ZPAKEY_API_URL"),
        ("auth_url", "--auth-url", "ZPAKEY_AUTH_URL"),
        ("max_wait", "--max-wait", "ZPAKEY_MAX_WAIT"),
        ("token_cache", "--token-cache", "ZPAKEY_TOKEN_CACHE"),
        ("profile", "--profile", "ZPAKEY_PROFILE"),
    ] {
        let origin = match innermost.value_source(id) {
            Some(ValueSource::CommandLine) => config::Origin::Flag(flag.into()),
            Some(ValueSource::EnvVariable) => config::Origin::Env(var.into()),
            _ => config::Origin::Default,
        };
        origins.insert(id.to_owned(), origin);
    }
    origins
}

/// Help and version print as clap formats them; usage errors get our prefix (or the JSON
/// envelope under `-o json`) and exit 2.
fn clap_error(e: clap::Error, args: &[OsString]) -> ExitCode {
    match e.kind() {
        ClapKind::DisplayHelp | ClapKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        // `zpakey` alone: the help, on stderr, as a usage error.
        ClapKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        _ => {}
    }
    let rendered = e.render().to_string();
    let text = rendered.strip_prefix("error: ").unwrap_or(&rendered);
    let format = if wants_json(args) {
        OutputFormat::Json
    } else {
        OutputFormat::Table
    };
    match format {
        OutputFormat::Json => {
            let first = text.lines().next().unwrap_or_default();
            error::print_error(&Error::usage(first), format);
        }
        OutputFormat::Table => {
            let _ = std::io::stderr()
                .lock()
                .write_all(format!("zpakey: error: {text}").as_bytes());
        }
    }
    ExitCode::from(2)
}

/// Whether `-o json` was asked for, judged from raw arguments because parsing failed.
fn wants_json(args: &[OsString]) -> bool {
    let args: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    let flagged = args
        .windows(2)
        .any(|w| matches!(w[0], "-o" | "--output") && w[1].eq_ignore_ascii_case("json"))
        || args
            .iter()
            .any(|a| a.eq_ignore_ascii_case("-ojson") || a.eq_ignore_ascii_case("--output=json"));
    flagged || std::env::var("ZPAKEY_OUTPUT").is_ok_and(|v| v.eq_ignore_ascii_case("json"))
}
