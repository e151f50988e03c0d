//! A process that dies mid-execution: its execution, kept RUNNING in the store, resumes in the
//! next process where it stopped. The handler whose result was recorded is not called again;
//! the one that was running is called again (at least once); the uuid drawn before the crash
//! comes back; the history is the one an uninterrupted run writes.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use asl_runtime::engine::Status;
use asl_runtime::{Failure, Machine, Store, TaskContext};
use asl_store::SqliteStore;
use serde_json::{Value, json};

asl_runtime::asl!("fixtures/two_steps.asl.json");

#[derive(Clone, Default)]
struct Calls {
    first: Arc<AtomicUsize>,
    second: Arc<AtomicUsize>,
    /// The idempotency keys the second handler was called with.
    keys: Arc<std::sync::Mutex<Vec<String>>>,
}

/// The machine; its second handler never answers when `hang` (the process dies meanwhile).
fn machine(store: Arc<dyn Store>, calls: &Calls, hang: bool) -> Machine {
    let (first, second, keys) = (
        calls.first.clone(),
        calls.second.clone(),
        calls.keys.clone(),
    );
    TwoSteps::builder()
        // The handlers do their work once they run (when their future is first polled): by then
        // every answer before the call is durable. Code before a handler's future is made runs
        // earlier.
        .first(move |_: Value| {
            let first = first.clone();
            async move {
                first.fetch_add(1, Ordering::SeqCst);
                Ok::<_, Failure>(json!(1))
            }
        })
        .second(move |input: Value, ctx: TaskContext| {
            let (second, keys) = (second.clone(), keys.clone());
            async move {
                second.fetch_add(1, Ordering::SeqCst);
                keys.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(ctx.idempotency_key());
                if hang {
                    std::future::pending::<()>().await;
                }
                Ok::<_, Failure>(json!({"done": input["id"]}))
            }
        })
        .build()
        .with_store(store)
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("asl-resume-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir.join("executions.db")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

#[test]
fn an_execution_cut_off_mid_task_resumes_without_repeating_what_was_recorded() {
    let path = temp("mid-task");
    let calls = Calls::default();

    // The first process: the execution gets as far as the second handler, then the process
    // "dies" (its runtime is dropped with the execution in flight).
    let arn = {
        let rt = runtime();
        let store = Arc::new(SqliteStore::open(&path).expect("a store"));
        let m = machine(store, &calls, true);
        rt.block_on(async {
            let e = m.start("cut", json!({"order": 7}));
            while calls.second.load(Ordering::SeqCst) == 0 {
                tokio::task::yield_now().await;
            }
            e.arn().to_owned()
        })
    };
    assert_eq!(calls.first.load(Ordering::SeqCst), 1);

    // The next process.
    let rt = runtime();
    let store = Arc::new(SqliteStore::open(&path).expect("the same store"));
    let kept = store.describe(&arn).expect("readable").expect("kept");
    assert_eq!(kept.status, Status::Running, "left RUNNING by the crash");
    let m = machine(store.clone(), &calls, false);
    let outcome = rt.block_on(async {
        let mut resumed = m.resume().expect("resumable");
        assert_eq!(resumed.len(), 1);
        resumed.remove(0).result().await
    });
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    assert_eq!(
        calls.first.load(Ordering::SeqCst),
        1,
        "the recorded result is not asked again"
    );
    assert_eq!(
        calls.second.load(Ordering::SeqCst),
        2,
        "the cut-off call is made again"
    );
    let keys = calls.keys.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(keys.len(), 2);
    assert_eq!(
        keys[0], keys[1],
        "both calls carry the same idempotency key"
    );
    assert!(keys[0].starts_with(&arn), "{}", keys[0]);

    // The uuid drawn before the crash is the one the output carries.
    let history = m.execution_history(&arn).expect("readable");
    let mark = history
        .iter()
        .find(|e| e.kind.name() == "PassStateExited")
        .and_then(|e| e.kind.output().cloned())
        .expect("Mark's output");
    assert_eq!(outcome.output, Some(json!({"done": mark["id"]})));

    // The same history an uninterrupted run writes, event for event (but the times).
    let fresh = temp("fresh");
    let other = Calls::default();
    let m2 = machine(
        Arc::new(SqliteStore::open(&fresh).expect("a store")),
        &other,
        false,
    );
    let straight = rt.block_on(m2.run(json!({"order": 7})));
    let kinds = |h: &[asl_runtime::history::Event]| -> Vec<(u64, String)> {
        h.iter().map(|e| (e.id, e.kind.name().to_owned())).collect()
    };
    assert_eq!(kinds(&history), kinds(straight.history.events()));
    let ended = store.describe(&arn).expect("readable").expect("kept");
    assert_eq!(ended.status, Status::Succeeded);
}

asl_runtime::asl!("fixtures/each_then_wait.asl.json");

/// The Map's handler; it never answers for `hang_at` (the process dies meanwhile).
fn each_machine(
    store: Arc<dyn Store>,
    seen: &Arc<std::sync::Mutex<Vec<i64>>>,
    hang_at: Option<i64>,
) -> Machine {
    let seen = seen.clone();
    EachThenWait::builder()
        .work(move |item: Value| {
            let n = item.as_i64().unwrap_or(-1);
            let seen = seen.clone();
            async move {
                seen.lock().unwrap_or_else(|e| e.into_inner()).push(n);
                if Some(n) == hang_at {
                    std::future::pending::<()>().await;
                }
                Ok::<_, Failure>(json!(n * 10))
            }
        })
        .build()
        .with_store(store)
}

/// How many handler results the store's journal holds for `arn` (durable ones only).
fn journaled_tasks(path: &std::path::Path, arn: &str) -> usize {
    SqliteStore::open_read_only(path)
        .and_then(|s| s.journal(arn))
        .map(|j| {
            j.iter()
                .filter(|e| matches!(e, asl_runtime::effects::Entry::Task { .. }))
                .count()
        })
        .unwrap_or(0)
}

/// Starts an execution and drops the process once `until` holds.
fn crash_when(m: &Machine, input: Value, until: impl Fn() -> bool) -> String {
    let rt = runtime();
    rt.block_on(async {
        let e = m.start("cut", input);
        while !until() {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        e.arn().to_owned()
    })
}

#[test]
fn finished_map_iterations_are_not_run_again_and_a_wait_keeps_its_deadline() {
    // Cut off inside the Map, at its second item.
    let path = temp("map");
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).expect("a store"));
    let m = each_machine(store, &seen, Some(2));
    let input = json!({"items": [1, 2, 3]});
    let watch = seen.clone();
    crash_when(&m, input.clone(), || {
        watch.lock().unwrap_or_else(|e| e.into_inner()).contains(&2)
    });
    assert_eq!(*seen.lock().unwrap_or_else(|e| e.into_inner()), vec![1, 2]);

    // Resumed: item 1 is not worked again; item 2 is (it was cut off), then item 3. Cut off
    // again during the Wait.
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).expect("the same store"));
    let m = each_machine(store, &seen, None);
    let rt = runtime();
    rt.block_on(async {
        let resumed = m.resume().expect("resumable");
        assert_eq!(resumed.len(), 1);
        // Long enough to reach the Wait (the last item's result durable), shorter than it.
        let arn = resumed[0].arn().to_owned();
        while !(journaled_tasks(&path, &arn) >= 3
            && m.execution_history(&arn)
                .expect("readable")
                .iter()
                .any(|e| e.kind.name() == "WaitStateEntered"))
        {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    });
    drop(rt);
    assert_eq!(
        *seen.lock().unwrap_or_else(|e| e.into_inner()),
        vec![1, 2, 2, 3]
    );

    // Resumed again, in the Wait: nothing is worked again, and it ends.
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).expect("the same store"));
    let m = each_machine(store, &seen, None);
    let rt = runtime();
    let outcome = rt.block_on(async {
        let mut resumed = m.resume().expect("resumable");
        resumed.remove(0).result().await
    });
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    assert_eq!(
        outcome.output,
        Some(json!({"items": [1, 2, 3], "done": [10, 20, 30]}))
    );
    assert_eq!(
        *seen.lock().unwrap_or_else(|e| e.into_inner()),
        vec![1, 2, 2, 3]
    );
    let entered = outcome
        .history
        .events()
        .iter()
        .filter(|e| e.kind.name() == "WaitStateEntered")
        .count();
    assert_eq!(entered, 1, "the Wait is entered once in the history");
}

