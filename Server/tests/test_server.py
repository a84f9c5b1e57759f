"""boto3 against eventrouter-server: EventBridge and SQS over AWS's JSON protocols, SigV4."""
import datetime
import hashlib
import hmac
import http.client
import json
import urllib.parse

import botocore.exceptions
import pytest

from conftest import ALICE, BOB, REGION, RunningServer, make_client


def receive_all(sqs, queue_url, expected, wait=5):
    """Receives until `expected` messages arrived or a long poll comes back empty, deleting them."""
    bodies = []
    while len(bodies) < expected:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait).get("Messages", [])
        if not messages:
            break
        for message in messages:
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return bodies


def test_health(server):
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("GET", "/health")
    response = connection.getresponse()
    assert response.status == 200
    assert json.loads(response.read())["status"] == "ok"


def test_bus_rule_transformer_queue_flow(alice_events, alice_sqs, unique):
    bus_arn = alice_events.create_event_bus(Name=unique)["EventBusArn"]
    assert bus_arn == f"arn:aws:events:{REGION}:{ALICE['account']}:event-bus/{unique}"
    assert alice_events.describe_event_bus(Name=unique)["Name"] == unique

    queue_url = alice_sqs.create_queue(QueueName=unique)["QueueUrl"]
    queue_arn = alice_sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    assert queue_arn == f"arn:aws:sqs:{REGION}:{ALICE['account']}:{unique}"
    assert alice_sqs.get_queue_url(QueueName=unique)["QueueUrl"] == queue_url

    pattern = {"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}}
    alice_events.put_rule(Name="big-orders", EventBusName=unique, EventPattern=json.dumps(pattern))
    rule = alice_events.describe_rule(Name="big-orders", EventBusName=unique)
    assert json.loads(rule["EventPattern"]) == pattern
    assert rule["State"] == "ENABLED"
    response = alice_events.put_targets(Rule="big-orders", EventBusName=unique, Targets=[{
        "Id": "queue", "Arn": queue_arn,
        "InputTransformer": {"InputPathsMap": {"id": "$.detail.id", "total": "$.detail.total"},
                             "InputTemplate": '{"order": <id>, "amount": <total>}'},
    }])
    assert response["FailedEntryCount"] == 0
    assert [t["Id"] for t in alice_events.list_targets_by_rule(Rule="big-orders", EventBusName=unique)["Targets"]] == ["queue"]

    entries = [{"Source": "shop", "DetailType": "Order", "EventBusName": unique,
                "Detail": json.dumps({"id": f"o{i}", "total": i * 30})} for i in range(10)]
    result = alice_events.put_events(Entries=entries)
    assert result["FailedEntryCount"] == 0
    assert all("EventId" in entry for entry in result["Entries"])

    bodies = receive_all(alice_sqs, queue_url, expected=6)
    assert sorted(json.loads(body)["order"] for body in bodies) == [f"o{i}" for i in range(4, 10)]
    assert all(json.loads(body)["amount"] > 100 for body in bodies)
    # Deleted: nothing left.
    assert alice_sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=0).get("Messages", []) == []


def test_list_and_delete(alice_events, unique):
    alice_events.create_event_bus(Name=unique)
    for i in range(3):
        alice_events.put_rule(Name=f"r{i}", EventBusName=unique, EventPattern='{"source": ["x"]}')
    page = alice_events.list_rules(EventBusName=unique, Limit=2)
    assert [r["Name"] for r in page["Rules"]] == ["r0", "r1"]
    rest = alice_events.list_rules(EventBusName=unique, NextToken=page["NextToken"])
    assert [r["Name"] for r in rest["Rules"]] == ["r2"]
    alice_events.disable_rule(Name="r0", EventBusName=unique)
    assert alice_events.describe_rule(Name="r0", EventBusName=unique)["State"] == "DISABLED"
    for i in range(3):
        alice_events.delete_rule(Name=f"r{i}", EventBusName=unique)
    alice_events.delete_event_bus(Name=unique)
    with pytest.raises(alice_events.exceptions.ResourceNotFoundException):
        alice_events.describe_event_bus(Name=unique)


