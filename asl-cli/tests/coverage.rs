//! `asl coverage` on reports written by two test processes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use asl_runtime::coverage::Report;
use asl_runtime::{Failure, Machine};
use serde_json::{Value, json};

asl_runtime::asl!(path = "../examples/workflows/photo.asl.json", name = Photo);

fn photo() -> Machine {
    Photo::builder()
        .detect_upload(|detail: Value| async move {
            let key = detail["key"].as_str().unwrap_or_default().to_owned();
            let content_type = if key.ends_with(".png") {
                "image/png"
            } else {
                "text/plain"
            };
            Ok::<_, Failure>(json!({"key": key, "contentType": content_type}))
        })
        .make_proxy(|_: Value| async move { Ok::<_, Failure>(json!({"key": "p", "width": 640})) })
        .build()
}

/// Reports as two processes would write them: both saw only photos.
fn reports(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("asl-cli-coverage-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    for process in 0..2 {
        let machine = photo();
        let mut report = Report::of(&machine);
        runtime.block_on(async {
            report.record(&machine.run(json!({"detail": {"key": "a.png"}})).await);
        });
        let text = serde_json::to_string(&report).expect("JSON");
        std::fs::write(dir.join(format!("Photo-{process}.json")), text).expect("written");
    }
    dir
}

fn asl(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_asl"))
        .arg("coverage")
        .arg(dir)
        .args(args)
        .env_remove("ASL_COVERAGE")
        .output()
        .expect("asl runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn the_table_merges_processes_and_lists_what_was_not_covered() {
    let dir = reports("table");
    let out = asl(&[], &dir);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        stdout.contains("Photo (../examples/workflows/photo.asl.json): 2 executions"),
        "{stdout}"
    );
    assert!(stdout.contains("states                 3 / 4"), "{stdout}");
    assert!(stdout.contains("choice branches        1 / 2"), "{stdout}");
    assert!(stdout.contains("state      \"Not a photo\""), "{stdout}");
    assert!(
        stdout.contains("branch     \"Is it a photo?\" Default → \"Not a photo\""),
        "{stdout}"
    );

    let json = asl(&["--format", "json"], &dir);
    let merged: Vec<Report> = serde_json::from_slice(&json.stdout).expect("JSON reports");
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].executions, 2);
    assert_eq!(
        merged[0].uncovered().len(),
        3,
        "state, transition and Default"
    );

    let low = asl(&["--fail-under", "90"], &dir);
    assert_eq!(low.status.code(), Some(1));
    assert!(
        text(&low.stderr).contains("covers 66.7 %"),
        "{}",
        text(&low.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_drawing_colours_covered_and_uncovered_parts() {
    let dir = reports("drawing");
    let out = asl(&["--format", "mermaid"], &dir);
    let mermaid = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // States: covered green, "Not a photo" red; the Default edge red, the rule's green.
    assert!(mermaid.contains("class n3 uncovered"), "{mermaid}");
    assert!(mermaid.contains("class n2 covered"), "{mermaid}");
    assert!(
        mermaid.contains("n1 -->|\"Default\"| n3\n  linkStyle 3 stroke:#c0392b"),
        "{mermaid}"
    );
    assert!(mermaid.contains("linkStyle 2 stroke:#2d8a2d"), "{mermaid}");

    let dot = text(&asl(&["--format", "dot"], &dir).stdout);
    assert!(
        dot.contains("n1 -> n3 [label=\"Default\", color=\"#c0392b\""),
        "{dot}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_that_is_not_a_report_is_refused_by_name() {
    let dir = reports("junk");
    std::fs::write(dir.join("junk.json"), "{\"not\": \"a report\"}").expect("written");
    let out = asl(&[], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("junk.json: not a coverage report"),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
