import EMRSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import SimulatorTestSupport
import XCTest

/// A router on a manual clock with the EMR simulator attached and every `aws.emr` event copied to
/// an SQS queue, so tests observe the events as a rule target would.
final class Harness: Sendable {
    static let account = "123456789012", region = "us-east-1"
    let clock: ManualClock
    let router: Router
    let emr: EMRSimulator
    let queue: String

    init(executor: any EMRExecutor = ScriptedExecutor(), seed: UInt64 = 1) throws {
        clock = ManualClock(start: try Instant(iso8601: "2025-01-01T00:00:00Z"))
        router = Router(clock: clock, configuration: .init(seed: seed))
        emr = EMRSimulator(clock: clock, events: router, executor: executor, seed: seed)
        router.attach(emr)
        queue = try router.createQueue(account: Self.account, region: Self.region, name: "emr-events")
        _ = try router.putRule(account: Self.account, region: Self.region, name: "all-emr", eventPattern: #"{"source": ["aws.emr"]}"#)
        _ = try router.putTargets(account: Self.account, region: Self.region, rule: "all-emr", targets: [TargetConfiguration(id: "q", arn: queue)])
    }

    /// Seconds since the start (2025-01-01T00:00:00Z).
    var elapsed: Int64 { clock.now().secondsSince1970 - 1_735_689_600 }

    @discardableResult
    func call(_ operation: String, _ params: String, service: String = "emr") throws -> JSONValue {
        try router.call(service: service, operation: operation, account: Self.account, region: Self.region, params: try JSONReader.parse(params))
    }

    /// The error of a call that must fail.
    func failure(_ operation: String, _ params: String, file: StaticString = #filePath, line: UInt = #line) -> APIError? {
        expectAPIError(operation, file: file, line: line) { try call(operation, params) }
    }

    /// RunJobFlow; returns the cluster id.
    func runJobFlow(_ params: String) throws -> String {
        guard case .string(let id)? = try call("RunJobFlow", params)["JobFlowId"] else { throw Failure.missing("JobFlowId") }
        return id
    }

    func addSteps(_ cluster: String, _ steps: String) throws -> [String] {
        let response = try call("AddJobFlowSteps", #"{"JobFlowId": "\#(cluster)", "Steps": \#(steps)}"#)
        guard case .array(let ids)? = response["StepIds"] else { throw Failure.missing("StepIds") }
        return ids.compactMap { if case .string(let id) = $0 { return id } else { return nil } }
    }

    func cluster(_ id: String) throws -> JSONValue {
        guard let cluster = try call("DescribeCluster", #"{"ClusterId": "\#(id)"}"#)["Cluster"] else { throw Failure.missing("Cluster") }
        return cluster
    }

    func state(_ id: String) throws -> String? { try cluster(id)["Status"]?["State"]?.string }
    func reasonCode(_ id: String) throws -> String? { try cluster(id)["Status"]?["StateChangeReason"]?["Code"]?.string }

    func step(_ cluster: String, _ step: String) throws -> JSONValue {
        guard let value = try call("DescribeStep", #"{"ClusterId": "\#(cluster)", "StepId": "\#(step)"}"#)["Step"] else { throw Failure.missing("Step") }
        return value
    }

    func stepState(_ cluster: String, _ step: String) throws -> String? { try self.step(cluster, step)["Status"]?["State"]?.string }

    /// Every `aws.emr` event routed so far, oldest first.
    var events: [JSONValue] { router.queueMessages(arn: queue).compactMap { try? JSONReader.parse($0.body) } }

    /// "STATE@seconds" of each event of one detail type, for one cluster, step, group or fleet id.
    func timeline(_ detailType: String, id: String? = nil) -> [String] {
        let keys = ["EMR Cluster State Change": "clusterId", "EMR Step Status Change": "stepId",
                    "EMR Instance Group State Change": "instanceGroupId", "EMR Instance Fleet State Change": "instanceFleetId"]
        let key = keys[detailType] ?? "clusterId"
        return events.filter { event in
            event["detail-type"]?.string == detailType && (id == nil || event["detail"]?[key]?.string == id)
        }.map { event in
            let time = (try? Instant(iso8601: event["time"]?.string ?? ""))?.secondsSince1970 ?? 0
            return "\(event["detail"]?["state"]?.string ?? "?")@\(time - 1_735_689_600)"
        }
    }

    /// States only, for one cluster's events of a type.
    func states(_ detailType: String, id: String? = nil) -> [String] {
        timeline(detailType, id: id).map { String($0.split(separator: "@").first ?? "") }
    }

    enum Failure: Error { case missing(String) }
}

extension JSONValue {
    var string: String? { if case .string(let text) = self { return text } else { return nil } }
    var number: Double? { if case .number(let number) = self { return number.value } else { return nil } }
    var array: [JSONValue]? { if case .array(let items) = self { return items } else { return nil } }
}

/// Instances blocks used by the tests.
enum Fixture {
    static func groups(keepAlive: Bool, protected: Bool = false, core: Int = 2) -> String {
        #"{"InstanceGroups": [{"Name": "Primary", "InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1}, {"Name": "Core", "InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": \#(core)}], "KeepJobFlowAliveWhenNoSteps": \#(keepAlive), "TerminationProtected": \#(protected)}"#
    }

    /// A step: `seconds` long (emr.sim.duration), with an outcome and an action on failure.
    static func step(_ name: String, seconds: Int = 60, outcome: String = "COMPLETED", action: String = "CONTINUE") -> String {
        #"{"Name": "\#(name)", "ActionOnFailure": "\#(action)", "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["spark-submit", "\#(name).py"], "Properties": [{"Key": "emr.sim.duration", "Value": "\#(seconds)"}, {"Key": "emr.sim.outcome", "Value": "\#(outcome)"}]}}"#
    }

    static func cluster(_ name: String = "etl", keepAlive: Bool, protected: Bool = false, steps: [String] = [], extra: String = "") -> String {
        #"{"Name": "\#(name)", "ReleaseLabel": "emr-7.1.0", "Instances": \#(groups(keepAlive: keepAlive, protected: protected)), "Steps": [\#(steps.joined(separator: ", "))]\#(extra)}"#
    }
}
