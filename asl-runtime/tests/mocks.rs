//! Step Functions Local's mock configuration file: each rule of its semantics on a machine
//! with Retry, Catch, a Map under `MaxConcurrency: 1`, a `.waitForTaskToken` state and a loop.

use asl_runtime::mock::MockConfig;
use asl_runtime::{ExecutionConfig, Failure, Machine, Outcome, Status};
use serde_json::{Value, json};

asl_runtime::asl!(path = "tests/mocks/shop.asl.json", name = Shop);
asl_runtime::asl!(path = "tests/mocks/poller.asl.json", name = Poller);

fn mocks() -> MockConfig {
    MockConfig::from_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/mocks/MockConfigFile.json"
    ))
    .expect("the mock file is valid")
}

/// The shop with handlers that must not be called where a state is mocked.
fn shop() -> Machine {
    let unmocked = |state: &'static str| {
        move |_: Value| async move {
            Err::<Value, _>(Failure::new(
                "Unmocked",
                format!("{state}'s handler was called"),
            ))
        }
    };
    Shop::builder()
        .validate(|_: Value| async move { Ok::<_, Failure>(json!({"valid": "from the handler"})) })
        .charge(unmocked("Charge"))
        .pack_item(unmocked("Pack item"))
        .approve(unmocked("Approve"))
        .build()
        .with_mocks(mocks())
}

fn config(machine: &str, case: &str, name: &str) -> ExecutionConfig {
    let mut config = ExecutionConfig::new(machine, name);
    config.test_case = Some(case.to_owned());
    config
}

const ORDER: &str = r#"{"order": "o-1", "items": ["pen", "ink", "nib"]}"#;

/// Runs `case` on the shop to its end (started, for the task token).
async fn run_case(case: &str) -> Outcome {
    let execution = shop().start_with(
        serde_json::from_str(ORDER).unwrap_or_default(),
        config("Shop", case, case),
    );
    execution.result().await
}

fn scheduled(outcome: &Outcome, state: &str) -> usize {
    let events = outcome.history.events();
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind.name() == "TaskScheduled")
        .filter(|(i, _)| {
            events[..*i]
                .iter()
                .rev()
                .find_map(|e| e.kind.entered().map(|d| d.name.to_string()))
                .is_some_and(|n| n == state)
        })
        .count()
}

#[tokio::test(start_paused = true)]
async fn returns_go_through_the_result_pipeline_and_each_map_iteration_counts() {
    let outcome = run_case("HappyPath").await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    let out = outcome.output.unwrap_or_default();
    // The raw responses went through ResultSelector and ResultPath.
    assert_eq!(out["validation"], json!({"valid": true}));
    assert_eq!(out["charge"], json!({"id": "pay-1"}));
    // One iteration at a time: invocations 0, 1 and 2 of "Pack item", in item order.
    assert_eq!(
        out["boxes"],
        json!([{"box": "box-a"}, {"box": "box-b"}, {"box": "box-more"}])
    );
    // The mocked .waitForTaskToken state got a token, answered with the mock.
    assert_eq!(out["approval"], json!({"approved": true}));
}

#[tokio::test(start_paused = true)]
async fn states_the_test_case_leaves_out_keep_their_handlers() {
    let outcome = run_case("HybridPath").await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    assert_eq!(
        outcome.output.unwrap_or_default()["validation"],
        json!({"valid": "from the handler"})
    );
}

#[tokio::test(start_paused = true)]
async fn retries_consume_invocation_numbers_and_ranges_answer_each() {
    let outcome = run_case("RetryPath").await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    assert_eq!(
        scheduled(&outcome, "Charge"),
        4,
        "0 threw, 1-2 threw, 3 returned"
    );
    assert_eq!(
        outcome.output.unwrap_or_default()["charge"],
        json!({"id": "pay-4"})
    );

    // Four throws outlast three retries: the error leaves the state.
    let outcome = run_case("TooBusy").await;
    assert_eq!(outcome.status, Status::Failed);
    let failure = outcome.failure.unwrap_or_else(|| Failure::new("", ""));
    assert_eq!(failure.error, "Busy");
    assert_eq!(
        failure.cause.as_deref(),
        Some("the payment service is busy")
    );
}

#[tokio::test(start_paused = true)]
async fn a_throw_is_caught_by_catch() {
    let outcome = run_case("DeclinedPath").await;
    outcome.assert_path(&["Validate", "Charge", "Declined"]);
    assert!(outcome.visited("Declined") && !outcome.visited("Pack"));
    assert_eq!(
        outcome.failure.map(|f| f.error),
        Some("Declined".to_owned())
    );
}

#[tokio::test(start_paused = true)]
async fn an_invocation_without_an_entry_fails_the_execution_naming_it() {
    let outcome = run_case("RunsOut").await;
    assert_eq!(outcome.status, Status::Failed);
    let failure = outcome.failure.unwrap_or_else(|| Failure::new("", ""));
    assert_eq!(failure.error, "States.Runtime");
    let cause = failure.cause.unwrap_or_default();
    assert!(
        cause.contains("'Charge'") && cause.contains("invocation number 1"),
        "{cause}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_mocked_throw_answers_the_task_token_with_a_failure() {
    let outcome = run_case("Rejected").await;
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(
        outcome.failure.map(|f| f.error),
        Some("Rejected".to_owned())
    );
}

#[tokio::test(start_paused = true)]
async fn loop_passes_count_as_invocations() {
    let machine = Poller::builder()
        .poll(|_: Value| async move { Err::<Value, _>(Failure::new("Unmocked", "called")) })
        .build()
        .with_mocks(mocks());
    let outcome = machine
        .run_with(json!({}), &config("Poller", "ThreeTimes", "poll-1"))
        .await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    outcome.assert_path(&[
        "Poll", "Done?", "Wait", "Poll", "Done?", "Wait", "Poll", "Done?", "Done",
    ]);
}

#[tokio::test(start_paused = true)]
async fn an_unknown_test_case_is_named_and_nothing_runs() {
    let outcome = shop()
        .run_with(json!({}), &config("Shop", "SadPath", "sad"))
        .await;
    assert_eq!(outcome.status, Status::Failed);
    let cause = outcome.failure.and_then(|f| f.cause).unwrap_or_default();
    assert!(
        cause.contains("no test case 'SadPath'") && cause.contains("HappyPath"),
        "{cause}"
    );
    assert!(outcome.history.events().is_empty());
    let refused = shop().start_execution(json!({}), config("Shop", "SadPath", "sad-2"));
    assert!(
        matches!(refused, Err(asl_runtime::StartError::TestCase(ref e)) if e.contains("SadPath")),
        "{refused:?}"
    );
    // A machine without mocks says so.
    let bare = Poller::builder()
        .poll(|v: Value| async move { Ok::<_, Failure>(v) })
        .build();
    let outcome = bare
        .run_with(json!({}), &config("Poller", "ThreeTimes", "p"))
        .await;
    let cause = outcome.failure.and_then(|f| f.cause).unwrap_or_default();
    assert!(cause.contains("no mock configuration"), "{cause}");
}

#[tokio::test(start_paused = true)]
#[should_panic(expected = "first difference at step 3")]
async fn a_wrong_path_is_shown_side_by_side() {
    run_case("DeclinedPath")
        .await
        .assert_path(&["Validate", "Charge", "Pack", "Approve"]);
}
