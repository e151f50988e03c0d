//! Scores the event pattern matcher against `../shared/events/patterns.jsonl`:
//! `python3 ../shared/events/score_patterns.py -- ./target/release/pattern-runner {case}`.
//! Reads one case (a file, or standard input with no argument) and prints `{"match": bool}` or
//! `{"error": CODE, "message": MSG}`, as TestEventPattern answers.

use std::io::Read as _;
use std::process::ExitCode;

use asl_server::events::pattern;
use serde_json::{Value, json};

fn main() -> ExitCode {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path),
        None => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).map(|_| s)
        }
    };
    let case: Value = match text
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(case) => case,
        Err(e) => {
            eprintln!("pattern-runner: the case could not be read: {e}");
            return ExitCode::from(2);
        }
    };
    println!("{}", answer(&case));
    ExitCode::SUCCESS
}

/// The case's verdict: the pattern's error, the event's, or whether they match.
fn answer(case: &Value) -> Value {
    let text = |raw: &str, parsed: &str| match case.get(raw).and_then(Value::as_str) {
        Some(text) => text.to_owned(),
        None => case[parsed].to_string(),
    };
    match pattern::test_event_pattern(
        &text("pattern_text", "pattern"),
        &text("event_text", "event"),
    ) {
        Ok(matched) => json!({ "match": matched }),
        Err(e) => json!({"error": e.code, "message": e.message}),
    }
}
