//! JSONPath filter expressions (`[?(@.price < 10 && @.tags)]`), as Jayway reads them:
//! comparisons (`==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `nin`) between `@` paths, `$` paths and
//! literals (a bare word is a string), existence tests (`@.isbn`), `&&`, `||`, `!` and
//! parentheses. As AWS documents, `@` tests objects only: scalar elements never match.

mod eval;
mod parse;

use serde_json::Value;

use crate::jsonpath::Path;

pub use parse::parse;

/// A filter expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    /// `a || b`.
    Or(Box<Filter>, Box<Filter>),
    /// `a && b`.
    And(Box<Filter>, Box<Filter>),
    /// `!a`.
    Not(Box<Filter>),
    /// `left op right`.
    Compare(Operand, Op, Operand),
    /// `@.a`: the path names something.
    Exists(Operand),
}

/// A side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// `@…`, a path from the element being tested (read with `@` as its root `$`).
    Current(Path),
    /// `$…`, a path from the document root.
    Root(Path),
    /// A literal.
    Literal(Value),
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Nin,
}
