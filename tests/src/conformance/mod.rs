//! Running a case of the conformance corpus (`shared/conformance/cases.jsonl`): the machine the
//! build script generated for it, Lambda functions simulated as the case describes, the names
//! and ARNs it recorded, and virtual time (a day-long Wait takes no time).

mod simulator;

use std::sync::Arc;

use serde_json::{Value, json};

use asl_runtime::effects::{Effects, Live, Recorder, Replayer};
use asl_runtime::time::ExecutionClock;
use asl_runtime::{ExecutionConfig, Outcome, Status};

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
    let runtime = paused_runtime().map_err(|e| json!({"error": "RUNNER", "cause": e}))?;
    let outcome = runtime.block_on(async {
        machine
            .run_with(case["input"].clone(), &config(case, None))
            .await
    });
    result(outcome)
}

/// A case's machine (its Lambda functions simulated as the case describes) and the names and
/// ARNs it recorded, for a runner that runs it some other way (on Temporal).
///
/// # Errors
/// `{"error": "UNSUPPORTED", …}` when the generator does not compile the case.
pub fn prepare(case: &Value) -> Result<(asl_runtime::Machine, ExecutionConfig), Value> {
    let id = case["id"].as_str().unwrap_or_default();
    let tasks = simulator::Simulator::from_case(case).into_handler();
    let machine = generated::machine(id, tasks)
        .map_err(|why| json!({"error": "UNSUPPORTED", "cause": why}))?;
    Ok((machine, config(case, None)))
}

/// How an execution ended (as DescribeExecution describes it) in the shape `score.py` reads.
pub fn described_result(d: &asl_runtime::engine::Description) -> CaseResult {
    match d.status {
        Status::Succeeded => Ok(d.output.clone().unwrap_or(Value::Null)),
        status => {
            let mut out = json!({"error": d.error, "cause": d.cause});
            if status == Status::TimedOut {
                out["status"] = json!("TIMED_OUT");
            }
            Err(out)
        }
    }
}

/// A current-thread runtime whose time is virtual (a day-long Wait takes no time).
fn paused_runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .map_err(|e| e.to_string())
}

/// The names and ARNs the case recorded, the system clock (read inside the runtime), a full
/// history, and `effects` performing the effects.
fn config(case: &Value, effects: Option<Arc<dyn Effects>>) -> ExecutionConfig {
    let context = &case["context"];
    let text = |k: &str, default: &str| context[k].as_str().unwrap_or(default).to_owned();
    ExecutionConfig {
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
        effects,
        budget: None,
        history_limit: Some(asl_runtime::MAX_HISTORY_EVENTS),
        test_case: None,
    }
}

/// An outcome in the shape `score.py` reads.
fn result(outcome: Outcome) -> CaseResult {
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

/// What a run of a case ended with, as text to compare byte for byte: the result and the
/// history as GetExecutionHistory writes it.
#[derive(Debug, PartialEq, Eq)]
pub struct Ending {
    /// The result (output, or error and cause).
    pub result: String,
    /// The history's JSON.
    pub history: String,
}

impl Ending {
    fn of(outcome: Outcome) -> Result<Self, String> {
        let history = serde_json::to_string(outcome.history.events()).map_err(|e| e.to_string())?;
        let result = match result(outcome) {
            Ok(v) => format!("output {v}"),
            Err(e) => format!("failure {e}"),
        };
        Ok(Ending { result, history })
    }
}

/// Runs case `case` recording its effects (its functions simulated, time virtual), then plays
/// the recording back with no handler (a Task call fails the replay), no timers (the runtime
/// has no time driver, so a tokio timer would panic), a clock set a thousand years away (any
/// reading of it would show in the timestamps) and no random source. Returns both endings, or
/// why the case could not be run or where the replay left its recording. `Ok(None)`: the
/// generator does not compile the case.
pub fn record_and_replay(case: &Value) -> Result<Option<(Ending, Ending)>, String> {
    let id = case["id"].as_str().unwrap_or_default();
    let tasks = simulator::Simulator::from_case(case).into_handler();
    let Ok(machine) = generated::machine(id, tasks) else {
        return Ok(None);
    };
    let runtime = paused_runtime()?;
    let (recorded, recording) = runtime.block_on(async {
        let recorder = Arc::new(Recorder::new(Arc::new(Live {
            clock: ExecutionClock::system(),
        })));
        let effects: Arc<dyn Effects> = recorder.clone();
        let outcome = machine
            .run_with(case["input"].clone(), &config(case, Some(effects)))
            .await;
        (outcome, recorder.recording())
    });
    let events = serde_json::to_string(&recording.events).map_err(|e| e.to_string())?;
    let recorded = Ending::of(recorded)?;
    if events != recorded.history {
        return Err("the events the seam saw are not the history".to_owned());
    }

    let called = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = called.clone();
    let no_handler: asl_runtime::BoxHandler = Arc::new(move |_, _: &asl_runtime::TaskCall<'_>| {
        flag.store(true, std::sync::atomic::Ordering::SeqCst);
        Box::pin(std::future::ready(Err(asl_runtime::Failure::new(
            "Replay.HandlerCalled",
            "a replay called a handler",
        ))))
    });
    let machine = generated::machine(id, no_handler).map_err(str::to_owned)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    let replayer = Arc::new(Replayer::new(recording));
    let effects: Arc<dyn Effects> = replayer.clone();
    let mut config = config(case, Some(effects));
    config.clock = ExecutionClock::starting_at(
        jiff::Timestamp::from_second(32_503_680_000).unwrap_or(jiff::Timestamp::MAX),
    );
    let replayed = runtime.block_on(machine.run_with(case["input"].clone(), &config));
    replayer.finish().map_err(|d| d.to_string())?;
    if called.load(std::sync::atomic::Ordering::SeqCst) {
        return Err("the replay called a handler".to_owned());
    }
    Ok(Some((recorded, Ending::of(replayed)?)))
}
