"""The bus through Python: function targets that are Python callables, retries, the DLQ, the clock."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

import eventrouter
from eventrouter import DeliveryFailed, Router

ACCOUNT = "123456789012"
DLQ_ARN = f"arn:aws:sqs:us-east-1:{ACCOUNT}:orders-dlq"


def test_python_target_fails_retries_and_lands_in_the_dlq(router):
    attempts = []

    def billing(delivery: eventrouter.Delivery) -> None:
        attempts.append((delivery.attempt, delivery.time))
        assert delivery.json()["detail"] == {"total": 250}
        assert delivery.event["source"] == "shop"
        assert delivery.rule_arn == f"arn:aws:events:us-east-1:{ACCOUNT}:rule/orders"
        raise ConnectionError("billing is down")

    arn = router.create_function("billing", billing)
    assert arn == f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:billing"
    router.create_queue(QueueName="orders-dlq")
    router.put_rule(Name="orders", EventPattern={"source": ["shop"], "detail-type": ["OrderPlaced"]})
    result = router.put_targets(Rule="orders", Targets=[{
        "Id": "billing", "Arn": arn,
        "RetryPolicy": {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 3600},
        "DeadLetterConfig": {"Arn": DLQ_ARN},
    }])
    assert result["FailedEntryCount"] == 0

    sent = router.put_events(Entries=[{"Source": "shop", "DetailType": "OrderPlaced", "Detail": {"total": 250}}])
    assert sent["FailedEntryCount"] == 0
    assert [a for a, _ in attempts] == [1]                      # the first attempt is due at once
    assert router.get_queue_attributes(QueueUrl="orders-dlq")["Attributes"]["ApproximateNumberOfMessages"] == "0"

    made = router.advance(timedelta(hours=1))
    assert made == 3
    assert [a for a, _ in attempts] == [1, 2, 3, 4]
    times = [t for _, t in attempts]
    assert times == sorted(times) and times[0] == datetime(2025, 1, 1, tzinfo=timezone.utc)

    messages = router.receive_message(QueueUrl="orders-dlq", MaxNumberOfMessages=10)["Messages"]
    assert len(messages) == 1
    body = json.loads(messages[0]["Body"])
    assert body["detail"] == {"total": 250}
    attributes = {k: v["StringValue"] for k, v in messages[0]["MessageAttributes"].items()}
    assert attributes["ERROR_CODE"] == "TARGET_ERROR"
    assert "billing is down" in attributes["ERROR_MESSAGE"]
    assert attributes["RETRY_ATTEMPTS"] == "3"
    assert attributes["EXHAUSTED_RETRY_CONDITION"] == "MaximumRetryAttempts"

    metrics = router.get_metrics(RuleArn=f"arn:aws:events:us-east-1:{ACCOUNT}:rule/orders")
    assert metrics["InvocationsSentToDlq"] == 1
    accounting = router.get_accounting()
    assert accounting["DeadLettered"] == 1 and accounting["Matched"] == 1


def test_non_retriable_failure_goes_to_the_dlq_at_once(router):
    calls = []

    def strict(delivery):
        calls.append(delivery.attempt)
        raise DeliveryFailed("bad request", code="NO_PERMISSIONS", retriable=False)

    arn = router.create_function("strict", strict)
    router.create_queue(QueueName="orders-dlq")
    router.put_rule(Name="r", EventPattern={"source": ["shop"]})
    router.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": arn, "DeadLetterConfig": {"Arn": DLQ_ARN}}])
    router.put_events(Entries=[{"Source": "shop", "DetailType": "x", "Detail": "{}"}])
    router.advance(3600)
    assert calls == [1]
    message = router.receive_message(QueueUrl="orders-dlq")["Messages"][0]
    assert message["MessageAttributes"]["ERROR_CODE"]["StringValue"] == "NO_PERMISSIONS"
    assert message["MessageAttributes"]["ERROR_MESSAGE"]["StringValue"] == "bad request"


def test_a_target_that_recovers_is_delivered_once(router):
    calls = []

    def flaky(delivery):
        calls.append(delivery.attempt)
        return delivery.attempt >= 3        # False fails the attempt

    arn = router.create_function("flaky", flaky)
    router.put_rule(Name="r", EventPattern={"source": ["shop"]})
    router.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": arn, "Input": {"fixed": True}}])
    router.put_events(Entries=[{"Source": "shop", "DetailType": "x", "Detail": {}}])
    router.advance(600)
    assert calls == [1, 2, 3]
    assert router.get_accounting()["Delivered"] == 1


def test_input_transformer_reaches_the_callable(router):
    seen = []
    arn = router.create_function("f", lambda d: seen.append(d.input))
    router.put_rule(Name="r", EventPattern={"source": ["shop"]})
    router.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": arn, "InputTransformer": {
        "InputPathsMap": {"total": "$.detail.total"}, "InputTemplate": '{"amount": <total>}'}}])
    router.put_events(Entries=[{"Source": "shop", "DetailType": "x", "Detail": {"total": 9}}])
    assert [json.loads(s) for s in seen] == [{"amount": 9}]


def test_scheduled_rule_and_the_manual_clock():
    ticks = []
    with Router(start="2025-03-01T00:00:00Z") as router:
        assert router.now == datetime(2025, 3, 1, tzinfo=timezone.utc)
        arn = router.create_function("tick", lambda d: ticks.append(d.time))
        router.put_rule(Name="every5", ScheduleExpression="rate(5 minutes)")
        router.put_targets(Rule="every5", Targets=[{"Id": "t", "Arn": arn}])
        assert router.run_until_idle() == 0
        router.advance(3600)
        assert len(ticks) == 12
        assert router.now == datetime(2025, 3, 1, 1, tzinfo=timezone.utc)
        with pytest.raises(eventrouter.InvalidArgumentError):
            router.advance(-1)


def test_call_with_service_and_operation_names(router):
    assert router.call("events", "PutRule", {"Name": "r"}, EventPattern={"source": ["a"]}) == {
        "RuleArn": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/r"}
    described = router.call("events", "DescribeRule", Name="r")
    assert json.loads(described["EventPattern"]) == {"source": ["a"]}
    other = router.call("events", "ListRules", account="111122223333")
    assert other["Rules"] == []
    assert router.test_event_pattern(EventPattern={"source": ["a"]}, Event=json.dumps({
        "id": "1", "source": "a", "detail-type": "x", "account": ACCOUNT, "region": "us-east-1",
        "time": "2025-01-01T00:00:00Z", "resources": [], "detail": {}})) == {"Result": True}


def test_router_errors_map_to_exceptions(router):
    with pytest.raises(eventrouter.ResourceNotFoundError) as info:
        router.describe_rule(Name="nope")
    assert info.value.code == "ResourceNotFoundException"
    assert info.value.message == "Rule nope does not exist on EventBus default."
    router.create_event_bus(Name="b")
    with pytest.raises(eventrouter.ResourceAlreadyExistsError):
        router.create_event_bus(Name="b")
    with pytest.raises(eventrouter.InvalidEventPatternError) as info:
        router.put_rule(Name="r", EventPattern={"source": "shop"})
    assert info.value.code == "InvalidEventPatternException"
    with pytest.raises(eventrouter.ValidationError):
        router.put_rule(Name="bad name!", EventPattern={"source": ["a"]})
    with pytest.raises(eventrouter.ValidationError):
        router.list_rules(account="12")
    with pytest.raises(eventrouter.ApiError) as info:
        router.call("events", "Frobnicate")
    assert info.value.code == "UnknownOperationException"


def test_closed_router_raises_and_never_calls_back():
    calls = []
    router = Router()
    arn = router.create_function("f", lambda d: calls.append(1))
    router.put_rule(Name="r", ScheduleExpression="rate(1 minute)")
    router.put_targets(Rule="r", Targets=[{"Id": "t", "Arn": arn}])
    router.advance(60)
    assert calls == [1]
    router.close()
    with pytest.raises(eventrouter.InvalidHandleError):
        router.advance(60)
    with pytest.raises(eventrouter.InvalidHandleError):
        router.list_rules()
    assert calls == [1]


def test_simulated_services_are_attached():
    """Batch, EMR and ELBv2 answer through the same entry point, with AWS's errors."""
    router = eventrouter.Router(seed=3)
    env = router.call("batch", "CreateComputeEnvironment", computeEnvironmentName="ce", type="MANAGED",
                      computeResources={"type": "EC2", "maxvCpus": 16, "minvCpus": 0, "instanceTypes": ["optimal"],
                                        "subnets": ["subnet-1"], "securityGroupIds": ["sg-1"],
                                        "instanceRole": "ecsInstanceRole"})
    assert env["computeEnvironmentName"] == "ce"
    assert env["computeEnvironmentArn"].startswith("arn:aws:batch:us-east-1:123456789012:compute-environment/ce")
    with pytest.raises(eventrouter.ApiError) as raised:
        router.call("batch", "DescribeJobs", jobs="not-a-list")
    assert raised.value.code == "ClientException"
    cluster = router.call("emr", "RunJobFlow", Name="etl", Instances={"MasterInstanceType": "m5.xlarge", "InstanceCount": 1})
    assert cluster["JobFlowId"].startswith("j-")
    router.run_until_idle()
    state = router.call("emr", "DescribeCluster", ClusterId=cluster["JobFlowId"])["Cluster"]["Status"]["State"]
    assert state in ("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING", "TERMINATING", "TERMINATED")
    with pytest.raises(eventrouter.ApiError) as raised:
        router.call("elbv2", "DescribeTargetHealth", TargetGroupArn="arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/none/0")
    assert raised.value.code == "TargetGroupNotFound"
