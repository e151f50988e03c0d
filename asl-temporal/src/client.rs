//! Executions on Temporal, through the Step Functions API's verbs: start (idempotent by name
//! and input), describe, history, list, stop, and the answers to task tokens.

use std::str::FromStr as _;

use asl_runtime::BoxFuture;
use asl_runtime::Failure;
use asl_runtime::effects::Signal;
use asl_runtime::engine::{Description, Status};
use asl_runtime::history::Event;
use asl_runtime::service::{ExecutionService, ServiceError, StartRequest, StartedExecution};
use futures_util::StreamExt as _;
use serde_json::Value;
use temporalio_client::errors::{
    WorkflowGetResultError, WorkflowInteractionError, WorkflowQueryError, WorkflowStartError,
    WorkflowUpdateError,
};
use temporalio_client::{
    Client, ClientOptions, Connection, ConnectionOptions, Url, WorkflowExecuteUpdateOptions,
    WorkflowExecutionStatus, WorkflowGetResultOptions, WorkflowIdReusePolicy, WorkflowListOptions,
    WorkflowQueryOptions, WorkflowSignalOptions, WorkflowStartOptions,
};

use crate::error::Error;
use crate::workflow::{HistoryPage, StartInput, StepFunctionsExecution, StopInput, TaskSignal};

/// Connects to the Temporal frontend at `address` (`host:port`, or a URL) in `namespace`.
///
/// # Errors
/// [`Error::Connect`] when the server cannot be reached.
pub async fn connect(address: &str, namespace: &str) -> Result<Client, Error> {
    let url = if address.contains("://") {
        address.to_owned()
    } else {
        format!("http://{address}")
    };
    let url = Url::from_str(&url).map_err(|e| Error::Connect(format!("{address}: {e}")))?;
    let connection = Connection::connect(ConnectionOptions::new(url).build())
        .await
        .map_err(|e| Error::Connect(e.to_string()))?;
    Client::new(connection, ClientOptions::new(namespace.to_owned()).build())
        .map_err(|e| Error::Connect(e.to_string()))
}

/// How an execution ended, as [`Executions::result`] waits for it.
pub type Ended = Description;

/// The executions of compiled machines on a Temporal cluster: what the worker runs, seen from
/// any process with a client. Cheap to clone.
#[derive(Clone)]
pub struct Executions {
    client: Client,
    task_queue: String,
    id_prefix: String,
}

impl std::fmt::Debug for Executions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Executions")
            .field("task_queue", &self.task_queue)
            .finish()
    }
}

/// The workflow id of an execution: its machine's name and its own (execution names are
/// unique per state machine, so the machine's name keeps two machines' executions apart).
pub fn workflow_id(state_machine_name: &str, execution_name: &str) -> String {
    format!("{state_machine_name}/{execution_name}")
}

/// The workflow id of the execution an ARN names
/// (`arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME`, or an Express execution's
/// `…:express:MACHINE:NAME:ID`).
///
/// # Errors
/// [`Error::InvalidArn`] when it names no execution.
pub fn workflow_id_of(execution_arn: &str) -> Result<String, Error> {
    let parts: Vec<&str> = execution_arn.split(':').collect();
    match parts.as_slice() {
        [
            "arn",
            _partition,
            "states",
            _region,
            _account,
            "execution",
            machine,
            name,
        ] if !machine.is_empty() && !name.is_empty() => Ok(workflow_id(machine, name)),
        [
            "arn",
            _partition,
            "states",
            _region,
            _account,
            "express",
            machine,
            name,
            id,
        ] if !machine.is_empty() && !name.is_empty() && !id.is_empty() => {
            Ok(workflow_id(machine, &format!("{name}:{id}")))
        }
        _ => Err(Error::InvalidArn(execution_arn.to_owned())),
    }
}

impl Executions {
    /// Executions started through `client` on `task_queue` (where workers run the machines).
    pub fn new(client: Client, task_queue: impl Into<String>) -> Self {
        Executions {
            client,
            task_queue: task_queue.into(),
            id_prefix: String::new(),
        }
    }

