//! [`MemoryStore`]: executions kept in the process's memory, for a server or a test that needs
//! closed executions described and listed but not kept beyond the process.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use super::{Store, StoreError};
use crate::effects::Entry;
use crate::engine::{Description, Status};
use crate::history::Event;

/// How many closed executions a [`MemoryStore::new`] keeps before it forgets the oldest.
pub const DEFAULT_CLOSED: usize = 10_000;

#[derive(Debug, Default)]
struct Kept {
    /// Each execution with the number of its start (the order executions were recorded in).
    executions: HashMap<String, (Description, Vec<Event>, u64)>,
    started: u64,
    /// Closed executions, oldest first: the ones forgotten first.
    closed: VecDeque<String>,
}

/// Executions in memory: descriptions and histories, with no journal (nothing outlives the
/// process, so there is nothing to resume). At most a set number of closed executions are
/// kept, the oldest forgotten first, so memory stays bounded however many executions run;
/// running executions are always kept.
#[derive(Debug)]
pub struct MemoryStore {
    kept: Mutex<Kept>,
    max_closed: usize,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryStore {
    /// A store keeping up to [`DEFAULT_CLOSED`] closed executions.
    pub fn new() -> Self {
        Self::with_capacity(DEFAULT_CLOSED)
    }

    /// A store keeping up to `max_closed` closed executions.
    pub fn with_capacity(max_closed: usize) -> Self {
        MemoryStore {
            kept: Mutex::default(),
            max_closed,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Store for MemoryStore {
    fn start(&self, execution: &Description) -> Result<(), StoreError> {
        let mut kept = self.lock();
        if kept.executions.contains_key(&execution.execution_arn) {
            return Err(StoreError(format!(
                "ExecutionAlreadyExists: the store keeps an execution {} already",
                execution.execution_arn
            )));
        }
        kept.started += 1;
        let n = kept.started;
        kept.executions.insert(
            execution.execution_arn.clone(),
            (execution.clone(), Vec::new(), n),
        );
        Ok(())
    }

    fn finish(&self, execution: &Description, history: &[Event]) -> Result<(), StoreError> {
        let mut kept = self.lock();
        let arn = execution.execution_arn.clone();
        let (was_open, n) = match kept.executions.get(&arn) {
            Some((d, _, n)) => (d.status == Status::Running, *n),
            None => {
                kept.started += 1;
                (true, kept.started)
            }
        };
        kept.executions
            .insert(arn.clone(), (execution.clone(), history.to_vec(), n));
        if was_open && execution.status != Status::Running {
            kept.closed.push_back(arn);
            while kept.closed.len() > self.max_closed {
                if let Some(old) = kept.closed.pop_front() {
                    kept.executions.remove(&old);
                }
            }
        }
        Ok(())
    }

    fn describe(&self, execution_arn: &str) -> Result<Option<Description>, StoreError> {
        Ok(self
            .lock()
            .executions
            .get(execution_arn)
            .map(|(d, _, _)| d.clone()))
    }

    fn list(
        &self,
        state_machine_arn: &str,
        status: Option<Status>,
    ) -> Result<Vec<Description>, StoreError> {
        let mut all: Vec<(Description, u64)> = self
            .lock()
            .executions
            .values()
            .filter(|(d, _, _)| d.state_machine_arn == state_machine_arn)
            .filter(|(d, _, _)| status.is_none_or(|s| d.status == s))
            .map(|(d, _, n)| (d.clone(), *n))
            .collect();
        // Newest first; for the same start date, the one recorded last first.
        all.sort_by_key(|(d, n)| std::cmp::Reverse((d.start_date, *n)));
        Ok(all.into_iter().map(|(d, _)| d).collect())
    }

    fn history(&self, execution_arn: &str) -> Result<Vec<Event>, StoreError> {
        Ok(self
            .lock()
            .executions
            .get(execution_arn)
            .map(|(_, h, _)| h.clone())
            .unwrap_or_default())
    }

    fn append(&self, _execution_arn: &str, _entries: &[Entry]) -> Result<(), StoreError> {
        // Nothing outlives the process: no journal to keep.
        Ok(())
    }

    fn journal(&self, _execution_arn: &str) -> Result<Vec<Entry>, StoreError> {
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ExecutionConfig;

    fn description(name: &str, status: Status) -> Description {
        let config = ExecutionConfig::new("M", name);
        Description {
            execution_arn: config.execution_arn,
            state_machine_arn: config.state_machine_arn,
            name: name.to_owned(),
            status,
            input: serde_json::json!({}),
            output: None,
            error: None,
            cause: None,
            start_date: jiff::Timestamp::now(),
            stop_date: None,
        }
    }

    #[test]
    fn keeps_at_most_its_capacity_of_closed_executions() {
        let store = MemoryStore::with_capacity(2);
        for name in ["a", "b", "c"] {
            let d = description(name, Status::Running);
            store.start(&d).expect("new");
            store
                .finish(&description(name, Status::Succeeded), &[])
                .expect("finished");
        }
        let running = description("d", Status::Running);
        store.start(&running).expect("new");
        assert!(store.start(&running).is_err(), "a name is kept once");
        let kept = |n: &str| {
            store
                .describe(&description(n, Status::Running).execution_arn)
                .expect("readable")
                .is_some()
        };
        assert!(!kept("a"), "the oldest closed one is forgotten");
        assert!(kept("b") && kept("c") && kept("d"));
        let arn = &running.state_machine_arn;
        assert_eq!(store.list(arn, None).expect("listed").len(), 3);
        assert_eq!(
            store
                .list(arn, Some(Status::Running))
                .expect("listed")
                .len(),
            1
        );
    }
}
