//! The executor: runs a [`Plan`] from `StartAt` to its end, state by state, keeping the
//! execution record (status and history, readable while it runs), the context object and
//! AWS's error rules.

mod aws_json;
pub use aws_json::epoch_seconds;
mod map;
pub(crate) use map::{ChildParts, run_child};
mod map_input;
mod outcome;
mod parallel;
pub mod path;
mod retry;
mod states;
mod task;
pub mod test_state;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

pub use crate::limits::{MAX_PAYLOAD_BYTES, json_size};

use crate::budget::Budget;
use crate::data::vars::Vars;
use crate::definition::StateType;
use crate::effects::{Effects, Seam};
use crate::error::Failure;
use crate::history::{ErrorDetails, EventKind, ExecutionStartedDetails, History, OutputDetails};
use crate::items::{ItemReader, ResultWriter};
use crate::plan::{Kind, Plan, StatePlan};
use crate::task::Dispatch;
use crate::time::ExecutionClock;
use crate::tokens::TokenRegistry;
use crate::trace::{Decision, Trace};

/// Who is running: the names and ARNs the context object reports, and the clock.
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
    /// How much of the history to keep.
    pub history: HistoryLevel,
    /// What performs the execution's effects; `None` (the default) is the live seam: tokio's
    /// timers and `clock`, the handlers called directly, the system's randomness.
    pub effects: Option<Arc<dyn Effects>>,
    /// The budget of each JSONata evaluation; `None` (the default) is the machine's
    /// ([`Machine::with_budget`](crate::Machine::with_budget)), [`Budget::DEFAULT`] unless set.
    pub budget: Option<Budget>,
    /// The most events the execution's history may count: AWS's hard quota for Standard
    /// workflows, [`MAX_HISTORY_EVENTS`] (25,000), by default. As AWS does, when the event at
    /// the limit would be anything but `ExecutionSucceeded`, the execution fails there
    /// (`States.Runtime`) instead. `None` counts without a limit (as an Express workflow, whose
    /// history AWS does not keep). Events are counted even when the history is not kept.
    pub history_limit: Option<u64>,
    /// The test case of the machine's mock configuration this execution runs under
    /// ([`Machine::with_mocks`](crate::Machine::with_mocks)); `None` (the default) runs every
    /// Task state's handler.
    pub test_case: Option<String>,
}

/// AWS's hard quota on the events of a Standard execution's history.
pub const MAX_HISTORY_EVENTS: u64 = 25_000;

/// How much history an execution keeps. Event ids are counted the same way at every level, so
/// error causes that cite them do not change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HistoryLevel {
    /// Every event with its details, inputs and outputs included, as GetExecutionHistory has them.
    #[default]
    Full,
    /// Every event with its state name, error and cause, but no inputs or outputs.
    Events,
    /// No events: the fastest, for executions nobody inspects.
    Off,
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
            history: HistoryLevel::Full,
            effects: None,
            budget: None,
            history_limit: Some(MAX_HISTORY_EVENTS),
            test_case: None,
        }
    }
}

/// An execution's status, as DescribeExecution reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Still running.
    Running,
    /// It reached a Succeed state or an `End`.
    Succeeded,
    /// A state failed and nothing caught it.
    Failed,
    /// The machine's `TimeoutSeconds` ran out.
    TimedOut,
    /// It was stopped.
    Aborted,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 5] = [
        Status::Running,
        Status::Succeeded,
        Status::Failed,
        Status::TimedOut,
        Status::Aborted,
    ];

    /// The status AWS names `name` (`SUCCEEDED`, …), in any case.
    pub fn from_name(name: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name))
    }

    /// The status as AWS names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "RUNNING",
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
        }
    }
}