def test_invalid_pattern_raises_boto3_exception(alice_events, unique):
    with pytest.raises(alice_events.exceptions.InvalidEventPatternException) as error:
        alice_events.put_rule(Name=unique, EventPattern='{"source": "not-an-array"}')
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(alice_events.exceptions.InvalidEventPatternException):
        alice_events.test_event_pattern(EventPattern="{nope", Event="{}")


def test_test_event_pattern(alice_events):
    event = {"id": "1", "account": ALICE["account"], "source": "shop", "time": "2026-01-01T00:00:00Z", "region": REGION,
             "resources": [], "detail-type": "Order", "detail": {"total": 5}}
    assert alice_events.test_event_pattern(EventPattern='{"detail": {"total": [5]}}', Event=json.dumps(event))["Result"] is True
    assert alice_events.test_event_pattern(EventPattern='{"detail": {"total": [6]}}', Event=json.dumps(event))["Result"] is False


def test_not_found_and_validation_errors(alice_events, alice_sqs, unique):
    with pytest.raises(alice_events.exceptions.ResourceNotFoundException):
        alice_events.describe_rule(Name=unique)
    with pytest.raises(alice_events.exceptions.ResourceNotFoundException):
        alice_events.put_targets(Rule=unique, Targets=[{"Id": "a", "Arn": "arn:aws:sqs:us-east-1:111111111111:q"}])
    with pytest.raises(alice_sqs.exceptions.QueueDoesNotExist):
        alice_sqs.get_queue_url(QueueName=unique)
    with pytest.raises(botocore.exceptions.ClientError) as error:
        alice_events.put_rule(Name="bad name!", EventPattern='{"source": ["x"]}')
    assert error.value.response["Error"]["Code"] == "ValidationException"


def test_cross_account_permissions(alice_events, alice_sqs, bob_events, unique):
    bus_arn = alice_events.create_event_bus(Name=unique)["EventBusArn"]
    queue_url = alice_sqs.create_queue(QueueName=unique)["QueueUrl"]
    queue_arn = alice_sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    alice_events.put_rule(Name="from-bob", EventBusName=unique, EventPattern=json.dumps({"account": [BOB["account"]]}))
    alice_events.put_targets(Rule="from-bob", EventBusName=unique, Targets=[{"Id": "q", "Arn": queue_arn}])

    entry = {"Source": "bob.app", "DetailType": "Hello", "Detail": '{"n": 1}', "EventBusName": bus_arn}
    # Bob may neither send to Alice's bus nor manage it.
    denied = bob_events.put_events(Entries=[entry])
    assert denied["FailedEntryCount"] == 1
    assert denied["Entries"][0]["ErrorCode"] == "AccessDeniedException"
    with pytest.raises(botocore.exceptions.ClientError) as error:
        bob_events.put_rule(Name="sneaky", EventBusName=bus_arn, EventPattern='{"source": ["x"]}')
    assert error.value.response["Error"]["Code"] == "AccessDeniedException"
    # Bob's own view is his own account.
    assert bob_events.describe_event_bus()["Arn"] == f"arn:aws:events:{REGION}:{BOB['account']}:event-bus/default"

    alice_events.put_permission(EventBusName=unique, Action="events:PutEvents", Principal=BOB["account"], StatementId="bob")
    allowed = bob_events.put_events(Entries=[entry])
    assert allowed["FailedEntryCount"] == 0
    bodies = receive_all(alice_sqs, queue_url, expected=1)
    assert len(bodies) == 1
    event = json.loads(bodies[0])
    assert event["account"] == BOB["account"]
    assert event["detail"] == {"n": 1}

    alice_events.remove_permission(EventBusName=unique, StatementId="bob")
    assert bob_events.put_events(Entries=[entry])["FailedEntryCount"] == 1


