//! zpakey: read Zscaler Private Access provisioning keys safely. `main` only wires the pieces:
//! parse, run on a small runtime, turn the outcome into an exit code.

#![warn(clippy::print_stdout, clippy::print_stderr)]

mod api;
mod auth;
mod cache;
mod cli;
mod commands;
mod config;
mod error;
mod key;
mod log;
mod lookup;
mod output;
mod redact;
mod term;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind as ClapKind;

use cli::{Cli, OutputFormat};
use error::{Error, Kind};

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
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
    let result = runtime.block_on(async {
        tokio::select! {
            result = commands::run(cli, term) => result,
            _ = tokio::signal::ctrl_c() => Err(Error::new(Kind::Interrupted, "interrupted").into()),
        }
    });
    // Do not wait for stalled requests still in flight after an interrupt.
    runtime.shutdown_background();
    error::report(result, format)
}

/// Help and version print as clap formats them; usage errors get our prefix (or the JSON
/// envelope under `-o json`) and exit 2.
fn clap_error(e: clap::Error, args: &[OsString]) -> ExitCode {
    match e.kind() {
        ClapKind::DisplayHelp | ClapKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
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
