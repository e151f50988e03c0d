//! Amazon S3: `aws-sdk:s3:` `getObject`, `putObject`, `listObjectsV2`, `headObject` and
//! `deleteObject` (and the same optimized resources), and [`S3Items`]: a distributed Map's
//! `ItemReader` and `ResultWriter` on S3.

use std::sync::Arc;

use asl_runtime::items::{
    ItemReader, ReadItems, ReadRequest, ResultFiles, ResultWriter, WriteRequest,
};
use asl_runtime::{BoxFuture, BoxHandler, Failure};
use aws_sdk_s3::primitives::ByteStream;
use aws_types::SdkConfig;
use serde_json::{Map, Value};

use super::error::{failure, invalid};
use super::params::{Params, date, put};
use super::{Call, Clients, boxed};

/// An S3 client for `config`: with path-style addressing when the config names its own
/// endpoint (an emulator or a gateway, where buckets are not host names).
pub(super) fn client(config: &SdkConfig) -> aws_sdk_s3::Client {
    let s3 = aws_sdk_s3::config::Builder::from(config)
        .force_path_style(config.endpoint_url().is_some())
        .build();
    aws_sdk_s3::Client::from_conf(s3)
}

/// The handler of the S3 integrations.
pub(super) fn handler(clients: Arc<Clients>, call: Call) -> BoxHandler {
    boxed(clients, call, |clients, call, params| {
        Box::pin(async move {
            let p = Params::new(&params, call.errors);
            let s3 = &clients.s3;
            let sdk = call.sdk;
            let result = match call.action.as_str() {
                "getObject" => {
                    let output = s3
                        .get_object()
                        .bucket(p.string("Bucket")?)
                        .key(p.string("Key")?)
                        .set_version_id(p.opt_string("VersionId")?)
                        .set_range(p.opt_string("Range")?)
                        .send()
                        .await
                        .map_err(|e| failure(call.errors, e))?;
                    let mut r = Map::new();
                    put(&mut r, "ContentLength", output.content_length());
                    put(&mut r, "ContentType", output.content_type());
                    put(&mut r, "ETag", output.e_tag());
                    put(
                        &mut r,
                        "LastModified",
                        output.last_modified().map(|t| date(t, sdk)),
                    );
                    put(&mut r, "VersionId", output.version_id());
                    let body = output.body.collect().await.map_err(|e| {
                        Failure::new(
                            asl_runtime::error::names::TASK_FAILED,
                            format!("reading the object's body: {e}"),
                        )
                    })?;
                    r.insert(
                        "Body".into(),
                        String::from_utf8_lossy(&body.into_bytes())
                            .into_owned()
                            .into(),
                    );
                    r
                }
                "putObject" => {
                    let body = p.text("Body")?;
                    let output = s3
                        .put_object()
                        .bucket(p.string("Bucket")?)
                        .key(p.string("Key")?)
                        .set_content_type(p.opt_string("ContentType")?)
                        .body(ByteStream::from(body.into_bytes()))
                        .send()
                        .await
                        .map_err(|e| failure(call.errors, e))?;
                    let mut r = Map::new();
                    put(&mut r, "ETag", output.e_tag());
                    put(&mut r, "VersionId", output.version_id());
                    r
                }
                "listObjectsV2" => {
                    let output = s3
                        .list_objects_v2()
                        .bucket(p.string("Bucket")?)
                        .set_prefix(p.opt_string("Prefix")?)
                        .set_delimiter(p.opt_string("Delimiter")?)
                        .set_start_after(p.opt_string("StartAfter")?)
                        .set_continuation_token(p.opt_string("ContinuationToken")?)
                        .set_max_keys(p.opt_i32("MaxKeys")?)
                        .send()
                        .await
                        .map_err(|e| failure(call.errors, e))?;
                    let mut r = Map::new();
                    let contents: Vec<Value> =
                        output.contents().iter().map(|o| object(o, sdk)).collect();
                    r.insert("Contents".into(), contents.into());
                    put(&mut r, "IsTruncated", output.is_truncated());
                    put(&mut r, "KeyCount", output.key_count());
                    put(&mut r, "MaxKeys", output.max_keys());
                    put(&mut r, "Name", output.name());
                    put(
                        &mut r,
                        "NextContinuationToken",
                        output.next_continuation_token(),
                    );
                    put(&mut r, "Prefix", output.prefix());
                    r
                }
                "headObject" => {
                    let output = s3
                        .head_object()
                        .bucket(p.string("Bucket")?)
                        .key(p.string("Key")?)
                        .send()
                        .await
                        .map_err(|e| failure(call.errors, e))?;
                    let mut r = Map::new();
                    put(&mut r, "ContentLength", output.content_length());
                    put(&mut r, "ContentType", output.content_type());
                    put(&mut r, "ETag", output.e_tag());
                    put(
                        &mut r,
                        "LastModified",
                        output.last_modified().map(|t| date(t, sdk)),
                    );
                    r
                }
                "deleteObject" => {
                    s3.delete_object()
                        .bucket(p.string("Bucket")?)
                        .key(p.string("Key")?)
                        .send()
                        .await
                        .map_err(|e| failure(call.errors, e))?;
                    Map::new()
                }
                other => return Err(invalid(call.errors, format!("s3:{other} is not served"))),
            };
            Ok(Value::Object(result))
        })
    })
}

