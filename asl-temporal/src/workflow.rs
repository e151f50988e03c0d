//! The workflow every execution is: the engine run inside it through a [`Bridge`], its timers
//! as Temporal timers, its handler calls as activities; token answers and heartbeats arrive as
//! updates, StopExecution as a signal (or Temporal's cancellation); describe and history are
//! queries.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use asl_runtime::effects::{Signal, TaskResult};
use asl_runtime::engine::{Description, HistoryLevel, Status};
use asl_runtime::history::Event;
use asl_runtime::{ExecutionConfig, Machine};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use temporalio_common::RetryPolicy;
use temporalio_macros::{workflow, workflow_methods};
use temporalio_sdk::{
    ActivityExecutionError, ActivityOptions, ApplicationFailure, CancellableFuture,
    ChildWorkflowOptions, SyncWorkflowContext, TimerResult, WorkflowContext, WorkflowContextView,
    WorkflowResult, WorkflowTermination,
};

use crate::activity::{TaskActivities, TaskAnswer, TaskInput};
use crate::bridge::{Bridge, ChildOrder, Request, task_failure};

/// The workflow type executions run as.
pub const WORKFLOW_TYPE: &str = "StepFunctionsExecution";

/// The memo field an ended execution keeps its status in (Temporal's own status says
/// "failed" for TIMED_OUT executions too).
pub const STATUS_MEMO: &str = "aslStatus";

/// The compiled machines a worker runs, by the name executions name them with.
#[derive(Clone, Debug, Default)]
pub(crate) struct Machines(pub(crate) Arc<HashMap<String, Machine>>);

/// How a worker schedules handler calls.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    /// How long an activity may go without a heartbeat before Temporal gives its attempt up
    /// as lost (its worker died) and tries again elsewhere.
    pub(crate) worker_loss_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            worker_loss_timeout: Duration::from_secs(30),
        }
    }
}

/// What starts an execution: the machine, names and ARNs, the input, and the secret its
/// task tokens are drawn from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartInput {
    /// The machine's name, as the worker registered it.
    pub machine: String,
    /// The state machine's ARN.
    pub state_machine_arn: String,
    /// The execution's name.
    pub execution_name: String,
    /// The execution's ARN.
    pub execution_arn: String,
    /// The role ARN the context object reports.
    pub role_arn: String,
    /// The execution's input.
    pub input: Value,
    /// 32 random bytes (hex) seeding the execution's random numbers: its task tokens cannot be
    /// guessed from anything Temporal shows of the workflow but its input.
    pub secret: String,
    /// For a distributed Map's child execution: the Map's number in the machine's plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_of_map: Option<usize>,
}

/// An answer to a task token, or a heartbeat (from SendTaskSuccess/Failure/Heartbeat, or from
/// a handler running in an activity).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskSignal {
    /// The token answered, for token tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The id of the task's TaskScheduled event, for heartbeats of tasks without a token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_event_id: Option<u64>,
    /// What it says.
    pub signal: Signal,
}

/// StopExecution's error and cause.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StopInput {
    /// The error.
    #[serde(default)]
    pub error: Option<String>,
    /// The cause.
    #[serde(default)]
    pub cause: Option<String>,
}

/// One page of history, as the `asl.history` query asks for it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HistoryPage {
    /// The first event's id (1-based).
    pub from: usize,
    /// At most this many events.
    pub limit: usize,
}

/// An execution as the workflow runs it.
#[workflow]
#[derive(Default)]
pub struct StepFunctionsExecution {
    machines: Machines,
    settings: Settings,
    bridge: Option<Bridge>,
    description: Option<Description>,
}

impl StepFunctionsExecution {
    /// The workflow as a worker makes it, with the machines it runs.
    pub(crate) fn new(machines: Machines, settings: Settings) -> Self {
        StepFunctionsExecution {
            machines,
            settings,
            bridge: None,
            description: None,
        }
    }
}

