//! Effects that outlive the process: every answer the engine gets is journaled in a [`Store`],
//! in the order the engine got them, and an execution resumed after a crash gets its recorded
//! answers back, in their order, before anything is performed live again.
//!
//! Only what must be durable before an effect waits for the disk: answers are kept in memory as
//! they come, and written (with the other executions' answers, when the store commits them
//! together) before a handler is called, a timer is set or a task token is waited for. Pure
//! transitions (Pass, Choice, Succeed, Fail) never wait for the disk.
//!
//! What this gives, per effect: a handler whose result was recorded is not called again; a
//! handler that was running when the process died, or whose result was not yet written, is
//! called again (at least once); a timer sleeps until the deadline computed when it was first
//! set (deadlines are absolute, and the time they were computed from is recorded); the time,
//! random bytes and uuids come back as they were.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};

use super::{Effects, Entry, Signal, StopRequest, TaskRequest, TaskResult, TaskStart, Waiting};
use crate::error::Failure;
use crate::history::Event;
use crate::store::Store;
use crate::task::BoxFuture;

#[derive(Debug, Default)]
struct State {
    /// The recorded answers still to give back, from `cursor` on.
    replay: Vec<Entry>,
    cursor: usize,
    next_request: u64,
    /// Requests whose recorded answer is not yet at the cursor.
    waiting: HashMap<u64, Waker>,
    /// Live answers that came while the replay was still going, waiting for it to end.
    held: Vec<Waker>,
    /// Why the replay could not go on (the definition or the engine changed since the
    /// answers were recorded), or why an answer could not be written.
    broken: Option<String>,
    /// Whether the store keeps the execution yet; until it does, answers wait here (a
    /// process that dies before the execution is recorded leaves nothing of it behind).
    recorded_start: bool,
    /// The start to record before the first effect that leaves the process, for an
    /// execution whose start was not recorded when it began ([`Durable::defer_start`]).
    deferred_start: Option<crate::engine::Description>,
    unwritten: Vec<Entry>,
}

impl State {
    fn replaying(&self) -> bool {
        self.cursor < self.replay.len()
    }

    fn advance(&mut self) {
        self.cursor += 1;
        if let Some(r) = self.replay.get(self.cursor).and_then(Entry::request)
            && let Some(w) = self.waiting.remove(&r)
        {
            w.wake();
        }
        if !self.replaying() {
            for w in self.held.drain(..) {
                w.wake();
            }
            for (_, w) in self.waiting.drain() {
                w.wake();
            }
        }
    }

    fn break_off(&mut self, why: String) {
        if self.broken.is_none() {
            self.broken = Some(why);
        }
        for w in self.held.drain(..) {
            w.wake();
        }
        for (_, w) in self.waiting.drain() {
            w.wake();
        }
    }

    /// Whether the recorded answers hold one for `request`.
    fn recorded(&self, request: u64) -> bool {
        self.replay[self.cursor..]
            .iter()
            .any(|e| e.request() == Some(request))
    }
}

/// Performs an execution's effects through `live`, writing each answer to a store first; an
/// execution resumed from the store replays the answers recorded before it goes live.
#[derive(Debug)]
pub struct Durable {
    live: Arc<dyn Effects>,
    store: Arc<dyn Store>,
    execution_arn: String,
    state: Mutex<State>,
}

impl Durable {
    /// Effects for a new execution (nothing to replay). Its answers are kept back until
    /// [`started`](Self::started) says the store keeps the execution.
    pub fn new(live: Arc<dyn Effects>, store: Arc<dyn Store>, execution_arn: &str) -> Self {
        let d = Self::resume(live, store, execution_arn, Vec::new());
        d.lock().recorded_start = false;
        d
    }

    /// The store keeps the execution now: from here on its answers are written (before each
    /// effect that leaves the process).
    pub fn started(&self) {
        self.lock().recorded_start = true;
    }

    /// The store does not keep the execution yet, and need not until its first effect that
    /// leaves the process: `started` is recorded then, before that effect (an execution that
    /// ends before any, Pass and Choice states only, is recorded whole when it ends:
    /// [`take_deferred_start`](Self::take_deferred_start) tells).
    pub fn defer_start(&self, started: crate::engine::Description) {
        let mut state = self.lock();
        state.recorded_start = false;
        state.deferred_start = Some(started);
    }

    /// The deferred start, if it was never recorded: the store does not keep the execution.
    pub fn take_deferred_start(&self) -> Option<crate::engine::Description> {
        self.lock().deferred_start.take()
    }