/// What DescribeExecution tells about an execution.
#[derive(Clone, Debug, PartialEq)]
pub struct Description {
    /// The execution's ARN.
    pub execution_arn: String,
    /// The state machine's ARN.
    pub state_machine_arn: String,
    /// The execution's name.
    pub name: String,
    /// Its status.
    pub status: Status,
    /// Its input.
    pub input: Value,
    /// Its output, once it succeeded.
    pub output: Option<Value>,
    /// The error, once it failed or was stopped with one.
    pub error: Option<String>,
    /// The cause, likewise.
    pub cause: Option<String>,
    /// When it started.
    pub start_date: jiff::Timestamp,
    /// When it ended.
    pub stop_date: Option<jiff::Timestamp>,
}

/// An execution's description and history, shared with whoever watches it.
#[derive(Debug)]
pub(crate) struct Record {
    pub(crate) description: Description,
    pub(crate) history: History,
}

/// Who can read an execution's record besides the execution itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Readers {
    /// An [`Execution`](crate::Execution) handle or [`Machine::running`](crate::Machine::running):
    /// the description is kept whole.
    Watchers,
    /// Only the execution, whose context object reports the input.
    ContextObject,
    /// Nobody: only the history is kept.
    Nobody,
}

impl Record {
    pub(crate) fn new(
        input: &Value,
        config: &ExecutionConfig,
        readers: Readers,
        seam: &Seam,
    ) -> Self {
        let watched = readers == Readers::Watchers;
        let text = |s: &String| if watched { s.clone() } else { String::new() };
        Record {
            description: Description {
                execution_arn: text(&config.execution_arn),
                state_machine_arn: text(&config.state_machine_arn),
                name: text(&config.execution_name),
                status: Status::Running,
                input: if readers == Readers::Nobody {
                    Value::Null
                } else {
                    input.clone()
                },
                output: None,
                error: None,
                cause: None,
                // Read by watchers and by `$$.Execution.StartTime`; nobody else needs the clock.
                start_date: if readers == Readers::Nobody {
                    jiff::Timestamp::UNIX_EPOCH
                } else {
                    seam.now()
                },
                stop_date: None,
            },
            history: History::default(),
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
    /// The error and cause, if it failed or was stopped (a timed-out execution has none, as on AWS).
    pub failure: Option<Failure>,
    /// Its history.
    pub history: History,
    /// The decisions it made that the history does not show (the Choice branches, Retriers
    /// and Catchers taken) with every state entered and transition taken; kept when the
    /// history is (and when coverage is collected), empty otherwise.
    pub decisions: Vec<Decision>,
}

/// What an execution can reach besides its plan.
pub(crate) struct Env<'a> {
    /// What performs the execution's effects.
    pub(crate) seam: &'a Seam,
    /// When the execution started: the start date its record took (see [`Record::new`]),
    /// read before the record was shared. Formatted only for states that read `$$`.
    pub(crate) start_time: jiff::Timestamp,
    /// Whether anyone but the execution reads its record (it was made for
    /// [`Readers::Watchers`]): only then are its description's output, names and dates kept.
    pub(crate) watched: bool,
    pub(crate) tasks: &'a dyn Dispatch,
    pub(crate) tokens: Option<&'a TokenRegistry>,
    pub(crate) record: &'a Mutex<Record>,
    /// Where Map states with an ItemReader read their items.
    pub(crate) reader: Option<&'a dyn ItemReader>,
    /// Where Map states with a ResultWriter write their results.
    pub(crate) writer: Option<&'a dyn ResultWriter>,
    /// Where the execution's decisions go, when they are traced.
    pub(crate) trace: Option<&'a Trace>,
    /// How long Wait states and Retry back-offs take.
    pub(crate) waits: crate::time::Waits,
}

/// Where a state sends the execution, with what, and the variables it assigns.
struct Transition {
    /// The next state; `None` ends the container.
    next: Option<usize>,
    /// The state's output.
    value: Value,
    /// What its Assign evaluated to (set once the state is done); boxed, as most states
    /// assign nothing and a transition is moved at every step.
    assign: Option<Box<serde_json::Map<String, Value>>>,
}

impl Transition {
    fn to(next: Option<usize>, value: Value) -> Self {
        Transition {
            next,
            value,
            assign: None,
        }
    }

