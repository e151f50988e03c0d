//! Source tree → typed model, reporting every schema problem on the way: unknown fields (with
//! a suggestion), fields on the wrong state type or in the wrong query language, missing
//! required fields, wrong value types and out-of-range numbers.
//!
//! This module walks the states; `read` holds the typed field readers, `choice` the Choice
//! rules, `outcomes` Retry and Catch, `containers` Parallel and Map.

mod choice;
mod containers;
mod context;
mod outcomes;
mod read;

use super::fields::{self, Types};
use super::{
    Container, Fail, NumberOrExpr, Pass, PathOrCall, QueryLanguage, ResultHandling, Spanned, State,
    StateKind, StateMachine, Task, Wait,
};
use crate::diag::{Code, Diagnostic, Pointer, did_you_mean};
use crate::source::{Member, Node};

/// A path-or-call field, read.
fn path_or_call(s: Spanned<String>) -> Spanned<PathOrCall> {
    Spanned {
        value: PathOrCall::new(s.value),
        span: s.span,
        pointer: s.pointer,
    }
}

/// AWS's ceiling for second counts and attempt counts.
const MAX_SECONDS: u64 = 99_999_999;

pub(crate) fn lower(root: &Node, diags: &mut Vec<Diagnostic>) -> Option<StateMachine> {
    let Some(members) = root.as_object() else {
        diags.push(Diagnostic::new(
            Code::SchemaValidationFailed,
            "Definition must be a valid JSON object",
            Pointer::root(),
            Some(root.span),
        ));
        return None;
    };
    let obj = Obj {
        members,
        ptr: Pointer::root(),
        node: root,
    };
    let mut l = Lowerer {
        diags,
        machine_ql: QueryLanguage::JsonPath,
        rule_depth: 0,
    };
    l.required(&obj, &["States", "StartAt"]);
    l.check_fields(
        &obj,
        &[fields::MACHINE_FIELDS, &["ProcessorConfig"]].concat(),
    );
    if let Some(m) = members.iter().find(|m| m.key == "ProcessorConfig") {
        l.diags.push(
            Diagnostic::new(
                Code::SchemaValidationFailed,
                "Field 'ProcessorConfig' is ignored at the top level: it belongs in a Map's ItemProcessor",
                Pointer::root(),
                Some(m.key_span),
            )
            .with_help("this file reads like the ItemProcessor of a distributed Map")
            .warning(),
        );
    }
    let query_language = l
        .query_language(&obj)
        .map_or(QueryLanguage::JsonPath, |q| q.value);
    l.machine_ql = query_language;
    let timeout_seconds = l
        .uint(
            &obj,
            "TimeoutSeconds",
            QueryLanguage::JsonPath,
            1,
            MAX_SECONDS,
        )
        .and_then(literal);
    Some(StateMachine {
        comment: l.string(&obj, "Comment"),
        version: l.string(&obj, "Version"),
        query_language,
        timeout_seconds,
        body: l.container(&obj),
        span: root.span,
        document: root.to_json(),
    })
}

fn literal<T>(s: Spanned<NumberOrExpr<T>>) -> Option<Spanned<T>> {
    match s.value {
        NumberOrExpr::Literal(v) => Some(Spanned {
            value: v,
            span: s.span,
            pointer: s.pointer,
        }),
        NumberOrExpr::Jsonata(_) => None,
    }
}

struct Obj<'a> {
    members: &'a [Member],
    ptr: Pointer,
    node: &'a Node,
}

impl<'a> Obj<'a> {
    fn get(&self, key: &str) -> Option<&'a Node> {
        self.members.iter().find(|m| m.key == key).map(|m| &m.value)
    }
    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    fn child(&self, key: &str) -> Pointer {
        self.ptr.join(key)
    }
}

/// Whether `node` is a CloudFormation intrinsic (`{"Fn::GetAtt": …}`, `{"Ref": …}`).
fn is_cfn_intrinsic(node: &Node) -> bool {
    matches!(node.as_object(), Some([m]) if m.key == "Ref" || m.key.starts_with("Fn::"))
}

