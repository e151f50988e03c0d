//! Parallel states: every branch runs concurrently on the state's input; the result lists the
//! branch outputs in branch order. The first branch to fail cancels the others (they are
//! dropped where they stand) and fails the state with that branch's error.

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use serde_json::{Map, Value};

use super::outcome::{StateInput, finish_result};
use super::{Run, Transition};
use crate::data::scope::Scope;
use crate::data::template::TASK_PATH_ERROR;
use crate::data::vars::Vars;
use crate::error::Failure;
use crate::history::EventKind;
use crate::plan::{ParallelPlan, StatePlan};

impl Run<'_> {
    pub(super) async fn parallel(
        &self,
        state: &StatePlan,
        plan: &ParallelPlan,
        raw: Value,
        entered: u64,
        vars: &Vars<'_>,
    ) -> Result<Transition, Failure> {
        let o = &plan.outcomes;
        self.with_retry(
            state,
            &o.retry,
            &o.catch,
            raw,
            entered,
            vars,
            |raw, retry| self.parallel_attempt(state, plan, raw, retry, vars),
        )
        .await
    }

    async fn parallel_attempt(
        &self,
        state: &StatePlan,
        plan: &ParallelPlan,
        raw: Value,
        retry_count: u64,
        vars: &Vars<'_>,
    ) -> Result<(Value, Option<Map<String, Value>>), Failure> {
        let context = self.context(state, retry_count);
        let mut state_input = StateInput::new(
            self.env.seam,
            state,
            &plan.outcomes.result_path,
            raw,
            &context,
            vars,
        )?;
        let input = match &plan.parameters {
            Some(t) => t.apply(
                &Scope::new(self.env.seam, state_input.effective(), &context, vars),
                TASK_PATH_ERROR,
            )?,
            None => state_input.take_effective(),
        };
        self.event(|_| EventKind::ParallelStateStarted);
        let mut branches: FuturesUnordered<_> = plan
            .branches
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let run = self.states(&b.states, b.start, input.clone(), Some(vars));
                async move { (i, run.await) }
            })
            .collect();
        drop(input);
        let mut outputs = vec![Value::Null; plan.branches.len()];
        while let Some((i, result)) = branches.next().await {
            match result {
                Ok(v) => outputs[i] = v,
                Err(f) => {
                    // Dropping the others cancels them where they stand.
                    let aborted = branches.len();
                    drop(branches);
                    if aborted > 0 {
                        self.event(|_| EventKind::ParallelStateAborted);
                    }
                    self.event(|_| EventKind::ParallelStateFailed);
                    return Err(f);
                }
            }
        }
        self.event(|_| EventKind::ParallelStateSucceeded);
        finish_result(
            self.env.seam,
            state,
            plan.outcomes.selector_and_place(),
            state_input.into_raw(),
            Value::Array(outputs),
            &context,
            vars,
        )
    }
}
