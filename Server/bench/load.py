"""PutEvents load on a running eventrouter-server: requests/s with 1, 8 and 64 keep-alive connections.

Each request is PutEvents with 10 entries onto a bus with 10 rules (one of which matches every
tenth event and delivers it to an SQS queue). The request is signed once with botocore's SigV4Auth
and sent unchanged: a SigV4 signature stays valid for 15 minutes, so the server verifies every
request in full while the client pays nothing per request.

    python load.py --url http://127.0.0.1:4010 --key AKID --secret S [--client wrk|python] [--duration 10]

Prints one JSON line per connection count.
"""
import argparse
import http.client
import json
import os
import subprocess
import tempfile
import threading
import time
import urllib.parse

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REGION = "us-east-1"


def setup(url, key, secret):
    events = boto3.client("events", endpoint_url=url, region_name=REGION, aws_access_key_id=key, aws_secret_access_key=secret)
    sqs = boto3.client("sqs", endpoint_url=url, region_name=REGION, aws_access_key_id=key, aws_secret_access_key=secret)
    try:
        events.create_event_bus(Name="bench")
    except events.exceptions.ResourceAlreadyExistsException:
        pass
    queue_url = sqs.create_queue(QueueName="bench")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    for i in range(10):
        events.put_rule(Name=f"rule{i}", EventBusName="bench",
                        EventPattern=json.dumps({"source": ["bench"], "detail": {"n": [{"numeric": ["=", i]}]}}))
    events.put_targets(Rule="rule0", EventBusName="bench", Targets=[{"Id": "q", "Arn": queue_arn}])


def signed_request(url, key, secret):
    entries = [{"Source": "bench", "DetailType": "load", "EventBusName": "bench",
                "Detail": json.dumps({"n": i, "payload": "x" * 100})} for i in range(10)]
    body = json.dumps({"Entries": entries})
    request = AWSRequest(method="POST", url=url + "/", data=body,
                         headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSEvents.PutEvents"})
    SigV4Auth(Credentials(key, secret), "events", REGION).add_auth(request)
    return body, {name: value for name, value in request.headers.items()}


def run_python(url, body, headers, connections, duration):
    parsed = urllib.parse.urlsplit(url)
    counts = [0] * connections
    errors = [0] * connections
    stop = time.monotonic() + duration

    def worker(index):
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        while time.monotonic() < stop:
            connection.request("POST", "/", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                counts[index] += 1
            else:
                errors[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"requests_per_s": round(sum(counts) / elapsed), "errors": sum(errors)}


def run_wrk(url, body, headers, connections, duration):
    lua = "wrk.method = 'POST'\nwrk.body = " + json.dumps(body) + "\n"
    for name, value in headers.items():
        if name.lower() != "content-length":
            lua += f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}\n"
    lua += ("done = function(summary, latency, requests)\n"
            "  io.write(string.format('JSON {\"requests\": %d, \"non2xx\": %d, \"p50_ms\": %.2f, \"p99_ms\": %.2f}\\n',"
            " summary.requests, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))\nend\n")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        output = subprocess.run(["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{duration}s",
                                 "-s", script.name, url + "/"], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    summary = json.loads(output.split("JSON ", 1)[1].splitlines()[0])
    rate = float([line for line in output.splitlines() if line.startswith("Requests/sec:")][0].split()[1])
    return {"requests_per_s": round(rate), "errors": summary["non2xx"], "p50_ms": summary["p50_ms"], "p99_ms": summary["p99_ms"]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:4010")
    parser.add_argument("--key", default="AKIDBENCH")
    parser.add_argument("--secret", default="bench-secret")
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", default="1,8,64")
    args = parser.parse_args()
    setup(args.url, args.key, args.secret)
    body, headers = signed_request(args.url, args.key, args.secret)
    for connections in [int(c) for c in args.connections.split(",")]:
        run = run_wrk if args.client == "wrk" else run_python
        result = run(args.url, body, headers, connections, args.duration)
        print(json.dumps({"client": args.client, "connections": connections, "entries_per_request": 10, **result}), flush=True)


if __name__ == "__main__":
    main()
