//! Choice rules' comparisons: the 39 operators, the test each one makes with its operand,
//! `StringMatches` patterns, and how a value passes a test, by AWS's rules (a value of the
//! wrong type compares false). The rule tree around the tests (`And`, `Or`, `Not`, JSONata
//! `Condition`) and reading `Variable` and `…Path` operands are the runtime's.

mod operator;
mod pattern;

use std::cmp::Ordering;

use serde_json::Value;

use crate::jsonpath::Path;

pub use operator::{OperandKind, Operator};
pub use pattern::Pattern;

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
    /// Whether an ordering satisfies the comparison.
    #[inline]
    pub fn holds(self, o: Ordering) -> bool {
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

impl Test {
    /// The operand to read before [`holds`](Self::holds), for tests that compare against one.
    #[inline]
    pub fn operand(&self) -> Option<&Operand> {
        match self {
            Test::String(_, o) | Test::Numeric(_, o) | Test::Boolean(o) | Test::Timestamp(_, o) => {
                Some(o)
            }
            _ => None,
        }
    }

    /// Whether `value` (what the rule's `Variable` selected) passes, `other` being the value of
    /// [`operand`](Self::operand) when the test has one. A `StringMatches` pattern that is not
    /// one is the error (AWS fails the execution with it).
    #[inline]
    pub fn holds(&self, value: &Value, other: Option<&Value>) -> Result<bool, &str> {
        let other = other.unwrap_or(&Value::Null);
        Ok(match self {
            Test::Numeric(cmp, _) => cmp.numbers(value, other),
            Test::String(cmp, _) => cmp.strings(value, other),
            Test::Boolean(_) => {
                matches!((value.as_bool(), other.as_bool()), (Some(a), Some(b)) if a == b)
            }
            Test::Timestamp(cmp, _) => match (timestamp(value), timestamp(other)) {
                (Some(a), Some(b)) => cmp.holds(a.cmp(&b)),
                _ => false,
            },
            Test::Matches(Ok(p)) => value.as_str().is_some_and(|s| p.matches(s)),
            Test::Matches(Err(e)) => return Err(e),
            Test::IsNull(want) => value.is_null() == *want,
            Test::IsPresent(want) => *want,
            Test::IsNumeric(want) => value.is_number() == *want,
            Test::IsString(want) => value.is_string() == *want,
            Test::IsBoolean(want) => value.is_boolean() == *want,
            Test::IsTimestamp(want) => timestamp(value).is_some() == *want,
        })
    }
}

impl Cmp {
    /// `Numeric…`: whether `v` compares so with `other` as numbers (false unless both are).
    #[inline]
    pub fn numbers(self, v: &Value, other: &Value) -> bool {
        match (v.as_f64(), other.as_f64()) {
            (Some(a), Some(b)) => a.partial_cmp(&b).is_some_and(|o| self.holds(o)),
            _ => false,
        }
    }

    /// `String…`: whether `v` compares so with `other` by their characters' code points
    /// (false unless both are strings).
    #[inline]
    pub fn strings(self, v: &Value, other: &Value) -> bool {
        match (v.as_str(), other.as_str()) {
            (Some(a), Some(b)) => self.holds(a.cmp(b)),
            _ => false,
        }
    }
}

fn timestamp(v: &Value) -> Option<jiff::Timestamp> {
    v.as_str().and_then(|s| crate::timestamp::parse(s).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn type_mismatch_is_false() {
        let t = Test::Numeric(Cmp::Eq, Operand::Literal(json!(1)));
        assert_eq!(t.holds(&json!(1.0), Some(&json!(1))), Ok(true));
        assert_eq!(t.holds(&json!("1"), Some(&json!(1))), Ok(false));
        let t = Test::Timestamp(Cmp::Lt, Operand::Literal(json!("2016-03-14T01:59:00.5Z")));
        let other = json!("2016-03-14T01:59:00.5Z");
        assert_eq!(
            t.holds(&json!("2016-03-14T02:59:00+02:00"), Some(&other)),
            Ok(true)
        );
        assert_eq!(t.holds(&json!("not a time"), Some(&other)), Ok(false));
        assert!(
            Test::Matches(Pattern::parse(r"a\"))
                .holds(&json!("a"), None)
                .is_err()
        );
    }
}
