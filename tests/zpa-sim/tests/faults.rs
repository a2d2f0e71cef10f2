//! The rate limit, latency, injected faults, the request log, and the simulator's life
//! cycle (start from sync and async code, prompt shutdown).

mod common;

#[path = "faults/injected.rs"]
mod injected;
#[path = "faults/lifecycle.rs"]
mod lifecycle;
#[path = "faults/rate_limit.rs"]
mod rate_limit;

use common::*;
use zpa_sim::SimHandle;

fn url(sim: &SimHandle) -> String {
    keys_url(sim, Api::OneApi, "CONNECTOR_GRP", "/58856")
}
