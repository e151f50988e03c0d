//! Pass, Succeed, Fail, Choice and Wait, and the context object every state sees.

use std::time::Duration;

use serde_json::{Value, json};

use super::task::{context_only, missing_path};
use super::{Run, Transition};
use crate::data::io::Place;
use crate::data::template::{PASS_PATH_ERROR, Scope};
use crate::error::{Failure, names};
use crate::plan::{Kind, StatePlan, Text, WaitFor};
use crate::time::{format_timestamp, parse_timestamp};

impl Run<'_> {
    /// The context object (`$$`), built only for states whose paths read it.
    pub(super) fn context(&self, state: &StatePlan, retry_count: u64) -> Value {
        if !state.uses_context {
            return Value::Null;
        }
        let entered_at = self.config.clock.now();
        let mut context = json!({
            "Execution": {
                "Id": self.config.execution_arn,
                "Input": self.input,
                "Name": self.config.execution_name,
                "RoleArn": self.config.role_arn,
                "StartTime": self.start_time,
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

    pub(super) fn follow(state: &StatePlan, output: Value) -> Transition {
        match state.next {
            Some(n) => Transition::Next(n, output),
            None => Transition::End(output),
        }
    }

    pub(super) async fn state(
        &self,
        state: &StatePlan,
        raw: Value,
        entered: u64,
    ) -> Result<Transition, Failure> {
        let context = self.context(state, 0);
        match &state.kind {
            Kind::Pass {
                parameters,
                result,
                result_path,
            } => {
                // The raw input is needed again only where ResultPath writes into it.
                let (effective, raw) = match result_path {
                    Place::Replace => (
                        state.input_path.apply(raw, &context_only(&context))?,
                        Value::Null,
                    ),
                    _ => (
                        state
                            .input_path
                            .apply(raw.clone(), &context_only(&context))?,
                        raw,
                    ),
                };
                let result = match (result, parameters) {
                    (Some(r), _) => r.clone(),
                    (None, Some(t)) => t.apply(
                        &Scope {
                            input: &effective,
                            context: &context,
                            variables: None,
                        },
                        PASS_PATH_ERROR,
                    )?,
                    (None, None) => effective,
                };
                let placed = result_path.apply(raw, result)?;
                let out = state.output_path.apply(placed, &context_only(&context))?;
                Ok(Self::follow(state, out))
            }
            Kind::Succeed => {
                let scope = context_only(&context);
                let effective = state.input_path.apply(raw, &scope)?;
                let out = state.output_path.apply(effective, &scope)?;
                Ok(Transition::End(out))
            }
            Kind::Fail { error, cause } => {
                let text = |t: &Text, field: &str| -> Result<Option<String>, Failure> {
                    match t {
                        Text::None => Ok(None),
                        Text::Literal(s) => Ok(Some(s.to_string())),
                        Text::Path(p) => match p.select(&raw) {
                            Some(Value::String(s)) => Ok(Some(s)),
                            Some(other) => Ok(Some(other.to_string())),
                            None => Err(Failure::runtime(format!(
                                "The JSONPath '{}' specified for the field '{field}' could not be found in the input '{}'",
                                p.text(),
                                serde_json::to_string(&raw).unwrap_or_default()
                            ))),
                        },
                        Text::Call(call) => {
                            let scope = Scope {
                                input: &raw,
                                context: &context,
                                variables: None,
                            };
                            match call.eval(&scope, field)? {
                                Value::String(s) => Ok(Some(s)),
                                other => Ok(Some(other.to_string())),
                            }
                        }
                    }
                };
                let error = text(error, "ErrorPath")?;
                let cause = text(cause, "CausePath")?;
                Err(Failure {
                    error: error.unwrap_or_default(),
                    cause,
                    detail: false,
                })
            }
            Kind::Choice { choices, default } => {
                let effective = state.input_path.apply(raw, &context_only(&context))?;
                let scope = Scope {
                    input: &effective,
                    context: &context,
                    variables: None,
                };
                let mut target = *default;
                for (rule, next) in choices {
                    if rule.eval(&scope)? {
                        target = Some(*next);
                        break;
                    }
                }
                let target = target
                    .ok_or_else(|| Failure::in_state(names::NO_CHOICE_MATCHED, "No Matches!"))?;
                let out = state
                    .output_path
                    .apply(effective, &context_only(&context))?;
                Ok(Transition::Next(target, out))
            }
            Kind::Wait(wait) => {
                let effective = state.input_path.apply(raw, &context_only(&context))?;
                let duration = match wait {
                    WaitFor::Seconds(s) => Duration::from_secs(*s),
                    WaitFor::Timestamp(t) => self.config.clock.until(*t),
                    WaitFor::SecondsPath(p) => {
                        let v = p.select(&effective).ok_or_else(|| missing_path(p))?;
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
                        let v = p.select(&effective).ok_or_else(|| missing_path(p))?;
                        let t = v.as_str().and_then(|s| parse_timestamp(s).ok()).ok_or_else(|| {
                            Failure::runtime(format!(
                                "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {} == {}",
                                p.text(),
                                v.as_str().map_or_else(|| v.to_string(), str::to_owned)
                            ))
                        })?;
                        self.config.clock.until(t)
                    }
                };
                tokio::time::sleep(duration).await;
                let out = state
                    .output_path
                    .apply(effective, &context_only(&context))?;
                Ok(Self::follow(state, out))
            }
            // Boxed, so the future of a container that runs only Pass, Choice and the like
            // stays small (a Map holds one per iteration in flight).
            Kind::Task(task) => Box::pin(self.task(state, task, raw, entered)).await,
            Kind::Parallel(p) => Box::pin(self.parallel(state, p, raw, entered)).await,
            Kind::Map(m) => Box::pin(self.map(state, m, raw, entered)).await,
        }
    }
}
