//! The order workflow as a Lambda function (`order-lambda`, on `lambda_runtime`), driven
//! through the Lambda runtime API as Lambda drives it: a local runtime API hands out two
//! invocations and receives a result and a function error.

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// What the runtime API hands out and what it has been told.
#[derive(Clone)]
struct RuntimeApi {
    events: Arc<Mutex<Vec<(String, Value)>>>,
    answers: mpsc::UnboundedSender<(String, &'static str, Value)>,
}

async fn next(State(api): State<RuntimeApi>) -> (HeaderMap, String) {
    let event = api.events.lock().unwrap_or_else(|e| e.into_inner()).pop();
    let Some((id, event)) = event else {
        // No more invocations: the function waits, as on Lambda, until it is stopped.
        std::future::pending::<()>().await;
        unreachable!()
    };
    let mut headers = HeaderMap::new();
    let deadline = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() + 60_000);
    for (name, value) in [
        ("lambda-runtime-aws-request-id", id),
        ("lambda-runtime-deadline-ms", deadline.to_string()),
        (
            "lambda-runtime-invoked-function-arn",
            "arn:aws:lambda:us-east-1:111111111111:function:order".to_owned(),
        ),
        ("lambda-runtime-trace-id", "Root=1-0-0".to_owned()),
    ] {
        if let Ok(v) = value.parse() {
            headers.insert(name, v);
        }
    }
    (headers, event.to_string())
}

async fn answered(
    api: RuntimeApi,
    id: String,
    kind: &'static str,
    body: String,
) -> axum::http::StatusCode {
    let _ = api
        .answers
        .send((id, kind, serde_json::from_str(&body).unwrap_or(Value::Null)));
    axum::http::StatusCode::ACCEPTED
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_order_function_answers_lambdas_runtime_api() {
    let (tx, mut answers) = mpsc::unbounded_channel();
    let api = RuntimeApi {
        // Handed out from the back.
        events: Arc::new(Mutex::new(vec![
            (
                "req-declined".to_owned(),
                json!({"orderId": "A-2", "address": "x", "items": [{"price": 900.0}]}),
            ),
            (
                "req-good".to_owned(),
                json!({"orderId": "A-1", "address": "x", "items": [{"price": 20.0}]}),
            ),
        ])),
        answers: tx,
    };
    let app = axum::Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route(
            "/2018-06-01/runtime/invocation/{id}/response",
            post(
                |State(api): State<RuntimeApi>, Path(id): Path<String>, body: String| {
                    answered(api, id, "response", body)
                },
            ),
        )
        .route(
            "/2018-06-01/runtime/invocation/{id}/error",
            post(
                |State(api): State<RuntimeApi>, Path(id): Path<String>, body: String| {
                    answered(api, id, "error", body)
                },
            ),
        )
        .with_state(api);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, app).await });

    let mut function = Command::new(env!("CARGO_BIN_EXE_order-lambda"))
        .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "order")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("order-lambda starts");
    let mut got = Vec::new();
    for _ in 0..2 {
        let answer = tokio::time::timeout(std::time::Duration::from_secs(60), answers.recv())
            .await
            .ok()
            .flatten();
        got.push(answer.expect("the function answers"));
    }
    let _ = function.kill();
    let _ = function.wait();
    assert_eq!(
        got[0],
        (
            "req-good".to_owned(),
            "response",
            json!({"trackingId": "ship-A-1"})
        )
    );
    let (id, kind, error) = &got[1];
    assert_eq!((id.as_str(), *kind), ("req-declined", "error"));
    assert_eq!(error["errorType"], "OrderFailed");
    assert_eq!(
        error["errorMessage"],
        "The order could not be completed; any charge was refunded."
    );
}
