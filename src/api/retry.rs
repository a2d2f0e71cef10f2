//! When and how long to wait before trying a request again: the server's `retry-after` in
//! every form it takes, clamped, and jittered backoff.

use std::time::{Duration, SystemTime};

/// The longest wait a `retry-after` can ask for. Anything beyond (`1e20`, a date in the year
/// 9999) is read as this: still far more than any `--max-wait`, so zpakey gives up at once.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Parses every `retry-after` form the API uses: `4s` (ZPA's own), `4`, or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
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
pub fn backoff(attempt: u32) -> Duration {
    let base = 0.5 * 2f64.powi(attempt.min(8) as i32);
    let capped = base.min(10.0);
    let jitter = 0.75 + fastrand::f64() * 0.5;
    Duration::from_secs_f64(capped * jitter)
}

/// The wait before the next try: the server's `retry-after` is a floor, plus up to a tenth of
/// it and half a second of jitter, so that a crowd of jobs told the same thing does not come
/// back in lockstep; without one, exponential backoff.
pub fn wait_before_retry(attempt: u32, retry_after: Option<Duration>) -> Duration {
    match retry_after {
        Some(floor) => {
            floor
                + floor.mul_f64(fastrand::f64() * 0.1)
                + Duration::from_millis(fastrand::u64(50..=500))
        }
        None => backoff(attempt),
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
        for attempt in 0..20 {
            let d = backoff(attempt).as_secs_f64();
            let base = (0.5 * 2f64.powi(attempt.min(8) as i32)).min(10.0);
            assert!(d >= base * 0.75 && d <= base * 1.25, "{attempt}: {d}");
        }
        assert!(wait_before_retry(0, Some(Duration::from_secs(4))) >= Duration::from_secs(4));
    }
}
