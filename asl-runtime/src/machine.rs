//! A runnable machine (a generated plan with its handlers) and its executions: start, await,
//! describe, stop, list, read the history, and answer task tokens.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::sync::watch;

use crate::budget::Budget;
use crate::definition::Definition;
use crate::effects::{Durable, Entry, Seam, TaskOrder, TaskResult};
use crate::engine::{Description, Env, ExecutionConfig, Outcome, Readers, Record, Status, run};
use crate::error::Failure;
use crate::handler::BoxHandler;
use crate::history::Event;
use crate::items::{ItemReader, ResultWriter};
use crate::mock::{MockConfig, Mocked, TestCase};
use crate::plan::Plan;
use crate::store::{Store, StoreError};
use crate::task::{BoxFuture, Dispatch, Heartbeat, TaskCall};
use crate::tokens::{Signal, TokenError, TokenRegistry};
use crate::trace::Trace;

/// The handlers, borrowed for one execution, and the test case it runs under.
struct Table<'h> {
    handlers: &'h [BoxHandler],
    mocked: Option<(Mocked, Option<&'h TokenRegistry>)>,
}

impl<'h> Table<'h> {
    fn new(handlers: &'h [BoxHandler]) -> Self {
        Table {
            handlers,
            mocked: None,
        }
    }
}

impl Dispatch for Table<'_> {
    fn call<'a>(
        &'a self,
        handler: usize,
        input: Value,
        call: &TaskCall<'_>,
    ) -> BoxFuture<'a, Result<Value, Failure>> {
        if let Some((mocked, tokens)) = &self.mocked
            && let Some(answer) = mocked.answer(call.state_name())
        {
            // A mocked `.waitForTaskToken` state gets its token, answered with the mock.
            if let (Some(token), Some(tokens)) = (call.task_token(), tokens) {
                let signal = match answer {
                    Ok(output) => Signal::Success { output },
                    Err(failure) => Signal::Failure { failure },
                };
                let _ = tokens.send(token, signal);
                return Box::pin(std::future::ready(Ok(Value::Null)));
            }
            return Box::pin(std::future::ready(answer));
        }
        match self.handlers.get(handler) {
            Some(h) => h(input, call),
            None => Box::pin(std::future::ready(Err(Failure::new(
                "States.Runtime",
                format!("no handler number {handler}"),
            )))),
        }
    }
}

/// An execution about to start: its input, configuration, seam and record.
struct Prepared {
    input: Value,
    config: ExecutionConfig,
    seam: Seam,
    record: Record,
}

/// A running execution as the machine sees it: its record, and how to stop it.
struct Running {
    record: Arc<Mutex<Record>>,
    stop: Arc<StopSender>,
}

/// Tells an execution to stop, with an error and a cause.
type StopSender = watch::Sender<Option<(Option<String>, Option<String>)>>;

#[derive(Default)]
struct Shared {
    tokens: TokenRegistry,
    running: Mutex<HashMap<String, Running>>,
    started: AtomicU64,
}

/// A state machine ready to run: what `Builder::build()` of a generated type returns. Cheap to
/// clone; clones share executions and task tokens.
#[derive(Clone)]
pub struct Machine {
    name: &'static str,
    definition: &'static Definition,
    plan: &'static Plan,
    /// Whether the plan reads the context object, whose `Execution.Input` needs the input kept.
    reads_context: bool,
    handlers: Arc<[BoxHandler]>,
    reader: Option<Arc<dyn ItemReader>>,
    writer: Option<Arc<dyn ResultWriter>>,
    /// The budget of each JSONata evaluation, unless an execution's configuration sets one.
    budget: Budget,
    /// Where executions are kept beyond the process, if anywhere.
    store: Option<Arc<dyn Store>>,
    /// The test cases executions may run under.
    mocks: Option<Arc<MockConfig>>,
    /// How long Wait states and Retry back-offs take.
    waits: crate::time::Waits,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Machine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Machine")
            .field("name", &self.name)
            .field("states", &self.plan.states.len())
            .finish()
    }
}

impl Machine {
    /// Used by generated code: a machine from its plan and handler table (one per Task state,
    /// in the order the generator numbered them).
    #[doc(hidden)]
    pub fn from_parts(
        name: &'static str,
        definition: &'static Definition,
        plan: &'static Plan,
        handlers: Vec<BoxHandler>,
    ) -> Self {
        Machine {
            name,
            definition,
            plan,
            reads_context: plan.reads_context(),
            handlers: handlers.into(),
            reader: None,
            writer: None,
            budget: Budget::DEFAULT,
            store: None,
            mocks: None,
            waits: crate::time::Waits::Real,
            shared: Arc::default(),
        }
    }

