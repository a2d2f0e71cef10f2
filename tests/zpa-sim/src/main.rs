//! The `zpa-sim` command: serves a simulated ZPA tenant until stopped (printing the
//! environment a client needs), or runs one command against a fresh simulator, so that
//! users can try zpakey and test deploy scripts without a real tenant.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use zpa_sim::{
    AssertionAudience, AssociationType, EmptyPageShape, EnvMode, Fault, SearchCase, Sim,
    SimBuilder, SpecialCharSearch, Tenant, TypeRefusal,
};

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
struct Cli {
    #[command(flatten)]
    opts: SimOpts,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start a fresh simulator, run CMD with its environment, stop, and exit with CMD's status
    Exec {
        /// The command and its arguments (put `--` before it)
        #[arg(required = true, trailing_var_arg = true, value_name = "CMD")]
        cmd: Vec<OsString>,
    },
}

#[derive(Debug, Args)]
struct SimOpts {
    /// Port to listen on (127.0.0.1 only); 0 picks a free one
    #[arg(long, global = true, value_name = "N", default_value_t = 0)]
    port: u16,

    /// Give the legacy ZPA API environment (ZPA_CLIENT_ID…) instead of OneAPI's
    #[arg(long, global = true)]
    legacy: bool,

    /// Authenticate with the demo private key: export ZSCALER_PRIVATE_KEY (a 0600 temporary
    /// copy, removed on exit) instead of ZSCALER_CLIENT_SECRET
    #[arg(long, global = true, conflicts_with = "legacy")]
    private_key: bool,

