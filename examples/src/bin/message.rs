//! `cargo run -p asl-examples --bin message`: see `src/message.rs`.

#[tokio::main(flavor = "current_thread")]
async fn main() {
    asl_examples::message::demo().await;
}
