import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import Synchronization
import XCTest

/// A minimal simulated service: `Start` schedules a "tick" `Delay` seconds later, which publishes a
/// `sim.test` event; deliveries to `arn:aws:simtest:` are counted and schedule a tick at once.
private final class TickService: SimulatedService {
    let clock: any RouterClock
    let sink: any ServiceEventSink
    private let state = Mutex<(due: [Instant], delivered: [DeliveryRequest], ticks: Int)>(([], [], 0))

    init(clock: any RouterClock, sink: any ServiceEventSink) {
        self.clock = clock
        self.sink = sink
    }

    var serviceName: String { "simtest" }
    var targetArnPrefixes: [String] { ["arn:aws:simtest:"] }
    var delivered: [DeliveryRequest] { state.withLock { $0.delivered } }
    var ticks: Int { state.withLock { $0.ticks } }

    func call(operation: String, account: String, region: String, params: JSONObject) throws(ServiceError) -> JSONValue {
        let p = ServiceParameters(params, errorCode: "ClientException")
        guard operation == "Start" else { throw ServiceError("UnknownOperation", operation) }
        let delay = try p.int("Delay")
        let due = Instant(secondsSince1970: clock.now().secondsSince1970 + Int64(delay))
        state.withLock { $0.due.append(due) }
        return .members([("Due", .string(due.iso8601))])
    }

    func nextWakeUp() -> Instant? { state.withLock { $0.due.min() } }

    func run(until now: Instant) -> Bool {
        let fired = state.withLock { state -> [Instant] in
            let due = state.due.filter { $0 <= now }
            state.due.removeAll { $0 <= now }
            state.ticks += due.count
            return due
        }
        for time in fired {
            sink.putServiceEvent(account: "123456789012", region: "us-east-1", source: "sim.test", detailType: "Tick",
                                 detail: .members([("at", .string(time.iso8601))]), resources: [])
        }
        return !fired.isEmpty
    }

    func deliver(_ request: DeliveryRequest) -> DeliveryResult {
        state.withLock { state in
            state.delivered.append(request)
            state.due.append(request.time)
        }
        return .delivered
    }
}

final class SimulatedServiceTests: XCTestCase {
    let account = "123456789012", region = "us-east-1"

