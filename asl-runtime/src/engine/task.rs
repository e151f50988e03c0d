//! Task states: Parameters, the handler call (with task tokens, heartbeats and timeouts),
//! ResultSelector and ResultPath, and Retry/Catch around all of it.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures_util::FutureExt as _;
use serde_json::{Map, Value, json};
use tokio::sync::mpsc;

use super::outcome::{StateInput, finish_result};
use super::{Run, Transition};
use crate::data::io::{Place, Select};
use crate::data::scope::Scope;
use crate::data::template::TASK_PATH_ERROR;
use crate::data::vars::Vars;
use crate::effects::{Seam, TaskRequest, Waiting, after};
use crate::error::{Failure, names};
use crate::handler::panicked;
use crate::history::{EventKind, TaskOutputDetails, TaskScheduledDetails};
use crate::limits::{MAX_PAYLOAD_BYTES, fits};
use crate::plan::{Seconds, StatePlan, TaskPlan};
use crate::task::{BoxFuture, Heartbeat, TaskCall};
use crate::tokens::Signal;

/// A handler call made ready: what it gets, and what the result pipeline needs afterwards.
struct Prepared {
    args: Value,
    /// The evaluated Credentials.
    credentials: Option<Value>,
    /// The raw input, where ResultPath or a JSONata Output/Assign reads it again.
    raw: Value,
    timeout: Option<u64>,
    heartbeat: Option<u64>,
}

/// A task whose handler is running: the handler's future, and what its result meets when it
/// comes.
pub(super) struct Started<'a> {
    /// The handler's future.
    pub(super) call: BoxFuture<'a, Result<Value, Failure>>,
    raw: Value,
    context: Value,
    timeout: Option<u64>,
}

/// Whether a Task state is plain: no Retry, Catch, timeouts or task token, so its handler's
/// future can be awaited by the container itself, with no future of the state around it.
pub(super) fn is_plain(task: &TaskPlan) -> bool {
    task.retry.is_empty()
        && task.catch.is_empty()
        && task.timeout.is_none()
        && task.heartbeat.is_none()
        && !task.waits_for_token()
}

/// Whether a plain Task state is also bare: a JSONPath state whose input goes to the handler as
/// it is and whose output is the handler's answer (no Parameters, Credentials, ResultSelector or
/// Assign, every path `$`, no `$$`). Most Task states of real workflows are; they skip the
/// input and result pipelines.
pub(super) fn is_bare(state: &StatePlan, task: &TaskPlan) -> bool {
    !state.jsonata
        && !state.uses_context
        && state.assign.is_none()
        && matches!(state.input_path, Select::All)
        && matches!(state.output_path, Select::All)
        && matches!(task.result_path, Place::Replace)
        && task.parameters.is_none()
        && task.result_selector.is_none()
        && task.credentials.is_none()
        && is_plain(task)
}

