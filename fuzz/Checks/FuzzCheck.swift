import EventBus
import EventInput
import EventPatterns
import EventSchedule
import EventTargets
import SimulatedServices
#if canImport(PatternTestSupport)
import PatternTestSupport   // in the main package's replay tests; in the fuzz package these files are compiled in
#endif

/// The bodies of the fuzzers, one per untrusted input. Each takes the raw input bytes and throws
/// ``FuzzCheck/Failure`` when an invariant breaks; the libFuzzer harnesses (`fuzz/Sources/fuzz-*`)
/// trap on it, the replay tests (`Tests/EventPatternsTests/FuzzCorpusReplayTests.swift`) report it.
/// A crash inside the library traps in both. Errors the library is expected to throw for bad input
/// (invalid JSON, invalid patterns, invalid expressions, API errors) are not failures.
public enum FuzzCheck {
    public enum Target: String, CaseIterable, Sendable {
        case pattern, match, differential, json, schedule, router, transform, policy, services
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs one check; the harnesses' `LLVMFuzzerTestOneInput`.
    public static func run(_ target: Target, _ data: UnsafePointer<UInt8>?, _ size: Int) {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        do {
            try check(target, bytes)
        } catch {
            fatalError("fuzz-\(target.rawValue): \(error)")
        }
    }