    /// Effects for an execution resumed with the answers `recorded` before.
    pub fn resume(
        live: Arc<dyn Effects>,
        store: Arc<dyn Store>,
        execution_arn: &str,
        recorded: Vec<Entry>,
    ) -> Self {
        Durable {
            live,
            store,
            execution_arn: execution_arn.to_owned(),
            state: Mutex::new(State {
                replay: recorded,
                recorded_start: true,
                ..State::default()
            }),
        }
    }

    /// Why the execution could not go on durably, if it could not: the replay left its
    /// recording, or an answer could not be written.
    pub fn broken(&self) -> Option<String> {
        self.lock().broken.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Journals a live answer the engine is given: in memory now, on disk before the next
    /// effect that leaves the process.
    fn write(&self, entry: Entry) {
        self.lock().unwritten.push(entry);
    }

    /// Writes the answers kept in memory, answering once they are durable. Called before a
    /// handler is called, a timer is set or a token is waited for.
    fn flush(&self) -> BoxFuture<'_, ()> {
        let queued = {
            let mut state = self.lock();
            if let Some(started) = state.deferred_start.take() {
                // The execution is recorded before its first effect that leaves the process.
                match self.store.start(&started) {
                    Ok(()) => state.recorded_start = true,
                    Err(e) => {
                        state.break_off(format!("the execution could not be recorded: {e}"));
                        return Box::pin(std::future::ready(()));
                    }
                }
            }
            if !state.recorded_start || state.unwritten.is_empty() {
                None
            } else {
                let entries = std::mem::take(&mut state.unwritten);
                // Queued while the lock is held: the journal keeps the order they came in.
                Some(self.store.append_later(&self.execution_arn, entries))
            }
        };
        match queued {
            None => Box::pin(std::future::ready(())),
            Some(done) => Box::pin(async move {
                if let Err(e) = done.await {
                    self.lock()
                        .break_off(format!("an answer could not be recorded: {e}"));
                }
            }),
        }
    }

    /// An answer that comes at once: the recorded one while the replay lasts, else `live`'s,
    /// written.
    fn at_once<T>(
        &self,
        asked: &str,
        take: impl FnOnce(&Entry) -> Option<T>,
        live: impl FnOnce() -> (T, Entry),
    ) -> Option<T> {
        {
            let mut state = self.lock();
            if state.replaying() {
                let got = state.replay.get(state.cursor).and_then(take);
                match got {
                    Some(v) => {
                        state.advance();
                        return Some(v);
                    }
                    None => {
                        let held = format!("{:?}", state.replay.get(state.cursor));
                        state.break_off(format!(
                            "the resumed execution asked for {asked} where its recording held {held}"
                        ));
                        return None;
                    }
                }
            }
        }
        let (v, entry) = live();
        self.write(entry);
        Some(v)
    }

    fn request(&self) -> (u64, bool) {
        let mut state = self.lock();
        let n = state.next_request;
        state.next_request += 1;
        let recorded = state.recorded(n);
        (n, recorded)
    }

    /// The recorded answer to `request`, when its turn comes.
    fn replayed<'a, T: Send + 'a>(
        &'a self,
        request: u64,
        asked: &'static str,
        take: impl Fn(&Entry) -> Option<T> + Send + 'a,
        broken: impl Fn() -> T + Send + 'a,
    ) -> BoxFuture<'a, T> {
        Box::pin(std::future::poll_fn(move |cx| {
            let mut state = self.lock();
            if state.broken.is_some() {
                return Poll::Ready(broken());
            }
            match state.replay.get(state.cursor) {
                Some(e) if e.request() == Some(request) => match take(e) {
                    Some(v) => {
                        state.advance();
                        Poll::Ready(v)
                    }
                    None => {
                        state.break_off(format!("the recording answers {asked} otherwise"));
                        Poll::Ready(broken())
                    }
                },
                _ => {
                    state.waiting.insert(request, cx.waker().clone());
                    Poll::Pending
                }
            }
        }))
    }

    /// `live`'s answer, given to the engine once the replay is over (and journaled). The
    /// answers before it are durable before `live` is first polled, so before a handler runs,
    /// a timer is set or a token is waited for.
    fn performed<'a, T: Send + 'a>(
        &'a self,
        live: BoxFuture<'a, T>,
        entry: impl Fn(&T) -> Entry + Send + 'a,
        unwritable: impl Fn(String) -> Option<T> + Send + 'a,
    ) -> BoxFuture<'a, T> {
        self.performed_after(self.flush(), live, entry, unwritable)
    }

    /// [`performed`](Self::performed) once `flushed` completes.
    fn performed_after<'a, T: Send + 'a>(
        &'a self,
        flushed: BoxFuture<'a, ()>,
        live: BoxFuture<'a, T>,
        entry: impl Fn(&T) -> Entry + Send + 'a,
        unwritable: impl Fn(String) -> Option<T> + Send + 'a,
    ) -> BoxFuture<'a, T> {
        Box::pin(async move {
            flushed.await;
            // What came before could not be written, or the replay left its recording: the
            // effect is not performed.
            let failed = self.lock().broken.clone();
            if let Some(answer) = failed.and_then(&unwritable) {
                return answer;
            }
            let answer = live.await;
            std::future::poll_fn(|cx| {
                let mut state = self.lock();
                if state.replaying() && state.broken.is_none() {
                    state.held.push(cx.waker().clone());
                    Poll::Pending
                } else {
                    Poll::Ready(())
                }
            })
            .await;
            self.write(entry(&answer));
            answer
        })
    }
}

