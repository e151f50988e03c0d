//! Executions of generated machines: start, describe, stop, list, history, task tokens and
//! heartbeats, and handlers that panic or get input of the wrong shape. Time is tokio's paused
//! clock.

use asl_runtime::{Failure, Status, TaskContext};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;

asl_runtime::asl!("../fixtures/approval.asl.json");
asl_runtime::asl!("../fixtures/robust.asl.json");
asl_runtime::asl!("../fixtures/single.asl.json");

async fn settle() {
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test(start_paused = true)]
async fn task_token_round_trip() {
    let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
    let machine = Approval::builder()
        .ask_for_approval(move |message: Value| {
            let tx = tx.clone();
            async move {
                tx.send(message).map_err(|e| e.to_string())?;
                Ok::<_, Failure>(json!({"MessageId": "1"}))
            }
        })
        .build();
    let execution = machine.start("ask-1", json!({"amount": 50}));
    let message = rx.recv().await.expect("the handler ran");
    let token = message["MessageBody"]["token"]
        .as_str()
        .expect("the token reached the message")
        .to_owned();
    assert_eq!(message["MessageBody"]["request"], json!({"amount": 50}));
    assert_eq!(execution.describe().status, Status::Running);
    assert_eq!(machine.running().len(), 1);

    machine.send_task_heartbeat(&token).expect("the task waits");
    machine
        .send_task_success(&token, json!({"approved": true}))
        .expect("the task waits");
    let outcome = execution.result().await;
    assert_eq!(outcome.status, Status::Succeeded);
    assert_eq!(
        outcome.output,
        Some(json!({"amount": 50, "decision": {"approved": true}}))
    );
    assert!(machine.running().is_empty());
    assert!(
        machine.send_task_success(&token, json!(1)).is_err(),
        "a used token answers nothing"
    );
}

#[tokio::test(start_paused = true)]
async fn a_token_completes_only_the_task_it_was_issued_to() {
    let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
    let machine = Approval::builder()
        .ask_for_approval(move |message: Value| {
            let tx = tx.clone();
            async move {
                tx.send(message).map_err(|e| e.to_string())?;
                Ok::<_, Failure>(json!({}))
            }
        })
        .build();
    // Two executions with the same state, started one after the other.
    let first = machine.start("same-1", json!({"n": 1}));
    let second = machine.start("same-2", json!({"n": 2}));
    let mut tokens = std::collections::HashMap::new();
    for _ in 0..2 {
        let message = rx.recv().await.expect("the handler ran");
        let token = message["MessageBody"]["token"].as_str().map(str::to_owned);
        tokens.insert(message["MessageBody"]["request"]["n"].clone(), token);
    }
    let (Some(Some(a)), Some(Some(b))) = (tokens.get(&json!(1)), tokens.get(&json!(2))) else {
        panic!("each execution handed out a token: {tokens:?}");
    };
    // 256 random bits each, not one derived from the other.
    assert_ne!(a, b);
    assert!(a.starts_with("AQ") && a.len() == 45, "{a}");
    let differing = a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count();
    assert!(differing > 20, "{a} and {b} share too much");
    // A made-up token, or one a character away from a real one, answers nothing.
    let mut near = a.clone().into_bytes();
    near[10] = if near[10] == b'A' { b'B' } else { b'A' };
    let near = String::from_utf8(near).expect("ASCII");
    assert!(machine.send_task_success(&near, json!(0)).is_err());

    machine
        .send_task_success(b, json!({"approved": "second"}))
        .expect("the second execution waits");
    let outcome = second.result().await;
    assert_eq!(
        outcome.output.map(|o| o["decision"].clone()),
        Some(json!({"approved": "second"}))
    );
    settle().await;
    assert_eq!(
        first.describe().status,
        Status::Running,
        "the first still waits"
    );
    machine
        .send_task_success(a, json!({"approved": "first"}))
        .expect("the first execution waits");
    assert_eq!(
        first.result().await.output.map(|o| o["decision"].clone()),
        Some(json!({"approved": "first"}))
    );
}

