//! Task states: Parameters, the handler call (with task tokens, heartbeats and timeouts),
//! ResultSelector and ResultPath, and Retry/Catch around all of it.

use std::time::Duration;

use serde_json::{Map, Value, json};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::outcome::finish_result;
use super::{Run, Transition};
use crate::data::io::Place;
use crate::data::template::{Scope, TASK_PATH_ERROR};
use crate::data::vars::Vars;
use crate::error::{Failure, names};
use crate::plan::{Seconds, StatePlan, TaskPlan};
use crate::task::{BoxFuture, Heartbeat, TaskContext, lambda_invoke_envelope};
use crate::tokens::Signal;

impl Run<'_> {
    pub(super) async fn task(
        &self,
        state: &StatePlan,
        task: &TaskPlan,
        raw: Value,
        entered: u64,
        vars: &Vars<'_>,
    ) -> Result<Transition, Failure> {
        self.with_retry(
            state,
            &task.retry,
            &task.catch,
            raw,
            entered,
            vars,
            |input, retry_count| async move {
                let context = self.context(state, retry_count);
                self.attempt(state, task, input, &context, retry_count, vars)
                    .await
            },
        )
        .await
    }

    async fn attempt(
        &self,
        state: &StatePlan,
        task: &TaskPlan,
        raw: Value,
        context: &Value,
        retry_count: u64,
        vars: &Vars<'_>,
    ) -> Result<(Value, Option<Map<String, Value>>), Failure> {
        let waits_for_token = task.resource.ends_with(".waitForTaskToken");
        let (signals_tx, signals) = if waits_for_token || task.heartbeat.is_some() {
            let (tx, rx) = mpsc::unbounded_channel();
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        // A token task's token is in the context object (`$$.Task.Token`) before Parameters run.
        let token = match (waits_for_token, self.env.tokens, &signals_tx) {
            (true, Some(registry), Some(tx)) => {
                Some(registry.issue(&self.config.execution_arn, &state.name, tx.clone()))
            }
            (true, None, _) => {
                return Err(Failure::new(
                    names::TASK_FAILED,
                    "a .waitForTaskToken task needs an execution started with Machine::start, which can receive the token",
                ));
            }
            _ => None,
        };
        let with_token;
        let context = match &token {
            Some(t) => {
                let mut c = context.clone();
                c["Task"] = json!({"Token": t});
                with_token = c;
                &with_token
            }
            None => context,
        };
        let result = self
            .call(
                state,
                task,
                raw,
                context,
                (retry_count, vars),
                token.clone(),
                signals_tx,
                signals,
            )
            .await;
        if let (Some(t), Some(registry)) = (&token, self.env.tokens) {
            registry.revoke(t);
        }
        result
    }

    #[allow(clippy::too_many_arguments)]
    async fn call(
        &self,
        state: &StatePlan,
        task: &TaskPlan,
        raw: Value,
        context: &Value,
        (retry_count, vars): (u64, &Vars<'_>),
        token: Option<String>,
        signals_tx: Option<mpsc::UnboundedSender<Signal>>,
        signals: Option<mpsc::UnboundedReceiver<Signal>>,
    ) -> Result<(Value, Option<Map<String, Value>>), Failure> {
        let waits_for_token = token.is_some();
        let side = Scope {
            context,
            variables: Some(vars),
            ..Scope::PLAIN
        };
        // The raw input is needed again only where ResultPath writes into it, or where a
        // JSONata Output or Assign reads `$states.input`.
        let keep = !matches!(task.result_path, Place::Replace)
            || (state.jsonata && (state.output.is_some() || state.assign.is_some()));
        let (effective, raw) = if keep {
            (state.input_path.apply(raw.clone(), &side)?, raw)
        } else {
            (state.input_path.apply(raw, &side)?, Value::Null)
        };
        let scope = Scope {
            input: &effective,
            ..side
        };
        let credentials = task
            .credentials
            .as_ref()
            .map(|t| t.apply(&scope, TASK_PATH_ERROR))
            .transpose()?;
        let timeout = seconds(&task.timeout, &scope, "TimeoutSeconds")?;
        let heartbeat = seconds(&task.heartbeat, &scope, "HeartbeatSeconds")?;
        let args = match &task.parameters {
            Some(t) => t.apply(&scope, TASK_PATH_ERROR)?,
            None => effective,
        };
        let call_context = TaskContext {
            execution_name: self.execution_name.clone(),
            execution_arn: self.execution_arn.clone(),
            state_name: state.name.clone(),
            resource: task.resource.clone(),
            retry_count,
            task_token: token,
            credentials,
            heartbeat: Heartbeat::new(signals_tx),
        };
        self.event("TaskScheduled", |full| {
            if full {
                json!({"resource": &*task.resource, "parameters": args})
            } else {
                json!({"resource": &*task.resource})
            }
        });
        self.event("TaskStarted", |_| json!({"resource": &*task.resource}));
        let call = self.env.tasks.call(task.handler, args, call_context);
        let result = wait(call, signals, waits_for_token, timeout, heartbeat).await;
        let result = match result {
            Ok(v) => {
                self.event("TaskSucceeded", |full| {
                    if full {
                        json!({"resource": &*task.resource, "output": v})
                    } else {
                        json!({"resource": &*task.resource})
                    }
                });
                v
            }
            Err(f) => {
                let kind = if f.error == names::TIMEOUT || f.error == names::HEARTBEAT_TIMEOUT {
                    "TaskTimedOut"
                } else {
                    "TaskFailed"
                };
                self.event(
                    kind,
                    |_| json!({"resource": &*task.resource, "error": f.error, "cause": f.cause}),
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
        let result =
            if task.resource.starts_with("arn:aws:states:::lambda:invoke") && !waits_for_token {
                lambda_invoke_envelope(result)
            } else {
                result
            };
        finish_result(
            state,
            (task.result_selector.as_ref(), &task.result_path),
            raw,
            result,
            context,
            vars,
        )
    }
}

fn seconds(s: &Option<Seconds>, scope: &Scope<'_>, field: &str) -> Result<Option<u64>, Failure> {
    match s {
        Some(Seconds::Fixed(n)) => Ok(Some(*n)),
        Some(Seconds::Path(p)) => positive_seconds(p, scope, &format!("{field}Path")).map(Some),
        Some(Seconds::Expr(e)) => {
            let v = e.eval(scope, field)?;
            match v.as_u64().filter(|n| *n > 0) {
                Some(n) => Ok(Some(n)),
                None => Err(e.failure(
                    field,
                    &format!("returned an unexpected result type. Expected 'positive integer', but was '{}' for value: {v}", crate::data::jsonata::kind(&v)),
                )),
            }
        }
        None => Ok(None),
    }
}

/// Waits for the handler (and, for `.waitForTaskToken`, for the token's answer), enforcing
/// TimeoutSeconds and HeartbeatSeconds.
async fn wait(
    call: BoxFuture<'_, Result<Value, Failure>>,
    mut signals: Option<mpsc::UnboundedReceiver<Signal>>,
    waits_for_token: bool,
    timeout: Option<u64>,
    heartbeat: Option<u64>,
) -> Result<Value, Failure> {
    if signals.is_none() && timeout.is_none() {
        return call.await;
    }
    let deadline = timeout.map(|s| Instant::now() + Duration::from_secs(s));
    let beat = heartbeat.map(Duration::from_secs);
    let mut beat_deadline = beat.map(|b| Instant::now() + b);
    let mut call = Some(call);
    loop {
        let next = match (deadline, beat_deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        tokio::select! {
            result = async { match call.as_mut() { Some(c) => c.as_mut().await, None => std::future::pending().await } } => {
                call = None;
                match result {
                    Err(f) => return Err(f),
                    Ok(v) if !waits_for_token => return Ok(v),
                    // The handler handed the token on; the answer comes through the token.
                    Ok(_) => {}
                }
            }
            signal = async { match signals.as_mut() { Some(rx) => rx.recv().await, None => std::future::pending().await } } => {
                match signal {
                    Some(Signal::Success(v)) if waits_for_token => return Ok(v),
                    Some(Signal::Failure(f)) if waits_for_token => return Err(f),
                    Some(Signal::Heartbeat) => beat_deadline = beat.map(|b| Instant::now() + b),
                    Some(_) => {}
                    None => signals = None,
                }
            }
            _ = async { match next { Some(t) => tokio::time::sleep_until(t).await, None => std::future::pending().await } } => {
                let timed_out = deadline.is_some_and(|d| Instant::now() >= d);
                return Err(Failure::without_cause(if timed_out { names::TIMEOUT } else { names::HEARTBEAT_TIMEOUT }));
            }
        }
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
        Value::Number(n) => {
            // Count the digits without allocating.
            struct Count(usize);
            impl std::fmt::Write for Count {
                fn write_str(&mut self, s: &str) -> std::fmt::Result {
                    self.0 += s.len();
                    Ok(())
                }
            }
            let mut c = Count(0);
            let _ = std::fmt::Write::write_fmt(&mut c, format_args!("{n}"));
            c.0
        }
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

fn positive_seconds(
    p: &crate::data::path::Path,
    scope: &Scope<'_>,
    field: &str,
) -> Result<u64, Failure> {
    let v = scope.select(p).ok_or_else(|| missing_path(p))?;
    v.as_u64().filter(|n| *n > 0).ok_or_else(|| {
        Failure::runtime(format!(
            "The {field} field refers to value \"{v}\" which is not a valid positive integer"
        ))
    })
}

pub(super) fn missing_path(p: &crate::data::path::Path) -> Failure {
    Failure::runtime(format!(
        "Invalid path '{}' : No results for path: {}",
        p.text(),
        p.bracketed()
    ))
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
