//! Replaying recorded Temporal histories of executions against compiled machines, without a
//! server: what tells, before a new build of a worker is deployed, whether executions already
//! running can go on under it (a definition whose states changed under them cannot).

use std::collections::HashMap;
use std::sync::Arc;

use asl_runtime::Machine;
use temporalio_client::WorkflowHistory;
use temporalio_sdk::workflow_replayer::{
    WorkflowReplayError, WorkflowReplayFailure, WorkflowReplayer, WorkflowReplayerOptions,
};

use crate::workflow::{Machines, Settings, StepFunctionsExecution};

/// Why a history did not replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayError {
    /// The history is not a Temporal history in JSON.
    BadHistory(String),
    /// The machine makes other requests than the history recorded: executions that ran
    /// under the old definition cannot go on under this one.
    Nondeterministic(String),
    /// The replay failed otherwise.
    Failed(String),
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplayError::BadHistory(e) => write!(f, "not a Temporal history: {e}"),
            ReplayError::Nondeterministic(e) => write!(f, "nondeterministic: {e}"),
            ReplayError::Failed(e) => write!(f, "replay failed: {e}"),
        }
    }
}

impl std::error::Error for ReplayError {}

/// Replays histories (as Temporal's JSON) against machines.
#[derive(Debug, Default)]
pub struct Replayer {
    machines: HashMap<String, Machine>,
}

impl Replayer {
    /// A replayer with no machines.
    pub fn new() -> Self {
        Replayer::default()
    }

    /// Replays executions of `machine` (under its own name).
    pub fn machine(self, machine: Machine) -> Self {
        let name = machine.name().to_owned();
        self.machine_named(name, machine)
    }

    /// Replays executions of the machine registered as `name`.
    pub fn machine_named(mut self, name: impl Into<String>, machine: Machine) -> Self {
        self.machines.insert(name.into(), machine);
        self
    }

    /// Replays one history, given as the JSON of Temporal's `History` message (what
    /// `temporal workflow show --output json` and [`Executions::temporal_history`] write).
    ///
    /// # Errors
    /// [`ReplayError::Nondeterministic`] when the machines are incompatible with it.
    ///
    /// [`Executions::temporal_history`]: crate::Executions::temporal_history
    pub async fn replay(&self, history_json: &[u8]) -> Result<(), ReplayError> {
        let history = WorkflowHistory::from_json(history_json)
            .map_err(|e| ReplayError::BadHistory(e.to_string()))?;
        let machines = Machines(Arc::new(self.machines.clone()));
        let mut options = WorkflowReplayerOptions::new()
            .detect_nondeterministic_futures(false)
            .build();
        options
            .register_workflow_with_factory::<StepFunctionsExecution, _>(move || {
                StepFunctionsExecution::new(machines.clone(), Settings::default())
            })
            .map_err(|e| ReplayError::Failed(e.to_string()))?;
        let replayer =
            WorkflowReplayer::new(options).map_err(|e| ReplayError::Failed(e.to_string()))?;
        match replayer.replay_workflow(history).await {
            Ok(()) => Ok(()),
            Err(WorkflowReplayError::Replay(WorkflowReplayFailure::Nondeterminism { message })) => {
                Err(ReplayError::Nondeterministic(message))
            }
            Err(e) => {
                let text = e.to_string();
                if text.to_ascii_lowercase().contains("nondetermin") {
                    Err(ReplayError::Nondeterministic(text))
                } else {
                    Err(ReplayError::Failed(text))
                }
            }
        }
    }
}
