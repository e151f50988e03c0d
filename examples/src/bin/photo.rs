//! `cargo run -p asl-examples --bin photo`: see `src/photo.rs`.

#[tokio::main(flavor = "current_thread")]
async fn main() {
    asl_examples::photo::demo().await;
}
