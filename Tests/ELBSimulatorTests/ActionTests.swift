import ELBSimulator
import EventBus
import EventPatterns
import XCTest

/// forward (weighted groups, group stickiness), redirect (placeholders and their rules) and fixed-response.
final class ActionTests: XCTestCase {
    var h: Harness!
    var lb = "", listener = ""

    override func setUpWithError() throws {
        h = try Harness(seed: 42)
        lb = try h.loadBalancer()
        listener = try h.listener(lb, defaultActions: h.fixed("404", "default"))
    }

    /// A target group with one healthy target.
    func healthyGroup(_ name: String, _ instance: String) throws -> String {
        let group = try h.targetGroup(name)
        try h.register(group, [(instance, 80)])
        return group
    }

    func testWeightedForwardSplitsByWeightAndWeightZeroGetsNothing() throws {
        let blue = try healthyGroup("blue", "i-0000000b")
        let green = try healthyGroup("green", "i-0000000c")
        let idle = try healthyGroup("idle", "i-0000000d")
        try h.rule(listener, 1, conditions: #"[{"Field": "path-pattern", "Values": ["/*"]}]"#, actions: #"""
            [{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": "\#(blue)", "Weight": 80},
              {"TargetGroupArn": "\#(green)", "Weight": 20}, {"TargetGroupArn": "\#(idle)", "Weight": 0}]}}]
            """#)
        h.advance(30)  // first health checks pass
        var counts: [String: Int] = [:]
        for _ in 0..<2000 { counts[try h.route(listener)["TargetGroupArn"]?.text ?? "none", default: 0] += 1 }
        XCTAssertNil(counts[idle])
        XCTAssertEqual(Double(counts[blue] ?? 0) / 2000, 0.8, accuracy: 0.03)
        XCTAssertEqual(Double(counts[green] ?? 0) / 2000, 0.2, accuracy: 0.03)
    }

    func testGroupStickinessPinsAClientToItsGroupWithAWSALBTG() throws {
        let blue = try healthyGroup("blue", "i-0000000b")
        let green = try healthyGroup("green", "i-0000000c")
        try h.rule(listener, 1, conditions: #"[{"Field": "path-pattern", "Values": ["/*"]}]"#, actions: #"""
            [{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": "\#(blue)", "Weight": 50}, {"TargetGroupArn": "\#(green)", "Weight": 50}],
              "TargetGroupStickinessConfig": {"Enabled": true, "DurationSeconds": 600}}}]
            """#)
        h.advance(30)
        let first = try h.route(listener)
        let group = try XCTUnwrap(first["TargetGroupArn"]?.text)
        let cookies = try XCTUnwrap(first["SetCookie"]).jsonText
        XCTAssertTrue(cookies.contains("AWSALBTG="))
        XCTAssertTrue(cookies.contains("AWSALBTGCORS="))
        XCTAssertTrue(cookies.contains("Expires=Wed, 01 Jan 2025 00:10:30 GMT"), cookies)  // now (00:00:30) + 600 s
        guard case .string(let setCookie)? = first["SetCookie"]?[0] else { return XCTFail("no cookie") }
        let token = String(setCookie.dropFirst("AWSALBTG=".count).prefix(while: { $0 != ";" }))
        for _ in 0..<20 {
            XCTAssertEqual(try h.route(listener, #""Cookies": {"AWSALBTG": "\#(token)"}"#)["TargetGroupArn"]?.text, group)
        }
        // After the duration the cookie is no longer honoured (both groups appear again).
        h.advance(601)
        var seen: Set<String> = []
        for _ in 0..<40 { seen.insert(try h.route(listener, #""Cookies": {"AWSALBTG": "\#(token)"}"#)["TargetGroupArn"]?.text ?? "") }
        XCTAssertEqual(seen, [blue, green])
    }

    func testForwardValidation() throws {
        let group = try h.targetGroup("g1")
        func code(_ actions: String) throws -> String? {
            let error = try h.failure("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": 3, "Conditions": [{"Field": "path-pattern", "Values": ["/x"]}], "Actions": \#(actions)}"#)
            return error?.code
        }
        XCTAssertEqual(try code(#"[{"Type": "forward", "TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/none/0123456789abcdef"}]"#), "TargetGroupNotFound")
        XCTAssertEqual(try code(#"[{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": "\#(group)", "Weight": 1000}]}}]"#), "ValidationError")
        XCTAssertEqual(try code(#"[{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": "\#(group)"}], "TargetGroupStickinessConfig": {"Enabled": true, "DurationSeconds": 604801}}}]"#), "ValidationError")
        XCTAssertEqual(try code(#"[{"Type": "authenticate-oidc"}]"#), "ValidationError")
        XCTAssertEqual(try code(#"[{"Type": "forward", "TargetGroupArn": "\#(group)"}, {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}, {"Type": "forward", "TargetGroupArn": "\#(group)"}]"#), "TooManyActions")
        let tcp = try h.targetGroup("tcp", protocol: "TCP")
        XCTAssertEqual(try code(#"[{"Type": "forward", "TargetGroupArn": "\#(tcp)"}]"#), "IncompatibleProtocols")
        let groups = try (1...6).map { try h.targetGroup("w\($0)") }.map { #"{"TargetGroupArn": "\#($0)"}"# }.joined(separator: ",")
        XCTAssertEqual(try code(#"[{"Type": "forward", "ForwardConfig": {"TargetGroups": [\#(groups)]}}]"#), "ValidationError")
        let enumError = try h.failure("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": 3, "Conditions": [{"Field": "path-pattern", "Values": ["/x"]}], "Actions": [{"Type": "jump"}]}"#)
        XCTAssertTrue(enumError?.message.hasSuffix("Member must satisfy enum value set: [forward, redirect, fixed-response]") ?? false)
        // A group a rule uses cannot be deleted.
        try h.rule(listener, 3, conditions: #"[{"Field": "path-pattern", "Values": ["/x"]}]"#, actions: h.forward(group))
        XCTAssertEqual(try h.failure("DeleteTargetGroup", #"{"TargetGroupArn": "\#(group)"}"#)?.code, "ResourceInUse")
    }

    func testRedirectKeepsUnsetComponentsAndFillsPlaceholders() throws {
        try h.rule(listener, 1, conditions: #"[{"Field": "host-header", "Values": ["shop.example.com"]}]"#, actions: #"""
            [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]
            """#)
        try h.rule(listener, 2, conditions: #"[{"Field": "path-pattern", "Values": ["/old/*"]}]"#, actions: #"""
            [{"Type": "redirect", "RedirectConfig": {"Host": "new.#{host}", "Path": "/v2/#{path}", "Query": "from=#{port}&#{query}", "StatusCode": "HTTP_302"}}]
            """#)
        let https = try h.route(listener, #""Host": "shop.example.com", "Path": "/cart", "Query": "id=7""#)
        XCTAssertEqual(https["StatusCode"]?.int, 301)
        XCTAssertEqual(https["Location"]?.text, "https://shop.example.com:443/cart?id=7")
        let moved = try h.route(listener, #""Host": "a.example.org:80", "Path": "/old/page", "Query": "x=1""#)
        XCTAssertEqual(moved["StatusCode"]?.int, 302)
        XCTAssertEqual(moved["Location"]?.text, "http://new.a.example.org:80/v2/old/page?from=80&x=1")
    }

    func testRedirectValidation() throws {
        func message(_ config: String, listener: String? = nil) throws -> String? {
            try h.failure("CreateRule", #"{"ListenerArn": "\#(listener ?? self.listener)", "Priority": 3, "Conditions": [{"Field": "path-pattern", "Values": ["/x"]}], "Actions": [{"Type": "redirect", "RedirectConfig": \#(config)}]}"#)?.message
        }
        XCTAssertEqual(try message(#"{"StatusCode": "HTTP_301"}"#), "The redirect must change at least one of protocol, port, host or path, or it would loop")
        XCTAssertEqual(try message(#"{"Query": "a=1", "StatusCode": "HTTP_301"}"#), "The redirect must change at least one of protocol, port, host or path, or it would loop")
        XCTAssertNotNil(try message(#"{"Path": "no-slash", "StatusCode": "HTTP_301"}"#))
        XCTAssertNotNil(try message(#"{"Host": "x.com", "StatusCode": "HTTP_307"}"#))
        XCTAssertEqual(try message(##"{"Host": "#{path}.com", "StatusCode": "HTTP_301"}"##), "Redirect Host cannot use the placeholder '#{path}'")
        XCTAssertEqual(try message(##"{"Protocol": "#{host}", "StatusCode": "HTTP_301"}"##), "Redirect Protocol cannot use the placeholder '#{host}'")
        XCTAssertNotNil(try message(##"{"Port": "#{query}", "StatusCode": "HTTP_301"}"##))
        let secure = try h.call("CreateListener", #"{"LoadBalancerArn": "\#(lb)", "Protocol": "HTTPS", "Port": 443, "Certificates": [{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/x"}], "DefaultActions": \#(h.fixed("404", "x"))}"#)
        let secureArn = try XCTUnwrap(secure["Listeners"]?[0]?["ListenerArn"]?.text)
        XCTAssertEqual(try message(#"{"Protocol": "HTTP", "StatusCode": "HTTP_301"}"#, listener: secureArn), "Redirects from HTTPS to HTTP are not allowed")
    }

    func testFixedResponseAndItsValidation() throws {
        try h.rule(listener, 1, conditions: #"[{"Field": "path-pattern", "Values": ["/health"]}]"#, actions: #"""
            [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "503", "ContentType": "application/json", "MessageBody": "{\"down\":true}"}}]
            """#)
        let response = try h.route(listener, #""Path": "/health""#)
        XCTAssertEqual(response["StatusCode"]?.int, 503)
        XCTAssertEqual(response["ContentType"]?.text, "application/json")
        XCTAssertEqual(response["MessageBody"]?.text, #"{"down":true}"#)
        func code(_ config: String) throws -> String? {
            try h.failure("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": 3, "Conditions": [{"Field": "path-pattern", "Values": ["/x"]}], "Actions": [{"Type": "fixed-response", "FixedResponseConfig": \#(config)}]}"#)?.code
        }
        XCTAssertEqual(try code(#"{"StatusCode": "302"}"#), "ValidationError")
        XCTAssertEqual(try code(#"{"StatusCode": "200", "ContentType": "image/png"}"#), "ValidationError")
        XCTAssertEqual(try code(#"{"StatusCode": "200", "MessageBody": "\#(String(repeating: "x", count: 1025))"}"#), "ValidationError")
        try h.rule(listener, 3, conditions: #"[{"Field": "path-pattern", "Values": ["/x"]}]"#,
                   actions: #"[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "MessageBody": "\#(String(repeating: "x", count: 1024))"}}]"#)
    }
}
