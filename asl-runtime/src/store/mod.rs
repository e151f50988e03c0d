//! Where executions are kept so that they outlive the process that ran them: a machine given
//! a [`Store`] ([`Machine::with_store`](crate::Machine::with_store)) writes each execution's
//! description when it starts and its outcome and history when it ends, and reads executions
//! back from it (`asl-store` has the SQLite one).

use crate::effects::Entry;
use crate::engine::{Description, Status};
use crate::history::Event;
use crate::task::BoxFuture;

/// What a store could not do, in words for the person running the machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// Keeps executions: their descriptions (name, ARN, input, status, output or error and cause,
/// dates) and their typed histories.
pub trait Store: Send + Sync + std::fmt::Debug {
    /// Records an execution that starts. An execution of the same ARN already kept is
    /// [`StoreError`].
    fn start(&self, execution: &Description) -> Result<(), StoreError>;

    /// [`start`](Self::start), answering once the start is durable; a store may commit the
    /// starts (and journal entries) of many executions together (group commit).
    fn start_later(&self, execution: &Description) -> BoxFuture<'static, Result<(), StoreError>> {
        let done = self.start(execution);
        Box::pin(std::future::ready(done))
    }

    /// Records how an execution ended (its description as it is now) and its whole history.
    fn finish(&self, execution: &Description, history: &[Event]) -> Result<(), StoreError>;

    /// Records an execution that was not recorded when it started (it needed nothing durable
    /// before it ended: [`Machine::run_with`](crate::Machine::run_with) of Pass and Choice
    /// states, say) and has ended: `execution` as it ended and its whole history, together.
    /// An execution of the same ARN already kept is [`StoreError`].
    fn record(&self, execution: &Description, history: &[Event]) -> Result<(), StoreError> {
        self.start(execution)?;
        self.finish(execution, history)
    }

    /// [`finish`](Self::finish), answering once the outcome is durable; a store may commit
    /// the outcomes (and starts and journal entries) of many executions together.
    fn finish_later(
        &self,
        execution: &Description,
        history: &[Event],
    ) -> BoxFuture<'static, Result<(), StoreError>> {
        let done = self.finish(execution, history);
        Box::pin(std::future::ready(done))
    }

    /// The execution with this ARN, if the store keeps it.
    fn describe(&self, execution_arn: &str) -> Result<Option<Description>, StoreError>;

    /// The executions of the state machine with this ARN, newest first, those with `status`
    /// only when it is given.
    fn list(
        &self,
        state_machine_arn: &str,
        status: Option<Status>,
    ) -> Result<Vec<Description>, StoreError>;

    /// The history of the execution with this ARN (empty if the store does not keep it).
    fn history(&self, execution_arn: &str) -> Result<Vec<Event>, StoreError>;

    /// Adds answers an execution got from its effects to its journal, durably: once this
    /// returns, a process that dies still finds them.
    fn append(&self, execution_arn: &str, entries: &[Entry]) -> Result<(), StoreError>;

    /// [`append`](Self::append), answering once the entries are durable; a store may commit
    /// the entries of many executions together (group commit). The entries are queued in the
    /// order of the calls.
    fn append_later(
        &self,
        execution_arn: &str,
        entries: Vec<Entry>,
    ) -> BoxFuture<'static, Result<(), StoreError>> {
        let done = self.append(execution_arn, &entries);
        Box::pin(std::future::ready(done))
    }

    /// The answers recorded for the execution with this ARN, in order.
    fn journal(&self, execution_arn: &str) -> Result<Vec<Entry>, StoreError>;

    /// Records resources of a server that must outlive the process (state machines created
    /// through its API, event rules, events accepted but not yet delivered): each
    /// `(kind, name, record)` replaces the one of that kind and name, `None` deletes it, all
    /// together (one commit). A store that does not outlive the process keeps nothing.
    fn put_resources(
        &self,
        resources: &[(&str, &str, Option<&serde_json::Value>)],
    ) -> Result<(), StoreError> {
        let _ = resources;
        Ok(())
    }

    /// [`put_resources`](Self::put_resources), answering once the change is durable; a store
    /// may commit the changes of many callers together (group commit).
    fn put_resources_later(
        &self,
        resources: Vec<(String, String, Option<serde_json::Value>)>,
    ) -> BoxFuture<'static, Result<(), StoreError>> {
        let borrowed: Vec<(&str, &str, Option<&serde_json::Value>)> = resources
            .iter()
            .map(|(k, n, r)| (k.as_str(), n.as_str(), r.as_ref()))
            .collect();
        let done = self.put_resources(&borrowed);
        Box::pin(std::future::ready(done))
    }

    /// The resources of `kind` recorded with [`put_resources`](Self::put_resources), by name.
    fn resources(&self, kind: &str) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        let _ = kind;
        Ok(Vec::new())
    }
}

mod memory;
pub use memory::MemoryStore;