    /// A transition that also sets variables.
    #[inline]
    fn assigning(
        next: Option<usize>,
        value: Value,
        assign: Option<serde_json::Map<String, Value>>,
    ) -> Self {
        Transition {
            next,
            value,
            assign: assign.map(Box::new),
        }
    }
}

/// Where a state sends the execution and the variables it assigns, its output being where its
/// input was (see [`Run::immediate`]).
struct Step {
    /// The next state; `None` ends the container.
    next: Option<usize>,
    /// What its Assign evaluated to; boxed, as most states assign nothing.
    assign: Option<Box<serde_json::Map<String, Value>>>,
}

impl Step {
    fn to(next: Option<usize>) -> Self {
        Step { next, assign: None }
    }

    /// A step that also sets variables.
    #[inline]
    fn assigning(next: Option<usize>, assign: Option<serde_json::Map<String, Value>>) -> Self {
        Step {
            next,
            assign: assign.map(Box::new),
        }
    }
}

/// Puts `v` in `slot`, which a `std::mem::take` emptied: the `null` left there is forgotten
/// rather than passed to `Value`'s drop, a call that tests it and returns.
#[inline(always)]
fn refill(slot: &mut Value, v: Value) {
    let old = std::mem::replace(slot, v);
    if old.is_null() {
        std::mem::forget(old);
    } else {
        drop(old);
    }
}

impl Transition {
    /// The step, with the output put in `value`.
    #[inline]
    fn into_step(self, value: &mut Value) -> Step {
        refill(value, self.value);
        Step {
            next: self.next,
            assign: self.assign,
        }
    }
}

/// The loop of a container, written once for the async [`Run::states`] and the synchronous
/// [`Run::states_at_once`]: for each state, its entered event and span, `$step` (the state's
/// own work, given the state, its input to turn into its output where it stands, the
/// variables, the span and the entered event's id), the error as the state's, the variables it
/// assigned, its exited event, and the next state. A macro rather than functions, so the loop
/// moves no value more than its work needs.
macro_rules! container_loop {
    ($run:ident, $states:ident, $start:ident, $value:ident, $outer:ident,
     |$state:ident, $input:ident, $vars:ident, $span:ident, $entered:ident| $step:expr) => {{
        let mut $vars = $outer.map_or_else(Vars::root, Vars::child);
        let mut current = $start;
        let mut $input = $value;
        loop {
            let Some($state) = $states.get(current) else {
                return Err(Failure::runtime(format!("no state number {current}")));
            };
            let names = names(&$state.kind);
            let $entered = $run.event(|full| {
                EventKind::state_entered(names.state_type, $state.name.clone(), full.then(|| $input.clone()))
            });
            if let Some(full) = $run.history_full() {
                return Err(full);
            }
            if let Some(trace) = $run.env.trace {
                trace.push(Decision::Entered { state: $state.name.clone() });
            }
            let $span = tracing::debug_span!("state", name = %$state.name, r#type = names.ty, event = $entered);
            let step = $step.map_err(|f| f.leaving(&$state.name, $entered))?;
            if $state.may_grow() && !crate::limits::fits(&$input, crate::limits::MAX_PAYLOAD_BYTES) {
                return Err(crate::limits::output_too_large(&$state.name).leaving(&$state.name, $entered));
            }
            // The variables a state assigns are in its exited event, each as JSON text, when
            // the history keeps payloads.
            let mut assigned_text = None;
            if let Some(assigned) = step.assign {
                if names.exits && $run.kept() == Some(true) {
                    assigned_text = Some(as_text(&assigned));
                }
                if let Err(total) = $vars.assign(*assigned) {
                    return Err(Failure::runtime(format!(
                        "The workflow variables would hold {total} bytes; an execution's variables hold at most {}",
                        crate::data::vars::MAX_TOTAL_BYTES
                    ))
                    .leaving(&$state.name, $entered));
                }
            }
            // A Fail state has no exited event.
            if names.exits {
                $run.next_event_id();
                if let Some(full) = $run.kept()
                    && let Some(mut exited) = EventKind::state_exited(names.state_type, $state.name.clone(), full.then(|| $input.clone()))
                {
                    if let Some(assigned) = assigned_text {
                        exited.assigned(assigned);
                    }
                    $run.record_event(exited);
                }
            }
            match step.next {
                Some(next) => {
                    if let Some(trace) = $run.env.trace
                        && let Some(to) = $states.get(next)
                    {
                        trace.push(Decision::Moved { from: $state.name.clone(), to: to.name.clone() });
                    }
                    current = next
                }
                None => return Ok($input),
            }
        }
    }};
}

struct Run<'a> {
    next_event: std::sync::atomic::AtomicU64,
    /// The id no event but the execution's last may take ([`ExecutionConfig::history_limit`]).
    history_limit: u64,
    /// The execution's name and ARN as shared strings, made for the first handler that takes a
    /// context.
    shared_names: std::sync::OnceLock<(std::sync::Arc<str>, std::sync::Arc<str>)>,
    plan: &'a Plan,
    env: Env<'a>,
    config: &'a ExecutionConfig,
}

/// Runs `plan` on `input` to the end.
pub async fn execute(
    plan: &Plan,
    tasks: &dyn Dispatch,
    input: Value,
    config: &ExecutionConfig,
) -> Outcome {
    let readers = if plan.reads_context() {
        Readers::ContextObject
    } else {
        Readers::Nobody
    };
    let seam = Seam::new(config.clock, config.effects.as_ref())
        .with_budget(config.budget.unwrap_or_default());
    let record = Record::new(&input, config, readers, &seam);
    let start_time = record.description.start_date;
    let record = Mutex::new(record);
    let env = Env {
        seam: &seam,
        start_time,
        watched: false,
        tasks,
        tokens: None,
        record: &record,
        reader: None,
        writer: None,
        trace: None,
        waits: crate::time::Waits::Real,
    };
    run(plan, env, input, config, std::future::pending()).await
}

/// Runs `plan` until it ends or `stop` resolves (with the error and cause to report).
pub(crate) async fn run(
    plan: &Plan,
    env: Env<'_>,
    input: Value,
    config: &ExecutionConfig,
    stop: impl std::future::Future<Output = (Option<String>, Option<String>)> + Send,
) -> Outcome {
    let run = Run {
        next_event: std::sync::atomic::AtomicU64::new(1),
        history_limit: config.history_limit.unwrap_or(u64::MAX),
        shared_names: std::sync::OnceLock::new(),
        plan,
        env,
        config,
    };
    run.event(|full| EventKind::ExecutionStarted {
        details: ExecutionStartedDetails::new(full.then(|| input.clone()), &config.role_arn),
    });
    if !crate::limits::fits(&input, MAX_PAYLOAD_BYTES) {
        return run.finish(Err((
            Status::Failed,
            Some(Failure::new(
                crate::error::names::DATA_LIMIT_EXCEEDED,
                format!(
                    "The execution input is {} bytes, more than the maximum number of bytes service limit ({MAX_PAYLOAD_BYTES}).",
                    json_size(&input)
                ),
            )),
        )));
    }
    let span = tracing::info_span!("execution", machine = %config.state_machine_name, execution = %config.execution_name);
    if crate::plan::finishes_at_once(&plan.states) {
        // Pass, Choice, Succeed and Fail states only: the execution never waits, so neither
        // its TimeoutSeconds nor a stop can come between its states (as with the loop below,
        // which would not yield either), and it needs no future of its own.
        let result = span
            .in_scope(|| run.states_at_once(&plan.states, plan.start, input, None))
            .map_err(|f| (Status::Failed, Some(f)));
        return run.finish(result);
    }
    let states = async {
        match plan.timeout_seconds {
            // Boxed: the timer stays out of the future of executions without a timeout.
            Some(secs) => {
                let seam = &run.env.seam;
                let states = run.states(&plan.states, plan.start, input, None);
                let timed = Box::pin(async {
                    // The states first, then the timer, as `tokio::time::timeout` polls them.
                    tokio::select! {
                        biased;
                        r = states => Some(r),
                        () = seam.sleep(Duration::from_secs(secs)) => None,
                    }
                });
                match timed.await {
                    Some(r) => r.map_err(|f| (Status::Failed, Some(f))),
                    None => Err((Status::TimedOut, None)),
                }
            }
            None => run
                .states(&plan.states, plan.start, input, None)
                .await
                .map_err(|f| (Status::Failed, Some(f))),
        }
    };
    // Boxed once here, so the futures around it (the stop, the caller's) move a pointer
    // rather than the states' whole future.
    let states = Box::pin(tracing::Instrument::instrument(states, span));
    let stop = run.env.seam.stop(stop);
    // Biased: polled in order, without drawing a random number for fairness each time.
    let result = tokio::select! {
        biased;
        r = states => r,
        (error, cause) = stop => Err((Status::Aborted, Some(Failure { error: error.unwrap_or_default(), cause, detail: false }))),
    };
    run.finish(result)
}

impl Run<'_> {
    /// Appends a history event (the record is shared, so watchers see it at once) and returns
    /// its id. `details` is told whether to include inputs and outputs; it is not called at all
    /// when the history is off.
    #[inline]
    fn event(&self, kind: impl FnOnce(bool) -> EventKind) -> u64 {
        let id = self.next_event_id();
        // Past the history's limit nothing is recorded: the execution is failing
        // (`history_full`), and its last event takes the limit's id.
        if id < self.history_limit
            && let Some(full) = self.kept()
        {
            self.record_event(kind(full));
        }
        id
    }