    /// Serve this tenant file (JSON in the API's wire format) instead of the demo tenant
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "generate")]
    tenant: Option<PathBuf>,

    /// Serve N generated keys spread round-robin over the five association types
    #[arg(long, global = true, value_name = "N")]
    generate: Option<usize>,

    /// Delay every answer by this many milliseconds
    #[arg(long, global = true, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,

    /// Lifetime of issued access tokens, in seconds
    #[arg(long, global = true, value_name = "SECS", default_value_t = 3600)]
    token_lifetime: u64,

    /// Turn off the rate limit (20 GETs per 10 s per customer, as ZPA documents)
    #[arg(long, global = true)]
    no_rate_limit: bool,

    /// GETs allowed per rate-limit window
    #[arg(long, global = true, value_name = "N", default_value_t = 20)]
    rate_limit_max: u32,

    /// Length of the rate-limit window, in seconds
    #[arg(long, global = true, value_name = "SECS", default_value_t = 10)]
    rate_limit_window: u64,

    /// Whether `search` EQ/LIKE compare case-sensitively (UNCONFIRMED on the real API)
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "MODE",
        default_value = "insensitive"
    )]
    search_case: CaseArg,

    /// How searches for values with characters outside [A-Za-z0-9 _./-] behave
    /// (UNCONFIRMED on the real API)
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "MODE",
        default_value = "works"
    )]
    special_char_search: SpecialArg,

    /// Shape of a page past the end: no `list` field, or `"list": []` (UNCONFIRMED)
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "SHAPE",
        default_value = "omit-list"
    )]
    empty_page: EmptyArg,

    /// Which `aud` a private-key JWT assertion must carry (UNCONFIRMED on the real API)
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "AUD",
        default_value = "either"
    )]
    assertion_audience: AudienceArg,

    /// Refuse an association type as not enabled for the tenant, e.g.
    /// SITE_CONTROLLER_GRP:forbidden (403) or EXPORTER_GRP:unsupported (400); any of the
    /// five types, repeatable
    #[arg(long, global = true, value_name = "TYPE:HOW", value_parser = parse_refusal)]
    refuse_type: Vec<(AssociationType, TypeRefusal)>,

    /// Serve key names HTML-escaped, as some reports say the real API does
    #[arg(long, global = true)]
    html_escape_names: bool,

    /// Inject a fault for the next COUNT provisioning-key GETs (kinds below); repeatable,
    /// applied in order
    #[arg(long, global = true, value_name = "KIND[:COUNT]", value_parser = parse_fault)]
    fault: Vec<(FaultKind, usize)>,

    /// How long a `stall` fault holds its answer, in seconds
    #[arg(long, global = true, value_name = "SECS", default_value_t = 60)]
    stall_secs: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CaseArg {
    Insensitive,
    Sensitive,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SpecialArg {
    Works,
    Error400,
    #[value(name = "nomatch")]
    NoMatch,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum EmptyArg {
    OmitList,
    EmptyList,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum AudienceArg {
    Sdk,
    Docs,
    Either,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FaultKind {
    RateLimited,
    Unavailable,
    Blocked,
    Html502,
    Truncated,
    Stall,
    Drop,
}

fn parse_fault(text: &str) -> Result<(FaultKind, usize), String> {
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

fn parse_refusal(text: &str) -> Result<(AssociationType, TypeRefusal), String> {
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

/// Variables that would point a client at another tenant or another mode.
const ALWAYS_REMOVED: &[&str] = &[
    "ZSCALER_CLIENT_SECRET_FILE",
    "ZPA_CLIENT_SECRET_FILE",
    "ZSCALER_CLOUD",
    "ZPA_CLOUD",
    "ZPA_MICROTENANT_ID",
    "ZSCALER_MICROTENANT_ID",
    "ZSCALER_CUSTOMER_ID",
];
const REMOVED_FOR_ONEAPI: &[&str] = &[
    "ZPA_CLIENT_ID",
    "ZPA_CLIENT_SECRET",
    "ZSCALER_USE_LEGACY_CLIENT",
];
const REMOVED_FOR_LEGACY: &[&str] = &[
    "ZSCALER_CLIENT_ID",
    "ZSCALER_CLIENT_SECRET",
    "ZSCALER_PRIVATE_KEY",
    "ZSCALER_VANITY_DOMAIN",
    "ZPAKEY_AUTH_URL",
];

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

/// Runs CMD to completion and returns the exit code to pass on.
async fn run_child(cmd: &[OsString], env: &[(String, String)], removed: &[&str]) -> u8 {
    let mut command = tokio::process::Command::new(&cmd[0]);
    command.args(&cmd[1..]);
    for name in removed {
        command.env_remove(name);
    }
    command.envs(env.iter().map(|(k, v)| (k, v)));
    let beside = path_with_zpakey_beside();
    if let Some(path) = &beside {
        command.env("PATH", path);
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            let program = Path::new(&cmd[0]);
            let mut message = format!("zpa-sim: error: cannot run {}: {e}\n", program.display());
            if beside.is_none() && program == Path::new("zpakey") {
                message.push_str(
                    "hint: put zpakey on PATH, or run the zpa-sim built next to it: cargo build --workspace && target/debug/zpa-sim exec -- zpakey …\n",
                );
            }
            let _ = io::stderr().lock().write_all(message.as_bytes());
            return 127;
        }
    };
    let status = wait_child(&mut child).await;
    match status {
        Ok(status) => exit_code_of(status),
        Err(e) => {
            let _ = writeln!(
                io::stderr().lock(),
                "zpa-sim: error: waiting for the command: {e}"
            );
            1
        }
    }
}

/// CMD's PATH with this executable's directory first, when a `zpakey` binary sits there (as
/// in target/debug after `cargo build --workspace`): `zpa-sim exec -- zpakey list` then runs
/// the zpakey built alongside, with no PATH set-up. `None` (PATH untouched) otherwise.
fn path_with_zpakey_beside() -> Option<OsString> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    let zpakey = dir.join(format!("zpakey{}", std::env::consts::EXE_SUFFIX));
    if !zpakey.is_file() {
        return None;
    }
    // Without a PATH, a shell and execvp fall back to the system's directories; keep them.
    let rest = std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
    let dirs = std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&rest));
    std::env::join_paths(dirs).ok()
}

/// Waits for the child. A terminal's Ctrl-C reaches the child directly, so the first
/// SIGINT only waits on; a second one, or a SIGTERM, kills the child.
async fn wait_child(child: &mut tokio::process::Child) -> io::Result<std::process::ExitStatus> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        let mut interrupts = 0;
        loop {
            tokio::select! {
                status = child.wait() => return status,
                _ = term.recv() => { let _ = child.start_kill(); }
                _ = int.recv() => {
                    interrupts += 1;
                    if interrupts >= 2 {
                        let _ = child.start_kill();
                    }
                }
            }
        }
    }
    #[cfg(not(unix))]
    child.wait().await
}

fn exit_code_of(status: std::process::ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return u8::try_from(code & 0xff).unwrap_or(1);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return u8::try_from(128 + signal).unwrap_or(255);
        }
    }
    1
}

/// A 0600 copy of the demo private key in a private temporary directory, removed on drop.
struct TempKey {
    dir: PathBuf,
    path: PathBuf,
}

impl TempKey {
    fn write() -> Result<TempKey> {
        let dir = std::env::temp_dir().join(format!(
            "zpa-sim-{}-{:016x}",
            std::process::id(),
            fastrand::u64(..)
        ));
        let mut dir_builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            dir_builder.mode(0o700);
        }
        dir_builder
            .create(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let key = TempKey {
            path: dir.join("demo_client_key.pem"),
            dir,
        };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options
            .open(&key.path)
            .with_context(|| format!("cannot create {}", key.path.display()))?;
        file.write_all(zpa_sim::DEMO_PRIVATE_KEY_PEM.as_bytes())
            .with_context(|| format!("cannot write {}", key.path.display()))?;
        Ok(key)
    }
}

impl Drop for TempKey {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting_survives_single_quotes() {
        assert_eq!(shell_quote("plain"), "'plain'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

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
