//! The spinner: drawn on stderr only when stderr is a terminal and zpakey waits longer than a
//! moment (here a retry after a 503 with `retry-after: 2s`), and gone before the result.

use zpa_sim::{EnvMode, Fault, SimHandle};

use super::pty::{Pty, Wire, command};
use crate::support::{sim, zpakey};

const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const GET: [&str; 7] = [
    "get",
    "--id",
    "58856",
    "--type",
    "connector",
    "--field",
    "id",
];

/// A simulator whose next key request fails once with a 503 asking to wait 2 s.
fn slow_sim() -> SimHandle {
    let sim = sim();
    sim.inject(
        Fault::Unavailable {
            retry_after: Some("2s".into()),
        },
        1,
    );
    sim
}

fn run(sim: &SimHandle, wires: [Wire; 3]) -> Pty {
    let mut cmd = command(sim, EnvMode::OneApi);
    cmd.args(GET);
    let mut pty = Pty::wired(cmd, wires);
    assert_eq!(pty.finish(), 0, "{}", pty.text());
    assert_eq!(sim.count_status(503), 1, "the wait did not happen");
    pty
}

#[test]
fn a_retry_wait_shows_a_spinner_on_a_terminal_and_clears_it() {
    let sim = slow_sim();
    let pty = run(&sim, [Wire::Pty, Wire::File, Wire::Pty]);
    let raw = pty.text();
    assert!(
        raw.contains(FRAMES),
        "no spinner frame on the terminal:\n{raw:?}"
    );
    assert!(
        raw.contains("GET key 58856 (CONNECTOR_GRP): HTTP 503") && raw.contains("retrying in"),
        "the spinner does not say why zpakey waits:\n{raw:?}"
    );
    assert_eq!(pty.screen().text, "", "the spinner was not cleared");
    assert_eq!(pty.captured(1), "58856\n");
}

#[test]
fn no_spinner_when_stderr_is_not_a_terminal() {
    // stdout on a terminal, stderr in a file.
    let sim = slow_sim();
    let pty = run(&sim, [Wire::Pty, Wire::Pty, Wire::File]);
    assert_eq!(pty.text(), "58856\r\n");
    assert_eq!(pty.captured(2), "");

    // Piped, as in CI.
    let sim = slow_sim();
    zpakey(&sim)
        .args(GET)
        .assert()
        .success()
        .stdout("58856\n")
        .stderr("");
    assert_eq!(sim.count_status(503), 1, "the wait did not happen");
}

#[test]
fn the_spinner_is_gone_before_the_result_is_printed() {
    let sim = slow_sim();
    let pty = run(&sim, [Wire::Pty, Wire::Pty, Wire::Pty]);
    assert_eq!(
        pty.screen().text,
        "58856",
        "the terminal shows more (or less) than the result; raw output:\n{:?}",
        pty.text()
    );
}