#[tokio::test(start_paused = true)]
async fn a_silent_worker_misses_its_heartbeat() {
    let machine = Approval::builder()
        .ask_for_approval(|_: Value| async { Ok::<_, Failure>(json!({})) })
        .build();
    let outcome = machine.start("", json!({})).result().await;
    assert_eq!(outcome.status, Status::Failed);
    let kinds: Vec<&str> = outcome
        .history
        .events()
        .iter()
        .map(|e| e.kind.name())
        .collect();
    assert!(kinds.contains(&"TaskTimedOut"), "{kinds:?}");
    assert_eq!(
        outcome.failure.map(|f| f.error),
        Some("NoAnswer".to_owned())
    );
}

#[tokio::test(start_paused = true)]
async fn a_token_answered_after_its_task_timed_out_is_task_timed_out() {
    let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
    let machine = Approval::builder()
        .ask_for_approval(move |message: Value| {
            let tx = tx.clone();
            async move {
                tx.send(message).map_err(|e| e.to_string())?;
                Ok::<_, Failure>(json!({}))
            }
        })
        .build();
    let execution = machine.start("late", json!({}));
    let message = rx.recv().await.expect("the handler ran");
    let token = message["MessageBody"]["token"]
        .as_str()
        .expect("a token")
        .to_owned();
    // The worker stays silent past HeartbeatSeconds.
    assert_eq!(execution.result().await.status, Status::Failed);
    assert_eq!(
        machine.send_task_success(&token, json!({})),
        Err(asl_runtime::TokenError::TaskTimedOut)
    );
    assert_eq!(
        machine.send_task_success("AQnever-issued", json!({})),
        Err(asl_runtime::TokenError::TaskDoesNotExist)
    );
}

