//! Workspace tests live in `tests/`; this library holds the conformance runner they share
//! with the `conformance-runner` binary, and the workflow the crash-resume test runs in the
//! `crash-worker` binary.

pub mod conformance;
pub mod durable;
