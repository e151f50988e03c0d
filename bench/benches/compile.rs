//! `cargo bench -p asl-bench --bench compile`: what generation costs users at build time, for
//! chains of 10, 100 and 1,000 states (Task with Retry and Catch, Pass, Choice, repeating):
//! codegen time (what `asl!` and the Builder spend), lines of generated code, and the debug
//! `cargo build` time of a crate holding the generated code (dependencies built beforehand).
//! `ASL_COMPILE_BENCH_BUILD=0` skips the cargo builds.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A chain of `n` states.
fn chain(n: usize) -> Value {
    let mut states = serde_json::Map::new();
    let name = |i: usize| format!("S{i}");
    for i in 0..n - 2 {
        let next = name(i + 1);
        let state = match i % 3 {
            0 => json!({
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:111111111111:function:work",
                "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}],
                "Next": next,
            }),
            1 => json!({"Type": "Pass", "Parameters": {"n.$": "$.n", "step": i}, "Next": next}),
            _ => json!({
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericGreaterThan": i, "Next": next}],
                "Default": next,
            }),
        };
        states.insert(name(i), state);
    }
    states.insert(name(n - 2), json!({"Type": "Succeed"}));
    states.insert("Failed".into(), json!({"Type": "Fail", "Error": "Failed"}));
    json!({"StartAt": "S0", "States": states})
}

fn generate(text: &str) -> String {
    asl_codegen::generate_source(
        text,
        asl_codegen::Syntax::Json,
        &asl_codegen::GenerateOptions::new("Chain", "chain.asl.json"),
    )
    .unwrap_or_else(|d| panic!("{:?}", d.first()))
}

fn cargo_build(dir: &Path) -> Option<Duration> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let t = Instant::now();
    let ok = Command::new(cargo)
        .args(["build", "--offline", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(dir.join("target"))
        .status()
        .ok()?
        .success();
    ok.then(|| t.elapsed())
}

fn write_crate(dir: &Path, source: &str) {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let _ = std::fs::create_dir_all(dir.join("src"));
    let manifest = format!(
        "[package]\nname = \"asl-compile-bench\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nasl-runtime = {{ path = {:?} }}\nserde_json = \"1\"\n\n[workspace]\n",
        workspace.join("asl-runtime").display().to_string()
    );
    let _ = std::fs::write(dir.join("Cargo.toml"), manifest);
    let _ = std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock"));
    let lib = format!(
        "#![allow(missing_docs)]\n{source}\npub fn machine() -> asl_runtime::Machine {{\n    Chain::builder().fallback(|v: serde_json::Value| async move {{ Ok::<_, asl_runtime::Failure>(v) }}).build()\n}}\n"
    );
    let _ = std::fs::write(dir.join("src/lib.rs"), lib);
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let build = std::env::var("ASL_COMPILE_BENCH_BUILD").map_or(true, |v| v != "0");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/compile-bench");
    if build {
        // Dependencies first, so the timings below are the generated code's alone.
        write_crate(&dir, &generate(&chain(10).to_string()));
        let _ = cargo_build(&dir);
    }
    let mut table = String::new();
    let _ = writeln!(
        table,
        "\n{:>7} {:>12} {:>12} {:>14} {:>14} {:>12}",
        "states", "codegen ms", "µs/state", "lines", "build s", "ms/state"
    );
    for n in [10, 100, 1_000] {
        let text = chain(n).to_string();
        let mut times = Vec::new();
        let mut source = String::new();
        for _ in 0..5 {
            let t = Instant::now();
            source = generate(&text);
            times.push(t.elapsed());
        }
        times.sort_unstable();
        let codegen = times[2];
        let lines = source.lines().count();
        let built = if build {
            write_crate(&dir, &source);
            cargo_build(&dir)
        } else {
            None
        };
        let _ = writeln!(
            table,
            "{n:>7} {:>12.2} {:>12.1} {lines:>14} {:>14} {:>12}",
            codegen.as_secs_f64() * 1e3,
            codegen.as_secs_f64() * 1e6 / n as f64,
            built.map_or("-".into(), |b| format!("{:.1}", b.as_secs_f64())),
            built.map_or("-".into(), |b| format!(
                "{:.1}",
                b.as_secs_f64() * 1e3 / n as f64
            )),
        );
    }
    println!("{table}");
}
