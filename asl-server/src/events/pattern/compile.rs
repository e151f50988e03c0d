//! A pattern's JSON checked as AWS checks it and compiled into matchers, with AWS's reasons
//! for what it refuses.

use serde_json::{Map, Value};

use super::PatternError;
use super::text::{Cidr, Wildcard};

type Result<T> = std::result::Result<T, PatternError>;

fn refuse<T>(reason: impl std::fmt::Display) -> Result<T> {
    Err(PatternError::pattern(reason))
}

/// Fields that must all match, and groups of alternatives (`$or`) of which one must.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Conjunction {
    pub fields: Vec<Field>,
    pub alternatives: Vec<Vec<Conjunction>>,
}

impl Conjunction {
    /// The strings field `path` must equal, when all its matchers are exact strings.
    pub(super) fn required_strings(&self, path: &str) -> Option<Vec<&str>> {
        let field = self.fields.iter().find(|f| &*f.path == path)?;
        field
            .matchers
            .iter()
            .map(|m| match m {
                Matcher::Exact(Literal::Str(s)) => Some(&**s),
                _ => None,
            })
            .collect()
    }
}

/// A field (its flattened path) and its matchers, of which one must match.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Field {
    pub path: Box<str>,
    pub matchers: Vec<Matcher>,
}

/// A JSON scalar as exact matching compares it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Literal {
    Str(Box<str>),
    Num(f64),
    Bool(bool),
    Null,
}

/// One test of a leaf value.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Matcher {
    Exact(Literal),
    /// The text starts with (`ignore_case`: case-insensitively, the text lower-cased).
    Prefix {
        text: Box<str>,
        ignore_case: bool,
    },
    Suffix {
        text: Box<str>,
        ignore_case: bool,
    },
    /// Lower-cased.
    EqualsIgnoreCase(Box<str>),
    Wildcard(Wildcard),
    /// Lower bound (value, inclusive) and upper bound.
    Numeric {
        low: Option<(f64, bool)>,
        high: Option<(f64, bool)>,
    },
    Exists(bool),
    Cidr(Cidr),
    AnythingBut(Negated),
}

/// What `anything-but` excludes.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Negated {
    Values(Vec<Literal>),
    Prefixes(Vec<Box<str>>),
    Suffixes(Vec<Box<str>>),
    /// Lower-cased.
    IgnoreCase(Vec<Box<str>>),
    Wildcards(Vec<Wildcard>),
}

/// The fields of a pattern object under `prefix` (`""` at the top).
pub(super) fn conjunction(fields: &Map<String, Value>, prefix: &str) -> Result<Conjunction> {
    let mut out = Conjunction {
        fields: Vec::new(),
        alternatives: Vec::new(),
    };
    collect(fields, prefix, &mut out)?;
    Ok(out)
}

fn collect(fields: &Map<String, Value>, prefix: &str, out: &mut Conjunction) -> Result<()> {
    for (key, value) in fields {
        if key == "$or" {
            let Value::Array(alternatives) = value else {
                return refuse("$or must be an array of objects");
            };
            let mut group = Vec::new();
            for alternative in alternatives {
                let Value::Object(a) = alternative else {
                    return refuse("$or must be an array of objects");
                };
                group.push(conjunction(a, prefix)?);
            }
            if group.len() < 2 {
                return refuse("$or must have at least two alternatives");
            }
            out.alternatives.push(group);
            continue;
        }
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(nested) => collect(nested, &path, out)?,
            Value::Array(items) if items.is_empty() => {
                return refuse("Empty arrays are not allowed");
            }
            Value::Array(items) => {
                let matchers = items.iter().map(matcher).collect::<Result<Vec<_>>>()?;
                out.fields.push(Field {
                    path: path.into(),
                    matchers,
                });
            }
            _ => return refuse(format_args!("\"{key}\" must be an object or an array")),
        }
    }
    Ok(())
}

fn literal(value: &Value) -> Option<Literal> {
    Some(match value {
        Value::String(s) => Literal::Str(s.as_str().into()),
        Value::Number(n) => Literal::Num(n.as_f64()?),
        Value::Bool(b) => Literal::Bool(*b),
        Value::Null => Literal::Null,
        _ => return None,
    })
}

/// One element of a field's array: a value, or an object naming one operator.
fn matcher(item: &Value) -> Result<Matcher> {
    let Value::Object(operator) = item else {
        return literal(item).map(Matcher::Exact).ok_or_else(|| {
            PatternError::pattern("Match value must be a string, number, boolean or null")
        });
    };
    let mut entries = operator.iter();
    let (Some((name, value)), None) = (entries.next(), entries.next()) else {
        return refuse("A match expression has exactly one operator");
    };
    match name.as_str() {
        "prefix" | "suffix" => affix(name, value),
        "equals-ignore-case" => match value {
            Value::String(s) => Ok(Matcher::EqualsIgnoreCase(s.to_lowercase().into())),
            _ => refuse("equals-ignore-case match pattern must be a string"),
        },
        "wildcard" => match value {
            Value::String(s) => Ok(Matcher::Wildcard(Wildcard::parse(s)?)),
            _ => refuse("wildcard match pattern must be a string"),
        },
        "exists" => match value {
            Value::Bool(b) => Ok(Matcher::Exists(*b)),
            _ => refuse("exists match pattern must be either true or false."),
        },
        "cidr" => match value {
            Value::String(s) => Ok(Matcher::Cidr(Cidr::parse(s)?)),
            // AWS's text, though the operator is cidr.
            _ => refuse("prefix match pattern must be a string"),
        },
        "numeric" => numeric(value),
        "anything-but" => anything_but(value).map(Matcher::AnythingBut),
        other => refuse(format_args!("Unrecognized match type {other}")),
    }
}

