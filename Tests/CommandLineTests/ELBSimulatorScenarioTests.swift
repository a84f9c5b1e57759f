import EventPatterns
import Foundation
import PatternTestSupport
import Testing

/// `eventrouter run Examples/elb-routing.jsonl`: the ELB simulator attached to the scenario runner.
@Suite struct ELBSimulatorScenarioTests {
    func lines() throws -> [JSONValue] {
        let tool = try #require(Fixtures.builtProduct("eventrouter"), "the eventrouter product must be built")
        let result = try Fixtures.run(tool, ["run", Fixtures.url("Examples/elb-routing.jsonl").path], input: "")
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return try result.stdout.split(separator: "\n").map { try JSONReader.parse(String($0)) }
    }

    func responses(_ lines: [JSONValue], _ call: String) -> [JSONValue] {
        lines.filter { $0["call"] == .string(call) }.compactMap { $0["response"] }
    }

    @Test func routingRedirectAndDefaultRule() throws {
        let output = try lines()
        let routes = responses(output, "RouteRequest")
        try #require(routes.count == 3)
        // /api/cart: priority 10 forwards to a target of blue or green, with a trace header stamped 00:00:10.
        #expect(routes[0]["Priority"] == .string("10"))
        #expect(routes[0]["ActionType"] == .string("forward"))
        #expect(routes[0]["Target"]?["Id"] != nil)
        if case .string(let trace)? = routes[0]["RequestHeaders"]?["X-Amzn-Trace-Id"] {
            #expect(trace.hasPrefix("Root=1-6774858a-"))   // 2025-01-01T00:00:10Z
            #expect(trace.count == "Root=1-6774858a-".count + 24)
        } else {
            Issue.record("no trace header")
        }
        #expect(routes[0]["RequestHeaders"]?["X-Forwarded-For"] == .string("198.51.100.20"))
        // old.example.com: priority 5 wins although it was created later.
        #expect(routes[1]["StatusCode"] == .number(JSONNumber(301)))
        #expect(routes[1]["Location"] == .string("https://www.example.com:443/cart?id=7"))
        #expect(routes[2]["Priority"] == .string("default"))
        #expect(routes[2]["MessageBody"] == .string("no route"))
        // The duplicate priority is refused with AWS's code.
        let errors = output.filter { $0["call"] == .string("CreateRule") }.compactMap { $0["error"]?["code"] }
        #expect(errors == [.string("PriorityInUse")])
    }

    @Test func healthEventsAndTheLaunchRuleReachTheirTargets() throws {
        let output = try lines()
        let deliveries = output.compactMap { $0["delivery"] }
        // The autoscaler's "running" event registered its instance in green.
        #expect(deliveries.contains { $0["input"]?["instance-id"] == .string("i-0bbbbbbbbbbbbbbb1") && $0["rule"]?.jsonText.contains("scale-out") == true })
        let health = responses(output, "DescribeTargetHealth")
        #expect(health.first?["TargetHealthDescriptions"]?[0]?["Target"]?["Id"] == .string("i-0bbbbbbbbbbbbbbb1"))
        #expect(health.first?["TargetHealthDescriptions"]?[0]?["TargetHealth"]?["State"] == .string("healthy"))
        #expect(health.last?["TargetHealthDescriptions"]?[0]?["TargetHealth"]?["State"] == .string("unhealthy"))
        #expect(health.last?["TargetHealthDescriptions"]?[0]?["TargetHealth"]?["Description"] == .string("Health checks failed with these codes: [503]"))
        let transitions = deliveries.filter { $0["rule"]?.jsonText.contains("elb-health") == true }.map {
            "\($0["input"]?["target"]?.jsonText ?? "") \($0["input"]?["to"]?.jsonText ?? "") \($0["time"]?.jsonText ?? "")"
        }
        #expect(transitions == [
            #""i-0aaaaaaaaaaaaaaa1" "healthy" "2025-01-01T00:00:10Z""#,
            #""i-0aaaaaaaaaaaaaaa2" "healthy" "2025-01-01T00:00:10Z""#,
            #""i-0bbbbbbbbbbbbbbb1" "healthy" "2025-01-01T00:00:10Z""#,
            #""i-0aaaaaaaaaaaaaaa1" "unhealthy" "2025-01-01T00:00:30Z""#,
        ])
        // The hourly capacity report for 00:00–01:00 counts the three routed requests.
        let report = try #require(deliveries.first { $0["rule"]?.jsonText.contains("elb-capacity") == true })
        #expect(report["time"] == .string("2025-01-01T01:00:00Z"))
        #expect(report["input"]?["hour"] == .string("2025-01-01T00:00:00Z"))
        #expect(report["input"]?["requests"] == .number(JSONNumber(3)))
    }
}
