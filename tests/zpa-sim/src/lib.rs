//! zpa-sim: a Zscaler Private Access tenant on loopback, faithful to the real management
//! API's wire format, so that zpakey's tests and its users' deploy scripts run without a
//! real tenant. See README.md for the switches and the API behaviour each one covers.
//!
//! ```no_run
//! use zpa_sim::{EnvMode, Sim};
//! let sim = Sim::builder().start().expect("start zpa-sim");
//! let env = sim.env(EnvMode::OneApi);
//! # drop(env);
//! ```

mod auth;
mod handle;
mod keys;
mod options;
mod reply;
mod server;
mod state;
mod tenant;

use std::path::PathBuf;

pub use handle::{EnvMode, Sim, SimBuilder, SimHandle};
pub use options::{
    AssertionAudience, EmptyPageShape, Fault, FaultScope, SearchCase, SpecialCharSearch,
    TypeRefusal,
};
pub use state::RequestRecord;
pub use tenant::{AssociationType, Credentials, Tenant, TenantError};

/// The private key (PKCS#8 PEM) whose public half the demo tenant accepts for private-key
/// JWT authentication. Public test material.
pub const DEMO_PRIVATE_KEY_PEM: &str = include_str!("../keys/demo_client_key.pem");

/// The audience the SDKs request, and send in client assertions.
pub const API_AUDIENCE: &str = auth::API_AUDIENCE;

/// The largest `pagesize` the simulator honours; larger values are clamped to it.
pub const MAX_PAGE_SIZE: usize = keys::MAX_PAGE_SIZE;

/// Path of the demo private key in this crate's source tree, for tests that point
/// `ZSCALER_PRIVATE_KEY` at a file. Its mode is whatever the checkout gave it (git keeps no
/// modes): copy it to a 0600 file where a private key file is expected.
pub fn demo_private_key_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("keys")
        .join("demo_client_key.pem")
}