#[tokio::test(start_paused = true)]
async fn stop_aborts_a_running_execution() {
    let machine = Robust::builder()
        .work(|v: Value| async move { Ok::<_, Failure>(v) })
        .build();
    let execution = machine.start("long", json!({}));
    settle().await;
    let d = execution.describe();
    assert_eq!((d.status, d.name.as_str()), (Status::Running, "long"));
    assert!(d.execution_arn.ends_with(":execution:Robust:long"));
    assert_eq!(
        execution.history().last().map(|e| e.kind.name()),
        Some("WaitStateEntered")
    );
    execution.stop(Some("Cancelled"), Some("the user changed their mind"));
    let history_len = {
        let outcome = execution.result().await;
        assert_eq!(outcome.status, Status::Aborted);
        assert_eq!(
            outcome.failure.and_then(|f| f.cause).as_deref(),
            Some("the user changed their mind")
        );
        outcome.history.events().len()
    };
    assert!(history_len >= 3);
    assert!(machine.running().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_panicking_handler_fails_only_its_task() {
    let machine = Robust::builder()
        .work(|_: Value| async move { panic!("bug in the worker") as Result<Value, Failure> })
        .build();
    let outcome = machine.run(json!({"job": 1})).await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    let error = outcome.output.expect("output")["error"].clone();
    assert_eq!(error["Error"], "States.TaskFailed");
    assert!(
        error["Cause"]
            .as_str()
            .is_some_and(|c| c.contains("bug in the worker"))
    );
}

/// The failure of a run of `Single` whose handler is `handler`.
async fn single_failure<A>(handler: impl asl_runtime::Handler<A>) -> Failure {
    let outcome = Single::builder().work(handler).build().run(json!({})).await;
    assert_eq!(outcome.status, Status::Failed, "{:?}", outcome.output);
    outcome.failure.expect("a failed execution has a failure")
}

#[tokio::test]
async fn a_panic_anywhere_in_a_handler_is_its_task_failure() {
    // Inside the future.
    let f =
        single_failure(
            |_: Value| async move { panic!("bug in the worker") as Result<Value, Failure> },
        )
        .await;
    assert_eq!(f.error, "States.TaskFailed");
    assert_eq!(
        f.cause.as_deref(),
        Some("The handler of Task state 'Work' panicked: bug in the worker")
    );
    // While the closure makes its future, before there is one to poll.
    let f = single_failure(
        |v: Value, ctx: TaskContext| -> std::future::Ready<Result<Value, Failure>> {
            panic!("no future for {} on {v}", ctx.state_name)
        },
    )
    .await;
    assert_eq!(
        f.cause.as_deref(),
        Some("The handler of Task state 'Work' panicked: no future for Work on {}")
    );
}

#[tokio::test]
async fn output_that_is_not_json_names_its_state() {
    // JSON object keys are strings; serde_json refuses a map keyed by pairs.
    let f = single_failure(|_: Value| async move {
        Ok::<_, Failure>(std::collections::BTreeMap::from([((1, 2), "pair")]))
    })
    .await;
    assert_eq!(f.error, "States.TaskFailed");
    assert!(
        f.cause
            .as_deref()
            .is_some_and(|c| c.starts_with("The output of Task state 'Work' is not JSON: ")),
        "{f:?}"
    );
}

#[tokio::test]
async fn a_context_handler_sees_the_call() {
    let machine = Single::builder()
        .work(|_: Value, ctx: TaskContext| async move {
            Ok::<_, Failure>(json!({
                "execution": &*ctx.execution_name,
                "arn": &*ctx.execution_arn,
                "state": &*ctx.state_name,
                "resource": &*ctx.resource,
                "retry": ctx.retry_count,
                "token": ctx.task_token,
            }))
        })
        .build();
    let config = asl_runtime::ExecutionConfig::new(machine.name(), "run-7");
    let outcome = machine.run_with(json!({}), &config).await;
    assert_eq!(
        outcome.output,
        Some(json!({
            "execution": "run-7",
            "arn": config.execution_arn,
            "state": "Work",
            "resource": "arn:aws:lambda:us-east-1:111111111111:function:work",
            "retry": 0,
            "token": null,
        }))
    );
}

#[derive(Deserialize)]
struct Job {
    #[allow(dead_code)]
    job: u32,
}

#[tokio::test(start_paused = true)]
async fn input_that_does_not_fit_the_handler_type_fails_the_task() {
    let machine = Robust::builder()
        .work(|job: Job, ctx: TaskContext| async move {
            let _ = (job, ctx);
            Ok::<_, Failure>(json!("done"))
        })
        .build();
    let ok = machine.run(json!({"job": 1})).await;
    assert_eq!(ok.output, Some(json!("done")));
    let bad = machine.run(json!({"job": "one"})).await;
    let error = bad.output.expect("caught")["error"].clone();
    assert_eq!(error["Error"], "States.TaskFailed");
    assert!(
        error["Cause"]
            .as_str()
            .is_some_and(|c| c.contains("does not fit its handler's input type")),
        "{error}"
    );
}

#[tokio::test]
async fn a_bare_task_result_over_256_kib_fails_with_data_limit_exceeded() {
    // `Single`'s one Task has no Parameters, ResultSelector or paths: the engine's shortest road.
    let f = single_failure(|_: Value| async move { Ok::<_, Failure>(json!("a".repeat(262_145))) })
        .await;
    assert_eq!(f.error, "States.DataLimitExceeded");
    let fits = Single::builder()
        .work(|_: Value| async move { Ok::<_, Failure>(json!("a".repeat(262_142))) })
        .build()
        .run(json!({}))
        .await;
    assert_eq!(fits.status, Status::Succeeded, "{:?}", fits.failure);
}

#[tokio::test]
async fn a_bare_task_records_its_events_with_input_and_output() {
    let machine = Single::builder()
        .work(|v: Value| async move { Ok::<_, Failure>(json!({"seen": v})) })
        .build();
    let outcome = machine.run(json!({"n": 1})).await;
    assert_eq!(outcome.output, Some(json!({"seen": {"n": 1}})));
    let events = outcome.history.events();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.name()).collect();
    assert_eq!(
        kinds,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded",
        ]
    );
    // As GetExecutionHistory writes them: payloads as JSON text, the resource split as AWS
    // splits it, the region from the execution's ARN.
    let scheduled = serde_json::to_value(&events[2]).expect("events serialize");
    assert_eq!(
        scheduled["taskScheduledEventDetails"],
        json!({
            "resourceType": "lambda",
            "resource": "arn:aws:lambda:us-east-1:111111111111:function:work",
            "region": "us-east-1",
            "parameters": "{\"n\":1}",
        })
    );
    assert_eq!(
        (&scheduled["id"], &scheduled["previousEventId"]),
        (&json!(3), &json!(2))
    );
    assert!(scheduled["timestamp"].is_number(), "{scheduled}");
    assert_eq!(events[4].kind.output(), Some(&json!({"seen": {"n": 1}})));
    let exited = serde_json::to_value(&events[5]).expect("events serialize");
    assert_eq!(
        exited["stateExitedEventDetails"],
        json!({"name": "Work", "output": "{\"seen\":{\"n\":1}}", "outputDetails": {"truncated": false}})
    );
}
