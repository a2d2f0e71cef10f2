//! Running zpakey against a fresh simulator and reading what one run cost: kept apart from the
//! harness's flow and from the report that turns these samples into tables.

use std::path::Path;
use std::time::Duration;

use zpa_sim::{EnvMode, Sim, SimHandle};

use crate::analysis::{self, Shape, median};
use crate::scenarios::{Check, Kind, Scenario};
use crate::{PROCESS_TIMEOUT, VERSION_RUNS, bare, child};

/// One measured run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sample {
    pub(crate) wall: Duration,
    pub(crate) peak_rss: u64,
    pub(crate) launcher_rss: u64,
    /// zpakey's own time: from spawn to its first request, and from the last answer to exit.
    pub(crate) before_first: Duration,
    pub(crate) after_last: Duration,
    pub(crate) shape: Shape,
    /// Big lists only: the same requests by a bare client against another fresh simulator.
    pub(crate) bare: Option<Duration>,
}

/// `n` runs of a scenario, each against a fresh simulator: the rate limit counts GETs per
/// customer across runs, so a shared simulator would make later runs wait for earlier ones'
/// window, which is not what one command costs. Stops at the first failure.
pub(crate) fn measure(
    s: &Scenario,
    latency: Duration,
    n: usize,
    bin: &Path,
) -> Result<Vec<Sample>, String> {
    (0..n).map(|_| measure_once(s, latency, bin)).collect()
}

fn measure_once(s: &Scenario, latency: Duration, bin: &Path) -> Result<Sample, String> {
    let sim = Sim::builder()
        .tenant(s.tenant.clone())
        .latency(latency)
        .rate_limit(true)
        .start()
        .map_err(|e| format!("cannot start zpa-sim: {e}"))?;
    let home = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    let spec = zpakey(bin, &sim, home.path(), s);

    if s.warm_cache {
        // Fills the token cache; same simulator, so the cached token is one it accepts.
        let warm =
            child::run(&spec, PROCESS_TIMEOUT).map_err(|e| format!("cannot run zpakey: {e}"))?;
        if let Err(e) = verdict(&warm, s.check) {
            return Err(format!("warm-up run: {e}"));
        }
        settle(&sim);
        sim.clear_requests();
    }
    let out = child::run(&spec, PROCESS_TIMEOUT).map_err(|e| format!("cannot run zpakey: {e}"))?;
    verdict(&out, s.check)?;
    settle(&sim);
    if std::env::var_os("ZPAKEY_BENCH_LOG").is_some() {
        dump_log(&s.name, latency, &sim);
    }
    let log = sim.requests();
    drop(sim);
    let bare = match s.kind {
        // A fresh simulator of the same tenant: zpakey's GETs must not count in its window.
        Kind::BigList => {
            let fresh = Sim::builder()
                .tenant(s.tenant.clone())
                .latency(latency)
                .rate_limit(true)
                .start()
                .map_err(|e| format!("cannot start zpa-sim: {e}"))?;
            Some(bare::fetch(&fresh, s.per_type()).map_err(|e| format!("bare fetch: {e}"))?)
        }
        _ => None,
    };
    let first = log.iter().map(|r| r.started).min().unwrap_or(out.exited);
    let last = log.iter().map(|r| r.finished).max().unwrap_or(out.spawned);
    Ok(Sample {
        wall: out.wall,
        peak_rss: out.peak_rss,
        launcher_rss: out.launcher_rss,
        before_first: first.saturating_duration_since(out.spawned),
        after_last: out.exited.saturating_duration_since(last),
        shape: analysis::shape(&log),
        bare,
    })
}

/// zpakey with nothing of this machine's environment: only the simulator's credentials and
/// a private HOME and cache directory, so no real credentials, config or cached token leak in.
fn zpakey(bin: &Path, sim: &SimHandle, home: &Path, s: &Scenario) -> child::Spec {
    let mut cmd = child::Spec::new(bin);
    for arg in &s.args {
        cmd.arg(arg);
    }
    for (name, value) in sim.env(EnvMode::OneApi) {
        cmd.env(name, value);
    }
    cmd.env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_CONFIG_HOME", home.join("config"));
    if s.warm_cache {
        // The environment form rather than `--token-cache`, so the row still runs (cold) on
        // a zpakey that does not know the flag.
        cmd.env("ZPAKEY_TOKEN_CACHE", "1");
    }
    cmd
}

