import EventBus
import EventPatterns
import EventSchedule
import EventTargets
@testable import ELBSimulator
import XCTest

/// Byte counters are bounded per request (1e12) but not per hour: an hour's counter near `Int.max`
/// must saturate, not wrap negative (it did, with `&+=`) nor trap (the ALB `processedBytes` sum
/// of HTTP and Lambda bytes used `+`).
final class CounterSaturationTests: XCTestCase {
    func testHourlyByteCountersSaturateInsteadOfOverflowing() throws {
        let h = try Harness()
        let lb = try h.loadBalancer()
        let group = try h.targetGroup("g")
        try h.register(group, [("i-0123456789abcdef0", 80)])
        let listener = try h.listener(lb, defaultActions: h.forward(group))
        let nlb = try h.loadBalancer("net", type: "network")
        let tcp = try h.targetGroup("t", protocol: "TCP")
        try h.register(tcp, [("i-0123456789abcdef0", 80)])
        let flows = try h.listener(nlb, protocol: "TCP", defaultActions: h.forward(tcp))
        h.advance(600)
        try h.call("RouteRequest", #"{"ListenerArn": "\#(listener)", "ResponseBytes": 1}"#)
        try h.call("RouteFlow", #"{"ListenerArn": "\#(flows)", "Protocol": "TCP", "SourceIp": "10.0.0.9", "SourcePort": 4000, "Bytes": 1}"#)
        h.elb.state.withLock { state in
            state.meters[lb]?.bytes["HTTP"] = Int.max - 10
            state.meters[lb]?.lambdaBytes = Int.max - 10  // as if Lambda targets had carried as much
            state.meters[nlb]?.bytes["TCP"] = Int.max - 10
        }
        // The sum of two large counters (this trapped: `+` in the ALB's processedBytes).
        let before = try h.call("DescribeCapacityUnits", #"{"LoadBalancerArn": "\#(lb)"}"#)
        XCTAssertEqual(before["CurrentHour"]?["dimensions"]?["processedBytes"]?.double, Double(Int.max))
        // Adding to a counter near the top (this wrapped to a negative count: `&+=`).
        try h.call("RouteRequest", #"{"ListenerArn": "\#(listener)", "RequestBytes": 1000000000000, "ResponseBytes": 1000000000000}"#)
        try h.call("RouteFlow", #"{"ListenerArn": "\#(flows)", "Protocol": "TCP", "SourceIp": "10.0.0.9", "SourcePort": 4000, "Bytes": 1000000000000}"#)
        let alb = try h.call("DescribeCapacityUnits", #"{"LoadBalancerArn": "\#(lb)"}"#)
        XCTAssertEqual(alb["CurrentHour"]?["dimensions"]?["processedBytes"]?.double, Double(Int.max))
        XCTAssertEqual(alb["CurrentHour"]?["dimensions"]?["lambdaProcessedBytes"]?.double, Double(Int.max - 10))
        let network = try h.call("DescribeCapacityUnits", #"{"LoadBalancerArn": "\#(nlb)"}"#)
        XCTAssertEqual(network["CurrentHour"]?["protocols"]?["TCP"]?["dimensions"]?["processedBytes"]?.double, Double(Int.max))
        h.advance(7200)  // and the hourly reports are written from the saturated counters
        XCTAssertEqual(saturatingSum(Int.max, 1), Int.max)
        XCTAssertEqual(saturatingSum(Int.min, -1), Int.min)
        XCTAssertEqual(saturatingSum(2, 3), 5)
    }

    /// A Swift host may run the simulator on any clock: in the last hour of `Int64` time the hour's
    /// end (`hourStart + 3600`) trapped when the next wake-up was computed.
    func testTheLastHourOfTimeDoesNotTrap() throws {
        let clock = ManualClock(start: Instant(secondsSince1970: Int64.max - 100))
        let router = Router(clock: clock, configuration: .init(seed: 1))
        let elb = ELBSimulator(clock: clock, events: router.eventSink)
        router.attach(elb)
        let created = try router.call(service: "elbv2", operation: "CreateLoadBalancer", account: "123456789012", region: "us-east-1",
                                      params: try JSONReader.parse(#"{"Name": "late"}"#))
        let arn = try XCTUnwrap(created["LoadBalancers"]?[0]?["LoadBalancerArn"]?.text)
        XCTAssertNil(elb.nextWakeUp())  // the hour never ends: no report is due, ever
        XCTAssertFalse(elb.run(until: Instant(secondsSince1970: .max)))
        let units = try router.call(service: "elbv2", operation: "DescribeCapacityUnits", account: "123456789012", region: "us-east-1",
                                    params: try JSONReader.parse(#"{"LoadBalancerArn": "\#(arn)"}"#))
        XCTAssertNotNil(units["CurrentHour"]?["hourStart"]?.text)
    }
}
