//! Choice rules: the tests of the 39 comparison operators (`asl_lang::choice`) with
//! And/Or/Not and JSONata Conditions, by AWS's rules (IsPresent never fails; a missing
//! Variable or `…Path` operand otherwise fails the execution with `States.Runtime`).

use std::borrow::Cow;

use serde_json::Value;

use crate::data::scope::Scope;
use crate::error::Failure;
use asl_lang::jsonpath::Path;

pub use asl_lang::choice::{Cmp, Operand, Pattern, Test};

/// A Choice rule.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// All must hold (short-circuit).
    And(Vec<Rule>),
    /// One must hold (short-circuit).
    Or(Vec<Rule>),
    /// Must not hold.
    Not(Box<Rule>),
    /// `Variable` + one operator.
    Test(Path, Test),
    /// A JSONata `Condition`.
    Condition(Box<crate::data::jsonata::Expr>),
}

fn missing(path: &Path) -> Failure {
    Failure::runtime(format!(
        "Invalid path '{}' : No results for path: {}",
        path.text(),
        path.bracketed()
    ))
}

impl Rule {
    /// Evaluates the rule against the state's effective input.
    pub fn eval(&self, scope: &Scope<'_>) -> Result<bool, Failure> {
        match self {
            Rule::And(rules) => {
                for r in rules {
                    if !r.eval(scope)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Rule::Or(rules) => {
                for r in rules {
                    if r.eval(scope)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Rule::Not(r) => Ok(!r.eval(scope)?),
            Rule::Condition(expr) => match expr.eval(scope, "Condition")? {
                Value::Bool(b) => Ok(b),
                other => Err(expr.failure(
                    "Condition",
                    &format!(
                        "returned an unexpected result type. Expected 'boolean', but was '{}' for value: {other}",
                        crate::data::jsonata::kind(&other)
                    ),
                )),
            },
            Rule::Test(variable, test) => {
                Rule::test(variable, test, scope.select_ref(variable).as_deref(), scope)
            }
        }
    }

    /// A `Variable` test on the value the variable selected (`None`: it selected nothing).
    #[inline]
    pub fn test(
        variable: &Path,
        test: &Test,
        value: Option<&Value>,
        scope: &Scope<'_>,
    ) -> Result<bool, Failure> {
        if let Test::IsPresent(want) = test {
            return Ok(value.is_some() == *want);
        }
        let value = value.ok_or_else(|| missing(variable))?;
        eval_test(test, value, scope)
    }
}

/// Whether `v` passes `test`, its `…Path` operand read from `scope`.
#[inline]
fn eval_test(test: &Test, v: &Value, scope: &Scope<'_>) -> Result<bool, Failure> {
    // The common comparisons against a literal, without making an operand.
    match test {
        Test::Numeric(cmp, Operand::Literal(other)) => return Ok(cmp.numbers(v, other)),
        Test::String(cmp, Operand::Literal(other)) => return Ok(cmp.strings(v, other)),
        _ => {}
    }
    let other = match test.operand() {
        None => None,
        Some(Operand::Literal(l)) => Some(Cow::Borrowed(l)),
        Some(Operand::Path(p)) => Some(scope.select_ref(p).ok_or_else(|| missing(p))?),
    };
    test.holds(v, other.as_deref())
        .map_err(|e| Failure::runtime(e.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use asl_lang::jsonpath::{Root, Step};
    use serde_json::json;

    fn var(name: &str) -> Path {
        Path::new(
            Root::Input,
            vec![Step::Name(name.into())],
            &format!("$.{name}"),
        )
    }

    fn eval(rule: &Rule, input: &Value) -> Result<bool, Failure> {
        let ctx = json!({});
        rule.eval(&Scope {
            input,
            context: &ctx,
            ..Scope::PLAIN
        })
    }

    #[test]
    fn type_mismatch_is_false_and_missing_fails() {
        let r = Rule::Test(var("n"), Test::Numeric(Cmp::Eq, Operand::Literal(json!(1))));
        assert_eq!(eval(&r, &json!({"n": 1.0})), Ok(true));
        assert_eq!(eval(&r, &json!({"n": "1"})), Ok(false));
        assert!(eval(&r, &json!({})).is_err());
        let present = Rule::Test(var("n"), Test::IsPresent(false));
        assert_eq!(eval(&present, &json!({})), Ok(true));
    }

    #[test]
    fn nesting_and_paths() {
        let r = Rule::And(vec![
            Rule::Not(Box::new(Rule::Test(var("a"), Test::IsNull(true)))),
            Rule::Test(var("a"), Test::String(Cmp::Le, Operand::Path(var("b")))),
        ]);
        assert_eq!(eval(&r, &json!({"a": "abc", "b": "abd"})), Ok(true));
        assert_eq!(eval(&r, &json!({"a": "abe", "b": "abd"})), Ok(false));
    }

    #[test]
    fn timestamps_compare_as_instants() {
        let r = Rule::Test(
            var("t"),
            Test::Timestamp(Cmp::Lt, Operand::Literal(json!("2016-03-14T01:59:00.5Z"))),
        );
        assert_eq!(
            eval(&r, &json!({"t": "2016-03-14T02:59:00+02:00"})),
            Ok(true)
        );
        assert_eq!(eval(&r, &json!({"t": "not a time"})), Ok(false));
    }
}
