//! A test case at work in one execution: counting each mocked state's invocations and
//! answering them.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::Value;

use super::{MockAnswer, TestCase};
use crate::error::{Failure, names};

/// The mocks of one execution.
#[derive(Debug)]
pub(crate) struct Mocked {
    case: TestCase,
    /// Invocations so far, by state.
    counts: Mutex<HashMap<String, u64>>,
}

impl Mocked {
    pub(crate) fn new(case: TestCase) -> Self {
        Mocked {
            case,
            counts: Mutex::default(),
        }
    }

    /// The answer to this invocation of `state`, counting it; `None` when the test case does
    /// not mock the state (its handler is called). An invocation the response has no entry
    /// for fails the execution (`States.Runtime`, which no Catch matches): the test case does
    /// not say what should happen.
    pub(crate) fn answer(&self, state: &str) -> Option<Result<Value, Failure>> {
        let response = self.case.response(state)?;
        let n = {
            let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
            let count = counts.entry(state.to_owned()).or_insert(0);
            let n = *count;
            *count += 1;
            n
        };
        Some(match response.answer(n) {
            Some(MockAnswer::Return(v)) => Ok(v.clone()),
            Some(MockAnswer::Throw(f)) => Err(f.clone()),
            None => Err(Failure::new(
                names::RUNTIME,
                format!(
                    "The mocked response of state '{state}' has no entry for its invocation number {n}"
                ),
            )),
        })
    }
}
