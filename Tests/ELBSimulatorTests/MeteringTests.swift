import ELBSimulator
import EventBus
import EventPatterns
import XCTest

/// LCU and NLCU figures and the hourly "ELB Capacity Units Report".
final class MeteringTests: XCTestCase {
    func testTheSpecsWorkedLCUExample() {
        // 100 new conn/s ⇒ 4; 9 000 active ⇒ 3; 2 GB/h ⇒ 2; 500 req/s over 12 rules ⇒ 1 000 evals/s ⇒ 1.
        let evaluations = CapacityUnits.ruleEvaluations(requestsPerSecond: 500, rulesProcessed: 12)
        XCTAssertEqual(evaluations, 1_000)
        XCTAssertEqual(CapacityUnits.ruleEvaluations(requestsPerSecond: 500, rulesProcessed: 10), 0, "the first 10 rules are free")
        let lcu = CapacityUnits.application(newConnectionsPerSecond: 100, activeConnectionsPerMinute: 9_000, processedGBPerHour: 2,
                                            ruleEvaluationsPerSecond: evaluations)
        XCTAssertEqual(lcu, CapacityUnits(newConnections: 4, activeConnections: 3, processedBytes: 2, ruleEvaluations: 1))
        XCTAssertEqual(lcu.billed, 4, "billed on the largest dimension, not the sum")
        XCTAssertEqual(CapacityUnits.application(newConnectionsPerSecond: 0, activeConnectionsPerMinute: 0, processedGBPerHour: 0,
                                                 lambdaProcessedGBPerHour: 1, ruleEvaluationsPerSecond: 0).billed, 2.5, "Lambda: 0.4 GB per LCU")
    }

    func testNLCUTablesPerProtocol() throws {
        XCTAssertEqual(try XCTUnwrap(CapacityUnits.network(protocol: "TCP", newPerSecond: 1_600, activePerMinute: 100_000, processedGBPerHour: 0.5)).billed, 2)
        XCTAssertEqual(try XCTUnwrap(CapacityUnits.network(protocol: "UDP", newPerSecond: 400, activePerMinute: 150_000, processedGBPerHour: 0)).billed, 3)
        XCTAssertEqual(try XCTUnwrap(CapacityUnits.network(protocol: "TLS", newPerSecond: 100, activePerMinute: 3_000, processedGBPerHour: 1)).billed, 2)
        XCTAssertNil(CapacityUnits.network(protocol: "HTTP", newPerSecond: 1, activePerMinute: 1, processedGBPerHour: 1))
    }