    func testServiceWorkRunsAtItsTimeAndItsEventsAreRouted() throws {
        let clock = ManualClock(start: try Instant(iso8601: "2025-01-01T00:00:00Z"))
        let router = Router(clock: clock, configuration: .init(seed: 7))
        let service = TickService(clock: clock, sink: router)
        router.attach(service)
        let queue = try router.createQueue(account: account, region: region, name: "ticks")
        _ = try router.putRule(account: account, region: region, name: "ticks", eventPattern: #"{"source": ["sim.test"]}"#)
        _ = try router.putTargets(account: account, region: region, rule: "ticks", targets: [TargetConfiguration(id: "q", arn: queue)])

        let response = try router.call(service: "simtest", operation: "Start", account: account, region: region,
                                       params: .members([("Delay", .int(90))]))
        XCTAssertEqual(response["Due"], .string("2025-01-01T00:01:30Z"))
        XCTAssertEqual(router.nextWakeUp()?.iso8601, "2025-01-01T00:01:30Z")
        router.advance(by: 60)
        XCTAssertEqual(service.ticks, 0)
        router.advance(by: 60)
        XCTAssertEqual(service.ticks, 1)
        let messages = router.queueMessages(arn: queue)
        XCTAssertEqual(messages.count, 1)
        let body = try JSONReader.parse(messages.first?.body ?? "")
        XCTAssertEqual(body["detail"]?["at"], .string("2025-01-01T00:01:30Z"))
        XCTAssertEqual(body["time"], .string("2025-01-01T00:01:30Z"), "the event is published at the work's time, not the advance's end")
    }

    func testServiceErrorsKeepTheirCodeAndUnknownServicesAreRejected() throws {
        let router = Router(clock: ManualClock(), configuration: .init(seed: 1))
        router.attach(TickService(clock: router.clock, sink: router))
        XCTAssertThrowsError(try router.call(service: "simtest", operation: "Start", account: account, region: region,
                                             params: .members([("Delay", .string("soon"))]))) { error in
            XCTAssertEqual((error as? APIError)?.code, "ClientException")
            XCTAssertEqual((error as? APIError)?.message, "Delay must be an integer.")
        }
        XCTAssertThrowsError(try router.call(service: "nosuch", operation: "Start", account: account, region: region,
                                             params: .object(JSONObject()))) { error in
            XCTAssertEqual((error as? APIError)?.code, "UnknownOperationException")
        }
    }

    func testTargetParametersReachTheServiceAndWorkCausedByADeliveryRunsAtOnce() throws {
        let clock = ManualClock()
        let router = Router(clock: clock, configuration: .init(seed: 3))
        let service = TickService(clock: clock, sink: router)
        router.attach(service)
        _ = try router.putRule(account: account, region: region, name: "to-sim", eventPattern: #"{"source": ["shop"]}"#)
        _ = try router.call(service: "events", operation: "PutTargets", account: account, region: region, params: try JSONReader.parse("""
            {"Rule": "to-sim", "Targets": [{"Id": "s", "Arn": "arn:aws:simtest:us-east-1:123456789012:thing/a",
              "SimParameters": {"Mode": "fast"}}]}
            """))
        let listed = try router.call(service: "events", operation: "ListTargetsByRule", account: account, region: region,
                                     params: .members([("Rule", .string("to-sim"))]))
        XCTAssertEqual(listed["Targets"]?[0]?["SimParameters"]?["Mode"], .string("fast"))
        XCTAssertThrowsError(try router.call(service: "events", operation: "PutTargets", account: account, region: region,
                                             params: try JSONReader.parse(#"{"Rule": "to-sim", "Targets": [{"Id": "t", "Arn": "arn:aws:simtest:x", "SimParameters": 3}]}"#)))
        _ = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "shop", detailType: "Order", detail: "{}")])
        router.runUntilIdle()
        XCTAssertEqual(service.delivered.count, 1)
        XCTAssertEqual(service.delivered.first?.parameters["SimParameters"]?["Mode"], .string("fast"))
        XCTAssertEqual(service.ticks, 1, "work the delivery scheduled for now ran in the same runUntilIdle")
        XCTAssertNil(router.nextWakeUp())
    }

    /// A service that keeps reporting a wake-up it never clears does not stall `advance(by:)`.
    func testAStuckWakeUpDoesNotStallTheClock() throws {
        final class Stuck: SimulatedService {
            let due: Instant
            init(due: Instant) { self.due = due }
            var serviceName: String { "stuck" }
            var targetArnPrefixes: [String] { [] }
            func call(operation: String, account: String, region: String, params: JSONObject) throws(ServiceError) -> JSONValue { .null }
            func nextWakeUp() -> Instant? { due }
            func run(until now: Instant) -> Bool { false }
            func deliver(_ request: DeliveryRequest) -> DeliveryResult { .delivered }
        }
        let clock = ManualClock(start: try Instant(iso8601: "2025-01-01T00:00:00Z"))
        let router = Router(clock: clock, configuration: .init(seed: 1))
        router.attach(Stuck(due: try Instant(iso8601: "2025-01-01T00:00:10Z")))
        router.advance(by: 30)
        XCTAssertEqual(clock.now().iso8601, "2025-01-01T00:00:30Z")
    }

    /// A target whose work produces an event its own rule matches again loops forever, as on AWS;
    /// the router's calls still return, with the loop's next delivery left due.
    func testAnEventLoopDoesNotHangTheCaller() throws {
        final class Echo: EventTarget, @unchecked Sendable {
            weak var router: Router?
            var count = 0
            func deliver(_ request: DeliveryRequest) -> DeliveryResult {
                count += 1
                router?.putServiceEvent(account: request.account, region: request.region, source: "sim.echo", detailType: "Echo",
                                        detail: .object(JSONObject()), resources: [])
                return .delivered
            }
        }
        let clock = ManualClock(start: try Instant(iso8601: "2025-01-01T00:00:00Z"))
        let router = Router(clock: clock, configuration: .init(seed: 1, maxAttemptsPerRun: 500))
        let echo = Echo()
        echo.router = router
        router.registerTarget(arnPrefix: "arn:aws:echo:", echo)
        _ = try router.putRule(account: account, region: region, name: "loop", eventPattern: #"{"source": ["sim.echo"]}"#)
        _ = try router.putTargets(account: account, region: region, rule: "loop",
                                  targets: [TargetConfiguration(id: "e", arn: "arn:aws:echo:us-east-1:123456789012:e")])
        router.putServiceEvent(account: account, region: region, source: "sim.echo", detailType: "Echo", detail: .object(JSONObject()), resources: [])
        XCTAssertEqual(router.runUntilIdle(), 500)
        XCTAssertEqual(echo.count, 500)
        XCTAssertEqual(router.nextWakeUp()?.iso8601, "2025-01-01T00:00:00Z", "the loop's next delivery is still due")
        XCTAssertEqual(router.advance(by: 60), 500, "advance stops at the looping instant")
        XCTAssertEqual(clock.now().iso8601, "2025-01-01T00:00:00Z")
        XCTAssertEqual(echo.count, 1000)
        // Work that ends within the cap is not cut.
        let calm = Router(clock: ManualClock(), configuration: .init(seed: 1, maxAttemptsPerRun: 500))
        XCTAssertEqual(calm.advance(by: 60), 0)
    }
}

