//! The arguments of each command: how a key is selected, what a job needs of it, and where
//! a revealed key goes.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::builder::{BoolishValueParser, PossibleValuesParser};
use clap::{ArgGroup, Args};

use super::values::{
    parse_duration, parse_env_name, parse_file_mode, parse_id, parse_name, type_parser,
};
use crate::error::Error;
use crate::health::Needs;
use crate::key::KeyType;
use crate::output;

/// How `get` and `reveal` pick one key.
#[derive(Debug, Args)]
#[group(skip)]
pub(crate) struct Selector {
    /// The key's id (digits only).
    #[arg(
        long,
        value_name = "ID",
        value_parser = parse_id,
        group = "selector"
    )]
    pub(crate) id: Option<String>,

    /// The key's exact name (case-sensitive unless --ignore-case).
    #[arg(
        long,
        value_name = "NAME",
        value_parser = parse_name,
        group = "selector"
    )]
    pub(crate) name: Option<String>,

    /// Look only under this association type: CONNECTOR_GRP, SERVICE_EDGE_GRP,
    /// NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP or EXPORTER_GRP (any case), or the aliases
    /// connector, service-edge, np-assistant, site-controller and exporter. Without it, every
    /// type is searched.
    #[arg(
        long = "type",
        value_name = "TYPE",
        value_parser = type_parser(),
        ignore_case = true,
        hide_possible_values = true
    )]
    pub(crate) key_type: Option<KeyType>,

    /// Match --name without regard to case.
    #[arg(long, conflicts_with = "id")]
    pub(crate) ignore_case: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("selector").required(true).multiple(false)))]
pub(crate) struct GetArgs {
    #[command(flatten)]
    pub(crate) selector: Selector,

    /// Print only this field of the JSON object, as plain text (strings bare, others as JSON).
    #[arg(long, value_name = "FIELD", value_parser = PossibleValuesParser::new(output::fields()))]
    pub(crate) field: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Only these association types (repeatable, or comma-separated): CONNECTOR_GRP,
    /// SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP, EXPORTER_GRP, or connector,
    /// service-edge, np-assistant, site-controller, exporter.
    #[arg(
        long = "type",
        value_name = "TYPE",
        value_parser = type_parser(),
        ignore_case = true,
        hide_possible_values = true,
        value_delimiter = ','
    )]
    pub(crate) types: Vec<KeyType>,

    /// Only keys whose name contains TEXT, ignoring case.
    #[arg(long, value_name = "TEXT")]
    pub(crate) search: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("selector").required(true).multiple(false)))]
pub(crate) struct RevealArgs {
    #[command(flatten)]
    pub(crate) selector: Selector,

    /// Do not print a newline after the key.
    #[arg(short = 'n', long)]
    pub(crate) no_newline: bool,

    #[command(flatten)]
    pub(crate) out: OutFileArgs,

    #[command(flatten)]
    pub(crate) health: HealthArgs,

    /// Reveal a key even if it is disabled, used up, expired or short of the health options.
    #[arg(long)]
    pub(crate) allow_unusable: bool,
}

/// `exec`: one key, handed to a command in its environment.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("selector").required(true).multiple(false)))]
pub(crate) struct ExecArgs {
    #[command(flatten)]
    pub(crate) selector: Selector,

    /// The environment variable the command finds the key in.
    #[arg(
        long = "env",
        value_name = "NAME",
        default_value = "ZPA_PROVISION_KEY",
        value_parser = parse_env_name
    )]
    pub(crate) env_name: String,

    /// Connect the command's stdout and stderr directly instead of masking the key in them
    /// (for interactive programs that need a terminal).
    #[arg(
        long,
        env = "ZPAKEY_NO_MASKING",
        value_parser = BoolishValueParser::new(),
        default_value_t = false,
        num_args = 0,
        default_missing_value = "true"
    )]
    pub(crate) no_masking: bool,

    #[command(flatten)]
    pub(crate) health: HealthArgs,

    /// Hand over a key even if it is disabled, used up, expired or short of the health options.
    #[arg(long)]
    pub(crate) allow_unusable: bool,

    /// The command to run, after `--`, and its arguments.
    #[arg(
        value_name = "COMMAND",
        required = true,
        last = true,
        num_args = 1..,
        value_parser = clap::value_parser!(OsString)
    )]
    pub(crate) argv: Vec<OsString>,
}

