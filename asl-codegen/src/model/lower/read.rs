//! Typed readers of one field each: strings, booleans, paths, numbers in range, enumerations,
//! objects and arrays, reporting a wrong type or value where it stands.

use super::{Lowerer, Obj, is_cfn_intrinsic, jsonata_text};
use crate::diag::{Code, Diagnostic, Pointer};
use crate::model::{NumberOrExpr, PathField, PathText, QueryLanguage, Spanned};
use crate::source::{Node, Value};

impl Lowerer<'_> {
    pub(super) fn spanned<T>(value: T, node: &Node, ptr: Pointer) -> Spanned<T> {
        Spanned {
            value,
            span: node.span,
            pointer: ptr,
        }
    }

    pub(super) fn string(&mut self, obj: &Obj<'_>, key: &str) -> Option<Spanned<String>> {
        let node = obj.get(key)?;
        match node.as_str() {
            Some(s) => Some(Self::spanned(s.to_owned(), node, obj.child(key))),
            None if is_cfn_intrinsic(node) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::SchemaValidationFailed,
                        format!("Field '{key}' holds an unresolved CloudFormation intrinsic function"),
                        obj.child(key),
                        Some(node.span),
                    )
                    .with_help("the deployment template resolves it; check the definition CloudFormation produces, or substitute a value")
                    .warning(),
                );
                None
            }
            None => {
                self.error(
                    format!("Field '{key}' must be a string, not {}", node.type_name()),
                    obj.child(key),
                    node,
                );
                None
            }
        }
    }

    pub(super) fn non_empty_string(&mut self, obj: &Obj<'_>, key: &str) -> Option<Spanned<String>> {
        let s = self.string(obj, key)?;
        if s.value.is_empty() {
            self.diags.push(Diagnostic::new(
                Code::SchemaValidationFailed,
                format!("Field '{key}' must not be empty"),
                s.pointer.clone(),
                Some(s.span),
            ));
        }
        Some(s)
    }

    pub(super) fn boolean(&mut self, obj: &Obj<'_>, key: &str) -> Option<Spanned<bool>> {
        let node = obj.get(key)?;
        match node.as_bool() {
            Some(b) => Some(Self::spanned(b, node, obj.child(key))),
            None => {
                self.error(
                    format!("Field '{key}' must be a boolean, not {}", node.type_name()),
                    obj.child(key),
                    node,
                );
                None
            }
        }
    }

    pub(super) fn node(&mut self, obj: &Obj<'_>, key: &str) -> Option<Spanned<Node>> {
        let node = obj.get(key)?;
        Some(Self::spanned(node.clone(), node, obj.child(key)))
    }

    /// An object-valued field (a payload template, Assign, …). JSONata states may also give a
    /// whole-field expression where `allow_expr` says so.
    pub(super) fn object_node(
        &mut self,
        obj: &Obj<'_>,
        key: &str,
        allow_expr: bool,
    ) -> Option<Spanned<Node>> {
        let node = obj.get(key)?;
        let is_expr = allow_expr && node.as_str().is_some_and(|s| jsonata_text(s).is_some());
        // AWS takes any JSON in Parameters (an array of templates, a path string in old
        // definitions); the other template fields must be objects.
        if node.as_object().is_none() && !is_expr && key != "Parameters" {
            self.error(
                format!("Field '{key}' must be an object, not {}", node.type_name()),
                obj.child(key),
                node,
            );
            return None;
        }
        Some(Self::spanned(node.clone(), node, obj.child(key)))
    }

    pub(super) fn path(&mut self, obj: &Obj<'_>, key: &str, nullable: bool) -> Option<PathField> {
        let node = obj.get(key)?;
        match &node.value {
            Value::String(s) => Some(Self::spanned(
                Some(PathText::new(s.clone())),
                node,
                obj.child(key),
            )),
            Value::Null if nullable => Some(Self::spanned(None, node, obj.child(key))),
            _ => {
                self.error(
                    format!(
                        "Field '{key}' must be a path string, not {}",
                        node.type_name()
                    ),
                    obj.child(key),
                    node,
                );
                None
            }
        }
    }

    /// What integer and number fields share: the field itself, or (`Err`) the answer when it
    /// is a JSONata expression (accepted in JSONata states) or a whole placeholder (a warning).
    #[allow(clippy::type_complexity)]
    pub(super) fn numeric_prelude<'a, T>(
        &mut self,
        obj: &Obj<'a>,
        key: &str,
        ql: QueryLanguage,
    ) -> Option<Result<(&'a Node, Pointer), Option<Spanned<NumberOrExpr<T>>>>> {
        let node = obj.get(key)?;
        let ptr = obj.child(key);
        if let Some(text) = node.as_str().and_then(jsonata_text)
            && ql == QueryLanguage::Jsonata
        {
            return Some(Err(Some(Self::spanned(
                NumberOrExpr::Jsonata(text.to_owned()),
                node,
                ptr,
            ))));
        }
        if self.placeholder(node, &ptr, key) {
            return Some(Err(None));
        }
        Some(Ok((node, ptr)))
    }

    /// An integer field in `min..=max`; in JSONata states, a `{% … %}` string is accepted too.
    pub(super) fn uint(
        &mut self,
        obj: &Obj<'_>,
        key: &str,
        ql: QueryLanguage,
        min: u64,
        max: u64,
    ) -> Option<Spanned<NumberOrExpr<u64>>> {
        let (node, ptr) = match self.numeric_prelude(obj, key, ql)? {
            Ok(found) => found,
            Err(expr) => return expr,
        };
        match node.as_integer() {
            Some(n) if n >= 0 && (n as u64) >= min && (n as u64) <= max => {
                Some(Self::spanned(NumberOrExpr::Literal(n as u64), node, ptr))
            }
            Some(n) => {
                self.error(
                    format!("Field '{key}' must be between {min} and {max}, not {n}"),
                    ptr,
                    node,
                );
                None
            }
            None => {
                let what = if node.as_f64().is_some() {
                    "a decimal number".to_owned()
                } else {
                    node.type_name().to_owned()
                };
                let expr = if ql == QueryLanguage::Jsonata {
                    " or a JSONata expression"
                } else {
                    ""
                };
                self.error(
                    format!("Field '{key}' must be an integer{expr}, not {what}"),
                    ptr,
                    node,
                );
                None
            }
        }
    }

    pub(super) fn number(
        &mut self,
        obj: &Obj<'_>,
        key: &str,
        ql: QueryLanguage,
        min: f64,
        max: f64,
    ) -> Option<Spanned<NumberOrExpr<f64>>> {
        let (node, ptr) = match self.numeric_prelude(obj, key, ql)? {
            Ok(found) => found,
            Err(expr) => return expr,
        };
        match node.as_f64() {
            Some(n) if n >= min && n <= max => {
                Some(Self::spanned(NumberOrExpr::Literal(n), node, ptr))
            }
            Some(n) => {
                let range = if max == f64::MAX {
                    format!("at least {min}")
                } else {
                    format!("between {min} and {max}")
                };
                self.error(format!("Field '{key}' must be {range}, not {n}"), ptr, node);
                None
            }
            None => {
                self.error(
                    format!("Field '{key}' must be a number, not {}", node.type_name()),
                    ptr,
                    node,
                );
                None
            }
        }
    }

    pub(super) fn one_of(
        &mut self,
        obj: &Obj<'_>,
        key: &str,
        values: &[&str],
    ) -> Option<Spanned<String>> {
        let s = self.string(obj, key)?;
        if !values.contains(&s.value.as_str()) {
            self.diags.push(Diagnostic::new(
                Code::SchemaValidationFailed,
                format!(
                    "Field '{key}' must be one of [{}], not '{}'",
                    values.join(", "),
                    s.value
                ),
                s.pointer.clone(),
                Some(s.span),
            ));
            return None;
        }
        Some(s)
    }

    pub(super) fn obj_field<'a>(&mut self, obj: &Obj<'a>, key: &str) -> Option<Obj<'a>> {
        let node = obj.get(key)?;
        match node.as_object() {
            Some(members) => Some(Obj {
                members,
                ptr: obj.child(key),
                node,
            }),
            None => {
                self.error(
                    format!("Field '{key}' must be an object, not {}", node.type_name()),
                    obj.child(key),
                    node,
                );
                None
            }
        }
    }

    pub(super) fn array_field<'a>(
        &mut self,
        obj: &Obj<'a>,
        key: &str,
        non_empty: bool,
    ) -> Option<(&'a [Node], Pointer)> {
        let node = obj.get(key)?;
        match node.as_array() {
            Some(items) if non_empty && items.is_empty() => {
                self.error("Value cannot be empty", obj.child(key), node);
                Some((items, obj.child(key)))
            }
            Some(items) => Some((items, obj.child(key))),
            None => {
                self.error(
                    format!("Field '{key}' must be an array, not {}", node.type_name()),
                    obj.child(key),
                    node,
                );
                None
            }
        }
    }

    pub(super) fn exclusive(&mut self, obj: &Obj<'_>, a: &str, b: &str) {
        if obj.has(a)
            && let Some(node) = obj.get(b)
        {
            self.error(
                format!("Fields '{a}' and '{b}' are mutually exclusive"),
                obj.ptr.clone(),
                node,
            );
        }
    }

    pub(super) fn query_language(&mut self, obj: &Obj<'_>) -> Option<Spanned<QueryLanguage>> {
        let s = self.one_of(obj, "QueryLanguage", &["JSONPath", "JSONata"])?;
        let ql = if s.value == "JSONata" {
            QueryLanguage::Jsonata
        } else {
            QueryLanguage::JsonPath
        };
        Some(Spanned {
            value: ql,
            span: s.span,
            pointer: s.pointer,
        })
    }
}
