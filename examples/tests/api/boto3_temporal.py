"""boto3, unchanged but for endpoint_url, against a server whose Fulfilment machine runs its
executions on a Temporal cluster: start (idempotent), read the approval's token from the
history, answer it, describe, list, stop, and the errors of tokens and names.

usage: boto3_temporal.py ENDPOINT_URL
"""

import json
import sys
import time

import boto3
from botocore.config import Config

ENDPOINT = sys.argv[1]
PREFIX = "arn:aws:states:us-east-1:111111111111"
FULFILMENT = f"{PREFIX}:stateMachine:Fulfilment"

sfn = boto3.client(
    "stepfunctions",
    endpoint_url=ENDPOINT,
    region_name="us-east-1",
    aws_access_key_id="testing",
    aws_secret_access_key="testing",
    config=Config(retries={"max_attempts": 2}),
)
checks = 0


def check(condition, what):
    global checks
    if not condition:
        raise AssertionError(what)
    checks += 1


def refused(call, exception, **kwargs):
    try:
        call(**kwargs)
    except getattr(sfn.exceptions, exception):
        check(True, exception)
        return
    raise AssertionError(f"{exception} expected")


def token_of(arn, deadline=30):
    """The approval's token, once the history shows the approval scheduled."""
    end = time.time() + deadline
    while time.time() < end:
        events = sfn.get_execution_history(executionArn=arn)["events"]
        for e in events:
            details = e.get("taskScheduledEventDetails")
            if details and "taskToken" in details.get("parameters", ""):
                return json.loads(details["parameters"])["MessageBody"]["taskToken"]
        time.sleep(0.2)
    raise AssertionError(f"{arn} never waited for its approval")


def ended(arn, deadline=30):
    end = time.time() + deadline
    while time.time() < end:
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.2)
    raise AssertionError(f"{arn} did not end")


order = {"id": "t-1", "flaky": True, "items": [{"units": 2}]}
started = sfn.start_execution(stateMachineArn=FULFILMENT, name="t-1", input=json.dumps(order))
arn = started["executionArn"]
check(arn == f"{PREFIX}:execution:Fulfilment:t-1", arn)
again = sfn.start_execution(stateMachineArn=FULFILMENT, name="t-1", input=json.dumps(order))
check(again["executionArn"] == arn, "the same name and input: the same execution")
refused(sfn.start_execution, "ExecutionAlreadyExists", stateMachineArn=FULFILMENT, name="t-1", input="{}")

token = token_of(arn)
check(sfn.describe_execution(executionArn=arn)["status"] == "RUNNING", "waits for its approval")
sfn.send_task_heartbeat(taskToken=token)
sfn.send_task_success(taskToken=token, output=json.dumps({"by": "boto3"}))
refused(sfn.send_task_success, "TaskDoesNotExist", taskToken=token, output="{}")
refused(sfn.send_task_success, "InvalidToken", taskToken="not-a-token", output="{}")

d = ended(arn)
check(d["status"] == "SUCCEEDED", d)
check(json.loads(d["output"]) == {"id": "t-1", "ok": True, "prices": [20], "approvedBy": "boto3"}, d["output"])
check(json.loads(d["input"]) == order, d["input"])
history = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
types = [e["type"] for e in history]
check(types[0] == "ExecutionStarted" and types[-1] == "ExecutionSucceeded", types)
check(types.count("TaskFailed") == 1, "the flaky check failed once and was retried")
page = sfn.get_execution_history(executionArn=arn, maxResults=5)
check(len(page["events"]) == 5 and "nextToken" in page, "history pages")

# Stopped while it waits for its approval.
held = sfn.start_execution(stateMachineArn=FULFILMENT, name="t-2", input=json.dumps({"id": "t-2", "items": []}))
token_of(held["executionArn"])
sfn.stop_execution(executionArn=held["executionArn"], error="Cancelled", cause="changed my mind")
d = ended(held["executionArn"])
check(d["status"] == "ABORTED" and d.get("error") == "Cancelled", d)

listed = sfn.list_executions(stateMachineArn=FULFILMENT)["executions"]
check(sorted((e["name"], e["status"]) for e in listed) == [("t-1", "SUCCEEDED"), ("t-2", "ABORTED")], listed)
aborted = sfn.list_executions(stateMachineArn=FULFILMENT, statusFilter="ABORTED")["executions"]
check([e["name"] for e in aborted] == ["t-2"], aborted)
refused(sfn.describe_execution, "ExecutionDoesNotExist", executionArn=f"{PREFIX}:execution:Fulfilment:nobody")

print(f"boto3 on Temporal: {checks} checks passed")
