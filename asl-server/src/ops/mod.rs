//! The operations, one module per group, and the table from `X-Amz-Target` to them.

pub(crate) mod events;
mod executions;
mod machines;
pub(crate) mod tags;
mod tasks;
mod test_state;

use serde_json::Value;

use crate::api::Api;
use crate::error::ApiError;

/// Every operation the server answers, as `X-Amz-Target` names them after
/// `AWSStepFunctions.`.
pub const OPERATIONS: &[&str] = &[
    "CreateStateMachine",
    "DeleteStateMachine",
    "DescribeExecution",
    "DescribeStateMachine",
    "DescribeStateMachineForExecution",
    "GetExecutionHistory",
    "ListExecutions",
    "ListStateMachines",
    "ListTagsForResource",
    "SendTaskFailure",
    "SendTaskHeartbeat",
    "SendTaskSuccess",
    "StartExecution",
    "StartSyncExecution",
    "StopExecution",
    "TagResource",
    "TestState",
    "UntagResource",
    "UpdateStateMachine",
    "ValidateStateMachineDefinition",
];

/// Names the execution a request is about on its tracing span.
pub(crate) fn traced(execution_arn: &str) {
    tracing::Span::current().record("execution", execution_arn);
}

/// Runs operation `op` on `body`.
pub(crate) async fn dispatch(api: &Api, op: &str, body: &Value) -> Result<Value, ApiError> {
    match op {
        "StartExecution" => executions::start(api, body).await,
        "StartSyncExecution" => executions::start_sync(api, body).await,
        "DescribeExecution" => executions::describe(api, body).await,
        "DescribeStateMachineForExecution" => executions::machine_for(api, body).await,
        "StopExecution" => executions::stop(api, body).await,
        "ListExecutions" => executions::list(api, body).await,
        "GetExecutionHistory" => executions::history(api, body).await,
        "DescribeStateMachine" => machines::describe(api, body),
        "ListStateMachines" => machines::list(api, body),
        "CreateStateMachine" => machines::create(api, body),
        "UpdateStateMachine" => machines::update(api, body),
        "DeleteStateMachine" => machines::delete(api, body),
        "ValidateStateMachineDefinition" => machines::validate_definition(body),
        "SendTaskSuccess" => tasks::success(api, body).await,
        "SendTaskFailure" => tasks::failure(api, body).await,
        "SendTaskHeartbeat" => tasks::heartbeat(api, body).await,
        "TagResource" => tags::tag(api, body),
        "TestState" => test_state::test_state(api, body).await,
        "UntagResource" => tags::untag(api, body),
        "ListTagsForResource" => tags::list(api, body),
        other => Err(ApiError::new(
            "UnknownOperationException",
            format!(
                "The operation {other} is not served here; this server answers {}",
                OPERATIONS.join(", ")
            ),
        )),
    }
}
