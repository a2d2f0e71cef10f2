//! Diagnostics on stderr at the verbosity `-v` asks for. Everything passes through the
//! redactor, because a log line that leaks a key defeats the point of zpakey.

use std::fmt;
use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};

static LEVEL: AtomicU8 = AtomicU8::new(0);

/// 0: warnings only; 1 (-v): one line per request; 2 (-vv): decisions, retries;
/// 3 (-vvv): response headers too.
pub(crate) fn init(verbose: u8) {
    LEVEL.store(verbose, Ordering::Relaxed);
}

pub(crate) fn enabled(level: u8) -> bool {
    LEVEL.load(Ordering::Relaxed) >= level
}

fn write(prefix: &str, args: fmt::Arguments<'_>) {
    let line = format!(
        "zpakey: {prefix}{}\n",
        crate::redact::clean(&args.to_string())
    );
    crate::progress::suspend(|| {
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    });
}

pub(crate) fn warn(args: fmt::Arguments<'_>) {
    write("warning: ", args);
}

/// A message for the person running zpakey (not a problem), shown at every verbosity.
pub(crate) fn notice(args: fmt::Arguments<'_>) {
    write("", args);
}

pub(crate) fn info(args: fmt::Arguments<'_>) {
    if enabled(1) {
        write("", args);
    }
}

pub(crate) fn debug(args: fmt::Arguments<'_>) {
    if enabled(2) {
        write("debug: ", args);
    }
}

pub(crate) fn trace(args: fmt::Arguments<'_>) {
    if enabled(3) {
        write("trace: ", args);
    }
}
