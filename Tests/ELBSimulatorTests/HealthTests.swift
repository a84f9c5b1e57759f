import ELBSimulator
import EventBus
import EventPatterns
import EventSchedule
import Synchronization
import XCTest

/// A prober that fails one target with a timeout and records every probe.
private final class RecordingProber: HealthProber {
    let probes = Mutex<[HealthProbe]>([])
    func probe(_ probe: HealthProbe) -> HealthProbeResult {
        probes.withLock { $0.append(probe) }
        return probe.targetID == "i-000000ff" ? .timeout : .status(204)
    }
}

/// Health checks on the clock: thresholds, matchers, unused groups, draining, events.
final class HealthTests: XCTestCase {
    var h: Harness!
    var lb = "", listener = ""

    func build(prober: any HealthProber = AlwaysHealthyProber()) throws {
        h = try Harness(seed: 3, prober: prober)
        lb = try h.loadBalancer()
    }

    func describeOne(_ group: String, _ id: String) throws -> JSONValue? {
        try h.call("DescribeTargetHealth", #"{"TargetGroupArn": "\#(group)", "Targets": [{"Id": "\#(id)"}]}"#)["TargetHealthDescriptions"]?[0]
    }

    func testThresholdsDriveTransitionsAtEachInterval() throws {
        try build()
        let group = try h.targetGroup("app", extra: #", "HealthCheckIntervalSeconds": 10, "HealthyThresholdCount": 3, "UnhealthyThresholdCount": 2"#)
        listener = try h.listener(lb, defaultActions: h.forward(group))
        try h.register(group, [("i-00000001", 80)])
        XCTAssertEqual(try describeOne(group, "i-00000001")?["TargetHealth"]?["Reason"]?.text, "Elb.RegistrationInProgress")
        h.advance(9)
        XCTAssertEqual(try h.health(group), ["i-00000001:80": "initial"])
        h.advance(1)  // t=10: the first check passes; one pass is enough for a new target
        XCTAssertEqual(try h.health(group), ["i-00000001:80": "healthy"])
        try h.call("SetTargetHealthProbe", #"{"TargetId": "i-00000001", "Results": [500, 500, 200]}"#)
        h.advance(10)  // t=20: first failure — still healthy
        XCTAssertEqual(try h.health(group), ["i-00000001:80": "healthy"])
        h.advance(10)  // t=30: second failure — unhealthy
        let unhealthy = try describeOne(group, "i-00000001")?["TargetHealth"]
        XCTAssertEqual(unhealthy?["State"]?.text, "unhealthy")
        XCTAssertEqual(unhealthy?["Reason"]?.text, "Target.ResponseCodeMismatch")
        XCTAssertEqual(unhealthy?["Description"]?.text, "Health checks failed with these codes: [500]")
        h.advance(20)  // t=50: two passes — not yet
        XCTAssertEqual(try h.health(group), ["i-00000001:80": "unhealthy"])
        h.advance(10)  // t=60: the third pass in a row
        XCTAssertEqual(try h.health(group), ["i-00000001:80": "healthy"])
    }

    func testANewTargetThatKeepsFailingBecomesUnhealthyAfterTheUnhealthyThreshold() throws {
        try build()
        let group = try h.targetGroup("app", extra: #", "UnhealthyThresholdCount": 3"#)
        listener = try h.listener(lb, defaultActions: h.forward(group))
        try h.register(group, [("i-00000001", 80)])
        try h.call("SetTargetHealthProbe", #"{"TargetId": "i-00000001", "Results": ["timeout"]}"#)
        h.advance(30)
        XCTAssertEqual(try describeOne(group, "i-00000001")?["TargetHealth"]?["State"]?.text, "initial")
        XCTAssertEqual(try describeOne(group, "i-00000001")?["TargetHealth"]?["Reason"]?.text, "Elb.InitialHealthChecking")
        h.advance(30)
        XCTAssertEqual(try h.health(group), ["i-00000001:80": "initial"])
        h.advance(30)
        XCTAssertEqual(try describeOne(group, "i-00000001")?["TargetHealth"]?["Reason"]?.text, "Target.Timeout")
        XCTAssertEqual(try h.health(group), ["i-00000001:80": "unhealthy"])
    }

    func testTheMatcherDecidesWhichCodesPassAndTheProberIsPluggable() throws {
        let prober = RecordingProber()
        try build(prober: prober)
        let group = try h.targetGroup("app", extra: #", "Matcher": {"HttpCode": "200-299"}, "HealthCheckPath": "/ping", "HealthCheckPort": "9000""#)
        listener = try h.listener(lb, defaultActions: h.forward(group))
        try h.register(group, [("i-00000001", 80), ("i-000000ff", 80)])
        h.advance(90)
        XCTAssertEqual(try h.health(group), ["i-00000001:80": "healthy", "i-000000ff:80": "unhealthy"])
        let probes = prober.probes.withLock { $0 }
        XCTAssertEqual(probes.count, 6)
        XCTAssertEqual(probes.first?.path, "/ping")
        XCTAssertEqual(probes.first?.port, 9000)
        XCTAssertEqual(probes.first?.time.iso8601, "2025-01-01T00:00:30Z")
        XCTAssertEqual(try describeOne(group, "i-00000001")?["HealthCheckPort"]?.text, "9000")
        // A scripted 302 is outside 200-299.
        try h.call("SetTargetHealthProbe", #"{"TargetId": "i-00000001", "Port": 80, "Results": [302]}"#)
        h.advance(60)
        XCTAssertEqual(try h.health(group)["i-00000001:80"], "unhealthy")
    }

    func testHealthCheckSettingsHaveAWSDefaultsAndRanges() throws {
        try build()
        let created = try h.call("CreateTargetGroup", #"{"Name": "defaults", "Protocol": "HTTP", "Port": 80, "VpcId": "vpc-1"}"#)["TargetGroups"]?[0]
        XCTAssertEqual(created?["HealthCheckProtocol"]?.text, "HTTP")
        XCTAssertEqual(created?["HealthCheckPort"]?.text, "traffic-port")
        XCTAssertEqual(created?["HealthCheckPath"]?.text, "/")
        XCTAssertEqual(created?["HealthCheckIntervalSeconds"]?.int, 30)
        XCTAssertEqual(created?["HealthCheckTimeoutSeconds"]?.int, 5)
        XCTAssertEqual(created?["HealthyThresholdCount"]?.int, 5)
        XCTAssertEqual(created?["UnhealthyThresholdCount"]?.int, 2)
        XCTAssertEqual(created?["Matcher"]?["HttpCode"]?.text, "200")
        func failure(_ extra: String) throws -> APIError? {
            try h.failure("CreateTargetGroup", #"{"Name": "bad", "Protocol": "HTTP", "Port": 80, "VpcId": "vpc-1"\#(extra)}"#)
        }
        XCTAssertEqual(try failure(#", "HealthCheckIntervalSeconds": 5, "HealthCheckTimeoutSeconds": 10"#)?.message,
                       "Health check timeout '10' must be smaller than the interval '5'")
        XCTAssertEqual(try failure(#", "HealthCheckIntervalSeconds": 301"#)?.code, "ValidationError")
        XCTAssertEqual(try failure(#", "HealthyThresholdCount": 1"#)?.code, "ValidationError")
        XCTAssertEqual(try failure(#", "UnhealthyThresholdCount": 11"#)?.code, "ValidationError")
        for bad in ["600", "200-", "2xx", "299-200", "200-299,302", "199"] {
            let error = try failure(#", "Matcher": {"HttpCode": "\#(bad)"}"#)
            XCTAssertEqual(error?.code, "InvalidParameterValue", bad)
            XCTAssertEqual(error?.message, "HttpCode must be like 200 | 200-399 | 200,201 ...")
        }
        try h.call("CreateTargetGroup", #"{"Name": "list", "Protocol": "HTTP", "Port": 80, "VpcId": "vpc-1", "Matcher": {"HttpCode": "200,202,404"}}"#)
        XCTAssertEqual(try h.failure("CreateTargetGroup", #"{"Name": "noproto", "Port": 80, "VpcId": "vpc-1"}"#)?.message, "A protocol must be specified")
        XCTAssertEqual(try h.failure("CreateTargetGroup", #"{"Name": "defaults", "Protocol": "HTTP", "Port": 80, "VpcId": "vpc-1"}"#)?.code, "DuplicateTargetGroupName")
        XCTAssertEqual(try h.failure("CreateTargetGroup", #"{"Name": "\#(String(repeating: "a", count: 33))", "Protocol": "HTTP", "Port": 80, "VpcId": "vpc-1"}"#)?.message,
                       "Target group name '\(String(repeating: "a", count: 33))' cannot be longer than '32' characters")
    }

    func testTargetsOfAnUnusedGroupReportUnusedAndStartCheckingWhenAListenerUsesIt() throws {
        try build()
        let group = try h.targetGroup("later")
        try h.register(group, [("i-00000001", 80)])
        let entry = try describeOne(group, "i-00000001")?["TargetHealth"]
        XCTAssertEqual(entry?["State"]?.text, "unused")
        XCTAssertEqual(entry?["Reason"]?.text, "Target.NotInUse")
        h.advance(300)
        let queue = try h.eventQueue("ELB Target Health State Change")
        listener = try h.listener(lb, defaultActions: h.forward(group))
        XCTAssertEqual(try h.events(queue).map { "\($0["detail"]?["previousState"]?.text ?? "")>\($0["detail"]?["state"]?.text ?? "")" },
                       ["unused>initial"])
        XCTAssertEqual(try h.health(group), ["i-00000001:80": "initial"])
        h.advance(30)
        XCTAssertEqual(try h.health(group), ["i-00000001:80": "healthy"])
        let missing = try describeOne(group, "i-00000009")?["TargetHealth"]
        XCTAssertEqual(missing?["State"]?.text, "unused")
        XCTAssertEqual(missing?["Reason"]?.text, "Target.NotRegistered")
    }

    func testDisabledHealthChecksMakeTargetsUnavailableButRoutable() throws {
        try build()
        let group = try h.targetGroup("nochecks", extra: #", "HealthCheckEnabled": false"#)
        listener = try h.listener(lb, defaultActions: h.forward(group))
        try h.register(group, [("i-00000001", 80)])
        XCTAssertEqual(try h.health(group), ["i-00000001:80": "unavailable"])
        XCTAssertEqual(try h.route(listener)["Target"]?["Id"]?.text, "i-00000001")
        try h.call("ModifyTargetGroup", #"{"TargetGroupArn": "\#(group)", "HealthCheckEnabled": true}"#)
        XCTAssertEqual(try h.health(group), ["i-00000001:80": "initial"])
        h.advance(30)
        XCTAssertEqual(try h.health(group), ["i-00000001:80": "healthy"])
    }

    func testDrainingStopsNewRequestsLetsInFlightOnesFinishAndEndsAfterTheDelay() throws {
        try build()
        let group = try h.targetGroup("app")
        try h.call("ModifyTargetGroupAttributes", #"{"TargetGroupArn": "\#(group)", "Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "120"}]}"#)
        listener = try h.listener(lb, defaultActions: h.forward(group))
        let queue = try h.eventQueue("ELB Target Health State Change")
        try h.register(group, [("i-00000001", 80), ("i-00000002", 80)])
        h.advance(30)
        let first = try h.route(listener, #""DurationSeconds": 200"#)
        XCTAssertEqual(first["Target"]?["Id"]?.text, "i-00000001")
        try h.call("DeregisterTargets", #"{"TargetGroupArn": "\#(group)", "Targets": [{"Id": "i-00000001", "Port": 80}]}"#)
        let draining = try describeOne(group, "i-00000001")?["TargetHealth"]
        XCTAssertEqual(draining?["State"]?.text, "draining")
        XCTAssertEqual(draining?["Reason"]?.text, "Target.DeregistrationInProgress")
        XCTAssertEqual(Set(try (0..<4).map { _ in try h.route(listener)["Target"]?["Id"]?.text ?? "" }), ["i-00000002"])
        h.advance(119)
        XCTAssertEqual(try h.health(group)["i-00000001:80"], "draining")
        h.advance(1)
        XCTAssertEqual(try h.health(group), ["i-00000002:80": "healthy"])
        XCTAssertEqual(try describeOne(group, "i-00000001")?["TargetHealth"]?["Reason"]?.text, "Target.NotRegistered")
        XCTAssertEqual(try h.failure("DeregisterTargets", #"{"TargetGroupArn": "\#(group)", "Targets": [{"Id": "i-00000001"}]}"#)?.code, "InvalidTarget")
        // The events tell the whole story, in order, with the envelope's time.
        let events = try h.events(queue).filter { $0["detail"]?["target"]?["id"]?.text == "i-00000001" }
        XCTAssertEqual(events.map { "\($0["detail"]?["previousState"]?.text ?? "")>\($0["detail"]?["state"]?.text ?? "")" },
                       ["unused>initial", "initial>healthy", "healthy>draining", "draining>unused"])
        XCTAssertEqual(events.map { $0["time"]?.text ?? "" },
                       ["2025-01-01T00:00:00Z", "2025-01-01T00:00:30Z", "2025-01-01T00:00:30Z", "2025-01-01T00:02:30Z"])
        let last = try XCTUnwrap(events.last)
        XCTAssertEqual(last["source"]?.text, "sim.elasticloadbalancing")
        XCTAssertEqual(last["detail"]?["loadBalancerArn"]?.text, lb)
        XCTAssertEqual(last["detail"]?["targetGroupArn"]?.text, group)
        XCTAssertEqual(last["detail"]?["target"]?["port"]?.int, 80)
        XCTAssertEqual(last["detail"]?["target"]?["availabilityZone"]?.text, "us-east-1a")
        XCTAssertEqual(last["resources"], .array([.string(group), .string(lb)]))
    }

    func testRegistrationValidation() throws {
        try build()
        let group = try h.targetGroup("app")
        func code(_ targets: String) throws -> String? {
            try h.failure("RegisterTargets", #"{"TargetGroupArn": "\#(group)", "Targets": \#(targets)}"#)?.code
        }
        XCTAssertEqual(try code(#"[{"Id": "not-an-instance"}]"#), "InvalidTarget")
        XCTAssertEqual(try code(#"[{"Id": "i-00000001", "Port": 70000}]"#), "ValidationError")
        XCTAssertEqual(try code("[]"), "ValidationError")
        let ipGroup = try h.targetGroup("ips", extra: #", "TargetType": "ip""#)
        XCTAssertEqual(try h.failure("RegisterTargets", #"{"TargetGroupArn": "\#(ipGroup)", "Targets": [{"Id": "8.8.8.8"}]}"#)?.code, "InvalidTarget")
        try h.call("RegisterTargets", #"{"TargetGroupArn": "\#(ipGroup)", "Targets": [{"Id": "10.0.1.7"}, {"Id": "100.64.0.9"}]}"#)
        // One instance on two ports is two targets; registering again is a no-op.
        try h.register(group, [("i-00000001", 80), ("i-00000001", 8080), ("i-00000001", 80)])
        XCTAssertEqual(try h.health(group).count, 2)
        XCTAssertEqual(try h.failure("RegisterTargets", #"{"TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/0000000000000000", "Targets": [{"Id": "i-00000001"}]}"#)?.message,
                       "One or more target groups not found")
    }
}
