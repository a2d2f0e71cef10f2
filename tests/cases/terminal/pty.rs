//! The harness of the terminal tests: zpakey on a real pseudo-terminal (expectrl), set up the
//! way a person's terminal is (echo on, a known size), with any of stdin, stdout and stderr
//! wired elsewhere instead, plus a small model of the screen that the bytes produce.

use std::ffi::CString;
use std::io::{ErrorKind, Write};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::{Session, WaitStatus};
use zpa_sim::{EnvMode, SimHandle};

/// How long any one wait may take; generous, for a loaded two-core CI machine.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The size of the terminal unless a test asks for another width ([`Pty::sized`]): wide
/// enough that no table row or spinner line wraps.
pub const COLS: u16 = 200;
const ROWS: u16 = 50;

/// Holds zpakey back until [`Pty::wired`] has sized the terminal: ptyprocess resets the size
/// to 80x24 after the child starts, so without this a table could be laid out for either.
const WAIT_FOR_SIZE: &str = r#"read -r _ </dev/tty; exec "$0" "$@""#;

/// zpakey with only the simulator's environment and a `TERM` like a person's terminal (run
/// through a `/bin/sh` that waits for the terminal to be set up; arguments go to zpakey).
pub fn command(sim: &SimHandle, mode: EnvMode) -> Command {
    let mut cmd = Command::new("/bin/sh");
    cmd.args(["-c", WAIT_FOR_SIZE, env!("CARGO_BIN_EXE_zpakey")]);
    cmd.env_clear().env("TERM", "xterm-256color");
    for (name, value) in sim.env(mode) {
        cmd.env(name, value);
    }
    cmd
}

/// Where one of the child's standard streams goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// The pseudo-terminal.
    Pty,
    /// A file, read back with [`Pty::captured`].
    File,
    /// `/dev/null`.
    Null,
}

/// A running zpakey on a pseudo-terminal and everything it has written there so far.
pub struct Pty {
    session: Session,
    transcript: Vec<u8>,
    /// How far [`Pty::until`] has matched.
    seen: usize,
    eof: bool,
    status: Option<i32>,
    dir: tempfile::TempDir,
    /// The terminal's width, for the model of the screen.
    cols: u16,
}

impl Pty {
    /// `wires` are stdin, stdout and stderr.
    pub fn wired(cmd: Command, wires: [Wire; 3]) -> Pty {
        Pty::sized(cmd, wires, COLS)
    }

    /// Like [`Pty::wired`], on a terminal `cols` columns wide.
    pub fn sized(mut cmd: Command, wires: [Wire; 3], cols: u16) -> Pty {
        let dir = tempfile::tempdir().expect("temporary directory");
        let paths: Vec<Option<CString>> = wires
            .iter()
            .enumerate()
            .map(|(fd, wire)| {
                let path = match wire {
                    Wire::Pty => return None,
                    Wire::File => dir.path().join(format!("fd{fd}")),
                    Wire::Null => PathBuf::from("/dev/null"),
                };
                Some(CString::new(path.as_os_str().as_bytes()).expect("path without NUL"))
            })
            .collect();
        // SAFETY: the hook runs in the forked child before exec and calls only
        // async-signal-safe functions (tcgetattr, tcsetattr, open, dup2, close) on
        // memory prepared before the fork.
        unsafe {
            cmd.pre_exec(move || {
                // ptyprocess turns echo off; a person's terminal echoes, so a prompt that
                // forgets to hide its input would show it.
                let mut mode: libc::termios = std::mem::zeroed();
                check(libc::tcgetattr(0, &mut mode))?;
                mode.c_lflag |= libc::ECHO;
                check(libc::tcsetattr(0, libc::TCSANOW, &mode))?;
                for (fd, path) in paths.iter().enumerate() {
                    if let Some(path) = path {
                        let flags = if fd == 0 {
                            libc::O_RDONLY
                        } else {
                            libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC
                        };
                        let file = libc::open(path.as_ptr(), flags, 0o600);
                        check(file)?;
                        check(libc::dup2(file, fd as i32))?;
                        check(libc::close(file))?;
                    }
                }
                Ok(())
            });
        }
        let mut session = Session::spawn(cmd).expect("start zpakey on a pseudo-terminal");
        session
            .get_process_mut()
            .set_window_size(cols, ROWS)
            .expect("size the terminal");
        let mut pty = Pty {
            session,
            transcript: Vec::new(),
            seen: 0,
            eof: false,
            status: None,
            dir,
            cols,
        };
        // Let zpakey start, and drop the echo of that line, which comes before anything
        // zpakey writes (zpakey may already have written more by now).
        pty.send("\n");
        pty.until("\r\n");
        assert_eq!(
            pty.seen,
            2,
            "output before zpakey started: {:?}",
            pty.text()
        );
        pty.transcript.drain(..2);
        pty.seen = 0;
        pty
    }

    fn fd(&self) -> i32 {
        self.session.get_stream().as_raw_fd()
    }

