//! One state run on its own, as AWS's TestState API runs it: the state's input processing, its
//! work (a Task's handler, or a mocked result or error), its result processing, and where it
//! would go next, with what each step made (the inspection levels). Retry and Catch are
//! reported, not performed: an error a Retrier would retry is `RETRIABLE` (with the Retrier and
//! its back-off), one a Catcher catches is `CAUGHT_ERROR` (with the Catcher, its output and its
//! next state).

use std::panic::AssertUnwindSafe;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;

use futures_util::FutureExt as _;
use serde_json::{Map, Value};

use super::outcome::{assignments, finish_result, output};
use super::states::decide;
use super::task::seconds;
use super::{Env, ExecutionConfig, Record, Run};
use crate::data::io::Place;
use crate::data::scope::Scope;
use crate::data::template::{TASK_PATH_ERROR, Template};
use crate::data::vars::Vars;
use crate::error::{Failure, names};
use crate::plan::{Catcher, Kind, Plan, Retrier, StatePlan};
use crate::task::{Heartbeat, TaskCall};

/// How much a test tells (TestState's `inspectionLevel`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InspectionLevel {
    /// The output, status and next state only.
    #[default]
    Info,
    /// Also the input and output processing, step by step ([`Inspection`]).
    Debug,
    /// As `Debug` (the HTTP request and response of HTTP Tasks are not made here).
    Trace,
}

impl InspectionLevel {
    /// The level AWS names `name` (`INFO`, `DEBUG`, `TRACE`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "INFO" => Some(InspectionLevel::Info),
            "DEBUG" => Some(InspectionLevel::Debug),
            "TRACE" => Some(InspectionLevel::Trace),
            _ => None,
        }
    }
}

/// How a tested state ended (TestState's `status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestStatus {
    /// It succeeded.
    Succeeded,
    /// It failed, and nothing would retry or catch the error.
    Failed,
    /// It failed, and a Retrier would try it again.
    Retriable,
    /// It failed, and a Catcher caught the error.
    CaughtError,
}

impl TestStatus {
    /// The status as AWS names it.
    pub fn as_str(self) -> &'static str {
        match self {
            TestStatus::Succeeded => "SUCCEEDED",
            TestStatus::Failed => "FAILED",
            TestStatus::Retriable => "RETRIABLE",
            TestStatus::CaughtError => "CAUGHT_ERROR",
        }
    }
}

/// What to test a state with.
#[derive(Clone, Debug, Default)]
pub struct TestStateInput {
    /// The state's input.
    pub input: Value,
    /// How much to tell.
    pub inspection_level: InspectionLevel,
    /// The result (`Ok`) or error (`Err`) the state's work gives instead of calling its
    /// handler (TestState's `mock`); required for Parallel and Map states.
    pub mock: Option<Result<Value, Failure>>,
    /// The variables the state sees.
    pub variables: Map<String, Value>,
    /// How many retries the Retrier that matches the error made already
    /// (`stateConfiguration.retrierRetryCount`).
    pub retrier_retry_count: u64,
}

/// The Retrier or Catcher that handled an error.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorDetails {
    /// The Catcher's index in `Catch`.
    pub catch_index: Option<usize>,
    /// The Retrier's index in `Retry`.
    pub retry_index: Option<usize>,
    /// The back-off before the retry, in seconds.
    pub retry_backoff_interval_seconds: Option<u64>,
}

/// What each step of the state made (TestState's `inspectionData`); a step the state does not
/// have is `None`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Inspection {
    /// The raw input.
    pub input: Option<Value>,
    /// After InputPath (JSONPath).
    pub after_input_path: Option<Value>,
    /// After Parameters (JSONPath).
    pub after_parameters: Option<Value>,
    /// After Arguments (JSONata).
    pub after_arguments: Option<Value>,
    /// The raw result.
    pub result: Option<Value>,
    /// After ResultSelector (JSONPath).
    pub after_result_selector: Option<Value>,
    /// After ResultPath (JSONPath).
    pub after_result_path: Option<Value>,
    /// The variables after the state: those given, with its Assign applied.
    pub variables: Option<Value>,
    /// The Retrier or Catcher that handled an error.
    pub error_details: Option<ErrorDetails>,
}

