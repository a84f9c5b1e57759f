import BatchSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import XCTest

/// Limits and errors (spec §1.1–1.4, §1.10–1.11): every client error is a ClientException (400).
final class ValidationTests: XCTestCase {
    func testSubmitJobRejectsBadInputWithClientExceptions() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp()
        let single = try h.submit("single")
        let array = try h.submit("array", extra: #", "arrayProperties": {"size": 3}"#)
        h.expectClientError("SubmitJob", #"{"jobName": "-bad", "jobQueue": "q1", "jobDefinition": "work"}"#, "Job name should match valid pattern")
        h.expectClientError("SubmitJob", #"{"jobName": "\#(String(repeating: "a", count: 129))", "jobQueue": "q1", "jobDefinition": "work"}"#, "valid pattern")
        h.expectClientError("SubmitJob", #"{"jobName": "a b", "jobQueue": "q1", "jobDefinition": "work"}"#, "valid pattern")
        h.expectClientError("SubmitJob", #"{"jobQueue": "q1", "jobDefinition": "work"}"#, "jobName is required")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "nope", "jobDefinition": "work"}"#, "Job queue nope does not exist")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "nope"}"#, "Job definition nope does not exist")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work:2"}"#, "does not exist")
        for size in [1, 10_001] {
            h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "arrayProperties": {"size": \#(size)}}"#, "between 2 and 10000")
        }
        let many = (0..<21).map { _ in #"{"jobId": "\#(single)"}"# }.joined(separator: ",")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "dependsOn": [\#(many)]}"#, "at most 20")
        let twenty = (0..<20).map { _ in #"{"jobId": "\#(single)"}"# }.joined(separator: ",")
        XCTAssertNoThrow(try h.call("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "dependsOn": [\#(twenty)]}"#))
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "dependsOn": [{"jobId": "missing"}]}"#, "does not exist")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "dependsOn": [{"type": "SEQUENTIAL"}]}"#, "only valid for array jobs")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "arrayProperties": {"size": 2}, "dependsOn": [{"type": "SEQUENTIAL", "jobId": "\#(array)"}]}"#, "takes no jobId")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "arrayProperties": {"size": 2}, "dependsOn": [{"type": "N_TO_N", "jobId": "\#(array)"}]}"#, "same size")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "arrayProperties": {"size": 3}, "dependsOn": [{"type": "N_TO_N"}]}"#, "needs a jobId")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "dependsOn": [{"type": "ALL", "jobId": "\#(single)"}]}"#, "N_TO_N | SEQUENTIAL")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "containerOverrides": {"environment": [{"name": "AWS_BATCH_JOB_ID", "value": "x"}]}}"#, "reserved")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "retryStrategy": {"attempts": 11}}"#, "between 1 and 10")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "retryStrategy": {"attempts": 0}}"#, "between 1 and 10")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "timeout": {"attemptDurationSeconds": 59}}"#, "at least 60")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "parameters": {"a": 1}}"#, "parameters values must be strings")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "containerOverrides": {"vcpus": 0}}"#, "greater than 0")
        let large = String(repeating: "x", count: 31 * 1024)
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "parameters": {"big": "\#(large)"}}"#, "30 KiB")
        try h.call("UpdateJobQueue", #"{"jobQueue": "q1", "state": "DISABLED"}"#)
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work"}"#, "DISABLED")
    }

    func testEvaluateOnExitRulesAreEnforced() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp()
        func strategy(_ entries: String) -> String {
            #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "retryStrategy": {"attempts": 2, "evaluateOnExit": [\#(entries)]}}"#
        }
        h.expectClientError("SubmitJob", strategy(#"{"onExitCode": "1*2", "action": "RETRY"}"#), "trailing *")
        h.expectClientError("SubmitJob", strategy(#"{"onExitCode": "abc", "action": "RETRY"}"#), "only digits")
        h.expectClientError("SubmitJob", strategy(#"{"onReason": "a*b*", "action": "RETRY"}"#), "trailing *")
        h.expectClientError("SubmitJob", strategy(#"{"onReason": "x", "action": "MAYBE"}"#), "RETRY or EXIT")
        h.expectClientError("SubmitJob", strategy(#"{"onReason": "x"}"#), "action is required")
        h.expectClientError("SubmitJob", strategy(Array(repeating: #"{"onReason": "x", "action": "EXIT"}"#, count: 6).joined(separator: ",")), "at most 5")
        h.expectClientError("SubmitJob", strategy(#"{"onStatusReason": "\#(String(repeating: "a", count: 513))", "action": "EXIT"}"#), "512")
        XCTAssertNoThrow(try h.call("SubmitJob", strategy(#"{"onStatusReason": "Host EC2*", "onReason": "CannotPull: x.y*", "onExitCode": "13*", "action": "exit"}"#)))
    }

    func testComputeEnvironmentRules() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp()
        h.expectClientError("CreateComputeEnvironment", #"{"computeEnvironmentName": "ce1", "type": "MANAGED", "computeResources": {"type": "EC2", "maxvCpus": 4}}"#, "already exists")
        h.expectClientError("CreateComputeEnvironment", #"{"computeEnvironmentName": "x", "type": "MANAGED", "computeResources": {"type": "EC2", "minvCpus": 8, "maxvCpus": 4}}"#, "maxVCpus must be greater than minvCpus")
        h.expectClientError("CreateComputeEnvironment", #"{"computeEnvironmentName": "x", "type": "MANAGED", "computeResources": {"type": "EC2", "minvCpus": 1, "desiredvCpus": 9, "maxvCpus": 4}}"#, "desiredvCpus")
        h.expectClientError("CreateComputeEnvironment", #"{"computeEnvironmentName": "x", "type": "MANAGED"}"#, "computeResources is required")
        h.expectClientError("CreateComputeEnvironment", #"{"computeEnvironmentName": "x", "type": "UNMANAGED", "computeResources": {"type": "EC2", "maxvCpus": 4}}"#, "not allowed")
        h.expectClientError("CreateComputeEnvironment", #"{"computeEnvironmentName": "x", "type": "OTHER"}"#, "MANAGED | UNMANAGED")
        h.expectClientError("CreateComputeEnvironment", #"{"computeEnvironmentName": "x", "type": "MANAGED", "state": "ON", "computeResources": {"type": "EC2", "maxvCpus": 4}}"#, "ENABLED | DISABLED")
        h.expectClientError("CreateComputeEnvironment", #"{"computeEnvironmentName": "bad name", "type": "UNMANAGED"}"#, "computeEnvironmentName")
        h.expectClientError("DeleteComputeEnvironment", #"{"computeEnvironment": "ce1"}"#, "must be DISABLED first")
        try h.call("UpdateComputeEnvironment", #"{"computeEnvironment": "ce1", "state": "DISABLED"}"#)
        h.expectClientError("DeleteComputeEnvironment", #"{"computeEnvironment": "ce1"}"#, "is being used by job queue q1")
        try h.call("UpdateJobQueue", #"{"jobQueue": "q1", "state": "DISABLED"}"#)
        try h.call("DeleteJobQueue", #"{"jobQueue": "q1"}"#)
        try h.call("DeleteComputeEnvironment", #"{"computeEnvironment": "arn:aws:batch:us-east-1:123456789012:compute-environment/ce1"}"#)
        XCTAssertEqual(try h.call("DescribeComputeEnvironments", "{}")["computeEnvironments"]?.count, 0)
        for index in 0..<50 {
            try h.call("CreateComputeEnvironment", #"{"computeEnvironmentName": "ce-\#(index)", "type": "UNMANAGED"}"#)
        }
        h.expectClientError("CreateComputeEnvironment", #"{"computeEnvironmentName": "one-too-many", "type": "UNMANAGED"}"#, "limit")
    }

    func testJobQueueRules() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp()
        try h.call("CreateComputeEnvironment", #"{"computeEnvironmentName": "fargate", "type": "MANAGED", "computeResources": {"type": "FARGATE", "maxvCpus": 4}}"#)
        h.expectClientError("CreateJobQueue", #"{"jobQueueName": "q1", "priority": 1, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "ce1"}]}"#, "Job queue q1 already exists")
        h.expectClientError("CreateJobQueue", #"{"jobQueueName": "q2", "priority": 1, "computeEnvironmentOrder": []}"#, "At least 1 compute environment must be provided")
        h.expectClientError("CreateJobQueue", #"{"jobQueueName": "q2", "priority": 1, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "nope"}]}"#, "does not exist")
        h.expectClientError("CreateJobQueue", #"{"jobQueueName": "q2", "priority": 1, "computeEnvironmentOrder": [{"order": 1}]}"#, "computeEnvironmentOrder is malformed")
        h.expectClientError("CreateJobQueue", #"{"jobQueueName": "q2", "priority": 1, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "ce1"}, {"order": 2, "computeEnvironment": "fargate"}]}"#, "must all be EC2/SPOT or all FARGATE")
        for name in ["a", "b", "c"] {
            try h.call("CreateComputeEnvironment", #"{"computeEnvironmentName": "\#(name)", "type": "MANAGED", "computeResources": {"type": "EC2", "maxvCpus": 1}}"#)
        }
        let four = ["ce1", "a", "b", "c"].enumerated().map { #"{"order": \#($0.offset), "computeEnvironment": "\#($0.element)"}"# }.joined(separator: ",")
        h.expectClientError("CreateJobQueue", #"{"jobQueueName": "q2", "priority": 1, "computeEnvironmentOrder": [\#(four)]}"#, "At most 3")
        h.expectClientError("DeleteJobQueue", #"{"jobQueue": "q1"}"#, "must be DISABLED first")
        h.expectClientError("UpdateJobQueue", #"{"jobQueue": "nope", "priority": 3}"#, "does not exist")
        try h.call("UpdateJobQueue", #"{"jobQueue": "q1", "priority": 7}"#)
        let queue = try h.call("DescribeJobQueues", #"{"jobQueues": ["q1"]}"#)["jobQueues"]?[0]
        XCTAssertEqual(queue?["priority"]?.int, 7)
        XCTAssertEqual(queue?["status"], .string("VALID"))
        XCTAssertEqual(queue?["computeEnvironmentOrder"]?[0]?["computeEnvironment"], .string("arn:aws:batch:us-east-1:123456789012:compute-environment/ce1"))
    }

    func testDeletingAQueueTerminatesItsUnfinishedJobs() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp(maxvCpus: 1)
        let running = try h.submit("running", extra: #", "parameters": {"SIM_DURATION_SECONDS": "100"}"#)
        let waiting = try h.submit("waiting")
        h.router.advance(by: 5)
        try h.call("UpdateJobQueue", #"{"jobQueue": "q1", "state": "DISABLED"}"#)
        try h.call("DeleteJobQueue", #"{"jobQueue": "q1"}"#)
        h.router.runUntilIdle()
        XCTAssertEqual(try [running, waiting].map { try h.status($0) }, ["FAILED", "FAILED"])
        XCTAssertEqual(try h.describe(waiting)["statusReason"], .string("Job queue deleted"))
    }

    func testJobDefinitionsHaveImmutableRevisionsAndNameMeansTheLatestActiveOne() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp()
        let second = try h.call("RegisterJobDefinition", #"{"jobDefinitionName": "work", "type": "container", "containerProperties": {"image": "v2", "resourceRequirements": [{"type": "VCPU", "value": "1"}, {"type": "MEMORY", "value": "512"}]}}"#)
        XCTAssertEqual(second["revision"]?.int, 2)
        XCTAssertEqual(second["jobDefinitionArn"], .string("arn:aws:batch:us-east-1:123456789012:job-definition/work:2"))
        XCTAssertEqual(try h.describe(try h.submit("latest"))["container"]?["image"], .string("v2"))
        XCTAssertEqual(try h.describe(try h.submit("pinned", definition: "work:1"))["container"]?["image"], .string("busybox"))
        try h.call("DeregisterJobDefinition", #"{"jobDefinition": "work:2"}"#)
        XCTAssertEqual(try h.describe(try h.submit("fallback"))["jobDefinition"], .string("arn:aws:batch:us-east-1:123456789012:job-definition/work:1"))
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work:2"}"#, "INACTIVE")
        let active = try h.call("DescribeJobDefinitions", #"{"jobDefinitionName": "work", "status": "ACTIVE"}"#)["jobDefinitions"]
        XCTAssertEqual(active?.count, 1)
        XCTAssertEqual(try h.call("DescribeJobDefinitions", #"{"jobDefinitions": ["work:2"]}"#)["jobDefinitions"]?[0]?["status"], .string("INACTIVE"))

        h.expectClientError("RegisterJobDefinition", #"{"jobDefinitionName": "x", "type": "container", "containerProperties": {"vcpus": 1, "memory": 512}}"#, "must contain image")
        h.expectClientError("RegisterJobDefinition", #"{"jobDefinitionName": "x", "type": "container", "containerProperties": {"image": "i", "vcpus": 1}}"#, "must contain memory")
        h.expectClientError("RegisterJobDefinition", #"{"jobDefinitionName": "x", "type": "container", "containerProperties": {"image": "i", "vcpus": 1, "memory": 3}}"#, "greater than 4")
        h.expectClientError("RegisterJobDefinition", #"{"jobDefinitionName": "x", "type": "container", "containerProperties": {"image": "i", "vcpus": 0, "memory": 512}}"#, "greater than 0")
        h.expectClientError("RegisterJobDefinition", #"{"jobDefinitionName": "x", "type": "container", "containerProperties": {"image": "i", "vcpus": 1, "memory": 512, "environment": [{"name": "AWS_BATCH_X", "value": "1"}]}}"#, "reserved")
        h.expectClientError("RegisterJobDefinition", #"{"jobDefinitionName": "x", "type": "container", "timeout": {"attemptDurationSeconds": 10}, "containerProperties": {"image": "i", "vcpus": 1, "memory": 512}}"#, "at least 60")
        h.expectClientError("RegisterJobDefinition", #"{"jobDefinitionName": "x y", "type": "container", "containerProperties": {"image": "i", "vcpus": 1, "memory": 512}}"#, "jobDefinitionName")
        h.expectClientError("RegisterJobDefinition", #"{"jobDefinitionName": "x", "type": "multinode", "containerProperties": {"image": "i", "vcpus": 1, "memory": 512}}"#, "not simulated")
        h.expectClientError("DeregisterJobDefinition", #"{"jobDefinition": "work"}"#, "name:revision")
        let huge = String(repeating: "c", count: 25 * 1024)
        h.expectClientError("RegisterJobDefinition", #"{"jobDefinitionName": "x", "type": "container", "containerProperties": {"image": "i", "vcpus": 1, "memory": 512, "command": ["\#(huge)"]}}"#, "24 KiB")
        XCTAssertNoThrow(try h.call("RegisterJobDefinition", #"{"jobDefinitionName": "fargate", "type": "container", "platformCapabilities": ["FARGATE"], "containerProperties": {"image": "i", "resourceRequirements": [{"type": "VCPU", "value": "0.25"}, {"type": "MEMORY", "value": "512"}]}}"#))
    }

    func testListJobsFiltersByStatusNameAndPages() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp(maxvCpus: 1)
        for name in ["etl-a", "etl-b", "report"] { _ = try h.submit(name, extra: #", "parameters": {"SIM_DURATION_SECONDS": "100"}"#) }
        h.router.advance(by: 2)
        let running = try h.call("ListJobs", #"{"jobQueue": "q1"}"#)["jobSummaryList"]
        XCTAssertEqual(running?.count, 1, "jobStatus defaults to RUNNING")
        XCTAssertEqual(running?[0]?["jobName"], .string("etl-a"))
        XCTAssertEqual(try h.call("ListJobs", #"{"jobQueue": "q1", "jobStatus": "RUNNABLE"}"#)["jobSummaryList"]?.count, 2)
        let named = try h.call("ListJobs", #"{"jobQueue": "q1", "filters": [{"name": "JOB_NAME", "values": ["etl*"]}]}"#)["jobSummaryList"]
        XCTAssertEqual(named?.count, 2, "with filters, jobStatus is ignored")
        let first = try h.call("ListJobs", #"{"jobQueue": "q1", "jobStatus": "RUNNABLE", "maxResults": 1}"#)
        XCTAssertEqual(first["jobSummaryList"]?[0]?["jobName"], .string("etl-b"))
        let next = try h.call("ListJobs", #"{"jobQueue": "q1", "jobStatus": "RUNNABLE", "maxResults": 1, "nextToken": "\#(first["nextToken"]?.string ?? "")"}"#)
        XCTAssertEqual(next["jobSummaryList"]?[0]?["jobName"], .string("report"))
        XCTAssertNil(next["nextToken"])
        h.expectClientError("ListJobs", #"{"jobQueue": "q1", "jobStatus": "DONE"}"#, "Job status is not one of SUBMITTED | PENDING | RUNNABLE | STARTING | RUNNING | SUCCEEDED | FAILED")
        h.expectClientError("ListJobs", #"{}"#, "One of jobQueue")
        h.expectClientError("DescribeJobs", #"{"jobs": []}"#, "jobs is required")
        XCTAssertEqual(try h.call("DescribeJobs", #"{"jobs": ["unknown"]}"#)["jobs"], .array([]), "unknown ids are silently omitted")
        XCTAssertEqual(h.failure("Nonsense", "{}")?.code, "UnknownOperationException")
    }

    func testResourcesAreScopedToTheirAccountAndRegion() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp()
        let id = try h.submit("mine")
        let other = try h.router.call(service: "batch", operation: "DescribeJobs", account: "210987654321", region: BatchHarness.region,
                                      params: try JSONReader.parse(#"{"jobs": ["\#(id)"]}"#))
        XCTAssertEqual(other["jobs"], .array([]))
        XCTAssertThrowsError(try h.router.call(service: "batch", operation: "SubmitJob", account: BatchHarness.account, region: "eu-west-1",
                                               params: try JSONReader.parse(#"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work"}"#)))
    }
}

extension ValidationTests {
    func testExtremeSizesAndDurationsNeitherTrapNorRun() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp()
        let huge = try h.submit("huge", extra: #", "containerOverrides": {"resourceRequirements": [{"type": "MEMORY", "value": "9223372036854775807"}]}"#)
        let forever = try h.submit("forever", extra: #", "parameters": {"SIM_DURATION_SECONDS": "9223372036854775807"}"#)
        h.router.advance(by: 3600)
        XCTAssertEqual(try h.status(huge), "RUNNABLE", "more memory than any host: stuck, not a crash")
        XCTAssertEqual(try h.status(forever), "RUNNING")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "containerOverrides": {"resourceRequirements": [{"type": "VCPU", "value": "inf"}]}}"#, "not a number")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "containerOverrides": {"resourceRequirements": [{"type": "DISK", "value": "1"}]}}"#, "VCPU | MEMORY | GPU")
        h.expectClientError("SubmitJob", #"{"jobName": "x", "jobQueue": "q1", "jobDefinition": "work", "arrayProperties": {"size": 1e300}}"#, "size must be an integer")
    }
}

extension ValidationTests {
    func testListJobsFiltersByDefinitionAndCreationTime() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp()
        try h.call("RegisterJobDefinition", #"{"jobDefinitionName": "other", "type": "container", "containerProperties": {"image": "i", "vcpus": 1, "memory": 512}}"#)
        _ = try h.submit("early")
        h.router.advance(by: 100)
        _ = try h.submit("late", definition: "other")
        let created = Int(h.now * 1000)
        func names(_ filter: String) throws -> [String] {
            let listed = try h.call("ListJobs", #"{"jobQueue": "q1", "filters": [\#(filter)]}"#)["jobSummaryList"]
            guard case .array(let items)? = listed else { return [] }
            return items.compactMap { $0["jobName"]?.string }
        }
        XCTAssertEqual(try names(#"{"name": "JOB_DEFINITION", "values": ["other"]}"#), ["late"])
        XCTAssertEqual(try names(#"{"name": "JOB_DEFINITION", "values": ["work:1"]}"#), ["early"])
        XCTAssertEqual(try names(#"{"name": "JOB_DEFINITION", "values": ["arn:aws:batch:us-east-1:123456789012:job-definition/*"]}"#), ["early", "late"])
        XCTAssertEqual(try names(#"{"name": "BEFORE_CREATED_AT", "values": ["\#(created)"]}"#), ["early"])
        XCTAssertEqual(try names(#"{"name": "AFTER_CREATED_AT", "values": ["\#(created - 1)"]}"#), ["late"])
        h.expectClientError("ListJobs", #"{"jobQueue": "q1", "filters": [{"name": "COLOR", "values": ["x"]}]}"#, "JOB_NAME | JOB_DEFINITION")
    }

    func testDescribeShowsTheResourcesAsCreated() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp(maxvCpus: 16)
        let ce = try XCTUnwrap(try h.call("DescribeComputeEnvironments", #"{"computeEnvironments": ["arn:aws:batch:us-east-1:123456789012:compute-environment/ce1"]}"#)["computeEnvironments"]?[0])
        XCTAssertEqual(ce["status"], .string("VALID"))
        XCTAssertEqual(ce["state"], .string("ENABLED"))
        XCTAssertEqual(ce["type"], .string("MANAGED"))
        XCTAssertEqual(ce["computeResources"]?["type"], .string("EC2"))
        XCTAssertEqual(ce["computeResources"]?["instanceTypes"], .array([.string("optimal")]))
        XCTAssertEqual(ce["computeResources"]?["maxvCpus"]?.int, 16)
        XCTAssertEqual(ce["computeResources"]?["minvCpus"]?.int, 0)
        let definition = try XCTUnwrap(try h.call("DescribeJobDefinitions", #"{"jobDefinitions": ["arn:aws:batch:us-east-1:123456789012:job-definition/work:1"]}"#)["jobDefinitions"]?[0])
        XCTAssertEqual(definition["containerProperties"]?["command"], .array([.string("run"), .string("Ref::input")]), "definitions keep their placeholders")
        XCTAssertEqual(definition["revision"]?.int, 1)
        XCTAssertEqual(definition["status"], .string("ACTIVE"))
    }

    func testAConstantTargetInputWithCamelCaseMembersSetsParametersAndOverrides() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp()
        try h.call("PutRule", #"{"Name": "nightly", "EventPattern": "{\"source\": [\"cron\"]}"}"#, service: "events")
        try h.call("PutTargets", #"{"Rule": "nightly", "Targets": [{"Id": "b", "Arn": "arn:aws:batch:us-east-1:123456789012:job-queue/q1", "BatchParameters": {"JobDefinition": "arn:aws:batch:us-east-1:123456789012:job-definition/work:1", "JobName": "nightly"}, "Input": "{\"parameters\": {\"input\": \"s3://x\", \"flag\": true}, \"containerOverrides\": {\"vcpus\": 2}}"}]}"#, service: "events")
        try h.call("PutEvents", #"{"Entries": [{"Source": "cron", "DetailType": "Tick", "Detail": "{}"}]}"#, service: "events")
        h.router.runUntilIdle()
        let listed = try h.call("ListJobs", #"{"jobQueue": "q1", "filters": [{"name": "JOB_NAME", "values": ["nightly"]}]}"#)
        let id = try XCTUnwrap(listed["jobSummaryList"]?[0]?["jobId"]?.string)
        let job = try h.describe(id)
        XCTAssertEqual(job["container"]?["command"], .array([.string("run"), .string("s3://x")]))
        XCTAssertEqual(job["parameters"]?["flag"], .string("true"))
        XCTAssertEqual(job["container"]?["resourceRequirements"]?[0]?["value"], .string("2"))
    }
}
