//! The main example: e-commerce order processing (`workflows/order.asl.json`), compiled by
//! `asl!` and run with Rust handlers. `cargo run -p asl-examples`.
//!
//! Break the definition (point a `Next` at a state that does not exist, say) and `cargo build`
//! fails with the file, line and column; leave out a handler in `src/order.rs` and it fails
//! naming the Task state. The other examples: `cargo run -p asl-examples --bin football`
//! (or `message`, `crawler`, `photo`).

#[tokio::main(flavor = "current_thread")]
async fn main() {
    asl_examples::order::demo().await;
}
