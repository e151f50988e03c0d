//! Amazon SQS: `sqs:sendMessage`, and `aws-sdk:sqs:` `sendMessage`, `receiveMessage` and
//! `deleteMessage`.

use std::sync::Arc;

use asl_runtime::{BoxHandler, Failure};
use aws_sdk_sqs::types::MessageAttributeValue;
use aws_types::request_id::RequestId;
use serde_json::{Map, Value, json};

use super::error::{failure, invalid};
use super::params::{Params, answer, put};
use super::{Call, Clients, boxed};

/// The handler of the SQS integrations.
pub(super) fn handler(clients: Arc<Clients>, call: Call) -> BoxHandler {
    boxed(clients, call, |clients, call, params| {
        Box::pin(async move {
            match call.action.as_str() {
                "sendMessage" => send(&clients, &call, &params).await,
                "receiveMessage" => receive(&clients, &call, &params).await,
                "deleteMessage" => delete(&clients, &call, &params).await,
                other => Err(invalid(call.errors, format!("sqs:{other} is not served"))),
            }
        })
    })
}

async fn send(clients: &Clients, call: &Call, params: &Value) -> Result<Value, Failure> {
    let p = Params::new(params, call.errors);
    let mut request = clients
        .sqs
        .send_message()
        .queue_url(p.string("QueueUrl")?)
        .message_body(p.text("MessageBody")?)
        .set_delay_seconds(p.opt_i32("DelaySeconds")?)
        .set_message_group_id(p.opt_string("MessageGroupId")?)
        .set_message_deduplication_id(p.opt_string("MessageDeduplicationId")?);
    for a in p.message_attributes()? {
        let value = MessageAttributeValue::builder()
            .data_type(a.data_type)
            .set_string_value(a.string)
            .set_binary_value(a.binary.map(aws_sdk_sqs::primitives::Blob::new))
            .build()
            .map_err(|e| p.invalid("MessageAttributes", e))?;
        request = request.message_attributes(a.name, value);
    }
    let output = request.send().await.map_err(|e| failure(call.errors, e))?;
    let mut result = Map::new();
    put(
        &mut result,
        "MD5OfMessageAttributes",
        output.md5_of_message_attributes(),
    );
    put(
        &mut result,
        "MD5OfMessageBody",
        output.md5_of_message_body(),
    );
    put(&mut result, "MessageId", output.message_id());
    put(&mut result, "SequenceNumber", output.sequence_number());
    Ok(answer(call.sdk, result, output.request_id()))
}

async fn receive(clients: &Clients, call: &Call, params: &Value) -> Result<Value, Failure> {
    let p = Params::new(params, call.errors);
    let output = clients
        .sqs
        .receive_message()
        .queue_url(p.string("QueueUrl")?)
        .set_max_number_of_messages(p.opt_i32("MaxNumberOfMessages")?)
        .set_wait_time_seconds(p.opt_i32("WaitTimeSeconds")?)
        .set_visibility_timeout(p.opt_i32("VisibilityTimeout")?)
        .send()
        .await
        .map_err(|e| failure(call.errors, e))?;
    let messages: Vec<Value> = output
        .messages()
        .iter()
        .map(|m| {
            let mut r = Map::new();
            put(&mut r, "Body", m.body());
            put(&mut r, "MD5OfBody", m.md5_of_body());
            put(&mut r, "MessageId", m.message_id());
            put(&mut r, "ReceiptHandle", m.receipt_handle());
            Value::Object(r)
        })
        .collect();
    let mut result = Map::new();
    if !messages.is_empty() {
        result.insert("Messages".into(), Value::Array(messages));
    }
    Ok(Value::Object(result))
}

async fn delete(clients: &Clients, call: &Call, params: &Value) -> Result<Value, Failure> {
    let p = Params::new(params, call.errors);
    clients
        .sqs
        .delete_message()
        .queue_url(p.string("QueueUrl")?)
        .receipt_handle(p.string("ReceiptHandle")?)
        .send()
        .await
        .map_err(|e| failure(call.errors, e))?;
    Ok(json!({}))
}
