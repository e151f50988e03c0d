//! `cargo run -p asl-examples --bin football`: see `src/football.rs`.

#[tokio::main(flavor = "current_thread")]
async fn main() {
    asl_examples::football::demo().await;
}
