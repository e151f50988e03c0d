//! Accepted events are delivered exactly once, even when the server is killed: events are put
//! on the example server (`server` binary, a SQLite store) from 10 clients, the process is
//! killed with SIGKILL once half of them are acknowledged and started again on the same store;
//! every acknowledged event has started exactly one execution of its rule's target, and an
//! event in flight at the kill at most one.

use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use asl_server::client::Client;
use serde_json::{Value, json};

mod support;

use support::start_server;

const EVENTS: usize = 400;
const CLIENTS: usize = 10;
const ORDER: &str = "arn:aws:states:us-east-1:111111111111:stateMachine:Order";

fn order(i: usize) -> Value {
    json!({"orderId": format!("ev-{i}"), "address": "Main St", "items": [{"price": 1.0}]})
}

/// Puts one event a call for each of `ids` over `CLIENTS` connections until they are done or
/// the server goes away: the ids acknowledged, and the ids sent but not answered.
async fn put(
    addr: SocketAddr,
    ids: Vec<usize>,
    acked: Arc<AtomicUsize>,
) -> (Vec<usize>, Vec<usize>) {
    let queue = Arc::new(std::sync::Mutex::new(ids));
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let queue = queue.clone();
        let acked = acked.clone();
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut lost) = (Vec::new(), Vec::new());
            let Ok(mut client) = Client::connect(addr).await else {
                return (ok, lost);
            };
            loop {
                let Some(i) = queue.lock().unwrap_or_else(|e| e.into_inner()).pop() else {
                    return (ok, lost);
                };
                let entry = json!({"Source": "shop", "DetailType": "OrderPlaced", "Detail": order(i).to_string()});
                match client.call_events("PutEvents", &json!({"Entries": [entry]})).await {
                    Ok((200, answer)) if answer["FailedEntryCount"] == 0 => {
                        acked.fetch_add(1, Ordering::Relaxed);
                        ok.push(i);
                    }
                    _ => {
                        lost.push(i);
                        return (ok, lost);
                    }
                }
            }
        }));
    }
    let (mut ok, mut lost) = (Vec::new(), Vec::new());
    for t in tasks {
        let (o, l) = t.await.unwrap_or_default();
        ok.extend(o);
        lost.extend(l);
    }
    (ok, lost)
}

/// How many executions of `Order` each order id started.
async fn started(addr: SocketAddr) -> HashMap<String, usize> {
    let mut client = Client::connect(addr).await.expect("connects");
    let mut counts = HashMap::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"stateMachineArn": ORDER, "maxResults": 1000});
        if let Some(t) = &token {
            body["nextToken"] = json!(t);
        }
        let (_, page) = client.call("ListExecutions", &body).await.expect("listed");
        for e in page["executions"].as_array().into_iter().flatten() {
            let (_, d) = client
                .call(
                    "DescribeExecution",
                    &json!({"executionArn": e["executionArn"]}),
                )
                .await
                .expect("described");
            let input: Value =
                serde_json::from_str(d["input"].as_str().unwrap_or("null")).unwrap_or(Value::Null);
            if let Some(id) = input["orderId"].as_str() {
                *counts.entry(id.to_owned()).or_default() += 1;
            }
        }
        match page["nextToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => return counts,
        }
    }
}

#[test]
fn accepted_events_start_their_targets_exactly_once_across_a_kill() {
    let dir = std::env::temp_dir().join(format!("asl-events-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let store = dir.join("executions.db");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");

    let (mut server, addr) = start_server(&store);
    let acked = Arc::new(AtomicUsize::new(0));
    let (before, in_flight) = rt.block_on(async {
        let mut client = Client::connect(addr).await.expect("connects");
        let pattern = json!({"source": ["shop"], "detail-type": ["OrderPlaced"]}).to_string();
        let (s, _) = client.call_events("PutRule", &json!({"Name": "orders", "EventPattern": pattern})).await.expect("answered");
        assert_eq!(s, 200);
        let targets = json!({"Rule": "orders", "Targets": [{"Id": "o", "Arn": ORDER, "InputPath": "$.detail"}]});
        let (s, _) = client.call_events("PutTargets", &targets).await.expect("answered");
        assert_eq!(s, 200);
        let sending = tokio::spawn(put(addr, (0..EVENTS).collect(), acked.clone()));
        while acked.load(Ordering::Relaxed) < EVENTS / 2 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        server.kill().expect("SIGKILL");
        sending.await.unwrap_or_default()
    });
    let _ = server.wait();

    // Started again: the rule is still there; the events not sent yet are sent now.
    let (mut server, addr) = start_server(&store);
    let sent: BTreeSet<usize> = before.iter().chain(&in_flight).copied().collect();
    let rest: Vec<usize> = (0..EVENTS).filter(|i| !sent.contains(i)).collect();
    let (after, lost_again) = rt.block_on(put(addr, rest, Arc::new(AtomicUsize::new(0))));
    assert!(
        lost_again.is_empty(),
        "the restarted server answered every call"
    );
    // Deliveries happen in the background: wait until every acknowledged event has started.
    let acknowledged: Vec<usize> = before.iter().chain(&after).copied().collect();
    let mut counts = HashMap::new();
    for _ in 0..300 {
        counts = rt.block_on(started(addr));
        if acknowledged
            .iter()
            .all(|i| counts.contains_key(&format!("ev-{i}")))
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);

    let missing: Vec<&usize> = acknowledged
        .iter()
        .filter(|i| !counts.contains_key(&format!("ev-{i}")))
        .collect();
    let repeated: Vec<(&String, &usize)> = counts.iter().filter(|(_, n)| **n > 1).collect();
    println!(
        "events-kill: {} events acknowledged before the kill, {} in flight, {} after; {} not started, {} started twice",
        before.len(),
        in_flight.len(),
        after.len(),
        missing.len(),
        repeated.len()
    );
    assert!(
        missing.is_empty(),
        "acknowledged events that started nothing: {missing:?}"
    );
    assert!(
        repeated.is_empty(),
        "events that started more than one execution: {repeated:?}"
    );
}
