//! The state a server's operations share: the registry, the store, where it says it runs.

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use asl_runtime::{ExecutionConfig, MAX_HISTORY_EVENTS, Store};

use crate::error::ApiError;
use crate::registry::{MachineType, Registered, Registry};

/// What every operation reads.
#[derive(Debug)]
pub(crate) struct Api {
    pub registry: RwLock<Registry>,
    pub store: Option<Arc<dyn Store>>,
    /// Whether the store outlives the process.
    pub durable: bool,
    pub region: String,
    pub account: String,
    /// The access keys requests must be signed with (none: requests are not checked).
    pub credentials: Vec<crate::sigv4::Credentials>,
    pub limiters: crate::throttle::Limiters,
    /// EventBridge's buses, rules and targets.
    pub events: RwLock<crate::events::bus::Buses>,
    /// Told when a rule changes, so that the schedules are looked at again.
    pub schedules_changed: tokio::sync::Notify,
}

impl Api {
    pub fn events(&self) -> RwLockReadGuard<'_, crate::events::bus::Buses> {
        self.events.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn events_mut(&self) -> RwLockWriteGuard<'_, crate::events::bus::Buses> {
        self.events.write().unwrap_or_else(|e| e.into_inner())
    }

    pub fn read(&self) -> RwLockReadGuard<'_, Registry> {
        self.registry.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, Registry> {
        self.registry.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Records the state machine named `name` as it is now in the store (a store that outlives
    /// the process serves it again after a restart).
    pub fn persist(&self, name: &str) -> Result<(), ApiError> {
        let record = self.read().machines.get(name).map(Registered::to_record);
        match (&self.store, record) {
            (Some(store), Some(record)) => store
                .put_resources(&[("machine", name, Some(&record))])
                .map_err(|e| {
                    ApiError::internal(format!("The state machine could not be recorded: {e}"))
                }),
            _ => Ok(()),
        }
    }

    /// Records the event bus `name` as it is now (or its deletion) in the store.
    pub fn persist_bus(&self, name: &str) -> Result<(), ApiError> {
        let record = self.events().buses.get(name).map(|b| b.to_record());
        match &self.store {
            Some(store) => store
                .put_resources(&[("event-bus", name, record.as_ref())])
                .map_err(|e| {
                    ApiError::internal(format!("The event bus could not be recorded: {e}"))
                }),
            None => Ok(()),
        }
    }

    /// The ARN of the state machine named `name`.
    pub fn machine_arn(&self, name: &str) -> String {
        machine_arn(&self.region, &self.account, name)
    }

    /// The ARN of execution `execution` of state machine `machine`, of its type.
    pub fn execution_arn(&self, machine: &Registered, execution: &str) -> String {
        match machine.kind {
            MachineType::Standard => format!(
                "arn:aws:states:{}:{}:execution:{}:{execution}",
                self.region, self.account, machine.name
            ),
            MachineType::Express => format!(
                "arn:aws:states:{}:{}:express:{}:{execution}:{}",
                self.region,
                self.account,
                machine.name,
                uuid::Uuid::new_v4()
            ),
        }
    }

    /// The active state machine an ARN names (`StateMachineDoesNotExist` otherwise).
    pub fn machine(&self, arn: &str) -> Result<Registered, ApiError> {
        let name = crate::validate::state_machine_arn(arn)?;
        self.read()
            .active(name)
            .filter(|r| r.arn == arn)
            .cloned()
            .ok_or_else(|| ApiError::no_state_machine(arn))
    }

    /// The configuration of execution `name` (ARN `execution_arn`) of `machine`: its names and
    /// ARNs, its role, and AWS's history limit for its type.
    pub fn config(machine: &Registered, name: &str, execution_arn: &str) -> ExecutionConfig {
        let mut config = ExecutionConfig::new(&machine.name, name);
        config.state_machine_arn = machine.arn.clone();
        config.execution_arn = execution_arn.to_owned();
        config.role_arn = machine.role_arn.clone();
        config.history_limit = match machine.kind {
            MachineType::Standard => Some(MAX_HISTORY_EVENTS),
            MachineType::Express => None,
        };
        config
    }
}

/// Starts Standard execution `name` (ARN `arn`) of `machine` wherever its executions run (in
/// this process, recorded in the store first; or on its service): its ARN and start date.
/// Idempotent by name and input, as StartExecution is.
pub(crate) async fn start_standard(
    machine: &Registered,
    name: &str,
    arn: &str,
    input: serde_json::Value,
    test_case: Option<&str>,
) -> Result<(String, jiff::Timestamp), ApiError> {
    if let Some(service) = &machine.service {
        if test_case.is_some() {
            return Err(ApiError::new(
                "ValidationException",
                "Test cases run in this process only; this state machine's executions run on its service",
            ));
        }
        let started = service
            .start(asl_runtime::service::StartRequest {
                machine: machine.machine.name().to_owned(),
                state_machine_arn: machine.arn.clone(),
                execution_name: name.to_owned(),
                execution_arn: Some(arn.to_owned()),
                role_arn: machine.role_arn.clone(),
                input,
            })
            .await
            .map_err(ApiError::service)?;
        return Ok((started.execution_arn, started.start_date));
    }
    let mut config = Api::config(machine, name, arn);
    config.test_case = test_case.map(str::to_owned);
    match machine.machine.start_execution_async(input, config).await {
        Ok(started) => Ok((
            started.description.execution_arn,
            started.description.start_date,
        )),
        Err(asl_runtime::StartError::AlreadyExists(arn)) => Err(ApiError::new(
            "ExecutionAlreadyExists",
            format!("Execution Already Exists: '{arn}'"),
        )),
        Err(asl_runtime::StartError::Store(e)) => Err(ApiError::internal(format!(
            "The execution could not be recorded: {e}"
        ))),
        Err(asl_runtime::StartError::TestCase(e)) => Err(ApiError::new("ValidationException", e)),
    }
}

/// The ARN of the state machine named `name` in `region` and `account`.
pub(crate) fn machine_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:states:{region}:{account}:stateMachine:{name}")
}