/// How a tested state ended.
#[derive(Clone, Debug, PartialEq)]
pub struct TestStateOutcome {
    /// Its status.
    pub status: TestStatus,
    /// Its output (succeeded, or caught).
    pub output: Option<Value>,
    /// The error, when it failed.
    pub error: Option<String>,
    /// The cause, likewise.
    pub cause: Option<String>,
    /// The state it would go to next (by `Next`, a Choice branch or a Catcher).
    pub next_state: Option<String>,
    /// What each step made, at `Debug` and `Trace`.
    pub inspection: Option<Inspection>,
}

/// Why a state cannot be tested.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestStateError(pub String);

impl std::fmt::Display for TestStateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TestStateError {}

/// The container holding the state named `name`, and its index there.
fn find<'p>(states: &'p [StatePlan], name: &str) -> Option<(&'p [StatePlan], usize)> {
    if let Some(i) = states.iter().position(|s| &*s.name == name) {
        return Some((states, i));
    }
    states.iter().find_map(|s| match &s.kind {
        Kind::Parallel(p) => p.branches.iter().find_map(|b| find(&b.states, name)),
        Kind::Map(m) => find(&m.processor.states, name),
        _ => None,
    })
}

/// Tests the state named `name` of `plan`.
pub(crate) async fn test_state(
    plan: &Plan,
    env: Env<'_>,
    config: &ExecutionConfig,
    name: &str,
    request: TestStateInput,
) -> Result<TestStateOutcome, TestStateError> {
    let (states, index) = find(&plan.states, name)
        .ok_or_else(|| TestStateError(format!("the definition has no state named '{name}'")))?;
    let state = &states[index];
    let mockable = matches!(state.kind, Kind::Task(_) | Kind::Parallel(_) | Kind::Map(_));
    if request.mock.is_some() && !mockable {
        return Err(TestStateError(format!(
            "a mock can only be given for a Task, Map or Parallel state; '{name}' is not one"
        )));
    }
    if request.mock.is_none() && matches!(state.kind, Kind::Parallel(_) | Kind::Map(_)) {
        return Err(TestStateError(format!(
            "a Parallel or Map state is tested with a mock of its result or error; '{name}' has none"
        )));
    }
    let run = Run {
        next_event: AtomicU64::new(1),
        history_limit: u64::MAX,
        shared_names: std::sync::OnceLock::new(),
        plan,
        env,
        config,
    };
    let mut test = Test {
        run: &run,
        states,
        state,
        inspection: Inspection::default(),
        level: request.inspection_level,
    };
    Ok(test.run(request).await)
}

/// One state under test.
struct Test<'r, 'p> {
    run: &'r Run<'r>,
    states: &'p [StatePlan],
    state: &'p StatePlan,
    inspection: Inspection,
    level: InspectionLevel,
}

impl Test<'_, '_> {
    fn name_of(&self, i: Option<usize>) -> Option<String> {
        i.and_then(|i| self.states.get(i))
            .map(|s| s.name.to_string())
    }

    /// The outcome of a state that went on (or ended its container) with `output`.
    fn succeeded(
        &mut self,
        output: Value,
        next: Option<usize>,
        vars: Map<String, Value>,
        assigned: Option<Map<String, Value>>,
    ) -> TestStateOutcome {
        let mut all = vars;
        all.extend(assigned.unwrap_or_default());
        self.inspection.variables = Some(Value::Object(all));
        TestStateOutcome {
            status: TestStatus::Succeeded,
            output: Some(output),
            error: None,
            cause: None,
            next_state: self.name_of(next),
            inspection: self.inspection(),
        }
    }

    fn inspection(&mut self) -> Option<Inspection> {
        match self.level {
            InspectionLevel::Info => None,
            _ => Some(std::mem::take(&mut self.inspection)),
        }
    }