    /// The failure of an execution whose history reached its limit with an event other than
    /// its last, once it has (the states stop at their next step).
    #[inline]
    fn history_full(&self) -> Option<Failure> {
        let next = self.next_event.load(std::sync::atomic::Ordering::Relaxed);
        (next > self.history_limit).then(|| self.history_full_failure())
    }

    #[cold]
    fn history_full_failure(&self) -> Failure {
        Failure::runtime(format!(
            "The execution reached the maximum number of events in its history ({}) before it ended.",
            self.history_limit
        ))
    }

    /// The execution's last event, which may take the history limit's id.
    fn last_event(&self, kind: impl FnOnce(bool) -> EventKind) {
        self.next_event_id();
        if let Some(full) = self.kept() {
            self.record_event(kind(full));
        }
    }

    /// Takes the next event's id.
    #[inline]
    fn next_event_id(&self) -> u64 {
        // One execution's states are all polled inside its one future (the engine spawns no
        // tasks), so nothing increments concurrently: a plain load and store count correctly
        // without a locked read-modify-write on every event.
        let id = self.next_event.load(std::sync::atomic::Ordering::Relaxed);
        self.next_event
            .store(id + 1, std::sync::atomic::Ordering::Relaxed);
        id
    }

    /// Whether events are kept (`None`: the history is off), and with their payloads.
    #[inline]
    fn kept(&self) -> Option<bool> {
        match self.config.history {
            HistoryLevel::Off => None,
            HistoryLevel::Events => Some(false),
            HistoryLevel::Full => Some(true),
        }
    }

