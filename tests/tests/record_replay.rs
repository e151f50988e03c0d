//! Every effect of an execution passes one seam: each case of the conformance corpus runs once
//! recording its effects, then its recording is played back with no handler, clock, timer or
//! random source, and the replay must end with the byte-identical output (or error) and
//! history. Skipped, saying so, when the corpus is absent.

mod support;

use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

#[test]
fn every_conformance_case_replays_from_its_recording() {
    let Some(path) = support::shared("ASL_CONFORMANCE_CASES", "conformance/cases.jsonl") else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("the corpus reads");
    let (mut replayed, mut not_generated, mut problems) = (0, 0, Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("cases are JSON lines");
        let id = case["id"].as_str().unwrap_or_default().to_owned();
        // A replay that left its recording could wait for an answer that never comes: each
        // case runs on a thread of its own and gets a minute.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(asl_tests::conformance::record_and_replay(&case));
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Ok(Some((recorded, replay)))) => {
                if recorded == replay {
                    replayed += 1;
                } else {
                    problems.push(format!(
                        "{id}: the replay ended differently\n  recorded {}\n  replayed {}\n  recorded history {}\n  replayed history {}",
                        recorded.result, replay.result, recorded.history, replay.history
                    ));
                }
            }
            Ok(Ok(None)) => not_generated += 1,
            Ok(Err(why)) => problems.push(format!("{id}: {why}")),
            Err(_) => problems.push(format!("{id}: the replay did not end")),
        }
    }
    println!("record/replay: {replayed} replayed identically, {not_generated} not generated");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(replayed >= 662, "only {replayed} cases replayed");
}