    fn failed(&mut self, f: Failure) -> TestStateOutcome {
        TestStateOutcome {
            status: TestStatus::Failed,
            output: None,
            error: Some(f.error),
            cause: f.cause,
            next_state: None,
            inspection: self.inspection(),
        }
    }

    async fn run(&mut self, request: TestStateInput) -> TestStateOutcome {
        let raw = request.input;
        let given = request.variables;
        let mut vars = Vars::root();
        if let Err(total) = vars.assign(given.clone()) {
            return self.failed(Failure::runtime(format!(
                "The variables are {total} bytes; an execution's variables hold at most {}",
                crate::data::vars::MAX_TOTAL_BYTES
            )));
        }
        self.inspection.input = Some(raw.clone());
        let state = self.state;
        let seam = self.run.env.seam;
        let context = self.run.context(state, request.retrier_retry_count);
        let side = Scope::new(seam, &Value::Null, &context, &vars);
        // The effective input: after InputPath (JSONPath), the raw input (JSONata).
        let effective = if state.jsonata {
            raw.clone()
        } else {
            match state.input_path.copy(&raw, &side) {
                Ok(v) => {
                    self.inspection.after_input_path = Some(v.clone());
                    v
                }
                Err(f) => return self.failed(f),
            }
        };
        // What the state reads: its input after InputPath (JSONPath), its raw input (JSONata).
        let on_input = Scope {
            input: &effective,
            ..side
        };
        let step: Result<TestStateOutcome, Failure> = match &state.kind {
            Kind::Fail { error, cause } => {
                let scope = on_input;
                Err(self.run.fail(error, cause, &scope))
            }
            Kind::Succeed | Kind::Wait(_) => {
                let next = if matches!(state.kind, Kind::Wait(_)) {
                    state.next
                } else {
                    None
                };
                let scope = on_input;
                let assign = assignments(state.assign.as_ref(), &scope);
                let out = if state.jsonata {
                    output(state, &scope).map(|o| o.unwrap_or(raw.clone()))
                } else {
                    state.output_path.apply(effective.clone(), &side)
                };
                match (out, assign) {
                    (Ok(out), Ok(assign)) => Ok(self.succeeded(out, next, given, assign)),
                    (Err(f), _) | (_, Err(f)) => Err(f),
                }
            }
            Kind::Choice { choices, default } => {
                let scope = on_input;
                match decide(state, choices, *default, &scope) {
                    Ok(d) => {
                        let out = match (state.jsonata, d.output) {
                            (true, Some(t)) => t.apply(&scope, names::RUNTIME),
                            (true, None) => Ok(raw.clone()),
                            (false, _) => state.output_path.apply(effective.clone(), &side),
                        };
                        out.map(|out| self.succeeded(out, Some(d.target), given, d.assign))
                    }
                    Err(f) => Err(f),
                }
            }
            Kind::Pass {
                parameters,
                result,
                result_path,
            } => {
                if state.jsonata {
                    let scope = on_input;
                    assignments(state.assign.as_ref(), &scope).and_then(|assign| {
                        let out = output(state, &scope)?.unwrap_or(raw.clone());
                        Ok(self.succeeded(out, state.next, given, assign))
                    })
                } else {
                    let made = match (result, parameters) {
                        (Some(r), _) => Ok(r.clone()),
                        (None, Some(t)) => t.apply(&on_input, TASK_PATH_ERROR).inspect(|v| {
                            self.inspection.after_parameters = Some(v.clone());
                        }),
                        (None, None) => Ok(effective.clone()),
                    };
                    match made {
                        Ok(made) => self
                            .result_path(raw.clone(), None, result_path, made, &context, &vars)
                            .map(|(out, assign)| self.succeeded(out, state.next, given, assign)),
                        Err(f) => Err(f),
                    }
                }
            }
            Kind::Task(task) => {
                let scope = on_input;
                let made = match &request.mock {
                    Some(mock) => mock.clone(),
                    None => {
                        self.call(state, task, &scope, request.retrier_retry_count)
                            .await
                    }
                };
                self.finish(
                    made,
                    (&raw, &context, &vars, given, request.retrier_retry_count),
                    (task.result_selector.as_ref(), &task.result_path),
                    (&task.retry, &task.catch),
                )
            }
            Kind::Parallel(p) => self.finish(
                request.mock.clone().unwrap_or(Ok(Value::Null)),
                (&raw, &context, &vars, given, request.retrier_retry_count),
                (p.outcomes.result_selector.as_ref(), &p.outcomes.result_path),
                (&p.outcomes.retry, &p.outcomes.catch),
            ),
            Kind::Map(m) => self.finish(
                request.mock.clone().unwrap_or(Ok(Value::Null)),
                (&raw, &context, &vars, given, request.retrier_retry_count),
                (m.outcomes.result_selector.as_ref(), &m.outcomes.result_path),
                (&m.outcomes.retry, &m.outcomes.catch),
            ),
        };
        step.unwrap_or_else(|f| self.failed(f))
    }