    fn record_event(&self, kind: EventKind) {
        let now = self.env.seam.now();
        let told = {
            let mut record = self.env.record.lock().unwrap_or_else(|e| e.into_inner());
            record.history.push(now, kind);
            // An implementation of the seam is told after the lock is released, so it may
            // read the execution (describe it, read its history) without waiting on itself.
            if self.env.seam.is_live() {
                None
            } else {
                record.history.events().last().cloned()
            }
        };
        if let Some(event) = told {
            self.env.seam.event(&event);
        }
    }

    /// The region the execution runs in, as its ARN names it.
    /// Read per event, and only while a history is kept: a field caching it would cost every
    /// execution, history or not (measured: +22 instructions on noop).
    fn region(&self) -> std::sync::Arc<str> {
        self.config
            .execution_arn
            .split(':')
            .nth(3)
            .unwrap_or_default()
            .into()
    }

    fn finish(&self, result: Result<Value, (Status, Option<Failure>)>) -> Outcome {
        match &result {
            Ok(_) => tracing::debug!(execution = %self.config.execution_name, "succeeded"),
            Err((status, f)) => tracing::info!(
                execution = %self.config.execution_name,
                status = status.as_str(),
                error = f.as_ref().map_or("", |f| f.error.as_str()),
                cause = f.as_ref().and_then(|f| f.cause.as_deref()).unwrap_or(""),
                "ended"
            ),
        }
        let (status, output, failure) = match (result, self.history_full()) {
            (_, Some(full)) => (Status::Failed, None, Some(full)),
            (Ok(output), None) => (Status::Succeeded, Some(output), None),
            (Err((status, f)), None) => (status, None, f),
        };
        self.last_event(|full| {
            // A stop without an error records none (not an empty one).
            let error = || ErrorDetails {
                error: failure
                    .as_ref()
                    .map(|f| f.error.clone())
                    .filter(|e| !e.is_empty()),
                cause: failure.as_ref().and_then(|f| f.cause.clone()),
            };
            match status {
                Status::Succeeded => EventKind::ExecutionSucceeded {
                    details: OutputDetails::new(if full { output.clone() } else { None }),
                },
                Status::TimedOut => EventKind::ExecutionTimedOut {
                    details: ErrorDetails::default(),
                },
                Status::Aborted => EventKind::ExecutionAborted { details: error() },
                _ => EventKind::ExecutionFailed { details: error() },
            }
        });
        // A stop without an error or a cause reports neither.
        let failure = match status {
            Status::Aborted => failure.filter(|f| !f.error.is_empty() || f.cause.is_some()),
            _ => failure,
        };
        if !self.env.watched && self.config.history == HistoryLevel::Off {
            // Nothing was written to the record, and nobody reads it: no lock to take.
            return Outcome {
                status,
                output,
                failure,
                history: History::default(),
                decisions: self.decisions(),
            };
        }
        let mut record = self.env.record.lock().unwrap_or_else(|e| e.into_inner());
        if self.env.watched {
            let d = &mut record.description;
            d.status = status;
            d.output = output.clone();
            d.error = failure.as_ref().map(|f| f.error.clone());
            d.cause = failure.as_ref().and_then(|f| f.cause.clone());
            d.stop_date = Some(self.env.seam.now());
        }
        Outcome {
            status,
            output,
            failure,
            history: std::mem::take(&mut record.history),
            decisions: self.decisions(),
        }
    }

