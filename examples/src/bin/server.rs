//! The example workflows behind the AWS Step Functions and EventBridge APIs:
//! `cargo run -p asl-examples --bin server -- --port 8083 [--store executions.db]
//! [--no-throttle]`, then any client with its endpoint set to `http://127.0.0.1:8083`, for
//! example `aws stepfunctions start-execution --endpoint-url http://127.0.0.1:8083
//! --state-machine-arn arn:aws:states:us-east-1:111111111111:stateMachine:Order --input
//! '{"orderId": "A-1", ...}'`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    asl_examples::serve::main(asl_examples::server::builder(), "server").await
}
