"""EventBridge through boto3's `events` client against the example server: rules with event
patterns and targets start state machines from PutEvents, with the event (or part of it, or a
transformed input) as their input; TestEventPattern; rule states and buses.

usage: boto3_events.py ENDPOINT_URL
"""

import json
import sys
import time

import boto3
from botocore.exceptions import ClientError

ENDPOINT = sys.argv[1]
PREFIX = "arn:aws:states:us-east-1:111111111111"
ORDER = f"{PREFIX}:stateMachine:Order"
APPROVAL = f"{PREFIX}:stateMachine:Approval"

kwargs = dict(endpoint_url=ENDPOINT, region_name="us-east-1",
              aws_access_key_id="testing", aws_secret_access_key="testing")
events = boto3.client("events", **kwargs)
sfn = boto3.client("stepfunctions", **kwargs)
checks = 0


def check(condition, what):
    global checks
    if not condition:
        raise AssertionError(what)
    checks += 1


def code_of(call, **kw):
    try:
        call(**kw)
    except ClientError as e:
        return e.response["Error"]["Code"]
    return None


def executions_with(machine, wanted, timeout=20):
    """The executions of `machine` whose input is `wanted`, once there is one."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = []
        for e in sfn.list_executions(stateMachineArn=machine)["executions"]:
            d = sfn.describe_execution(executionArn=e["executionArn"])
            if json.loads(d["input"]) == wanted:
                found.append(d)
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"no execution of {machine} with input {wanted}")


order = {"orderId": "E-1", "address": "Main St 1", "items": [{"price": 8.0}]}
arn = events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"], "detail-type": ["OrderPlaced"]}))["RuleArn"]
check(arn == "arn:aws:events:us-east-1:111111111111:rule/orders", arn)
put = events.put_targets(Rule="orders", Targets=[{"Id": "order", "Arn": ORDER, "InputPath": "$.detail"}])
check(put["FailedEntryCount"] == 0, put)
answer = events.put_events(Entries=[
    {"Source": "shop", "DetailType": "OrderPlaced", "Detail": json.dumps(order)},
    {"Source": "elsewhere", "DetailType": "OrderPlaced", "Detail": json.dumps({"orderId": "no"})},
    {"Source": "shop", "Detail": "{}"},
])
check(answer["FailedEntryCount"] == 1 and "EventId" in answer["Entries"][0], answer)
check(answer["Entries"][2]["ErrorCode"] == "InvalidArgument", answer["Entries"][2])
started = executions_with(ORDER, order)
check(len(started) == 1, started)
for _ in range(200):
    if sfn.describe_execution(executionArn=started[0]["executionArn"])["status"] != "RUNNING":
        break
    time.sleep(0.05)
check(sfn.describe_execution(executionArn=started[0]["executionArn"])["status"] == "SUCCEEDED", "the order ran")

# An input transformer, into a machine that waits for its token.
events.put_rule(Name="expenses", EventPattern=json.dumps({"source": ["hr"], "detail": {"amount": [{"numeric": [">", 0]}]}}))
events.put_targets(Rule="expenses", Targets=[{"Id": "approve", "Arn": APPROVAL, "InputTransformer": {
    "InputPathsMap": {"id": "$.detail.id", "amount": "$.detail.amount"},
    "InputTemplate": '{"id": <id>, "amount": <amount>, "employee": "from <id>"}'}}])
events.put_events(Entries=[{"Source": "hr", "DetailType": "Expense", "Detail": json.dumps({"id": "x-7", "amount": 30})}])
executions_with(APPROVAL, {"id": "x-7", "amount": 30, "employee": "from x-7"})
targets = events.list_targets_by_rule(Rule="expenses")["Targets"]
check(targets[0]["InputTransformer"]["InputPathsMap"] == {"id": "$.detail.id", "amount": "$.detail.amount"}, targets)

# Rules as AWS describes them; a disabled rule starts nothing.
rule = events.describe_rule(Name="orders")
check(rule["State"] == "ENABLED" and json.loads(rule["EventPattern"])["source"] == ["shop"], rule)
check(sorted(r["Name"] for r in events.list_rules()["Rules"]) == ["expenses", "orders"], "listed")
events.disable_rule(Name="orders")
check(events.describe_rule(Name="orders")["State"] == "DISABLED", "disabled")
quiet = {"orderId": "E-2", "address": "Main St 2", "items": [{"price": 1.0}]}
events.put_events(Entries=[{"Source": "shop", "DetailType": "OrderPlaced", "Detail": json.dumps(quiet)}])
time.sleep(0.3)
check(all(json.loads(sfn.describe_execution(executionArn=e["executionArn"])["input"]) != quiet
          for e in sfn.list_executions(stateMachineArn=ORDER)["executions"]), "a disabled rule started an execution")
check(code_of(events.delete_rule, Name="orders") == "ValidationException", "a rule with targets is kept")
events.remove_targets(Rule="orders", Ids=["order"])
events.delete_rule(Name="orders")
check(code_of(events.describe_rule, Name="orders") == "ResourceNotFoundException", "deleted")

# TestEventPattern as AWS answers it.
event = {"id": "1", "source": "shop", "detail-type": "OrderPlaced", "account": "111111111111",
         "region": "us-east-1", "time": "2026-11-30T00:00:00Z", "detail": {"total": 12}}
check(events.test_event_pattern(EventPattern=json.dumps({"detail": {"total": [{"numeric": [">", 10]}]}}),
                                Event=json.dumps(event))["Result"] is True, "matches")
check(events.test_event_pattern(EventPattern=json.dumps({"source": [{"prefix": "x"}]}),
                                Event=json.dumps(event))["Result"] is False, "does not match")
check(code_of(events.test_event_pattern, EventPattern=json.dumps({"source": "shop"}), Event=json.dumps(event))
      == "InvalidEventPatternException", "an invalid pattern")
check(code_of(events.put_rule, Name="bad", EventPattern=json.dumps({"a": []})) == "InvalidEventPatternException", "refused")

# A bus of its own.
bus = events.create_event_bus(Name="warehouse")["EventBusArn"]
check(bus == "arn:aws:events:us-east-1:111111111111:event-bus/warehouse", bus)
events.put_rule(Name="restock", EventBusName="warehouse", EventPattern=json.dumps({"source": ["stock"]}))
events.put_targets(Rule="restock", EventBusName="warehouse", Targets=[{"Id": "o", "Arn": ORDER, "InputPath": "$.detail"}])
restock = {"orderId": "W-1", "address": "Depot", "items": [{"price": 2.0}]}
events.put_events(Entries=[{"Source": "stock", "DetailType": "Low", "Detail": json.dumps(restock), "EventBusName": "warehouse"}])
executions_with(ORDER, restock)
check({b["Name"] for b in events.list_event_buses()["EventBuses"]} == {"default", "warehouse"}, "buses")

print(f"boto3 {boto3.__version__}: {checks} EventBridge checks passed")
