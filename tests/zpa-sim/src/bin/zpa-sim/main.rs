//! The `zpa-sim` command: serves a simulated ZPA tenant until stopped (printing the
//! environment a client needs), or runs one command against a fresh simulator, so that
//! users can try zpakey and test deploy scripts without a real tenant.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Parser;
use zpa_sim::{
    AssertionAudience, AssociationType, EmptyPageShape, EnvMode, Fault, SearchCase, Sim,
    SimBuilder, SpecialCharSearch, Tenant,
};

mod child;
mod cli;

use child::{ALWAYS_REMOVED, REMOVED_FOR_LEGACY, REMOVED_FOR_ONEAPI, TempKey, run_child};
use cli::{AudienceArg, CaseArg, Cli, Command, EmptyArg, FaultKind, SimOpts, SpecialArg};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(io::stderr().lock(), "zpa-sim: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let (builder, description) = builder_from(&cli.opts)?;
    let key_file = if cli.opts.private_key {
        Some(TempKey::write()?)
    } else {
        None
    };
    let mode = match (&key_file, cli.opts.legacy) {
        (Some(key), _) => EnvMode::OneApiPrivateKey(key.path.clone()),
        (None, true) => EnvMode::Legacy,
        (None, false) => EnvMode::OneApi,
    };
    let sim = builder
        .start()
        .context("cannot start the simulator on 127.0.0.1")?;
    for &(kind, count) in &cli.opts.fault {
        sim.inject(fault_of(kind, cli.opts.stall_secs), count);
    }
    let env = sim.env(mode.clone());

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the signal handler")?;
    match cli.command {
        None => {
            print_exports(&env);
            let api = if cli.opts.legacy { " (legacy API)" } else { "" };
            // On stderr, as comments: the exports stay alone on stdout, and a person who
            // copies the whole screen into a shell runs nothing by mistake.
            let mut banner = format!(
                "# zpa-sim serving {description} on {}{api} — a simulator, not Zscaler; Ctrl-C to stop\n\
                 # paste the export lines into another shell, then run zpakey (or your script) there, e.g. zpakey list\n",
                sim.base_url()
            );
            if let Some(note) = demo_key_note(sim.tenant()) {
                banner.push_str(&format!("# {note}\n"));
            }
            let _ = io::stderr().lock().write_all(banner.as_bytes());
            runtime.block_on(wait_for_stop())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Exec { cmd }) => {
            let removed: Vec<&str> = ALWAYS_REMOVED
                .iter()
                .chain(match mode {
                    EnvMode::Legacy => REMOVED_FOR_LEGACY,
                    _ => REMOVED_FOR_ONEAPI,
                })
                .copied()
                .chain(match mode {
                    EnvMode::OneApi => Some("ZSCALER_PRIVATE_KEY"),
                    EnvMode::OneApiPrivateKey(_) => Some("ZSCALER_CLIENT_SECRET"),
                    EnvMode::Legacy => None,
                })
                .collect();
            let mut note = format!(
                "zpa-sim: running {} against a simulated ZPA tenant on {} (not Zscaler), serving {description}\n",
                Path::new(&cmd[0]).display(),
                sim.base_url()
            );
            if let Some(demo) = demo_key_note(sim.tenant()) {
                note.push_str(&format!("zpa-sim: {demo}\n"));
            }
            let _ = io::stderr().lock().write_all(note.as_bytes());
            let code = runtime.block_on(run_child(&cmd, &env, &removed));
            drop(sim);
            drop(key_file);
            Ok(ExitCode::from(code))
        }
    }
}

