//! Payload templates (`Parameters`, `ResultSelector`, `ItemSelector`, …): literal JSON with
//! `"key.$"` members whose values are paths, pre-parsed by the generator.

use serde_json::{Map, Value};

use asl_lang::jsonpath::{Path, Root};

use super::scope::Scope;
use crate::error::{Failure, names};

/// A payload template.
#[derive(Clone, Debug, PartialEq)]
pub enum Template {
    /// A literal value (a subtree with no `.$` keys).
    Literal(Value),
    /// An object whose members are templates (keys with `.$` already stripped).
    Object(Vec<(Box<str>, Template)>),
    /// An array of templates.
    Array(Vec<Template>),
    /// A `"key.$"` intrinsic function call.
    Call {
        /// The call.
        call: crate::intrinsic::Call,
        /// The key as written (`value.$`).
        field: Box<str>,
    },
    /// A JSONata expression (`"{% … %}"`); `field` is where it stands (`Output/result`).
    Jsonata {
        /// The expression.
        expr: Box<super::jsonata::Expr>,
        /// The field path, for error messages.
        field: Box<str>,
    },
    /// A `"key.$"` path: `field` is the key as written, for error messages.
    Path {
        /// The path.
        path: Path,
        /// The key as written (`value.$`).
        field: Box<str>,
    },
    /// A template the generator wrote as Rust: the same object built by straight-line code
    /// (see [`Template::code`]).
    Code(Code),
}

/// A template written as Rust by the generator: a function (one per template, capturing
/// nothing, so it costs the build no generic instances) and the paths, literals and `Format`
/// templates it reads, built once with the plan.
#[derive(Clone, Debug)]
pub struct Code {
    build: CodeFn,
    data: std::sync::Arc<[Datum]>,
}

impl PartialEq for Code {
    /// The same data and the same function (as far as function addresses tell: the same
    /// function may have two addresses in different codegen units, so two equal templates can
    /// compare unequal, never the reverse).
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.build, other.build) && self.data == other.data
    }
}

/// The function of a [`Code`] template: the scope, the error a missing path raises, and the
/// template's data.
pub type CodeFn = fn(&Scope<'_>, &str, Data<'_>) -> Result<Value, Failure>;

/// What a [`Code`] template's function reads besides the scope.
#[derive(Clone, Debug, PartialEq)]
pub enum Datum {
    /// A path.
    Path(Path),
    /// A literal value.
    Literal(Value),
    /// A `States.Format` template split at its holes.
    Format(Box<[Box<str>]>),
}

/// A [`Code`] template's data, by position.
#[derive(Clone, Copy, Debug)]
pub struct Data<'a>(&'a [Datum]);

impl<'a> Data<'a> {
    /// The path at `i` (`$` if the generator put something else there, which it does not).
    pub fn path(self, i: usize) -> &'a Path {
        static ROOT: std::sync::LazyLock<Path> = std::sync::LazyLock::new(Path::root_input);
        match self.0.get(i) {
            Some(Datum::Path(p)) => p,
            _ => &ROOT,
        }
    }

    /// The literal at `i` (`null` if there is none).
    pub fn literal(self, i: usize) -> &'a Value {
        match self.0.get(i) {
            Some(Datum::Literal(v)) => v,
            _ => &Value::Null,
        }
    }

    /// The `States.Format` template at `i` (empty if there is none).
    pub fn format(self, i: usize) -> &'a [Box<str>] {
        match self.0.get(i) {
            Some(Datum::Format(t)) => t,
            _ => &[],
        }
    }
}

impl Template {
    /// A template written as Rust: `build` computes the value from the scope and `data`.
    pub fn code(build: CodeFn, data: Vec<Datum>) -> Self {
        Template::Code(Code {
            build,
            data: data.into(),
        })
    }

    /// Builds the value. `error_name` is what a path that finds nothing raises
    /// (`States.Runtime` in Pass states, `States.ParameterPathFailure` in Task states).
    #[inline]
    pub fn apply(&self, scope: &Scope<'_>, error_name: &str) -> Result<Value, Failure> {
        match self {
            Template::Literal(v) => Ok(v.clone()),
            Template::Object(members) => {
                let mut out = Map::with_capacity(members.len());
                for (k, t) in members {
                    out.insert(String::from(&**k), t.apply(scope, error_name)?);
                }
                Ok(Value::Object(out))
            }
            Template::Array(items) => items
                .iter()
                .map(|t| t.apply(scope, error_name))
                .collect::<Result<_, _>>()
                .map(Value::Array),
            Template::Call { call, field } => crate::intrinsic::eval(call, scope, field),
            Template::Jsonata { expr, field } => expr.eval(scope, field),
            Template::Path { path, field } => path_value(scope, path, field, error_name),
            Template::Code(code) => (code.build)(scope, error_name, Data(&code.data)),
        }
    }
}

