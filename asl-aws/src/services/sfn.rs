//! AWS Step Functions: `states:startExecution` in all its patterns (`.sync` and `.sync:2`
//! ask for the child's end every poll interval; a child that did not succeed fails the task
//! with `States.TaskFailed` and its description as the cause), and `aws-sdk:sfn:`
//! `startExecution`, `describeExecution`, `sendTaskSuccess` and `sendTaskFailure`. The
//! machines may be on AWS or served by `asl-server`: the config's endpoint decides.

use std::sync::Arc;

use asl_runtime::error::names;
use asl_runtime::lang::resource::Pattern;
use asl_runtime::{BoxHandler, Failure};
use aws_sdk_sfn::operation::describe_execution::DescribeExecutionOutput;
use aws_sdk_sfn::types::ExecutionStatus;
use aws_types::request_id::RequestId;
use serde_json::{Map, Value, json};

use super::error::{failure, invalid};
use super::params::{Params, answer, date, json_or_string, put};
use super::{Call, Clients, boxed};

/// The handler of the Step Functions integrations.
pub(super) fn handler(clients: Arc<Clients>, call: Call) -> BoxHandler {
    boxed(clients, call, |clients, call, params| {
        Box::pin(async move {
            let p = Params::new(&params, call.errors);
            match call.action.as_str() {
                "startExecution" => start(&clients, &call, &p).await,
                "describeExecution" => {
                    let arn = p.string("ExecutionArn")?;
                    let d = describe(&clients, &call, &arn).await?;
                    Ok(Value::Object(description(&d, true, false)))
                }
                "sendTaskSuccess" => {
                    clients
                        .sfn
                        .send_task_success()
                        .task_token(p.string("TaskToken")?)
                        .output(p.text("Output")?)
                        .send()
                        .await
                        .map_err(|e| failure(call.errors, e))?;
                    Ok(json!({}))
                }
                "sendTaskFailure" => {
                    clients
                        .sfn
                        .send_task_failure()
                        .task_token(p.string("TaskToken")?)
                        .set_error(p.opt_string("Error")?)
                        .set_cause(p.opt_string("Cause")?)
                        .send()
                        .await
                        .map_err(|e| failure(call.errors, e))?;
                    Ok(json!({}))
                }
                other => Err(invalid(call.errors, format!("sfn:{other} is not served"))),
            }
        })
    })
}

async fn start(clients: &Clients, call: &Call, p: &Params<'_>) -> Result<Value, Failure> {
    let output = clients
        .sfn
        .start_execution()
        .state_machine_arn(p.string("StateMachineArn")?)
        .set_input(p.opt_text("Input")?)
        .set_name(p.opt_string("Name")?)
        .set_trace_header(p.opt_string("TraceHeader")?)
        .send()
        .await
        .map_err(|e| failure(call.errors, e))?;
    let json_output = match call.pattern {
        Pattern::Sync => false,
        Pattern::Sync2 => true,
        Pattern::RequestResponse | Pattern::WaitForTaskToken => {
            let mut result = Map::new();
            result.insert("ExecutionArn".into(), output.execution_arn().into());
            result.insert("StartDate".into(), date(output.start_date(), call.sdk));
            return Ok(answer(call.sdk, result, output.request_id()));
        }
    };
    // `.sync`: the child's end, asked for every poll interval.
    let arn = output.execution_arn().to_owned();
    loop {
        let d = describe(clients, call, &arn).await?;
        if *d.status() != ExecutionStatus::Running && *d.status() != ExecutionStatus::PendingRedrive
        {
            let result = Value::Object(description(&d, false, json_output));
            return if *d.status() == ExecutionStatus::Succeeded {
                Ok(result)
            } else {
                Err(Failure::new(names::TASK_FAILED, result.to_string()))
            };
        }
        tokio::time::sleep(clients.poll_interval).await;
    }
}

async fn describe(
    clients: &Clients,
    call: &Call,
    arn: &str,
) -> Result<DescribeExecutionOutput, Failure> {
    clients
        .sfn
        .describe_execution()
        .execution_arn(arn)
        .send()
        .await
        .map_err(|e| failure(call.errors, e))
}

/// An execution's description as Step Functions gives it: `Input` and `Output` as JSON text,
/// or as JSON with `json` (`.sync:2`).
fn description(d: &DescribeExecutionOutput, sdk: bool, json: bool) -> Map<String, Value> {
    let data = |text: Option<&str>| -> Option<Value> {
        text.map(|t| {
            if json {
                json_or_string(t)
            } else {
                Value::String(t.to_owned())
            }
        })
    };
    let mut r = Map::new();
    put(&mut r, "Cause", d.cause());
    put(&mut r, "Error", d.error());
    r.insert("ExecutionArn".into(), d.execution_arn().into());
    put(&mut r, "Input", data(d.input()));
    r.insert("InputDetails".into(), json!({"Included": true}));
    put(&mut r, "Name", d.name());
    put(&mut r, "Output", data(d.output()));
    if d.output().is_some() {
        r.insert("OutputDetails".into(), json!({"Included": true}));
    }
    r.insert("StartDate".into(), date(d.start_date(), sdk));
    r.insert("StateMachineArn".into(), d.state_machine_arn().into());
    r.insert("Status".into(), d.status().as_str().into());
    put(&mut r, "StopDate", d.stop_date().map(|t| date(t, sdk)));
    r
}
