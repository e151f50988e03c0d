//! Compiled Amazon States Language machines run as Temporal workflows: for executions that
//! outgrow one machine, or workers that must survive the loss of any host.
//!
//! The engine is the same; it runs inside a Temporal workflow, and each of its effects becomes
//! the Temporal primitive for it: a Task's handler call an activity (run by any worker; the
//! handler's own failures come back as the activity's answer, so ASL's Retry and Catch decide),
//! a Wait or a timeout a durable timer, a task token's answer a workflow update, StopExecution a
//! signal, the clock the workflow's time, random numbers a generator seeded per execution.
//! Describe and history are queries; list reads Temporal's visibility store.
//!
//! ```no_run
//! # async fn demo(machine: asl_runtime::Machine) -> Result<(), asl_temporal::Error> {
//! use asl_temporal::{Executions, TemporalWorker};
//!
//! let client = asl_temporal::connect("127.0.0.1:7233", "default").await?;
//! // In each worker process (the future is not Send: run it in main or on a LocalSet).
//! let worker = TemporalWorker::builder("orders").machine(machine).build(client.clone())?;
//! # let _ = worker;
//! // Anywhere:
//! let executions = Executions::new(client, "orders");
//! let started = executions.start("Order", "order-17", serde_json::json!({"id": 17})).await?;
//! let ended = executions.result(&started.execution_arn).await?;
//! println!("{}: {:?}", ended.status.as_str(), ended.output);
//! # Ok(())
//! # }
//! ```
//!
//! The SDK is pinned exactly (`temporalio-sdk =1.1.1`): its 1.x crates stand on 0.x crates
//! (`temporalio-sdk-core`, `temporalio-protos`) that may change in any minor release.

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
pub use worker::{TemporalWorker, WorkerBuilder, WorkerThread};
