//! Behaviour at a real terminal, driven through a pseudo-terminal: colour and table layout
//! with and without a terminal, `reveal` never decorated, the pick and hidden-secret prompts
//! only when a person is there, the spinner, server text that tries to act on the terminal,
//! and static checks of the generated completions and man page that people install.

#![cfg(unix)]

mod colour;
mod generated_files;
mod hostile_text;
mod narrow;
mod progress;
mod prompt_hints;
mod prompts;
pub(crate) mod pty;
