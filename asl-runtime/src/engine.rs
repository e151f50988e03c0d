//! The executor: runs a [`Plan`] from `StartAt` to its end, state by state, keeping the
//! history, the context object and AWS's error rules.

use std::time::Duration;

use serde_json::{Value, json};

use crate::data::template::{PASS_PATH_ERROR, Scope, TASK_PATH_ERROR};
use crate::error::{Failure, names};
use crate::history::History;
use crate::plan::{Kind, Plan, Seconds, StatePlan, TaskPlan, Text, WaitFor};
use crate::task::{Dispatch, TaskContext, lambda_invoke_envelope};
use crate::time::{ExecutionClock, format_timestamp, parse_timestamp};

/// Who is running: the names and ARNs the context object reports.
#[derive(Clone, Debug)]
pub struct ExecutionConfig {
    /// The state machine's name.
    pub state_machine_name: String,
    /// The state machine's ARN.
    pub state_machine_arn: String,
    /// The execution's name.
    pub execution_name: String,
    /// The execution's ARN.
    pub execution_arn: String,
    /// The role the execution runs as.
    pub role_arn: String,
    /// The clock.
    pub clock: ExecutionClock,
}

impl ExecutionConfig {
    /// A configuration for an execution named `execution` of the machine named `machine`,
    /// with ARNs in account 111111111111, region us-east-1, and the system clock.
    pub fn new(machine: &str, execution: &str) -> Self {
        let prefix = "arn:aws:states:us-east-1:111111111111";
        ExecutionConfig {
            state_machine_name: machine.to_owned(),
            state_machine_arn: format!("{prefix}:stateMachine:{machine}"),
            execution_name: execution.to_owned(),
            execution_arn: format!("{prefix}:execution:{machine}:{execution}"),
            role_arn: "arn:aws:iam::111111111111:role/StepFunctionsRole".to_owned(),
            clock: ExecutionClock::system(),
        }
    }
}

/// How an execution ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// It reached a Succeed state or an `End`.
    Succeeded,
    /// A state failed and nothing caught it.
    Failed,
    /// The machine's `TimeoutSeconds` ran out.
    TimedOut,
}

impl Status {
    /// The status as AWS names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
        }
    }
}

/// A finished execution.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// How it ended.
    pub status: Status,
    /// The output, if it succeeded.
    pub output: Option<Value>,
    /// The error and cause, if it failed (a timed-out execution has none, as on AWS).
    pub failure: Option<Failure>,
    /// Its history.
    pub history: History,
}

/// Where a state sends the execution.
enum Transition {
    Next(usize, Value),
    End(Value),
}

struct Run<'a> {
    plan: &'a Plan,
    tasks: &'a dyn Dispatch,
    config: &'a ExecutionConfig,
    input: Value,
    start_time: String,
    history: History,
}

/// Runs `plan` on `input` to the end.
pub async fn execute(
    plan: &Plan,
    tasks: &dyn Dispatch,
    input: Value,
    config: &ExecutionConfig,
) -> Outcome {
    let mut run = Run {
        plan,
        tasks,
        config,
        input: input.clone(),
        start_time: format_timestamp(config.clock.now()),
        history: History::default(),
    };
    run.history.push(
        config.clock.now(),
        "ExecutionStarted",
        json!({"input": input, "roleArn": config.role_arn}),
    );
    let result = match plan.timeout_seconds {
        Some(secs) => {
            match tokio::time::timeout(Duration::from_secs(secs), run.states(input)).await {
                Ok(r) => r.map_err(|f| (Status::Failed, f)),
                Err(_) => Err((Status::TimedOut, Failure::without_cause(names::TIMEOUT))),
            }
        }
        None => run.states(input).await.map_err(|f| (Status::Failed, f)),
    };
    let now = config.clock.now();
    match result {
        Ok(output) => {
            run.history
                .push(now, "ExecutionSucceeded", json!({"output": output}));
            Outcome {
                status: Status::Succeeded,
                output: Some(output),
                failure: None,
                history: run.history,
            }
        }
        // AWS reports a timed-out execution with no error or cause.
        Err((Status::TimedOut, _)) => {
            run.history.push(now, "ExecutionTimedOut", json!({}));
            Outcome {
                status: Status::TimedOut,
                output: None,
                failure: None,
                history: run.history,
            }
        }
        Err((status, failure)) => {
            run.history.push(
                now,
                "ExecutionFailed",
                json!({"error": failure.error, "cause": failure.cause}),
            );
            Outcome {
                status,
                output: None,
                failure: Some(failure),
                history: run.history,
            }
        }
    }
}

