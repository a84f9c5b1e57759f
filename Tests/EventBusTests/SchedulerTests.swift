import Dispatch
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import PatternTestSupport
import Testing

@Suite struct SchedulerTests {
    /// A one-off `at()` schedule in a zone fires once at the zone's local time and deletes itself.
    @Test func oneOffScheduleInAZone() throws {
        let (router, _) = makeRouter()
        let queue = try router.createQueue(account: account, region: region, name: "q")
        let arn = try router.createSchedule(account: account, region: region, name: "once", expression: "at(2025-01-01T09:30:00)",
                                            timeZone: "Europe/Berlin", deleteAfterCompletion: true, targetArn: queue, input: #"{"hello":"world"}"#)
        #expect(router.nextInvocation(scheduleArn: arn) == (try Instant(iso8601: "2025-01-01T08:30:00Z")))
        router.advance(by: 86_400)
        #expect(router.queueMessages(arn: queue).map(\.body) == [#"{"hello":"world"}"#])
        #expect(throws: APIError.self) { try router.getSchedule(account: account, region: region, name: "once") }
    }

    /// A bad zone is reported as the zone, not as the (valid) expression; abbreviations are refused.
    @Test func badTimeZonesAreNamedAsSuch() throws {
        let (router, _) = makeRouter()
        let queue = try router.createQueue(account: account, region: region, name: "q")
        for zone in ["Mars/Olympus_Mons", "PST", "UTC+1"] {
            do {
                try router.createSchedule(account: account, region: region, name: "tz", expression: "cron(0 12 * * ? *)",
                                          timeZone: zone, targetArn: queue)
                Issue.record("accepted \(zone)")
            } catch {
                #expect(error.code == "ValidationException")
                #expect(error.message.hasPrefix("Invalid ScheduleExpressionTimezone \(zone): unknown time zone '\(zone)'"))
            }
        }
        #expect(throws: Never.self) {
            try router.createSchedule(account: account, region: region, name: "eastern", expression: "cron(0 12 * * ? *)",
                                      timeZone: "US/Eastern", targetArn: queue)
        }
    }

    /// A recurring cron schedule follows daylight saving: 02:30 New York does not exist on 9 March 2025.
    @Test func recurringScheduleAcrossADaylightSavingGap() throws {
        let (router, clock) = makeRouter()
        clock.set(try Instant(iso8601: "2025-03-07T00:00:00Z"))
        let queue = try router.createQueue(account: account, region: region, name: "q")
        try router.createSchedule(account: account, region: region, name: "nightly", expression: "cron(30 2 * * ? *)",
                                  timeZone: "America/New_York", targetArn: queue)
        router.recordOutcomes(true)
        router.advance(by: 4 * 86_400)
        let times = router.drainOutcomes().filter { $0.kind == .delivery }.map(\.time.iso8601)
        #expect(times == ["2025-03-07T07:30:00Z", "2025-03-08T07:30:00Z", "2025-03-10T06:30:00Z"])
    }

    /// A flexible window moves each invocation to a fixed offset inside the window.
    @Test func flexibleWindowIsDeterministicAndBounded() throws {
        func run() throws -> [Int64] {
            let (router, _) = makeRouter()
            let queue = try router.createQueue(account: account, region: region, name: "q")
            try router.createSchedule(account: account, region: region, name: "flex", expression: "rate(1 hour)",
                                      flexibleWindowMinutes: 15, targetArn: queue)
            router.recordOutcomes(true)
            router.advance(by: 6 * 3600)
            return router.drainOutcomes().filter { $0.kind == .delivery }.map { $0.time.secondsSince1970 - 1_735_689_600 }
        }
        let first = try run()
        #expect(first == (try run()))
        #expect(first.count >= 5)
        for (index, offset) in first.enumerated() {
            let nominal = Int64(index + 1) * 3600
            #expect(offset >= nominal && offset <= nominal + 15 * 60)
        }
    }