/// What a `"key.$"` path of a template gives: the value it selects, or `error_name` (AWS's
/// message naming the path, the key and the input) when it selects nothing.
pub fn path_value(
    scope: &Scope<'_>,
    path: &Path,
    field: &str,
    error_name: &str,
) -> Result<Value, Failure> {
    scope.select(path).ok_or_else(|| {
        let doc = match path.root() {
            Root::Context => scope.context,
            _ => scope.input,
        };
        Failure::in_state(
            error_name,
            format!(
                "The JSONPath '{}' specified for the field '{field}' could not be found in the input '{}'",
                path.text(),
                serde_json::to_string(doc).unwrap_or_default()
            ),
        )
    })
}

/// The error a Pass state's Parameters raise for a missing path.
pub const PASS_PATH_ERROR: &str = names::RUNTIME;
/// The error a Task state's Parameters raise for a missing path.
pub const TASK_PATH_ERROR: &str = names::PARAMETER_PATH_FAILURE;

#[cfg(test)]
mod tests {
    use super::*;
    use asl_lang::jsonpath::Step;
    use serde_json::json;

    #[test]
    fn code_templates_read_their_data_by_position() {
        // What the generator writes for `{"id.$": "$.id", "fixed": [1, 2]}`.
        fn build(scope: &Scope<'_>, error: &str, data: Data<'_>) -> Result<Value, Failure> {
            let mut m = Map::with_capacity(2);
            m.insert("id".into(), path_value(scope, data.path(0), "id.$", error)?);
            m.insert("fixed".into(), data.literal(1).clone());
            Ok(Value::Object(m))
        }
        let t = Template::code(
            build,
            vec![
                Datum::Path(Path::new(
                    Root::Input,
                    vec![Step::Name("id".into())],
                    "$.id",
                )),
                Datum::Literal(json!([1, 2])),
            ],
        );
        let input = json!({"id": 7});
        let scope = Scope {
            input: &input,
            ..Scope::PLAIN
        };
        assert_eq!(
            t.apply(&scope, names::RUNTIME),
            Ok(json!({"id": 7, "fixed": [1, 2]}))
        );
        assert_eq!(t, t.clone());
        let empty = json!({});
        let err = t
            .apply(
                &Scope {
                    input: &empty,
                    ..Scope::PLAIN
                },
                names::PARAMETER_PATH_FAILURE,
            )
            .expect_err("missing path");
        assert_eq!(err.error, names::PARAMETER_PATH_FAILURE);
        assert_eq!(
            err.cause.as_deref(),
            Some(
                "The JSONPath '$.id' specified for the field 'id.$' could not be found in the input '{}'"
            )
        );
        // Data of another kind than asked for reads as `$`, `null` and no template.
        let data = Data(&[]);
        assert!(data.path(3).is_root() && data.literal(0).is_null() && data.format(1).is_empty());
    }

    #[test]
    fn builds_values_and_reports_missing_paths() {
        let t = Template::Object(vec![
            ("fixed".into(), Template::Literal(json!([1, 2]))),
            (
                "id".into(),
                Template::Path {
                    path: Path::new(Root::Input, vec![Step::Name("id".into())], "$.id"),
                    field: "id.$".into(),
                },
            ),
            (
                "exec".into(),
                Template::Path {
                    path: Path::new(Root::Context, vec![Step::Name("Name".into())], "$$.Name"),
                    field: "exec.$".into(),
                },
            ),
        ]);
        let input = json!({"id": 7});
        let context = json!({"Name": "run-1"});
        let scope = Scope {
            input: &input,
            context: &context,
            ..Scope::PLAIN
        };
        assert_eq!(
            t.apply(&scope, names::RUNTIME),
            Ok(json!({"fixed": [1, 2], "id": 7, "exec": "run-1"}))
        );
        let empty = json!({});
        let scope = Scope {
            input: &empty,
            context: &context,
            ..Scope::PLAIN
        };
        let err = t
            .apply(&scope, names::PARAMETER_PATH_FAILURE)
            .expect_err("missing path");
        assert_eq!(err.error, names::PARAMETER_PATH_FAILURE);
        assert_eq!(
            err.cause.as_deref(),
            Some(
                "The JSONPath '$.id' specified for the field 'id.$' could not be found in the input '{}'"
            )
        );
    }
}
