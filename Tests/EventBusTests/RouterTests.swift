import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import Testing

let account = "111111111111"
let other = "222222222222"
let region = "us-east-1"

func makeRouter(seed: UInt64 = 1) -> (Router, ManualClock) {
    let clock = ManualClock(start: Instant(secondsSince1970: 1_735_689_600))   // 2025-01-01T00:00:00Z
    return (Router(clock: clock, configuration: .init(seed: seed)), clock)
}

@Suite struct PutEventsTests {
    @Test func perEntryErrorsInRequestOrder() throws {
        let (router, _) = makeRouter()
        let results = try router.putEvents(account: account, region: region, entries: [
            PutEventsEntry(detailType: "t", detail: "{}"),
            PutEventsEntry(source: "s", detail: "{}"),
            PutEventsEntry(source: "s", detailType: "t"),
            PutEventsEntry(source: "s", detailType: "t", detail: "[]"),
            PutEventsEntry(source: "s", detailType: "t", detail: "\"NotJSON\""),
            PutEventsEntry(source: "s", detailType: "t", detail: "{bad"),
            PutEventsEntry(source: "aws.ec2", detailType: "t", detail: "{}"),
            PutEventsEntry(source: "s", detailType: "t", detail: "{\"ok\": true}"),
        ])
        #expect(results.map(\.errorCode) == ["InvalidArgument", "InvalidArgument", "InvalidArgument", "MalformedDetail", "MalformedDetail",
                                             "MalformedDetail", "NotAuthorizedForSourceException", nil])
        #expect(results[0].errorMessage == "Parameter Source is not valid. Reason: Source is a required argument.")
        #expect(results[1].errorMessage == "Parameter DetailType is not valid. Reason: DetailType is a required argument.")
        #expect(results[2].errorMessage == "Parameter Detail is not valid. Reason: Detail is a required argument.")
        #expect(results[3].errorMessage == "Detail is malformed.")
        #expect(results[6].errorMessage == "Not authorized for the source.")
        #expect(results[7].eventID?.count == 36)
    }

    @Test func requestLevelLimits() throws {
        let (router, _) = makeRouter()
        let eleven = Array(repeating: PutEventsEntry(source: "s", detailType: "t", detail: "{}"), count: 11)
        #expect(throws: APIError.self) { try router.putEvents(account: account, region: region, entries: eleven) }
        do {
            _ = try router.putEvents(account: account, region: region, entries: eleven)
        } catch {
            #expect(error.code == "ValidationException")
            #expect(error.message.hasPrefix("1 validation error detected: Value '[PutEventsRequestEntry("))
            #expect(error.message.hasSuffix("' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10"))
        }
        let big = PutEventsEntry(source: "s", detailType: "t", detail: "{\"a\": \"" + String(repeating: "x", count: 262_144) + "\"}")
        do {
            _ = try router.putEvents(account: account, region: region, entries: [big])
            Issue.record("accepted an oversize request")
        } catch {
            #expect(error.message == "Total size of the entries in the request is over the limit.")
        }
    }

    @Test func missingBusIsSilentlyDroppedUnlessStrict() throws {
        let (router, _) = makeRouter()
        let results = try router.putEvents(account: account, region: region,
                                           entries: [PutEventsEntry(source: "s", detailType: "t", detail: "{}", eventBusName: "nope")])
        #expect(results[0].eventID != nil && results[0].errorCode == nil)
        let strict = Router(configuration: .init(strictMissingBus: true))
        let strictResults = try strict.putEvents(account: account, region: region,
                                                 entries: [PutEventsEntry(source: "s", detailType: "t", detail: "{}", eventBusName: "nope")])
        #expect(strictResults[0].errorCode == "ResourceNotFoundException")
    }

    @Test func envelopeShapeAndTime() throws {
        let (router, clock) = makeRouter()
        let queue = try router.createQueue(account: account, region: region, name: "q")
        try router.putRule(account: account, region: region, name: "all", eventPattern: #"{"source":["s"]}"#)
        try router.putTargets(account: account, region: region, rule: "all", targets: [TargetConfiguration(id: "q", arn: queue)])
        clock.advance(by: 5)
        let results = try router.putEvents(account: account, region: region, entries: [
            PutEventsEntry(source: "s", detailType: "t", detail: #"{"k":1}"#, resources: ["arn:x"]),
            PutEventsEntry(source: "s", detailType: "t", detail: "{}", time: try Instant(iso8601: "2020-02-02T02:02:02Z")),
        ])
        router.runUntilIdle()
        let bodies = router.queueMessages(arn: queue).map(\.body)
        try #require(bodies.count == 2)
        #expect(bodies[0] == #"{"version":"0","id":""# + (results[0].eventID ?? "") + #"","detail-type":"t","source":"s","account":"111111111111","time":"2025-01-01T00:00:05Z","region":"us-east-1","resources":["arn:x"],"detail":{"k":1}}"#)
        #expect(bodies[1].contains(#""time":"2020-02-02T02:02:02Z""#))
    }
}

@Suite struct RuleAndTargetTests {
    @Test func ruleLifecycleAndErrors() throws {
        let (router, _) = makeRouter()
        try router.createEventBus(account: account, region: region, name: "custom")
        #expect(throws: APIError.self) { try router.createEventBus(account: account, region: region, name: "custom") }
        let arn = try router.putRule(account: account, region: region, name: "r1", eventBusName: "custom", eventPattern: #"{"source":["a"]}"#)
        #expect(arn == "arn:aws:events:us-east-1:111111111111:rule/custom/r1")
        #expect(try router.putRule(account: account, region: region, name: "r2", eventPattern: #"{"source":["a"]}"#)
                == "arn:aws:events:us-east-1:111111111111:rule/r2")
        do {
            try router.putRule(account: account, region: region, name: "bad", eventPattern: #"{"source":"a"}"#)
            Issue.record("accepted")
        } catch {
            #expect(error.code == "InvalidEventPatternException")
            #expect(error.message == #"Event pattern is not valid. Reason: "source" must be an object or an array"#)
        }
        do {
            try router.putRule(account: account, region: region, name: "s", eventBusName: "custom", scheduleExpression: "rate(5 minutes)")
            Issue.record("accepted")
        } catch { #expect(error.message == "ScheduleExpression is supported only on the default event bus.") }
        do {
            try router.putRule(account: account, region: region, name: "s", scheduleExpression: "rate(5 minute)")
            Issue.record("accepted")
        } catch { #expect(error.message == "Parameter ScheduleExpression is not valid.") }
        do {
            _ = try router.describeRule(account: account, region: region, name: "missing")
            Issue.record("found")
        } catch { #expect(error.message == "Rule missing does not exist on EventBus default.") }
        try router.putTargets(account: account, region: region, rule: "r2", targets: [TargetConfiguration(id: "t", arn: "arn:aws:sqs:us-east-1:111111111111:q")])
        do {
            try router.deleteRule(account: account, region: region, name: "r2")
            Issue.record("deleted")
        } catch { #expect(error.message == "Rule can't be deleted since it has targets.") }
        try router.removeTargets(account: account, region: region, rule: "r2", ids: ["t"])
        try router.deleteRule(account: account, region: region, name: "r2")
        try router.deleteRule(account: account, region: region, name: "r2")   // missing: a no-op
        #expect(try router.listRules(account: account, region: region, eventBusName: "custom").map(\.name) == ["r1"])
    }

    @Test func targetLimitsAndIds() throws {
        let (router, _) = makeRouter()
        try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"source":["a"]}"#)
        let five = (1...5).map { TargetConfiguration(id: "t\($0)", arn: "arn:aws:sqs:us-east-1:111111111111:q\($0)") }
        try router.putTargets(account: account, region: region, rule: "r", targets: five)
        // Replacing an existing id does not count as a sixth.
        try router.putTargets(account: account, region: region, rule: "r", targets: [TargetConfiguration(id: "t1", arn: "arn:aws:sqs:us-east-1:111111111111:other")])
        do {
            try router.putTargets(account: account, region: region, rule: "r", targets: [TargetConfiguration(id: "t6", arn: "arn:x:y:z:w:v")])
            Issue.record("accepted a sixth")
        } catch {
            #expect(error.code == "LimitExceededException")
            #expect(error.message == "The requested resource exceeds the maximum number allowed.")
        }
        do {
            try router.putTargets(account: account, region: region, rule: "r", targets: [TargetConfiguration(id: "!@#$@!#$", arn: "a")])
        } catch {
            #expect(error.message == #"1 validation error detected: Value '!@#$@!#$' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+"#)
        }
        let long = String(repeating: "a", count: 65)
        do {
            try router.putTargets(account: account, region: region, rule: "r", targets: [TargetConfiguration(id: long, arn: "a")])
        } catch {
            #expect(error.message == "1 validation error detected: Value '\(long)' at 'targets.1.member.id' failed to satisfy constraint: Member must have length less than or equal to 64")
        }
    }

    @Test func disabledRulesDoNotMatch() throws {
        let (router, _) = makeRouter()
        let queue = try router.createQueue(account: account, region: region, name: "q")
        try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"source":["a"]}"#, state: "DISABLED")
        try router.putTargets(account: account, region: region, rule: "r", targets: [TargetConfiguration(id: "q", arn: queue)])
        _ = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "a", detailType: "t", detail: "{}")])
        router.runUntilIdle()
        #expect(router.queueMessages(arn: queue).isEmpty)
        try router.setRuleEnabled(account: account, region: region, name: "r", enabled: true)
        _ = try router.putEvents(account: account, region: region, entries: [PutEventsEntry(source: "a", detailType: "t", detail: "{}")])
        router.runUntilIdle()
        #expect(router.queueMessages(arn: queue).count == 1)
    }

    @Test func testEventPatternNeedsAFullEnvelope() throws {
        let (router, _) = makeRouter()
        let event = #"{"id":"1","account":"1","source":"s","time":"t","region":"r","detail-type":"d","detail":{"a":1}}"#
        #expect(try router.testEventPattern(pattern: #"{"detail":{"a":[1]}}"#, event: event))
        #expect(try !router.testEventPattern(pattern: #"{"detail":{"a":[2]}}"#, event: event))
        #expect(throws: APIError.self) { try router.testEventPattern(pattern: #"{"a":[1]}"#, event: #"{"a":1}"#) }
        #expect(throws: APIError.self) { try router.testEventPattern(pattern: #"{"a":1}"#, event: event) }
    }
}

@Suite struct ListingAndPolicyTests {
    func call(_ router: Router, _ operation: String, _ params: [(String, JSONValue)], as caller: String = account) throws(APIError) -> JSONValue {
        try router.call(service: "events", operation: operation, account: caller, region: region, params: .object(JSONObject(params)))
    }

    @Test func pagesWalkTheListingAndRejectBadLimitsAndTokens() throws {
        let (router, _) = makeRouter()
        for index in 0..<5 { try router.putRule(account: account, region: region, name: "r\(index)", eventPattern: #"{"source":["a"]}"#) }
        var names: [String] = []
        var token: JSONValue? = nil
        var pages = 0
        repeat {
            var params: [(String, JSONValue)] = [("Limit", .number(JSONNumber(2)))]
            if let token { params.append(("NextToken", token)) }
            let page = try call(router, "ListRules", params)
            guard case .array(let rules)? = page["Rules"] else { Issue.record("no Rules"); return }
            names += rules.compactMap { if case .string(let name)? = $0["Name"] { return name } else { return nil } }
            token = page["NextToken"]
            pages += 1
        } while token != nil && pages < 10
        #expect(names == ["r0", "r1", "r2", "r3", "r4"])
        #expect(pages == 3)
        // Without Limit: everything, and no token.
        #expect(try call(router, "ListRules", [])["NextToken"] == nil)
        do {
            _ = try call(router, "ListRules", [("Limit", .number(JSONNumber(0)))])
            Issue.record("accepted Limit 0")
        } catch {
            #expect(error.message == "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
        }
        do {
            _ = try call(router, "ListRules", [("NextToken", .string("not-a-token"))])
            Issue.record("accepted a foreign token")
        } catch {
            #expect(error.code == "ValidationException")
        }
    }

    @Test func aPolicyDocumentComesBackAsWrittenAndAServicePrincipalAdmitsNoAccount() throws {
        let (router, _) = makeRouter()
        try router.createEventBus(account: account, region: region, name: "shared")
        let statement = #"{"Sid": "svc", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "events:PutEvents", "Resource": "*"}"#
        _ = try call(router, "PutPermission", [("EventBusName", .string("shared")),
                                               ("Policy", .string(#"{"Version": "2012-10-17", "Statement": ["# + statement + "]}"))])
        guard case .string(let policy)? = try call(router, "DescribeEventBus", [("Name", .string("shared"))])["Policy"] else {
            Issue.record("no Policy")
            return
        }
        #expect(try JSONReader.parse(policy)["Statement"]?[0] == JSONReader.parse(statement))
        let results = try router.putEvents(account: other, region: region, entries: [
            PutEventsEntry(source: "s", detailType: "t", detail: "{}", eventBusName: "arn:aws:events:us-east-1:111111111111:event-bus/shared"),
        ])
        #expect(results[0].errorCode == "AccessDeniedException")
    }

    @Test func updateArchiveChangesOnlyWhatIsGiven() throws {
        let (router, _) = makeRouter()
        try router.createArchive(account: account, region: region, name: "a", eventSourceArn: "arn:aws:events:us-east-1:111111111111:event-bus/default",
                                 description: "first", retentionDays: 1)
        _ = try router.updateArchive(account: account, region: region, name: "a", retentionDays: 2)
        let described = try router.describeArchive(account: account, region: region, name: "a")
        #expect(described["Description"] == .string("first"))
        #expect(described["RetentionDays"] == .number(JSONNumber(2)))
        do {
            _ = try router.updateArchive(account: account, region: region, name: "missing", description: "x")
            Issue.record("updated a missing archive")
        } catch {
            #expect(error.code == "ResourceNotFoundException")
            #expect(error.message == "Archive missing does not exist.")
        }
    }
}