impl<'r> Run<'r> {
    /// Starts an attempt of a task without a token or heartbeat: Parameters, the events, the
    /// handler's future.
    pub(super) fn start_task(
        &self,
        state: &StatePlan,
        task: &TaskPlan,
        raw: Value,
        retry_count: u64,
        vars: &Vars<'_>,
    ) -> Result<Started<'r>, Failure> {
        let context = self.context(state, retry_count);
        let p = self.prepare(state, task, raw, &context, vars)?;
        let scheduled = self.scheduled(task, &p.args, (p.timeout, p.heartbeat));
        let no_heartbeat = Heartbeat::default();
        let call = self.call(
            state,
            task,
            p.args,
            Described {
                scheduled,
                retry_count,
                credentials: p.credentials.as_ref(),
                token: None,
                heartbeat: &no_heartbeat,
                limits: (p.timeout, p.heartbeat),
            },
        );
        Ok(Started {
            call,
            raw: p.raw,
            context,
            timeout: p.timeout,
        })
    }

    /// What a started task's result becomes (the state's output and assignments).
    pub(super) fn finish_task(
        &self,
        state: &StatePlan,
        task: &TaskPlan,
        started: Started<'_>,
        result: Result<Value, Failure>,
        vars: &Vars<'_>,
    ) -> Result<(Value, Option<Map<String, Value>>), Failure> {
        self.conclude(state, task, started.raw, result, &started.context, vars)
    }

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
            |input, retry_count| self.attempt(state, task, input, retry_count, vars),
        )
        .await
    }

    /// One attempt: Parameters, the handler, ResultSelector/ResultPath/OutputPath.
    async fn attempt(
        &self,
        state: &StatePlan,
        task: &TaskPlan,
        raw: Value,
        retry_count: u64,
        vars: &Vars<'_>,
    ) -> Result<(Value, Option<Map<String, Value>>), Failure> {
        if task.waits_for_token() || task.heartbeat.is_some() {
            // Boxed: the rarely taken road with channels and timers stays out of the future
            // of every other task.
            let context = self.context(state, retry_count);
            return Box::pin(self.attempt_signalled(state, task, raw, context, retry_count, vars))
                .await;
        }
        let mut started = self.start_task(state, task, raw, retry_count, vars)?;
        let result = match started.timeout {
            None => guarded(&mut started.call, &state.name).await,
            Some(_) => {
                Box::pin(wait(
                    self.env.seam,
                    guarded(&mut started.call, &state.name),
                    None::<(Waiting<'_>, _)>,
                    false,
                    started.timeout,
                    None,
                ))
                .await
            }
        };
        self.finish_task(state, task, started, result, vars)
    }

    /// An attempt of a `.waitForTaskToken` task or one with HeartbeatSeconds.
    async fn attempt_signalled(
        &self,
        state: &StatePlan,
        task: &TaskPlan,
        raw: Value,
        context: Value,
        retry_count: u64,
        vars: &Vars<'_>,
    ) -> Result<(Value, Option<Map<String, Value>>), Failure> {
        let waits_for_token = task.waits_for_token();
        let (signals_tx, signals) = mpsc::unbounded_channel();
        // A token task's token is in the context object (`$$.Task.Token`) before Parameters run.
        let token = match (waits_for_token, self.env.tokens) {
            (true, Some(registry)) => {
                Some(registry.issue(crate::tokens::new_token(self.env.seam), signals_tx.clone()))
            }
            (true, None) => {
                return Err(Failure::new(
                    names::TASK_FAILED,
                    "a .waitForTaskToken task needs an execution started with Machine::start, which can receive the token",
                ));
            }
            _ => None,
        };
        let context = match &token {
            Some(t) => {
                let mut c = context;
                c["Task"] = json!({"Token": t});
                c
            }
            None => context,
        };
        let heartbeat = Heartbeat::new(Some(signals_tx));
        let mut scheduled_id = None;
        let result = match self.prepare(state, task, raw, &context, vars) {
            Ok(p) => {
                let scheduled = self.scheduled(task, &p.args, (p.timeout, p.heartbeat));
                let mut call = self.call(
                    state,
                    task,
                    p.args,
                    Described {
                        scheduled,
                        retry_count,
                        credentials: p.credentials.as_ref(),
                        token: token.as_deref(),
                        heartbeat: &heartbeat,
                        limits: (p.timeout, p.heartbeat),
                    },
                );
                scheduled_id = Some(scheduled);
                let waiting = Waiting {
                    scheduled_event_id: scheduled,
                    task_token: token.as_deref(),
                };
                let result = wait(
                    self.env.seam,
                    guarded(&mut call, &state.name),
                    Some((waiting, signals)),
                    waits_for_token,
                    p.timeout,
                    p.heartbeat,
                )
                .await;
                self.conclude(state, task, p.raw, result, &context, vars)
            }
            Err(f) => Err(f),
        };
        let timed_out = result
            .as_ref()
            .is_err_and(|f| f.error == names::TIMEOUT || f.error == names::HEARTBEAT_TIMEOUT);
        if let (Some(t), Some(registry)) = (&token, self.env.tokens) {
            registry.revoke(t, timed_out);
        }
        if let Some(scheduled_event_id) = scheduled_id {
            self.env.seam.released(
                Waiting {
                    scheduled_event_id,
                    task_token: token.as_deref(),
                },
                timed_out,
            );
        }
        result
    }

    /// InputPath, Credentials, the timeouts and Parameters.
    #[inline]
    fn prepare(
        &self,
        state: &StatePlan,
        task: &TaskPlan,
        raw: Value,
        context: &Value,
        vars: &Vars<'_>,
    ) -> Result<Prepared, Failure> {
        let side = Scope::new(self.env.seam, &Value::Null, context, vars);
        let mut input =
            StateInput::new(self.env.seam, state, &task.result_path, raw, context, vars)?;
        let scope = Scope {
            input: input.effective(),
            ..side
        };
        let credentials = task
            .credentials
            .as_ref()
            .map(|t| t.apply(&scope, TASK_PATH_ERROR))
            .transpose()?;
        let timeout = match &task.timeout {
            Some(s) => seconds(s, &scope, "TimeoutSeconds")?,
            None => None,
        };
        let heartbeat = match &task.heartbeat {
            Some(s) => seconds(s, &scope, "HeartbeatSeconds")?,
            None => None,
        };
        let args = match &task.parameters {
            Some(t) => t.apply(&scope, TASK_PATH_ERROR)?,
            None => input.take_effective(),
        };
        Ok(Prepared {
            args,
            credentials,
            raw: input.into_raw(),
            timeout,
            heartbeat,
        })
    }

    /// Hands `args` to the state's handler; a panic while the handler makes its future is the
    /// task's failure.
    fn call(
        &self,
        state: &StatePlan,
        task: &TaskPlan,
        args: Value,
        described: Described<'_>,
    ) -> BoxFuture<'r, Result<Value, Failure>> {
        let call = TaskCall {
            execution_name: &self.config.execution_name,
            execution_arn: &self.config.execution_arn,
            shared_names: &self.shared_names,
            state_name: &state.name,
            resource: task.resource.arn(),
            retry_count: described.retry_count,
            scheduled_event: described.scheduled,
            task_token: described.token,
            credentials: described.credentials,
            heartbeat: described.heartbeat,
            timeout_seconds: described.limits.0,
            invokes: task.resource.invokes(),
        };
        let tasks = self.env.tasks;
        if let Some(full) = self.history_full() {
            // The history cannot take the task's events: the handler is not called.
            return Box::pin(std::future::ready(Err(full)));
        }
        match self.env.seam {
            // Live, the handler is called right here, and the engine guards its future where
            // it awaits it.
            seam if seam.is_live() => start_handler(tasks, task.handler, args, &call, &state.name),
            // An implementation of the seam sees the guarded future, so a panic reaches it as
            // the task's failure.
            seam => seam.task(
                TaskRequest {
                    handler: task.handler,
                    input: args,
                    call,
                    timeout_seconds: described.limits.0,
                    heartbeat_seconds: described.limits.1,
                },
                move |args| start_handler(tasks, task.handler, args, &call, &state.name),
                |call| guard_owned(call, state.name.clone()),
            ),
        }
    }

    /// The TaskScheduled and TaskStarted events, with the task's timeouts when it has them.
    #[inline]
    /// Returns the TaskScheduled event's id.
    fn scheduled(&self, task: &TaskPlan, args: &Value, limits: (Option<u64>, Option<u64>)) -> u64 {
        let scheduled = self.event(|full| {
            let resource = task.resource.event_details();
            EventKind::TaskScheduled {
                details: TaskScheduledDetails {
                    resource_type: resource.resource_type.clone(),
                    resource: resource.resource.clone(),
                    region: self.region(),
                    parameters: full.then(|| args.clone()),
                    timeout_in_seconds: limits.0,
                    heartbeat_in_seconds: limits.1,
                    task_credentials: None,
                },
            }
        });
        self.event(|_| EventKind::TaskStarted {
            details: task.resource.event_details().clone(),
        });
        scheduled
    }

    /// The handler's answer and the result pipeline after it.
    #[allow(clippy::too_many_arguments)]
    fn conclude(
        &self,
        state: &StatePlan,
        task: &TaskPlan,
        raw: Value,
        result: Result<Value, Failure>,
        context: &Value,
        vars: &Vars<'_>,
    ) -> Result<(Value, Option<Map<String, Value>>), Failure> {
        let result = self.answer(task, result)?;
        finish_result(
            self.env.seam,
            state,
            (task.result_selector.as_ref(), &task.result_path),
            raw,
            result,
            context,
            vars,
        )
    }
}