fn builder_from(opts: &SimOpts) -> Result<(SimBuilder, String)> {
    let (tenant, description) = match (&opts.tenant, opts.generate) {
        (Some(path), _) => {
            let tenant = Tenant::from_file(path)?;
            let n = tenant.key_count();
            (tenant, format!("tenant file {} ({n} keys)", path.display()))
        }
        (None, Some(n)) => (
            Tenant::generated(n),
            format!("a generated tenant ({n} keys)"),
        ),
        (None, None) => {
            let tenant = Tenant::demo();
            let n = tenant.key_count();
            (tenant, format!("the demo tenant ({n} keys)"))
        }
    };
    if opts.rate_limit_max == 0 || opts.rate_limit_window == 0 {
        bail!(
            "--rate-limit-max and --rate-limit-window must be positive (use --no-rate-limit to turn it off)"
        );
    }
    if opts.token_lifetime == 0 {
        bail!("--token-lifetime must be at least 1 second");
    }
    let mut builder = Sim::builder()
        .tenant(tenant)
        .port(opts.port)
        .latency(Duration::from_millis(opts.latency_ms))
        .token_lifetime(Duration::from_secs(opts.token_lifetime))
        .rate_limit(!opts.no_rate_limit)
        .rate_limit_window(
            opts.rate_limit_max,
            Duration::from_secs(opts.rate_limit_window),
        )
        .search_case(match opts.search_case {
            CaseArg::Insensitive => SearchCase::Insensitive,
            CaseArg::Sensitive => SearchCase::Sensitive,
        })
        .special_char_search(match opts.special_char_search {
            SpecialArg::Works => SpecialCharSearch::Works,
            SpecialArg::Error400 => SpecialCharSearch::Error400,
            SpecialArg::NoMatch => SpecialCharSearch::NoMatch,
        })
        .empty_page_shape(match opts.empty_page {
            EmptyArg::OmitList => EmptyPageShape::OmitList,
            EmptyArg::EmptyList => EmptyPageShape::EmptyList,
        })
        .assertion_audience(match opts.assertion_audience {
            AudienceArg::Sdk => AssertionAudience::Sdk,
            AudienceArg::Docs => AssertionAudience::Docs,
            AudienceArg::Either => AssertionAudience::Either,
        })
        .html_escape_names(opts.html_escape_names);
    for &(ty, how) in &opts.refuse_type {
        builder = builder.refuse_type(ty, how);
    }
    Ok((builder, description))
}

fn fault_of(kind: FaultKind, stall_secs: u64) -> Fault {
    // Short waits: users run these against their scripts and should not sit through the
    // recorded 4 s for every injected 429.
    let retry_after = Some("1s".to_owned());
    match kind {
        FaultKind::RateLimited => Fault::RateLimited { retry_after },
        FaultKind::Unavailable => Fault::Unavailable { retry_after },
        FaultKind::Blocked => Fault::ResourceAccessBlocked,
        FaultKind::Html502 => Fault::HtmlBadGateway,
        FaultKind::Truncated => Fault::TruncatedJson,
        FaultKind::Stall => Fault::Stall(Duration::from_secs(stall_secs)),
        FaultKind::Drop => Fault::DropConnection,
    }
}

/// The key a newcomer is told to reveal: its value is demo data, not a key of theirs.
const DEMO_KEY_ID: &str = "58856";

/// "the keys are demo data, not yours: zpakey reveal --id 58856 prints …", when the tenant holds that
/// key with a value (the demo tenant does; a tenant file or a generated one may not).
fn demo_key_note(tenant: &Tenant) -> Option<String> {
    let key = AssociationType::ALL
        .iter()
        .flat_map(|t| tenant.keys(*t))
        .find(|k| k["id"] == DEMO_KEY_ID && k["provisioningKey"].is_string())?;
    let name = key["name"].as_str().unwrap_or("?");
    Some(format!(
        "the keys are demo data, not yours: zpakey reveal --id {DEMO_KEY_ID} prints the value of demo key '{name}'"
    ))
}

/// `'value'` for a POSIX shell, whatever the value holds.
fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

fn print_exports(env: &[(String, String)]) {
    let mut out = io::stdout().lock();
    // A closed stdout (e.g. piped into `head`) must not stop the server.
    for (name, value) in env {
        if writeln!(out, "export {name}={}", shell_quote(value)).is_err() {
            return;
        }
    }
    let _ = out.flush();
}

async fn wait_for_stop() -> Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting_survives_single_quotes() {
        assert_eq!(shell_quote("plain"), "'plain'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
