//! Recording an execution's effects: every answer the engine got, in the order it got them.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::{Effects, Signal, StopRequest, TaskRequest, TaskResult, TaskStart, Waiting};
use crate::history::Event;
use crate::task::BoxFuture;

/// One answer the engine got from the seam. Answers that come at once (the time, random bytes)
/// are entries where they were asked for; answers that come later (a timer, a handler's
/// result, a signal, a stop) are entries where they came, naming the request they answer by its
/// number among the requests that wait (numbered from 0 in the order the engine made them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "camelCase")]
pub enum Entry {
    /// The time was read.
    Now {
        /// What it was.
        at: jiff::Timestamp,
    },
    /// Random bytes were drawn.
    Random {
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// A timer went off.
    Slept {
        /// The request it answers.
        request: u64,
    },
    /// A handler call ended.
    Task {
        /// The request it answers.
        request: u64,
        /// Its result.
        result: TaskResult,
    },
    /// A waiting task was signalled (`None`: no more signals can come).
    Signal {
        /// The request it answers.
        request: u64,
        /// The signal.
        signal: Option<Signal>,
    },
    /// The execution was stopped.
    Stopped {
        /// The request it answers.
        request: u64,
        /// The error StopExecution gave.
        error: Option<String>,
        /// The cause.
        cause: Option<String>,
    },
}

impl Entry {
    /// The waiting request this entry answers, if it answers one.
    pub fn request(&self) -> Option<u64> {
        match self {
            Entry::Now { .. } | Entry::Random { .. } => None,
            Entry::Slept { request }
            | Entry::Task { request, .. }
            | Entry::Signal { request, .. }
            | Entry::Stopped { request, .. } => Some(*request),
        }
    }
}

/// What a [`Recorder`] kept of an execution: the answers, and the history events it saw.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Recording {
    /// The answers, in order.
    pub entries: Vec<Entry>,
    /// The history events, as they were recorded.
    pub events: Vec<Event>,
}

#[derive(Debug, Default)]
struct State {
    next_request: u64,
    recording: Recording,
}

/// Performs effects through another [`Effects`] (usually [`Live`](super::Live)) and keeps every
/// answer, for a [`Replayer`](super::Replayer) to play back.
#[derive(Debug)]
pub struct Recorder {
    inner: Arc<dyn Effects>,
    state: Mutex<State>,
}

impl Recorder {
    /// A recorder performing effects through `inner`.
    pub fn new(inner: Arc<dyn Effects>) -> Self {
        Recorder {
            inner,
            state: Mutex::default(),
        }
    }

    /// What was recorded so far.
    pub fn recording(&self) -> Recording {
        self.lock().recording.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, entry: Entry) {
        self.lock().recording.entries.push(entry);
    }

    /// Numbers a request that waits.
    fn request(&self) -> u64 {
        let mut state = self.lock();
        let n = state.next_request;
        state.next_request += 1;
        n
    }
}

impl Effects for Recorder {
    fn now(&self) -> jiff::Timestamp {
        let at = self.inner.now();
        self.push(Entry::Now { at });
        at
    }

    fn sleep_until(&self, deadline: jiff::Timestamp) -> BoxFuture<'_, ()> {
        let request = self.request();
        let sleep = self.inner.sleep_until(deadline);
        Box::pin(async move {
            sleep.await;
            self.push(Entry::Slept { request });
        })
    }

    fn task<'a>(
        &'a self,
        call: TaskRequest<'_>,
        start: TaskStart<'_, 'a>,
    ) -> BoxFuture<'a, TaskResult> {
        let request = self.request();
        let call = self.inner.task(call, start);
        Box::pin(async move {
            let result = call.await;
            self.push(Entry::Task {
                request,
                result: result.clone(),
            });
            result
        })
    }

    fn signal<'a>(
        &'a self,
        waiting: Waiting<'_>,
        next: BoxFuture<'a, Option<Signal>>,
    ) -> BoxFuture<'a, Option<Signal>> {
        let request = self.request();
        let next = self.inner.signal(waiting, next);
        Box::pin(async move {
            let signal = next.await;
            self.push(Entry::Signal {
                request,
                signal: signal.clone(),
            });
            signal
        })
    }

    fn stop<'a>(&'a self, stop: BoxFuture<'a, StopRequest>) -> BoxFuture<'a, StopRequest> {
        let request = self.request();
        let stop = self.inner.stop(stop);
        Box::pin(async move {
            let (error, cause) = stop.await;
            self.push(Entry::Stopped {
                request,
                error: error.clone(),
                cause: cause.clone(),
            });
            (error, cause)
        })
    }

    fn random(&self, bytes: &mut [u8]) {
        self.inner.random(bytes);
        self.push(Entry::Random {
            bytes: bytes.to_vec(),
        });
    }

    fn event(&self, event: &Event) {
        self.inner.event(event);
        self.lock().recording.events.push(event.clone());
    }

    fn child<'a>(&'a self, request: super::ChildRequest<'_>) -> super::ChildRun<'a> {
        self.inner.child(request)
    }

    fn released(&self, waiting: Waiting<'_>, timed_out: bool) {
        self.inner.released(waiting, timed_out);
    }

    fn answers_tokens(&self) -> bool {
        self.inner.answers_tokens()
    }

    fn token_route(&self) -> Option<String> {
        self.inner.token_route()
    }
}
