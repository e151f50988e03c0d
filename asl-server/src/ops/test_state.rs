//! TestState: one state run on its own (`asl_runtime::Machine::test_state`). The state is
//! found among the compiled machines: the definition is a whole state machine that is one of
//! theirs, with `stateName` choosing the state, or a single state (`{"Type": …}`) equal to one
//! of their states.

use asl_runtime::Failure;
use asl_runtime::engine::test_state::{InspectionLevel, TestStateInput, TestStateOutcome};
use serde_json::{Map, Value};

use crate::api::Api;
use crate::error::ApiError;
use crate::validate::{self, required, string};

/// TestState.
pub(crate) async fn test_state(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let definition = required(body, "definition")?;
    validate::length(definition, "definition", 1, 1_048_576)?;
    let parsed: Value = serde_json::from_str(definition).map_err(|e| {
        ApiError::new(
            "InvalidDefinition",
            format!(
                "Invalid State Machine Definition: '{}'",
                validate::json_error(definition, &e)
            ),
        )
    })?;
    let input = validate::execution_input(string(body, "input")?)?;
    let inspection_level = match string(body, "inspectionLevel")? {
        None => InspectionLevel::Info,
        Some(l) => InspectionLevel::from_name(l).ok_or_else(|| {
            ApiError::validation(
                l,
                "inspectionLevel",
                "Member must satisfy enum value set: [INFO, DEBUG, TRACE]",
            )
        })?,
    };
    let variables = match string(body, "variables")? {
        None => Map::new(),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => m,
            _ => {
                return Err(ApiError::new(
                    "ValidationException",
                    "The variables must be a JSON object of variable names and values",
                ));
            }
        },
    };
    // What this server does not do yet is refused, not ignored.
    for (member, what) in [
        ("context", "a context object given for the state"),
        (
            "/stateConfiguration/errorCausedByState",
            "stateConfiguration.errorCausedByState",
        ),
        (
            "/stateConfiguration/mapIterationFailureCount",
            "stateConfiguration.mapIterationFailureCount",
        ),
        (
            "/stateConfiguration/mapItemReaderData",
            "stateConfiguration.mapItemReaderData",
        ),
    ] {
        let given = if member.starts_with('/') {
            body.pointer(member)
        } else {
            body.get(member)
        };
        if given.is_some_and(|v| !v.is_null()) {
            return Err(ApiError::new(
                "ValidationException",
                format!("TestState with {what} is not supported by this server"),
            ));
        }
    }
    let mock = mock(body)?;
    let retrier_retry_count = body
        .pointer("/stateConfiguration/retrierRetryCount")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let (machine, name) = {
        let registry = api.read();
        let machines = registry
            .compiled
            .iter()
            .map(|c| (&c.in_memory, &c.definition));
        match (parsed.get("States"), string(body, "stateName")?) {
            (Some(_), Some(name)) => {
                let compiled = registry.compiled_for(&parsed).ok_or_else(not_compiled_in)?;
                (compiled.in_memory.clone(), name.to_owned())
            }
            (Some(_), None) => {
                return Err(ApiError::new(
                    "ValidationException",
                    "The definition is a state machine: name the state to test with stateName",
                ));
            }
            (None, Some(_)) => {
                return Err(ApiError::new(
                    "ValidationException",
                    "stateName is given only with a state machine definition; this one is a single state",
                ));
            }
            (None, None) => {
                if parsed.get("Type").and_then(Value::as_str).is_none() {
                    return Err(ApiError::new(
                        "InvalidDefinition",
                        "Invalid State Machine Definition: 'the definition is neither a state (with a Type) nor a state machine (with States)'",
                    ));
                }
                machines
                    .filter_map(|(m, d)| state_named(d, &parsed).map(|n| (m.clone(), n)))
                    .next()
                    .ok_or_else(not_compiled_in)?
            }
        }
    };
    let outcome = machine
        .test_state(
            &name,
            TestStateInput {
                input,
                inspection_level,
                mock,
                variables,
                retrier_retry_count,
            },
        )
        .await
        .map_err(|e| ApiError::new("ValidationException", e.0))?;
    Ok(answer(outcome))
}