    /// Initialises the checks' globals (rule index, generator tables) before fuzzing starts, so that
    /// LeakSanitizer does not report them as leaks of the first input.
    public static func warmUp(_ target: Target) {
        _ = try? check(target, Array(#"{"source":["aws.ec2"]}"#.utf8))
        _ = try? check(target, Array("cron(0 12 * * ? *)".utf8))
    }

    /// Whether the JSON check also compares with jansson (it does wherever jansson is installed:
    /// both packages declare it).
    #if canImport(CJansson)
    public static let comparesWithJansson = true
    #else
    public static let comparesWithJansson = false
    #endif

    public static func check(_ target: Target, _ bytes: [UInt8]) throws(Failure) {
        switch target {
        case .pattern: try pattern(bytes)
        case .match: try match(bytes)
        case .differential: try differential(bytes)
        case .json: try json(bytes)
        case .schedule: try schedule(bytes)
        case .router: try router(bytes)
        case .transform: try transform(bytes)
        case .policy: try policy(bytes)
        case .services: try services(bytes)
        }
    }

    // MARK: - fuzz-pattern

    /// A fixed event with every kind of leaf, for matching fuzzed patterns against.
    static let fixedEvent = #"""
    {"version":"0","id":"e-1","source":"aws.ec2","detail-type":"EC2 Instance State-change Notification",
     "account":"123456789012","time":"2025-01-01T00:00:00Z","region":"us-east-1",
     "resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-1","arn:aws:s3:::bucket"],
     "detail":{"state":"running","count":5,"ratio":-0.25,"big":1e300,"flag":true,"none":null,
               "ip":"10.0.0.7","ip6":"2001:db8::1","name":"Straße ÉTÉ","empty":"",
               "tags":[{"k":"env","v":"prod"},{"k":"team","v":7}],"nested":{"a":{"b":["x","y",3]}}}}
    """#

    /// Pattern text: `validate` agrees with `init`; a valid pattern gives the same answer on the
    /// fixed event through `EventPattern.matches`, a one-rule `RuleIndex` and `explain`.
    public static func pattern(_ bytes: [UInt8]) throws(Failure) {
        let text = String(decoding: bytes, as: UTF8.self)
        let validation = EventPattern.validate(text)
        let compiled: EventPattern
        do {
            compiled = try EventPattern(json: text)
        } catch {
            if validation == nil { throw Failure("validate accepted \(text.debugDescription) but init threw \(error)") }
            return
        }
        if let validation { throw Failure("validate rejected \(text.debugDescription) (\(validation)) but init accepted it") }
        try agree(compiled, text, on: fixedEvent)
    }

    /// `EventPattern.matches`, a one-rule index and `explain` give the same answer for `event`.
    static func agree(_ compiled: EventPattern, _ patternText: String, on event: String) throws(Failure) {
        let direct: Bool
        do { direct = try compiled.matches(event) } catch { return }
        let index = RuleIndex<Int>()
        index.add(0, pattern: compiled)
        let indexed: [Int]
        do { indexed = try index.matches(event) } catch { throw Failure("index threw \(error) on an event EventPattern read") }
        if direct != (indexed == [0]) {
            throw Failure("pattern \(patternText.debugDescription): matches \(direct), index \(indexed)")
        }
        let explained: Bool
        do { explained = try compiled.explain(JSONReader.parse(event)).matches } catch {
            throw Failure("explain threw \(error) on an event matches read")
        }
        if explained != direct {
            throw Failure("pattern \(patternText.debugDescription): matches \(direct), explain \(explained), event \(event.debugDescription)")
        }
    }

    // MARK: - fuzz-match

    /// One rule per operator (and a few combinations), all in one index.
    static let rules: [String] = [
        #"{"source":["aws.ec2"]}"#,
        #"{"detail":{"count":[5]}}"#,
        #"{"detail":{"none":[null]}}"#,
        #"{"detail":{"flag":[true]}}"#,
        #"{"detail":{"state":[{"prefix":"run"}]}}"#,
        #"{"detail":{"state":[{"suffix":"ing"}]}}"#,
        #"{"detail":{"state":[{"equals-ignore-case":"RUNNING"}]}}"#,
        #"{"detail":{"name":[{"prefix":{"equals-ignore-case":"STRASSE"}}]}}"#,
        #"{"detail":{"name":[{"suffix":{"equals-ignore-case":"été"}}]}}"#,
        #"{"detail":{"state":[{"wildcard":"r*n*g"}]}}"#,
        #"{"detail":{"state":[{"anything-but":["stopped","terminated"]}]}}"#,
        #"{"detail":{"count":[{"anything-but":[1,2,3]}]}}"#,
        #"{"detail":{"state":[{"anything-but":{"prefix":"stop"}}]}}"#,
        #"{"detail":{"state":[{"anything-but":{"suffix":"ed"}}]}}"#,
        #"{"detail":{"state":[{"anything-but":{"wildcard":"*op*"}}]}}"#,
        #"{"detail":{"state":[{"anything-but":{"equals-ignore-case":["STOPPED"]}}]}}"#,
        #"{"detail":{"count":[{"numeric":[">",0,"<=",10]}]}}"#,
        #"{"detail":{"ratio":[{"numeric":["<",0]}]}}"#,
        #"{"detail":{"count":[{"numeric":["=",5]}]}}"#,
        #"{"detail":{"state":[{"exists":true}]}}"#,
        #"{"detail":{"missing":[{"exists":false}]}}"#,
        #"{"detail":{"ip":[{"cidr":"10.0.0.0/8"}]}}"#,
        #"{"detail":{"ip6":[{"cidr":"2001:db8::/32"}]}}"#,
        #"{"detail":{"tags":{"k":["env"],"v":["prod"]}}}"#,
        #"{"$or":[{"source":["aws.s3"]},{"detail":{"count":[{"numeric":[">=",5]}]}}]}"#,
        #"{"source":[{"prefix":"aws."}],"detail":{"$or":[{"state":["running"]},{"flag":[false]}]}}"#,
        #"{"resources":[{"wildcard":"arn:aws:ec2:*:instance/*"}]}"#,
        #"{"detail":{"nested":{"a":{"b":["x",3]}}}}"#,
        #"{"detail-type":[{"anything-but":{"prefix":["AWS API","Scheduled"]}}]}"#,
        #"{"detail":{"empty":[""]}}"#,
    ]

    static let compiledRules: [EventPattern] = rules.map { try! EventPattern(json: $0) }

    static let ruleIndex: RuleIndex<Int> = {
        let index = RuleIndex<Int>()
        for (i, pattern) in compiledRules.enumerated() { index.add(i, pattern: pattern) }
        return index
    }()

    /// Event bytes: the shared index's answer equals each rule's own `matches`, and one rule's
    /// (chosen by the input's length) `explain`.
    public static func match(_ bytes: [UInt8]) throws(Failure) {
        let indexed: [Int]
        do {
            indexed = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONError) in try ruleIndex.matches(buffer) }
        } catch {
            return   // not an event
        }
        let text = String(decoding: bytes, as: UTF8.self)
        // The index skips members no rule uses without validating them (see _EventScanner), so it
        // reads some events JSONReader rejects (e.g. invalid UTF-8 in an unused string); `explain`
        // needs a parsed tree, so it is only compared when there is one.
        let parsed = try? JSONReader.parse(bytes)
        let matched = Set(indexed)
        if matched.count != indexed.count { throw Failure("duplicate rule ids \(indexed)") }
        for (i, pattern) in compiledRules.enumerated() {
            let direct: Bool
            do {
                direct = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONError) in try pattern.matches(buffer) }
            } catch {
                throw Failure("EventPattern.matches threw \(error) on an event the index read")
            }
            if direct != matched.contains(i) {
                throw Failure("rule \(rules[i]): matches \(direct), index \(matched.contains(i)) for \(text.debugDescription)")
            }
            // explain is ~30x slower than matching: one rule per input (by length) keeps the fuzzer fast.
            guard let parsed, i == bytes.count % compiledRules.count else { continue }
            let explained: Bool
            do { explained = try pattern.explain(parsed).matches } catch { throw Failure("explain threw \(error)") }
            if explained != direct {
                throw Failure("rule \(rules[i]): matches \(direct), explain \(explained) for \(text.debugDescription)")
            }
        }
    }

    // MARK: - fuzz-differential

    /// Bytes seed the test support's generator: one pattern and three events (two built to fit it);
    /// a one-rule index must agree with the naive `ReferenceMatcher` on each.
    public static func differential(_ bytes: [UInt8]) throws(Failure) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325   // FNV-1a
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var generator = SeededGenerator(seed: hash)
        let patternValue = PatternGenerator.pattern(using: &generator)
        let compiled: EventPattern
        do { compiled = try EventPattern(value: patternValue) } catch {
            throw Failure("generated pattern rejected: \(patternValue.jsonText): \(error)")
        }
        for round in 0..<3 {
            let event = round < 2 ? PatternGenerator.eventFor(pattern: patternValue, using: &generator)
                                  : PatternGenerator.event(using: &generator)
            let expected = ReferenceMatcher.matches(pattern: patternValue, event: event)
            let actual: Bool
            do { actual = try compiled.matches(event.jsonText) } catch { throw Failure("generated event rejected: \(error)") }
            if actual != expected {
                throw Failure("pattern \(patternValue.jsonText)\nevent \(event.jsonText)\nreference \(expected), index \(actual)")
            }
        }
    }

    // MARK: - fuzz-json

    /// JSONReader: what it accepts is valid UTF-8 and round-trips (parse(jsonText(v)) == v, and the
    /// text is a fixed point); surrounding whitespace is allowed, a trailing comma or a second value never.
    public static func json(_ bytes: [UInt8]) throws(Failure) {
        let value: JSONValue
        do { value = try JSONReader.parse(bytes) } catch {
            #if canImport(CJansson)
            try JanssonOracle.compare(bytes)
            #endif
            return
        }
        if String(validating: bytes, as: UTF8.self) == nil { throw Failure("accepted invalid UTF-8 \(bytes)") }
        let text = value.jsonText
        let again: JSONValue
        do { again = try JSONReader.parse(text) } catch { throw Failure("own output \(text.debugDescription) rejected: \(error)") }
        if again != value { throw Failure("round trip changed \(text.debugDescription) into \(again.jsonText.debugDescription)") }
        if again.jsonText != text { throw Failure("jsonText not a fixed point: \(text.debugDescription) vs \(again.jsonText.debugDescription)") }
        do {
            let padded = try JSONReader.parse(Array(" \n\t".utf8) + bytes + Array("\r\n ".utf8))
            if padded != value { throw Failure("whitespace changed the value of \(text.debugDescription)") }
        } catch let failure as Failure { throw failure } catch {
            throw Failure("whitespace around \(text.debugDescription) rejected: \(error)")
        }
        #if canImport(CJansson)
        try JanssonOracle.compare(bytes)
        #endif
        for suffix in [",", "]", "}", " 1", "x", "\"\""] {
            if (try? JSONReader.parse(bytes + Array(suffix.utf8))) != nil {
                throw Failure("accepted \(text.debugDescription) followed by \(suffix.debugDescription)")
            }
        }
    }

    // MARK: - fuzz-schedule

    static let scheduleStart = Instant(secondsSince1970: 1_735_689_600 + 12_345)   // 2025-01-01T03:25:45Z

    /// Expression text (optionally `expression\nTime/Zone`): parses in the scheduler dialect iff it
    /// parses in the rule dialect or is an `at(...)`; its description parses to the same expression;
    /// fire times are strictly increasing, and each is the previous fire time before itself + 1 s
    /// and the next fire time after its predecessor.
    public static func schedule(_ bytes: [UInt8]) throws(Failure) {
        let input = String(decoding: bytes, as: UTF8.self)
        let parts = input.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let text = String(parts[0])
        let zoneName = parts.count > 1 ? String(parts[1]) : nil
        let ruleOK = ScheduleExpression.isValid(text, dialect: .scheduledRule)
        let expression: ScheduleExpression
        do { expression = try ScheduleExpression(parsing: text, dialect: .scheduler) } catch {
            if ruleOK { throw Failure("\(text.debugDescription) valid for rules but not for the scheduler") }
            return
        }
        if case .at = expression { if ruleOK { throw Failure("at(...) accepted for rules") } }
        else if !ruleOK { throw Failure("\(text.debugDescription) valid for the scheduler only") }
        do {
            let reparsed = try ScheduleExpression(parsing: expression.description, dialect: .scheduler)
            if reparsed != expression { throw Failure("\(text.debugDescription) → \(expression.description) parses differently") }
        } catch let failure as Failure { throw failure } catch {
            throw Failure("description \(expression.description.debugDescription) of \(text.debugDescription) rejected: \(error)")
        }
        var zone = ScheduleTimeZone.utc
        if let zoneName, zoneName.utf8.count < 64, let named = try? ScheduleTimeZone(identifier: zoneName) { zone = named }
        let schedule: ZonedSchedule
        do { schedule = try ZonedSchedule(expression, timeZone: zone, anchor: scheduleStart) } catch { return }
        var previous = scheduleStart
        var first = true
        for _ in 0..<12 {
            guard let next = schedule.nextFireTime(after: previous) else { break }
            if next <= previous { throw Failure("\(text) in \(zone): next after \(previous) is \(next)") }
            let back = schedule.previousFireTime(before: next.adding(seconds: 1))
            if back != next { throw Failure("\(text) in \(zone): fires at \(next) but previous before +1 s is \(back.map(\.description) ?? "nil")") }
            if !first {
                let before = schedule.previousFireTime(before: next)
                if before != previous { throw Failure("\(text) in \(zone): fire times \(previous), \(next) but previous before \(next) is \(before.map(\.description) ?? "nil")") }
            }
            first = false
            previous = next
        }
    }

    // MARK: - fuzz-router

    static let services: [String: String] = [
        "CreateQueue": "sqs", "GetQueueUrl": "sqs", "ReceiveMessage": "sqs", "DeleteMessage": "sqs", "GetQueueAttributes": "sqs",
        "CreateFunction": "lambda", "ListInvocations": "lambda",
        "CreateSchedule": "scheduler", "GetSchedule": "scheduler", "DeleteSchedule": "scheduler", "ListSchedules": "scheduler",
        "JoinOrganization": "organizations", "GetMetrics": "router", "GetAccounting": "router",
    ]

    /// Up to 16 lines `Operation {json params}` (service inferred; `events` by default), or
    /// `Advance <seconds>` (at most 6 hours). Every call returns an object or throws an APIError
    /// with a code; afterwards the router still lists its buses and rules.
    public static func router(_ bytes: [UInt8]) throws(Failure) {
        let router = Router(clock: ManualClock(), configuration: Router.Configuration(seed: 1))
        try runScript(String(decoding: bytes, as: UTF8.self), on: router, maxLines: 16, maxAdvance: 6 * 3600) { name in
            (services[String(name)] ?? "events", String(name))
        }
        _ = router.runUntilIdle()
        try expectAnswers(router, [("events", "ListEventBuses"), ("events", "ListRules")])
    }

    /// Runs up to `maxLines` lines of a call script: `Advance <seconds>` (at most `maxAdvance`) or
    /// `NAME {json params}`, where `resolve` names the service and operation. Every call returns an
    /// object that round-trips, or an `APIError` with a code and a message.
    static func runScript(_ text: String, on router: Router, maxLines: Int, maxAdvance: Int64,
                          resolve: (Substring) -> (service: String, operation: String)?) throws(Failure) {
        for line in text.split(separator: "\n").prefix(maxLines) {
            let fields = line.split(separator: " ", maxSplits: 1)
            guard let first = fields.first else { continue }
            let rest = fields.count > 1 ? String(fields[1]) : "{}"
            if first == "Advance" {
                _ = router.advance(by: Int64(rest).map { max(0, min($0, maxAdvance)) } ?? 60)
                continue
            }
            guard let (service, operation) = resolve(first) else { continue }
            let params = (try? JSONReader.parse(rest)) ?? .object(JSONObject())
            let response: JSONValue
            do throws(APIError) {
                response = try router.call(service: service, operation: operation, account: scriptAccount, region: scriptRegion, params: params)
            } catch {
                if error.code.isEmpty || error.message.isEmpty { throw Failure("\(service).\(operation): API error without a code or message: \(error)") }
                continue
            }
            guard case .object = response else { throw Failure("\(service).\(operation) returned a non-object \(response.jsonText)") }
            if (try? JSONReader.parse(response.jsonText)) != response { throw Failure("\(service).\(operation) response does not round-trip") }
        }
    }

    static let scriptAccount = "123456789012", scriptRegion = "us-east-1"

    /// Each (service, operation) still answers with empty parameters.
    static func expectAnswers(_ router: Router, _ calls: [(service: String, operation: String)]) throws(Failure) {
        for (service, operation) in calls {
            do throws(APIError) {
                _ = try router.call(service: service, operation: operation, account: scriptAccount, region: scriptRegion, params: .object(JSONObject()))
            } catch {
                throw Failure("\(service).\(operation) failed after the sequence: \(error)")
            }
        }
    }

    // MARK: - fuzz-transform

    /// A fixed envelope for rendering fuzzed inputs against when the input carries no event.
    static let fixedEnvelope: JSONValue = (try? JSONReader.parse(fixedEvent)) ?? .object(JSONObject())

    /// `TARGET-JSON` or `TARGET-JSON\nEVENT-JSON`: a PutTargets target's Input / InputPath /
    /// InputTransformer members (`Id` optional). Invalid input is an error with a code and a
    /// message; a valid one renders without trapping, twice the same, within the output limit, its
    /// JSON body (when it has one) is what its text parses to, and its API members rebuild it.
    public static func transform(_ bytes: [UInt8]) throws(Failure) {
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, case .object(var target)? = try? JSONReader.parse(String(first)) else { return }
        if target["Id"] == nil { target["Id"] = .string("t") }
        var event = fixedEnvelope
        if parts.count > 1, case .object? = try? JSONReader.parse(String(parts[1])), let parsed = try? JSONReader.parse(String(parts[1])) {
            event = parsed
        }
        let input: TargetInput
        do {
            input = try TargetInput(target: .object(target))
        } catch {
            if error.code.name.isEmpty || error.message.isEmpty { throw Failure("error without code or message: \(error)") }
            return
        }
        let members = input.apiMembers
        do {
            let rebuilt = try TargetInput(targetID: "t", members: members)
            if rebuilt != input { throw Failure("apiMembers do not rebuild the input \(text.debugDescription)") }
        } catch let failure as Failure { throw failure } catch {
            throw Failure("apiMembers of a valid input rejected: \(error)")
        }
        let limits = RenderLimits(maxOutputBytes: 1 << 16)
        let context = RenderContext(ruleName: "r", ruleARN: "arn:aws:events:us-east-1:123456789012:rule/r", ingestionTime: "2025-01-01T00:00:00Z")
        let outcome = input.render(event: event, context: context, limits: limits)
        if input.render(event: event, context: context, limits: limits) != outcome { throw Failure("rendering is not deterministic") }
        guard let body = outcome.body else { return }
        if body.text.utf8.count > limits.maxOutputBytes { throw Failure("output of \(body.text.utf8.count) bytes beyond the limit") }
        if let json = body.json {
            guard let reread = try? JSONReader.parse(body.text, limits: .init(maxDepth: 512)), reread == json else {
                throw Failure("the JSON body is not what its text parses to: \(body.text.debugDescription)")
            }
        }
    }

    // MARK: - fuzz-policy

    /// A resource-policy document put on a bus of account 111111111111. Invalid policies are
    /// API errors with a code; a valid one is described as JSON that, put again, describes the
    /// same (a fixed point); and an event that account 222222222222 forwards to the bus is either
    /// delivered or refused with NO_PERMISSIONS — the same verdict again after the round trip.
    public static func policy(_ bytes: [UInt8]) throws(Failure) {
        let text = String(decoding: bytes, as: UTF8.self)
        let owner = "111111111111", sender = "222222222222", region = "us-east-1"
        func attempt(policy: String) throws(Failure) -> (described: String?, verdict: String?) {
            let router = Router(clock: ManualClock(), configuration: Router.Configuration(seed: 1))
            router.recordOutcomes(true)
            do throws(APIError) {
                _ = try router.createEventBus(account: owner, region: region, name: "shared")
                try router.putPolicy(account: owner, region: region, eventBusName: "shared", policy: policy)
            } catch {
                if error.code.isEmpty { throw Failure("policy error without a code: \(error)") }
                return (nil, nil)
            }
            let described: String
            do {
                let bus = try router.call(service: "events", operation: "DescribeEventBus", account: owner, region: region,
                                          params: .object(JSONObject([("Name", .string("shared"))])))
                guard case .string(let document)? = bus["Policy"] else { return ("", nil) }
                guard (try? JSONReader.parse(document)) != nil else { throw Failure("described policy is not JSON: \(document)") }
                described = document
                _ = try router.putRule(account: sender, region: region, name: "fwd", eventPattern: #"{"source": ["s"]}"#)
                _ = try router.putTargets(account: sender, region: region, rule: "fwd",
                                          targets: [TargetConfiguration(id: "bus", arn: "arn:aws:events:us-east-1:\(owner):event-bus/shared")])
                _ = try router.putEvents(account: sender, region: region, entries: [PutEventsEntry(source: "s", detailType: "d", detail: "{}")])
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure("setup failed after a valid policy: \(error)")
            }
            router.runUntilIdle()
            let outcomes = router.drainOutcomes().filter { $0.kind != .retry }
            guard let outcome = outcomes.first, outcomes.count == 1 else { throw Failure("\(outcomes.count) outcomes for one forwarded event") }
            let verdict = outcome.kind == .delivery ? "delivered" : (outcome.error?.code ?? "?")
            if verdict != "delivered" && verdict != "NO_PERMISSIONS" { throw Failure("forward ended with \(verdict)") }
            return (described, verdict)
        }
        let first = try attempt(policy: text)
        guard let described = first.described, !described.isEmpty else { return }
        let second = try attempt(policy: described)
        if second.described != described { throw Failure("describe is not a fixed point: \(described) then \(String(describing: second.described))") }
        if second.verdict != first.verdict { throw Failure("the described policy decides differently: \(String(describing: first.verdict)) vs \(String(describing: second.verdict))") }
    }

    // MARK: - fuzz-services

    /// Up to 24 lines `service.Operation {json params}` (service `events`, `sqs`, `batch`, `emr` or
    /// `elbv2`) or `Advance <seconds>` (at most a day), against a router with the three simulators
    /// attached. Every call returns an object that round-trips or throws an APIError with a code and a message;
    /// time moves; afterwards each simulator still answers its List/Describe operations.
    public static func services(_ bytes: [UInt8]) throws(Failure) {
        let router = Router(clock: ManualClock(), configuration: Router.Configuration(seed: 1))
        router.attachSimulators(seed: 1)
        try runScript(String(decoding: bytes, as: UTF8.self), on: router, maxLines: 24, maxAdvance: 86_400) { name in
            let parts = name.split(separator: ".", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
        _ = router.advance(by: 3600)
        try expectAnswers(router, [("batch", "DescribeComputeEnvironments"), ("batch", "DescribeJobQueues"), ("emr", "ListClusters"),
                                   ("elbv2", "DescribeLoadBalancers"), ("elbv2", "DescribeTargetGroups")])
    }
}

