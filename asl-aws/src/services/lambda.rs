//! AWS Lambda: `lambda:invoke` (its envelope; a function's error named by its `errorType`,
//! `Lambda.Unknown` without one), `aws-sdk:lambda:invoke`, and functions' ARNs as resources.

use std::sync::Arc;

use asl_runtime::{BoxFuture, BoxHandler, Failure, TaskCall};
use aws_sdk_lambda::operation::invoke::InvokeOutput;
use aws_sdk_lambda::primitives::Blob;
use aws_types::request_id::RequestId;
use serde_json::{Map, Value, json};

use super::error::failure;
use super::params::{Params, json_or_string, put};
use super::{Call, Clients, boxed};

/// The handler of `lambda:invoke` and `aws-sdk:lambda:invoke`.
pub(super) fn handler(clients: Arc<Clients>, call: Call) -> BoxHandler {
    boxed(clients, call, |clients, call, params| {
        Box::pin(async move { invoke_integration(&clients, &call, &params).await })
    })
}

/// The handler of a Task whose resource is the function's ARN: its input is the event, the
/// function's result the state's result.
pub(super) fn function(clients: Arc<Clients>, arn: String) -> BoxHandler {
    Arc::new(
        move |input: Value, _: &TaskCall<'_>| -> BoxFuture<'static, Result<Value, Failure>> {
            let clients = clients.clone();
            let arn = arn.clone();
            Box::pin(async move {
                let output = clients
                    .lambda
                    .invoke()
                    .function_name(arn)
                    .payload(Blob::new(serde_json::to_vec(&input).unwrap_or_default()))
                    .send()
                    .await
                    .map_err(|e| failure("Lambda", e))?;
                let payload = function_result(&output)?;
                Ok(payload)
            })
        },
    )
}

async fn invoke_integration(
    clients: &Clients,
    call: &Call,
    params: &Value,
) -> Result<Value, Failure> {
    let p = Params::new(params, call.errors);
    let mut request = clients
        .lambda
        .invoke()
        .function_name(p.string("FunctionName")?);
    if let Some(payload) = p.get("Payload") {
        // Invoke takes bytes: a string is sent as it is, anything else as its JSON.
        let bytes = match payload {
            Value::String(s) => s.clone().into_bytes(),
            other => serde_json::to_vec(other).unwrap_or_default(),
        };
        request = request.payload(Blob::new(bytes));
    }
    if let Some(t) = p.opt_string("InvocationType")? {
        request = request.invocation_type(t.as_str().into());
    }
    if let Some(t) = p.opt_string("LogType")? {
        request = request.log_type(t.as_str().into());
    }
    request = request
        .set_client_context(p.opt_string("ClientContext")?)
        .set_qualifier(p.opt_string("Qualifier")?);
    let output = request.send().await.map_err(|e| failure(call.errors, e))?;
    let version = output.executed_version().unwrap_or("$LATEST").to_owned();
    let status = output.status_code();
    if call.sdk {
        let mut result = Map::new();
        put(&mut result, "ExecutedVersion", Some(version));
        put(&mut result, "FunctionError", output.function_error());
        put(&mut result, "LogResult", output.log_result());
        result.insert("Payload".into(), payload_of(&output));
        result.insert("StatusCode".into(), status.into());
        return Ok(Value::Object(result));
    }
    let payload = function_result(&output)?;
    let request_id = output.request_id().unwrap_or_default();
    let length = output.payload().map_or(0, |b| b.as_ref().len()).to_string();
    Ok(json!({
        "ExecutedVersion": version,
        "Payload": payload,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {
                "X-Amz-Executed-Version": [version],
                "x-amzn-RequestId": [request_id],
                "Content-Length": [length],
                "Content-Type": ["application/json"],
            },
            "HttpHeaders": {
                "Content-Length": length,
                "Content-Type": "application/json",
                "X-Amz-Executed-Version": version,
                "x-amzn-RequestId": request_id,
            },
            "HttpStatusCode": status,
        },
        "SdkResponseMetadata": { "RequestId": request_id },
        "StatusCode": status,
    }))
}

/// The function's payload, decoded (JSON as JSON, anything else as a string).
fn payload_of(output: &InvokeOutput) -> Value {
    match output.payload() {
        None => Value::Null,
        Some(bytes) => json_or_string(&String::from_utf8_lossy(bytes.as_ref())),
    }
}

/// The function's result, or its error as the task's failure: named by the error payload's
/// `errorType` (`Lambda.Unknown` without one), the payload's text as the cause.
fn function_result(output: &InvokeOutput) -> Result<Value, Failure> {
    let payload = payload_of(output);
    if output.function_error().is_none() {
        return Ok(payload);
    }
    let error = payload
        .get("errorType")
        .and_then(Value::as_str)
        .unwrap_or("Lambda.Unknown")
        .to_owned();
    let cause = match &payload {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Err(Failure::new(error, cause))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(error: Option<&str>, payload: &str) -> InvokeOutput {
        InvokeOutput::builder()
            .status_code(200)
            .set_function_error(error.map(str::to_owned))
            .payload(Blob::new(payload.as_bytes().to_vec()))
            .build()
    }

    #[test]
    fn a_functions_error_is_named_by_its_error_type() {
        let payload = r#"{"errorType":"CardDeclined","errorMessage":"over the limit"}"#;
        let failure = function_result(&output(Some("Unhandled"), payload)).expect_err("fails");
        assert_eq!(failure.error, "CardDeclined");
        assert_eq!(
            serde_json::from_str::<Value>(failure.cause.as_deref().unwrap_or_default())
                .unwrap_or_default(),
            serde_json::from_str::<Value>(payload).unwrap_or_default()
        );
        // Without an error type, as when the runtime itself failed: Lambda.Unknown.
        let failure = function_result(&output(Some("Unhandled"), "\"boom\"")).expect_err("fails");
        assert_eq!(failure.error, "Lambda.Unknown");
        assert_eq!(failure.cause.as_deref(), Some("boom"));
        assert_eq!(
            function_result(&output(None, r#"{"ok":true}"#)),
            Ok(json!({"ok": true}))
        );
    }
}
