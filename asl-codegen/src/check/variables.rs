//! Workflow variables: valid names, `states` reserved, and no inner scope (a Parallel branch or
//! a Map processor) assigning a name an enclosing scope assigns.

use crate::diag::{Code, Diagnostic};
use crate::model::{Container, QueryLanguage, Spanned, State, StateKind, StateMachine};
use crate::source::Node;

use crate::lang::ident::{MAX_VARIABLE_NAME, is_valid_variable_name as is_valid_name};

pub(super) fn check(machine: &StateMachine, diags: &mut Vec<Diagnostic>) {
    let mut outer: Vec<String> = Vec::new();
    container(&machine.body, &mut outer, diags);
}

/// The Assign blocks of a state: its own, its Choice rules', its Catchers' (flagged, because
/// AWS lets a branch assign a name that only the enclosing state's Catcher assigns).
fn assigns(state: &State) -> Vec<(&Spanned<Node>, bool)> {
    let mut out: Vec<(&Spanned<Node>, bool)> = state.assign.iter().map(|a| (a, false)).collect();
    if let StateKind::Choice(c) = &state.kind {
        out.extend(
            c.choices
                .iter()
                .filter_map(|r| r.assign.as_ref())
                .map(|a| (a, false)),
        );
    }
    if let Some(rh) = state.kind.result_handling() {
        out.extend(
            rh.catch
                .iter()
                .filter_map(|c| c.assign.as_ref())
                .map(|a| (a, true)),
        );
    }
    out
}

fn container(c: &Container, outer: &mut Vec<String>, diags: &mut Vec<Diagnostic>) {
    let mut here: Vec<String> = Vec::new();
    for state in &c.states {
        for (assign, from_catcher) in assigns(state) {
            let Some(members) = assign.value.as_object() else {
                continue;
            };
            for m in members {
                let name = match state.query_language {
                    QueryLanguage::JsonPath => m.key.strip_suffix(".$").unwrap_or(&m.key),
                    QueryLanguage::Jsonata => &m.key,
                };
                let err = |msg: String| {
                    Diagnostic::new(
                        Code::InvalidVariable,
                        msg,
                        assign.pointer.clone(),
                        Some(m.key_span),
                    )
                };
                if name == "states" {
                    diags.push(err("The variable name 'states' is reserved".into()));
                } else if !is_valid_name(name) {
                    diags.push(err(format!(
                        "'{name}' is not a valid variable name: it must start with a letter or '_', hold only letters, digits and '_', and be at most {MAX_VARIABLE_NAME} characters"
                    )));
                } else if outer.iter().any(|o| o == name) {
                    diags.push(
                        err(format!("The variable '{name}' is assigned in an outer scope; a Parallel branch or Map iteration can not assign it"))
                            .with_help("give the inner variable another name, or return the value through the branch's output"),
                    );
                } else if !from_catcher && !here.iter().any(|h| h == name) {
                    here.push(name.to_owned());
                }
            }
        }
    }
    let depth = outer.len();
    outer.extend(here);
    for state in &c.states {
        for inner in state.kind.children() {
            container(inner, outer, diags);
        }
    }
    outer.truncate(depth);
}
