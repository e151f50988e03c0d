//! Amazon SNS: `sns:publish` and `aws-sdk:sns:publish`.

use std::sync::Arc;

use asl_runtime::{BoxHandler, Failure};
use aws_sdk_sns::types::MessageAttributeValue;
use aws_types::request_id::RequestId;
use serde_json::{Map, Value};

use super::error::failure;
use super::params::{Params, answer, put};
use super::{Call, Clients, boxed};

/// The handler of the publish integrations.
pub(super) fn handler(clients: Arc<Clients>, call: Call) -> BoxHandler {
    boxed(clients, call, |clients, call, params| {
        Box::pin(async move { publish(&clients, &call, &params).await })
    })
}

async fn publish(clients: &Clients, call: &Call, params: &Value) -> Result<Value, Failure> {
    let p = Params::new(params, call.errors);
    let mut request = clients
        .sns
        .publish()
        .message(p.text("Message")?)
        .set_topic_arn(p.opt_string("TopicArn")?)
        .set_target_arn(p.opt_string("TargetArn")?)
        .set_phone_number(p.opt_string("PhoneNumber")?)
        .set_subject(p.opt_string("Subject")?)
        .set_message_structure(p.opt_string("MessageStructure")?)
        .set_message_group_id(p.opt_string("MessageGroupId")?)
        .set_message_deduplication_id(p.opt_string("MessageDeduplicationId")?);
    for a in p.message_attributes()? {
        let value = MessageAttributeValue::builder()
            .data_type(a.data_type)
            .set_string_value(a.string)
            .set_binary_value(a.binary.map(aws_sdk_sns::primitives::Blob::new))
            .build()
            .map_err(|e| p.invalid("MessageAttributes", e))?;
        request = request.message_attributes(a.name, value);
    }
    let output = request.send().await.map_err(|e| failure(call.errors, e))?;
    let mut result = Map::new();
    put(&mut result, "MessageId", output.message_id());
    put(&mut result, "SequenceNumber", output.sequence_number());
    Ok(answer(call.sdk, result, output.request_id()))
}
