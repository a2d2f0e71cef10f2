//! What the simulator's request log says about one run, and what the best possible client
//! could have done: the numbers beside each measured one in the table.

use std::time::Duration;

use zpa_sim::RequestRecord;

/// The sim's page-size cap: the fewest pages any client can fetch a type in.
pub const MAX_PAGE_SIZE: usize = zpa_sim::MAX_PAGE_SIZE;
/// ZPA's provisioning-key rate limit, which the simulator applies by default.
pub const RATE_MAX: usize = 20;
pub const RATE_WINDOW: Duration = Duration::from_secs(10);

/// The request shape of one run, read from the simulator's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub token: usize,
    pub api: usize,
    pub too_many: usize,
    /// Sequential round trips: the longest chain of requests each of which started only
    /// after the previous one had finished.
    pub critical: usize,
}

pub fn shape(log: &[RequestRecord]) -> Shape {
    let token = log
        .iter()
        .filter(|r| r.path == "/oauth2/v1/token" || r.path == "/signin")
        .count();
    Shape {
        token,
        api: log.len() - token,
        too_many: log.iter().filter(|r| r.status == 429).count(),
        critical: critical_path(log),
    }
}

/// The length of the longest chain of non-overlapping requests. Requests that overlap in
/// time were in flight together, so they cost one round trip between them; a request that
/// starts after another finished may have waited for it. Longest chain over an interval
/// order, by dynamic programming over start times: O(n²), and n is at most a few dozen.
pub fn critical_path(log: &[RequestRecord]) -> usize {
    let mut by_start: Vec<&RequestRecord> = log.iter().collect();
    by_start.sort_by_key(|r| r.started);
    let mut chain = vec![1usize; by_start.len()];
    for i in 0..by_start.len() {
        for j in 0..i {
            if by_start[j].finished <= by_start[i].started {
                chain[i] = chain[i].max(chain[j] + 1);
            }
        }
    }
    chain.into_iter().max().unwrap_or(0)
}

/// The best a client can do listing `per_type` keys of each type at `latency`: round trips,
/// and the wall time the rate limit imposes on top.
#[derive(Debug, Clone, Copy)]
pub struct ListFloor {
    pub gets: usize,
    pub round_trips: usize,
    /// Rate-limit windows the client must wait out.
    pub windows: usize,
    pub time: Duration,
}

pub fn list_floor(per_type: [usize; 5], latency: Duration) -> ListFloor {
    let pages: Vec<usize> = per_type
        .iter()
        .map(|&n| n.div_ceil(MAX_PAGE_SIZE).max(1))
        .collect();
    let gets: usize = pages.iter().sum();
    // Token, then the first page of every type at once; pages after the first can be asked
    // only once the first page has said how many there are.
    let round_trips = if pages.iter().all(|&p| p == 1) { 2 } else { 3 };
    // The first window opens with the first GET; every further batch of RATE_MAX GETs must
    // wait for the previous window to end.
    let windows = gets.div_ceil(RATE_MAX).saturating_sub(1);
    let window_time = RATE_WINDOW * u32::try_from(windows).unwrap_or(u32::MAX);
    let by_rate = if windows == 0 {
        Duration::ZERO
    } else {
        // Token round trip, the waited-out windows, then the last GET's round trip.
        latency * 2 + window_time
    };
    let by_rtt = latency * u32::try_from(round_trips).unwrap_or(u32::MAX);
    ListFloor {
        gets,
        round_trips,
        windows,
        time: by_rate.max(by_rtt),
    }
}

/// The median; the mean of the two middle values for an even count.
pub fn median(values: &[Duration]) -> Duration {
    let mut sorted = values.to_vec();
    sorted.sort();
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}
