import ELBSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import SimulatorTestSupport
import XCTest

/// A router on a manual clock with an attached ELB simulator, and shortcuts for the JSON API.
final class Harness {
    let account = "123456789012", region = "us-east-1"
    let clock: ManualClock
    let router: Router
    let elb: ELBSimulator

    init(seed: UInt64 = 1, start: String = "2025-01-01T00:00:00Z", prober: any HealthProber = AlwaysHealthyProber()) throws {
        clock = ManualClock(start: try Instant(iso8601: start))
        router = Router(clock: clock, configuration: .init(seed: seed))
        elb = ELBSimulator(clock: clock, events: router, seed: seed, prober: prober)
        router.attach(elb)
    }

    @discardableResult
    func call(_ operation: String, _ json: String) throws -> JSONValue {
        try router.call(service: "elbv2", operation: operation, account: account, region: region, params: try JSONReader.parse(json))
    }

    /// The error code (and message) of a call that must fail.
    func failure(_ operation: String, _ json: String, file: StaticString = #filePath, line: UInt = #line) throws -> APIError? {
        expectAPIError(operation, file: file, line: line) { try call(operation, json) }
    }

    func advance(_ seconds: Int64) { router.advance(by: seconds) }

    // MARK: building blocks

    func loadBalancer(_ name: String = "web", type: String = "application") throws -> String {
        let response = try call("CreateLoadBalancer", #"{"Name": "\#(name)", "Type": "\#(type)"}"#)
        return try XCTUnwrap(response["LoadBalancers"]?[0]?["LoadBalancerArn"]?.text)
    }

    func targetGroup(_ name: String, protocol proto: String = "HTTP", port: Int = 80, extra: String = "") throws -> String {
        let response = try call("CreateTargetGroup", #"{"Name": "\#(name)", "Protocol": "\#(proto)", "Port": \#(port), "VpcId": "vpc-1"\#(extra)}"#)
        return try XCTUnwrap(response["TargetGroups"]?[0]?["TargetGroupArn"]?.text)
    }

    func listener(_ lb: String, protocol proto: String = "HTTP", port: Int = 80, defaultActions: String) throws -> String {
        let response = try call("CreateListener", #"{"LoadBalancerArn": "\#(lb)", "Protocol": "\#(proto)", "Port": \#(port), "DefaultActions": \#(defaultActions)}"#)
        return try XCTUnwrap(response["Listeners"]?[0]?["ListenerArn"]?.text)
    }

    func fixed(_ status: String, _ body: String) -> String {
        #"[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "\#(status)", "ContentType": "text/plain", "MessageBody": "\#(body)"}}]"#
    }

    func forward(_ group: String) -> String { #"[{"Type": "forward", "TargetGroupArn": "\#(group)"}]"# }

    @discardableResult
    func rule(_ listener: String, _ priority: Int, conditions: String, actions: String) throws -> String {
        let response = try call("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": \#(priority), "Conditions": \#(conditions), "Actions": \#(actions)}"#)
        return try XCTUnwrap(response["Rules"]?[0]?["RuleArn"]?.text)
    }

    func register(_ group: String, _ targets: [(String, Int)]) throws {
        let list = targets.map { #"{"Id": "\#($0.0)", "Port": \#($0.1)}"# }.joined(separator: ", ")
        try call("RegisterTargets", #"{"TargetGroupArn": "\#(group)", "Targets": [\#(list)]}"#)
    }

    func route(_ listener: String, _ request: String = "") throws -> JSONValue {
        try call("RouteRequest", #"{"ListenerArn": "\#(listener)"\#(request.isEmpty ? "" : ", " + request)}"#)
    }

    func health(_ group: String) throws -> [String: String] {
        let response = try call("DescribeTargetHealth", #"{"TargetGroupArn": "\#(group)"}"#)
        var result: [String: String] = [:]
        guard case .array(let items)? = response["TargetHealthDescriptions"] else { return result }
        for item in items {
            let id = item["Target"]?["Id"]?.text ?? "?"
            let port = item["Target"]?["Port"].map { $0.jsonText } ?? ""
            result[port.isEmpty ? id : "\(id):\(port)"] = item["TargetHealth"]?["State"]?.text
        }
        return result
    }

    /// A queue that receives every `sim.elasticloadbalancing` event of `detailType`.
    func eventQueue(_ detailType: String) throws -> String {
        let name = "q\(detailType.filter { $0.isLetter })"
        let queue = try router.createQueue(account: account, region: region, name: name)
        _ = try router.putRule(account: account, region: region, name: name,
                               eventPattern: #"{"source": ["sim.elasticloadbalancing"], "detail-type": ["\#(detailType)"]}"#)
        _ = try router.putTargets(account: account, region: region, rule: name, targets: [TargetConfiguration(id: "q", arn: queue)])
        return queue
    }

    func events(_ queue: String) throws -> [JSONValue] {
        router.runUntilIdle()
        return try router.queueMessages(arn: queue).map { try JSONReader.parse($0.body) }
    }
}

extension JSONValue {
    var text: String? {
        if case .string(let value) = self { return value }
        return nil
    }
    var int: Int? {
        if case .number(let number) = self { return Int(exactly: number.value) }
        return nil
    }
    var double: Double? {
        if case .number(let number) = self { return number.value }
        return nil
    }
}
