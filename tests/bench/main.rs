//! `cargo bench --bench zpakey`: the benchmark issue 7 asks for, so that zpakey's latency claims
//! (one token request plus one round trip, or just one with a cached token; the rate-limit
//! floor for big lists) are shown by numbers anyone can reproduce without a ZPA tenant.
//!
//! It runs the real release binary as a child process against zpa-sim in this process, at a
//! simulated latency of 0 and 50 ms, and prints markdown tables for the README: requests sent
//! and the round trips on their critical path (both from the simulator's log), the minimum
//! possible, median wall time, peak RSS, and whether issue 7's targets are met.
//!
//! Arguments that do not start with `-` filter scenarios by substring
//! (`cargo bench --bench zpakey -- warm`). `ZPAKEY_BENCH_RUNS` sets runs per row (default 5);
//! `ZPAKEY_BENCH_LOG=1` prints the simulator's log of every measured run on stderr.
//! Progress goes to stderr too, so stdout is only the report.

mod analysis;
mod bare;
mod child;
mod measure;
mod parallel;
mod report;
mod scenarios;

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use measure::{Sample, measure, version_startup};
use report::report;
use scenarios::{Scenario, scenarios};

const BIN: &str = env!("CARGO_BIN_EXE_zpakey");
const LATENCIES: [Duration; 2] = [Duration::ZERO, Duration::from_millis(50)];
/// Issue 7's allowance on top of the round trips: process start-up and the client's own work.
const SLACK: Duration = Duration::from_millis(20);
const RSS_LIMIT: u64 = 30_000_000;
const SIZE_LIMIT: u64 = 10_000_000;
const VERSION_LIMIT: Duration = Duration::from_millis(5);
const VERSION_RUNS: usize = 20;
/// Generous: the 10,000-key list needs about 10 s; anything past this is a hang.
const PROCESS_TIMEOUT: Duration = Duration::from_secs(90);

struct Row<'a> {
    scenario: &'a Scenario,
    latency: Duration,
    result: Result<Vec<Sample>, String>,
}

fn main() {
    let args: Vec<OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == child::LAUNCH_FLAG) {
        std::process::exit(child::launcher_main(&args[2..]));
    }
    child::init_clock();
    let filters: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .filter(|a| !a.starts_with('-'))
        .collect();
    let runs = match std::env::var("ZPAKEY_BENCH_RUNS") {
        Ok(v) => match v.parse::<usize>() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!("ZPAKEY_BENCH_RUNS must be a positive integer, not {v:?}");
                std::process::exit(2);
            }
        },
        Err(_) => 5,
    };
    let started = Instant::now();
    let bin = PathBuf::from(BIN);

    let version = version_startup(&bin);
    let scenarios: Vec<Scenario> = scenarios()
        .into_iter()
        .filter(|s| filters.is_empty() || filters.iter().any(|f| s.name.contains(f.as_str())))
        .collect();
    let mut rows = Vec::new();
    for latency in LATENCIES {
        for scenario in &scenarios {
            let n = scenario.runs(latency, runs);
            eprintln!(
                "bench: {} at {} ms, {n} run(s)",
                scenario.name,
                latency.as_millis()
            );
            rows.push(Row {
                scenario,
                latency,
                result: measure(scenario, latency, n, &bin),
            });
        }
    }

    let wants =
        |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()));
    let mut parallel_rows = Vec::new();
    if wants("parallel") {
        let latency = Duration::from_millis(50);
        eprintln!(
            "bench: {} parallel jobs at {} ms",
            parallel::JOBS,
            latency.as_millis()
        );
        parallel_rows.push(parallel::measure(&bin, latency));
    }

    let mut text = report(&bin, runs, &version, &rows, &scenarios);
    if !parallel_rows.is_empty() {
        parallel::report(&mut text, &parallel_rows);
    }
    print!("{text}");
    eprintln!("bench: done in {:.0} s", started.elapsed().as_secs_f64());
    // A missed target is a result; a run that failed is not, so scripts should notice.
    if version.result.is_err()
        || rows.iter().any(|r| r.result.is_err())
        || parallel_rows.iter().any(Result::is_err)
    {
        std::process::exit(1);
    }
}
