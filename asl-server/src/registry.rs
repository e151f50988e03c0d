//! The state machines a server answers for: the machines compiled into the program, each
//! served under its own name, and under the names CreateStateMachine gives them.

use std::collections::BTreeMap;

use asl_runtime::Machine;
use serde_json::Value;

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
}

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
