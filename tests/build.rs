//! Generates one machine per case of the conformance corpus (`ASL_CONFORMANCE_CASES`, default
//! `../shared/conformance/cases.jsonl` beside the workspace), through the same generator as
//! `asl!`. Cases the generator refuses (features not executable yet) are listed with the
//! reason, so the runner can say why. No corpus: an empty registry.
//!
//! Also one machine per state machine definition (and type) the API call sequences of
//! `api.jsonl` create, for the API server the replay test runs them against.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    conformance_cases();
    api_machines();
    templates();
}

/// The state machines of the deployment templates in `fixtures/templates`, compiled by the
/// Builder straight from the templates, with values for what they reference.
fn templates() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("fixtures/templates");
    let function = |name: &str| format!("arn:aws:lambda:us-east-1:111111111111:function:{name}");
    let built = asl_codegen::Builder::new()
        .file(dir.join("sam.yaml"))
        .file(dir.join("cloudformation.json"))
        .machine(
            dir.join("cdk.template.json"),
            "HelloStateMachineC1E3B3F1",
            "Hello",
        )
        .file(dir.join("main.tf"))
        .out_file("asl_templates.rs")
        .substitute("Stage", "test")
        .substitute("OrdersTable", "orders")
        .substitute("ChargeFunction.Arn", &function("charge"))
        .substitute("RefundFunction.Arn", &function("refund"))
        .substitute("NotifyFunction.Arn", &function("notify"))
        .substitute("HelloFunction5A0E3B2C.Arn", &function("hello"))
        .substitute("aws_lambda_function.check.arn", &function("check-stock"))
        .substitute("aws_lambda_function.ship.arn", &function("ship"))
        .substitute("var.reply", "pong")
        .compile();
    if let Err(e) = built {
        panic!("{e}");
    }
}

/// The machines `api.jsonl`'s sequences create: each distinct definition text and type once.
fn api_machines() {
    println!("cargo:rerun-if-env-changed=ASL_API_CASES");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let cases = std::env::var_os("ASL_API_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../shared/conformance/api.jsonl"));
    println!("cargo:rerun-if-changed={}", cases.display());
    let text = std::fs::read_to_string(&cases).unwrap_or_default();
    let mut seen = std::collections::BTreeSet::new();
    let mut modules = String::new();
    let mut entries = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(case) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        for m in case["state_machines"].as_array().into_iter().flatten() {
            let definition = m["definition"].as_str().unwrap_or_default().to_owned();
            let express = m["type"] == "EXPRESS";
            if !seen.insert((definition.clone(), express)) {
                continue;
            }
            let n = seen.len();
            let mut options = asl_codegen::GenerateOptions::new("Machine", &format!("api-{n}"));
            if express {
                options.machine_type = asl_codegen::MachineType::Express;
            }
            // Definitions AWS refuses are refused here too: nothing to serve.
            if let Ok(source) =
                asl_codegen::generate_source(&definition, asl_codegen::Syntax::Json, &options)
            {
                let _ = writeln!(
                    modules,
                    "#[allow(clippy::all, missing_docs, unused)]\npub mod api_{n} {{\n{source}\n}}"
                );
                let _ = writeln!(
                    entries,
                    "        (api_{n}::Machine::builder().fallback(tasks.clone()).build(), {express}),"
                );
            }
        }
    }
    let out = format!(
        "{modules}\n/// The machines of the API sequences' definitions, each with whether it is an Express one; their Task states all served by `tasks`.\n\
         pub fn machines(tasks: asl_runtime::BoxHandler) -> Vec<(asl_runtime::Machine, bool)> {{\n    vec![\n{entries}    ]\n}}\n"
    );
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("api_machines.rs");
    if std::fs::read_to_string(&dest).ok().as_deref() != Some(out.as_str()) {
        let _ = std::fs::write(&dest, out);
    }
}

fn conformance_cases() {
    println!("cargo:rerun-if-env-changed=ASL_CONFORMANCE_CASES");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let cases = std::env::var_os("ASL_CONFORMANCE_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../shared/conformance/cases.jsonl"));
    println!("cargo:rerun-if-changed={}", cases.display());
    let text = std::fs::read_to_string(&cases).unwrap_or_default();

    let mut modules = String::new();
    let mut arms = String::new();
    let mut refused = String::new();
    for (n, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let Ok(case) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let id = case["id"].as_str().unwrap_or_default().to_owned();
        let definition = serde_json::to_string_pretty(&case["definition"]).unwrap_or_default();
        let mut options = asl_codegen::GenerateOptions::new("Machine", &id);
        if case["context"]["state_machine_type"] == "EXPRESS" {
            options.machine_type = asl_codegen::MachineType::Express;
        }
        match asl_codegen::generate_source(&definition, asl_codegen::Syntax::Json, &options) {
            Ok(source) => {
                let _ = writeln!(
                    modules,
                    "#[allow(clippy::all, missing_docs, unused)]\npub mod case_{n} {{\n{source}\n}}"
                );
                let _ = writeln!(
                    arms,
                    "        {id:?} => Ok(case_{n}::Machine::builder().fallback(tasks).build()),"
                );
            }
            Err(diags) => {
                let reason = diags
                    .first()
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "not generated".to_owned());
                let _ = writeln!(refused, "        {id:?} => Err({reason:?}),");
            }
        }
    }
    let out = format!(
        "{modules}\n/// The machine of case `id`, its Task states all served by `tasks`; or why there is none.\n\
         pub fn machine(id: &str, tasks: asl_runtime::BoxHandler) -> Result<asl_runtime::Machine, &'static str> {{\n    match id {{\n{arms}{refused}        _ => Err(\"no such case\"),\n    }}\n}}\n"
    );
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("conformance_cases.rs");
    if std::fs::read_to_string(&dest).ok().as_deref() != Some(out.as_str()) {
        let _ = std::fs::write(&dest, out);
    }
}
