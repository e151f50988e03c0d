//! What the service tests share: `moto` in server mode, and an AWS SDK configuration for it.

#![allow(dead_code)]

use asl_aws::emulator::{self, MotoServer};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_types::SdkConfig;
use aws_types::region::Region;

/// The emulator for a test, or `None` (saying why) when `moto_server` is missing off CI;
/// under `CI=true` a missing emulator fails the test.
pub fn moto(test: &str) -> Option<MotoServer> {
    let checkout = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci");
    let Some(program) = emulator::find(&[&checkout]) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{test}: moto_server is missing (.ci/run installs moto[server])"
        );
        eprintln!("{test}: skipped: no `moto_server` (pip install 'moto[server]')");
        return None;
    };
    Some(MotoServer::start(&program).expect("moto_server starts"))
}

/// An SDK configuration for `endpoint`: its region, test credentials, plain HTTP.
pub fn config(endpoint: &str) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "tests",
        )))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .build()
}

/// An S3 client for the emulator (path-style: its buckets are not host names).
pub fn s3(config: &SdkConfig) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(config)
            .force_path_style(true)
            .build(),
    )
}
