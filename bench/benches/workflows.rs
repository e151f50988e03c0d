//! `cargo bench -p asl-bench --bench workflows`: each workflow of `shared/bench/` through its
//! generated machine and through a hand-written baseline doing the same JSON work with the same
//! handlers, in the same run. Outputs are checked once before timing. A summary first prints
//! µs per execution and per transition and the ratio generated / hand-written (medians of
//! interleaved runs); criterion's groups follow. Nothing runs when the folder is absent.

use std::hint::black_box;
use std::time::{Duration, Instant};

use asl_bench::generated;
use asl_runtime::{ExecutionConfig, Failure, HistoryLevel, Machine, Status, TaskContext};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"))
}

/// An execution configuration that keeps no history.
fn quiet(machine: &Machine) -> ExecutionConfig {
    let mut config = ExecutionConfig::new(machine.name(), "bench");
    config.history = HistoryLevel::Off;
    config
}

/// A hand-written baseline, run on the bench's runtime.
type Baseline = Box<dyn Fn(&tokio::runtime::Runtime, Value) -> Value>;

/// One workflow: its machine, an input, how to run the baseline, its transitions.
struct Case {
    name: &'static str,
    transitions: u64,
    machine: Machine,
    input: Value,
    baseline: Baseline,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    if let Some(machine) = generated::noop_machine(|v: Value| async move { Ok::<_, Failure>(v) }) {
        out.push(Case {
            name: "noop",
            transitions: 1,
            machine,
            input: json!({"x": 1}),
            baseline: Box::new(|_, v| asl_bench::baseline_noop(v)),
        });
    }
    if let Some(machine) = generated::loop_machine(|v: Value| async move { Ok::<_, Failure>(v) }) {
        out.push(Case {
            name: "loop",
            transitions: 20_001,
            machine,
            input: json!({"i": 0}),
            baseline: Box::new(|_, v| asl_bench::baseline_loop(v)),
        });
    }
    if let Some(machine) =
        generated::loop_task_machine(|v: Value| async move { Ok::<_, Failure>(asl_bench::inc(v)) })
    {
        out.push(Case {
            name: "loop_task",
            transitions: 20_001,
            machine,
            input: json!({"i": 0}),
            baseline: Box::new(|rt, v| {
                rt.block_on(asl_bench::baseline_loop_task(v, &|v| async move {
                    asl_bench::inc(v)
                }))
            }),
        });
    }
    if let Some(machine) = generated::map_machine(|v: Value| async move { Ok::<_, Failure>(v) }) {
        out.push(Case {
            name: "map",
            transitions: 10_001,
            machine,
            input: asl_bench::input("map"),
            baseline: Box::new(|_, v| asl_bench::baseline_map(v)),
        });
    }
    if let Some(machine) =
        generated::tasks_machine(
            |v: Value| async move { Ok::<_, Failure>(asl_bench::add_field(v)) },
        )
    {
        out.push(Case {
            name: "tasks",
            transitions: 1_000,
            machine,
            input: json!({"seed": "x"}),
            baseline: Box::new(|rt, v| {
                rt.block_on(asl_bench::baseline_tasks(v, &|v| async move {
                    asl_bench::add_field(v)
                }))
            }),
        });
    }
    if let Some(machine) =
        generated::football_nrp_machine(|v: Value, ctx: TaskContext| async move {
            Ok::<_, Failure>(asl_bench::append_name(v, &ctx.state_name))
        })
    {
        out.push(Case {
            name: "football_nrp",
            transitions: 3,
            machine,
            input: json!({"TrainingType": "Skills", "player": "p2"}),
            baseline: Box::new(|rt, v| {
                rt.block_on(asl_bench::baseline_football(v, &|v, s| async move {
                    asl_bench::append_name(v, s)
                }))
                .unwrap_or(Value::Null)
            }),
        });
    }
    out
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort_unstable();
    xs.get(xs.len() / 2).copied().unwrap_or_default()
}

/// Checks each output once, then prints the same-run ratio table.
fn summary(rt: &tokio::runtime::Runtime, cases: &[Case]) {
    println!(
        "\n{:<14} {:>14} {:>12} {:>14} {:>12} {:>8}",
        "workflow", "generated µs", "µs/trans", "hand µs", "µs/trans", "ratio"
    );
    for case in cases {
        let quiet = quiet(&case.machine);
        let generated = rt.block_on(case.machine.run_with(case.input.clone(), &quiet));
        assert_eq!(generated.status, Status::Succeeded, "{}", case.name);
        let hand = (case.baseline)(rt, case.input.clone());
        assert_eq!(
            generated.output,
            Some(hand),
            "{}: outputs differ",
            case.name
        );
        // Interleaved, so both see the same machine state; medians of 31 batches.
        let per_batch = (200_000 / case.transitions).clamp(1, 2_000);
        let (mut g, mut h) = (Vec::new(), Vec::new());
        for _ in 0..31 {
            let t = Instant::now();
            for _ in 0..per_batch {
                black_box(
                    rt.block_on(case.machine.run_with(black_box(case.input.clone()), &quiet)),
                );
            }
            g.push(t.elapsed() / per_batch as u32);
            let t = Instant::now();
            for _ in 0..per_batch {
                black_box((case.baseline)(rt, black_box(case.input.clone())));
            }
            h.push(t.elapsed() / per_batch as u32);
        }
        let (g, h) = (median(g), median(h));
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        println!(
            "{:<14} {:>14.2} {:>12.4} {:>14.2} {:>12.4} {:>7.1}×",
            case.name,
            us(g),
            us(g) / case.transitions as f64,
            us(h),
            us(h) / case.transitions as f64,
            us(g) / us(h).max(1e-9)
        );
    }
    println!();
}

fn workflows(c: &mut Criterion) {
    let rt = runtime();
    let cases = cases();
    if cases.is_empty() {
        eprintln!("SKIPPED: shared/bench not found (set ASL_BENCH_DIR)");
        return;
    }
    summary(&rt, &cases);
    for case in &cases {
        let mut g = c.benchmark_group(format!("{} ({} transitions)", case.name, case.transitions));
        if case.transitions > 1_000 {
            g.sample_size(20);
        }
        g.bench_function("generated, full history", |b| {
            b.iter(|| rt.block_on(case.machine.run(black_box(case.input.clone()))))
        });
        let quiet = quiet(&case.machine);
        g.bench_function("generated, history off", |b| {
            b.iter(|| rt.block_on(case.machine.run_with(black_box(case.input.clone()), &quiet)))
        });
        g.bench_function("hand-written", |b| {
            b.iter(|| (case.baseline)(&rt, black_box(case.input.clone())))
        });
        g.finish();
    }
}

criterion_group!(benches, workflows);
criterion_main!(benches);
