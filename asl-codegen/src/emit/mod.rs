//! Rust tokens from a checked model.