/// Whether `s` is exactly one deployment placeholder, `${Name}`.
pub(crate) fn is_placeholder(s: &str) -> bool {
    s.starts_with("${") && s.ends_with('}') && !s[2..s.len() - 1].contains("${")
}

/// The text of a `{% … %}` expression, if `s` is one.
pub(crate) fn jsonata_text(s: &str) -> Option<&str> {
    s.strip_prefix("{%")?.strip_suffix("%}")
}

/// How deep `And`/`Or`/`Not` may nest. AWS publishes no figure; hand-written rules never come
/// near it, and the cap keeps the checker's recursion bounded on hostile input.
pub const MAX_CHOICE_NESTING: usize = 32;

struct Lowerer<'d> {
    diags: &'d mut Vec<Diagnostic>,
    machine_ql: QueryLanguage,
    rule_depth: usize,
}

impl Lowerer<'_> {
    fn error(&mut self, message: impl Into<String>, ptr: Pointer, node: &Node) {
        self.diags.push(Diagnostic::new(
            Code::SchemaValidationFailed,
            message,
            ptr,
            Some(node.span),
        ));
    }

    fn required(&mut self, obj: &Obj<'_>, names: &[&str]) {
        let missing: Vec<&str> = names.iter().copied().filter(|n| !obj.has(n)).collect();
        if !missing.is_empty() {
            self.error(
                format!("These fields are required: [{}]", missing.join(", ")),
                obj.ptr.clone(),
                obj.node,
            );
        }
    }

    fn check_fields(&mut self, obj: &Obj<'_>, allowed: &[&str]) {
        for m in obj.members {
            if !allowed.contains(&m.key.as_str()) {
                let mut d = Diagnostic::new(
                    Code::SchemaValidationFailed,
                    format!("Field '{}' is not supported", m.key),
                    obj.ptr.clone(),
                    Some(m.key_span),
                );
                if let Some(s) = did_you_mean(&m.key, allowed.iter().copied()) {
                    d = d.with_help(format!("did you mean '{s}'?"));
                }
                self.diags.push(d);
            }
        }
    }

    /// A string that is one whole deployment placeholder (`"${Count}"`) standing where another
    /// type belongs: a warning (the deployment fills it in), and the field reads as absent.
    fn placeholder(&mut self, node: &Node, ptr: &Pointer, key: &str) -> bool {
        let Some(s) = node.as_str().filter(|s| is_placeholder(s)) else {
            return false;
        };
        let name = &s[2..s.len() - 1];
        self.diags.push(
            Diagnostic::new(Code::SchemaValidationFailed, format!("Unresolved placeholder {s} stands where '{key}' needs another type"), ptr.clone(), Some(node.span))
                .with_help(format!("give {s} a value: asl!(..., substitute = {{ {name} = \"...\" }}) or Builder::substitute(\"{name}\", \"...\")"))
                .warning()
                .unresolved(name),
        );
        true
    }
}

