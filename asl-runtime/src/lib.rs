//! # asl-runtime
//!
//! What code generated from an Amazon States Language definition calls, and what users depend
//! on. With the default `macros` feature it re-exports [`asl!`], which reads a definition at
//! compile time, checks it as strictly as AWS does, and fails the build with the file, line and
//! column of any mistake:
//!
//! ```
//! asl_runtime::asl!("../examples/workflows/order.asl.json");
//!
//! assert_eq!(Order::DEFINITION.start_at, "Validate order");
//! assert!(Order::DEFINITION.states.iter().any(|s| s.name == "Charge card"));
//! ```
//!
//! The execution engine ([`engine::execute`]) runs a [`plan::Plan`]: the numbered states with
//! their paths, payload templates and Choice rules pre-parsed, as the generator emits them.

pub mod choice;
pub mod data;
mod definition;
pub mod engine;
pub mod error;
pub mod history;
pub mod plan;
pub mod task;
pub mod time;

pub use definition::{Definition, QueryLanguage, StateInfo, StateType};
pub use engine::{ExecutionConfig, Outcome, Status, execute};
pub use error::Failure;
pub use task::{BoxFuture, Dispatch, TaskContext};

/// The crates generated code names, re-exported so it needs no dependencies of its own.
#[doc(hidden)]
pub mod __private {
    pub use serde_json;
}

#[cfg(feature = "macros")]
pub use asl_macro::asl;
