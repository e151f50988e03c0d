//! Pass, Succeed, Fail, Choice and Wait, and the context object every state sees.

use std::borrow::Cow;
use std::time::Duration;

use serde_json::{Value, json};

use super::outcome::{StateInput, assignments, output};
use super::task::missing_path;
use super::{Run, Step, Transition};
use crate::choice::Rule;
use crate::data::io::{Place, Select};
use crate::data::jsonata::kind;
use crate::data::scope::Scope;
use crate::data::template::PASS_PATH_ERROR;
use crate::data::vars::Vars;
use crate::error::{Failure, names};
use crate::plan::{Kind, StatePlan, Text, WaitFor};
use crate::time::{format_timestamp, parse_timestamp};
use asl_lang::jsonpath::Path;

impl Run<'_> {
    /// The context object (`$$`), built only for states whose paths read it.
    #[inline]
    pub(super) fn context(&self, state: &StatePlan, retry_count: u64) -> Value {
        if state.uses_context {
            self.build_context(state, retry_count)
        } else {
            Value::Null
        }
    }

    /// [`context`](Self::context) for the states that finish at once, borrowing a static
    /// `null` when the state does not read it (so nothing is dropped afterwards).
    #[inline]
    fn context_now(&self, state: &StatePlan) -> std::borrow::Cow<'static, Value> {
        static NULL: Value = Value::Null;
        if state.uses_context {
            std::borrow::Cow::Owned(self.build_context(state, 0))
        } else {
            std::borrow::Cow::Borrowed(&NULL)
        }
    }

    fn build_context(&self, state: &StatePlan, retry_count: u64) -> Value {
        let entered_at = self.env.seam.now();
        // The input is kept once, in the execution's record.
        let input = self
            .env
            .record
            .lock()
            .map(|r| r.description.input.clone())
            .unwrap_or_else(|e| e.into_inner().description.input.clone());
        let mut context = json!({
            "Execution": {
                "Id": self.config.execution_arn,
                "Input": input,
                "Name": self.config.execution_name,
                "RoleArn": self.config.role_arn,
                "StartTime": format_timestamp(self.env.start_time),
                "RedriveCount": 0,
            },
            "State": {
                "EnteredTime": format_timestamp(entered_at),
                "Name": &*state.name,
            },
            "StateMachine": {
                "Id": self.config.state_machine_arn,
                "Name": self.config.state_machine_name,
            },
        });
        // Only states that retry have a RetryCount.
        if matches!(state.kind, Kind::Task(_) | Kind::Parallel(_) | Kind::Map(_)) {
            context["State"]["RetryCount"] = json!(retry_count);
        }
        context
    }

    /// Runs a state that finishes without waiting: Pass, Succeed, Fail and Choice, on `value`
    /// (its input, which becomes its output) where it stands: a Choice state that passes its
    /// input on moves nothing. (No future is made for them; they are most of the transitions of
    /// most workflows.) Each kind has a function of its own, and JSONata states a road of their
    /// own, so the common JSONPath states run in small frames. On a failure `value` is left
    /// undefined: these states have no Catch, so nothing reads it again.
    #[inline(always)]
    pub(super) fn immediate(
        &self,
        state: &StatePlan,
        value: &mut Value,
        vars: &Vars<'_>,
    ) -> Result<Step, Failure> {
        if state.jsonata {
            let t = self.immediate_jsonata(state, std::mem::take(value), vars)?;
            return Ok(t.into_step(value));
        }
        match &state.kind {
            Kind::Pass {
                parameters,
                result,
                result_path,
            } => self.pass(
                state,
                (parameters.as_ref(), result.as_ref(), result_path),
                value,
                vars,
            ),
            Kind::Choice { choices, default } => self.choice(state, choices, *default, value, vars),
            Kind::Succeed => {
                let context = self.context_now(state);
                let side = Scope::new(self.env.seam, &Value::Null, &context, vars);
                let effective = state.input_path.apply(std::mem::take(value), &side)?;
                *value = state.output_path.apply(effective, &side)?;
                Ok(Step::to(None))
            }
            Kind::Fail { error, cause } => {
                let context = self.context_now(state);
                Err(self.fail(
                    error,
                    cause,
                    &Scope::new(self.env.seam, value, &context, vars),
                ))
            }
            // The container's loop awaits these through `suspending`; never reached from it.
            Kind::Wait(_) | Kind::Task(_) | Kind::Parallel(_) | Kind::Map(_) => {
                Err(cannot_finish(state))
            }
        }
    }

    /// A JSONPath Pass state: InputPath, Result or Parameters, Assign, ResultPath, OutputPath.
    fn pass(
        &self,
        state: &StatePlan,
        (parameters, result, result_path): (
            Option<&crate::data::template::Template>,
            Option<&Value>,
            &Place,
        ),
        value: &mut Value,
        vars: &Vars<'_>,
    ) -> Result<Step, Failure> {
        let context = self.context_now(state);
        let side = Scope::new(self.env.seam, &Value::Null, &context, vars);
        if matches!(result_path, Place::Replace) && state.assign.is_none() {
            // The result replaces the input, which nothing reads afterwards. (The Result or
            // Parameters match is written out on both roads: sharing it through a function that
            // returns `Option<Value>` costs `loop` 1.5 % more instructions.)
            if let (Select::All, Select::All, None, Some(t)) =
                (&state.input_path, &state.output_path, result, parameters)
            {
                // Parameters over the input as it stands, their result in its place.
                *value = t.apply(
                    &Scope {
                        input: value,
                        ..side
                    },
                    PASS_PATH_ERROR,
                )?;
                return Ok(Step::to(state.next));
            }
            let effective = state.input_path.apply(std::mem::take(value), &side)?;
            let result = match (result, parameters) {
                (Some(r), _) => r.clone(),
                (None, Some(t)) => t.apply(
                    &Scope {
                        input: &effective,
                        ..side
                    },
                    PASS_PATH_ERROR,
                )?,
                (None, None) => effective,
            };
            *value = state.output_path.apply(result, &side)?;
            return Ok(Step::to(state.next));
        }
        let mut input = StateInput::new(
            self.env.seam,
            state,
            result_path,
            std::mem::take(value),
            &context,
            vars,
        )?;
        let result = match (result, parameters) {
            (Some(r), _) => r.clone(),
            (None, Some(t)) => t.apply(
                &Scope {
                    input: input.effective(),
                    ..side
                },
                PASS_PATH_ERROR,
            )?,
            (None, None) => input.take_effective(),
        };
        let assign = assignments(
            state.assign.as_ref(),
            &Scope {
                input: &result,
                ..side
            },
        )?;
        let placed = result_path.apply(input.into_raw(), result)?;
        *value = state.output_path.apply(placed, &side)?;
        Ok(Step::assigning(state.next, assign))
    }

    /// Traces the branch a Choice state took.
    #[inline]
    fn chose(&self, state: &StatePlan, branch: crate::trace::Branch) {
        self.decided(|| crate::trace::Decision::Chose {
            state: state.name.clone(),
            branch,
        });
    }

    /// A JSONPath Choice state: the first rule that holds, else the Default.
    fn choice(
        &self,
        state: &StatePlan,
        choices: &[crate::plan::ChoiceBranch],
        default: Option<usize>,
        value: &mut Value,
        vars: &Vars<'_>,
    ) -> Result<Step, Failure> {
        let context = self.context_now(state);
        let side = Scope::new(self.env.seam, &Value::Null, &context, vars);
        if matches!(state.input_path, Select::All) && matches!(state.output_path, Select::All) {
            // The input passes through as it came: the rules read it where it is.
            let d = decide(
                state,
                choices,
                default,
                &Scope {
                    input: value,
                    ..side
                },
            )?;
            self.chose(state, d.branch);
            return Ok(Step::assigning(Some(d.target), d.assign));
        }
        let effective = state.input_path.apply(std::mem::take(value), &side)?;
        let d = decide(
            state,
            choices,
            default,
            &Scope {
                input: &effective,
                ..side
            },
        )?;
        self.chose(state, d.branch);
        *value = state.output_path.apply(effective, &side)?;
        Ok(Step::assigning(Some(d.target), d.assign))
    }

    /// Pass, Succeed, Fail and Choice in JSONata: `$states.input` is the raw input; Output and
    /// Assign replace the JSONPath fields.
    #[cold]
    fn immediate_jsonata(
        &self,
        state: &StatePlan,
        raw: Value,
        vars: &Vars<'_>,
    ) -> Result<Transition, Failure> {
        let context = self.context_now(state);
        let on_input = Scope::new(self.env.seam, &raw, &context, vars);
        match &state.kind {
            Kind::Pass { .. } => {
                let assign = assignments(state.assign.as_ref(), &on_input)?;
                let out = output(state, &on_input)?;
                Ok(Transition::assigning(
                    state.next,
                    out.unwrap_or(raw),
                    assign,
                ))
            }
            Kind::Succeed => {
                let out = output(state, &on_input)?;
                Ok(Transition::to(None, out.unwrap_or(raw)))
            }
            Kind::Fail { error, cause } => Err(self.fail(error, cause, &on_input)),
            Kind::Choice { choices, default } => {
                let d = decide(state, choices, *default, &on_input)?;
                self.chose(state, d.branch);
                let out = match d.output {
                    Some(t) => t.apply(&on_input, names::RUNTIME)?,
                    None => raw,
                };
                Ok(Transition::assigning(Some(d.target), out, d.assign))
            }
            Kind::Wait(_) | Kind::Task(_) | Kind::Parallel(_) | Kind::Map(_) => {
                Err(cannot_finish(state))
            }
        }
    }

    /// A Fail state's failure: its Error and Cause, literal or read from `scope`'s input.
    #[cold]
    pub(super) fn fail(&self, error: &Text, cause: &Text, scope: &Scope<'_>) -> Failure {
        let text = |t: &Text, field: &str| -> Result<Option<String>, Failure> {
            let text = |v: Value| match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            match t {
                Text::None => Ok(None),
                Text::Literal(s) => Ok(Some(s.to_string())),
                Text::Path(p) => match scope.select(p) {
                    Some(v) => Ok(Some(text(v))),
                    None => Err(Failure::runtime(format!(
                        "The JSONPath '{}' specified for the field '{field}' could not be found in the input '{}'",
                        p.text(),
                        serde_json::to_string(scope.input).unwrap_or_default()
                    ))),
                },
                Text::Call(call) => {
                    crate::intrinsic::eval(call, scope, field).map(|v| Some(text(v)))
                }
                Text::Jsonata(expr) => {
                    let name = field.trim_end_matches("Path");
                    expr.eval(scope, name).map(|v| Some(text(v)))
                }
            }
        };
        let error = match text(error, "ErrorPath") {
            Ok(e) => e,
            Err(f) => return f,
        };
        let cause = match text(cause, "CausePath") {
            Ok(c) => c,
            Err(f) => return f,
        };
        Failure {
            error: error.unwrap_or_default(),
            cause,
            detail: false,
        }
    }

    /// Runs a state that waits: Wait, Task, Parallel and Map.
    pub(super) async fn suspending(
        &self,
        state: &StatePlan,
        raw: Value,
        entered: u64,
        vars: &Vars<'_>,
    ) -> Result<Transition, Failure> {
        // Boxed, so the future of a container stays small (a Map holds one per iteration in
        // flight); Parallel and Map also run containers, whose futures contain theirs.
        match &state.kind {
            Kind::Task(task) => Box::pin(self.task(state, task, raw, entered, vars)).await,
            Kind::Parallel(p) => Box::pin(self.parallel(state, p, raw, entered, vars)).await,
            Kind::Map(m) => Box::pin(self.map(state, m, raw, entered, vars)).await,
            Kind::Wait(wait) => Box::pin(self.wait(state, wait, raw, vars)).await,
            _ => {
                let mut value = raw;
                let step = self.immediate(state, &mut value, vars)?;
                Ok(Transition {
                    next: step.next,
                    value,
                    assign: step.assign,
                })
            }
        }
    }

    /// A Wait state: the time to wait, then the output.
    async fn wait(
        &self,
        state: &StatePlan,
        wait: &WaitFor,
        raw: Value,
        vars: &Vars<'_>,
    ) -> Result<Transition, Failure> {
        let context = self.context_now(state);
        let side = Scope::new(self.env.seam, &Value::Null, &context, vars);
        let effective = if state.jsonata {
            raw
        } else {
            state.input_path.apply(raw, &side)?
        };
        let scope = Scope {
            input: &effective,
            ..side
        };
        let duration = self.wait_for(wait, &effective, &scope)?;
        let assign = assignments(state.assign.as_ref(), &scope)?;
        let out = if state.jsonata {
            output(state, &scope)?
        } else {
            None
        };
        self.env.seam.sleep(self.env.waits.apply(duration)).await;
        let out = match out {
            Some(v) => v,
            None if state.jsonata => effective,
            None => state.output_path.apply(effective, &side)?,
        };
        Ok(Transition::assigning(state.next, out, assign))
    }

    fn wait_for(
        &self,
        wait: &WaitFor,
        effective: &Value,
        scope: &Scope<'_>,
    ) -> Result<Duration, Failure> {
        Ok(match wait {
            WaitFor::Seconds(s) => Duration::from_secs(*s),
            WaitFor::Timestamp(t) => self.env.seam.until(*t),
            WaitFor::SecondsPath(p) => {
                let v = scope.select(p).ok_or_else(|| missing_path(p))?;
                match v.as_i64() {
                    Some(n) if n >= 0 => Duration::from_secs(n as u64),
                    Some(_) => {
                        return Err(Failure::runtime(format!(
                            "The SecondsPath parameter references a negative value: {} == {v}",
                            p.text()
                        )));
                    }
                    None => {
                        return Err(Failure::runtime(format!(
                            "The SecondsPath parameter cannot be parsed as a long value: {} == {v}",
                            p.text()
                        )));
                    }
                }
            }
            WaitFor::TimestampPath(p) => {
                let v = scope.select(p).ok_or_else(|| missing_path(p))?;
                let t = v.as_str().and_then(|s| parse_timestamp(s).ok()).ok_or_else(|| {
                    Failure::runtime(format!(
                        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {} == {}",
                        p.text(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_owned)
                    ))
                })?;
                self.env.seam.until(t)
            }
            WaitFor::SecondsExpr(expr) => {
                let v = expr.eval(scope, "Seconds")?;
                match v.as_i64() {
                    Some(n) if n >= 0 => Duration::from_secs(n as u64),
                    _ => {
                        return Err(expr.failure(
                            "Seconds",
                            &format!("returned an unexpected result type. Expected 'integer', but was '{}' for value: {v}", kind(&v)),
                        ));
                    }
                }
            }
            WaitFor::TimestampExpr(expr) => {
                let v = expr.eval(scope, "Timestamp")?;
                let text = match &v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let t = parse_timestamp(&text).map_err(|_| {
                    Failure::in_state(
                        names::QUERY_EVALUATION_ERROR,
                        format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"),
                    )
                })?;
                let _ = effective;
                self.env.seam.until(t)
            }
        })
    }
}

