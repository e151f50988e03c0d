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
