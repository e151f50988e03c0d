//! `cargo bench -p asl-bench`: each workflow of `shared/bench/` through its generated machine
//! and through a hand-written baseline doing the same work with the same handlers, in the same
//! run. Outputs are checked once before timing. Nothing runs when the folder is absent.

use std::hint::black_box;

use asl_runtime::Failure;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"))
}

fn workflows(c: &mut Criterion) {
    let rt = runtime();
    let mut any = false;

    if let Some(machine) = loop_task() {
        any = true;
        let out = rt.block_on(machine.run(json!({"i": 0})));
        assert_eq!(out.output, Some(json!({"i": 10000})), "loop_task output");
        let base = rt.block_on(asl_bench::baseline_loop_task(
            json!({"i": 0}),
            &|v| async move { asl_bench::inc(v) },
        ));
        assert_eq!(base, json!({"i": 10000}));
        let mut g = c.benchmark_group("loop_task (20,001 transitions)");
        g.sample_size(20);
        g.bench_function("generated, full history", |b| {
            b.iter(|| rt.block_on(machine.run(black_box(json!({"i": 0})))))
        });
        let quiet = quiet(&machine);
        g.bench_function("generated, history off", |b| {
            b.iter(|| rt.block_on(machine.run_with(black_box(json!({"i": 0})), &quiet)))
        });
        g.bench_function("hand-written", |b| {
            b.iter(|| {
                rt.block_on(asl_bench::baseline_loop_task(
                    black_box(json!({"i": 0})),
                    &|v| async move { asl_bench::inc(v) },
                ))
            })
        });
        g.finish();
    }
    if let Some(machine) = tasks() {
        any = true;
        let out = rt.block_on(machine.run(json!({"seed": "x"})));
        assert_eq!(
            out.output,
            Some(json!({"seed": "x", "visited": 1000})),
            "tasks output"
        );
        let mut g = c.benchmark_group("tasks (1,000 transitions)");
        g.bench_function("generated, full history", |b| {
            b.iter(|| rt.block_on(machine.run(black_box(json!({"seed": "x"})))))
        });
        let quiet = quiet(&machine);
        g.bench_function("generated, history off", |b| {
            b.iter(|| rt.block_on(machine.run_with(black_box(json!({"seed": "x"})), &quiet)))
        });
        g.bench_function("hand-written", |b| {
            b.iter(|| {
                rt.block_on(asl_bench::baseline_tasks(
                    black_box(json!({"seed": "x"})),
                    &|v| async move { asl_bench::add_field(v) },
                ))
            })
        });
        g.finish();
    }
    if let Some(machine) =
        asl_bench::generated::map_machine(|v: Value| async move { Ok::<_, Failure>(v) })
    {
        any = true;
        let input = bench_input("map");
        let out = rt.block_on(machine.run(input.clone()));
        let items = out.output.as_ref().and_then(Value::as_array);
        assert_eq!(items.map(Vec::len), Some(10_000), "map output");
        assert_eq!(
            items.and_then(|i| i.last()),
            Some(&json!({"m": "#9999"})),
            "map output"
        );
        assert_eq!(Some(asl_bench::baseline_map(input.clone())), out.output);
        let mut g = c.benchmark_group("map (10,000 items)");
        g.sample_size(20);
        g.bench_function("generated, full history", |b| {
            b.iter(|| rt.block_on(machine.run(black_box(input.clone()))))
        });
        let quiet = quiet(&machine);
        g.bench_function("generated, history off", |b| {
            b.iter(|| rt.block_on(machine.run_with(black_box(input.clone()), &quiet)))
        });
        g.bench_function("hand-written", |b| {
            b.iter(|| asl_bench::baseline_map(black_box(input.clone())))
        });
        g.finish();
    }
    if !any {
        eprintln!("SKIPPED: shared/bench not found (set ASL_BENCH_DIR)");
    }
}

/// A workflow's recorded input from `shared/bench/<name>.input.json`.
fn bench_input(name: &str) -> Value {
    let dir = std::env::var_os("ASL_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench")
        });
    let text = std::fs::read_to_string(dir.join(format!("{name}.input.json")))
        .unwrap_or_else(|e| panic!("{name}.input.json: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}.input.json: {e}"))
}

/// An execution configuration that keeps no history.
fn quiet(machine: &asl_runtime::Machine) -> asl_runtime::ExecutionConfig {
    let mut config = asl_runtime::ExecutionConfig::new(machine.name(), "bench");
    config.history = asl_runtime::HistoryLevel::Off;
    config
}

fn loop_task() -> Option<asl_runtime::Machine> {
    asl_bench::generated::loop_task_machine(|v: Value| async move {
        Ok::<_, Failure>(asl_bench::inc(v))
    })
}

fn tasks() -> Option<asl_runtime::Machine> {
    asl_bench::generated::tasks_machine(|v: Value| async move {
        Ok::<_, Failure>(asl_bench::add_field(v))
    })
}

criterion_group!(benches, workflows);
criterion_main!(benches);
