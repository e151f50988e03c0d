//! The order workflow deployed as a Lambda function: each invocation's event is an order, the
//! execution's output the function's result, a failed order the function's error
//! (`errorType` `OrderFailed`). `cargo lambda build --release --bin order-lambda` packages it
//! for the `provided.al2023` runtime; outside Lambda it needs the runtime API's environment
//! (`AWS_LAMBDA_RUNTIME_API`, `AWS_LAMBDA_FUNCTION_NAME`, ...), as `tests/order_lambda.rs`
//! gives it.

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    asl_aws::lambda::serve(asl_examples::order::machine(0)).await
}
