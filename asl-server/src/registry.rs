//! The state machines a server answers for: the machines compiled into the program, each
//! served under its own name, and under the names CreateStateMachine gives them.

use std::collections::BTreeMap;

use asl_runtime::Machine;
use serde_json::{Value, json};

/// A state machine's type, as AWS's API names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MachineType {
    /// Durable, exactly-once, with a history (AWS's default).
    Standard,
    /// Short-lived, at-most-once, no history kept: StartSyncExecution runs them.
    Express,
}

impl MachineType {
    /// `STANDARD` or `EXPRESS`.
    pub fn as_str(self) -> &'static str {
        match self {
            MachineType::Standard => "STANDARD",
            MachineType::Express => "EXPRESS",
        }
    }

    /// The type AWS's API names so.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "STANDARD" => Some(MachineType::Standard),
            "EXPRESS" => Some(MachineType::Express),
            _ => None,
        }
    }
}

/// A machine compiled into the program: what CreateStateMachine can serve.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    /// The machine as the program built it (with the server's store when it has one).
    pub machine: Machine,
    /// The same machine without a store, for Express machines (AWS keeps no record of them).
    pub in_memory: Machine,
    /// Its definition, parsed, to compare definitions by content.
    pub definition: Value,
    /// Where its Standard executions run, when not in this process.
    pub service: Option<Service>,
}

/// Executions that run elsewhere (a Temporal cluster).
pub(crate) type Service = std::sync::Arc<dyn asl_runtime::service::ExecutionService>;

/// A state machine the API serves.
#[derive(Clone, Debug)]
pub(crate) struct Registered {
    pub name: String,
    pub arn: String,
    pub machine: Machine,
    pub kind: MachineType,
    pub role_arn: String,
    /// The definition text, as it was given (or compiled in).
    pub definition: String,
    pub creation_date: jiff::Timestamp,
    pub update_date: jiff::Timestamp,
    pub tags: BTreeMap<String, String>,
    /// Deleted: the API answers as AWS does for a machine that does not exist, until it is
    /// created again. Its executions stay readable.
    pub deleted: bool,
    /// The revision made by the last update (none before the first, as AWS reports it).
    pub revision_id: Option<String>,
    /// Where its executions run, when not in this process (Standard machines only).
    pub service: Option<Service>,
}

impl Registered {
    /// What a store keeps of it (everything but the machine, which the program compiles in).
    pub fn to_record(&self) -> Value {
        json!({
            "name": self.name,
            "arn": self.arn,
            "type": self.kind.as_str(),
            "roleArn": self.role_arn,
            "definition": self.definition,
            "creationDate": self.creation_date.to_string(),
            "updateDate": self.update_date.to_string(),
            "tags": self.tags,
            "deleted": self.deleted,
            "revisionId": self.revision_id,
        })
    }

    /// A state machine a store kept, served by the compiled machine of its definition in
    /// `registry`; `None` when the record is unreadable or no compiled machine has its
    /// definition any more.
    pub fn from_record(record: &Value, registry: &Registry) -> Option<Registered> {
        let text = |k: &str| record[k].as_str().map(str::to_owned);
        let definition = text("definition")?;
        let kind = MachineType::from_name(record["type"].as_str()?)?;
        let compiled = registry.compiled_for(&serde_json::from_str(&definition).ok()?)?;
        Some(Registered {
            name: text("name")?,
            arn: text("arn")?,
            machine: match kind {
                MachineType::Standard => compiled.machine.clone(),
                MachineType::Express => compiled.in_memory.clone(),
            },
            kind,
            role_arn: text("roleArn")?,
            definition,
            creation_date: text("creationDate")?.parse().ok()?,
            update_date: text("updateDate")?.parse().ok()?,
            tags: serde_json::from_value(record["tags"].clone()).unwrap_or_default(),
            deleted: record["deleted"].as_bool().unwrap_or(false),
            revision_id: text("revisionId"),
            service: match kind {
                MachineType::Standard => compiled.service.clone(),
                MachineType::Express => None,
            },
        })
    }
}

/// Every state machine the server knows.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    pub compiled: Vec<Compiled>,
    /// By name.
    pub machines: BTreeMap<String, Registered>,
}

impl Registry {
    /// The compiled machine whose definition is `definition` (the same JSON document, however
    /// it is written), if there is one.
    pub fn compiled_for(&self, definition: &Value) -> Option<&Compiled> {
        self.compiled.iter().find(|c| c.definition == *definition)
    }

    /// The state machine named `name`, unless it was deleted.
    pub fn active(&self, name: &str) -> Option<&Registered> {
        self.machines.get(name).filter(|r| !r.deleted)
    }
}
