//! The example server behind the AWS Step Functions API, driven by real clients over HTTP on
//! 127.0.0.1: boto3 runs the seed flow (`tests/api/boto3_flow.py`), in memory and with a
//! SQLite store; EventBridge rules start executions from PutEvents (`boto3_events.py`); the
//! AWS CLI starts and describes an execution. A client that is not installed skips its test, saying so, except under CI
//! (`CI=true`), where `.ci/run` installs it and a missing one fails.

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::{installed, missing, python_with};

/// Serves the example machines on a free loopback port for as long as `body` runs.
fn with_server(store: Option<PathBuf>, body: impl FnOnce(&str)) {
    let mut builder = asl_examples::server::builder();
    if let Some(path) = store {
        builder = builder.store(path);
    }
    serve(builder, body);
}

/// Serves what `builder` makes on a free loopback port for as long as `body` runs.
fn serve(builder: asl_server::ServerBuilder, body: impl FnOnce(&str)) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let builder = builder.bind("127.0.0.1:0");
    let server = rt.block_on(builder.build()).expect("the server starts");
    let endpoint = format!("http://{}", server.local_addr().expect("an address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = rt.spawn(server.serve_until(async {
        let _ = stopped.await;
    }));
    body(&endpoint);
    let _ = stop.send(());
    rt.block_on(serving)
        .expect("the server task")
        .expect("the server ends cleanly");
}

/// Runs `tests/api/<script>` with `python` against `endpoint`; it must pass.
fn run_script(python: &PathBuf, script: &str, endpoint: &str) {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/api")
        .join(script);
    let out = Command::new(python)
        .arg(&script)
        .arg(endpoint)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    println!("{}", stdout.trim());
    assert!(stdout.contains("checks passed"), "{stdout}");
}

fn boto3_flow(store: Option<PathBuf>) {
    let Some(python) = python_with("boto3") else {
        return missing("boto3");
    };
    with_server(store, |endpoint| {
        run_script(&python, "boto3_flow.py", endpoint)
    });
}

#[test]
fn boto3_events_start_executions_through_rules() {
    let Some(python) = python_with("boto3") else {
        return missing("boto3");
    };
    with_server(None, |endpoint| {
        run_script(&python, "boto3_events.py", endpoint)
    });
}

#[test]
fn boto3_requests_are_signed_and_throttled() {
    let Some(python) = python_with("boto3") else {
        return missing("boto3");
    };
    let builder = asl_examples::server::builder()
        .credentials("AKIDASLTEST", "asl-test-secret")
        .throttle(
            asl_server::Throttle::aws().with("StartExecution", asl_server::Bucket::new(5, 1)),
        );
    serve(builder, |endpoint| {
        run_script(&python, "boto3_auth.py", endpoint)
    });
}

#[test]
fn boto3_runs_step_functions_local_test_cases() {
    let Some(python) = python_with("boto3") else {
        return missing("boto3");
    };
    let mocks = asl_runtime::mock::MockConfig::from_file(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/api/MockConfigFile.json"),
    )
    .expect("the mock file is valid");
    serve(asl_examples::server::builder().mocks(mocks), |endpoint| {
        run_script(&python, "boto3_mocks.py", endpoint)
    });
}

#[test]
fn boto3_tests_single_states() {
    let Some(python) = python_with("boto3") else {
        return missing("boto3");
    };
    with_server(None, |endpoint| {
        run_script(&python, "boto3_test_state.py", endpoint)
    });
}

asl_runtime::asl!(path = "api/reminder.asl.json", name = Reminder);

#[test]
fn boto3_does_not_wait_on_a_server_that_skips_waits() {
    let Some(python) = python_with("boto3") else {
        return missing("boto3");
    };
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let reminder = Reminder::builder()
        .send_reminder(move |input: serde_json::Value| {
            let call = calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move {
                if call == 0 {
                    return Err(asl_runtime::Failure::new("Busy", "the mailer is busy"));
                }
                Ok(serde_json::json!({"sent": input["to"]}))
            }
        })
        .build();
    let builder = asl_server::Server::builder()
        .machine(reminder)
        .waits(asl_runtime::Waits::Skipped);
    serve(builder, |endpoint| {
        run_script(&python, "boto3_waits.py", endpoint)
    });
}

#[test]
fn boto3_runs_the_seed_flow_in_memory() {
    boto3_flow(None);
}

#[test]
fn boto3_runs_the_seed_flow_on_a_store() {
    let dir = std::env::temp_dir().join(format!("asl-api-boto3-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    boto3_flow(Some(dir.join("executions.db")));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The AWS CLI: `ASL_AWS`, the virtual environment `.ci/run` makes, or `aws` on the path.
fn aws_cli() -> Option<PathBuf> {
    installed("ASL_AWS", "aws", "aws", &["--version"])
}

#[test]
fn the_aws_cli_starts_and_describes_an_execution() {
    let Some(aws) = aws_cli() else {
        return missing("the AWS CLI");
    };
    with_server(None, |endpoint| {
        let run = |args: &[&str]| -> serde_json::Value {
            let out = Command::new(&aws)
                .args([
                    "stepfunctions",
                    "--endpoint-url",
                    endpoint,
                    "--region",
                    "us-east-1",
                ])
                .args(["--output", "json"])
                .args(args)
                .env("AWS_ACCESS_KEY_ID", "testing")
                .env("AWS_SECRET_ACCESS_KEY", "testing")
                .output()
                .expect("aws runs");
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "aws {args:?}: {stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null)
        };
        let order = r#"{"orderId": "C-1", "address": "Main St 1", "items": [{"price": 3.5}]}"#;
        let started = run(&[
            "start-execution",
            "--state-machine-arn",
            "arn:aws:states:us-east-1:111111111111:stateMachine:Order",
            "--name",
            "from-the-cli",
            "--input",
            order,
        ]);
        let arn = started["executionArn"].as_str().expect("an execution ARN");
        assert_eq!(
            arn,
            "arn:aws:states:us-east-1:111111111111:execution:Order:from-the-cli"
        );
        let mut described = serde_json::Value::Null;
        for _ in 0..100 {
            described = run(&["describe-execution", "--execution-arn", arn]);
            if described["status"] != "RUNNING" {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert_eq!(described["status"], "SUCCEEDED", "{described}");
        assert_eq!(described["output"], r#"{"trackingId":"ship-C-1"}"#);
        let listed = run(&["list-state-machines"]);
        assert!(
            listed["stateMachines"]
                .as_array()
                .is_some_and(|m| m.iter().any(|m| m["name"] == "Order")),
            "{listed}"
        );
        // An error comes back as the CLI reports AWS's errors: its code, and a failing exit.
        let out = Command::new(&aws)
            .args([
                "stepfunctions",
                "--endpoint-url",
                endpoint,
                "--region",
                "us-east-1",
            ])
            .args(["describe-execution", "--execution-arn", "nope"])
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .output()
            .expect("aws runs");
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("(InvalidArn)") && stderr.contains("Invalid ARN prefix: nope"),
            "{stderr}"
        );
    });
}
