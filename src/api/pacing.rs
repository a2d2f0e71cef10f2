//! Keeps zpakey under ZPA's rate limit (20 GETs per 10 s per tenant and source address)
//! instead of discovering it through 429s. Processes of the same user on one machine, such as
//! thirty CI jobs started at once, share one budget: each GET reserves the next free slot in a
//! small lock-protected file, first come first served, so the crowd is spread over time
//! without retries. A process that cannot use the file paces itself alone.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

use crate::log;
use crate::{paths, perms};

/// ZPA allows 20 GETs per 10 s per tenant and source IP.
pub(crate) const PACE_REQUESTS: usize = 20;
/// The window plus a margin for the time between a slot and its request's arrival (process
/// scheduling on a busy CI machine, latency differences between requests in flight).
pub(crate) const PACE_WINDOW: Duration = Duration::from_millis(10_500);
/// A pacing wait this long is worth saying so on the spinner.
const NOTICEABLE: Duration = Duration::from_secs(1);
/// Reservations further ahead than this are not believable (1,000 jobs of 5 GETs each fit
/// well within it): a file holding one was damaged or forged, and is started afresh.
const MAX_AHEAD: Duration = Duration::from_secs(3600);

/// Where a GET may go, and when.
pub(crate) struct Pacer {
    shared: Option<SharedSlots>,
    /// Set when the shared file fails: from then on this process paces alone, without
    /// trying (and waiting for a lock on) the file again for every request.
    alone: AtomicBool,
    /// Every request of this process, shared or not: pacing alone after the file fails then
    /// counts the requests already sent through it.
    local: LocalWindow,
}

impl Pacer {
    /// A pacer shared with the other zpakey processes of this user that talk to the same
    /// tenant (`tenant` names it: API base and customer id).
    pub(crate) fn new(tenant: &[&str]) -> Pacer {
        Pacer {
            shared: SharedSlots::open(tenant),
            alone: AtomicBool::new(false),
            local: LocalWindow::new(PACE_REQUESTS, PACE_WINDOW),
        }
    }

    /// A pacer for this process alone.
    #[cfg(test)]
    pub(crate) fn local(max: usize, window: Duration) -> Pacer {
        Pacer {
            shared: None,
            alone: AtomicBool::new(false),
            local: LocalWindow::new(max, window),
        }
    }

    /// Waits until one more GET fits in the tenant's budget; `waiting` hears of a wait long
    /// enough for a person to wonder why nothing happens.
    pub(crate) async fn acquire(&self, waiting: impl Fn(Duration)) {
        if let Some(shared) = self.shared.as_ref().filter(|_| !self.alone.load(Relaxed)) {
            match shared.reserve().await {
                Ok(wait) => {
                    self.local.record(Instant::now() + wait);
                    if !wait.is_zero() {
                        if wait >= NOTICEABLE {
                            waiting(wait);
                        }
                        log::debug(format_args!(
                            "pacing: waiting {} ms for a slot shared with other zpakey runs ({} requests per {} s)",
                            wait.as_millis(),
                            PACE_REQUESTS,
                            PACE_WINDOW.as_secs()
                        ));
                        tokio::time::sleep(wait).await;
                    }
                    return;
                }
                Err(e) => {
                    self.alone.store(true, Relaxed);
                    log::debug(format_args!(
                        "pacing alone from now on: the shared pacing file {} is unusable ({e})",
                        shared.path.display()
                    ));
                }
            }
        }
        self.local.acquire(waiting).await;
    }
}

/// The slots reserved by every process, in a file under `$XDG_RUNTIME_DIR/zpakey/`: one line
/// per reservation, milliseconds since the epoch, oldest first.
struct SharedSlots {
    path: PathBuf,
    max: usize,
    window: Duration,
}

impl SharedSlots {
    fn open(tenant: &[&str]) -> Option<SharedSlots> {
        let dir = match paths::private_runtime_dir() {
            Ok(dir) => dir,
            Err(why) => {
                log::debug(format_args!("pacing alone: {why}"));
                return None;
            }
        };
        Some(SharedSlots {
            path: dir.join(format!("pace-{}.txt", paths::tag(tenant))),
            max: PACE_REQUESTS,
            window: PACE_WINDOW,
        })
    }

