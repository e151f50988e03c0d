//! The seam every effect of an execution passes: reading the time, sleeping until a deadline,
//! calling a Task's handler, waiting for a task token's answer or a heartbeat, being stopped,
//! drawing random bytes (task tokens, UUIDs, `States.MathRandom`, JSONata's `$random`), and
//! recording a history event. The engine decides; whatever implements [`Effects`] performs.
//!
//! By default an execution runs [`Seam::Live`]: tokio's timers and clock (so a paused tokio
//! runtime makes time virtual), the handlers themselves, and a cryptographically secure random
//! generator, called directly with nothing in between. Give an
//! [`ExecutionConfig`](crate::ExecutionConfig) an `Arc<dyn Effects>` to run an execution
//! through something else: [`Recorder`] keeps what every effect returned, and [`Replayer`]
//! plays such a [`Recording`] back with no handler, clock or random source, giving the same
//! history and output.
//!
//! ```
//! use std::sync::Arc;
//! use asl_runtime::effects::{Live, Recorder, Replayer};
//! use asl_runtime::{ExecutionConfig, Failure, time::ExecutionClock};
//! use serde_json::{Value, json};
//!
//! asl_runtime::asl!("../examples/workflows/message.asl.json");
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let machine = Message::builder()
//!     .process_message(|event: Value| async move { Ok::<_, Failure>(json!({"seen": event})) })
//!     .build();
//! let mut config = ExecutionConfig::new(machine.name(), "recorded");
//! let recorder = Arc::new(Recorder::new(Arc::new(Live { clock: ExecutionClock::system() })));
//! config.effects = Some(recorder.clone());
//! let first = machine.run_with(json!({"message": "hi"}), &config).await;
//!
//! // Played back: the handler is not called, the clock not read.
//! let replayer = Arc::new(Replayer::new(recorder.recording()));
//! config.effects = Some(replayer.clone());
//! let again = machine.run_with(json!({"message": "hi"}), &config).await;
//! assert_eq!(replayer.finish(), Ok(()));
//! assert_eq!(again.output, first.output);
//! assert_eq!(again.history, first.history);
//! # });
//! ```

mod durable;
mod record;
mod replay;

use std::sync::Arc;

use futures_util::future::Either;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::time::Sleep;

use crate::budget::Budget;
use crate::error::Failure;
use crate::history::Event;
use crate::task::BoxFuture;
use crate::time::ExecutionClock;

pub use durable::Durable;
pub use record::{Entry, Recorder, Recording};
pub use replay::{Divergence, Replayer};

/// What a Task's handler call ends with.
pub type TaskResult = Result<Value, Failure>;

/// Starts a Task's handler call on the input it is given (the request's): calling it runs the
/// handler's own code up to its first await, so an implementation that does not perform the
/// call here (a replay, or a backend that runs handlers elsewhere) never calls it. It may be
/// called once, during [`Effects::task`]; a panic in the handler is already the task's
/// `States.TaskFailed` in the future it returns.
pub type TaskStart<'s, 'a> = &'s mut dyn FnMut(Value) -> BoxFuture<'a, TaskResult>;

/// A Task's handler call as the engine asks for it: which handler, on what input, and
/// everything the handler's [`TaskContext`](crate::TaskContext) holds. A backend that runs
/// handlers in another process sends [`TaskRequest::to_order`] there, where
/// [`Machine::perform`](crate::Machine::perform) makes the same call.
#[derive(Debug)]
pub struct TaskRequest<'r> {
    /// The handler's number (the generator numbers a machine's Task states).
    pub handler: usize,
    /// The handler's input (the state's Parameters applied).
    pub input: Value,
    /// The call's description.
    pub call: crate::task::TaskCall<'r>,
    /// The state's TimeoutSeconds, evaluated.
    pub timeout_seconds: Option<u64>,
    /// The state's HeartbeatSeconds, evaluated.
    pub heartbeat_seconds: Option<u64>,
}