/// A listed object as `listObjectsV2` gives it.
fn object(o: &aws_sdk_s3::types::Object, sdk: bool) -> Value {
    let mut r = Map::new();
    put(&mut r, "ETag", o.e_tag());
    put(&mut r, "Key", o.key());
    put(
        &mut r,
        "LastModified",
        o.last_modified().map(|t| date(t, sdk)),
    );
    put(&mut r, "Size", o.size());
    put(
        &mut r,
        "StorageClass",
        o.storage_class().map(|s| s.as_str().to_owned()),
    );
    Value::Object(r)
}

/// A distributed Map's items read from S3 (`ItemReader` with `s3:getObject` or
/// `s3:listObjectsV2`) and its results written to S3 (`ResultWriter`), laid out as AWS lays
/// them out. Give it to a machine with `with_item_reader` and `with_result_writer`.
#[derive(Clone, Debug)]
pub struct S3Items {
    s3: aws_sdk_s3::Client,
}

impl S3Items {
    /// Items and results in the S3 of `config`.
    pub fn new(config: &SdkConfig) -> Self {
        S3Items { s3: client(config) }
    }
}

fn reader_failure(e: impl std::fmt::Display) -> Failure {
    Failure::new("States.ItemReaderFailed", e.to_string())
}

impl ItemReader for S3Items {
    fn read<'a>(&'a self, request: &'a ReadRequest) -> BoxFuture<'a, Result<ReadItems, Failure>> {
        Box::pin(async move {
            let p = Params::new(&request.parameters, "S3");
            let bucket = p.string("Bucket")?;
            if request.resource.ends_with(":listObjectsV2") {
                let mut pages = self
                    .s3
                    .list_objects_v2()
                    .bucket(bucket)
                    .set_prefix(p.opt_string("Prefix")?)
                    .into_paginator()
                    .send();
                let mut items = Vec::new();
                while let Some(page) = pages.next().await {
                    let page = page
                        .map_err(|e| reader_failure(failure("S3", e).cause.unwrap_or_default()))?;
                    items.extend(page.contents().iter().map(|o| object(o, true)));
                }
                return Ok(ReadItems::Items(items));
            }
            let output = self
                .s3
                .get_object()
                .bucket(bucket)
                .key(p.string("Key")?)
                .send()
                .await
                .map_err(|e| reader_failure(failure("S3", e).cause.unwrap_or_default()))?;
            let body = output.body.collect().await.map_err(reader_failure)?;
            Ok(ReadItems::Bytes(body.into_bytes().to_vec()))
        })
    }
}

impl ResultWriter for S3Items {
    fn write<'a>(&'a self, request: &'a WriteRequest) -> BoxFuture<'a, Result<Value, Failure>> {
        Box::pin(async move {
            let p = Params::new(&request.parameters, "S3");
            let bucket = p.string("Bucket")?;
            let layout = ResultFiles::of(request);
            for (key, text) in layout.files {
                self.s3
                    .put_object()
                    .bucket(&bucket)
                    .key(key)
                    .content_type("application/json")
                    .body(ByteStream::from(text.into_bytes()))
                    .send()
                    .await
                    .map_err(|e| {
                        Failure::new(
                            "States.ResultWriterFailed",
                            failure("S3", e).cause.unwrap_or_default(),
                        )
                    })?;
            }
            Ok(layout.result)
        })
    }
}
