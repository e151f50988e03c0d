//! Amazon EventBridge: `events:putEvents` (failing with `EventBridge.FailedEntry` when an
//! entry is refused, as the optimized integration does) and `aws-sdk:eventbridge:putEvents`.

use std::sync::Arc;

use asl_runtime::{BoxHandler, Failure};
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use aws_types::request_id::RequestId;
use serde_json::{Map, Value};

use super::error::failure;
use super::params::{Params, answer, put};
use super::{Call, Clients, boxed};

/// The handler of the putEvents integrations.
pub(super) fn handler(clients: Arc<Clients>, call: Call) -> BoxHandler {
    boxed(clients, call, |clients, call, params| {
        Box::pin(async move { put_events(&clients, &call, &params).await })
    })
}

async fn put_events(clients: &Clients, call: &Call, params: &Value) -> Result<Value, Failure> {
    let p = Params::new(params, call.errors);
    let mut request = clients.eventbridge.put_events();
    for entry in p.opt_array("Entries")?.into_iter().flatten() {
        let e = Params::new(entry, call.errors);
        let resources = e.opt_array("Resources")?.map(|rs| {
            rs.iter()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect()
        });
        request = request.entries(
            PutEventsRequestEntry::builder()
                .set_source(e.opt_string("Source")?)
                .set_detail_type(e.opt_string("DetailType")?)
                .set_detail(e.opt_text("Detail")?)
                .set_event_bus_name(e.opt_string("EventBusName")?)
                .set_trace_header(e.opt_string("TraceHeader")?)
                .set_resources(resources)
                .build(),
        );
    }
    let output = request.send().await.map_err(|e| failure(call.errors, e))?;
    let entries: Vec<Value> = output
        .entries()
        .iter()
        .map(|e| {
            let mut r = Map::new();
            put(&mut r, "EventId", e.event_id());
            put(&mut r, "ErrorCode", e.error_code());
            put(&mut r, "ErrorMessage", e.error_message());
            Value::Object(r)
        })
        .collect();
    let failed = output.failed_entry_count();
    let mut result = Map::new();
    result.insert("Entries".into(), Value::Array(entries));
    result.insert("FailedEntryCount".into(), failed.into());
    let result = answer(call.sdk, result, output.request_id());
    if failed > 0 && !call.sdk {
        return Err(Failure::new("EventBridge.FailedEntry", result.to_string()));
    }
    Ok(result)
}
