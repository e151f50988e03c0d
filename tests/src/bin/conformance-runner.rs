//! Runs one case of the conformance corpus as `shared/conformance/score.py` expects:
//!
//! ```sh
//! python3 ../shared/conformance/score.py -- ./target/release/conformance-runner {case}
//! ```
//!
//! The case comes as a file path argument or on stdin. Success: exit 0 and the output JSON.
//! Failure: exit 1 and `{"error": …, "cause": …}` (with `"status": "TIMED_OUT"` for a time-out).

use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}")),
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map(|_| s)
                .map_err(|e| e.to_string())
        }
    };
    let case: serde_json::Value =
        match text.and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string())) {
            Ok(case) => case,
            Err(e) => {
                println!("{}", serde_json::json!({"error": "RUNNER", "cause": e}));
                return ExitCode::from(2);
            }
        };
    match asl_tests::conformance::run_case(&case) {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            println!("{failure}");
            ExitCode::from(1)
        }
    }
}
