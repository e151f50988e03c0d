//! Workspace tests live in `tests/`; this library holds the conformance runner they share
//! with the `conformance-runner` binary, the workflow the crash-resume test runs in the
//! `crash-worker` binary, and the machines of the API call sequences.

pub mod api;
pub mod conformance;
pub mod durable;

/// The state machines of `fixtures/templates`, generated from the templates by the Builder.
#[allow(clippy::all, missing_docs, unused)]
pub mod templates {
    include!(concat!(env!("OUT_DIR"), "/asl_templates.rs"));
}
