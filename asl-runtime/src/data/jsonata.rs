//! JSONata expressions (`{% … %}`), evaluated with jsonata-core: `$states` (input, context,
//! result, errorOutput) and the workflow variables bound, the functions Step Functions adds
//! (`$partition`, `$range`, `$hash`, `$random([seed])`, `$uuid`, `$parse`) registered and
//! `$eval` taken away. Failures and undefined results are `States.QueryEvaluationError` with
//! AWS's cause texts.

use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{Context, Evaluator, EvaluatorError, EvaluatorOptions};
use jsonata_core::value::JValue;
use serde_json::{Map, Value};

use super::scope::Scope;
use crate::budget::Budget;
use crate::effects::{Seam, draw_u64, draw_uuid};
use crate::error::{Failure, names};
use crate::intrinsic::{Function, call_function};

/// A parsed expression (the text between `{%` and `%}`).
#[derive(Debug)]
pub struct Expr {
    text: Box<str>,
    ast: Result<AstNode, String>,
    /// What it refers to (asl-lang's analysis), so only those variables are bound and those
    /// functions registered.
    references: asl_lang::jsonata::Analysis,
}

impl Clone for Expr {
    fn clone(&self) -> Self {
        Expr::new(&self.text)
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Expr {
    /// Parses `text` (the generator has checked it; a parse error here is reported when the
    /// expression is evaluated).
    pub fn new(text: &str) -> Self {
        let ast = jsonata_core::parser::parse(text).map_err(|e| e.to_string());
        let references = ast
            .as_ref()
            .map(asl_lang::jsonata::references)
            .unwrap_or_default();
        Expr {
            text: text.into(),
            ast,
            references,
        }
    }

    /// The expression as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    fn mentions(&self, name: &str) -> bool {
        let r = &self.references;
        r.functions.iter().chain(&r.variables).any(|n| n == name)
    }

    /// Evaluates for field `field` (`Output`, `Arguments/FunctionName`, …); an undefined result
    /// is an error.
    pub fn eval(&self, scope: &Scope<'_>, field: &str) -> Result<Value, Failure> {
        match self.eval_raw(scope, field)? {
            JValue::Undefined => Err(self.failure(field, "returned nothing (undefined).")),
            v => to_value(&v).ok_or_else(|| self.unsupported(field, &v)),
        }
    }

    /// Evaluates, keeping `undefined` (for fields where it means "absent").
    pub fn eval_optional(&self, scope: &Scope<'_>, field: &str) -> Result<Option<Value>, Failure> {
        match self.eval_raw(scope, field)? {
            JValue::Undefined => Ok(None),
            v => to_value(&v)
                .map(Some)
                .ok_or_else(|| self.unsupported(field, &v)),
        }
    }

    /// The failure for a result with no JSON form: a number out of range (infinite, not a
    /// number), or a function.
    fn unsupported(&self, field: &str, v: &JValue) -> Failure {
        if has_non_finite(v) {
            self.failure(
                field,
                "threw an error during evaluation. D1001: Number out of range",
            )
        } else {
            self.failure(field, "returned an unsupported result type.")
        }
    }

    /// The `States.QueryEvaluationError` AWS reports for this expression in `field`.
    pub fn failure(&self, field: &str, what: &str) -> Failure {
        Failure::in_state(
            names::QUERY_EVALUATION_ERROR,
            format!(
                "The JSONata expression '{}' specified for the field '{field}' {what}",
                self.text
            ),
        )
    }

    fn eval_raw(&self, scope: &Scope<'_>, field: &str) -> Result<JValue, Failure> {
        let ast = self
            .ast
            .as_ref()
            .map_err(|e| self.failure(field, &format!("could not be parsed. {e}")))?;
        let mut context = Context::new();
        if self.references.states {
            let mut states = Map::new();
            states.insert(
                "input".into(),
                scope.state_input.unwrap_or(scope.input).clone(),
            );
            states.insert("context".into(), scope.context.clone());
            if let Some(r) = scope.result {
                states.insert("result".into(), r.clone());
            }
            if let Some(e) = scope.error_output {
                states.insert("errorOutput".into(), e.clone());
            }
            context.bind("states".into(), JValue::from(Value::Object(states)));
        }
        if let Some(vars) = scope.variables {
            for name in &self.references.variables {
                if let Some(v) = vars.get(name) {
                    context.bind(name.clone(), JValue::from(v.clone()));
                }
            }
        }
        let budget = scope.seam.map_or(Budget::DEFAULT, |s| *s.budget());
        let options = EvaluatorOptions {
            timeout_ms: Some(u64::try_from(budget.time.as_millis()).unwrap_or(u64::MAX)),
            max_stack_depth: Some(budget.depth),
            max_sequence_length: Some(budget.max_items()),
            cancel: None,
        };
        let mut evaluator = Evaluator::with_options(context, options);
        self.register(&mut evaluator, scope.seam, &budget);
        evaluator.evaluate(ast, &JValue::Null).map_err(|e| {
            self.failure(
                field,
                &format!("threw an error during evaluation. {}", message(&e)),
            )
        })
    }

    /// Registers AWS's added functions, and the functions that read the time or draw random
    /// numbers, which take them from the execution's seam (the system's without one).
    fn register(&self, ev: &mut Evaluator, seam: Option<&Seam>, budget: &Budget) {
        let intrinsic = |function: Function, args: &[JValue]| -> Result<JValue, EvaluatorError> {
            let args = args
                .iter()
                .map(|a| to_value(a).unwrap_or(Value::Null))
                .collect();
            call_function(function, args)
                .map(JValue::from)
                .map_err(|f| EvaluatorError::EvaluationError(f.cause.unwrap_or(f.error)))
        };
        if self.mentions("partition") {
            let _ = ev.register_fn("partition", move |a: &[JValue]| {
                intrinsic(Function::ArrayPartition, a)
            });
        }
        if self.mentions("range") {
            let _ = ev.register_fn("range", move |a: &[JValue]| {
                intrinsic(Function::ArrayRange, a)
            });
        }
        if self.mentions("hash") {
            let _ = ev.register_fn("hash", move |a: &[JValue]| intrinsic(Function::Hash, a));
        }
        if self.mentions("uuid") {
            let seam = seam.cloned();
            let _ = ev.register_fn("uuid", move |_: &[JValue]| {
                Ok(JValue::from(draw_uuid(seam.as_ref()).to_string()))
            });
        }
        if self.mentions("now") || self.mentions("millis") {
            // One time for the whole evaluation, as jsonata-js binds it when evaluation starts.
            let now = seam.map_or_else(jiff::Timestamp::now, Seam::now);
            if self.mentions("now") {
                let _ = ev.register_fn_override("now", move |a: &[JValue]| {
                    if !a.is_empty() {
                        return Err(EvaluatorError::EvaluationError(
                            "T0410: now() takes no arguments".into(),
                        ));
                    }
                    Ok(JValue::from(crate::time::format_timestamp(now)))
                });
            }
            if self.mentions("millis") {
                let _ = ev.register_fn_override("millis", move |a: &[JValue]| {
                    if !a.is_empty() {
                        return Err(EvaluatorError::EvaluationError(
                            "T0410: millis() takes no arguments".into(),
                        ));
                    }
                    Ok(JValue::from(now.as_millisecond() as f64))
                });
            }
        }
        if self.mentions("parse") {
            let _ = ev.register_fn("parse", |a: &[JValue]| {
                let text = a.first().and_then(JValue::as_str).unwrap_or_default();
                serde_json::from_str::<Value>(text)
                    .map(JValue::from)
                    .map_err(|e| EvaluatorError::EvaluationError(format!("$parse: {e}")))
            });
        }
        if self.mentions("random") {
            let seam = seam.cloned();
            let _ = ev.register_fn_override("random", move |a: &[JValue]| {
                use rand::{Rng, SeedableRng};
                let seed = match a.first().and_then(JValue::as_f64) {
                    Some(seed) => seed.to_bits(),
                    None => draw_u64(seam.as_ref()),
                };
                let x: f64 = rand::rngs::SmallRng::seed_from_u64(seed).random();
                Ok(JValue::from(x))
            });
        }
        if self.mentions("pad") {
            let memory = budget.memory;
            let _ = ev.register_fn_override("pad", move |a: &[JValue]| pad(a, memory));
        }
        if self.mentions("eval") {
            let _ = ev.register_fn_override("eval", |_: &[JValue]| {
                Err(EvaluatorError::EvaluationError(
                    "$eval is not supported in Step Functions; use $parse".into(),
                ))
            });
        }
    }
}

/// `$pad(string, width[, chars])` as jsonata-js pads (a negative width pads on the left, the
/// characters repeat and are cut at the width), refusing a result of more than `memory` bytes
/// before building it.
fn pad(args: &[JValue], memory: usize) -> Result<JValue, EvaluatorError> {
    let text = match args.first() {
        Some(JValue::String(s)) => s.clone(),
        Some(JValue::Null) => return Ok(JValue::Null),
        Some(JValue::Undefined) | None => return Ok(JValue::Undefined),
        Some(_) => {
            return Err(EvaluatorError::TypeError(
                "T0410: Argument 1 of function \"pad\" does not match function signature".into(),
            ));
        }
    };
    let width = match args.get(1) {
        Some(JValue::Number(n)) => n.trunc(),
        Some(JValue::Undefined) | None => return Ok(JValue::String(text)),
        Some(_) => {
            return Err(EvaluatorError::TypeError(
                "T0410: Argument 2 of function \"pad\" does not match function signature".into(),
            ));
        }
    };
    let chars: Vec<char> = match args.get(2) {
        Some(JValue::String(s)) if !s.is_empty() => s.chars().collect(),
        _ => vec![' '],
    };
    let have = text.chars().count();
    let want = width.abs();
    // The widest character is 4 bytes: a width that could pass the budget is refused whole.
    if want * 4.0 > memory as f64 {
        return Err(EvaluatorError::EvaluationError(format!(
            "$pad would build a string of {want} characters, more than the expression's memory budget of {memory} bytes"
        )));
    }
    let want = want as usize;
    if have >= want {
        return Ok(JValue::String(text));
    }
    let padding: String = chars.iter().cycle().take(want - have).collect();
    Ok(JValue::from(if width < 0.0 {
        format!("{padding}{text}")
    } else {
        format!("{text}{padding}")
    }))
}

/// The error's message as jsonata-js words it (AWS runs jsonata-js): jsonata-core adds the
/// name after "Attempted to invoke a non-function", jsonata-js does not.
fn message(e: &EvaluatorError) -> String {
    let m = e.message();
    match m.split_once("Attempted to invoke a non-function") {
        Some((code, _)) => format!("{code}Attempted to invoke a non-function"),
        None => m.to_owned(),
    }
}

/// A JSONata value as JSON: integral numbers as integers (as AWS prints them); functions have
/// no JSON form.
pub fn to_value(v: &JValue) -> Option<Value> {
    Some(match v {
        JValue::Null | JValue::Undefined => Value::Null,
        JValue::Bool(b) => Value::Bool(*b),
        JValue::Number(n) => number(*n)?,
        JValue::String(s) => Value::String(s.to_string()),
        JValue::Array(a) => Value::Array(
            a.iter()
                .filter(|x| !x.is_undefined())
                .map(to_value)
                .collect::<Option<_>>()?,
        ),
        JValue::Object(o) => Value::Object(
            o.iter()
                .filter(|(_, x)| !x.is_undefined())
                .map(|(k, x)| Some((k.clone(), to_value(x)?)))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

/// How AWS names a JSON value's type in its messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A number as JSON: integral ones a double holds exactly as integers; `None` for an infinite
/// number or not a number, which JSON cannot hold (jsonata-js: D1001).
fn number(n: f64) -> Option<Value> {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        Some(Value::from(n as i64))
    } else {
        serde_json::Number::from_f64(n).map(Value::Number)
    }
}

/// Whether `v` holds a number JSON cannot hold.
fn has_non_finite(v: &JValue) -> bool {
    match v {
        JValue::Number(n) => !n.is_finite(),
        JValue::Array(a) => a.iter().any(has_non_finite),
        JValue::Object(o) => o.values().any(has_non_finite),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(text: &str, input: Value) -> Result<Value, Failure> {
        let scope = Scope {
            input: &input,
            ..Scope::PLAIN
        };
        Expr::new(text).eval(&scope, "Output")
    }

    #[test]
    fn states_input_and_aws_functions() {
        assert_eq!(
            eval("$states.input.a + 1", json!({"a": 2})).ok(),
            Some(json!(3))
        );
        assert_eq!(
            eval("$partition([1,2,3], 2)", json!({})).ok(),
            Some(json!([[1, 2], [3]]))
        );
        assert_eq!(
            eval("$range(0, 10, 3)", json!({})).ok(),
            Some(json!([0, 3, 6, 9]))
        );
        assert_eq!(
            eval("$parse('{\"a\": 1}')", json!({})).ok(),
            Some(json!({"a": 1}))
        );
        assert_eq!(
            eval("$random(7) = $random(7)", json!({})).ok(),
            Some(json!(true))
        );
        let e = eval("$nothing", json!({})).err().map(|f| f.error);
        assert_eq!(e.as_deref(), Some(names::QUERY_EVALUATION_ERROR));
        assert!(eval("$eval('1')", json!({})).is_err());
    }

    #[test]
    fn numbers_out_of_range_are_errors_not_null() {
        for text in [
            "1/0",
            "$power(10, 400)",
            "-1/0",
            "[1, 1/0]",
            "{'a': $power(10, 400)}",
        ] {
            let r = eval(text, json!({}));
            assert!(
                matches!(&r, Err(f) if f.error == names::QUERY_EVALUATION_ERROR),
                "{text}: {r:?}"
            );
        }
        assert_eq!(
            eval("$power(2, 60)", json!({})).ok(),
            Some(json!(1.152_921_504_606_847e18))
        );
    }
}
