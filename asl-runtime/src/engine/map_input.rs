//! What a Map state iterates over: the items (ItemsPath, or an ItemReader's, up to MaxItems),
//! grouped into batches by an ItemBatcher, and the numbers it reads from its input
//! (MaxConcurrency, the tolerated failures) with AWS's messages for values that are not numbers.

use serde_json::{Map, Value, json};

use super::Run;
use super::task::missing_path;
use crate::data::io::{Place, Select};
use crate::data::jsonata::kind;
use crate::data::scope::Scope;
use crate::data::template::{TASK_PATH_ERROR, Template};
use crate::error::{Failure, names};
use crate::items::{ReadItems, ReadRequest, decode};
use crate::limits::json_size;
use crate::plan::{Amount, BatcherPlan, MapPlan, ReaderPlan, StatePlan};
use asl_lang::jsonpath::{Path, Root};

/// One item: its value and, when the Map iterates over an object, its key.
pub(super) struct Item {
    pub(super) key: Option<String>,
    pub(super) value: Value,
}

/// An integer field (`MaxConcurrency`, `ToleratedFailureCount`, …) given literally, by its
/// `…Path` field, or as a JSONata expression.
pub(super) fn integer(amount: &Amount, scope: &Scope<'_>, field: &str) -> Result<i64, Failure> {
    match amount {
        Amount::Fixed(n) => Ok(*n as i64),
        Amount::Path(p) => {
            let v = scope.select(p).ok_or_else(|| missing_path(p))?;
            // AWS reads a string holding an integer as that integer.
            let n = v
                .as_i64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
            n.ok_or_else(|| {
                Failure::runtime(format!(
                    "The {field}Path field refers to value \"{}\" which is not a valid integer: {}",
                    display(&v),
                    p.text()
                ))
            })
        }
        Amount::Expr(e) => {
            let v = e.eval(scope, field)?;
            v.as_i64().ok_or_else(|| {
                e.failure(
                    field,
                    &format!(
                        "returned an unexpected result type. Expected 'integer', but was '{}' for value: {v}",
                        kind(&v)
                    ),
                )
            })
        }
    }
}

/// A number field (`ToleratedFailurePercentage`).
pub(super) fn float(amount: &Amount, scope: &Scope<'_>, field: &str) -> Result<f64, Failure> {
    match amount {
        Amount::Fixed(n) => Ok(*n),
        Amount::Path(p) => {
            let v = scope.select(p).ok_or_else(|| missing_path(p))?;
            let n = v
                .as_f64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
            n.ok_or_else(|| {
                Failure::runtime(format!(
                    "The {field}Path field refers to value \"{}\" which is not a valid float: {}",
                    display(&v),
                    p.text()
                ))
            })
        }
        Amount::Expr(e) => {
            let v = e.eval(scope, field)?;
            v.as_f64().ok_or_else(|| {
                e.failure(
                    field,
                    &format!(
                        "returned an unexpected result type. Expected 'number', but was '{}' for value: {v}",
                        kind(&v)
                    ),
                )
            })
        }
    }
}

fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// How many failed items a Map Run tolerates.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Tolerance {
    count: Option<u64>,
    percentage: Option<f64>,
}

impl Tolerance {
    pub(super) fn of(plan: &MapPlan, input: &Scope<'_>) -> Result<Self, Failure> {
        let count = match &plan.tolerated_failure_count {
            Some(a) => {
                let n = integer(a, input, "ToleratedFailureCount")?;
                if n < 0 {
                    return Err(Failure::runtime(
                        "ToleratedFailureCount cannot be negative.",
                    ));
                }
                Some(n as u64)
            }
            None => None,
        };
        let percentage = match &plan.tolerated_failure_percentage {
            Some(a) => {
                let p = float(a, input, "ToleratedFailurePercentage")?;
                if !(0.0..=100.0).contains(&p) {
                    return Err(Failure::runtime(
                        "ToleratedFailurePercentage must be between 0 and 100.",
                    ));
                }
                Some(p)
            }
            None => None,
        };
        Ok(Tolerance { count, percentage })
    }

    /// Whether either threshold is set (then a breach is `States.ExceedToleratedFailureThreshold`).
    pub(super) fn is_set(&self) -> bool {
        self.count.is_some() || self.percentage.is_some()
    }

    /// Whether `failed` of `total` items breaks a threshold (any failure does when none is set).
    pub(super) fn exceeded(&self, failed: u64, total: usize) -> bool {
        if !self.is_set() {
            return failed > 0;
        }
        let by_count = self.count.is_some_and(|c| failed > c);
        let by_share = self
            .percentage
            .is_some_and(|p| total > 0 && failed as f64 * 100.0 / total as f64 > p);
        by_count || by_share
    }
}