fn broken_task() -> TaskResult {
    Err(Failure::new(
        crate::error::names::RUNTIME,
        "the resumed execution left its recording",
    ))
}

impl Effects for Durable {
    fn now(&self) -> jiff::Timestamp {
        self.at_once(
            "the time",
            |e| match e {
                Entry::Now { at } => Some(*at),
                _ => None,
            },
            || {
                let at = self.live.now();
                (at, Entry::Now { at })
            },
        )
        .unwrap_or_else(|| self.live.now())
    }

    fn sleep_until(&self, deadline: jiff::Timestamp) -> BoxFuture<'_, ()> {
        let (request, recorded) = self.request();
        if recorded {
            return self.replayed(
                request,
                "a timer",
                |e| matches!(e, Entry::Slept { .. }).then_some(()),
                || (),
            );
        }
        self.performed(
            self.live.sleep_until(deadline),
            move |()| Entry::Slept { request },
            |_| None,
        )
    }

    fn task<'a>(
        &'a self,
        call: TaskRequest<'_>,
        start: TaskStart<'_, 'a>,
    ) -> BoxFuture<'a, TaskResult> {
        let (request, recorded) = self.request();
        if recorded {
            // The handler is not called again: its result is the recorded one.
            return self.replayed(
                request,
                "a handler's result",
                |e| match e {
                    Entry::Task { result, .. } => Some(result.clone()),
                    _ => None,
                },
                broken_task,
            );
        }
        self.performed(
            self.live.task(call, start),
            move |result| Entry::Task {
                request,
                result: result.clone(),
            },
            |why| {
                Some(Err(Failure::new(
                    crate::error::names::RUNTIME,
                    format!("The execution cannot go on durably: {why}"),
                )))
            },
        )
    }

    fn signal<'a>(
        &'a self,
        waiting: Waiting<'_>,
        next: BoxFuture<'a, Option<Signal>>,
    ) -> BoxFuture<'a, Option<Signal>> {
        let (request, recorded) = self.request();
        if recorded {
            return self.replayed(
                request,
                "a signal",
                |e| match e {
                    Entry::Signal { signal, .. } => Some(signal.clone()),
                    _ => None,
                },
                || None,
            );
        }
        self.performed(
            self.live.signal(waiting, next),
            move |signal| Entry::Signal {
                request,
                signal: signal.clone(),
            },
            |_| None,
        )
    }

    fn stop<'a>(&'a self, stop: BoxFuture<'a, StopRequest>) -> BoxFuture<'a, StopRequest> {
        let (request, recorded) = self.request();
        if recorded {
            return self.replayed(
                request,
                "a stop",
                |e| match e {
                    Entry::Stopped { error, cause, .. } => Some((error.clone(), cause.clone())),
                    _ => None,
                },
                || (None, None),
            );
        }
        // Waiting for a stop leaves nothing outside the process: nothing to write first.
        self.performed_after(
            Box::pin(std::future::ready(())),
            self.live.stop(stop),
            move |(error, cause)| Entry::Stopped {
                request,
                error: error.clone(),
                cause: cause.clone(),
            },
            |_| None,
        )
    }

    fn random(&self, bytes: &mut [u8]) {
        let len = bytes.len();
        let got = self.at_once(
            "random bytes",
            |e| match e {
                Entry::Random { bytes } if bytes.len() == len => Some(bytes.clone()),
                _ => None,
            },
            || {
                let mut fresh = vec![0u8; len];
                self.live.random(&mut fresh);
                (fresh.clone(), Entry::Random { bytes: fresh })
            },
        );
        match got {
            Some(b) => bytes.copy_from_slice(&b),
            None => self.live.random(bytes),
        }
    }

    fn event(&self, event: &Event) {
        self.live.event(event);
    }
}