impl TaskRequest<'_> {
    /// The call as an owned value that can cross processes, with the input moved into it.
    pub fn into_order(self) -> TaskOrder {
        let c = &self.call;
        TaskOrder {
            handler: self.handler,
            input: self.input,
            execution_name: c.execution_name().to_owned(),
            execution_arn: c.execution_arn().to_owned(),
            state_name: c.state_name().to_owned(),
            resource: c.resource().to_owned(),
            retry_count: c.retry_count(),
            scheduled_event_id: c.scheduled_event_id(),
            task_token: c.task_token().map(str::to_owned),
            credentials: c.credentials().cloned(),
            timeout_seconds: self.timeout_seconds,
            heartbeat_seconds: self.heartbeat_seconds,
        }
    }

    /// The call as an owned value that can cross processes (the input copied).
    pub fn to_order(&self) -> TaskOrder {
        TaskRequest {
            handler: self.handler,
            input: self.input.clone(),
            call: self.call,
            timeout_seconds: self.timeout_seconds,
            heartbeat_seconds: self.heartbeat_seconds,
        }
        .into_order()
    }
}

/// A Task's handler call, owned and serializable: what a backend that runs handlers in other
/// processes (Temporal activities) sends them, to be made with
/// [`Machine::perform`](crate::Machine::perform).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskOrder {
    /// The handler's number.
    pub handler: usize,
    /// The handler's input.
    pub input: Value,
    /// The execution's name.
    pub execution_name: String,
    /// The execution's ARN.
    pub execution_arn: String,
    /// The Task state's name.
    pub state_name: String,
    /// The state's `Resource`.
    pub resource: String,
    /// How many times the state has been retried so far.
    pub retry_count: u64,
    /// The id of the call's TaskScheduled event.
    pub scheduled_event_id: u64,
    /// The task token, for `.waitForTaskToken` resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_token: Option<String>,
    /// The evaluated `Credentials`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<Value>,
    /// The state's TimeoutSeconds, evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
    /// The state's HeartbeatSeconds, evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_seconds: Option<u64>,
}

/// Where a distributed Map's child execution runs: here, in the engine (with its input back),
/// or elsewhere, ending as the future does.
pub enum ChildRun<'a> {
    /// In the engine, on this input.
    Here(Value),
    /// Elsewhere: its output or the failure it ended with.
    Elsewhere(BoxFuture<'a, TaskResult>),
}

impl std::fmt::Debug for ChildRun<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChildRun::Here(_) => f.write_str("ChildRun::Here"),
            ChildRun::Elsewhere(_) => f.write_str("ChildRun::Elsewhere"),
        }
    }
}

/// A distributed Map's child execution as the engine asks for it: which Map (its number in
/// [`Plan::distributed_maps`](crate::plan::Plan::distributed_maps)), on what input, under which
/// names. A backend may run it elsewhere with
/// [`Machine::run_child`](crate::Machine::run_child).
#[derive(Debug)]
pub struct ChildRequest<'r> {
    /// The Map state's number.
    pub map: usize,
    /// The child's input.
    pub input: Value,
    /// The child execution's name.
    pub execution_name: &'r str,
    /// Its ARN.
    pub execution_arn: &'r str,
    /// The ARN its context object names as its state machine's (the Map Run's).
    pub state_machine_arn: &'r str,
}

/// A task that waits for signals (its token's answer, or heartbeats): which call it is.
#[derive(Clone, Copy, Debug)]
pub struct Waiting<'w> {
    /// The id of the call's TaskScheduled event (unique in its execution).
    pub scheduled_event_id: u64,
    /// The token it waits for, for `.waitForTaskToken` tasks.
    pub task_token: Option<&'w str>,
}

/// Why an execution is to stop: the error and cause StopExecution gave.
pub type StopRequest = (Option<String>, Option<String>);

/// What reaches a task that waits for its token's answer or sends heartbeats.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "signal", rename_all = "camelCase")]
pub enum Signal {
    /// SendTaskSuccess, with the task's result.
    Success {
        /// The result.
        output: Value,
    },
    /// SendTaskFailure.
    Failure {
        /// The error and cause.
        failure: Failure,
    },
    /// SendTaskHeartbeat.
    Heartbeat,
}

