//! The order workflow with its shipping, receipt and notice on AWS (SQS `shipping`, DynamoDB
//! `receipts`, SNS `orders` in account 111111111111, us-east-1) and its functions in this
//! process, behind the Step Functions API: `cargo run -p asl-examples --bin order-aws --
//! --port 8084`. The AWS configuration comes from the environment as for any AWS SDK
//! (`AWS_PROFILE` or `AWS_ACCESS_KEY_ID`..., `AWS_REGION`); `AWS_ENDPOINT_URL` points it at
//! an emulator such as `moto_server`.

use aws_config::BehaviorVersion;
use aws_smithy_http_client::tls;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let https = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let config = aws_config::defaults(BehaviorVersion::latest())
        .http_client(https)
        .load()
        .await;
    let server = asl_server::Server::builder().machine(asl_examples::order::on_aws(&config));
    asl_examples::serve::main(server, "order-aws").await
}
