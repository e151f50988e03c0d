//! The workflow the crash-resume test kills processes in, with its handlers: deterministic
//! answers, real time spent (so kills land inside handlers), a first attempt that fails.

use std::time::Duration;

use asl_runtime::{Failure, Machine, TaskContext};
use serde_json::{Value, json};

asl_runtime::asl!("../fixtures/durable.asl.json");

/// The state machine's ARN, as executions started with default names have it.
pub const MACHINE_ARN: &str = "arn:aws:states:us-east-1:111111111111:stateMachine:Durable";

/// The input of execution number `i`.
pub fn input(i: u64) -> Value {
    json!({"n": i, "items": [1, 2, 3, 4, 5]})
}

/// The execution name of execution number `i`.
pub fn name(i: u64) -> String {
    format!("run-{i}")
}

async fn pause(ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

/// The machine with its handlers.
pub fn machine() -> Machine {
    Durable::builder()
        .prepare(|input: Value, ctx: TaskContext| async move {
            pause(3).await;
            if ctx.retry_count == 0 {
                return Err(Failure::new("Flaky", "the first attempt fails"));
            }
            Ok::<_, Failure>(json!(input["n"].as_i64().unwrap_or(0) * 2))
        })
        .left(|input: Value| async move {
            pause(2).await;
            Ok::<_, Failure>(json!(format!("L{}", input["n"])))
        })
        .right(|input: Value| async move {
            pause(4).await;
            Ok::<_, Failure>(json!(format!("R{}", input["n"])))
        })
        .work(|item: Value| async move {
            let n = item.as_u64().unwrap_or(0);
            pause(1 + n % 3).await;
            Ok::<_, Failure>(json!(n * 10))
        })
        .child(|item: Value| async move {
            let n = item.as_u64().unwrap_or(0);
            pause(1 + n % 2).await;
            Ok::<_, Failure>(json!(n + 100))
        })
        .finish(|input: Value| async move {
            pause(2).await;
            Ok::<_, Failure>(json!({
                "n": input["n"],
                "both": input["both"],
                "done": input["done"],
                "spread": input["spread"],
                "sum": input["mark"]["sum"],
                "id": input["mark"]["id"],
            }))
        })
        .build()
}