/// Performs the effects of executions. Implementations must be deterministic in one sense
/// only: each method is called in the order the engine needs its answer, and the engine is
/// deterministic given the answers, so an implementation that returns recorded answers in the
/// recorded order reproduces the execution.
pub trait Effects: Send + Sync + std::fmt::Debug {
    /// The current time.
    fn now(&self) -> jiff::Timestamp;

    /// A future that completes at `deadline` (at once if it is past).
    fn sleep_until(&self, deadline: jiff::Timestamp) -> BoxFuture<'_, ()>;

    /// Performs the Task's handler call `request` describes, which `start` begins on its input
    /// (see [`TaskStart`]).
    fn task<'a>(
        &'a self,
        request: TaskRequest<'_>,
        start: TaskStart<'_, 'a>,
    ) -> BoxFuture<'a, TaskResult>;

    /// The next signal to the task `waiting` describes, which `next` receives; `None` once no
    /// more can come.
    fn signal<'a>(
        &'a self,
        waiting: Waiting<'_>,
        next: BoxFuture<'a, Option<Signal>>,
    ) -> BoxFuture<'a, Option<Signal>>;

    /// Completes when the execution is to stop, as `stop` does.
    fn stop<'a>(&'a self, stop: BoxFuture<'a, StopRequest>) -> BoxFuture<'a, StopRequest>;

    /// Fills `bytes` with random bytes.
    fn random(&self, bytes: &mut [u8]);

    /// An event was added to the execution's history (only called while a history is kept).
    fn event(&self, event: &Event) {
        let _ = event;
    }

    /// Where the distributed Map child execution `request` describes runs: here, in the
    /// engine (the default, whose effects then come through this implementation like any
    /// other), or elsewhere.
    fn child<'a>(&'a self, request: ChildRequest<'_>) -> ChildRun<'a> {
        ChildRun::Here(request.input)
    }

    /// The task `waiting` describes no longer waits for signals: it ended (`timed_out`: by
    /// its TimeoutSeconds or HeartbeatSeconds), so an answer to its token is now AWS's
    /// `TaskDoesNotExist` (or `TaskTimedOut`).
    fn released(&self, waiting: Waiting<'_>, timed_out: bool) {
        let _ = (waiting, timed_out);
    }

    /// Whether this implementation delivers the answers of task tokens itself (through
    /// [`signal`](Self::signal)), so an execution run with [`Machine::run_with`] may issue
    /// them. `false`: only executions started with [`Machine::start`] issue tokens, which the
    /// machine answers.
    ///
    /// [`Machine::run_with`]: crate::Machine::run_with
    /// [`Machine::start`]: crate::Machine::start
    fn answers_tokens(&self) -> bool {
        false
    }

    /// What a task token carries after its random bits, so that whoever answers it can find
    /// the execution (at most [`MAX_TOKEN_ROUTE`](crate::MAX_TOKEN_ROUTE) bytes; read
    /// back with [`token_route`](crate::token_route)). `None`: nothing.
    fn token_route(&self) -> Option<String> {
        None
    }
}

/// Today's effects: tokio's timers and the execution's clock, the handlers called directly,
/// random bytes from rand's thread-local ChaCha12 generator (seeded from the operating
/// system). What [`Seam::Live`] does, as an [`Effects`] for implementations to wrap.
#[derive(Clone, Copy, Debug)]
pub struct Live {
    /// The clock.
    pub clock: ExecutionClock,
}

impl Effects for Live {
    fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    fn sleep_until(&self, deadline: jiff::Timestamp) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(self.clock.until(deadline)))
    }

    fn task<'a>(
        &'a self,
        request: TaskRequest<'_>,
        start: TaskStart<'_, 'a>,
    ) -> BoxFuture<'a, TaskResult> {
        start(request.input)
    }

    fn signal<'a>(
        &'a self,
        _waiting: Waiting<'_>,
        next: BoxFuture<'a, Option<Signal>>,
    ) -> BoxFuture<'a, Option<Signal>> {
        next
    }

    fn stop<'a>(&'a self, stop: BoxFuture<'a, StopRequest>) -> BoxFuture<'a, StopRequest> {
        stop
    }

    fn random(&self, bytes: &mut [u8]) {
        live_random(bytes);
    }
}

