//! Compiled machines on a real Temporal server (the CLI's development server): executions run
//! as workflows, their handlers as activities, and give the same output and the same AWS
//! history as when they run in process.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use asl_runtime::engine::Status;
use asl_runtime::{Failure, Machine, TaskContext};
use asl_temporal::{Executions, TemporalWorker};
use serde_json::{Value, json};

asl_runtime::asl!(
    path = "../examples/workflows/fulfilment.asl.json",
    name = Fulfilment
);

/// The fulfilment machine: the check fails once with `Flaky` for orders whose id ends in
/// "flaky", items are priced at 10 per unit, and the approval's handler answers its own token
/// (through `approver`, which sends SendTaskSuccess as a person would) unless the order's id
/// starts with "hold".
fn fulfilment(approver: Approver, flaky: Arc<AtomicU32>) -> Machine {
    Fulfilment::builder()
        .check_order(move |order: Value| {
            let flaky = flaky.clone();
            async move {
                let id = order["id"].as_str().unwrap_or_default().to_owned();
                if id.ends_with("flaky") && flaky.fetch_add(1, Ordering::SeqCst) == 0 {
                    return Err(Failure::new("Flaky", "the check service hiccuped"));
                }
                Ok::<_, Failure>(json!({"ok": true, "id": id}))
            }
        })
        .price_item(|item: Value| async move {
            Ok::<_, Failure>(json!(item["units"].as_u64().unwrap_or(0) * 10))
        })
        .approve(move |message: Value| {
            let approver = approver.clone();
            async move {
                let token = message["MessageBody"]["taskToken"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                let hold = message["MessageBody"]["order"]
                    .as_str()
                    .is_some_and(|id| id.starts_with("hold"));
                match approver {
                    _ if hold => {}
                    Approver::Temporal(approver) => {
                        tokio::spawn(async move {
                            tokio::time::sleep(Duration::from_millis(200)).await;
                            let _ = approver
                                .send_task_success(&token, json!({"by": "ada"}))
                                .await;
                        });
                    }
                    Approver::Local(to) => {
                        let _ = to.send(token);
                    }
                }
                Ok::<_, Failure>(json!({"MessageId": "m-1"}))
            }
        })
        .build()
}

/// Who answers the approval's token.
#[derive(Clone)]
enum Approver {
    /// SendTaskSuccess through Temporal.
    Temporal(Executions),
    /// The test, handed the token, for an execution in process.
    Local(tokio::sync::mpsc::UnboundedSender<String>),
}

asl_runtime::asl!(
    path = "tests/workflows/distributed.asl.json",
    name = Distributed
);

/// Doubles each item; a distributed Map runs each call in a child execution.
fn distributed() -> Machine {
    Distributed::builder()
        .double(|n: Value| async move { Ok::<_, Failure>(json!(n.as_i64().unwrap_or(0) * 2)) })
        .build()
}

asl_runtime::asl!(
    path = "tests/workflows/heartbeats.asl.json",
    name = Heartbeats
);

/// Works 4 seconds, beating every half second when its input says `beat`.
fn heartbeats() -> Machine {
    Heartbeats::builder()
        .work(|input: Value, call: TaskContext| async move {
            for _ in 0..8 {
                tokio::time::sleep(Duration::from_millis(500)).await;
                if input["beat"] == json!(true) {
                    call.heartbeat.beat();
                }
            }
            Ok::<_, Failure>(json!("done"))
        })
        .build()
}

const QUEUE: &str = "asl-temporal-tests";

/// The event types of a history, sorted (concurrent Map items interleave differently from
/// run to run).
fn kinds(events: &[asl_runtime::history::Event]) -> Vec<String> {
    let mut k: Vec<String> = events
        .iter()
        .map(|e| {
            serde_json::to_value(e).expect("json")["type"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    k.sort();
    k
}

/// The same execution in process: its history.
async fn in_process(input: Value) -> Vec<asl_runtime::history::Event> {
    let (tx, mut tokens) = tokio::sync::mpsc::unbounded_channel();
    let machine = fulfilment(Approver::Local(tx), Arc::default());
    let execution = machine.start("o-1-flaky", input);
    let token = tokens.recv().await.expect("a token");
    machine
        .send_task_success(&token, json!({"by": "ada"}))
        .expect("answered");
    execution.result().await.history.events().to_vec()
}

#[test]
fn executions_run_on_temporal_as_they_run_in_process() {
    let Some(server) = support::dev_server("executions_run_on_temporal") else {
        return;
    };
    let address = server.address().to_owned();
    let worker = TemporalWorker::spawn({
        let address = address.clone();
        move || async move {
            let client = asl_temporal::connect(&address, "default").await?;
            let approver = Approver::Temporal(Executions::new(client.clone(), QUEUE));
            TemporalWorker::builder(QUEUE)
                .machine(fulfilment(approver, Arc::default()))
                .machine(distributed())
                .machine(heartbeats())
                .build(client)
        }
    })
    .expect("the worker polls");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let client = asl_temporal::connect(&address, "default")
            .await
            .expect("connects");
        let executions = Executions::new(client, QUEUE);
        let input = json!({"id": "o-1-flaky", "items": [{"units": 1}, {"units": 3}]});
        let started = executions
            .start("Fulfilment", "o-1-flaky", input.clone())
            .await
            .expect("starts");
        assert!(started.started);
        // The same name and input while it runs: the same execution (StartExecution is
        // idempotent); another input: ExecutionAlreadyExists.
        let again = executions
            .start("Fulfilment", "o-1-flaky", input.clone())
            .await
            .expect("the same execution");
        assert!(!again.started);
        assert_eq!(again.execution_arn, started.execution_arn);
        let other = executions
            .start("Fulfilment", "o-1-flaky", json!({"id": "other"}))
            .await;
        assert_eq!(
            other.map_err(|e| e.aws_code()),
            Err("ExecutionAlreadyExists")
        );

        let ended = executions
            .result(&started.execution_arn)
            .await
            .expect("ends");
        assert_eq!(ended.status, Status::Succeeded, "{ended:?}");
        assert_eq!(
            ended.output,
            Some(json!({"id": "o-1-flaky", "ok": true, "prices": [10, 30], "approvedBy": "ada"}))
        );

        // The history is the one the same execution has in process (the token aside, which
        // is drawn differently, and the times).
        let history = executions
            .history(&started.execution_arn)
            .await
            .expect("a history");
        let temporal_kinds = kinds(&history);
        assert_eq!(history.first().map(|e| e.id), Some(1));
        assert_eq!(
            temporal_kinds,
            kinds(&in_process(input.clone()).await),
            "the same events as in process"
        );
        assert_eq!(
            temporal_kinds.iter().filter(|k| *k == "TaskFailed").count(),
            1,
            "the flaky check failed once, and was retried"
        );

        // Its Temporal history replays under the same machine, not under a changed one.
        let recorded = executions
            .temporal_history(&started.execution_arn)
            .await
            .expect("a Temporal history");
        support::replays(&recorded).await;
        // ASL_RECORD_HISTORIES=NAME keeps it as tests/histories/NAME.json.
        if let Ok(name) = std::env::var("ASL_RECORD_HISTORIES") {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/histories")
                .join(format!("{name}.json"));
            std::fs::write(path, &recorded).expect("written");
        }

        // A token nobody issued, and a malformed one.
        let stranger = executions
            .send_task_success(&started_token_like(), json!({}))
            .await;
        assert_eq!(stranger.map_err(|e| e.aws_code()), Err("TaskDoesNotExist"));
        let malformed = executions.send_task_success("nope", json!({})).await;
        assert_eq!(malformed.map_err(|e| e.aws_code()), Err("InvalidToken"));

        // Stopped while it waits for its approval (nobody answers this one's token).
        let waiting = executions
            .start("Fulfilment", "hold-2", json!({"id": "hold-2", "items": []}))
            .await
            .expect("starts");
        // Let it reach the token task.
        tokio::time::sleep(Duration::from_secs(3)).await;
        executions
            .stop(
                &waiting.execution_arn,
                Some("Cancelled"),
                Some("the customer changed their mind"),
            )
            .await
            .expect("stops");
        let stopped = executions
            .result(&waiting.execution_arn)
            .await
            .expect("ends");
        assert_eq!(stopped.status, Status::Aborted);
        assert_eq!(stopped.error.as_deref(), Some("Cancelled"));

        // A distributed Map's items run as child workflows, and give what they give in
        // process.
        let input = json!({"items": [1, 2, 3]});
        let started = executions
            .start("Distributed", "d-1", input.clone())
            .await
            .expect("starts");
        let ended = executions
            .result(&started.execution_arn)
            .await
            .expect("ends");
        let local = distributed().run(input).await;
        assert_eq!(ended.status, Status::Succeeded, "{ended:?}");
        assert_eq!(ended.output, local.output);
        assert_eq!(ended.output, Some(json!([2, 4, 6])));
        let children = executions
            .client()
            .count_workflows(
                "WorkflowId STARTS_WITH 'Distributed/d-1/'",
                Default::default(),
            )
            .await
            .expect("counts");
        assert_eq!(children.count(), 3, "one child workflow per item");

        // A handler's heartbeats reach its execution from the activity: with them the task
        // outlives its HeartbeatSeconds; without them it times out.
        let beating = executions
            .start("Heartbeats", "beating", json!({"beat": true}))
            .await
            .expect("starts");
        let silent = executions
            .start("Heartbeats", "silent", json!({"beat": false}))
            .await
            .expect("starts");
        let beating = executions
            .result(&beating.execution_arn)
            .await
            .expect("ends");
        assert_eq!(beating.output, Some(json!("done")), "{beating:?}");
        let silent = executions
            .result(&silent.execution_arn)
            .await
            .expect("ends");
        assert_eq!(silent.status, Status::Failed);
        assert_eq!(silent.error.as_deref(), Some("States.HeartbeatTimeout"));

        let listed = executions
            .list(
                "arn:aws:states:us-east-1:111111111111:stateMachine:Fulfilment",
                10,
            )
            .await
            .expect("lists");
        let mut names: Vec<(String, Status)> =
            listed.iter().map(|d| (d.name.clone(), d.status)).collect();
        names.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            names,
            vec![
                ("hold-2".to_owned(), Status::Aborted),
                ("o-1-flaky".to_owned(), Status::Succeeded)
            ]
        );
    });
    worker.stop().expect("the worker ends cleanly");
}

/// A well-formed token that routes to an execution that does not exist.
fn started_token_like() -> String {
    use base64::Engine as _;
    let mut bytes = vec![7u8; 32];
    bytes.extend_from_slice(b"Fulfilment/nobody");
    format!(
        "AQ{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}
