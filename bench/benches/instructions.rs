//! Instructions per execution, counted by callgrind (repeatable whatever else the machine
//! does): each workflow of `shared/bench/`, generated and hand-written, run N1 and N2 times in
//! one process under `valgrind --tool=callgrind`, taking (count at N2 - count at N1) / (N2 -
//! N1) so start-up cancels. Also the fixed cost of an execution (generated `noop` minus
//! hand-written `noop`) and the cost of a Task call beside its handler (`tasks`: generated
//! minus hand-written, per Task state). `cargo bench -p asl-bench --bench instructions`;
//! skipped, saying so, without valgrind or the workflows.

use std::process::Command;

/// The workflows with the run counts the counts are taken at.
const RUNS: [(&str, u64, u64); 6] = [
    ("noop", 1_000, 11_000),
    ("loop", 1, 3),
    ("loop_task", 1, 3),
    ("map", 1, 3),
    ("tasks", 10, 110),
    ("football_nrp", 100, 2_100),
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // The child: `--run NAME RUNS [hand]`, what callgrind counts.
    if let Some(i) = args.iter().position(|a| a == "--run") {
        let name = args.get(i + 1).map(String::as_str).unwrap_or("noop");
        let runs = args.get(i + 2).and_then(|n| n.parse().ok()).unwrap_or(1);
        let hand = args.get(i + 3).map(String::as_str) == Some("hand");
        asl_bench::run_many(name, runs, hand);
        return;
    }
    if asl_bench::machine("noop").is_none() {
        println!("SKIPPED: no benchmark workflows (is shared/bench beside the checkout?)");
        return;
    }
    if Command::new("valgrind").arg("--version").output().is_err() {
        println!("SKIPPED: valgrind is not installed");
        return;
    }
    let Ok(me) = std::env::current_exe() else {
        println!("SKIPPED: the bench cannot find its own executable");
        return;
    };
    println!("instructions per execution (callgrind), generated (history off) / hand-written");
    println!(
        "{:<14}{:>16}{:>16}{:>10}",
        "workflow", "generated", "hand-written", "ratio"
    );
    let mut per = std::collections::HashMap::new();
    for (name, n1, n2) in RUNS {
        let count = |hand: bool| -> Option<u64> {
            let at = |n: u64| collected(&me, name, n, hand);
            Some((at(n2)?.checked_sub(at(n1)?)?) / (n2 - n1))
        };
        match (count(false), count(true)) {
            (Some(g), Some(h)) => {
                println!(
                    "{name:<14}{g:>16}{h:>16}{:>9.2}x",
                    g as f64 / h.max(1) as f64
                );
                per.insert(name, (g, h));
            }
            _ => println!("{name:<14}{:>16}", "not counted"),
        }
    }
    if let Some((g, h)) = per.get("noop") {
        println!(
            "fixed cost of an execution (generated noop - hand-written noop): {}",
            g.saturating_sub(*h)
        );
    }
    if let Some((g, h)) = per.get("tasks") {
        println!(
            "a Task call beside its handler (tasks: generated - hand-written, per Task state): {}",
            g.saturating_sub(*h) / 1_000
        );
    }
}

/// The instructions callgrind counts over a whole run of `name` `runs` times.
fn collected(me: &std::path::Path, name: &str, runs: u64, hand: bool) -> Option<u64> {
    let mut cmd = Command::new("valgrind");
    cmd.args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(me)
        .args(["--run", name, &runs.to_string()]);
    if hand {
        cmd.arg("hand");
    }
    let out = cmd.output().ok()?;
    let text = String::from_utf8_lossy(&out.stderr);
    let line = text.lines().find(|l| l.contains("Collected :"))?;
    line.rsplit(':').next()?.trim().parse().ok()
}
