//! What a rule's target is given: the whole event, a constant (`Input`), part of the event
//! (`InputPath`), or a template filled from it (`InputTransformer`), as EventBridge computes
//! them.

use asl_runtime::lang::jsonpath::{self, Path};
use serde_json::{Map, Value};

/// How a target's input is made from a matched event.
#[derive(Clone, Debug, PartialEq)]
pub enum TargetInput {
    /// The event itself.
    Event,
    /// This JSON text, whatever the event.
    Constant(Value),
    /// The part of the event a JSONPath selects.
    Path(Path),
    /// A template whose `<name>` placeholders are filled with what paths select.
    Transformer {
        /// Each placeholder's path.
        paths: Vec<(String, Path)>,
        /// The template text.
        template: String,
    },
}

/// Why a target's input settings are refused (`ValidationException`'s text).
pub type InputError = String;

impl TargetInput {
    /// Reads a target's `Input`, `InputPath` and `InputTransformer` members (at most one).
    pub fn from_target(target: &Value) -> Result<Self, InputError> {
        let given: Vec<&str> = ["Input", "InputPath", "InputTransformer"]
            .into_iter()
            .filter(|k| target.get(*k).is_some_and(|v| !v.is_null()))
            .collect();
        if given.len() > 1 {
            return Err(
                "Only one of Input, InputPath, or InputTransformer must be provided.".to_owned(),
            );
        }
        if let Some(text) = target.get("Input").and_then(Value::as_str) {
            return serde_json::from_str(text)
                .map(TargetInput::Constant)
                .map_err(|e| format!("Input is not valid JSON text: {e}"));
        }
        if let Some(path) = target.get("InputPath").and_then(Value::as_str) {
            return parse_path(path).map(TargetInput::Path);
        }
        if let Some(t) = target.get("InputTransformer").filter(|t| !t.is_null()) {
            let template = t
                .get("InputTemplate")
                .and_then(Value::as_str)
                .ok_or("InputTransformer needs an InputTemplate.")?
                .to_owned();
            let mut paths = Vec::new();
            if let Some(map) = t.get("InputPathsMap").and_then(Value::as_object) {
                if map.len() > 100 {
                    return Err("InputPathsMap has more than 100 entries.".to_owned());
                }
                for (name, path) in map {
                    let path = path
                        .as_str()
                        .ok_or("InputPathsMap values are JSONPath texts.")?;
                    paths.push((name.clone(), parse_path(path)?));
                }
            }
            return Ok(TargetInput::Transformer { paths, template });
        }
        Ok(TargetInput::Event)
    }

    /// The members that describe it, as ListTargetsByRule returns them.
    pub fn members(&self, into: &mut Map<String, Value>) {
        match self {
            TargetInput::Event => {}
            TargetInput::Constant(v) => {
                into.insert("Input".into(), Value::String(v.to_string()));
            }
            TargetInput::Path(p) => {
                into.insert("InputPath".into(), Value::String(p.text().to_owned()));
            }
            TargetInput::Transformer { paths, template } => {
                let map: Map<String, Value> = paths
                    .iter()
                    .map(|(n, p)| (n.clone(), Value::String(p.text().to_owned())))
                    .collect();
                into.insert(
                    "InputTransformer".into(),
                    serde_json::json!({"InputPathsMap": map, "InputTemplate": template}),
                );
            }
        }
    }

    /// The input for a target of an event.
    pub fn apply(&self, event: &Value) -> Value {
        match self {
            TargetInput::Event => event.clone(),
            TargetInput::Constant(v) => v.clone(),
            TargetInput::Path(p) => p.select(event).unwrap_or(Value::Null),
            TargetInput::Transformer { paths, template } => {
                let values: Vec<(&str, Option<Value>)> = paths
                    .iter()
                    .map(|(n, p)| (n.as_str(), p.select(event)))
                    .collect();
                fill(template, &values)
            }
        }
    }
}

fn parse_path(text: &str) -> Result<Path, InputError> {
    jsonpath::parse(text).map_err(|e| format!("{text} is not a valid JSONPath: {e}"))
}

/// The template with each `<name>` replaced: inside a JSON string (or anywhere in a template
/// that is plain text, not JSON) by the value's text (a string without its quotes), elsewhere
/// by the value as JSON (`null` when the path selects nothing). The result is JSON when the
/// filled text is, else a JSON string of it.
fn fill(template: &str, values: &[(&str, Option<Value>)]) -> Value {
    let mut out = String::with_capacity(template.len());
    let json = template.trim_start().starts_with(['{', '[', '"']);
    let mut in_string = !json;
    let mut escaped = false;
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && let Some((_, value)) = values.iter().find(|(n, _)| *n == &rest[1..end])
        {
            let text = match (value, in_string) {
                (Some(Value::String(s)), true) => escape(s),
                (Some(v), true) => escape(&v.to_string()),
                (Some(v), false) => v.to_string(),
                (None, _) => {
                    if in_string {
                        String::new()
                    } else {
                        "null".to_owned()
                    }
                }
            };
            out.push_str(&text);
            rest = &rest[end + 1..];
            continue;
        }
        match c {
            '\\' if in_string => escaped = !escaped,
            '"' if json && !escaped => in_string = !in_string,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    serde_json::from_str(&out).unwrap_or(Value::String(out))
}

/// `s` as it goes between the quotes of a JSON string.
fn escape(s: &str) -> String {
    let quoted = Value::String(s.to_owned()).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn transform(paths: Value, template: &str) -> Value {
        let t = TargetInput::from_target(
            &json!({"InputTransformer": {"InputPathsMap": paths, "InputTemplate": template}}),
        )
        .expect("valid");
        t.apply(&json!({"detail": {"id": "o-1", "total": 12.5, "items": ["a"]}, "source": "shop"}))
    }

    #[test]
    fn templates_fill_strings_and_json_values() {
        assert_eq!(
            transform(
                json!({"id": "$.detail.id", "total": "$.detail.total"}),
                r#"{"order": <id>, "sum": <total>, "text": "order <id> from <source>"}"#
            ),
            json!({"order": "o-1", "sum": 12.5, "text": "order o-1 from <source>"})
        );
        assert_eq!(
            transform(json!({"src": "$.source"}), "Order from <src>"),
            json!("Order from shop")
        );
        assert_eq!(
            transform(
                json!({"items": "$.detail.items", "none": "$.missing"}),
                r#"{"items": <items>, "none": <none>}"#
            ),
            json!({"items": ["a"], "none": null})
        );
    }

    #[test]
    fn input_and_input_path() {
        let event = json!({"detail": {"id": 1}});
        let constant =
            TargetInput::from_target(&json!({"Input": "{\"fixed\": true}"})).expect("valid");
        assert_eq!(constant.apply(&event), json!({"fixed": true}));
        let path = TargetInput::from_target(&json!({"InputPath": "$.detail"})).expect("valid");
        assert_eq!(path.apply(&event), json!({"id": 1}));
        assert!(TargetInput::from_target(&json!({"Input": "{}", "InputPath": "$"})).is_err());
        assert_eq!(
            TargetInput::from_target(&json!({}))
                .expect("valid")
                .apply(&event),
            event
        );
    }
}
