"""A day's Wait and a ten-minute retry back-off through boto3, on a server started with its waits
skipped (ServerBuilder::waits, --skip-waits): the execution ends at once, its history the same
as when it waits. Usage: boto3_waits.py ENDPOINT."""

import json
import sys
import time

import boto3

sfn = boto3.client(
    "stepfunctions",
    endpoint_url=sys.argv[1],
    region_name="us-east-1",
    aws_access_key_id="testing",
    aws_secret_access_key="testing",
)
REMINDER = "arn:aws:states:us-east-1:111111111111:stateMachine:Reminder"

arn = sfn.start_execution(stateMachineArn=REMINDER, name="r-1", input=json.dumps({"to": "ana"}))["executionArn"]
# The Wait is a day: without skipping, this loop would give up long before it ended.
for _ in range(600):
    d = sfn.describe_execution(executionArn=arn)
    if d["status"] != "RUNNING":
        break
    time.sleep(0.05)
assert d["status"] == "SUCCEEDED", d
assert json.loads(d["output"]) == {"sent": "ana"}, d["output"]

events = sfn.get_execution_history(executionArn=arn)["events"]
kinds = [e["type"] for e in events]
assert "WaitStateEntered" in kinds and "WaitStateExited" in kinds, kinds
# The busy mailer was called twice: once refused, once after the (skipped) back-off.
assert kinds.count("TaskScheduled") == 2, kinds
assert kinds.count("TaskFailed") == 1, kinds
print("waits: 2 checks passed")
