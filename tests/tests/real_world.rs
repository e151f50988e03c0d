//! Every definition in `shared/corpus/real-world/` (195 taken from AWS's public samples, all of
//! them deployed by someone) must pass the checks. Placeholders standing where a number belongs
//! (`"MaxConcurrency": "${Concurrency}"`) are substituted with a number first, as the
//! deployment would; all other `${…}` placeholders stay as they are, inside strings.

mod support;

use asl_codegen::source::{self, Node, Value};
use asl_codegen::{CheckOptions, Syntax, check_tree};

/// Fields that hold numbers, where a deployment template writes a placeholder.
const NUMERIC: &[&str] = &[
    "TimeoutSeconds",
    "HeartbeatSeconds",
    "Seconds",
    "MaxConcurrency",
    "MaxItemsPerBatch",
    "MaxInputBytesPerBatch",
    "ToleratedFailurePercentage",
    "ToleratedFailureCount",
    "MaxItems",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
];

fn numbers_for_placeholders(node: &mut Node) {
    match &mut node.value {
        Value::Object(members) => {
            for m in members {
                let is_placeholder = m
                    .value
                    .as_str()
                    .is_some_and(|s| s.starts_with("${") && s.ends_with('}'));
                if NUMERIC.contains(&m.key.as_str()) && is_placeholder {
                    // A timeout long enough for any heartbeat placeholder beside it.
                    let n = if m.key == "TimeoutSeconds" {
                        "3600"
                    } else {
                        "10"
                    };
                    m.value.value = Value::Number(n.into());
                } else {
                    numbers_for_placeholders(&mut m.value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(numbers_for_placeholders),
        _ => {}
    }
}

#[test]
fn every_real_world_definition_passes_the_checks() {
    let Some(dir) = support::shared("ASL_REAL_WORLD_DIR", "corpus/real-world") else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("readable dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !(name.ends_with(".json") || name.ends_with(".yaml") || name.ends_with(".yml")) {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("readable definition");
        let syntax = Syntax::from_file_name(name);
        let mut root = match source::parse(&text, syntax) {
            Ok(root) => root,
            Err(d) => {
                failures.push(d.render(name, &text));
                continue;
            }
        };
        numbers_for_placeholders(&mut root);
        let result = check_tree(&root, &CheckOptions::default());
        for d in result.errors() {
            failures.push(d.render(name, &text));
        }
        checked += 1;
    }
    println!(
        "real-world corpus: {checked} definitions checked, {} diagnostics",
        failures.len()
    );
    assert!(
        checked >= 195 || std::env::var_os("ASL_REAL_WORLD_DIR").is_some(),
        "expected the 195 definitions, found {checked}"
    );
    assert!(
        failures.is_empty(),
        "{} errors in real-world definitions:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
