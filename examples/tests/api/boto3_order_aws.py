"""The order workflow on AWS services, driven by boto3: the queue, table and topic made on the
emulator (moto), executions started on asl-server, and their effects read back from the
services. Usage: boto3_order_aws.py SFN_ENDPOINT AWS_ENDPOINT."""

import json
import sys
import time

import boto3

sfn_endpoint, aws_endpoint = sys.argv[1], sys.argv[2]
common = dict(region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
sfn = boto3.client("stepfunctions", endpoint_url=sfn_endpoint, **common)
sqs = boto3.client("sqs", endpoint_url=aws_endpoint, **common)
sns = boto3.client("sns", endpoint_url=aws_endpoint, **common)
dynamodb = boto3.client("dynamodb", endpoint_url=aws_endpoint, **common)

# What the definition was compiled against.
shipping = sqs.create_queue(QueueName="shipping")["QueueUrl"]
dynamodb.create_table(
    TableName="receipts",
    BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": "orderId", "AttributeType": "S"}],
    KeySchema=[{"AttributeName": "orderId", "KeyType": "HASH"}],
)
topic = sns.create_topic(Name="orders")["TopicArn"]
assert topic == "arn:aws:sns:us-east-1:111111111111:orders", topic
# The customer's notices, read from a queue subscribed to the topic.
notices = sqs.create_queue(QueueName="notices")["QueueUrl"]
notices_arn = sqs.get_queue_attributes(QueueUrl=notices, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=notices_arn)

ORDER = "arn:aws:states:us-east-1:111111111111:stateMachine:Order"


def run(name, order):
    arn = sfn.start_execution(stateMachineArn=ORDER, name=name, input=json.dumps(order))["executionArn"]
    for _ in range(600):
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.05)
    raise AssertionError(f"{name} is still running")


good = run("A-1", {"orderId": "A-1", "address": "Main St 1", "items": [{"price": 20.0}, {"price": 5.5}]})
assert good["status"] == "SUCCEEDED", good
tracking = json.loads(good["output"])["trackingId"]

# The shipment is on the queue, with the order as its body, under the id the output names.
shipped = sqs.receive_message(QueueUrl=shipping, MaxNumberOfMessages=10)["Messages"]
assert [m["MessageId"] for m in shipped] == [tracking], shipped
assert json.loads(shipped[0]["Body"])["orderId"] == "A-1", shipped[0]["Body"]

# The receipt is in the table.
receipt = dynamodb.get_item(TableName="receipts", Key={"orderId": {"S": "A-1"}})["Item"]
assert receipt["paymentId"] == {"S": "pay-A-1"}, receipt

# The customer was told, through the topic.
told = sqs.receive_message(QueueUrl=notices, MaxNumberOfMessages=10)["Messages"]
notice = json.loads(told[0]["Body"])["Message"]
assert notice == f"Order A-1 is on its way: {tracking}", notice

# A declined card: the order fails, and nothing is shipped or written.
declined = run("A-2", {"orderId": "A-2", "address": "Main St 2", "items": [{"price": 900.0}]})
assert declined["status"] == "FAILED" and declined["error"] == "OrderFailed", declined
assert "Item" not in dynamodb.get_item(TableName="receipts", Key={"orderId": {"S": "A-2"}})
assert "Messages" not in sqs.receive_message(QueueUrl=shipping, MaxNumberOfMessages=10, WaitTimeSeconds=0)

# The history shows the services' answers as the states' results.
events = sfn.get_execution_history(executionArn=good["executionArn"], maxResults=1000)["events"]
succeeded = [e for e in events if e["type"] == "TaskSucceeded"]
resources = [e["taskSucceededEventDetails"]["resourceType"] + ":" + e["taskSucceededEventDetails"]["resource"] for e in succeeded]
assert resources == ["lambda:invoke", "lambda:invoke", "sqs:sendMessage", "dynamodb:putItem", "sns:publish"], resources
print("ok")
