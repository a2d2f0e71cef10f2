//! The command line of `zpa-sim`: its flags, the fault and refusal arguments they parse,
//! and the help text, kept apart from what the command does with them.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use zpa_sim::{AssociationType, TypeRefusal};

const AFTER_HELP: &str = "\
Serve mode prints `export NAME='value'` lines on stdout (OneAPI: ZSCALER_CLIENT_ID,
ZSCALER_CLIENT_SECRET or ZSCALER_PRIVATE_KEY, ZSCALER_VANITY_DOMAIN, ZPA_CUSTOMER_ID,
ZPAKEY_API_URL, ZPAKEY_AUTH_URL; with --legacy: ZSCALER_USE_LEGACY_CLIENT, ZPA_CLIENT_ID,
ZPA_CLIENT_SECRET, ZPA_CUSTOMER_ID, ZPAKEY_API_URL), then serves on 127.0.0.1 until
Ctrl-C or SIGTERM.

exec sets the same variables for CMD and removes those of the other mode (and cloud,
microtenant and *_FILE variables) from its environment, so CMD talks to the simulator
only. When a zpakey binary sits next to zpa-sim (as both do in target/debug after
`cargo build --workspace`), its directory goes first on CMD's PATH. It exits with CMD's
status (128+N if CMD was killed by signal N, 127 if CMD could not be started).

Fault kinds for --fault KIND[:COUNT] (COUNT defaults to 1; each applies to the next
provisioning-key GETs):
  429        429 with ZPA's body and `retry-after: 1s`
  503        503 retryable.server.error with `retry-after: 1s`
  blocked    401 resource.access.blocked
  html502    502 with an HTML page from a proxy
  truncated  the normal answer with its body cut in half
  stall      wait --stall-secs, then answer normally
  drop       close the connection without answering

Examples:
  zpa-sim --port 8400
  zpa-sim exec -- zpakey list
  zpa-sim exec --legacy --fault 429:3 -- ./deploy.sh
  zpa-sim --generate 1500 --no-rate-limit";

