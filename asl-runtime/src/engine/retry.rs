//! Retry and Catch, shared by Task, Parallel and Map: run an attempt; on failure, wait and run
//! it again while a Retrier allows, then hand the error output to the first matching Catcher.

use std::future::Future;

use serde_json::{Map, Value};

use super::outcome::assignments;
use super::{Run, Transition};
use crate::data::scope::Scope;
use crate::data::vars::Vars;
use crate::error::{Failure, names};
use crate::plan::{Catcher, Retrier, StatePlan};

impl Run<'_> {
    /// Runs `attempt(input, retry_count)` (which returns the state's output) under `retry` and
    /// `catch`. The state's raw input is kept for another attempt or a Catcher only when there
    /// is one.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn with_retry<F, Fut>(
        &self,
        state: &StatePlan,
        retry: &[Retrier],
        catch: &[Catcher],
        raw: Value,
        entered: u64,
        vars: &Vars<'_>,
        mut attempt: F,
    ) -> Result<Transition, Failure>
    where
        F: FnMut(Value, u64) -> Fut,
        Fut: Future<Output = Result<(Value, Option<Map<String, Value>>), Failure>>,
    {
        let mut attempts = vec![0u64; retry.len()];
        let mut retry_count = 0u64;
        let keep = !retry.is_empty() || !catch.is_empty();
        let mut raw = Some(raw);
        loop {
            let input = if keep { raw.clone() } else { raw.take() }.unwrap_or(Value::Null);
            let failure = match attempt(input, retry_count).await {
                Ok((out, assign)) => return Ok(Transition::assigning(state.next, out, assign)),
                Err(f) => f.leaving(&state.name, entered),
            };
            if failure.error == names::RUNTIME {
                return Err(failure);
            }
            if let Some(i) = retry
                .iter()
                .position(|r| r.error_equals.iter().any(|e| failure.matches(e)))
            {
                let retrier = &retry[i];
                if attempts[i] < retrier.max_attempts {
                    attempts[i] += 1;
                    self.decided(|| crate::trace::Decision::Retried {
                        state: state.name.clone(),
                        retrier: i,
                    });
                    retry_count += 1;
                    let mut delay = retrier.delay(attempts[i]);
                    if retrier.full_jitter {
                        delay =
                            delay.mul_f64(jitter_fraction(&self.config.execution_arn, retry_count));
                    }
                    self.env.seam.sleep(self.env.waits.apply(delay)).await;
                    continue;
                }
            }
            if let Some((i, c)) = catch
                .iter()
                .enumerate()
                .find(|(_, c)| c.error_equals.iter().any(|e| failure.matches(e)))
            {
                self.decided(|| crate::trace::Decision::Caught {
                    state: state.name.clone(),
                    catcher: i,
                });
                let raw = raw.unwrap_or(Value::Null);
                let error_output = failure.to_error_output();
                let context = self.context(state, retry_count);
                let scope = Scope {
                    error_output: Some(&error_output),
                    ..Scope::new(self.env.seam, &raw, &context, vars)
                };
                // JSONPath: `$` in a Catcher's Assign is the error output.
                let assign_scope = if state.jsonata {
                    scope
                } else {
                    Scope {
                        input: &error_output,
                        ..scope
                    }
                };
                let leave = |f: Failure| f.leaving(&state.name, entered);
                let assign = assignments(c.assign.as_ref(), &assign_scope).map_err(leave)?;
                let out = match &c.output {
                    Some(t) => t.apply(&scope, names::RUNTIME).map_err(leave)?,
                    None => c.result_path.apply(raw, error_output).map_err(leave)?,
                };
                return Ok(Transition::assigning(Some(c.next), out, assign));
            }
            return Err(failure);
        }
    }
}

/// A deterministic fraction in [0, 1) for FULL jitter (so an execution's back-off replays the
/// same way); derived from the execution and the retry number.
fn jitter_fraction(execution: &str, retry: u64) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in execution.bytes().chain(retry.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h >> 11) as f64 / (1u64 << 53) as f64
}
