//! The seeds' system: every example workflow behind an HTTP route with throttling, event rules
//! and a schedule, with the Step Functions and EventBridge APIs, all on one port:
//! `cargo run -p asl-examples --bin seeds -- --port 8083 [--store executions.db]`. The README's
//! walk-through drives it with curl and boto3.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    asl_examples::serve::main(asl_examples::seeds::builder(), "seeds").await
}
