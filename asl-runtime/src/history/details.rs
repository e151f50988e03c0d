//! The `…EventDetails` objects of AWS's history events, with AWS's member names. Inputs and
//! outputs are held as JSON values and written as JSON text, as GetExecutionHistory writes them.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::json_text;

/// Whether a payload was cut short (`inputDetails`, `outputDetails`). Histories here keep
/// payloads whole.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadDetails {
    /// Whether the payload was truncated.
    #[serde(default)]
    pub truncated: bool,
}

/// The details AWS gives of a payload beside it: present exactly when the payload is.
fn details_of(payload: &Option<Value>) -> Option<PayloadDetails> {
    payload.as_ref().map(|_| PayloadDetails::default())
}

/// An error and its cause (`executionFailedEventDetails`, `mapRunFailedEventDetails`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetails {
    /// The error name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// `executionStartedEventDetails`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionStartedDetails {
    /// The execution's input.
    #[serde(default, with = "json_text", skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// About the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_details: Option<PayloadDetails>,
    /// The role the execution runs as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// The alias the execution was started through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_machine_alias_arn: Option<String>,
    /// The version the execution runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_machine_version_arn: Option<String>,
}

impl ExecutionStartedDetails {
    /// The details of an execution started with `input` (if kept) as `role_arn`.
    pub fn new(input: Option<Value>, role_arn: &str) -> Self {
        ExecutionStartedDetails {
            input_details: details_of(&input),
            input,
            role_arn: Some(role_arn.to_owned()),
            state_machine_alias_arn: None,
            state_machine_version_arn: None,
        }
    }
}

/// An output (`executionSucceededEventDetails`, `activitySucceededEventDetails`, …).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputDetails {
    /// The output.
    #[serde(default, with = "json_text", skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// About the output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_details: Option<PayloadDetails>,
}

impl OutputDetails {
    /// The details of `output` (if kept).
    pub fn new(output: Option<Value>) -> Self {
        OutputDetails {
            output_details: details_of(&output),
            output,
        }
    }
}

/// `executionRedrivenEventDetails`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionRedrivenDetails {
    /// How many times the execution was redriven.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redrive_count: Option<u32>,
}

/// `stateEnteredEventDetails`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateEnteredDetails {
    /// The state's name.
    pub name: Arc<str>,
    /// Its input.
    #[serde(default, with = "json_text", skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// About the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_details: Option<PayloadDetails>,
}

impl StateEnteredDetails {
    /// State `name` entered with `input` (if kept).
    pub fn new(name: Arc<str>, input: Option<Value>) -> Self {
        StateEnteredDetails {
            name,
            input_details: details_of(&input),
            input,
        }
    }
}

/// `stateExitedEventDetails`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateExitedDetails {
    /// The state's name.
    pub name: Arc<str>,
    /// Its output.
    #[serde(default, with = "json_text", skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// About the output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_details: Option<PayloadDetails>,
    /// The variables the state assigned, each as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_variables: Option<std::collections::BTreeMap<String, String>>,
    /// About the assigned variables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_variables_details: Option<PayloadDetails>,
}

impl StateExitedDetails {
    /// State `name` left with `output` (if kept).
    pub fn new(name: Arc<str>, output: Option<Value>) -> Self {
        StateExitedDetails {
            name,
            output_details: details_of(&output),
            output,
            assigned_variables: None,
            assigned_variables_details: None,
        }
    }
}

/// The credentials a task ran with (`taskCredentials`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskCredentials {
    /// The role assumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

/// `taskScheduledEventDetails`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskScheduledDetails {
    /// The service (`lambda`, `sqs`, `aws-sdk:s3`, …).
    pub resource_type: Arc<str>,
    /// The action (`invoke`, `sendMessage.waitForTaskToken`, …) or the resource's ARN.
    pub resource: Arc<str>,
    /// The region the task runs in.
    pub region: Arc<str>,
    /// What the task was given.
    #[serde(default, with = "json_text", skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// Its TimeoutSeconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_in_seconds: Option<u64>,
    /// Its HeartbeatSeconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_in_seconds: Option<u64>,
    /// The credentials it ran with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_credentials: Option<TaskCredentials>,
}

/// A task's resource (`taskStartedEventDetails`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDetails {
    /// The service.
    pub resource_type: Arc<str>,
    /// The action or resource.
    pub resource: Arc<str>,
}

/// A task's resource and its output (`taskSucceededEventDetails`, `taskSubmittedEventDetails`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskOutputDetails {
    /// The service.
    pub resource_type: Arc<str>,
    /// The action or resource.
    pub resource: Arc<str>,
    /// The task's result.
    #[serde(default, with = "json_text", skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// About the output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_details: Option<PayloadDetails>,
}

impl TaskOutputDetails {
    /// `task`'s result `output` (if kept).
    pub fn new(task: TaskDetails, output: Option<Value>) -> Self {
        TaskOutputDetails {
            resource_type: task.resource_type,
            resource: task.resource,
            output_details: details_of(&output),
            output,
        }
    }
}

/// A task's resource and its error (`taskFailedEventDetails`, `taskTimedOutEventDetails`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskErrorDetails {
    /// The service.
    pub resource_type: Arc<str>,
    /// The action or resource.
    pub resource: Arc<str>,
    /// The error name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// `mapStateStartedEventDetails`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapStateStartedDetails {
    /// How many items the Map iterates over.
    #[serde(default)]
    pub length: u64,
}

/// A Map iteration (`mapIterationStartedEventDetails`, `…Succeeded…`, `…Failed…`, `…Aborted…`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapIterationDetails {
    /// The Map state's name.
    pub name: Arc<str>,
    /// The item's index.
    #[serde(default)]
    pub index: u64,
}

/// `mapRunStartedEventDetails`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MapRunStartedDetails {
    /// The Map Run's ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_run_arn: Option<String>,
}

/// `mapRunRedrivenEventDetails`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MapRunRedrivenDetails {
    /// The Map Run's ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_run_arn: Option<String>,
    /// How many times it was redriven.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redrive_count: Option<u32>,
}

/// `activityScheduledEventDetails`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityScheduledDetails {
    /// The activity's ARN.
    pub resource: String,
    /// What the activity was given.
    #[serde(default, with = "json_text", skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// About the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_details: Option<PayloadDetails>,
    /// Its TimeoutSeconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_in_seconds: Option<u64>,
    /// Its HeartbeatSeconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_in_seconds: Option<u64>,
}

/// `activityStartedEventDetails`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityStartedDetails {
    /// The worker that took the task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_name: Option<String>,
}

/// `lambdaFunctionScheduledEventDetails`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LambdaFunctionScheduledDetails {
    /// The function's ARN.
    pub resource: String,
    /// What the function was given.
    #[serde(default, with = "json_text", skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// About the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_details: Option<PayloadDetails>,
    /// Its TimeoutSeconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_in_seconds: Option<u64>,
    /// The credentials it ran with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_credentials: Option<TaskCredentials>,
}

/// `evaluationFailedEventDetails`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationFailedDetails {
    /// The error name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// Where in the state the evaluation failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The state.
    pub state: String,
}
