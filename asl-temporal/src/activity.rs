//! The activity that runs Task handlers: a worker takes a handler call a workflow scheduled,
//! finds the machine, and makes the call with [`Machine::perform`]; it heartbeats to Temporal
//! while the handler runs (so an attempt whose worker died is retried elsewhere), carries the
//! handler's own heartbeats back to the execution, and stops the handler when the execution
//! no longer waits for it (cancellation).

use std::sync::Arc;
use std::time::Duration;

use asl_runtime::Heartbeat;
use asl_runtime::effects::{Signal, TaskOrder, TaskResult};
use serde::{Deserialize, Serialize};
use temporalio_client::WorkflowExecuteUpdateOptions;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};

use crate::bridge::task_failure;
use crate::workflow::{Machines, StepFunctionsExecution, TaskSignal};

/// A handler call as the activity receives it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TaskInput {
    /// The machine's name.
    pub(crate) machine: String,
    /// The call.
    pub(crate) order: TaskOrder,
}

/// What the handler answered: the activity completes with the handler's failure too, so
/// that ASL's Retry and Catch (not Temporal's retry policy) decide what follows.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct TaskAnswer(pub(crate) TaskResult);

/// The activities of a worker.
pub(crate) struct TaskActivities {
    pub(crate) machines: Machines,
}

#[activities]
impl TaskActivities {
    /// Runs a Task state's handler.
    #[activity(name = "asl.task")]
    pub(crate) async fn task(
        self: Arc<Self>,
        ctx: ActivityContext,
        input: TaskInput,
    ) -> Result<TaskAnswer, ActivityError> {
        let Some(machine) = self.machines.0.get(&input.machine).cloned() else {
            return Ok(TaskAnswer(task_failure(format!(
                "no worker on this task queue runs a machine named '{}'",
                input.machine
            ))));
        };
        let heartbeat = handler_heartbeat(&ctx, &input.order);
        let mut call = machine.perform(input.order, heartbeat);
        // Temporal's heartbeat: the attempt is alive while this worker is.
        let every = ctx
            .info()
            .heartbeat_timeout
            .map_or(Duration::from_secs(10), |t| t / 3)
            .max(Duration::from_millis(100));
        loop {
            tokio::select! {
                biased;
                result = &mut call => return Ok(TaskAnswer(result)),
                () = ctx.cancelled() => return Err(ActivityError::cancelled()),
                () = tokio::time::sleep(every) => {
                    let _ = ctx.record_heartbeat(()).await;
                }
            }
        }
    }
}

/// The handler's heartbeats (for states with HeartbeatSeconds), sent to its execution as the
/// `asl.signal` update.
fn handler_heartbeat(ctx: &ActivityContext, order: &TaskOrder) -> Heartbeat {
    if order.heartbeat_seconds.is_none() {
        return Heartbeat::default();
    }
    let Some(workflow_id) = ctx.info().workflow_id.clone() else {
        return Heartbeat::default();
    };
    let client = ctx.client();
    let signal = TaskSignal {
        token: order.task_token.clone(),
        scheduled_event_id: Some(order.scheduled_event_id),
        signal: Signal::Heartbeat,
    };
    Heartbeat::from_fn(move || {
        let client = client.clone();
        let workflow_id = workflow_id.clone();
        let signal = signal.clone();
        tokio::spawn(async move {
            let handle = client.get_workflow_handle::<StepFunctionsExecution>(workflow_id);
            if let Err(e) = handle
                .execute_update(
                    StepFunctionsExecution::answer,
                    signal,
                    WorkflowExecuteUpdateOptions::default(),
                )
                .await
            {
                tracing::debug!(error = %e, "a handler's heartbeat did not reach its execution");
            }
        });
    })
}
