//! Source tree → typed model, reporting every schema problem on the way: unknown fields (with
//! a suggestion), fields on the wrong state type or in the wrong query language, missing
//! required fields, wrong value types and out-of-range numbers.

use super::fields::{self, Types};
use super::*;
use crate::diag::{Code, Diagnostic, Pointer, did_you_mean};
use crate::source::{Member, Node, Value};

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
        self.diags.push(
            Diagnostic::new(Code::SchemaValidationFailed, format!("Unresolved placeholder {s} stands where '{key}' needs another type"), ptr.clone(), Some(node.span))
                .with_help(format!("substitute {s} (asl!(..., substitute = {{ ... }}) or Builder::substitute) to check this field"))
                .warning(),
        );
        true
    }

    fn spanned<T>(value: T, node: &Node, ptr: Pointer) -> Spanned<T> {
        Spanned {
            value,
            span: node.span,
            pointer: ptr,
        }
    }

    fn string(&mut self, obj: &Obj<'_>, key: &str) -> Option<Spanned<String>> {
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

    fn non_empty_string(&mut self, obj: &Obj<'_>, key: &str) -> Option<Spanned<String>> {
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

    fn boolean(&mut self, obj: &Obj<'_>, key: &str) -> Option<Spanned<bool>> {
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

    fn node(&mut self, obj: &Obj<'_>, key: &str) -> Option<Spanned<Node>> {
        let node = obj.get(key)?;
        Some(Self::spanned(node.clone(), node, obj.child(key)))
    }

    /// An object-valued field (a payload template, Assign, …). JSONata states may also give a
    /// whole-field expression where `allow_expr` says so.
    fn object_node(&mut self, obj: &Obj<'_>, key: &str, allow_expr: bool) -> Option<Spanned<Node>> {
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

    fn path(&mut self, obj: &Obj<'_>, key: &str, nullable: bool) -> Option<PathField> {
        let node = obj.get(key)?;
        match &node.value {
            Value::String(s) => Some(Self::spanned(Some(s.clone()), node, obj.child(key))),
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
    fn numeric_prelude<'a, T>(
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
    fn uint(
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

    fn number(
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

    fn one_of(&mut self, obj: &Obj<'_>, key: &str, values: &[&str]) -> Option<Spanned<String>> {
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

    fn obj_field<'a>(&mut self, obj: &Obj<'a>, key: &str) -> Option<Obj<'a>> {
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

    fn array_field<'a>(
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

    fn exclusive(&mut self, obj: &Obj<'_>, a: &str, b: &str) {
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

    fn query_language(&mut self, obj: &Obj<'_>) -> Option<Spanned<QueryLanguage>> {
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
                error_path: self.string(&obj, "ErrorPath"),
                cause: self.string(&obj, "Cause"),
                cause_path: self.string(&obj, "CausePath"),
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

    fn choice(&mut self, obj: &Obj<'_>, ql: QueryLanguage) -> Choice {
        self.required(obj, &["Choices"]);
        let mut choices = Vec::new();
        if let Some((rules, ptr)) = self.array_field(obj, "Choices", true) {
            for (i, rule) in rules.iter().enumerate() {
                if let Some(r) = self.rule(rule, ptr.join(i), ql, true) {
                    choices.push(r);
                }
            }
        }
        Choice {
            choices,
            default: self.non_empty_string(obj, "Default"),
        }
    }

    fn rule(
        &mut self,
        node: &Node,
        ptr: Pointer,
        ql: QueryLanguage,
        top: bool,
    ) -> Option<ChoiceRule> {
        if self.rule_depth >= MAX_CHOICE_NESTING {
            self.diags.push(Diagnostic::new(
                Code::TooDeeplyNested,
                format!("Choice rules are nested more than {MAX_CHOICE_NESTING} levels deep"),
                ptr,
                Some(node.span),
            ));
            return None;
        }
        self.rule_depth += 1;
        let rule = self.rule_inner(node, ptr, ql, top);
        self.rule_depth -= 1;
        rule
    }

    fn rule_inner(
        &mut self,
        node: &Node,
        ptr: Pointer,
        ql: QueryLanguage,
        top: bool,
    ) -> Option<ChoiceRule> {
        let Some(members) = node.as_object() else {
            self.error(
                format!("A Choice rule must be an object, not {}", node.type_name()),
                ptr,
                node,
            );
            return None;
        };
        let obj = Obj { members, ptr, node };
        let mut allowed: Vec<&str> = vec!["Comment"];
        if top {
            allowed.extend(fields::RULE_FIELDS);
        }
        if ql == QueryLanguage::Jsonata {
            allowed.push("Condition");
        } else {
            allowed.extend(["Variable", "And", "Or", "Not"]);
            allowed.extend(Operator::ALL.iter().map(|o| o.as_str()));
        }
        for m in obj.members {
            if !allowed.contains(&m.key.as_str()) {
                let (msg, help) = if !top && fields::RULE_FIELDS.contains(&m.key.as_str()) {
                    (
                        format!("Field '{}' is not supported in a nested Choice rule", m.key),
                        Some("only the rules directly in 'Choices' name a 'Next' state".to_owned()),
                    )
                } else if ql == QueryLanguage::Jsonata
                    && (m.key == "Variable"
                        || Operator::from_name(&m.key).is_some()
                        || ["And", "Or", "Not"].contains(&m.key.as_str()))
                {
                    (
                        format!(
                            "The QueryLanguage is set to 'JSONata', but field '{}' is only supported for the 'JSONPath' QueryLanguage",
                            m.key
                        ),
                        None,
                    )
                } else if ql == QueryLanguage::JsonPath && m.key == "Condition" {
                    ("The QueryLanguage is set to 'JSONPath', but field 'Condition' is only supported for the 'JSONata' QueryLanguage".to_owned(), None)
                } else {
                    (
                        format!("Field '{}' is not supported", m.key),
                        did_you_mean(&m.key, allowed.iter().copied())
                            .map(|s| format!("did you mean '{s}'?")),
                    )
                };
                let mut d = Diagnostic::new(
                    Code::SchemaValidationFailed,
                    msg,
                    obj.ptr.clone(),
                    Some(m.key_span),
                );
                if let Some(h) = help {
                    d = d.with_help(h);
                }
                self.diags.push(d);
            }
        }
        let condition = if ql == QueryLanguage::Jsonata {
            self.required(&obj, &["Condition"]);
            match self.node(&obj, "Condition") {
                Some(c)
                    if c.value.as_bool().is_some()
                        || c.value.as_str().is_some_and(|s| jsonata_text(s).is_some()) =>
                {
                    Condition::Jsonata(c)
                }
                Some(c) => {
                    self.diags.push(Diagnostic::new(
                        Code::SchemaValidationFailed,
                        "Field 'Condition' must be a boolean or a JSONata expression",
                        c.pointer.clone(),
                        Some(c.span),
                    ));
                    Condition::Invalid
                }
                None => Condition::Invalid,
            }
        } else {
            self.data_test(&obj, ql)
        };
        if top {
            self.required(&obj, &["Next"]);
        }
        Some(ChoiceRule {
            next: if top {
                self.non_empty_string(&obj, "Next")
            } else {
                None
            },
            assign: if top {
                self.object_node(&obj, "Assign", false)
            } else {
                None
            },
            output: if top { self.node(&obj, "Output") } else { None },
            comment: self.string(&obj, "Comment"),
            condition,
            pointer: obj.ptr.clone(),
            span: node.span,
        })
    }

    fn data_test(&mut self, obj: &Obj<'_>, ql: QueryLanguage) -> Condition {
        let tests: Vec<&Member> = obj
            .members
            .iter()
            .filter(|m| {
                ["And", "Or", "Not"].contains(&m.key.as_str())
                    || Operator::from_name(&m.key).is_some()
            })
            .collect();
        if tests.len() != 1 {
            let msg = if tests.is_empty() {
                "A Choice rule needs a comparison operator (with 'Variable') or 'And', 'Or' or 'Not'".to_owned()
            } else {
                format!(
                    "Each Choice Rule can only have one comparison operator, found {}",
                    tests
                        .iter()
                        .map(|m| m.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            self.error(msg, obj.ptr.clone(), obj.node);
            return Condition::Invalid;
        }
        let test = tests[0];
        let ptr = obj.child(&test.key);
        match test.key.as_str() {
            "And" | "Or" => {
                let mut rules = Vec::new();
                match test.value.as_array() {
                    Some([]) => self.error("Value cannot be empty", ptr.clone(), &test.value),
                    Some(items) => {
                        for (i, r) in items.iter().enumerate() {
                            rules.extend(self.rule(r, ptr.join(i), ql, false));
                        }
                    }
                    None => self.error(
                        format!("Field '{}' must be an array of Choice rules", test.key),
                        ptr.clone(),
                        &test.value,
                    ),
                }
                if obj.has("Variable") {
                    self.error(
                        format!("Field 'Variable' can not be used with '{}'", test.key),
                        obj.ptr.clone(),
                        obj.node,
                    );
                }
                if test.key == "And" {
                    Condition::And(rules)
                } else {
                    Condition::Or(rules)
                }
            }
            "Not" => {
                if obj.has("Variable") {
                    self.error(
                        "Field 'Variable' can not be used with 'Not'",
                        obj.ptr.clone(),
                        obj.node,
                    );
                }
                match self.rule(&test.value, ptr, ql, false) {
                    Some(r) => Condition::Not(Box::new(r)),
                    None => Condition::Invalid,
                }
            }
            name => {
                let Some(operator) = Operator::from_name(name) else {
                    return Condition::Invalid;
                };
                self.required(obj, &["Variable"]);
                let Some(variable) = self.string(obj, "Variable") else {
                    return Condition::Invalid;
                };
                let operand = Spanned {
                    value: test.value.clone(),
                    span: test.value.span,
                    pointer: ptr.clone(),
                };
                let ok = match operator.operand() {
                    OperandKind::String | OperandKind::Timestamp | OperandKind::Path => {
                        test.value.as_str().is_some()
                    }
                    OperandKind::Number => test.value.as_f64().is_some(),
                    OperandKind::Boolean => test.value.as_bool().is_some(),
                };
                if !ok {
                    let want = match operator.operand() {
                        OperandKind::String => "a string",
                        OperandKind::Timestamp => "a timestamp string",
                        OperandKind::Path => "a path string",
                        OperandKind::Number => "a number",
                        OperandKind::Boolean => "a boolean",
                    };
                    self.error(
                        format!(
                            "Field '{name}' must be {want}, not {}",
                            test.value.type_name()
                        ),
                        ptr,
                        &test.value,
                    );
                    return Condition::Invalid;
                }
                Condition::Compare {
                    variable,
                    operator: Spanned {
                        value: operator,
                        span: test.key_span,
                        pointer: operand.pointer.clone(),
                    },
                    operand,
                }
            }
        }
    }

    fn error_equals(&mut self, obj: &Obj<'_>) -> Vec<Spanned<String>> {
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

    fn entries<'a>(&mut self, obj: &Obj<'a>, key: &str) -> Vec<Obj<'a>> {
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

    fn retriers(&mut self, obj: &Obj<'_>) -> Vec<Retrier> {
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

    fn catchers(&mut self, obj: &Obj<'_>, ql: QueryLanguage) -> Vec<Catcher> {
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

    fn parallel(&mut self, obj: &Obj<'_>, ql: QueryLanguage) -> Parallel {
        self.required(obj, &["Branches"]);
        let branches = self
            .entries(obj, "Branches")
            .into_iter()
            .map(|b| {
                self.check_fields(&b, fields::BRANCH_FIELDS);
                self.required(&b, &["StartAt", "States"]);
                self.container(&b)
            })
            .collect();
        if let Some(b) = obj.get("Branches")
            && b.as_array().is_some_and(<[Node]>::is_empty)
        {
            self.error("Value cannot be empty", obj.child("Branches"), b);
        }
        Parallel {
            branches,
            result: self.result_handling(obj, ql),
        }
    }

    fn map(&mut self, obj: &Obj<'_>, ql: QueryLanguage) -> Map {
        let processor_key = match (obj.has("ItemProcessor"), obj.has("Iterator")) {
            (true, true) => {
                self.exclusive(obj, "ItemProcessor", "Iterator");
                Some("ItemProcessor")
            }
            (true, false) => Some("ItemProcessor"),
            (false, true) => Some("Iterator"),
            (false, false) => {
                self.required(obj, &["ItemProcessor"]);
                None
            }
        };
        let processor = processor_key
            .and_then(|key| self.obj_field(obj, key).map(|p| (key, p)))
            .map(|(key, p)| {
                self.check_fields(&p, fields::PROCESSOR_FIELDS);
                self.required(&p, &["StartAt", "States"]);
                let mut mode = ProcessorMode::Inline;
                let mut execution_type = None;
                if let Some(cfg) = self.obj_field(&p, "ProcessorConfig") {
                    self.check_fields(&cfg, fields::PROCESSOR_CONFIG_FIELDS);
                    if self
                        .one_of(&cfg, "Mode", &["INLINE", "DISTRIBUTED"])
                        .is_some_and(|m| m.value == "DISTRIBUTED")
                    {
                        mode = ProcessorMode::Distributed;
                    }
                    execution_type = self.one_of(&cfg, "ExecutionType", &["STANDARD", "EXPRESS"]);
                    if mode == ProcessorMode::Distributed && execution_type.is_none() {
                        self.required(&cfg, &["ExecutionType"]);
                    }
                }
                Processor {
                    body: self.container(&p),
                    legacy_iterator: key == "Iterator",
                    mode,
                    execution_type,
                }
            });
        for (a, b) in [
            ("MaxConcurrency", "MaxConcurrencyPath"),
            (
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
            ),
            ("ToleratedFailureCount", "ToleratedFailureCountPath"),
            ("ItemSelector", "Parameters"),
        ] {
            self.exclusive(obj, a, b);
        }
        let item_reader = self.obj_field(obj, "ItemReader").map(|r| {
            self.check_fields(&r, fields::ITEM_READER_FIELDS);
            self.required(&r, &["Resource"]);
            self.parameters_or_arguments(&r, ql);
            let reader_config = self.obj_field(&r, "ReaderConfig").map(|c| {
                self.check_fields(&c, fields::READER_CONFIG_FIELDS);
                self.exclusive(&c, "MaxItems", "MaxItemsPath");
                let other = ["Transformation", "ManifestType", "ItemsPointer"]
                    .into_iter()
                    .filter_map(|k| self.node(&c, k).map(|n| (k.to_owned(), n)))
                    .collect();
                let csv_headers = self
                    .array_field(&c, "CSVHeaders", false)
                    .map(|(items, ptr)| Spanned {
                        value: items
                            .iter()
                            .filter_map(|n| n.as_str().map(str::to_owned))
                            .collect(),
                        span: c
                            .get("CSVHeaders")
                            .map_or_else(Default::default, |n| n.span),
                        pointer: ptr,
                    });
                ReaderConfig {
                    input_type: self.one_of(
                        &c,
                        "InputType",
                        &["CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"],
                    ),
                    csv_header_location: self.one_of(
                        &c,
                        "CSVHeaderLocation",
                        &["FIRST_ROW", "GIVEN"],
                    ),
                    csv_headers,
                    csv_delimiter: self.one_of(
                        &c,
                        "CSVDelimiter",
                        &["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"],
                    ),
                    max_items: self.uint(&c, "MaxItems", ql, 0, 100_000_000),
                    max_items_path: self.path(&c, "MaxItemsPath", false),
                    other,
                }
            });
            ItemReader {
                resource: self.non_empty_string(&r, "Resource"),
                parameters: self
                    .node(&r, "Parameters")
                    .or_else(|| self.node(&r, "Arguments")),
                reader_config,
                pointer: r.ptr.clone(),
            }
        });
        let item_batcher = self.obj_field(obj, "ItemBatcher").map(|b| {
            self.check_fields(&b, fields::ITEM_BATCHER_FIELDS);
            self.exclusive(&b, "MaxItemsPerBatch", "MaxItemsPerBatchPath");
            self.exclusive(&b, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath");
            if !["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"].iter().any(|k| b.has(k)) {
                self.error("ItemBatcher needs 'MaxItemsPerBatch' or 'MaxInputBytesPerBatch' (or their Path forms)", b.ptr.clone(), b.node);
            }
            ItemBatcher {
                max_items_per_batch: self.uint(&b, "MaxItemsPerBatch", ql, 1, 100_000_000),
                max_items_per_batch_path: self.path(&b, "MaxItemsPerBatchPath", false),
                max_input_bytes_per_batch: self.uint(&b, "MaxInputBytesPerBatch", ql, 1, 262_144),
                max_input_bytes_per_batch_path: self.path(&b, "MaxInputBytesPerBatchPath", false),
                batch_input: self.object_node(&b, "BatchInput", ql == QueryLanguage::Jsonata),
                pointer: b.ptr.clone(),
            }
        });
        let result_writer = self.obj_field(obj, "ResultWriter").map(|w| {
            self.check_fields(&w, fields::RESULT_WRITER_FIELDS);
            if !w.has("Resource") && !w.has("WriterConfig") {
                self.required(&w, &["Resource"]);
            }
            self.parameters_or_arguments(&w, ql);
            ResultWriter {
                resource: self.non_empty_string(&w, "Resource"),
                parameters: self
                    .node(&w, "Parameters")
                    .or_else(|| self.node(&w, "Arguments")),
                writer_config: self.object_node(&w, "WriterConfig", false),
                pointer: w.ptr.clone(),
            }
        });
        if obj.has("Items") && obj.has("ItemReader") {
            self.exclusive(obj, "ItemReader", "Items");
        }
        Map {
            processor,
            items_path: self.path(obj, "ItemsPath", false),
            items: self.node(obj, "Items"),
            item_selector: self.object_node(obj, "ItemSelector", ql == QueryLanguage::Jsonata),
            item_reader,
            item_batcher,
            result_writer,
            max_concurrency: self.uint(obj, "MaxConcurrency", ql, 0, MAX_SECONDS),
            max_concurrency_path: self.path(obj, "MaxConcurrencyPath", false),
            tolerated_failure_percentage: self.number(
                obj,
                "ToleratedFailurePercentage",
                ql,
                0.0,
                100.0,
            ),
            tolerated_failure_percentage_path: self.path(
                obj,
                "ToleratedFailurePercentagePath",
                false,
            ),
            tolerated_failure_count: self.uint(obj, "ToleratedFailureCount", ql, 0, MAX_SECONDS),
            tolerated_failure_count_path: self.path(obj, "ToleratedFailureCountPath", false),
            label: self.string(obj, "Label"),
            result: self.result_handling(obj, ql),
        }
    }

    /// ItemReader/ResultWriter take `Parameters` in JSONPath states and `Arguments` in JSONata ones.
    fn parameters_or_arguments(&mut self, obj: &Obj<'_>, ql: QueryLanguage) {
        let (wrong, right) = match ql {
            QueryLanguage::JsonPath => ("Arguments", "JSONata"),
            QueryLanguage::Jsonata => ("Parameters", "JSONPath"),
        };
        if let Some(m) = obj.members.iter().find(|m| m.key == wrong) {
            self.diags.push(Diagnostic::new(
                Code::SchemaValidationFailed,
                format!("The QueryLanguage is set to '{}', but field '{wrong}' is only supported for the '{right}' QueryLanguage", ql.as_str()),
                obj.ptr.clone(),
                Some(m.key_span),
            ));
        }
    }
}

fn describe(node: &Node) -> String {
    match node.as_str() {
        Some(s) => format!("'{s}'"),
        None => node.type_name().to_owned(),
    }
}