    /// The machine with `store` keeping its executions: each one's description is recorded
    /// when it starts (an execution the store cannot record does not start: it fails with the
    /// store's error), its outcome and history when it ends, and [`describe_execution`],
    /// [`list_executions`] and [`execution_history`] read executions that ended before this
    /// process started.
    ///
    /// [`describe_execution`]: Self::describe_execution
    /// [`list_executions`]: Self::list_executions
    /// [`execution_history`]: Self::execution_history
    pub fn with_store(mut self, store: Arc<dyn Store>) -> Self {
        self.store = Some(store);
        self
    }

    /// The machine with `budget` for each evaluation of a JSONata expression (an execution's
    /// [`ExecutionConfig::budget`] overrides it). [`Budget::DEFAULT`] otherwise: one second,
    /// 64 MiB, 1,000 levels.
    pub fn with_budget(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }

    /// The machine with `reader` supplying the items of Map states that have an `ItemReader`
    /// (for example [`LocalFiles`](crate::items::LocalFiles), which reads a folder as S3).
    pub fn with_item_reader(mut self, reader: impl ItemReader + 'static) -> Self {
        self.reader = Some(Arc::new(reader));
        self
    }

    /// The machine with `writer` storing the results of Map states that have a
    /// `ResultWriter`.
    pub fn with_result_writer(mut self, writer: impl ResultWriter + 'static) -> Self {
        self.writer = Some(Arc::new(writer));
        self
    }

    /// The machine with the test cases of `mocks` (Step Functions Local's mock configuration
    /// file, see [`crate::mock`]): an execution whose [`ExecutionConfig::test_case`] names one
    /// of this machine's test cases answers the Task states it mocks with their mocked
    /// responses. Test cases are looked up under the execution's state machine name.
    pub fn with_mocks(mut self, mocks: MockConfig) -> Self {
        self.mocks = Some(Arc::new(mocks));
        self
    }

    /// The test case `config` asks for, if any.
    fn test_case(&self, config: &ExecutionConfig) -> Result<Option<TestCase>, String> {
        let Some(case) = &config.test_case else {
            return Ok(None);
        };
        let Some(mocks) = &self.mocks else {
            return Err(format!(
                "the execution asks for the test case '{case}', and the machine {} has no mock configuration (Machine::with_mocks)",
                self.name
            ));
        };
        mocks.test_case(&config.state_machine_name, case).map(Some)
    }

