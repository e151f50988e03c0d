"""Step Functions Local's test cases through boto3: the server was started with
--mocks MockConfigFile.json, and StartExecution names a test case after '#' in the state machine
ARN. Usage: boto3_mocks.py ENDPOINT."""

import json
import sys
import time

import boto3
from botocore.exceptions import ClientError

sfn = boto3.client(
    "stepfunctions",
    endpoint_url=sys.argv[1],
    region_name="us-east-1",
    aws_access_key_id="testing",
    aws_secret_access_key="testing",
)
ORDER = "arn:aws:states:us-east-1:111111111111:stateMachine:Order"
ORDER_INPUT = json.dumps({"orderId": "T-1", "address": "Main St", "items": [{"price": 1.0}]})


def run(case, name):
    arn = sfn.start_execution(stateMachineArn=f"{ORDER}#{case}", name=name, input=ORDER_INPUT)["executionArn"]
    assert arn.endswith(f":execution:Order:{name}"), arn
    for _ in range(400):
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.05)
    raise AssertionError(f"{name} is still running")


happy = run("HappyPath", "happy")
assert happy["status"] == "SUCCEEDED", happy
assert json.loads(happy["output"]) == {"trackingId": "mock-ship"}, happy["output"]

# The charge's first invocation throws and its Retry takes the second; shipping throws, the
# Catch refunds, and the order fails.
failing = run("ShippingFails", "shipping-fails")
assert failing["status"] == "FAILED" and failing["error"] == "OrderFailed", failing
events = sfn.get_execution_history(executionArn=failing["executionArn"], maxResults=1000)["events"]
failed = [e["taskFailedEventDetails"]["error"] for e in events if e["type"] == "TaskFailed"]
assert failed == ["PaymentServiceUnavailable", "SQS.QueueDoesNotExistException"], failed
entered = [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")]
assert entered == ["Validate order", "Is it valid?", "Charge payment", "Arrange shipping", "Refund payment", "Order failed"], entered

# A test case the file does not have is refused, naming it.
try:
    sfn.start_execution(stateMachineArn=f"{ORDER}#SadPath", input=ORDER_INPUT)
    raise AssertionError("an unknown test case started")
except ClientError as e:
    assert e.response["Error"]["Code"] == "ValidationException", e.response
    assert "SadPath" in e.response["Error"]["Message"], e.response
print("mock test cases: checks passed")