fn type_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::Pass { .. } => "Pass",
        Kind::Task(_) => "Task",
        Kind::Choice { .. } => "Choice",
        Kind::Wait(_) => "Wait",
        Kind::Succeed => "Succeed",
        Kind::Fail { .. } => "Fail",
    }
}

impl Run<'_> {
    async fn states(&mut self, mut value: Value) -> Result<Value, Failure> {
        let mut current = self.plan.start;
        loop {
            let state = &self.plan.states[current];
            let ty = type_name(&state.kind);
            let entered_at = self.config.clock.now();
            let entered = self.history.push(
                entered_at,
                entered_event(ty),
                json!({"name": state.name, "input": value}),
            );
            let step = self
                .state(state, value, entered, entered_at)
                .await
                .map_err(|f| f.leaving(&state.name, entered))?;
            if ty != "Fail" {
                let output = match &step {
                    Transition::Next(_, v) | Transition::End(v) => v,
                };
                self.history.push(
                    self.config.clock.now(),
                    exited_event(ty),
                    json!({"name": state.name, "output": output}),
                );
            }
            match step {
                Transition::Next(next, v) => {
                    current = next;
                    value = v;
                }
                Transition::End(v) => return Ok(v),
            }
        }
    }

    fn context(&self, state: &StatePlan, entered_at: jiff::Timestamp, retry_count: u64) -> Value {
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
                "Name": state.name,
            },
            "StateMachine": {
                "Id": self.config.state_machine_arn,
                "Name": self.config.state_machine_name,
            },
        });
        // Only states that retry have a RetryCount.
        if matches!(state.kind, Kind::Task(_)) {
            context["State"]["RetryCount"] = json!(retry_count);
        }
        context
    }

    fn follow(state: &StatePlan, output: Value) -> Transition {
        match state.next {
            Some(n) => Transition::Next(n, output),
            None => Transition::End(output),
        }
    }

    async fn state(
        &mut self,
        state: &StatePlan,
        raw: Value,
        entered: u64,
        entered_at: jiff::Timestamp,
    ) -> Result<Transition, Failure> {
        let context = self.context(state, entered_at, 0);
        match &state.kind {
            Kind::Pass {
                parameters,
                result,
                result_path,
            } => {
                let scope = Scope {
                    input: &raw,
                    context: &context,
                    variables: None,
                };
                let effective = state.input_path.apply(raw.clone(), &scope)?;
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
                let scope = Scope {
                    input: &raw,
                    context: &context,
                    variables: None,
                };
                let effective = state.input_path.apply(raw.clone(), &scope)?;
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
                let scope = Scope {
                    input: &raw,
                    context: &context,
                    variables: None,
                };
                let effective = state.input_path.apply(raw.clone(), &scope)?;
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
                let scope = Scope {
                    input: &raw,
                    context: &context,
                    variables: None,
                };
                let effective = state.input_path.apply(raw.clone(), &scope)?;
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
            Kind::Task(task) => self.task(state, task, raw, entered, entered_at).await,
        }
    }

    async fn task(
        &mut self,
        state: &StatePlan,
        task: &TaskPlan,
        raw: Value,
        entered: u64,
        entered_at: jiff::Timestamp,
    ) -> Result<Transition, Failure> {
        let mut attempts = vec![0u64; task.retry.len()];
        let mut retry_count = 0u64;
        loop {
            let context = self.context(state, entered_at, retry_count);
            let attempt = self
                .attempt(state, task, &raw, &context, retry_count)
                .await
                .map_err(|f| f.leaving(&state.name, entered));
            let failure = match attempt {
                Ok(out) => return Ok(Self::follow(state, out)),
                Err(f) => f,
            };
            if failure.error == names::RUNTIME {
                return Err(failure);
            }
            if let Some(i) = task
                .retry
                .iter()
                .position(|r| r.error_equals.iter().any(|e| failure.matches(e)))
            {
                let retrier = &task.retry[i];
                if attempts[i] < retrier.max_attempts {
                    attempts[i] += 1;
                    retry_count += 1;
                    let mut delay = retrier.delay(attempts[i]);
                    if retrier.full_jitter {
                        delay =
                            delay.mul_f64(jitter_fraction(&self.config.execution_arn, retry_count));
                    }
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
            if let Some(c) = task
                .catch
                .iter()
                .find(|c| c.error_equals.iter().any(|e| failure.matches(e)))
            {
                let out = c
                    .result_path
                    .apply(raw, failure.to_error_output())
                    .map_err(|f| f.leaving(&state.name, entered))?;
                return Ok(Transition::Next(c.next, out));
            }
            return Err(failure);
        }
    }

    async fn attempt(
        &mut self,
        state: &StatePlan,
        task: &TaskPlan,
        raw: &Value,
        context: &Value,
        retry_count: u64,
    ) -> Result<Value, Failure> {
        let scope = Scope {
            input: raw,
            context,
            variables: None,
        };
        let effective = state.input_path.apply(raw.clone(), &scope)?;
        let scope = Scope {
            input: &effective,
            context,
            variables: None,
        };
        let args = match &task.parameters {
            Some(t) => t.apply(&scope, TASK_PATH_ERROR)?,
            None => effective.clone(),
        };
        let credentials = task
            .credentials
            .as_ref()
            .map(|t| t.apply(&scope, TASK_PATH_ERROR))
            .transpose()?;
        let timeout = match &task.timeout {
            Some(Seconds::Fixed(s)) => Some(*s),
            Some(Seconds::Path(p)) => Some(positive_seconds(p, &effective, "TimeoutSecondsPath")?),
            None => None,
        };
        let call_context = TaskContext {
            execution_name: self.config.execution_name.clone(),
            execution_arn: self.config.execution_arn.clone(),
            state_name: state.name.to_string(),
            resource: task.resource.to_string(),
            retry_count,
            task_token: None,
            credentials,
        };
        let now = self.config.clock.now();
        self.history.push(
            now,
            "TaskScheduled",
            json!({"resource": task.resource, "parameters": args}),
        );
        self.history
            .push(now, "TaskStarted", json!({"resource": task.resource}));
        let call = self.tasks.call(task.handler, args, call_context);
        let result = match timeout {
            Some(secs) => match tokio::time::timeout(Duration::from_secs(secs), call).await {
                Ok(r) => r,
                Err(_) => Err(Failure::without_cause(names::TIMEOUT)),
            },
            None => call.await,
        };
        let now = self.config.clock.now();
        let result = match result {
            Ok(v) => {
                self.history.push(
                    now,
                    "TaskSucceeded",
                    json!({"resource": task.resource, "output": v}),
                );
                v
            }
            Err(f) => {
                let kind = if f.error == names::TIMEOUT {
                    "TaskTimedOut"
                } else {
                    "TaskFailed"
                };
                self.history.push(
                    now,
                    kind,
                    json!({"resource": task.resource, "error": f.error, "cause": f.cause}),
                );
                return Err(f);
            }
        };
        if json_size(&result) > MAX_PAYLOAD_BYTES {
            let label = resource_label(&task.resource);
            return Err(Failure::new(
                names::DATA_LIMIT_EXCEEDED,
                format!(
                    "The state/task '{label}' returned a result with a size exceeding the maximum number of bytes service limit."
                ),
            ));
        }
        let result = if task.resource.starts_with("arn:aws:states:::lambda:invoke")
            && !task.resource.ends_with(".waitForTaskToken")
        {
            lambda_invoke_envelope(result)
        } else {
            result
        };
        let selected = match &task.result_selector {
            Some(t) => t.apply(
                &Scope {
                    input: &result,
                    context,
                    variables: None,
                },
                TASK_PATH_ERROR,
            )?,
            None => result,
        };
        let placed = task.result_path.apply(raw.clone(), selected)?;
        state.output_path.apply(placed, &context_only(context))
    }
}

/// The largest state input, output or task result Step Functions passes on (256 KiB).
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;

/// How AWS names a resource in DataLimitExceeded causes: the service of an optimized
/// integration (`lambda`), else the resource itself.
fn resource_label(resource: &str) -> &str {
    match resource.strip_prefix("arn:aws:states:::") {
        Some(rest) => rest.split(':').next().unwrap_or(rest),
        None => resource,
    }
}

/// The length of `v`'s compact JSON text, counted without writing it.
pub fn json_size(v: &Value) -> usize {
    match v {
        Value::Null => 4,
        Value::Bool(b) => {
            if *b {
                4
            } else {
                5
            }
        }
        Value::Number(n) => n.to_string().len(),
        Value::String(s) => string_size(s),
        Value::Array(a) => 2 + a.iter().map(json_size).sum::<usize>() + a.len().saturating_sub(1),
        Value::Object(o) => {
            2 + o
                .iter()
                .map(|(k, v)| string_size(k) + 1 + json_size(v))
                .sum::<usize>()
                + o.len().saturating_sub(1)
        }
    }
}

fn string_size(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum::<usize>()
}

/// The scope OutputPath reads `$$` from (its `$` is the value it is applied to).
fn context_only(context: &Value) -> Scope<'_> {
    Scope {
        input: &Value::Null,
        context,
        variables: None,
    }
}

fn positive_seconds(
    p: &crate::data::path::Path,
    input: &Value,
    field: &str,
) -> Result<u64, Failure> {
    let v = p.select(input).ok_or_else(|| missing_path(p))?;
    v.as_u64().filter(|n| *n > 0).ok_or_else(|| {
        Failure::runtime(format!(
            "The {field} field refers to value \"{v}\" which is not a valid positive integer"
        ))
    })
}

fn missing_path(p: &crate::data::path::Path) -> Failure {
    Failure::runtime(format!(
        "Invalid path '{}' : No results for path: {}",
        p.text(),
        p.bracketed()
    ))
}

/// A deterministic fraction in [0, 1) for FULL jitter (so an execution's back-off replays the
/// same way); derived from the execution and the retry number.
fn jitter_fraction(execution: &str, retry: u64) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in execution.bytes().chain(retry.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h >> 11) as f64 / (1u64 << 53) as f64
}

