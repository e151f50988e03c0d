//! Runs one case of the conformance corpus on a Temporal server, as `score.py` expects (the
//! same contract as `conformance-runner`):
//!
//! ```sh
//! cargo build --release -p asl-temporal --features conformance --bin temporal-conformance-runner
//! python3 ../shared/conformance/score.py --jobs 2 -- ./target/release/temporal-conformance-runner {case}
//! ```
//!
//! The execution runs on the server `TEMPORAL_ADDRESS` names (default `127.0.0.1:7233`), in
//! namespace `TEMPORAL_NAMESPACE` (default `default`), with a worker of its own in this
//! process on a task queue of its own. Success: exit 0 and the output JSON. Failure: exit 1
//! and `{"error": …, "cause": …}` (with `"status": "TIMED_OUT"` for a time-out); a runner
//! problem: exit 2.

use std::io::Read;
use std::process::ExitCode;

use asl_temporal::{Executions, StartRequest, TemporalWorker};
use serde_json::{Value, json};

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
    let case: Value = match text.and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string())) {
        Ok(case) => case,
        Err(e) => return runner_error(e),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return runner_error(e.to_string()),
    };
    let local = tokio::task::LocalSet::new();
    match local.block_on(&runtime, run(&case)) {
        Ok(Ok(output)) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Ok(Err(failure)) => {
            println!("{failure}");
            ExitCode::from(1)
        }
        Err(e) => runner_error(e),
    }
}

fn runner_error(cause: impl std::fmt::Display) -> ExitCode {
    println!("{}", json!({"error": "RUNNER", "cause": cause.to_string()}));
    ExitCode::from(2)
}

/// The case's result, or why it could not be run.
async fn run(case: &Value) -> Result<Result<Value, Value>, String> {
    let (machine, config) = match asl_tests::conformance::prepare(case) {
        Ok(prepared) => prepared,
        Err(unsupported) => return Ok(Err(unsupported)),
    };
    let address = std::env::var("TEMPORAL_ADDRESS").unwrap_or_else(|_| "127.0.0.1:7233".into());
    let namespace = std::env::var("TEMPORAL_NAMESPACE").unwrap_or_else(|_| "default".into());
    let client = asl_temporal::connect(&address, &namespace)
        .await
        .map_err(|e| e.to_string())?;
    // A queue and workflow ids of this run's own: cases record fixed names, and the same case
    // may run again on the same server.
    let run = uuid::Uuid::new_v4().simple().to_string();
    let queue = format!("asl-conformance-{run}");
    let worker = TemporalWorker::builder(queue.clone())
        .machine_named("case", machine)
        .build(client.clone())
        .map_err(|e| e.to_string())?;
    let stop = worker.shutdown_handle();
    let working = tokio::task::spawn_local(worker.run());
    let executions = Executions::new(client, queue).with_id_prefix(format!("{run}/"));
    let ended = async {
        let started = executions
            .start_with(StartRequest {
                machine: "case".to_owned(),
                state_machine_arn: config.state_machine_arn.clone(),
                execution_name: config.execution_name.clone(),
                execution_arn: Some(config.execution_arn.clone()),
                role_arn: config.role_arn.clone(),
                input: case["input"].clone(),
            })
            .await?;
        executions.result(&started.execution_arn).await
    }
    .await;
    stop();
    let _ = working.await;
    let ended = ended.map_err(|e| e.to_string())?;
    Ok(asl_tests::conformance::described_result(&ended))
}