/// `prefix` or `suffix`: a string, or `{"equals-ignore-case": string}`.
fn affix(name: &str, value: &Value) -> Result<Matcher> {
    let (text, ignore_case) = match value {
        Value::String(s) => (s.clone(), false),
        Value::Object(o) if o.len() == 1 => match o.get("equals-ignore-case") {
            Some(Value::String(s)) => (s.to_lowercase(), true),
            _ => return refuse(format_args!("{name} match pattern must be a string")),
        },
        _ => return refuse(format_args!("{name} match pattern must be a string")),
    };
    let text = text.into();
    Ok(if name == "prefix" {
        Matcher::Prefix { text, ignore_case }
    } else {
        Matcher::Suffix { text, ignore_case }
    })
}

/// `numeric`: `[op, n]` or `[lower-op, n, upper-op, m]`, ops `=`, `>`, `>=`, `<`, `<=`.
fn numeric(value: &Value) -> Result<Matcher> {
    let Value::Array(items) = value else {
        return refuse("Value of numeric must be an array.");
    };
    let mut low: Option<(f64, bool)> = None;
    let mut high: Option<(f64, bool)> = None;
    let mut equal = false;
    let mut i = 0;
    while i < items.len() {
        let Value::String(op) = &items[i] else {
            return refuse(format_args!(
                "Unrecognized numeric range operator: {}",
                items[i]
            ));
        };
        let Some(n) = items.get(i + 1).and_then(Value::as_f64) else {
            return refuse(format_args!("Value of {op} must be numeric"));
        };
        let bad = || PatternError::pattern(format_args!("Bad numeric range operator: {op}"));
        match op.as_str() {
            "=" if low.is_none() && high.is_none() && !equal && items.len() == 2 => {
                equal = true;
                low = Some((n, true));
                high = Some((n, true));
            }
            ">" | ">=" if low.is_none() && !equal => low = Some((n, op == ">=")),
            "<" | "<=" if high.is_none() && !equal => high = Some((n, op == "<=")),
            "=" | ">" | ">=" | "<" | "<=" => return Err(bad()),
            _ => return refuse(format_args!("Unrecognized numeric range operator: {op}")),
        }
        i += 2;
    }
    if low.is_none() && high.is_none() {
        return refuse("Value of numeric must be a non-empty array.");
    }
    if let (Some((l, _)), Some((h, _))) = (low, high)
        && l > h
    {
        return refuse("Bottom must be less than top");
    }
    Ok(Matcher::Numeric { low, high })
}

/// What `anything-but` takes: a string or number, an array of them, or an object with one of
/// `prefix`, `suffix`, `equals-ignore-case`, `wildcard`.
fn anything_but(value: &Value) -> Result<Negated> {
    let single_or_list = "Value of anything-but must be an array or single string/number value.";
    match value {
        Value::String(_) | Value::Number(_) => {
            Ok(Negated::Values(literal(value).into_iter().collect()))
        }
        Value::Array(items) => {
            let mut values = Vec::new();
            for item in items {
                match item {
                    Value::String(_) | Value::Number(_) => values.extend(literal(item)),
                    _ => {
                        return refuse(
                            "Inside anything but list, start|null|boolean is not supported.",
                        );
                    }
                }
            }
            Ok(Negated::Values(values))
        }
        Value::Object(o) if o.len() == 1 => {
            let Some((name, inner)) = o.iter().next() else {
                return refuse(single_or_list);
            };
            match name.as_str() {
                "prefix" | "suffix" => {
                    let texts = strings(
                        inner,
                        "prefix/suffix match pattern must be a string",
                        "prefix/suffix match pattern must be a string",
                    )?;
                    if texts.iter().any(|t| t.is_empty()) {
                        return refuse("Null prefix/suffix not allowed");
                    }
                    let texts = texts.into_iter().map(Into::into).collect();
                    Ok(if name == "prefix" {
                        Negated::Prefixes(texts)
                    } else {
                        Negated::Suffixes(texts)
                    })
                }
                "equals-ignore-case" => {
                    let texts = strings(
                        inner,
                        "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
                        "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
                    )?;
                    Ok(Negated::IgnoreCase(
                        texts.into_iter().map(|t| t.to_lowercase().into()).collect(),
                    ))
                }
                "wildcard" => {
                    let texts = strings(
                        inner,
                        "wildcard match pattern must be a string",
                        "wildcard match pattern must be a string",
                    )?;
                    Ok(Negated::Wildcards(
                        texts
                            .iter()
                            .map(|t| Wildcard::parse(t))
                            .collect::<Result<_>>()?,
                    ))
                }
                _ => refuse(single_or_list),
            }
        }
        _ => refuse(single_or_list),
    }
}

/// A string or a non-empty array of strings; `not_text` when it is another kind of value,
/// `bad_item` when an array holds something else.
fn strings(value: &Value, not_text: &str, bad_item: &str) -> Result<Vec<String>> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                _ => refuse(bad_item),
            })
            .collect(),
        Value::Array(_) => refuse("Empty arrays are not allowed"),
        Value::Object(_) => {
            refuse("Value of anything-but must be an array or single string/number value.")
        }
        _ => refuse(not_text),
    }
}
