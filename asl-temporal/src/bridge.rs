//! The engine's effects inside a Temporal workflow. The engine asks through the
//! [`Effects`] seam, which must be `Send` and answer synchronously where it can; Temporal's
//! workflow context is neither. [`Bridge`] sits between them: it answers the clock and
//! randomness at once (the workflow's time, a generator seeded once per execution), queues
//! timers and handler calls as requests that the workflow turns into Temporal commands, and
//! hands their results back; token answers, heartbeats and stops arrive from the workflow's
//! update and signal handlers.
//!
//! Determinism: the engine makes its requests in an order that depends only on the answers
//! it got, and the workflow drains them in that order within the same poll, so a replay of
//! the Temporal history issues the same commands in the same order.

use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use asl_runtime::effects::{
    ChildRequest, ChildRun, Effects, Signal, StopRequest, TaskOrder, TaskRequest, TaskResult,
    TaskStart, Waiting,
};
use asl_runtime::history::Event;
use asl_runtime::{BoxFuture, Failure};
use rand::{RngCore as _, SeedableRng as _};
use rand_chacha::ChaCha20Rng;

/// What the engine asked the workflow to do.
#[derive(Debug)]
pub(crate) enum Request {
    /// A durable timer until the deadline.
    Timer(jiff::Timestamp),
    /// A handler call, as an activity.
    Task(Box<TaskOrder>),
    /// A distributed Map's child execution, as a child workflow.
    Child(Box<ChildOrder>),
}

/// A distributed Map's child execution, as its child workflow starts.
#[derive(Debug)]
pub(crate) struct ChildOrder {
    /// The Map's number in the plan.
    pub(crate) map: usize,
    pub(crate) input: serde_json::Value,
    pub(crate) execution_name: String,
    pub(crate) execution_arn: String,
    pub(crate) state_machine_arn: String,
    /// The child's own random seed (hex), drawn from the parent's generator.
    pub(crate) secret: String,
}

/// Why a token cannot be answered (AWS's error codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unanswerable {
    /// No task of this execution waits for the token.
    TaskDoesNotExist,
    /// The task it was issued to timed out.
    TaskTimedOut,
}

impl Unanswerable {
    /// AWS's error code.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Unanswerable::TaskDoesNotExist => "TaskDoesNotExist",
            Unanswerable::TaskTimedOut => "TaskTimedOut",
        }
    }
}

/// A request's answer, once the workflow has it.
#[derive(Debug)]
enum Answer {
    Pending(Option<Waker>),
    Timer,
    Task(TaskResult),
}

/// Signals for one waiting task.
#[derive(Debug, Default)]
struct Inbox {
    signals: VecDeque<Signal>,
    waker: Option<Waker>,
}

#[derive(Debug)]
struct State {
    now: jiff::Timestamp,
    rng: ChaCha20Rng,
    route: String,
    next_request: u64,
    requests: VecDeque<(u64, Request)>,
    answers: HashMap<u64, Answer>,
    /// Requests the engine no longer waits for (it dropped their futures: a timer it raced
    /// and lost, a task it timed out), to be cancelled.
    abandoned: Vec<u64>,
    /// Waiting tasks by the id of their TaskScheduled event.
    inboxes: HashMap<u64, Inbox>,
    /// Tokens of waiting tasks, to the id of their TaskScheduled event.
    tokens: HashMap<String, u64>,
    /// Tokens of tasks that timed out.
    timed_out: HashSet<String>,
    stop: Option<StopRequest>,
    stop_waker: Option<Waker>,
    history: Vec<Event>,
}

/// The engine's effects in a workflow (see the module's documentation). Cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct Bridge(Arc<Mutex<State>>);

