//! StartExecution, StartSyncExecution, DescribeExecution, StopExecution, ListExecutions,
//! GetExecutionHistory and DescribeStateMachineForExecution.

use asl_runtime::{Description, Status};

/// The most executions ListExecutions reads from a service, newest first.
const LISTED_FROM_SERVICE: usize = 10_000;
use serde_json::{Value, json};

use crate::api::Api;
use crate::error::ApiError;
use crate::registry::{MachineType, Registered};
use crate::validate::{self, required, string};
use crate::wire;

/// The name given, checked, or a new uuid.
fn execution_name(body: &Value) -> Result<String, ApiError> {
    match string(body, "name")? {
        Some(name) => {
            validate::name(name)?;
            Ok(name.to_owned())
        }
        None => Ok(uuid::Uuid::new_v4().to_string()),
    }
}

/// A state machine ARN and the test case it names after `#` (Step Functions Local's
/// `…:stateMachine:Name#TestCase`), if it names one.
fn test_case(arn: &str) -> (&str, Option<&str>) {
    match arn.rsplit_once('#') {
        Some((machine, case)) if !case.is_empty() => (machine, Some(case)),
        _ => (arn, None),
    }
}

/// StartExecution: Standard executions are idempotent on name and input; their starts are
/// recorded together with other callers' (group commit) before the answer.
pub(crate) async fn start(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let (machine_arn, test_case) = test_case(required(body, "stateMachineArn")?);
    let machine = api.machine(machine_arn)?;
    let name = execution_name(body)?;
    let input = validate::execution_input(string(body, "input")?)?;
    let arn = api.execution_arn(&machine, &name);
    super::traced(&arn);
    match machine.kind {
        MachineType::Standard => {
            let (arn, start) =
                crate::api::start_standard(&machine, &name, &arn, input, test_case).await?;
            Ok(json!({"executionArn": arn, "startDate": wire::epoch(start)}))
        }
        MachineType::Express => {
            let mut config = Api::config(&machine, &name, &arn);
            config.test_case = test_case.map(str::to_owned);
            let execution = machine.machine.start_with(input, config);
            Ok(json!({
                "executionArn": execution.arn(),
                "startDate": wire::epoch(execution.describe().start_date),
            }))
        }
    }
}

