//! The machines the API call sequences of `api.jsonl` create, compiled in (see `build.rs`),
//! for a server the replay test runs the sequences against. Their Task states return their
//! input (the sequences' Lambda function is an identity function).

use std::sync::Arc;

use asl_runtime::{BoxHandler, Machine};

#[allow(clippy::all, missing_docs, unused, non_snake_case)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/api_machines.rs"));
}

/// Each definition's machine, and whether it was compiled as an Express one. Empty without the
/// corpus.
pub fn machines() -> Vec<(Machine, bool)> {
    let identity: BoxHandler = Arc::new(|input, _call| Box::pin(async move { Ok(input) }));
    generated::machines(identity)
}
