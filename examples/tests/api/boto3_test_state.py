"""TestState through boto3: states of the compiled Order machine tested on their own, named by
stateName in its whole definition or given as the state alone, with the inspection levels and
mocks. Usage: boto3_test_state.py ENDPOINT."""

import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sfn = boto3.client(
    "stepfunctions",
    endpoint_url=sys.argv[1],
    region_name="us-east-1",
    aws_access_key_id="testing",
    aws_secret_access_key="testing",
    # TestState goes to the `sync-` host on AWS; this server answers on one.
    config=Config(inject_host_prefix=False, retries={"max_attempts": 1}),
)
ORDER = "arn:aws:states:us-east-1:111111111111:stateMachine:Order"
ROLE = "arn:aws:iam::111111111111:role/StepFunctionsRole"
definition = sfn.describe_state_machine(stateMachineArn=ORDER)["definition"]
states = json.loads(definition)["States"]
checks = 0

# A Task by its name in the whole definition, its handler called, every step shown.
order = {"orderId": "T-1", "items": [{"price": 2.5}, {"price": 4.0}]}
r = sfn.test_state(definition=definition, stateName="Validate order", roleArn=ROLE,
                   input=json.dumps(order), inspectionLevel="DEBUG")
assert r["status"] == "SUCCEEDED", r
assert r["nextState"] == "Is it valid?", r
data = r["inspectionData"]
assert json.loads(data["input"]) == order, data
assert json.loads(data["afterParameters"]) == {"FunctionName": "validate-order", "Payload": order}, data
assert json.loads(data["result"])["Payload"] == {"valid": True, "total": 6.5}, data
assert json.loads(data["afterResultSelector"]) == {"valid": True, "total": 6.5}, data
assert json.loads(r["output"])["validation"] == {"valid": True, "total": 6.5}, r
checks += 1

# The state alone: a Choice, at INFO (no inspection data).
r = sfn.test_state(definition=json.dumps(states["Is it valid?"]),
                   input=json.dumps({"validation": {"valid": False, "total": 0}}))
assert r["status"] == "SUCCEEDED" and r["nextState"] == "Order failed", r
assert "inspectionData" not in r, r
checks += 1

# A mocked error: retriable while the Retrier allows, then caught.
busy = {"errorOutput": {"error": "PaymentServiceUnavailable", "cause": "try later"}}
r = sfn.test_state(definition=definition, stateName="Charge payment", input=json.dumps(order),
                   inspectionLevel="DEBUG", mock=busy)
assert r["status"] == "RETRIABLE", r
assert r["inspectionData"]["errorDetails"]["retryIndex"] == 0, r
r = sfn.test_state(definition=definition, stateName="Charge payment", input=json.dumps(order),
                   inspectionLevel="DEBUG", mock=busy, stateConfiguration={"retrierRetryCount": 3})
assert r["status"] == "CAUGHT_ERROR" and r["nextState"] == "Order failed", r
assert r["inspectionData"]["errorDetails"]["catchIndex"] == 0, r
assert json.loads(r["output"])["error"] == {"Error": "PaymentServiceUnavailable", "Cause": "try later"}, r
checks += 1

# A mocked result: the service's raw response, through ResultSelector and ResultPath.
r = sfn.test_state(definition=json.dumps(states["Arrange shipping"]), input=json.dumps(order),
                   inspectionLevel="DEBUG", mock={"result": json.dumps({"MessageId": "m-7"})})
assert r["status"] == "SUCCEEDED" and r["nextState"] == "Create receipt", r
assert json.loads(r["output"])["shipping"] == {"trackingId": "m-7"}, r
checks += 1


def refused(code, **request):
    try:
        sfn.test_state(**request)
    except ClientError as e:
        assert e.response["Error"]["Code"] == code, e.response
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response
        return e.response["Error"]["Message"]
    raise AssertionError(f"{request} was not refused")


refused("ValidationException", definition=definition, stateName="Validate order", inspectionLevel="LOUD")
refused("ValidationException", definition=definition)
refused("ValidationException", definition=json.dumps(states["Is it valid?"]), mock={"result": "{}"})
message = refused("ValidationException", definition=definition, stateName="Validate order",
                  mock={"result": "{}"}, context=json.dumps({"Execution": {"Name": "x"}}))
assert "not supported" in message, message
message = refused("InvalidDefinition", definition=json.dumps({"Type": "Pass", "Result": "not compiled", "End": True}))
assert "compiled" in message, message
checks += 1
print(f"test state: {checks} checks passed")