/// StartSyncExecution: an Express execution run to its end, answered with its outcome.
pub(crate) async fn start_sync(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let (machine_arn, test_case) = test_case(required(body, "stateMachineArn")?);
    let machine = api.machine(machine_arn)?;
    if machine.kind != MachineType::Express {
        return Err(ApiError::type_not_supported());
    }
    let name = execution_name(body)?;
    let input = validate::execution_input(string(body, "input")?)?;
    let arn = api.execution_arn(&machine, &name);
    let mut config = Api::config(&machine, &name, &arn);
    config.test_case = test_case.map(str::to_owned);
    let start = jiff::Timestamp::now();
    let clock = std::time::Instant::now();
    let outcome = machine.machine.run_with(input.clone(), &config).await;
    let stop = jiff::Timestamp::now();
    // Billed as AWS bills Express executions: by 100 ms, at 64 MB.
    let billed_ms = (clock.elapsed().as_millis() as u64).div_ceil(100).max(1) * 100;
    let status = match outcome.status {
        Status::Succeeded => "SUCCEEDED",
        Status::TimedOut => "TIMED_OUT",
        _ => "FAILED",
    };
    let mut answer = json!({
        "executionArn": arn,
        "stateMachineArn": machine.arn,
        "name": name,
        "startDate": wire::epoch(start),
        "stopDate": wire::epoch(stop),
        "status": status,
        "input": input.to_string(),
        "inputDetails": {"included": true},
        "billingDetails": {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": billed_ms},
    });
    if let Value::Object(m) = &mut answer {
        if let Some(output) = &outcome.output {
            m.insert("output".into(), json!(output.to_string()));
            m.insert("outputDetails".into(), json!({"included": true}));
        }
        if let Some(f) = &outcome.failure {
            m.insert("error".into(), json!(f.error));
            if let Some(cause) = &f.cause {
                m.insert("cause".into(), json!(cause));
            }
        }
    }
    Ok(answer)
}

/// The execution with this ARN, wherever it is: running under a machine the server serves
/// (in this process or on its service), or kept by the store.
async fn find(api: &Api, arn: &str) -> Result<(Description, Option<Registered>), ApiError> {
    let (machine_name, _) = validate::execution_arn(arn)?;
    super::traced(arn);
    let registered = api.read().machines.get(machine_name).cloned();
    if let Some(service) = registered.as_ref().and_then(|r| r.service.clone()) {
        return match service.describe(arn).await.map_err(ApiError::service)? {
            Some(d) => Ok((d, registered)),
            None => Err(ApiError::no_execution(arn)),
        };
    }
    let found = match &registered {
        Some(r) => r.machine.describe_execution(arn),
        None => match &api.store {
            Some(store) => store.describe(arn),
            None => Ok(None),
        },
    }
    .map_err(|e| ApiError::internal(e.to_string()))?;
    match found {
        Some(d) => Ok((d, registered)),
        None => Err(ApiError::no_execution(arn)),
    }
}

/// DescribeExecution.
pub(crate) async fn describe(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let (d, _) = find(api, required(body, "executionArn")?).await?;
    Ok(d.to_described())
}

/// DescribeStateMachineForExecution: the machine as the execution runs it.
pub(crate) async fn machine_for(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let arn = required(body, "executionArn")?;
    let (d, registered) = find(api, arn).await?;
    let r = registered.ok_or_else(|| ApiError::no_state_machine(&d.state_machine_arn))?;
    let mut answer = json!({
        "stateMachineArn": r.arn,
        "name": r.name,
        "definition": r.definition,
        "roleArn": r.role_arn,
        "updateDate": wire::epoch(r.update_date),
        "loggingConfiguration": {"level": "OFF", "includeExecutionData": false},
        "tracingConfiguration": {"enabled": false},
    });
    if let (Some(revision), Value::Object(m)) = (&r.revision_id, &mut answer) {
        m.insert("revisionId".into(), json!(revision));
    }
    Ok(answer)
}

/// StopExecution: a running execution ends ABORTED with the given error and cause.
pub(crate) async fn stop(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let arn = required(body, "executionArn")?;
    let error = string(body, "error")?;
    let cause = string(body, "cause")?;
    if let Some(e) = error {
        validate::length(e, "error", 0, 256)?;
    }
    if let Some(c) = cause {
        validate::length(c, "cause", 0, 32_768)?;
    }
    let (d, registered) = find(api, arn).await?;
    if d.status == Status::Running
        && let Some(r) = &registered
    {
        tracing::info!(execution = %arn, "StopExecution");
        match &r.service {
            Some(service) => {
                service
                    .stop(arn, error, cause)
                    .await
                    .map_err(ApiError::service)?;
            }
            None => {
                r.machine.stop_execution(arn, error, cause);
            }
        }
    }
    Ok(json!({"stopDate": wire::epoch(d.stop_date.unwrap_or_else(jiff::Timestamp::now))}))
}

/// ListExecutions of a Standard machine, newest first, by pages.
pub(crate) async fn list(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let Some(arn) = string(body, "stateMachineArn")? else {
        return Err(ApiError::validation(
            "null",
            "stateMachineArn",
            "Member must not be null",
        ));
    };
    // AWS's enum, exactly as spelled; no execution here is ever PENDING_REDRIVE.
    let (status, none) = match string(body, "statusFilter")? {
        None => (None, false),
        Some("PENDING_REDRIVE") => (None, true),
        Some(s) => match Status::ALL.into_iter().find(|st| st.as_str() == s) {
            Some(st) => (Some(st), false),
            None => {
                return Err(ApiError::validation(
                    s,
                    "statusFilter",
                    "Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]",
                ));
            }
        },
    };
    let max = validate::max_results(body)?;
    let token = string(body, "nextToken")?;
    if let Some(t) = token {
        validate::length(t, "nextToken", 1, 3096)?;
    }
    let machine = api.machine(arn)?;
    if machine.kind == MachineType::Express {
        return Err(ApiError::type_not_supported());
    }
    let all = if none {
        Vec::new()
    } else if let Some(service) = &machine.service {
        let mut all = service
            .list(arn, LISTED_FROM_SERVICE)
            .await
            .map_err(ApiError::service)?;
        all.retain(|d| status.is_none_or(|s| d.status == s));
        all
    } else {
        machine
            .machine
            .list_executions(arn, status)
            .map_err(|e| ApiError::internal(e.to_string()))?
    };
    let (page, next) = page(&all, arn, token, max)?;
    let mut answer =
        json!({"executions": page.iter().map(Description::to_list_item).collect::<Vec<_>>()});
    if let (Some(next), Value::Object(m)) = (next, &mut answer) {
        m.insert("nextToken".into(), json!(next));
    }
    Ok(answer)
}

/// GetExecutionHistory, by pages, oldest first unless `reverseOrder`.
pub(crate) async fn history(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let arn = required(body, "executionArn")?;
    let max = validate::max_results(body)?;
    let token = string(body, "nextToken")?;
    if let Some(t) = token {
        validate::length(t, "nextToken", 1, 3096)?;
    }
    let reverse = body["reverseOrder"].as_bool().unwrap_or(false);
    let with_data = body["includeExecutionData"].as_bool().unwrap_or(true);
    let (_, registered) = find(api, arn).await?;
    let events = match &registered {
        Some(Registered {
            service: Some(service),
            ..
        }) => service.history(arn).await.map_err(ApiError::service)?,
        Some(r) => r
            .machine
            .execution_history(arn)
            .map_err(|e| ApiError::internal(e.to_string()))?,
        None => match &api.store {
            Some(store) => store.history(arn),
            None => Ok(Vec::new()),
        }
        .map_err(|e| ApiError::internal(e.to_string()))?,
    };
    let mut events = events;
    if reverse {
        events.reverse();
    }
    let scope = format!("{arn}:{reverse}");
    let (page, next) = page(&events, &scope, token, max)?;
    // Only the page's events are written as JSON.
    let page: Vec<Value> = page
        .iter()
        .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
        .map(|e| if with_data { e } else { wire::without_data(e) })
        .collect();
    let mut answer = json!({ "events": page });
    if let (Some(next), Value::Object(m)) = (next, &mut answer) {
        m.insert("nextToken".into(), json!(next));
    }
    Ok(answer)
}

/// The page of `items` a token (or the start) begins, at most `max` long, and the token of
/// the next page if there is one.
pub(crate) fn page<'a, T>(
    items: &'a [T],
    scope: &str,
    token: Option<&str>,
    max: usize,
) -> Result<(&'a [T], Option<String>), ApiError> {
    let start = match token {
        None => 0,
        Some(t) => wire::page_offset(scope, t)
            .filter(|&o| o <= items.len())
            .ok_or_else(|| ApiError::new("InvalidToken", "Invalid Token: 'Invalid token'"))?,
    };
    let end = (start + max).min(items.len());
    let next = (end < items.len()).then(|| wire::page_token(scope, end));
    Ok((&items[start..end], next))
}
