//! Hostile input: every JSONata expression runs within a budget (time, nesting, the size of
//! what it builds) and fails its state with `States.QueryEvaluationError` naming the limit;
//! every state's output is held to AWS's 256 KiB. Each case is also guarded against hanging
//! (a generous ceiling, not a speed assertion).

use std::time::Duration;

use asl_runtime::{Budget, Outcome, Status};
use serde_json::json;

asl_runtime::asl!("../fixtures/hostile.asl.json");

/// A budget small enough that the runaway cases end quickly.
const TIGHT: Budget = Budget {
    time: Duration::from_millis(200),
    memory: 1 << 20,
    depth: 500,
};

async fn run(kind: &str, budget: Budget) -> Outcome {
    let machine = Hostile::builder().build().with_budget(budget);
    tokio::time::timeout(Duration::from_secs(60), machine.run(json!({"kind": kind})))
        .await
        .unwrap_or_else(|_| panic!("the '{kind}' execution did not end"))
}

/// The failure's error and cause, for a failed outcome.
fn failed(outcome: &Outcome) -> (String, String) {
    assert_eq!(outcome.status, Status::Failed, "{:?}", outcome.output);
    let f = outcome.failure.clone().expect("a failure");
    (f.error, f.cause.unwrap_or_default())
}

#[tokio::test]
async fn an_expression_that_never_ends_stops_at_the_time_budget() {
    let (error, cause) = failed(&run("forever", TIGHT).await);
    assert_eq!(error, "States.QueryEvaluationError");
    assert!(cause.contains("D1012"), "{cause}");
    assert!(cause.contains("timeout"), "{cause}");
}

#[tokio::test]
async fn recursion_stops_at_the_depth_budget() {
    let (error, cause) = failed(&run("deep", TIGHT).await);
    assert_eq!(error, "States.QueryEvaluationError");
    assert!(cause.contains("D1011"), "{cause}");
}

#[tokio::test]
async fn a_gigabyte_string_is_refused_before_it_is_built() {
    let (error, cause) = failed(&run("pad", Budget::DEFAULT).await);
    assert_eq!(error, "States.QueryEvaluationError");
    assert!(cause.contains("memory budget"), "{cause}");
}

#[tokio::test]
async fn a_sequence_longer_than_the_memory_budget_allows_is_refused() {
    let (error, cause) = failed(&run("range", TIGHT).await);
    assert_eq!(error, "States.QueryEvaluationError");
    assert!(cause.contains("D2015"), "{cause}");
}

#[tokio::test]
async fn within_budget_the_same_functions_work() {
    let outcome = run("fine", TIGHT).await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    assert_eq!(outcome.output, Some(json!("x----|..y")));
}

#[tokio::test]
async fn an_output_over_256_kib_is_a_data_limit_failure() {
    let (error, cause) = failed(&run("big", Budget::DEFAULT).await);
    assert_eq!(error, "States.DataLimitExceeded");
    assert!(cause.contains("'Big'"), "{cause}");
}

#[tokio::test]
async fn an_input_over_256_kib_fails_the_execution_at_once() {
    let machine = Hostile::builder().build();
    let outcome = machine
        .run(json!({"kind": "fine", "padding": "x".repeat(300_000)}))
        .await;
    let (error, cause) = failed(&outcome);
    assert_eq!(error, "States.DataLimitExceeded");
    assert!(cause.contains("execution input"), "{cause}");
}

asl_runtime::asl!("../fixtures/grow.asl.json");

#[tokio::test]
async fn jsonpath_states_that_outgrow_the_limit_fail_where_they_do() {
    let s = "x".repeat(50_000);
    let format = Grow::builder()
        .build()
        .run(json!({"kind": "format", "s": s}))
        .await;
    let (error, cause) = failed(&format);
    assert_eq!(error, "States.DataLimitExceeded");
    assert!(cause.contains("'Format'"), "{cause}");
    // 100 kB doubles to 200 kB (fine), then to 400 kB (over).
    let merge = Grow::builder()
        .build()
        .run(json!({"kind": "merge", "s": "x".repeat(100_000)}))
        .await;
    let (error, cause) = failed(&merge);
    assert_eq!(error, "States.DataLimitExceeded");
    assert!(cause.contains("'MergeAgain'"), "{cause}");
}