impl Run<'_> {
    /// The items of a Map state: from its ItemReader, or ItemsPath over the effective input
    /// (an array, or an object's members in order).
    pub(super) async fn items(
        &self,
        state: &StatePlan,
        plan: &MapPlan,
        scope: &Scope<'_>,
    ) -> Result<Vec<Item>, Failure> {
        let effective = scope.input;
        let found = match (&plan.item_reader, &plan.items) {
            (Some(reader), _) => Value::Array(self.read_items(reader, scope).await?),
            (None, Some(Template::Jsonata { expr, field })) => {
                let v = expr.eval(scope, field)?;
                if !v.is_array() {
                    return Err(expr.failure(
                        field,
                        &format!(
                            "returned an unexpected result type. Expected 'array', but was '{}' for value: {v}",
                            kind(&v)
                        ),
                    ));
                }
                v
            }
            (None, Some(t)) => t.apply(scope, names::RUNTIME)?,
            (None, None) => match &plan.items_path {
                None => effective.clone(),
                Some(p) => scope.select(p).ok_or_else(|| missing_path(p))?,
            },
        };
        into_items(state, found)
    }

    async fn read_items(
        &self,
        reader: &ReaderPlan,
        scope: &Scope<'_>,
    ) -> Result<Vec<Value>, Failure> {
        let parameters = match &reader.parameters {
            Some(t) => t.apply(scope, TASK_PATH_ERROR)?,
            None => json!({}),
        };
        let max_items = match &reader.max_items {
            Some(a) => {
                let n = integer(a, scope, "MaxItems")?;
                if n < 0 {
                    return Err(Failure::runtime("MaxItems cannot be negative."));
                }
                Some(n as usize)
            }
            None => None,
        };
        let Some(source) = self.env.reader else {
            return Err(Failure::new(
                "States.ItemReaderFailed",
                format!(
                    "The machine has no item reader for '{}': give it one with Machine::with_item_reader (LocalFiles reads a folder)",
                    reader.resource
                ),
            ));
        };
        let request = ReadRequest {
            resource: reader.resource.to_string(),
            parameters,
            input_type: reader.input_type.as_deref().map(str::to_owned),
        };
        let read = source.read(&request).await.map_err(|f| {
            if f.error.starts_with("States.") {
                f
            } else {
                Failure {
                    error: "States.ItemReaderFailed".into(),
                    cause: Some(f.to_string()),
                    detail: false,
                }
            }
        })?;
        let mut items = match read {
            ReadItems::Items(items) => items,
            ReadItems::Bytes(bytes) => decode(&bytes, reader)?,
        };
        if let Some(n) = max_items.filter(|n| *n > 0) {
            items.truncate(n);
        }
        Ok(items)
    }
}

/// The ItemsPath whose items a Map state may take out of its effective input rather than copy:
/// when nothing reads that input again (no ItemSelector, ItemBatcher, Assign or tolerance path
/// reads it, and the state's output is its result alone or is built from a raw input that is
/// a separate copy). The state's raw input is the attempt's own (Retry and Catch keep theirs).
pub(super) fn movable_items<'p>(state: &StatePlan, plan: &'p MapPlan) -> Option<&'p Path> {
    let items = plan.items_path.as_ref()?;
    let reads_input_again = state.jsonata
        || state.assign.is_some()
        || plan.distributed
        || plan.item_reader.is_some()
        || plan.items.is_some()
        || plan.item_selector.is_some()
        || plan.item_batcher.is_some()
        || [
            &plan.tolerated_failure_count,
            &plan.tolerated_failure_percentage,
        ]
        .into_iter()
        .any(|a| !matches!(a, None | Some(Amount::Fixed(_))));
    if reads_input_again || items.is_root() || !items.is_plain() || *items.root() != Root::Input {
        return None;
    }
    let output_is_result = match (&plan.outcomes.result_path, &state.output_path) {
        // The raw input is dropped: the output is made of the result.
        (Place::Replace, _) => true,
        // OutputPath picks exactly what ResultPath wrote, from a raw input whose other members
        // are not read (and whose items are not on the way to the result).
        (Place::At(at), Select::Path(out)) => at == out && !overlaps(at, items),
        _ => false,
    };
    // With an InputPath, the effective input is a copy beside the raw input.
    (output_is_result || !matches!(state.input_path, Select::All)).then_some(items)
}

/// Whether one of two input paths leads into (or is) the other.
fn overlaps(a: &Path, b: &Path) -> bool {
    let (a, b) = (a.steps(), b.steps());
    let n = a.len().min(b.len());
    a[..n] == b[..n]
}

/// The items a Map state found: an array's elements, or (JSONPath) an object's members in order.
pub(super) fn into_items(state: &StatePlan, found: Value) -> Result<Vec<Item>, Failure> {
    match found {
        Value::Array(a) => Ok(a
            .into_iter()
            .map(|value| Item { key: None, value })
            .collect()),
        Value::Object(o) if !state.jsonata => Ok(o
            .into_iter()
            .map(|(k, value)| Item {
                key: Some(k),
                value,
            })
            .collect()),
        other if state.jsonata => Err(Failure::in_state(
            names::QUERY_EVALUATION_ERROR,
            format!("Map state input must be an array but was: {other}"),
        )),
        other => Err(Failure::runtime(format!(
            "Map state input must be an array but was: {}",
            kind(&other)
        ))),
    }
}

