//! The order workflow on AWS services: `order-aws` (the example binary) serves it with SQS,
//! DynamoDB and SNS on `moto` in server mode, and boto3 starts orders through asl-server and
//! reads their shipment, receipt and notice back from the services
//! (`tests/api/boto3_order_aws.py`).

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use support::{missing, python_with};

#[test]
fn boto3_runs_orders_whose_tasks_are_aws_services() {
    let checkout = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci");
    let (Some(moto), Some(python)) = (asl_aws::emulator::find(&[&checkout]), python_with("boto3"))
    else {
        missing("moto_server or boto3");
        return;
    };
    // The definition was compiled with ARNs of account 111111111111.
    let moto = asl_aws::emulator::MotoServer::start_in_account(&moto, Some("111111111111"))
        .expect("moto_server starts");
    let mut server = Command::new(env!("CARGO_BIN_EXE_order-aws"))
        .args(["--port", "0", "--no-throttle"])
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("order-aws starts");
    let stdout = server.stdout.take().expect("its output");
    let endpoint = BufReader::new(stdout)
        .lines()
        .find_map(|line| {
            let line = line.ok()?;
            line.strip_prefix("serving the Step Functions API on ")
                .map(|e| e.split_whitespace().next().unwrap_or(e).to_owned())
        })
        .expect("order-aws says where it serves");
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/boto3_order_aws.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(&endpoint)
        .arg(moto.endpoint())
        .output()
        .expect("the script runs");
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok");
}