    /// The decisions traced, taken out of the trace.
    fn decisions(&self) -> Vec<Decision> {
        self.env.trace.map(Trace::take).unwrap_or_default()
    }

    /// Traces a decision, when decisions are traced.
    #[inline]
    fn decided(&self, d: impl FnOnce() -> Decision) {
        if let Some(trace) = self.env.trace {
            trace.push(d());
        }
    }

    /// Runs the states of one container from `start` to its end, with a frame of variables of
    /// its own inside `outer`'s.
    async fn states(
        &self,
        states: &[StatePlan],
        start: usize,
        value: Value,
        outer: Option<&Vars<'_>>,
    ) -> Result<Value, Failure> {
        container_loop!(
            self,
            states,
            start,
            value,
            outer,
            |state, value, vars, span, entered| {
                match &state.kind {
                    // The handler's future is awaited right here: no future of the state around it.
                    Kind::Task(task) if task::is_bare(state, task) && span.is_disabled() => self
                        .bare_task(state, task, std::mem::take(&mut value))
                        .await
                        .map(|out| {
                            refill(&mut value, out);
                            Step::to(state.next)
                        }),
                    Kind::Task(task) if task::is_plain(task) && span.is_disabled() => {
                        match self.start_task(state, task, std::mem::take(&mut value), 0, &vars) {
                            Ok(mut started) => {
                                let result = task::guarded(&mut started.call, &state.name).await;
                                self.finish_task(state, task, started, result, &vars).map(
                                    |(out, assign)| {
                                        refill(&mut value, out);
                                        Step::assigning(state.next, assign)
                                    },
                                )
                            }
                            Err(f) => Err(f),
                        }
                    }
                    Kind::Wait(_) | Kind::Task(_) | Kind::Parallel(_) | Kind::Map(_) => {
                        let run =
                            self.suspending(state, std::mem::take(&mut value), entered, &vars);
                        // A span nobody listens to is not worth wrapping every poll in.
                        if span.is_disabled() {
                            run.await
                        } else {
                            tracing::Instrument::instrument(run, span).await
                        }
                        .map(|t| t.into_step(&mut value))
                    }
                    _ if span.is_disabled() => self.immediate(state, &mut value, &vars),
                    _ => span.in_scope(|| self.immediate(state, &mut value, &vars)),
                }
            }
        )
    }

