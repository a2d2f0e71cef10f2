//! A spinner on stderr for work that takes more than a moment (long lists, retry waits), so a
//! person at a terminal sees that zpakey is waiting and why. Never drawn when stderr is not a
//! terminal, so CI logs and pipes stay clean.

use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static SPINNER: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Quick commands finish before the spinner would appear, and never flicker.
const DELAY: Duration = Duration::from_millis(400);

/// Starts the (hidden, for now) spinner when stderr is a terminal.
pub fn start(stderr_is_terminal: bool) {
    if !stderr_is_terminal {
        return;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg}")
            .expect("valid template")
            .tick_strings(&["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏", " "]),
    );
    bar.set_message("asking ZPA…");
    *SPINNER.lock().expect("spinner lock") = Some(bar.clone());
    tokio::spawn(async move {
        tokio::time::sleep(DELAY).await;
        if !bar.is_finished() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(100));
        }
    });
}

/// Says what zpakey is waiting for.
pub fn message(text: String) {
    if let Some(bar) = SPINNER.lock().expect("spinner lock").as_ref() {
        bar.set_message(text);
    }
}

/// Runs `f` with the spinner line cleared, so a log line does not collide with it.
pub fn suspend<T>(f: impl FnOnce() -> T) -> T {
    let bar = SPINNER.lock().expect("spinner lock").clone();
    match bar {
        Some(bar) => bar.suspend(f),
        None => f(),
    }
}

/// Removes the spinner before results or errors are printed.
pub fn finish() {
    if let Some(bar) = SPINNER.lock().expect("spinner lock").take() {
        bar.finish_and_clear();
    }
}
