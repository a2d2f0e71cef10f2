//! The retry budget: how long to wait before trying again (the server's `retry-after` in
//! every form it takes, clamped; jittered backoff otherwise) and when to give up: `--max-wait`
//! is wall time for the whole command, shared by every request in flight.

use std::time::{Duration, SystemTime};

use super::Client;
use super::transport::Retry;
use crate::error::{Error, Result};
use crate::log;

/// The longest wait a `retry-after` can ask for. Anything beyond (`1e20`, a date in the year
/// 9999) is read as this: still far more than any `--max-wait`, so zpakey gives up at once.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Parses every `retry-after` form the API uses: `4s` (ZPA's own), `4`, or an HTTP date.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let number = value.strip_suffix(['s', 'S']).unwrap_or(value).trim();
    if let Ok(secs) = number.parse::<f64>() {
        return (secs >= 0.0).then(|| {
            Duration::try_from_secs_f64(secs.min(MAX_RETRY_AFTER.as_secs_f64()))
                .unwrap_or(MAX_RETRY_AFTER)
        });
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(MAX_RETRY_AFTER),
    )
}

/// Exponential backoff with ±25 % jitter: 0.5 s, 1 s, 2 s, … capped at 10 s.
pub(crate) fn backoff(attempt: u32) -> Duration {
    let base = 0.5 * 2f64.powi(attempt.min(8) as i32);
    let capped = base.min(10.0);
    let jitter = 0.75 + fastrand::f64() * 0.5;
    Duration::from_secs_f64(capped * jitter)
}

/// The wait before the next try: the server's `retry-after` is a floor, plus up to a tenth of
/// it and half a second of jitter, so that a crowd of jobs told the same thing does not come
/// back in lockstep; without one, exponential backoff.
pub(crate) fn wait_before_retry(attempt: u32, retry_after: Option<Duration>) -> Duration {
    match retry_after {
        Some(floor) => {
            floor
                + floor.mul_f64(fastrand::f64() * 0.1)
                + Duration::from_millis(fastrand::u64(50..=500))
        }
        None => backoff(attempt),
    }
}

/// A failed attempt that may be retried, as [`Client::wait_to_retry`] reports it.
pub(super) struct Failed<'a> {
    /// "GET key 58856 (CONNECTOR_GRP)", "sign-in"
    pub(super) what: &'a str,
    /// Scheme, host and path (no query) of the request.
    pub(super) url: &'a str,
    pub(super) retry: Retry,
}

impl Client {
    /// Sleeps before another try, or gives up when `--max-wait` is spent. The budget is wall
    /// time since the client was made, shared by every request of the command, so concurrent
    /// waits are not added up. When the next wait would pass the deadline, one last attempt
    /// is made at the deadline; a server asking for more than the whole budget is given up on
    /// at once.
    pub(super) async fn wait_to_retry(&self, failed: Failed<'_>, attempt: &mut u32) -> Result<()> {
        *attempt += 1;
        let wait = wait_before_retry(*attempt - 1, failed.retry.retry_after);
        let spent = self.started.elapsed();
        let budget = self.settings.max_wait;
        let left = budget.saturating_sub(spent);
        let hopeless = failed.retry.retry_after.is_some_and(|ra| ra > budget);
        if hopeless || left.is_zero() {
            let why = match failed.retry.retry_after {
                Some(ra) if hopeless => format!(
                    "the API asked to wait {} s, more than --max-wait {} s allows",
                    ra.as_secs_f64().ceil(),
                    budget.as_secs_f64()
                ),
                _ => format!("--max-wait {} s is used up", budget.as_secs_f64()),
            };
            let error = Error::api(format!(
                "gave up on {} after {attempt} attempt{} in {:.1} s: {why}",
                failed.what,
                if *attempt == 1 { "" } else { "s" },
                spent.as_secs_f64()
            ))
            .detail(format!(
                "  last answer from {}: {}",
                failed.url, failed.retry.reason
            ));
            return Err(if failed.retry.rate_limited {
                error.hint("ZPA allows 20 GETs per 10 s per tenant; raise --max-wait (or ZPAKEY_MAX_WAIT) if other jobs share the limit")
            } else {
                error.hint("check the network path to ZPA (HTTPS_PROXY, NO_PROXY) or try again later; --max-wait (or ZPAKEY_MAX_WAIT) allows longer")
            });
        }
        let wait = wait.min(left);
        let note = format!(
            "{}: {}; retrying in {:.1} s",
            failed.what,
            failed.retry.reason,
            wait.as_secs_f64()
        );
        (self.status)(note.clone());
        log::info(format_args!("{note}"));
        tokio::time::sleep(wait).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_784_000_000);
        assert_eq!(parse_retry_after("4s", now), Some(Duration::from_secs(4)));
        assert_eq!(parse_retry_after("13", now), Some(Duration::from_secs(13)));
        assert_eq!(parse_retry_after(" 2S ", now), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after("0.5", now),
            Some(Duration::from_millis(500))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(parse_retry_after(&date, now), Some(Duration::from_secs(7)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(7));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("NaN", now), None);
        for huge in ["1e20", "1e20s", "inf", "18446744073709551616"] {
            assert_eq!(
                parse_retry_after(huge, now),
                Some(MAX_RETRY_AFTER),
                "{huge}"
            );
        }
        let far =
            httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_000));
        assert_eq!(parse_retry_after(&far, now), Some(MAX_RETRY_AFTER));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        // The documented sequence, written out: 0.5 s, doubling, capped at 10 s, ±25 %.
        let bases = [
            0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0,
        ];
        for (attempt, base) in (0..).zip(bases) {
            for _ in 0..20 {
                let d = backoff(attempt).as_secs_f64();
                assert!(d >= base * 0.75 && d <= base * 1.25, "{attempt}: {d}");
            }
        }
        assert!(backoff(40) <= Duration::from_secs_f64(12.5));
        assert!(wait_before_retry(0, Some(Duration::from_secs(4))) >= Duration::from_secs(4));
    }
}