impl Run<'_> {
    /// A bare Task state (see [`is_bare`]): scheduled, called and answered, its input going to
    /// the handler and the handler's answer being its output.
    pub(super) async fn bare_task(
        &self,
        state: &StatePlan,
        task: &TaskPlan,
        input: Value,
    ) -> Result<Value, Failure> {
        let scheduled = self.scheduled(task, &input, (None, None));
        let mut call = {
            let no_heartbeat = Heartbeat::default();
            let described = Described {
                scheduled,
                retry_count: 0,
                credentials: None,
                token: None,
                heartbeat: &no_heartbeat,
                limits: (None, None),
            };
            self.call(state, task, input, described)
        };
        let result = guarded(&mut call, &state.name).await;
        self.answer(task, result)
    }

    /// The handler's answer as the state's result: its events and the size limit.
    fn answer(&self, task: &TaskPlan, result: Result<Value, Failure>) -> Result<Value, Failure> {
        let result = match result {
            Ok(v) => {
                self.event(|full| EventKind::TaskSucceeded {
                    details: TaskOutputDetails::new(
                        task.resource.event_details().clone(),
                        full.then(|| v.clone()),
                    ),
                });
                v
            }
            Err(f) => {
                let timed_out = f.error == names::TIMEOUT || f.error == names::HEARTBEAT_TIMEOUT;
                self.event(|_| {
                    let details = task
                        .resource
                        .event_details()
                        .error(Some(f.error.clone()), f.cause.clone());
                    if timed_out {
                        EventKind::TaskTimedOut { details }
                    } else {
                        EventKind::TaskFailed { details }
                    }
                });
                return Err(f);
            }
        };
        if !fits(&result, MAX_PAYLOAD_BYTES) {
            let label = resource_label(&task.resource);
            return Err(Failure::new(
                names::DATA_LIMIT_EXCEEDED,
                format!(
                    "The state/task '{label}' returned a result with a size exceeding the maximum number of bytes service limit."
                ),
            ));
        }
        // The Lambda integration's envelope is the handler's to give (see `crate::handler`).
        Ok(result)
    }
}

