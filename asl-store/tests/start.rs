//! StartExecution's idempotency as AWS has it for Standard workflows: starting a name again
//! while it runs with the same input returns the same execution; with another input, or after
//! it ended (even in an earlier process), it is `ExecutionAlreadyExists`. And StopExecution by
//! ARN.

use std::sync::Arc;

use asl_runtime::engine::Status;
use asl_runtime::{ExecutionConfig, Failure, Machine, StartError, Store};
use asl_store::SqliteStore;
use serde_json::{Value, json};

asl_runtime::asl!("fixtures/approval.asl.json");

/// A machine whose one Task waits for its token; the tokens handed out go to `tokens`.
fn machine(store: Arc<dyn Store>, tokens: tokio::sync::mpsc::UnboundedSender<String>) -> Machine {
    Approval::builder()
        .ask(move |message: Value| {
            let tokens = tokens.clone();
            async move {
                let token = message["MessageBody"]["token"].as_str().unwrap_or_default();
                tokens.send(token.to_owned()).map_err(|e| e.to_string())?;
                Ok::<_, Failure>(json!({"MessageId": "m-1"}))
            }
        })
        .build()
        .with_store(store)
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("asl-start-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir.join("executions.db")
}

fn config(name: &str) -> ExecutionConfig {
    ExecutionConfig::new("Approval", name)
}

#[tokio::test]
async fn starting_a_running_name_again_with_the_same_input_returns_it() {
    let path = temp("same");
    let (tx, mut tokens) = tokio::sync::mpsc::unbounded_channel();
    let m = machine(Arc::new(SqliteStore::open(&path).expect("a store")), tx);
    let first = m
        .start_execution(json!({"order": 1}), config("order-1"))
        .expect("started");
    let execution = first.execution.expect("a new execution");
    let token = tokens.recv().await.expect("the task ran");

    let again = m
        .start_execution(json!({"order": 1}), config("order-1"))
        .expect("the same execution");
    assert!(again.execution.is_none(), "nothing new was started");
    assert_eq!(
        again.description.execution_arn,
        first.description.execution_arn
    );
    assert_eq!(again.description.start_date, first.description.start_date);
    assert_eq!(again.description.status, Status::Running);

    let other = m.start_execution(json!({"order": 2}), config("order-1"));
    assert_eq!(
        other.err(),
        Some(StartError::AlreadyExists(
            first.description.execution_arn.clone()
        ))
    );

    m.send_task_success(&token, json!({"ok": true}))
        .expect("the task waits");
    assert_eq!(execution.result().await.status, Status::Succeeded);
    // Ended: the name is taken, whatever the input.
    let after = m.start_execution(json!({"order": 1}), config("order-1"));
    assert!(
        matches!(after, Err(StartError::AlreadyExists(_))),
        "{after:?}"
    );
    // Only one execution was ever recorded under the name.
    let all = m
        .list_executions(&first.description.state_machine_arn, None)
        .expect("readable");
    assert_eq!(all.len(), 1);
}

#[tokio::test]
async fn a_name_that_ended_in_an_earlier_process_is_taken() {
    let path = temp("earlier");
    {
        let (tx, mut tokens) = tokio::sync::mpsc::unbounded_channel();
        let m = machine(Arc::new(SqliteStore::open(&path).expect("a store")), tx);
        let started = m
            .start_execution(json!({}), config("once"))
            .expect("started");
        let token = tokens.recv().await.expect("the task ran");
        m.send_task_failure(&token, "Declined", "no")
            .expect("the task waits");
        let outcome = started.execution.expect("new").result().await;
        assert_eq!(outcome.status, Status::Failed);
    }
    let (tx, _tokens) = tokio::sync::mpsc::unbounded_channel();
    let m = machine(
        Arc::new(SqliteStore::open(&path).expect("the same store")),
        tx,
    );
    let again = m.start_execution(json!({}), config("once"));
    assert!(
        matches!(again, Err(StartError::AlreadyExists(_))),
        "{again:?}"
    );
}

#[tokio::test]
async fn a_running_execution_is_stopped_by_its_arn() {
    let path = temp("stop");
    let (tx, mut tokens) = tokio::sync::mpsc::unbounded_channel();
    let m = machine(Arc::new(SqliteStore::open(&path).expect("a store")), tx);
    let started = m
        .start_execution(json!({}), config("stopped"))
        .expect("started");
    tokens.recv().await.expect("the task ran");
    let arn = started.description.execution_arn.clone();
    assert!(m.stop_execution(&arn, Some("Cancelled"), Some("by the operator")));
    let outcome = started.execution.expect("new").result().await;
    assert_eq!(outcome.status, Status::Aborted);
    let kept = m.describe_execution(&arn).expect("readable").expect("kept");
    assert_eq!(kept.status, Status::Aborted);
    assert_eq!(kept.error.as_deref(), Some("Cancelled"));
    assert!(!m.stop_execution(&arn, None, None), "it runs no more");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_starts_are_committed_together_and_a_name_starts_once() {
    let path = temp("concurrent");
    let (tx, _tokens) = tokio::sync::mpsc::unbounded_channel();
    let m = machine(Arc::new(SqliteStore::open(&path).expect("a store")), tx);
    let starts: Vec<_> = (0..200)
        .map(|i| {
            let m = m.clone();
            tokio::spawn(async move {
                m.start_execution_async(json!({"n": i}), config(&format!("many-{i}")))
                    .await
            })
        })
        .collect();
    for s in starts {
        let started = s.await.expect("joined").expect("started");
        assert!(started.execution.is_some());
    }
    let same: Vec<_> = (0..20)
        .map(|_| {
            let m = m.clone();
            tokio::spawn(async move {
                m.start_execution_async(json!({"same": true}), config("once"))
                    .await
            })
        })
        .collect();
    let mut new = 0;
    for s in same {
        let started = s.await.expect("joined").expect("the same execution");
        assert!(
            started
                .description
                .execution_arn
                .ends_with(":Approval:once")
        );
        new += usize::from(started.execution.is_some());
    }
    assert_eq!(new, 1, "the name started one execution");
    let kept = m
        .list_executions(
            "arn:aws:states:us-east-1:111111111111:stateMachine:Approval",
            None,
        )
        .expect("readable");
    assert_eq!(kept.len(), 201);
    let other = m
        .start_execution_async(json!({"same": false}), config("once"))
        .await;
    assert!(
        matches!(other, Err(StartError::AlreadyExists(_))),
        "{other:?}"
    );
}
