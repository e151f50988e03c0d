//! What a Task state hands its handler, and what the handler hands back.

use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

use crate::error::Failure;

/// A boxed future, as handler tables store them.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Lets a handler report that it is alive, for tasks with `HeartbeatSeconds`.
#[derive(Clone, Debug, Default)]
pub struct Heartbeat(Option<tokio::sync::mpsc::UnboundedSender<crate::tokens::Signal>>);

impl Heartbeat {
    pub(crate) fn new(
        to: Option<tokio::sync::mpsc::UnboundedSender<crate::tokens::Signal>>,
    ) -> Self {
        Heartbeat(to)
    }

    /// Sends a heartbeat (a no-op for tasks without `HeartbeatSeconds`).
    pub fn beat(&self) {
        if let Some(to) = &self.0 {
            let _ = to.send(crate::tokens::Signal::Heartbeat);
        }
    }
}

/// Everything a handler may want to know about the call.
#[derive(Clone, Debug)]
pub struct TaskContext {
    /// The execution's name.
    pub execution_name: std::sync::Arc<str>,
    /// The execution's ARN.
    pub execution_arn: std::sync::Arc<str>,
    /// The Task state's name.
    pub state_name: std::sync::Arc<str>,
    /// The state's `Resource`.
    pub resource: std::sync::Arc<str>,
    /// How many times this state has been retried so far (0 on the first attempt).
    pub retry_count: u64,
    /// The task token, for `.waitForTaskToken` resources.
    pub task_token: Option<String>,
    /// The evaluated `Credentials`, if the state has them.
    pub credentials: Option<Value>,
    /// Sends heartbeats, for tasks with `HeartbeatSeconds`.
    pub heartbeat: Heartbeat,
}

/// The handlers of a machine, by the index the generator gave each Task state.
pub trait Dispatch: Send + Sync {
    /// Runs the handler of Task state number `handler` on `input`.
    fn call<'a>(
        &'a self,
        handler: usize,
        input: Value,
        context: TaskContext,
    ) -> BoxFuture<'a, Result<Value, Failure>>;
}

/// The envelope AWS's optimized Lambda integration (`arn:aws:states:::lambda:invoke`) puts
/// around a function's result, so definitions that read `$.Payload` work unchanged.
pub fn lambda_invoke_envelope(payload: Value) -> Value {
    let length = serde_json::to_string(&payload)
        .map_or(0, |s| s.len())
        .to_string();
    serde_json::json!({
        "ExecutedVersion": "$LATEST",
        "Payload": payload,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {
                "X-Amz-Executed-Version": ["$LATEST"],
                "x-amzn-Remapped-Content-Length": ["0"],
                "Connection": ["keep-alive"],
                "x-amzn-RequestId": "x-amzn-RequestId",
                "Content-Length": [length],
                "Date": "date",
                "X-Amzn-Trace-Id": "X-Amzn-Trace-Id",
                "Content-Type": ["application/json"],
            },
            "HttpHeaders": {
                "Connection": "keep-alive",
                "Content-Length": length,
                "Content-Type": "application/json",
                "Date": "date",
                "X-Amz-Executed-Version": "$LATEST",
                "x-amzn-Remapped-Content-Length": "0",
                "x-amzn-RequestId": "x-amzn-RequestId",
                "X-Amzn-Trace-Id": "X-Amzn-Trace-Id",
            },
            "HttpStatusCode": 200,
        },
        "SdkResponseMetadata": { "RequestId": "RequestId" },
        "StatusCode": 200,
    })
}
