//! The server under load and killed: 10,000 StartExecution calls from 50 concurrent clients
//! against the example server (`server` binary, a SQLite store, throttling off); the process
//! is killed with SIGKILL halfway and started again on the same store. Every execution whose
//! start was acknowledged is there after the restart and ends SUCCEEDED; none is lost.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use asl_server::client::Client;
use serde_json::json;

mod support;

use support::start_server;

const CLIENTS: usize = 50;
const CALLS: usize = 10_000;
const ORDER: &str = "arn:aws:states:us-east-1:111111111111:stateMachine:Order";

/// Sends a StartExecution call for each of `names` over `CLIENTS` connections until they are
/// done or the server goes away; returns the names acknowledged (or found started already).
async fn load(addr: SocketAddr, names: Vec<String>, acked: Arc<AtomicUsize>) -> Vec<String> {
    let names = Arc::new(std::sync::Mutex::new(names));
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let names = names.clone();
        let acked = acked.clone();
        clients.push(tokio::spawn(async move {
            let mut ok = Vec::new();
            let Ok(mut client) = Client::connect(addr).await else {
                return ok;
            };
            loop {
                let Some(name) = names.lock().unwrap_or_else(|e| e.into_inner()).pop() else {
                    return ok;
                };
                let input =
                    json!({"orderId": name, "address": "Main St", "items": [{"price": 2.0}]});
                let body =
                    json!({"stateMachineArn": ORDER, "name": name, "input": input.to_string()});
                match client.call("StartExecution", &body).await {
                    Ok((200, _)) => {
                        acked.fetch_add(1, Ordering::Relaxed);
                        ok.push(name);
                    }
                    // Recorded before a kill that came before the answer: it exists, and
                    // is looked for with the acknowledged ones.
                    Ok((400, e))
                        if e["__type"]
                            .as_str()
                            .is_some_and(|t| t.ends_with("#ExecutionAlreadyExists")) =>
                    {
                        ok.push(name);
                    }
                    // The server went away: the name was not acknowledged.
                    _ => return ok,
                }
            }
        }));
    }
    let mut ok = Vec::new();
    for c in clients {
        ok.extend(c.await.unwrap_or_default());
    }
    ok
}

#[test]
fn no_acknowledged_start_is_lost_when_the_server_is_killed_under_load() {
    let dir = std::env::temp_dir().join(format!("asl-api-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let store = dir.join("executions.db");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");

    let all: Vec<String> = (0..CALLS).map(|i| format!("load-{i}")).collect();
    let (mut server, addr) = start_server(&store);
    let acked = Arc::new(AtomicUsize::new(0));
    let before = rt.block_on(async {
        let running = tokio::spawn(load(addr, all.clone(), acked.clone()));
        while acked.load(Ordering::Relaxed) < CALLS / 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.kill().expect("SIGKILL");
        running.await.unwrap_or_default()
    });
    let _ = server.wait();
    assert!(before.len() >= CALLS / 2);

    // Started again on the same store: the rest of the calls, then every acknowledged one is
    // looked for.
    let (mut server, addr) = start_server(&store);
    let done: HashSet<String> = before.iter().cloned().collect();
    let rest: Vec<String> = all.iter().filter(|n| !done.contains(*n)).cloned().collect();
    let (after, lost) = rt.block_on(async {
        let after = load(addr, rest, Arc::new(AtomicUsize::new(0))).await;
        let mut client = Client::connect(addr).await.expect("connects");
        let mut lost = Vec::new();
        for name in before.iter().chain(&after) {
            let arn = format!("arn:aws:states:us-east-1:111111111111:execution:Order:{name}");
            let mut status = String::new();
            for _ in 0..600 {
                match client
                    .call("DescribeExecution", &json!({"executionArn": arn}))
                    .await
                {
                    Ok((200, d)) => status = d["status"].as_str().unwrap_or("").to_owned(),
                    other => {
                        status = format!("{other:?}");
                        break;
                    }
                }
                if status != "RUNNING" {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            if status != "SUCCEEDED" {
                lost.push((name.clone(), status));
            }
        }
        (after, lost)
    });
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "api-load: {} starts acknowledged before the kill, {} after the restart, {} lost",
        before.len(),
        after.len(),
        lost.len()
    );
    assert!(
        lost.is_empty(),
        "lost or not succeeded: {:?}",
        &lost[..lost.len().min(10)]
    );
    assert_eq!(
        before.len() + after.len(),
        CALLS,
        "every call was answered once"
    );
}
