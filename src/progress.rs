//! A spinner on stderr for work that takes more than a moment (long lists, retry waits), so a
//! person at a terminal sees that zpakey is waiting and why. Never drawn when stderr is not a
//! terminal, so CI logs and pipes stay clean. The commands own it through one guard
//! ([`Spinner`]); the client only reports what it waits for, and log lines are written around
//! it ([`suspend`]).

use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The spinner on screen, if any: log lines must clear it before they are written.
static CURRENT: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Quick commands finish before the spinner would appear, and never flicker.
const DELAY: Duration = Duration::from_millis(400);

/// The one spinner of a run. Cleared by [`Spinner::finish`] before results, a prompt or an
/// error are written, and when dropped (an interrupted command), so it never lingers.
pub(crate) struct Spinner {
    bar: Option<ProgressBar>,
}

impl Spinner {
    /// Starts a spinner, hidden for [`DELAY`], when stderr is a terminal; otherwise one that
    /// never draws.
    pub(crate) fn start(stderr_is_terminal: bool) -> Spinner {
        if !stderr_is_terminal {
            return Spinner { bar: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
            bar.set_style(
                style.tick_strings(&["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏", " "]),
            );
        }
        bar.set_message("asking ZPA…");
        *lock() = Some(bar.clone());
        let shown = bar.clone();
        tokio::spawn(async move {
            tokio::time::sleep(DELAY).await;
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(100));
            }
        });
        Spinner { bar: Some(bar) }
    }

    /// A callback that says what zpakey is waiting for, for the client to report through.
    pub(crate) fn status(&self) -> Box<dyn Fn(String) + Send + Sync> {
        let bar = self.bar.clone();
        Box::new(move |text| {
            if let Some(bar) = &bar {
                bar.set_message(text);
            }
        })
    }

    /// Removes the spinner for good.
    pub(crate) fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            *lock() = None;
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Runs `f` with the spinner line cleared, so a log line does not collide with it.
pub(crate) fn suspend<T>(f: impl FnOnce() -> T) -> T {
    let bar = lock().clone();
    match bar {
        Some(bar) => bar.suspend(f),
        None => f(),
    }
}

fn lock() -> std::sync::MutexGuard<'static, Option<ProgressBar>> {
    CURRENT.lock().unwrap_or_else(|e| e.into_inner())
}
