//! The decisions an execution made that its history does not show: the Choice rule (or
//! Default) each Choice state took, the Retrier and Catcher that handled each error, and every
//! state entered and transition taken, Map iterations and distributed Map children included.
//! Path assertions ([`Outcome::branches`](crate::Outcome::branches), …) and coverage
//! ([`crate::coverage`]) read them.

use std::sync::{Arc, Mutex};

/// Which way a Choice state went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Branch {
    /// The rule at this index of `Choices` (from 0) held.
    Rule(usize),
    /// No rule held: the `Default`.
    Default,
}

impl std::fmt::Display for Branch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Branch::Rule(i) => write!(f, "rule {}", i + 1),
            Branch::Default => f.write_str("Default"),
        }
    }
}

/// One decision of an execution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The state was entered.
    Entered {
        /// The state's name.
        state: Arc<str>,
    },
    /// The execution went from one state to the next inside a container (by `Next`, a Choice
    /// branch or a Catcher).
    Moved {
        /// The state left.
        from: Arc<str>,
        /// The state entered next.
        to: Arc<str>,
    },
    /// A Choice state took a branch.
    Chose {
        /// The Choice state.
        state: Arc<str>,
        /// The branch.
        branch: Branch,
    },
    /// A Retrier (by its index in `Retry`, from 0) retried the state.
    Retried {
        /// The state.
        state: Arc<str>,
        /// The Retrier's index.
        retrier: usize,
    },
    /// A Catcher (by its index in `Catch`, from 0) caught the state's error.
    Caught {
        /// The state.
        state: Arc<str>,
        /// The Catcher's index.
        catcher: usize,
    },
}

/// Where an execution's decisions are collected while it runs (its concurrent branches and
/// iterations push into one list).
#[derive(Debug, Default)]
pub(crate) struct Trace(Mutex<Vec<Decision>>);

impl Trace {
    /// Adds a decision.
    pub(crate) fn push(&self, d: Decision) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(d);
    }

    /// The decisions so far, leaving the trace empty.
    pub(crate) fn take(&self) -> Vec<Decision> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}
