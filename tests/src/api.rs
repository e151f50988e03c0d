//! The machines the API call sequences of `api.jsonl` create, compiled in (see `build.rs`),
//! for a server the replay test runs the sequences against. Their Task states return their
//! input (the sequences' Lambda function is an identity function).

use asl_runtime::{BoxHandler, Machine};

#[allow(clippy::all, missing_docs, unused, non_snake_case)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/api_machines.rs"));
}

/// Each definition's machine, and whether it was compiled as an Express one. Empty without the
/// corpus.
pub fn machines() -> Vec<(Machine, bool)> {
    // Shaped as the function: a Task invoking it gets its payload back in Lambda's envelope.
    let identity: BoxHandler =
        asl_runtime::Handler::into_box(|event: serde_json::Value| async move {
            Ok::<_, asl_runtime::Failure>(event)
        });
    generated::machines(identity)
}
