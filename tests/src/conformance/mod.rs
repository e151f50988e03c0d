//! Running a case of the conformance corpus (`shared/conformance/cases.jsonl`): the machine the
//! build script generated for it, Lambda functions simulated as the case describes, the names
//! and ARNs it recorded, and virtual time (a day-long Wait takes no time).

mod simulator;

use serde_json::{Value, json};

use asl_runtime::time::ExecutionClock;
use asl_runtime::{ExecutionConfig, Status};

#[allow(clippy::all, missing_docs, unused, non_snake_case)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/conformance_cases.rs"));
}

/// A case's result in the shape `score.py` reads: `Ok(output)` or `Err({"error", "cause"[, "status"]})`.
pub type CaseResult = Result<Value, Value>;

/// Runs one case (the JSON object `score.py` hands a runner).
pub fn run_case(case: &Value) -> CaseResult {
    let id = case["id"].as_str().unwrap_or_default();
    let tasks = simulator::Simulator::from_case(case).into_handler();
    let machine = generated::machine(id, tasks)
        .map_err(|why| json!({"error": "UNSUPPORTED", "cause": why}))?;
    let context = &case["context"];
    let text = |k: &str, default: &str| context[k].as_str().unwrap_or(default).to_owned();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .map_err(|e| json!({"error": "RUNNER", "cause": e.to_string()}))?;
    let input = case["input"].clone();
    let outcome = runtime.block_on(async {
        let config = ExecutionConfig {
            state_machine_name: text("state_machine_name", "machine"),
            state_machine_arn: text(
                "state_machine_arn",
                "arn:aws:states:us-east-1:111111111111:stateMachine:machine",
            ),
            execution_name: text("execution_name", "execution"),
            execution_arn: text(
                "execution_arn",
                "arn:aws:states:us-east-1:111111111111:execution:machine:execution",
            ),
            role_arn: text("role_arn", "arn:aws:iam::111111111111:role/role"),
            clock: ExecutionClock::system(),
            history: asl_runtime::engine::HistoryLevel::Full,
        };
        machine.run_with(input, &config).await
    });
    match outcome.status {
        Status::Succeeded => Ok(outcome.output.unwrap_or(Value::Null)),
        status => {
            let failure = outcome.failure;
            let mut out = json!({
                "error": failure.as_ref().map(|f| f.error.clone()),
                "cause": failure.and_then(|f| f.cause),
            });
            if status == Status::TimedOut {
                out["status"] = json!("TIMED_OUT");
            }
            Err(out)
        }
    }
}