    /// The handler table of an execution under `config`, answering tokens through `tokens`.
    fn table<'h>(
        &'h self,
        config: &ExecutionConfig,
        tokens: Option<&'h TokenRegistry>,
    ) -> Table<'h> {
        let mut table = Table::new(&self.handlers);
        // Asked for test cases were checked when the execution started.
        if let Ok(Some(case)) = self.test_case(config) {
            table.mocked = Some((Mocked::new(case), tokens));
        }
        table
    }

    /// Whether an execution's decisions are traced: when its history is kept, or coverage is
    /// collected.
    fn traced(&self, config: &ExecutionConfig) -> bool {
        config.history != crate::HistoryLevel::Off || crate::coverage::collect::enabled()
    }

    /// The machine with its Wait states and Retry back-offs taking `waits` instead of the
    /// time they ask for (timeouts keep theirs): for tests through a server or another
    /// process, where tokio's clock cannot be paused.
    pub fn with_waits(mut self, waits: crate::time::Waits) -> Self {
        self.waits = waits;
        self
    }

    /// Runs the state named `state` on its own, as AWS's TestState API does: its input and
    /// result processing with what each step made (at [`InspectionLevel::Debug`]), its
    /// handler called (or `input.mock` answering instead), where it would go next, and how
    /// Retry and Catch would meet an error (reported as `RETRIABLE` or `CAUGHT_ERROR`, not
    /// performed). Wait states do not wait.
    ///
    /// [`InspectionLevel::Debug`]: crate::engine::test_state::InspectionLevel::Debug
    pub async fn test_state(
        &self,
        state: &str,
        input: crate::engine::test_state::TestStateInput,
    ) -> Result<
        crate::engine::test_state::TestStateOutcome,
        crate::engine::test_state::TestStateError,
    > {
        let mut config =
            ExecutionConfig::new(self.name, &format!("test-state-{}", uuid::Uuid::new_v4()));
        config.history = crate::HistoryLevel::Off;
        let seam = Seam::new(config.clock, None).with_budget(self.budget);
        let record = crate::engine::test_state::record(&input.input, &config, &seam);
        let table = self.table(&config, None);
        let env = Env {
            seam: &seam,
            start_time: seam.now(),
            watched: false,
            tasks: &table,
            tokens: None,
            record: &record,
            reader: self.reader.as_deref(),
            writer: self.writer.as_deref(),
            trace: None,
            waits: self.waits,
        };
        crate::engine::test_state::test_state(self.plan, env, &config, state, input).await
    }

    /// The machine's name (its type's name).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The definition it was generated from (its states, and its JSON text).
    pub fn definition(&self) -> &'static Definition {
        self.definition
    }

    /// The plan it runs.
    pub fn plan(&self) -> &'static Plan {
        self.plan
    }

    fn next_name(&self) -> String {
        format!(
            "execution-{}",
            self.shared.started.fetch_add(1, Ordering::Relaxed) + 1
        )
    }

    /// Runs an execution to its end, in the calling task, with a generated name and the
    /// system clock. (`.waitForTaskToken` tasks need [`start`](Self::start).)
    pub async fn run(&self, input: Value) -> Outcome {
        let config = ExecutionConfig::new(self.name, &self.next_name());
        self.run_with(input, &config).await
    }

    /// Like [`run`](Self::run), with the given names, ARNs and clock.
    pub async fn run_with(&self, input: Value, config: &ExecutionConfig) -> Outcome {
        if let Err(e) = self.test_case(config) {
            return not_run(Failure::new(crate::error::names::RUNTIME, e));
        }
        let (durable_config, durable) = if self.store.is_some() {
            let (c, d) = self.durable(config.clone(), None);
            (Some(c), d)
        } else {
            (None, None)
        };
        let config = durable_config.as_ref().unwrap_or(config);
        // The engine boxes the states' future, so this one stays about a kilobyte (the record
        // and the stop machinery) and is not boxed again.
        // Nobody but the execution sees this record: it keeps the input only for `$$`.
        // A store keeps the whole description.
        let readers = if self.store.is_some() {
            Readers::Watchers
        } else if self.reads_context {
            Readers::ContextObject
        } else {
            Readers::Nobody
        };
        let seam = Seam::new(config.clock, config.effects.as_ref())
            .with_budget(config.budget.unwrap_or(self.budget));
        let record = Record::new(&input, config, readers, &seam);
        let start_time = record.description.start_date;
        // The caller awaits the outcome, so the execution is recorded only when it first
        // needs to be (before its first effect that leaves the process), or when it ends.
        let started = match (&self.store, &durable) {
            (Some(store), Some(durable)) => match store.describe(&config.execution_arn) {
                Ok(None) => {
                    durable.defer_start(record.description.clone());
                    Some(record.description.clone())
                }
                Ok(Some(_)) => {
                    return not_started(&StoreError(format!(
                        "ExecutionAlreadyExists: the store keeps an execution {} already",
                        config.execution_arn
                    )));
                }
                Err(e) => return not_started(&e),
            },
            _ => None,
        };
        let record = Mutex::new(record);
        // Effects that deliver token answers themselves let this execution issue tokens; the
        // registry only keeps which tokens it issued.
        let own_tokens = seam.answers_tokens().then(TokenRegistry::default);
        let table = self.table(config, own_tokens.as_ref());
        let trace = self.traced(config).then(Trace::default);
        let env = Env {
            seam: &seam,
            start_time,
            watched: false,
            tasks: &table,
            tokens: own_tokens.as_ref(),
            record: &record,
            reader: self.reader.as_deref(),
            writer: self.writer.as_deref(),
            trace: trace.as_ref(),
            waits: self.waits,
        };
        let outcome = run(self.plan, env, input, config, std::future::pending()).await;
        crate::coverage::collect::observe(self.name, self.definition, self.plan, &outcome);
        if let (Some(started), Some(store), Some(durable)) = (started, &self.store, &durable) {
            let ended = ended(started, &outcome, config.clock.now());
            let history = outcome.history.events();
            let written = match durable.take_deferred_start() {
                Some(_) => store.record(&ended, history),
                None => store.finish_later(&ended, history).await,
            };
            if let Err(e) = written {
                tracing::error!(execution = %ended.execution_arn, error = %e, "the store could not record how the execution ended");
            }
        }
        outcome
    }

    /// Makes the handler call `order` describes (one a backend that runs handlers away from
    /// their executions received; see [`TaskRequest::to_order`]), with `heartbeat` carrying the
    /// handler's heartbeats back. A panic in the handler is the task's `States.TaskFailed`, as
    /// when the engine calls it.
    ///
    /// [`TaskRequest::to_order`]: crate::effects::TaskRequest::to_order
    pub fn perform(
        &self,
        order: TaskOrder,
        heartbeat: Heartbeat,
    ) -> BoxFuture<'static, TaskResult> {
        let Some(handler) = self.handlers.get(order.handler) else {
            return Box::pin(std::future::ready(Err(Failure::runtime(format!(
                "The machine {} has no Task handler number {} (state '{}'): the worker runs another version of it",
                self.name, order.handler, order.state_name
            )))));
        };
        let state_name: Arc<str> = order.state_name.as_str().into();
        let resource: Arc<str> = order.resource.as_str().into();
        let shared_names = std::sync::OnceLock::new();
        let call = TaskCall {
            execution_name: &order.execution_name,
            execution_arn: &order.execution_arn,
            shared_names: &shared_names,
            state_name: &state_name,
            resource: &resource,
            retry_count: order.retry_count,
            scheduled_event: order.scheduled_event_id,
            task_token: order.task_token.as_deref(),
            credentials: order.credentials.as_ref(),
            heartbeat: &heartbeat,
            timeout_seconds: order.timeout_seconds,
            invokes: crate::handler::lambda::kind(&order.resource),
        };
        let started =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(order.input, &call)));
        match started {
            Ok(future) => Box::pin(async move {
                use futures_util::FutureExt as _;
                std::panic::AssertUnwindSafe(future)
                    .catch_unwind()
                    .await
                    .unwrap_or_else(|payload| Err(crate::handler::panicked(&state_name, payload)))
            }),
            Err(payload) => Box::pin(std::future::ready(Err(crate::handler::panicked(
                &order.state_name,
                payload,
            )))),
        }
    }

    /// Runs the child execution of distributed Map number `map` (see
    /// [`Plan::distributed_maps`](crate::plan::Plan::distributed_maps)) on `input`, under
    /// `config`'s names and effects, as the Map would run it here: what a backend that ran it
    /// elsewhere ([`Effects::child`](crate::effects::Effects::child)) calls there. Its output,
    /// or the failure it ended with.
    pub async fn run_child(
        &self,
        map: usize,
        input: Value,
        config: &ExecutionConfig,
    ) -> TaskResult {
        let Some(map_plan) = self.plan.distributed_maps().get(map).copied() else {
            return Err(Failure::runtime(format!(
                "The machine {} has no distributed Map number {map}: the worker runs another version of it",
                self.name
            )));
        };
        let seam = Seam::new(config.clock, config.effects.as_ref())
            .with_budget(config.budget.unwrap_or(self.budget));
        let own_tokens = seam.answers_tokens().then(TokenRegistry::default);
        let table = self.table(config, own_tokens.as_ref());
        let readers = if map_plan.processor.reads_context() {
            Readers::ContextObject
        } else {
            Readers::Nobody
        };
        let parts = crate::engine::ChildParts {
            seam: &seam,
            tasks: &table,
            tokens: own_tokens.as_ref(),
            reader: self.reader.as_deref(),
            writer: self.writer.as_deref(),
            trace: None,
            waits: self.waits,
        };
        crate::engine::run_child(
            self.plan,
            &map_plan.processor,
            parts,
            input,
            config,
            readers,
        )
        .await
    }

    /// Records how an execution ended; a store that fails here is reported, the outcome
    /// stands.
    /// The store may commit it with other executions' (group commit).
    async fn store_finish(&self, description: &Description, history: &[Event]) {
        let Some(store) = &self.store else {
            return;
        };
        if let Err(e) = store.finish_later(description, history).await {
            tracing::error!(execution = %description.execution_arn, error = %e, "the store could not record how the execution ended");
        }
    }

    /// The execution with this ARN: a running one as it is now, else as the store keeps it.
    pub fn describe_execution(
        &self,
        execution_arn: &str,
    ) -> Result<Option<Description>, StoreError> {
        if let Some(r) = lock(&self.shared.running).get(execution_arn) {
            return Ok(Some(lock(&r.record).description.clone()));
        }
        match &self.store {
            Some(store) => store.describe(execution_arn),
            None => Ok(None),
        }
    }

    /// The executions the store keeps of the state machine with this ARN (newest first), with
    /// `status` only when it is given; the running ones (without a store, only those).
    pub fn list_executions(
        &self,
        state_machine_arn: &str,
        status: Option<Status>,
    ) -> Result<Vec<Description>, StoreError> {
        let running: HashMap<String, Description> = self
            .running()
            .into_iter()
            .filter(|d| d.state_machine_arn == state_machine_arn)
            .map(|d| (d.execution_arn.clone(), d))
            .collect();
        let mut all = match &self.store {
            // The store's order (newest first, ties in the order recorded), each running
            // execution as it is now.
            Some(store) => {
                let mut kept = store.list(state_machine_arn, None)?;
                for d in &mut kept {
                    if let Some(now) = running.get(&d.execution_arn) {
                        *d = now.clone();
                    }
                }
                let listed: std::collections::HashSet<String> =
                    kept.iter().map(|d| d.execution_arn.clone()).collect();
                let mut missing: Vec<Description> = running
                    .into_values()
                    .filter(|d| !listed.contains(&d.execution_arn))
                    .collect();
                missing.sort_by_key(|d| std::cmp::Reverse(d.start_date));
                missing.extend(kept);
                missing
            }
            None => {
                let mut all: Vec<Description> = running.into_values().collect();
                all.sort_by_key(|d| std::cmp::Reverse(d.start_date));
                all
            }
        };
        all.retain(|d| status.is_none_or(|s| d.status == s));
        Ok(all)
    }

    /// The history of the execution with this ARN: a running one's so far, else the store's.
    pub fn execution_history(&self, execution_arn: &str) -> Result<Vec<Event>, StoreError> {
        if let Some(r) = lock(&self.shared.running).get(execution_arn) {
            return Ok(lock(&r.record).history.events().to_vec());
        }
        match &self.store {
            Some(store) => store.history(execution_arn),
            None => Ok(Vec::new()),
        }
    }

    /// Starts an execution on the tokio runtime and returns its handle. `name` may be empty
    /// for a generated one.
    pub fn start(&self, name: &str, input: Value) -> Execution {
        let name = if name.is_empty() {
            self.next_name()
        } else {
            name.to_owned()
        };
        self.start_with(input, ExecutionConfig::new(self.name, &name))
    }

    /// Starts an execution with the given names, ARNs and clock. An execution the store cannot
    /// record (its name is taken, the disk is full) ends at once, failed with the store's
    /// reason; [`start_execution`](Self::start_execution) reports that as an error instead.
    pub fn start_with(&self, input: Value, config: ExecutionConfig) -> Execution {
        let arn = config.execution_arn.clone();
        if let Err(e) = self.test_case(&config) {
            return Execution::not_started(
                arn,
                not_run(Failure::new(crate::error::names::RUNTIME, e)),
            );
        }
        let (config, durable) = self.durable(config, None);
        match self.launch(input, config, durable, true) {
            Ok(execution) => execution,
            Err(e) => Execution::not_started(arn, not_started(&e)),
        }
    }

    /// Starts an execution as AWS's StartExecution does for a Standard workflow: an execution
    /// of the same ARN (the same name) that is still running with the same input is returned
    /// as it is (`execution` is `None`: this call started nothing); one that ended, or runs
    /// with another input, is [`StartError::AlreadyExists`]. Closed executions are remembered
    /// as long as the store keeps them (90 days by default, as AWS); without a store, only
    /// running ones are.
    pub fn start_execution(
        &self,
        input: Value,
        config: ExecutionConfig,
    ) -> Result<Started, StartError> {
        let arn = config.execution_arn.clone();
        self.test_case(&config).map_err(StartError::TestCase)?;
        if let Some(started) = self.existing(&arn, &input)? {
            return Ok(started);
        }
        let (config, durable) = self.durable(config, None);
        match self.launch(input.clone(), config, durable, true) {
            Ok(execution) => Ok(Started {
                description: execution.describe(),
                execution: Some(execution),
            }),
            // Started by someone else between the look and the start: as if looked after.
            Err(e) => match self.existing(&arn, &input)? {
                Some(started) => Ok(started),
                None => {
                    tracing::warn!(execution = %arn, error = %e, "the store could not record a starting execution");
                    Err(StartError::Store(e))
                }
            },
        }
    }

    /// [`start_execution`](Self::start_execution), recording the start through
    /// [`Store::start_later`]: a store may commit the starts of many callers together (group
    /// commit), so a server answering many StartExecution calls at once does not wait for the
    /// disk once per call. Returns once the start is durable.
    pub async fn start_execution_async(
        &self,
        input: Value,
        config: ExecutionConfig,
    ) -> Result<Started, StartError> {
        let arn = config.execution_arn.clone();
        self.test_case(&config).map_err(StartError::TestCase)?;
        if let Some(started) = self.existing(&arn, &input)? {
            return Ok(started);
        }
        let (config, durable) = self.durable(config, None);
        let prepared = self.prepare(input.clone(), config);
        if let Some(store) = &self.store {
            let recorded = store.start_later(&prepared.record.description).await;
            if let Err(e) = recorded {
                // Started by someone else meanwhile: as if looked after.
                return match self.existing(&arn, &input)? {
                    Some(started) => Ok(started),
                    None => Err(StartError::Store(e)),
                };
            }
        }
        let execution = self.spawn_prepared(prepared, durable);
        Ok(Started {
            description: execution.describe(),
            execution: Some(execution),
        })
    }

    /// The execution of this ARN as a start of it with `input` finds it: running with the same
    /// input (`Ok(Some)`: that execution), absent (`Ok(None)`), or else taken.
    fn existing(&self, arn: &str, input: &Value) -> Result<Option<Started>, StartError> {
        match self.describe_execution(arn).map_err(StartError::Store)? {
            Some(d) if d.status == Status::Running && d.input == *input => Ok(Some(Started {
                description: d,
                execution: None,
            })),
            Some(d) => Err(StartError::AlreadyExists(d.execution_arn)),
            None => Ok(None),
        }
    }

    /// `config` with its effects written to the store, if the machine has one: a new
    /// execution's (`recorded` is `None`) or one resumed with the answers `recorded` before;
    /// and those effects, for a new execution (told when the store keeps it).
    fn durable(
        &self,
        mut config: ExecutionConfig,
        recorded: Option<Vec<Entry>>,
    ) -> (ExecutionConfig, Option<Arc<Durable>>) {
        let Some(store) = &self.store else {
            return (config, None);
        };
        let live: Arc<dyn crate::effects::Effects> = match config.effects.take() {
            Some(e) => e,
            None => Arc::new(crate::effects::Live {
                clock: config.clock,
            }),
        };
        let arn = config.execution_arn.clone();
        match recorded {
            Some(recorded) => {
                config.effects = Some(Arc::new(Durable::resume(
                    live,
                    store.clone(),
                    &arn,
                    recorded,
                )));
                (config, None)
            }
            None => {
                let durable = Arc::new(Durable::new(live, store.clone(), &arn));
                config.effects = Some(durable.clone());
                (config, Some(durable))
            }
        }
    }

    /// Resumes every execution of this machine that the store keeps as RUNNING (after a
    /// crash or a restart): each replays the answers recorded before (no handler whose result
    /// was recorded is called again, no timer starts over) and goes on live. Returns the
    /// resumed executions.
    pub fn resume(&self) -> Result<Vec<Execution>, StoreError> {
        let machine_arn = ExecutionConfig::new(self.name, "").state_machine_arn;
        self.resume_with(&machine_arn, |d| {
            let mut config = ExecutionConfig::new(self.name, &d.name);
            config.state_machine_arn = d.state_machine_arn.clone();
            config.execution_arn = d.execution_arn.clone();
            config
        })
    }

    /// [`resume`](Self::resume) for the executions of the state machine with this ARN (a
    /// machine served under other names, as a server does), each with the configuration
    /// `config` makes of its description (its names and ARNs as they started).
    pub fn resume_with(
        &self,
        state_machine_arn: &str,
        config: impl Fn(&Description) -> ExecutionConfig,
    ) -> Result<Vec<Execution>, StoreError> {
        let Some(store) = &self.store else {
            return Ok(Vec::new());
        };
        let mut resumed = Vec::new();
        for d in store.list(state_machine_arn, Some(Status::Running))? {
            if lock(&self.shared.running).contains_key(&d.execution_arn) {
                continue;
            }
            let journal = store.journal(&d.execution_arn)?;
            let (config, _) = self.durable(config(&d), Some(journal));
            resumed.push(self.spawn_resumed(d.input, config));
        }
        Ok(resumed)
    }

    /// Starts an execution the store keeps already.
    fn spawn_resumed(&self, input: Value, config: ExecutionConfig) -> Execution {
        let arn = config.execution_arn.clone();
        match self.launch(input, config, None, false) {
            Ok(execution) => execution,
            Err(e) => Execution::not_started(arn, not_started(&e)),
        }
    }

    /// Starts an execution on the tokio runtime, recording its start in the store first when
    /// `record_start` (then telling `durable`): the store's error if it could not.
    fn launch(
        &self,
        input: Value,
        config: ExecutionConfig,
        durable: Option<Arc<Durable>>,
        record_start: bool,
    ) -> Result<Execution, StoreError> {
        let prepared = self.prepare(input, config);
        if record_start && let Some(store) = &self.store {
            store.start(&prepared.record.description)?;
        }
        Ok(self.spawn_prepared(prepared, durable))
    }

    /// An execution's seam and record, before it starts.
    fn prepare(&self, input: Value, config: ExecutionConfig) -> Prepared {
        let seam = Seam::new(config.clock, config.effects.as_ref())
            .with_budget(config.budget.unwrap_or(self.budget));
        let record = Record::new(&input, &config, Readers::Watchers, &seam);
        Prepared {
            input,
            config,
            seam,
            record,
        }
    }

    /// Starts a prepared execution (the store keeps it already, if there is one) on the tokio
    /// runtime, telling `durable` it is recorded.
    fn spawn_prepared(&self, prepared: Prepared, durable: Option<Arc<Durable>>) -> Execution {
        let Prepared {
            input,
            config,
            seam,
            record,
        } = prepared;
        if let Some(durable) = &durable {
            durable.started();
        }
        let start_time = record.description.start_date;
        let record = Arc::new(Mutex::new(record));
        let (stop_tx, mut stop_rx) = watch::channel(None::<(Option<String>, Option<String>)>);
        let stop_tx = Arc::new(stop_tx);
        let arn = config.execution_arn.clone();
        lock(&self.shared.running).insert(
            arn.clone(),
            Running {
                record: record.clone(),
                stop: stop_tx.clone(),
            },
        );
        let machine = self.clone();
        let task_record = record.clone();
        let handle = tokio::spawn(async move {
            let stop = async move {
                loop {
                    if let Some(reason) = stop_rx.borrow().clone() {
                        return reason;
                    }
                    if stop_rx.changed().await.is_err() {
                        return std::future::pending().await;
                    }
                }
            };
            let table = machine.table(&config, Some(&machine.shared.tokens));
            let trace = machine.traced(&config).then(Trace::default);
            let env = Env {
                seam: &seam,
                start_time,
                watched: true,
                tasks: &table,
                tokens: Some(&machine.shared.tokens),
                record: &task_record,
                reader: machine.reader.as_deref(),
                writer: machine.writer.as_deref(),
                trace: trace.as_ref(),
                waits: machine.waits,
            };
            let outcome = run(machine.plan, env, input, &config, stop).await;
            crate::coverage::collect::observe(
                machine.name,
                machine.definition,
                machine.plan,
                &outcome,
            );
            if machine.store.is_some() {
                // The engine moved the history into the outcome.
                let description = lock(&task_record).description.clone();
                machine
                    .store_finish(&description, outcome.history.events())
                    .await;
            }
            lock(&machine.shared.running).remove(&config.execution_arn);
            outcome
        });
        Execution {
            arn,
            record,
            stop: stop_tx,
            handle,
        }
    }

    /// The executions still running.
    pub fn running(&self) -> Vec<Description> {
        lock(&self.shared.running)
            .values()
            .map(|r| lock(&r.record).description.clone())
            .collect()
    }

    /// Stops the running execution with this ARN (StopExecution), as [`Execution::stop`]
    /// does; false when no execution of this ARN runs here.
    pub fn stop_execution(
        &self,
        execution_arn: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> bool {
        match lock(&self.shared.running).get(execution_arn) {
            Some(r) => {
                send_stop(&r.stop, error, cause);
                true
            }
            None => false,
        }
    }

    /// Completes the `.waitForTaskToken` task waiting for `token` with `output`.
    pub fn send_task_success(&self, token: &str, output: Value) -> Result<(), TokenError> {
        self.shared.tokens.send(token, Signal::Success { output })
    }

    /// Fails the `.waitForTaskToken` task waiting for `token`.
    pub fn send_task_failure(
        &self,
        token: &str,
        error: &str,
        cause: &str,
    ) -> Result<(), TokenError> {
        self.shared.tokens.send(
            token,
            Signal::Failure {
                failure: Failure::new(error, cause),
            },
        )
    }

    /// Tells the task waiting for `token` that its worker is alive.
    pub fn send_task_heartbeat(&self, token: &str) -> Result<(), TokenError> {
        self.shared.tokens.send(token, Signal::Heartbeat)
    }
}

