//! `cargo bench -p asl-bench --bench memory`: allocations per execution and peak heap for
//! `loop` and `map`, generated (history off and full) next to hand-written, counted by dhat's
//! allocator. Each measurement runs in a child process of its own, so one peak does not hide
//! another.

use asl_runtime::HistoryLevel;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Runs one measurement in this process: `(allocations, bytes allocated, peak bytes)`.
fn measure(workflow: &str, variant: &str) -> Option<(u64, u64, usize)> {
    let _profiler = dhat::Profiler::builder().testing().build();
    let rt = tokio::runtime::Builder::new_current_thread().build().ok()?;
    let (machine, input) = asl_bench::machine(workflow)?;
    let history = if variant == "full" {
        HistoryLevel::Full
    } else {
        HistoryLevel::Off
    };
    let config = asl_bench::config(&machine, "memory", history);
    let before = dhat::HeapStats::get();
    let out = match variant {
        "hand" => rt.block_on(asl_bench::baseline(workflow, input)),
        _ => rt.block_on(machine.run_with(input, &config)).output?,
    };
    let after = dhat::HeapStats::get();
    drop(out);
    Some((
        after.total_blocks - before.total_blocks,
        after.total_bytes - before.total_bytes,
        after.max_bytes.saturating_sub(before.curr_bytes),
    ))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let (Some(w), Some(v)) = (
        args.iter()
            .position(|a| a == "--child")
            .and_then(|i| args.get(i + 1)),
        args.iter()
            .position(|a| a == "--child")
            .and_then(|i| args.get(i + 2)),
    ) {
        if let Some((blocks, bytes, peak)) = measure(w, v) {
            println!("{blocks} {bytes} {peak}");
        }
        return;
    }
    if asl_bench::machine("loop").is_none() {
        eprintln!("SKIPPED: shared/bench not found (set ASL_BENCH_DIR)");
        return;
    }
    let Ok(me) = std::env::current_exe() else {
        return;
    };
    println!(
        "\n{:<8} {:<22} {:>14} {:>16} {:>14}",
        "workflow", "variant", "allocations", "bytes allocated", "peak bytes"
    );
    for workflow in ["loop", "map"] {
        for (variant, label) in [
            ("hand", "hand-written"),
            ("off", "generated, history off"),
            ("full", "generated, full history"),
        ] {
            let out = std::process::Command::new(&me)
                .args(["--child", workflow, variant])
                .output();
            let text = out
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                .unwrap_or_default();
            let nums: Vec<&str> = text.split_whitespace().collect();
            if let [blocks, bytes, peak] = nums[..] {
                println!("{workflow:<8} {label:<22} {blocks:>14} {bytes:>16} {peak:>14}");
            }
        }
    }
    println!();
}