/// A local Zscaler Private Access tenant on loopback.
///
/// Serves the ZPA management API for provisioning keys (OneAPI and legacy sign-in, list and
/// get under /zpa/mgmtconfig and /mgmtconfig) with the real API's wire format, errors and
/// rate limit, so that zpakey and your scripts can be tried and tested offline.
#[derive(Debug, Parser)]
#[command(name = "zpa-sim", version, after_help = AFTER_HELP)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) opts: SimOpts,
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Start a fresh simulator, run CMD with its environment, stop, and exit with CMD's status
    Exec {
        /// The command and its arguments (put `--` before it)
        #[arg(required = true, trailing_var_arg = true, value_name = "CMD")]
        cmd: Vec<OsString>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct SimOpts {
    /// Port to listen on (127.0.0.1 only); 0 picks a free one
    #[arg(long, global = true, value_name = "N", default_value_t = 0)]
    pub(crate) port: u16,

    /// Give the legacy ZPA API environment (ZPA_CLIENT_ID…) instead of OneAPI's
    #[arg(long, global = true)]
    pub(crate) legacy: bool,

    /// Authenticate with the demo private key: export ZSCALER_PRIVATE_KEY (a 0600 temporary
    /// copy, removed on exit) instead of ZSCALER_CLIENT_SECRET
    #[arg(long, global = true, conflicts_with = "legacy")]
    pub(crate) private_key: bool,

    /// Serve this tenant file (JSON in the API's wire format) instead of the demo tenant
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "generate")]
    pub(crate) tenant: Option<PathBuf>,

    /// Serve N generated keys spread round-robin over the five association types
    #[arg(long, global = true, value_name = "N")]
    pub(crate) generate: Option<usize>,

    /// Delay every answer by this many milliseconds
    #[arg(long, global = true, value_name = "MS", default_value_t = 0)]
    pub(crate) latency_ms: u64,

    /// Lifetime of issued access tokens, in seconds
    #[arg(long, global = true, value_name = "SECS", default_value_t = 3600)]
    pub(crate) token_lifetime: u64,

    /// Turn off the rate limit (20 GETs per 10 s per customer, as ZPA documents)
    #[arg(long, global = true)]
    pub(crate) no_rate_limit: bool,

    /// GETs allowed per rate-limit window
    #[arg(long, global = true, value_name = "N", default_value_t = 20)]
    pub(crate) rate_limit_max: u32,

    /// Length of the rate-limit window, in seconds
    #[arg(long, global = true, value_name = "SECS", default_value_t = 10)]
    pub(crate) rate_limit_window: u64,

    /// Whether `search` EQ/LIKE compare case-sensitively (UNCONFIRMED on the real API)
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "MODE",
        default_value = "insensitive"
    )]
    pub(crate) search_case: CaseArg,

    /// How searches for values with characters outside [A-Za-z0-9 _./-] behave
    /// (UNCONFIRMED on the real API)
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "MODE",
        default_value = "works"
    )]
    pub(crate) special_char_search: SpecialArg,

    /// Shape of a page past the end: no `list` field, or `"list": []` (UNCONFIRMED)
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "SHAPE",
        default_value = "omit-list"
    )]
    pub(crate) empty_page: EmptyArg,

    /// Which `aud` a private-key JWT assertion must carry (UNCONFIRMED on the real API)
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "AUD",
        default_value = "either"
    )]
    pub(crate) assertion_audience: AudienceArg,

    /// Refuse an association type as not enabled for the tenant, e.g.
    /// SITE_CONTROLLER_GRP:forbidden (403) or EXPORTER_GRP:unsupported (400); any of the
    /// five types, repeatable
    #[arg(long, global = true, value_name = "TYPE:HOW", value_parser = parse_refusal)]
    pub(crate) refuse_type: Vec<(AssociationType, TypeRefusal)>,

    /// Serve key names HTML-escaped, as some reports say the real API does
    #[arg(long, global = true)]
    pub(crate) html_escape_names: bool,

    /// Inject a fault for the next COUNT provisioning-key GETs (kinds below); repeatable,
    /// applied in order
    #[arg(long, global = true, value_name = "KIND[:COUNT]", value_parser = parse_fault)]
    pub(crate) fault: Vec<(FaultKind, usize)>,

    /// How long a `stall` fault holds its answer, in seconds
    #[arg(long, global = true, value_name = "SECS", default_value_t = 60)]
    pub(crate) stall_secs: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum CaseArg {
    Insensitive,
    Sensitive,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum SpecialArg {
    Works,
    Error400,
    #[value(name = "nomatch")]
    NoMatch,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum EmptyArg {
    OmitList,
    EmptyList,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum AudienceArg {
    Sdk,
    Docs,
    Either,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FaultKind {
    RateLimited,
    Unavailable,
    Blocked,
    Html502,
    Truncated,
    Stall,
    Drop,
}

pub(crate) fn parse_fault(text: &str) -> Result<(FaultKind, usize), String> {
    let (kind, count) = match text.split_once(':') {
        Some((k, c)) => (
            k,
            c.parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("COUNT must be a positive number, not {c:?}"))?,
        ),
        None => (text, 1),
    };
    let kind = match kind {
        "429" => FaultKind::RateLimited,
        "503" => FaultKind::Unavailable,
        "blocked" => FaultKind::Blocked,
        "html502" => FaultKind::Html502,
        "truncated" => FaultKind::Truncated,
        "stall" => FaultKind::Stall,
        "drop" => FaultKind::Drop,
        other => {
            return Err(format!(
                "unknown fault {other:?} (kinds: 429, 503, blocked, html502, truncated, stall, drop)"
            ));
        }
    };
    Ok((kind, count))
}

pub(crate) fn parse_refusal(text: &str) -> Result<(AssociationType, TypeRefusal), String> {
    let (ty, how) = text
        .split_once(':')
        .ok_or_else(|| format!("expected TYPE:forbidden or TYPE:unsupported, not {text:?}"))?;
    let ty = AssociationType::from_wire(&ty.to_ascii_uppercase()).ok_or_else(|| {
        let names: Vec<&str> = AssociationType::ALL.iter().map(|t| t.as_str()).collect();
        format!("unknown type {ty:?} (expected one of {})", names.join(", "))
    })?;
    let how = match how {
        "forbidden" => TypeRefusal::Forbidden,
        "unsupported" => TypeRefusal::UnsupportedType,
        other => return Err(format!("expected forbidden or unsupported, not {other:?}")),
    };
    Ok((ty, how))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_arguments_parse() {
        assert_eq!(parse_fault("429"), Ok((FaultKind::RateLimited, 1)));
        assert_eq!(parse_fault("drop:3"), Ok((FaultKind::Drop, 3)));
        assert!(parse_fault("drop:0").is_err());
        assert!(parse_fault("teapot").is_err());
    }

    #[test]
    fn refusal_arguments_parse() {
        assert_eq!(
            parse_refusal("np_assistant_grp:forbidden"),
            Ok((AssociationType::NpAssistantGrp, TypeRefusal::Forbidden))
        );
        assert_eq!(
            parse_refusal("SITE_CONTROLLER_GRP:unsupported"),
            Ok((
                AssociationType::SiteControllerGrp,
                TypeRefusal::UnsupportedType
            ))
        );
        assert_eq!(
            parse_refusal("exporter_grp:forbidden"),
            Ok((AssociationType::ExporterGrp, TypeRefusal::Forbidden))
        );
        assert!(parse_refusal("CONNECTOR_GRP").is_err());
        assert!(parse_refusal("CONNECTOR_GRP:maybe").is_err());
        let unknown = parse_refusal("PCC_GRP:forbidden").unwrap_err();
        for ty in AssociationType::ALL {
            assert!(unknown.contains(ty.as_str()), "{unknown}");
        }
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
