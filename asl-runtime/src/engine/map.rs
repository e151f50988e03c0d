//! Map states. Iterations start lazily, at most MaxConcurrency at a time (0: all at once), and
//! their results land in item order, so a Map over a million items holds only the iterations in
//! flight and the results (an iteration is polled once as it starts, and one that finishes then
//! is never in flight). Inline iterations run in the execution and appear in its history;
//! distributed ones (`ProcessorConfig.Mode: DISTRIBUTED`) run as child executions with their
//! own context object, under the tolerated-failure thresholds, and may read their items through
//! an ItemReader and hand their results to a ResultWriter. A failure beyond tolerance drops
//! (cancels) the iterations in flight.

use std::future::Future as _;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use serde_json::{Map, Value, json};

use super::map_input::{Item, Tolerance, batches, integer, into_items, movable_items};
use super::outcome::{StateInput, finish_result};
use super::task::missing_path;
use super::{Env, ExecutionConfig, HistoryLevel, Readers, Record, Run, Transition};
use crate::data::scope::Scope;
use crate::data::template::TASK_PATH_ERROR;
use crate::data::vars::Vars;
use crate::effects::{ChildRequest, ChildRun, Seam};
use crate::error::Failure;
use crate::history::{
    ErrorDetails, EventKind, MapIterationDetails, MapRunStartedDetails, MapStateStartedDetails,
};
use crate::items::{ChildResult, WriteRequest};
use crate::plan::{MapPlan, StatePlan};

const EXCEEDED: &str = "States.ExceedToleratedFailureThreshold";

/// The names of a distributed Map's run and of its child executions.
struct MapRun {
    /// What a child's record keeps: its input only where the processor reads `$$`.
    child_readers: Readers,
    arn: String,
    child_machine_arn: String,
    child_prefix: String,
}

impl MapRun {
    fn new(config: &ExecutionConfig, state: &StatePlan, plan: &MapPlan, id: uuid::Uuid) -> Self {
        let label = plan.label.as_deref().unwrap_or(&state.name);
        let machine = &config.state_machine_arn;
        MapRun {
            child_readers: if plan.processor.reads_context() {
                Readers::ContextObject
            } else {
                Readers::Nobody
            },
            arn: format!(
                "{}/{label}:{id}",
                machine.replacen(":stateMachine:", ":mapRun:", 1)
            ),
            child_machine_arn: format!("{machine}/{label}"),
            child_prefix: format!(
                "{}/{label}",
                machine.replacen(":stateMachine:", ":execution:", 1)
            ),
        }
    }
}

/// What one iteration left: its index, result, and (for a ResultWriter) its names and input.
struct Done {
    index: usize,
    result: Result<Value, Failure>,
    child: Option<(String, String, Value)>,
}

/// The iteration inputs: items still to pass through ItemSelector, or batches already made.
enum Source {
    Items(Vec<Item>),
    Ready(Vec<Value>),
}

impl Source {
    fn len(&self) -> usize {
        match self {
            Source::Items(i) => i.len(),
            Source::Ready(r) => r.len(),
        }
    }
}