    func testTheHourlyReportOfAnApplicationLoadBalancer() throws {
        let h = try Harness()
        let queue = try h.eventQueue("ELB Capacity Units Report")
        let lb = try h.loadBalancer()
        let listener = try h.listener(lb, defaultActions: h.fixed("200", "ok"))
        for priority in 1...12 {
            try h.rule(listener, priority, conditions: #"[{"Field": "path-pattern", "Values": ["/nothing\#(priority)"]}]"#, actions: h.fixed("404", "no"))
        }
        h.advance(600)
        // 36 requests of a quarter GB each, all in the minute 00:10; each processes 12 rules.
        for _ in 0..<36 { _ = try h.route(listener, #""RequestBytes": 268435456"#) }
        let current = try h.call("DescribeCapacityUnits", #"{"LoadBalancerArn": "\#(lb)"}"#)["CurrentHour"]
        XCTAssertEqual(current?["requests"]?.int, 36)
        h.advance(3000)  // 01:00:00
        let reports = try h.events(queue)
        XCTAssertEqual(reports.count, 1)
        let report = try XCTUnwrap(reports.first)
        XCTAssertEqual(report["time"]?.text, "2025-01-01T01:00:00Z")
        XCTAssertEqual(report["resources"], .array([.string(lb)]))
        let detail = try XCTUnwrap(report["detail"])
        XCTAssertEqual(detail["hourStart"]?.text, "2025-01-01T00:00:00Z")
        XCTAssertEqual(detail["hourEnd"]?.text, "2025-01-01T01:00:00Z")
        XCTAssertEqual(detail["unit"]?.text, "LCU")
        XCTAssertEqual(detail["dimensions"]?["newConnectionsPerSecond"]?.double ?? 0, 0.01, accuracy: 1e-12)
        XCTAssertEqual(detail["dimensions"]?["activeConnectionsPerMinute"]?.double ?? 0, 0.6, accuracy: 1e-12)  // 36 connection-minutes / 60
        XCTAssertEqual(detail["dimensions"]?["ruleEvaluationsPerSecond"]?.double ?? 0, 0.02, accuracy: 1e-12)  // 36 × (12 − 10) / 3600
        XCTAssertEqual(detail["dimensions"]?["processedBytes"]?.int, 36 * 268_435_456)
        XCTAssertEqual(detail["capacityUnits"]?["processedBytes"]?.double ?? 0, 9, accuracy: 1e-12)
        XCTAssertEqual(detail["capacityUnits"]?["newConnections"]?.double ?? 0, 0.0004, accuracy: 1e-12)
        XCTAssertEqual(detail["capacityUnits"]?["activeConnections"]?.double ?? 0, 0.0002, accuracy: 1e-12)
        XCTAssertEqual(detail["capacityUnits"]?["ruleEvaluations"]?.double ?? 0, 0.00002, accuracy: 1e-12)
        XCTAssertEqual(detail["billedCapacityUnits"]?.double ?? 0, 9, accuracy: 1e-12)
        // The next hour starts from zero.
        h.advance(3600)
        let next = try h.events(queue)
        XCTAssertEqual(next.count, 2)
        XCTAssertEqual(next.last?["detail"]?["billedCapacityUnits"]?.double, 0)
        XCTAssertEqual(next.last?["detail"]?["hourStart"]?.text, "2025-01-01T01:00:00Z")
    }

    func testTheHourlyReportOfANetworkLoadBalancerSumsProtocols() throws {
        let h = try Harness()
        let queue = try h.eventQueue("ELB Capacity Units Report")
        let nlb = try h.loadBalancer("edge", type: "network")
        let tcp = try h.targetGroup("t", protocol: "TCP", port: 80)
        let udp = try h.targetGroup("u", protocol: "UDP", port: 53)
        let tcpListener = try h.listener(nlb, protocol: "TCP", port: 80, defaultActions: h.forward(tcp))
        let udpListener = try h.listener(nlb, protocol: "UDP", port: 53, defaultActions: h.forward(udp))
        try h.register(tcp, [("i-0000000a", 80)])
        try h.register(udp, [("i-0000000a", 53)])
        h.advance(30)
        // 8 TCP connections of 1/8 GB each = 1 GB ⇒ 1 NLCU; 4 UDP flows of 1/2 GB each = 2 GB ⇒ 2 NLCU.
        for port in 1...8 {
            _ = try h.call("RouteFlow", #"{"ListenerArn": "\#(tcpListener)", "SourceIp": "198.51.100.1", "SourcePort": \#(port), "Bytes": 134217728, "Close": true}"#)
        }
        for port in 1...4 {
            _ = try h.call("RouteFlow", #"{"ListenerArn": "\#(udpListener)", "SourceIp": "198.51.100.1", "SourcePort": \#(port), "Bytes": 536870912}"#)
        }
        h.advance(3570)
        let detail = try XCTUnwrap(h.events(queue).first?["detail"])
        XCTAssertEqual(detail["unit"]?.text, "NLCU")
        XCTAssertEqual(detail["protocols"]?["TCP"]?["dimensions"]?["newFlowsPerSecond"]?.double ?? 0, 8.0 / 3600, accuracy: 1e-12)
        XCTAssertEqual(detail["protocols"]?["TCP"]?["billedCapacityUnits"]?.double ?? 0, 1, accuracy: 1e-12)
        XCTAssertEqual(detail["protocols"]?["UDP"]?["billedCapacityUnits"]?.double ?? 0, 2, accuracy: 1e-12)
        XCTAssertEqual(detail["protocols"]?["TLS"]?["billedCapacityUnits"]?.double, 0)
        XCTAssertEqual(detail["billedCapacityUnits"]?.double ?? 0, 3, accuracy: 1e-12)
    }
}
