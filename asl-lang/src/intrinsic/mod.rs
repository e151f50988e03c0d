//! Intrinsic function calls (`States.Format('{}', $.x)`): the 18 functions, the tree of a
//! call, and its parsing with the static rules of each function (name, arity, literal
//! argument types, `States.Format` holes, nesting depth). Evaluation is the runtime's.

mod parse;

use std::fmt;

use serde_json::Value;

use crate::jsonpath::Path;

pub use parse::{parse, template_holes};

/// A call.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The function.
    pub function: Function,
    /// Its arguments (for `States.Format` with a literal template, the values after it).
    pub args: Vec<Arg>,
    /// `States.Format`'s literal template split at its `{}` holes, escapes resolved; empty
    /// when the template is not a literal (it is then the first of `args`).
    pub template: Vec<Box<str>>,
}

/// An argument of a call.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// A literal: `'text'` (escapes resolved), a number, `true`, `false`, `null`.
    Literal(Value),
    /// A path into the input, the context object or a variable.
    Path(Path),
    /// A nested call.
    Call(Box<Call>),
}

impl Arg {
    /// What kind of argument it is, as error messages name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Arg::Literal(Value::String(_)) => "string",
            Arg::Literal(Value::Number(_)) => "number",
            Arg::Literal(Value::Bool(_)) => "boolean",
            Arg::Literal(Value::Null) => "null",
            Arg::Literal(_) => "value",
            Arg::Path(_) => "path",
            Arg::Call(_) => "call",
        }
    }
}

/// A syntax or rule error, with the byte offset in the call text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntrinsicError {
    /// What is wrong.
    pub message: String,
    /// Byte offset.
    pub offset: usize,
    /// Whether the calls nest deeper than [`MAX_NESTING`] (AWS's `TOO_DEEPLY_NESTED`).
    pub too_deep: bool,
}

impl fmt::Display for IntrinsicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IntrinsicError {}

/// What a literal argument must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Want {
    Any,
    String,
    Number,
    Integer,
    Bool,
    /// An array: only paths and calls can produce one.
    Array,
    /// An object: likewise.
    Object,
}

macro_rules! functions {
    ($($variant:ident = $name:literal, min $min:literal, max $max:expr, [$($want:ident),*] $(, rest $rest:ident)?;)*) => {
        /// The 18 intrinsic functions.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Function { $($variant),* }

        impl Function {
            /// Every function.
            pub const ALL: &'static [Function] = &[$(Function::$variant),*];

            /// The function's name (`States.Format`).
            pub fn name(self) -> &'static str {
                match self { $(Function::$variant => $name),* }
            }

            /// The name of its variant of [`Function`] (`Format`), for generated code.
            pub fn variant(self) -> &'static str {
                match self { $(Function::$variant => stringify!($variant)),* }
            }

            /// The function named `name` (`States.Format`).
            pub fn from_name(name: &str) -> Option<Function> {
                match name { $($name => Some(Function::$variant),)* _ => None }
            }

            /// How many arguments it takes: at least, and at most if there is a most.
            pub fn arity(self) -> (usize, Option<usize>) {
                match self { $(Function::$variant => ($min, $max)),* }
            }

            pub(super) fn want(self, i: usize) -> Want {
                match self {
                    $(Function::$variant => {
                        const W: &[Want] = &[$(Want::$want),*];
                        #[allow(unused_mut, unused_assignments)]
                        let mut rest = Want::Any;
                        $(rest = Want::$rest;)?
                        W.get(i).copied().unwrap_or(rest)
                    })*
                }
            }
        }
    };
}

functions! {
    Format = "States.Format", min 1, max None, [String];
    StringToJson = "States.StringToJson", min 1, max Some(1), [String];
    JsonToString = "States.JsonToString", min 1, max Some(1), [Any];
    Array = "States.Array", min 0, max None, [];
    ArrayPartition = "States.ArrayPartition", min 2, max Some(2), [Array, Integer];
    ArrayContains = "States.ArrayContains", min 2, max Some(2), [Array, Any];
    ArrayRange = "States.ArrayRange", min 3, max Some(3), [Integer, Integer, Integer];
    ArrayGetItem = "States.ArrayGetItem", min 2, max Some(2), [Array, Integer];
    ArrayLength = "States.ArrayLength", min 1, max Some(1), [Array];
    ArrayUnique = "States.ArrayUnique", min 1, max Some(1), [Array];
    Base64Encode = "States.Base64Encode", min 1, max Some(1), [String];
    Base64Decode = "States.Base64Decode", min 1, max Some(1), [String];
    Hash = "States.Hash", min 2, max Some(2), [Any, String];
    JsonMerge = "States.JsonMerge", min 3, max Some(3), [Object, Object, Bool];
    MathRandom = "States.MathRandom", min 2, max Some(3), [Integer, Integer, Integer];
    MathAdd = "States.MathAdd", min 2, max Some(2), [Number, Number];
    StringSplit = "States.StringSplit", min 2, max Some(2), [String, String];
    Uuid = "States.UUID", min 0, max Some(0), [];
}

/// How deep AWS lets intrinsic calls nest.
pub const MAX_NESTING: usize = 10;

/// Whether `text` looks like an intrinsic call (a name followed by `(`), as opposed to a path
/// or a plain string.
pub fn looks_like_call(text: &str) -> bool {
    let t = text.trim_start();
    let name_len = t
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'_')
        .count();
    name_len > 0 && t[name_len..].trim_start().starts_with('(')
}