/// `inject`: a template's key references filled in, all or nothing.
#[derive(Debug, Args)]
#[command(mut_arg("out_file", |arg| arg
    .value_name("FILE")
    .help("Write to FILE (atomically, mode from --file-mode) instead of stdout; after `inject`, -o FILE means the same")))]
pub(crate) struct InjectArgs {
    /// Read the template from FILE instead of stdin.
    #[arg(short = 'i', long = "in-file", value_name = "FILE")]
    pub(crate) in_file: Option<PathBuf>,

    #[command(flatten)]
    pub(crate) out: OutFileArgs,

    #[command(flatten)]
    pub(crate) health: HealthArgs,

    /// Fill in keys even if they are disabled, used up, expired or short of the health options.
    #[arg(long)]
    pub(crate) allow_unusable: bool,
}

/// What a job needs of a key beyond being usable (`reveal`, `check`, `exec`, `inject`).
#[derive(Debug, Clone, Args)]
pub(crate) struct HealthArgs {
    /// Refuse a key with fewer than N uses left (each enrollment, and each pod restart,
    /// burns one).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub(crate) min_remaining: u64,

    /// Refuse a key that expires within DURATION (e.g. 30m, 12h, 7d).
    #[arg(long, value_name = "DURATION", default_value = "0", value_parser = parse_duration)]
    pub(crate) valid_for: Duration,
}

impl HealthArgs {
    pub(crate) fn needs(&self) -> Needs {
        Needs {
            min_remaining: self.min_remaining,
            valid_for: self.valid_for,
        }
    }
}

/// Where a revealed key or rendered template is written instead of stdout.
#[derive(Debug, Args)]
pub(crate) struct OutFileArgs {
    /// Write to this file (atomically, mode from --file-mode) instead of stdout.
    #[arg(long, value_name = "PATH")]
    pub(crate) out_file: Option<PathBuf>,

    /// Replace an existing --out-file (only ever a regular file).
    #[arg(long, requires = "out_file")]
    pub(crate) force: bool,

    /// The --out-file's permissions, in octal: 0600 (the default) or, for a file a service
    /// running as another user must read, 0640 or 0644. Write or execute permission for group
    /// or others is refused.
    #[arg(
        long,
        value_name = "MODE",
        default_value = "0600",
        value_parser = parse_file_mode,
        requires = "out_file"
    )]
    pub(crate) file_mode: u32,
}

/// `check`: one key, as `reveal` would judge it, or every enabled key of the types given.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Check this key (digits only). Without --id or --name, every enabled key is checked.
    #[arg(long, value_name = "ID", value_parser = parse_id, conflicts_with = "name")]
    pub(crate) id: Option<String>,

    /// Check the key with this exact name (case-sensitive unless --ignore-case).
    #[arg(long, value_name = "NAME", value_parser = parse_name)]
    pub(crate) name: Option<String>,

    /// Only these association types (repeatable, or comma-separated; one with --id or
    /// --name): CONNECTOR_GRP, SERVICE_EDGE_GRP, NP_ASSISTANT_GRP, SITE_CONTROLLER_GRP,
    /// EXPORTER_GRP, or connector, service-edge, np-assistant, site-controller, exporter.
    #[arg(
        long = "type",
        value_name = "TYPE",
        value_parser = type_parser(),
        ignore_case = true,
        hide_possible_values = true,
        value_delimiter = ','
    )]
    pub(crate) types: Vec<KeyType>,

    /// Match --name without regard to case.
    #[arg(long, requires = "name", conflicts_with = "id")]
    pub(crate) ignore_case: bool,

    #[command(flatten)]
    pub(crate) health: HealthArgs,
}

impl CheckArgs {
    /// The one key asked about, if any.
    pub(crate) fn selector(&self) -> Result<Option<Selector>, Error> {
        if self.id.is_none() && self.name.is_none() {
            return Ok(None);
        }
        let key_type = match self.types[..] {
            [] => None,
            [one] => Some(one),
            _ => {
                return Err(Error::usage("give at most one --type with --id or --name"));
            }
        };
        Ok(Some(Selector {
            id: self.id.clone(),
            name: self.name.clone(),
            key_type,
            ignore_case: self.ignore_case,
        }))
    }
}
