import EventInput
import EventPatterns
import Testing

/// Every case of `aws-observed-transformers.jsonl` (45 deliveries, drops and PutTargets errors
/// recorded on real EventBridge), reproduced.
///
/// The recorder masked generated values; the harness uses the same masks as inputs:
/// target Id `target-1` (the fixture's `<target-id>`), event id `event-id` (the fixture's `<uuid:N>`), account `111111111111`, region `<region>`,
/// event time and ingestion time `date` (the fixture's `<ingestion-time>` is also an ingestion
/// time), rule `<rule-name>` on bus `<bus-name>`, ARN partition `<partition>`.
@Suite("AWS-observed transformer cases")
struct ConformanceTests {
    /// Cases whose outcome a rule pattern decides, not this module: the event does not match the
    /// rule, so nothing is delivered whatever the target's input. We only confirm the non-match.
    static let patternNonMatches: Set<String> = [
        "inputpath/pattern-array-values/event-3",
        "inputpath/pattern-nested/event-2",
        "inputpath/pattern-nested/event-3",
        "inputpath/sqs-detail-match/event-2",
    ]

    /// The fixture writes the target's Id as `<target-id>`, which is not a valid Id; we send this one.
    static let targetID = "target-1"

    static let context = RenderContext(ruleName: "<rule-name>",
                                       ruleARN: "arn:<partition>:events:<region>:111111111111:rule/<bus-name>/<rule-name>",
                                       ingestionTime: "date")

    @Test("the fixture has the 45 cases its README describes")
    func caseCount() {
        let cases = Fixtures.transformerCases
        #expect(cases.count == 45)
        #expect(cases.filter { $0.record["api_error"] != nil }.count == 2)
        #expect(cases.filter { $0.record["outcome"] == .string("not_delivered") }.count == 7)
        #expect(cases.filter { if case .object? = $0.record["delivered"] { return true } else { return false } }.count == 36)
        #expect(Set(cases.map(\.id)).isSuperset(of: ConformanceTests.patternNonMatches))
    }

    @Test("case", arguments: Fixtures.transformerCases)
    func reproduce(_ testCase: Fixtures.TransformerCase) throws {
        let record = testCase.record
        let target = ConformanceTests.target(record)

        if let apiError = record["api_error"] {
            do {
                _ = try TargetInput(target: target)
                Issue.record("PutTargets should fail with \(apiError.jsonText)")
            } catch {
                #expect(error.code.name == apiError["Code"]?.stringValue)
                #expect(error.message == apiError["Message"]?.stringValue?.replacingTargetID)
            }
            return
        }

        let input = try TargetInput(target: target)
        let event = ConformanceTests.envelope(record)

        if ConformanceTests.patternNonMatches.contains(testCase.id) {
            let pattern = try EventPattern(value: try #require(record["rule_pattern"]))
            #expect(try !pattern.matches(event.jsonText), "a pattern non-match: the rule decides, not the input")
            return
        }
        if let pattern = record["rule_pattern"] {
            #expect(try EventPattern(value: pattern).matches(event.jsonText), "the harness's event must match the rule")
        }

        let outcome = input.render(event: event, context: ConformanceTests.context)
        guard case .object? = record["delivered"] else {
            #expect(record["outcome"] == .string("not_delivered"))
            #expect(outcome == .notDelivered(.invalidJSON))
            return
        }
        let delivered = try #require(record["delivered"])
        let body = try #require(outcome.body, "expected a delivery, got \(outcome)")
        if delivered["text_recorded"] == .bool(true) {
            #expect(body.text == delivered["text"]?.stringValue)
        }
        if delivered["is_json"] == .bool(true) {
            let expected = ConformanceTests.normalized(try #require(delivered["json"]))
            #expect(body.json == expected, "got \(body.text)")
            // The recorder kept object keys in the order they arrived: compare the order too.
            #expect(body.json.map { sameInOrder($0, expected) } == true, "key order differs: \(body.text)")
        } else {
            #expect(body.json == nil)
        }
    }

    /// The `Target` of the case: an SQS target with the recorded input configuration.
    static func target(_ record: JSONValue) -> JSONValue {
        var members: [(String, JSONValue)] = [("Id", .string(ConformanceTests.targetID)), ("Arn", .string("arn:aws:sqs:<region>:111111111111:queue"))]
        if case .object(let config)? = record["target_config"] {
            members += config.members.map { ($0.key, $0.value) }
        }
        return object(members)
    }

    /// The envelope EventBridge builds from the recorded PutEvents entry (masked as recorded).
    static func envelope(_ record: JSONValue) -> JSONValue {
        let entry = record["event"] ?? .null
        if entry["scheduled_rule"] != nil {
            return object([("version", .string("0")), ("id", .string("event-id")), ("detail-type", .string("Scheduled Event")),
                           ("source", .string("aws.events")), ("account", .string("111111111111")), ("time", .string("date")),
                           ("region", .string("<region>")), ("resources", .array([])), ("detail", .object(JSONObject()))])
        }
        let detail = (entry["Detail"]?.stringValue).flatMap { try? JSONReader.parse($0) } ?? .object(JSONObject())
        return object([
            ("version", .string("0")),
            ("id", .string("event-id")),
            ("detail-type", entry["DetailType"] ?? .null),
            ("source", entry["Source"] ?? .null),
            ("account", .string("111111111111")),
            ("time", .string("date")),
            ("region", .string("<region>")),
            ("resources", entry["Resources"] ?? .array([])),
            ("detail", detail),
        ])
    }

    /// The recorded value with the recorder's masks mapped onto the harness's inputs.
    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let string):
            if string.hasPrefix("<uuid:") { return .string("event-id") }
            if string == "<ingestion-time>" { return .string("date") }
            return value
        case .array(let elements):
            return .array(elements.map(normalized))
        case .object(let object):
            return .object(JSONObject(object.members.map { ($0.key, normalized($0.value)) }))
        default:
            return value
        }
    }
}

/// Equality that also requires object members in the same order.
func sameInOrder(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.object(let left), .object(let right)):
        return left.members.count == right.members.count
            && zip(left.members, right.members).allSatisfy { $0.key == $1.key && sameInOrder($0.value, $1.value) }
    case (.array(let left), .array(let right)):
        return left.count == right.count && zip(left, right).allSatisfy { sameInOrder($0, $1) }
    default:
        return lhs == rhs
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }
}

extension String {
    /// The recorded message with the masked target Id replaced by the one the harness sends.
    var replacingTargetID: String { replacing("<target-id>", with: ConformanceTests.targetID) }
}
