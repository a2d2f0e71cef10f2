//! zpakey: read Zscaler Private Access provisioning keys safely. `main` only wires the pieces:
//! parse, run on a small runtime, turn the outcome into an exit code.

#![warn(clippy::print_stdout, clippy::print_stderr)]

mod api;
mod cli;
mod commands;
mod conceal;
mod config;
mod error;
mod escape;
mod health;
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
mod template;
mod term;
mod time;
mod wrap;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use cli::Cli;
use error::{Error, Kind};
use output::OutputFormat;
fn main() -> ExitCode {
    let streams = process::harden();
    let args: Vec<OsString> = cli::rewrite_args(std::env::args_os().collect());
    let command = Cli::command();
    let parsed = command
        .clone()
        .try_get_matches_from(&args)
        .and_then(|matches| {
            Cli::from_arg_matches(&matches)
                .map(|cli| (cli, config::flag_origins(&command, &matches)))
        });
    let (cli, origins) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => return cli::parse_error(e, &args),
    };
    log::init(cli.global.verbose);
    let json = cli.global.output == OutputFormat::Json;
    let term = term::Term::detect(cli.global.color, cli.global.no_input);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let error = Error::new(Kind::Internal, format!("cannot start: {e}"));
            error::print_error(&error, json);
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
            result = commands::run(cli, origins, term, streams) => result,
        }
    });
    if let Some(saved) = saved_terminal {
        saved.restore();
    }
    // Do not wait for stalled requests still in flight after an interrupt.
    runtime.shutdown_background();
    error::report(result, json)
}
