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
//! has one (and resumes the running ones when it starts), verifies AWS Signature Version 4
//! when given credentials, throttles each operation with AWS's default token buckets, and
//! listens on loopback unless it checks credentials or is told otherwise.

mod api;
pub mod client;
pub mod error;
pub mod events;
mod ops;
pub mod protocol;
mod registry;
pub mod routes;
mod server;
pub mod sigv4;
pub mod throttle;
pub mod validate;
mod wire;

pub use error::ApiError;
pub use events::bus::EventRule;
pub use ops::OPERATIONS;
pub use registry::MachineType;
pub use routes::Route;
pub use server::{Server, ServerBuilder, ServerError};
pub use sigv4::Credentials;
pub use throttle::{Bucket, Throttle};