    /// Reserves the next free slot and says how long to wait for it.
    async fn reserve(&self) -> std::io::Result<Duration> {
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&self.path)?;
        lock(&file).await?;
        let result = self.reserve_locked(&mut file);
        let _ = file.unlock();
        result
    }

    fn reserve_locked(&self, file: &mut File) -> std::io::Result<Duration> {
        if !perms::owner_only(&file.metadata()?) {
            return Err(std::io::Error::other("it is open to others"));
        }
        let mut text = String::new();
        file.read_to_string(&mut text)?;
        let now = epoch_ms(SystemTime::now());
        let mut slots = parse(&text, now, self.window).unwrap_or_else(|| {
            log::debug(format_args!(
                "the shared pacing file held nonsense; starting it afresh"
            ));
            VecDeque::new()
        });
        let slot = next_slot(&slots, now, self.max, self.window);
        slots.push_back(slot);
        let mut out = String::with_capacity(slots.len() * 14);
        for s in &slots {
            out.push_str(&s.to_string());
            out.push('\n');
        }
        file.set_len(0)?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(out.as_bytes())?;
        Ok(Duration::from_millis(slot.saturating_sub(now)))
    }
}

/// Takes the file's exclusive lock without blocking the runtime: others hold it for
/// microseconds, so a short poll is enough.
async fn lock(file: &File) -> std::io::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(1 + fastrand::u64(0..3))).await;
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(std::io::Error::other("its lock is held too long"));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

/// The reservations still relevant at `now` (younger than one window), or `None` when the
/// text is not a list of believable reservations.
fn parse(text: &str, now: u64, window: Duration) -> Option<VecDeque<u64>> {
    let mut slots = VecDeque::new();
    let oldest = now.saturating_sub(window.as_millis() as u64);
    let newest = now.saturating_add(MAX_AHEAD.as_millis() as u64);
    let mut previous = 0;
    for line in text.lines() {
        let slot: u64 = line.trim().parse().ok()?;
        if slot < previous || slot > newest {
            return None;
        }
        previous = slot;
        if slot > oldest {
            slots.push_back(slot);
        }
    }
    Some(slots)
}

/// The first slot, no earlier than `now` or any reserved slot, such that no window holds more
/// than `max` slots: when `max` are reserved, one window after the `max`-th latest of them.
fn next_slot(slots: &VecDeque<u64>, now: u64, max: usize, window: Duration) -> u64 {
    let mut slot = now.max(slots.back().copied().unwrap_or(0));
    if slots.len() >= max {
        slot = slot.max(slots[slots.len() - max] + window.as_millis() as u64);
    }
    slot
}

fn epoch_ms(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// A sliding-window limiter for this process alone: the fallback when the shared file
/// cannot be used.
struct LocalWindow {
    max: usize,
    window: Duration,
    sent: Mutex<VecDeque<Instant>>,
}

impl LocalWindow {
    fn new(max: usize, window: Duration) -> Self {
        LocalWindow {
            max,
            window,
            sent: Mutex::new(VecDeque::new()),
        }
    }

    /// Forgets requests that have left the window.
    fn expire(&self, sent: &mut VecDeque<Instant>, now: Instant) {
        while sent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            sent.pop_front();
        }
    }

    /// Records a request paced elsewhere (through the shared file), sent at `at`.
    fn record(&self, at: Instant) {
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        self.expire(&mut sent, now);
        sent.push_back(at);
    }

    /// Waits until one more request fits in the window, then records it.
    async fn acquire(&self, waiting: impl Fn(Duration)) {
        loop {
            let wait = {
                let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                self.expire(&mut sent, now);
                match sent.front() {
                    Some(oldest) if sent.len() >= self.max => {
                        self.window - now.duration_since(*oldest)
                    }
                    _ => {
                        sent.push_back(now);
                        return;
                    }
                }
            };
            if wait >= NOTICEABLE {
                waiting(wait);
            }
            log::debug(format_args!(
                "pacing: waiting {} ms to stay within {} requests per {} s",
                wait.as_millis(),
                self.max,
                self.window.as_secs()
            ));
            tokio::time::sleep(wait).await;
        }
    }
}