fn not_compiled_in() -> ApiError {
    ApiError::new(
        "InvalidDefinition",
        "Invalid State Machine Definition: 'This server tests states of the state machines compiled into it, and none has this one. Compile its machine in (asl_runtime::asl! or asl_codegen::Builder) and serve it with asl_server::Server::builder().machine(...).'",
    )
}

/// The name of the state of `definition` (nested ones included) that is `state`.
fn state_named(definition: &Value, state: &Value) -> Option<String> {
    let states = definition.get("States")?.as_object()?;
    if let Some((name, _)) = states.iter().find(|(_, s)| *s == state) {
        return Some(name.clone());
    }
    states.values().find_map(|s| {
        let branches = s.get("Branches").and_then(Value::as_array);
        let processor = s.get("ItemProcessor").or_else(|| s.get("Iterator"));
        branches
            .into_iter()
            .flatten()
            .chain(processor)
            .find_map(|inner| state_named(inner, state))
    })
}

/// The `mock`: a `result` (JSON text) or an `errorOutput`, not both.
fn mock(body: &Value) -> Result<Option<Result<Value, Failure>>, ApiError> {
    let Some(mock) = body.get("mock") else {
        return Ok(None);
    };
    let result = mock.get("result").and_then(Value::as_str);
    let error = mock.get("errorOutput");
    match (result, error) {
        (Some(text), None) => serde_json::from_str(text)
            .map(|v| Some(Ok(v)))
            .map_err(|e| {
                ApiError::new(
                    "ValidationException",
                    format!(
                        "The mocked result is not JSON: {}",
                        validate::json_error(text, &e)
                    ),
                )
            }),
        (None, Some(e)) => {
            let Some(error) = e.get("error").and_then(Value::as_str) else {
                return Err(ApiError::new(
                    "ValidationException",
                    "mock.errorOutput.error is required when mock.errorOutput is given",
                ));
            };
            Ok(Some(Err(match e.get("cause").and_then(Value::as_str) {
                Some(cause) => Failure::new(error, cause),
                None => Failure::without_cause(error),
            })))
        }
        _ => Err(ApiError::new(
            "ValidationException",
            "A mock has either a result or an errorOutput",
        )),
    }
}

/// The answer, as TestState gives it: JSON documents as text.
fn answer(o: TestStateOutcome) -> Value {
    let text = |v: &Value| Value::String(v.to_string());
    let mut m = Map::new();
    m.insert("status".into(), o.status.as_str().into());
    if let Some(out) = &o.output {
        m.insert("output".into(), text(out));
    }
    if let Some(e) = o.error {
        m.insert("error".into(), e.into());
    }
    if let Some(c) = o.cause {
        m.insert("cause".into(), c.into());
    }
    if let Some(n) = o.next_state {
        m.insert("nextState".into(), n.into());
    }
    if let Some(i) = o.inspection {
        let mut data = Map::new();
        let fields = [
            ("input", &i.input),
            ("afterInputPath", &i.after_input_path),
            ("afterParameters", &i.after_parameters),
            ("afterArguments", &i.after_arguments),
            ("result", &i.result),
            ("afterResultSelector", &i.after_result_selector),
            ("afterResultPath", &i.after_result_path),
            ("variables", &i.variables),
        ];
        for (key, value) in fields {
            if let Some(v) = value {
                data.insert(key.into(), text(v));
            }
        }
        if let Some(d) = i.error_details {
            let mut details = Map::new();
            if let Some(c) = d.catch_index {
                details.insert("catchIndex".into(), c.into());
            }
            if let Some(r) = d.retry_index {
                details.insert("retryIndex".into(), r.into());
            }
            if let Some(s) = d.retry_backoff_interval_seconds {
                details.insert("retryBackoffIntervalSeconds".into(), s.into());
            }
            data.insert("errorDetails".into(), Value::Object(details));
        }
        m.insert("inspectionData".into(), Value::Object(data));
    }
    Value::Object(m)
}
