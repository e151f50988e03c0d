//! An expense waits for a person's approval: the request goes out with a task token (here, to
//! the log of whoever runs the example: a real deployment sends it to a queue), and the
//! execution waits until SendTaskSuccess or SendTaskFailure answers it.

use asl_runtime::{Failure, Machine};
use serde_json::{Value, json};

asl_runtime::asl!(path = "../workflows/approval.asl.json", name = Approval);

/// The machine. The request "sent" for approval is reported without its token: tokens are
/// secrets (whoever holds one decides the task). The token is in the execution's history, in
/// the `TaskScheduled` event's parameters, as AWS shows it.
pub fn machine() -> Machine {
    Approval::builder()
        .ask_for_approval(|message: Value| async move {
            let expense = &message["MessageBody"]["expense"];
            println!(
                "approval requested: {} for {}",
                expense["amount"], expense["employee"]
            );
            Ok::<_, Failure>(json!({"MessageId": uuid_like(expense)}))
        })
        .build()
}

/// A message id for the request (stable for the same expense).
fn uuid_like(expense: &Value) -> String {
    format!("msg-{}", expense["id"].as_str().unwrap_or("expense"))
}
