//! The protocol's edges over raw HTTP: wrong content types, unknown or missing targets,
//! malformed and oversized bodies, members of the wrong type each get a 4xx with AWS's error
//! shape, the server goes on answering, and what it keeps is untouched.

use std::time::Duration;

use asl_runtime::Failure;
use asl_server::Server;
use serde_json::{Value, json};

mod support;

asl_runtime::asl!("fixtures/greet.asl.json");

/// A server with the Greet machine on a free port; its address.
async fn server() -> std::net::SocketAddr {
    let machine = Greet::builder()
        .greet(|input: Value| async move {
            Ok::<_, Failure>(json!(format!(
                "hello {}",
                input["name"].as_str().unwrap_or("")
            )))
        })
        .build();
    let server = Server::builder()
        .machine(machine)
        .bind("127.0.0.1:0")
        .build()
        .await
        .expect("the server starts");
    let addr = server.local_addr().expect("an address");
    tokio::spawn(server.serve());
    addr
}

/// One `POST /` exchange: the status and the body.
async fn exchange(
    addr: std::net::SocketAddr,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let (status, _, body) = support::http(addr, "POST", "/", headers, body).await;
    (status, body)
}

async fn call(addr: std::net::SocketAddr, target: &str, body: &[u8]) -> (u16, Value) {
    let (status, text) = exchange(
        addr,
        &[
            ("Content-Type", "application/x-amz-json-1.0"),
            ("X-Amz-Target", target),
        ],
        body,
    )
    .await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn code(answer: &Value) -> &str {
    answer["__type"]
        .as_str()
        .and_then(|t| t.rsplit('#').next())
        .unwrap_or("")
}

const MACHINE: &str = "arn:aws:states:us-east-1:111111111111:stateMachine:Greet";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_4xx_errors_and_nothing_kept_changes() {
    let addr = server().await;
    let start = json!({"stateMachineArn": MACHINE, "name": "kept", "input": "{\"name\": \"Ada\"}"});
    let (status, started) = call(
        addr,
        "AWSStepFunctions.StartExecution",
        start.to_string().as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "{started}");

    let (status, answer) = exchange(
        addr,
        &[
            ("Content-Type", "text/plain"),
            ("X-Amz-Target", "AWSStepFunctions.ListStateMachines"),
        ],
        b"{}",
    )
    .await;
    assert_eq!(status, 415, "{answer}");
    assert!(answer.contains("application/x-amz-json-1.0"), "{answer}");

    let (status, answer) = exchange(
        addr,
        &[("Content-Type", "application/x-amz-json-1.0")],
        b"{}",
    )
    .await;
    assert_eq!(status, 400);
    assert!(answer.contains("UnknownOperationException"), "{answer}");

    let (status, answer) = call(addr, "AWSStepFunctions.CreateActivity", b"{}").await;
    assert_eq!(
        (status, code(&answer)),
        (400, "UnknownOperationException"),
        "{answer}"
    );
    assert!(
        answer["message"]
            .as_str()
            .unwrap_or("")
            .contains("CreateActivity")
    );

    for body in [&b"{not json"[..], b"[1, 2]", b"\"text\"", b"\xff\xfe"] {
        let (status, answer) = call(addr, "AWSStepFunctions.ListStateMachines", body).await;
        assert_eq!(
            (status, code(&answer)),
            (400, "SerializationException"),
            "{answer}"
        );
    }

    let (status, answer) = call(
        addr,
        "AWSStepFunctions.DescribeExecution",
        br#"{"executionArn": 7}"#,
    )
    .await;
    assert_eq!(
        (status, code(&answer)),
        (400, "SerializationException"),
        "{answer}"
    );
    let (status, answer) = call(addr, "AWSStepFunctions.DescribeExecution", b"{}").await;
    assert_eq!(
        (status, code(&answer)),
        (400, "ValidationException"),
        "{answer}"
    );
    assert_eq!(
        answer["message"],
        "1 validation error detected: Value 'null' at 'executionArn' failed to satisfy constraint: Member must not be null"
    );

    let huge = format!(
        r#"{{"stateMachineArn": "{MACHINE}", "input": "{}"}}"#,
        "x".repeat(3 * 1024 * 1024)
    );
    let (status, answer) = call(addr, "AWSStepFunctions.StartExecution", huge.as_bytes()).await;
    assert_eq!(status, 413, "{answer}");

    let input_too_big =
        json!({"stateMachineArn": MACHINE, "input": format!("\"{}\"", "x".repeat(300_000))});
    let (status, answer) = call(
        addr,
        "AWSStepFunctions.StartExecution",
        input_too_big.to_string().as_bytes(),
    )
    .await;
    assert_eq!(
        (status, code(&answer)),
        (400, "ValidationException"),
        "{answer}"
    );

    // Still serving, and the execution started first is as it was.
    let describe = json!({"executionArn": started["executionArn"]});
    let mut described = Value::Null;
    for _ in 0..100 {
        let (status, answer) = call(
            addr,
            "AWSStepFunctions.DescribeExecution",
            describe.to_string().as_bytes(),
        )
        .await;
        assert_eq!(status, 200, "{answer}");
        described = answer;
        if described["status"] != "RUNNING" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(described["status"], "SUCCEEDED");
    assert_eq!(described["output"], "\"hello Ada\"");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers() {
    let addr = server().await;
    let (status, _, body) = support::http(addr, "GET", "/health", &[], b"").await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(r#""status":"ok""#) && body.contains(r#""store":"memory""#),
        "{body}"
    );
}

#[tokio::test]
async fn a_public_address_without_credentials_is_refused() {
    let refused = Server::builder().bind("0.0.0.0:0").build().await;
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("reachable from other machines"),
        "{message}"
    );
    let allowed = Server::builder()
        .bind("0.0.0.0:0")
        .credentials("AKID", "secret")
        .build()
        .await;
    assert!(
        allowed.is_ok(),
        "with credentials a public address is allowed"
    );
}
