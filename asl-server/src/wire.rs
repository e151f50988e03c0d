//! Values as AWS's JSON protocol writes them: timestamps in epoch seconds, payloads as JSON
//! text, executions with AWS's member names.

use asl_runtime::Description;
use serde_json::{Map, Value, json};

/// A timestamp as epoch seconds, to the millisecond.
pub fn epoch(t: jiff::Timestamp) -> Value {
    json!(t.as_millisecond() as f64 / 1000.0)
}

/// An execution as ListExecutions lists it.
pub fn execution_item(d: &Description) -> Value {
    let mut m = Map::new();
    m.insert("executionArn".into(), json!(d.execution_arn));
    m.insert("stateMachineArn".into(), json!(d.state_machine_arn));
    m.insert("name".into(), json!(d.name));
    m.insert("status".into(), json!(d.status.as_str()));
    m.insert("startDate".into(), epoch(d.start_date));
    if let Some(stop) = d.stop_date {
        m.insert("stopDate".into(), epoch(stop));
    }
    m.insert("redriveCount".into(), json!(0));
    Value::Object(m)
}

/// An execution as DescribeExecution describes it.
pub fn execution(d: &Description) -> Value {
    let mut v = execution_item(d);
    if let Value::Object(m) = &mut v {
        m.insert("input".into(), json!(d.input.to_string()));
        m.insert("inputDetails".into(), json!({"included": true}));
        if let Some(output) = &d.output {
            m.insert("output".into(), json!(output.to_string()));
            m.insert("outputDetails".into(), json!({"included": true}));
        }
        if let Some(error) = &d.error {
            m.insert("error".into(), json!(error));
        }
        if let Some(cause) = &d.cause {
            m.insert("cause".into(), json!(cause));
        }
        m.insert("redriveCount".into(), json!(0));
        // Redrive is not served: no execution here can be redriven.
        m.insert("redriveStatus".into(), json!("NOT_REDRIVABLE"));
        m.insert(
            "redriveStatusReason".into(),
            json!(format!(
                "Execution is {} and cannot be redriven",
                d.status.as_str()
            )),
        );
    }
    v
}

/// A history event without its payloads (GetExecutionHistory with
/// `includeExecutionData: false`): inputs, outputs and task parameters left out.
pub fn without_data(mut event: Value) -> Value {
    if let Value::Object(m) = &mut event {
        for (key, details) in m.iter_mut() {
            if key.ends_with("EventDetails")
                && let Value::Object(d) = details
            {
                for payload in ["input", "output", "parameters"] {
                    d.remove(payload);
                }
            }
        }
    }
    event
}

/// A page token: where the next page starts in a listing of `scope`, base64 so clients treat
/// it as opaque.
pub fn page_token(scope: &str, offset: usize) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{offset}:{scope}"))
}

/// Where a page token says the next page of `scope` starts; `None` when it is not a token of
/// this listing.
pub fn page_offset(scope: &str, token: &str) -> Option<usize> {
    use base64::Engine as _;
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    let text = String::from_utf8(text).ok()?;
    let (offset, of) = text.split_once(':')?;
    (of == scope).then(|| offset.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_epoch_seconds_to_the_millisecond() {
        let t = jiff::Timestamp::from_millisecond(1_700_000_000_250).expect("a time");
        assert_eq!(epoch(t), json!(1_700_000_000.25));
    }

    #[test]
    fn page_tokens_belong_to_their_listing() {
        let token = page_token("arn:a", 200);
        assert_eq!(page_offset("arn:a", &token), Some(200));
        assert_eq!(page_offset("arn:b", &token), None);
        assert_eq!(page_offset("arn:a", "garbage!"), None);
    }

    #[test]
    fn without_data_drops_payloads_only() {
        let event = json!({"id": 2, "type": "PassStateEntered",
            "stateEnteredEventDetails": {"name": "A", "input": "{}", "inputDetails": {"truncated": false}}});
        assert_eq!(
            without_data(event),
            json!({"id": 2, "type": "PassStateEntered",
                "stateEnteredEventDetails": {"name": "A", "inputDetails": {"truncated": false}}})
        );
    }
}
