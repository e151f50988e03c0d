//! Turning an object's content into Map items by `ReaderConfig`: a JSON array, JSON Lines, or
//! CSV rows (objects keyed by the header row or the given headers; every value a string, as
//! AWS reads them).

use serde_json::{Map, Value};

use crate::error::Failure;
use crate::plan::ReaderPlan;

const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";

fn failed(detail: impl std::fmt::Display) -> Failure {
    Failure::new(ITEM_READER_FAILED, detail.to_string())
}

/// Decodes `bytes` as `reader`'s `InputType` says (JSON when none is given).
pub fn decode(bytes: &[u8], reader: &ReaderPlan) -> Result<Vec<Value>, Failure> {
    match reader.input_type.as_deref().unwrap_or("JSON") {
        "JSON" => match serde_json::from_slice(bytes) {
            Ok(Value::Array(items)) => Ok(items),
            Ok(other) => Err(failed(format!(
                "Attempting to map over non-iterable node: the JSON content is {}, not an array",
                kind(&other)
            ))),
            Err(e) => Err(failed(format!("The content is not valid JSON: {e}"))),
        },
        "JSONL" => {
            let text = std::str::from_utf8(bytes).map_err(failed)?;
            text.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(n, l)| {
                    serde_json::from_str(l)
                        .map_err(|e| failed(format!("Line {} is not valid JSON: {e}", n + 1)))
                })
                .collect()
        }
        "CSV" => csv_items(bytes, reader),
        other => Err(failed(format!(
            "InputType {other} needs a reader that returns the items themselves"
        ))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn delimiter(name: Option<&str>) -> Result<u8, Failure> {
    Ok(match name.unwrap_or("COMMA") {
        "COMMA" | "," => b',',
        "PIPE" | "|" => b'|',
        "SEMICOLON" | ";" => b';',
        "SPACE" | " " => b' ',
        "TAB" | "\t" => b'\t',
        other => return Err(failed(format!("Unknown CSVDelimiter {other}"))),
    })
}

fn csv_items(bytes: &[u8], reader: &ReaderPlan) -> Result<Vec<Value>, Failure> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter(reader.csv_delimiter.as_deref())?)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = csv.records();
    let headers: Vec<String> = if reader.csv_headers_given {
        reader.csv_headers.iter().map(|h| h.to_string()).collect()
    } else {
        match records.next() {
            Some(r) => r.map_err(failed)?.iter().map(str::to_owned).collect(),
            None => return Ok(Vec::new()),
        }
    };
    let mut items = Vec::new();
    for (n, record) in records.enumerate() {
        let record = record.map_err(failed)?;
        if record.len() != headers.len() {
            return Err(failed(format!(
                "CSV row {} has {} fields but there are {} headers",
                n + 1,
                record.len(),
                headers.len()
            )));
        }
        let row: Map<String, Value> = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.clone(), Value::String(v.to_owned())))
            .collect();
        items.push(Value::Object(row));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reader(input_type: &str) -> ReaderPlan {
        ReaderPlan {
            resource: "arn:aws:states:::s3:getObject".into(),
            parameters: None,
            input_type: Some(input_type.into()),
            csv_headers_given: false,
            csv_headers: Vec::new(),
            csv_delimiter: None,
            max_items: None,
        }
    }

    #[test]
    fn json_jsonl_and_csv() {
        assert_eq!(
            decode(br#"[1, {"a": 2}]"#, &reader("JSON")).ok(),
            Some(vec![json!(1), json!({"a": 2})])
        );
        assert!(decode(br#"{"a": 2}"#, &reader("JSON")).is_err());
        assert_eq!(
            decode(b"{\"a\":1}\n\n{\"a\":2}\n", &reader("JSONL")).ok(),
            Some(vec![json!({"a": 1}), json!({"a": 2})])
        );
        assert_eq!(
            decode(b"id,name\n1,\"x, y\"\n2,z\n", &reader("CSV")).ok(),
            Some(vec![
                json!({"id": "1", "name": "x, y"}),
                json!({"id": "2", "name": "z"})
            ])
        );
        let mut given = reader("CSV");
        given.csv_headers_given = true;
        given.csv_headers = vec!["a".into(), "b".into()];
        given.csv_delimiter = Some("SEMICOLON".into());
        assert_eq!(
            decode(b"1;2\n", &given).ok(),
            Some(vec![json!({"a": "1", "b": "2"})])
        );
        let e = decode(b"a,b\n1\n", &reader("CSV")).err();
        assert_eq!(e.map(|e| e.error), Some(ITEM_READER_FAILED.to_owned()));
    }
}
