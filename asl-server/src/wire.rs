//! Values as AWS's JSON protocol writes them that only the server needs (executions are
//! `Description::to_list_item` and `to_described`): page tokens, histories without payloads.

use serde_json::Value;

/// A timestamp as epoch seconds, to the millisecond.
pub use asl_runtime::engine::epoch_seconds as epoch;

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
    use serde_json::json;

    use super::*;

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