    /// Calls the Task's handler with its Parameters (or Arguments), as the engine does.
    async fn call(
        &mut self,
        state: &StatePlan,
        task: &crate::plan::TaskPlan,
        scope: &Scope<'_>,
        retry_count: u64,
    ) -> Result<Value, Failure> {
        let args = match &task.parameters {
            Some(t) => t.apply(scope, TASK_PATH_ERROR)?,
            None => scope.input.clone(),
        };
        if state.jsonata {
            self.inspection.after_arguments = Some(args.clone());
        } else {
            self.inspection.after_parameters = Some(args.clone());
        }
        let credentials = task
            .credentials
            .as_ref()
            .map(|t| t.apply(scope, TASK_PATH_ERROR))
            .transpose()?;
        let timeout = match &task.timeout {
            Some(s) => seconds(s, scope, "TimeoutSeconds")?,
            None => None,
        };
        let heartbeat = Heartbeat::default();
        let run = self.run;
        let call = TaskCall {
            execution_name: &run.config.execution_name,
            execution_arn: &run.config.execution_arn,
            shared_names: &run.shared_names,
            state_name: &state.name,
            resource: task.resource.arn(),
            retry_count,
            scheduled_event: 0,
            task_token: None,
            credentials: credentials.as_ref(),
            heartbeat: &heartbeat,
            timeout_seconds: timeout,
            invokes: task.resource.invokes(),
        };
        let started = std::panic::catch_unwind(AssertUnwindSafe(|| {
            run.env.tasks.call(task.handler, args, &call)
        }));
        let future = match started {
            Ok(f) => f,
            Err(payload) => return Err(crate::handler::panicked(&state.name, payload)),
        };
        let guarded = AssertUnwindSafe(future).catch_unwind();
        // TestState runs a state for five minutes at most; a state's TimeoutSeconds, less.
        let limit = std::time::Duration::from_secs(timeout.unwrap_or(300).min(300));
        match tokio::time::timeout(limit, guarded).await {
            Ok(Ok(result)) => result,
            Ok(Err(payload)) => Err(crate::handler::panicked(&state.name, payload)),
            Err(_) => Err(Failure::new(
                names::TIMEOUT,
                "The state did not finish in time.",
            )),
        }
    }

    /// ResultSelector (JSONPath), Assign, ResultPath and OutputPath over `result`, with each
    /// step inspected.
    fn result_path(
        &mut self,
        raw: Value,
        result_selector: Option<&Template>,
        result_path: &Place,
        result: Value,
        context: &Value,
        vars: &Vars<'_>,
    ) -> Result<(Value, Option<Map<String, Value>>), Failure> {
        let seam = self.run.env.seam;
        let side = Scope::new(seam, &Value::Null, context, vars);
        let selected = match result_selector {
            Some(t) => {
                let v = t.apply(
                    &Scope {
                        input: &result,
                        ..side
                    },
                    TASK_PATH_ERROR,
                )?;
                self.inspection.after_result_selector = Some(v.clone());
                v
            }
            None => result,
        };
        let assign = assignments(
            self.state.assign.as_ref(),
            &Scope {
                input: &selected,
                ..side
            },
        )?;
        let placed = result_path.apply(raw, selected)?;
        self.inspection.after_result_path = Some(placed.clone());
        Ok((self.state.output_path.apply(placed, &side)?, assign))
    }

