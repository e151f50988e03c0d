//! Delivery you can rely on: the starts an accepted event owes are recorded in the store
//! before PutEvents answers, each under an execution name derived from the event, the rule
//! and the target, then performed; one the process did not finish is performed again when the
//! server starts. A start is idempotent on its name, so a delivery performed twice starts one
//! execution: every matching target is started exactly once. A start that fails is retried
//! with exponential back-off, as EventBridge's default retry policy does (24 hours, 185
//! attempts), then recorded as failed.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::bus::Delivery;
use crate::api::Api;

/// The store's kind for deliveries not yet performed.
pub(crate) const PENDING: &str = "event-delivery";
/// The store's kind for deliveries given up on.
pub(crate) const FAILED: &str = "event-delivery-failed";

/// EventBridge's default retry policy.
const MAX_ATTEMPTS: u32 = 185;
const MAX_AGE: Duration = Duration::from_secs(24 * 3600);
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// The execution name of the start an event owes a rule's target: the same whenever it is
/// computed, so starting it again is starting the same execution.
pub(crate) fn execution_name(event_id: &str, bus: &str, d: &Delivery) -> String {
    let mut hash = Sha256::new();
    for part in [event_id, bus, &d.rule, &d.target] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    format!("event-{}", &hex::encode(hash.finalize())[..32])
}

/// A delivery as the store keeps it.
pub(crate) fn record(name: &str, d: &Delivery) -> Value {
    json!({
        "name": name,
        "rule": d.rule,
        "target": d.target,
        "stateMachineArn": d.state_machine_arn,
        "input": d.input,
        "since": jiff::Timestamp::now().to_string(),
    })
}

/// Performs the delivery `record` (kept in the store as `name`) in the background, until it
/// is done or given up on.
pub(crate) fn spawn(api: Arc<Api>, name: String, record: Value) {
    tokio::spawn(async move {
        let since = record["since"]
            .as_str()
            .and_then(|s| s.parse::<jiff::Timestamp>().ok())
            .unwrap_or_else(jiff::Timestamp::now);
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            match start(&api, &name, &record).await {
                Ok(()) => {
                    forget(&api, &name, None).await;
                    return;
                }
                Err(why) => {
                    let age = jiff::Timestamp::now().duration_since(since);
                    let too_old = age.as_secs() >= MAX_AGE.as_secs() as i64;
                    if attempt >= MAX_ATTEMPTS || too_old {
                        tracing::error!(delivery = %name, error = %why, attempts = attempt, "an event's target could not be started: given up");
                        let mut failed = record.clone();
                        failed["error"] = json!(why);
                        failed["attempts"] = json!(attempt);
                        forget(&api, &name, Some(failed)).await;
                        return;
                    }
                    tracing::warn!(delivery = %name, error = %why, attempt, "an event's target could not be started: retrying");
                    let backoff = Duration::from_secs(1u64 << attempt.min(9)).min(MAX_BACKOFF);
                    tokio::time::sleep(backoff).await;
                }
            }
        }
    });
}

/// Starts the delivery's execution; an execution of that name that exists already is the
/// delivery done before.
async fn start(api: &Api, name: &str, record: &Value) -> Result<(), String> {
    let arn = record["stateMachineArn"].as_str().unwrap_or_default();
    let machine = api.machine(arn).map_err(|e| e.to_string())?;
    let execution_arn = api.execution_arn(&machine, name);
    let input = record["input"].clone();
    match machine.kind {
        crate::registry::MachineType::Standard => {
            match crate::api::start_standard(&machine, name, &execution_arn, input, None).await {
                Ok(_) => Ok(()),
                Err(e) if e.code == "ExecutionAlreadyExists" => Ok(()),
                Err(e) => Err(format!("{}: {}", e.code, e.message)),
            }
        }
        crate::registry::MachineType::Express => {
            let config = Api::config(&machine, name, &execution_arn);
            drop(machine.machine.start_with(input, config));
            Ok(())
        }
    }
}

/// Removes a delivery from the pending ones (recording it as `failed` when given), committed
/// with other deliveries' changes.
async fn forget(api: &Api, name: &str, failed: Option<Value>) {
    if let Some(store) = &api.store {
        let mut changes = vec![(PENDING.to_owned(), name.to_owned(), None)];
        if let Some(f) = failed {
            changes.push((FAILED.to_owned(), name.to_owned(), Some(f)));
        }
        if let Err(e) = store.put_resources_later(changes).await {
            tracing::error!(delivery = %name, error = %e, "the store could not record a delivery's end");
        }
    }
}
