//! The static checks that run on the typed model, after the schema checks of lowering. Each
//! module holds one family of rules; all of them report every problem they find.

mod errors;
mod graph;
mod jsonata;
pub(crate) mod keys;
mod paths;
mod resources;
mod values;
pub(crate) mod variables;

use crate::diag::Diagnostic;
use crate::model::StateMachine;

/// How the definition will be deployed; some rules only hold for one type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MachineType {
    /// A standard workflow (the default).
    #[default]
    Standard,
    /// An express workflow: no `.sync`, no `.waitForTaskToken`, no activities.
    Express,
}

/// Options for the checks.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// Standard or express.
    pub machine_type: MachineType,
}

/// Runs every check on `machine`, appending to `diags`.
pub fn run(machine: &StateMachine, options: &CheckOptions, diags: &mut Vec<Diagnostic>) {
    errors::check(machine, diags);
    paths::check(machine, diags);
    jsonata::check(machine, diags);
    values::check(machine, diags);
    resources::check(machine, options, diags);
    variables::check(machine, diags);
    graph::check(machine, diags);
}

/// Every state of the machine: the top-level ones, then those of each branch and processor.
pub(crate) fn all_states(machine: &StateMachine) -> Vec<&crate::model::State> {
    machine
        .containers()
        .into_iter()
        .flat_map(|c| c.states.iter())
        .collect()
}
