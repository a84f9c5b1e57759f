import EventBus
import EventInput
import EventPatterns
import EventSchedule
import EventTargets
import Synchronization
import Testing

@Suite struct DeliveryTests {
    /// A target that fails N times is retried on the back-off schedule, then succeeds.
    @Test func retryScheduleUnderTheManualClock() throws {
        let (router, clock) = makeRouter()
        let function = try router.createScriptedFunction(account: account, region: region, name: "f", failFirst: 3)
        try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"source":["a"]}"#)
        try router.putTargets(account: account, region: region, rule: "r", targets: [TargetConfiguration(id: "f", arn: function)])
        _ = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "a", detailType: "t", detail: "{}")])
        router.runUntilIdle()
        #expect(router.functionInvocations(arn: function).count == 1)
        router.advance(by: 3600)
        let times = router.functionInvocations(arn: function).map { $0.time.secondsSince1970 - 1_735_689_600 }
        // Back-off 1 s, 2 s, 4 s (+ up to 20% jitter) between attempts.
        #expect(times.count == 4)
        #expect(times[0] == 0)
        #expect((1...1).contains(times[1] - times[0]))
        #expect((2...2).contains(times[2] - times[1]))
        #expect((4...4).contains(times[3] - times[2]))
        #expect(router.functionInvocations(arn: function).map(\.attempt) == [1, 2, 3, 4])
        #expect(router.accounting == DeliveryAccounting(matched: 1, delivered: 1, deadLettered: 0, dropped: 0, inFlight: 0))
        _ = clock
    }

    /// The DLQ receives exactly the events that exhausted their retries, with AWS's attributes.
    @Test func deadLetterQueueGetsExactlyTheExhaustedEvents() throws {
        let (router, _) = makeRouter()
        let dlq = try router.createQueue(account: account, region: region, name: "dlq")
        let failing = Mutex<Set<String>>([])
        let function = try router.createFunction(account: account, region: region, name: "picky") { request in
            guard case .string(let id)? = request.event["detail"]?["id"] else { return .delivered }
            return failing.withLock { $0.contains(id) } ? .failed(code: "TARGET_ERROR", message: "no \(id)", retriable: true) : .delivered
        }
        failing.withLock { $0 = ["2", "5"] }
        try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"source":["a"]}"#)
        try router.putTargets(account: account, region: region, rule: "r", targets: [
            TargetConfiguration(id: "f", arn: function, retryPolicy: RetryPolicy(maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600),
                                deadLetterArn: dlq),
        ])
        for id in 1...6 {
            _ = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "a", detailType: "t", detail: #"{"id":"\#(id)"}"#)])
        }
        router.advance(by: 600)
        let messages = router.queueMessages(arn: dlq)
        let ids = messages.compactMap { message -> String? in
            guard case .string(let id)? = (try? JSONReader.parse(message.body))?["detail"]?["id"] else { return nil }
            return id
        }
        #expect(ids.sorted() == ["2", "5"])
        #expect(messages.first?.attributes["ERROR_CODE"] == "TARGET_ERROR")
        #expect(messages.first?.attributes["EXHAUSTED_RETRY_CONDITION"] == "MaximumRetryAttempts")
        #expect(messages.first?.attributes["RETRY_ATTEMPTS"] == "2")
        #expect(messages.first?.attributes["RULE_ARN"] == "arn:aws:events:us-east-1:111111111111:rule/r")
        #expect(messages.first?.attributes["TARGET_ARN"] == function)
        #expect(router.accounting == DeliveryAccounting(matched: 6, delivered: 4, deadLettered: 2, dropped: 0, inFlight: 0))
        let metrics = router.metrics(ruleArn: "arn:aws:events:us-east-1:111111111111:rule/r")
        #expect(metrics.matchedEvents == 6 && metrics.invocations == 6 && metrics.retryInvocationAttempts == 4)
        #expect(metrics.deadLetterInvocations == 2 && metrics.failedInvocations == 2)
    }

    /// The event-age limit ends retries too; non-retriable failures skip retries.
    @Test func eventAgeAndPermanentFailures() throws {
        let (router, _) = makeRouter()
        let dlq = try router.createQueue(account: account, region: region, name: "dlq")
        let always = try router.createScriptedFunction(account: account, region: region, name: "f", failFirst: 1_000)
        try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"source":["a"]}"#)
        try router.putTargets(account: account, region: region, rule: "r", targets: [
            TargetConfiguration(id: "f", arn: always, retryPolicy: RetryPolicy(maximumRetryAttempts: 185, maximumEventAgeInSeconds: 60), deadLetterArn: dlq),
            TargetConfiguration(id: "gone", arn: "arn:aws:sqs:us-east-1:111111111111:missing", deadLetterArn: dlq),
            TargetConfiguration(id: "nodlq", arn: "arn:aws:sqs:us-east-1:111111111111:missing"),
        ])
        _ = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "a", detailType: "t", detail: "{}")])
        router.advance(by: 3600)
        let attributes = router.queueMessages(arn: dlq).map(\.attributes)
        #expect(attributes.contains { $0["EXHAUSTED_RETRY_CONDITION"] == "MaximumEventAgeInSeconds" })
        #expect(attributes.contains { $0["ERROR_CODE"] == "NO_RESOURCE" && $0["RETRY_ATTEMPTS"] == "0" })
        #expect(router.functionInvocations(arn: always).count < 10)
        #expect(router.accounting == DeliveryAccounting(matched: 3, delivered: 0, deadLettered: 2, dropped: 1, inFlight: 0))
    }

    /// 100,000 events through a target that fails at random (fixed seed): every matched pair ends
    /// delivered, dead-lettered or dropped.
    @Test func accountingBalancesUnderRandomFailures() throws {
        let (router, _) = makeRouter(seed: 99)
        let dlq = try router.createQueue(account: account, region: region, name: "dlq")
        let flaky = try router.createScriptedFunction(account: account, region: region, name: "flaky", failureRate: 0.3, seed: 7)
        let steady = try router.createQueue(account: account, region: region, name: "steady")
        try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"detail":{"n":[{"numeric":[">=",0]}]}}"#)
        try router.putTargets(account: account, region: region, rule: "r", targets: [
            TargetConfiguration(id: "flaky", arn: flaky, retryPolicy: RetryPolicy(maximumRetryAttempts: 1, maximumEventAgeInSeconds: 600), deadLetterArn: dlq),
            TargetConfiguration(id: "flaky-nodlq", arn: flaky, retryPolicy: RetryPolicy(maximumRetryAttempts: 0, maximumEventAgeInSeconds: 600)),
            TargetConfiguration(id: "steady", arn: steady),
        ])
        var entries: [PutEventsEntry] = []
        for n in 0..<100_000 {
            entries.append(PutEventsEntry(source: "load", detailType: "t", detail: #"{"n":\#(n % 7 == 0 ? -1 : n)}"#))
            if entries.count == 10 {
                _ = try router.putEvents(account: account, region: region, entries: entries)
                entries.removeAll()
            }
            if n % 5000 == 0 { router.advance(by: 1) }
        }
        router.advance(by: 3600)
        let accounting = router.accounting
        let matchedEvents = (0..<100_000).filter { $0 % 7 != 0 }.count
        #expect(accounting.matched == matchedEvents * 3)
        #expect(accounting.inFlight == 0)
        #expect(accounting.balances)
        #expect(accounting.deadLettered == router.queueMessages(arn: dlq).count)
        #expect(router.queueMessages(arn: steady).count == matchedEvents)
        #expect(accounting.deadLettered > 0 && accounting.dropped > 0)
    }

    /// A rule with a rate schedule emits "Scheduled Event"s at each fire time, exactly once.
    @Test func scheduledRulesFireOnTheClock() throws {
        let (router, _) = makeRouter()
        let queue = try router.createQueue(account: account, region: region, name: "ticks")
        let arn = try router.putRule(account: account, region: region, name: "tick", scheduleExpression: "rate(5 minutes)")
        try router.putTargets(account: account, region: region, rule: "tick", targets: [TargetConfiguration(id: "q", arn: queue, input: try TargetInput(targetID: "q", members: .init(input: #"{"custom":"input"}"#)))])
        let cronQueue = try router.createQueue(account: account, region: region, name: "cron")
        try router.putRule(account: account, region: region, name: "daily", scheduleExpression: "cron(0 12 * * ? *)")
        try router.putTargets(account: account, region: region, rule: "daily", targets: [TargetConfiguration(id: "q", arn: cronQueue)])
        router.advance(by: 31 * 86_400)   // a month
        #expect(router.queueMessages(arn: queue).count == 31 * 288)
        #expect(Set(router.queueMessages(arn: queue).map(\.body)) == [#"{"custom":"input"}"#])
        let daily = router.queueMessages(arn: cronQueue).compactMap { try? JSONReader.parse($0.body) }
        #expect(daily.count == 31)
        #expect(daily.first?["detail-type"] == .string("Scheduled Event"))
        #expect(daily.first?["source"] == .string("aws.events"))
        #expect(daily.first?["resources"] == .array([.string(ARN.rule(region: region, account: account, bus: "default", name: "daily"))]))
        #expect(daily.first?["time"] == .string("2025-01-01T12:00:00Z"))
        #expect(daily.first?["detail"] == .object(JSONObject()))
        _ = arn
    }
}

@Suite struct PermissionTests {
    /// Who may put events on account 222…'s bus: only what the policy allows, ever.
    @Test func permissionMatrix() throws {
        let (router, _) = makeRouter()
        let third = "333333333333"
        let busArn = try router.createEventBus(account: other, region: region, name: "central")
        let inbox = try router.createQueue(account: other, region: region, name: "inbox")
        try router.putRule(account: other, region: region, name: "all", eventBusName: "central", eventPattern: #"{"source":[{"prefix":""}]}"#)
        try router.putTargets(account: other, region: region, rule: "all", eventBusName: "central", targets: [TargetConfiguration(id: "q", arn: inbox)])
        func send(from sender: String, tag: String) throws -> String? {
            try router.putEvents(account: sender, region: region, entries: [
                PutEventsEntry(source: "s", detailType: tag, detail: "{}", eventBusName: busArn),
            ])[0].errorCode
        }
        #expect(try send(from: account, tag: "denied-1") == "AccessDeniedException")
        try router.putPermission(account: other, region: region, eventBusName: "central", principal: account, statementID: "one")
        #expect(try send(from: account, tag: "allowed-1") == nil)
        #expect(try send(from: third, tag: "denied-2") == "AccessDeniedException")
        try router.putPermission(account: other, region: region, eventBusName: "central", principal: "*", statementID: "org", organizationID: "o-abc")
        #expect(try send(from: third, tag: "denied-3") == "AccessDeniedException")
        router.setOrganization(account: third, organizationID: "o-abc")
        #expect(try send(from: third, tag: "allowed-2") == nil)
        try router.removePermission(account: other, region: region, eventBusName: "central", statementID: "one")
        #expect(try send(from: account, tag: "denied-4") == "AccessDeniedException")
        #expect(throws: APIError.self) { try router.removePermission(account: other, region: region, eventBusName: "central", statementID: "one") }
        try router.putPermission(account: other, region: region, eventBusName: "central", principal: "*", statementID: "all")
        #expect(try send(from: account, tag: "allowed-3") == nil)
        try router.removePermission(account: other, region: region, eventBusName: "central", statementID: nil, removeAll: true)
        #expect(try send(from: account, tag: "denied-5") == "AccessDeniedException")
        #expect(try send(from: other, tag: "allowed-4") == nil)   // the owner needs no policy
        router.runUntilIdle()
        let delivered = router.queueMessages(arn: inbox).compactMap { message -> String? in
            guard case .string(let tag)? = (try? JSONReader.parse(message.body))?["detail-type"] else { return nil }
            return tag
        }
        #expect(delivered.sorted() == ["allowed-1", "allowed-2", "allowed-3", "allowed-4"])
        let description = try router.describeEventBus(account: other, region: region, name: "central")
        #expect(description["Policy"] == nil)
    }

    /// Bus-to-bus forwarding across accounts: allowed by policy, keeps the sender's account and the
    /// event id; a second cross-account hop is refused; a denied hop dead-letters with NO_PERMISSIONS.
    @Test func crossAccountForwarding() throws {
        let (router, _) = makeRouter()
        let third = "333333333333"
        let central = try router.createEventBus(account: other, region: region, name: "central")
        let last = try router.createEventBus(account: third, region: region, name: "last")
        let inbox = try router.createQueue(account: other, region: region, name: "inbox")
        let lastInbox = try router.createQueue(account: third, region: region, name: "inbox")
        let dlq = try router.createQueue(account: account, region: region, name: "dlq")
        try router.putRule(account: account, region: region, name: "fwd", eventPattern: #"{"source":["s"]}"#)
        try router.putTargets(account: account, region: region, rule: "fwd", targets: [TargetConfiguration(id: "bus", arn: central, deadLetterArn: dlq)])
        try router.putRule(account: other, region: region, name: "in", eventBusName: "central", eventPattern: #"{"source":["s"]}"#)
        try router.putTargets(account: other, region: region, rule: "in", eventBusName: "central", targets: [
            TargetConfiguration(id: "q", arn: inbox), TargetConfiguration(id: "onward", arn: last),
        ])
        try router.putRule(account: third, region: region, name: "in", eventBusName: "last", eventPattern: #"{"source":["s"]}"#)
        try router.putTargets(account: third, region: region, rule: "in", eventBusName: "last", targets: [TargetConfiguration(id: "q", arn: lastInbox)])
        try router.putPermission(account: third, region: region, eventBusName: "last", principal: "*", statementID: "open")

        let denied = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "s", detailType: "t", detail: "{}")])
        router.runUntilIdle()
        #expect(router.queueMessages(arn: inbox).isEmpty)
        #expect(router.queueMessages(arn: dlq).first?.attributes["ERROR_CODE"] == "NO_PERMISSIONS")

        try router.putPermission(account: other, region: region, eventBusName: "central", principal: account, statementID: "shop")
        let sent = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "s", detailType: "t", detail: "{}")])
        router.runUntilIdle()
        let received = try #require(router.queueMessages(arn: inbox).first.flatMap { try? JSONReader.parse($0.body) })
        #expect(received["account"] == .string(account))
        #expect(received["id"] == .string(sent[0].eventID ?? ""))
        #expect(router.queueMessages(arn: lastInbox).isEmpty)   // one cross-account hop only
        _ = denied
    }
}

@Suite struct ConcurrencyTests {
    /// Several threads put events while another changes rules: no lost or duplicated deliveries.
    @Test func concurrentPutEventsAndRuleChanges() async throws {
        let (router, _) = makeRouter()
        let queue = try router.createQueue(account: account, region: region, name: "q")
        try router.putRule(account: account, region: region, name: "keep", eventPattern: #"{"source":["load"]}"#)
        try router.putTargets(account: account, region: region, rule: "keep", targets: [TargetConfiguration(id: "q", arn: queue)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for thread in 0..<4 {
                group.addTask {
                    for batch in 0..<250 {
                        let entries = (0..<4).map { PutEventsEntry(source: "load", detailType: "t", detail: #"{"k":"\#(thread)-\#(batch)-\#($0)"}"#) }
                        let results = try router.putEvents(account: account, region: region, entries: entries)
                        if results.contains(where: { $0.errorCode != nil }) { throw CancellationError() }
                        if batch % 50 == 0 { router.runUntilIdle() }
                    }
                }
            }
            group.addTask {
                for round in 0..<200 {
                    try router.putRule(account: account, region: region, name: "churn\(round % 7)", eventPattern: #"{"source":["other"]}"#)
                    try router.deleteRule(account: account, region: region, name: "churn\((round + 3) % 7)")
                }
            }
            try await group.waitForAll()
        }
        router.runUntilIdle()
        let keys = router.queueMessages(arn: queue).compactMap { message -> String? in
            guard case .string(let key)? = (try? JSONReader.parse(message.body))?["detail"]?["k"] else { return nil }
            return key
        }
        #expect(keys.count == 4 * 250 * 4)
        #expect(Set(keys).count == keys.count)
        #expect(router.accounting.balances)
    }
}

@Suite struct ArchiveTests {
    @Test func archiveAndReplay() throws {
        let (router, clock) = makeRouter()
        let queue = try router.createQueue(account: account, region: region, name: "q")
        try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"source":["s"]}"#)
        try router.putTargets(account: account, region: region, rule: "r", targets: [TargetConfiguration(id: "q", arn: queue)])
        let bus = ARN.eventBus(region: region, account: account, name: "default")
        let archive = try router.createArchive(account: account, region: region, name: "a", eventSourceArn: bus, eventPattern: #"{"detail-type":["keep"]}"#)
        _ = try router.putEvents(account: account, region: region, entries: [
            PutEventsEntry(source: "s", detailType: "keep", detail: "{}"), PutEventsEntry(source: "s", detailType: "skip", detail: "{}"),
        ])
        router.runUntilIdle()
        #expect(try router.describeArchive(account: account, region: region, name: "a")["EventCount"] == .number(JSONNumber(1)))
        clock.advance(by: 600)
        _ = try router.startReplay(account: account, region: region, name: "again", archiveArn: archive,
                                   start: Instant(secondsSince1970: 1_735_689_000), end: clock.now(), destinationArn: bus)
        router.runUntilIdle()
        let bodies = router.queueMessages(arn: queue).compactMap { try? JSONReader.parse($0.body) }
        #expect(bodies.count == 3)
        #expect(bodies.last?["replay-name"] == .string("again"))
        #expect(try router.describeArchive(account: account, region: region, name: "a")["EventCount"] == .number(JSONNumber(1)))
        do {
            _ = try router.startReplay(account: account, region: region, name: "again", archiveArn: archive,
                                       start: Instant(secondsSince1970: 0), end: clock.now(), destinationArn: bus)
        } catch { #expect(error.message == "Replay again already exists.") }
        do {
            _ = try router.startReplay(account: account, region: region, name: "bad", archiveArn: archive, start: clock.now(),
                                       end: clock.now(), destinationArn: bus)
        } catch { #expect(error.message == "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.") }
    }
}

@Suite struct StorageProtocolTests {
    /// A store of the host's own (here: one that counts what passes through) replaces the default.
    final class CountingStore: DeliveryStore, @unchecked Sendable {
        let inner = InMemoryDeliveryStore()
        var appended = 0
        func append(_ delivery: PendingDelivery) { appended += 1; inner.append(delivery) }
        var first: PendingDelivery? { inner.first }
        func popFirst() -> PendingDelivery? { inner.popFirst() }
        var count: Int { inner.count }
    }

    final class CountingArchive: ArchiveStore, @unchecked Sendable {
        let inner = InMemoryArchiveStore()
        var appended = 0
        func append(archiveArn: String, time: Instant, event: JSONValue, size: Int) {
            appended += 1
            inner.append(archiveArn: archiveArn, time: time, event: event, size: size)
        }
        func events(archiveArn: String, from start: Instant, to end: Instant) -> [(time: Instant, event: JSONValue)] {
            inner.events(archiveArn: archiveArn, from: start, to: end)
        }
        func statistics(archiveArn: String) -> (count: Int, bytes: Int) { inner.statistics(archiveArn: archiveArn) }
        func removeAll(archiveArn: String) { inner.removeAll(archiveArn: archiveArn) }
        func removeEvents(archiveArn: String, receivedBefore time: Instant) { inner.removeEvents(archiveArn: archiveArn, receivedBefore: time) }
    }

    @Test func customStoresReceiveDeliveriesAndArchivedEvents() throws {
        let store = CountingStore()
        let archive = CountingArchive()
        let router = Router(clock: ManualClock(), configuration: .init(seed: 5), deliveryStore: store, archiveStore: archive)
        let function = try router.createScriptedFunction(account: account, region: region, name: "f", failFirst: 1)
        try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"source":["a"]}"#)
        try router.putTargets(account: account, region: region, rule: "r", targets: [TargetConfiguration(id: "f", arn: function)])
        try router.createArchive(account: account, region: region, name: "all", eventSourceArn: ARN.eventBus(region: region, account: account, name: "default"))
        _ = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "a", detailType: "t", detail: "{}")])
        router.advance(by: 60)
        #expect(store.appended == 2)          // the first attempt and one retry
        #expect(archive.appended == 1)
        #expect(router.accounting == DeliveryAccounting(matched: 1, delivered: 1))
    }
}

@Suite struct IntakeTests {
    /// An intake that takes events (as a broker would) and a consumer that routes them later.
    final class Broker: EventIntake, @unchecked Sendable {
        var stream: [(JSONValue, String)] = []
        func accept(event: JSONValue, busArn: String) -> Bool { stream.append((event, busArn)); return true }
    }

    @Test func eventsGoThroughTheIntake() throws {
        let broker = Broker()
        let router = Router(clock: ManualClock(), configuration: .init(seed: 2), intake: broker)
        let queue = try router.createQueue(account: account, region: region, name: "q")
        try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"source":["a"]}"#)
        try router.putTargets(account: account, region: region, rule: "r", targets: [TargetConfiguration(id: "q", arn: queue)])
        _ = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "a", detailType: "t", detail: "{}")])
        router.runUntilIdle()
        #expect(router.queueMessages(arn: queue).isEmpty)
        #expect(broker.stream.count == 1)
        for (event, bus) in broker.stream { #expect(router.routeIngested(event: event, busArn: bus)) }
        router.runUntilIdle()
        #expect(router.queueMessages(arn: queue).count == 1)
    }
}

extension PermissionTests {
    /// A full policy document (PutPermission's `Policy`), with one statement or a list.
    @Test func policyDocuments() throws {
        let (router, _) = makeRouter()
        let bus = try router.createEventBus(account: other, region: region, name: "central")
        func send() throws -> String? {
            try router.putEvents(account: account, region: region,
                                 entries: [PutEventsEntry(source: "s", detailType: "t", detail: "{}", eventBusName: bus)])[0].errorCode
        }
        #expect(try send() == "AccessDeniedException")
        try router.putPolicy(account: other, region: region, eventBusName: "central", policy: #"""
        {"Version": "2012-10-17", "Statement": {"Sid": "one", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
         "Action": "events:PutEvents", "Resource": "\#(bus)"}}
        """#)
        #expect(try send() == nil)
        try router.putPolicy(account: other, region: region, eventBusName: "central", policy: #"""
        {"Version": "2012-10-17", "Statement": [{"Sid": "org", "Effect": "Allow", "Principal": "*", "Action": ["events:PutEvents"],
         "Resource": "\#(bus)", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}]}
        """#)
        #expect(try send() == "AccessDeniedException")
        router.setOrganization(account: account, organizationID: "o-1")
        #expect(try send() == nil)
        let description = try router.describeEventBus(account: other, region: region, name: "central")
        guard case .string(let text)? = description["Policy"] else { Issue.record("no policy"); return }
        let document = try JSONReader.parse(text)
        #expect(document["Statement"]?[0]?["Condition"]?["StringEquals"]?["aws:PrincipalOrgID"] == .string("o-1"))
        #expect(throws: APIError.self) { try router.putPolicy(account: other, region: region, eventBusName: "central", policy: "{}") }
    }
}

extension ArchiveTests {
    @Test func retentionExpiresOldEvents() throws {
        let (router, clock) = makeRouter()
        let bus = ARN.eventBus(region: region, account: account, name: "default")
        try router.createArchive(account: account, region: region, name: "week", eventSourceArn: bus, retentionDays: 7)
        try router.createArchive(account: account, region: region, name: "forever", eventSourceArn: bus)
        for _ in 0..<3 {
            _ = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "s", detailType: "t", detail: "{}")])
            clock.advance(by: 5 * 86_400)
        }
        #expect(try router.describeArchive(account: account, region: region, name: "week")["EventCount"] == .number(JSONNumber(2)))
        #expect(try router.describeArchive(account: account, region: region, name: "forever")["EventCount"] == .number(JSONNumber(3)))
    }
}
