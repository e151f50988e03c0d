//! TagResource, UntagResource and ListTagsForResource on the state machines served.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::api::Api;
use crate::error::ApiError;
use crate::validate::{self, required};

/// The `tags` member (`[{"key", "value"}]`) added to `into`.
pub(crate) fn read_tags(body: &Value, into: &mut BTreeMap<String, String>) -> Result<(), ApiError> {
    let Some(tags) = body.get("tags").filter(|t| !t.is_null()) else {
        return Ok(());
    };
    let Some(tags) = tags.as_array() else {
        return Err(ApiError::serialization("tags must be a list"));
    };
    for tag in tags {
        let key = required(tag, "key")?;
        validate::length(key, "tags.member.key", 1, 128)?;
        let value = validate::string(tag, "value")?.unwrap_or_default();
        validate::length(value, "tags.member.value", 0, 256)?;
        into.insert(key.to_owned(), value.to_owned());
    }
    if into.len() > 50 {
        return Err(ApiError::new(
            "TooManyTags",
            format!(
                "Too Many Tags: a resource has at most 50 tags, this one would have {}",
                into.len()
            ),
        ));
    }
    Ok(())
}

/// The name of the state machine a tagging request names (`ResourceNotFound` when the server
/// does not serve it).
fn machine_name(api: &Api, arn: &str) -> Result<String, ApiError> {
    let name = validate::state_machine_arn(arn)?;
    match api.read().active(name) {
        Some(r) if r.arn == arn => Ok(name.to_owned()),
        _ => Err(ApiError::new(
            "ResourceNotFound",
            format!("Resource not found: '{arn}'"),
        )),
    }
}

/// TagResource.
pub(crate) fn tag(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let arn = required(body, "resourceArn")?;
    let name = machine_name(api, arn)?;
    {
        let mut registry = api.write();
        if let Some(r) = registry.machines.get_mut(&name) {
            let mut tags = r.tags.clone();
            read_tags(body, &mut tags)?;
            r.tags = tags;
        }
    }
    api.persist(&name)?;
    Ok(json!({}))
}

/// UntagResource.
pub(crate) fn untag(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let arn = required(body, "resourceArn")?;
    let name = machine_name(api, arn)?;
    let keys: Vec<String> = body["tagKeys"]
        .as_array()
        .map(|ks| {
            ks.iter()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if let Some(r) = api.write().machines.get_mut(&name) {
        for k in keys {
            r.tags.remove(&k);
        }
    }
    api.persist(&name)?;
    Ok(json!({}))
}

/// ListTagsForResource.
pub(crate) fn list(api: &Api, body: &Value) -> Result<Value, ApiError> {
    let arn = required(body, "resourceArn")?;
    let name = machine_name(api, arn)?;
    let tags: Vec<Value> = api
        .read()
        .machines
        .get(&name)
        .map(|r| {
            r.tags
                .iter()
                .map(|(k, v)| json!({"key": k, "value": v}))
                .collect()
        })
        .unwrap_or_default();
    Ok(json!({ "tags": tags }))
}