    /// A Task's, Parallel's or Map's result, or its error met by Retry and Catch.
    #[allow(clippy::type_complexity)]
    fn finish(
        &mut self,
        made: Result<Value, Failure>,
        (raw, context, vars, given, retry_count): (
            &Value,
            &Value,
            &Vars<'_>,
            Map<String, Value>,
            u64,
        ),
        (result_selector, result_path): (Option<&Template>, &Place),
        (retry, catch): (&[Retrier], &[Catcher]),
    ) -> Result<TestStateOutcome, Failure> {
        let state = self.state;
        match made {
            Ok(result) => {
                self.inspection.result = Some(result.clone());
                let (out, assign) = if state.jsonata {
                    finish_result(
                        self.run.env.seam,
                        state,
                        (result_selector, result_path),
                        raw.clone(),
                        result,
                        context,
                        vars,
                    )?
                } else {
                    self.result_path(
                        raw.clone(),
                        result_selector,
                        result_path,
                        result,
                        context,
                        vars,
                    )?
                };
                Ok(self.succeeded(out, state.next, given, assign))
            }
            Err(f) => Ok(self.handled(f, raw, context, vars, retry_count, (retry, catch))),
        }
    }

    /// An error as Retry and Catch would meet it.
    fn handled(
        &mut self,
        failure: Failure,
        raw: &Value,
        context: &Value,
        vars: &Vars<'_>,
        retry_count: u64,
        (retry, catch): (&[Retrier], &[Catcher]),
    ) -> TestStateOutcome {
        if failure.error == names::RUNTIME {
            return self.failed(failure);
        }
        if let Some((i, r)) = retry
            .iter()
            .enumerate()
            .find(|(_, r)| r.error_equals.iter().any(|e| failure.matches(e)))
            && retry_count < r.max_attempts
        {
            self.inspection.error_details = Some(ErrorDetails {
                retry_index: Some(i),
                retry_backoff_interval_seconds: Some(r.delay(retry_count + 1).as_secs()),
                catch_index: None,
            });
            return TestStateOutcome {
                status: TestStatus::Retriable,
                output: None,
                error: Some(failure.error),
                cause: failure.cause,
                next_state: None,
                inspection: self.inspection(),
            };
        }
        let Some((i, c)) = catch
            .iter()
            .enumerate()
            .find(|(_, c)| c.error_equals.iter().any(|e| failure.matches(e)))
        else {
            return self.failed(failure);
        };
        let error_output = failure.to_error_output();
        let seam = self.run.env.seam;
        let scope = Scope {
            error_output: Some(&error_output),
            ..Scope::new(seam, raw, context, vars)
        };
        let out = match &c.output {
            Some(t) => t.apply(&scope, names::RUNTIME),
            None => c.result_path.apply(raw.clone(), error_output.clone()),
        };
        let out = match out {
            Ok(out) => out,
            Err(f) => return self.failed(f),
        };
        self.inspection.error_details = Some(ErrorDetails {
            catch_index: Some(i),
            retry_index: None,
            retry_backoff_interval_seconds: None,
        });
        TestStateOutcome {
            status: TestStatus::CaughtError,
            output: Some(out),
            error: Some(failure.error),
            cause: failure.cause,
            next_state: self.name_of(Some(c.next)),
            inspection: self.inspection(),
        }
    }
}

/// A record for a test: nobody reads it.
pub(crate) fn record(
    input: &Value,
    config: &ExecutionConfig,
    seam: &crate::effects::Seam,
) -> Mutex<Record> {
    Mutex::new(Record::new(input, config, super::Readers::Nobody, seam))
}