/// The pacing file of a tenant, for tests that look at it.
#[cfg(test)]
fn file_of(dir: &std::path::Path, tenant: &[&str]) -> PathBuf {
    dir.join(format!("pace-{}.txt", paths::tag(tenant)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Duration = Duration::from_secs(10);

    #[test]
    fn slots_fill_a_window_then_queue_one_window_after() {
        let mut slots = VecDeque::new();
        for _ in 0..3 {
            let s = next_slot(&slots, 1_000, 3, W);
            assert_eq!(s, 1_000);
            slots.push_back(s);
        }
        let s = next_slot(&slots, 1_000, 3, W);
        assert_eq!(
            s, 11_000,
            "the fourth waits for the first to leave the window"
        );
        slots.push_back(s);
        assert_eq!(next_slot(&slots, 1_000, 3, W), 11_000);
        // Any window of 10 s holds at most 3 of a long queue.
        let mut slots = VecDeque::new();
        for _ in 0..50 {
            let s = next_slot(&slots, 0, 3, W);
            slots.push_back(s);
        }
        for (i, s) in slots.iter().enumerate() {
            let within = slots
                .iter()
                .skip(i)
                .take_while(|t| **t < s + 10_000)
                .count();
            assert!(within <= 3, "{slots:?}");
        }
    }

    #[test]
    fn old_slots_are_dropped_and_nonsense_is_refused() {
        let now = 1_000_000;
        assert_eq!(
            parse("980000\n995000\n1000500\n", now, W),
            Some(VecDeque::from([995_000, 1_000_500]))
        );
        assert_eq!(parse("", now, W), Some(VecDeque::new()));
        assert_eq!(parse("12\nabc\n", now, W), None);
        assert_eq!(parse("999999\n999998\n", now, W), None, "out of order");
        let far = (now + 2 * 3_600_000).to_string();
        assert_eq!(parse(&far, now, W), None, "beyond belief");
    }

    #[tokio::test(start_paused = true)]
    async fn the_local_window_spreads_requests() {
        let pacer = Pacer::local(3, Duration::from_secs(10));
        let start = Instant::now();
        for _ in 0..3 {
            pacer.acquire(|_| {}).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        pacer.acquire(|_| {}).await;
        assert_eq!(start.elapsed(), Duration::from_secs(10));
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn processes_share_the_file_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_of(dir.path(), &["t"]);
        let slots = SharedSlots {
            path: path.clone(),
            max: 2,
            window: Duration::from_secs(60),
        };
        std::fs::File::create(&path).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(slots.reserve().await.unwrap(), Duration::ZERO);
        assert_eq!(slots.reserve().await.unwrap(), Duration::ZERO);
        let third = slots.reserve().await.unwrap();
        assert!(third > Duration::from_secs(59), "{third:?}");
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 3);
        // A file others can write is not used.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert!(slots.reserve().await.is_err());
    }

    #[cfg(unix)]
    #[tokio::test(start_paused = true)]
    async fn when_the_file_fails_pacing_alone_counts_what_went_through_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = file_of(dir.path(), &["t"]);
        std::fs::File::create(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let pacer = Pacer {
            shared: Some(SharedSlots {
                path: path.clone(),
                max: 3,
                window: Duration::from_secs(60),
            }),
            alone: AtomicBool::new(false),
            local: LocalWindow::new(3, Duration::from_secs(10)),
        };
        let start = Instant::now();
        for _ in 0..3 {
            pacer.acquire(|_| {}).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 3);
        // The file turns unusable: the fourth request paces alone, and waits for the window
        // the three before it (sent through the file) still fill.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        pacer.acquire(|_| {}).await;
        assert_eq!(start.elapsed(), Duration::from_secs(10));
        assert!(pacer.alone.load(Relaxed));
        // Not tried again: usable once more, the file sees no further reservation.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        pacer.acquire(|_| {}).await;
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 3);
    }
}
