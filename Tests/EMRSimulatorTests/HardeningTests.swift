import EMRSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import Dispatch
import Foundation
import Synchronization
import SimulatorTestSupport
import XCTest

/// Regression tests of the review: sizes and times at the edges of the integer range.
final class HardeningTests: XCTestCase {
    /// NormalizedInstanceHours multiplies hours by instances: with huge fleet capacities and a
    /// cluster that ran to the far end of the clock it saturates instead of trapping, and capacities
    /// beyond the documented fleet limit are refused.
    func testNormalizedInstanceHoursSaturateAndFleetCapacitiesAreBounded() throws {
        let h = try Harness()
        let fleets = #"{"Name": "big", "Instances": {"KeepJobFlowAliveWhenNoSteps": true, "InstanceFleets": [{"InstanceFleetType": "MASTER", "TargetOnDemandCapacity": 1, "InstanceTypeConfigs": [{"InstanceType": "m5.xlarge"}]}, {"InstanceFleetType": "CORE", "TargetOnDemandCapacity": CAPACITY, "InstanceTypeConfigs": [{"InstanceType": "m5.xlarge"}]}]}}"#
        let error = h.failure("RunJobFlow", fleets.replacingOccurrences(of: "CAPACITY", with: "900000000000000"))
        XCTAssertEqual(error?.code, "ValidationException")
        XCTAssertTrue(error?.message.contains("TargetOnDemandCapacity") == true, error?.message ?? "")
        let cluster = try h.runJobFlow(fleets.replacingOccurrences(of: "CAPACITY", with: "1000000"))
        h.router.advance(by: 600)
        XCTAssertEqual(try h.state(cluster), "WAITING")
        h.clock.set(Instant(secondsSince1970: Int64.max / 2 - 1000))
        try h.call("TerminateJobFlows", #"{"JobFlowIds": ["\#(cluster)"]}"#)
        h.router.advance(by: 600)
        XCTAssertEqual(try h.state(cluster), "TERMINATED")
        XCTAssertEqual(try h.cluster(cluster)["NormalizedInstanceHours"]?.number, Double(Int.max))
        let listed = try h.call("ListClusters", "{}")["Clusters"]?.array ?? []
        XCTAssertEqual(listed.first?["NormalizedInstanceHours"]?.number, Double(Int.max))
    }

    /// A cluster created on a clock that started at the far past: hours between a ready time
    /// near Int64.min and an end near Int64.max saturate.
    func testNormalizedInstanceHoursAcrossTheWholeClockRange() throws {
        let clock = ManualClock(start: Instant(secondsSince1970: .min))
        let router = Router(clock: clock, configuration: .init(seed: 1))
        let emr = EMRSimulator(clock: clock, events: router, seed: 1)
        router.attach(emr)
        let params = try JSONReader.parse(#"{"Name": "old", "Instances": {"MasterInstanceType": "m5.xlarge", "InstanceCount": 3, "KeepJobFlowAliveWhenNoSteps": true}}"#)
        guard case .string(let id)? = try router.call(service: "emr", operation: "RunJobFlow", account: Harness.account, region: Harness.region, params: params)["JobFlowId"] else {
            return XCTFail("no id")
        }
        router.advance(by: 600)
        clock.set(Instant(secondsSince1970: Int64.max / 2 - 1000))
        _ = try router.call(service: "emr", operation: "TerminateJobFlows", account: Harness.account, region: Harness.region,
                            params: .members([("JobFlowIds", .array([.string(id)]))]))
        router.advance(by: 600)
        let cluster = try router.call(service: "emr", operation: "DescribeCluster", account: Harness.account, region: Harness.region,
                                      params: .members([("ClusterId", .string(id))]))["Cluster"]
        XCTAssertEqual(cluster?["Status"]?["State"]?.string, "TERMINATED")
        XCTAssertEqual(cluster?["NormalizedInstanceHours"]?.number, Double(Int.max))
    }

    /// Tags follow AWS's limits: at most 50, keys 1–128 characters, values at most 256.
    func testTagsAreBounded() throws {
        let h = try Harness()
        func flow(_ tags: String) -> String { Fixture.cluster(keepAlive: true, extra: #", "Tags": \#(tags)"#) }
        let fifty = (0..<51).map { #"{"Key": "k\#($0)", "Value": "v"}"# }.joined(separator: ", ")
        XCTAssertEqual(h.failure("RunJobFlow", flow("[\(fifty)]"))?.message, "A cluster can have at most 50 tags.")
        XCTAssertEqual(h.failure("RunJobFlow", flow(#"[{"Key": "", "Value": "v"}]"#))?.code, "ValidationException")
        XCTAssertEqual(h.failure("RunJobFlow", flow(#"[{"Key": "\#(String(repeating: "k", count: 129))"}]"#))?.code, "ValidationException")
        XCTAssertEqual(h.failure("RunJobFlow", flow(#"[{"Key": "k", "Value": "\#(String(repeating: "v", count: 257))"}]"#))?.code, "ValidationException")
        let id = try h.runJobFlow(flow(#"[{"Key": "\#(String(repeating: "k", count: 128))", "Value": "\#(String(repeating: "v", count: 256))"}]"#))
        XCTAssertEqual(try h.cluster(id)["Tags"]?.array?.count, 1)
    }

    /// ModifyInstanceGroups without a ClusterId finds groups across the account's clusters (one
    /// index per call); unknown ids and other accounts' groups are InvalidRequestException.
    func testModifyInstanceGroupsWithoutClusterIdAcrossClusters() throws {
        let h = try Harness()
        var cores: [String] = []
        for _ in 0..<5 {
            let id = try h.runJobFlow(Fixture.cluster(keepAlive: true))
            let groups = try h.call("ListInstanceGroups", #"{"ClusterId": "\#(id)"}"#)["InstanceGroups"]?.array ?? []
            cores.append(groups.first { $0["InstanceGroupType"]?.string == "CORE" }?["Id"]?.string ?? "")
        }
        h.router.advance(by: 600)
        let changes = cores.map { #"{"InstanceGroupId": "\#($0)", "InstanceCount": 4}"# }.joined(separator: ", ")
        try h.call("ModifyInstanceGroups", #"{"InstanceGroups": [\#(changes)]}"#)
        h.router.advance(by: 600)
        for (index, core) in cores.enumerated() {
            let id = try XCTUnwrap(try h.call("ListClusters", "{}")["Clusters"]?.array?.reversed()[index]["Id"]?.string)
            let groups = try h.call("ListInstanceGroups", #"{"ClusterId": "\#(id)"}"#)["InstanceGroups"]?.array ?? []
            let group = try XCTUnwrap(groups.first { $0["Id"]?.string == core })
            XCTAssertEqual(group["RunningInstanceCount"]?.number, 4)
        }
        XCTAssertEqual(h.failure("ModifyInstanceGroups", #"{"InstanceGroups": [{"InstanceGroupId": "ig-NOPE", "InstanceCount": 1}]}"#)?.code, "InvalidRequestException")
        let foreign = try? h.router.call(service: "emr", operation: "ModifyInstanceGroups", account: "210987654321", region: Harness.region,
                                         params: try JSONReader.parse(#"{"InstanceGroups": [{"InstanceGroupId": "\#(cores[0])", "InstanceCount": 1}]}"#))
        XCTAssertNil(foreign, "another account's group is not found")
    }

    /// Events reach the sink in transition order even when several threads drive the simulator at
    /// once and the sink is slow: each step's events go PENDING → RUNNING → COMPLETED.
    func testConcurrentDriversPublishEachStepsEventsInTransitionOrder() throws {
        let clock = ManualClock(start: try Instant(iso8601: "2025-01-01T00:00:00Z"))
        let sink = SlowSink()
        let emr = EMRSimulator(clock: clock, events: sink, executor: ScriptedExecutor(provisioningSeconds: 1, bootstrapSeconds: 1, stepSeconds: 1), seed: 5)
        @Sendable func call(_ operation: String, _ json: String) throws -> JSONValue {
            guard case .object(let params) = try JSONReader.parse(json) else { throw ServiceError("Test", "not an object") }
            return try emr.call(operation: operation, account: Harness.account, region: Harness.region, params: params)
        }
        guard case .string(let cluster)? = try call("RunJobFlow", #"{"Name": "c", "StepConcurrencyLevel": 256, "Instances": {"MasterInstanceType": "m5.xlarge", "KeepJobFlowAliveWhenNoSteps": true}}"#)["JobFlowId"] else {
            return XCTFail("no cluster")
        }
        clock.advance(by: 5)
        emr.run(until: clock.now())
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for step in 0..<200 {
                switch worker {
                case 0: _ = try? call("AddJobFlowSteps", #"{"JobFlowId": "\#(cluster)", "Steps": [{"Name": "s\#(step)", "HadoopJarStep": {"Jar": "x.jar"}}]}"#)
                case 1: clock.advance(by: 1)
                default: break
                }
                emr.run(until: clock.now())
            }
        }
        for _ in 0..<10 {
            clock.advance(by: 5)
            emr.run(until: clock.now())
        }
        let order = ["PENDING", "RUNNING", "COMPLETED"]
        let (inversions, last) = transitionOrder(of: sink.details, idKey: "stepId", stateKey: "state", order: order)
        XCTAssertEqual(inversions, [])
        XCTAssertEqual(last.count, 200)
        XCTAssertTrue(last.values.allSatisfy { $0 == 2 }, "every step completed and its COMPLETED event was published")
    }
}
