"""The same flow once with the `aws` command-line tool (awscli from PyPI, in the test venv)."""
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from conftest import ALICE, REGION


def aws_command():
    beside = pathlib.Path(sys.executable).parent / "aws"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("aws")
    return [found] if found else None


@pytest.fixture
def aws(server, tmp_path):
    command = aws_command()
    if command is None:
        pytest.skip("the aws command-line tool is not installed (make test-server installs awscli)")
    env = dict(os.environ, AWS_ACCESS_KEY_ID=ALICE["key"], AWS_SECRET_ACCESS_KEY=ALICE["secret"], AWS_DEFAULT_REGION=REGION,
               AWS_CONFIG_FILE=str(tmp_path / "none"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"), AWS_PAGER="")

    def run(*args, check=True):
        result = subprocess.run([*command, "--endpoint-url", server.url, "--output", "json", *args],
                                env=env, capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} failed ({result.returncode}): {result.stderr}")
        return result

    return run


def test_cli_flow(aws, unique):
    bus = json.loads(aws("events", "create-event-bus", "--name", unique).stdout)
    assert bus["EventBusArn"].endswith(f":event-bus/{unique}")
    queue_url = json.loads(aws("sqs", "create-queue", "--queue-name", unique).stdout)["QueueUrl"]
    attributes = json.loads(aws("sqs", "get-queue-attributes", "--queue-url", queue_url, "--attribute-names", "QueueArn").stdout)
    queue_arn = attributes["Attributes"]["QueueArn"]

    aws("events", "put-rule", "--name", "cli-rule", "--event-bus-name", unique, "--event-pattern", '{"source": ["cli"]}')
    aws("events", "put-targets", "--rule", "cli-rule", "--event-bus-name", unique,
        "--targets", json.dumps([{"Id": "q", "Arn": queue_arn, "InputPath": "$.detail"}]))
    entries = [{"Source": "cli", "DetailType": "t", "Detail": json.dumps({"n": n}), "EventBusName": unique} for n in range(3)]
    result = json.loads(aws("events", "put-events", "--entries", json.dumps(entries)).stdout)
    assert result["FailedEntryCount"] == 0

    received = []
    for _ in range(5):
        output = aws("sqs", "receive-message", "--queue-url", queue_url, "--max-number-of-messages", "10",
                     "--wait-time-seconds", "5").stdout
        messages = json.loads(output)["Messages"] if output.strip() else []
        for message in messages:
            received.append(json.loads(message["Body"]))
            aws("sqs", "delete-message", "--queue-url", queue_url, "--receipt-handle", message["ReceiptHandle"])
        if len(received) >= 3:
            break
    assert sorted(body["n"] for body in received) == [0, 1, 2]

    bad = aws("events", "put-rule", "--name", "bad", "--event-pattern", '{"source": "x"}', check=False)
    assert bad.returncode != 0
    assert "InvalidEventPatternException" in bad.stderr

    missing = aws("events", "describe-rule", "--name", "nope-" + unique, check=False)
    assert missing.returncode != 0
    assert "ResourceNotFoundException" in missing.stderr
