//! Transitions: unique state names, targets that exist in the same container, reachability
//! from `StartAt`, and a way out to a terminal state from every reachable state.

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::model::{Container, Spanned, State, StateKind, StateMachine};

/// Longest state name AWS accepts, in characters.
pub const MAX_STATE_NAME: usize = 80;

pub(super) fn check(machine: &StateMachine, diags: &mut Vec<Diagnostic>) {
    let containers = machine.containers();
    // Which container each name lives in (first definition wins).
    let mut home: HashMap<&str, usize> = HashMap::new();
    for (ci, c) in containers.iter().enumerate() {
        for s in &c.states {
            let len = s.name.chars().count();
            if len == 0 || len > MAX_STATE_NAME {
                diags.push(Diagnostic::new(
                    Code::InvalidStateName,
                    format!(
                        "State name '{}' must be 1 to {MAX_STATE_NAME} characters long, not {len}",
                        s.name
                    ),
                    s.pointer.clone(),
                    Some(s.name_span),
                ));
            }
            if home.insert(&s.name, ci).is_some() {
                diags.push(Diagnostic::new(
                    Code::DuplicateStateName,
                    format!("Duplicate State name: {}", s.name),
                    s.pointer.clone(),
                    Some(s.name_span),
                ));
            }
        }
    }
    for (ci, c) in containers.iter().enumerate() {
        container(c, ci, &home, diags);
    }
}

/// Outgoing transitions of a state, with the field that names each.
fn edges(state: &State) -> Vec<(&'static str, &Spanned<String>)> {
    let mut out = Vec::new();
    if let Some(n) = &state.next {
        out.push(("Next", n));
    }
    if let StateKind::Choice(c) = &state.kind {
        out.extend(
            c.choices
                .iter()
                .filter_map(|r| r.next.as_ref())
                .map(|n| ("Next", n)),
        );
        if let Some(d) = &c.default {
            out.push(("Default", d));
        }
    }
    if let Some(rh) = state.kind.result_handling() {
        out.extend(
            rh.catch
                .iter()
                .filter_map(|c| c.next.as_ref())
                .map(|n| ("Next", n)),
        );
    }
    out
}

fn container(c: &Container, ci: usize, home: &HashMap<&str, usize>, diags: &mut Vec<Diagnostic>) {
    let index: HashMap<&str, usize> = c
        .states
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let names = || c.states.iter().map(|s| s.name.as_str());
    let missing = |field: &str, target: &Spanned<String>, diags: &mut Vec<Diagnostic>| {
        let (message, help) = match home.get(target.value.as_str()) {
            Some(&other) if other != ci => (
                format!(
                    "Missing '{field}' target: {} (that state is in another container; no transition may enter or leave a Parallel branch or a Map processor)",
                    target.value
                ),
                None,
            ),
            _ => (
                format!("Missing '{field}' target: {}", target.value),
                did_you_mean(&target.value, names()).map(|s| format!("did you mean '{s}'?")),
            ),
        };
        let mut d = Diagnostic::new(
            Code::MissingTransitionTarget,
            message,
            target.pointer.clone(),
            Some(target.span),
        );
        if let Some(h) = help {
            d = d.with_help(h);
        }
        diags.push(d);
    };

    let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); c.states.len()];
    // A state with a dangling transition may well lead out once it is fixed: it counts as an
    // exit, so the one mistake is not reported again as a loop.
    let mut dangling = vec![false; c.states.len()];
    for (i, s) in c.states.iter().enumerate() {
        for (field, target) in edges(s) {
            match index.get(target.value.as_str()) {
                Some(&j) => adjacency[i].push(j),
                None => {
                    dangling[i] = true;
                    missing(field, target, diags);
                }
            }
        }
    }
    let Some(start_at) = &c.start_at else { return };
    let Some(&start) = index.get(start_at.value.as_str()) else {
        missing("StartAt", start_at, diags);
        return;
    };

    let mut reachable = vec![false; c.states.len()];
    let mut todo = vec![start];
    while let Some(i) = todo.pop() {
        if !std::mem::replace(&mut reachable[i], true) {
            todo.extend(&adjacency[i]);
        }
    }
    // States from which a terminal state can be reached.
    let mut exits = vec![false; c.states.len()];
    let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); c.states.len()];
    for (i, outs) in adjacency.iter().enumerate() {
        for &j in outs {
            reverse[j].push(i);
        }
    }
    let mut todo: Vec<usize> = c
        .states
        .iter()
        .enumerate()
        .filter(|&(i, s)| s.is_terminal() || dangling[i])
        .map(|(i, _)| i)
        .collect();
    while let Some(i) = todo.pop() {
        if !std::mem::replace(&mut exits[i], true) {
            todo.extend(&reverse[i]);
        }
    }
    let stuck: Vec<&State> = c
        .states
        .iter()
        .enumerate()
        .filter(|&(i, _)| reachable[i] && !exits[i])
        .map(|(_, s)| s)
        .collect();
    if let Some(first) = stuck.first() {
        let message = if !c.states.iter().any(State::is_terminal) {
            "Workflow has no terminal state".to_owned()
        } else {
            format!(
                "No terminal state can be reached from state '{}': it loops forever",
                first.name
            )
        };
        let ptr = if stuck.len() == c.states.len() {
            c.pointer.clone()
        } else {
            first.pointer.clone()
        };
        diags.push(
            Diagnostic::new(Code::MissingEndState, message, ptr, Some(first.name_span)).with_help(
                "give a state \"End\": true, or add a Succeed or Fail state the loop can reach",
            ),
        );
        return;
    }
    for (i, s) in c.states.iter().enumerate() {
        if !reachable[i] {
            diags.push(Diagnostic::new(
                Code::MissingTransitionTarget,
                format!("State \"{}\" is not reachable.", s.name),
                s.pointer.clone(),
                Some(s.name_span),
            ));
        }
    }
}
