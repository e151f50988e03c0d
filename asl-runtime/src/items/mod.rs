//! Where a distributed Map's items come from and where its results go: the [`ItemReader`] and
//! [`ResultWriter`] a machine is given, the decoding of what a reader returns (a JSON array,
//! JSON Lines, CSV) by the state's `ReaderConfig`, and [`LocalFiles`], which serves both from
//! a folder on disk the way S3 would.

mod decode;
mod local;

use serde_json::Value;

pub use decode::decode;
pub use local::LocalFiles;

use crate::error::Failure;
use crate::task::BoxFuture;

/// What an ItemReader asks for: the state's `Resource` and its evaluated `Parameters`.
#[derive(Clone, Debug)]
pub struct ReadRequest {
    /// The reader's `Resource` (`arn:aws:states:::s3:getObject`, `…:s3:listObjectsV2`, …).
    pub resource: String,
    /// The evaluated `Parameters` (`{"Bucket": …, "Key": …}` for S3).
    pub parameters: Value,
    /// `ReaderConfig.InputType`, if given (`JSON`, `JSONL`, `CSV`, `MANIFEST`, …).
    pub input_type: Option<String>,
}

/// What a reader returns: the object's bytes, which the engine decodes by `ReaderConfig`
/// (as S3 `getObject` returns a file), or the items themselves (as `listObjectsV2` does).
#[derive(Clone, Debug)]
pub enum ReadItems {
    /// Raw content, decoded as `InputType` says.
    Bytes(Vec<u8>),
    /// The items, used as they are.
    Items(Vec<Value>),
}

/// Supplies the items of a Map state with an `ItemReader`. A failure becomes
/// `States.ItemReaderFailed` unless it already names a `States.*` error.
pub trait ItemReader: Send + Sync {
    /// Reads what `request` names.
    fn read<'a>(&'a self, request: &'a ReadRequest) -> BoxFuture<'a, Result<ReadItems, Failure>>;
}

/// One child execution's result, as a ResultWriter receives it.
#[derive(Clone, Debug, PartialEq)]
pub struct ChildResult {
    /// The item's (or batch's) index.
    pub index: usize,
    /// The child execution's name.
    pub name: String,
    /// The child execution's ARN.
    pub execution_arn: String,
    /// Its input.
    pub input: Value,
    /// `SUCCEEDED` or `FAILED`.
    pub status: &'static str,
    /// Its output, if it succeeded.
    pub output: Option<Value>,
    /// The error, if it failed.
    pub error: Option<String>,
    /// The cause, if it failed.
    pub cause: Option<String>,
}

impl ChildResult {
    /// The record AWS writes for a child execution in `SUCCEEDED_n.json` / `FAILED_n.json`.
    pub fn to_record(&self, state_machine_arn: &str) -> Value {
        let mut r = serde_json::json!({
            "ExecutionArn": self.execution_arn,
            "Input": serde_json::to_string(&self.input).unwrap_or_default(),
            "InputDetails": {"Included": true},
            "Name": self.name,
            "StateMachineArn": state_machine_arn,
            "Status": self.status,
        });
        if let Some(o) = &self.output {
            r["Output"] = serde_json::to_string(o).unwrap_or_default().into();
            r["OutputDetails"] = serde_json::json!({"Included": true});
        }
        if let Some(e) = &self.error {
            r["Error"] = e.clone().into();
        }
        if let Some(c) = &self.cause {
            r["Cause"] = c.clone().into();
        }
        r
    }
}

/// What a ResultWriter is handed once every child execution has ended.
#[derive(Clone, Debug)]
pub struct WriteRequest {
    /// The writer's `Resource`, if given.
    pub resource: Option<String>,
    /// The evaluated `Parameters` (`{"Bucket": …, "Prefix": …}`).
    pub parameters: Value,
    /// `WriterConfig` as written (`OutputType`, `Transformation`).
    pub writer_config: Option<Value>,
    /// The Map Run's ARN.
    pub map_run_arn: String,
    /// The state machine's ARN (for the records).
    pub state_machine_arn: String,
    /// Every child's result, in item order.
    pub results: Vec<ChildResult>,
}

/// Stores a distributed Map's results (ResultWriter). What it returns is the
/// `ResultWriterDetails` of the state's result. A failure becomes `States.ResultWriterFailed`.
pub trait ResultWriter: Send + Sync {
    /// Writes the results.
    fn write<'a>(&'a self, request: &'a WriteRequest) -> BoxFuture<'a, Result<Value, Failure>>;
}

/// What a ResultWriter stores, laid out as AWS lays it out in S3: under
/// `<Prefix>/<map run id>/`, `SUCCEEDED_0.json` and `FAILED_0.json` (`.jsonl` with
/// `OutputType: JSONL`) holding the children's records, and `manifest.json` listing them.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultFiles {
    /// Each file's key in the bucket and its text, the manifest last.
    pub files: Vec<(String, String)>,
    /// The `ResultWriterDetails` (`{"Bucket": …, "Key": <the manifest's key>}`).
    pub result: Value,
}

impl ResultFiles {
    /// The files `request` stores.
    pub fn of(request: &WriteRequest) -> Self {
        let bucket = request
            .parameters
            .get("Bucket")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let prefix = request
            .parameters
            .get("Prefix")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim_end_matches('/');
        let run_id = request.map_run_arn.rsplit(':').next().unwrap_or("map-run");
        let folder = if prefix.is_empty() {
            run_id.to_owned()
        } else {
            format!("{prefix}/{run_id}")
        };
        let jsonl = request
            .writer_config
            .as_ref()
            .and_then(|c| c.get("OutputType"))
            .and_then(Value::as_str)
            == Some("JSONL");
        let mut files = Vec::new();
        let mut listed = Vec::new();
        for status in ["SUCCEEDED", "FAILED"] {
            let records: Vec<Value> = request
                .results
                .iter()
                .filter(|r| r.status == status)
                .map(|r| r.to_record(&request.state_machine_arn))
                .collect();
            let (name, text) = if jsonl {
                let lines: Vec<String> = records.iter().map(Value::to_string).collect();
                (format!("{status}_0.jsonl"), lines.join("\n"))
            } else {
                (
                    format!("{status}_0.json"),
                    serde_json::to_string(&records).unwrap_or_default(),
                )
            };
            let key = format!("{folder}/{name}");
            listed.push(serde_json::json!({"Key": key, "Size": records.len()}));
            files.push((key, text));
        }
        let manifest = serde_json::json!({
            "DestinationBucket": bucket,
            "MapRunArn": request.map_run_arn,
            "ResultFiles": {"SUCCEEDED": [listed[0]], "FAILED": [listed[1]], "PENDING": []},
        });
        let key = format!("{folder}/manifest.json");
        files.push((key.clone(), manifest.to_string()));
        ResultFiles {
            files,
            result: serde_json::json!({"Bucket": bucket, "Key": key}),
        }
    }
}
