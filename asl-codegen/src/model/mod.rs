//! The typed model of a state machine: every state type and field of the Amazon States
//! Language as AWS accepts it in 2026. Each field carries its span and JSON pointer.
//!
//! The model is built by `lower` from the spanned source tree. Payload
//! templates, JSONata-bearing values and other free-form JSON stay as source [`Node`]s; the
//! planner parses them.

pub(crate) mod fields;
pub(crate) mod lower;

use crate::diag::Pointer;
use crate::source::{Node, Span};

/// A value with where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Its span in the source.
    pub span: Span,
    /// Its JSON pointer.
    pub pointer: Pointer,
}

/// The query language of a state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum QueryLanguage {
    /// Paths, payload templates and intrinsic functions (the default).
    #[default]
    JsonPath,
    /// `{% … %}` JSONata expressions.
    Jsonata,
}

impl QueryLanguage {
    /// The name as written in a definition.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::Jsonata => "JSONata",
        }
    }
}

/// A numeric field that JSONata states may also give as an expression.
#[derive(Clone, Debug, PartialEq)]
pub enum NumberOrExpr<T> {
    /// A literal number.
    Literal(T),
    /// A `{% … %}` expression (the text between the delimiters).
    Jsonata(String),
}

/// A path-valued field: `None` stands for JSON `null` (InputPath/OutputPath/ResultPath allow it).
pub type PathField = Spanned<Option<PathText>>;

/// A path field's text and the path `asl-lang` read from it, parsed once, when the model is
/// built: the checks report what does not parse, the emitter writes the tree down.
#[derive(Clone, Debug, PartialEq)]
pub struct PathText {
    /// The path as written.
    pub text: String,
    /// The path read from it.
    pub parsed: Result<crate::lang::jsonpath::Path, crate::lang::jsonpath::PathError>,
}

impl PathText {
    /// Reads `text`.
    pub fn new(text: String) -> Self {
        PathText {
            parsed: crate::lang::jsonpath::parse(&text),
            text,
        }
    }
}

impl std::ops::Deref for PathText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

impl PartialEq<str> for PathText {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for PathText {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

/// A whole definition.
#[derive(Clone, Debug, PartialEq)]
pub struct StateMachine {
    /// `Comment`.
    pub comment: Option<Spanned<String>>,
    /// `Version`.
    pub version: Option<Spanned<String>>,
    /// `QueryLanguage` (default JSONPath).
    pub query_language: QueryLanguage,
    /// `TimeoutSeconds` of the whole execution.
    pub timeout_seconds: Option<Spanned<u64>>,
    /// The top-level `StartAt` + `States`.
    pub body: Container,
    /// The whole document's span.
    pub span: Span,
    /// The whole document as JSON (placeholders substituted).
    pub document: serde_json::Value,
}

/// A `StartAt` + `States` pair: the machine itself, a Parallel branch or a Map processor.
#[derive(Clone, Debug, PartialEq)]
pub struct Container {
    /// `StartAt`.
    pub start_at: Option<Spanned<String>>,
    /// `States`, in source order (duplicates kept so the checks can see them).
    pub states: Vec<State>,
    /// `Comment` of a branch or processor.
    pub comment: Option<Spanned<String>>,
    /// Pointer of the object holding `StartAt`/`States`.
    pub pointer: Pointer,
    /// Span of that object.
    pub span: Span,
}

/// One state.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The state's name (its key in `States`).
    pub name: String,
    /// The key's span.
    pub name_span: Span,
    /// `/States/<name>` (or deeper for nested containers).
    pub pointer: Pointer,
    /// The state object's span.
    pub span: Span,
    /// `Comment`.
    pub comment: Option<Spanned<String>>,
    /// The effective query language (the state's own, else the machine's).
    pub query_language: QueryLanguage,
    /// Whether the state set `QueryLanguage` itself.
    pub query_language_declared: Option<Spanned<QueryLanguage>>,
    /// `Next`.
    pub next: Option<Spanned<String>>,
    /// `End`.
    pub end: Option<Spanned<bool>>,
    /// `InputPath` (JSONPath).
    pub input_path: Option<PathField>,
    /// `OutputPath` (JSONPath).
    pub output_path: Option<PathField>,
    /// `Output` (JSONata).
    pub output: Option<Spanned<Node>>,
    /// `Assign`.
    pub assign: Option<Spanned<Node>>,
    /// Whether a field of the state (not of the states nested in it) reads the context object.
    pub reads_context: bool,
    /// The type-specific part.
    pub kind: StateKind,
}

impl State {
    /// The `Type` name.
    pub fn type_name(&self) -> &'static str {
        self.kind.type_name()
    }

