//! Runs one benchmark workflow many times, for a profiler:
//! `cargo run --release -p asl-bench --example profile -- loop 100` (name, executions;
//! `hand` as a third argument runs the hand-written baseline instead).

use asl_runtime::{ExecutionConfig, HistoryLevel};
use serde_json::Value;

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "loop".to_owned());
    let runs: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(100);
    let hand = args.next().as_deref() == Some("hand");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"));
    let Some((machine, input)) = asl_bench::machine(&name) else {
        eprintln!("SKIPPED: no workflow {name} (is shared/bench beside the checkout?)");
        return;
    };
    let mut config = ExecutionConfig::new(machine.name(), "profile");
    config.history = HistoryLevel::Off;
    // All runs inside one `block_on`, as a service awaits executions inside its runtime.
    rt.block_on(async {
        for _ in 0..runs {
            let out = if hand {
                asl_bench::baseline(&name, input.clone()).await
            } else {
                machine
                    .run_with(input.clone(), &config)
                    .await
                    .output
                    .unwrap_or(Value::Null)
            };
            std::hint::black_box(out);
        }
    });
}
