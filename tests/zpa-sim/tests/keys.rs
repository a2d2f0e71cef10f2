//! The provisioning-key endpoints: list and get under both prefixes, paging, search,
//! microtenants, not-found, withheld secrets, refused types and escaped names.

mod common;

#[path = "keys/five_types.rs"]
mod five_types;
#[path = "keys/paging.rs"]
mod paging;
#[path = "keys/search.rs"]
mod search;
#[path = "keys/serving.rs"]
mod serving;

use common::*;
use serde_json::Value;
use zpa_sim::{Sim, SimHandle};

const CONNECTOR_IDS: [&str; 14] = [
    "52408", "52658", "58856", "60101", "60102", "60103", "60104", "60105", "60106", "60107",
    "60108", "60109", "60110", "60111",
];

fn sim() -> SimHandle {
    Sim::builder().rate_limit(false).start().unwrap()
}

async fn page(sim: &SimHandle, token: &str, query: &str) -> (u16, Value) {
    get_json(
        &keys_url(sim, Api::OneApi, "CONNECTOR_GRP", &format!("?{query}")),
        token,
    )
    .await
}

/// The three query encodings clients use for an EQ search.
fn eq_queries(name: &str) -> [String; 3] {
    [
        // SDKs (Go OneAPI, Python): name+EQ+<value>, form-encoded: `name%2BEQ%2B…`.
        format!("search={}", enc(&format!("name+EQ+{name}"))),
        // Docs: spaces, form-encoded as `+`.
        format!("search={}", enc(&format!("name EQ {name}"))),
        // Go legacy: `+` replaced by `%20` after encoding.
        format!(
            "search={}",
            enc(&format!("name+EQ+{name}")).replace('+', "%20")
        ),
    ]
}
