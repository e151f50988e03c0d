//! (b) A message processor whose handler looks like a Lambda `lambda_handler(event, context)`:
//! it upper-cases `$.message` and answers `{statusCode: 200, body}`.

use asl_runtime::{Failure, Machine, TaskContext};
use serde::{Deserialize, Serialize};

asl_runtime::asl!(
    path = "../workflows/message.asl.json",
    name = MessageProcessor
);

/// The event the function receives.
#[derive(Deserialize)]
pub struct Event {
    /// The text to process.
    pub message: String,
}

/// What the function answers.
#[derive(Serialize)]
pub struct Response {
    /// HTTP-style status.
    #[serde(rename = "statusCode")]
    pub status_code: u16,
    /// The processed message.
    pub body: String,
}

/// The handler, typed: serde turns the task input into an `Event` and the `Response` back.
pub async fn lambda_handler(event: Event, _context: TaskContext) -> Result<Response, Failure> {
    Ok(Response {
        status_code: 200,
        body: event.message.to_uppercase(),
    })
}

/// The machine.
pub fn machine() -> Machine {
    MessageProcessor::builder()
        .process_message(lambda_handler)
        .build()
}

/// Processes one message, and one input that is not a message.
pub async fn demo() {
    let machine = machine();
    crate::report(
        &machine
            .run(serde_json::json!({"message": "hello from step functions"}))
            .await,
    );
    crate::report(
        &machine
            .run(serde_json::json!({"text": "no message field"}))
            .await,
    );
}
