//! From the checked model to what the emitter needs: states numbered, Task states given a
//! handler slot and a Rust name, and every feature the runtime can not execute yet reported
//! at its location.

pub mod names;

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic};
use crate::model::{QueryLanguage, State, StateKind, StateMachine};
use crate::source::{Node, Value};

/// A Task state's handler slot.
#[derive(Clone, Debug)]
pub struct Slot<'m> {
    /// The state.
    pub state: &'m State,
    /// The builder method that sets its handler (`validate_order`).
    pub method: String,
}

/// The machine, numbered.
#[derive(Debug)]
pub struct MachinePlan<'m> {
    /// The states of the top-level container, in source order.
    pub states: Vec<&'m State>,
    /// Index of each state by name.
    pub index: HashMap<&'m str, usize>,
    /// One slot per Task state, in source order.
    pub slots: Vec<Slot<'m>>,
}

/// Numbers the machine, or reports what it uses that can not run yet.
pub fn plan(machine: &StateMachine) -> Result<MachinePlan<'_>, Vec<Diagnostic>> {
    let states: Vec<&State> = machine.body.states.iter().collect();
    let index = states
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let mut problems = Vec::new();
    for s in &states {
        unsupported(s, &mut problems);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let tasks: Vec<&State> = states
        .iter()
        .copied()
        .filter(|s| matches!(s.kind, StateKind::Task(_)))
        .collect();
    let methods = names::unique(tasks.iter().map(|s| names::snake(&s.name)));
    let slots = tasks
        .into_iter()
        .zip(methods)
        .map(|(state, method)| Slot { state, method })
        .collect();
    Ok(MachinePlan {
        states,
        index,
        slots,
    })
}

fn not_yet(
    state: &State,
    what: &str,
    span: Option<crate::source::Span>,
    pointer: crate::diag::Pointer,
    diags: &mut Vec<Diagnostic>,
) {
    diags.push(
        Diagnostic::new(
            Code::UnsupportedFeature,
            format!("{what} can not be executed yet (state '{}')", state.name),
            pointer,
            span.or(Some(state.name_span)),
        )
        .with_help("the definition is valid; this release of asl-runtime does not run it yet"),
    );
}

fn template_uses_intrinsics(node: &Node) -> Option<&Node> {
    match &node.value {
        Value::Object(members) => members.iter().find_map(|m| {
            if m.key.ends_with(".$") {
                m.value
                    .as_str()
                    .filter(|s| !s.starts_with('$'))
                    .map(|_| &m.value)
            } else {
                template_uses_intrinsics(&m.value)
            }
        }),
        Value::Array(items) => items.iter().find_map(template_uses_intrinsics),
        _ => None,
    }
}

fn unsupported(state: &State, diags: &mut Vec<Diagnostic>) {
    if state.query_language == QueryLanguage::Jsonata {
        not_yet(
            state,
            "The JSONata query language",
            None,
            state.pointer.clone(),
            diags,
        );
        return;
    }
    if let Some(a) = &state.assign {
        not_yet(
            state,
            "Workflow variables (Assign)",
            Some(a.span),
            a.pointer.clone(),
            diags,
        );
    }
    let mut templates: Vec<&crate::model::Spanned<Node>> = Vec::new();
    match &state.kind {
        StateKind::Parallel(_) => not_yet(
            state,
            "The Parallel state",
            None,
            state.pointer.clone(),
            diags,
        ),
        StateKind::Map(_) => not_yet(state, "The Map state", None, state.pointer.clone(), diags),
        StateKind::Pass(p) => templates.extend(&p.parameters),
        StateKind::Task(t) => {
            templates.extend(&t.result.parameters);
            templates.extend(&t.result.result_selector);
            templates.extend(&t.credentials);
            for c in &t.result.catch {
                if let Some(a) = &c.assign {
                    not_yet(
                        state,
                        "Workflow variables (Assign)",
                        Some(a.span),
                        a.pointer.clone(),
                        diags,
                    );
                }
            }
        }
        StateKind::Fail(f) => {
            for p in [&f.error_path, &f.cause_path].into_iter().flatten() {
                if !p.value.starts_with('$') {
                    not_yet(
                        state,
                        "Intrinsic functions",
                        Some(p.span),
                        p.pointer.clone(),
                        diags,
                    );
                }
            }
        }
        StateKind::Choice(c) => {
            for r in &c.choices {
                if let Some(a) = &r.assign {
                    not_yet(
                        state,
                        "Workflow variables (Assign)",
                        Some(a.span),
                        a.pointer.clone(),
                        diags,
                    );
                }
            }
        }
        StateKind::Wait(_) | StateKind::Succeed => {}
    }
    for t in templates {
        if let Some(n) = template_uses_intrinsics(&t.value) {
            not_yet(
                state,
                "Intrinsic functions",
                Some(n.span),
                t.pointer.clone(),
                diags,
            );
        }
    }
}