    /// Waits up to `wait` for output, then takes everything available.
    fn pump(&mut self, wait: Duration) {
        if self.eof {
            return;
        }
        let mut poll = libc::pollfd {
            fd: self.fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        unsafe { libc::poll(&mut poll, 1, wait.as_millis() as i32) };
        let mut buf = [0u8; 4096];
        loop {
            match self.session.try_read(&mut buf) {
                // The child closed the terminal (EIO on the master reads as end of file).
                Ok(0) => {
                    self.eof = true;
                    return;
                }
                Ok(n) => self.transcript.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => panic!("reading the pseudo-terminal: {e}"),
            }
        }
    }

    /// Everything zpakey has written to the terminal, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.transcript).into_owned()
    }

    /// Waits until `needle` appears after the previous match.
    pub fn until(&mut self, needle: &str) {
        let start = Instant::now();
        loop {
            if let Some(at) = find(&self.transcript[self.seen..], needle.as_bytes()) {
                self.seen += at + needle.len();
                return;
            }
            assert!(
                !self.eof,
                "zpakey closed the terminal before {needle:?} appeared:\n{}",
                self.text()
            );
            assert!(
                start.elapsed() < TIMEOUT,
                "{needle:?} did not appear within {TIMEOUT:?}:\n{}",
                self.text()
            );
            self.pump(Duration::from_millis(50));
        }
    }

    /// The terminal's current line discipline (the master reports the slave's settings).
    pub fn mode(&self) -> libc::termios {
        // SAFETY: termios is plain data, filled in by tcgetattr.
        let mut mode: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(self.fd(), &mut mode) }, 0);
        mode
    }

    /// Waits until the terminal's mode passes `test`: a prompt is ready for keys only once it
    /// has switched the mode (a password prompt even discards what was typed before).
    pub fn until_mode(&mut self, what: &str, test: impl Fn(&libc::termios) -> bool) {
        let start = Instant::now();
        while !test(&self.mode()) {
            assert!(
                start.elapsed() < TIMEOUT,
                "the terminal was not {what} within {TIMEOUT:?}:\n{}",
                self.text()
            );
            self.pump(Duration::from_millis(20));
        }
    }

    /// Waits until a key-by-key prompt reads the keyboard (raw mode).
    pub fn until_raw(&mut self) {
        self.until_mode("in raw mode", |m| m.c_lflag & libc::ICANON == 0);
    }

    /// Waits until a hidden prompt has turned echo off.
    pub fn until_silent(&mut self) {
        self.until_mode("silent (echo off)", |m| m.c_lflag & libc::ECHO == 0);
    }

    /// Types `keys`.
    pub fn send(&mut self, keys: &str) {
        self.session.write_all(keys.as_bytes()).expect("type");
        self.session.flush().expect("type");
    }

    /// Waits for zpakey to exit and returns its exit code; panics if it hangs or is killed.
    pub fn finish(&mut self) -> i32 {
        if let Some(code) = self.status {
            return code;
        }
        let start = Instant::now();
        while !self.eof {
            assert!(
                start.elapsed() < TIMEOUT,
                "zpakey did not finish within {TIMEOUT:?}; the terminal shows:\n{}",
                self.screen().text
            );
            self.pump(Duration::from_millis(100));
        }
        let status = self.session.get_process().wait().expect("wait for zpakey");
        let WaitStatus::Exited(_, code) = status else {
            panic!("zpakey ended with {status:?}:\n{}", self.text());
        };
        self.status = Some(code);
        code
    }

    /// Waits for exit, like [`Pty::finish`], but gives up after `limit` and returns `None` if
    /// zpakey is still running (it is killed when the `Pty` is dropped).
    pub fn finish_within(&mut self, limit: Duration) -> Option<WaitStatus> {
        let start = Instant::now();
        while !self.eof && start.elapsed() < limit {
            self.pump(Duration::from_millis(50));
        }
        if !self.eof {
            return None;
        }
        Some(self.session.get_process().wait().expect("wait for zpakey"))
    }

    /// What a stream wired to [`Wire::File`] received (1 = stdout, 2 = stderr).
    pub fn captured(&self, fd: usize) -> String {
        std::fs::read_to_string(self.dir.path().join(format!("fd{fd}")))
            .expect("a stream wired to a file")
    }

    /// What the terminal shows now.
    pub fn screen(&self) -> Screen {
        Screen::render_at(&self.text(), self.cols)
    }
}