/// What a handler call is told besides its input and the state.
struct Described<'a> {
    /// The id of the call's TaskScheduled event.
    scheduled: u64,
    retry_count: u64,
    credentials: Option<&'a Value>,
    token: Option<&'a str>,
    heartbeat: &'a Heartbeat,
    /// The evaluated TimeoutSeconds and HeartbeatSeconds.
    limits: (Option<u64>, Option<u64>),
}

/// Calls handler number `handler` with `args`; a panic while it makes its future is the
/// task's failure.
#[inline(always)]
fn start_handler<'a>(
    tasks: &'a dyn crate::task::Dispatch,
    handler: usize,
    args: Value,
    call: &TaskCall<'_>,
    state: &str,
) -> BoxFuture<'a, Result<Value, Failure>> {
    match std::panic::catch_unwind(AssertUnwindSafe(|| tasks.call(handler, args, call))) {
        Ok(future) => future,
        Err(payload) => Box::pin(std::future::ready(Err(panicked(state, payload)))),
    }
}

/// [`guarded`], owning the future and the state's name.
fn guard_owned<'a>(
    mut call: BoxFuture<'a, Result<Value, Failure>>,
    state: std::sync::Arc<str>,
) -> BoxFuture<'a, Result<Value, Failure>> {
    Box::pin(async move { guarded(&mut call, &state).await })
}

/// A handler's future, its panic as the task's `States.TaskFailed`.
pub(super) fn guarded<'a>(
    call: &'a mut BoxFuture<'_, Result<Value, Failure>>,
    state: &'a str,
) -> impl Future<Output = Result<Value, Failure>> + 'a {
    AssertUnwindSafe(call.as_mut())
        .catch_unwind()
        .map(move |r| r.unwrap_or_else(|payload| Err(panicked(state, payload))))
}

