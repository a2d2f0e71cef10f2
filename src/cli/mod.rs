//! The command-line interface as clap types: the one definition behind parsing, `--help`,
//! the man page and the shell completions (CLI.md is the contract it implements).
//!
//! Conventions: help text lives in `///` docs; only use `short` where CLI.md names one; every
//! option that takes a value has an upper-case `value_name`; validation that needs no network
//! happens here so a usage error exits 2 before any request.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::BoolishValueParser;
use clap::{Args, CommandFactory, Parser, Subcommand};

mod args;
mod argv;
mod help;
mod values;

pub(crate) use args::{
    CheckArgs, ExecArgs, GetArgs, HealthArgs, InjectArgs, ListArgs, RevealArgs, Selector,
};
pub(crate) use argv::rewrite as rewrite_args;
pub(crate) use help::AFTER_LONG_HELP;

use crate::output::OutputFormat;
use crate::term::ColorChoice;
use help::AFTER_HELP;
use values::{parse_id, parse_seconds, parse_wait};

/// Read Zscaler Private Access provisioning keys: metadata by default, the key only when asked.
///
/// zpakey looks up the provisioning keys that enroll App Connectors and Private Service Edges.
/// `get` and `list` show metadata and never the key; `reveal` prints the key and nothing else.
/// Credentials come from the same environment variables the Zscaler SDKs and Terraform
/// provider read.
#[derive(Debug, Parser)]
#[command(
    name = "zpakey",
    version,
    propagate_version = true,
    after_help = AFTER_HELP,
    after_long_help = AFTER_LONG_HELP,
    max_term_width = 100
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub(crate) struct GlobalArgs {
    /// Output format: a table for people or JSON for scripts.
    #[arg(
        short = 'o',
        long,
        value_enum,
        value_name = "FORMAT",
        env = "ZPAKEY_OUTPUT",
        default_value_t = OutputFormat::Table,
        global = true
    )]
    pub(crate) output: OutputFormat,

    /// Work inside this microtenant: sends `microtenantId` on every call.
    #[arg(
        long,
        value_name = "ID",
        env = "ZPA_MICROTENANT_ID",
        value_parser = parse_id,
        global = true,
        hide_short_help = true
    )]
    pub(crate) microtenant_id: Option<String>,

    /// Use the legacy ZPA API (ZPA_CLIENT_ID, ZPA_CLIENT_SECRET) instead of OneAPI.
    #[arg(long, global = true, hide_short_help = true)]
    pub(crate) legacy: bool,

    /// Zscaler cloud: production, beta, gov, govus (OneAPI) or PRODUCTION, BETA, GOV, GOVUS,
    /// ZPATWO, PREVIEW (legacy). Overrides ZSCALER_CLOUD / ZPA_CLOUD.
    #[arg(long, value_name = "NAME", global = true, hide_short_help = true)]
    pub(crate) cloud: Option<String>,

    /// Send API requests to this base URL instead of the cloud's (https, or http to loopback).
    #[arg(
        long,
        value_name = "URL",
        env = "ZPAKEY_API_URL",
        global = true,
        hide_short_help = true
    )]
    pub(crate) api_url: Option<String>,

    /// Fetch OneAPI tokens from this URL instead of the vanity domain's token endpoint.
    #[arg(
        long,
        value_name = "URL",
        env = "ZPAKEY_AUTH_URL",
        global = true,
        hide_short_help = true
    )]
    pub(crate) auth_url: Option<String>,

    /// Give up on a single request after this many seconds.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value = "30",
        value_parser = parse_seconds,
        global = true,
        hide_short_help = true
    )]
    pub(crate) timeout: f64,

    /// Spend at most this many seconds retrying: on failed attempts and the waits between them.
    #[arg(
        long,
        value_name = "SECONDS",
        env = "ZPAKEY_MAX_WAIT",
        default_value = "60",
        value_parser = parse_wait,
        global = true,
        hide_short_help = true
    )]
    pub(crate) max_wait: f64,

    /// Keep the access token in a private cache file and reuse it across runs.
    #[arg(
        long,
        env = "ZPAKEY_TOKEN_CACHE",
        value_parser = BoolishValueParser::new(),
        default_value_t = false,
        num_args = 0,
        default_missing_value = "true",
        global = true,
        hide_short_help = true
    )]
    pub(crate) token_cache: bool,

    /// Read settings from this profile of the config file.
    #[arg(
        long,
        value_name = "NAME",
        env = "ZPAKEY_PROFILE",
        global = true,
        hide_short_help = true
    )]
    pub(crate) profile: Option<String>,

    /// When to use colour.
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorChoice::Auto,
        global = true,
        hide_short_help = true
    )]
    pub(crate) color: ColorChoice,

    /// Never prompt; fail with the documented exit code instead.
    #[arg(long, global = true, hide_short_help = true)]
    pub(crate) no_input: bool,

    /// Log requests and decisions to stderr (-v, -vv, -vvv); secrets are never logged.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub(crate) verbose: u8,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Show one key's metadata (never the key itself).
    #[command(
        after_help = "Example:\n  zpakey get --name edge-prod --type service-edge\n  ID=$(zpakey get --name tests-pkacg-vcr0003 --field id)"
    )]
    Get(GetArgs),

    /// List keys of every type (or the types given), every page, sorted by type, name and id.
    #[command(
        after_help = "Example:\n  zpakey list --type connector --search prod\n  zpakey list -o json | jq -r '.[] | select(.usable) | .name'"
    )]
    List(ListArgs),

    /// Print a key's value, and nothing else, for a deploy script or a file.
    #[command(
        after_help = "Example:\n  zpakey reveal --id 58856 | deploy-connector.sh\n  zpakey reveal --name pcc-prod --out-file provision_key --file-mode 0644"
    )]
    Reveal(RevealArgs),

    /// Check keys before a job needs them: exit 0 exactly when `reveal` with the same options
    /// would succeed; without --id or --name, every enabled key, printing those that fail.
    #[command(
        after_help = "Example:\n  zpakey check --id 58856 --min-remaining 2 --valid-for 7d\n  zpakey check --min-remaining 5 --valid-for 30d   # exit 7 and the keys about to run out"
    )]
    Check(CheckArgs),

    /// Run a command with a key in its environment (never in argv, a file or a shell
    /// variable), masking the key in the command's output.
    #[command(
        after_help = "Example:\n  zpakey exec --id 58856 -- docker run -e ZPA_PROVISION_KEY zscaler/zpa-connector:latest\n  zpakey exec --name pcc-prod --env PROVISION_KEY -- ./enroll.sh\n\nExit status: the command's own (128+N when a signal N ended it; 126 when it cannot be\nexecuted, 127 when it is not found); 2 to 7 only when zpakey fails before starting it.\nSIGINT, SIGTERM and SIGHUP are passed on to the command."
    )]
    Exec(ExecArgs),

    /// Fill in a template's key references ({{ zpakey://id/ID }},
    /// {{ zpakey://name/NAME?type=TYPE }}): all of them, or nothing is written.
    #[command(
        after_help = "Example:\n  helm install zpa-connector zscaler/zpa-connector -f <(zpakey inject -i values.tpl)\n  zpakey inject -i user-data.tpl -o user-data --file-mode 0600\n\n-o FILE after `inject` is --out-file FILE (before it, -o is the global --output FORMAT).\nNAME is percent-encoded (a space is %20); TYPE is a type or alias as for --type."
    )]
    Inject(InjectArgs),

    /// Check the sign-in settings: where each came from, and whether ZPA accepts them.
    Auth {
        #[command(subcommand)]
        command: AuthCommand,
    },

    /// Print a shell completion script to stdout.
    #[command(
        after_help = "Example:\n  zpakey completions bash > ~/.local/share/bash-completion/completions/zpakey"
    )]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },

    /// Write the committed completions/ and man/ files (for maintainers and packagers).
    #[command(hide = true)]
    Generate {
        /// The project root to write completions/ and man/ under.
        #[arg(long, value_name = "DIR", default_value = ".")]
        out_dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AuthCommand {
    /// Show the resolved mode, cloud, URLs, tenant and client (secrets only as "set"), each
    /// with where it came from, then sign in and report the token's lifetime.
    #[command(
        after_help = "Example:\n  zpakey auth status\n  zpakey auth status -o json | jq .sign_in"
    )]
    Status,
}

