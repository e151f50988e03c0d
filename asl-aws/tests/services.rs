//! The AWS services Task resources name, served by `asl-aws` on the AWS SDK for Rust against
//! `moto` in server mode: each integration's success, and its service's errors caught by the
//! names AWS gives them.

mod support;

use asl_aws::WithAws;
use asl_runtime::{Failure, Status};
use serde_json::{Value, json};

asl_runtime::asl!(path = "tests/workflows/dynamodb.asl.json", name = Counter);
asl_runtime::asl!(
    path = "tests/workflows/messaging.asl.json",
    name = Messaging
);
asl_runtime::asl!(path = "tests/workflows/objects.asl.json", name = Objects);
asl_runtime::asl!(
    path = "tests/workflows/functions.asl.json",
    name = Functions
);

/// The output of a run that must succeed.
fn succeeded(outcome: asl_runtime::Outcome) -> Value {
    assert_eq!(outcome.status, Status::Succeeded, "{:?}", outcome.failure);
    outcome.output.unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamodb_items_and_its_errors() {
    let Some(moto) = support::moto("dynamodb_items_and_its_errors") else {
        return;
    };
    let config = support::config(&moto.endpoint());
    let dynamodb = aws_sdk_dynamodb::Client::new(&config);
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    };
    dynamodb
        .create_table()
        .table_name("counters")
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("id")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .expect("a definition"),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(KeyType::Hash)
                .build()
                .expect("a key"),
        )
        .send()
        .await
        .expect("the table is made");

    // No handler written: every Task state is served by DynamoDB.
    let machine = Counter::builder().with_aws(&config).build();
    let out = succeeded(machine.run(json!({"table": "counters", "id": "c-1"})).await);
    assert_eq!(out["got"]["count"], "1");
    assert_eq!(out["incremented"]["count"], "2");
    // The optimized integration's answers carry the SDK's metadata.
    assert_eq!(out["put"]["SdkHttpMetadata"]["HttpStatusCode"], 200);
    assert_eq!(
        out["optimizedError"]["Error"],
        "DynamoDB.ConditionalCheckFailedException"
    );
    let cause = out["optimizedError"]["Cause"].as_str().unwrap_or_default();
    assert!(
        cause.contains("(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException"),
        "{cause}"
    );
    assert_eq!(
        out["sdkError"]["Error"],
        "DynamoDb.ConditionalCheckFailedException"
    );
    assert_eq!(out["query"]["count"], 1);
    assert_eq!(out["query"]["items"][0]["count"], json!({"N": "2"}));
    assert!(out["after"].get("Item").is_none(), "{}", out["after"]);
    assert_eq!(
        out["missingTable"]["Error"],
        "DynamoDB.ResourceNotFoundException"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sns_sqs_and_eventbridge_messages_and_their_errors() {
    let Some(moto) = support::moto("sns_sqs_and_eventbridge_messages_and_their_errors") else {
        return;
    };
    let config = support::config(&moto.endpoint());
    let topic = aws_sdk_sns::Client::new(&config)
        .create_topic()
        .name("orders")
        .send()
        .await
        .expect("the topic is made");
    let queue = aws_sdk_sqs::Client::new(&config)
        .create_queue()
        .queue_name("shipping")
        .send()
        .await
        .expect("the queue is made");
    let machine = Messaging::builder().with_aws(&config).build();
    let order = json!({"id": "o-1", "total": 12.5});
    let out = succeeded(
        machine
            .run(json!({
                "topic": topic.topic_arn(),
                "queue": queue.queue_url(),
                "order": order,
            }))
            .await,
    );
    assert!(
        out["published"]["id"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    // The body given as JSON went out as its text, and came back from the queue.
    assert_eq!(out["received"]["body"], json!(order.to_string()));
    assert_eq!(out["received"]["id"], out["sent"]["id"]);
    assert_eq!(out["emitted"]["failed"], 0);
    assert_eq!(out["emitted"]["ids"].as_array().map(Vec::len), Some(1));
    // An entry EventBridge refuses fails the optimized integration, the answer as the cause.
    assert_eq!(out["refusedEvent"]["Error"], "EventBridge.FailedEntry");
    let refused: Value =
        serde_json::from_str(out["refusedEvent"]["Cause"].as_str().unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(refused["FailedEntryCount"], 1);
    assert_eq!(refused["Entries"][0]["ErrorCode"], "InvalidArgument");
    assert_eq!(out["missingTopic"]["Error"], "SNS.NotFoundException");
    assert_eq!(
        out["missingQueue"]["Error"],
        "SQS.QueueDoesNotExistException"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_objects_and_a_missing_key() {
    let Some(moto) = support::moto("s3_objects_and_a_missing_key") else {
        return;
    };
    let config = support::config(&moto.endpoint());
    let s3 = support::s3(&config);
    s3.create_bucket()
        .bucket("receipts")
        .send()
        .await
        .expect("the bucket is made");
    let machine = Objects::builder().with_aws(&config).build();
    let order = json!({"id": "o-7", "lines": [1, 2]});
    let out = succeeded(
        machine
            .run(json!({"bucket": "receipts", "order": order}))
            .await,
    );
    assert_eq!(out["read"]["order"], order);
    assert_eq!(out["read"]["type"], "application/json");
    assert_eq!(out["listed"]["keys"], json!(["orders/o-7.json"]));
    assert_eq!(out["missingKey"]["Error"], "S3.NoSuchKeyException");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lambda_functions_by_integration_and_by_arn() {
    let Some(moto) = support::moto("lambda_functions_by_integration_and_by_arn") else {
        return;
    };
    let config = support::config(&moto.endpoint());
    echo_function(&moto, &config).await;
    let machine = Functions::builder().with_aws(&config).build();
    let order = json!({"id": "o-9"});
    let out = succeeded(machine.run(json!({"order": order})).await);
    // moto's function answers with its event: through the envelope, and by ARN without one.
    assert_eq!(out["invoked"]["payload"], order);
    assert_eq!(out["invoked"]["status"], 200);
    assert_eq!(out["byArn"], order);
    assert_eq!(out["again"]["payload"], json!({"again": "o-9"}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handlers_the_user_wrote_win_over_the_services() {
    let Some(moto) = support::moto("handlers_the_user_wrote_win_over_the_services") else {
        return;
    };
    let config = support::config(&moto.endpoint());
    echo_function(&moto, &config).await;
    // Two of the functions are the user's own here, shaped as Lambda would call them (the
    // payload in, the result out). Given before or after the services, they win.
    let echo = |event: Value| async move { Ok::<_, Failure>(json!({"mine": event})) };
    for machine in [
        Functions::builder()
            .invoke(echo)
            .by_arn(echo)
            .with_aws(&config)
            .build(),
        Functions::builder()
            .with_aws(&config)
            .invoke(echo)
            .by_arn(echo)
            .build(),
    ] {
        let out = succeeded(machine.run(json!({"order": {"id": 1}})).await);
        assert_eq!(out["invoked"]["payload"], json!({"mine": {"id": 1}}));
        assert_eq!(out["byArn"], json!({"mine": {"id": 1}}));
        // The one left to Lambda still reaches the emulator's function.
        assert_eq!(out["again"]["payload"], json!({"again": 1}));
    }
}

asl_runtime::asl!(path = "tests/workflows/parent.asl.json", name = Parent);
asl_runtime::asl!(path = "tests/workflows/double.asl.json", name = Double);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_executions_on_a_machine_served_through_the_step_functions_api() {
    // The child machine served by asl-server; the parent reaches it through the Step
    // Functions API, as it would reach a machine on AWS.
    let server = asl_server::Server::builder()
        .machine(Double::builder().build())
        .bind("127.0.0.1:0")
        .build()
        .await
        .expect("the server starts");
    let endpoint = format!("http://{}", server.local_addr().expect("an address"));
    tokio::spawn(server.serve());
    let config = support::config(&endpoint);
    let aws = asl_aws::Aws::new(&config).with_poll_interval(std::time::Duration::from_millis(20));
    let machine = {
        use asl_runtime::integration::WithServices;
        Parent::builder().with_services(aws).build()
    };
    let child = "arn:aws:states:us-east-1:111111111111:stateMachine:Double";
    let out = succeeded(machine.run(json!({"child": child, "n": 21})).await);
    // .sync:2: the child's output as JSON; .sync: as text.
    assert_eq!(
        out["synced"],
        json!({"output": {"doubled": 42}, "status": "SUCCEEDED"})
    );
    assert_eq!(out["text"]["output"], json!("{\"doubled\":2}"));
    let started = out["started"]["arn"].as_str().unwrap_or_default();
    assert!(
        started.starts_with("arn:aws:states:us-east-1:111111111111:execution:Double:"),
        "{started}"
    );
    // A child that fails is the task's States.TaskFailed, its description the cause.
    assert_eq!(out["failed"]["Error"], "States.TaskFailed");
    let cause: Value = serde_json::from_str(out["failed"]["Cause"].as_str().unwrap_or_default())
        .unwrap_or_default();
    assert_eq!(cause["Status"], "FAILED");
    assert_eq!(cause["Error"], "Negative");
}

/// Makes the function `echo` in the emulator (whose Lambda answers with the event).
async fn echo_function(moto: &asl_aws::emulator::MotoServer, config: &aws_types::SdkConfig) {
    // Lambda wants a role that exists.
    moto.request(
        "POST",
        "/",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0",
            ),
        ],
        "Action=CreateRole&Version=2010-05-08&RoleName=runner&AssumeRolePolicyDocument=%7B%7D",
    )
    .expect("the role is made");
    aws_sdk_lambda::Client::new(config)
        .create_function()
        .function_name("echo")
        .runtime(aws_sdk_lambda::types::Runtime::Python312)
        .role("arn:aws:iam::123456789012:role/runner")
        .handler("index.handler")
        .code(
            aws_sdk_lambda::types::FunctionCode::builder()
                .zip_file(aws_sdk_lambda::primitives::Blob::new(b"code".to_vec()))
                .build(),
        )
        .send()
        .await
        .expect("the function is made");
}

asl_runtime::asl!(path = "tests/workflows/items.asl.json", name = Items);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_distributed_map_reads_its_items_from_s3_and_writes_its_results_there() {
    let Some(moto) = support::moto("a_distributed_map_reads_its_items_from_s3") else {
        return;
    };
    let config = support::config(&moto.endpoint());
    let s3 = support::s3(&config);
    s3.create_bucket()
        .bucket("batch")
        .send()
        .await
        .expect("the bucket is made");
    s3.put_object()
        .bucket("batch")
        .key("input/items.json")
        .body(aws_sdk_s3::primitives::ByteStream::from_static(
            br#"[{"n": 1}, {"n": 2}, {"n": 3}]"#,
        ))
        .send()
        .await
        .expect("the items are written");
    let machine = Items::builder()
        .build()
        .with_item_reader(asl_aws::S3Items::new(&config))
        .with_result_writer(asl_aws::S3Items::new(&config));
    let out = succeeded(machine.run(json!({"bucket": "batch"})).await);
    let details = &out["ResultWriterDetails"];
    assert_eq!(details["Bucket"], "batch");
    let read = |key: String| {
        let s3 = s3.clone();
        async move {
            let object = s3
                .get_object()
                .bucket("batch")
                .key(key)
                .send()
                .await
                .expect("the object is there");
            let bytes = object.body.collect().await.expect("its body").into_bytes();
            serde_json::from_slice::<Value>(&bytes).expect("JSON")
        }
    };
    let manifest = read(details["Key"].as_str().unwrap_or_default().to_owned()).await;
    let succeeded_key = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(succeeded_key.starts_with("results/"), "{manifest}");
    let records = read(succeeded_key).await;
    let outputs: Vec<Value> = records
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| {
                    serde_json::from_str(r["Output"].as_str().unwrap_or("null")).unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        outputs,
        [
            json!({"doubled": 2}),
            json!({"doubled": 4}),
            json!({"doubled": 6})
        ]
    );
}
