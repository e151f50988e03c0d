//! Generates the benchmark workflows of `shared/bench/` (or the folder named by
//! `ASL_BENCH_DIR`) through the same generator as `asl!`; none when the folder is absent.

use std::fmt::Write as _;
use std::path::PathBuf;

const WORKFLOWS: &[(&str, &str)] = &[
    ("loop_task", "LoopTask"),
    ("tasks", "Tasks"),
    ("noop", "Noop"),
    ("football_nrp", "FootballNrp"),
    ("map", "Map"),
    ("loop", "Loop"),
];

fn main() {
    println!("cargo:rerun-if-env-changed=ASL_BENCH_DIR");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dir = std::env::var_os("ASL_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../shared/bench"));
    let mut out = String::new();
    for (file, ty) in WORKFLOWS {
        let path = dir.join(format!("{file}.asl.json"));
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if !text.is_empty() {
            match asl_codegen::generate_source(
                &text,
                asl_codegen::Syntax::Json,
                &asl_codegen::GenerateOptions::new(ty, file),
            ) {
                Ok(source) => {
                    // `loop` is a keyword.
                    let module = format!("{file}_workflow");
                    let _ = writeln!(
                        out,
                        "/// `{file}.asl.json`\npub mod {module} {{\n{source}\n}}\n\
                     /// `{file}` with `handler` for every Task state.\n\
                     pub fn {file}_machine<A>(handler: impl asl_runtime::Handler<A>) -> Option<asl_runtime::Machine> {{\n\
                     Some({module}::{ty}::builder().fallback(handler).build())\n}}"
                    );
                    continue;
                }
                Err(diags) => {
                    for d in diags {
                        println!("cargo:warning={file}.asl.json: {d}");
                    }
                }
            }
        }
        let _ = writeln!(
            out,
            "/// `{file}` is absent or can not run yet.\npub fn {file}_machine<A>(_handler: impl asl_runtime::Handler<A>) -> Option<asl_runtime::Machine> {{ None }}"
        );
    }
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("workflows.rs");
    if std::fs::read_to_string(&dest).ok().as_deref() != Some(out.as_str()) {
        let _ = std::fs::write(&dest, out);
    }
}
