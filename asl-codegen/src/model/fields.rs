//! Which fields each state type takes, and in which query language.

use super::QueryLanguage;

/// A set of state types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Types(u8);

pub(crate) const TASK: Types = Types(1);
pub(crate) const PASS: Types = Types(2);
pub(crate) const CHOICE: Types = Types(4);
pub(crate) const WAIT: Types = Types(8);
pub(crate) const SUCCEED: Types = Types(16);
pub(crate) const FAIL: Types = Types(32);
pub(crate) const PARALLEL: Types = Types(64);
pub(crate) const MAP: Types = Types(128);
pub(crate) const ALL: Types = Types(255);

impl Types {
    const fn or(self, other: Types) -> Types {
        Types(self.0 | other.0)
    }
    const fn minus(self, other: Types) -> Types {
        Types(self.0 & !other.0)
    }
    pub(crate) fn contains(self, other: Types) -> bool {
        self.0 & other.0 == other.0
    }
    pub(crate) fn of(type_name: &str) -> Option<Types> {
        Some(match type_name {
            "Task" => TASK,
            "Pass" => PASS,
            "Choice" => CHOICE,
            "Wait" => WAIT,
            "Succeed" => SUCCEED,
            "Fail" => FAIL,
            "Parallel" => PARALLEL,
            "Map" => MAP,
            _ => return None,
        })
    }
    pub(crate) fn names(self) -> Vec<&'static str> {
        [
            "Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map",
        ]
        .into_iter()
        .filter(|n| Types::of(n).is_some_and(|t| self.contains(t)))
        .collect()
    }
}

/// The query language a field belongs to; `None` = both.
pub(crate) struct Field {
    pub name: &'static str,
    pub types: Types,
    pub language: Option<QueryLanguage>,
}

const P: Option<QueryLanguage> = Some(QueryLanguage::JsonPath);
const J: Option<QueryLanguage> = Some(QueryLanguage::Jsonata);

const fn f(name: &'static str, types: Types, language: Option<QueryLanguage>) -> Field {
    Field {
        name,
        types,
        language,
    }
}

const FLOW: Types = TASK.or(PASS).or(WAIT).or(PARALLEL).or(MAP);
const WORK: Types = TASK.or(PARALLEL).or(MAP);

/// Every field a state may have.
pub(crate) const STATE_FIELDS: &[Field] = &[
    f("Type", ALL, None),
    f("Comment", ALL, None),
    f("QueryLanguage", ALL, None),
    f("Next", FLOW, None),
    f("End", FLOW, None),
    f("InputPath", ALL.minus(FAIL), P),
    f("OutputPath", ALL.minus(FAIL), P),
    f("Output", ALL.minus(FAIL), J),
    f("Assign", ALL.minus(SUCCEED).minus(FAIL), None),
    f("Parameters", WORK.or(PASS), P),
    f("ResultSelector", WORK, P),
    f("ResultPath", WORK.or(PASS), P),
    f("Arguments", TASK.or(PARALLEL), J),
    f("Retry", WORK, None),
    f("Catch", WORK, None),
    f("Resource", TASK, None),
    f("TimeoutSeconds", TASK, None),
    f("TimeoutSecondsPath", TASK, P),
    f("HeartbeatSeconds", TASK, None),
    f("HeartbeatSecondsPath", TASK, P),
    f("Credentials", TASK, None),
    f("Result", PASS, P),
    f("Choices", CHOICE, None),
    f("Default", CHOICE, None),
    f("Seconds", WAIT, None),
    f("SecondsPath", WAIT, P),
    f("Timestamp", WAIT, None),
    f("TimestampPath", WAIT, P),
    f("Error", FAIL, None),
    f("ErrorPath", FAIL, P),
    f("Cause", FAIL, None),
    f("CausePath", FAIL, P),
    f("Branches", PARALLEL, None),
    f("ItemProcessor", MAP, None),
    f("Iterator", MAP, None),
    f("ItemsPath", MAP, P),
    f("Items", MAP, J),
    f("ItemSelector", MAP, None),
    f("ItemReader", MAP, None),
    f("ItemBatcher", MAP, None),
    f("ResultWriter", MAP, None),
    f("MaxConcurrency", MAP, None),
    f("MaxConcurrencyPath", MAP, P),
    f("ToleratedFailurePercentage", MAP, None),
    f("ToleratedFailurePercentagePath", MAP, P),
    f("ToleratedFailureCount", MAP, None),
    f("ToleratedFailureCountPath", MAP, P),
    f("Label", MAP, None),
];

/// The field named `name`, if any state type has it.
pub(crate) fn state_field(name: &str) -> Option<&'static Field> {
    STATE_FIELDS.iter().find(|f| f.name == name)
}

/// Top-level fields of a definition.
pub(crate) const MACHINE_FIELDS: &[&str] = &[
    "Comment",
    "StartAt",
    "States",
    "Version",
    "TimeoutSeconds",
    "QueryLanguage",
];
/// Fields of a Parallel branch.
pub(crate) const BRANCH_FIELDS: &[&str] = &["Comment", "StartAt", "States"];
/// Fields of a Map's ItemProcessor / Iterator.
pub(crate) const PROCESSOR_FIELDS: &[&str] = &["Comment", "StartAt", "States", "ProcessorConfig"];
/// Fields of a Retrier.
pub(crate) const RETRIER_FIELDS: &[&str] = &[
    "ErrorEquals",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Comment",
];
/// Fields of a Catcher.
pub(crate) const CATCHER_FIELDS: &[&str] = &[
    "ErrorEquals",
    "Next",
    "ResultPath",
    "Output",
    "Assign",
    "Comment",
];
/// Fields of a top-level Choice rule besides the test itself.
pub(crate) const RULE_FIELDS: &[&str] = &["Next", "Assign", "Output", "Comment"];
/// Fields of ItemReader.
pub(crate) const ITEM_READER_FIELDS: &[&str] =
    &["Resource", "Parameters", "Arguments", "ReaderConfig"];
/// Fields of ItemReader.ReaderConfig.
pub(crate) const READER_CONFIG_FIELDS: &[&str] = &[
    "InputType",
    "CSVHeaderLocation",
    "CSVHeaders",
    "CSVDelimiter",
    "MaxItems",
    "MaxItemsPath",
    "Transformation",
    "ManifestType",
    "ItemsPointer",
];
/// Fields of ItemBatcher.
pub(crate) const ITEM_BATCHER_FIELDS: &[&str] = &[
    "MaxItemsPerBatch",
    "MaxItemsPerBatchPath",
    "MaxInputBytesPerBatch",
    "MaxInputBytesPerBatchPath",
    "BatchInput",
];
/// Fields of ResultWriter.
pub(crate) const RESULT_WRITER_FIELDS: &[&str] =
    &["Resource", "Parameters", "Arguments", "WriterConfig"];
/// Fields of ProcessorConfig.
pub(crate) const PROCESSOR_CONFIG_FIELDS: &[&str] = &["Mode", "ExecutionType"];