/// `started` as the execution ended with `outcome`, stopped at `stopped`.
fn ended(mut started: Description, outcome: &Outcome, stopped: jiff::Timestamp) -> Description {
    started.status = outcome.status;
    started.output = outcome.output.clone();
    started.error = outcome.failure.as_ref().map(|f| f.error.clone());
    started.cause = outcome.failure.as_ref().and_then(|f| f.cause.clone());
    started.stop_date = Some(stopped);
    started
}

fn send_stop(stop: &StopSender, error: Option<&str>, cause: Option<&str>) {
    // Nobody listening: the execution has ended already.
    let _ = stop.send(Some((error.map(str::to_owned), cause.map(str::to_owned))));
}

/// The outcome of an execution the store could not record.
/// The outcome of an execution that failed before its first state.
fn not_run(failure: Failure) -> Outcome {
    Outcome {
        status: Status::Failed,
        output: None,
        failure: Some(failure),
        history: Default::default(),
        decisions: Vec::new(),
    }
}

fn not_started(e: &StoreError) -> Outcome {
    Outcome {
        status: Status::Failed,
        output: None,
        failure: Some(Failure::new(
            crate::error::names::RUNTIME,
            format!("The execution was not started: its store could not record it: {e}"),
        )),
        history: Default::default(),
        decisions: Vec::new(),
    }
}

