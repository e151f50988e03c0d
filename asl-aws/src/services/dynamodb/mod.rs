//! Amazon DynamoDB: `dynamodb:` `getItem`, `putItem`, `updateItem`, `deleteItem`, and the
//! same with `query` and `scan` as `aws-sdk:dynamodb:` integrations.

mod attributes;

use std::collections::HashMap;
use std::sync::Arc;

use asl_runtime::{BoxHandler, Failure};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_types::request_id::RequestId;
use serde_json::{Map, Value};

use super::error::{failure, invalid};
use super::params::{Params, answer};
use super::{Call, Clients, boxed};
use attributes::{map_from_json, map_to_json};

/// The handler of the DynamoDB integrations.
pub(super) fn handler(clients: Arc<Clients>, call: Call) -> BoxHandler {
    boxed(clients, call, |clients, call, params| {
        Box::pin(async move {
            let p = Params::new(&params, call.errors);
            let (result, request_id) = match call.action.as_str() {
                "getItem" => get(&clients, &call, &p).await?,
                "putItem" => put_item(&clients, &call, &p).await?,
                "updateItem" => update(&clients, &call, &p).await?,
                "deleteItem" => delete(&clients, &call, &p).await?,
                "query" => query(&clients, &call, &p).await?,
                "scan" => scan(&clients, &call, &p).await?,
                other => {
                    return Err(invalid(
                        call.errors,
                        format!("dynamodb:{other} is not served"),
                    ));
                }
            };
            Ok(answer(call.sdk, result, request_id.as_deref()))
        })
    })
}

/// A call's answer and its request id.
type Answer = (Map<String, Value>, Option<String>);

/// A required map of attribute values.
fn attributes(p: &Params<'_>, key: &str) -> Result<HashMap<String, AttributeValue>, Failure> {
    let value = p.get(key).ok_or_else(|| p.invalid(key, "is required"))?;
    map_from_json(value).map_err(|e| p.invalid(key, e))
}

/// An optional map of attribute values.
fn opt_attributes(
    p: &Params<'_>,
    key: &str,
) -> Result<Option<HashMap<String, AttributeValue>>, Failure> {
    match p.get(key) {
        None => Ok(None),
        Some(_) => attributes(p, key).map(Some),
    }
}

/// Adds the map of attribute values `key` when the answer has one.
fn put_attributes(
    result: &mut Map<String, Value>,
    key: &str,
    value: Option<&HashMap<String, AttributeValue>>,
) {
    if let Some(v) = value {
        result.insert(key.to_owned(), map_to_json(v));
    }
}

async fn get(clients: &Clients, call: &Call, p: &Params<'_>) -> Result<Answer, Failure> {
    let output = clients
        .dynamodb
        .get_item()
        .table_name(p.string("TableName")?)
        .set_key(Some(attributes(p, "Key")?))
        .set_consistent_read(p.opt_bool("ConsistentRead")?)
        .set_projection_expression(p.opt_string("ProjectionExpression")?)
        .set_expression_attribute_names(p.opt_strings("ExpressionAttributeNames")?)
        .send()
        .await
        .map_err(|e| failure(call.errors, e))?;
    let mut result = Map::new();
    put_attributes(&mut result, "Item", output.item());
    Ok((result, output.request_id().map(str::to_owned)))
}

async fn put_item(clients: &Clients, call: &Call, p: &Params<'_>) -> Result<Answer, Failure> {
    let output = clients
        .dynamodb
        .put_item()
        .table_name(p.string("TableName")?)
        .set_item(Some(attributes(p, "Item")?))
        .set_condition_expression(p.opt_string("ConditionExpression")?)
        .set_expression_attribute_names(p.opt_strings("ExpressionAttributeNames")?)
        .set_expression_attribute_values(opt_attributes(p, "ExpressionAttributeValues")?)
        .set_return_values(p.opt_string("ReturnValues")?.map(|r| r.as_str().into()))
        .send()
        .await
        .map_err(|e| failure(call.errors, e))?;
    let mut result = Map::new();
    put_attributes(&mut result, "Attributes", output.attributes());
    Ok((result, output.request_id().map(str::to_owned)))
}

