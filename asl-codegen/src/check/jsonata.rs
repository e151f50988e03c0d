//! JSONata states: every `{% … %}` expression parses, uses nothing Step Functions forbids, and
//! reads `$states.result` / `$states.errorOutput` only where AWS provides them.

use crate::diag::{Code, Diagnostic, Pointer};
use crate::lang::jsonata::{JsonataError, analyze};
use crate::model::lower::jsonata_text;
use crate::model::{Condition, NumberOrExpr, QueryLanguage, Spanned, StateKind, StateMachine};
use crate::source::{Node, Span, Value};

const BASE: &[&str] = &["input", "context"];
const WITH_RESULT: &[&str] = &["input", "context", "result"];
const WITH_ERROR: &[&str] = &["input", "context", "errorOutput"];

pub(super) fn check(machine: &StateMachine, diags: &mut Vec<Diagnostic>) {
    for state in super::all_states(machine) {
        if state.query_language != QueryLanguage::Jsonata {
            continue;
        }
        let produces_result = matches!(
            state.kind,
            StateKind::Task(_) | StateKind::Map(_) | StateKind::Parallel(_)
        );
        let top = if produces_result { WITH_RESULT } else { BASE };
        let mut fields: Vec<(&Spanned<Node>, &[&str])> = Vec::new();
        fields.extend(state.output.iter().map(|o| (o, top)));
        fields.extend(state.assign.iter().map(|o| (o, top)));
        let mut numbers: Vec<(&str, Span, &Pointer)> = Vec::new();
        fn num<'a>(
            numbers: &mut Vec<(&'a str, Span, &'a Pointer)>,
            n: &'a Option<Spanned<NumberOrExpr<u64>>>,
        ) {
            if let Some(Spanned {
                value: NumberOrExpr::Jsonata(e),
                span,
                pointer,
            }) = n
            {
                numbers.push((e.as_str(), *span, pointer));
            }
        }
        match &state.kind {
            StateKind::Task(t) => {
                num(&mut numbers, &t.timeout_seconds);
                num(&mut numbers, &t.heartbeat_seconds);
                fields.extend(t.result.arguments.iter().map(|a| (a, BASE)));
                fields.extend(t.credentials.iter().map(|a| (a, BASE)));
            }
            StateKind::Wait(w) => num(&mut numbers, &w.seconds),
            StateKind::Parallel(p) => fields.extend(p.result.arguments.iter().map(|a| (a, BASE))),
            StateKind::Map(m) => {
                num(&mut numbers, &m.max_concurrency);
                num(&mut numbers, &m.tolerated_failure_count);
                fields.extend(m.items.iter().map(|a| (a, BASE)));
                fields.extend(m.item_selector.iter().map(|a| (a, BASE)));
                if let Some(b) = &m.item_batcher {
                    num(&mut numbers, &b.max_items_per_batch);
                    num(&mut numbers, &b.max_input_bytes_per_batch);
                    fields.extend(b.batch_input.iter().map(|a| (a, BASE)));
                }
                if let Some(r) = &m.item_reader {
                    fields.extend(r.parameters.iter().map(|a| (a, BASE)));
                    if let Some(c) = &r.reader_config {
                        num(&mut numbers, &c.max_items);
                    }
                }
                if let Some(w) = &m.result_writer {
                    fields.extend(w.parameters.iter().map(|a| (a, BASE)));
                }
                if let Some(Spanned {
                    value: NumberOrExpr::Jsonata(e),
                    span,
                    pointer,
                }) = &m.tolerated_failure_percentage
                {
                    numbers.push((e.as_str(), *span, pointer));
                }
            }
            StateKind::Choice(c) => {
                for rule in &c.choices {
                    if let Condition::Jsonata(cond) = &rule.condition {
                        fields.push((cond, BASE));
                    }
                    fields.extend(rule.output.iter().map(|o| (o, BASE)));
                    fields.extend(rule.assign.iter().map(|o| (o, BASE)));
                }
            }
            StateKind::Pass(_) | StateKind::Succeed | StateKind::Fail(_) => {}
        }
        if let StateKind::Fail(f) = &state.kind {
            for s in [&f.error, &f.cause].into_iter().flatten() {
                if let Some(e) = jsonata_text(&s.value) {
                    expression(e, BASE, &s.pointer, s.span, diags);
                }
            }
        }
        if let StateKind::Wait(w) = &state.kind
            && let Some(t) = &w.timestamp
            && let Some(e) = jsonata_text(&t.value)
        {
            expression(e, BASE, &t.pointer, t.span, diags);
        }
        if let Some(rh) = state.kind.result_handling() {
            for c in &rh.catch {
                fields.extend(c.output.iter().map(|o| (o, WITH_ERROR)));
                fields.extend(c.assign.iter().map(|o| (o, WITH_ERROR)));
            }
        }
        for (e, span, ptr) in numbers {
            expression(e, BASE, ptr, span, diags);
        }
        for (field, allowed) in fields {
            walk(&field.value, allowed, &field.pointer, diags);
        }
    }
}

/// Checks every expression string inside a JSONata field value.
fn walk(node: &Node, allowed: &[&str], ptr: &Pointer, diags: &mut Vec<Diagnostic>) {
    match &node.value {
        Value::String(s) => {
            if let Some(e) = jsonata_text(s) {
                expression(e, allowed, ptr, node.span, diags);
            } else if s.starts_with("{%") || s.ends_with("%}") {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidJsonataExpression,
                        format!("'{s}' looks like a JSONata expression but is not written as \"{{% <expression> %}}\""),
                        ptr.clone(),
                        Some(node.span),
                    )
                    .with_help("an expression string starts with {% and ends with %}, with nothing outside them"),
                );
            }
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, n)| walk(n, allowed, &ptr.join(i), diags)),
        Value::Object(members) => members
            .iter()
            .for_each(|m| walk(&m.value, allowed, &ptr.join(&m.key), diags)),
        _ => {}
    }
}

fn expression(
    expr: &str,
    allowed: &[&str],
    ptr: &Pointer,
    span: Span,
    diags: &mut Vec<Diagnostic>,
) {
    let diag = |code, msg: String| Diagnostic::new(code, msg, ptr.clone(), Some(span));
    match analyze(expr) {
        Err(JsonataError::Syntax(e)) => diags.push(diag(
            Code::InvalidJsonataExpression,
            format!("The JSONata expression '{}' is not valid: {e}", expr.trim()),
        )),
        Err(JsonataError::Unsupported(e)) => {
            diags.push(diag(Code::UnsupportedJsonataExpression, e))
        }
        Ok(a) => {
            for member in a.states_members {
                if !allowed.contains(&member.as_str()) {
                    let where_ = match member.as_str() {
                        "result" => {
                            " here: it is available only in the Output and Assign of Task, Map and Parallel states"
                        }
                        "errorOutput" => {
                            " here: it is available only in a Catcher's Output and Assign"
                        }
                        _ => "",
                    };
                    diags.push(
                        diag(
                            Code::UnsupportedJsonataExpression,
                            format!("'$states.{member}' can not be used{where_}"),
                        )
                        .with_help("$states has input, context, result and errorOutput"),
                    );
                }
            }
        }
    }
}
