//! Choice rules: the 39 comparison operators with And/Or/Not, by AWS's rules (a value of the
//! wrong type compares false; IsPresent never fails; a missing Variable otherwise fails the
//! execution with `States.Runtime`).

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::Value;

use crate::data::template::Scope;
use crate::error::Failure;
use asl_lang::jsonpath::Path;

/// How two values compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// `…Equals`.
    Eq,
    /// `…LessThan`.
    Lt,
    /// `…GreaterThan`.
    Gt,
    /// `…LessThanEquals`.
    Le,
    /// `…GreaterThanEquals`.
    Ge,
}

impl Cmp {
    fn holds(self, o: Ordering) -> bool {
        match self {
            Cmp::Eq => o == Ordering::Equal,
            Cmp::Lt => o == Ordering::Less,
            Cmp::Gt => o == Ordering::Greater,
            Cmp::Le => o != Ordering::Greater,
            Cmp::Ge => o != Ordering::Less,
        }
    }
}

/// What a comparison compares against.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// A literal from the definition.
    Literal(Value),
    /// A `…Path` operand: a path into the input.
    Path(Path),
}

/// One data test.
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// `String…`.
    String(Cmp, Operand),
    /// `Numeric…`.
    Numeric(Cmp, Operand),
    /// `BooleanEquals(Path)`.
    Boolean(Operand),
    /// `Timestamp…`.
    Timestamp(Cmp, Operand),
    /// `StringMatches`, the pattern pre-split at unescaped `*` (or why it is not a pattern:
    /// evaluating it is then a runtime error, as on AWS).
    Matches(Result<Pattern, String>),
    /// `IsNull`.
    IsNull(bool),
    /// `IsPresent`.
    IsPresent(bool),
    /// `IsNumeric`.
    IsNumeric(bool),
    /// `IsString`.
    IsString(bool),
    /// `IsBoolean`.
    IsBoolean(bool),
    /// `IsTimestamp`.
    IsTimestamp(bool),
}

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

/// A StringMatches pattern: literal pieces separated by `*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    pieces: Vec<String>,
}

impl Pattern {
    /// Parses a pattern: `*` matches any run of characters, `\*` is a star and `\\` a
    /// backslash. A lone trailing backslash is an error.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let mut pieces = vec![String::new()];
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(e) => pieces.last_mut().map_or((), |p| p.push(e)),
                    None => {
                        return Err(format!(
                            "the StringMatches pattern '{text}' ends with an open escape"
                        ));
                    }
                },
                '*' => pieces.push(String::new()),
                c => pieces.last_mut().map_or((), |p| p.push(c)),
            }
        }
        Ok(Pattern { pieces })
    }

    /// Whether `s` matches.
    pub fn matches(&self, s: &str) -> bool {
        let (first, rest) = match self.pieces.split_first() {
            Some(x) => x,
            None => return s.is_empty(),
        };
        let Some(mut s) = s.strip_prefix(first.as_str()) else {
            return false;
        };
        let Some((last, middle)) = rest.split_last() else {
            return s.is_empty();
        };
        for piece in middle {
            match s.find(piece.as_str()) {
                Some(i) => s = &s[i + piece.len()..],
                None => return false,
            }
        }
        s.len() >= last.len() && s.ends_with(last.as_str())
    }
}

fn missing(path: &Path) -> Failure {
    Failure::runtime(format!(
        "Invalid path '{}' : No results for path: {}",
        path.text(),
        path.bracketed()
    ))
}

fn timestamp(v: &Value) -> Option<jiff::Timestamp> {
    v.as_str()
        .and_then(|s| crate::time::parse_timestamp(s).ok())
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
        test.eval(value, scope)
    }
}

impl Test {
    fn operand<'a>(op: &'a Operand, scope: &Scope<'a>) -> Result<Cow<'a, Value>, Failure> {
        match op {
            Operand::Literal(v) => Ok(Cow::Borrowed(v)),
            Operand::Path(p) => scope.select_ref(p).ok_or_else(|| missing(p)),
        }
    }

    fn eval(&self, v: &Value, scope: &Scope<'_>) -> Result<bool, Failure> {
        Ok(match self {
            // The common comparisons against a literal, without making an operand.
            Test::Numeric(cmp, Operand::Literal(other)) => numeric(*cmp, v, other),
            Test::String(cmp, Operand::Literal(other)) => string(*cmp, v, other),
            Test::Numeric(cmp, op) => numeric(*cmp, v, &*Self::operand(op, scope)?),
            Test::String(cmp, op) => string(*cmp, v, &*Self::operand(op, scope)?),
            Test::Boolean(op) => {
                let other = Self::operand(op, scope)?;
                matches!((v.as_bool(), other.as_bool()), (Some(a), Some(b)) if a == b)
            }
            Test::Timestamp(cmp, op) => {
                let other = Self::operand(op, scope)?;
                match (timestamp(v), timestamp(&other)) {
                    (Some(a), Some(b)) => cmp.holds(a.cmp(&b)),
                    _ => false,
                }
            }
            Test::Matches(Ok(p)) => v.as_str().is_some_and(|s| p.matches(s)),
            Test::Matches(Err(e)) => return Err(Failure::runtime(e.clone())),
            Test::IsNull(want) => v.is_null() == *want,
            Test::IsPresent(want) => *want,
            Test::IsNumeric(want) => v.is_number() == *want,
            Test::IsString(want) => v.is_string() == *want,
            Test::IsBoolean(want) => v.is_boolean() == *want,
            Test::IsTimestamp(want) => timestamp(v).is_some() == *want,
        })
    }
}

/// `Numeric…`: numbers compare as numbers; anything else is false.
#[inline]
fn numeric(cmp: Cmp, v: &Value, other: &Value) -> bool {
    match (v.as_f64(), other.as_f64()) {
        (Some(a), Some(b)) => a.partial_cmp(&b).is_some_and(|o| cmp.holds(o)),
        _ => false,
    }
}

/// `String…`: strings compare by their characters' code points; anything else is false.
#[inline]
fn string(cmp: Cmp, v: &Value, other: &Value) -> bool {
    match (v.as_str(), other.as_str()) {
        (Some(a), Some(b)) => cmp.holds(a.cmp(b)),
        _ => false,
    }
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
    fn string_matches() {
        let p = Pattern::parse("log-*.txt").expect("valid");
        assert!(p.matches("log-2024.txt") && p.matches("log-.txt") && !p.matches("log-1.csv"));
        let star = Pattern::parse(r"a\*b*").expect("valid");
        assert!(star.matches("a*bcd") && !star.matches("axbcd"));
        assert!(Pattern::parse("*").expect("valid").matches(""));
        assert!(Pattern::parse(r"abc\").is_err());
        let two = Pattern::parse("*ab*ab").expect("valid");
        assert!(two.matches("xabyab") && !two.matches("ab"));
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
