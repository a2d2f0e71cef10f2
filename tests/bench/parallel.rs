//! The "30 parallel jobs" row (issue 11): thirty `zpakey list` processes started at once on
//! one machine against one rate-limited tenant, as thirty CI jobs sharing a tenant and a NAT
//! address are. Reported against the rate-limit floor (every GET the jobs made, at the 2 per
//! second ZPA allows), with the 429s the simulator had to send and whether every job succeeded.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use zpa_sim::{EnvMode, Sim, Tenant};

use crate::child;

pub const JOBS: usize = 30;
/// Issue 11's target: within 20 % of the floor.
const FLOOR_FACTOR: f64 = 1.2;
const TIMEOUT: Duration = Duration::from_secs(300);

pub struct Parallel {
    pub latency: Duration,
    pub wall: Duration,
    pub gets: usize,
    pub rate_limited: usize,
    pub succeeded: usize,
    pub peak_rss: u64,
}

impl Parallel {
    /// Every GET at ZPA's 20 per 10 s.
    pub fn floor(&self) -> Duration {
        Duration::from_secs_f64(self.gets as f64 / 2.0)
    }

    pub fn met(&self) -> bool {
        self.succeeded == JOBS
            && self.rate_limited == 0
            && self.wall.as_secs_f64() <= FLOOR_FACTOR * self.floor().as_secs_f64()
    }
}

/// Runs the thirty jobs once at `latency`. They share one private home, as the jobs of one
/// machine share a user's runtime directory.
pub fn measure(bin: &Path, latency: Duration) -> Result<Parallel, String> {
    let sim = Sim::builder()
        .tenant(Tenant::demo())
        .latency(latency)
        .rate_limit(true)
        .start()
        .map_err(|e| format!("cannot start zpa-sim: {e}"))?;
    let home = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    let mut spec = child::Spec::new(bin);
    spec.arg("list").arg("-o").arg("json");
    for (name, value) in sim.env(EnvMode::OneApi) {
        spec.env(name, value);
    }
    spec.env("HOME", home.path())
        .env("XDG_RUNTIME_DIR", home.path().join("run"));
    let started = Instant::now();
    let outcomes: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..JOBS)
            .map(|_| scope.spawn(|| child::run(&spec, TIMEOUT)))
            .collect();
        handles.into_iter().map(|h| h.join()).collect()
    });
    let wall = started.elapsed();
    let mut succeeded = 0;
    let mut peak_rss = 0;
    let mut first_stdout: Option<Vec<u8>> = None;
    for outcome in outcomes {
        let outcome = outcome
            .map_err(|_| "a job's thread panicked".to_owned())?
            .map_err(|e| format!("cannot run zpakey: {e}"))?;
        peak_rss = peak_rss.max(outcome.peak_rss);
        let same = first_stdout.get_or_insert_with(|| outcome.stdout.clone()) == &outcome.stdout;
        if outcome.status.success() && same && !outcome.stdout.is_empty() {
            succeeded += 1;
        } else {
            eprintln!(
                "bench: a job failed ({}): {}",
                outcome.status,
                String::from_utf8_lossy(&outcome.stderr)
            );
        }
    }
    Ok(Parallel {
        latency,
        wall,
        gets: sim.api_requests().len(),
        rate_limited: sim.count_status(429),
        succeeded,
        peak_rss,
    })
}

/// The section of the report.
pub fn report(w: &mut String, rows: &[Result<Parallel, String>]) {
    let _ = writeln!(w, "\n### {JOBS} parallel jobs\n");
    let _ = writeln!(
        w,
        "| latency | jobs succeeded | GETs | 429s | wall time | rate-limit floor | wall / floor | peak RSS (max) | target | met? |"
    );
    let _ = writeln!(w, "|---|---|---|---|---|---|---|---|---|---|");
    for row in rows {
        match row {
            Ok(p) => {
                let _ = writeln!(
                    w,
                    "| {} ms | {}/{JOBS} | {} | {} | {:.1} s | {:.1} s | {:.2} | {:.1} MiB | all succeed, 0 429s, wall ≤ {FLOOR_FACTOR} × floor | {} |",
                    p.latency.as_millis(),
                    p.succeeded,
                    p.gets,
                    p.rate_limited,
                    p.wall.as_secs_f64(),
                    p.floor().as_secs_f64(),
                    p.wall.as_secs_f64() / p.floor().as_secs_f64().max(f64::MIN_POSITIVE),
                    p.peak_rss as f64 / 1_048_576.0,
                    if p.met() { "yes" } else { "no" }
                );
            }
            Err(e) => {
                let _ = writeln!(
                    w,
                    "| - | failed: {} | | | | | | | | no |",
                    e.lines().next().unwrap_or_default()
                );
            }
        }
    }
    let _ = writeln!(
        w,
        "\nEach job: `zpakey list -o json` (one page of each key type) against one demo tenant \
         with the rate limit on; all {JOBS} share one runtime directory, as the jobs of one \
         machine share a user's. The floor is every GET the jobs made at ZPA's 2 per second."
    );
}
