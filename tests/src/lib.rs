//! Workspace tests live in `tests/`; this library holds the conformance runner they share
//! with the `conformance-runner` binary.

pub mod conformance;
