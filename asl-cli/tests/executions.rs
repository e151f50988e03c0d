//! `asl executions` and `asl graph --db` on a store a machine wrote.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use asl_runtime::Failure;
use serde_json::{Value, json};

asl_runtime::asl!("../../asl-store/tests/fixtures/greet.asl.json");

const MACHINE_ARN: &str = "arn:aws:states:us-east-1:111111111111:stateMachine:Greet";

fn asl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_asl"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .expect("asl runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A store holding one succeeded and one failed execution; their ARNs.
fn store() -> (PathBuf, String, String) {
    let dir = std::env::temp_dir().join(format!("asl-cli-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder");
    let path = dir.join("executions.db");
    let store = Arc::new(asl_store::SqliteStore::open(&path).expect("a store"));
    let m = Greet::builder()
        .greet(|input: Value| async move {
            Ok::<_, Failure>(json!(format!(
                "hello {}",
                input["name"].as_str().unwrap_or("")
            )))
        })
        .build()
        .with_store(store);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let (ok, failed) = rt.block_on(async {
        let ok = m.start("ada", json!({"name": "Ada"}));
        let ok_arn = ok.arn().to_owned();
        ok.result().await;
        let failed = m.start("nobody", json!({"name": ""}));
        let failed_arn = failed.arn().to_owned();
        failed.result().await;
        (ok_arn, failed_arn)
    });
    (path, ok, failed)
}

#[test]
fn executions_are_read_as_aws_answers_them() {
    let (db, ok, failed) = store();
    let db = db.display().to_string();

    let out = asl(&[
        "executions",
        "list",
        "--db",
        &db,
        "--state-machine-arn",
        MACHINE_ARN,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let listed: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let executions = listed["executions"].as_array().expect("executions");
    assert_eq!(executions.len(), 2);
    assert!(executions.iter().all(|e| e["startDate"].is_number()));

    let out = asl(&[
        "executions",
        "list",
        "--db",
        &db,
        "--state-machine-arn",
        MACHINE_ARN,
        "--status",
        "failed",
    ]);
    let table = text(&out.stdout);
    assert!(
        table.contains("nobody") && !table.contains("ada"),
        "{table}"
    );

    let out = asl(&[
        "executions",
        "describe",
        "--db",
        &db,
        &ok,
        "--format",
        "json",
    ]);
    let d: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(d["status"], "SUCCEEDED");
    assert_eq!(d["input"], json!({"name": "Ada"}).to_string());
    assert_eq!(d["output"], json!("hello Ada").to_string());

    let out = asl(&[
        "executions",
        "describe",
        "--db",
        &db,
        &failed,
        "--format",
        "json",
    ]);
    let d: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(d["error"], "Nameless");

    let out = asl(&[
        "executions",
        "history",
        "--db",
        &db,
        &ok,
        "--format",
        "json",
    ]);
    let h: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let types: Vec<&str> = h["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert_eq!(types.first(), Some(&"ExecutionStarted"));
    assert_eq!(types.last(), Some(&"ExecutionSucceeded"));

    let out = asl(&[
        "graph",
        "asl-store/tests/fixtures/greet.asl.json",
        "--db",
        &db,
        "--execution",
        &failed,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let drawn = text(&out.stdout);
    let plain = text(&asl(&["graph", "asl-store/tests/fixtures/greet.asl.json"]).stdout);
    assert_ne!(drawn, plain, "the execution's path is coloured");

    let out = asl(&[
        "executions",
        "describe",
        "--db",
        &db,
        "arn:aws:states:us-east-1:1:execution:Greet:none",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("ExecutionDoesNotExist"));

    let out = asl(&[
        "executions",
        "list",
        "--db",
        "no/such.db",
        "--state-machine-arn",
        MACHINE_ARN,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no such store"));
}
