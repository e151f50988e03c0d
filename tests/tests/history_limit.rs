//! AWS's hard quota of 25,000 events in a Standard execution's history: the execution whose
//! 25,000th event is `ExecutionSucceeded` succeeds; one whose 25,000th event would be anything
//! else fails there with `States.Runtime`, and no handler is called past the limit.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use asl_runtime::history::EventKind;
use asl_runtime::{ExecutionConfig, MAX_HISTORY_EVENTS, Outcome, Status};
use serde_json::{Value, json};

asl_runtime::asl!("../fixtures/counting.asl.json");

/// Counting to `until` without tasks makes 4 events a step and 4 more: 6,249 steps make
/// exactly 25,000.
const EXACTLY_AT_THE_LIMIT: u64 = (MAX_HISTORY_EVENTS - 4) / 4;

fn machine(calls: Arc<AtomicU64>) -> asl_runtime::Machine {
    Counting::builder()
        .work(move |input: Value| {
            let calls = calls.clone();
            async move {
                calls.fetch_add(1, Ordering::Relaxed);
                Ok::<_, asl_runtime::Failure>(input)
            }
        })
        .build()
}

async fn count(until: u64, task: bool, limit: Option<u64>) -> (Outcome, u64) {
    let calls = Arc::new(AtomicU64::new(0));
    let machine = machine(calls.clone());
    let mut config = ExecutionConfig::new("Counting", "count");
    config.history_limit = limit;
    let outcome = machine
        .run_with(json!({"n": 0, "until": until, "task": task}), &config)
        .await;
    (outcome, calls.load(Ordering::Relaxed))
}

#[tokio::test]
async fn an_execution_ending_at_the_25000th_event_succeeds() {
    let (outcome, _) = count(EXACTLY_AT_THE_LIMIT, false, Some(MAX_HISTORY_EVENTS)).await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    let events = outcome.history.events();
    assert_eq!(events.len() as u64, MAX_HISTORY_EVENTS);
    assert!(matches!(
        events.last().map(|e| &e.kind),
        Some(EventKind::ExecutionSucceeded { .. })
    ));
}

#[tokio::test]
async fn one_event_more_fails_the_execution_at_the_25000th() {
    let (outcome, _) = count(EXACTLY_AT_THE_LIMIT + 1, false, Some(MAX_HISTORY_EVENTS)).await;
    assert_eq!(outcome.status, Status::Failed);
    let failure = outcome.failure.expect("a failure");
    assert_eq!(failure.error, "States.Runtime");
    assert!(
        failure.cause.as_deref().unwrap_or("").contains("25000"),
        "{failure:?}"
    );
    let events = outcome.history.events();
    assert_eq!(events.len() as u64, MAX_HISTORY_EVENTS);
    let last = events.last().expect("events");
    assert_eq!(last.id, MAX_HISTORY_EVENTS);
    assert!(matches!(last.kind, EventKind::ExecutionFailed { .. }));
    // Ids stay contiguous up to the last.
    assert!(events.iter().zip(1..).all(|(e, id)| e.id == id));
}

#[tokio::test]
async fn no_task_is_called_past_the_limit_and_the_limit_is_the_default() {
    let calls = Arc::new(AtomicU64::new(0));
    let machine = machine(calls.clone());
    // `run` uses the default configuration: AWS's Standard quota.
    let outcome = machine
        .run(json!({"n": 0, "until": 1_000_000, "task": true}))
        .await;
    assert_eq!(outcome.status, Status::Failed);
    let scheduled = outcome
        .history
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::TaskScheduled { .. }))
        .count() as u64;
    let succeeded = outcome
        .history
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::TaskSucceeded { .. }))
        .count() as u64;
    let calls = calls.load(Ordering::Relaxed);
    assert_eq!(
        calls, succeeded,
        "a handler ran without its result recorded"
    );
    assert!(calls <= scheduled);
    assert_eq!(outcome.history.events().len() as u64, MAX_HISTORY_EVENTS);
}

#[tokio::test]
async fn without_a_limit_the_history_grows_past_it() {
    let (outcome, calls) = count(10_000, true, None).await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    assert_eq!(calls, 9_999);
    assert!(outcome.history.events().len() as u64 > MAX_HISTORY_EVENTS);
}
