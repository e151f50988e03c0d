//! Runnable examples of workflows compiled by `asl!`. Each module holds one workflow (from
//! `workflows/`), the Rust handlers of its Task states, and a `demo()` the binaries run; the
//! tests in `tests/` run the same machines.

pub mod approval;
pub mod crawler;
pub mod football;
pub mod fulfilment;
pub mod message;
pub mod order;
pub mod photo;
pub mod seeds;
pub mod serve;
pub mod server;

/// Prints an execution's outcome and the states it went through.
pub fn report(outcome: &asl_runtime::Outcome) {
    match (&outcome.output, &outcome.failure) {
        (Some(output), _) => println!("  {} → {output}", outcome.status.as_str()),
        (_, Some(f)) => println!("  {} → {f}", outcome.status.as_str()),
        _ => println!("  {}", outcome.status.as_str()),
    }
    println!("  path: {}", path(outcome).join(" → "));
}

/// The names of the states an execution entered, in order.
pub fn path(outcome: &asl_runtime::Outcome) -> Vec<String> {
    outcome
        .history
        .events()
        .iter()
        .filter_map(|e| e.kind.entered().map(|d| d.name.to_string()))
        .collect()
}