/// Help and version print as clap formats them; usage errors get our prefix (or the JSON
/// envelope under `-o json`) and exit 2.
pub(crate) fn parse_error(e: clap::Error, args: &[OsString]) -> ExitCode {
    match e.kind() {
        clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        // `zpakey` alone: the help, on stderr, as a usage error.
        clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        // `zpakey` alone where ZPAKEY_* variables are set: clap counts those as arguments given,
        // and lists hidden subcommands too. The same answer as with none set.
        clap::error::ErrorKind::MissingSubcommand if subcommand_of(args).is_none() => {
            if wants_json(args) {
                let command = Cli::command();
                let commands: Vec<&str> = command
                    .get_subcommands()
                    .filter(|s| !s.is_hide_set())
                    .map(|s| s.get_name())
                    .collect();
                let message = format!("give a command: {}", commands.join(", "));
                crate::error::print_error(&crate::error::Error::usage(message), true);
            } else {
                let help = Cli::command().render_help().to_string();
                let _ = std::io::stderr().lock().write_all(help.as_bytes());
            }
            return ExitCode::from(2);
        }
        _ => {}
    }
    let rendered = e.render().to_string();
    let text = rendered.strip_prefix("error: ").unwrap_or(&rendered);
    let subcommand = subcommand_of(args);
    let text = plain_usage(text, subcommand.as_deref());
    let text = with_tip(&e, &text, subcommand.as_deref());
    if wants_json(args) {
        // The message with everything it lists (the missing arguments, say), on one line.
        let message: Vec<&str> = text
            .lines()
            .take_while(|l| !l.is_empty())
            .map(str::trim)
            .collect();
        crate::error::print_error(&crate::error::Error::usage(message.join(" ")), true);
    } else {
        let _ = std::io::stderr()
            .lock()
            .write_all(format!("zpakey: error: {text}").as_bytes());
    }
    ExitCode::from(2)
}

