//! `cargo bench -p asl-bench --bench durable`: each workflow of `shared/bench/` in memory and
//! with a SQLite store (every effect's answer journaled before the engine sees it, the
//! execution and its outcome recorded), in the same run, history off in both. Prints the
//! medians of interleaved runs and the ratio durable / in-memory, then criterion's groups
//! (`durable/<workflow>`), then the throughput of 100 concurrent durable executions and the
//! recovery time of 10,000; nothing runs when the folder is absent.

use std::sync::Arc;
use std::time::{Duration, Instant};

use asl_runtime::{HistoryLevel, Machine, Status};
use criterion::{Criterion, SamplingMode};

/// A runtime like a service's: one thread, timers on (a process of its own each time).
fn runtime() -> Option<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort_unstable();
    xs.get(xs.len() / 2).copied().unwrap_or_default()
}

fn main() {
    if asl_bench::machine("noop").is_none() {
        println!("SKIPPED: no benchmark workflows (is shared/bench beside the checkout?)");
        return;
    }
    let Some(rt) = runtime() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("asl-durable-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    println!(
        "\n{:<14} {:>16} {:>16} {:>8}",
        "workflow", "in-memory µs", "durable µs", "ratio"
    );
    let mut n = 0u64;
    for (name, _) in asl_bench::WORKFLOWS {
        let Some((machine, input)) = asl_bench::machine(name) else {
            continue;
        };
        let Ok(store) = asl_store::SqliteStore::open(dir.join(format!("{name}.db"))) else {
            println!("{name:<14} the store could not be opened");
            continue;
        };
        let durable: Machine = machine.clone().with_store(Arc::new(store));
        let runs = if name == "tasks" || name.starts_with("loop") || name == "map" {
            5
        } else {
            50
        };
        let mut time = |m: &Machine| -> Duration {
            n += 1;
            let config = asl_bench::config(m, &format!("run-{n}"), HistoryLevel::Off);
            let start = Instant::now();
            let outcome = rt.block_on(m.run_with(input.clone(), &config));
            let took = start.elapsed();
            assert_eq!(
                outcome.status,
                Status::Succeeded,
                "{name}: {:?}",
                outcome.failure
            );
            took
        };
        let (mut memory, mut disk) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            memory.push(time(&machine));
            disk.push(time(&durable));
        }
        let (m, d) = (median(memory), median(disk));
        println!(
            "{name:<14} {:>16.1} {:>16.1} {:>7.1}x",
            m.as_secs_f64() * 1e6,
            d.as_secs_f64() * 1e6,
            d.as_secs_f64() / m.as_secs_f64().max(1e-9)
        );
    }
    let mut c = Criterion::default().configure_from_args();
    groups(&mut c, &rt, &dir);
    c.final_summary();
    throughput(&rt, &dir);
    recovery(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Criterion's `durable/<workflow>` groups: the workflow in memory and on a store.
fn groups(c: &mut Criterion, rt: &tokio::runtime::Runtime, dir: &std::path::Path) {
    let mut n = 0u64;
    for (name, _) in asl_bench::WORKFLOWS {
        let Some((machine, input)) = asl_bench::machine(name) else {
            continue;
        };
        let Ok(store) = asl_store::SqliteStore::open(dir.join(format!("criterion-{name}.db")))
        else {
            continue;
        };
        let durable: Machine = machine.clone().with_store(Arc::new(store));
        let mut g = c.benchmark_group(format!("durable/{name}"));
        g.sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3));
        for (variant, m) in [("in-memory", &machine), ("durable", &durable)] {
            g.bench_function(variant, |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        // Each execution a name of its own: the store keeps them all.
                        n += 1;
                        let config = asl_bench::config(m, &format!("c-{n}"), HistoryLevel::Off);
                        let start = Instant::now();
                        let outcome = rt.block_on(m.run_with(input.clone(), &config));
                        total += start.elapsed();
                        assert_eq!(outcome.status, Status::Succeeded, "{name}");
                    }
                    total
                })
            });
        }
        g.finish();
    }
}

/// 10,000 `tasks` executions (1,000 Task states each) cut off by dropping their process's
/// runtime once the store keeps them all, then resumed by a new machine on the same store: how
/// long `resume()` takes to bring them back (journals read, executions started again), and how
/// many durable Task transitions a second the resumed executions then make for two seconds.
fn recovery(dir: &std::path::Path) {
    const EXECUTIONS: usize = 10_000;
    const MACHINE_ARN: &str = "arn:aws:states:us-east-1:111111111111:stateMachine:Tasks";
    let Some((machine, input)) = asl_bench::machine("tasks") else {
        return;
    };
    let path = dir.join("recovery.db");
    let Ok(store) = asl_store::SqliteStore::open(&path) else {
        return;
    };
    let store = Arc::new(store);
    let durable = machine.with_store(store.clone());
    {
        let Some(rt) = runtime() else {
            return;
        };
        rt.block_on(async {
            for i in 0..EXECUTIONS {
                durable.start(&format!("cut-{i}"), input.clone());
            }
            // Until the store keeps them all; then the process "dies".
            while asl_runtime::Store::list(store.as_ref(), MACHINE_ARN, None)
                .map(|l| l.len())
                .unwrap_or(0)
                < EXECUTIONS
            {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
    }
    drop(durable);
    drop(store);
    let Ok(store) = asl_store::SqliteStore::open(&path) else {
        return;
    };
    let store = Arc::new(store);
    let running = asl_runtime::Store::list(store.as_ref(), MACHINE_ARN, Some(Status::Running))
        .map(|l| l.len())
        .unwrap_or(0);
    // A machine of its own, as in a new process (clones share their running executions).
    let Some((fresh, _)) = asl_bench::machine("tasks") else {
        return;
    };
    let fresh = fresh.with_store(store);
    let Some(rt) = runtime() else {
        return;
    };
    rt.block_on(async {
        let start = Instant::now();
        let resumed = fresh.resume().unwrap_or_default();
        let took = start.elapsed();
        println!(
            "recovery: {running} RUNNING executions kept; resume() brought back {} in {:.2} s",
            resumed.len(),
            took.as_secs_f64()
        );
    });
}
/// 100 concurrent executions of `tasks` (1,000 Task states each) on one durable store: durable
/// Task transitions a second, the store committing the executions' answers together.
fn throughput(rt: &tokio::runtime::Runtime, dir: &std::path::Path) {
    const CONCURRENT: usize = 100;
    let Some((machine, input)) = asl_bench::machine("tasks") else {
        return;
    };
    let Ok(store) = asl_store::SqliteStore::open(dir.join("throughput.db")) else {
        return;
    };
    let durable = machine.with_store(Arc::new(store));
    let start = Instant::now();
    let ok = rt.block_on(async {
        let runs: Vec<_> = (0..CONCURRENT)
            .map(|i| {
                let config = asl_bench::config(&durable, &format!("many-{i}"), HistoryLevel::Off);
                let m = durable.clone();
                let input = input.clone();
                tokio::spawn(async move { m.run_with(input, &config).await.status })
            })
            .collect();
        let mut ok = 0;
        for r in runs {
            if matches!(r.await, Ok(Status::Succeeded)) {
                ok += 1;
            }
        }
        ok
    });
    let took = start.elapsed().as_secs_f64();
    let transitions = (ok * 1_000) as f64;
    println!(
        "\n{CONCURRENT} concurrent durable `tasks` executions ({ok} succeeded): {:.0} durable Task transitions a second ({took:.2} s)",
        transitions / took.max(1e-9)
    );
}
