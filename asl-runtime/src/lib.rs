//! # asl-runtime
//!
//! What code generated from an Amazon States Language definition calls, and what users depend
//! on. With the default `macros` feature it re-exports [`asl!`], which reads a definition at
//! compile time, checks it as strictly as AWS does, and fails the build with the file, line and
//! column of any mistake:
//!
//! ```
//! use asl_runtime::{Failure, Status};
//! use serde_json::{Value, json};
//!
//! // The definition is checked when this compiles; the type is named after the file.
//! asl_runtime::asl!("../examples/workflows/message.asl.json");
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let machine = Message::builder()
//!     // One handler per Task state; leaving one out is a compile error naming the state.
//!     .process_message(|event: Value| async move {
//!         let text = event["message"].as_str().unwrap_or_default().to_uppercase();
//!         Ok::<_, Failure>(json!({"statusCode": 200, "body": text}))
//!     })
//!     .build();
//! let outcome = machine.run(json!({"message": "hi"})).await;
//! assert_eq!(outcome.status, Status::Succeeded);
//! assert_eq!(outcome.output, Some(json!({"statusCode": 200, "body": "HI"})));
//! assert_eq!(Message::DEFINITION.start_at, "Process message");
//! # });
//! ```
//!
//! The execution engine ([`engine::execute`]) runs a [`plan::Plan`]: the numbered states with
//! their paths, payload templates and Choice rules pre-parsed, as the generator emits them.

pub mod budget;
pub mod choice;
pub mod coverage;
pub mod data;
mod definition;
pub mod effects;
pub mod engine;
pub mod error;
pub mod handler;
pub mod history;
pub mod integration;
pub mod intrinsic;
pub mod items;
pub mod limits;
mod machine;
pub mod mock;
pub mod plan;
pub mod service;
pub mod store;
pub mod task;
pub mod time;
mod tokens;
pub mod trace;
pub mod typed;

/// The definition's small languages (JSONPath, filters, timestamps, names), shared with the
/// generator.
pub use asl_lang as lang;
pub use budget::Budget;
pub use definition::{Definition, QueryLanguage, StateInfo, StateType};
pub use engine::{
    Description, ExecutionConfig, HistoryLevel, MAX_HISTORY_EVENTS, Outcome, Status, execute,
};
pub use error::Failure;
pub use handler::{BoxHandler, Handler, raw};
pub use machine::{Execution, Machine, StartError, Started};
pub use store::{MemoryStore, Store, StoreError};
pub use task::{BoxFuture, Dispatch, FunctionContext, Heartbeat, TaskCall, TaskContext};
pub use time::Waits;
pub use tokens::{
    MAX_TOKEN_ROUTE, TokenError, is_well_formed as is_well_formed_token, token_route,
};
pub use typed::{EdgeError, OutputMismatch, TypedExecution, TypedMachine, TypedOutcome};

/// The crates generated code names, re-exported so it needs no dependencies of its own.
#[doc(hidden)]
pub mod __private {
    pub use serde_json;

    /// A literal the generator wrote as JSON text (parsed once, when the plan is built).
    pub fn literal(json: &str) -> serde_json::Value {
        serde_json::from_str(json).unwrap_or(serde_json::Value::Null)
    }

    /// A Wait timestamp the generator already checked.
    pub fn timestamp(text: &str) -> jiff::Timestamp {
        crate::time::parse_timestamp(text).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    }

    /// Never called: `build()` only compiles when every slot is filled.
    pub fn unreachable_handler() -> crate::BoxHandler {
        std::sync::Arc::new(|_, call: &crate::TaskCall<'_>| {
            Box::pin(std::future::ready(Err(crate::Failure::new(
                crate::error::names::TASK_FAILED,
                format!("no handler for Task state '{}'", call.state_name()),
            ))))
        })
    }
}

#[cfg(feature = "macros")]
pub use asl_macro::asl;
