//! A machine's executions as a service that runs them somewhere else (a Temporal cluster):
//! the Step Functions API's verbs, asynchronous. A server serves a machine on such a service
//! the way it serves one running in its own process, so its clients (boto3, the AWS CLI, the
//! SDKs) see no difference.

use std::fmt::Debug;

use serde_json::Value;

use crate::effects::Signal;
use crate::engine::Description;
use crate::history::Event;
use crate::task::BoxFuture;

/// What StartExecution asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct StartRequest {
    /// The machine's name, as the service's workers registered it.
    pub machine: String,
    /// The state machine's ARN.
    pub state_machine_arn: String,
    /// The execution's name.
    pub execution_name: String,
    /// The execution's ARN; `None`: the state machine's, for this name.
    pub execution_arn: Option<String>,
    /// The role ARN the context object reports.
    pub role_arn: String,
    /// The input.
    pub input: Value,
}

impl StartRequest {
    /// A start of execution `name` of the machine registered as `machine`, with ARNs in
    /// account 111111111111, region us-east-1 (as [`ExecutionConfig::new`] makes them).
    ///
    /// [`ExecutionConfig::new`]: crate::ExecutionConfig::new
    pub fn new(machine: &str, name: &str, input: Value) -> Self {
        let c = crate::ExecutionConfig::new(machine, name);
        StartRequest {
            machine: machine.to_owned(),
            state_machine_arn: c.state_machine_arn,
            execution_name: name.to_owned(),
            execution_arn: Some(c.execution_arn),
            role_arn: c.role_arn,
            input,
        }
    }
}

/// An execution as StartExecution returns it.
#[derive(Clone, Debug, PartialEq)]
pub struct StartedExecution {
    /// Its ARN.
    pub execution_arn: String,
    /// When it started.
    pub start_date: jiff::Timestamp,
    /// Whether this call started it (`false`: the same name and input ran already).
    pub started: bool,
}

/// A service's refusal, as AWS's API names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceError {
    /// AWS's error code (`ExecutionAlreadyExists`, `TaskDoesNotExist`, …;
    /// `ServiceUnavailable` when the service could not be asked).
    pub code: &'static str,
    /// The message.
    pub message: String,
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ServiceError {}

/// Executions that run elsewhere, through the Step Functions API's verbs.
pub trait ExecutionService: Send + Sync + Debug {
    /// StartExecution (idempotent by name and input while the first runs).
    fn start(&self, request: StartRequest)
    -> BoxFuture<'_, Result<StartedExecution, ServiceError>>;

    /// DescribeExecution; `None` when there is no such execution.
    fn describe<'a>(
        &'a self,
        execution_arn: &'a str,
    ) -> BoxFuture<'a, Result<Option<Description>, ServiceError>>;

    /// GetExecutionHistory, all of it.
    fn history<'a>(
        &'a self,
        execution_arn: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Event>, ServiceError>>;

    /// ListExecutions of a state machine, newest first, at most `limit`.
    fn list<'a>(
        &'a self,
        state_machine_arn: &'a str,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<Description>, ServiceError>>;

    /// StopExecution.
    fn stop<'a>(
        &'a self,
        execution_arn: &'a str,
        error: Option<&'a str>,
        cause: Option<&'a str>,
    ) -> BoxFuture<'a, Result<(), ServiceError>>;

    /// SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat.
    fn send_task<'a>(
        &'a self,
        token: &'a str,
        signal: Signal,
    ) -> BoxFuture<'a, Result<(), ServiceError>>;
}
