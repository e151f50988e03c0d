//! Machines as Lambda functions, and Lambda functions as Task handlers, on `lambda_runtime`.

use std::future::Future;

use asl_runtime::{BoxFuture, ExecutionConfig, Failure, Machine, Outcome, Status, TaskContext};
use lambda_runtime::{Context, Diagnostic, LambdaEvent};
use serde_json::Value;

/// Runs `machine` on an invocation's event, as the function it is deployed as: the event is the
/// execution's input (its name the invocation's request id), the execution's output the
/// function's result; an execution that failed, timed out or was stopped is the function's
/// error, with the ASL error as its `errorType` and the cause as its `errorMessage` (what
/// Lambda reports, and what a Task calling this function on AWS receives).
///
/// # Errors
/// The execution's failure, as a [`Diagnostic`].
pub async fn invoke(machine: &Machine, event: LambdaEvent<Value>) -> Result<Value, Diagnostic> {
    let name = match event.context.request_id.as_str() {
        "" => "lambda-invocation".to_owned(),
        id => id.to_owned(),
    };
    let config = ExecutionConfig::new(machine.name(), &name);
    result(machine.run_with(event.payload, &config).await)
}

/// An execution's outcome as a function's result.
fn result(outcome: Outcome) -> Result<Value, Diagnostic> {
    match outcome.status {
        Status::Succeeded => Ok(outcome.output.unwrap_or(Value::Null)),
        Status::TimedOut => Err(Diagnostic {
            error_type: asl_runtime::error::names::TIMEOUT.to_owned(),
            error_message: "The execution timed out".to_owned(),
        }),
        _ => {
            let (error, cause) = outcome
                .failure
                .map(|f| (f.error, f.cause.unwrap_or_default()))
                .unwrap_or_default();
            Err(Diagnostic {
                error_type: error,
                error_message: cause,
            })
        }
    }
}

/// Serves `machine` as this process's Lambda function (the Lambda runtime API named by the
/// environment Lambda sets), until the process ends.
///
/// # Errors
/// When the runtime API cannot be reached.
pub async fn serve(machine: Machine) -> Result<(), lambda_runtime::Error> {
    lambda_runtime::run(lambda_runtime::service_fn(
        move |event: LambdaEvent<Value>| {
            let machine = machine.clone();
            async move { invoke(&machine, event).await }
        },
    ))
    .await
}

/// A function written for `lambda_runtime` (`LambdaEvent<Value>` in, `Result<Value, E>` out) as
/// a Task handler, unchanged. For a Task that invokes a function (`lambda:invoke` or the
/// function's ARN) it gets what Lambda would give it: the invocation's payload as its event,
/// a context with the function's ARN, the call's idempotency key as the request id and the
/// deadline from the state's `TimeoutSeconds`; its result is the function's result (wrapped
/// in the Invoke envelope for `lambda:invoke`). For any other Task it gets the input, with
/// the state's resource as the function's ARN. Its error becomes the task's failure, named by
/// its `errorType` (so a Retry or Catch written for the function on AWS matches it).
pub fn handler<F, Fut, E>(
    function: F,
) -> impl Fn(Value, TaskContext) -> BoxFuture<'static, Result<Value, Failure>> + Send + Sync + 'static
where
    F: Fn(LambdaEvent<Value>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Value, E>> + Send + 'static,
    E: Into<Diagnostic> + 'static,
{
    move |input: Value, call: TaskContext| {
        let mut context = Context::default();
        match &call.function {
            // A Task that invokes a function: what Lambda's context would say.
            Some(f) => {
                context.request_id = f.request_id.clone();
                context.invoked_function_arn = f.invoked_arn.clone();
                context.deadline = f
                    .deadline
                    .and_then(|d| d.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
            }
            None => {
                context.request_id = call.idempotency_key();
                context.invoked_function_arn = call.resource.to_string();
            }
        }
        let called = function(LambdaEvent::new(input, context));
        Box::pin(async move {
            called.await.map_err(|e| {
                let d: Diagnostic = e.into();
                Failure::new(d.error_type, d.error_message)
            })
        })
    }
}