    /// Whether the state ends its container (`End: true`, Succeed, Fail).
    pub fn is_terminal(&self) -> bool {
        matches!(self.kind, StateKind::Succeed | StateKind::Fail(_))
            || self.end.as_ref().is_some_and(|e| e.value)
    }
}

/// The eight state types.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum StateKind {
    /// `Task`.
    Task(Task),
    /// `Pass`.
    Pass(Pass),
    /// `Choice`.
    Choice(Choice),
    /// `Wait`.
    Wait(Wait),
    /// `Succeed`.
    Succeed,
    /// `Fail`.
    Fail(Fail),
    /// `Parallel`.
    Parallel(Parallel),
    /// `Map`.
    Map(Map),
}

impl StateKind {
    /// The `Type` name.
    pub fn type_name(&self) -> &'static str {
        match self {
            StateKind::Task(_) => "Task",
            StateKind::Pass(_) => "Pass",
            StateKind::Choice(_) => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail(_) => "Fail",
            StateKind::Parallel(_) => "Parallel",
            StateKind::Map(_) => "Map",
        }
    }
}

/// The result-handling fields Task, Parallel and Map share.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ResultHandling {
    /// `Parameters` (JSONPath payload template).
    pub parameters: Option<Spanned<Node>>,
    /// `Arguments` (JSONata).
    pub arguments: Option<Spanned<Node>>,
    /// `ResultSelector` (JSONPath payload template).
    pub result_selector: Option<Spanned<Node>>,
    /// `ResultPath` (JSONPath reference path; `None` inside = `null`).
    pub result_path: Option<PathField>,
    /// `Retry`.
    pub retry: Vec<Retrier>,
    /// `Catch`.
    pub catch: Vec<Catcher>,
}

/// A `Task` state.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// `Resource`.
    pub resource: Option<Spanned<String>>,
    /// Parameters/Arguments, ResultSelector, ResultPath, Retry, Catch.
    pub result: ResultHandling,
    /// `TimeoutSeconds`.
    pub timeout_seconds: Option<Spanned<NumberOrExpr<u64>>>,
    /// `TimeoutSecondsPath`.
    pub timeout_seconds_path: Option<PathField>,
    /// `HeartbeatSeconds`.
    pub heartbeat_seconds: Option<Spanned<NumberOrExpr<u64>>>,
    /// `HeartbeatSecondsPath`.
    pub heartbeat_seconds_path: Option<PathField>,
    /// `Credentials` (`RoleArn` / `RoleArn.$`).
    pub credentials: Option<Spanned<Node>>,
}

/// A `Pass` state.
#[derive(Clone, Debug, PartialEq)]
pub struct Pass {
    /// `Result`.
    pub result: Option<Spanned<Node>>,
    /// `Parameters`.
    pub parameters: Option<Spanned<Node>>,
    /// `ResultPath`.
    pub result_path: Option<PathField>,
}

/// A `Choice` state.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// `Choices`.
    pub choices: Vec<ChoiceRule>,
    /// `Default`.
    pub default: Option<Spanned<String>>,
}

/// A rule in `Choices` (top-level) or nested in `And`/`Or`/`Not`.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceRule {
    /// `Next` (top-level rules only).
    pub next: Option<Spanned<String>>,
    /// `Assign` (top-level rules only).
    pub assign: Option<Spanned<Node>>,
    /// `Output` (JSONata, top-level rules only).
    pub output: Option<Spanned<Node>>,
    /// `Comment`.
    pub comment: Option<Spanned<String>>,
    /// The test.
    pub condition: Condition,
    /// Pointer of the rule object.
    pub pointer: Pointer,
    /// Span of the rule object.
    pub span: Span,
}

/// What a Choice rule tests.
// Built once per compilation, a node per rule: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// JSONata `Condition`: a boolean or an expression.
    Jsonata(Spanned<Node>),
    /// `And`.
    And(Vec<ChoiceRule>),
    /// `Or`.
    Or(Vec<ChoiceRule>),
    /// `Not`.
    Not(Box<ChoiceRule>),
    /// `Variable` + one comparison operator.
    Compare {
        /// `Variable`.
        variable: Spanned<PathText>,
        /// The operator.
        operator: Spanned<Operator>,
        /// The operand (a literal, or a path for `…Path` operators).
        operand: Spanned<Node>,
        /// For a `…Path` operator, its operand read as a path.
        operand_path: Option<PathText>,
    },
    /// No test could be read (already reported).
    Invalid,
}

/// The 39 Choice comparison operators and their operands: `asl-lang`'s, which also makes the
/// runtime's test of each.
pub use asl_lang::choice::{OperandKind, Operator};

/// A `Wait` state: exactly one of its four duration fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Wait {
    /// `Seconds`.
    pub seconds: Option<Spanned<NumberOrExpr<u64>>>,
    /// `SecondsPath`.
    pub seconds_path: Option<PathField>,
    /// `Timestamp` (a literal or a JSONata expression).
    pub timestamp: Option<Spanned<String>>,
    /// `TimestampPath`.
    pub timestamp_path: Option<PathField>,
}

