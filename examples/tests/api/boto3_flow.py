"""The seed flow through boto3, unchanged but for endpoint_url: executions of the example
workflows started, polled, paged through, listed, stopped; task tokens answered; every error
the server gives checked by exception class and message. Exits non-zero on the first mismatch.

usage: boto3_flow.py ENDPOINT_URL
"""

import json
import sys
import time

import boto3
from botocore.config import Config

ENDPOINT = sys.argv[1]
PREFIX = "arn:aws:states:us-east-1:111111111111"
ORDER = f"{PREFIX}:stateMachine:Order"
APPROVAL = f"{PREFIX}:stateMachine:Approval"
FOOTBALL = f"{PREFIX}:stateMachine:Football"

# StartSyncExecution's endpoint is AWS's "sync-" host; against one endpoint URL the prefix
# must not be added (as with any local endpoint).
sfn = boto3.client(
    "stepfunctions",
    endpoint_url=ENDPOINT,
    region_name="us-east-1",
    aws_access_key_id="testing",
    aws_secret_access_key="testing",
    config=Config(inject_host_prefix=False, retries={"max_attempts": 2}),
)
checks = 0


def check(condition, what):
    global checks
    if not condition:
        raise AssertionError(what)
    checks += 1


def refused(call, exception, message=None, **kwargs):
    """`call(**kwargs)` raises `exception` (a class of sfn.exceptions, by name), with `message`
    in its text when given."""
    try:
        call(**kwargs)
    except getattr(sfn.exceptions, exception) as e:
        text = e.response["Error"]["Message"]
        check(message is None or message in text, f"{exception}: {text!r} lacks {message!r}")
        return text
    except Exception as e:  # noqa: BLE001 - any other answer is the failure reported
        raise AssertionError(f"{call.__name__}({kwargs}) raised {e!r}, not {exception}")
    raise AssertionError(f"{call.__name__}({kwargs}) succeeded, {exception} expected")


def wait_for(arn, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.05)
    raise AssertionError(f"{arn} still RUNNING after {timeout} s")


