//! Times as zpakey shows them: RFC 3339 UTC for scripts and logs, "3 days ago" for people.
//! ZPA sends epoch seconds, which a hostile server may make absurd; nothing here can panic.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since the epoch (0 for a clock before it, `i64::MAX` beyond).
pub(crate) fn epoch_secs(now: SystemTime) -> i64 {
    now.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Epoch seconds as RFC 3339 UTC (`2026-03-13T02:45:25Z`); `None` outside years 1970–9999.
pub(crate) fn rfc3339(epoch: i64) -> Option<String> {
    let secs = u64::try_from(epoch)
        .ok()
        .filter(|s| *s <= 253_402_300_799)?;
    Some(humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(secs)).to_string())
}

/// "3 days ago" / "in 2 hours", for people at a terminal.
pub(crate) fn relative(epoch: i64, now: SystemTime) -> String {
    let delta = epoch_secs(now).saturating_sub(epoch);
    let (amount, future) = (delta.unsigned_abs(), delta < 0);
    if amount < 60 {
        return "just now".into();
    }
    let (n, unit) = match amount {
        a if a < 3_600 => (a / 60, "minute"),
        a if a < 86_400 => (a / 3_600, "hour"),
        a if a < 86_400 * 31 => (a / 86_400, "day"),
        a if a < 86_400 * 365 => (a / (86_400 * 30), "month"),
        a => (a / (86_400 * 365), "year"),
    };
    let plural = if n == 1 { "" } else { "s" };
    if future {
        format!("in {n} {unit}{plural}")
    } else {
        format!("{n} {unit}{plural} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(rfc3339(1773369925).as_deref(), Some("2026-03-13T02:45:25Z"));
        assert_eq!(rfc3339(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(rfc3339(-1), None);
        assert_eq!(rfc3339(i64::MAX), None);
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(relative(1_000_000_000 - 3 * 86_400, now), "3 days ago");
        assert_eq!(relative(1_000_000_000 + 7_200, now), "in 2 hours");
        assert_eq!(relative(1_000_000_000 - 30, now), "just now");
        assert_eq!(relative(1_000_000_000 - 60, now), "1 minute ago");
    }

    #[test]
    fn absurd_times_do_not_panic() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(relative(i64::MIN, now), "292471208677 years ago");
        assert!(relative(i64::MAX, now).starts_with("in "));
    }
}