pub(super) fn seconds(s: &Seconds, scope: &Scope<'_>, field: &str) -> Result<Option<u64>, Failure> {
    match s {
        Seconds::Fixed(n) => Ok(Some(*n)),
        Seconds::Path(p) => positive_seconds(p, scope, &format!("{field}Path")).map(Some),
        Seconds::Expr(e) => {
            let v = e.eval(scope, field)?;
            match v.as_u64().filter(|n| *n > 0) {
                Some(n) => Ok(Some(n)),
                None => Err(e.failure(
                    field,
                    &format!("returned an unexpected result type. Expected 'positive integer', but was '{}' for value: {v}", crate::data::jsonata::kind(&v)),
                )),
            }
        }
    }
}

/// Waits for the handler (and, for `.waitForTaskToken`, for the token's answer), enforcing
/// TimeoutSeconds and HeartbeatSeconds, all through the execution's seam.
async fn wait(
    seam: &Seam,
    call: impl Future<Output = Result<Value, Failure>>,
    signals: Option<(Waiting<'_>, mpsc::UnboundedReceiver<Signal>)>,
    waits_for_token: bool,
    timeout: Option<u64>,
    heartbeat: Option<u64>,
) -> Result<Value, Failure> {
    if signals.is_none() && timeout.is_none() {
        return call.await;
    }
    let (waiting, mut signals) = match signals {
        Some((w, rx)) => (Some(w), Some(rx)),
        None => (None, None),
    };
    let call = std::pin::pin!(call);
    let started = seam.now();
    let deadline = timeout.map(|s| after(started, Duration::from_secs(s)));
    let beat = heartbeat.map(Duration::from_secs);
    let mut beat_deadline = beat.map(|b| after(started, b));
    let mut call = Some(call);
    /// What ended a round of waiting.
    enum Woke {
        Call(Result<Value, Failure>),
        Signal(Option<Signal>),
        Timer,
    }
    loop {
        let next = match (deadline, beat_deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let woke = {
            // Asked of the seam before anything is polled (see `Seam`).
            let signal = match (waiting, signals.as_mut()) {
                (Some(w), Some(rx)) => Some(seam.signal(w, rx.recv())),
                _ => None,
            };
            let timer = next.map(|t| seam.sleep_until(t));
            // Biased: the handler, then a signal, then the timer, so the same answers always
            // lead the same way.
            tokio::select! {
                biased;
                r = async { match call.as_mut() { Some(c) => c.as_mut().await, None => std::future::pending().await } } => Woke::Call(r),
                s = async { match signal { Some(s) => s.await, None => std::future::pending().await } } => Woke::Signal(s),
                () = async { match timer { Some(t) => t.await, None => std::future::pending().await } } => Woke::Timer,
            }
        };
        match woke {
            Woke::Call(result) => {
                call = None;
                match result {
                    Err(f) => return Err(f),
                    Ok(v) if !waits_for_token => return Ok(v),
                    // The handler handed the token on; the answer comes through the token.
                    Ok(_) => {}
                }
            }
            Woke::Signal(signal) => match signal {
                Some(Signal::Success { output }) if waits_for_token => return Ok(output),
                Some(Signal::Failure { failure }) if waits_for_token => return Err(failure),
                Some(Signal::Heartbeat) => beat_deadline = beat.map(|b| after(seam.now(), b)),
                Some(_) => {}
                None => signals = None,
            },
            Woke::Timer => {
                let timed_out = deadline.is_some_and(|d| seam.now() >= d);
                return Err(Failure::without_cause(if timed_out {
                    names::TIMEOUT
                } else {
                    names::HEARTBEAT_TIMEOUT
                }));
            }
        }
    }
}

/// How AWS names a resource in DataLimitExceeded causes: the service of an optimized
/// integration (`lambda`), else the resource itself.
fn resource_label(resource: &str) -> &str {
    match resource.strip_prefix("arn:aws:states:::") {
        Some(rest) => rest.split(':').next().unwrap_or(rest),
        None => resource,
    }
}

fn positive_seconds(
    p: &asl_lang::jsonpath::Path,
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

pub(super) fn missing_path(p: &asl_lang::jsonpath::Path) -> Failure {
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
    fn resource_labels() {
        assert_eq!(resource_label("arn:aws:states:::lambda:invoke"), "lambda");
        assert_eq!(
            resource_label("arn:aws:lambda:us-east-1:1:function:f"),
            "arn:aws:lambda:us-east-1:1:function:f"
        );
    }
}
