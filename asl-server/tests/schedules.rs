//! Schedule rules under tokio's paused clock: a day of `rate(1 hour)` and a daily
//! `cron(0 12 * * ? *)` run in no real time, each firing starting its target once.

use std::time::Duration;

use asl_runtime::Failure;
use asl_server::events::transform::TargetInput;
use asl_server::{EventRule, Server};
use serde_json::{Value, json};

asl_runtime::asl!(path = "fixtures/approval.asl.json", name = Approval);

#[tokio::test(start_paused = true)]
async fn a_day_of_schedules_fires_each_on_time() {
    let machine = Approval::builder()
        .ask_for_approval(|_: Value| async move { Ok::<_, Failure>(json!({})) })
        .build();
    let _server = Server::builder()
        .machine(machine.clone())
        .rule(EventRule::on_schedule("hourly", "rate(1 hour)").target("Approval"))
        .rule(
            EventRule::on_schedule("noon", "cron(0 12 * * ? *)")
                .target_with("Approval", TargetInput::Constant(json!({"noon": true}))),
        )
        .bind("127.0.0.1:0")
        .build()
        .await
        .expect("the server starts");
    // A day and a minute pass (in no real time: the clock is paused and jumps to each timer).
    tokio::time::sleep(Duration::from_secs(24 * 3600 + 60)).await;
    let started = machine
        .list_executions(
            "arn:aws:states:us-east-1:111111111111:stateMachine:Approval",
            None,
        )
        .expect("listed");
    let noon = started
        .iter()
        .filter(|d| d.input == json!({"noon": true}))
        .count();
    let hourly: Vec<_> = started
        .iter()
        .filter(|d| d.input["detail-type"] == "Scheduled Event")
        .collect();
    assert_eq!(hourly.len(), 24, "every hour of the day, once");
    assert_eq!(noon, 1, "noon comes once a day");
    let event = &hourly[0].input;
    assert_eq!(event["source"], "aws.events");
    assert_eq!(
        event["resources"],
        json!(["arn:aws:events:us-east-1:111111111111:rule/hourly"])
    );
}

#[tokio::test(start_paused = true)]
async fn a_start_that_keeps_failing_is_retried_for_a_day_then_recorded_as_failed() {
    let dir = std::env::temp_dir().join(format!("asl-schedule-retry-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let store: std::sync::Arc<dyn asl_runtime::Store> = std::sync::Arc::new(
        asl_store::SqliteStore::open(dir.join("executions.db")).expect("a store"),
    );
    let machine = Approval::builder()
        .ask_for_approval(|_: Value| async move { Ok::<_, Failure>(json!({})) })
        .build();
    // The rule's target names a machine the server does not serve: every start fails.
    let _server = Server::builder()
        .machine(machine)
        .with_store(store.clone())
        .rule(EventRule::on_schedule("once-a-day", "rate(1 day)").target("Missing"))
        .bind("127.0.0.1:0")
        .build()
        .await
        .expect("the server starts");
    // The first firing comes after a day; its delivery is retried for a day after that.
    tokio::time::sleep(Duration::from_secs(24 * 3600 + 30)).await;
    let pending = store.resources("event-delivery").expect("readable");
    assert_eq!(pending.len(), 1, "the firing's start is owed and retried");
    assert!(
        store
            .resources("event-delivery-failed")
            .expect("readable")
            .is_empty()
    );
    tokio::time::sleep(Duration::from_secs(24 * 3600 + 600)).await;
    let failed = store.resources("event-delivery-failed").expect("readable");
    assert!(!failed.is_empty(), "given up after a day of retries");
    let (_, record) = &failed[0];
    assert!(
        record["attempts"].as_u64().is_some_and(|a| a > 10),
        "{record}"
    );
    assert!(
        record["error"]
            .as_str()
            .is_some_and(|e| e.contains("StateMachineDoesNotExist")),
        "{record}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
