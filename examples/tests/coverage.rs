//! Coverage collected with `ASL_COVERAGE`: every execution of a process counted in its
//! definition's report, one file per process, merged across processes.

use std::path::PathBuf;
use std::process::Command;

use asl_runtime::coverage::Report;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("asl-coverage-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn every_execution_of_every_process_is_counted() {
    let dir = temp_dir("photo");
    for _ in 0..2 {
        let out = Command::new(env!("CARGO_BIN_EXE_photo"))
            .env("ASL_COVERAGE", &dir)
            .output()
            .expect("the photo example runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut reports: Vec<Report> = std::fs::read_dir(&dir)
        .expect("the directory was made")
        .map(|e| {
            let text = std::fs::read_to_string(e.expect("an entry").path()).expect("readable");
            serde_json::from_str(&text).expect("a report")
        })
        .collect();
    // One file per process; each counted its two executions (a photo and a document).
    assert_eq!(reports.len(), 2);
    assert!(
        reports
            .iter()
            .all(|r| r.executions == 2 && r.machine == "Photo")
    );
    let mut merged = reports.remove(0);
    merged.merge(&reports[0]).expect("the same definition");
    assert_eq!(merged.executions, 4);
    // The demo's photo and document take both ways out of the Choice.
    assert!(merged.uncovered().is_empty(), "{merged}");
    let entered: Vec<(&str, u64)> = merged
        .states
        .iter()
        .map(|s| (s.name.as_str(), s.entered))
        .collect();
    assert_eq!(
        entered,
        [
            ("Detect upload", 4),
            ("Is it a photo?", 4),
            ("Make proxy", 2),
            ("Not a photo", 2)
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
