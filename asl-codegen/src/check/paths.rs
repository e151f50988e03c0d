//! JSONPath fields and payload templates in JSONPath states: every path parses, ResultPath is
//! writable and never the context object, `…Path` value fields are reference paths, and every
//! `.$` key of a payload template holds a path, a `$$` path or a valid intrinsic call, with no
//! key colliding with another once `.$` is stripped.

use crate::diag::{Code, Diagnostic, Pointer};
use crate::lang::{intrinsic, jsonpath};
use crate::model::PathOrCall;
use crate::model::{
    ChoiceRule, Condition, PathField, QueryLanguage, Spanned, StateKind, StateMachine,
};
use crate::source::{Node, Value};

/// How a path field may be written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Any path (`$`, `$$`, `$var`, filters, wildcards…): InputPath, OutputPath, Choice Variable.
    Any,
    /// A reference path to a single value, context object allowed (ItemsPath).
    Reference,
    /// A reference path to a single value of the input or a variable, not `$$`
    /// (TimeoutSecondsPath, SecondsPath, …).
    ReferenceNoContext,
    /// Where a result is written: names and indexes only, not `$$`, not a variable.
    ResultPath,
}

pub(super) fn check(machine: &StateMachine, diags: &mut Vec<Diagnostic>) {
    for state in super::all_states(machine) {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        let mut p = |f: &Option<PathField>, rule: Rule| {
            if let Some(f) = f {
                path_field(f, rule, diags);
            }
        };
        p(&state.input_path, Rule::Any);
        p(&state.output_path, Rule::Any);
        match &state.kind {
            StateKind::Task(t) => {
                p(&t.result.result_path, Rule::ResultPath);
                p(&t.timeout_seconds_path, Rule::ReferenceNoContext);
                p(&t.heartbeat_seconds_path, Rule::ReferenceNoContext);
                for c in &t.result.catch {
                    p(&c.result_path, Rule::ResultPath);
                }
            }
            StateKind::Pass(x) => p(&x.result_path, Rule::ResultPath),
            StateKind::Wait(w) => {
                p(&w.seconds_path, Rule::ReferenceNoContext);
                p(&w.timestamp_path, Rule::ReferenceNoContext);
            }
            StateKind::Parallel(x) => {
                p(&x.result.result_path, Rule::ResultPath);
                for c in &x.result.catch {
                    p(&c.result_path, Rule::ResultPath);
                }
            }
            StateKind::Map(m) => {
                p(&m.result.result_path, Rule::ResultPath);
                for c in &m.result.catch {
                    p(&c.result_path, Rule::ResultPath);
                }
                p(&m.items_path, Rule::Reference);
                p(&m.max_concurrency_path, Rule::ReferenceNoContext);
                p(&m.tolerated_failure_count_path, Rule::ReferenceNoContext);
                p(
                    &m.tolerated_failure_percentage_path,
                    Rule::ReferenceNoContext,
                );
                if let Some(b) = &m.item_batcher {
                    p(&b.max_items_per_batch_path, Rule::ReferenceNoContext);
                    p(&b.max_input_bytes_per_batch_path, Rule::ReferenceNoContext);
                }
                if let Some(c) = m
                    .item_reader
                    .as_ref()
                    .and_then(|r| r.reader_config.as_ref())
                {
                    p(&c.max_items_path, Rule::ReferenceNoContext);
                }
            }
            StateKind::Fail(f) => {
                for field in [&f.error_path, &f.cause_path].into_iter().flatten() {
                    path_or_call(field, diags);
                }
            }
            StateKind::Choice(c) => {
                for rule in &c.choices {
                    choice_rule(rule, diags);
                }
            }
            StateKind::Succeed => {}
        }

        // Payload templates.
        let mut templates: Vec<&Spanned<Node>> = Vec::new();
        templates.extend(&state.assign);
        match &state.kind {
            StateKind::Task(t) => {
                templates.extend(&t.result.parameters);
                templates.extend(&t.result.result_selector);
                templates.extend(&t.credentials);
            }
            StateKind::Pass(x) => templates.extend(&x.parameters),
            StateKind::Parallel(x) => {
                templates.extend(&x.result.parameters);
                templates.extend(&x.result.result_selector);
            }
            StateKind::Map(m) => {
                templates.extend(&m.result.parameters);
                templates.extend(&m.result.result_selector);
                templates.extend(&m.item_selector);
                templates.extend(m.item_reader.as_ref().and_then(|r| r.parameters.as_ref()));
                templates.extend(m.result_writer.as_ref().and_then(|r| r.parameters.as_ref()));
                templates.extend(m.item_batcher.as_ref().and_then(|b| b.batch_input.as_ref()));
            }
            StateKind::Choice(c) => {
                templates.extend(c.choices.iter().filter_map(|r| r.assign.as_ref()))
            }
            _ => {}
        }
        if let Some(rh) = state.kind.result_handling() {
            templates.extend(rh.catch.iter().filter_map(|c| c.assign.as_ref()));
        }
        for t in templates {
            template(&t.value, &t.pointer, &t.pointer, diags);
        }
    }
}

fn choice_rule(rule: &ChoiceRule, diags: &mut Vec<Diagnostic>) {
    match &rule.condition {
        Condition::And(rules) | Condition::Or(rules) => {
            rules.iter().for_each(|r| choice_rule(r, diags))
        }
        Condition::Not(r) => choice_rule(r, diags),
        Condition::Compare {
            variable,
            operator,
            operand,
            operand_path,
        } => {
            path_rules(
                &variable.value.parsed,
                "Variable",
                Rule::Any,
                &variable.pointer,
                variable.span,
                diags,
            );
            if let Some(p) = operand_path {
                path_rules(
                    &p.parsed,
                    operator.value.as_str(),
                    Rule::Any,
                    &operand.pointer,
                    operand.span,
                    diags,
                );
            }
        }
        Condition::Jsonata(_) | Condition::Invalid => {}
    }
}

