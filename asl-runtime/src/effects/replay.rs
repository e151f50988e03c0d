//! Playing a [`Recording`] back: every answer the engine asks for comes from the recording, in
//! the recorded order; no handler is called, no clock read, no random byte drawn.

use std::collections::HashMap;
use std::sync::Mutex;
use std::task::{Poll, Waker};

use super::{
    Effects, Entry, Recording, Signal, StopRequest, TaskRequest, TaskResult, TaskStart, Waiting,
};
use crate::error::Failure;
use crate::task::BoxFuture;

/// Where a replay stopped following its recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Divergence {
    /// The position in the recording.
    pub at: usize,
    /// What the engine asked for and what the recording held there.
    pub what: String,
}

impl std::fmt::Display for Divergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the replay left its recording at entry {}: {}",
            self.at, self.what
        )
    }
}

impl std::error::Error for Divergence {}

#[derive(Debug, Default)]
struct State {
    entries: Vec<Entry>,
    cursor: usize,
    next_request: u64,
    /// The requests polled before their answer's turn.
    waiting: HashMap<u64, Waker>,
    divergence: Option<Divergence>,
}

impl State {
    /// Moves past the entry at the cursor, waking the request the next one answers.
    fn advance(&mut self) {
        self.cursor += 1;
        if let Some(r) = self.entries.get(self.cursor).and_then(Entry::request)
            && let Some(w) = self.waiting.remove(&r)
        {
            w.wake();
        }
    }

    fn diverge(&mut self, asked: &str) {
        if self.divergence.is_none() {
            let held = match self.entries.get(self.cursor) {
                Some(e) => format!("{e:?}"),
                None => "its end".to_owned(),
            };
            self.divergence = Some(Divergence {
                at: self.cursor,
                what: format!("asked for {asked}, the recording held {held}"),
            });
        }
        // Wake everything, so nothing waits for an answer that will not come.
        for (_, w) in self.waiting.drain() {
            w.wake();
        }
    }
}

/// Plays a [`Recording`] back as an execution's effects.
#[derive(Debug)]
pub struct Replayer {
    state: Mutex<State>,
}

impl Replayer {
    /// A replayer of `recording`.
    pub fn new(recording: Recording) -> Self {
        Replayer {
            state: Mutex::new(State {
                entries: recording.entries,
                ..State::default()
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `Ok` once every recorded answer was asked for, in order; else where the replay left the
    /// recording.
    pub fn finish(&self) -> Result<(), Divergence> {
        let state = self.lock();
        if let Some(d) = &state.divergence {
            return Err(d.clone());
        }
        if state.cursor < state.entries.len() {
            return Err(Divergence {
                at: state.cursor,
                what: format!(
                    "the execution ended with {} recorded answers not asked for",
                    state.entries.len() - state.cursor
                ),
            });
        }
        Ok(())
    }

    /// The answer at the cursor, which the caller takes if `take` accepts it.
    fn now_entry<T>(&self, asked: &str, take: impl FnOnce(&Entry) -> Option<T>) -> Option<T> {
        let mut state = self.lock();
        let got = state.entries.get(state.cursor).and_then(take);
        match got {
            Some(v) => {
                state.advance();
                Some(v)
            }
            None => {
                state.diverge(asked);
                None
            }
        }
    }

    /// A future answering the next waiting request with what `take` makes of its entry;
    /// `diverged` is its answer once the replay left the recording.
    fn later<'a, T: Send + 'a>(
        &'a self,
        asked: &'static str,
        take: impl Fn(&Entry) -> Option<T> + Send + 'a,
        diverged: impl Fn() -> Poll<T> + Send + 'a,
    ) -> BoxFuture<'a, T> {
        let request = {
            let mut state = self.lock();
            let n = state.next_request;
            state.next_request += 1;
            n
        };
        Box::pin(std::future::poll_fn(move |cx| {
            let mut state = self.lock();
            if state.divergence.is_some() {
                return diverged();
            }
            match state.entries.get(state.cursor) {
                Some(e) if e.request() == Some(request) => match take(e) {
                    Some(v) => {
                        state.advance();
                        Poll::Ready(v)
                    }
                    None => {
                        state.diverge(asked);
                        diverged()
                    }
                },
                _ => {
                    state.waiting.insert(request, cx.waker().clone());
                    Poll::Pending
                }
            }
        }))
    }
}

fn diverged_task() -> Poll<TaskResult> {
    Poll::Ready(Err(Failure::new(
        crate::error::names::RUNTIME,
        "the replay left its recording",
    )))
}

impl Effects for Replayer {
    fn now(&self) -> jiff::Timestamp {
        self.now_entry("the time", |e| match e {
            Entry::Now { at } => Some(*at),
            _ => None,
        })
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }

    fn sleep_until(&self, _deadline: jiff::Timestamp) -> BoxFuture<'_, ()> {
        self.later(
            "a timer",
            |e| matches!(e, Entry::Slept { .. }).then_some(()),
            || Poll::Ready(()),
        )
    }

    fn task<'a>(
        &'a self,
        _call: TaskRequest<'_>,
        _start: TaskStart<'_, 'a>,
    ) -> BoxFuture<'a, TaskResult> {
        // The handler is not called: its result is the recorded one.
        self.later(
            "a handler's result",
            |e| match e {
                Entry::Task { result, .. } => Some(result.clone()),
                _ => None,
            },
            diverged_task,
        )
    }

    fn signal<'a>(
        &'a self,
        _waiting: Waiting<'_>,
        _next: BoxFuture<'a, Option<Signal>>,
    ) -> BoxFuture<'a, Option<Signal>> {
        self.later(
            "a signal",
            |e| match e {
                Entry::Signal { signal, .. } => Some(signal.clone()),
                _ => None,
            },
            || Poll::Ready(None),
        )
    }

    fn stop<'a>(&'a self, _stop: BoxFuture<'a, StopRequest>) -> BoxFuture<'a, StopRequest> {
        self.later(
            "a stop",
            |e| match e {
                Entry::Stopped { error, cause, .. } => Some((error.clone(), cause.clone())),
                _ => None,
            },
            // A replay that left its recording is not stopped by it.
            || Poll::Pending,
        )
    }

    fn random(&self, bytes: &mut [u8]) {
        let len = bytes.len();
        if let Some(recorded) = self.now_entry("random bytes", |e| match e {
            Entry::Random { bytes } if bytes.len() == len => Some(bytes.clone()),
            _ => None,
        }) {
            bytes.copy_from_slice(&recorded);
        }
    }
}
