"""Replays one recorded API call sequence of api.jsonl against a server through boto3 and
compares each answer with AWS's recorded one (normalised as the recording was, by
sfncompare from the corpus folder). Prints one JSON line a step:
{"step", "op", "result": "match" | "mismatch" | "unrecorded" | "unserved", "detail"}.

usage: replay.py ENDPOINT_URL CASE_FILE CORPUS_DIR
"""

import datetime
import json
import re
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError

ENDPOINT, CASE_FILE, CORPUS = sys.argv[1:4]
sys.path.insert(0, CORPUS)
import sfncompare  # noqa: E402

case = json.load(open(CASE_FILE))
norm = case.get("normalize") or {}
regexes = norm.get("regex") or []
wildcards = tuple(norm.get("wildcard_values") or ())
sfn = boto3.client(
    "stepfunctions",
    endpoint_url=ENDPOINT,
    region_name="us-east-1",
    aws_access_key_id="testing",
    aws_secret_access_key="testing",
    config=Config(inject_host_prefix=False, retries={"max_attempts": 1}),
)

# The recording named the executions it started without a name by uuids; the replay starts
# them with those names: in the order the recording's placeholders number them, then in the
# order later requests name them.
recorded_names = []
for pattern, replacement in regexes:
    if replacement.startswith("<ExecArnPart_") and pattern not in recorded_names:
        recorded_names.append(pattern)
for step in case["steps"]:
    arn = step["request"].get("executionArn")
    answered = "response" in (step.get("expected") or {})
    if answered and isinstance(arn, str) and ":execution:" in arn:
        name = arn.rsplit(":", 1)[-1]
        if name not in recorded_names:
            recorded_names.append(name)
# Page tokens are the server's own: a request that continues a listing gets the token of the
# server's previous page of that operation.
last_token = {}

# The recording wrote some request values as placeholders naming an enum value
# ("<any:...StateMachineType.EXPRESS>"): the replay sends the value.
ENUM = re.compile(r"^<any:[\w.]+\.(\w+)>$")


def concrete(value):
    if isinstance(value, str):
        m = ENUM.match(value)
        return m.group(1) if m else value
    if isinstance(value, dict):
        return {k: concrete(v) for k, v in value.items()}
    if isinstance(value, list):
        return [concrete(v) for v in value]
    return value


def snake(op):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", op).lower()


def snapshot_form(value):
    """An answer as the snapshot library wrote AWS's: dates as "datetime", JSON texts parsed,
    the HTTP metadata reduced to the status."""
    if isinstance(value, datetime.datetime):
        return "datetime"
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "ResponseMetadata":
                out[k] = {"HTTPHeaders": {}, "HTTPStatusCode": v.get("HTTPStatusCode")}
            else:
                out[k] = snapshot_form(v)
        return out
    if isinstance(value, list):
        return [snapshot_form(v) for v in value]
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return snapshot_form(json.loads(value))
        except json.JSONDecodeError:
            return value
    return value


def settle(request):
    """Waits for the execution a request names to end (polling calls were not recorded)."""
    arn = request.get("executionArn")
    if not isinstance(arn, str) or ":execution:" not in arn:
        return
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            if sfn.describe_execution(executionArn=arn)["status"] != "RUNNING":
                return
        except ClientError:
            return
        time.sleep(0.02)


def report(step, op, result, detail=""):
    print(json.dumps({"step": step, "op": op, "result": result, "detail": detail}), flush=True)


for i, step in enumerate(case["steps"]):
    op, request, expected = step["op"], concrete(dict(step["request"])), step.get("expected")
    method = getattr(sfn, snake(op), None)
    if method is None:
        report(i, op, "unserved", "boto3 has no such operation")
        continue
    if op in ("StartExecution", "StartSyncExecution") and "name" not in request and recorded_names:
        request["name"] = recorded_names.pop(0)
    if op in ("DescribeExecution", "GetExecutionHistory", "DescribeStateMachineForExecution"):
        settle(request)
    token = request.get("nextToken")
    if isinstance(token, str) and 0 < len(token) <= 1024 and op in last_token:
        request["nextToken"] = last_token[op]
    try:
        answer = {"response": method(**request)}
        if "nextToken" in answer["response"]:
            last_token[op] = answer["response"]["nextToken"]
    except ParamValidationError as e:
        answer = {"error": {"code": "ParamValidationError", "message": str(e)}}
    except ClientError as e:
        error = e.response["Error"]
        answer = {"error": {"code": error.get("Code"), "message": error.get("Message")}}
    if expected is None:
        report(i, op, "unrecorded")
        continue
    if "error" in expected:
        got = answer.get("error")
        if got is None:
            report(i, op, "mismatch", f"expected {expected['error']['code']}, got a response")
            continue
        if got["code"] != expected["error"]["code"]:
            report(i, op, "mismatch", f"expected {expected['error']['code']}, got {got['code']}: {got['message'][:300]}")
            continue
        difference = sfncompare.values_match(
            expected["error"]["message"], sfncompare.normalize(got["message"], regexes), "$.message", wildcards
        )
        report(i, op, "mismatch" if difference else "match", difference or "")
        continue
    if "error" in answer:
        report(i, op, "mismatch", f"expected a response, got {answer['error']['code']}: {answer['error']['message'][:300]}")
        continue
    actual = sfncompare.normalize(snapshot_form(answer["response"]), regexes)
    difference = sfncompare.values_match(expected["response"], actual, "$", wildcards)
    report(i, op, "mismatch" if difference else "match", difference or "")