def test_wrong_secret_is_refused(server):
    client = make_client("events", server.url, ALICE, secret="not-alice-secret")
    with pytest.raises(botocore.exceptions.ClientError) as error:
        client.list_event_buses()
    assert error.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error.value.response["Error"]["Message"].startswith("The request signature we calculated does not match")


def test_unknown_key_is_refused(server):
    client = make_client("events", server.url, {"key": "AKIDNOBODY", "secret": "x"})
    with pytest.raises(botocore.exceptions.ClientError) as error:
        client.list_event_buses()
    assert error.value.response["Error"]["Code"] == "UnrecognizedClientException"
    assert error.value.response["Error"]["Message"] == "The security token included in the request is invalid."


def test_tampered_body_is_refused(server, unique):
    client = make_client("events", server.url, ALICE)

    def tamper(request, **kwargs):
        # After signing: the body no longer matches the signature.
        request.body = request.body.replace(b"innocent", b"tampered")

    client.meta.events.register("before-send.events.CreateEventBus", tamper)
    with pytest.raises(botocore.exceptions.ClientError) as error:
        client.create_event_bus(Name="innocent-" + unique[:20])
    assert error.value.response["Error"]["Code"] == "InvalidSignatureException"


def sign(method, url, headers, body, key, secret, when, service="events"):
    """A minimal SigV4 signer (independent of botocore), for requests at a chosen time."""
    parsed = urllib.parse.urlsplit(url)
    amz_date = when.strftime("%Y%m%dT%H%M%SZ")
    headers = dict(headers, host=parsed.netloc, **{"x-amz-date": amz_date})
    names = sorted(name.lower() for name in headers)
    lowered = {name.lower(): value for name, value in headers.items()}
    canonical = "\n".join([method, parsed.path or "/", parsed.query,
                           "".join(f"{name}:{lowered[name].strip()}\n" for name in names),
                           ";".join(names), hashlib.sha256(body).hexdigest()])
    scope = f"{amz_date[:8]}/{REGION}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    signing_key = ("AWS4" + secret).encode()
    for part in (amz_date[:8], REGION, service, "aws4_request"):
        signing_key = hmac.new(signing_key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(signing_key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = f"AWS4-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders={';'.join(names)}, Signature={signature}"
    return headers


def raw_call(server, operation, payload, when, person=ALICE, authorization=True):
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"AWSEvents.{operation}"}
    if authorization:
        headers = sign("POST", server.url + "/", headers, body, person["key"], person["secret"], when)
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("POST", "/", body=body, headers=headers)
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def test_independent_signer_is_accepted(server):
    status, body = raw_call(server, "ListEventBuses", {}, datetime.datetime.now(datetime.timezone.utc))
    assert status == 200
    assert any(bus["Name"] == "default" for bus in body["EventBuses"])


def test_old_request_is_refused(server):
    old = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
    status, body = raw_call(server, "ListEventBuses", {}, old)
    assert status == 400
    assert body["__type"] == "InvalidSignatureException"
    assert body["message"].startswith("Signature expired: " + old.strftime("%Y%m%dT%H%M%SZ") + " is now earlier than ")
    assert body["message"].endswith(" - 15 min.)")


def test_missing_authentication(server):
    status, body = raw_call(server, "ListEventBuses", {}, None, authorization=False)
    assert status == 403
    assert body["__type"] == "MissingAuthenticationTokenException"


def test_malformed_json_body(server):
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    when = datetime.datetime.now(datetime.timezone.utc)
    body = b"{not json"
    headers = sign("POST", server.url + "/", {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSEvents.PutRule"},
                   body, ALICE["key"], ALICE["secret"], when)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("POST", "/", body=body, headers=headers)
    response = connection.getresponse()
    assert response.status == 400
    assert json.loads(response.read())["__type"] == "SerializationException"


def test_oversized_body_is_refused(server):
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("POST", "/", body=b"x" * (2 << 20), headers={"X-Amz-Target": "AWSEvents.PutEvents"})
    response = connection.getresponse()
    assert response.status == 413


def test_simulator_services_answer_unknown_operation_until_attached(server):
    """Batch, EMR and ELBv2 are dispatched generically; a service that is not attached answers
    AWS's unknown-operation error (the lead attaches the simulators in attachSimulators(to:))."""
    emr = make_client("emr", server.url, ALICE)
    with pytest.raises(botocore.exceptions.ClientError) as error:
        emr.describe_cluster(ClusterId="j-DOESNOTEXIST")
    assert error.value.response["Error"]["Code"] in ("UnknownOperationException", "InvalidRequestException")
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    elb = make_client("elbv2", server.url, ALICE)
    with pytest.raises(botocore.exceptions.ClientError) as error:
        elb.describe_target_groups(Names=["no-such-group"])
    assert error.value.response["Error"]["Code"] in ("InvalidAction", "TargetGroupNotFound")
    batch = make_client("batch", server.url, ALICE)
    with pytest.raises(botocore.exceptions.ClientError) as error:
        batch.submit_job(jobName="j", jobQueue="no-such-queue", jobDefinition="no-such-definition")
    assert error.value.response["Error"]["Code"] in ("UnknownOperationException", "ClientException")


def test_open_mode_accepts_any_key(tmp_path):
    server = RunningServer([], tmp_path)
    try:
        assert "authentication is OFF" in server.output()
        client = make_client("events", server.url, {"key": "anything", "secret": "whatever"})
        assert client.describe_event_bus()["Arn"] == f"arn:aws:events:{REGION}:000000000000:event-bus/default"
    finally:
        assert server.stop() == 0


def test_open_mode_refuses_non_loopback(tmp_path):
    with pytest.raises(RuntimeError) as error:
        RunningServer(["--host", "0.0.0.0"], tmp_path)
    assert "loopback" in str(error.value)


def test_state_directory_survives_restart(tmp_path, credentials_file):
    state = tmp_path / "state"
    first = RunningServer(["--credentials", str(credentials_file), "--state", str(state)], tmp_path)
    events = make_client("events", first.url, ALICE)
    events.create_event_bus(Name="kept")
    events.put_rule(Name="kept-rule", EventBusName="kept", EventPattern='{"source": ["a"]}')
    make_client("sqs", first.url, ALICE).create_queue(QueueName="kept-queue")
    events.put_targets(Rule="kept-rule", EventBusName="kept",
                       Targets=[{"Id": "q", "Arn": f"arn:aws:sqs:{REGION}:{ALICE['account']}:kept-queue"}])
    assert first.stop() == 0

    second = RunningServer(["--credentials", str(credentials_file), "--state", str(state)], tmp_path)
    try:
        assert "replayed 4 configuration call(s)" in second.output()
        events = make_client("events", second.url, ALICE)
        assert events.describe_rule(Name="kept-rule", EventBusName="kept")["EventPattern"] == '{"source": ["a"]}'
        assert [t["Id"] for t in events.list_targets_by_rule(Rule="kept-rule", EventBusName="kept")["Targets"]] == ["q"]
        events.put_events(Entries=[{"Source": "a", "DetailType": "x", "Detail": "{}", "EventBusName": "kept"}])
        sqs = make_client("sqs", second.url, ALICE)
        queue_url = sqs.get_queue_url(QueueName="kept-queue")["QueueUrl"]
        assert len(receive_all(sqs, queue_url, expected=1)) == 1
    finally:
        second.stop()


def test_sigterm_shuts_down_cleanly(tmp_path, credentials_file):
    server = RunningServer(["--credentials", str(credentials_file)], tmp_path)
    make_client("events", server.url, ALICE).list_event_buses()
    assert server.stop() == 0
    output = server.output()
    assert "stopped" in output
    assert "AWSEvents" not in output or "events.ListEventBuses" in output   # the request log


def test_garbage_requests_get_aws_errors_and_the_server_survives(server):
    """Malformed requests of every kind: each gets an AWS-shaped 4xx answer, never a crash."""
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    cases = [
        ("POST", "/", b"", {}),
        ("POST", "/", b"\xff\xfe\x00garbage", {"X-Amz-Target": "AWSEvents.PutEvents", "Content-Type": "application/x-amz-json-1.1"}),
        ("POST", "/", b"[1, 2, 3]", {"X-Amz-Target": "AWSEvents.PutEvents"}),
        ("POST", "/", b"[" * 100000, {"X-Amz-Target": "AWSEvents.PutEvents"}),
        ("POST", "/", b"{}", {"X-Amz-Target": "NoDotHere"}),
        ("POST", "/", b"{}", {"X-Amz-Target": "Unknown.Service"}),
        ("POST", "/", b"{}", {"X-Amz-Target": "AWSEvents.PutEvents", "Authorization": "AWS4-HMAC-SHA256"}),
        ("POST", "/", b"{}", {"X-Amz-Target": "AWSEvents.PutEvents", "Authorization": "AWS4-HMAC-SHA256 Credential=//////"}),
        ("POST", "/", b"{}", {"X-Amz-Target": "AWSEvents.PutEvents", "Authorization": "Bearer x"}),
        ("POST", "/", b"{}", {"X-Amz-Target": "AWSEvents.PutEvents", "X-Amz-Date": "not-a-date",
                              "Authorization": f"AWS4-HMAC-SHA256 Credential={ALICE['key']}/20260101/us-east-1/events/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"}),
        ("GET", "/?Action=DescribeLoadBalancers&Version=1999-01-01", b"", {}),
        ("POST", "/", b"Action=X&Names.member.0=a&%zz=%", {"Content-Type": "application/x-www-form-urlencoded"}),
        ("POST", "/v1/", b"{}", {}),
        ("DELETE", "/v1/submitjob", b"{}", {}),
        ("GET", "/v1/tags/arn%3Aaws%3Abatch", b"", {}),
        ("PUT", "/anything?x=%%%", b"{}", {}),
    ]
    for method, path, body, headers in cases:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        assert 400 <= response.status < 500, (method, path, headers, response.status, payload)
        assert b"__type" in payload or b"<Code>" in payload, (method, path, payload)
    # Still serving.
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/health")
    assert connection.getresponse().status == 200


def test_sqs_send_list_purge_delete(alice_sqs, bob_sqs, unique):
    queue_url = alice_sqs.create_queue(QueueName=unique)["QueueUrl"]
    message_id = alice_sqs.send_message(QueueUrl=queue_url, MessageBody="hello",
                                        MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})["MessageId"]
    assert unique in [url.rsplit("/", 1)[1] for url in alice_sqs.list_queues(QueueNamePrefix=unique)["QueueUrls"]]
    assert "QueueUrls" not in bob_sqs.list_queues(QueueNamePrefix=unique)
    messages = alice_sqs.receive_message(QueueUrl=queue_url, MessageAttributeNames=["All"], WaitTimeSeconds=1)["Messages"]
    assert messages[0]["MessageId"] == message_id
    assert messages[0]["Body"] == "hello"
    assert messages[0]["MessageAttributes"]["k"]["StringValue"] == "v"
    alice_sqs.send_message(QueueUrl=queue_url, MessageBody="again")
    alice_sqs.purge_queue(QueueUrl=queue_url)
    assert alice_sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=0).get("Messages", []) == []
    alice_sqs.delete_queue(QueueUrl=queue_url)
    with pytest.raises(alice_sqs.exceptions.QueueDoesNotExist):
        alice_sqs.send_message(QueueUrl=queue_url, MessageBody="gone")


