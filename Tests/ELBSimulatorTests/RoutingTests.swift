import ELBSimulator
import EventBus
import EventPatterns
import XCTest

/// Target selection: the three algorithms, sticky sessions, X-Amzn-Trace-Id, fail-open.
final class RoutingTests: XCTestCase {
    var h: Harness!
    var lb = "", listener = "", group = ""

    /// One listener forwarding everything to `group` with targets a, b, c (healthy after 30 s).
    func build(seed: UInt64 = 7, attributes: String? = nil) throws {
        h = try Harness(seed: seed, start: "2024-05-01T10:00:00Z")
        lb = try h.loadBalancer()
        group = try h.targetGroup("app")
        if let attributes {
            try h.call("ModifyTargetGroupAttributes", #"{"TargetGroupArn": "\#(group)", "Attributes": \#(attributes)}"#)
        }
        listener = try h.listener(lb, defaultActions: h.forward(group))
        try h.register(group, [("i-0000000a", 80), ("i-0000000b", 80), ("i-0000000c", 8080)])
        h.advance(30)
    }

    func target(_ response: JSONValue) -> String {
        (response["Target"]?["Id"]?.text ?? "none") + ":" + (response["Target"]?["Port"]?.jsonText ?? "")
    }

    func testRoundRobinRotatesInRegistrationOrder() throws {
        try build()
        let picks = try (0..<6).map { _ in target(try h.route(listener)) }
        XCTAssertEqual(picks, ["i-0000000a:80", "i-0000000b:80", "i-0000000c:8080", "i-0000000a:80", "i-0000000b:80", "i-0000000c:8080"])
    }

    func testWeightedRandomIsEvenAndReproducibleForASeed() throws {
        let attributes = #"[{"Key": "load_balancing.algorithm.type", "Value": "weighted_random"}]"#
        try build(seed: 11, attributes: attributes)
        let first = try (0..<3000).map { _ in target(try h.route(listener)) }
        var counts: [String: Int] = [:]
        for pick in first { counts[pick, default: 0] += 1 }
        XCTAssertEqual(counts.count, 3)
        for (_, count) in counts { XCTAssertEqual(Double(count) / 3000, 1.0 / 3, accuracy: 0.04) }
        XCTAssertNotEqual(Array(first.prefix(6)), ["i-0000000a:80", "i-0000000b:80", "i-0000000c:8080", "i-0000000a:80", "i-0000000b:80", "i-0000000c:8080"])
        try build(seed: 11, attributes: attributes)
        let again = try (0..<3000).map { _ in target(try h.route(listener)) }
        XCTAssertEqual(first, again, "same seed, same calls, same picks")
    }

    func testLeastOutstandingRequestsPicksTheLeastBusyTargetAndTiesGoToTheEarliest() throws {
        try build(attributes: #"[{"Key": "load_balancing.algorithm.type", "Value": "least_outstanding_requests"}]"#)
        // Three long requests occupy a, b, c in turn (ties broken by registration order).
        XCTAssertEqual(target(try h.route(listener, #""DurationSeconds": 100"#)), "i-0000000a:80")
        XCTAssertEqual(target(try h.route(listener, #""DurationSeconds": 10"#)), "i-0000000b:80")
        XCTAssertEqual(target(try h.route(listener, #""DurationSeconds": 100"#)), "i-0000000c:8080")
        h.advance(10)  // b's request finished
        XCTAssertEqual(target(try h.route(listener)), "i-0000000b:80")
        XCTAssertEqual(target(try h.route(listener)), "i-0000000b:80", "a zero-length request leaves nothing outstanding")
    }

    func testLBCookieStickinessKeepsTheTargetAndReissuesForUnhealthyTargets() throws {
        try build(attributes: #"[{"Key": "stickiness.enabled", "Value": "true"}, {"Key": "stickiness.lb_cookie.duration_seconds", "Value": "3600"}]"#)
        let first = try h.route(listener)
        let pinned = target(first)
        guard case .string(let cookie)? = first["SetCookie"]?[0], case .string(let cors)? = first["SetCookie"]?[1] else { return XCTFail("no cookies") }
        XCTAssertTrue(cookie.hasPrefix("AWSALB="))
        XCTAssertTrue(cookie.hasSuffix("; Expires=Wed, 01 May 2024 11:00:30 GMT; Path=/"), cookie)
        XCTAssertTrue(cors.hasPrefix("AWSALBCORS="))
        XCTAssertTrue(cors.hasSuffix("; SameSite=None; Secure"))
        let token = String(cookie.dropFirst("AWSALB=".count).prefix(while: { $0 != ";" }))
        for _ in 0..<5 {
            let next = try h.route(listener, #""Headers": {"Cookie": "theme=dark; AWSALB=\#(token)"}"#)
            XCTAssertEqual(target(next), pinned)
            XCTAssertEqual(next["SetCookie"]?[0]?.text?.hasPrefix("AWSALB="), true, "the expiry is refreshed on every request")
        }
        // A tampered cookie is not decodable: the algorithm decides again (round robin moves on).
        let tampered = String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0")
        XCTAssertNotEqual(target(try h.route(listener, #""Cookies": {"AWSALB": "\#(tampered)"}"#)), pinned)
        // The pinned target fails its checks: the session moves.
        let id = String(pinned.prefix(while: { $0 != ":" }))
        try h.call("SetTargetHealthProbe", #"{"TargetId": "\#(id)", "Results": [500]}"#)
        h.advance(60)
        XCTAssertNotEqual(target(try h.route(listener, #""Cookies": {"AWSALB": "\#(token)"}"#)), pinned)
    }

    func testAppCookieStickinessNeedsTheApplicationCookieAndAWSALBAPP() throws {
        try build(attributes: #"[{"Key": "stickiness.enabled", "Value": "true"}, {"Key": "stickiness.type", "Value": "app_cookie"}, {"Key": "stickiness.app_cookie.cookie_name", "Value": "SESSION"}]"#)
        let first = try h.route(listener, #""ResponseCookies": {"SESSION": "s1"}"#)
        let pinned = target(first)
        guard case .string(let cookie)? = first["SetCookie"]?[0] else { return XCTFail("no AWSALBAPP cookie") }
        XCTAssertTrue(cookie.hasPrefix("AWSALBAPP-0="))
        let token = String(cookie.dropFirst("AWSALBAPP-0=".count).prefix(while: { $0 != ";" }))
        for _ in 0..<4 {
            XCTAssertEqual(target(try h.route(listener, #""Cookies": {"SESSION": "s1", "AWSALBAPP-0": "\#(token)"}"#)), pinned)
        }
        // Without the application cookie, the binding is not used.
        let picks = try (0..<3).map { _ in target(try h.route(listener, #""Cookies": {"AWSALBAPP-0": "\#(token)"}"#)) }
        XCTAssertEqual(Set(picks).count, 3)
    }

    func testStickinessValidation() throws {
        try build()
        func error(_ attributes: String) throws -> APIError? {
            try h.failure("ModifyTargetGroupAttributes", #"{"TargetGroupArn": "\#(group)", "Attributes": \#(attributes)}"#)
        }
        XCTAssertEqual(try error(#"[{"Key": "stickiness.enabled", "Value": "true"}, {"Key": "stickiness.type", "Value": "app_cookie"}]"#)?.code, "InvalidConfigurationRequest")
        XCTAssertEqual(try error(#"[{"Key": "stickiness.type", "Value": "source_ip"}]"#)?.code, "InvalidConfigurationRequest")
        XCTAssertEqual(try error(#"[{"Key": "stickiness.enabled", "Value": "true"}, {"Key": "stickiness.type", "Value": "app_cookie"}, {"Key": "stickiness.app_cookie.cookie_name", "Value": "AWSALBAPP"}]"#)?.code, "ValidationError")
        XCTAssertEqual(try error(#"[{"Key": "stickiness.lb_cookie.duration_seconds", "Value": "604801"}]"#)?.code, "ValidationError")
        XCTAssertEqual(try error(#"[{"Key": "load_balancing.algorithm.type", "Value": "random"}]"#)?.code, "ValidationError")
        XCTAssertEqual(try error(#"[{"Key": "load_balancing.algorithm.anomaly_mitigation", "Value": "on"}]"#)?.code, "InvalidConfigurationRequest")
        XCTAssertEqual(try error(#"[{"Key": "deregistration_delay.timeout_seconds", "Value": "3601"}]"#)?.code, "ValidationError")
        XCTAssertEqual(try error(#"[{"Key": "no.such.key", "Value": "1"}]"#)?.code, "ValidationError")
        let tcp = try h.targetGroup("tcp", protocol: "TCP")
        XCTAssertEqual(try h.failure("ModifyTargetGroupAttributes", #"{"TargetGroupArn": "\#(tcp)", "Attributes": [{"Key": "stickiness.type", "Value": "lb_cookie"}]}"#)?.code, "InvalidConfigurationRequest")
    }

    func testTraceHeaderIsAddedWithTheRequestTimeAndChainedWithSelf() throws {
        try build()
        // 2024-05-01T10:00:30Z = 1714557630 = 0x663212be
        let fresh = try XCTUnwrap(h.route(listener)["RequestHeaders"]?["X-Amzn-Trace-Id"]?.text)
        let parts = fresh.split(separator: "-")
        XCTAssertEqual(parts.count, 3)
        XCTAssertEqual(parts.first, "Root=1")
        XCTAssertEqual(parts.dropFirst().first, "663212be")
        XCTAssertEqual(parts.last?.count, 24)
        XCTAssertTrue(parts.last?.allSatisfy { $0.isHexDigit && !$0.isUppercase } ?? false)
        // Through a second load balancer: Root kept, a new Self in front, custom fields kept.
        let root = String(fresh.dropFirst("Root=".count))
        let chained = try XCTUnwrap(h.route(listener, #""Headers": {"x-amzn-trace-id": "Root=\#(root);Self=1-00000000-000000000000000000000000;CalledFrom=app"}"#)["TraceId"]?.text)
        let fields = chained.split(separator: ";").map(String.init)
        XCTAssertEqual(fields.count, 3)
        XCTAssertTrue(fields[0].hasPrefix("Self=1-663212be-"))
        XCTAssertNotEqual(fields[0], "Self=1-00000000-000000000000000000000000")
        XCTAssertEqual(fields[1], "Root=\(root)")
        XCTAssertEqual(fields[2], "CalledFrom=app")
        // Over 7 KB of headers: a fresh Root only.
        let big = String(repeating: "x", count: 7200)
        let reset = try XCTUnwrap(h.route(listener, #""Headers": {"X-Amzn-Trace-Id": "Root=\#(root)", "X-Big": "\#(big)"}"#)["TraceId"]?.text)
        XCTAssertTrue(reset.hasPrefix("Root=1-663212be-"))
        XCTAssertFalse(reset.contains(root))
        let forwarded = try h.route(listener, #""SourceIp": "198.51.100.7", "Headers": {"X-Forwarded-For": "203.0.113.1"}"#)["RequestHeaders"]
        XCTAssertEqual(forwarded?["X-Forwarded-For"]?.text, "203.0.113.1, 198.51.100.7")
        XCTAssertEqual(forwarded?["X-Forwarded-Proto"]?.text, "http")
        XCTAssertEqual(forwarded?["X-Forwarded-Port"]?.text, "80")
    }

    func testFailOpenRoutesToAllTargetsWhenEveryTargetIsUnhealthy() throws {
        try build()
        try h.call("SetTargetHealthProbe", #"{"TargetId": "i-0000000a", "Results": ["timeout"]}"#)
        try h.call("SetTargetHealthProbe", #"{"TargetId": "i-0000000b", "Results": [502]}"#)
        h.advance(60)  // two failed checks each
        // c is still healthy: only c gets traffic.
        XCTAssertEqual(Set(try (0..<4).map { _ in target(try h.route(listener)) }), ["i-0000000c:8080"])
        try h.call("SetTargetHealthProbe", #"{"TargetId": "i-0000000c", "Results": [404]}"#)
        h.advance(60)
        XCTAssertEqual(try h.health(group), ["i-0000000a:80": "unhealthy", "i-0000000b:80": "unhealthy", "i-0000000c:8080": "unhealthy"])
        let picks = try (0..<3).map { _ in try h.route(listener) }
        XCTAssertEqual(Set(picks.map(target)).count, 3, "fail-open: all unhealthy targets share the load")
        XCTAssertEqual(picks.first?["FailOpen"], .bool(true))
    }

    func testNoRoutableTargetAnswers503() throws {
        h = try Harness()
        lb = try h.loadBalancer()
        group = try h.targetGroup("empty")
        listener = try h.listener(lb, defaultActions: h.forward(group))
        XCTAssertEqual(try h.route(listener)["StatusCode"]?.int, 503)
        try h.register(group, [("i-0000000a", 80)])
        XCTAssertEqual(try h.route(listener)["StatusCode"]?.int, 503, "an initial target gets no traffic before its first check")
        h.advance(30)
        XCTAssertEqual(try h.route(listener)["Target"]?["Id"]?.text, "i-0000000a")
    }

    func testLambdaTargetsReceiveTrafficWithHealthChecksOff() throws {
        h = try Harness()
        lb = try h.loadBalancer()
        let function = "arn:aws:lambda:us-east-1:123456789012:function:api"
        let created = try h.call("CreateTargetGroup", #"{"Name": "fn", "TargetType": "lambda"}"#)
        XCTAssertEqual(created["TargetGroups"]?[0]?["HealthCheckEnabled"], .bool(false))
        XCTAssertEqual(created["TargetGroups"]?[0]?["HealthCheckIntervalSeconds"]?.int, 35)
        group = try XCTUnwrap(created["TargetGroups"]?[0]?["TargetGroupArn"]?.text)
        listener = try h.listener(lb, defaultActions: h.forward(group))
        try h.call("RegisterTargets", #"{"TargetGroupArn": "\#(group)", "Targets": [{"Id": "\#(function)"}]}"#)
        XCTAssertEqual(try h.health(group), [function: "unavailable"])
        XCTAssertEqual(try h.route(listener)["Target"]?["Id"]?.text, function)
        XCTAssertEqual(try h.failure("RegisterTargets", #"{"TargetGroupArn": "\#(group)", "Targets": [{"Id": "arn:aws:lambda:us-east-1:123456789012:function:other"}]}"#)?.code, "TooManyTargets")
        XCTAssertEqual(try h.failure("CreateTargetGroup", #"{"Name": "fn2", "TargetType": "lambda", "Protocol": "HTTP"}"#)?.code, "ValidationError")
    }
}

/// Two load balancers in a row: one Root, the last hop's Self.
final class TraceChainTests: XCTestCase {
    func testChainingLoadBalancersKeepsOneRootAndTheLastHopsSelf() throws {
        let h = try Harness(seed: 9, start: "2024-05-01T10:00:00Z")
        var listeners: [String] = []
        for name in ["edge", "middle", "inner"] {
            let lb = try h.loadBalancer(name)
            let group = try h.targetGroup("\(name)-targets")
            listeners.append(try h.listener(lb, defaultActions: h.forward(group)))
            try h.register(group, [("i-0000000a", 80)])
        }
        h.advance(30)
        var header: String?
        var roots: Set<String> = []
        var selves: [String] = []
        for listener in listeners {
            let request = header.map { #""Headers": {"X-Amzn-Trace-Id": "\#($0)"}"# } ?? ""
            header = try XCTUnwrap(h.route(listener, request)["RequestHeaders"]?["X-Amzn-Trace-Id"]?.text)
            let fields = (header ?? "").split(separator: ";").map(String.init)
            roots.formUnion(fields.filter { $0.hasPrefix("Root=") })
            selves.append(contentsOf: fields.filter { $0.hasPrefix("Self=") })
        }
        XCTAssertEqual(roots.count, 1)
        XCTAssertEqual(selves.count, 2, "the second and third hop each add their own Self")
        XCTAssertNotEqual(selves.first, selves.last)
        let last = (header ?? "").split(separator: ";").map(String.init)
        XCTAssertEqual(last.count, 2)
        XCTAssertEqual(last.first, selves.last)
        XCTAssertTrue(last.first?.hasPrefix("Self=1-663212be-") ?? false)
    }
}

/// Slow start: a newly healthy target's share grows linearly over the window.
final class SlowStartTests: XCTestCase {
    func testANewlyHealthyTargetGetsALinearlyGrowingShare() throws {
        let h = try Harness(seed: 4)
        let lb = try h.loadBalancer()
        let group = try h.targetGroup("app")
        try h.call("ModifyTargetGroupAttributes", #"{"TargetGroupArn": "\#(group)", "Attributes": [{"Key": "slow_start.duration_seconds", "Value": "100"}]}"#)
        let listener = try h.listener(lb, defaultActions: h.forward(group))
        try h.register(group, [("i-0000000a", 80)])
        h.advance(130)   // a healthy since 00:00:30, out of its window since 00:02:10
        try h.register(group, [("i-0000000b", 80)])
        h.advance(80)    // b healthy since 00:02:40; at 00:03:30 it is half-way through its window
        var counts: [String: Int] = [:]
        for _ in 0..<300 { counts[try h.route(listener)["Target"]?["Id"]?.text ?? "", default: 0] += 1 }
        XCTAssertEqual(counts, ["i-0000000a": 200, "i-0000000b": 100], "weights 1 and 0.5")
        h.advance(50)    // b's window is over: plain round robin
        counts = [:]
        for _ in 0..<10 { counts[try h.route(listener)["Target"]?["Id"]?.text ?? "", default: 0] += 1 }
        XCTAssertEqual(counts, ["i-0000000a": 5, "i-0000000b": 5])
        XCTAssertEqual(try h.failure("ModifyTargetGroupAttributes", #"{"TargetGroupArn": "\#(group)", "Attributes": [{"Key": "slow_start.duration_seconds", "Value": "20"}]}"#)?.code, "ValidationError")
    }
}
