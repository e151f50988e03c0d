//! Retry and Catch: ErrorEquals, retriers and catchers.

use super::{Lowerer, MAX_SECONDS, Obj, literal};
use crate::diag::{Code, Diagnostic};
use crate::model::fields;
use crate::model::{Catcher, QueryLanguage, Retrier, Spanned};

impl Lowerer<'_> {
    pub(super) fn error_equals(&mut self, obj: &Obj<'_>) -> Vec<Spanned<String>> {
        self.required(obj, &["ErrorEquals"]);
        let mut out = Vec::new();
        if let Some((items, ptr)) = self.array_field(obj, "ErrorEquals", true) {
            for (i, n) in items.iter().enumerate() {
                match n.as_str() {
                    Some(s) => out.push(Spanned {
                        value: s.to_owned(),
                        span: n.span,
                        pointer: ptr.join(i),
                    }),
                    None => self.error(
                        format!("Error names must be strings, not {}", n.type_name()),
                        ptr.join(i),
                        n,
                    ),
                }
            }
        }
        out
    }

    pub(super) fn entries<'a>(&mut self, obj: &Obj<'a>, key: &str) -> Vec<Obj<'a>> {
        let mut out = Vec::new();
        if let Some((items, ptr)) = self.array_field(obj, key, false) {
            for (i, n) in items.iter().enumerate() {
                match n.as_object() {
                    Some(members) => out.push(Obj {
                        members,
                        ptr: ptr.join(i),
                        node: n,
                    }),
                    None if self.placeholder(n, &ptr.join(i), key) => {}
                    None => self.error(
                        format!("Entries of '{key}' must be objects, not {}", n.type_name()),
                        ptr.join(i),
                        n,
                    ),
                }
            }
        }
        out
    }

    pub(super) fn retriers(&mut self, obj: &Obj<'_>) -> Vec<Retrier> {
        self.entries(obj, "Retry")
            .into_iter()
            .map(|r| {
                self.check_fields(&r, fields::RETRIER_FIELDS);
                Retrier {
                    error_equals: self.error_equals(&r),
                    interval_seconds: self
                        .uint(
                            &r,
                            "IntervalSeconds",
                            QueryLanguage::JsonPath,
                            1,
                            MAX_SECONDS,
                        )
                        .and_then(literal),
                    max_attempts: self
                        .uint(&r, "MaxAttempts", QueryLanguage::JsonPath, 0, MAX_SECONDS)
                        .and_then(literal),
                    backoff_rate: self
                        .number(&r, "BackoffRate", QueryLanguage::JsonPath, 1.0, f64::MAX)
                        .and_then(literal),
                    max_delay_seconds: self
                        .uint(
                            &r,
                            "MaxDelaySeconds",
                            QueryLanguage::JsonPath,
                            1,
                            MAX_SECONDS,
                        )
                        .and_then(literal),
                    jitter_strategy: self.one_of(&r, "JitterStrategy", &["FULL", "NONE"]),
                    comment: self.string(&r, "Comment"),
                    pointer: r.ptr.clone(),
                    span: r.node.span,
                }
            })
            .collect()
    }

    pub(super) fn catchers(&mut self, obj: &Obj<'_>, ql: QueryLanguage) -> Vec<Catcher> {
        self.entries(obj, "Catch")
            .into_iter()
            .map(|c| {
                self.check_fields(&c, fields::CATCHER_FIELDS);
                self.required(&c, &["Next"]);
                let lang_only = if ql == QueryLanguage::Jsonata { "ResultPath" } else { "Output" };
                if let Some(m) = c.members.iter().find(|m| m.key == lang_only) {
                    let other = if ql == QueryLanguage::Jsonata { "JSONPath" } else { "JSONata" };
                    self.diags.push(Diagnostic::new(
                        Code::SchemaValidationFailed,
                        format!("The QueryLanguage is set to '{}', but field '{}' is only supported for the '{other}' QueryLanguage", ql.as_str(), m.key),
                        c.ptr.clone(),
                        Some(m.key_span),
                    ));
                }
                Catcher {
                    error_equals: self.error_equals(&c),
                    next: self.non_empty_string(&c, "Next"),
                    result_path: self.path(&c, "ResultPath", true),
                    output: self.node(&c, "Output"),
                    assign: self.object_node(&c, "Assign", false),
                    comment: self.string(&c, "Comment"),
                    pointer: c.ptr.clone(),
                    span: c.node.span,
                }
            })
            .collect()
    }
}
