//! The conformance corpus (662 executions recorded from AWS) scored by `score.py` against the
//! `conformance-runner` binary. Every case the generator compiles must pass, except those
//! listed with a reason in `tests/conformance/known-differences.md`; cases using features the
//! runtime does not execute yet are counted, not failed. Skipped, saying so, when the corpus
//! or python3 is absent.

mod support;

use std::process::Command;

#[test]
fn every_generated_case_matches_aws() {
    let Some(score) = support::shared("ASL_CONFORMANCE_SCORE", "conformance/score.py") else {
        return;
    };
    if std::env::var_os("ASL_CONFORMANCE_CASES").is_some() {
        eprintln!("SKIPPED: ASL_CONFORMANCE_CASES names another corpus than score.py scores");
        return;
    }
    let results =
        std::env::temp_dir().join(format!("asl-conformance-{}.jsonl", std::process::id()));
    let runner = env!("CARGO_BIN_EXE_conformance-runner");
    let status = Command::new("python3")
        .arg(&score)
        .args(["--jobs", "2", "--results"])
        .arg(&results)
        .args(["--", runner, "{case}"])
        .output();
    let output = match status {
        Ok(o) => o,
        Err(e) => {
            eprintln!("SKIPPED: python3 could not run ({e})");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let text = std::fs::read_to_string(&results).expect("score.py wrote its results");
    let _ = std::fs::remove_file(&results);
    let known = include_str!("../conformance/known-differences.md");
    let (mut passed, mut unsupported, mut regressions) = (0, 0, Vec::new());
    for line in text.lines() {
        let row: serde_json::Value = serde_json::from_str(line).expect("results are JSON lines");
        let id = row["id"].as_str().unwrap_or_default();
        if row["ok"] == true {
            passed += 1;
        } else if row["result"]["error"] == "UNSUPPORTED" {
            unsupported += 1;
        } else if !known.contains(&format!("`{id}`")) {
            regressions.push(format!(
                "{id}\n    {}",
                row["diff"].as_str().unwrap_or_default()
            ));
        }
    }
    println!(
        "conformance: {passed} passed, {unsupported} not executable yet, {} failing",
        regressions.len()
    );
    println!(
        "{}",
        stdout.lines().rev().take(1).collect::<Vec<_>>().join("")
    );
    assert!(passed >= 662, "only {passed} cases pass");
    assert!(
        regressions.is_empty(),
        "cases the generator compiles that do not match AWS:\n{}",
        regressions.join("\n")
    );
}
