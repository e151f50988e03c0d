//! `Machine::with_waits`: Wait states and Retry back-offs scaled or skipped, timeouts kept.
//! Measured on tokio's paused clock, so the times are exact.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use asl_runtime::{Failure, Machine, Status, Waits};
use serde_json::{Value, json};

asl_runtime::asl!(path = "tests/waits/slow.asl.json", name = Slow);

/// The machine; its work is busy the first time, then takes `work` to finish.
fn slow(work: Duration, waits: Waits) -> Machine {
    let calls = Arc::new(AtomicUsize::new(0));
    Slow::builder()
        .work(move |_: Value| {
            let call = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                if call == 0 {
                    return Err(Failure::new("Busy", "try later"));
                }
                tokio::time::sleep(work).await;
                Ok(json!("done"))
            }
        })
        .build()
        .with_waits(waits)
}

/// How long (on the paused clock) an execution took, and its status and error.
async fn timed(machine: Machine) -> (Duration, Status, Option<String>) {
    let start = tokio::time::Instant::now();
    let outcome = machine.run(json!({})).await;
    (
        start.elapsed(),
        outcome.status,
        outcome.failure.map(|f| f.error),
    )
}

#[tokio::test(start_paused = true)]
async fn waits_are_real_by_default() {
    let (took, status, _) = timed(slow(Duration::from_secs(5), Waits::Real)).await;
    assert_eq!(status, Status::Succeeded);
    assert_eq!(took, Duration::from_secs(60 + 100 + 5));
}

#[tokio::test(start_paused = true)]
async fn scaled_waits_shrink_the_wait_and_the_back_off_but_not_the_work() {
    let (took, status, _) = timed(slow(Duration::from_secs(5), Waits::scaled(0.01))).await;
    assert_eq!(status, Status::Succeeded);
    assert_eq!(took, Duration::from_millis(600 + 1000 + 5000));
}

#[tokio::test(start_paused = true)]
async fn skipped_waits_take_no_time_and_timeouts_still_hold() {
    let (took, status, _) = timed(slow(Duration::from_secs(5), Waits::Skipped)).await;
    assert_eq!(status, Status::Succeeded);
    assert_eq!(took, Duration::from_secs(5));
    // Work that outlasts its TimeoutSeconds still times out after the full 10 s.
    let (took, status, error) = timed(slow(Duration::from_secs(20), Waits::Skipped)).await;
    assert_eq!(status, Status::Failed);
    assert_eq!(error.as_deref(), Some("States.Timeout"));
    assert_eq!(took, Duration::from_secs(10));
}