impl Run<'_> {
    pub(super) async fn map(
        &self,
        state: &StatePlan,
        plan: &MapPlan,
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
            |raw, retry| self.map_attempt(state, plan, raw, retry, vars),
        )
        .await
    }

    async fn map_attempt(
        &self,
        state: &StatePlan,
        plan: &MapPlan,
        raw: Value,
        retry_count: u64,
        vars: &Vars<'_>,
    ) -> Result<(Value, Option<Map<String, Value>>), Failure> {
        let mut context = self.context(state, retry_count);
        let mut input = StateInput::new(
            self.env.seam,
            state,
            &plan.outcomes.result_path,
            raw,
            &context,
            vars,
        )?;
        let max = match &plan.max_concurrency {
            Some(a) => integer(
                a,
                &Scope::new(self.env.seam, input.effective(), &context, vars),
                "MaxConcurrency",
            )?,
            None => 0,
        };
        if max < 0 {
            return Err(Failure::runtime("MaxConcurrency cannot be negative."));
        }
        let items = match movable_items(state, plan) {
            Some(path) => {
                let found = path
                    .take_from(input.effective_mut())
                    .ok_or_else(|| missing_path(path))?;
                into_items(state, found)?
            }
            None => {
                self.items(
                    state,
                    plan,
                    &Scope::new(self.env.seam, input.effective(), &context, vars),
                )
                .await?
            }
        };
        let effective = input.effective();
        let scope = Scope::new(self.env.seam, effective, &context, vars);
        let length = items.len();
        self.event(|_| EventKind::MapStateStarted {
            details: MapStateStartedDetails {
                length: length as u64,
            },
        });
        let tolerance = Tolerance::of(plan, &scope)?;
        let run = plan
            .distributed
            .then(|| MapRun::new(self.config, state, plan, self.env.seam.uuid()));
        if let Some(r) = &run {
            self.event(|_| EventKind::MapRunStarted {
                details: MapRunStartedDetails {
                    map_run_arn: Some(r.arn.to_string()),
                },
            });
        }
        let result = self
            .iterate(
                state,
                plan,
                items,
                (effective, &mut context, vars),
                max as usize,
                tolerance,
                run.as_ref(),
            )
            .await;
        let (outputs, children) = match result {
            Ok(r) => r,
            Err(f) => {
                if run.is_some() {
                    self.event(|_| EventKind::MapRunFailed {
                        details: ErrorDetails {
                            error: Some(f.error.clone()),
                            cause: f.cause.clone(),
                        },
                    });
                }
                self.event(|_| EventKind::MapStateFailed);
                return Err(f);
            }
        };
        if run.is_some() {
            self.event(|_| EventKind::MapRunSucceeded);
        }
        self.event(|_| EventKind::MapStateSucceeded);
        let result = match (&plan.result_writer, &run) {
            (Some(w), Some(r)) => {
                let scope = Scope::new(self.env.seam, effective, &context, vars);
                let parameters = match &w.parameters {
                    Some(t) => t.apply(&scope, TASK_PATH_ERROR)?,
                    None => json!({}),
                };
                let request = WriteRequest {
                    resource: w.resource.as_deref().map(str::to_owned),
                    parameters,
                    writer_config: w.writer_config.clone(),
                    map_run_arn: r.arn.clone(),
                    state_machine_arn: r.child_machine_arn.clone(),
                    results: children,
                };
                let details = match self.env.writer {
                    Some(writer) => writer.write(&request).await.map_err(|f| {
                        if f.error.starts_with("States.") {
                            f
                        } else {
                            Failure::new("States.ResultWriterFailed", f.to_string())
                        }
                    })?,
                    None => {
                        return Err(Failure::new(
                            "States.ResultWriterFailed",
                            "The machine has no result writer: give it one with Machine::with_result_writer (LocalFiles writes to a folder)",
                        ));
                    }
                };
                json!({"MapRunArn": r.arn, "ResultWriterDetails": details})
            }
            _ => Value::Array(outputs),
        };
        finish_result(
            self.env.seam,
            state,
            plan.outcomes.selector_and_place(),
            input.into_raw(),
            result,
            &context,
            vars,
        )
    }

    /// Runs the iterations; returns the outputs in item order and, when a ResultWriter wants
    /// them, every child's result.
    #[allow(clippy::too_many_arguments)]
    async fn iterate(
        &self,
        state: &StatePlan,
        plan: &MapPlan,
        items: Vec<Item>,
        (effective, context, vars): (&Value, &mut Value, &Vars<'_>),
        max: usize,
        tolerance: Tolerance,
        run: Option<&MapRun>,
    ) -> Result<(Vec<Value>, Vec<ChildResult>), Failure> {
        let mut source = match &plan.item_batcher {
            Some(b) => {
                let selected = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        select_item(
                            self.env.seam,
                            state,
                            plan,
                            (effective, &mut *context, vars),
                            i,
                            item,
                        )
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Source::Ready(batches(
                    b,
                    selected,
                    &Scope::new(self.env.seam, effective, context, vars),
                )?)
            }
            None => Source::Items(items),
        };
        let n = source.len();
        let limit = if max == 0 { usize::MAX } else { max };
        let keep = run.is_some() && plan.result_writer.is_some();
        let mut outputs = vec![Value::Null; n];
        let mut children = Vec::new();
        let mut in_flight = FuturesUnordered::new();
        // Iterations that finished when first polled, waiting to be recorded in item order
        // once the window of MaxConcurrency is full.
        let mut finished: std::collections::VecDeque<Done> = std::collections::VecDeque::new();
        // Which iterations are in flight, for the MapIterationAborted events of a failure.
        let mut running = vec![false; n];
        let mut next = 0;
        let mut failed = 0u64;
        let at_once = run.is_none() && plan.processor.finishes_at_once();
        loop {
            while in_flight.len() + finished.len() < limit && next < n {
                let input = match &mut source {
                    Source::Items(items) => {
                        let item = Item {
                            key: items[next].key.take(),
                            value: items[next].value.take(),
                        };
                        select_item(
                            self.env.seam,
                            state,
                            plan,
                            (effective, &mut *context, vars),
                            next,
                            item,
                        )?
                    }
                    Source::Ready(inputs) => inputs[next].take(),
                };
                if run.is_none() {
                    self.event(|_| EventKind::MapIterationStarted {
                        details: iteration(state, next),
                    });
                }
                running[next] = true;
                if at_once {
                    // A processor of Pass, Choice, Succeed and Fail states: run right here,
                    // without a future, and recorded before the next one starts (as nothing
                    // runs beside it), so a Map over many items holds only their results.
                    let result = self.states_at_once(
                        &plan.processor.states,
                        plan.processor.start,
                        input,
                        Some(vars),
                    );
                    finished.push_back(self.inline_done(state, next, result));
                    next += 1;
                    break;
                }
                // Polled once before it joins the others: an iteration that finishes at once
                // (handlers that answer without waiting) never waits in the set, so a Map over
                // many such items holds its results, not the futures of all its iterations.
                let mut iteration =
                    Box::pin(self.iteration(state, plan, next, input, run, keep, vars));
                next += 1;
                let first =
                    std::future::poll_fn(|cx| std::task::Poll::Ready(iteration.as_mut().poll(cx)))
                        .await;
                match first {
                    std::task::Poll::Ready(done) => finished.push_back(done),
                    std::task::Poll::Pending => in_flight.push(iteration),
                }
            }
            let done = match finished.pop_front() {
                Some(done) => done,
                None => match in_flight.next().await {
                    Some(done) => done,
                    None => break,
                },
            };
            running[done.index] = false;
            if let Some((name, arn, input)) = done.child {
                let (status, output, error, cause) = match &done.result {
                    Ok(v) => ("SUCCEEDED", Some(v.clone()), None, None),
                    Err(f) => ("FAILED", None, Some(f.error.clone()), f.cause.clone()),
                };
                children.push(ChildResult {
                    index: done.index,
                    name,
                    execution_arn: arn,
                    input,
                    status,
                    output,
                    error,
                    cause,
                });
            }
            match done.result {
                Ok(v) => outputs[done.index] = v,
                Err(f) => {
                    failed += 1;
                    if tolerance.exceeded(failed, n) {
                        // Dropping the iterations in flight cancels them where they stand.
                        drop(in_flight);
                        if run.is_none() {
                            for index in (0..n).filter(|&i| running[i]) {
                                self.event(|_| EventKind::MapIterationAborted {
                                    details: iteration(state, index),
                                });
                            }
                        }
                        return Err(if run.is_some() || tolerance.is_set() {
                            Failure::new(
                                EXCEEDED,
                                "The specified tolerated failure threshold was exceeded",
                            )
                        } else {
                            f
                        });
                    }
                }
            }
        }
        children.sort_by_key(|c| c.index);
        Ok((outputs, children))
    }

    #[allow(clippy::too_many_arguments)]
    async fn iteration(
        &self,
        state: &StatePlan,
        plan: &MapPlan,
        index: usize,
        input: Value,
        run: Option<&MapRun>,
        keep: bool,
        vars: &Vars<'_>,
    ) -> Done {
        let body = &plan.processor;
        let Some(run) = run else {
            let result = self
                .states(&body.states, body.start, input, Some(vars))
                .await;
            return self.inline_done(state, index, result);
        };
        // Boxed, so the iteration futures of inline Maps stay small.
        Box::pin(self.child(plan, index, input, run, keep)).await
    }

    /// An inline iteration's end: its event and result.
    fn inline_done(&self, state: &StatePlan, index: usize, result: Result<Value, Failure>) -> Done {
        match &result {
            Ok(_) => self.event(|_| EventKind::MapIterationSucceeded {
                details: iteration(state, index),
            }),
            Err(_) => self.event(|_| EventKind::MapIterationFailed {
                details: iteration(state, index),
            }),
        };
        Done {
            index,
            result,
            child: None,
        }
    }

    /// A distributed iteration: a child execution with its own names, context object and
    /// event ids; its history is not kept.
    async fn child(
        &self,
        plan: &MapPlan,
        index: usize,
        input: Value,
        run: &MapRun,
        keep: bool,
    ) -> Done {
        let body = &plan.processor;
        let name = self.env.seam.uuid().to_string();
        let config = ExecutionConfig {
            state_machine_name: self.config.state_machine_name.clone(),
            state_machine_arn: run.child_machine_arn.clone(),
            execution_name: name.clone(),
            execution_arn: format!("{}:{name}", run.child_prefix),
            role_arn: self.config.role_arn.clone(),
            clock: self.config.clock,
            history: HistoryLevel::Off,
            effects: self.config.effects.clone(),
            budget: Some(*self.env.seam.budget()),
            history_limit: self.config.history_limit,
            test_case: self.config.test_case.clone(),
        };
        let kept = keep.then(|| input.clone());
        let parts = ChildParts {
            seam: self.env.seam,
            tasks: self.env.tasks,
            tokens: self.env.tokens,
            reader: self.env.reader,
            writer: self.env.writer,
            trace: self.env.trace,
            waits: self.env.waits,
        };
        // Only an implementation of the seam may run it elsewhere (as a Temporal child
        // workflow); it needs the Map's number to name it there.
        let elsewhere = match self.env.seam.is_live() {
            true => None,
            false => self.plan.distributed_map_number(plan),
        };
        let here = match elsewhere {
            Some(map) => self.env.seam.child(ChildRequest {
                map,
                input,
                execution_name: &name,
                execution_arn: &config.execution_arn,
                state_machine_arn: &run.child_machine_arn,
            }),
            None => ChildRun::Here(input),
        };
        let result = match here {
            ChildRun::Here(input) => {
                run_child(self.plan, body, parts, input, &config, run.child_readers).await
            }
            ChildRun::Elsewhere(ended) => ended.await,
        };
        Done {
            index,
            result,
            child: kept.map(|input| (name, config.execution_arn.clone(), input)),
        }
    }
}