fn path_field(f: &PathField, rule: Rule, diags: &mut Vec<Diagnostic>) {
    if let Some(p) = &f.value {
        path_rules(
            &p.parsed,
            &f.pointer.last_token(),
            rule,
            &f.pointer,
            f.span,
            diags,
        );
    }
}

/// What is wrong with a path as read (`parsed`) for `field` under `rule`, if anything.
fn path_rules(
    parsed: &Result<jsonpath::Path, jsonpath::PathError>,
    field: &str,
    rule: Rule,
    ptr: &Pointer,
    span: crate::source::Span,
    diags: &mut Vec<Diagnostic>,
) {
    let err =
        |msg: String| Diagnostic::new(Code::SchemaValidationFailed, msg, ptr.clone(), Some(span));
    let path = match parsed {
        Ok(p) => p,
        Err(e) => {
            diags.push(err(format!(
                "The value for the field '{field}' must be a valid JSONPath: {e}"
            )));
            return;
        }
    };
    let problem = match rule {
        Rule::Any => None,
        Rule::Reference if !path.is_reference() => {
            Some("must be a reference path (names and indexes only)")
        }
        Rule::Reference => None,
        Rule::ReferenceNoContext if path.root() == &jsonpath::Root::Context => {
            Some("is not a Reference Path: it can not read the context object ('$$')")
        }
        Rule::ReferenceNoContext if !path.is_reference() => {
            Some("must be a reference path (names and indexes only)")
        }
        Rule::ReferenceNoContext => None,
        Rule::ResultPath if path.root() == &jsonpath::Root::Context => {
            Some("can not write to the context object ('$$')")
        }
        Rule::ResultPath if matches!(path.root(), jsonpath::Root::Variable(_)) => {
            Some("can not write to a variable; use Assign")
        }
        Rule::ResultPath if !path.is_writable() => {
            Some("must name where to write the result: member names and non-negative indexes only")
        }
        Rule::ResultPath => None,
    };
    if let Some(p) = problem {
        diags.push(err(format!("The value for the field '{field}' {p}")));
    }
}

/// Fail ErrorPath/CausePath: a reference path or an intrinsic call.
fn path_or_call(f: &Spanned<PathOrCall>, diags: &mut Vec<Diagnostic>) {
    let field = f.pointer.last_token();
    match &f.value {
        PathOrCall::Path(p) => path_rules(&p.parsed, &field, Rule::Any, &f.pointer, f.span, diags),
        PathOrCall::Call { parsed: Err(e), .. } => call_problem(&field, e, f, diags),
        PathOrCall::Call { parsed: Ok(_), .. } => {}
    }
}

/// An ErrorPath/CausePath call that does not parse.
fn call_problem(
    field: &str,
    e: &intrinsic::IntrinsicError,
    f: &Spanned<PathOrCall>,
    diags: &mut Vec<Diagnostic>,
) {
    diags.push(Diagnostic::new(
        code_for(e),
        format!("The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call: {e}"),
        f.pointer.clone(),
        Some(f.span),
    ));
}

fn code_for(e: &intrinsic::IntrinsicError) -> Code {
    if e.too_deep {
        Code::TooDeeplyNested
    } else {
        Code::SchemaValidationFailed
    }
}

/// A payload template: `.$` keys hold paths or intrinsic calls; no collisions once stripped.
/// Problems are reported at the template field's pointer, as AWS does.
fn template(node: &Node, field_ptr: &Pointer, ptr: &Pointer, diags: &mut Vec<Diagnostic>) {
    match &node.value {
        Value::Object(members) => {
            let mut seen: Vec<&str> = Vec::new();
            for m in members {
                let stripped = m.key.strip_suffix(".$").unwrap_or(&m.key);
                if seen.contains(&stripped) {
                    diags.push(Diagnostic::new(
                        Code::SchemaValidationFailed,
                        format!("The field '{stripped}' appears more than once once '.$' is stripped from the keys"),
                        ptr.clone(),
                        Some(m.key_span),
                    ));
                }
                seen.push(stripped);
                let child = ptr.join(&m.key);
                if m.key.ends_with(".$") {
                    let bad = |msg: String, code: Code| {
                        Diagnostic::new(code, msg, field_ptr.clone(), Some(m.value.span))
                    };
                    match m.value.as_str() {
                        None => diags.push(bad(format!("The value for the field '{}' must be a string holding a JSONPath or an intrinsic function call", m.key), Code::SchemaValidationFailed)),
                        Some(s) if s.starts_with('$') => {
                            if let Err(e) = jsonpath::parse(s) {
                                diags.push(bad(format!("The value for the field '{}' must be a valid JSONPath or a valid intrinsic function call: {e}", m.key), Code::SchemaValidationFailed));
                            }
                        }
                        Some(s) => {
                            if let Err(e) = intrinsic::parse(s) {
                                diags.push(bad(format!("The value for the field '{}' must be a valid JSONPath or a valid intrinsic function call: {e}", m.key), code_for(&e)));
                            }
                        }
                    }
                } else {
                    template(&m.value, field_ptr, &child, diags);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                template(item, field_ptr, &ptr.join(i), diags);
            }
        }
        _ => {}
    }
}
