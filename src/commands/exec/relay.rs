//! The command's stdout and stderr, relayed through zpakey with the key masked as the output
//! arrives (a prompt must show at once, a log line without waiting for the next), while stop
//! signals are passed on to the command. Without masking there is nothing to relay, and only
//! the waiting and the signals remain.

use std::io::{self, Write};
use std::process::ExitStatus;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::Child;
use zeroize::{Zeroize, Zeroizing};

use crate::conceal::{CONCEALED, Concealer};
use crate::error::Kind;
use crate::process::{self, Forwarder};
use crate::redact::MIN_KNOWN_LEN;

/// How much is read at a time.
const CHUNK: usize = 16 * 1024;

/// How long output is still relayed after the command has exited, from processes it left
/// behind holding its stdout or stderr. Waiting for them to close it, as a pipe to `cat`
/// would, hangs a CI job on any daemon the command started.
const AFTER_EXIT: Duration = Duration::from_secs(1);

/// The byte strings masked: the key, and its secret material alone (`N|host|MATERIAL`), which
/// a program splitting the key would print without the rest.
pub(super) fn secrets(value: &SecretString) -> Vec<&[u8]> {
    let key = value.expose_secret();
    let mut secrets = vec![key.as_bytes()];
    if let Some(material) = key.splitn(3, '|').nth(2)
        && material.len() >= MIN_KNOWN_LEN
    {
        secrets.push(material.as_bytes());
    }
    secrets
}

/// Relays until the command has exited and its output is closed (or [`AFTER_EXIT`] has
/// passed), passing on stop signals while it runs; returns its status.
pub(super) async fn run(
    mut child: Child,
    secrets: &[&[u8]],
    forwarder: Forwarder,
    out: &mut dyn Write,
) -> io::Result<ExitStatus> {
    let pid = child.id();
    let mut forwarder = Some(forwarder);
    let mut stdout = Stream::new(child.stdout.take(), secrets);
    let mut stderr = Stream::new(child.stderr.take(), secrets);
    let mut err = io::stderr();
    let mut status = None;
    let after_exit = tokio::time::sleep(Duration::MAX);
    tokio::pin!(after_exit);
    while status.is_none() || stdout.is_open() || stderr.is_open() {
        tokio::select! {
            read = stdout.read(), if stdout.is_open() => stdout.relay(read, out),
            read = stderr.read(), if stderr.is_open() => stderr.relay(read, &mut err),
            done = child.wait(), if status.is_none() => {
                status = Some(done?);
                // From now on a signal is zpakey's own again.
                forwarder = None;
                after_exit
                    .as_mut()
                    .reset(tokio::time::Instant::now() + AFTER_EXIT);
            }
            stop = next_stop(&mut forwarder), if status.is_none() => {
                if let Some(pid) = pid {
                    process::send_signal(pid, stop);
                }
            }
            () = &mut after_exit, if status.is_some() => break,
        }
    }
    stdout.close(out);
    stderr.close(&mut err);
    status.ok_or_else(|| io::Error::other("the command's status was lost"))
}

async fn next_stop(forwarder: &mut Option<Forwarder>) -> Kind {
    match forwarder {
        Some(forwarder) => forwarder.recv().await,
        None => std::future::pending().await,
    }
}

/// One of the command's output streams: the pipe, its masker, and buffers that are wiped
/// after every chunk and never grow (a reallocation would leave an unwiped copy behind).
struct Stream<R> {
    pipe: Option<R>,
    concealer: Concealer,
    read: Zeroizing<Vec<u8>>,
    masked: Zeroizing<Vec<u8>>,
}

impl<R: AsyncRead + Unpin> Stream<R> {
    fn new(pipe: Option<R>, secrets: &[&[u8]]) -> Stream<R> {
        let longest = secrets.iter().map(|s| s.len()).max().unwrap_or(0);
        let shortest = secrets
            .iter()
            .map(|s| s.len())
            .filter(|&n| n > 0)
            .min()
            .unwrap_or(1);
        let (read, masked) = if pipe.is_some() {
            // What one chunk can become: the bytes held back and the chunk, with each secret
            // in them replaced by a marker that may be longer than a short secret.
            let growth = CONCEALED.len().div_ceil(shortest).max(1);
            (
                vec![0; CHUNK],
                Vec::with_capacity((CHUNK + longest) * growth),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        Stream {
            pipe,
            concealer: Concealer::new(secrets),
            read: Zeroizing::new(read),
            masked: Zeroizing::new(masked),
        }
    }

    fn is_open(&self) -> bool {
        self.pipe.is_some()
    }

    async fn read(&mut self) -> io::Result<usize> {
        match &mut self.pipe {
            Some(pipe) => pipe.read(&mut self.read[..]).await,
            None => std::future::pending().await,
        }
    }

    /// Passes on what a read brought, masked; at the end of the stream, what was held back.
    fn relay(&mut self, read: io::Result<usize>, sink: &mut dyn Write) {
        match read {
            Ok(0) => self.close(sink),
            Ok(n) => {
                self.concealer.feed(&self.read[..n], &mut self.masked);
                self.read[..n].zeroize();
                self.write(sink);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => self.close(sink),
        }
    }

    /// Ends the stream: what was held back is written, and the pipe closed, so a process
    /// still writing to it gets EPIPE, as it would writing into a closed pipeline.
    fn close(&mut self, sink: &mut dyn Write) {
        if self.pipe.take().is_some() {
            self.concealer.finish(&mut self.masked);
            self.write(sink);
        }
    }

    fn write(&mut self, sink: &mut dyn Write) {
        if self.masked.is_empty() {
            return;
        }
        let written = sink.write_all(&self.masked).and_then(|()| sink.flush());
        self.masked.zeroize();
        if written.is_err() {
            // Nobody reads zpakey's side (`| head`): the command learns it as it would have
            // without zpakey in between.
            self.pipe = None;
        }
    }
}
