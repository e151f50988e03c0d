//! `cargo bench -p asl-bench --bench workflows`: each workflow of `shared/bench/` through its
//! generated machine and through a hand-written baseline doing the same JSON work with the same
//! handlers, in the same run. Outputs are checked once before timing. A summary first prints
//! µs per execution and per transition and the ratio generated / hand-written (medians of
//! interleaved runs); criterion's groups follow. Nothing runs when the folder is absent.

use std::hint::black_box;
use std::time::{Duration, Instant};

use asl_runtime::{ExecutionConfig, HistoryLevel, Machine, Status};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"))
}

/// An execution configuration that keeps no history.
fn quiet(machine: &Machine) -> ExecutionConfig {
    asl_bench::config(machine, "bench", HistoryLevel::Off)
}

/// One workflow: its name, transitions, machine and input.
struct Case {
    name: &'static str,
    transitions: u64,
    machine: Machine,
    input: Value,
}

fn cases() -> Vec<Case> {
    asl_bench::WORKFLOWS
        .iter()
        .filter_map(|&(name, transitions)| {
            let (machine, input) = asl_bench::machine(name)?;
            Some(Case {
                name,
                transitions,
                machine,
                input,
            })
        })
        .collect()
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
        let hand = rt.block_on(asl_bench::baseline(case.name, case.input.clone()));
        assert_eq!(
            generated.output,
            Some(hand),
            "{}: outputs differ",
            case.name
        );
        // Interleaved, so both see the same machine state; medians of 31 batches.
        let per_batch = (200_000 / case.transitions).clamp(1, 2_000);
        let (mut g, mut h) = (Vec::new(), Vec::new());
        // Each batch runs inside one `block_on`, as a service awaits executions inside its
        // runtime: the figures are the executions', not the cost of entering tokio.
        for _ in 0..31 {
            let t = Instant::now();
            rt.block_on(async {
                for _ in 0..per_batch {
                    black_box(
                        case.machine
                            .run_with(black_box(case.input.clone()), &quiet)
                            .await,
                    );
                }
            });
            g.push(t.elapsed() / per_batch as u32);
            let t = Instant::now();
            rt.block_on(async {
                for _ in 0..per_batch {
                    black_box(asl_bench::baseline(case.name, black_box(case.input.clone())).await);
                }
            });
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

/// Criterion's timing for `iters` runs of `run`, all inside one `block_on`.
fn timed<'a, F, Fut>(rt: &'a tokio::runtime::Runtime, run: F) -> impl FnMut(u64) -> Duration + 'a
where
    F: Fn() -> Fut + 'a,
    Fut: std::future::Future<Output = ()>,
{
    move |iters| {
        let t = Instant::now();
        rt.block_on(async {
            for _ in 0..iters {
                run().await;
            }
        });
        t.elapsed()
    }
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
        // Criterion's iterations run inside one `block_on` (`iter_custom`), as the summary's do.
        let quiet = &quiet(&case.machine);
        let full = &asl_bench::config(&case.machine, "bench", HistoryLevel::Full);
        g.bench_function("generated, full history", |b| {
            b.iter_custom(timed(&rt, move || async move {
                black_box(
                    case.machine
                        .run_with(black_box(case.input.clone()), full)
                        .await,
                );
            }))
        });
        g.bench_function("generated, history off", |b| {
            b.iter_custom(timed(&rt, move || async move {
                black_box(
                    case.machine
                        .run_with(black_box(case.input.clone()), quiet)
                        .await,
                );
            }))
        });
        g.bench_function("hand-written", |b| {
            b.iter_custom(timed(&rt, move || async move {
                black_box(asl_bench::baseline(case.name, black_box(case.input.clone())).await);
            }))
        });
        g.finish();
    }
}

criterion_group!(benches, workflows);
criterion_main!(benches);
