import BatchSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import Dispatch
import Foundation
import Synchronization
import SimulatorTestSupport
import XCTest

/// Regression tests of the review: inputs and clocks at the edges of the integer range.
final class HardeningTests: XCTestCase {
    /// Epoch milliseconds of times near the far end of the clock (a scripted duration of
    /// Int64.max saturates there, `advance(by: .max)` goes there) saturate instead of trapping.
    func testTimesAtTheFarEndOfTheClockSaturateInMilliseconds() throws {
        let h = try BatchHarness()
        try h.standardSetUp()
        let forever = try h.submit("forever", extra: #", "parameters": {"SIM_DURATION_SECONDS": "9223372036854775807"}"#)
        h.router.advance(by: 10)
        XCTAssertEqual(try h.status(forever), "RUNNING")
        h.router.advance(by: Int64.max)
        XCTAssertEqual(try h.status(forever), "SUCCEEDED")
        let detail = try h.describe(forever)
        XCTAssertEqual(detail["stoppedAt"], .int64(Int64.max), "saturated")
        XCTAssertEqual(detail["attempts"]?[0]?["stoppedAt"], .int64(Int64.max))
        // A job created at the far end of the clock.
        let late = try h.submit("late")
        h.router.advance(by: 10)
        XCTAssertEqual(try h.describe(late)["createdAt"], .int64(Int64.max))
        let listed = try h.call("ListJobs", #"{"jobQueue": "q1", "filters": [{"name": "AFTER_CREATED_AT", "values": ["0"]}]}"#)
        XCTAssertEqual(listed["jobSummaryList"]?.count, 2)
        XCTAssertEqual(try h.statuses(of: late).last, "SUCCEEDED", "its events were published")
    }

    /// `Ref::` substitution with thousands of placeholders and keys (the most the payload limits
    /// allow) stays fast and replaces every placeholder that has a value.
    func testSubstitutionOfManyPlaceholdersWithManyKeys() throws {
        let h = try BatchHarness(captureEvents: false)
        let placeholders = (0..<2_000).map { "Ref::k\($0 % 1_000)" }
        let command = "[" + (0..<4).map { part in "\"" + placeholders[(part * 500)..<(part * 500 + 500)].joined() + "\"" }.joined(separator: ", ") + "]"
        try h.standardSetUp(command: command)
        let parameters = (0..<2_500).map { #""k\#($0)": "v""# }.joined(separator: ", ")
        let started = ContinuousClock.now
        let id = try h.submit("many", extra: #", "parameters": {\#(parameters)}"#)
        let elapsed = ContinuousClock.now - started
        guard case .array(let items)? = try h.describe(id)["container"]?["command"] else { return XCTFail("command") }
        XCTAssertEqual(items, Array(repeating: .string(String(repeating: "v", count: 500)), count: 4))
        XCTAssertLessThan(elapsed, .seconds(10), "bounded by the payload limits (about 1 s in a debug build)")
    }

    /// ListJobs takes one filter (AWS: "Only one filter can be used at a time") with at most 100
    /// values, so a request cannot make the listing walk jobs × values without bound.
    func testListJobsTakesOneFilterWithBoundedValues() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp()
        _ = try h.submit("a1")
        h.expectClientError("ListJobs", #"{"jobQueue": "q1", "filters": [{"name": "JOB_NAME", "values": ["a*"]}, {"name": "JOB_NAME", "values": ["b*"]}]}"#, "Only one filter")
        let many = (0..<101).map { #""n\#($0)""# }.joined(separator: ", ")
        h.expectClientError("ListJobs", #"{"jobQueue": "q1", "filters": [{"name": "JOB_NAME", "values": [\#(many)]}]}"#, "at most 100 values")
        let listed = try h.call("ListJobs", #"{"jobQueue": "q1", "filters": [{"name": "JOB_NAME", "values": ["x", "a*"]}]}"#)
        XCTAssertEqual(listed["jobSummaryList"]?.count, 1)
    }

    /// Tags follow AWS's limits: keys 1–128 characters, values at most 256.
    func testTagKeysAndValuesAreBounded() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp()
        let long = String(repeating: "k", count: 129)
        h.expectClientError("SubmitJob", #"{"jobName": "t", "jobQueue": "q1", "jobDefinition": "work", "tags": {"\#(long)": "v"}}"#, "tag keys")
        h.expectClientError("SubmitJob", #"{"jobName": "t", "jobQueue": "q1", "jobDefinition": "work", "tags": {"": "v"}}"#, "tag keys")
        h.expectClientError("SubmitJob", #"{"jobName": "t", "jobQueue": "q1", "jobDefinition": "work", "tags": {"k": "\#(String(repeating: "v", count: 257))"}}"#, "tag values")
        h.expectClientError("CreateJobQueue", #"{"jobQueueName": "q9", "priority": 1, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "ce1"}], "tags": {"\#(long)": "v"}}"#, "tag keys")
        _ = try h.submit("t", extra: #", "tags": {"\#(String(repeating: "k", count: 128))": "\#(String(repeating: "v", count: 256))"}"#)
    }

    /// computeResources is kept as given (for DescribeComputeEnvironments): it is bounded.
    func testComputeResourcesAreBounded() throws {
        let h = try BatchHarness(captureEvents: false)
        let subnets = (0..<3_000).map { #""subnet-\#($0)""# }.joined(separator: ", ")
        h.expectClientError("CreateComputeEnvironment", #"{"computeEnvironmentName": "big", "type": "MANAGED", "computeResources": {"type": "EC2", "maxvCpus": 4, "subnets": [\#(subnets)]}}"#, "computeResources")
        try h.standardSetUp()
        h.expectClientError("UpdateComputeEnvironment", #"{"computeEnvironment": "ce1", "computeResources": {"securityGroupIds": [\#(subnets)]}}"#, "computeResources")
    }

    /// Events reach the sink in transition order even when several threads drive the simulator
    /// at once and the sink is slow (the state lock is not held while publishing, so without an
    /// ordered outbox a later batch could overtake an earlier one).
    func testConcurrentDriversPublishEachJobsEventsInTransitionOrder() throws {
        let clock = ManualClock(start: try Instant(iso8601: "2025-01-01T00:00:00Z"))
        let sink = SlowSink()
        let batch = BatchSimulator(clock: clock, events: sink, configuration: .init(seed: 3, startLatencySeconds: 1))
        let scope = (account: "123456789012", region: "us-east-1")
        @Sendable func call(_ operation: String, _ json: String) throws {
            guard case .object(let params) = try JSONReader.parse(json) else { throw ServiceError("Test", "not an object") }
            _ = try batch.call(operation: operation, account: scope.account, region: scope.region, params: params)
        }
        try call("CreateComputeEnvironment", #"{"computeEnvironmentName": "ce", "type": "MANAGED", "computeResources": {"type": "EC2", "maxvCpus": 1000}}"#)
        try call("CreateJobQueue", #"{"jobQueueName": "q", "priority": 1, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "ce"}]}"#)
        try call("RegisterJobDefinition", #"{"jobDefinitionName": "d", "type": "container", "containerProperties": {"image": "i", "vcpus": 1, "memory": 4}}"#)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for step in 0..<300 {
                switch worker {
                case 0: try? call("SubmitJob", #"{"jobName": "j\#(step)", "jobQueue": "q", "jobDefinition": "d"}"#)
                case 1: clock.advance(by: 1)
                default: break
                }
                batch.run(until: clock.now())
            }
        }
        for _ in 0..<10 {
            clock.advance(by: 5)
            batch.run(until: clock.now())
        }
        let order = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"]
        let (inversions, last) = transitionOrder(of: sink.details, idKey: "jobId", stateKey: "status", order: order)
        XCTAssertEqual(inversions, [])
        XCTAssertEqual(last.count, 300)
        XCTAssertTrue(last.values.allSatisfy { $0 == 5 }, "every job succeeded and its SUCCEEDED event was published")
    }
}
