//! The JSONPath input/output pipeline: InputPath, ResultPath and OutputPath with their `null`
//! meanings and AWS's errors.

use serde_json::{Map, Value};

use super::scope::Scope;
use crate::error::{Failure, names};
use asl_lang::jsonpath::{Path, Root, Step};

/// An InputPath or OutputPath.
#[derive(Clone, Debug, PartialEq)]
pub enum Select {
    /// Absent or `$`: the whole value.
    All,
    /// `null`: an empty object.
    Nothing,
    /// A path.
    Path(Path),
}

/// A ResultPath.
#[derive(Clone, Debug, PartialEq)]
pub enum Place {
    /// Absent or `$`: the result replaces the input.
    Replace,
    /// `null`: the result is dropped and the input passes on.
    Discard,
    /// A path into the input where the result is written.
    At(Path),
}

impl Select {
    /// Applies InputPath/OutputPath to `value`. A path that finds nothing is `States.Runtime`.
    #[inline]
    pub fn apply(&self, value: Value, scope: &Scope<'_>) -> Result<Value, Failure> {
        match self {
            Select::All => Ok(value),
            _ => self.apply_other(value, scope),
        }
    }

    fn apply_other(&self, value: Value, scope: &Scope<'_>) -> Result<Value, Failure> {
        match self {
            Select::Path(p) if *p.root() == Root::Input => {
                p.take(value).ok_or_else(|| no_results(p))
            }
            _ => self.copy(&value, scope),
        }
    }

    /// What InputPath/OutputPath select from `value`, copied out of it (only the selected
    /// part is copied).
    pub fn copy(&self, value: &Value, scope: &Scope<'_>) -> Result<Value, Failure> {
        match self {
            Select::All => Ok(value.clone()),
            Select::Nothing => Ok(Value::Object(Map::new())),
            Select::Path(p) => {
                let found = match p.root() {
                    Root::Input => p.select(value),
                    _ => scope.select(p),
                };
                found.ok_or_else(|| no_results(p))
            }
        }
    }
}

fn no_results(p: &Path) -> Failure {
    Failure::runtime(format!(
        "Invalid path '{}' : No results for path: {}",
        p.text(),
        p.bracketed()
    ))
}

impl Place {
    /// Places `result` into `input` as the ResultPath says.
    #[inline]
    pub fn apply(&self, input: Value, result: Value) -> Result<Value, Failure> {
        match self {
            Place::Replace => Ok(result),
            Place::Discard => Ok(input),
            Place::At(path) => Self::write(path, input, result),
        }
    }

    /// Writes `result` at a ResultPath path inside `input`.
    fn write(path: &Path, mut input: Value, result: Value) -> Result<Value, Failure> {
        if path.steps().is_empty() {
            return Ok(result);
        }
        let fail = |input: &Value| {
            Failure::in_state(
                names::RESULT_PATH_MATCH_FAILURE,
                format!(
                    "Unable to apply ResultPath \"{}\" to input \"{}\"",
                    path.text(),
                    serde_json::to_string(input).unwrap_or_default()
                ),
            )
        };
        // Check the whole path first, so a failure reports the input as it came, without
        // copying the input on every write.
        if !writable(&input, path.steps()) {
            return Err(fail(&input));
        }
        let mut slot = &mut input;
        for step in path.steps() {
            if slot.is_null() {
                *slot = Value::Object(Map::new());
            }
            slot = match (step, slot) {
                (Step::Name(n), Value::Object(o)) => {
                    o.entry(String::from(&**n)).or_insert(Value::Null)
                }
                (Step::Index(i), Value::Array(a)) => &mut a[*i as usize],
                // `writable` ruled these out.
                (_, other) => return Err(fail(other)),
            };
        }
        *slot = result;
        Ok(input)
    }
}

/// Whether a ResultPath of names and in-bounds indexes can be written into `v`: names walk
/// objects (creating them where the value is missing or null), indexes only existing elements.
fn writable(mut v: &Value, steps: &[Step]) -> bool {
    for (at, step) in steps.iter().enumerate() {
        let next = match (step, v) {
            (Step::Name(n), Value::Object(o)) => o.get(&**n),
            (Step::Name(_), Value::Null) => None,
            (Step::Index(i), Value::Array(a)) if *i >= 0 => a.get(*i as usize),
            _ => return false,
        };
        match next {
            Some(child) => v = child,
            // From here on the path creates objects, which only names can do.
            None => {
                return matches!(step, Step::Name(_))
                    && steps[at + 1..].iter().all(|s| matches!(s, Step::Name(_)));
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(steps: Vec<Step>, text: &str) -> Place {
        Place::At(Path::new(Root::Input, steps, text))
    }

    #[test]
    fn result_path_writes_into_nested_and_missing_objects() {
        let place = at(
            vec![Step::Name("a".into()), Step::Name("b".into())],
            "$.a.b",
        );
        assert_eq!(
            place.apply(json!({"x": 1}), json!(5)),
            Ok(json!({"x": 1, "a": {"b": 5}}))
        );
        assert_eq!(
            place.apply(json!({"a": {"c": 1}}), json!(5)),
            Ok(json!({"a": {"c": 1, "b": 5}}))
        );
        assert_eq!(Place::Discard.apply(json!(1), json!(2)), Ok(json!(1)));
        assert_eq!(Place::Replace.apply(json!(1), json!(2)), Ok(json!(2)));
        let err = place
            .apply(json!("text"), json!(5))
            .expect_err("a string has no members");
        assert_eq!(
            err.cause.as_deref(),
            Some(r#"Unable to apply ResultPath "$.a.b" to input ""text"""#),
            "the cause shows the input as it came"
        );
        let index = at(vec![Step::Name("a".into()), Step::Index(3)], "$.a[3]");
        assert!(
            index.apply(json!({"a": [1]}), json!(5)).is_err(),
            "indexes never extend arrays"
        );
        assert_eq!(
            index.apply(json!({"a": [0, 1, 2, 3]}), json!(5)),
            Ok(json!({"a": [0, 1, 2, 5]}))
        );
        let through_null = at(
            vec![Step::Name("a".into()), Step::Name("b".into())],
            "$.a.b",
        );
        assert_eq!(
            through_null.apply(json!({"a": null}), json!(1)),
            Ok(json!({"a": {"b": 1}}))
        );
        assert_eq!(err.error, names::RESULT_PATH_MATCH_FAILURE);
    }

    #[test]
    fn input_path_null_and_missing() {
        let ctx = json!({});
        let scope = Scope {
            input: &ctx,
            context: &ctx,
            ..Scope::PLAIN
        };
        assert_eq!(
            Select::Nothing.apply(json!({"a": 1}), &scope),
            Ok(json!({}))
        );
        let p = Select::Path(Path::new(
            Root::Input,
            vec![Step::Name("nope".into())],
            "$.nope",
        ));
        let err = p.apply(json!({}), &scope).expect_err("missing");
        assert_eq!(err.error, names::RUNTIME);
        assert_eq!(
            err.cause.as_deref(),
            Some("Invalid path '$.nope' : No results for path: $['nope']")
        );
    }
}
