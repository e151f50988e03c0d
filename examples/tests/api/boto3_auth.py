"""Signatures and throttling, through boto3: the server at ENDPOINT accepts access key
AKIDASLTEST (secret "asl-test-secret") only, and StartExecution's bucket holds 5 calls,
refilled 1 a second.

usage: boto3_auth.py ENDPOINT_URL
"""

import json
import sys
import time

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = sys.argv[1]
ORDER = "arn:aws:states:us-east-1:111111111111:stateMachine:Order"


def client(key="AKIDASLTEST", secret="asl-test-secret", **config):
    return boto3.client(
        "stepfunctions",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(**config),
    )


def code_of(call):
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"]
    return None, None


checks = 0


def check(condition, what):
    global checks
    if not condition:
        raise AssertionError(what)
    checks += 1


good = client()
check("stateMachines" in good.list_state_machines(), "a signed request is answered")

code, message = code_of(lambda: client(secret="wrong").list_state_machines())
check(code == "InvalidSignatureException" and "signature we calculated does not match" in message,
      (code, message))
# EventBridge requests are signed for the "events" service.
events = boto3.client("events", endpoint_url=ENDPOINT, region_name="us-east-1",
                      aws_access_key_id="AKIDASLTEST", aws_secret_access_key="asl-test-secret")
check("Rules" in events.list_rules(), "a signed EventBridge request is answered")
bad_events = boto3.client("events", endpoint_url=ENDPOINT, region_name="us-east-1",
                          aws_access_key_id="AKIDASLTEST", aws_secret_access_key="wrong")
check(code_of(lambda: bad_events.list_rules())[0] == "InvalidSignatureException", "a bad EventBridge signature")
code, _ = code_of(lambda: client(key="AKIDUNKNOWN").list_state_machines())
check(code == "UnrecognizedClientException", code)
code, _ = code_of(lambda: client(signature_version=UNSIGNED).list_state_machines())
check(code == "MissingAuthenticationTokenException", code)

# A burst past StartExecution's bucket: without retries some calls are throttled...
order = json.dumps({"orderId": "T", "address": "Main St", "items": [{"price": 1.0}]})
once = client(retries={"mode": "standard", "max_attempts": 1})
began = time.monotonic()
answers = [code_of(lambda: once.start_execution(stateMachineArn=ORDER, input=order)) for _ in range(12)]
took = time.monotonic() - began
codes = [code for code, _ in answers]
throttled = codes.count("ThrottlingException")
# At most the bucket and what it regained meanwhile got through; the rest were throttled.
check(throttled > 0 and codes.count(None) <= 5 + int(took) + 1, (codes, took))
check(set(codes) <= {None, "ThrottlingException"}, codes)
check(all(m == "Rate exceeded" for c, m in answers if c), answers)
# ...and the SDK's retries with back-off get through.
patient = client(retries={"mode": "standard", "max_attempts": 10})
started = patient.start_execution(stateMachineArn=ORDER, input=order)
check(started["executionArn"].startswith("arn:aws:states:us-east-1:111111111111:execution:Order:"), started)

print(f"boto3 {boto3.__version__}: {checks} signature and throttling checks passed ({throttled} of 12 throttled)")