/// A `Fail` state.
#[derive(Clone, Debug, PartialEq)]
pub struct Fail {
    /// `Error`.
    pub error: Option<Spanned<String>>,
    /// `ErrorPath` (path or intrinsic).
    pub error_path: Option<Spanned<PathOrCall>>,
    /// `Cause`.
    pub cause: Option<Spanned<String>>,
    /// `CausePath` (path or intrinsic).
    pub cause_path: Option<Spanned<PathOrCall>>,
}

/// A field that holds a path or an intrinsic call (Fail `ErrorPath`/`CausePath`), read when the
/// model is built.
#[derive(Clone, Debug, PartialEq)]
pub enum PathOrCall {
    /// Text starting with `$`: a path.
    Path(PathText),
    /// Anything else: an intrinsic call, and what `asl-lang` read of it.
    Call {
        /// The call as written.
        text: String,
        /// The call read from it.
        parsed: Result<crate::lang::intrinsic::Call, crate::lang::intrinsic::IntrinsicError>,
    },
}

impl PathOrCall {
    /// Reads `text` as a path (when it starts with `$`) or an intrinsic call.
    pub fn new(text: String) -> Self {
        if text.starts_with('$') {
            PathOrCall::Path(PathText::new(text))
        } else {
            PathOrCall::Call {
                parsed: crate::lang::intrinsic::parse(&text),
                text,
            }
        }
    }
}

/// A `Parallel` state.
#[derive(Clone, Debug, PartialEq)]
pub struct Parallel {
    /// `Branches`.
    pub branches: Vec<Container>,
    /// Parameters/Arguments, ResultSelector, ResultPath, Retry, Catch.
    pub result: ResultHandling,
}

/// A `Map` state.
#[derive(Clone, Debug, PartialEq)]
pub struct Map {
    /// `ItemProcessor` or the legacy `Iterator`.
    pub processor: Option<Processor>,
    /// `ItemsPath` (JSONPath).
    pub items_path: Option<PathField>,
    /// `Items` (JSONata: an array or an expression).
    pub items: Option<Spanned<Node>>,
    /// `ItemSelector`.
    pub item_selector: Option<Spanned<Node>>,
    /// `ItemReader`.
    pub item_reader: Option<ItemReader>,
    /// `ItemBatcher`.
    pub item_batcher: Option<ItemBatcher>,
    /// `ResultWriter`.
    pub result_writer: Option<ResultWriter>,
    /// `MaxConcurrency`.
    pub max_concurrency: Option<Spanned<NumberOrExpr<u64>>>,
    /// `MaxConcurrencyPath`.
    pub max_concurrency_path: Option<PathField>,
    /// `ToleratedFailurePercentage`.
    pub tolerated_failure_percentage: Option<Spanned<NumberOrExpr<f64>>>,
    /// `ToleratedFailurePercentagePath`.
    pub tolerated_failure_percentage_path: Option<PathField>,
    /// `ToleratedFailureCount`.
    pub tolerated_failure_count: Option<Spanned<NumberOrExpr<u64>>>,
    /// `ToleratedFailureCountPath`.
    pub tolerated_failure_count_path: Option<PathField>,
    /// `Label`.
    pub label: Option<Spanned<String>>,
    /// Parameters (legacy, JSONPath), ResultSelector, ResultPath, Retry, Catch.
    pub result: ResultHandling,
}

/// A Map's `ItemProcessor` / `Iterator`.
#[derive(Clone, Debug, PartialEq)]
pub struct Processor {
    /// `StartAt` + `States`.
    pub body: Container,
    /// Whether it was written as the legacy `Iterator`.
    pub legacy_iterator: bool,
    /// `ProcessorConfig.Mode`.
    pub mode: ProcessorMode,
    /// `ProcessorConfig.ExecutionType` (distributed mode).
    pub execution_type: Option<Spanned<String>>,
}

/// Where a Map runs its iterations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ProcessorMode {
    /// In the parent execution.
    #[default]
    Inline,
    /// As child executions.
    Distributed,
}

/// A Map's `ItemReader`.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemReader {
    /// `Resource`.
    pub resource: Option<Spanned<String>>,
    /// `Parameters` (JSONPath) / `Arguments` (JSONata).
    pub parameters: Option<Spanned<Node>>,
    /// `ReaderConfig`.
    pub reader_config: Option<ReaderConfig>,
    /// Pointer of the ItemReader object.
    pub pointer: Pointer,
}

