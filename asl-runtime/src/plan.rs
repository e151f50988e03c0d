//! The plan of a state machine: what the generator emits for each definition. States are
//! numbered; transitions are indexes; paths, templates and rules are pre-parsed.

use serde_json::Value;

use crate::choice::Rule;
use crate::data::io::{Place, Select};
use crate::data::template::Template;
use asl_lang::jsonpath::Path;

/// A whole machine.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The states; transitions refer to them by index.
    pub states: Vec<StatePlan>,
    /// The index of `StartAt`.
    pub start: usize,
    /// The machine's `TimeoutSeconds`.
    pub timeout_seconds: Option<u64>,
}

impl Plan {
    /// Whether any state, in any branch or iteration, reads the context object (`$$`, or
    /// `$states.context` in JSONata), which holds the execution's input.
    pub fn reads_context(&self) -> bool {
        reads_context(&self.states)
    }

    /// The distributed Map states, nested ones included, in a fixed order (depth first, in
    /// state order): a number in it names one to another process running the same build.
    pub fn distributed_maps(&self) -> Vec<&MapPlan> {
        let mut out = Vec::new();
        distributed_maps(&self.states, &mut out);
        out
    }

    /// The number [`distributed_maps`](Self::distributed_maps) gives `map`.
    pub fn distributed_map_number(&self, map: &MapPlan) -> Option<usize> {
        self.distributed_maps()
            .iter()
            .position(|m| std::ptr::eq(*m, map))
    }
}

fn distributed_maps<'p>(states: &'p [StatePlan], out: &mut Vec<&'p MapPlan>) {
    for s in states {
        match &s.kind {
            Kind::Parallel(p) => {
                for b in &p.branches {
                    distributed_maps(&b.states, out);
                }
            }
            Kind::Map(m) => {
                if m.distributed {
                    out.push(m);
                }
                distributed_maps(&m.processor.states, out);
            }
            _ => {}
        }
    }
}

impl Body {
    /// Whether any of its states, nested ones included, reads the context object.
    pub fn reads_context(&self) -> bool {
        reads_context(&self.states)
    }

    /// Whether every state is one that finishes without waiting (see [`finishes_at_once`]).
    pub fn finishes_at_once(&self) -> bool {
        finishes_at_once(&self.states)
    }
}

/// Whether every one of `states` is a Pass, Choice, Succeed or Fail state: a container of them
/// runs to its end without ever waiting, so it needs no future.
pub fn finishes_at_once(states: &[StatePlan]) -> bool {
    states.iter().all(|s| {
        matches!(
            s.kind,
            Kind::Pass { .. } | Kind::Choice { .. } | Kind::Succeed | Kind::Fail { .. }
        )
    })
}

fn reads_context(states: &[StatePlan]) -> bool {
    states.iter().any(|s| {
        s.uses_context
            || match &s.kind {
                Kind::Parallel(p) => p.branches.iter().any(Body::reads_context),
                Kind::Map(m) => m.processor.reads_context(),
                _ => false,
            }
    })
}

/// One state.
#[derive(Clone, Debug)]
pub struct StatePlan {
    /// Its name.
    pub name: std::sync::Arc<str>,
    /// InputPath.
    pub input_path: Select,
    /// OutputPath.
    pub output_path: Select,
    /// Where it goes next; `None` ends the execution (End, Succeed, Fail, Choice).
    pub next: Option<usize>,
    /// Whether any of its paths read the context object (`$$`), which is then built for it.
    pub uses_context: bool,
    /// Whether it is a JSONata state (`Output`/`Arguments`, `$states`) rather than JSONPath.
    pub jsonata: bool,
    /// Assign: JSONPath payload template or JSONata template, evaluated with the variables as
    /// they were when the state was entered.
    pub assign: Option<Template>,
    /// Output (JSONata).
    pub output: Option<Template>,
    /// The type-specific part.
    pub kind: Kind,
}

