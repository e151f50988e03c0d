//! The official AWS SDK for Rust (`aws-sdk-sfn`) against the example server: the same calls
//! as the boto3 flow's core (start, describe, history by pages, list with a filter, a task
//! token answered, stop) and errors as the SDK's typed errors, over a signed connection.

use aws_sdk_sfn::Client;
use aws_sdk_sfn::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sfn::types::{ExecutionStatus, HistoryEventType};
use serde_json::{Value, json};

const ORDER: &str = "arn:aws:states:us-east-1:111111111111:stateMachine:Order";
const APPROVAL: &str = "arn:aws:states:us-east-1:111111111111:stateMachine:Approval";

fn client(endpoint: &str, secret: &str) -> Client {
    let config = aws_sdk_sfn::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDRUST", secret, None, None, "test"))
        .endpoint_url(endpoint)
        // Plain HTTP to the loopback server: no TLS provider needed.
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .build();
    Client::from_conf(config)
}

async fn wait_for(
    sfn: &Client,
    arn: &str,
) -> aws_sdk_sfn::operation::describe_execution::DescribeExecutionOutput {
    for _ in 0..400 {
        let d = sfn
            .describe_execution()
            .execution_arn(arn)
            .send()
            .await
            .expect("described");
        if *d.status() != ExecutionStatus::Running {
            return d;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("{arn} still running");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rust_sdk_drives_the_server() {
    let server = asl_examples::server::builder()
        .credentials("AKIDRUST", "rust-secret")
        .bind("127.0.0.1:0")
        .build()
        .await
        .expect("the server starts");
    let endpoint = format!("http://{}", server.local_addr().expect("an address"));
    tokio::spawn(server.serve());
    let sfn = client(&endpoint, "rust-secret");

    let order = json!({"orderId": "R-1", "address": "Main St", "items": [{"price": 4.0}]});
    let started = sfn
        .start_execution()
        .state_machine_arn(ORDER)
        .name("from-rust")
        .input(order.to_string())
        .send()
        .await
        .expect("started");
    let done = wait_for(&sfn, started.execution_arn()).await;
    assert_eq!(*done.status(), ExecutionStatus::Succeeded);
    let output: Value = serde_json::from_str(done.output().unwrap_or("null")).expect("JSON");
    assert_eq!(output, json!({"trackingId": "ship-R-1"}));

    // History by pages, through the SDK's paginator.
    let events: Vec<_> = sfn
        .get_execution_history()
        .execution_arn(started.execution_arn())
        .max_results(2)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every page");
    assert_eq!(
        events.first().map(|e| e.r#type().clone()),
        Some(HistoryEventType::ExecutionStarted)
    );
    assert_eq!(
        events.last().map(|e| e.r#type().clone()),
        Some(HistoryEventType::ExecutionSucceeded)
    );
    assert!(events.iter().zip(1..).all(|(e, id)| e.id() == id));

    let listed = sfn
        .list_executions()
        .state_machine_arn(ORDER)
        .status_filter(ExecutionStatus::Succeeded)
        .send()
        .await
        .expect("listed");
    assert_eq!(listed.executions().len(), 1);

    // A task token from the history, answered.
    let ask = sfn
        .start_execution()
        .state_machine_arn(APPROVAL)
        .input(json!({"id": "e-9", "amount": 7, "employee": "lin"}).to_string())
        .send()
        .await
        .expect("started");
    let mut token = None;
    for _ in 0..400 {
        let history = sfn
            .get_execution_history()
            .execution_arn(ask.execution_arn())
            .send()
            .await
            .expect("history");
        token = history.events().iter().find_map(|e| {
            let parameters = e.task_scheduled_event_details()?.parameters();
            let parameters: Value = serde_json::from_str(parameters).ok()?;
            parameters["MessageBody"]["taskToken"]
                .as_str()
                .map(str::to_owned)
        });
        if token.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let token = token.expect("a token was handed out");
    sfn.send_task_success()
        .task_token(&token)
        .output(json!({"approved": true}).to_string())
        .send()
        .await
        .expect("answered");
    assert_eq!(
        *wait_for(&sfn, ask.execution_arn()).await.status(),
        ExecutionStatus::Succeeded
    );
    let again = sfn
        .send_task_success()
        .task_token(&token)
        .output("{}")
        .send()
        .await;
    assert!(
        again
            .err()
            .and_then(|e| e
                .into_service_error()
                .is_task_does_not_exist()
                .then_some(()))
            .is_some()
    );

    // Stop, and errors as the SDK's typed errors.
    let waiting = sfn
        .start_execution()
        .state_machine_arn(APPROVAL)
        .input(json!({"id": "e-10", "amount": 1, "employee": "lin"}).to_string())
        .send()
        .await
        .expect("started");
    sfn.stop_execution()
        .execution_arn(waiting.execution_arn())
        .error("Cancelled")
        .send()
        .await
        .expect("stopped");
    assert_eq!(
        *wait_for(&sfn, waiting.execution_arn()).await.status(),
        ExecutionStatus::Aborted
    );

    let missing = sfn
        .describe_execution()
        .execution_arn("arn:aws:states:us-east-1:111111111111:execution:Order:nope")
        .send()
        .await
        .expect_err("no such execution")
        .into_service_error();
    assert!(missing.is_execution_does_not_exist(), "{missing:?}");
    let invalid = sfn
        .describe_execution()
        .execution_arn("nope")
        .send()
        .await
        .expect_err("not an ARN")
        .into_service_error();
    assert!(invalid.is_invalid_arn(), "{invalid:?}");
    let taken = sfn
        .start_execution()
        .state_machine_arn(ORDER)
        .name("from-rust")
        .input("{}")
        .send()
        .await
        .expect_err("the name is taken")
        .into_service_error();
    assert!(taken.is_execution_already_exists(), "{taken:?}");

    // A client with the wrong secret is refused.
    let wrong = client(&endpoint, "not-the-secret");
    let refused = wrong
        .list_state_machines()
        .send()
        .await
        .expect_err("a bad signature");
    let code = refused.raw_response().map(|r| r.status().as_u16());
    assert_eq!(code, Some(400));
    assert_eq!(
        aws_sdk_sfn::error::ProvideErrorMetadata::code(&refused),
        Some("InvalidSignatureException")
    );
}
