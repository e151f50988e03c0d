//! The effect seam beyond what the conformance corpus exercises: task tokens answered from
//! outside, heartbeats, and stopped executions are recorded and replay the same way with no
//! handler. Time is tokio's paused clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use asl_runtime::effects::{Effects, Entry, Live, Recorder, Recording, Replayer};
use asl_runtime::time::ExecutionClock;
use asl_runtime::{BoxHandler, ExecutionConfig, Failure, Outcome, Status, TaskCall};
use serde_json::{Value, json};
use tokio::sync::mpsc;

asl_runtime::asl!("../fixtures/approval.asl.json");
asl_runtime::asl!("../fixtures/robust.asl.json");

fn recorder() -> Arc<Recorder> {
    Arc::new(Recorder::new(Arc::new(Live {
        clock: ExecutionClock::system(),
    })))
}

fn config(name: &str, effects: Arc<dyn Effects>) -> ExecutionConfig {
    let mut config = ExecutionConfig::new("Machine", name);
    config.effects = Some(effects);
    config
}

/// A handler a replay must never call.
fn no_handler(called: &Arc<AtomicBool>) -> BoxHandler {
    let called = called.clone();
    Arc::new(move |_, _: &TaskCall<'_>| {
        called.store(true, Ordering::SeqCst);
        Box::pin(std::future::ready(Err(Failure::new("Replay", "called"))))
    })
}

fn history(outcome: &Outcome) -> String {
    serde_json::to_string(outcome.history.events()).expect("events serialize")
}

/// Plays `recording` back through `machine` (built with `no_handler`) and checks it ends as
/// `recorded` did.
async fn replays_as(
    machine: asl_runtime::Machine,
    recording: Recording,
    recorded: &Outcome,
    called: &AtomicBool,
) {
    let replayer = Arc::new(Replayer::new(recording));
    let effects: Arc<dyn Effects> = replayer.clone();
    let replayed = machine
        .start_with(json!({"amount": 50}), config("run", effects))
        .result()
        .await;
    assert_eq!(replayer.finish(), Ok(()));
    assert!(
        !called.load(Ordering::SeqCst),
        "the replay called a handler"
    );
    assert_eq!(replayed.status, recorded.status);
    assert_eq!(replayed.output, recorded.output);
    assert_eq!(history(&replayed), history(recorded));
}

#[tokio::test(start_paused = true)]
async fn a_token_answered_after_heartbeats_replays_without_its_handler() {
    let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
    let machine = Approval::builder()
        .ask_for_approval(move |message: Value| {
            let tx = tx.clone();
            async move {
                tx.send(message).map_err(|e| e.to_string())?;
                Ok::<_, Failure>(json!({"MessageId": "1"}))
            }
        })
        .build();
    let recorder = recorder();
    let execution = machine.start_with(json!({"amount": 50}), config("run", recorder.clone()));
    let message = rx.recv().await.expect("the handler ran");
    let token = message["MessageBody"]["token"]
        .as_str()
        .expect("a token")
        .to_owned();
    for _ in 0..3 {
        tokio::time::sleep(std::time::Duration::from_secs(45)).await;
        machine.send_task_heartbeat(&token).expect("the task waits");
    }
    machine
        .send_task_success(&token, json!({"approved": true}))
        .expect("the task waits");
    let recorded = execution.result().await;
    assert_eq!(recorded.status, Status::Succeeded, "{:?}", recorded.failure);
    let recording = recorder.recording();
    let signals = recording
        .entries
        .iter()
        .filter(|e| matches!(e, Entry::Signal { .. }))
        .count();
    assert_eq!(signals, 4, "three heartbeats and the answer");

    let called = Arc::new(AtomicBool::new(false));
    let replay = Approval::builder().fallback(no_handler(&called)).build();
    replays_as(replay, recording, &recorded, &called).await;
}

#[tokio::test(start_paused = true)]
async fn a_stopped_execution_replays_its_stop() {
    let machine = Robust::builder()
        .work(|v: Value| async move { Ok::<_, Failure>(v) })
        .build();
    let recorder = recorder();
    let execution = machine.start_with(json!({"amount": 50}), config("run", recorder.clone()));
    tokio::time::sleep(std::time::Duration::from_secs(10)).await;
    execution.stop(Some("Cancelled"), Some("changed my mind"));
    let recorded = execution.result().await;
    assert_eq!(recorded.status, Status::Aborted);

    let called = Arc::new(AtomicBool::new(false));
    let replay = Robust::builder().fallback(no_handler(&called)).build();
    replays_as(replay, recorder.recording(), &recorded, &called).await;
}

#[test]
fn a_recording_is_json() {
    let recording = Recording {
        entries: vec![
            Entry::Now {
                at: jiff::Timestamp::from_second(1_700_000_000).expect("in range"),
            },
            Entry::Task {
                request: 0,
                result: Err(Failure::new("E", "why")),
            },
        ],
        events: Vec::new(),
    };
    let text = serde_json::to_string(&recording).expect("serializes");
    let back: Recording = serde_json::from_str(&text).expect("reads back");
    assert_eq!(back, recording);
}

/// Live effects that, told of each event, read the running executions (as a store or a
/// server would when it publishes progress).
#[derive(Debug)]
struct Watching {
    live: Live,
    machine: std::sync::OnceLock<asl_runtime::Machine>,
    seen: std::sync::Mutex<Vec<usize>>,
}

impl Effects for Watching {
    fn now(&self) -> jiff::Timestamp {
        self.live.now()
    }
    fn sleep_until(&self, deadline: jiff::Timestamp) -> asl_runtime::BoxFuture<'_, ()> {
        self.live.sleep_until(deadline)
    }
    fn task<'a>(
        &'a self,
        call: asl_runtime::effects::TaskRequest<'_>,
        start: asl_runtime::effects::TaskStart<'_, 'a>,
    ) -> asl_runtime::BoxFuture<'a, asl_runtime::effects::TaskResult> {
        self.live.task(call, start)
    }
    fn signal<'a>(
        &'a self,
        _waiting: asl_runtime::effects::Waiting<'_>,
        next: asl_runtime::BoxFuture<'a, Option<asl_runtime::effects::Signal>>,
    ) -> asl_runtime::BoxFuture<'a, Option<asl_runtime::effects::Signal>> {
        next
    }
    fn stop<'a>(
        &'a self,
        stop: asl_runtime::BoxFuture<'a, asl_runtime::effects::StopRequest>,
    ) -> asl_runtime::BoxFuture<'a, asl_runtime::effects::StopRequest> {
        stop
    }
    fn random(&self, bytes: &mut [u8]) {
        self.live.random(bytes);
    }
    fn event(&self, _event: &asl_runtime::history::Event) {
        if let Some(m) = self.machine.get() {
            let running = m.running();
            if let Ok(mut seen) = self.seen.lock() {
                seen.push(running.len());
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn the_seam_may_read_the_execution_it_is_told_about() {
    let machine = Robust::builder()
        .work(|v: Value| async move { Ok::<_, Failure>(v) })
        .build();
    let watching = Arc::new(Watching {
        live: Live {
            clock: ExecutionClock::system(),
        },
        machine: std::sync::OnceLock::new(),
        seen: std::sync::Mutex::new(Vec::new()),
    });
    let _ = watching.machine.set(machine.clone());
    let outcome = machine
        .start_with(json!({}), config("watched", watching.clone()))
        .result()
        .await;
    assert_eq!(outcome.status, Status::Succeeded);
    let seen = watching.seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(seen.len(), outcome.history.events().len());
    assert_eq!(
        seen.first(),
        Some(&1),
        "the execution is running while told"
    );
}