impl Bridge {
    /// A bridge whose clock reads `now` until told otherwise, whose random numbers come from
    /// `seed`, and whose task tokens carry `route` (the workflow's id).
    pub(crate) fn new(now: jiff::Timestamp, seed: [u8; 32], route: String) -> Self {
        Bridge(Arc::new(Mutex::new(State {
            now,
            rng: ChaCha20Rng::from_seed(seed),
            route,
            next_request: 0,
            requests: VecDeque::new(),
            answers: HashMap::new(),
            abandoned: Vec::new(),
            inboxes: HashMap::new(),
            tokens: HashMap::new(),
            timed_out: HashSet::new(),
            stop: None,
            stop_waker: None,
            history: Vec::new(),
        })))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets the clock (the workflow's time as of the activation being processed).
    pub(crate) fn set_now(&self, now: jiff::Timestamp) {
        self.lock().now = now;
    }

    /// The requests made since the last call, in the order they were made.
    pub(crate) fn take_requests(&self) -> Vec<(u64, Request)> {
        self.lock().requests.drain(..).collect()
    }

    /// The requests the engine stopped waiting for since the last call.
    pub(crate) fn take_abandoned(&self) -> Vec<u64> {
        std::mem::take(&mut self.lock().abandoned)
    }

    /// Answers request `id`: its timer fired.
    pub(crate) fn timer_fired(&self, id: u64) {
        self.answer(id, Answer::Timer);
    }

    /// Answers request `id`: the handler call ended with `result`.
    pub(crate) fn task_ended(&self, id: u64, result: TaskResult) {
        self.answer(id, Answer::Task(result));
    }

    fn answer(&self, id: u64, answer: Answer) {
        let waker = {
            let mut s = self.lock();
            match s.answers.get_mut(&id) {
                // Nobody waits for an abandoned request's answer: it is dropped.
                None => None,
                Some(slot) => match std::mem::replace(slot, answer) {
                    Answer::Pending(w) => w,
                    _ => None,
                },
            }
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Whether `token` can be answered now: a task of this execution waits for it.
    pub(crate) fn check_token(&self, token: &str) -> Result<(), Unanswerable> {
        let s = self.lock();
        if s.tokens.contains_key(token) {
            Ok(())
        } else if s.timed_out.contains(token) {
            Err(Unanswerable::TaskTimedOut)
        } else {
            Err(Unanswerable::TaskDoesNotExist)
        }
    }

    /// Delivers `signal` to the task waiting for `token`.
    pub(crate) fn signal_token(&self, token: &str, signal: Signal) -> Result<(), Unanswerable> {
        self.check_token(token)?;
        let scheduled = self.lock().tokens.get(token).copied();
        match scheduled {
            Some(id) => {
                self.signal_task(id, signal);
                Ok(())
            }
            None => Err(Unanswerable::TaskDoesNotExist),
        }
    }

    /// Delivers `signal` to the task whose TaskScheduled event is `scheduled` (a heartbeat
    /// from a handler running in an activity). Ignored once the task stopped waiting.
    pub(crate) fn signal_task(&self, scheduled: u64, signal: Signal) {
        let waker = {
            let mut s = self.lock();
            match s.inboxes.get_mut(&scheduled) {
                Some(inbox) => {
                    inbox.signals.push_back(signal);
                    inbox.waker.take()
                }
                None => None,
            }
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Asks the execution to stop (the first request counts).
    pub(crate) fn request_stop(&self, stop: StopRequest) {
        let waker = {
            let mut s = self.lock();
            if s.stop.is_none() {
                s.stop = Some(stop);
            }
            s.stop_waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// The history events so far.
    pub(crate) fn history(&self) -> Vec<Event> {
        self.lock().history.clone()
    }

    /// The events from number `from` (1-based) on, at most `limit` of them.
    pub(crate) fn history_page(&self, from: usize, limit: usize) -> Vec<Event> {
        let s = self.lock();
        s.history
            .iter()
            .skip(from.saturating_sub(1))
            .take(limit)
            .cloned()
            .collect()
    }

    fn request(&self, request: Request) -> u64 {
        let mut s = self.lock();
        let id = s.next_request;
        s.next_request += 1;
        s.requests.push_back((id, request));
        s.answers.insert(id, Answer::Pending(None));
        id
    }
}

/// A request's answer, as the engine awaits it.
struct Awaiting<T> {
    bridge: Bridge,
    id: u64,
    take: fn(Answer) -> Option<T>,
}

impl<T> Drop for Awaiting<T> {
    fn drop(&mut self) {
        let mut s = self.bridge.lock();
        // Still unanswered: the engine gave up on it (answered ones were taken already).
        if let Some(Answer::Pending(_)) = s.answers.remove(&self.id) {
            s.abandoned.push(self.id);
        }
    }
}

impl<T> Future for Awaiting<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut s = self.bridge.lock();
        match s.answers.remove(&self.id) {
            Some(Answer::Pending(_)) | None => {
                s.answers
                    .insert(self.id, Answer::Pending(Some(cx.waker().clone())));
                Poll::Pending
            }
            Some(answer) => match (self.take)(answer) {
                Some(t) => Poll::Ready(t),
                // An answer of the wrong kind cannot come (ids are not reused): wait on.
                None => Poll::Pending,
            },
        }
    }
}

/// The next signal for a waiting task.
struct NextSignal {
    bridge: Bridge,
    scheduled: u64,
}

impl Future for NextSignal {
    type Output = Option<Signal>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Signal>> {
        let mut s = self.bridge.lock();
        let inbox = s.inboxes.entry(self.scheduled).or_default();
        match inbox.signals.pop_front() {
            Some(signal) => Poll::Ready(Some(signal)),
            None => {
                inbox.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// The stop request, once there is one.
struct Stopped(Bridge);

impl Future for Stopped {
    type Output = StopRequest;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<StopRequest> {
        let mut s = self.0.lock();
        match &s.stop {
            Some(stop) => Poll::Ready(stop.clone()),
            None => {
                s.stop_waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl Effects for Bridge {
    fn now(&self) -> jiff::Timestamp {
        self.lock().now
    }

    fn sleep_until(&self, deadline: jiff::Timestamp) -> BoxFuture<'_, ()> {
        let id = self.request(Request::Timer(deadline));
        Box::pin(Awaiting {
            bridge: self.clone(),
            id,
            take: |a| matches!(a, Answer::Timer).then_some(()),
        })
    }

    fn task<'a>(
        &'a self,
        request: TaskRequest<'_>,
        _start: TaskStart<'_, 'a>,
    ) -> BoxFuture<'a, TaskResult> {
        // The handler runs in an activity, on whichever worker takes it.
        let id = self.request(Request::Task(Box::new(request.into_order())));
        Box::pin(Awaiting {
            bridge: self.clone(),
            id,
            take: |a| match a {
                Answer::Task(r) => Some(r),
                _ => None,
            },
        })
    }

    fn child<'a>(&'a self, request: ChildRequest<'_>) -> ChildRun<'a> {
        let mut seed = [0u8; 32];
        self.random(&mut seed);
        let order = ChildOrder {
            map: request.map,
            input: request.input,
            execution_name: request.execution_name.to_owned(),
            execution_arn: request.execution_arn.to_owned(),
            state_machine_arn: request.state_machine_arn.to_owned(),
            secret: seed.iter().map(|b| format!("{b:02x}")).collect(),
        };
        let id = self.request(Request::Child(Box::new(order)));
        ChildRun::Elsewhere(Box::pin(Awaiting {
            bridge: self.clone(),
            id,
            take: |a| match a {
                Answer::Task(r) => Some(r),
                _ => None,
            },
        }))
    }

    fn signal<'a>(
        &'a self,
        waiting: Waiting<'_>,
        _next: BoxFuture<'a, Option<Signal>>,
    ) -> BoxFuture<'a, Option<Signal>> {
        {
            let mut s = self.lock();
            s.inboxes.entry(waiting.scheduled_event_id).or_default();
            if let Some(token) = waiting.task_token {
                s.tokens
                    .insert(token.to_owned(), waiting.scheduled_event_id);
            }
        }
        Box::pin(NextSignal {
            bridge: self.clone(),
            scheduled: waiting.scheduled_event_id,
        })
    }

    fn released(&self, waiting: Waiting<'_>, timed_out: bool) {
        let mut s = self.lock();
        s.inboxes.remove(&waiting.scheduled_event_id);
        if let Some(token) = waiting.task_token {
            s.tokens.remove(token);
            if timed_out {
                s.timed_out.insert(token.to_owned());
            }
        }
    }

    fn stop<'a>(&'a self, _stop: BoxFuture<'a, StopRequest>) -> BoxFuture<'a, StopRequest> {
        Box::pin(Stopped(self.clone()))
    }

    fn random(&self, bytes: &mut [u8]) {
        self.lock().rng.fill_bytes(bytes);
    }

    fn event(&self, event: &Event) {
        self.lock().history.push(event.clone());
    }

    fn answers_tokens(&self) -> bool {
        true
    }

    fn token_route(&self) -> Option<String> {
        Some(self.lock().route.clone())
    }
}

/// A handler's result as an activity carries it back (an activity that completes: the
/// handler's failures are ASL's to retry or catch, never Temporal's).
pub(crate) fn task_failure(message: impl std::fmt::Display) -> TaskResult {
    Err(Failure::new(
        asl_runtime::error::names::TASK_FAILED,
        message.to_string(),
    ))
}
