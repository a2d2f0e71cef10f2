//! The end-to-end cases, one module per area of CLI.md.

mod auth_status;
mod bad_input;
mod errors;
mod exec;
mod file_mode;
mod generated;
mod get;
mod health;
mod hostile;
mod inject;
mod list;
mod parallel;
mod performance;
mod reliability;
mod reveal;
mod secrets;
mod security;
mod structure;
mod terminal;
