//! A server restarted on its store: what the API created (a machine under a new name, its
//! tags) is served again, and an execution of it that was waiting for its task token when the
//! server went away is resumed and answered.

use std::time::Duration;

use asl_runtime::Failure;
use asl_server::Server;
use asl_server::client::Client;
use serde_json::{Value, json};

asl_runtime::asl!(path = "fixtures/approval.asl.json", name = Approval);

/// How many times the approval request was sent (its handler called).
static SENT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn machine() -> asl_runtime::Machine {
    Approval::builder()
        .ask_for_approval(|_: Value| async move {
            SENT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok::<_, Failure>(json!({"MessageId": "m"}))
        })
        .build()
}

const COPY: &str = "arn:aws:states:us-east-1:111111111111:stateMachine:Expenses";
const EXECUTION: &str = "arn:aws:states:us-east-1:111111111111:execution:Expenses:e-1";

/// A server on `store` in a runtime of its own; the runtime (dropping it is the server going
/// away, its executions cut off) and the address.
fn serve(store: &std::path::Path) -> (tokio::runtime::Runtime, std::net::SocketAddr) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let server = rt
        .block_on(
            Server::builder()
                .machine(machine())
                .store(store)
                .bind("127.0.0.1:0")
                .build(),
        )
        .expect("the server starts");
    let addr = server.local_addr().expect("an address");
    rt.spawn(server.serve());
    (rt, addr)
}

async fn call(addr: std::net::SocketAddr, op: &str, body: Value) -> (u16, Value) {
    let mut client = Client::connect(addr).await.expect("connects");
    client.call(op, &body).await.expect("answers")
}

/// The task token the execution handed out, from its history.
async fn token(addr: std::net::SocketAddr) -> String {
    for _ in 0..200 {
        let (_, history) = call(
            addr,
            "GetExecutionHistory",
            json!({"executionArn": EXECUTION}),
        )
        .await;
        let found = history["events"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|e| {
                let parameters = e["taskScheduledEventDetails"]["parameters"].as_str()?;
                let parameters: Value = serde_json::from_str(parameters).ok()?;
                parameters["MessageBody"]["taskToken"]
                    .as_str()
                    .map(str::to_owned)
            });
        if let Some(t) = found {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no token was handed out");
}

#[test]
fn created_machines_and_their_waiting_executions_survive_a_restart() {
    let dir = std::env::temp_dir().join(format!("asl-server-restart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let store = dir.join("executions.db");

    let first_token = {
        let (rt, addr) = serve(&store);
        rt.block_on(async {
            let definition = Approval::DEFINITION.source;
            let (status, created) = call(
                addr,
                "CreateStateMachine",
                json!({
                    "name": "Expenses", "definition": definition,
                    "roleArn": "arn:aws:iam::111111111111:role/expenses", "type": "STANDARD",
                    "tags": [{"key": "team", "value": "finance"}],
                }),
            )
            .await;
            assert_eq!(status, 200, "{created}");
            let (status, started) = call(
                addr,
                "StartExecution",
                json!({
                    "stateMachineArn": COPY, "name": "e-1",
                    "input": json!({"id": "x", "amount": 12, "employee": "ada"}).to_string(),
                }),
            )
            .await;
            assert_eq!(status, 200, "{started}");
            // The request went out (its handler ran): the token it carries is durable. (A
            // token seen in the history before then may be drawn again after a crash: the
            // handler that hands it out has not run.)
            while SENT.load(std::sync::atomic::Ordering::SeqCst) == 0 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            token(addr).await
        })
        // The runtime is dropped here: the server and its execution are cut off.
    };

    let (rt, addr) = serve(&store);
    rt.block_on(async {
        let (status, described) = call(
            addr,
            "DescribeStateMachine",
            json!({"stateMachineArn": COPY}),
        )
        .await;
        assert_eq!(
            status, 200,
            "the created machine is served again: {described}"
        );
        assert_eq!(
            described["roleArn"],
            "arn:aws:iam::111111111111:role/expenses"
        );
        let (_, tags) = call(addr, "ListTagsForResource", json!({"resourceArn": COPY})).await;
        assert_eq!(tags["tags"], json!([{"key": "team", "value": "finance"}]));

        let (_, execution) = call(
            addr,
            "DescribeExecution",
            json!({"executionArn": EXECUTION}),
        )
        .await;
        assert_eq!(execution["status"], "RUNNING");
        // The resumed execution waits for the token it handed out before the restart.
        assert_eq!(token(addr).await, first_token);
        let (status, answer) = call(
            addr,
            "SendTaskSuccess",
            json!({
                "taskToken": first_token, "output": json!({"approved": true}).to_string(),
            }),
        )
        .await;
        assert_eq!(status, 200, "{answer}");
        let mut done = Value::Null;
        for _ in 0..200 {
            let (_, d) = call(
                addr,
                "DescribeExecution",
                json!({"executionArn": EXECUTION}),
            )
            .await;
            done = d;
            if done["status"] != "RUNNING" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(done["status"], "SUCCEEDED", "{done}");
        assert_eq!(done["output"], json!({"paid": 12, "to": "ada"}).to_string());
    });
    drop(rt);
    let _ = std::fs::remove_dir_all(&dir);
}
