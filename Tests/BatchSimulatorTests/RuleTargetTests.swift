import BatchSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import XCTest

/// The simulator as a rule target (job-queue ARN + BatchParameters) and as an event source that
/// rules react to.
final class RuleTargetTests: XCTestCase {
    let queueArn = "arn:aws:batch:us-east-1:123456789012:job-queue/q1"

    func jobs(named name: String, in h: BatchHarness) throws -> [JSONValue] {
        let listed = try h.call("ListJobs", #"{"jobQueue": "q1", "filters": [{"name": "JOB_NAME", "values": ["\#(name)"]}]}"#)
        guard case .array(let items)? = listed["jobSummaryList"] else { return [] }
        return try items.map { try h.describe($0["jobId"]?.string ?? "") }
    }

    func testAThreeStagePipelineIsDrivenPurelyByRulesReactingToStateChangeEvents() throws {
        let h = try BatchHarness()
        try h.standardSetUp()
        // extract SUCCEEDED → transform, with the extract's output parameter as its input.
        try h.call("PutRule", #"{"Name": "after-extract", "EventPattern": "{\"source\": [\"aws.batch\"], \"detail-type\": [\"Batch Job State Change\"], \"detail\": {\"jobName\": [\"extract\"], \"status\": [\"SUCCEEDED\"]}}"}"#, service: "events")
        try h.call("PutTargets", #"{"Rule": "after-extract", "Targets": [{"Id": "transform", "Arn": "\#(queueArn)", "BatchParameters": {"JobDefinition": "work", "JobName": "transform"}, "InputTransformer": {"InputPathsMap": {"out": "$.detail.parameters.output"}, "InputTemplate": "{\"Parameters\": {\"input\": <out>, \"output\": \"s3://stage2\"}}"}}]}"#, service: "events")
        // transform SUCCEEDED → load, a 3-child array job whose command comes from ContainerOverrides.
        try h.call("PutRule", #"{"Name": "after-transform", "EventPattern": "{\"source\": [\"aws.batch\"], \"detail\": {\"jobName\": [\"transform\"], \"status\": [\"SUCCEEDED\"]}}"}"#, service: "events")
        try h.call("PutTargets", #"{"Rule": "after-transform", "Targets": [{"Id": "load", "Arn": "\#(queueArn)", "BatchParameters": {"JobDefinition": "work:1", "JobName": "load", "ArrayProperties": {"Size": 3}, "RetryStrategy": {"Attempts": 2}}, "InputTransformer": {"InputPathsMap": {"in": "$.detail.parameters.output"}, "InputTemplate": "{\"Parameters\": {\"source\": <in>, \"SIM_DURATION_SECONDS\": 20}, \"ContainerOverrides\": {\"Command\": [\"load\", \"Ref::source\"], \"Environment\": [{\"Name\": \"STAGE\", \"Value\": \"3\"}]}}"}}]}"#, service: "events")

        let extract = try h.submit("extract", extra: #", "parameters": {"output": "s3://stage1", "SIM_DURATION_SECONDS": "60"}"#)
        h.router.advance(by: 600)
        XCTAssertEqual(try h.status(extract), "SUCCEEDED")
        let transform = try XCTUnwrap(try jobs(named: "transform", in: h).first)
        XCTAssertEqual(transform["status"], .string("SUCCEEDED"))
        XCTAssertEqual(transform["container"]?["command"], .array([.string("run"), .string("s3://stage1")]))
        XCTAssertEqual(transform["createdAt"], try h.describe(extract)["stoppedAt"], "submitted the instant extract succeeded")
        let load = try XCTUnwrap(try jobs(named: "load", in: h).first)
        XCTAssertEqual(load["status"], .string("SUCCEEDED"))
        XCTAssertEqual(load["arrayProperties"]?["size"]?.int, 3)
        XCTAssertEqual(load["retryStrategy"]?["attempts"]?.int, 2)
        XCTAssertEqual(load["container"]?["command"], .array([.string("load"), .string("s3://stage2")]))
        XCTAssertEqual(load["container"]?["environment"], .array([.members([("name", .string("STAGE")), ("value", .string("3"))])]))
        XCTAssertEqual(load["parameters"]?["SIM_DURATION_SECONDS"], .string("20"), "numbers in Parameters become strings")
        guard let started = load["createdAt"]?.int, let stopped = load["stoppedAt"]?.int else { return XCTFail("times") }
        XCTAssertEqual((stopped - started) / 1000, 21, "children ran 1 s start latency + 20 s in parallel")
        XCTAssertEqual(try jobs(named: "extract", in: h).count, 1, "no rule loops back")
    }

    func testBadTargetsFailTheDeliveryWithoutSubmitting() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp()
        h.router.recordOutcomes(true)
        try h.call("PutRule", #"{"Name": "orders", "EventPattern": "{\"source\": [\"shop\"]}"}"#, service: "events")
        try h.call("PutTargets", #"{"Rule": "orders", "Targets": [{"Id": "no-params", "Arn": "\#(queueArn)"}, {"Id": "no-queue", "Arn": "arn:aws:batch:us-east-1:123456789012:job-queue/nope", "BatchParameters": {"JobDefinition": "work", "JobName": "x"}}, {"Id": "bad-def", "Arn": "\#(queueArn)", "BatchParameters": {"JobDefinition": "missing", "JobName": "x"}}, {"Id": "ok", "Arn": "\#(queueArn)", "BatchParameters": {"JobDefinition": "work", "JobName": "from-event"}}]}"#, service: "events")
        try h.call("PutEvents", #"{"Entries": [{"Source": "shop", "DetailType": "Order", "Detail": "{\"id\": 1}"}]}"#, service: "events")
        h.router.runUntilIdle()
        let outcomes = h.router.drainOutcomes().filter { $0.kind != .retry }
        let failed = outcomes.filter { $0.error != nil }.map { $0.error?.code ?? "" }.sorted()
        XCTAssertEqual(failed, ["INVALID_PARAMETER", "INVALID_PARAMETER", "NO_RESOURCE"])
        XCTAssertTrue(outcomes.contains { $0.error?.message.contains("Job definition missing does not exist") == true })
        let submitted = try jobs(named: "*", in: h)
        XCTAssertEqual(submitted.map { $0["jobName"] }, [.string("from-event")])
        XCTAssertEqual(submitted.first?["parameters"], .object(JSONObject()), "the default input (the whole event) carries no Parameters")
    }
}