impl StatePlan {
    /// Whether the state's output can be larger than its input, so that it is held to the
    /// payload limit when the state ends: a JSONata Output, a Pass with a result or
    /// Parameters or a ResultPath that merges, a Task whose result is reshaped or merged (a
    /// Task's own result is held to the limit when it comes), every Parallel and Map. The
    /// output of the others is their input or a part of it.
    #[inline]
    pub fn may_grow(&self) -> bool {
        match &self.kind {
            Kind::Pass {
                parameters,
                result,
                result_path,
            } => {
                parameters.is_some()
                    || result.is_some()
                    || matches!(result_path, Place::At(_))
                    || self.output.is_some()
            }
            Kind::Task(t) => {
                t.result_selector.is_some()
                    || matches!(t.result_path, Place::At(_))
                    || self.output.is_some()
            }
            Kind::Parallel(_) | Kind::Map(_) => true,
            // Only JSONata gives these an Output.
            Kind::Choice { choices, .. } => {
                self.jsonata
                    && (self.output.is_some() || choices.iter().any(|c| c.output.is_some()))
            }
            Kind::Wait(_) | Kind::Succeed => self.jsonata && self.output.is_some(),
            Kind::Fail { .. } => false,
        }
    }
}

/// What a state does.
#[derive(Clone, Debug)]
pub enum Kind {
    /// Pass.
    Pass {
        /// Parameters.
        parameters: Option<Template>,
        /// Result.
        result: Option<Value>,
        /// ResultPath.
        result_path: Place,
    },
    /// Task.
    Task(Box<TaskPlan>),
    /// Choice: rules in order with their targets, then the Default.
    Choice {
        /// The rules.
        choices: Vec<ChoiceBranch>,
        /// Default.
        default: Option<usize>,
    },
    /// Wait.
    Wait(WaitFor),
    /// Succeed.
    Succeed,
    /// Fail.
    Fail {
        /// Error / ErrorPath.
        error: Text,
        /// Cause / CausePath.
        cause: Text,
    },
    /// Parallel.
    Parallel(Box<ParallelPlan>),
    /// Map.
    Map(Box<MapPlan>),
}

/// A `States` container inside a state: a Parallel branch or a Map's ItemProcessor. Its
/// transitions index its own `states`.
#[derive(Clone, Debug)]
pub struct Body {
    /// The states.
    pub states: Vec<StatePlan>,
    /// The index of `StartAt`.
    pub start: usize,
}

/// What Task, Parallel and Map states share: the result pipeline and error handling.
#[derive(Clone, Debug)]
pub struct Outcomes {
    /// ResultSelector.
    pub result_selector: Option<Template>,
    /// ResultPath.
    pub result_path: Place,
    /// Retry.
    pub retry: Vec<Retrier>,
    /// Catch.
    pub catch: Vec<Catcher>,
}

impl Outcomes {
    /// ResultSelector and ResultPath, as the result pipeline takes them.
    pub fn selector_and_place(&self) -> (Option<&Template>, &Place) {
        (self.result_selector.as_ref(), &self.result_path)
    }
}

/// A Parallel state.
#[derive(Clone, Debug)]
pub struct ParallelPlan {
    /// The branches, run concurrently; the result lists their outputs in this order.
    pub branches: Vec<Body>,
    /// Parameters (the input every branch gets).
    pub parameters: Option<Template>,
    /// ResultSelector, ResultPath, Retry, Catch.
    pub outcomes: Outcomes,
}

/// A count or percentage given literally or by a path (`MaxConcurrency(Path)`, …).
#[derive(Clone, Debug)]
pub enum Amount {
    /// Literal.
    Fixed(f64),
    /// From the effective input.
    Path(Path),
    /// A JSONata expression.
    Expr(Box<crate::data::jsonata::Expr>),
}

/// A Map state.
#[derive(Clone, Debug)]
pub struct MapPlan {
    /// ItemProcessor (or the legacy Iterator).
    pub processor: Body,
    /// Whether `ProcessorConfig.Mode` is `DISTRIBUTED`: each item (or batch) runs as a child
    /// execution with its own context object and history.
    pub distributed: bool,
    /// ItemsPath (`None` is `$`).
    pub items_path: Option<Path>,
    /// JSONata `Items`.
    pub items: Option<Template>,
    /// ItemSelector (or the legacy Map Parameters), with `$$.Map.Item` in its context.
    pub item_selector: Option<Template>,
    /// MaxConcurrency(Path); 0 or absent is unbounded.
    pub max_concurrency: Option<Amount>,
    /// ToleratedFailureCount(Path).
    pub tolerated_failure_count: Option<Amount>,
    /// ToleratedFailurePercentage(Path).
    pub tolerated_failure_percentage: Option<Amount>,
    /// ItemReader.
    pub item_reader: Option<ReaderPlan>,
    /// ItemBatcher.
    pub item_batcher: Option<BatcherPlan>,
    /// ResultWriter.
    pub result_writer: Option<WriterPlan>,
    /// Label (names the Map Run and its child executions).
    pub label: Option<std::sync::Arc<str>>,
    /// ResultSelector, ResultPath, Retry, Catch.
    pub outcomes: Outcomes,
}

