//! Runs one benchmark workflow many times, for a profiler:
//! `cargo run --release -p asl-bench --example profile -- loop 100` (name, executions;
//! `hand` as a third argument runs the hand-written baseline instead).

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "loop".to_owned());
    let runs: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(100);
    let hand = args.next().as_deref() == Some("hand");
    if !asl_bench::run_many(&name, runs, hand) {
        eprintln!("SKIPPED: no workflow {name} (is shared/bench beside the checkout?)");
    }
}