/// Where a Choice state goes, what it assigns, and (JSONata) its Output.
pub(super) struct Decision<'p> {
    pub(super) target: usize,
    /// The branch taken.
    pub(super) branch: crate::trace::Branch,
    pub(super) assign: Option<serde_json::Map<String, Value>>,
    pub(super) output: Option<&'p crate::data::template::Template>,
}

/// The first branch whose rule holds (else the Default), with that branch's (or the state's)
/// Assign evaluated and Output chosen.
#[inline(always)]
pub(super) fn decide<'p>(
    state: &'p StatePlan,
    choices: &'p [crate::plan::ChoiceBranch],
    default: Option<usize>,
    scope: &Scope<'_>,
) -> Result<Decision<'p>, Failure> {
    let mut matched = None;
    // The value of the last rule's Variable: consecutive rules on one Variable (a Choice used
    // as a switch) read it once.
    let mut last: Option<(&Path, Option<&Value>)> = None;
    for (i, branch) in choices.iter().enumerate() {
        let holds = match &branch.rule {
            Rule::Test(variable, test) => match last {
                Some((read, value))
                    if read.root() == variable.root() && read.steps() == variable.steps() =>
                {
                    Rule::test(variable, test, value, scope)?
                }
                _ => match scope.select_ref(variable) {
                    Some(Cow::Borrowed(value)) => {
                        last = Some((variable, Some(value)));
                        Rule::test(variable, test, Some(value), scope)?
                    }
                    None => {
                        last = Some((variable, None));
                        Rule::test(variable, test, None, scope)?
                    }
                    // A value made by the path (a length, a list of matches) is not kept.
                    Some(Cow::Owned(value)) => {
                        last = None;
                        Rule::test(variable, test, Some(&value), scope)?
                    }
                },
            },
            rule => rule.eval(scope)?,
        };
        if holds {
            matched = Some((i, branch));
            break;
        }
    }
    let (target, assign, output) = match matched.map(|(_, b)| b) {
        Some(b) => (Some(b.next), b.assign.as_ref(), b.output.as_ref()),
        None => (default, state.assign.as_ref(), state.output.as_ref()),
    };
    let branch = match matched {
        Some((i, _)) => crate::trace::Branch::Rule(i),
        None => crate::trace::Branch::Default,
    };
    let target =
        target.ok_or_else(|| Failure::in_state(names::NO_CHOICE_MATCHED, "No Matches!"))?;
    Ok(Decision {
        target,
        branch,
        assign: assignments(assign, scope)?,
        output,
    })
}

#[cold]
fn cannot_finish(state: &StatePlan) -> Failure {
    Failure::runtime(format!("state '{}' cannot finish at once", state.name))
}