/// An ItemReader.
#[derive(Clone, Debug)]
pub struct ReaderPlan {
    /// Resource (`arn:aws:states:::s3:getObject`, `…:s3:listObjectsV2`, or the user's own).
    pub resource: std::sync::Arc<str>,
    /// Parameters (Bucket, Key, Prefix, …).
    pub parameters: Option<Template>,
    /// ReaderConfig.InputType (`JSON`, `JSONL`, `CSV`, …).
    pub input_type: Option<std::sync::Arc<str>>,
    /// ReaderConfig.CSVHeaderLocation is `GIVEN`.
    pub csv_headers_given: bool,
    /// ReaderConfig.CSVHeaders.
    pub csv_headers: Vec<std::sync::Arc<str>>,
    /// ReaderConfig.CSVDelimiter (`COMMA`, `PIPE`, `SEMICOLON`, `SPACE`, `TAB`).
    pub csv_delimiter: Option<std::sync::Arc<str>>,
    /// ReaderConfig.MaxItems(Path).
    pub max_items: Option<Amount>,
}

/// An ItemBatcher.
#[derive(Clone, Debug)]
pub struct BatcherPlan {
    /// MaxItemsPerBatch(Path).
    pub max_items: Option<Amount>,
    /// MaxInputBytesPerBatch(Path).
    pub max_bytes: Option<Amount>,
    /// BatchInput.
    pub batch_input: Option<Template>,
}

/// A ResultWriter.
#[derive(Clone, Debug)]
pub struct WriterPlan {
    /// Resource (`arn:aws:states:::s3:putObject`), if given.
    pub resource: Option<std::sync::Arc<str>>,
    /// Parameters (Bucket, Prefix).
    pub parameters: Option<Template>,
    /// WriterConfig, as written.
    pub writer_config: Option<Value>,
}

/// A top-level Choice rule.
#[derive(Clone, Debug)]
pub struct ChoiceBranch {
    /// The rule (or JSONata Condition).
    pub rule: Rule,
    /// Where it leads.
    pub next: usize,
    /// Its Assign, run instead of the state's when it matches.
    pub assign: Option<Template>,
    /// Its Output (JSONata).
    pub output: Option<Template>,
}

/// A Fail state's Error or Cause.
#[derive(Clone, Debug)]
pub enum Text {
    /// Not given.
    None,
    /// A literal.
    Literal(Box<str>),
    /// ErrorPath / CausePath.
    Path(Path),
    /// ErrorPath / CausePath as an intrinsic function call.
    Call(crate::intrinsic::Call),
    /// A JSONata expression.
    Jsonata(Box<crate::data::jsonata::Expr>),
}

/// How long a Wait waits.
#[derive(Clone, Debug)]
pub enum WaitFor {
    /// Seconds.
    Seconds(u64),
    /// SecondsPath.
    SecondsPath(Path),
    /// Timestamp.
    Timestamp(jiff::Timestamp),
    /// TimestampPath.
    TimestampPath(Path),
    /// JSONata `Seconds`.
    SecondsExpr(Box<crate::data::jsonata::Expr>),
    /// JSONata `Timestamp`.
    TimestampExpr(Box<crate::data::jsonata::Expr>),
}

/// A number of seconds given literally or by a path.
#[derive(Clone, Debug)]
pub enum Seconds {
    /// Literal.
    Fixed(u64),
    /// From the effective input.
    Path(Path),
    /// A JSONata expression.
    Expr(Box<crate::data::jsonata::Expr>),
}