/// Temporal's time as the engine's.
fn timestamp(t: Option<std::time::SystemTime>) -> jiff::Timestamp {
    t.and_then(|t| jiff::Timestamp::try_from(t).ok())
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// The seed a start input's secret gives (`None`: not 32 bytes of hex).
fn seed(secret: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if secret.len() != 64 {
        return None;
    }
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(secret.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

type Pending<'a, T> = Pin<Box<dyn CancellableFuture<Output = T> + 'a>>;

/// The patch that made workflows cancel the timers and activities the engine gave up on.
const CANCEL_ABANDONED: &str = "asl-cancel-abandoned";

/// The patch from which the Lambda Invoke integration's envelope comes from the handler (in
/// the activity) rather than from the workflow: histories recorded before it hold the bare
/// payload, which the workflow wraps when it replays them.
const ENVELOPE_FROM_HANDLER: &str = "asl-lambda-envelope-from-handler";

/// A handler call's activity, awaited.
type Activity<'a> = Pending<'a, Result<TaskAnswer, ActivityExecutionError>>;

/// A child workflow, started and awaited.
type Running<'a> = Pin<Box<dyn Future<Output = TaskResult> + 'a>>;

#[workflow_methods]
impl StepFunctionsExecution {
    /// Runs the execution to its end.
    #[run(name = "StepFunctionsExecution")]
    pub async fn run(ctx: &mut WorkflowContext<Self>, start: StartInput) -> WorkflowResult<Value> {
        let (machine, settings) =
            ctx.state(|s| (s.machines.0.get(&start.machine).cloned(), s.settings));
        let Some(machine) = machine else {
            return Err(ApplicationFailure::builder(format!(
                "this worker runs no machine named '{}'",
                start.machine
            ))
            .type_name("asl.UnknownMachine".to_owned())
            .non_retryable(true)
            .build()
            .into());
        };
        let Some(seed) = seed(&start.secret) else {
            return Err(ApplicationFailure::builder(
                "the start input's secret is not 32 bytes of hex",
            )
            .type_name("asl.BadInput".to_owned())
            .non_retryable(true)
            .build()
            .into());
        };
        let now = timestamp(ctx.workflow_time());
        let bridge = Bridge::new(now, seed, ctx.workflow_id().to_owned());
        let running = Description {
            execution_arn: start.execution_arn.clone(),
            state_machine_arn: start.state_machine_arn.clone(),
            name: start.execution_name.clone(),
            status: Status::Running,
            input: start.input.clone(),
            output: None,
            error: None,
            cause: None,
            start_date: now,
            stop_date: None,
        };
        ctx.state_mut(|s| {
            s.bridge = Some(bridge.clone());
            s.description = Some(running.clone());
        });
        let mut config = ExecutionConfig::new(&machine_name(&start), &start.execution_name);
        config.state_machine_arn = start.state_machine_arn.clone();
        config.execution_arn = start.execution_arn.clone();
        config.role_arn = start.role_arn.clone();
        config.history = HistoryLevel::Full;
        config.history_limit = Some(asl_runtime::MAX_HISTORY_EVENTS);
        config.effects = Some(Arc::new(bridge.clone()));
        if let Some(map) = start.child_of_map {
            // A distributed Map's child execution: its result goes back to its parent as an
            // answer, as a handler's does.
            let result = drive(
                ctx,
                &bridge,
                settings,
                &start.machine,
                machine.run_child(map, start.input.clone(), &config),
            )
            .await;
            let (output, failure) = match &result {
                Ok(v) => (Some(v.clone()), None),
                Err(f) => (None, Some(f.clone())),
            };
            let ended = Description {
                status: if output.is_some() {
                    Status::Succeeded
                } else {
                    Status::Failed
                },
                output,
                error: failure.as_ref().map(|f| f.error.clone()),
                cause: failure.and_then(|f| f.cause),
                stop_date: Some(timestamp(ctx.workflow_time())),
                ..running
            };
            ctx.state_mut(|s| s.description = Some(ended));
            return serde_json::to_value(TaskAnswer(result)).map_err(|e| {
                ApplicationFailure::builder(e.to_string())
                    .non_retryable(true)
                    .build()
                    .into()
            });
        }
        let outcome = drive(
            ctx,
            &bridge,
            settings,
            &start.machine,
            machine.run_with(start.input.clone(), &config),
        )
        .await;
        let stop_date = timestamp(ctx.workflow_time());
        let (error, cause) = match &outcome.failure {
            Some(f) => (Some(f.error.clone()), f.cause.clone()),
            None => (None, None),
        };
        let ended = Description {
            status: outcome.status,
            output: outcome.output.clone(),
            error: error.clone(),
            cause: cause.clone(),
            stop_date: Some(stop_date),
            ..running
        };
        ctx.state_mut(|s| s.description = Some(ended));
        // Best effort: only ListExecutions reads it, and Temporal's own status stands in.
        let _ = ctx.upsert_memo([(
            STATUS_MEMO,
            Some(temporalio_sdk::MemoValue::new(
                outcome.status.as_str().to_owned(),
            )),
        )]);
        match outcome.status {
            Status::Succeeded => Ok(outcome.output.unwrap_or(Value::Null)),
            Status::Aborted => Err(WorkflowTermination::cancelled()),
            status => Err(ApplicationFailure::builder(cause.unwrap_or_default())
                .type_name(error.unwrap_or_else(|| status.as_str().to_owned()))
                .non_retryable(true)
                .build()
                .into()),
        }
    }

    /// StopExecution: the execution ends ABORTED with this error and cause.
    #[signal(name = "asl.stop")]
    pub fn stop(&mut self, _ctx: &mut SyncWorkflowContext<Self>, stop: StopInput) {
        if let Some(bridge) = &self.bridge {
            bridge.request_stop((stop.error, stop.cause));
        }
    }

    #[update_validator(answer)]
    fn validate_answer(
        &self,
        _ctx: &WorkflowContextView,
        signal: &TaskSignal,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let Some(bridge) = &self.bridge else {
            return Err("TaskDoesNotExist".into());
        };
        match &signal.token {
            Some(token) => bridge.check_token(token).map_err(|why| why.code().into()),
            None if signal.scheduled_event_id.is_some() => Ok(()),
            None => Err("TaskDoesNotExist".into()),
        }
    }

    /// SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat, or a handler's heartbeat.
    #[update(name = "asl.signal")]
    pub fn answer(
        &mut self,
        _ctx: &mut SyncWorkflowContext<Self>,
        signal: TaskSignal,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let Some(bridge) = &self.bridge else {
            return Err("TaskDoesNotExist".into());
        };
        match (signal.token, signal.scheduled_event_id) {
            (Some(token), _) => bridge
                .signal_token(&token, signal.signal)
                .map_err(|why| why.code().into()),
            (None, Some(id)) => {
                bridge.signal_task(id, signal.signal);
                Ok(())
            }
            (None, None) => Err("TaskDoesNotExist".into()),
        }
    }

    /// The execution as DescribeExecution describes it (AWS's JSON).
    #[query(name = "asl.describe")]
    pub fn describe(&self, _ctx: &WorkflowContextView) -> Value {
        self.description
            .as_ref()
            .map_or(Value::Null, Description::to_described)
    }

    /// A page of the execution's history.
    #[query(name = "asl.history")]
    pub fn history(&self, _ctx: &WorkflowContextView, page: HistoryPage) -> Vec<Event> {
        match &self.bridge {
            Some(b) if page.limit > 0 => b.history_page(page.from.max(1), page.limit),
            Some(b) => b.history(),
            None => Vec::new(),
        }
    }
}

/// Runs `engine` (an execution, or a child execution) to its end inside the workflow: each
/// time it waits, the requests it made become Temporal commands (in the order it made them),
/// and the answers that came are handed to it, until it neither asks nor gets anything more.
async fn drive<T>(
    ctx: &WorkflowContext<StepFunctionsExecution>,
    bridge: &Bridge,
    settings: Settings,
    machine: &str,
    engine: impl Future<Output = T>,
) -> T {
    let mut engine = std::pin::pin!(engine);
    let mut timers: Vec<(u64, Pending<'_, TimerResult>)> = Vec::new();
    // Each activity with whether its answer is a bare Lambda payload to wrap (see
    // `ENVELOPE_FROM_HANDLER`).
    let mut tasks: Vec<(u64, bool, Activity<'_>)> = Vec::new();
    let mut children: Vec<(u64, Running<'_>)> = Vec::new();
    let mut cancelled = std::pin::pin!(ctx.cancelled());
    let mut cancel_seen = false;
    // Executions recorded before abandoned requests were cancelled replay without cancelling
    // them (Temporal's patch marker keeps both kinds of history replayable).
    let cancel_abandoned = ctx.patched(CANCEL_ABANDONED);
    let envelope_from_handler = ctx.patched(ENVELOPE_FROM_HANDLER);
    std::future::poll_fn(|cx| {
        loop {
            bridge.set_now(timestamp(ctx.workflow_time()));
            if let Poll::Ready(out) = engine.as_mut().poll(cx) {
                return Poll::Ready(out);
            }
            for (id, request) in bridge.take_requests() {
                match request {
                    Request::Timer(deadline) => {
                        let now = timestamp(ctx.workflow_time());
                        let wait = Duration::try_from(deadline.duration_since(now))
                            .unwrap_or(Duration::ZERO);
                        if wait.is_zero() {
                            // Due already: nothing for Temporal to keep.
                            bridge.timer_fired(id);
                        } else {
                            timers.push((id, Box::pin(ctx.timer(wait))));
                        }
                    }
                    Request::Task(order) => {
                        let options = activity_options(&order, settings);
                        let wrap = !envelope_from_handler
                            && order.resource.starts_with("arn:aws:states:::lambda:invoke")
                            && order.task_token.is_none();
                        let input = TaskInput {
                            machine: machine.to_owned(),
                            order: *order,
                        };
                        tasks.push((
                            id,
                            wrap,
                            Box::pin(ctx.execute_activity(TaskActivities::task, input, options)),
                        ));
                    }
                    Request::Child(order) => {
                        children.push((id, Box::pin(child(ctx, machine.to_owned(), *order))));
                    }
                }
            }
            // What the engine gave up on is cancelled: a timer it raced and lost (each round of
            // a task's wait makes a new one), a handler call it timed out, a child execution.
            // They stay until Temporal confirms, and their answers go nowhere.
            for id in bridge.take_abandoned() {
                if !cancel_abandoned {
                    continue;
                }
                if let Some((_, t)) = timers.iter().find(|(i, _)| *i == id) {
                    t.cancel();
                } else if let Some((_, _, t)) = tasks.iter().find(|(i, _, _)| *i == id) {
                    t.cancel();
                }
            }
            let mut progress = false;
            timers.retain_mut(|(id, timer)| match timer.as_mut().poll(cx) {
                Poll::Ready(_) => {
                    bridge.timer_fired(*id);
                    progress = true;
                    false
                }
                Poll::Pending => true,
            });
            tasks.retain_mut(|(id, wrap, task)| match task.as_mut().poll(cx) {
                Poll::Ready(result) => {
                    let answer = answer(result);
                    let answer = match answer {
                        Ok(payload) if *wrap => {
                            Ok(asl_runtime::task::lambda_invoke_envelope(payload))
                        }
                        other => other,
                    };
                    bridge.task_ended(*id, answer);
                    progress = true;
                    false
                }
                Poll::Pending => true,
            });
            children.retain_mut(|(id, child)| match child.as_mut().poll(cx) {
                Poll::Ready(result) => {
                    bridge.task_ended(*id, result);
                    progress = true;
                    false
                }
                Poll::Pending => true,
            });
            if !cancel_seen && let Poll::Ready(_) = cancelled.as_mut().poll(cx) {
                cancel_seen = true;
                bridge.request_stop((None, None));
                progress = true;
            }
            if !progress {
                return Poll::Pending;
            }
        }
    })
    .await
}

/// A distributed Map's child execution as a child workflow (id: its parent's, then its own
/// name), and its end as the engine's answer.
async fn child(
    ctx: &WorkflowContext<StepFunctionsExecution>,
    machine: String,
    order: ChildOrder,
) -> TaskResult {
    let id = format!("{}/{}", ctx.workflow_id(), order.execution_name);
    let input = StartInput {
        machine,
        state_machine_arn: order.state_machine_arn,
        execution_name: order.execution_name,
        execution_arn: order.execution_arn,
        role_arn: String::new(),
        input: order.input,
        secret: order.secret,
        child_of_map: Some(order.map),
    };
    let options = ChildWorkflowOptions::builder().workflow_id(id).build();
    let started = match ctx
        .start_child_workflow(StepFunctionsExecution::run, input, options)
        .await
    {
        Ok(started) => started,
        Err(e) => return task_failure(format!("the child execution did not start: {e}")),
    };
    match started.result().await {
        Ok(v) => match serde_json::from_value::<TaskAnswer>(v) {
            Ok(TaskAnswer(r)) => r,
            Err(e) => task_failure(format!("the child execution's answer is unreadable: {e}")),
        },
        Err(e) => Err(asl_runtime::Failure::new(
            asl_runtime::error::names::RUNTIME,
            format!("the child execution did not end: {e}"),
        )),
    }
}

/// The state machine's name in its ARN.
fn machine_name(start: &StartInput) -> String {
    start
        .state_machine_arn
        .rsplit(':')
        .next()
        .unwrap_or(&start.machine)
        .to_owned()
}

/// How a handler call is scheduled: its TimeoutSeconds (with a minute to spare: the engine's
/// own timer decides) or a year, heartbeats from the worker so a lost worker's attempt is
/// retried elsewhere, and retries only for that (the handler's failures come back as
/// answers, for ASL's Retry).
fn activity_options(
    order: &asl_runtime::effects::TaskOrder,
    settings: Settings,
) -> ActivityOptions {
    const YEAR: Duration = Duration::from_secs(366 * 24 * 3600);
    let close = order.timeout_seconds.map_or(YEAR, |s| {
        Duration::from_secs(s.saturating_add(60)).min(YEAR)
    });
    ActivityOptions::with_schedule_to_close_timeout(close)
        .heartbeat_timeout(settings.worker_loss_timeout)
        .activity_id(format!("{}#{}", order.state_name, order.scheduled_event_id))
        .summary(order.state_name.clone())
        .retry_policy(
            RetryPolicy::builder()
                .initial_interval(Duration::from_secs(1))
                .maximum_interval(Duration::from_secs(10))
                .build(),
        )
        .build()
}

/// An activity's end as the engine's task result.
fn answer(result: Result<TaskAnswer, ActivityExecutionError>) -> asl_runtime::effects::TaskResult {
    match result {
        Ok(TaskAnswer(r)) => r,
        Err(e) => task_failure(format!("the handler's activity did not complete: {e}")),
    }
}