fn live_random(bytes: &mut [u8]) {
    use rand::RngCore as _;
    rand::rng().fill_bytes(bytes);
}

/// How an execution performs its effects: [`Live`] called directly (the default, at no cost
/// beyond today's), or through an [`Effects`] implementation; and the budget its expressions
/// are evaluated within.
#[derive(Clone, Debug)]
pub struct Seam {
    way: Way,
    budget: Budget,
}

#[derive(Clone, Debug)]
enum Way {
    /// Tokio's time, the handlers, the system's randomness.
    Live(Live),
    /// Everything through this implementation.
    Custom(Arc<dyn Effects>),
}

impl Seam {
    /// The seam of an execution with `clock`, through `effects` when given, with the default
    /// [`Budget`].
    pub fn new(clock: ExecutionClock, effects: Option<&Arc<dyn Effects>>) -> Self {
        let way = match effects {
            Some(e) => Way::Custom(e.clone()),
            None => Way::Live(Live { clock }),
        };
        Seam {
            way,
            budget: Budget::DEFAULT,
        }
    }

    /// This seam with `budget` for its expressions.
    pub fn with_budget(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }

    /// The budget of one evaluation of an expression.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Whether the effects are performed directly ([`Live`]), not through an implementation.
    #[inline]
    pub fn is_live(&self) -> bool {
        matches!(self.way, Way::Live(_))
    }

    /// The current time.
    #[inline]
    pub fn now(&self) -> jiff::Timestamp {
        match &self.way {
            Way::Live(l) => l.clock.now(),
            Way::Custom(e) => e.now(),
        }
    }

    /// How long from now until `t` (zero if it is past).
    pub fn until(&self, t: jiff::Timestamp) -> std::time::Duration {
        let d = t.duration_since(self.now());
        std::time::Duration::try_from(d).unwrap_or(std::time::Duration::ZERO)
    }

    // Every method that returns a future asks its implementation at once, not when the future
    // is first polled: the engine makes its requests in an order that depends only on the
    // answers it got, whatever was polled when, so recorded answers can be matched to them.

