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
//! This release generates the checked definition's summary ([`Definition`]); the executable
//! state machine comes next.

mod definition;

pub use definition::{Definition, QueryLanguage, StateInfo, StateType};

#[cfg(feature = "macros")]
pub use asl_macro::asl;
