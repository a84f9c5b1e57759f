"""Batch (REST-JSON), EMR (JSON 1.1) and ELBv2 (query/XML) through boto3, once the simulators are
attached in attachSimulators(to:). Each test skips while its service is not attached."""
import json
import time

import botocore.exceptions
import pytest

from conftest import ALICE, REGION, make_client


def attached_or_skip(call, unknown_codes=("UnknownOperationException", "InvalidAction")):
    try:
        return call()
    except botocore.exceptions.ClientError as error:
        if error.response["Error"]["Code"] in unknown_codes:
            pytest.skip("simulator not attached to the server")
        raise


def queue_for(alice_events, alice_sqs, name, pattern):
    queue_url = alice_sqs.create_queue(QueueName=name)["QueueUrl"]
    queue_arn = alice_sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    alice_events.put_rule(Name=name, EventPattern=json.dumps(pattern))
    alice_events.put_targets(Rule=name, Targets=[{"Id": "q", "Arn": queue_arn}])
    return queue_url


def wait_for_event(sqs, queue_url, predicate, seconds=20):
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        for message in sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
            event = json.loads(message["Body"])
            seen.append(event)
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            if predicate(event):
                return event
    raise AssertionError(f"no matching event; saw {seen}")


def test_batch_job_runs_and_its_state_change_reaches_a_queue(server, alice_events, alice_sqs, unique):
    batch = make_client("batch", server.url, ALICE)
    attached_or_skip(lambda: batch.describe_job_queues())
    queue_url = queue_for(alice_events, alice_sqs, unique, {"source": ["aws.batch"], "detail-type": ["Batch Job State Change"],
                                                           "detail": {"status": ["SUCCEEDED"]}})
    batch.create_compute_environment(computeEnvironmentName=unique, type="MANAGED", computeResources={
        "type": "EC2", "minvCpus": 0, "maxvCpus": 16, "instanceTypes": ["optimal"], "subnets": ["subnet-1"],
        "securityGroupIds": ["sg-1"], "instanceRole": "ecsInstanceRole"})
    batch.create_job_queue(jobQueueName=unique, priority=1, computeEnvironmentOrder=[{"order": 1, "computeEnvironment": unique}])
    batch.register_job_definition(jobDefinitionName=unique, type="container",
                                  containerProperties={"image": "busybox", "vcpus": 1, "memory": 512})
    job = batch.submit_job(jobName="job", jobQueue=unique, jobDefinition=unique)
    event = wait_for_event(alice_sqs, queue_url, lambda e: e["detail"].get("jobId") == job["jobId"])
    assert event["account"] == ALICE["account"]
    assert batch.describe_jobs(jobs=[job["jobId"]])["jobs"][0]["status"] == "SUCCEEDED"
    with pytest.raises(batch.exceptions.ClientException):
        batch.submit_job(jobName="job", jobQueue="no-such-queue-" + unique, jobDefinition=unique)


def test_emr_cluster_starts_and_its_state_change_reaches_a_queue(server, alice_events, alice_sqs, unique):
    emr = make_client("emr", server.url, ALICE)
    attached_or_skip(lambda: emr.list_clusters())
    queue_url = queue_for(alice_events, alice_sqs, unique, {"source": ["aws.emr"], "detail-type": ["EMR Cluster State Change"]})
    cluster = emr.run_job_flow(Name=unique, ReleaseLabel="emr-7.0.0", JobFlowRole="EMR_EC2_DefaultRole", ServiceRole="EMR_DefaultRole",
                               Instances={"MasterInstanceType": "m5.xlarge", "SlaveInstanceType": "m5.xlarge", "InstanceCount": 3,
                                          "KeepJobFlowAliveWhenNoSteps": True})
    assert emr.describe_cluster(ClusterId=cluster["JobFlowId"])["Cluster"]["Name"] == unique
    event = wait_for_event(alice_sqs, queue_url, lambda e: e["detail"].get("clusterId") == cluster["JobFlowId"])
    assert event["source"] == "aws.emr"
    with pytest.raises(emr.exceptions.InvalidRequestException):
        emr.describe_cluster(ClusterId="j-DOESNOTEXIST")
    emr.terminate_job_flows(JobFlowIds=[cluster["JobFlowId"]])


def test_elbv2_over_the_query_protocol(server, unique):
    elb = make_client("elbv2", server.url, ALICE)
    attached_or_skip(lambda: elb.describe_load_balancers())
    name = unique[:32].rstrip("-")
    group = elb.create_target_group(Name=name, Protocol="HTTP", Port=8080, VpcId="vpc-1", HealthCheckIntervalSeconds=10,
                                    HealthCheckEnabled=True, Matcher={"HttpCode": "200-299"})["TargetGroups"][0]
    assert group["Port"] == 8080 and group["HealthCheckIntervalSeconds"] == 10 and group["HealthCheckEnabled"] is True
    assert group["TargetGroupArn"].startswith(f"arn:aws:elasticloadbalancing:{REGION}:{ALICE['account']}:targetgroup/{name}/")
    balancer = elb.create_load_balancer(Name=name, Subnets=["subnet-1", "subnet-2"],
                                        Tags=[{"Key": "team", "Value": "a"}])["LoadBalancers"][0]
    elb.register_targets(TargetGroupArn=group["TargetGroupArn"], Targets=[{"Id": "i-0123456789abcdef0", "Port": 80}, {"Id": "i-0123456789abcdef1"}])
    health = elb.describe_target_health(TargetGroupArn=group["TargetGroupArn"])["TargetHealthDescriptions"]
    assert sorted(d["Target"]["Id"] for d in health) == ["i-0123456789abcdef0", "i-0123456789abcdef1"]
    listener = elb.create_listener(LoadBalancerArn=balancer["LoadBalancerArn"], Protocol="HTTP", Port=80,
                                   DefaultActions=[{"Type": "forward", "TargetGroupArn": group["TargetGroupArn"]}])["Listeners"][0]
    assert listener["DefaultActions"][0]["TargetGroupArn"] == group["TargetGroupArn"]
    names = [g["TargetGroupName"] for g in elb.describe_target_groups(Names=[name])["TargetGroups"]]
    assert names == [name]
    with pytest.raises(elb.exceptions.TargetGroupNotFoundException):
        elb.describe_target_groups(Names=["no-such-group"])
