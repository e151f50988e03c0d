//! The AWS Step Functions API served over machines compiled into the program, so that boto3,
//! the AWS SDKs and the AWS CLI work against them unchanged but for their endpoint URL:
//!
//! ```no_run
//! # async fn serve(order: asl_runtime::Machine) -> Result<(), Box<dyn std::error::Error>> {
//! asl_server::Server::builder()
//!     .machine(order)
//!     .store("executions.db")
//!     .bind("127.0.0.1:8083")
//!     .build()
//!     .await?
//!     .serve()
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! It speaks AWS's JSON 1.0 protocol (`POST /`, `X-Amz-Target: AWSStepFunctions.<Operation>`),
//! answers errors with AWS's codes and texts, keeps executions in an `asl-store` store when it
//! has one (and resumes the running ones when it starts), and listens on loopback unless told
//! otherwise.

mod api;
pub mod error;
mod ops;
pub mod protocol;
mod registry;
mod server;
pub mod validate;
mod wire;

pub use error::ApiError;
pub use ops::OPERATIONS;
pub use registry::MachineType;
pub use server::{Server, ServerBuilder, ServerError};
