//! A Lambda function's invocation as the function sees it: the payload it receives from the
//! Invoke integration's parameters, and the context Lambda gives it.

use serde_json::Value;

use crate::task::{FunctionContext, TaskContext};

/// How a Task invokes a Lambda function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `arn:aws:states:::lambda:invoke` (with any pattern): the function is named by the
    /// `FunctionName` parameter, its event is the `Payload` parameter.
    Invoke,
    /// The function's own ARN as the resource: the effective input is its event.
    Function,
}

/// How `resource` invokes a Lambda function, if it does.
pub(crate) fn kind(resource: &str) -> Option<Kind> {
    use asl_lang::resource::{integration, is_function_arn};
    if is_function_arn(resource) {
        return Some(Kind::Function);
    }
    integration(resource)
        .filter(|i| !i.sdk && i.service == "lambda" && i.action == "invoke")
        .map(|_| Kind::Invoke)
}

/// The event a function invoked with `parameters` receives (Invoke takes bytes: no payload is
/// `{}`, a string is the JSON text of the event, or the string itself when it holds no JSON),
/// and the `FunctionName` it was invoked by.
pub(super) fn invocation(parameters: Value) -> (Value, String) {
    let Value::Object(mut parameters) = parameters else {
        return (Value::Object(serde_json::Map::new()), String::new());
    };
    let function = match parameters.remove("FunctionName") {
        Some(Value::String(name)) => name,
        _ => String::new(),
    };
    let payload = match parameters.remove("Payload") {
        None | Some(Value::Null) => Value::Object(serde_json::Map::new()),
        Some(Value::String(text)) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
        Some(other) => other,
    };
    (payload, function)
}

/// What Lambda's context tells the function `function` (a name, `name:qualifier`, a partial
/// ARN `account:function:name` or a full ARN) about this call: names resolved in the
/// execution's region and account, as Lambda resolves them.
pub(super) fn function_context(function: &str, call: &TaskContext) -> FunctionContext {
    // arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME
    let mut parts = call.execution_arn.split(':').skip(3);
    let region = parts
        .next()
        .filter(|r| !r.is_empty())
        .unwrap_or("us-east-1");
    let account = parts
        .next()
        .filter(|a| !a.is_empty())
        .unwrap_or("111111111111");
    let fields: Vec<&str> = function.split(':').collect();
    let (region, account, name, qualifier) = match fields.as_slice() {
        // arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
        [
            "arn",
            _,
            "lambda",
            region,
            account,
            "function",
            name,
            rest @ ..,
        ] => (*region, *account, *name, rest.first().copied()),
        // ACCOUNT:function:NAME[:QUALIFIER]
        [account, "function", name, rest @ ..] => (region, *account, *name, rest.first().copied()),
        [name, rest @ ..] => (region, account, *name, rest.first().copied()),
        [] => (region, account, "", None),
    };
    let mut invoked_arn = format!("arn:aws:lambda:{region}:{account}:function:{name}");
    if let Some(q) = qualifier {
        invoked_arn.push(':');
        invoked_arn.push_str(q);
    }
    FunctionContext {
        name: name.to_owned(),
        invoked_arn,
        request_id: call.idempotency_key(),
        deadline: call
            .timeout_seconds
            .map(|s| std::time::SystemTime::now() + std::time::Duration::from_secs(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_payload_is_decoded_as_lambda_decodes_it() {
        let (event, name) = invocation(json!({"FunctionName": "f", "Payload": {"a": 1}}));
        assert_eq!((event, name.as_str()), (json!({"a": 1}), "f"));
        assert_eq!(invocation(json!({"FunctionName": "f"})).0, json!({}));
        assert_eq!(
            invocation(json!({"FunctionName": "f", "Payload": "{\"b\":2}"})).0,
            json!({"b": 2})
        );
        assert_eq!(
            invocation(json!({"FunctionName": "f", "Payload": "plain"})).0,
            json!("plain")
        );
    }

    #[test]
    fn resources_that_invoke_functions() {
        assert_eq!(kind("arn:aws:states:::lambda:invoke"), Some(Kind::Invoke));
        assert_eq!(
            kind("arn:aws:states:::lambda:invoke.waitForTaskToken"),
            Some(Kind::Invoke)
        );
        assert_eq!(
            kind("arn:aws:lambda:us-east-1:1:function:f"),
            Some(Kind::Function)
        );
        assert_eq!(kind("arn:aws:states:::sns:publish"), None);
        assert_eq!(kind("arn:aws:states:us-east-1:1:activity:a"), None);
    }
}