    /// Scheduler puts events on a bus with the source and detail-type of EventBridgeParameters.
    @Test func scheduleOntoABusThroughTheJSONAPI() throws {
        let (router, _) = makeRouter()
        let queue = try router.createQueue(account: account, region: region, name: "q")
        try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"source":["my.scheduler"]}"#)
        try router.putTargets(account: account, region: region, rule: "r", targets: [TargetConfiguration(id: "q", arn: queue)])
        let params = try JSONReader.parse(#"""
        {"Name": "tick", "ScheduleExpression": "rate(10 minutes)", "FlexibleTimeWindow": {"Mode": "OFF"},
         "Target": {"Arn": "arn:aws:events:us-east-1:111111111111:event-bus/default", "Input": "{\"n\": 1}",
                    "EventBridgeParameters": {"Source": "my.scheduler", "DetailType": "Tick"}}}
        """#)
        let response = try router.call(service: "scheduler", operation: "CreateSchedule", account: account, region: region, params: params)
        #expect(response["ScheduleArn"] == .string("arn:aws:scheduler:us-east-1:111111111111:schedule/default/tick"))
        router.advance(by: 3600)
        let events = router.queueMessages(arn: queue).compactMap { try? JSONReader.parse($0.body) }
        #expect(events.count == 6)
        #expect(events.first?["detail-type"] == .string("Tick"))
        #expect(events.first?["detail"] == (try JSONReader.parse(#"{"n": 1}"#)))
        let listed = try router.call(service: "scheduler", operation: "ListSchedules", account: account, region: region,
                                     params: .object(JSONObject()))
        #expect(listed["Schedules"]?[0]?["Name"] == .string("tick"))
        _ = try router.call(service: "scheduler", operation: "DeleteSchedule", account: account, region: region,
                            params: .object(JSONObject([("Name", .string("tick"))])))
        router.advance(by: 3600)
        #expect(router.queueMessages(arn: queue).count == 6)
    }
}

@Suite struct ScheduleValidityTests {
    /// PutRule answers every expression AWS recorded with AWS's validity and, for invalid ones, AWS's
    /// exact message.
    @Test func putRuleAgreesWithAWS() throws {
        let url = Fixtures.url("Tests/Fixtures/conformance/aws-observed-schedules.jsonl")
        let lines = try Fixtures.lines("Tests/Fixtures/conformance/aws-observed-schedules.jsonl")
        #expect(lines.count == 40, "\(url.path)")
        let (router, _) = makeRouter()
        for (number, line) in lines.enumerated() {
            let value = try JSONReader.parse(line)
            guard case .string(let expression)? = value["expr"], case .bool(let valid)? = value["expect"]?["valid"] else {
                Issue.record("bad line \(number)")
                continue
            }
            do {
                try router.putRule(account: account, region: region, name: "r\(number)", scheduleExpression: expression)
                #expect(valid, "\(expression) was accepted")
            } catch {
                #expect(!valid, "\(expression): \(error)")
                #expect(error.code == "ValidationException" && error.message == "Parameter ScheduleExpression is not valid.")
            }
        }
    }
}

@Suite struct RealClockTests {
    /// With the wall clock, a background dispatcher delivers without anyone driving time: the test
    /// waits on the delivery itself (a semaphore), never on a timer.
    @Test func liveRouterDeliversInTheBackground() throws {
        let router = Router.live(configuration: .init(seed: 3))
        let delivered = DispatchSemaphore(value: 0)
        let function = try router.createFunction(account: account, region: region, name: "f") { _ in
            delivered.signal()
            return .delivered
        }
        try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"source":["a"]}"#)
        try router.putTargets(account: account, region: region, rule: "r", targets: [TargetConfiguration(id: "f", arn: function)])
        _ = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "a", detailType: "t", detail: "{}")])
        #expect(delivered.wait(timeout: .now() + 30) == .success)
        #expect(router.functionInvocations(arn: function).count == 1)
    }
}

@Suite struct PatternAndScheduleTests {
    /// A rule with both a pattern and a schedule fires on matching events and on its schedule.
    @Test func ruleWithPatternAndSchedule() throws {
        let (router, _) = makeRouter()
        let queue = try router.createQueue(account: account, region: region, name: "q")
        try router.putRule(account: account, region: region, name: "both", eventPattern: #"{"source":["app"]}"#,
                           scheduleExpression: "rate(1 hour)")
        try router.putTargets(account: account, region: region, rule: "both", targets: [TargetConfiguration(id: "q", arn: queue)])
        _ = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "app", detailType: "t", detail: "{}")])
        router.advance(by: 3 * 3600)
        let kinds = router.queueMessages(arn: queue).compactMap { message -> String? in
            guard case .string(let type)? = (try? JSONReader.parse(message.body))?["detail-type"] else { return nil }
            return type
        }
        #expect(kinds == ["t", "Scheduled Event", "Scheduled Event", "Scheduled Event"])
    }
}

extension RealClockTests {
    /// A Scheduler one-off two seconds ahead fires on the wall clock, with nobody driving time.
    @Test func liveScheduleFires() throws {
        let router = Router.live(configuration: .init(seed: 4))
        let fired = DispatchSemaphore(value: 0)
        let function = try router.createFunction(account: account, region: region, name: "f") { _ in
            fired.signal()
            return .delivered
        }
        let soon = Instant(secondsSince1970: router.clock.now().secondsSince1970 + 2)
        let local = String(soon.iso8601.dropLast())   // at() takes local time without the zone letter
        try router.createSchedule(account: account, region: region, name: "soon", expression: "at(\(local))", targetArn: function)
        #expect(fired.wait(timeout: .now() + 30) == .success)
    }
}