    /// These executions with workflow ids that start with `prefix`: separate sets of
    /// executions (test runs, tenants) can then use the same execution names in one
    /// namespace.
    pub fn with_id_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.id_prefix = prefix.into();
        self
    }

    /// The workflow id of the execution `execution_arn` names.
    fn id(&self, execution_arn: &str) -> Result<String, Error> {
        Ok(format!(
            "{}{}",
            self.id_prefix,
            workflow_id_of(execution_arn)?
        ))
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Starts an execution named `name` of the machine registered as `machine`, with ARNs
    /// in account 111111111111, region us-east-1 (as
    /// [`ExecutionConfig::new`](asl_runtime::ExecutionConfig::new) makes them).
    ///
    /// # Errors
    /// As [`start_with`](Self::start_with).
    pub async fn start(
        &self,
        machine: &str,
        name: &str,
        input: Value,
    ) -> Result<StartedExecution, Error> {
        self.start_with(StartRequest::new(machine, name, input))
            .await
    }

    /// StartExecution: a second start with the same name and input while the first runs
    /// returns it; any other start of a name already used is
    /// [`Error::ExecutionAlreadyExists`].
    ///
    /// # Errors
    /// [`Error::ExecutionAlreadyExists`], [`Error::InvalidArn`], or Temporal's error.
    pub async fn start_with(&self, request: StartRequest) -> Result<StartedExecution, Error> {
        let execution_arn = request
            .execution_arn
            .clone()
            .unwrap_or_else(|| execution_arn(&request.state_machine_arn, &request.execution_name));
        let id = self.id(&execution_arn)?;
        let input = request.input;
        let start = StartInput {
            machine: request.machine,
            state_machine_arn: request.state_machine_arn,
            execution_name: request.execution_name,
            execution_arn: execution_arn.clone(),
            role_arn: request.role_arn,
            input: input.clone(),
            secret: secret(),
            child_of_map: None,
        };
        let options = WorkflowStartOptions::new(self.task_queue.clone(), id)
            .id_reuse_policy(WorkflowIdReusePolicy::RejectDuplicate)
            .build();
        match self
            .client
            .start_workflow(StepFunctionsExecution::run, start, options)
            .await
        {
            Ok(_) => Ok(StartedExecution {
                execution_arn,
                start_date: jiff::Timestamp::now(),
                started: true,
            }),
            Err(WorkflowStartError::AlreadyStarted { .. }) => {
                match self.describe(&execution_arn).await? {
                    Some(d) if d.status == Status::Running && d.input == input => {
                        Ok(StartedExecution {
                            execution_arn,
                            start_date: d.start_date,
                            started: false,
                        })
                    }
                    _ => Err(Error::ExecutionAlreadyExists(execution_arn)),
                }
            }
            Err(e) => Err(Error::Temporal(e.to_string())),
        }
    }

    /// The execution as DescribeExecution describes it; `None` when there is none.
    ///
    /// # Errors
    /// [`Error::InvalidArn`], or Temporal's error (a query needs a worker running the machine).
    pub async fn describe(&self, execution_arn: &str) -> Result<Option<Description>, Error> {
        let handle = self
            .client
            .get_workflow_handle::<StepFunctionsExecution>(self.id(execution_arn)?);
        match handle
            .query(
                StepFunctionsExecution::describe,
                (),
                WorkflowQueryOptions::default(),
            )
            .await
        {
            Ok(v) => Ok(Description::from_described(&v)),
            Err(WorkflowQueryError::NotFound(_)) => Ok(None),
            Err(e) => Err(Error::Temporal(e.to_string())),
        }
    }

    /// The execution's history events, as GetExecutionHistory lists them.
    ///
    /// # Errors
    /// [`Error::ExecutionDoesNotExist`], [`Error::InvalidArn`], or Temporal's error.
    pub async fn history(&self, execution_arn: &str) -> Result<Vec<Event>, Error> {
        let handle = self
            .client
            .get_workflow_handle::<StepFunctionsExecution>(self.id(execution_arn)?);
        // Pages, so that no answer grows past Temporal's message limits.
        const PAGE: usize = 1000;
        let mut events = Vec::new();
        loop {
            let page = HistoryPage {
                from: events.len() + 1,
                limit: PAGE,
            };
            match handle
                .query(
                    StepFunctionsExecution::history,
                    page,
                    WorkflowQueryOptions::default(),
                )
                .await
            {
                Ok(more) => {
                    let done = more.len() < PAGE;
                    events.extend(more);
                    if done {
                        return Ok(events);
                    }
                }
                Err(WorkflowQueryError::NotFound(_)) => {
                    return Err(Error::ExecutionDoesNotExist(execution_arn.to_owned()));
                }
                Err(e) => return Err(Error::Temporal(e.to_string())),
            }
        }
    }

    /// The execution's Temporal history (not the AWS-shaped one [`history`](Self::history)
    /// gives) as the JSON of Temporal's `History` message, for [`Replayer`](crate::Replayer).
    ///
    /// # Errors
    /// [`Error::InvalidArn`], or Temporal's error.
    pub async fn temporal_history(&self, execution_arn: &str) -> Result<Vec<u8>, Error> {
        let handle = self
            .client
            .get_workflow_handle::<StepFunctionsExecution>(self.id(execution_arn)?);
        handle
            .fetch_history(temporalio_client::WorkflowFetchHistoryOptions::default())
            .to_json()
            .await
            .map_err(|e| Error::Temporal(e.to_string()))
    }

    /// The executions of the machine named `state_machine_name` (newest first), as
    /// ListExecutions lists them: name, status and dates, read from Temporal's visibility
    /// store without waking any worker. At most `limit`.
    ///
    /// # Errors
    /// Temporal's error.
    pub async fn list(
        &self,
        state_machine_arn: &str,
        limit: usize,
    ) -> Result<Vec<Description>, Error> {
        let machine = state_machine_arn.rsplit(':').next().unwrap_or_default();
        let prefix = format!("{}{}", self.id_prefix, workflow_id(machine, ""));
        let query = format!(
            "WorkflowType = '{}' AND WorkflowId STARTS_WITH '{}'",
            crate::workflow::WORKFLOW_TYPE,
            prefix.replace('\'', "")
        );
        let mut stream = self
            .client
            .list_workflows(query, WorkflowListOptions::builder().limit(limit).build());
        let mut out = Vec::new();
        while let Some(item) = stream.next().await {
            let w = item.map_err(|e| Error::Temporal(e.to_string()))?;
            let Some(name) = w.id().strip_prefix(&prefix) else {
                continue;
            };
            let recorded = w
                .memo()
                .get::<String>(crate::workflow::STATUS_MEMO)
                .ok()
                .flatten()
                .and_then(|s| Status::from_name(&s));
            let status = recorded.unwrap_or(match w.status() {
                WorkflowExecutionStatus::Running => Status::Running,
                WorkflowExecutionStatus::Completed => Status::Succeeded,
                WorkflowExecutionStatus::TimedOut => Status::TimedOut,
                WorkflowExecutionStatus::Canceled | WorkflowExecutionStatus::Terminated => {
                    Status::Aborted
                }
                _ => Status::Failed,
            });
            let time = |t: Option<std::time::SystemTime>| {
                t.and_then(|t| jiff::Timestamp::try_from(t).ok())
            };
            out.push(Description {
                execution_arn: execution_arn(state_machine_arn, name),
                state_machine_arn: state_machine_arn.to_owned(),
                name: name.to_owned(),
                status,
                input: Value::Null,
                output: None,
                error: None,
                cause: None,
                start_date: time(w.start_time()).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
                stop_date: time(w.close_time()),
            });
        }
        Ok(out)
    }

    /// StopExecution: the execution ends ABORTED with `error` and `cause` (one that has ended
    /// already stays as it ended).
    ///
    /// # Errors
    /// [`Error::ExecutionDoesNotExist`], [`Error::InvalidArn`], or Temporal's error.
    pub async fn stop(
        &self,
        execution_arn: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<(), Error> {
        let handle = self
            .client
            .get_workflow_handle::<StepFunctionsExecution>(self.id(execution_arn)?);
        let sent = handle
            .signal(
                StepFunctionsExecution::stop,
                StopInput {
                    error: error.map(str::to_owned),
                    cause: cause.map(str::to_owned),
                },
                WorkflowSignalOptions::default(),
            )
            .await;
        match sent {
            Ok(()) => Ok(()),
            // Temporal has no workflow to signal: the execution ended (nothing to stop, as on
            // AWS) or never was.
            Err(WorkflowInteractionError::NotFound(_)) => match self.describe(execution_arn).await?
            {
                Some(_) => Ok(()),
                None => Err(Error::ExecutionDoesNotExist(execution_arn.to_owned())),
            },
            Err(e) => Err(Error::Temporal(e.to_string())),
        }
    }

    /// Waits until the execution ends; whether it succeeded. Reads Temporal's record of the
    /// workflow only (no worker replays it, as [`result`](Self::result)'s description needs).
    ///
    /// # Errors
    /// [`Error::ExecutionDoesNotExist`], [`Error::InvalidArn`], or Temporal's error.
    pub async fn wait(&self, execution_arn: &str) -> Result<bool, Error> {
        let handle = self
            .client
            .get_workflow_handle::<StepFunctionsExecution>(self.id(execution_arn)?);
        match handle.get_result(WorkflowGetResultOptions::default()).await {
            Ok(_) => Ok(true),
            Err(WorkflowGetResultError::NotFound(_)) => {
                Err(Error::ExecutionDoesNotExist(execution_arn.to_owned()))
            }
            Err(WorkflowGetResultError::Rpc(e)) => Err(Error::Temporal(e.to_string())),
            Err(_) => Ok(false),
        }
    }

    /// Waits until the execution ends, and describes it then.
    ///
    /// # Errors
    /// [`Error::ExecutionDoesNotExist`], [`Error::InvalidArn`], or Temporal's error.
    pub async fn result(&self, execution_arn: &str) -> Result<Ended, Error> {
        let handle = self
            .client
            .get_workflow_handle::<StepFunctionsExecution>(self.id(execution_arn)?);
        // Its end as Temporal reports it only says that it ended; the description says how.
        if let Err(WorkflowGetResultError::NotFound(_)) =
            handle.get_result(WorkflowGetResultOptions::default()).await
        {
            return Err(Error::ExecutionDoesNotExist(execution_arn.to_owned()));
        }
        self.describe(execution_arn)
            .await?
            .ok_or_else(|| Error::ExecutionDoesNotExist(execution_arn.to_owned()))
    }

    /// SendTaskSuccess.
    ///
    /// # Errors
    /// [`Error::InvalidToken`], [`Error::TaskDoesNotExist`], [`Error::TaskTimedOut`], or
    /// Temporal's error.
    pub async fn send_task_success(&self, token: &str, output: Value) -> Result<(), Error> {
        self.answer(token, Signal::Success { output }).await
    }

    /// SendTaskFailure.
    ///
    /// # Errors
    /// As [`send_task_success`](Self::send_task_success).
    pub async fn send_task_failure(
        &self,
        token: &str,
        error: &str,
        cause: &str,
    ) -> Result<(), Error> {
        let failure = Failure::new(error, cause);
        self.answer(token, Signal::Failure { failure }).await
    }

    /// SendTaskHeartbeat.
    ///
    /// # Errors
    /// As [`send_task_success`](Self::send_task_success).
    pub async fn send_task_heartbeat(&self, token: &str) -> Result<(), Error> {
        self.answer(token, Signal::Heartbeat).await
    }

    async fn answer(&self, token: &str, signal: Signal) -> Result<(), Error> {
        if !asl_runtime::is_well_formed_token(token) {
            return Err(Error::InvalidToken("Invalid token".to_owned()));
        }
        // Tokens drawn on Temporal carry their execution's workflow id.
        let Some(id) = asl_runtime::token_route(token) else {
            return Err(Error::TaskDoesNotExist);
        };
        let handle = self
            .client
            .get_workflow_handle::<StepFunctionsExecution>(id);
        let answered = handle
            .execute_update(
                StepFunctionsExecution::answer,
                TaskSignal {
                    token: Some(token.to_owned()),
                    scheduled_event_id: None,
                    signal,
                },
                WorkflowExecuteUpdateOptions::default(),
            )
            .await;
        match answered {
            Ok(()) => Ok(()),
            Err(WorkflowUpdateError::NotFound(_)) => Err(Error::TaskDoesNotExist),
            Err(WorkflowUpdateError::Failed(f)) => Err(unanswerable(&f.message)),
            Err(e) => {
                // An update to an execution that has ended: its tasks wait no more.
                let text = e.to_string();
                if text.contains("completed") || text.contains("closed") {
                    Err(Error::TaskDoesNotExist)
                } else {
                    Err(Error::Temporal(text))
                }
            }
        }
    }
}

fn unanswerable(why: &str) -> Error {
    if why.contains("TaskTimedOut") {
        Error::TaskTimedOut
    } else {
        Error::TaskDoesNotExist
    }
}

/// The ARN of execution `name` of the state machine `state_machine_arn`.
pub fn execution_arn(state_machine_arn: &str, name: &str) -> String {
    format!(
        "{}:{name}",
        state_machine_arn.replacen(":stateMachine:", ":execution:", 1)
    )
}

/// 32 bytes from the operating system's generator (through rand's thread-local ChaCha), hex.
fn secret() -> String {
    use rand::RngCore as _;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// As AWS's API would answer.
impl From<Error> for ServiceError {
    fn from(e: Error) -> Self {
        ServiceError {
            code: e.aws_code(),
            message: e.to_string(),
        }
    }
}

impl ExecutionService for Executions {
    fn start(
        &self,
        request: StartRequest,
    ) -> BoxFuture<'_, Result<StartedExecution, ServiceError>> {
        Box::pin(async move { Ok(self.start_with(request).await?) })
    }

    fn describe<'a>(
        &'a self,
        execution_arn: &'a str,
    ) -> BoxFuture<'a, Result<Option<Description>, ServiceError>> {
        Box::pin(async move { Ok(Executions::describe(self, execution_arn).await?) })
    }

    fn history<'a>(
        &'a self,
        execution_arn: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Event>, ServiceError>> {
        Box::pin(async move { Ok(Executions::history(self, execution_arn).await?) })
    }

    fn list<'a>(
        &'a self,
        state_machine_arn: &'a str,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<Description>, ServiceError>> {
        Box::pin(async move { Ok(Executions::list(self, state_machine_arn, limit).await?) })
    }

    fn stop<'a>(
        &'a self,
        execution_arn: &'a str,
        error: Option<&'a str>,
        cause: Option<&'a str>,
    ) -> BoxFuture<'a, Result<(), ServiceError>> {
        Box::pin(async move { Ok(Executions::stop(self, execution_arn, error, cause).await?) })
    }

    fn send_task<'a>(
        &'a self,
        token: &'a str,
        signal: Signal,
    ) -> BoxFuture<'a, Result<(), ServiceError>> {
        Box::pin(async move { Ok(self.answer(token, signal).await?) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_ids_come_from_execution_arns() {
        assert_eq!(
            workflow_id_of("arn:aws:states:us-east-1:1:execution:Orders:o-1").as_deref(),
            Ok("Orders/o-1")
        );
        assert!(workflow_id_of("arn:aws:states:us-east-1:1:stateMachine:Orders").is_err());
        assert_eq!(
            execution_arn("arn:aws:states:us-east-1:1:stateMachine:Orders", "o-1"),
            "arn:aws:states:us-east-1:1:execution:Orders:o-1"
        );
    }

    #[test]
    fn secrets_are_32_random_bytes() {
        let (a, b) = (secret(), secret());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