    /// [`states`](Self::states) for a container whose states all finish without waiting
    /// ([`finishes_at_once`](crate::plan::finishes_at_once)): the same steps, events and
    /// errors, with no future around them.
    fn states_at_once(
        &self,
        states: &[StatePlan],
        start: usize,
        value: Value,
        outer: Option<&Vars<'_>>,
    ) -> Result<Value, Failure> {
        container_loop!(
            self,
            states,
            start,
            value,
            outer,
            |state, value, vars, span, entered| {
                if span.is_disabled() {
                    self.immediate(state, &mut value, &vars)
                } else {
                    span.in_scope(|| self.immediate(state, &mut value, &vars))
                }
            }
        )
    }
}

/// Assigned variables as a state's exited event lists them: each value as JSON text.
#[cold]
fn as_text(
    assigned: &serde_json::Map<String, Value>,
) -> std::collections::BTreeMap<String, String> {
    assigned
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect()
}

/// A state type's name, its type, and whether it has an exited event.
struct Names {
    ty: &'static str,
    state_type: StateType,
    /// False for a Fail state, which has no exited event.
    exits: bool,
}

/// The [`Names`] of a state of `kind` (a reference into a table, so a state's step copies one
/// pointer rather than three strings).
fn names(kind: &Kind) -> &'static Names {
    const fn n(ty: &'static str, state_type: StateType) -> Names {
        Names {
            ty,
            state_type,
            exits: !matches!(state_type, StateType::Fail),
        }
    }
    static TABLE: [Names; 8] = [
        n("Pass", StateType::Pass),
        n("Task", StateType::Task),
        n("Choice", StateType::Choice),
        n("Wait", StateType::Wait),
        n("Succeed", StateType::Succeed),
        n("Fail", StateType::Fail),
        n("Parallel", StateType::Parallel),
        n("Map", StateType::Map),
    ];
    &TABLE[match kind {
        Kind::Pass { .. } => 0,
        Kind::Task(_) => 1,
        Kind::Choice { .. } => 2,
        Kind::Wait(_) => 3,
        Kind::Succeed => 4,
        Kind::Fail { .. } => 5,
        Kind::Parallel(_) => 6,
        Kind::Map(_) => 7,
    }]
}
