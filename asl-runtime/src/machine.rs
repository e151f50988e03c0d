//! A runnable machine: a generated plan with its handlers.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;

use crate::engine::{ExecutionConfig, Outcome, execute};
use crate::error::Failure;
use crate::handler::BoxHandler;
use crate::plan::Plan;
use crate::task::{BoxFuture, Dispatch, TaskContext};

/// A state machine ready to run: what `Builder::build()` of a generated type returns.
#[derive(Clone)]
pub struct Machine {
    name: &'static str,
    plan: &'static Plan,
    handlers: Arc<[BoxHandler]>,
    executions: Arc<AtomicU64>,
}

impl std::fmt::Debug for Machine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Machine")
            .field("name", &self.name)
            .field("states", &self.plan.states.len())
            .finish()
    }
}

struct Table<'a>(&'a [BoxHandler]);

impl Dispatch for Table<'_> {
    fn call<'a>(
        &'a self,
        handler: usize,
        input: Value,
        context: TaskContext,
    ) -> BoxFuture<'a, Result<Value, Failure>> {
        match self.0.get(handler) {
            Some(h) => h(input, context),
            None => Box::pin(std::future::ready(Err(Failure::new(
                "States.Runtime",
                format!("no handler number {handler}"),
            )))),
        }
    }
}

impl Machine {
    /// Used by generated code: a machine from its plan and handler table (one per Task state,
    /// in the order the generator numbered them).
    #[doc(hidden)]
    pub fn from_parts(name: &'static str, plan: &'static Plan, handlers: Vec<BoxHandler>) -> Self {
        Machine {
            name,
            plan,
            handlers: handlers.into(),
            executions: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The machine's name (its type's name).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The plan it runs.
    pub fn plan(&self) -> &'static Plan {
        self.plan
    }

    /// Runs an execution to its end with a generated name and the system clock.
    pub async fn run(&self, input: Value) -> Outcome {
        let n = self.executions.fetch_add(1, Ordering::Relaxed) + 1;
        let config = ExecutionConfig::new(self.name, &format!("execution-{n}"));
        self.run_with(input, &config).await
    }

    /// Runs an execution to its end with the given names, ARNs and clock.
    pub async fn run_with(&self, input: Value, config: &ExecutionConfig) -> Outcome {
        execute(self.plan, &Table(&self.handlers), input, config).await
    }
}