/// Whether a run succeeded and printed what the scenario asked for.
fn verdict(out: &child::Outcome, check: Check) -> Result<(), String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.timed_out {
        return Err(format!(
            "killed after {} s; stderr:\n{stderr}",
            PROCESS_TIMEOUT.as_secs()
        ));
    }
    if !out.status.success() {
        return Err(format!("zpakey {}; stderr:\n{stderr}", out.status));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let parsed = || serde_json::from_str::<serde_json::Value>(&stdout);
    match check {
        Check::KeyId(id) => match parsed() {
            Ok(v) if v["id"] == id => Ok(()),
            Ok(v) => Err(format!("expected key {id}, got id {}", v["id"])),
            Err(e) => Err(format!("stdout is not JSON ({e}): {stdout:.200}")),
        },
        Check::Revealed if stdout.trim().is_empty() => Err("reveal printed nothing".into()),
        Check::Revealed => Ok(()),
        Check::ListLen(n) => match parsed() {
            Ok(serde_json::Value::Array(keys)) if keys.len() == n => Ok(()),
            Ok(serde_json::Value::Array(keys)) => {
                Err(format!("expected {n} keys, got {}", keys.len()))
            }
            Ok(_) => Err("stdout is not a JSON array".into()),
            Err(e) => Err(format!("stdout is not JSON ({e})")),
        },
    }
}

/// With `ZPAKEY_BENCH_LOG` set, the simulator's log of each measured run on stderr: the
/// evidence behind a surprising row.
fn dump_log(name: &str, latency: Duration, sim: &SimHandle) {
    let log = sim.requests();
    let Some(t0) = log.iter().map(|r| r.started).min() else {
        return;
    };
    eprintln!("bench: log of {name} at {} ms:", latency.as_millis());
    for r in &log {
        eprintln!(
            "  {:>9.1} ms → {:>9.1} ms  {} {} {}?{}",
            (r.started - t0).as_secs_f64() * 1000.0,
            (r.finished - t0).as_secs_f64() * 1000.0,
            r.status,
            r.method,
            r.path,
            r.query.as_deref().unwrap_or("")
        );
    }
}

/// Waits until the simulator's log stops growing: a request the client abandoned (say, the
/// probes of other types once one answered) is logged when its connection closes, which may
/// be a moment after the process exited.
fn settle(sim: &SimHandle) {
    let mut last = sim.requests().len();
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(5));
        let now = sim.requests().len();
        if now == last {
            return;
        }
        last = now;
    }
}

pub(crate) struct Version {
    pub(crate) output: String,
    pub(crate) result: Result<Duration, String>,
}

/// `zpakey --version`: the floor under every invocation, so it is measured alone.
pub(crate) fn version_startup(bin: &Path) -> Version {
    eprintln!("bench: zpakey --version, {VERSION_RUNS} runs");
    let mut output = String::new();
    let mut walls = Vec::new();
    // One unmeasured run first, so the binary is in the page cache like in everyday use.
    for i in 0..=VERSION_RUNS {
        let mut cmd = child::Spec::new(bin);
        cmd.arg("--version");
        match child::run(&cmd, PROCESS_TIMEOUT) {
            Ok(out) if out.status.success() && !out.timed_out => {
                if i == 0 {
                    output = String::from_utf8_lossy(&out.stdout).trim().to_owned();
                } else {
                    walls.push(out.wall);
                }
            }
            Ok(out) => {
                return Version {
                    output,
                    result: Err(format!(
                        "zpakey --version: {}; stderr:\n{}",
                        out.status,
                        String::from_utf8_lossy(&out.stderr)
                    )),
                };
            }
            Err(e) => {
                return Version {
                    output,
                    result: Err(format!("cannot run zpakey: {e}")),
                };
            }
        }
    }
    Version {
        output,
        result: Ok(median(&walls)),
    }
}
