//! The scenarios the benchmark measures and what each must print: kept apart from the harness
//! so the list of commands behind the README's rows reads on its own.

use std::time::Duration;

use zpa_sim::{AssociationType, Tenant};

use crate::analysis::list_floor;
use crate::report::thousands;

/// The demo tenant's key looked up by every single-key scenario. It is of the last of the five
/// types in the order zpakey lists them (CONNECTOR_GRP, EXPORTER_GRP, NP_ASSISTANT_GRP,
/// SERVICE_EDGE_GRP, SITE_CONTROLLER_GRP), so a client that probes one type after another
/// pays for it here; and it is usable and exportable, so `reveal` succeeds.
pub(crate) const KEY_ID: &str = "60402";
const KEY_NAME: &str = "pcc-lab";
pub(crate) const KEY_TYPE: &str = "SITE_CONTROLLER_GRP";

#[derive(Debug, Clone, Copy)]
pub(crate) enum Check {
    /// `-o json` output whose `id` is this.
    KeyId(&'static str),
    /// A non-empty key value on stdout.
    Revealed,
    /// A `-o json` array of this many keys: a truncated list must not pass as fast.
    ListLen(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    SingleKey,
    List,
    /// Dominated by the rate limit (~10 s a run), so it runs fewer times.
    BigList,
}

pub(crate) struct Scenario {
    pub(crate) name: String,
    pub(crate) args: Vec<&'static str>,
    pub(crate) tenant: Tenant,
    pub(crate) warm_cache: bool,
    pub(crate) kind: Kind,
    pub(crate) check: Check,
}

impl Scenario {
    pub(crate) fn per_type(&self) -> [usize; 5] {
        AssociationType::ALL.map(|t| self.tenant.keys(t).len())
    }

    pub(crate) fn runs(&self, latency: Duration, runs: usize) -> usize {
        match (self.kind, latency.is_zero()) {
            (Kind::BigList, true) => runs.min(2),
            (Kind::BigList, false) => 1,
            _ => runs,
        }
    }

    /// The fewest sequential round trips any client needs.
    pub(crate) fn min_round_trips(&self, latency: Duration) -> usize {
        match self.kind {
            Kind::SingleKey if self.warm_cache => 1,
            Kind::SingleKey => 2,
            Kind::List | Kind::BigList => list_floor(self.per_type(), latency).round_trips,
        }
    }
}

pub(crate) fn scenarios() -> Vec<Scenario> {
    let demo = Tenant::demo();
    let single: [(&str, Vec<&'static str>, Check); 4] = [
        (
            "get by id, with --type",
            vec!["get", "--id", KEY_ID, "--type", KEY_TYPE, "-o", "json"],
            Check::KeyId(KEY_ID),
        ),
        (
            "get by id, no type",
            vec!["get", "--id", KEY_ID, "-o", "json"],
            Check::KeyId(KEY_ID),
        ),
        (
            "get by name, no type",
            vec!["get", "--name", KEY_NAME, "-o", "json"],
            Check::KeyId(KEY_ID),
        ),
        (
            "reveal by id, no type",
            vec!["reveal", "--id", KEY_ID],
            Check::Revealed,
        ),
    ];
    let mut all = Vec::new();
    for warm_cache in [false, true] {
        for (name, args, check) in &single {
            all.push(Scenario {
                name: if warm_cache {
                    format!("{name}, warm token cache")
                } else {
                    (*name).to_owned()
                },
                args: args.clone(),
                tenant: demo.clone(),
                warm_cache,
                kind: Kind::SingleKey,
                check: *check,
            });
        }
    }
    for (n, kind) in [(50, Kind::List), (10_000, Kind::BigList)] {
        all.push(Scenario {
            name: format!("list, {} keys", thousands(n as u64)),
            args: vec!["list", "-o", "json"],
            tenant: Tenant::generated(n),
            warm_cache: false,
            kind,
            check: Check::ListLen(n),
        });
    }
    all
}