/// Groups iteration inputs into batches `{"Items": […], "BatchInput": …}` of at most
/// MaxItemsPerBatch items and MaxInputBytesPerBatch bytes.
pub(super) fn batches(
    batcher: &BatcherPlan,
    inputs: Vec<Value>,
    scope: &Scope<'_>,
) -> Result<Vec<Value>, Failure> {
    let batch_input = batcher
        .batch_input
        .as_ref()
        .map(|t| t.apply(scope, TASK_PATH_ERROR))
        .transpose()?;
    let positive = |a: &Option<Amount>, field: &str| -> Result<Option<usize>, Failure> {
        match a {
            Some(a) => {
                let n = integer(a, scope, field)?;
                if n <= 0 {
                    return Err(Failure::runtime(format!(
                        "The {field} field must be a positive integer"
                    )));
                }
                Ok(Some(n as usize))
            }
            None => Ok(None),
        }
    };
    let max_items = positive(&batcher.max_items, "MaxItemsPerBatch")?.unwrap_or(usize::MAX);
    let max_bytes = positive(&batcher.max_bytes, "MaxInputBytesPerBatch")?.unwrap_or(256 * 1024);
    // `{"Items":[]}` and `,"BatchInput":…`.
    let overhead = 12 + batch_input.as_ref().map_or(0, |b| 14 + json_size(b));
    let mut out = Vec::new();
    let mut current: Vec<Value> = Vec::new();
    let mut bytes = overhead;
    let make = |items: Vec<Value>| {
        let mut m = Map::new();
        m.insert("Items".into(), Value::Array(items));
        if let Some(b) = &batch_input {
            m.insert("BatchInput".into(), b.clone());
        }
        Value::Object(m)
    };
    for input in inputs {
        // An item that would make a batch over AWS's payload limit on its own.
        if overhead + json_size(&input) > crate::limits::MAX_PAYLOAD_BYTES {
            return Err(Failure::new(
                crate::error::names::DATA_LIMIT_EXCEEDED,
                format!(
                    "An item of {} bytes makes a batch larger than the maximum number of bytes service limit ({}).",
                    json_size(&input),
                    crate::limits::MAX_PAYLOAD_BYTES
                ),
            ));
        }
        let size = json_size(&input) + usize::from(!current.is_empty());
        if !current.is_empty() && (current.len() >= max_items || bytes + size > max_bytes) {
            out.push(make(std::mem::take(&mut current)));
            bytes = overhead;
        }
        bytes += json_size(&input) + usize::from(!current.is_empty());
        current.push(input);
    }
    if !current.is_empty() {
        out.push(make(current));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_too_large_for_any_batch_is_a_data_limit_failure() {
        let batcher = BatcherPlan {
            max_items: Some(Amount::Fixed(10.0)),
            max_bytes: None,
            batch_input: None,
        };
        let small = vec![json!(1), json!("x".repeat(300_000))];
        let e = batches(&batcher, small, &Scope::PLAIN)
            .err()
            .map(|f| f.error);
        assert_eq!(e.as_deref(), Some("States.DataLimitExceeded"));
    }

    #[test]
    fn tolerance_thresholds() {
        let none = Tolerance::default();
        assert!(!none.exceeded(0, 10) && none.exceeded(1, 10));
        let count = Tolerance {
            count: Some(2),
            percentage: None,
        };
        assert!(!count.exceeded(2, 10) && count.exceeded(3, 10));
        let share = Tolerance {
            count: None,
            percentage: Some(25.0),
        };
        assert!(!share.exceeded(1, 4) && share.exceeded(2, 4));
    }

    #[test]
    fn batching_by_count_and_bytes() {
        let by_count = BatcherPlan {
            max_items: Some(Amount::Fixed(2.0)),
            max_bytes: None,
            batch_input: None,
        };
        let inputs: Vec<Value> = (0..5).map(|i| json!(i)).collect();
        let b = batches(&by_count, inputs.clone(), &Scope::PLAIN).ok();
        assert_eq!(
            b,
            Some(vec![
                json!({"Items": [0, 1]}),
                json!({"Items": [2, 3]}),
                json!({"Items": [4]})
            ])
        );
        let by_bytes = BatcherPlan {
            max_items: None,
            max_bytes: Some(Amount::Fixed(16.0)),
            batch_input: None,
        };
        // `{"Items":[0,1,2]}` is 17 bytes, one too many.
        let b = batches(&by_bytes, inputs, &Scope::PLAIN).ok();
        assert_eq!(
            b.map(|b| b.len()),
            Some(3),
            "batches of at most 16 bytes: [0,1], [2,3], [4]"
        );
    }
}
