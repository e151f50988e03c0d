//! SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat: a task token answered, whichever
//! machine's execution waits for it.

use std::sync::Arc;

use asl_runtime::TokenError;
use asl_runtime::effects::Signal;
use serde_json::{Value, json};

use crate::api::Api;
use crate::error::ApiError;
use crate::registry::Service;
use crate::validate::{self, required, string};

/// The token of a request: 1 to 2048 characters, of the form tokens are issued in
/// (`InvalidToken` otherwise).
fn token(body: &Value) -> Result<&str, ApiError> {
    let token = required(body, "taskToken")?;
    validate::length(token, "taskToken", 1, 2048)?;
    if !asl_runtime::is_well_formed_token(token) {
        return Err(ApiError::new(
            "InvalidToken",
            "Invalid Token: 'Invalid token'",
        ));
    }
    Ok(token)
}

/// Offers `signal` to the services machines run on, for a token one of them drew (it carries a
/// route to its execution); `None` when no service drew it.
async fn answer_on_service(
    api: &Api,
    token: &str,
    signal: Signal,
) -> Option<Result<Value, ApiError>> {
    asl_runtime::token_route(token)?;
    let services: Vec<Service> = {
        let registry = api.read();
        let mut services: Vec<Service> = Vec::new();
        for s in registry.compiled.iter().filter_map(|c| c.service.clone()) {
            if !services.iter().any(|known| Arc::ptr_eq(known, &s)) {
                services.push(s);
            }
        }
        services
    };
    let mut last = None;
    for service in services {
        match service.send_task(token, signal.clone()).await {
            Ok(()) => return Some(Ok(json!({}))),
            Err(e) if e.code == "TaskDoesNotExist" => last = Some(e),
            Err(e) => return Some(Err(ApiError::service(e))),
        }
    }
    last.map(|e| Err(ApiError::service(e)))
}

/// Offers `send` to each served machine until one has a task waiting for the token.
fn answer(
    api: &Api,
    send: impl Fn(&asl_runtime::Machine) -> Result<(), TokenError>,
) -> Result<Value, ApiError> {
    // Machines served under several names share their tasks: each is asked once.
    let machines: Vec<asl_runtime::Machine> = {
        let registry = api.read();
        registry
            .compiled
            .iter()
            .map(|c| c.machine.clone())
            .collect()
    };
    for machine in &machines {
        match send(machine) {
            Ok(()) => return Ok(json!({})),
            Err(TokenError::TaskTimedOut) => {
                return Err(ApiError::new(
                    "TaskTimedOut",
                    "Task Timed Out: 'the task this token was issued to timed out'",
                ));
            }
            Err(TokenError::TaskDoesNotExist) => continue,
        }
    }
    Err(ApiError::new(
        "TaskDoesNotExist",
        "Task Does Not Exist: 'no task waits for this token: it was answered, timed out, or its execution ended'",
    ))
}

/// SendTaskSuccess.
pub(crate) async fn success(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let token = token(body)?;
    let output = validate::task_output(required(body, "output")?)?;
    let signal = Signal::Success {
        output: output.clone(),
    };
    if let Some(answered) = answer_on_service(api, token, signal).await {
        return answered;
    }
    answer(api, |m| m.send_task_success(token, output.clone()))
}

/// SendTaskFailure.
pub(crate) async fn failure(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let token = token(body)?;
    let error = string(body, "error")?.unwrap_or_default();
    let cause = string(body, "cause")?.unwrap_or_default();
    validate::length(error, "error", 0, 256)?;
    validate::length(cause, "cause", 0, 32_768)?;
    let signal = Signal::Failure {
        failure: asl_runtime::Failure::new(error, cause),
    };
    if let Some(answered) = answer_on_service(api, token, signal).await {
        return answered;
    }
    answer(api, |m| m.send_task_failure(token, error, cause))
}

/// SendTaskHeartbeat.
pub(crate) async fn heartbeat(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let token = token(body)?;
    if let Some(answered) = answer_on_service(api, token, Signal::Heartbeat).await {
        return answered;
    }
    answer(api, |m| m.send_task_heartbeat(token))
}
