//! The 39 comparison operators of Choice rules, what operand each takes, and the test it
//! makes with it.

use serde_json::Value;

use super::{Cmp, Operand, Pattern, Test};

/// The 39 Choice comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Operator {
    StringEquals,
    StringEqualsPath,
    StringLessThan,
    StringLessThanPath,
    StringGreaterThan,
    StringGreaterThanPath,
    StringLessThanEquals,
    StringLessThanEqualsPath,
    StringGreaterThanEquals,
    StringGreaterThanEqualsPath,
    StringMatches,
    NumericEquals,
    NumericEqualsPath,
    NumericLessThan,
    NumericLessThanPath,
    NumericGreaterThan,
    NumericGreaterThanPath,
    NumericLessThanEquals,
    NumericLessThanEqualsPath,
    NumericGreaterThanEquals,
    NumericGreaterThanEqualsPath,
    BooleanEquals,
    BooleanEqualsPath,
    TimestampEquals,
    TimestampEqualsPath,
    TimestampLessThan,
    TimestampLessThanPath,
    TimestampGreaterThan,
    TimestampGreaterThanPath,
    TimestampLessThanEquals,
    TimestampLessThanEqualsPath,
    TimestampGreaterThanEquals,
    TimestampGreaterThanEqualsPath,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

/// What an operator's literal operand must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperandKind {
    /// A string.
    String,
    /// A number.
    Number,
    /// A boolean.
    Boolean,
    /// An RFC 3339 timestamp string.
    Timestamp,
    /// A path to compare against.
    Path,
}

macro_rules! operators {
    ($($op:ident => $kind:ident),* $(,)?) => {
        impl Operator {
            /// Every operator.
            pub const ALL: &'static [Operator] = &[$(Operator::$op),*];

            /// The operator's field name.
            pub fn as_str(self) -> &'static str {
                match self { $(Operator::$op => stringify!($op)),* }
            }

            /// The operator named `name`.
            pub fn from_name(name: &str) -> Option<Operator> {
                match name { $(stringify!($op) => Some(Operator::$op),)* _ => None }
            }

            /// The operand it takes.
            pub fn operand(self) -> OperandKind {
                match self { $(Operator::$op => OperandKind::$kind),* }
            }
        }
    };
}

operators! {
    StringEquals => String, StringEqualsPath => Path,
    StringLessThan => String, StringLessThanPath => Path,
    StringGreaterThan => String, StringGreaterThanPath => Path,
    StringLessThanEquals => String, StringLessThanEqualsPath => Path,
    StringGreaterThanEquals => String, StringGreaterThanEqualsPath => Path,
    StringMatches => String,
    NumericEquals => Number, NumericEqualsPath => Path,
    NumericLessThan => Number, NumericLessThanPath => Path,
    NumericGreaterThan => Number, NumericGreaterThanPath => Path,
    NumericLessThanEquals => Number, NumericLessThanEqualsPath => Path,
    NumericGreaterThanEquals => Number, NumericGreaterThanEqualsPath => Path,
    BooleanEquals => Boolean, BooleanEqualsPath => Path,
    TimestampEquals => Timestamp, TimestampEqualsPath => Path,
    TimestampLessThan => Timestamp, TimestampLessThanPath => Path,
    TimestampGreaterThan => Timestamp, TimestampGreaterThanPath => Path,
    TimestampLessThanEquals => Timestamp, TimestampLessThanEqualsPath => Path,
    TimestampGreaterThanEquals => Timestamp, TimestampGreaterThanEqualsPath => Path,
    IsNull => Boolean, IsPresent => Boolean, IsNumeric => Boolean,
    IsString => Boolean, IsBoolean => Boolean, IsTimestamp => Boolean,
}

impl Operator {
    /// The test this operator makes with `operand`: the literal the rule gives (a boolean for
    /// the `Is…` operators, the pattern's text for `StringMatches`), or for a `…Path` operator
    /// the path to read at run time.
    pub fn test(self, operand: Operand) -> Test {
        use Operator::*;
        let flag = || match &operand {
            Operand::Literal(Value::Bool(b)) => *b,
            _ => true,
        };
        match self {
            StringEquals | StringEqualsPath => Test::String(Cmp::Eq, operand),
            StringLessThan | StringLessThanPath => Test::String(Cmp::Lt, operand),
            StringGreaterThan | StringGreaterThanPath => Test::String(Cmp::Gt, operand),
            StringLessThanEquals | StringLessThanEqualsPath => Test::String(Cmp::Le, operand),
            StringGreaterThanEquals | StringGreaterThanEqualsPath => Test::String(Cmp::Ge, operand),
            StringMatches => Test::Matches(match &operand {
                Operand::Literal(Value::String(text)) => Pattern::parse(text),
                _ => Err("the StringMatches operand is not a string".to_owned()),
            }),
            NumericEquals | NumericEqualsPath => Test::Numeric(Cmp::Eq, operand),
            NumericLessThan | NumericLessThanPath => Test::Numeric(Cmp::Lt, operand),
            NumericGreaterThan | NumericGreaterThanPath => Test::Numeric(Cmp::Gt, operand),
            NumericLessThanEquals | NumericLessThanEqualsPath => Test::Numeric(Cmp::Le, operand),
            NumericGreaterThanEquals | NumericGreaterThanEqualsPath => {
                Test::Numeric(Cmp::Ge, operand)
            }
            BooleanEquals | BooleanEqualsPath => Test::Boolean(operand),
            TimestampEquals | TimestampEqualsPath => Test::Timestamp(Cmp::Eq, operand),
            TimestampLessThan | TimestampLessThanPath => Test::Timestamp(Cmp::Lt, operand),
            TimestampGreaterThan | TimestampGreaterThanPath => Test::Timestamp(Cmp::Gt, operand),
            TimestampLessThanEquals | TimestampLessThanEqualsPath => {
                Test::Timestamp(Cmp::Le, operand)
            }
            TimestampGreaterThanEquals | TimestampGreaterThanEqualsPath => {
                Test::Timestamp(Cmp::Ge, operand)
            }
            IsNull => Test::IsNull(flag()),
            IsPresent => Test::IsPresent(flag()),
            IsNumeric => Test::IsNumeric(flag()),
            IsString => Test::IsString(flag()),
            IsBoolean => Test::IsBoolean(flag()),
            IsTimestamp => Test::IsTimestamp(flag()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_operator_makes_its_test() {
        assert_eq!(Operator::ALL.len(), 39);
        for op in Operator::ALL {
            assert_eq!(Operator::from_name(op.as_str()), Some(*op));
            let operand = match op.operand() {
                OperandKind::Path => Operand::Path(crate::jsonpath::parse("$.x").expect("path")),
                OperandKind::Boolean => Operand::Literal(json!(true)),
                OperandKind::Number => Operand::Literal(json!(1)),
                _ => Operand::Literal(json!("2016-03-14T01:59:00Z")),
            };
            let name = op.as_str();
            let test = op.test(operand);
            let family = match &test {
                Test::String(..) | Test::Matches(_) => "String",
                Test::Numeric(..) => "Numeric",
                Test::Boolean(_) => "Boolean",
                Test::Timestamp(..) => "Timestamp",
                _ => "Is",
            };
            assert!(name.starts_with(family), "{name} made {test:?}");
        }
        assert_eq!(
            Operator::NumericLessThanEqualsPath.test(Operand::Literal(json!(1))),
            Test::Numeric(Cmp::Le, Operand::Literal(json!(1)))
        );
        assert_eq!(
            Operator::IsNull.test(Operand::Literal(json!(false))),
            Test::IsNull(false)
        );
    }
}
