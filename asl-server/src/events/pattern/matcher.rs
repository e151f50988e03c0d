//! Matching: an event flattened once into its leaf values by path, then each compiled field
//! tested against the values at its path.

use std::collections::HashMap;

use serde_json::Value;

use super::compile::{Conjunction, Literal, Matcher, Negated};

/// An event flattened for matching: every leaf value (string, number, boolean, null) under
/// the `.`-joined path of the fields leading to it, array elements under their array's path.
#[derive(Debug, Default)]
pub struct Event<'a> {
    leaves: HashMap<String, Vec<&'a Value>>,
}

impl<'a> Event<'a> {
    /// Flattens `event`.
    pub fn new(event: &'a Value) -> Self {
        let mut leaves = HashMap::new();
        if let Value::Object(fields) = event {
            for (k, v) in fields {
                flatten(k.clone(), v, &mut leaves);
            }
        }
        Event { leaves }
    }

    fn values(&self, path: &str) -> &[&'a Value] {
        self.leaves.get(path).map_or(&[], Vec::as_slice)
    }
}

fn flatten<'a>(path: String, value: &'a Value, into: &mut HashMap<String, Vec<&'a Value>>) {
    match value {
        Value::Object(fields) => {
            for (k, v) in fields {
                flatten(format!("{path}.{k}"), v, into);
            }
        }
        Value::Array(items) => {
            for item in items {
                flatten(path.clone(), item, into);
            }
        }
        leaf => into.entry(path).or_default().push(leaf),
    }
}

impl Conjunction {
    pub(super) fn matches(&self, event: &Event<'_>) -> bool {
        self.fields.iter().all(|field| {
            let values = event.values(&field.path);
            field.matchers.iter().any(|m| m.matches(values))
        }) && self
            .alternatives
            .iter()
            .all(|group| group.iter().any(|c| c.matches(event)))
    }
}

impl Matcher {
    /// Whether the field, with these leaf values (none: absent), matches.
    fn matches(&self, values: &[&Value]) -> bool {
        match self {
            Matcher::Exists(wanted) => values.is_empty() != *wanted,
            other => values.iter().any(|v| other.matches_value(v)),
        }
    }

    fn matches_value(&self, value: &Value) -> bool {
        match self {
            Matcher::Exact(literal) => literal.equals(value),
            Matcher::Prefix { text, ignore_case } => {
                text_of(value, *ignore_case).is_some_and(|t| t.starts_with(&**text))
            }
            Matcher::Suffix { text, ignore_case } => {
                text_of(value, *ignore_case).is_some_and(|t| t.ends_with(&**text))
            }
            Matcher::EqualsIgnoreCase(text) => text_of(value, true).is_some_and(|t| t == **text),
            Matcher::Wildcard(w) => value.as_str().is_some_and(|t| w.matches(t)),
            Matcher::Numeric { low, high } => value.as_f64().is_some_and(|n| {
                low.is_none_or(|(l, inclusive)| if inclusive { n >= l } else { n > l })
                    && high.is_none_or(|(h, inclusive)| if inclusive { n <= h } else { n < h })
            }),
            Matcher::Cidr(cidr) => value.as_str().is_some_and(|t| cidr.contains(t)),
            Matcher::AnythingBut(negated) => !negated.excludes(value),
            // Answered on the whole field above.
            Matcher::Exists(_) => true,
        }
    }
}

/// A string value's text, lower-cased when `ignore_case`; `None` for other values.
fn text_of(value: &Value, ignore_case: bool) -> Option<std::borrow::Cow<'_, str>> {
    let text = value.as_str()?;
    Some(if ignore_case {
        std::borrow::Cow::Owned(text.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    })
}

impl Literal {
    fn equals(&self, value: &Value) -> bool {
        match (self, value) {
            (Literal::Str(s), Value::String(v)) => **s == **v,
            // Numbers are compared as numbers: 300 is 300.0.
            (Literal::Num(n), Value::Number(v)) => v.as_f64() == Some(*n),
            (Literal::Bool(b), Value::Bool(v)) => b == v,
            (Literal::Null, Value::Null) => true,
            _ => false,
        }
    }
}

impl Negated {
    /// Whether `anything-but` rules `value` out (a value of another kind is not ruled out:
    /// a number or null passes `anything-but` of strings).
    fn excludes(&self, value: &Value) -> bool {
        match self {
            Negated::Values(values) => values.iter().any(|l| l.equals(value)),
            Negated::Prefixes(p) => value
                .as_str()
                .is_some_and(|t| p.iter().any(|p| t.starts_with(&**p))),
            Negated::Suffixes(s) => value
                .as_str()
                .is_some_and(|t| s.iter().any(|s| t.ends_with(&**s))),
            Negated::IgnoreCase(texts) => {
                text_of(value, true).is_some_and(|t| texts.iter().any(|x| **x == *t))
            }
            Negated::Wildcards(w) => value
                .as_str()
                .is_some_and(|t| w.iter().any(|w| w.matches(t))),
        }
    }
}
