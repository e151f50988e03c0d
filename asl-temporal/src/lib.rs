//! Compiled Amazon States Language machines run as Temporal workflows.
//!
//! Placeholder docs (expanded below).

mod activity;
mod bridge;
pub mod client;
pub mod dev_server;
pub mod error;
pub mod replay;
pub mod worker;
// `#[workflow_methods]` adds a public constant per method, which cannot carry documentation;
// everything written here has its own.
#[allow(missing_docs)]
pub mod workflow;

pub use asl_runtime::service::{StartRequest, StartedExecution};
pub use client::{Executions, connect};
pub use error::Error;
pub use replay::{ReplayError, Replayer};
pub use worker::{TemporalWorker, WorkerBuilder};