fn entered_event(ty: &str) -> &'static str {
    match ty {
        "Pass" => "PassStateEntered",
        "Task" => "TaskStateEntered",
        "Choice" => "ChoiceStateEntered",
        "Wait" => "WaitStateEntered",
        "Succeed" => "SucceedStateEntered",
        _ => "FailStateEntered",
    }
}

fn exited_event(ty: &str) -> &'static str {
    match ty {
        "Pass" => "PassStateExited",
        "Task" => "TaskStateExited",
        "Choice" => "ChoiceStateExited",
        "Wait" => "WaitStateExited",
        _ => "SucceedStateExited",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_size_matches_serde() {
        for v in [
            json!(null),
            json!({"a": [1, 2.5, "x\"\n\u{1}"], "é": true}),
            json!([]),
            json!({}),
        ] {
            assert_eq!(
                json_size(&v),
                serde_json::to_string(&v).map_or(0, |s| s.len()),
                "{v}"
            );
        }
    }

    #[test]
    fn resource_labels() {
        assert_eq!(resource_label("arn:aws:states:::lambda:invoke"), "lambda");
        assert_eq!(
            resource_label("arn:aws:lambda:us-east-1:1:function:f"),
            "arn:aws:lambda:us-east-1:1:function:f"
        );
    }
}