impl Lowerer<'_> {
    fn container(&mut self, obj: &Obj<'_>) -> Container {
        let start_at = self.string(obj, "StartAt");
        let comment = self.string(obj, "Comment");
        let mut states = Vec::new();
        if let Some(st) = self.obj_field(obj, "States") {
            if st.members.is_empty() {
                self.error("Value cannot be empty", st.ptr.clone(), st.node);
            }
            for m in st.members {
                if let Some(s) = self.state(m, &st.ptr) {
                    states.push(s);
                }
            }
        }
        Container {
            start_at,
            states,
            comment,
            pointer: obj.ptr.clone(),
            span: obj.node.span,
        }
    }

    fn state(&mut self, m: &Member, parent: &Pointer) -> Option<State> {
        let ptr = parent.join(&m.key);
        let Some(members) = m.value.as_object() else {
            self.error(
                format!(
                    "State '{}' must be an object, not {}",
                    m.key,
                    m.value.type_name()
                ),
                ptr,
                &m.value,
            );
            return None;
        };
        let obj = Obj {
            members,
            ptr,
            node: &m.value,
        };
        let Some(type_node) = obj.get("Type") else {
            self.required(&obj, &["Type"]);
            return None;
        };
        let type_name = type_node.as_str().unwrap_or_default();
        let Some(types) = Types::of(type_name) else {
            let mut d = Diagnostic::new(
                Code::SchemaValidationFailed,
                format!(
                    "Field 'Type' must be one of [Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map], not {}",
                    describe(type_node)
                ),
                obj.child("Type"),
                Some(type_node.span),
            );
            if let Some(s) = did_you_mean(type_name, fields::ALL.names()) {
                d = d.with_help(format!("did you mean '{s}'?"));
            }
            self.diags.push(d);
            return None;
        };

        let declared = self.query_language(&obj);
        if self.machine_ql == QueryLanguage::Jsonata
            && declared
                .as_ref()
                .is_some_and(|d| d.value == QueryLanguage::JsonPath)
        {
            self.error(
                "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                obj.ptr.clone(),
                &m.value,
            );
        }
        let ql = declared.as_ref().map_or(self.machine_ql, |d| d.value);
        self.state_fields(&obj, type_name, types, ql);

        let flow = !matches!(type_name, "Choice" | "Succeed" | "Fail");
        let next = self.non_empty_string(&obj, "Next");
        let end = self.boolean(&obj, "End");
        if flow {
            match (&next, end.as_ref().map(|e| e.value)) {
                (Some(_), Some(true)) => self.error(
                    "Fields 'Next' and 'End' are mutually exclusive",
                    obj.ptr.clone(),
                    &m.value,
                ),
                (None, None | Some(false)) => self.error(
                    "One of 'Next' or 'End' is required",
                    obj.ptr.clone(),
                    &m.value,
                ),
                _ => {}
            }
        }

        let kind = match type_name {
            "Task" => StateKind::Task(self.task(&obj, ql)),
            "Pass" => StateKind::Pass(Pass {
                result: self.node(&obj, "Result"),
                parameters: self.object_node(&obj, "Parameters", false),
                result_path: self.path(&obj, "ResultPath", true),
            }),
            "Choice" => StateKind::Choice(self.choice(&obj, ql)),
            "Wait" => StateKind::Wait(self.wait(&obj, ql)),
            "Succeed" => StateKind::Succeed,
            "Fail" => StateKind::Fail(Fail {
                error: self.string(&obj, "Error"),
                error_path: self.string(&obj, "ErrorPath").map(path_or_call),
                cause: self.string(&obj, "Cause"),
                cause_path: self.string(&obj, "CausePath").map(path_or_call),
            }),
            "Parallel" => StateKind::Parallel(self.parallel(&obj, ql)),
            _ => StateKind::Map(self.map(&obj, ql)),
        };
        if let StateKind::Fail(_) = kind {
            self.exclusive(&obj, "Error", "ErrorPath");
            self.exclusive(&obj, "Cause", "CausePath");
        }
        Some(State {
            name: m.key.clone(),
            name_span: m.key_span,
            pointer: obj.ptr.clone(),
            span: m.value.span,
            comment: self.string(&obj, "Comment"),
            query_language: ql,
            query_language_declared: declared,
            next,
            end,
            input_path: self.path(&obj, "InputPath", true),
            output_path: self.path(&obj, "OutputPath", true),
            output: self.node(&obj, "Output"),
            assign: self.object_node(&obj, "Assign", false),
            reads_context: context::reads_context(&m.value, ql),
            kind,
        })
    }

    /// Unknown fields, fields of another state type, fields of the other query language.
    fn state_fields(&mut self, obj: &Obj<'_>, type_name: &str, types: Types, ql: QueryLanguage) {
        for m in obj.members {
            let ptr = obj.ptr.clone();
            match fields::state_field(&m.key) {
                None => {
                    let candidates = fields::STATE_FIELDS
                        .iter()
                        .filter(|f| f.types.contains(types))
                        .map(|f| f.name);
                    let mut d = Diagnostic::new(
                        Code::SchemaValidationFailed,
                        format!("Field '{}' is not supported", m.key),
                        ptr,
                        Some(m.key_span),
                    );
                    if let Some(s) = did_you_mean(&m.key, candidates) {
                        d = d.with_help(format!("did you mean '{s}'?"));
                    }
                    self.diags.push(d);
                }
                Some(f) if !f.types.contains(types) => {
                    let d = Diagnostic::new(
                        Code::SchemaValidationFailed,
                        format!("Field '{}' is not supported", m.key),
                        ptr,
                        Some(m.key_span),
                    )
                    .with_help(format!(
                        "'{}' is a field of {} states, not of {type_name} states",
                        m.key,
                        f.types.names().join("/")
                    ));
                    self.diags.push(d);
                }
                Some(f) if f.language.is_some_and(|l| l != ql) => {
                    let d = Diagnostic::new(
                        Code::SchemaValidationFailed,
                        format!(
                            "The QueryLanguage is set to '{}', but field '{}' is only supported for the '{}' QueryLanguage",
                            ql.as_str(),
                            m.key,
                            f.language.map_or("", QueryLanguage::as_str)
                        ),
                        ptr,
                        Some(m.key_span),
                    );
                    self.diags.push(d);
                }
                Some(_) => {}
            }
        }
    }

    fn result_handling(&mut self, obj: &Obj<'_>, ql: QueryLanguage) -> ResultHandling {
        ResultHandling {
            parameters: self.object_node(obj, "Parameters", false),
            arguments: self.node(obj, "Arguments"),
            result_selector: self.object_node(obj, "ResultSelector", false),
            result_path: self.path(obj, "ResultPath", true),
            retry: self.retriers(obj),
            catch: self.catchers(obj, ql),
        }
    }

    fn task(&mut self, obj: &Obj<'_>, ql: QueryLanguage) -> Task {
        self.required(obj, &["Resource"]);
        self.exclusive(obj, "TimeoutSeconds", "TimeoutSecondsPath");
        self.exclusive(obj, "HeartbeatSeconds", "HeartbeatSecondsPath");
        let credentials = self.object_node(obj, "Credentials", ql == QueryLanguage::Jsonata);
        // Credentials name the role to assume: `RoleArn`, or in JSONPath its path form.
        if let Some(c) = credentials.as_ref()
            && let Some(members) = c.value.as_object()
            && !members.iter().any(|m| {
                m.key == "RoleArn" || (ql == QueryLanguage::JsonPath && m.key == "RoleArn.$")
            })
        {
            self.error(
                "These fields are required: [RoleArn]",
                c.pointer.clone(),
                &c.value,
            );
        }
        Task {
            resource: self.non_empty_string(obj, "Resource"),
            result: self.result_handling(obj, ql),
            timeout_seconds: self.uint(obj, "TimeoutSeconds", ql, 1, MAX_SECONDS),
            timeout_seconds_path: self.path(obj, "TimeoutSecondsPath", false),
            heartbeat_seconds: self.uint(obj, "HeartbeatSeconds", ql, 1, MAX_SECONDS),
            heartbeat_seconds_path: self.path(obj, "HeartbeatSecondsPath", false),
            credentials,
        }
    }

    fn wait(&mut self, obj: &Obj<'_>, ql: QueryLanguage) -> Wait {
        let present: Vec<&str> = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]
            .into_iter()
            .filter(|k| obj.has(k))
            .collect();
        if present.len() != 1 {
            let msg = if present.is_empty() {
                "One of 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath' is required"
                    .to_owned()
            } else {
                format!(
                    "Fields {} are mutually exclusive",
                    present
                        .iter()
                        .map(|p| format!("'{p}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            self.error(msg, obj.ptr.clone(), obj.node);
        }
        Wait {
            seconds: self.uint(obj, "Seconds", ql, 0, MAX_SECONDS),
            seconds_path: self.path(obj, "SecondsPath", false),
            timestamp: self.string(obj, "Timestamp"),
            timestamp_path: self.path(obj, "TimestampPath", false),
        }
    }
}

fn describe(node: &Node) -> String {
    match node.as_str() {
        Some(s) => format!("'{s}'"),
        None => node.type_name().to_owned(),
    }
}
