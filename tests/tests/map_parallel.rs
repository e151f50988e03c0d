//! Map and Parallel states as users rely on them: never more iterations in flight than
//! MaxConcurrency, results in item and branch order, failures that cancel what is in flight,
//! tolerated failures, item readers, batches and result writers, and executions stopped with
//! iterations running. Time is tokio's paused clock; nothing here measures time.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use asl_runtime::items::LocalFiles;
use asl_runtime::{ExecutionConfig, Failure, HistoryLevel, Status, TaskContext};
use serde_json::{Value, json};

asl_runtime::asl!("../fixtures/fanout.asl.json");
asl_runtime::asl!("../fixtures/branches.asl.json");
asl_runtime::asl!("../fixtures/distributed.asl.json");
asl_runtime::asl!("../fixtures/labels.asl.json");
asl_runtime::asl!("../fixtures/keep.asl.json");

/// Counts the handler calls in flight (a call that is dropped counts as ended) and the most
/// seen at once.
#[derive(Clone, Default)]
struct Gauge {
    live: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
    calls: Arc<AtomicUsize>,
}

struct InFlight(Arc<AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Gauge {
    fn enter(&self) -> InFlight {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let now = self.live.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        InFlight(self.live.clone())
    }
    fn live(&self) -> usize {
        self.live.load(Ordering::SeqCst)
    }
    fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

/// A fan-out machine whose handler sleeps `delay(index)` and answers `value * 10`, failing
/// with `Boom` on the item equal to `fail_on`.
fn fanout(
    gauge: &Gauge,
    order: &Arc<Mutex<Vec<u64>>>,
    fail_on: Option<u64>,
    delay: fn(u64) -> u64,
) -> asl_runtime::Machine {
    let (gauge, order) = (gauge.clone(), order.clone());
    Fanout::builder()
        .work(move |input: Value| {
            let (gauge, order) = (gauge.clone(), order.clone());
            async move {
                let _in_flight = gauge.enter();
                let index = input["index"].as_u64().unwrap_or_default();
                let value = input["value"].as_u64().unwrap_or_default();
                order.lock().map_err(|e| e.to_string())?.push(index);
                if fail_on == Some(value) {
                    return Err(Failure::new("Boom", format!("item {value}")));
                }
                tokio::time::sleep(Duration::from_millis(delay(index))).await;
                Ok::<_, Failure>(json!(value * 10))
            }
        })
        .build()
}

#[tokio::test(start_paused = true)]
async fn map_never_exceeds_max_concurrency_and_keeps_item_order() {
    let (gauge, order) = (Gauge::default(), Arc::default());
    // Later items finish first, so results arrive out of order.
    let machine = fanout(&gauge, &order, None, |i| 1000 - i * 40);
    let items: Vec<u64> = (0..20).collect();
    let outcome = machine.run(json!({"items": items, "limit": 3})).await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    let expected: Vec<u64> = items.iter().map(|v| v * 10).collect();
    assert_eq!(
        outcome.output.map(|o| o["results"].clone()),
        Some(json!(expected))
    );
    assert_eq!(gauge.peak(), 3, "three in flight at most, and three used");
    assert_eq!(gauge.calls(), 20);
}

#[tokio::test(start_paused = true)]
async fn max_concurrency_one_runs_items_strictly_in_order() {
    let (gauge, order) = (Gauge::default(), Arc::default());
    let machine = fanout(&gauge, &order, None, |i| 100 - i * 5);
    let outcome = machine
        .run(json!({"items": (0..15).collect::<Vec<u64>>(), "limit": 1}))
        .await;
    assert_eq!(outcome.status, Status::Succeeded);
    assert_eq!(gauge.peak(), 1);
    let started = order.lock().map(|o| o.clone()).unwrap_or_default();
    assert_eq!(started, (0..15).collect::<Vec<u64>>());
}

#[tokio::test(start_paused = true)]
async fn max_concurrency_zero_is_unbounded() {
    let (gauge, order) = (Gauge::default(), Arc::default());
    let machine = fanout(&gauge, &order, None, |_| 1000);
    let outcome = machine
        .run(json!({"items": (0..50).collect::<Vec<u64>>(), "limit": 0}))
        .await;
    assert_eq!(outcome.status, Status::Succeeded);
    assert_eq!(gauge.peak(), 50);
}

#[tokio::test(start_paused = true)]
async fn a_failed_iteration_fails_the_map_and_cancels_the_rest() {
    let (gauge, order) = (Gauge::default(), Arc::default());
    // Item 2 fails at once; the others would sleep an hour.
    let machine = fanout(&gauge, &order, Some(2), |_| 3_600_000);
    let outcome = machine
        .run(json!({"items": (0..10).collect::<Vec<u64>>(), "limit": 4}))
        .await;
    assert_eq!(outcome.status, Status::Failed);
    let failure = outcome.failure.expect("a failure");
    assert_eq!(
        (failure.error.as_str(), failure.cause.as_deref()),
        ("Boom", Some("item 2"))
    );
    assert_eq!(gauge.live(), 0, "the iterations in flight were dropped");
    assert!(gauge.calls() <= 4, "no iteration started after the failure");
    let kinds: Vec<&str> = outcome
        .history
        .events()
        .iter()
        .map(|e| e.kind.name())
        .collect();
    let count = |kind: &str| kinds.iter().filter(|k| **k == kind).count();
    assert_eq!(count("MapIterationStarted"), 4);
    assert_eq!(
        count("MapIterationAborted"),
        3,
        "the four started, less the failed one"
    );
    for kind in [
        "MapStateStarted",
        "MapIterationFailed",
        "MapStateFailed",
        "ExecutionFailed",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn map_history_records_every_iteration() {
    let (gauge, order) = (Gauge::default(), Arc::default());
    let machine = fanout(&gauge, &order, None, |_| 10);
    let outcome = machine.run(json!({"items": [1, 2], "limit": 0})).await;
    let kinds: Vec<&str> = outcome
        .history
        .events()
        .iter()
        .map(|e| e.kind.name())
        .collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == "MapIterationSucceeded")
            .count(),
        2
    );
    assert_eq!(kinds.first(), Some(&"ExecutionStarted"));
    assert!(kinds.contains(&"MapStateEntered") && kinds.contains(&"MapStateExited"));
    let started = outcome
        .history
        .events()
        .iter()
        .find(|e| e.kind.name() == "MapStateStarted")
        .map(|e| serde_json::to_value(e).map(|v| v["mapStateStartedEventDetails"].clone()));
    assert_eq!(started.and_then(Result::ok), Some(json!({"length": 2})));
}

#[tokio::test(start_paused = true)]
async fn stopping_an_execution_stops_its_iterations() {
    let (gauge, order) = (Gauge::default(), Arc::default());
    let machine = fanout(&gauge, &order, None, |_| 3_600_000);
    let execution = machine.start(
        "stop-me",
        json!({"items": (0..100).collect::<Vec<u64>>(), "limit": 5}),
    );
    while gauge.live() < 5 {
        tokio::task::yield_now().await;
    }
    execution.stop(Some("Halt"), Some("operator"));
    let outcome = execution.result().await;
    assert_eq!(outcome.status, Status::Aborted);
    assert_eq!(gauge.live(), 0, "the running iterations were dropped");
    assert_eq!(gauge.calls(), 5);
}

#[tokio::test(start_paused = true)]
async fn a_machine_timeout_stops_in_flight_iterations() {
    let (gauge, order) = (Gauge::default(), Arc::default());
    let machine = fanout(&gauge, &order, None, |_| 3_600_000);
    let outcome = tokio::time::timeout(
        Duration::from_secs(60),
        machine.run(json!({"items": [1, 2, 3], "limit": 0})),
    )
    .await;
    assert!(outcome.is_err(), "an hour-long iteration outlasts a minute");
    assert_eq!(
        gauge.live(),
        0,
        "dropping the execution dropped its iterations"
    );
}

fn branches(gauge: &Gauge, right: fn(usize) -> Result<Value, Failure>) -> asl_runtime::Machine {
    let (left_gauge, right_gauge) = (gauge.clone(), gauge.clone());
    let attempts = Arc::new(AtomicUsize::new(0));
    Branches::builder()
        .left(move |_: Value| {
            let gauge = left_gauge.clone();
            async move {
                let _in_flight = gauge.enter();
                tokio::time::sleep(Duration::from_secs(2)).await;
                Ok::<_, Failure>(json!("L"))
            }
        })
        .right(move |_: Value| {
            let (gauge, attempts) = (right_gauge.clone(), attempts.clone());
            async move {
                let _in_flight = gauge.enter();
                tokio::time::sleep(Duration::from_secs(1)).await;
                right(attempts.fetch_add(1, Ordering::SeqCst))
            }
        })
        .build()
}

#[tokio::test(start_paused = true)]
async fn parallel_branches_run_together_and_keep_branch_order() {
    let gauge = Gauge::default();
    let machine = branches(&gauge, |_| Ok(json!("R")));
    let outcome = machine.run(json!({"order": 7})).await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    assert_eq!(
        outcome.output,
        Some(json!({"order": 7, "both": {"left": "L", "right": "R"}}))
    );
    assert_eq!(gauge.peak(), 2, "both branches were in flight at once");
    let kinds: Vec<&str> = outcome
        .history
        .events()
        .iter()
        .map(|e| e.kind.name())
        .collect();
    for kind in [
        "ParallelStateEntered",
        "ParallelStateStarted",
        "ParallelStateSucceeded",
        "ParallelStateExited",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_failing_branch_cancels_the_other_and_is_caught() {
    let gauge = Gauge::default();
    let machine = branches(&gauge, |_| Err(Failure::new("Boom", "right broke")));
    let outcome = machine.run(json!({"order": 7})).await;
    assert_eq!(outcome.status, Status::Succeeded);
    assert_eq!(
        outcome.output,
        Some(json!({"order": 7, "error": {"Error": "Boom", "Cause": "right broke"}}))
    );
    assert_eq!(gauge.live(), 0, "the left branch was dropped");
    assert_eq!(gauge.calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_retried_parallel_runs_every_branch_again() {
    let gauge = Gauge::default();
    let machine = branches(&gauge, |attempt| {
        if attempt == 0 {
            Err(Failure::new("Flaky", "first time"))
        } else {
            Ok(json!("R"))
        }
    });
    let outcome = machine.run(json!({})).await;
    assert_eq!(
        outcome.output.map(|o| o["both"].clone()),
        Some(json!({"left": "L", "right": "R"}))
    );
    assert_eq!(gauge.calls(), 4, "two attempts of two branches");
}

/// A folder standing in for S3, removed when dropped.
struct Folder(std::path::PathBuf);

impl Folder {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("asl-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("orders")).expect("a temporary folder");
        let rows: String = (1..=7).map(|i| format!("{i},item {i}\n")).collect();
        std::fs::write(dir.join("orders/march.csv"), format!("id,name\n{rows}"))
            .expect("the CSV file");
        Folder(dir)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn distributed(
    folder: &Folder,
    seen: &Arc<Mutex<Vec<(Value, String)>>>,
    failing: &'static [&'static str],
) -> asl_runtime::Machine {
    let seen = seen.clone();
    Distributed::builder()
        .handle_batch(move |batch: Value, context: TaskContext| {
            let seen = seen.clone();
            async move {
                seen.lock()
                    .map_err(|e| e.to_string())?
                    .push((batch.clone(), context.execution_arn.to_string()));
                let ids: Vec<&str> = batch["Items"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|i| i["id"].as_str())
                    .collect();
                if ids.iter().any(|id| failing.contains(id)) {
                    return Err(Failure::new("BadRow", format!("rows {ids:?}")));
                }
                Ok::<_, Failure>(json!({"count": ids.len()}))
            }
        })
        .build()
        .with_item_reader(LocalFiles::new(&folder.0))
        .with_result_writer(LocalFiles::new(&folder.0))
}

#[tokio::test(start_paused = true)]
async fn distributed_map_reads_batches_tolerates_and_writes_results() {
    let folder = Folder::new("distributed");
    let seen = Arc::default();
    let machine = distributed(&folder, &seen, &["3"]);
    let outcome = machine.run(json!({"key": "march.csv"})).await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    let output = outcome.output.expect("an output");
    let batches = seen.lock().map(|s| s.clone()).unwrap_or_default();
    // MaxItems 5 of the 7 rows, two per batch.
    let mut sizes: Vec<usize> = batches
        .iter()
        .map(|(b, _)| b["Items"].as_array().map_or(0, Vec::len))
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, vec![1, 2, 2]);
    let first = batches
        .iter()
        .find(|(b, _)| b["Items"][0]["id"] == "1")
        .map(|(b, _)| b.clone());
    assert_eq!(
        first,
        Some(json!({
            "Items": [{"id": "1", "name": "item 1"}, {"id": "2", "name": "item 2"}],
            "BatchInput": {"source": "march.csv"}
        }))
    );
    assert!(
        batches
            .iter()
            .all(|(_, arn)| arn.contains(":execution:Distributed/rows:")),
        "each batch runs as a child execution of the Map Run"
    );
    let key = output["ResultWriterDetails"]["Key"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(output["ResultWriterDetails"]["Bucket"], "results");
    assert!(
        output["MapRunArn"]
            .as_str()
            .unwrap_or_default()
            .contains(":mapRun:Distributed/rows:")
    );
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(folder.0.join("results").join(key)).expect("the manifest"),
    )
    .expect("JSON");
    let read = |status: &str| -> Vec<Value> {
        let file = manifest["ResultFiles"][status][0]["Key"]
            .as_str()
            .unwrap_or_default();
        serde_json::from_slice(
            &std::fs::read(folder.0.join("results").join(file)).unwrap_or_default(),
        )
        .unwrap_or_default()
    };
    let (succeeded, failed) = (read("SUCCEEDED"), read("FAILED"));
    assert_eq!((succeeded.len(), failed.len()), (2, 1));
    assert_eq!(failed[0]["Error"], "BadRow");
    assert_eq!(succeeded[0]["Output"], json!("{\"count\":2}"));
}

#[tokio::test(start_paused = true)]
async fn too_many_failed_children_exceed_the_threshold() {
    let folder = Folder::new("threshold");
    let seen = Arc::default();
    let machine = distributed(&folder, &seen, &["1", "3"]);
    let outcome = machine.run(json!({"key": "march.csv"})).await;
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(
        outcome.failure.map(|f| f.error),
        Some("States.ExceedToleratedFailureThreshold".to_owned())
    );
    let kinds: Vec<&str> = outcome
        .history
        .events()
        .iter()
        .map(|e| e.kind.name())
        .collect();
    assert!(kinds.contains(&"MapRunStarted") && kinds.contains(&"MapRunFailed"));
}

#[tokio::test(start_paused = true)]
async fn a_missing_object_or_reader_is_item_reader_failed() {
    let folder = Folder::new("missing");
    let seen = Arc::default();
    let outcome = distributed(&folder, &seen, &[])
        .run(json!({"key": "april.csv"}))
        .await;
    assert_eq!(
        outcome.failure.map(|f| f.error),
        Some("States.ItemReaderFailed".to_owned())
    );
    let no_reader = Distributed::builder()
        .handle_batch(|_: Value| async { Ok::<_, Failure>(json!(null)) })
        .build();
    let outcome = no_reader.run(json!({"key": "march.csv"})).await;
    let failure = outcome.failure.expect("a failure");
    assert_eq!(failure.error, "States.ItemReaderFailed");
    assert!(
        failure
            .cause
            .unwrap_or_default()
            .contains("with_item_reader")
    );
}

/// Fifty thousand items (as many as fit, with their results, in AWS's 256 KiB) with
/// MaxConcurrency 100: never more than 100 iterations alive at once, and each one gone
/// (dropped) when it ends; iterations are started as slots free up, not all at the start.
#[tokio::test(flavor = "current_thread")]
async fn fifty_thousand_items_hold_only_the_iterations_in_flight() {
    let gauge = Gauge::default();
    let inner = gauge.clone();
    let machine = Fanout::builder()
        .work(move |input: Value| {
            let gauge = inner.clone();
            async move {
                let _in_flight = gauge.enter();
                // Give the other iterations a chance to start while this one is alive.
                tokio::task::yield_now().await;
                Ok::<_, Failure>(json!(input["index"].as_u64().unwrap_or_default() % 10))
            }
        })
        .build();
    let mut config = ExecutionConfig::new("Fanout", "million");
    config.history = HistoryLevel::Off;
    // 50,000 inline iterations count some 250,000 events: past a Standard workflow's 25,000,
    // as an Express workflow runs them.
    config.history_limit = None;
    let items = vec![0u8; 50_000];
    let outcome = machine
        .run_with(json!({"items": items, "limit": 100}), &config)
        .await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    assert_eq!(gauge.calls(), 50_000);
    assert_eq!(gauge.peak(), 100, "a hundred in flight, never more");
    assert_eq!(gauge.live(), 0);
    let results = outcome
        .output
        .map(|o| o["results"].clone())
        .unwrap_or_default();
    assert_eq!(results.as_array().map(Vec::len), Some(50_000));
    assert_eq!(results[49_999], json!(9), "results in item order");
    assert_eq!(results[12_345], json!(5), "results in item order");
}

/// A processor of Pass, Choice and Fail states (which runs without a future per iteration)
/// reads the item, the context object and the variables of the state around it, and keeps the
/// results in item order with an event pair per iteration.
#[tokio::test]
async fn a_processor_that_never_waits_labels_every_item_in_order() {
    let machine = Labels::builder().build();
    let outcome = machine.run(json!({"items": [3, 0, 7.5]})).await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    assert_eq!(
        outcome.output.map(|o| o["labels"].clone()),
        Some(json!([{"text": "0#3!"}, {"text": "1#0!"}, {"text": "2#7.5!"}]))
    );
    let kinds: Vec<&str> = outcome
        .history
        .events()
        .iter()
        .map(|e| e.kind.name())
        .collect();
    let count = |kind: &str| kinds.iter().filter(|k| **k == kind).count();
    assert_eq!(count("MapIterationStarted"), 3);
    assert_eq!(count("MapIterationSucceeded"), 3);
    assert_eq!(count("ChoiceStateEntered"), 3);
    assert_eq!(count("PassStateExited"), 4, "Setup and the three labels");
}

/// The first failing iteration of such a processor fails the Map with its Fail state's error
/// and cause; as nothing runs beside it, no later item starts and none is aborted.
#[tokio::test]
async fn a_processor_that_never_waits_stops_at_its_first_failure() {
    let machine = Labels::builder().build();
    let outcome = machine.run(json!({"items": [1, 2, -4, 5, -6]})).await;
    assert_eq!(outcome.status, Status::Failed);
    let failure = outcome.failure.expect("a failure");
    assert_eq!(
        (failure.error.as_str(), failure.cause.as_deref()),
        ("Negative", Some("item 2 is -4"))
    );
    let kinds: Vec<&str> = outcome
        .history
        .events()
        .iter()
        .map(|e| e.kind.name())
        .collect();
    let count = |kind: &str| kinds.iter().filter(|k| **k == kind).count();
    assert_eq!(count("MapIterationStarted"), 3);
    assert_eq!(count("MapIterationSucceeded"), 2);
    assert_eq!(count("MapIterationFailed"), 1);
    assert_eq!(count("MapIterationAborted"), 0);
    assert_eq!(count("FailStateEntered"), 1);
    assert!(
        kinds.ends_with(&["MapStateFailed", "ExecutionFailed"]),
        "{kinds:?}"
    );
}

/// A Map's items are taken out of its input only where nothing reads that input again: the
/// outputs that keep the input (ResultPath into it; an InputPath beside it) still hold the
/// items, and the one made of the result alone is exactly the result.
#[tokio::test]
async fn map_outputs_keep_the_input_their_items_came_from() {
    let machine = Keep::builder().build();
    let input = json!({"items": [1, 2], "nested": {"items": ["a"], "other": true}});
    let outcome = machine.run(input.clone()).await;
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    assert_eq!(outcome.output, Some(json!([1, 2])));
    let exited: Vec<&Value> = outcome
        .history
        .events()
        .iter()
        .filter(|e| e.kind.name() == "MapStateExited")
        .filter_map(|e| e.kind.output())
        .collect();
    let mut kept = input.clone();
    kept["copied"] = json!([1, 2]);
    assert_eq!(exited[0], &kept, "ResultPath writes beside the items");
    kept["fromNested"] = json!(["a"]);
    assert_eq!(exited[1], &kept, "the InputPath's copy gave its items");
    assert_eq!(exited[2], &json!([1, 2]));
}
