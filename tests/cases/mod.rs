//! The end-to-end cases, one module per area of CLI.md.

mod errors;
mod generated;
mod get;
mod list;
mod reveal;
mod secrets;
