//! Workspace tests live in `tests/`; this library holds the conformance runner they share
//! with the `conformance-runner` binary, the workflow the crash-resume test runs in the
//! `crash-worker` binary, and the machines of the API call sequences.

pub mod api;
pub mod conformance;
pub mod durable;