asl_runtime::asl!("fixtures/approval.asl.json");

fn approval_machine(store: Arc<dyn Store>, tokens: &Arc<std::sync::Mutex<Vec<String>>>) -> Machine {
    let tokens = tokens.clone();
    Approval::builder()
        .ask(move |message: Value| {
            let tokens = tokens.clone();
            async move {
                if let Some(t) = message["MessageBody"]["token"].as_str() {
                    tokens
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(t.to_owned());
                }
                Ok::<_, Failure>(json!({"MessageId": "m-1"}))
            }
        })
        .build()
        .with_store(store)
}

#[test]
fn a_task_token_handed_out_before_a_restart_is_answered_after_it() {
    let path = temp("token");
    let tokens = Arc::new(std::sync::Mutex::new(Vec::new()));
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).expect("a store"));
    let m = approval_machine(store, &tokens);
    // Cut off once the message's sending is durable and the execution waits for the token.
    let arn = "arn:aws:states:us-east-1:111111111111:execution:Approval:cut";
    crash_when(&m, json!({}), || journaled_tasks(&path, arn) == 1);
    let token = tokens.lock().unwrap_or_else(|e| e.into_inner())[0].clone();

    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).expect("the same store"));
    let m = approval_machine(store, &tokens);
    assert!(
        m.send_task_success(&token, json!({})).is_err(),
        "no execution waits for the token before it is resumed"
    );
    let rt = runtime();
    let outcome = rt.block_on(async {
        let mut resumed = m.resume().expect("resumable");
        // The resumed execution waits for the same token again; answer it once it does.
        let mut tries = 0;
        while m
            .send_task_success(&token, json!({"approved": true}))
            .is_err()
        {
            tries += 1;
            assert!(
                tries < 2_000,
                "the resumed execution never waited for the token"
            );
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        resumed.remove(0).result().await
    });
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    assert_eq!(outcome.output, Some(json!({"approved": true})));
    assert_eq!(
        tokens.lock().unwrap_or_else(|e| e.into_inner()).len(),
        1,
        "the message with the token is not sent again"
    );
}