/// `ItemReader.ReaderConfig`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ReaderConfig {
    /// `InputType`: CSV, JSON, JSONL, PARQUET, MANIFEST.
    pub input_type: Option<Spanned<String>>,
    /// `CSVHeaderLocation`: FIRST_ROW or GIVEN.
    pub csv_header_location: Option<Spanned<String>>,
    /// `CSVHeaders`.
    pub csv_headers: Option<Spanned<Vec<String>>>,
    /// `CSVDelimiter`: COMMA, PIPE, SEMICOLON, SPACE, TAB.
    pub csv_delimiter: Option<Spanned<String>>,
    /// `MaxItems`.
    pub max_items: Option<Spanned<NumberOrExpr<u64>>>,
    /// `MaxItemsPath`.
    pub max_items_path: Option<PathField>,
    /// `Transformation`, `ManifestType`, `ItemsPointer` and the rest, as written.
    pub other: Vec<(String, Spanned<Node>)>,
}

/// A Map's `ItemBatcher`.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemBatcher {
    /// `MaxItemsPerBatch`.
    pub max_items_per_batch: Option<Spanned<NumberOrExpr<u64>>>,
    /// `MaxItemsPerBatchPath`.
    pub max_items_per_batch_path: Option<PathField>,
    /// `MaxInputBytesPerBatch`.
    pub max_input_bytes_per_batch: Option<Spanned<NumberOrExpr<u64>>>,
    /// `MaxInputBytesPerBatchPath`.
    pub max_input_bytes_per_batch_path: Option<PathField>,
    /// `BatchInput`.
    pub batch_input: Option<Spanned<Node>>,
    /// Pointer of the ItemBatcher object.
    pub pointer: Pointer,
}

/// A Map's `ResultWriter`.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultWriter {
    /// `Resource`.
    pub resource: Option<Spanned<String>>,
    /// `Parameters` / `Arguments`.
    pub parameters: Option<Spanned<Node>>,
    /// `WriterConfig`.
    pub writer_config: Option<Spanned<Node>>,
    /// Pointer of the ResultWriter object.
    pub pointer: Pointer,
}

/// One entry of `Retry`.
#[derive(Clone, Debug, PartialEq)]
pub struct Retrier {
    /// `ErrorEquals`.
    pub error_equals: Vec<Spanned<String>>,
    /// `IntervalSeconds` (default 1).
    pub interval_seconds: Option<Spanned<u64>>,
    /// `MaxAttempts` (default 3).
    pub max_attempts: Option<Spanned<u64>>,
    /// `BackoffRate` (default 2.0).
    pub backoff_rate: Option<Spanned<f64>>,
    /// `MaxDelaySeconds`.
    pub max_delay_seconds: Option<Spanned<u64>>,
    /// `JitterStrategy` (FULL or NONE).
    pub jitter_strategy: Option<Spanned<String>>,
    /// `Comment`.
    pub comment: Option<Spanned<String>>,
    /// Pointer of the retrier.
    pub pointer: Pointer,
    /// Span of the retrier.
    pub span: Span,
}

/// One entry of `Catch`.
#[derive(Clone, Debug, PartialEq)]
pub struct Catcher {
    /// `ErrorEquals`.
    pub error_equals: Vec<Spanned<String>>,
    /// `Next`.
    pub next: Option<Spanned<String>>,
    /// `ResultPath` (JSONPath).
    pub result_path: Option<PathField>,
    /// `Output` (JSONata).
    pub output: Option<Spanned<Node>>,
    /// `Assign`.
    pub assign: Option<Spanned<Node>>,
    /// `Comment`.
    pub comment: Option<Spanned<String>>,
    /// Pointer of the catcher.
    pub pointer: Pointer,
    /// Span of the catcher.
    pub span: Span,
}

impl StateMachine {
    /// Every container (the machine, then each branch and processor, depth first) with the
    /// chain of containers enclosing it.
    pub fn containers(&self) -> Vec<&Container> {
        let mut out = Vec::new();
        fn walk<'a>(c: &'a Container, out: &mut Vec<&'a Container>) {
            out.push(c);
            for s in &c.states {
                for inner in s.kind.children() {
                    walk(inner, out);
                }
            }
        }
        walk(&self.body, &mut out);
        out
    }
}

impl StateKind {
    /// The containers directly inside this state (Parallel branches, a Map's processor).
    pub fn children(&self) -> Vec<&Container> {
        match self {
            StateKind::Parallel(p) => p.branches.iter().collect(),
            StateKind::Map(m) => m.processor.iter().map(|p| &p.body).collect(),
            _ => Vec::new(),
        }
    }

    /// Retry and Catch, for the states that have them.
    pub fn result_handling(&self) -> Option<&ResultHandling> {
        match self {
            StateKind::Task(t) => Some(&t.result),
            StateKind::Parallel(p) => Some(&p.result),
            StateKind::Map(m) => Some(&m.result),
            _ => None,
        }
    }
}
