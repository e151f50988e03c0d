//! What a Task state hands its handler, and what the handler hands back.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::Value;

use crate::error::Failure;

/// A boxed future, as handler tables store them.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Lets a handler report that it is alive, for tasks with `HeartbeatSeconds`.
#[derive(Clone, Default)]
pub struct Heartbeat(Beat);

#[derive(Clone, Default)]
enum Beat {
    /// A task without HeartbeatSeconds: beats go nowhere.
    #[default]
    Nowhere,
    /// To the waiting task in this process.
    Channel(tokio::sync::mpsc::UnboundedSender<crate::tokens::Signal>),
    /// To wherever the function takes them (a task run in another process).
    Function(Arc<dyn Fn() + Send + Sync>),
}

impl std::fmt::Debug for Heartbeat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            Beat::Nowhere => "Heartbeat(nowhere)",
            Beat::Channel(_) => "Heartbeat(channel)",
            Beat::Function(_) => "Heartbeat(function)",
        })
    }
}

impl Heartbeat {
    pub(crate) fn new(
        to: Option<tokio::sync::mpsc::UnboundedSender<crate::tokens::Signal>>,
    ) -> Self {
        Heartbeat(to.map_or(Beat::Nowhere, Beat::Channel))
    }

    /// Heartbeats that call `beat`: for backends that run a handler away from its execution
    /// (see [`Machine::perform`](crate::Machine::perform)) and carry each beat back.
    pub fn from_fn(beat: impl Fn() + Send + Sync + 'static) -> Self {
        Heartbeat(Beat::Function(Arc::new(beat)))
    }

    /// Sends a heartbeat (a no-op for tasks without `HeartbeatSeconds`).
    pub fn beat(&self) {
        match &self.0 {
            Beat::Nowhere => {}
            Beat::Channel(to) => {
                let _ = to.send(crate::tokens::Signal::Heartbeat);
            }
            Beat::Function(f) => f(),
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
    /// The id of this call's TaskScheduled event in the execution's history.
    pub scheduled_event_id: u64,
    /// The task token, for `.waitForTaskToken` resources.
    pub task_token: Option<String>,
    /// The evaluated `Credentials`, if the state has them.
    pub credentials: Option<Value>,
    /// Sends heartbeats, for tasks with `HeartbeatSeconds`.
    pub heartbeat: Heartbeat,
    /// The state's `TimeoutSeconds`, evaluated, if it has one.
    pub timeout_seconds: Option<u64>,
    /// For a Task that invokes a Lambda function (`arn:aws:states:::lambda:invoke` or a
    /// function's ARN) and a handler shaped like that function (every handler but a
    /// [`raw`](crate::handler::raw) one): what the function's context would tell it.
    pub function: Option<FunctionContext>,
}

/// What Lambda tells a function about its invocation, for handlers that stand in for one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionContext {
    /// The function's name (`FunctionName` without its qualifier or ARN).
    pub name: String,
    /// The ARN the function was invoked by: the full ARN, with the version or alias when one
    /// was named.
    pub invoked_arn: String,
    /// The invocation's request id: the call's [`TaskContext::idempotency_key`], the same
    /// each time the same call is made again.
    pub request_id: String,
    /// When the invocation is out of time (the state's `TimeoutSeconds` from the call), if
    /// the state has a timeout.
    pub deadline: Option<std::time::SystemTime>,
}

impl TaskContext {
    /// A key that is the same every time this call is made, and different for every other
    /// call: the execution's ARN and the id of the call's TaskScheduled event. A handler that
    /// was running when its process died is called again once the execution resumes (at least
    /// once), with the same key: a handler with effects of its own can use it to do them once.
    pub fn idempotency_key(&self) -> String {
        format!("{}#{}", self.execution_arn, self.scheduled_event_id)
    }
}

/// What the engine tells a handler table about one call, borrowed from the running execution:
/// describing a call costs nothing, and a [`TaskContext`] is made from it only for handlers
/// that take one.
#[derive(Clone, Copy, Debug)]
pub struct TaskCall<'a> {
    pub(crate) execution_name: &'a str,
    pub(crate) execution_arn: &'a str,
    /// The execution's names as shared strings, made at the first context that needs them.
    pub(crate) shared_names: &'a std::sync::OnceLock<(Arc<str>, Arc<str>)>,
    pub(crate) state_name: &'a Arc<str>,
    pub(crate) resource: &'a Arc<str>,
    pub(crate) retry_count: u64,
    /// The id of the call's TaskScheduled event.
    pub(crate) scheduled_event: u64,
    pub(crate) task_token: Option<&'a str>,
    pub(crate) credentials: Option<&'a Value>,
    pub(crate) heartbeat: &'a Heartbeat,
    /// The state's evaluated TimeoutSeconds.
    pub(crate) timeout_seconds: Option<u64>,
    /// How the state's resource invokes a Lambda function, if it does (worked out with the
    /// plan, not per call).
    pub(crate) invokes: Option<crate::handler::lambda::Kind>,
}

impl TaskCall<'_> {
    /// The execution's name.
    pub fn execution_name(&self) -> &str {
        self.execution_name
    }

    /// The execution's ARN.
    pub fn execution_arn(&self) -> &str {
        self.execution_arn
    }

    /// The Task state's name.
    pub fn state_name(&self) -> &str {
        self.state_name
    }

    /// The state's `Resource`.
    pub fn resource(&self) -> &str {
        self.resource
    }

    /// How many times this state has been retried so far (0 on the first attempt).
    pub fn retry_count(&self) -> u64 {
        self.retry_count
    }

    /// The id of this call's TaskScheduled event in the execution's history.
    pub fn scheduled_event_id(&self) -> u64 {
        self.scheduled_event
    }

    /// The task token, for `.waitForTaskToken` resources.
    pub fn task_token(&self) -> Option<&str> {
        self.task_token
    }

    /// The evaluated `Credentials`, if the state has them.
    pub fn credentials(&self) -> Option<&Value> {
        self.credentials
    }

    /// The state's `TimeoutSeconds`, evaluated, if it has one.
    pub fn timeout_seconds(&self) -> Option<u64> {
        self.timeout_seconds
    }

    /// The owned context a `(input, TaskContext)` handler receives.
    pub fn context(&self) -> TaskContext {
        let (execution_name, execution_arn) = self
            .shared_names
            .get_or_init(|| (self.execution_name.into(), self.execution_arn.into()));
        TaskContext {
            execution_name: execution_name.clone(),
            execution_arn: execution_arn.clone(),
            state_name: self.state_name.clone(),
            resource: self.resource.clone(),
            retry_count: self.retry_count,
            scheduled_event_id: self.scheduled_event,
            task_token: self.task_token.map(str::to_owned),
            credentials: self.credentials.cloned(),
            heartbeat: self.heartbeat.clone(),
            timeout_seconds: self.timeout_seconds,
            function: None,
        }
    }
}

/// The handlers of a machine, by the index the generator gave each Task state.
pub trait Dispatch: Send + Sync {
    /// Runs the handler of Task state number `handler` on `input`. The engine turns a panic
    /// (while making the future or while polling it) into the task's `States.TaskFailed`.
    fn call<'a>(
        &'a self,
        handler: usize,
        input: Value,
        call: &TaskCall<'_>,
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
