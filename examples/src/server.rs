//! Every example workflow served through the AWS Step Functions API (`asl-server`), with its
//! handlers: what `cargo run -p asl-examples --bin server` runs, and what the tests drive with
//! boto3, the AWS CLI and the AWS SDK for Rust.

use asl_server::{Server, ServerBuilder};

/// A server builder with the example machines: `Order`, `Approval`, `MessageProcessor`,
/// `Crawler` and `Photo` as Standard state machines, `Football` as an Express one (run it with
/// StartSyncExecution).
pub fn builder() -> ServerBuilder {
    Server::builder()
        .machine(crate::order::machine(0))
        .machine(crate::approval::machine())
        .express(crate::football::machine())
        .machine(crate::message::machine())
        .machine(crate::crawler::machine())
        .machine(crate::photo::machine())
}
