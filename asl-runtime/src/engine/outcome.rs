//! What every state does with its result: InputPath before, then (JSONPath) ResultSelector,
//! Assign, ResultPath and OutputPath, or (JSONata) Output and Assign over `$states`.

use serde_json::{Map, Value};

use super::task::{MAX_PAYLOAD_BYTES, json_size};
use crate::data::io::Place;
use crate::data::template::{Scope, TASK_PATH_ERROR, Template};
use crate::data::vars::Vars;
use crate::error::{Failure, names};
use crate::plan::{Outcomes, StatePlan};

/// What an Assign template sets, computed with the variables as they were on entry.
pub(super) fn assignments(
    assign: Option<&Template>,
    scope: &Scope<'_>,
) -> Result<Option<Map<String, Value>>, Failure> {
    let Some(t) = assign else {
        return Ok(None);
    };
    let Value::Object(values) = t.apply(scope, names::RUNTIME)? else {
        return Ok(None);
    };
    // AWS's limits: 256 KiB per variable and per Assign.
    let mut total = 0;
    for (name, v) in &values {
        let size = json_size(v);
        if size > MAX_PAYLOAD_BYTES {
            return Err(Failure::runtime(format!(
                "The value assigned to the variable '{name}' is {size} bytes; a variable holds at most 262144"
            )));
        }
        total += size;
    }
    if total > MAX_PAYLOAD_BYTES {
        return Err(Failure::runtime(format!(
            "The values of this Assign are {total} bytes together; an Assign sets at most 262144"
        )));
    }
    Ok(Some(values))
}

/// A JSONata state's Output, if it has one.
pub(super) fn output(state: &StatePlan, scope: &Scope<'_>) -> Result<Option<Value>, Failure> {
    state
        .output
        .as_ref()
        .map(|t| t.apply(scope, names::RUNTIME))
        .transpose()
}

/// InputPath, keeping the raw input only where ResultPath writes into it.
pub(super) fn split_input(
    state: &StatePlan,
    outcomes: &Outcomes,
    raw: Value,
    context: &Value,
    vars: &Vars<'_>,
) -> Result<(Value, Value), Failure> {
    let side = Scope {
        context,
        variables: Some(vars),
        ..Scope::PLAIN
    };
    Ok(match outcomes.result_path {
        Place::Replace if !state.jsonata => (state.input_path.apply(raw, &side)?, Value::Null),
        _ => (state.input_path.apply(raw.clone(), &side)?, raw),
    })
}

/// What a Task's, Parallel's or Map's result becomes: JSONata Output and Assign over `$states.result`
/// (with `raw` as `$states.input`), or ResultSelector, Assign, ResultPath and OutputPath.
pub(super) fn finish_result(
    state: &StatePlan,
    (result_selector, result_path): (Option<&Template>, &Place),
    raw: Value,
    result: Value,
    context: &Value,
    vars: &Vars<'_>,
) -> Result<(Value, Option<Map<String, Value>>), Failure> {
    let side = Scope {
        context,
        variables: Some(vars),
        ..Scope::PLAIN
    };
    if state.jsonata {
        let scope = Scope {
            input: &raw,
            result: Some(&result),
            ..side
        };
        let assign = assignments(state.assign.as_ref(), &scope)?;
        let out = output(state, &scope)?;
        return Ok((out.unwrap_or(result), assign));
    }
    let selected = match result_selector {
        Some(t) => t.apply(
            &Scope {
                input: &result,
                ..side
            },
            TASK_PATH_ERROR,
        )?,
        None => result,
    };
    let assign = assignments(
        state.assign.as_ref(),
        &Scope {
            input: &selected,
            ..side
        },
    )?;
    let placed = result_path.apply(raw, selected)?;
    Ok((state.output_path.apply(placed, &side)?, assign))
}
