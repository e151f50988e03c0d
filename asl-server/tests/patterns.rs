//! EventBridge's recorded verdicts: every pattern/event pair of
//! `../shared/events/patterns.jsonl` (match, no match, or the error code AWS gave) agrees with
//! the matcher. Skips, saying so, without the corpus.

use asl_server::events::pattern;
use serde_json::Value;

#[test]
fn every_recorded_verdict_agrees() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/events/patterns.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("SKIPPED: ../shared/events/patterns.jsonl is absent");
        return;
    };
    let mut disagreements = Vec::new();
    let mut n = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("a JSON line");
        let raw = |text: &str, parsed: &str| match case.get(text).and_then(Value::as_str) {
            Some(t) => t.to_owned(),
            None => case[parsed].to_string(),
        };
        let got = pattern::test_event_pattern(
            &raw("pattern_text", "pattern"),
            &raw("event_text", "event"),
        );
        let expected = &case["expected"];
        let agrees = match (&got, expected.get("match")) {
            (Ok(m), Some(Value::Bool(e))) => m == e,
            (Err(err), None) => expected["error"] == err.code,
            _ => false,
        };
        if !agrees {
            disagreements.push(format!("{}: expected {expected}, got {got:?}", case["id"]));
        }
        n += 1;
    }
    println!(
        "event patterns: {} of {n} agree with AWS",
        n - disagreements.len()
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
