//! Compiled Amazon States Language machines and AWS.
//!
//! - [`Aws`]: the AWS services Task resources name (`lambda:invoke` and functions' ARNs,
//!   `sns:publish`, `sqs:sendMessage`, `events:putEvents`, `dynamodb:getItem`/`putItem`/
//!   `updateItem`/`deleteItem`, `states:startExecution` with `.sync`, `.sync:2` and
//!   `.waitForTaskToken`, `aws-sdk:` integrations of these services, S3) served on the AWS
//!   SDK for Rust, one cargo feature per service. [`WithAws::with_aws`] gives them to a
//!   generated builder in one call; handlers the user wrote still win.
//! - [`emulator`]: `moto` in server mode started for tests, on 127.0.0.1.
//! - [`S3Items`] (feature `s3`): a distributed Map's `ItemReader` and `ResultWriter` on S3.
//! - [`lambda`] (feature `lambda-runtime`): a compiled machine deployed as a Lambda function
//!   ([`lambda::serve`]: the event is the execution's input, the function's result its
//!   output, a failed execution the function's error), and a function written for
//!   `lambda_runtime` (`LambdaEvent<Value>` in, `Result` out) used unchanged as a Task
//!   handler ([`lambda::handler`]).
//!
//! ```no_run
//! # asl_runtime::asl!(path = "tests/workflows/charge.asl.json", name = Charge);
//! # async fn example(config: aws_types::SdkConfig) {
//! use asl_aws::WithAws;
//!
//! // Every Task state whose resource an AWS service serves is handled by that service.
//! let machine = Charge::builder().with_aws(&config).build();
//! # }
//! ```

pub mod emulator;
#[cfg(feature = "lambda-runtime")]
pub mod lambda;
mod services;

pub use services::Aws;
#[cfg(feature = "s3")]
pub use services::S3Items;

use asl_runtime::integration::WithServices;

/// Gives a generated builder the AWS services ([`Aws`]) in one call: every Task state whose
/// resource they serve and which has no handler of its own is handled by the service (a
/// handler set before or after wins). A Task state whose service this build lacks (its
/// feature off) still needs its own handler: `build()` says which.
pub trait WithAws: WithServices<Aws> {
    /// The builder with the AWS services of `config` (its credentials, region and endpoint).
    fn with_aws(self, config: &aws_types::SdkConfig) -> Self::Output {
        self.with_services(Aws::new(config))
    }
}

impl<B: WithServices<Aws>> WithAws for B {}
