//! What one JSONata expression may spend: wall time, nesting, and the length of the values it
//! builds. An expression over its budget fails its state with `States.QueryEvaluationError`
//! and a cause naming the limit, instead of holding the runtime's thread or the process's
//! memory.

use std::time::Duration;

/// The budget of one evaluation of a JSONata expression. Set on a machine
/// ([`Machine::with_budget`](crate::Machine::with_budget)) or for one execution
/// ([`ExecutionConfig::budget`](crate::ExecutionConfig::budget)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Wall time for one evaluation; past it the evaluation stops at its next step
    /// (`D1012`). Default: one second.
    pub time: Duration,
    /// Roughly the memory one evaluation may take for the values it builds, in bytes: it
    /// bounds the items of a sequence (`D2015`, at 64 bytes an item) and the length of a
    /// string a function such as `$pad` or `$join` makes. Default: 64 MiB.
    pub memory: usize,
    /// How deep an evaluation may nest (function calls that are not in tail position, nested
    /// expressions): `D1011` past it. Default: 1,000.
    pub depth: usize,
}

impl Budget {
    /// One second, 64 MiB, 1,000 levels.
    pub const DEFAULT: Budget = Budget {
        time: Duration::from_secs(1),
        memory: 64 << 20,
        depth: 1_000,
    };

    /// The most items a sequence may hold.
    pub fn max_items(&self) -> usize {
        (self.memory / 64).max(1)
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::DEFAULT
    }
}
