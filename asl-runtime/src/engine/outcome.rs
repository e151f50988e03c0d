//! What every state does with its result: InputPath before, then (JSONPath) ResultSelector,
//! Assign, ResultPath and OutputPath, or (JSONata) Output and Assign over `$states`.

use serde_json::{Map, Value};

use crate::data::io::{Place, Select};
use crate::data::scope::Scope;
use crate::data::template::{TASK_PATH_ERROR, Template};
use crate::data::vars::Vars;
use crate::effects::Seam;
use crate::error::{Failure, names};
use crate::limits::{MAX_PAYLOAD_BYTES, json_size};
use crate::plan::StatePlan;

/// What an Assign template sets, computed with the variables as they were on entry.
#[inline]
pub(super) fn assignments(
    assign: Option<&Template>,
    scope: &Scope<'_>,
) -> Result<Option<Map<String, Value>>, Failure> {
    match assign {
        None => Ok(None),
        Some(t) => assigned(t, scope),
    }
}

fn assigned(t: &Template, scope: &Scope<'_>) -> Result<Option<Map<String, Value>>, Failure> {
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

/// A state's input: the raw input where ResultPath or a JSONata Output/Assign reads it again,
/// and the effective input after InputPath, sharing the raw one when InputPath is `$`.
pub(super) struct StateInput {
    raw: Value,
    /// `None`: the effective input is `raw`.
    effective: Option<Value>,
}

impl StateInput {
    /// Applies InputPath to `raw`, keeping `raw` only where the state reads it again (see
    /// [`keeps_raw`]).
    pub(super) fn new(
        seam: &Seam,
        state: &StatePlan,
        result_path: &Place,
        raw: Value,
        context: &Value,
        vars: &Vars<'_>,
    ) -> Result<Self, Failure> {
        let side = Scope::new(seam, &Value::Null, context, vars);
        if !keeps_raw(state, result_path) {
            return Ok(StateInput {
                raw: Value::Null,
                effective: Some(state.input_path.apply(raw, &side)?),
            });
        }
        let effective = match &state.input_path {
            Select::All => None,
            other => Some(other.copy(&raw, &side)?),
        };
        Ok(StateInput { raw, effective })
    }

    /// The effective input.
    pub(super) fn effective(&self) -> &Value {
        self.effective.as_ref().unwrap_or(&self.raw)
    }

    /// The effective input, to take parts out of (see `map_input::movable_items`).
    pub(super) fn effective_mut(&mut self) -> &mut Value {
        self.effective.as_mut().unwrap_or(&mut self.raw)
    }

    /// The effective input, owned (a copy only when the raw input is kept beside it).
    pub(super) fn take_effective(&mut self) -> Value {
        match self.effective.take() {
            Some(v) => v,
            None => self.raw.clone(),
        }
    }

    /// The raw input (`null` when it was not kept).
    pub(super) fn into_raw(self) -> Value {
        self.raw
    }
}

/// Whether a state reads its raw input again after its result: ResultPath writes into it, or a
/// JSONata Output or Assign reads `$states.input`.
fn keeps_raw(state: &StatePlan, result_path: &Place) -> bool {
    if state.jsonata {
        state.output.is_some() || state.assign.is_some()
    } else {
        !matches!(result_path, Place::Replace)
    }
}

/// What a Task's, Parallel's or Map's result becomes: JSONata Output and Assign over `$states.result`
/// (with `raw` as `$states.input`), or ResultSelector, Assign, ResultPath and OutputPath.
pub(super) fn finish_result(
    seam: &Seam,
    state: &StatePlan,
    (result_selector, result_path): (Option<&Template>, &Place),
    raw: Value,
    result: Value,
    context: &Value,
    vars: &Vars<'_>,
) -> Result<(Value, Option<Map<String, Value>>), Failure> {
    let side = Scope::new(seam, &Value::Null, context, vars);
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