def token_of(arn, timeout=20):
    """The task token an execution handed out, from its TaskScheduled event's parameters."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for e in sfn.get_execution_history(executionArn=arn)["events"]:
            if e["type"] == "TaskScheduled":
                params = json.loads(e["taskScheduledEventDetails"]["parameters"])
                return params["MessageBody"]["taskToken"]
        time.sleep(0.05)
    raise AssertionError(f"{arn} handed out no token")


good = {"orderId": "A-1", "address": "Main St 1", "items": [{"price": 20.0}, {"price": 5.5}]}
declined = {"orderId": "A-2", "address": "Main St 2", "items": [{"price": 900.0}]}

# Start, poll, describe.
started = sfn.start_execution(stateMachineArn=ORDER, name="order-1", input=json.dumps(good))
check(started["executionArn"] == f"{PREFIX}:execution:Order:order-1", started)
done = wait_for(started["executionArn"])
check(done["status"] == "SUCCEEDED", done)
check(json.loads(done["input"]) == good, done["input"])
check(json.loads(done["output"]) == {"trackingId": "ship-A-1"}, done.get("output"))
check(done["stopDate"] >= done["startDate"], done)

# Idempotent start: the same name and input again is the same execution (it ended, so AWS
# refuses it); another name runs anew.
refused(sfn.start_execution, "ExecutionAlreadyExists", "Execution Already Exists:",
        stateMachineArn=ORDER, name="order-1", input=json.dumps(good))
failed = sfn.start_execution(stateMachineArn=ORDER, name="order-2", input=json.dumps(declined))
check(wait_for(failed["executionArn"])["status"] == "FAILED", "a declined card fails the order")

# History, page by page, both ways.
events, token = [], None
while True:
    page = sfn.get_execution_history(executionArn=started["executionArn"], maxResults=3,
                                     **({"nextToken": token} if token else {}))
    check(len(page["events"]) <= 3, "a page holds at most maxResults events")
    events += page["events"]
    token = page.get("nextToken")
    if not token:
        break
check([e["id"] for e in events] == list(range(1, len(events) + 1)), "ids contiguous from 1")
check(events[0]["type"] == "ExecutionStarted" and events[-1]["type"] == "ExecutionSucceeded",
      [e["type"] for e in events])
whole = sfn.get_execution_history(executionArn=started["executionArn"], maxResults=1000)
check(whole["events"] == events and "nextToken" not in whole, "paged equals whole")
backwards = sfn.get_execution_history(executionArn=started["executionArn"], reverseOrder=True)
check(backwards["events"] == list(reversed(events)), "reverseOrder")
bare = sfn.get_execution_history(executionArn=started["executionArn"], includeExecutionData=False)
check(all("input" not in e.get("executionStartedEventDetails", {}) for e in bare["events"]),
      "includeExecutionData=False leaves inputs out")
refused(sfn.get_execution_history, "InvalidToken", executionArn=started["executionArn"],
        nextToken="bm90IGEgdG9rZW4")

# Lists with a status filter, newest first, by pages.
succeeded = sfn.list_executions(stateMachineArn=ORDER, statusFilter="SUCCEEDED")["executions"]
check([e["name"] for e in succeeded] == ["order-1"], succeeded)
check([e["name"] for e in sfn.list_executions(stateMachineArn=ORDER, statusFilter="FAILED")["executions"]]
      == ["order-2"], "FAILED filter")
first = sfn.list_executions(stateMachineArn=ORDER, maxResults=1)
check(len(first["executions"]) == 1 and "nextToken" in first, first)
rest = sfn.list_executions(stateMachineArn=ORDER, maxResults=1, nextToken=first["nextToken"])
check(rest["executions"][0]["name"] == "order-1" and first["executions"][0]["name"] == "order-2",
      "newest first")
machines = {m["name"]: m["type"] for m in sfn.list_state_machines()["stateMachines"]}
check(machines.get("Order") == "STANDARD" and machines.get("Football") == "EXPRESS", machines)

# A task token answered with success, another with failure; answered tokens are gone.
expense = {"id": "e-1", "amount": 120, "employee": "ada"}
ask = sfn.start_execution(stateMachineArn=APPROVAL, input=json.dumps(expense))
token = token_of(ask["executionArn"])
check(sfn.describe_execution(executionArn=ask["executionArn"])["status"] == "RUNNING", "waits")
sfn.send_task_heartbeat(taskToken=token)
sfn.send_task_success(taskToken=token, output=json.dumps({"approved": True}))
paid = wait_for(ask["executionArn"])
check(paid["status"] == "SUCCEEDED" and json.loads(paid["output"]) == {"paid": 120, "to": "ada"}, paid)
refused(sfn.send_task_success, "TaskDoesNotExist", taskToken=token, output="{}")
refused(sfn.send_task_success, "InvalidToken", "Invalid Token", taskToken="NoSuchTaskToken", output="{}")

ask = sfn.start_execution(stateMachineArn=APPROVAL, input=json.dumps(expense))
token = token_of(ask["executionArn"])
refused(sfn.send_task_success, "InvalidOutput", taskToken=token, output="{not json")
sfn.send_task_failure(taskToken=token, error="Nope", cause="over budget")
rejected = wait_for(ask["executionArn"])
check(rejected["status"] == "FAILED" and rejected["error"] == "Nope" and rejected["cause"] == "over budget",
      rejected)

# Stop a waiting execution.
ask = sfn.start_execution(stateMachineArn=APPROVAL, input=json.dumps(expense))
token_of(ask["executionArn"])
sfn.stop_execution(executionArn=ask["executionArn"], error="Cancelled", cause="by the test")
stopped = wait_for(ask["executionArn"])
check(stopped["status"] == "ABORTED" and stopped["error"] == "Cancelled", stopped)

# An Express machine, run synchronously.
sync = sfn.start_sync_execution(stateMachineArn=FOOTBALL,
                                input=json.dumps({"name": "minjun", "TraningType": "공격수"}))
check(sync["status"] == "SUCCEEDED" and sync["billingDetails"]["billedDurationInMilliseconds"] >= 100, sync)
check(json.loads(sync["output"])["log"] == ["공격 훈련", "볼 경합 훈련"], sync["output"])
unknown = sfn.start_sync_execution(stateMachineArn=FOOTBALL, input=json.dumps({"TraningType": "?"}))
check(unknown["status"] == "FAILED" and unknown["error"] == "UnknownPosition", unknown)
refused(sfn.start_sync_execution, "StateMachineTypeNotSupported",
        "This operation is not supported by this type of state machine", stateMachineArn=ORDER)
refused(sfn.list_executions, "StateMachineTypeNotSupported", stateMachineArn=FOOTBALL)

# AWS's errors, by class and text.
refused(sfn.describe_execution, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: not_an_arn'",
        executionArn="not_an_arn")
missing = f"{PREFIX}:execution:Order:no-such-run"
refused(sfn.describe_execution, "ExecutionDoesNotExist", f"Execution Does Not Exist: '{missing}'",
        executionArn=missing)
refused(sfn.get_execution_history, "ExecutionDoesNotExist", executionArn=missing)
nothing = f"{PREFIX}:stateMachine:Nothing"
refused(sfn.start_execution, "StateMachineDoesNotExist", f"State Machine Does Not Exist: '{nothing}'",
        stateMachineArn=nothing)
refused(sfn.describe_state_machine, "StateMachineDoesNotExist", stateMachineArn=nothing)
refused(sfn.start_execution, "InvalidExecutionInput",
        "Invalid State Machine Execution Input: 'Unrecognized token 'not': was expecting",
        stateMachineArn=ORDER, input="not some json")
refused(sfn.start_execution, "InvalidName", stateMachineArn=ORDER, name="has space", input="{}")
refused(sfn.list_executions, "ValidationException",
        "Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
        stateMachineArn=ORDER, maxResults=1001)
refused(sfn.list_executions, "ValidationException", "Member must satisfy enum value set",
        stateMachineArn=ORDER, statusFilter="succeeded")
refused(sfn.stop_execution, "InvalidArn",
        "Resource type not valid in this context: express",
        executionArn=f"{PREFIX}:express:Football:a:b")

# Deployment scripts: the same definition is accepted under a new name; any other is refused
# with how to compile it in; a deleted machine answers as missing.
definition = sfn.describe_state_machine(stateMachineArn=ORDER)["definition"]
role = "arn:aws:iam::111111111111:role/deploy"
created = sfn.create_state_machine(name="OrderCopy", definition=definition, roleArn=role)
again = sfn.create_state_machine(name="OrderCopy", definition=definition, roleArn=role)
check(created["stateMachineArn"] == again["stateMachineArn"] == f"{PREFIX}:stateMachine:OrderCopy", created)
refused(sfn.create_state_machine, "StateMachineAlreadyExists", name="OrderCopy",
        definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}), roleArn=role)
copy = sfn.start_execution(stateMachineArn=created["stateMachineArn"], input=json.dumps(good))
check(copy["executionArn"].startswith(f"{PREFIX}:execution:OrderCopy:"), copy)
check(wait_for(copy["executionArn"])["status"] == "SUCCEEDED", "the copy runs")
for_execution = sfn.describe_state_machine_for_execution(executionArn=copy["executionArn"])
check(for_execution["name"] == "OrderCopy" and for_execution["roleArn"] == role, for_execution)
refused(sfn.create_state_machine, "InvalidDefinition", "compiled into it", name="Other",
        definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}), roleArn=role)
refused(sfn.create_state_machine, "InvalidDefinition", "MISSING_TRANSITION_TARGET", name="Broken",
        definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "Q"}}}), roleArn=role)
refused(sfn.update_state_machine, "MissingRequiredParameter", stateMachineArn=created["stateMachineArn"])
sfn.update_state_machine(stateMachineArn=created["stateMachineArn"], roleArn="arn:aws:iam::111111111111:role/other")
sfn.tag_resource(resourceArn=created["stateMachineArn"], tags=[{"key": "team", "value": "orders"}])
check(sfn.list_tags_for_resource(resourceArn=created["stateMachineArn"])["tags"]
      == [{"key": "team", "value": "orders"}], "tags")
sfn.untag_resource(resourceArn=created["stateMachineArn"], tagKeys=["team"])
check(sfn.list_tags_for_resource(resourceArn=created["stateMachineArn"])["tags"] == [], "untagged")
sfn.delete_state_machine(stateMachineArn=created["stateMachineArn"])
refused(sfn.describe_state_machine, "StateMachineDoesNotExist", stateMachineArn=created["stateMachineArn"])
refused(sfn.start_execution, "StateMachineDoesNotExist", stateMachineArn=created["stateMachineArn"])
check(sfn.describe_execution(executionArn=copy["executionArn"])["status"] == "SUCCEEDED",
      "a deleted machine's executions stay readable")

# The project's own checks behind ValidateStateMachineDefinition.
ok = sfn.validate_state_machine_definition(definition=definition)
check(ok["result"] == "OK" and ok["diagnostics"] == [], ok)
bad = sfn.validate_state_machine_definition(
    definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "Q"}}}))
check(bad["result"] == "FAIL" and bad["diagnostics"][0]["code"] == "MISSING_TRANSITION_TARGET"
      and bad["diagnostics"][0]["severity"] == "ERROR", bad)

print(f"boto3 {boto3.__version__}: {checks} checks passed")
