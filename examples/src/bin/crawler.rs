//! `cargo run -p asl-examples --bin crawler`: see `src/crawler.rs`.

#[tokio::main(flavor = "current_thread")]
async fn main() {
    asl_examples::crawler::demo().await;
}
