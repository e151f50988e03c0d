//! Processes killed with SIGKILL at random points while they run the durable workflow (inside
//! handlers, between states, in Parallel and Map, during the Wait and the Retry back-off), then
//! started again: every execution ends with the output and the history of an uninterrupted
//! run. Prints `crash-resume: K kills, E executions resumed, 0 lost, 0 repeated transitions`.

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use asl_runtime::Store;
use asl_runtime::engine::Status;
use asl_runtime::history::Event;
use asl_tests::durable;
use serde_json::Value;

/// Executions, and kills at least.
const EXECUTIONS: u64 = 10;
const KILLS: u32 = 200;

/// A small deterministic generator for the kill times.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

/// What a history is, times left out: how many of each (type, state) event it has.
fn shape(events: &[Event]) -> HashMap<(String, String), usize> {
    let mut m = HashMap::new();
    for e in events {
        *m.entry((
            e.kind.name().to_owned(),
            e.kind.state_name().unwrap_or_default().to_owned(),
        ))
        .or_default() += 1;
    }
    m
}

/// The output with the uuid (different in every run) left out.
fn comparable(mut output: Value) -> Value {
    if let Value::Object(m) = &mut output {
        m.remove("id");
    }
    output
}

#[test]
fn killed_processes_resume_every_execution_without_loss_or_repetition() {
    let dir = std::env::temp_dir().join(format!("asl-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder");
    let db = dir.join("executions.db");
    let worker = env!("CARGO_BIN_EXE_crash-worker");
    let count = EXECUTIONS.to_string();
    let mut rng = Lcg(0x5eed);
    let mut resumed = 0u64;
    let resumed_of = |stdout: &[u8]| -> u64 {
        String::from_utf8_lossy(stdout)
            .lines()
            .find_map(|l| l.strip_prefix("resumed ")?.parse().ok())
            .unwrap_or(0)
    };

    let mut kills = 0;
    while kills < KILLS {
        let mut child = Command::new(worker)
            .args([db.as_os_str(), count.as_ref()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the worker starts");
        std::thread::sleep(Duration::from_millis(5 + rng.next(40)));
        // SIGKILL: no destructor, no flush, nothing of the process's own runs.
        let _ = child.kill();
        let out = child.wait_with_output().expect("the worker ends");
        assert!(
            out.status.code() != Some(2),
            "the worker failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        resumed += resumed_of(&out.stdout);
        kills += 1;
    }
    // The last life, not killed: it finishes what is left.
    let mut lives = 0;
    loop {
        lives += 1;
        let out = Command::new(worker)
            .args([db.as_os_str(), count.as_ref()])
            .output()
            .expect("the worker runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        resumed += resumed_of(&out.stdout);
        let store = asl_store::SqliteStore::open_read_only(&db).expect("the store");
        let all = store.list(durable::MACHINE_ARN, None).expect("listable");
        if all.len() as u64 == EXECUTIONS && all.iter().all(|d| d.status != Status::Running) {
            break;
        }
        assert!(lives < 50, "the executions never all ended");
    }

    // Against uninterrupted runs of the same inputs.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let machine = durable::machine();
    let store = asl_store::SqliteStore::open_read_only(&db).expect("the store");
    let mut lost = 0;
    let mut repeated = 0;
    for i in 0..EXECUTIONS {
        let arn = format!(
            "arn:aws:states:us-east-1:111111111111:execution:Durable:{}",
            durable::name(i)
        );
        let reference = rt.block_on(machine.run(durable::input(i)));
        assert_eq!(reference.status, Status::Succeeded);
        let Some(kept) = store.describe(&arn).expect("readable") else {
            lost += 1;
            continue;
        };
        if kept.status != Status::Succeeded {
            lost += 1;
            continue;
        }
        assert_eq!(
            kept.output.clone().map(comparable),
            reference.output.clone().map(comparable),
            "{arn}"
        );
        let history = store.history(&arn).expect("readable");
        let ids: Vec<u64> = history.iter().map(|e| e.id).collect();
        assert_eq!(
            ids,
            (1..=ids.len() as u64).collect::<Vec<_>>(),
            "{arn}: ids"
        );
        let (got, want) = (shape(&history), shape(reference.history.events()));
        for (key, n) in &got {
            let expected = want.get(key).copied().unwrap_or(0);
            if key.0.ends_with("StateEntered") && *n > expected {
                repeated += n - expected;
            }
        }
        assert_eq!(
            got, want,
            "{arn}: the history differs from an uninterrupted run's"
        );
        // The uuid in the output is the one the history recorded.
        let mark = history
            .iter()
            .find(|e| e.kind.name() == "PassStateExited")
            .and_then(|e| e.kind.output().cloned())
            .expect("Mark's output");
        assert_eq!(
            kept.output.as_ref().map(|o| &o["id"]),
            Some(&mark["mark"]["id"])
        );
    }
    println!(
        "crash-resume: {kills} kills, {resumed} executions resumed, {lost} lost, {repeated} repeated transitions"
    );
    assert_eq!(lost, 0);
    assert_eq!(repeated, 0);
    assert!(resumed > 0, "no kill landed inside an execution");
    let _ = std::fs::remove_dir_all(&dir);
}
