//! Reading a Task's effective `Parameters` and shaping results as Step Functions does.

use asl_runtime::Failure;
use serde_json::{Map, Value, json};

use super::error::invalid;

/// The parameters of one call, with the service's error prefix for what is missing.
pub(crate) struct Params<'a> {
    values: &'a Value,
    prefix: &'static str,
}

impl<'a> Params<'a> {
    /// `values` (the effective Parameters) for a service whose errors start with `prefix`.
    pub(crate) fn new(values: &'a Value, prefix: &'static str) -> Self {
        Params { values, prefix }
    }

    /// The parameter `key`, if present and not null.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.values.get(key).filter(|v| !v.is_null())
    }

    /// A required string parameter.
    pub(crate) fn string(&self, key: &str) -> Result<String, Failure> {
        match self.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Err(invalid(
                self.prefix,
                format!("{key} must be a string, not {other}"),
            )),
            None => Err(invalid(self.prefix, format!("{key} is required"))),
        }
    }

    /// An optional string parameter.
    pub(crate) fn opt_string(&self, key: &str) -> Result<Option<String>, Failure> {
        match self.get(key) {
            None => Ok(None),
            Some(_) => self.string(key).map(Some),
        }
    }

    /// A required parameter that is text: a string as it is, anything else as its JSON (as
    /// Step Functions sends a `MessageBody`, `Message`, `Detail` or `Input` given as JSON).
    pub(crate) fn text(&self, key: &str) -> Result<String, Failure> {
        self.opt_text(key)?
            .ok_or_else(|| invalid(self.prefix, format!("{key} is required")))
    }

    /// An optional text parameter (see [`text`](Self::text)).
    pub(crate) fn opt_text(&self, key: &str) -> Result<Option<String>, Failure> {
        Ok(self.get(key).map(text))
    }

    /// An optional integer parameter.
    pub(crate) fn opt_i32(&self, key: &str) -> Result<Option<i32>, Failure> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| invalid(self.prefix, format!("{key} must be an integer, not {v}"))),
        }
    }

    /// An optional boolean parameter.
    pub(crate) fn opt_bool(&self, key: &str) -> Result<Option<bool>, Failure> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(invalid(
                self.prefix,
                format!("{key} must be a boolean, not {v}"),
            )),
        }
    }

    /// An optional object parameter.
    pub(crate) fn opt_object(&self, key: &str) -> Result<Option<&'a Map<String, Value>>, Failure> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(v) => Err(invalid(
                self.prefix,
                format!("{key} must be an object, not {v}"),
            )),
        }
    }

    /// An optional array parameter.
    pub(crate) fn opt_array(&self, key: &str) -> Result<Option<&'a Vec<Value>>, Failure> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(v) => Err(invalid(
                self.prefix,
                format!("{key} must be an array, not {v}"),
            )),
        }
    }

    /// An optional map of strings (`ExpressionAttributeNames`).
    pub(crate) fn opt_strings(
        &self,
        key: &str,
    ) -> Result<Option<std::collections::HashMap<String, String>>, Failure> {
        let Some(m) = self.opt_object(key)? else {
            return Ok(None);
        };
        m.iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(invalid(self.prefix, format!("{key}.{k} must be a string"))),
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// The error for an invalid value of `key`.
    pub(crate) fn invalid(&self, key: &str, message: impl std::fmt::Display) -> Failure {
        invalid(self.prefix, format!("{key}: {message}"))
    }
}

/// One of SNS's or SQS's `MessageAttributes`: its name, `DataType`, `StringValue` and
/// `BinaryValue` (decoded from base64).
pub(crate) struct MessageAttribute {
    pub name: String,
    pub data_type: String,
    pub string: Option<String>,
    pub binary: Option<Vec<u8>>,
}

impl Params<'_> {
    /// The `MessageAttributes` parameter, read.
    pub(crate) fn message_attributes(&self) -> Result<Vec<MessageAttribute>, Failure> {
        use base64::Engine as _;
        let mut out = Vec::new();
        for (name, attribute) in self.opt_object("MessageAttributes")?.into_iter().flatten() {
            let a = Params::new(attribute, self.prefix);
            let binary = match a.opt_string("BinaryValue")? {
                None => None,
                Some(b) => Some(
                    base64::engine::general_purpose::STANDARD
                        .decode(b)
                        .map_err(|e| self.invalid("MessageAttributes", e))?,
                ),
            };
            out.push(MessageAttribute {
                name: name.clone(),
                data_type: a.string("DataType")?,
                string: a.opt_string("StringValue")?,
                binary,
            });
        }
        Ok(out)
    }
}

/// A value as text: a string as it is, anything else as its JSON.
pub(crate) fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Text that holds JSON as that JSON, other text as a string.
pub(crate) fn json_or_string(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// The metadata the optimized integrations add to a service's answer (the Java SDK's
/// `SdkHttpMetadata` and `SdkResponseMetadata`).
pub(crate) fn with_metadata(mut result: Map<String, Value>, request_id: Option<&str>) -> Value {
    let request_id = request_id.unwrap_or_default();
    result.insert(
        "SdkHttpMetadata".into(),
        json!({
            "AllHttpHeaders": {
                "x-amzn-RequestId": [request_id],
                "Content-Type": ["application/x-amz-json-1.0"],
            },
            "HttpHeaders": {
                "x-amzn-RequestId": request_id,
                "Content-Type": "application/x-amz-json-1.0",
            },
            "HttpStatusCode": 200,
        }),
    );
    result.insert(
        "SdkResponseMetadata".into(),
        json!({ "RequestId": request_id }),
    );
    Value::Object(result)
}

/// A service's answer: with the optimized integrations' metadata unless it is an `aws-sdk:`
/// integration.
pub(crate) fn answer(sdk: bool, result: Map<String, Value>, request_id: Option<&str>) -> Value {
    if sdk {
        Value::Object(result)
    } else {
        with_metadata(result, request_id)
    }
}

/// A timestamp as Step Functions gives a service's dates: milliseconds since the epoch from
/// the optimized integrations, ISO 8601 text from `aws-sdk:` ones.
pub(crate) fn date(t: &aws_smithy_types::DateTime, sdk: bool) -> Value {
    if sdk {
        t.fmt(aws_smithy_types::date_time::Format::DateTime)
            .map_or(Value::Null, Value::from)
    } else {
        t.to_millis().map_or(Value::Null, Value::from)
    }
}

/// Adds `key` to `map` when `value` is present.
pub(crate) fn put(map: &mut Map<String, Value>, key: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        map.insert(key.to_owned(), v.into());
    }
}