/// The first argument naming a subcommand, judged from raw arguments because parsing failed.
fn subcommand_of(args: &[OsString]) -> Option<String> {
    let mut command = Cli::command();
    // Built, so that options know how many values they take.
    command.build();
    // Where clap looks for it: not the value of a global option (`--profile get list`).
    let at = argv::subcommand_at(&command, args)?;
    let name = args[at].to_str()?;
    command
        .find_subcommand(name)
        .map(|sub| sub.get_name().to_owned())
}

/// clap's usage line lists every option that had a value, environment variables included
/// (`zpakey reveal --api-url <URL> --auth-url <URL> …` in a job that sets them), as if they
/// were required: show the command's plain usage instead.
fn plain_usage(text: &str, subcommand: Option<&str>) -> String {
    let mut command = Cli::command();
    command.build();
    let usage = match subcommand.and_then(|name| command.find_subcommand_mut(name)) {
        Some(sub) => sub.render_usage().to_string(),
        None => command.render_usage().to_string(),
    };
    text.lines()
        .map(|line| {
            if line.starts_with("Usage: ") {
                usage.as_str()
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + if text.ends_with('\n') { "\n" } else { "" }
}

/// `zpakey get 58856` means `--id 58856`, and `zpakey get edge-prod` means `--name edge-prod`.
fn with_tip(e: &clap::Error, text: &str, subcommand: Option<&str>) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let selects = matches!(subcommand, Some("get" | "reveal" | "check" | "exec"));
    let unexpected = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) if e.kind() == ErrorKind::UnknownArgument => arg,
        _ => return text.to_owned(),
    };
    if !selects || unexpected.starts_with('-') {
        return text.to_owned();
    }
    let tip = if crate::key::parse_id(unexpected).is_ok() {
        format!("  tip: to look a key up by id, use '--id {unexpected}'")
    } else {
        format!("  tip: to look a key up by name, use '--name {unexpected}'")
    };
    match text.split_once('\n') {
        Some((first, rest)) => format!("{first}\n\n{tip}\n{rest}"),
        None => format!("{text}\n\n{tip}\n"),
    }
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

#[cfg(test)]
mod tests {
    use super::values::parse_id;
    use super::*;
    use crate::key::KeyType;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn type_values_in_any_case() {
        let cli =
            Cli::try_parse_from(["zpakey", "get", "--id", "1", "--type", "connector_grp"]).unwrap();
        let Command::Get(get) = cli.command else {
            panic!()
        };
        assert_eq!(get.selector.key_type, Some(KeyType::ConnectorGrp));

        let cli =
            Cli::try_parse_from(["zpakey", "list", "--type=Service_Edge_Grp,CONNECTOR"]).unwrap();
        let Command::List(list) = cli.command else {
            panic!()
        };
        assert_eq!(
            list.types,
            vec![KeyType::ServiceEdgeGrp, KeyType::ConnectorGrp]
        );
        assert!(Cli::try_parse_from(["zpakey", "list", "--type", "edge"]).is_err());
    }

    #[test]
    fn ids_are_digits() {
        assert!(parse_id("58856").is_ok());
        for bad in ["", "12a", "-1", "1.0", "12345678901234567890", " 1"] {
            assert!(parse_id(bad).is_err(), "{bad}");
        }
    }
}
