//! `cargo bench -p asl-bench --bench api`: StartExecution and DescribeExecution requests a
//! second through the API server, with p50 and p99 latency, in memory and on a SQLite store,
//! throttling off. The server (two worker threads) and the load generator (50 keep-alive
//! connections on a runtime of its own) share this machine. The machine started is the `noop`
//! benchmark workflow (one Pass state), so the figures are the API's, not a workflow's.

use std::sync::Arc;
use std::time::{Duration, Instant};

use asl_server::client::Client;
use asl_server::{Server, Throttle};
use serde_json::json;

const CLIENTS: usize = 50;
const CALLS: usize = 20_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

/// `CALLS` calls of `operation` with the bodies `body(i)` spread over `CLIENTS` connections:
/// calls a second, p50, p99, failures.
fn drive(
    rt: &tokio::runtime::Runtime,
    addr: std::net::SocketAddr,
    operation: &'static str,
    body: Arc<dyn Fn(usize) -> serde_json::Value + Send + Sync>,
) -> (f64, Duration, Duration, usize) {
    let start = Instant::now();
    let results = rt.block_on(async {
        let mut tasks = Vec::new();
        for c in 0..CLIENTS {
            let body = body.clone();
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut failed = 0;
                let Ok(mut client) = Client::connect(addr).await else {
                    return (latencies, CALLS / CLIENTS);
                };
                for i in (c..CALLS).step_by(CLIENTS) {
                    let t = Instant::now();
                    match client.call(operation, &body(i)).await {
                        Ok((200, _)) => latencies.push(t.elapsed()),
                        _ => failed += 1,
                    }
                }
                (latencies, failed)
            }));
        }
        let mut all = Vec::new();
        let mut failed = 0;
        for t in tasks {
            if let Ok((l, f)) = t.await {
                all.extend(l);
                failed += f;
            }
        }
        (all, failed)
    });
    let took = start.elapsed().as_secs_f64();
    let (mut latencies, failed) = results;
    latencies.sort_unstable();
    (
        latencies.len() as f64 / took.max(1e-9),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        failed,
    )
}

fn main() {
    let Some((machine, _)) = asl_bench::machine("noop") else {
        println!("SKIPPED: no benchmark workflows (is shared/bench beside the checkout?)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("asl-api-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::create_dir_all(&dir);
    println!(
        "\n{:<12} {:<18} {:>10} {:>10} {:>10} {:>7}",
        "store", "operation", "calls/s", "p50 µs", "p99 µs", "failed"
    );
    for store in [None, Some(dir.join("api.db"))] {
        let server_rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let client_rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let mut builder = Server::builder()
            .machine(machine.clone())
            .bind("127.0.0.1:0")
            .throttle(Throttle::unlimited());
        if let Some(path) = &store {
            builder = builder.store(path);
        }
        let server = server_rt
            .block_on(builder.build())
            .expect("the server starts");
        let addr = server.local_addr().expect("an address");
        server_rt.spawn(server.serve());
        let arn = format!(
            "arn:aws:states:us-east-1:111111111111:stateMachine:{}",
            machine.name()
        );
        let execution = format!(
            "arn:aws:states:us-east-1:111111111111:execution:{}:",
            machine.name()
        );
        let kind = if store.is_some() { "SQLite" } else { "memory" };
        let start_arn = arn.clone();
        let start: Arc<dyn Fn(usize) -> serde_json::Value + Send + Sync> = Arc::new(
            move |i| json!({"stateMachineArn": start_arn, "name": format!("run-{i}"), "input": "{\"n\": 1}"}),
        );
        let (rate, p50, p99, failed) = drive(&client_rt, addr, "StartExecution", start);
        println!(
            "{kind:<12} {:<18} {rate:>10.0} {:>10} {:>10} {failed:>7}",
            "StartExecution",
            p50.as_micros(),
            p99.as_micros()
        );
        let describe: Arc<dyn Fn(usize) -> serde_json::Value + Send + Sync> =
            Arc::new(move |i| json!({"executionArn": format!("{execution}run-{i}")}));
        let (rate, p50, p99, failed) = drive(&client_rt, addr, "DescribeExecution", describe);
        println!(
            "{kind:<12} {:<18} {rate:>10.0} {:>10} {:>10} {failed:>7}",
            "DescribeExecution",
            p50.as_micros(),
            p99.as_micros()
        );
        drop(client_rt);
        server_rt.shutdown_timeout(Duration::from_secs(1));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