def test_long_poll_returns_when_a_message_arrives(alice_sqs, unique):
    import threading
    queue_url = alice_sqs.create_queue(QueueName=unique)["QueueUrl"]
    timer = threading.Timer(0.5, lambda: alice_sqs.send_message(QueueUrl=queue_url, MessageBody="late"))
    started = datetime.datetime.now()
    timer.start()
    messages = alice_sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=10).get("Messages", [])
    timer.join()
    assert [m["Body"] for m in messages] == ["late"]
    assert (datetime.datetime.now() - started).total_seconds() < 5


def test_concurrent_clients(server, alice_events, alice_sqs, unique):
    """Eight threads, each with its own boto3 client, put 20 × 10 events; every matching one arrives."""
    import threading
    alice_events.create_event_bus(Name=unique)
    queue_url = alice_sqs.create_queue(QueueName=unique)["QueueUrl"]
    queue_arn = alice_sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    alice_events.put_rule(Name="odd", EventBusName=unique, EventPattern='{"detail": {"odd": [true]}}')
    alice_events.put_targets(Rule="odd", EventBusName=unique, Targets=[{"Id": "q", "Arn": queue_arn, "InputPath": "$.detail.n"}])
    failures = []

    def worker(thread):
        client = make_client("events", server.url, ALICE)
        for batch in range(20):
            entries = [{"Source": "load", "DetailType": "n", "EventBusName": unique,
                        "Detail": json.dumps({"n": thread * 1000 + batch * 10 + i, "odd": i % 2 == 1})} for i in range(10)]
            result = client.put_events(Entries=entries)
            if result["FailedEntryCount"]:
                failures.append(result)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    bodies = receive_all(alice_sqs, queue_url, expected=800, wait=2)
    assert sorted(int(body) for body in bodies) == sorted(t * 1000 + b * 10 + i for t in range(8) for b in range(20) for i in range(1, 10, 2))


