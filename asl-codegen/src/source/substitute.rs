//! Deployment placeholders (`${Name}`, as CloudFormation's DefinitionSubstitutions and
//! Terraform's templatefile write them), replaced in the parsed tree so spans stay true.

use super::{Node, Value};

/// Replaces `${Name}` in every string of `node` with the value given for `Name`.
///
/// A string that is exactly one placeholder whose value reads as a JSON number, boolean,
/// object or array becomes that value (`"TimeoutSeconds": "${Timeout}"` with `Timeout=30`
/// gives `30`), as it would once the template engine wrote it unquoted; the value's parts
/// point at the placeholder in the source.
pub fn substitute(node: &mut Node, values: &[(String, String)]) {
    if values.is_empty() {
        return;
    }
    match &mut node.value {
        Value::String(s) => {
            if let Some(name) = s.strip_prefix("${").and_then(|r| r.strip_suffix('}'))
                && let Some((_, v)) = values.iter().find(|(k, _)| k == name)
            {
                node.value = match v.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    n if serde_json::from_str::<serde_json::Number>(n).is_ok() => {
                        Value::Number(n.to_owned())
                    }
                    json if json.trim_start().starts_with(['{', '['])
                        && let Ok(mut parsed) = super::parse(json, crate::Syntax::Json) =>
                    {
                        respan(&mut parsed, node.span);
                        parsed.value
                    }
                    other => Value::String(other.to_owned()),
                };
                return;
            }
            if s.contains("${") {
                for (k, v) in values {
                    let pat = format!("${{{k}}}");
                    if s.contains(&pat) {
                        *s = s.replace(&pat, v);
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|n| substitute(n, values)),
        Value::Object(members) => members
            .iter_mut()
            .for_each(|m| substitute(&mut m.value, values)),
        _ => {}
    }
}

/// Points every part of `node` at `span`.
fn respan(node: &mut Node, span: super::Span) {
    node.span = span;
    match &mut node.value {
        Value::Array(items) => items.iter_mut().for_each(|n| respan(n, span)),
        Value::Object(members) => members.iter_mut().for_each(|m| {
            m.key_span = span;
            respan(&mut m.value, span);
        }),
        _ => {}
    }
}

/// The placeholder names (`${Name}`) still present in the strings of `node`.
pub fn placeholders(node: &Node) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        match &n.value {
            Value::String(s) => {
                let mut rest = s.as_str();
                while let Some(i) = rest.find("${") {
                    rest = &rest[i + 2..];
                    if let Some(end) = rest.find('}') {
                        let name = &rest[..end];
                        if !out.iter().any(|o| o == name) {
                            out.push(name.to_owned());
                        }
                        rest = &rest[end + 1..];
                    }
                }
            }
            Value::Array(items) => todo.extend(items.iter()),
            Value::Object(members) => todo.extend(members.iter().map(|m| &m.value)),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Syntax, parse};

    #[test]
    fn whole_placeholders_become_numbers() {
        let mut n = parse(
            r#"{"T": "${T}", "R": "arn:${Region}:x", "B": "${Flag}"}"#,
            Syntax::Json,
        )
        .expect("parses");
        let mut names = placeholders(&n);
        names.sort();
        assert_eq!(names, ["Flag", "Region", "T"]);
        substitute(
            &mut n,
            &[
                ("T".into(), "30".into()),
                ("Region".into(), "us-east-1".into()),
                ("Flag".into(), "true".into()),
            ],
        );
        assert_eq!(n.get("T").and_then(Node::as_integer), Some(30));
        assert_eq!(n.get("R").and_then(Node::as_str), Some("arn:us-east-1:x"));
        assert_eq!(n.get("B").and_then(Node::as_bool), Some(true));
        assert!(placeholders(&n).is_empty());
    }

    #[test]
    fn whole_placeholders_become_objects_and_arrays_where_they_stand() {
        let text = r#"{"Branches": ["${Branch}"], "L": "${List}", "S": "${Bad}"}"#;
        let mut n = parse(text, Syntax::Json).expect("parses");
        let at = text.find("\"${Branch}\"").unwrap_or_default();
        substitute(
            &mut n,
            &[
                ("Branch".into(), r#"{"StartAt": "A"}"#.into()),
                ("List".into(), "[1, 2]".into()),
                ("Bad".into(), "{not json".into()),
            ],
        );
        let branch = n
            .get("Branches")
            .and_then(|b| b.as_array())
            .and_then(|b| b.first())
            .expect("a branch");
        assert_eq!(branch.get("StartAt").and_then(Node::as_str), Some("A"));
        assert_eq!(branch.span.start, at, "the value points at the placeholder");
        assert_eq!(
            n.get("L").map(|l| l.to_json()),
            Some(serde_json::json!([1, 2]))
        );
        assert_eq!(n.get("S").and_then(Node::as_str), Some("{not json"));
    }
}
