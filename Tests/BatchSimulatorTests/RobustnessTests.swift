import BatchSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import SimulatorTestSupport
import XCTest

/// Brute force: every operation with mutated versions of valid parameters answers with an
/// AWS-shaped error or a result, never a trap; then time runs to the router's far limit and every
/// read operation still answers.
final class RobustnessTests: XCTestCase {
    let queueArn = "arn:aws:batch:us-east-1:123456789012:job-queue/q1"

    static let validCalls: [(String, String)] = [
        ("CreateComputeEnvironment", #"{"computeEnvironmentName": "ce2", "type": "MANAGED", "state": "ENABLED", "computeResources": {"type": "EC2", "minvCpus": 0, "maxvCpus": 4, "desiredvCpus": 1, "instanceTypes": ["optimal"], "subnets": ["s"]}, "tags": {"k": "v"}}"#),
        ("UpdateComputeEnvironment", #"{"computeEnvironment": "ce1", "state": "ENABLED", "computeResources": {"minvCpus": 0, "maxvCpus": 16, "desiredvCpus": 2}}"#),
        ("DescribeComputeEnvironments", #"{"computeEnvironments": ["ce1"]}"#),
        ("CreateJobQueue", #"{"jobQueueName": "q2", "state": "ENABLED", "priority": 5, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "ce1"}], "tags": {"k": "v"}}"#),
        ("UpdateJobQueue", #"{"jobQueue": "q1", "state": "ENABLED", "priority": 2, "computeEnvironmentOrder": [{"order": 2, "computeEnvironment": "ce1"}]}"#),
        ("DescribeJobQueues", #"{"jobQueues": ["q1"]}"#),
        ("RegisterJobDefinition", #"{"jobDefinitionName": "d2", "type": "container", "parameters": {"p": "v"}, "retryStrategy": {"attempts": 3, "evaluateOnExit": [{"onExitCode": "137", "onReason": "OOM*", "action": "RETRY"}]}, "timeout": {"attemptDurationSeconds": 120}, "containerProperties": {"image": "busybox", "command": ["run", "Ref::p"], "environment": [{"name": "A", "value": "1"}], "resourceRequirements": [{"type": "VCPU", "value": "1"}, {"type": "MEMORY", "value": "512"}], "volumes": []}, "platformCapabilities": ["EC2"], "propagateTags": true}"#),
        ("DescribeJobDefinitions", #"{"jobDefinitions": ["work:1"], "jobDefinitionName": "work", "status": "ACTIVE"}"#),
        ("SubmitJob", #"{"jobName": "j", "jobQueue": "q1", "jobDefinition": "work", "arrayProperties": {"size": 2}, "dependsOn": [{"type": "SEQUENTIAL"}], "parameters": {"input": "x", "SIM_DURATION_SECONDS": "5"}, "containerOverrides": {"command": ["a", "Ref::input"], "environment": [{"name": "B", "value": "2"}], "resourceRequirements": [{"type": "VCPU", "value": "1"}, {"type": "MEMORY", "value": "1024"}], "instanceType": "m5.large"}, "retryStrategy": {"attempts": 2}, "timeout": {"attemptDurationSeconds": 600}, "tags": {"t": "1"}, "propagateTags": false}"#),
        ("SubmitJob", #"{"jobName": "k", "jobQueue": "q1", "jobDefinition": "work:1", "dependsOn": [{"jobId": "JOB"}], "containerOverrides": {"vcpus": 1, "memory": 1024}}"#),
        ("SubmitJob", #"{"jobName": "m", "jobQueue": "q1", "jobDefinition": "work", "parameters": {"SIM_DURATION_SECONDS": "5", "SIM_EXIT_CODE": "1,0"}, "retryStrategy": {"attempts": 2}}"#),
        ("DescribeJobs", #"{"jobs": ["JOB", "nope"]}"#),
        ("ListJobs", #"{"jobQueue": "q1", "jobStatus": "SUCCEEDED", "maxResults": 10, "nextToken": "0"}"#),
        ("ListJobs", #"{"jobQueue": "q1", "filters": [{"name": "AFTER_CREATED_AT", "values": ["0"]}]}"#),
        ("ListJobs", #"{"arrayJobId": "ARRAY", "jobStatus": "RUNNING"}"#),
        ("CancelJob", #"{"jobId": "JOB", "reason": "r"}"#),
        ("TerminateJob", #"{"jobId": "JOB", "reason": "r"}"#),
        ("DeregisterJobDefinition", #"{"jobDefinition": "work:1"}"#),
        ("DeleteJobQueue", #"{"jobQueue": "q2"}"#),
        ("DeleteComputeEnvironment", #"{"computeEnvironment": "ce2"}"#),
        ("NoSuchOperation", #"{}"#),
    ]

    /// A fresh harness with a job and an array job whose ids replace JOB and ARRAY in `validCalls`.
    func setUp(_ h: BatchHarness) throws -> (job: String, array: String) {
        try h.standardSetUp()
        let job = try h.submit("seed", extra: #", "parameters": {"SIM_DURATION_SECONDS": "100"}"#)
        let array = try h.submit("seeds", extra: #", "arrayProperties": {"size": 3}"#)
        return (job, array)
    }

    func call(_ h: BatchHarness, _ operation: String, _ params: JSONValue, file: StaticString = #filePath, line: UInt = #line) {
        expectResultOrAWSError(h.router, service: "batch", operation: operation, params: params, statuses: [400, 404], file: file, line: line)
    }

    func testEveryOperationWithMutatedParametersAnswersWithAnErrorOrAResult() throws {
        let h = try BatchHarness(captureEvents: false)
        let (job, array) = try setUp(h)
        var calls = 0
        for (operation, template) in Self.validCalls {
            let text = template.replacingOccurrences(of: "JOB", with: job).replacingOccurrences(of: "ARRAY", with: array)
            let valid = try JSONReader.parse(text)
            call(h, operation, valid)
            for variant in Mutations.variants(of: valid) {
                call(h, operation, variant)
                calls += 1
            }
            h.router.advance(by: 37)
        }
        XCTAssertGreaterThan(calls, 3_000)
        // Time runs to the far end the router allows; every job's timers fire there.
        h.router.advance(by: 3600)
        h.router.advance(by: Int64.max)
        for (operation, template) in Self.validCalls {
            let text = template.replacingOccurrences(of: "JOB", with: job).replacingOccurrences(of: "ARRAY", with: array)
            call(h, operation, try JSONReader.parse(text))
        }
        h.router.advance(by: Int64.max)
        XCTAssertNotNil(h.batch.job(job))
    }

    /// Deliveries with mutated BatchParameters and inputs fail the delivery or submit, never trap.
    func testDeliveriesWithMutatedParametersAndInputsNeverTrap() throws {
        let h = try BatchHarness(captureEvents: false)
        _ = try setUp(h)
        let parameters = try JSONReader.parse(#"{"BatchParameters": {"JobDefinition": "work", "JobName": "from-rule", "ArrayProperties": {"Size": 2}, "RetryStrategy": {"Attempts": 2}}}"#)
        let input = try JSONReader.parse(#"{"Parameters": {"input": "x", "n": 5, "b": true}, "ContainerOverrides": {"Command": ["c", "Ref::input"], "Environment": [{"Name": "E", "Value": "1"}], "ResourceRequirements": [{"Type": "VCPU", "Value": "1"}], "Vcpus": 1, "Memory": 512}}"#)
        func deliver(_ parameters: JSONValue, _ input: JSONValue, arn: String? = nil) {
            guard case .object(let object) = parameters else { return }
            let request = DeliveryRequest(targetArn: arn ?? queueArn, targetID: "t", ruleArn: "arn:aws:events:us-east-1:123456789012:rule/r",
                                          event: .object(JSONObject()), input: DeliveredInput(json: input), attempt: 1, time: h.clock.now(),
                                          account: BatchHarness.account, region: BatchHarness.region, parameters: object)
            _ = h.batch.deliver(request)
        }
        deliver(parameters, input)
        for variant in Mutations.variants(of: parameters) { deliver(variant, input) }
        for variant in Mutations.variants(of: input) { deliver(parameters, variant) }
        for mutation in Mutations.values { deliver(parameters, mutation) }
        for arn in ["", "arn:aws:batch:", "arn:aws:batch:::job-queue/", "arn:aws:batch:us-east-1:123456789012:job-queue/q1/x", String(repeating: ":", count: 10_000)] {
            deliver(parameters, input, arn: arn)
        }
        h.router.advance(by: Int64.max)
        let listed = try h.call("ListJobs", #"{"jobQueue": "q1", "filters": [{"name": "JOB_NAME", "values": ["from-rule"]}]}"#)
        XCTAssertGreaterThan(listed["jobSummaryList"]?.count ?? 0, 0, "the valid deliveries submitted jobs")
    }
}