    /// Completes at `deadline`.
    pub fn sleep_until(&self, deadline: jiff::Timestamp) -> Either<Sleep, BoxFuture<'_, ()>> {
        match &self.way {
            Way::Live(l) => Either::Left(tokio::time::sleep(l.clock.until(deadline))),
            Way::Custom(e) => Either::Right(e.sleep_until(deadline)),
        }
    }

    /// Completes `duration` from now.
    pub fn sleep(&self, duration: std::time::Duration) -> Either<Sleep, BoxFuture<'_, ()>> {
        match &self.way {
            Way::Live(_) => Either::Left(tokio::time::sleep(duration)),
            Way::Custom(e) => Either::Right(e.sleep_until(after(e.now(), duration))),
        }
    }

    /// The Task's handler call `request` describes, begun by `start` on its input. `guard`
    /// turns a panic while the returned future is polled into the task's failure: the engine
    /// applies it around the live call itself, and here inside the call an implementation
    /// sees.
    #[inline]
    pub(crate) fn task<'a>(
        &'a self,
        request: TaskRequest<'_>,
        start: impl FnOnce(Value) -> BoxFuture<'a, TaskResult>,
        guard: impl FnOnce(BoxFuture<'a, TaskResult>) -> BoxFuture<'a, TaskResult>,
    ) -> BoxFuture<'a, TaskResult> {
        match &self.way {
            Way::Live(_) => start(request.input),
            Way::Custom(e) => {
                let mut once = Some((start, guard));
                e.task(request, &mut |input| match once.take() {
                    Some((start, guard)) => guard(start(input)),
                    None => Box::pin(std::future::ready(Err(Failure::new(
                        crate::error::names::RUNTIME,
                        "a Task's handler call was started twice",
                    )))),
                })
            }
        }
    }

    /// The next signal `next` receives for the task `waiting` describes.
    pub(crate) fn signal<'a, F>(
        &'a self,
        waiting: Waiting<'_>,
        next: F,
    ) -> Either<F, BoxFuture<'a, Option<Signal>>>
    where
        F: std::future::Future<Output = Option<Signal>> + Send + 'a,
    {
        match &self.way {
            Way::Live(_) => Either::Left(next),
            Way::Custom(e) => Either::Right(e.signal(waiting, Box::pin(next))),
        }
    }

    /// Where a distributed Map's child execution runs ([`Effects::child`]).
    pub(crate) fn child<'a>(&'a self, request: ChildRequest<'_>) -> ChildRun<'a> {
        match &self.way {
            Way::Live(_) => ChildRun::Here(request.input),
            Way::Custom(e) => e.child(request),
        }
    }

    /// Tells the implementation that a task stopped waiting for signals ([`Effects::released`]).
    pub(crate) fn released(&self, waiting: Waiting<'_>, timed_out: bool) {
        if let Way::Custom(e) = &self.way {
            e.released(waiting, timed_out);
        }
    }

    /// Whether the implementation answers task tokens itself ([`Effects::answers_tokens`]).
    pub(crate) fn answers_tokens(&self) -> bool {
        match &self.way {
            Way::Live(_) => false,
            Way::Custom(e) => e.answers_tokens(),
        }
    }

    /// What task tokens carry after their random bits ([`Effects::token_route`]).
    pub(crate) fn token_route(&self) -> Option<String> {
        match &self.way {
            Way::Live(_) => None,
            Way::Custom(e) => e.token_route(),
        }
    }

    /// Completes when `stop` does.
    pub(crate) fn stop<'a, F>(&'a self, stop: F) -> Either<F, BoxFuture<'a, StopRequest>>
    where
        F: std::future::Future<Output = StopRequest> + Send + 'a,
    {
        match &self.way {
            Way::Live(_) => Either::Left(stop),
            Way::Custom(e) => Either::Right(e.stop(Box::pin(stop))),
        }
    }

    /// Fills `bytes` with random bytes.
    pub fn random(&self, bytes: &mut [u8]) {
        match &self.way {
            Way::Live(_) => live_random(bytes),
            Way::Custom(e) => e.random(bytes),
        }
    }

    /// A random (version 4) UUID.
    pub fn uuid(&self) -> uuid::Uuid {
        draw_uuid(Some(self))
    }

    /// Tells the implementation of an event added to the history.
    #[inline]
    pub(crate) fn event(&self, event: &Event) {
        if let Way::Custom(e) = &self.way {
            e.event(event);
        }
    }
}

/// `duration` after `t` (the latest time there is, if that is past it).
pub fn after(t: jiff::Timestamp, duration: std::time::Duration) -> jiff::Timestamp {
    jiff::SignedDuration::try_from(duration)
        .ok()
        .and_then(|d| t.checked_add(d).ok())
        .unwrap_or(jiff::Timestamp::MAX)
}

/// A random `u64` from `seam`, or from the system's generator when there is no execution's seam
/// at hand (values made outside an execution).
pub(crate) fn draw_u64(seam: Option<&Seam>) -> u64 {
    let mut b = [0u8; 8];
    match seam {
        Some(s) => s.random(&mut b),
        None => live_random(&mut b),
    }
    u64::from_le_bytes(b)
}

/// A random (version 4) UUID from `seam`, or from the system's generator without one.
pub(crate) fn draw_uuid(seam: Option<&Seam>) -> uuid::Uuid {
    let mut b = [0u8; 16];
    match seam {
        Some(s) => s.random(&mut b),
        None => live_random(&mut b),
    }
    uuid::Builder::from_random_bytes(b).into_uuid()
}