async fn update(clients: &Clients, call: &Call, p: &Params<'_>) -> Result<Answer, Failure> {
    let output = clients
        .dynamodb
        .update_item()
        .table_name(p.string("TableName")?)
        .set_key(Some(attributes(p, "Key")?))
        .set_update_expression(p.opt_string("UpdateExpression")?)
        .set_condition_expression(p.opt_string("ConditionExpression")?)
        .set_expression_attribute_names(p.opt_strings("ExpressionAttributeNames")?)
        .set_expression_attribute_values(opt_attributes(p, "ExpressionAttributeValues")?)
        .set_return_values(p.opt_string("ReturnValues")?.map(|r| r.as_str().into()))
        .send()
        .await
        .map_err(|e| failure(call.errors, e))?;
    let mut result = Map::new();
    put_attributes(&mut result, "Attributes", output.attributes());
    Ok((result, output.request_id().map(str::to_owned)))
}

async fn delete(clients: &Clients, call: &Call, p: &Params<'_>) -> Result<Answer, Failure> {
    let output = clients
        .dynamodb
        .delete_item()
        .table_name(p.string("TableName")?)
        .set_key(Some(attributes(p, "Key")?))
        .set_condition_expression(p.opt_string("ConditionExpression")?)
        .set_expression_attribute_names(p.opt_strings("ExpressionAttributeNames")?)
        .set_expression_attribute_values(opt_attributes(p, "ExpressionAttributeValues")?)
        .set_return_values(p.opt_string("ReturnValues")?.map(|r| r.as_str().into()))
        .send()
        .await
        .map_err(|e| failure(call.errors, e))?;
    let mut result = Map::new();
    put_attributes(&mut result, "Attributes", output.attributes());
    Ok((result, output.request_id().map(str::to_owned)))
}

/// The items of a query or scan page.
fn page(
    items: &[HashMap<String, AttributeValue>],
    count: i32,
    scanned: i32,
    last: Option<&HashMap<String, AttributeValue>>,
) -> Map<String, Value> {
    let mut result = Map::new();
    result.insert("Count".into(), count.into());
    result.insert(
        "Items".into(),
        Value::Array(items.iter().map(map_to_json).collect()),
    );
    put_attributes(&mut result, "LastEvaluatedKey", last);
    result.insert("ScannedCount".into(), scanned.into());
    result
}

async fn query(clients: &Clients, call: &Call, p: &Params<'_>) -> Result<Answer, Failure> {
    let output = clients
        .dynamodb
        .query()
        .table_name(p.string("TableName")?)
        .set_index_name(p.opt_string("IndexName")?)
        .set_key_condition_expression(p.opt_string("KeyConditionExpression")?)
        .set_filter_expression(p.opt_string("FilterExpression")?)
        .set_projection_expression(p.opt_string("ProjectionExpression")?)
        .set_expression_attribute_names(p.opt_strings("ExpressionAttributeNames")?)
        .set_expression_attribute_values(opt_attributes(p, "ExpressionAttributeValues")?)
        .set_exclusive_start_key(opt_attributes(p, "ExclusiveStartKey")?)
        .set_limit(p.opt_i32("Limit")?)
        .set_scan_index_forward(p.opt_bool("ScanIndexForward")?)
        .set_consistent_read(p.opt_bool("ConsistentRead")?)
        .send()
        .await
        .map_err(|e| failure(call.errors, e))?;
    let result = page(
        output.items(),
        output.count(),
        output.scanned_count(),
        output.last_evaluated_key(),
    );
    Ok((result, output.request_id().map(str::to_owned)))
}

async fn scan(clients: &Clients, call: &Call, p: &Params<'_>) -> Result<Answer, Failure> {
    let output = clients
        .dynamodb
        .scan()
        .table_name(p.string("TableName")?)
        .set_index_name(p.opt_string("IndexName")?)
        .set_filter_expression(p.opt_string("FilterExpression")?)
        .set_projection_expression(p.opt_string("ProjectionExpression")?)
        .set_expression_attribute_names(p.opt_strings("ExpressionAttributeNames")?)
        .set_expression_attribute_values(opt_attributes(p, "ExpressionAttributeValues")?)
        .set_exclusive_start_key(opt_attributes(p, "ExclusiveStartKey")?)
        .set_limit(p.opt_i32("Limit")?)
        .set_consistent_read(p.opt_bool("ConsistentRead")?)
        .send()
        .await
        .map_err(|e| failure(call.errors, e))?;
    let result = page(
        output.items(),
        output.count(),
        output.scanned_count(),
        output.last_evaluated_key(),
    );
    Ok((result, output.request_id().map(str::to_owned)))
}
