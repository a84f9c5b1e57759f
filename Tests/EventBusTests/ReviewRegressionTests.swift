import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import Testing

/// Regressions for what the bus review found.
@Suite struct ReviewRegressionTests {
    /// Another account cannot manage a bus by naming its ARN.
    @Test func foreignBusesCannotBeManaged() throws {
        let (router, _) = makeRouter()
        let victim = ARN.eventBus(region: region, account: account, name: "default")
        #expect(throws: APIError.self) {
            try router.putRule(account: other, region: region, name: "steal", eventBusName: victim, eventPattern: #"{"source":[{"prefix":""}]}"#)
        }
        #expect(throws: APIError.self) { try router.putPermission(account: other, region: region, eventBusName: victim, principal: other, statementID: "me") }
        do {
            try router.createArchive(account: other, region: region, name: "spy", eventSourceArn: victim)
            Issue.record("archived a foreign bus")
        } catch {
            #expect(error.message == "Event bus default does not exist.")
        }
        do {
            _ = try router.describeEventBus(account: other, region: region, name: victim)
            Issue.record("described a foreign bus")
        } catch {
            #expect(error.code == "AccessDeniedException")
        }
    }

    /// A rule forwarding to its own bus ends after one hop, with AWS's error.
    @Test func forwardingLoopsEnd() throws {
        let (router, _) = makeRouter()
        let dlq = try router.createQueue(account: account, region: region, name: "dlq")
        let bus = ARN.eventBus(region: region, account: account, name: "default")
        try router.putRule(account: account, region: region, name: "loop", eventPattern: #"{"source":["a"]}"#)
        try router.putTargets(account: account, region: region, rule: "loop", targets: [TargetConfiguration(id: "self", arn: bus, deadLetterArn: dlq)])
        _ = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "a", detailType: "t", detail: "{}")])
        #expect(router.runUntilIdle() == 2)
        let attributes = router.queueMessages(arn: dlq).map(\.attributes)
        #expect(attributes.count == 1)
        #expect(attributes.first?["ERROR_CODE"] == "THIRD_ACCOUNT_HOP_DETECTED")
        #expect(router.accounting.balances)
    }

    /// A Detail too deep for the matcher is refused at PutEvents instead of vanishing later.
    @Test func tooDeepDetailIsMalformed() throws {
        let (router, _) = makeRouter()
        let deep = #"{"a":"# + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}"
        let result = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "s", detailType: "t", detail: deep)])
        #expect(result[0].errorCode == "MalformedDetail")
        let fits = #"{"a":"# + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}"
        let queue = try router.createQueue(account: account, region: region, name: "q")
        try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"source":["s"]}"#)
        try router.putTargets(account: account, region: region, rule: "r", targets: [TargetConfiguration(id: "q", arn: queue)])
        #expect(try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "s", detailType: "t", detail: fits)])[0].errorCode == nil)
        router.runUntilIdle()
        #expect(router.queueMessages(arn: queue).count == 1)
    }

    /// Accounting balances even when read from inside a target.
    @Test func accountingBalancesDuringAnAttempt() throws {
        let (router, _) = makeRouter()
        final class Box: @unchecked Sendable { var router: Router?; var balanced: Bool? }
        let box = Box()
        box.router = router
        let function = try router.createFunction(account: account, region: region, name: "f") { _ in
            box.balanced = box.router?.accounting.balances
            return .delivered
        }
        try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"source":["a"]}"#)
        try router.putTargets(account: account, region: region, rule: "r", targets: [TargetConfiguration(id: "f", arn: function)])
        _ = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "a", detailType: "t", detail: "{}")])
        router.runUntilIdle()
        #expect(box.balanced == true)
        box.router = nil
    }

    /// An intake may route at once by calling back into the router, and declining routes too.
    @Test func intakesMayCallBack() throws {
        final class Immediate: EventIntake, @unchecked Sendable {
            weak var router: Router?
            func accept(event: JSONValue, busArn: String) -> Bool { router?.routeIngested(event: event, busArn: busArn) ?? false }
        }
        final class Declining: EventIntake, @unchecked Sendable {
            func accept(event: JSONValue, busArn: String) -> Bool { false }
        }
        for immediate in [true, false] {
            let intake: any EventIntake = immediate ? Immediate() : Declining()
            let router = Router(clock: ManualClock(), configuration: .init(seed: 9), intake: intake)
            (intake as? Immediate)?.router = router
            let queue = try router.createQueue(account: account, region: region, name: "q")
            try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"source":["a"]}"#)
            try router.putTargets(account: account, region: region, rule: "r", targets: [TargetConfiguration(id: "q", arn: queue)])
            _ = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "a", detailType: "t", detail: "{}")])
            router.runUntilIdle()
            #expect(router.queueMessages(arn: queue).count == 1)
        }
    }

    /// An explicit Deny wins over an Allow; conditions we cannot evaluate are refused.
    @Test func denyWinsAndUnknownConditionsAreRefused() throws {
        let (router, _) = makeRouter()
        let bus = try router.createEventBus(account: other, region: region, name: "central")
        try router.putPolicy(account: other, region: region, eventBusName: "central", policy: #"""
        {"Statement": [{"Sid": "all", "Effect": "Allow", "Principal": "*", "Action": "events:PutEvents", "Resource": "\#(bus)"},
                       {"Sid": "not-you", "Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "events:PutEvents", "Resource": "\#(bus)"}]}
        """#)
        let result = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "s", detailType: "t", detail: "{}", eventBusName: bus)])
        #expect(result[0].errorCode == "AccessDeniedException")
        #expect(throws: APIError.self) {
            try router.putPolicy(account: other, region: region, eventBusName: "central", policy: #"""
            {"Statement": [{"Sid": "x", "Effect": "Allow", "Principal": "*", "Action": "events:PutEvents",
                            "Condition": {"StringEquals": {"events:source": "only.this"}}}]}
            """#)
        }
    }
}
