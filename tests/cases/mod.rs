//! The end-to-end cases, one module per area of CLI.md.

mod auth_status;
mod auth_status_partial;
mod bad_input;
mod docs;
mod docs_alone;
mod errors;
mod exec;
mod file_mode;
mod generated;
mod get;
mod health;
mod help;
mod hostile;
mod inject;
mod list;
mod parallel;
mod performance;
mod reliability;
mod remembered;
mod reveal;
mod secret_messages;
mod secrets;
mod security;
mod structure;
mod terminal;