/// What [`Machine::start_execution`] returns: the execution, as it is when the call returns.
#[derive(Debug)]
pub struct Started {
    /// Its ARN, start date, status, input.
    pub description: Description,
    /// Its handle; `None` when the same execution (same name and input) was running already
    /// and this call started nothing.
    pub execution: Option<Execution>,
}

/// Why [`Machine::start_execution`] did not start an execution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartError {
    /// An execution of this ARN exists: it has ended, or it runs with another input
    /// (AWS's `ExecutionAlreadyExists`).
    AlreadyExists(String),
    /// The store could not record it.
    Store(StoreError),
    /// The test case it asks for is not one the machine's mock configuration has.
    TestCase(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::AlreadyExists(arn) => write!(f, "Execution Already Exists: '{arn}'"),
            StartError::Store(e) => write!(f, "the store could not record the execution: {e}"),
            StartError::TestCase(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for StartError {}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A started execution.
#[derive(Debug)]
pub struct Execution {
    arn: String,
    record: Arc<Mutex<Record>>,
    stop: Arc<StopSender>,
    handle: tokio::task::JoinHandle<Outcome>,
}

impl Execution {
    /// The execution's ARN.
    pub fn arn(&self) -> &str {
        &self.arn
    }

    /// Its status, input, output, error and dates now (DescribeExecution).
    pub fn describe(&self) -> Description {
        lock(&self.record).description.clone()
    }

    /// Its history so far (GetExecutionHistory).
    pub fn history(&self) -> Vec<Event> {
        lock(&self.record).history.events().to_vec()
    }

    /// Stops it (StopExecution): it ends as ABORTED with the given error and cause, and the
    /// state it was in is abandoned.
    pub fn stop(&self, error: Option<&str>, cause: Option<&str>) {
        send_stop(&self.stop, error, cause);
    }

    /// An execution that never ran: it ended at once with `outcome`.
    fn not_started(arn: String, outcome: Outcome) -> Self {
        let config = ExecutionConfig::new("", "");
        let seam = Seam::new(config.clock, None);
        let mut record = Record::new(&Value::Null, &config, Readers::Watchers, &seam);
        record.description.execution_arn = arn.clone();
        record.description.status = outcome.status;
        record.description.error = outcome.failure.as_ref().map(|f| f.error.clone());
        record.description.cause = outcome.failure.as_ref().and_then(|f| f.cause.clone());
        Execution {
            arn,
            record: Arc::new(Mutex::new(record)),
            stop: Arc::new(watch::channel(None).0),
            handle: tokio::spawn(std::future::ready(outcome)),
        }
    }

    /// Waits for it to end.
    pub async fn result(self) -> Outcome {
        match self.handle.await {
            Ok(outcome) => outcome,
            Err(e) => {
                let record = lock(&self.record);
                Outcome {
                    status: Status::Failed,
                    output: None,
                    failure: Some(Failure::new(
                        "States.Runtime",
                        format!("the execution's task ended abnormally: {e}"),
                    )),
                    history: record.history.clone(),
                    decisions: Vec::new(),
                }
            }
        }
    }
}