/// A Task state.
#[derive(Clone, Debug)]
pub struct TaskPlan {
    /// Which handler runs it (an index into the machine's handler table).
    pub handler: usize,
    /// Resource.
    pub resource: Resource,
    /// Parameters.
    pub parameters: Option<Template>,
    /// ResultSelector.
    pub result_selector: Option<Template>,
    /// ResultPath.
    pub result_path: Place,
    /// Retry.
    pub retry: Vec<Retrier>,
    /// Catch.
    pub catch: Vec<Catcher>,
    /// TimeoutSeconds(Path).
    pub timeout: Option<Seconds>,
    /// HeartbeatSeconds(Path).
    pub heartbeat: Option<Seconds>,
    /// Credentials.
    pub credentials: Option<Template>,
}

impl TaskPlan {
    /// Whether the resource ends in `.waitForTaskToken`: the answer comes through a task token.
    pub fn waits_for_token(&self) -> bool {
        self.resource.waits_for_token
    }
}

/// A Task state's `Resource`, with what the engine asks of it at every call worked out once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    arn: std::sync::Arc<str>,
    waits_for_token: bool,
    /// How the resource invokes a Lambda function, if it does.
    invokes: Option<crate::handler::lambda::Kind>,
    /// The resource as task events report it.
    events: crate::history::TaskDetails,
}

impl Resource {
    /// The resource's ARN as the definition has it.
    pub fn arn(&self) -> &std::sync::Arc<str> {
        &self.arn
    }

    /// How the resource invokes a Lambda function, if it does.
    pub(crate) fn invokes(&self) -> Option<crate::handler::lambda::Kind> {
        self.invokes
    }

    /// The resource type and resource that task history events report.
    pub fn event_details(&self) -> &crate::history::TaskDetails {
        &self.events
    }
}

impl From<&str> for Resource {
    fn from(arn: &str) -> Self {
        Resource {
            waits_for_token: arn.ends_with(".waitForTaskToken"),
            invokes: crate::handler::lambda::kind(arn),
            events: crate::history::TaskDetails::of(arn),
            arn: arn.into(),
        }
    }
}

impl std::ops::Deref for Resource {
    type Target = str;

    fn deref(&self) -> &str {
        &self.arn
    }
}

/// A Retrier.
#[derive(Clone, Debug)]
pub struct Retrier {
    /// ErrorEquals.
    pub error_equals: Vec<Box<str>>,
    /// IntervalSeconds (default 1).
    pub interval_seconds: u64,
    /// MaxAttempts (default 3).
    pub max_attempts: u64,
    /// BackoffRate (default 2.0).
    pub backoff_rate: f64,
    /// MaxDelaySeconds.
    pub max_delay_seconds: Option<u64>,
    /// JitterStrategy FULL.
    pub full_jitter: bool,
}

impl Retrier {
    /// A retrier with AWS's defaults for everything but ErrorEquals.
    pub fn new(error_equals: Vec<Box<str>>) -> Self {
        Retrier {
            error_equals,
            interval_seconds: 1,
            max_attempts: 3,
            backoff_rate: 2.0,
            max_delay_seconds: None,
            full_jitter: false,
        }
    }

    /// The wait before retry number `attempt` (1-based), before jitter.
    pub fn delay(&self, attempt: u64) -> std::time::Duration {
        let exp = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
        let mut secs = self.interval_seconds as f64 * self.backoff_rate.powi(exp);
        if let Some(max) = self.max_delay_seconds {
            secs = secs.min(max as f64);
        }
        std::time::Duration::from_secs_f64(secs.clamp(0.0, 99_999_999.0))
    }
}

/// A Catcher.
#[derive(Clone, Debug)]
pub struct Catcher {
    /// ErrorEquals.
    pub error_equals: Vec<Box<str>>,
    /// Next.
    pub next: usize,
    /// ResultPath.
    pub result_path: Place,
    /// Output (JSONata; default the error output).
    pub output: Option<Template>,
    /// Assign, run instead of the state's.
    pub assign: Option<Template>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_capped() {
        let mut r = Retrier::new(vec!["E".into()]);
        r.interval_seconds = 2;
        r.backoff_rate = 3.0;
        assert_eq!(r.delay(1).as_secs(), 2);
        assert_eq!(r.delay(3).as_secs(), 18);
        r.max_delay_seconds = Some(10);
        assert_eq!(r.delay(3).as_secs(), 10);
    }
}
