//! `cargo bench -p asl-bench --bench api`: StartExecution and DescribeExecution requests a
//! second through the API server, with p50 and p99 latency, in memory and on a SQLite store,
//! throttling off. The server (two worker threads) and the load generator (50 keep-alive
//! connections on a runtime of its own) share this machine. The machine started is the `noop`
//! benchmark workflow (one Pass state), so the figures are the API's, not a workflow's. With
//! `ASL_BENCH_MOTO=127.0.0.1:5000` it also drives moto's server (`moto_server -p 5000`) with the
//! same clients, 2,000 calls of each.

use std::sync::Arc;
use std::time::{Duration, Instant};

use asl_server::client::Client;
use asl_server::{Server, Throttle};
use serde_json::json;

const CLIENTS: usize = 50;
const CALLS: usize = 20_000;
/// Calls against moto's server, much slower.
const MOTO_CALLS: usize = 2_000;
/// moto routes a request to a service by the credential scope of its `Authorization` header
/// (it checks no signature).
const MOTO_AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/states/aws4_request, SignedHeaders=host, Signature=0";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

/// `calls` calls of `operation` with the bodies `body(i)` spread over `CLIENTS` connections
/// (with an `Authorization` header when given):
/// calls a second, p50, p99, failures.
fn drive(
    rt: &tokio::runtime::Runtime,
    addr: std::net::SocketAddr,
    operation: &'static str,
    calls: usize,
    authorization: Option<&'static str>,
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
                    return (latencies, calls / CLIENTS);
                };
                if let Some(value) = authorization {
                    client = client.with_header("Authorization", value);
                }
                for i in (c..calls).step_by(CLIENTS) {
                    let t = Instant::now();
                    match client.call_target(operation, &body(i)).await {
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
        let (rate, p50, p99, failed) = drive(
            &client_rt,
            addr,
            "AWSStepFunctions.StartExecution",
            CALLS,
            None,
            start,
        );
        println!(
            "{kind:<12} {:<18} {rate:>10.0} {:>10} {:>10} {failed:>7}",
            "StartExecution",
            p50.as_micros(),
            p99.as_micros()
        );
        // The newest 5,000, over and over: a server without a store keeps the 10,000 most
        // recently closed executions (in the order they closed, not started).
        let describe: Arc<dyn Fn(usize) -> serde_json::Value + Send + Sync> = Arc::new(move |i| {
            let n = CALLS - 5_000 + i % 5_000;
            json!({"executionArn": format!("{execution}run-{n}")})
        });
        let (rate, p50, p99, failed) = drive(
            &client_rt,
            addr,
            "AWSStepFunctions.DescribeExecution",
            CALLS,
            None,
            describe,
        );
        println!(
            "{kind:<12} {:<18} {rate:>10.0} {:>10} {:>10} {failed:>7}",
            "DescribeExecution",
            p50.as_micros(),
            p99.as_micros()
        );
        // PutEvents end to end: one entry a call, matched by a rule whose target is the
        // machine (the start it owes recorded, then made).
        let made = client_rt.block_on(async {
            let mut c = Client::connect(addr).await.ok()?;
            let pattern = json!({"source": ["bench"]}).to_string();
            c.call_events(
                "PutRule",
                &json!({"Name": "bench", "EventPattern": pattern}),
            )
            .await
            .ok()?;
            let targets = json!({"Rule": "bench", "Targets": [{"Id": "t", "Arn": arn}]});
            c.call_events("PutTargets", &targets).await.ok()
        });
        if made.is_some() {
            let put: Arc<dyn Fn(usize) -> serde_json::Value + Send + Sync> = Arc::new(
                |i| json!({"Entries": [{"Source": "bench", "DetailType": "Tick", "Detail": format!("{{\"n\": {i}}}")}]}),
            );
            let (rate, p50, p99, failed) =
                drive(&client_rt, addr, "AWSEvents.PutEvents", CALLS, None, put);
            println!(
                "{kind:<12} {:<18} {rate:>10.0} {:>10} {:>10} {failed:>7}",
                "PutEvents",
                p50.as_micros(),
                p99.as_micros()
            );
        }
        drop(client_rt);
        server_rt.shutdown_timeout(Duration::from_secs(1));
    }
    let _ = std::fs::remove_dir_all(&dir);
    if let Some(moto) = std::env::var("ASL_BENCH_MOTO")
        .ok()
        .and_then(|a| a.parse().ok())
    {
        self::moto(moto);
    }
}

/// The same load on moto's server at `addr` (`ASL_BENCH_MOTO=127.0.0.1:5000`, started with
/// `moto_server -p 5000`), on a one-Pass machine created there, with `MOTO_CALLS` calls.
fn moto(addr: std::net::SocketAddr) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let definition = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}});
    let created = rt.block_on(async {
        let mut client = Client::connect(addr)
            .await
            .ok()?
            .with_header("Authorization", MOTO_AUTH);
        let body = json!({"name": "noop", "definition": definition.to_string(),
            "roleArn": "arn:aws:iam::123456789012:role/bench"});
        let (_, answer) = client.call("CreateStateMachine", &body).await.ok()?;
        answer["stateMachineArn"].as_str().map(str::to_owned)
    });
    let Some(arn) = created else {
        println!("moto at {addr}: the state machine could not be created");
        return;
    };
    let start_arn = arn.clone();
    let start: Arc<dyn Fn(usize) -> serde_json::Value + Send + Sync> = Arc::new(
        move |i| json!({"stateMachineArn": start_arn, "name": format!("run-{i}"), "input": "{\"n\": 1}"}),
    );
    let (rate, p50, p99, failed) = drive(
        &rt,
        addr,
        "AWSStepFunctions.StartExecution",
        MOTO_CALLS,
        Some(MOTO_AUTH),
        start,
    );
    println!(
        "{:<12} {:<18} {rate:>10.0} {:>10} {:>10} {failed:>7}",
        "moto",
        "StartExecution",
        p50.as_micros(),
        p99.as_micros()
    );
    let execution = arn.replace(":stateMachine:", ":execution:");
    let describe: Arc<dyn Fn(usize) -> serde_json::Value + Send + Sync> =
        Arc::new(move |i| json!({"executionArn": format!("{execution}:run-{}", i % MOTO_CALLS)}));
    let (rate, p50, p99, failed) = drive(
        &rt,
        addr,
        "AWSStepFunctions.DescribeExecution",
        MOTO_CALLS,
        Some(MOTO_AUTH),
        describe,
    );
    println!(
        "{:<12} {:<18} {rate:>10.0} {:>10} {:>10} {failed:>7}",
        "moto",
        "DescribeExecution",
        p50.as_micros(),
        p99.as_micros()
    );
}