def test_hostile_numbers_get_errors_and_the_server_lives_on(server):
    """WaitTimeSeconds 1e300 reached Int(_:) and trapped, killing the server."""
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    for wait in ("1e300", "-1e300", "21", "0.5"):
        body = ('{"QueueUrl": "https://sqs.%s.amazonaws.com/%s/nope", "WaitTimeSeconds": %s}' % (REGION, ALICE["account"], wait)).encode()
        headers = sign("POST", server.url + "/", {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ReceiveMessage"},
                       body, ALICE["key"], ALICE["secret"], datetime.datetime.now(datetime.timezone.utc), service="sqs")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("POST", "/", body=body, headers=headers)
        response = connection.getresponse()
        assert response.status == 400, wait
        assert response.getheader("x-amzn-query-error") == "InvalidParameterValue;Sender"
        response.read()
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/health")
    assert connection.getresponse().status == 200


def test_query_protocol_errors_stay_well_formed_xml(server):
    """A control character echoed in an ELBv2 error message: boto3 still parses the answer."""
    elb = make_client("elbv2", server.url, ALICE)
    for name in ("bad\x01name", "a\x00b", "x\ry"):
        with pytest.raises(botocore.exceptions.ClientError) as error:
            elb.describe_target_groups(Names=[name])
        assert error.value.response["Error"]["Code"] in ("ValidationError", "TargetGroupNotFound", "InvalidAction")
    # A form decoding limit answers in the query protocol's shape too.
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    body = b"Action=DescribeTargetGroups&Version=2015-12-01&Names.member.99999999999999999999=x"
    headers = sign("POST", server.url + "/", {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
                   body, ALICE["key"], ALICE["secret"], datetime.datetime.now(datetime.timezone.utc), service="elasticloadbalancing")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("POST", "/", body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    assert response.status == 400
    assert "<Code>MalformedQueryString</Code>" in text