/// What a child execution reaches besides its plan: its parent's (or its machine's) seam,
/// handlers, tokens and item reader and writer.
#[derive(Clone, Copy)]
pub(crate) struct ChildParts<'a> {
    pub(crate) seam: &'a Seam,
    pub(crate) tasks: &'a dyn crate::task::Dispatch,
    pub(crate) tokens: Option<&'a crate::tokens::TokenRegistry>,
    pub(crate) reader: Option<&'a dyn crate::items::ItemReader>,
    pub(crate) writer: Option<&'a dyn crate::items::ResultWriter>,
    pub(crate) trace: Option<&'a crate::trace::Trace>,
    pub(crate) waits: crate::time::Waits,
}

/// A distributed Map's child execution, run here: its own names, context object (its record
/// holds its input where the context object reports it) and event ids; its history is not
/// kept, and it does not see the parent's variables.
pub(crate) async fn run_child(
    plan: &crate::plan::Plan,
    body: &crate::plan::Body,
    parts: ChildParts<'_>,
    input: Value,
    config: &ExecutionConfig,
    readers: Readers,
) -> Result<Value, Failure> {
    let record = Record::new(&input, config, readers, parts.seam);
    let start_time = record.description.start_date;
    let record = Mutex::new(record);
    let child = Run {
        // Event 1 is the child's ExecutionStarted.
        next_event: AtomicU64::new(2),
        history_limit: config.history_limit.unwrap_or(u64::MAX),
        shared_names: std::sync::OnceLock::new(),
        plan,
        env: Env {
            seam: parts.seam,
            start_time,
            watched: false,
            tasks: parts.tasks,
            tokens: parts.tokens,
            record: &record,
            reader: parts.reader,
            writer: parts.writer,
            trace: parts.trace,
            waits: parts.waits,
        },
        config,
    };
    child.states(&body.states, body.start, input, None).await
}

/// An iteration's input: ItemSelector (or the legacy Parameters) with `$$.Map.Item` in the
/// context object (set for the call and taken out again, so the context is not copied per
/// item), or the item itself.
fn select_item(
    seam: &Seam,
    state: &StatePlan,
    plan: &MapPlan,
    (effective, context, vars): (&Value, &mut Value, &Vars<'_>),
    index: usize,
    item: Item,
) -> Result<Value, Failure> {
    let Some(selector) = &plan.item_selector else {
        return Ok(item.value);
    };
    if state.uses_context {
        let mut entry = json!({"Index": index, "Value": item.value});
        if let Some(k) = item.key {
            entry["Key"] = Value::String(k);
        }
        context["Map"] = json!({"Item": entry});
    }
    let selected = selector.apply(&Scope::new(seam, effective, context, vars), TASK_PATH_ERROR);
    if let Value::Object(c) = context {
        c.remove("Map");
    }
    selected
}

/// A Map iteration event's details.
fn iteration(state: &StatePlan, index: usize) -> MapIterationDetails {
    MapIterationDetails {
        name: state.name.clone(),
        index: index as u64,
    }
}
