//! boto3 works unchanged against a Temporal deployment: the server serves the Fulfilment
//! machine on a Temporal cluster (the CLI's development server), whose worker runs its
//! executions; `tests/api/boto3_temporal.py` starts, answers, describes, lists and stops them
//! through the Step Functions API.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use asl_temporal::{Executions, TemporalWorker};

const QUEUE: &str = "api";

/// A Python interpreter with boto3: `ASL_PYTHON`, `.ci/venv`, or `python3`.
fn python() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/venv/bin/python");
    [
        std::env::var_os("ASL_PYTHON").map(PathBuf::from),
        Some(venv),
        Some("python3".into()),
    ]
    .into_iter()
    .flatten()
    .find(|p| {
        Command::new(p)
            .args(["-c", "import boto3"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn boto3_drives_executions_that_run_on_temporal() {
    let ci = std::env::var("CI").as_deref() == Ok("true");
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci");
    let (Some(cli), Some(python)) = (asl_temporal::dev_server::find_cli(&[&checkout]), python())
    else {
        assert!(
            !ci,
            "the temporal CLI or boto3 is missing (.ci/run installs both)"
        );
        eprintln!("SKIPPED: the temporal CLI or boto3 is not installed (run .ci/run)");
        return;
    };
    let server = asl_temporal::dev_server::DevServer::start(&cli).expect("the server starts");
    let address = server.address().to_owned();

    let worker = TemporalWorker::spawn({
        let address = address.clone();
        move || async move {
            let client = asl_temporal::connect(&address, "default").await?;
            TemporalWorker::builder(QUEUE)
                .machine(asl_examples::fulfilment::machine())
                .build(client)
        }
    })
    .expect("the worker polls");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let (endpoint, stop_server, serving) = rt.block_on(async {
        let client = asl_temporal::connect(&address, "default")
            .await
            .expect("connects");
        let executions = Arc::new(Executions::new(client, QUEUE));
        let server = asl_server::Server::builder()
            .machine_on(asl_examples::fulfilment::machine(), executions)
            .bind("127.0.0.1:0")
            .build()
            .await
            .expect("the server starts");
        let endpoint = format!("http://{}", server.local_addr().expect("an address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(server.serve_until(async {
            let _ = stopped.await;
        }));
        (endpoint, stop, serving)
    });

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/boto3_temporal.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(&endpoint)
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);

    let _ = stop_server.send(());
    let _ = rt.block_on(serving);
    worker.stop().expect("the worker ends cleanly");
    assert!(out.status.success(), "{stdout}\n{stderr}");
    println!("{}", stdout.trim());
    assert!(stdout.contains("checks passed"), "{stdout}");
}
