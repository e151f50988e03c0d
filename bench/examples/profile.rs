//! Runs one benchmark workflow many times, for a profiler:
//! `cargo run --release -p asl-bench --example profile -- loop 100` (name, executions;
//! `hand` as a third argument runs the hand-written baseline instead).

use asl_bench::generated;
use asl_runtime::{ExecutionConfig, Failure, HistoryLevel, Machine, TaskContext};
use serde_json::{Value, json};

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "loop".to_owned());
    let runs: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(100);
    let hand = args.next().as_deref() == Some("hand");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));
    let (machine, input): (Option<Machine>, Value) = match name.as_str() {
        "noop" => (
            generated::noop_machine(|v: Value| async move { Ok::<_, Failure>(v) }),
            json!({"x": 1}),
        ),
        "loop" => (
            generated::loop_machine(|v: Value| async move { Ok::<_, Failure>(v) }),
            json!({"i": 0}),
        ),
        "loop_task" => (
            generated::loop_task_machine(
                |v: Value| async move { Ok::<_, Failure>(asl_bench::inc(v)) },
            ),
            json!({"i": 0}),
        ),
        "map" => (
            generated::map_machine(|v: Value| async move { Ok::<_, Failure>(v) }),
            asl_bench::input("map"),
        ),
        "tasks" => (
            generated::tasks_machine(|v: Value| async move {
                Ok::<_, Failure>(asl_bench::add_field(v))
            }),
            json!({"seed": "x"}),
        ),
        "football_nrp" => (
            generated::football_nrp_machine(|v: Value, ctx: TaskContext| async move {
                Ok::<_, Failure>(asl_bench::append_name(v, &ctx.state_name))
            }),
            json!({"TrainingType": "Skills", "player": "p2"}),
        ),
        other => panic!("no workflow {other}"),
    };
    let Some(machine) = machine else {
        eprintln!("SKIPPED: shared/bench not found (set ASL_BENCH_DIR)");
        return;
    };
    let mut config = ExecutionConfig::new(machine.name(), "profile");
    config.history = HistoryLevel::Off;
    for _ in 0..runs {
        let out = if hand {
            match name.as_str() {
                "noop" => asl_bench::baseline_noop(input.clone()),
                "loop" => asl_bench::baseline_loop(input.clone()),
                "map" => asl_bench::baseline_map(input.clone()),
                "loop_task" => rt.block_on(asl_bench::baseline_loop_task(
                    input.clone(),
                    &|v| async move { asl_bench::inc(v) },
                )),
                "tasks" => rt.block_on(asl_bench::baseline_tasks(input.clone(), &|v| async move {
                    asl_bench::add_field(v)
                })),
                _ => Value::Null,
            }
        } else {
            rt.block_on(machine.run_with(input.clone(), &config))
                .output
                .unwrap_or(Value::Null)
        };
        std::hint::black_box(out);
    }
}
