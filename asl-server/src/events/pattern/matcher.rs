//! Matching: an event flattened once into its leaf values by path, then each compiled field
//! tested against the values at its path. Matches are array-consistent, as AWS's are: the
//! values a pattern matches must not come from different elements of one array in the event
//! (`{"a": {"b": [1], "c": [2]}}` does not match `{"a": [{"b": 1}, {"c": 2}]}`).

use std::collections::HashMap;

use serde_json::Value;

use super::compile::{Conjunction, Literal, Matcher, Negated};

/// Which element of which array of the event a leaf value is in, outermost first.
type Membership = Vec<(u32, u32)>;

/// A leaf value and the array elements it is in.
#[derive(Debug)]
struct Leaf<'a> {
    value: &'a Value,
    membership: Membership,
}

/// An event flattened for matching: every leaf value (string, number, boolean, null) under
/// the `.`-joined path of the fields leading to it, array elements under their array's path.
#[derive(Debug, Default)]
pub struct Event<'a> {
    leaves: HashMap<String, Vec<Leaf<'a>>>,
}

impl<'a> Event<'a> {
    /// Flattens `event`.
    pub fn new(event: &'a Value) -> Self {
        let mut flat = Flattening {
            leaves: HashMap::new(),
            arrays: 0,
        };
        if let Value::Object(fields) = event {
            for (k, v) in fields {
                flat.visit(k.clone(), v, &mut Vec::new());
            }
        }
        Event {
            leaves: flat.leaves,
        }
    }

    fn values(&self, path: &str) -> &[Leaf<'a>] {
        self.leaves.get(path).map_or(&[], Vec::as_slice)
    }
}

struct Flattening<'a> {
    leaves: HashMap<String, Vec<Leaf<'a>>>,
    /// Arrays numbered so far.
    arrays: u32,
}

impl<'a> Flattening<'a> {
    fn visit(&mut self, path: String, value: &'a Value, membership: &mut Membership) {
        match value {
            Value::Object(fields) => {
                for (k, v) in fields {
                    self.visit(format!("{path}.{k}"), v, membership);
                }
            }
            Value::Array(items) => {
                let array = self.arrays;
                self.arrays += 1;
                for (i, item) in items.iter().enumerate() {
                    membership.push((array, i as u32));
                    self.visit(path.clone(), item, membership);
                    membership.pop();
                }
            }
            leaf => self.leaves.entry(path).or_default().push(Leaf {
                value: leaf,
                membership: membership.clone(),
            }),
        }
    }
}

/// Whether two leaves' array elements agree wherever they are in the same array.
fn consistent(a: &Membership, b: &Membership) -> bool {
    a.iter()
        .all(|(array, i)| b.iter().all(|(other, j)| other != array || i == j))
}

fn merged(a: &Membership, b: &Membership) -> Membership {
    let mut m = a.clone();
    m.extend(b.iter().filter(|x| !a.contains(x)).copied());
    m
}

impl Conjunction {
    pub(super) fn matches(&self, event: &Event<'_>) -> bool {
        self.satisfy(event, &Vec::new(), &mut |_| true)
    }

    /// Whether the fields and the alternatives can all be matched by values consistent with
    /// `membership` and with each other, `then` accepting the values chosen.
    fn satisfy(
        &self,
        event: &Event<'_>,
        membership: &Membership,
        then: &mut dyn FnMut(&Membership) -> bool,
    ) -> bool {
        self.fields_from(0, event, membership, then)
    }

    fn fields_from(
        &self,
        i: usize,
        event: &Event<'_>,
        membership: &Membership,
        then: &mut dyn FnMut(&Membership) -> bool,
    ) -> bool {
        let Some(field) = self.fields.get(i) else {
            return self.alternatives_from(0, event, membership, then);
        };
        let leaves = event.values(&field.path);
        for matcher in &field.matchers {
            if let Matcher::Exists(false) = matcher {
                if leaves.is_empty() && self.fields_from(i + 1, event, membership, then) {
                    return true;
                }
                continue;
            }
            for leaf in leaves {
                if consistent(membership, &leaf.membership)
                    && matcher.matches_value(leaf.value)
                    && self.fields_from(i + 1, event, &merged(membership, &leaf.membership), then)
                {
                    return true;
                }
            }
        }
        false
    }

    fn alternatives_from(
        &self,
        g: usize,
        event: &Event<'_>,
        membership: &Membership,
        then: &mut dyn FnMut(&Membership) -> bool,
    ) -> bool {
        let Some(group) = self.alternatives.get(g) else {
            return then(membership);
        };
        group.iter().any(|alternative| {
            alternative.satisfy(event, membership, &mut |chosen| {
                self.alternatives_from(g + 1, event, chosen, then)
            })
        })
    }
}

impl Matcher {
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
            // Any leaf value exists; `exists: false` is answered on the whole field.
            Matcher::Exists(wanted) => *wanted,
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
