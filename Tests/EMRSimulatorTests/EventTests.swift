import EMRSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import XCTest

/// The `aws.emr` events (spec §2.4) as they arrive at a rule target.
final class EventTests: XCTestCase {
    func keys(_ value: JSONValue?) -> [String] {
        guard case .object(let object)? = value else { return [] }
        return object.members.map(\.key)
    }

    func testClusterStateChangeShape() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster("nightly", keepAlive: false, steps: [Fixture.step("bad", outcome: "FAILED", action: "TERMINATE_CLUSTER")]))
        h.router.advance(by: 3600)
        let events = h.events.filter { $0["detail-type"]?.string == "EMR Cluster State Change" }
        XCTAssertEqual(events.count, 5)
        for event in events {
            XCTAssertEqual(event["source"], .string("aws.emr"))
            XCTAssertEqual(event["resources"], .array([]))
            XCTAssertEqual(event["account"], .string("123456789012"))
            XCTAssertEqual(event["region"], .string("us-east-1"))
            XCTAssertEqual(keys(event["detail"]), ["severity", "stateChangeReason", "name", "clusterId", "state", "message"])
            XCTAssertEqual(event["detail"]?["clusterId"], .string(id))
            XCTAssertEqual(event["detail"]?["name"], .string("nightly"))
            // stateChangeReason is a JSON document inside a string.
            let reasonText = try XCTUnwrap(event["detail"]?["stateChangeReason"]?.string)
            XCTAssertNotNil(try JSONReader.parse(reasonText)["code"])
        }
        let starting = try XCTUnwrap(events.first)
        XCTAssertEqual(starting["detail"]?["severity"], .string("INFO"))
        XCTAssertEqual(starting["detail"]?["message"],
                       .string("Amazon EMR Cluster \(id) (nightly) was requested at 2025-01-01 00:00 UTC and is being created."))
        let last = try XCTUnwrap(events.last)
        XCTAssertEqual(last["detail"]?["state"], .string("TERMINATED_WITH_ERRORS"))
        XCTAssertEqual(last["detail"]?["severity"], .string("CRITICAL"))
        XCTAssertEqual(last["time"], .string("2025-01-01T00:05:00Z"), "published at the transition's instant")
        let reason = try JSONReader.parse(last["detail"]?["stateChangeReason"]?.string ?? "")
        XCTAssertEqual(reason["code"], .string("STEP_FAILURE"))
        XCTAssertEqual(last["detail"]?["message"],
                       .string("Amazon EMR Cluster \(id) (nightly) has terminated with errors at 2025-01-01 00:05 UTC with a reason of STEP_FAILURE."))
    }

    func testStepStatusChangeShape() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster("etl", keepAlive: true, steps: [Fixture.step("CustomJAR", seconds: 30, outcome: "FAILED")]))
        h.router.advance(by: 3600)
        let events = h.events.filter { $0["detail-type"]?.string == "EMR Step Status Change" }
        XCTAssertEqual(events.map { $0["detail"]?["state"]?.string ?? "" }, ["PENDING", "RUNNING", "FAILED"])
        let failed = try XCTUnwrap(events.last)
        XCTAssertEqual(keys(failed["detail"]), ["severity", "actionOnFailure", "stepId", "name", "clusterId", "state", "message"])
        let stepID = try XCTUnwrap(failed["detail"]?["stepId"]?.string)
        XCTAssertTrue(stepID.hasPrefix("s-"))
        XCTAssertEqual(failed["detail"]?["severity"], .string("ERROR"))
        XCTAssertEqual(events.first?["detail"]?["severity"], .string("INFO"))
        XCTAssertEqual(failed["detail"]?["actionOnFailure"], .string("CONTINUE"))
        XCTAssertEqual(failed["detail"]?["message"],
                       .string("Step \(stepID) (CustomJAR) in Amazon EMR cluster \(id) (etl) failed at 2025-01-01 00:03 UTC."))
    }

    func testInstanceGroupStateChangeShape() throws {
        let h = try Harness()
        _ = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        h.router.advance(by: 600)
        let events = h.events.filter { $0["detail-type"]?.string == "EMR Instance Group State Change" }
        XCTAssertEqual(events.map { $0["detail"]?["state"]?.string ?? "" }, ["BOOTSTRAPPING", "BOOTSTRAPPING", "RUNNING", "RUNNING"])
        let core = try XCTUnwrap(events.last)
        XCTAssertEqual(keys(core["detail"]), ["severity", "clusterId", "instanceGroupId", "instanceGroupType", "instanceType", "market",
                                              "bidPrice", "bidPriceAsPercentageOfOnDemandPrice", "requestedInstanceCount",
                                              "runningInstanceCount", "state", "message"])
        XCTAssertEqual(core["detail"]?["instanceGroupType"], .string("CORE"))
        XCTAssertEqual(core["detail"]?["market"], .string("ON_DEMAND"))
        XCTAssertEqual(core["detail"]?["requestedInstanceCount"], .string("2"))
        XCTAssertEqual(core["detail"]?["runningInstanceCount"], .string("2"))
    }

    func testEventsReachRulesThatMatchOnTheirDetail() throws {
        let h = try Harness()
        let failures = try h.router.createQueue(account: Harness.account, region: Harness.region, name: "failures")
        _ = try h.router.putRule(account: Harness.account, region: Harness.region, name: "failed-steps", eventPattern: #"""
            {"source": ["aws.emr"], "detail-type": ["EMR Step Status Change"], "detail": {"state": ["FAILED"]}}
            """#)
        _ = try h.router.putTargets(account: Harness.account, region: Harness.region, rule: "failed-steps",
                                    targets: [TargetConfiguration(id: "q", arn: failures)])
        _ = try h.runJobFlow(Fixture.cluster(keepAlive: false, steps: [Fixture.step("ok"), Fixture.step("boom", outcome: "FAILED")]))
        h.router.advance(by: 3600)
        let bodies = h.router.queueMessages(arn: failures).compactMap { try? JSONReader.parse($0.body) }
        XCTAssertEqual(bodies.map { $0["detail"]?["name"]?.string ?? "" }, ["boom"])
    }
}