fn check(rc: libc::c_int) -> std::io::Result<()> {
    if rc < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(())
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The visible result of a transcript on a terminal of a given width: a minimal model of the
/// control sequences the prompt, spinner and table libraries use. Any other sequence fails
/// the test, so that the model never guesses.
#[derive(Debug)]
pub struct Screen {
    /// The lines, without trailing blanks, without trailing empty lines.
    pub text: String,
    pub cursor_visible: bool,
}

impl Screen {
    /// On a [`COLS`]-wide terminal.
    pub fn render(raw: &str) -> Screen {
        Screen::render_at(raw, COLS)
    }

    pub fn render_at(raw: &str, cols: u16) -> Screen {
        let cols = usize::from(cols);
        let mut lines: Vec<Vec<char>> = vec![Vec::new()];
        let (mut row, mut col) = (0usize, 0usize);
        let mut cursor_visible = true;
        let mut saved = (0, 0);
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\x1b' => match chars.next() {
                    Some('[') => {
                        let mut params = String::new();
                        let final_byte = loop {
                            match chars.next() {
                                Some(p @ '\x20'..='\x3f') => params.push(p),
                                Some(f @ '\x40'..='\x7e') => break f,
                                other => panic!("broken escape sequence {params:?} {other:?}"),
                            }
                        };
                        let n = params.parse::<usize>().unwrap_or(1).max(1);
                        match (final_byte, params.as_str()) {
                            ('m', _) => {}
                            ('A', _) => row = row.saturating_sub(n),
                            ('B', _) => row += n,
                            ('C', _) => col = (col + n).min(cols - 1),
                            ('D', _) => col = col.saturating_sub(n),
                            ('G', _) => col = n - 1,
                            ('K', "" | "0") => line(&mut lines, row).truncate(col),
                            ('K', "2") => line(&mut lines, row).clear(),
                            ('J', "" | "0") => {
                                line(&mut lines, row).truncate(col);
                                lines.truncate(row + 1);
                            }
                            ('h', "?25") => cursor_visible = true,
                            ('l', "?25") => cursor_visible = false,
                            _ => {
                                panic!("the screen model lacks ESC [{params}{final_byte}:\n{raw:?}")
                            }
                        }
                    }
                    Some('7') => saved = (row, col),
                    Some('8') => (row, col) = saved,
                    other => panic!("the screen model lacks ESC {other:?}:\n{raw:?}"),
                },
                '\r' => col = 0,
                '\n' => row += 1,
                '\x08' => col = col.saturating_sub(1),
                '\x07' => {}
                '\t' => col = ((col / 8 + 1) * 8).min(cols - 1),
                c if c.is_control() => panic!("the screen model lacks {c:?}:\n{raw:?}"),
                c => {
                    if col >= cols {
                        row += 1;
                        col = 0;
                    }
                    let line = line(&mut lines, row);
                    if line.len() <= col {
                        line.resize(col + 1, ' ');
                    }
                    line[col] = c;
                    col += 1;
                }
            }
        }
        let mut text: Vec<String> = lines
            .iter()
            .map(|l| l.iter().collect::<String>().trim_end().to_owned())
            .collect();
        while text.last().is_some_and(String::is_empty) {
            text.pop();
        }
        Screen {
            text: text.join("\n"),
            cursor_visible,
        }
    }
}

fn line(lines: &mut Vec<Vec<char>>, row: usize) -> &mut Vec<char> {
    if lines.len() <= row {
        lines.resize(row + 1, Vec::new());
    }
    &mut lines[row]
}

/// `text` without ANSI control sequences.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        if chars.next() == Some('[') {
            for p in chars.by_ref() {
                if ('\x40'..='\x7e').contains(&p) {
                    break;
                }
            }
        }
    }
    out
}

/// The pieces of `raw` with the SGR parameters in force for each, e.g. `("38;5;10", "yes ")`.
pub fn styled_runs(raw: &str) -> Vec<(String, String)> {
    let mut runs = vec![(String::new(), String::new())];
    let mut rest = raw;
    while let Some(at) = rest.find('\x1b') {
        runs.last_mut().expect("a run").1.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[2..]
            .find(|c: char| ('\x40'..='\x7e').contains(&c))
            .map_or(rest.len(), |i| i + 3);
        let sequence = &rest[..end];
        if let Some(params) = sequence
            .strip_prefix("\x1b[")
            .and_then(|s| s.strip_suffix('m'))
        {
            runs.push((params.to_owned(), String::new()));
        }
        rest = &rest[end..];
    }
    runs.last_mut().expect("a run").1.push_str(rest);
    runs
}

/// Whether SGR parameters set a green (or red) foreground, in any of the usual encodings.
pub fn is_green(params: &str) -> bool {
    matches!(params, "32" | "92" | "38;5;2" | "38;5;10")
}

pub fn is_red(params: &str) -> bool {
    matches!(params, "31" | "91" | "38;5;1" | "38;5;9")
}

#[test]
fn the_screen_model_follows_a_spinner_and_a_prompt() {
    let screen = Screen::render(
        "\x1b[?25lpick one:\r\n> a\r\n  b\r\n\x1b[2A\r\x1b[2K\x1b[1B\r\x1b[2K\x1b[1B\x1b[2A  a\r\n> b\r\n\x1b[?25h",
    );
    assert_eq!(screen.text, "pick one:\n  a\n> b");
    assert!(screen.cursor_visible);
    let screen = Screen::render("⠋ waiting\x1b[1A\r\x1b[2K\x1b[1B\r\x1b[2K\x1b[1Adone\r\n");
    assert_eq!(screen.text, "done");
    assert_eq!(strip_ansi("\x1b[38;5;10myes\x1b[39m |"), "yes |");
    assert_eq!(
        styled_runs("a\x1b[38;5;9mno\x1b[39m b"),
        [
            (String::new(), "a".to_owned()),
            ("38;5;9".to_owned(), "no".to_owned()),
            ("39".to_owned(), " b".to_owned())
        ]
    );
}
