//! An order's fulfilment, the workflow the Temporal examples run on a cluster: check the
//! order (a flaky service, retried), let it settle (a Wait), price each item (a Map), and wait
//! for a person's approval (a task token, answered with SendTaskSuccess).

use std::time::Duration;

use asl_runtime::{Failure, Machine, TaskContext};
use serde_json::{Value, json};

asl_runtime::asl!(path = "../workflows/fulfilment.asl.json", name = Fulfilment);

/// The machine. The check takes the order's `checkMillis` (default 0) to answer and fails
/// once with `Flaky` on its first attempt for orders whose `flaky` is true; an item costs 10
/// per unit; the approval request "goes out" with its token, which whoever approves reads
/// from the execution's history (the TaskScheduled event's parameters) as from a queue.
pub fn machine() -> Machine {
    Fulfilment::builder()
        .check_order(|order: Value, call: TaskContext| async move {
            let millis = order["checkMillis"].as_u64().unwrap_or(0);
            tokio::time::sleep(Duration::from_millis(millis)).await;
            if order["flaky"] == json!(true) && call.retry_count == 0 {
                return Err(Failure::new("Flaky", "the check service hiccuped"));
            }
            Ok::<_, Failure>(json!({"ok": true}))
        })
        .price_item(|item: Value| async move {
            Ok::<_, Failure>(json!(item["units"].as_u64().unwrap_or(0) * 10))
        })
        .approve(|_message: Value| async move { Ok::<_, Failure>(json!({"MessageId": "m-1"})) })
        .build()
}

/// The output an order's fulfilment ends with once `by` approved it.
pub fn expected_output(order: &Value, by: &str) -> Value {
    let prices: Vec<Value> = order["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| json!(i["units"].as_u64().unwrap_or(0) * 10))
                .collect()
        })
        .unwrap_or_default();
    json!({"id": order["id"], "ok": true, "prices": prices, "approvedBy": by})
}

/// The token of the approval an execution's history shows waiting, if it has reached it.
pub fn approval_token(history: &[asl_runtime::history::Event]) -> Option<String> {
    history.iter().rev().find_map(|e| {
        let v = serde_json::to_value(e).ok()?;
        let params = v["taskScheduledEventDetails"]["parameters"].as_str()?;
        let params: Value = serde_json::from_str(params).ok()?;
        params["MessageBody"]["taskToken"]
            .as_str()
            .map(str::to_owned)
    })
}
