//! From the checked model to what the emitter needs: states numbered in their containers and
//! Task states (in every container) given a handler slot and a Rust name.

pub mod names;

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::model::{State, StateKind, StateMachine};

/// A Task state's handler slot.
#[derive(Clone, Debug)]
pub struct Slot<'m> {
    /// The state.
    pub state: &'m State,
    /// The builder method that sets its handler (`validate_order`).
    pub method: String,
    /// The line of its name in the definition (filled in by the emitter, which has the text).
    pub line: usize,
}

/// The machine, numbered.
#[derive(Debug)]
pub struct MachineLayout<'m> {
    /// The states of the top-level container, in source order.
    pub states: Vec<&'m State>,
    /// Each state's index in its own container (names are unique machine-wide).
    pub index: HashMap<&'m str, usize>,
    /// One slot per Task state of every container, in source order (depth first).
    pub slots: Vec<Slot<'m>>,
}

/// Numbers the machine. (Every checked definition can run; the `Err` side is kept for
/// features a future definition format may add before the runtime executes them.)
pub fn layout(machine: &StateMachine) -> Result<MachineLayout<'_>, Vec<Diagnostic>> {
    let containers = machine.containers();
    let index = containers
        .iter()
        .flat_map(|c| c.states.iter().enumerate())
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let all: Vec<&State> = containers.iter().flat_map(|c| c.states.iter()).collect();
    let tasks: Vec<&State> = all
        .iter()
        .copied()
        .filter(|s| matches!(s.kind, StateKind::Task(_)))
        .collect();
    let methods = names::unique(tasks.iter().map(|s| names::snake(&s.name)));
    let slots = tasks
        .into_iter()
        .zip(methods)
        .map(|(state, method)| Slot {
            state,
            method,
            line: 0,
        })
        .collect();
    Ok(MachineLayout {
        states: machine.body.states.iter().collect(),
        index,
        slots,
    })
}
