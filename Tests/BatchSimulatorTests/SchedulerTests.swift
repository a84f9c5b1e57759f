import BatchSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import XCTest

/// Scheduler rules (spec §1.8), compute-environment capacity (§1.1) and cancel / terminate
/// (§1.5).
final class SchedulerTests: XCTestCase {
    /// Two queues sharing one 2-vCPU compute environment; jobs run 10 s.
    func twoQueues(strictFIFO: Bool = false) throws -> BatchHarness {
        let h = try BatchHarness(strictFIFO: strictFIFO, captureEvents: false)
        try h.call("CreateComputeEnvironment", #"{"computeEnvironmentName": "small", "type": "MANAGED", "computeResources": {"type": "EC2", "minvCpus": 0, "maxvCpus": 2}}"#)
        try h.call("CreateJobQueue", #"{"jobQueueName": "low", "priority": 1, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "small"}]}"#)
        try h.call("CreateJobQueue", #"{"jobQueueName": "high", "priority": 10, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "small"}]}"#)
        try h.call("RegisterJobDefinition", #"{"jobDefinitionName": "w", "type": "container", "parameters": {"SIM_DURATION_SECONDS": "10"}, "containerProperties": {"image": "busybox", "vcpus": 1, "memory": 512}}"#)
        return h
    }

    func testTheHigherPriorityQueueIsServedFirstAndJobsRunFIFOWithinAQueue() throws {
        let h = try twoQueues()
        let low1 = try h.submit("low1", queue: "low", definition: "w")
        let low2 = try h.submit("low2", queue: "low", definition: "w")
        let high1 = try h.submit("high1", queue: "high", definition: "w")
        let high2 = try h.submit("high2", queue: "high", definition: "w")
        let high3 = try h.submit("high3", queue: "high", definition: "w")
        h.router.runUntilIdle()
        XCTAssertEqual(try [low1, low2, high1, high2, high3].map { try h.status($0) },
                       ["RUNNABLE", "RUNNABLE", "STARTING", "STARTING", "RUNNABLE"])
        h.router.advance(by: 11)
        XCTAssertEqual(try [low1, low2, high3].map { try h.status($0) }, ["STARTING", "RUNNABLE", "STARTING"],
                       "high3 first, then the oldest low job")
        h.router.advance(by: 11)
        XCTAssertEqual(try h.status(low2), "STARTING")
    }

    func testAJobThatFitsNowhereStaysRunnableWhileLaterJobsBackfill() throws {
        let h = try twoQueues()
        let huge = try h.submit("huge", queue: "low", definition: "w", extra: #", "containerOverrides": {"vcpus": 16}"#)
        let small = try h.submit("small", queue: "low", definition: "w")
        h.router.advance(by: 3600)
        XCTAssertEqual(try h.status(huge), "RUNNABLE", "16 vCPUs never fit in maxvCpus 2: stuck in RUNNABLE, as on AWS")
        XCTAssertEqual(try h.status(small), "SUCCEEDED")

        let strict = try twoQueues(strictFIFO: true)
        let blocked = try strict.submit("huge", queue: "low", definition: "w", extra: #", "containerOverrides": {"vcpus": 16}"#)
        let behind = try strict.submit("small", queue: "low", definition: "w")
        strict.router.advance(by: 60)
        XCTAssertEqual(try [blocked, behind].map { try strict.status($0) }, ["RUNNABLE", "RUNNABLE"], "strictFIFO blocks the queue")
    }

    func testComputeEnvironmentsAreTriedInOrderAndDisabledOnesReceiveNothing() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.call("CreateComputeEnvironment", #"{"computeEnvironmentName": "first", "type": "MANAGED", "computeResources": {"type": "EC2", "maxvCpus": 1}}"#)
        try h.call("CreateComputeEnvironment", #"{"computeEnvironmentName": "second", "type": "MANAGED", "computeResources": {"type": "SPOT", "maxvCpus": 1}}"#)
        try h.call("CreateJobQueue", #"{"jobQueueName": "q", "priority": 1, "computeEnvironmentOrder": [{"order": 2, "computeEnvironment": "second"}, {"order": 1, "computeEnvironment": "first"}]}"#)
        try h.call("RegisterJobDefinition", #"{"jobDefinitionName": "w", "type": "container", "parameters": {"SIM_DURATION_SECONDS": "100"}, "containerProperties": {"image": "busybox", "vcpus": 1, "memory": 512}}"#)
        let a = try h.submit("a", queue: "q", definition: "w")
        let b = try h.submit("b", queue: "q", definition: "w")
        h.router.advance(by: 1)
        let described = try h.call("DescribeComputeEnvironments", #"{"computeEnvironments": ["first", "second"]}"#)
        XCTAssertEqual(described["computeEnvironments"]?[0]?["computeResources"]?["desiredvCpus"]?.int, 1, "a runs in order 1 (first)")
        XCTAssertEqual(described["computeEnvironments"]?[1]?["computeResources"]?["desiredvCpus"]?.int, 1, "b in order 2 (second)")
        XCTAssertEqual(try [a, b].map { try h.status($0) }, ["RUNNING", "RUNNING"])

        try h.call("UpdateComputeEnvironment", #"{"computeEnvironment": "first", "state": "DISABLED"}"#)
        try h.call("UpdateComputeEnvironment", #"{"computeEnvironment": "second", "state": "DISABLED"}"#)
        let c = try h.submit("c", queue: "q", definition: "w")
        h.router.advance(by: 200)
        XCTAssertEqual(try [a, b].map { try h.status($0) }, ["SUCCEEDED", "SUCCEEDED"], "running jobs carry on in a DISABLED CE")
        XCTAssertEqual(try h.status(c), "RUNNABLE", "a DISABLED CE receives nothing new")
        try h.call("UpdateComputeEnvironment", #"{"computeEnvironment": "second", "state": "ENABLED"}"#)
        h.router.runUntilIdle()
        XCTAssertEqual(try h.status(c), "STARTING")
    }

    func testUnmanagedComputeEnvironmentsPlaceJobsOnASingleRegisteredHost() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.call("CreateComputeEnvironment", #"{"computeEnvironmentName": "own", "type": "UNMANAGED"}"#)
        try h.call("CreateJobQueue", #"{"jobQueueName": "q", "priority": 1, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "own"}]}"#)
        try h.call("RegisterJobDefinition", #"{"jobDefinitionName": "w", "type": "container", "containerProperties": {"image": "busybox", "vcpus": 3, "memory": 1024}}"#)
        let job = try h.submit("j", queue: "q", definition: "w")
        h.router.runUntilIdle()
        XCTAssertEqual(try h.status(job), "RUNNABLE", "no hosts yet")
        try h.batch.registerHost(computeEnvironment: "own", account: BatchHarness.account, region: BatchHarness.region, vcpus: 2, memoryMiB: 4096)
        try h.batch.registerHost(computeEnvironment: "own", account: BatchHarness.account, region: BatchHarness.region, vcpus: 2, memoryMiB: 4096)
        h.router.runUntilIdle()
        XCTAssertEqual(try h.status(job), "RUNNABLE", "4 free vCPUs in total, but no single host has 3")
        try h.batch.registerHost(computeEnvironment: "own", account: BatchHarness.account, region: BatchHarness.region, vcpus: 4, memoryMiB: 4096)
        h.router.runUntilIdle()
        XCTAssertEqual(try h.status(job), "STARTING")
        XCTAssertThrowsError(try h.batch.registerHost(computeEnvironment: "nope", account: BatchHarness.account, region: BatchHarness.region, vcpus: 1, memoryMiB: 1))
    }

    func testCancelFailsJobsNotYetStartedAndDoesNothingToRunningOnes() throws {
        let h = try twoQueues()
        let running = try h.submit("running", queue: "low", definition: "w", extra: #", "parameters": {"SIM_DURATION_SECONDS": "100"}"#)
        let stuck = try h.submit("stuck", queue: "low", definition: "w", extra: #", "containerOverrides": {"vcpus": 16}"#)
        let pending = try h.submit("pending", queue: "low", definition: "w", extra: #", "dependsOn": [{"jobId": "\#(running)"}]"#)
        h.router.advance(by: 2)
        XCTAssertEqual(try [running, stuck, pending].map { try h.status($0) }, ["RUNNING", "RUNNABLE", "PENDING"])
        for id in [running, stuck, pending] { try h.call("CancelJob", #"{"jobId": "\#(id)", "reason": "no longer needed"}"#) }
        h.router.runUntilIdle()
        XCTAssertEqual(try [running, stuck, pending].map { try h.status($0) }, ["RUNNING", "FAILED", "FAILED"])
        XCTAssertEqual(try h.describe(stuck)["statusReason"], .string("no longer needed"))
        h.router.advance(by: 200)
        XCTAssertEqual(try h.status(running), "SUCCEEDED", "CancelJob has no effect on a RUNNING job")
        try h.call("CancelJob", #"{"jobId": "\#(running)", "reason": "late"}"#)
        h.router.runUntilIdle()
        XCTAssertEqual(try h.describe(running)["statusReason"], .string("Essential container in task exited"), "terminal jobs are untouched")
    }

    func testTerminateStopsStartingAndRunningJobsWithoutRetry() throws {
        let h = try twoQueues()
        let running = try h.submit("running", queue: "low", definition: "w", extra: #", "retryStrategy": {"attempts": 5}, "parameters": {"SIM_DURATION_SECONDS": "100"}"#)
        h.router.advance(by: 5)
        let starting = try h.submit("starting", queue: "low", definition: "w")
        h.router.runUntilIdle()
        XCTAssertEqual(try [running, starting].map { try h.status($0) }, ["RUNNING", "STARTING"])
        try h.call("TerminateJob", #"{"jobId": "\#(running)", "reason": "operator"}"#)
        try h.call("TerminateJob", #"{"jobId": "\#(starting)", "reason": "operator"}"#)
        h.router.runUntilIdle()
        let detail = try h.describe(running)
        XCTAssertEqual(detail["status"], .string("FAILED"))
        XCTAssertEqual(detail["statusReason"], .string("operator"))
        XCTAssertEqual(detail["attempts"]?[0]?["statusReason"], .string("operator"))
        XCTAssertEqual(try h.status(starting), "FAILED")
        h.router.advance(by: 500)
        XCTAssertEqual(try h.describe(running)["attempts"]?.count, 1, "terminated jobs are never retried")
        let dependent = try h.submit("dependent", queue: "low", definition: "w", extra: #", "dependsOn": [{"jobId": "\#(running)"}]"#)
        h.router.runUntilIdle()
        XCTAssertEqual(try h.describe(dependent)["statusReason"], .string("Dependent Job failed"), "a terminated dependency counts as failed")
    }

    func testCancelAndTerminateValidateTheirParameters() throws {
        let h = try twoQueues()
        let id = try h.submit("j", queue: "low", definition: "w")
        h.expectClientError("CancelJob", #"{"jobId": "", "reason": "r"}"#, "'jobId' is a required field")
        h.expectClientError("CancelJob", #"{"jobId": "\#(id)"}"#, "'reason' is a required field")
        h.expectClientError("TerminateJob", #"{"jobId": "\#(id)", "reason": ""}"#, "'reason' is a required field")
        h.expectClientError("TerminateJob", #"{"jobId": "00000000-0000-4000-8000-000000000000", "reason": "r"}"#, "does not exist")
        h.expectClientError("CancelJob", #"{"jobId": "\#(id)", "reason": "\#(String(repeating: "r", count: 1025))"}"#, "1024")
    }

    func testTheReportedDesiredVcpusFollowTheReservedCapacityClampedToMinAndMax() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.call("CreateComputeEnvironment", #"{"computeEnvironmentName": "ce", "type": "MANAGED", "computeResources": {"type": "EC2", "minvCpus": 2, "desiredvCpus": 2, "maxvCpus": 8}}"#)
        try h.call("CreateJobQueue", #"{"jobQueueName": "q", "priority": 1, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "ce"}]}"#)
        try h.call("RegisterJobDefinition", #"{"jobDefinitionName": "w", "type": "container", "parameters": {"SIM_DURATION_SECONDS": "10"}, "containerProperties": {"image": "busybox", "vcpus": 4, "memory": 512}}"#)
        func desired() throws -> Int? {
            try h.call("DescribeComputeEnvironments", "{}")["computeEnvironments"]?[0]?["computeResources"]?["desiredvCpus"]?.int
        }
        XCTAssertEqual(try desired(), 2)
        _ = try h.submit("a", queue: "q", definition: "w")
        _ = try h.submit("b", queue: "q", definition: "w")
        _ = try h.submit("c", queue: "q", definition: "w")
        h.router.runUntilIdle()
        XCTAssertEqual(try desired(), 8)
        h.router.advance(by: 100)
        XCTAssertEqual(try desired(), 2, "back to minvCpus when idle")
        try h.call("UpdateComputeEnvironment", #"{"computeEnvironment": "ce", "computeResources": {"maxvCpus": 4}}"#)
        XCTAssertEqual(try h.call("DescribeComputeEnvironments", "{}")["computeEnvironments"]?[0]?["computeResources"]?["maxvCpus"]?.int, 4)
    }
}

extension SchedulerTests {
    func testAJobCancelledBeforeItsFirstEvaluationGoesFromSubmittedToFailed() throws {
        let h = try BatchHarness()
        try h.standardSetUp()
        let id = try h.submit("short-lived")
        try h.call("CancelJob", #"{"jobId": "\#(id)", "reason": "changed my mind"}"#)
        h.router.runUntilIdle()
        XCTAssertEqual(try h.statuses(of: id), ["FAILED"], "SUBMITTED → FAILED, one event")
        XCTAssertEqual(try h.describe(id)["statusReason"], .string("changed my mind"))
        XCTAssertNil(try h.describe(id)["startedAt"])
    }

    func testQueuesAreLimitedToFiftyPerAccountAndRegion() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp()
        h.expectClientError("CreateJobQueue", #"{"jobQueueName": "neg", "priority": -1, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "ce1"}]}"#, "non-negative")
        for index in 2...50 {
            try h.call("CreateJobQueue", #"{"jobQueueName": "q\#(index)", "priority": 1, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "ce1"}]}"#)
        }
        h.expectClientError("CreateJobQueue", #"{"jobQueueName": "q51", "priority": 1, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "ce1"}]}"#, "limit")
    }
}

extension SchedulerTests {
    func testJobsAlreadyInADisabledQueueStillRun() throws {
        let h = try twoQueues()
        let first = try h.submit("first", queue: "low", definition: "w", extra: #", "containerOverrides": {"vcpus": 2}"#)
        let second = try h.submit("second", queue: "low", definition: "w", extra: #", "containerOverrides": {"vcpus": 2}"#)
        h.router.runUntilIdle()
        try h.call("UpdateJobQueue", #"{"jobQueue": "low", "state": "DISABLED"}"#)
        h.expectClientError("SubmitJob", #"{"jobName": "third", "jobQueue": "low", "jobDefinition": "w"}"#, "DISABLED")
        h.router.advance(by: 100)
        XCTAssertEqual(try [first, second].map { try h.status($0) }, ["SUCCEEDED", "SUCCEEDED"])
    }
}
