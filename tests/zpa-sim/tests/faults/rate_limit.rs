//! The rate limit: 429s with Retry-After, the window reset, the default budget and its
//! switch, and injected 429s that leave the budget alone.

use std::ops::RangeInclusive;
use std::time::{Duration, Instant};

use zpa_sim::{Fault, RequestRecord, Sim};

use super::*;

/// The `retry-after` seconds the simulator may have sent for a GET answered between `sent` and
/// `answered`, its window having begun during the first GET (`first`): whole seconds left,
/// rounded up, at least 1. A range, because the log cannot say exactly when within each
/// request the simulator looked at its clock; nothing here assumes how fast the machine is.
fn seconds_left(
    window: Duration,
    first: &RequestRecord,
    sent: Instant,
    answered: Instant,
) -> RangeInclusive<u64> {
    let left = |start: Instant, at: Instant| {
        ((start + window)
            .saturating_duration_since(at)
            .as_secs_f64()
            .ceil() as u64)
            .max(1)
    };
    left(first.started, answered)..=left(first.finished, sent)
}

fn retry_after_secs(headers: &reqwest::header::HeaderMap) -> u64 {
    let value = headers["retry-after"].to_str().unwrap();
    value.strip_suffix('s').unwrap().parse().unwrap()
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after_and_resets() {
    let window = Duration::from_secs(5);
    let sim = Sim::builder().rate_limit_window(5, window).start().unwrap();
    let token = oneapi_token(&sim).await;
    for i in 0..5 {
        assert_eq!(get_raw(&url(&sim), &token).await.0, 200, "GET {i}");
        // Token requests do not count.
        oneapi_token(&sim).await;
    }
    let (status, headers, body) = get_raw(&url(&sim), &token).await;
    assert_eq!(status, 429);
    assert_eq!(body, RECORDED_429);
    assert_eq!(headers["content-type"], "application/json");
    let log = sim.api_requests();
    let (first, last) = (&log[0], &log[log.len() - 1]);
    let expected = seconds_left(window, first, last.started, last.finished);
    assert!(
        expected.contains(&retry_after_secs(&headers)),
        "{headers:?}, {expected:?}"
    );
    // Other types and the list count against the same customer budget.
    let list = keys_url(&sim, Api::OneApi, "SERVICE_EDGE_GRP", "");
    assert_eq!(get_raw(&list, &token).await.0, 429);
    // The window ends `window` after its first GET.
    let wait = (first.finished + window + Duration::from_millis(20))
        .saturating_duration_since(Instant::now());
    tokio::time::sleep(wait).await;
    assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    assert_eq!(sim.count_status(429), 2);
}

#[tokio::test]
async fn retry_after_counts_whole_seconds_until_the_window_resets() {
    // Long enough that no machine is slow enough to see it end during the test.
    let window = Duration::from_secs(10);
    let sim = Sim::builder().rate_limit_window(1, window).start().unwrap();
    let token = oneapi_token(&sim).await;
    assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    let mut seen = Vec::new();
    for pause in [Duration::ZERO, Duration::from_millis(1200)] {
        tokio::time::sleep(pause).await;
        let (status, headers, _) = get_raw(&url(&sim), &token).await;
        assert_eq!(status, 429);
        let log = sim.api_requests();
        let (first, last) = (&log[0], &log[log.len() - 1]);
        let expected = seconds_left(window, first, last.started, last.finished);
        let secs = retry_after_secs(&headers);
        assert!(expected.contains(&secs), "{secs} s, expected {expected:?}");
        seen.push(secs);
    }
    assert!(seen[1] < seen[0], "the count goes down: {seen:?}");
}

#[tokio::test]
async fn the_default_limit_is_20_gets_per_10_seconds_and_can_be_switched_off() {
    let sim = Sim::builder().start().unwrap();
    let token = oneapi_token(&sim).await;
    for _ in 0..20 {
        assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    }
    let (status, headers, _) = get_raw(&url(&sim), &token).await;
    assert_eq!(status, 429);
    let secs: u64 = headers["retry-after"]
        .to_str()
        .unwrap()
        .strip_suffix('s')
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=10).contains(&secs));

    sim.set_rate_limit(false);
    for _ in 0..5 {
        assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    }
    sim.set_rate_limit(true);
    assert_eq!(get_raw(&url(&sim), &token).await.0, 429);
}

#[tokio::test]
async fn unauthenticated_requests_do_not_use_up_the_budget() {
    let sim = Sim::builder()
        .rate_limit_window(2, Duration::from_secs(10))
        .start()
        .unwrap();
    for _ in 0..5 {
        assert_eq!(get_raw(&url(&sim), "bad").await.0, 401);
    }
    let token = oneapi_token(&sim).await;
    assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    assert_eq!(get_raw(&url(&sim), &token).await.0, 429);
}

#[tokio::test]
async fn injected_429s_carry_retry_after_verbatim_and_are_not_counted() {
    let sim = Sim::builder()
        .rate_limit_window(1, Duration::from_secs(10))
        .start()
        .unwrap();
    let token = oneapi_token(&sim).await;
    let date = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(4));
    for retry_after in [
        Some("4s".to_owned()),
        Some("4".to_owned()),
        Some(date),
        None,
    ] {
        sim.inject(
            Fault::RateLimited {
                retry_after: retry_after.clone(),
            },
            1,
        );
        let (status, headers, body) = get_raw(&url(&sim), &token).await;
        assert_eq!((status, body.as_str()), (429, RECORDED_429));
        assert_eq!(
            headers
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned()),
            retry_after
        );
    }
    // The one GET the limiter allows is still there.
    assert_eq!(get_raw(&url(&sim), &token).await.0, 200);
    assert_eq!(get_raw(&url(&sim), &token).await.0, 429);
}
