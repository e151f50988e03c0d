//! From the checked model to what the emitter needs: states numbered, Task states given a
//! handler slot and a Rust name, and every feature the runtime can not execute yet reported
//! at its location.

pub mod names;

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic};
use crate::model::{QueryLanguage, State, StateKind, StateMachine};
use crate::source::Node;

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
    /// Each state's index in its own container (names are unique machine-wide).
    pub index: HashMap<&'m str, usize>,
    /// One slot per Task state of every container, in source order (depth first).
    pub slots: Vec<Slot<'m>>,
}

/// Numbers the machine, or reports what it uses that can not run yet.
pub fn plan(machine: &StateMachine) -> Result<MachinePlan<'_>, Vec<Diagnostic>> {
    let containers = machine.containers();
    let index = containers
        .iter()
        .flat_map(|c| c.states.iter().enumerate())
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let all: Vec<&State> = containers.iter().flat_map(|c| c.states.iter()).collect();
    let mut problems = Vec::new();
    for s in &all {
        unsupported(s, &mut problems);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let tasks: Vec<&State> = all
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
        states: machine.body.states.iter().collect(),
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
    let mut assigns: Vec<&crate::model::Spanned<Node>> = state.assign.iter().collect();
    match &state.kind {
        StateKind::Task(t) => {
            assigns.extend(t.result.catch.iter().filter_map(|c| c.assign.as_ref()))
        }
        StateKind::Parallel(p) => {
            assigns.extend(p.result.catch.iter().filter_map(|c| c.assign.as_ref()))
        }
        StateKind::Map(m) => {
            assigns.extend(m.result.catch.iter().filter_map(|c| c.assign.as_ref()))
        }
        StateKind::Choice(c) => assigns.extend(c.choices.iter().filter_map(|r| r.assign.as_ref())),
        StateKind::Pass(_) | StateKind::Fail(_) | StateKind::Wait(_) | StateKind::Succeed => {}
    }
    for a in assigns {
        not_yet(
            state,
            "Workflow variables (Assign)",
            Some(a.span),
            a.pointer.clone(),
            diags,
        );
    }
    // Paths that read variables (`$name`) need variables too.
}
