import ELBSimulator
import EventBus
import EventPatterns
import XCTest

/// Network Load Balancers: flow hashing and pinning, cross-zone, client IP preservation, listeners.
final class NetworkTests: XCTestCase {
    var h: Harness!
    var nlb = ""

    override func setUpWithError() throws {
        h = try Harness(seed: 5)
        let created = try h.call("CreateLoadBalancer", #"{"Name": "edge", "Type": "network", "Subnets": ["subnet-1", "subnet-2"]}"#)
        nlb = try XCTUnwrap(created["LoadBalancers"]?[0]?["LoadBalancerArn"]?.text)
        XCTAssertTrue(nlb.contains(":loadbalancer/net/edge/"))
        XCTAssertEqual(created["LoadBalancers"]?[0]?["AvailabilityZones"]?[1]?["ZoneName"]?.text, "us-east-1b")
    }

    /// A listener forwarding to a group with targets in zones a and b (healthy after 30 s).
    func listener(_ proto: String, port: Int, targetType: String = "instance", targets: [(String, String)]) throws -> (String, String) {
        let group = try h.targetGroup("g-\(proto.lowercased())-\(port)", protocol: proto, port: port, extra: #", "TargetType": "\#(targetType)""#)
        let listener = try h.listener(nlb, protocol: proto, port: port, defaultActions: h.forward(group))
        let list = targets.map { #"{"Id": "\#($0.0)", "AvailabilityZone": "\#($0.1)"}"# }.joined(separator: ",")
        try h.call("RegisterTargets", #"{"TargetGroupArn": "\#(group)", "Targets": [\#(list)]}"#)
        h.advance(30)
        return (listener, group)
    }

    func flow(_ listener: String, _ members: String) throws -> JSONValue {
        try h.call("RouteFlow", #"{"ListenerArn": "\#(listener)", \#(members)}"#)
    }

    let fourInstances = [("i-0000000a", "us-east-1a"), ("i-0000000b", "us-east-1a"), ("i-0000000c", "us-east-1b"), ("i-0000000d", "us-east-1b")]

    func testUDPFlowsHashTheFiveTupleAndStayOnTheirTarget() throws {
        try h.call("ModifyLoadBalancerAttributes", #"{"LoadBalancerArn": "\#(nlb)", "Attributes": [{"Key": "load_balancing.cross_zone.enabled", "Value": "true"}]}"#)
        let (listener, _) = try listener("UDP", port: 53, targets: fourInstances)
        let first = try flow(listener, #""SourceIp": "198.51.100.4", "SourcePort": 40000"#)
        XCTAssertEqual(first["NewFlow"], .bool(true))
        for _ in 0..<5 {
            let again = try flow(listener, #""SourceIp": "198.51.100.4", "SourcePort": 40000"#)
            XCTAssertEqual(again["Target"], first["Target"])
            XCTAssertEqual(again["NewFlow"], .bool(false))
        }
        var seen: Set<String> = []
        for port in 40001...40100 { seen.insert(try flow(listener, #""SourceIp": "198.51.100.4", "SourcePort": \#(port)"#)["Target"]?["Id"]?.text ?? "") }
        XCTAssertEqual(seen.count, 4, "different flows spread over all targets")
        // A UDP flow idles out after 120 s; the same tuple is then a new flow (hashed the same way).
        h.advance(121)
        let later = try flow(listener, #""SourceIp": "198.51.100.4", "SourcePort": 40000"#)
        XCTAssertEqual(later["NewFlow"], .bool(true))
        XCTAssertEqual(later["Target"], first["Target"])
    }

    func testTCPAddsTheSequenceNumberAndConnectionsArePinnedForTheirLife() throws {
        try h.call("ModifyLoadBalancerAttributes", #"{"LoadBalancerArn": "\#(nlb)", "Attributes": [{"Key": "load_balancing.cross_zone.enabled", "Value": "true"}]}"#)
        let (listener, group) = try listener("TCP", port: 443, targets: fourInstances)
        var targets: Set<String> = []
        for sequence in 1...60 {
            targets.insert(try flow(listener, #""SourceIp": "198.51.100.4", "SourcePort": 50000, "SequenceNumber": \#(sequence)"#)["Target"]?["Id"]?.text ?? "")
        }
        XCTAssertGreaterThan(targets.count, 1, "connections with the same ports but different sequence numbers spread")
        let connection = try flow(listener, #""SourceIp": "203.0.113.9", "SourcePort": 41000, "SequenceNumber": 777"#)
        let pinned = try XCTUnwrap(connection["Target"]?["Id"]?.text)
        // New targets join and the pinned one turns unhealthy: the open connection stays put.
        try h.call("RegisterTargets", #"{"TargetGroupArn": "\#(group)", "Targets": [{"Id": "i-0000000e", "AvailabilityZone": "us-east-1a"}, {"Id": "i-0000000f", "AvailabilityZone": "us-east-1b"}]}"#)
        try h.call("SetTargetHealthProbe", #"{"TargetId": "\#(pinned)", "Results": ["timeout"]}"#)
        h.advance(60)
        XCTAssertEqual(try h.health(group)["\(pinned):443"], "unhealthy")
        for _ in 0..<3 {
            // Within the 350 s idle timeout of the last packet each time (the first gap is 60 + 280 s).
            h.advance(280)
            let packet = try flow(listener, #""SourceIp": "203.0.113.9", "SourcePort": 41000, "SequenceNumber": 777"#)
            XCTAssertEqual(packet["Target"]?["Id"]?.text, pinned)
            XCTAssertEqual(packet["NewFlow"], .bool(false))
        }
        let closed = try flow(listener, #""SourceIp": "203.0.113.9", "SourcePort": 41000, "SequenceNumber": 777, "Close": true"#)
        XCTAssertEqual(closed["Target"]?["Id"]?.text, pinned)
        let reopened = try flow(listener, #""SourceIp": "203.0.113.9", "SourcePort": 41000, "SequenceNumber": 777"#)
        XCTAssertEqual(reopened["NewFlow"], .bool(true))
        XCTAssertNotEqual(reopened["Target"]?["Id"]?.text, pinned, "the unhealthy target gets no new connections")
    }

    func testCrossZoneIsOffByDefaultAndCanBeEnabled() throws {
        let (listener, group) = try listener("TCP", port: 80, targets: fourInstances)
        var zones: [String: Set<String>] = [:]
        for port in 1000..<1100 {
            for node in ["us-east-1a", "us-east-1b"] {
                let result = try flow(listener, #""SourceIp": "198.51.100.4", "SourcePort": \#(port), "AvailabilityZone": "\#(node)""#)
                zones[node, default: []].insert(result["Target"]?["AvailabilityZone"]?.text ?? "")
            }
        }
        XCTAssertEqual(zones["us-east-1a"], ["us-east-1a"])
        XCTAssertEqual(zones["us-east-1b"], ["us-east-1b"])
        // The group can override the load balancer's setting.
        try h.call("ModifyTargetGroupAttributes", #"{"TargetGroupArn": "\#(group)", "Attributes": [{"Key": "load_balancing.cross_zone.enabled", "Value": "true"}]}"#)
        var crossed: Set<String> = []
        for port in 2000..<2100 {
            crossed.insert(try flow(listener, #""SourceIp": "198.51.100.4", "SourcePort": \#(port), "AvailabilityZone": "us-east-1a""#)["Target"]?["AvailabilityZone"]?.text ?? "")
        }
        XCTAssertEqual(crossed, ["us-east-1a", "us-east-1b"])
        let attributes = try h.call("DescribeLoadBalancerAttributes", #"{"LoadBalancerArn": "\#(nlb)"}"#).jsonText
        XCTAssertTrue(attributes.contains(#"{"Key":"load_balancing.cross_zone.enabled","Value":"false"}"#))
    }

    func testClientIPIsPreservedForInstanceTargetsAndForIPTargetsOnlyWhenAsked() throws {
        let (instances, _) = try listener("TCP", port: 80, targets: [("i-0000000a", "us-east-1a")])
        let seen = try flow(instances, #""SourceIp": "198.51.100.4", "SourcePort": 1234, "AvailabilityZone": "us-east-1a""#)
        XCTAssertEqual(seen["SourceIpSeenByTarget"]?.text, "198.51.100.4")
        let (ips, ipGroup) = try listener("TCP", port: 81, targetType: "ip", targets: [("10.0.0.8", "us-east-1a")])
        let hidden = try flow(ips, #""SourceIp": "198.51.100.4", "SourcePort": 1234, "AvailabilityZone": "us-east-1a""#)
        XCTAssertEqual(hidden["SourceIpSeenByTarget"]?.text, hidden["LoadBalancerNode"]?["PrivateIpAddress"]?.text)
        XCTAssertNotEqual(hidden["SourceIpSeenByTarget"]?.text, "198.51.100.4")
        try h.call("ModifyTargetGroupAttributes", #"{"TargetGroupArn": "\#(ipGroup)", "Attributes": [{"Key": "preserve_client_ip.enabled", "Value": "true"}]}"#)
        XCTAssertEqual(try flow(ips, #""SourceIp": "198.51.100.4", "SourcePort": 1235, "AvailabilityZone": "us-east-1a""#)["SourceIpSeenByTarget"]?.text, "198.51.100.4")
    }

    func testNLBFailsOpenWhenEveryTargetIsUnhealthy() throws {
        let (listener, group) = try listener("TCP", port: 80, targets: [("i-0000000a", "us-east-1a"), ("i-0000000c", "us-east-1b")])
        for id in ["i-0000000a", "i-0000000c"] { try h.call("SetTargetHealthProbe", #"{"TargetId": "\#(id)", "Results": ["timeout"]}"#) }
        h.advance(60)
        XCTAssertEqual(try h.health(group).values.sorted(), ["unhealthy", "unhealthy"])
        let result = try flow(listener, #""SourceIp": "198.51.100.4", "SourcePort": 1234"#)
        XCTAssertEqual(result["FailOpen"], .bool(true))
        XCTAssertNotNil(result["Target"]?["Id"]?.text)
    }

    func testListenerProtocolsAndPorts() throws {
        let tcp = try h.targetGroup("t", protocol: "TCP", port: 53)
        let udp = try h.targetGroup("u", protocol: "UDP", port: 53)
        _ = try h.listener(nlb, protocol: "TCP", port: 53, defaultActions: h.forward(tcp))
        _ = try h.listener(nlb, protocol: "UDP", port: 53, defaultActions: h.forward(udp))  // same port, other protocol
        let both = try h.targetGroup("both", protocol: "TCP_UDP", port: 53)
        let duplicate = try h.failure("CreateListener", #"{"LoadBalancerArn": "\#(nlb)", "Protocol": "TCP_UDP", "Port": 53, "DefaultActions": \#(h.forward(both))}"#)
        XCTAssertEqual(duplicate?.code, "DuplicateListener")
        XCTAssertEqual(duplicate?.message, "A listener with the specified port already exists.")
        XCTAssertEqual(try h.failure("CreateListener", #"{"LoadBalancerArn": "\#(nlb)", "Protocol": "HTTP", "Port": 80, "DefaultActions": \#(h.forward(tcp))}"#)?.code, "UnsupportedProtocol")
        XCTAssertEqual(try h.failure("CreateListener", #"{"LoadBalancerArn": "\#(nlb)", "Protocol": "TLS", "Port": 443, "DefaultActions": \#(h.forward(tcp))}"#)?.code, "ValidationError")
        XCTAssertEqual(try h.failure("CreateListener", #"{"LoadBalancerArn": "\#(nlb)", "Protocol": "UDP", "Port": 54, "DefaultActions": \#(h.forward(tcp))}"#)?.code, "IncompatibleProtocols")
        XCTAssertEqual(try h.failure("CreateListener", #"{"LoadBalancerArn": "\#(nlb)", "Protocol": "TCP", "Port": 55, "DefaultActions": \#(h.fixed("200", "x"))}"#)?.code, "InvalidLoadBalancerAction")
        XCTAssertEqual(try h.failure("CreateListener", #"{"LoadBalancerArn": "\#(nlb)", "Protocol": "TCP", "DefaultActions": \#(h.forward(tcp))}"#)?.message, "A listener port must be specified")
        XCTAssertEqual(try h.failure("CreateListener", #"{"LoadBalancerArn": "\#(nlb)", "Protocol": "TCP", "Port": 70000, "DefaultActions": \#(h.forward(tcp))}"#)?.code, "ValidationError")
        let sticky = try h.failure("ModifyTargetGroupAttributes", #"{"TargetGroupArn": "\#(tcp)", "Attributes": [{"Key": "stickiness.type", "Value": "lb_cookie"}]}"#)
        XCTAssertEqual(sticky?.code, "InvalidConfigurationRequest")
    }

    func testTargetsOutsideTheEnabledZonesAreUnusedAndListenerChangesKeepProtocolsCompatible() throws {
        let (listener, group) = try listener("TCP", port: 80, targets: [("i-0000000a", "us-east-1a"), ("i-0000000c", "us-east-1c")])
        let described = try h.call("DescribeTargetHealth", #"{"TargetGroupArn": "\#(group)", "Targets": [{"Id": "i-0000000c"}]}"#)
        XCTAssertEqual(described["TargetHealthDescriptions"]?[0]?["TargetHealth"]?["State"]?.text, "unused")
        XCTAssertEqual(described["TargetHealthDescriptions"]?[0]?["TargetHealth"]?["Reason"]?.text, "Target.NotInUse")
        for port in 1...20 {
            XCTAssertEqual(try flow(listener, #""SourceIp": "198.51.100.4", "SourcePort": \#(port)"#)["Target"]?["Id"]?.text, "i-0000000a")
        }
        XCTAssertEqual(try h.failure("ModifyListener", #"{"ListenerArn": "\#(listener)", "Protocol": "UDP"}"#)?.code, "IncompatibleProtocols")
        let unchanged = try h.call("DescribeListeners", #"{"ListenerArns": ["\#(listener)"]}"#)
        XCTAssertEqual(unchanged["Listeners"]?[0]?["Protocol"]?.text, "TCP")
    }

    func testSourceIPStickinessSendsEveryFlowOfAClientToOneTarget() throws {
        try h.call("ModifyLoadBalancerAttributes", #"{"LoadBalancerArn": "\#(nlb)", "Attributes": [{"Key": "load_balancing.cross_zone.enabled", "Value": "true"}]}"#)
        let (listener, group) = try listener("TCP", port: 80, targets: fourInstances)
        try h.call("ModifyTargetGroupAttributes", #"{"TargetGroupArn": "\#(group)", "Attributes": [{"Key": "stickiness.enabled", "Value": "true"}]}"#)
        var seen: Set<String> = []
        for port in 3000..<3050 {
            seen.insert(try flow(listener, #""SourceIp": "198.51.100.77", "SourcePort": \#(port), "SequenceNumber": \#(port * 7)"#)["Target"]?["Id"]?.text ?? "")
        }
        XCTAssertEqual(seen.count, 1)
    }
}
