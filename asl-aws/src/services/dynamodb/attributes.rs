//! DynamoDB's attribute values between their JSON form (`{"S": "x"}`, `{"N": "1"}`,
//! `{"M": {...}}`, as Step Functions writes them) and the SDK's.

use std::collections::HashMap;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine as _;
use serde_json::{Map, Value};

/// A JSON attribute value as the SDK's.
pub(crate) fn from_json(value: &Value) -> Result<AttributeValue, String> {
    let Some(object) = value.as_object().filter(|o| o.len() == 1) else {
        return Err(format!(
            "an attribute value must be an object with one type key (S, N, B, BOOL, NULL, M, L, SS, NS, BS), not {value}"
        ));
    };
    let Some((kind, v)) = object.iter().next() else {
        return Err("an empty attribute value".to_owned());
    };
    let string = |v: &Value| {
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("{kind} takes a string, not {v}"))
    };
    let strings = |v: &Value| -> Result<Vec<String>, String> {
        v.as_array()
            .ok_or_else(|| format!("{kind} takes an array of strings, not {v}"))?
            .iter()
            .map(string)
            .collect()
    };
    let blob = |s: String| {
        base64::engine::general_purpose::STANDARD
            .decode(s)
            .map(Blob::new)
            .map_err(|e| format!("{kind} takes base64: {e}"))
    };
    Ok(match kind.as_str() {
        "S" => AttributeValue::S(string(v)?),
        "N" => AttributeValue::N(match v {
            Value::Number(n) => n.to_string(),
            other => string(other)?,
        }),
        "B" => AttributeValue::B(blob(string(v)?)?),
        "BOOL" => AttributeValue::Bool(
            v.as_bool()
                .ok_or_else(|| format!("BOOL takes a boolean, not {v}"))?,
        ),
        "NULL" => AttributeValue::Null(true),
        "M" => AttributeValue::M(map_from_json(v)?),
        "L" => AttributeValue::L(
            v.as_array()
                .ok_or_else(|| format!("L takes an array, not {v}"))?
                .iter()
                .map(from_json)
                .collect::<Result<_, _>>()?,
        ),
        "SS" => AttributeValue::Ss(strings(v)?),
        "NS" => AttributeValue::Ns(strings(v)?),
        "BS" => AttributeValue::Bs(
            strings(v)?
                .into_iter()
                .map(blob)
                .collect::<Result<_, _>>()?,
        ),
        other => return Err(format!("{other} is not an attribute type")),
    })
}

/// A JSON map of attribute values (an item, a key) as the SDK's.
pub(crate) fn map_from_json(value: &Value) -> Result<HashMap<String, AttributeValue>, String> {
    value
        .as_object()
        .ok_or_else(|| format!("a map of attribute values must be an object, not {value}"))?
        .iter()
        .map(|(k, v)| from_json(v).map(|a| (k.clone(), a)))
        .collect()
}

/// The SDK's attribute value as JSON.
pub(crate) fn to_json(value: &AttributeValue) -> Value {
    let b64 =
        |b: &Blob| Value::String(base64::engine::general_purpose::STANDARD.encode(b.as_ref()));
    let (kind, v) = match value {
        AttributeValue::S(s) => ("S", Value::String(s.clone())),
        AttributeValue::N(n) => ("N", Value::String(n.clone())),
        AttributeValue::B(b) => ("B", b64(b)),
        AttributeValue::Bool(b) => ("BOOL", Value::Bool(*b)),
        AttributeValue::Null(b) => ("NULL", Value::Bool(*b)),
        AttributeValue::M(m) => ("M", map_to_json(m)),
        AttributeValue::L(l) => ("L", Value::Array(l.iter().map(to_json).collect())),
        AttributeValue::Ss(ss) => ("SS", Value::from(ss.clone())),
        AttributeValue::Ns(ns) => ("NS", Value::from(ns.clone())),
        AttributeValue::Bs(bs) => ("BS", Value::Array(bs.iter().map(b64).collect())),
        _ => ("NULL", Value::Bool(true)),
    };
    let mut m = Map::new();
    m.insert(kind.to_owned(), v);
    Value::Object(m)
}

/// The SDK's map of attribute values as JSON, its keys sorted.
pub(crate) fn map_to_json(map: &HashMap<String, AttributeValue>) -> Value {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    Value::Object(
        keys.into_iter()
            .filter_map(|k| map.get(k).map(|v| (k.clone(), to_json(v))))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_type_goes_there_and_back() {
        let item = json!({
            "s": {"S": "x"}, "n": {"N": "1.5"}, "b": {"B": "aGk="}, "t": {"BOOL": true},
            "z": {"NULL": true}, "l": {"L": [{"S": "a"}, {"N": "2"}]},
            "m": {"M": {"k": {"SS": ["a", "b"]}}}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["aGk="]}
        });
        let there = map_from_json(&item).expect("valid");
        let mut back = map_to_json(&there);
        let mut want = item.clone();
        back.sort_all_objects();
        want.sort_all_objects();
        assert_eq!(back, want);
    }

    #[test]
    fn numbers_may_be_written_as_numbers_and_bad_values_are_errors() {
        assert_eq!(
            from_json(&json!({"N": 3})),
            Ok(AttributeValue::N("3".into()))
        );
        assert!(from_json(&json!({"S": 3})).is_err());
        assert!(from_json(&json!("plain")).is_err());
        assert!(from_json(&json!({"S": "a", "N": "1"})).is_err());
    }
}
