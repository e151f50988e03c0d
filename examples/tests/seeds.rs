//! The seeds' system through its three doors and its APIs, on one port: an HTTP route starts
//! an order and another runs the Express football machine; events put on the bus start the
//! photo and message workflows; the Step Functions API sees them all.

use std::time::Duration;

use asl_server::client::Client;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn post(addr: std::net::SocketAddr, path: &str, body: &Value) -> (u16, Value) {
    let body = body.to_string();
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("reads");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// The executions of `machine` once one has this input, each with its status.
async fn executions_with(client: &mut Client, machine: &str, input: &Value) -> Vec<Value> {
    let arn = format!("arn:aws:states:us-east-1:111111111111:stateMachine:{machine}");
    for _ in 0..200 {
        let (_, listed) = client
            .call("ListExecutions", &json!({"stateMachineArn": arn}))
            .await
            .expect("listed");
        let mut found = Vec::new();
        for e in listed["executions"].as_array().into_iter().flatten() {
            let (_, d) = client
                .call(
                    "DescribeExecution",
                    &json!({"executionArn": e["executionArn"]}),
                )
                .await
                .expect("described");
            if serde_json::from_str::<Value>(d["input"].as_str().unwrap_or("null"))
                .ok()
                .as_ref()
                == Some(input)
                && d["status"] != "RUNNING"
            {
                found.push(d);
            }
        }
        if !found.is_empty() {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no finished execution of {machine} with input {input}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seeds_system_through_its_doors() {
    let server = asl_examples::seeds::builder()
        .bind("127.0.0.1:0")
        .build()
        .await
        .expect("the server starts");
    let addr = server.local_addr().expect("an address");
    tokio::spawn(server.serve());
    let mut client = Client::connect(addr).await.expect("connects");

    // An HTTP route starts an order.
    let order = json!({"orderId": "S-1", "address": "Main St", "items": [{"price": 3.0}]});
    let (status, started) = post(addr, "/orders", &order).await;
    assert_eq!(status, 200, "{started}");
    let done = executions_with(&mut client, "Order", &order).await;
    assert_eq!(done[0]["executionArn"], started["executionArn"]);
    assert_eq!(done[0]["status"], "SUCCEEDED");

    // Another runs the Express machine and answers with its output, or its error's status.
    let (status, output) = post(addr, "/training", &json!({"TraningType": "수비수"})).await;
    assert_eq!(status, 200, "{output}");
    assert_eq!(output["log"], json!(["수비 훈련", "볼 경합 훈련"]));
    let (status, error) = post(addr, "/training", &json!({"TraningType": "심판"})).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("UnknownPosition"))
    );

    // Events on the bus start the photo and message workflows.
    let photo = asl_examples::photo::upload_event("trip/lake.jpg");
    let entries = json!({"Entries": [
        {"Source": "aws.s3", "DetailType": "Object Created", "Detail": photo["detail"].to_string()},
        {"Source": "aws.s3", "DetailType": "Object Created", "Detail": json!({"bucket": {"name": "photos"}, "object": {"key": "notes.txt"}}).to_string()},
        {"Source": "chat", "DetailType": "Message", "Detail": json!({"message": "hi"}).to_string()},
    ]});
    let (status, put) = client
        .call_events("PutEvents", &entries)
        .await
        .expect("answered");
    assert_eq!(
        (status, &put["FailedEntryCount"]),
        (200, &json!(0)),
        "{put}"
    );
    let message = executions_with(&mut client, "MessageProcessor", &json!({"message": "hi"})).await;
    assert_eq!(message[0]["status"], "SUCCEEDED");
    let arn = "arn:aws:states:us-east-1:111111111111:stateMachine:Photo";
    let mut photos = Vec::new();
    for _ in 0..200 {
        let (_, listed) = client
            .call("ListExecutions", &json!({"stateMachineArn": arn}))
            .await
            .expect("listed");
        photos = listed["executions"].as_array().cloned().unwrap_or_default();
        if !photos.is_empty() && photos.iter().all(|e| e["status"] != "RUNNING") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(photos.len(), 1, "the .jpg upload only: {photos:?}");
    let (_, d) = client
        .call(
            "DescribeExecution",
            &json!({"executionArn": photos[0]["executionArn"]}),
        )
        .await
        .expect("described");
    let input: Value = serde_json::from_str(d["input"].as_str().unwrap_or("null")).expect("JSON");
    assert_eq!(input["detail"]["object"]["key"], "trip/lake.jpg");
    assert_eq!(input["source"], "aws.s3");
}
