import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import Foundation
import PatternTestSupport
import Testing

/// The cases of `aws-observed-api.jsonl` (84 calls and call sequences recorded against real
/// EventBridge; see `../shared/conformance/aws-observed-README.md`), replayed through
/// `Router.call`, the JSON operation entry point.
///
/// ## Cases not replayed
///
/// | Case                                         | Why not                                                                  |
/// |----------------------------------------------|--------------------------------------------------------------------------|
/// | `connection/create-multiple-validation-errors` | CreateConnection: connections and API destinations are out of scope (EventRouter has no HTTP targets). |
///
/// `notReplayed` below is this table; `caseCount` pins the number of replayed cases, so a skip
/// cannot be added without changing that number.
///
/// ## How a case is replayed
/// - A fresh router on a `ManualClock`; every call is followed by `runUntilIdle()`, so deliveries
///   (and bus-to-bus forwards) have happened before the next call, as the recordings waited for them.
/// - Accounts and regions: `111111111111`, `<account>`, `<account-id>` are `111111111111`;
///   `<account-secondary>`, `<secondary-account-id>` are `222222222222`; `<region>` is
///   `us-east-1`, `<region-secondary>` `us-west-2`, `<partition>` `aws`. Setup steps and calls
///   marked `"account": "secondary"` run as the secondary side of the case (which is the second
///   account, the second region or both, as the case says).
/// - Any other `<…>` placeholder in a parameter becomes a generated name the first time it is
///   used, and keeps it for the whole case. A placeholder first met in an expected value is
///   bound to what the router answered there (later uses must agree): this is how `<uuid:N>`
///   ids, `<sid:N>`, `<next_token:N>` tokens and names the recorder masked are checked. Two
///   different `<uuid:N>` must be different ids (a cross-region forward gets a new id).
/// - Expected values: errors by code and exact message (placeholders mapped back) and HTTP status;
///   responses by their exact key sets and values. `datetime` accepts any timestamp, `date` an
///   ISO-8601 UTC time, `event-id` and `receipt-handle` any id. A JSON value recorded where the
///   router answers a JSON string (`EventPattern`, `Policy`, message `Body`) is compared with the
///   parsed string. `MD5OfBody` of SQS messages is not compared (the local queues do not compute it).
/// - What a recording left implicit (the custom bus `<bus-name>` exists, the rule a PutTargets
///   names exists, the queue behind `<queue-arn>`, the archive behind `<archive-arn>`, and the
///   calls that produced `observed` deliveries) is set up by `APIPlan.plan(for:)`, case by case.
@Suite("AWS-observed API cases")
struct APIConformanceTests {
    static let fixture = "Tests/Fixtures/conformance/aws-observed-api.jsonl"

    /// Cases that are not replayed, with the reason (the table above).
    static let notReplayed: [String: String] = [
        "connection/create-multiple-validation-errors":
            "CreateConnection: connections and API destinations are out of scope (EventRouter has no HTTP targets).",
    ]

    static let all: [APICase] = ((try? Fixtures.lines(fixture)) ?? []).compactMap { line in
        guard let record = try? JSONReader.parse(line), case .string(let id)? = record["id"] else { return nil }
        return APICase(id: id, record: record)
    }

    static let replayed: [APICase] = all.filter { notReplayed[$0.id] == nil }

    @Test("the fixture has its 84 cases; 83 are replayed, 1 is not")
    func caseCount() {
        #expect(Self.all.count == 84)
        #expect(Set(Self.all.map(\.id)).count == Self.all.count)
        #expect(Set(Self.notReplayed.keys).isSubset(of: Set(Self.all.map(\.id))))
        #expect(Self.replayed.count == 83)
    }

    @Test("case", arguments: Self.replayed)
    func replay(_ testCase: APICase) {
        APIReplay(testCase).run()
    }
}

/// One line of the fixture.
struct APICase: Sendable, CustomStringConvertible {
    var id: String
    var record: JSONValue
    var description: String { id }
}

/// What a case needs beyond its own record: implicit setup, placeholder values, and how to read
/// its `observed` deliveries.
struct APIPlan {
    /// Placeholders with a fixed value for this case.
    var bind: [String: String] = [:]
    /// Literal stand-ins the recorder wrote into expected text, and the placeholder they stand for.
    var standIns: [String: String] = [:]
    /// Calls made before the case's own setup.
    var prepare: (APIReplay) -> Void = { _ in }
    /// For each `observed` entry that lists SQS messages: the placeholder of the queue they were read from.
    var queues: [String?] = []
    /// Replaces the reading of `observed` entirely.
    var observe: ((APIReplay, [JSONValue]) -> Void)? = nil
    /// The recorded response holds only some of the keys (the rest was not recorded).
    var partialResponse = false

    static let updateAccountPattern =
        #"{"source": ["core.update-account-command"], "detail-type": ["core.update-account-command"], "detail": {"command": ["update-account"]}}"#
    static let updateAccountDetail = #"{"command": "update-account", "payload": {"acc_id": "0a787ecb-4015", "sf_id": "baz"}}"#

    /// The plan of the case `id` (most cases need none).
    static func plan(for id: String) -> APIPlan {
        var plan = APIPlan()
        let customBus = id.hasSuffix("/custom-bus") || id.contains("/custom-bus/")
        let defaultBus = id.hasSuffix("/default-bus") || id.contains("/default-bus/")
        if defaultBus { plan.bind["<bus-name>"] = "default" }
        switch id {
        case "putevents/more-than-10-entries/custom-bus":
            plan.prepare = { $0.bus("<bus-name>") }
        case "putevents/nonexistent-bus-entry-accepted":
            // "messages delivered to the SQS target of a default-bus rule matching source MySource / detail-type CustomType"
            plan.prepare = { r in
                r.queue("<queue-arn>")
                r.rule("<rule-name>", pattern: #"{"source": ["MySource"], "detail-type": ["CustomType"]}"#, target: "<queue-arn>")
            }
            plan.queues = ["<queue-arn>", nil]
        case "putevents/target-queue-deleted-still-success":
            // The queue was deleted before PutTargets: a queue ARN that does not exist.
            plan.bind["<queue-arn>"] = "arn:aws:sqs:us-east-1:111111111111:deleted-queue"
        case "putevents/one-entry-two-targets-one-result":
            plan.prepare = { r in
                r.queue("<queue-1>")
                r.queue("<queue-2>")
                r.rule("<rule-name>", pattern: #"{"source": ["core.update-account-command"]}"#, target: "<queue-1>")
                r.target(rule: "<rule-name>", id: "<target-2>", arn: "<queue-2>")
            }
            plan.observe = { r, observed in
                // The recorder masked `detail` as "detail"; the test asserts it is the object sent,
                // and that both bodies carry the returned EventId.
                guard case .string(let detailText)? = r.record["params"]?["Entries"]?[0]?["Detail"],
                      let detail = try? JSONReader.parse(detailText),
                      case .string(let eventID)? = r.mainResult?["Entries"]?[0]?["EventId"] else {
                    Issue.record("\(r.id): no EventId or detail to compare with")
                    return
                }
                for (key, queue) in [("queue1_messages", "<queue-1>"), ("queue2_messages", "<queue-2>")] {
                    guard case .array(let messages)? = observed.first?["value"]?[key] else {
                        Issue.record("\(r.id): observed has no \(key)")
                        continue
                    }
                    let expected = APIReplay.withoutMD5(.array(messages.map { APIReplay.setting($0, ["Body", "detail"], to: detail) }))
                    let actual = r.receive(queue)
                    r.expectMatch(expected, .array(actual), label: key)
                    for message in actual {
                        guard case .string(let body)? = message["Body"], let event = try? JSONReader.parse(body) else { continue }
                        #expect(event["id"] == JSONValue.string(eventID), "\(r.id): \(key) body id is the EventId PutEvents returned")
                    }
                }
            }
        case "putevents/time-field-normalised":
            // Three entries sent one by one, each with Time 2022-01-01T00:00:00Z as epoch seconds.
            plan.partialResponse = true
            plan.prepare = { r in
                r.bus("<bus-name>")
                r.queue("<queue-arn>")
                r.rule("<rule-name>", bus: "<bus-name>", pattern: #"{"source": ["core.update-account-command"]}"#, target: "<queue-arn>")
            }
            plan.observe = { r, observed in
                for text in ["new time", "long time"] {
                    let entry = JSONValue.object(JSONObject([
                        ("Source", .string("core.update-account-command")), ("DetailType", .string("core.update-account-command")),
                        ("Detail", .string(#"{"message": "\#(text)"}"#)), ("Time", .number(JSONNumber(1_640_995_200))),
                        ("EventBusName", .string("<bus-name>")),
                    ]))
                    let response = r.expectSuccess("PutEvents", .object(JSONObject([("Entries", .array([entry]))])))
                    #expect(response?["FailedEntryCount"] == JSONValue.number(JSONNumber(0)), "\(r.id): \(text)")
                }
                let messages = r.receive("<queue-arn>")
                for message in messages {
                    guard case .string(let body)? = message["Body"], let event = try? JSONReader.parse(body) else { continue }
                    #expect(event["time"] == observed.first?["value"], "\(r.id): delivered time")
                }
                if observed.count > 1, let expected = observed[1]["value"] {
                    r.expectMatch(APIReplay.withoutMD5(expected), .array(messages), label: "observed messages")
                }
            }

        case "permission/put-sequence/custom-bus", "permission/remove-sequence/custom-bus",
             "permission/remove-unknown-sid/custom-bus/policy-exists", "permission/remove-unknown-sid/custom-bus/no-policy",
             "rule/put-list-describe-delete/custom-bus", "rule/put-same-name-twice-updates", "rule/list-limit-pagination",
             "rule/disable-enable", "rule/schedule-on-custom-bus",
             "target/list-rule-names-by-target-no-match/custom-bus":
            plan.prepare = { $0.bus("<bus-name>") }

        case "rule/delete-with-targets", "rule/update-keeps-targets":
            plan.prepare = { $0.queue("<queue-arn>") }

        case "target/put-list-remove/custom-bus":
            plan.prepare = { r in
                r.bus("<bus-name>")
                r.queue("<queue-arn>")
                r.rule("<rule-name>", bus: "<bus-name>")
            }
        case "target/put-list-remove/default-bus", "target/more-than-5-per-rule", "target/id-invalid-characters":
            plan.prepare = { r in
                r.queue("<queue-arn>")
                r.rule("<rule-name>")
            }
        case "target/list-limit-pagination":
            plan.bind["<target-id>"] = "test-target-"   // the notes: the responses' prefix of the Ids sent
            plan.prepare = { r in
                r.queue("<queue-arn>")
                r.rule("<rule-name>")
            }
        case "target/id-too-long":
            plan.bind["<uuid4>"] = "3f0c9a6e-5b1d-4c8e-9f2a-7d6b5e4c3a21"
            plan.standIns["second-invalid-target-id"] = "<uuid4>-<uuid4>-extra"
            plan.prepare = { r in
                r.queue("<queue-arn>")
                r.rule("<rule-name>")
            }
        case "target/same-id-same-rule-overwrites", "target/same-arn-two-ids-one-rule":
            plan.prepare = { $0.rule("<rule-name>") }
        case "target/same-id-different-rules", "target/same-arn-different-rules":
            plan.prepare = { r in
                r.rule("<rule-one>")
                r.rule("<rule-two>")
            }
        case "target/list-rule-names-by-target/custom-bus", "target/list-rule-names-by-target-pagination/custom-bus":
            plan.prepare = { r in
                r.bus("<bus-name>")
                r.queue("<queue-arn>")
            }
        case "target/list-rule-names-by-target/default-bus", "target/list-rule-names-by-target-pagination/default-bus":
            plan.prepare = { $0.queue("<queue-arn>") }

        case "crossbus/same-account-bus-to-bus":
            plan.bind["<role-arn>"] = "arn:aws:iam::111111111111:role/bus-to-bus"
            plan.prepare = { r in
                r.bus("<bus-1>")
                r.bus("<bus-2>", arn: "<bus-2-arn>")
                r.queue("<queue-arn>")
            }
            plan.queues = ["<queue-arn>"]
        case _ where id.hasPrefix("crossaccount/bus-to-bus/"):
            // <primary-bus>/<secondary-bus> are 'default' in the default-bus variants; the variant's
            // last part says whether the secondary side is another region, account, or both.
            let variant = id.split(separator: "/").last.map(String.init) ?? ""
            plan.bind["<role allowed events:PutEvents on arn:aws:events:*:*:event-bus/*>"] = "arn:aws:iam::111111111111:role/bus-to-bus"
            if defaultBus {
                plan.bind["<primary-bus>"] = "default"
                plan.bind["<secondary-bus>"] = "default"
            }
            plan.prepare = { r in
                r.sides["secondary"] = (variant.contains("account") ? APIReplay.secondaryAccount : APIReplay.primaryAccount,
                                        variant.contains("region") ? APIReplay.secondaryRegion : APIReplay.primaryRegion)
                if customBus {
                    r.bus("<primary-bus>")
                    r.bus("<secondary-bus>", side: "secondary")
                }
                let secondary = r.side("secondary")
                r.bound["<secondary-bus-arn>"] = .string("arn:aws:events:\(secondary.region):\(secondary.account):event-bus/\(r.value(for: "<secondary-bus>"))")
                r.queue("<primary-queue-arn>")
                r.queue("<secondary-queue-arn>", side: "secondary")
            }
            plan.observe = { r, observed in
                guard observed.count == 3, let primary = observed[0]["value"], let forwarded = observed[1]["value"],
                      let own = observed[2]["value"] else {
                    Issue.record("\(r.id): expected three observed entries")
                    return
                }
                r.expectMatch(APIReplay.withoutMD5(primary), .array(r.receive("<primary-queue-arn>")), label: "primary queue")
                r.expectMatch(APIReplay.withoutMD5(forwarded), .array(r.receive("<secondary-queue-arn>")), label: "secondary queue")
                // "a separate PutEvents (Source 'source-secondary') by the secondary side to its own bus"
                let entry = JSONValue.object(JSONObject([
                    ("Source", .string("source-secondary")), ("DetailType", .string("core.update-account-command")),
                    ("Detail", .string(APIPlan.updateAccountDetail)), ("EventBusName", .string("<secondary-bus>")),
                ]))
                _ = r.expectSuccess("PutEvents", .object(JSONObject([("Entries", .array([entry]))])), side: "secondary")
                r.expectMatch(APIReplay.withoutMD5(own), .array(r.receive("<secondary-queue-arn>")), label: "secondary queue, own event")
            }
        case "crossaccount/put-events-to-other-accounts-bus-by-arn":
            plan.prepare = { r in
                r.sides["secondary"] = (APIReplay.secondaryAccount, APIReplay.primaryRegion)
                r.queue("<secondary-queue-arn>", side: "secondary")
            }
            plan.queues = ["<secondary-queue-arn>"]

        case "archive/create-list-describe-update-delete/custom-bus":
            plan.prepare = { $0.bus("<event-bus-name>") }
        case "archive/create-duplicate/default-bus":
            plan.bind["<bus-arn>"] = "arn:aws:events:us-east-1:111111111111:event-bus/default"
        case "archive/create-duplicate/custom-bus":
            plan.prepare = { $0.bus("<event-bus-name>", arn: "<bus-arn>") }
        case "archive/list-name-prefix":
            // "Only one archive existed in the account/region during the recording", named test-archive….
            plan.bind["<archive-name>"] = "test-archive-1"
            plan.prepare = { r in
                r.bus("<event-bus-name>", arn: "<bus-arn>")
                r.archive("<archive-name>", busArn: "<bus-arn>")
            }
        case _ where id.hasPrefix("archive/event-count-after-10-events/"):
            // "a rule with an SQS target also matched them"
            if defaultBus {
                plan.bind["<event-bus-name>"] = "default"
                plan.bind["<bus-arn>"] = "arn:aws:events:us-east-1:111111111111:event-bus/default"
            }
            plan.prepare = { r in
                if customBus { r.bus("<event-bus-name>", arn: "<bus-arn>") }
                r.queue("<queue-arn>")
                r.rule("<rule-name>", bus: "<event-bus-name>", target: "<queue-arn>")
            }

        case _ where id.hasPrefix("replay/"):
            plan.bind["<default-bus-arn>"] = "arn:aws:events:us-east-1:111111111111:event-bus/default"
            plan.prepare = { r in
                let now = r.clock.now().secondsSince1970
                r.bound["<now - 1 min>"] = .number(JSONNumber(Double(now - 60)))
                r.bound["<now>"] = .number(JSONNumber(Double(now) + 0.25))   // sub-second, as an SDK's now
                r.bound["<now truncated to whole seconds>"] = .number(JSONNumber(Double(now)))
                r.bound["<now truncated to whole seconds minus 10 s>"] = .number(JSONNumber(Double(now - 10)))
                switch id {
                case "replay/start-destination-bus-missing":
                    r.archive("<archive>", busArn: "<default-bus-arn>", arn: "<archive-arn on default bus>")
                case "replay/start-destination-other-bus":
                    r.archive("<archive>", busArn: "<default-bus-arn>", arn: "<archive-arn on default bus>")
                    r.bus("<event-bus-name>")
                case "replay/start-duplicate-name-same-archive":
                    r.bound["<bus-arn>"] = .string("arn:aws:events:us-east-1:111111111111:event-bus/default")
                    r.archive("<archive>", busArn: "<bus-arn>", arn: "<archive-arn>")
                case "replay/start-duplicate-name-other-archive":
                    r.bus("<bus-1>", arn: "<bus-1-arn>")
                    r.bus("<bus-2>", arn: "<bus-2-arn>")
                    r.archive("<archive-1>", busArn: "<bus-1-arn>", arn: "<archive-1-arn>")
                    r.archive("<archive-2>", busArn: "<bus-2-arn>", arn: "<archive-2-arn>")
                case "replay/start-end-not-after-start/0s", "replay/start-end-not-after-start/10s":
                    r.archive("<archive>", busArn: "<default-bus-arn>", arn: "<archive-arn>")
                    r.bus("<other-bus>", arn: "<other-bus-arn>")
                default:
                    break
                }
            }
        default:
            break
        }
        return plan
    }
}

/// Replays one case on a fresh router, recording an issue for every difference from AWS.
final class APIReplay {
    static let primaryAccount = "111111111111"
    static let secondaryAccount = "222222222222"
    static let primaryRegion = "us-east-1"
    static let secondaryRegion = "us-west-2"

    let id: String
    let record: JSONValue
    let plan: APIPlan
    let clock = ManualClock(start: Instant(secondsSince1970: 1_735_689_600))   // 2025-01-01T00:00:00Z
    let router: Router
    /// The account and region each side of the case calls as.
    var sides: [String: (account: String, region: String)] = [
        "primary": (primaryAccount, primaryRegion), "secondary": (secondaryAccount, secondaryRegion),
    ]
    /// Placeholder values (strings, or numbers for timestamps).
    var bound: [String: JSONValue] = [:]
    /// Queue URLs by queue ARN.
    var queueURLs: [String: String] = [:]
    /// The response of the case's own call (not a sequence).
    var mainResult: JSONValue?
    private var generated = 0

    init(_ testCase: APICase) {
        id = testCase.id
        record = testCase.record
        plan = APIPlan.plan(for: testCase.id)
        router = Router(clock: clock, configuration: .init(seed: 7))
        for (placeholder, value) in [("111111111111", Self.primaryAccount), ("<account>", Self.primaryAccount),
                                     ("<account-id>", Self.primaryAccount), ("<account-secondary>", Self.secondaryAccount),
                                     ("<secondary-account-id>", Self.secondaryAccount), ("<region>", Self.primaryRegion),
                                     ("<region-secondary>", Self.secondaryRegion), ("<partition>", "aws")] {
            bound[placeholder] = .string(value)
        }
        for (placeholder, value) in plan.bind { bound[placeholder] = .string(value) }
    }

    func side(_ name: String) -> (account: String, region: String) {
        sides[name] ?? sides["primary"] ?? (Self.primaryAccount, Self.primaryRegion)
    }

    // MARK: - Running a case

    func run() {
        plan.prepare(self)
        var params = record["params"] ?? .object(JSONObject())
        if case .object(let expansions)? = record["params_expand"] {
            for (path, spec) in expansions.members {
                guard case .string(let prefix)? = spec["prefix"], case .string(let character)? = spec["repeat_char"],
                      case .number(let count)? = spec["repeat_count"], case .string(let suffix)? = spec["suffix"] else { continue }
                let value = prefix + String(repeating: character, count: Int(count.value)) + suffix
                params = Self.setting(params, Self.pathComponents(path), to: .string(value))
            }
        }
        if case .array(let setup)? = record["setup"] {
            for (index, step) in setup.enumerated() { runSetup(step, params: params, label: "setup \(index + 1)") }
        }
        if record["operation"] == .string("sequence") {
            guard case .array(let steps)? = record["steps"] else {
                Issue.record("\(id): a sequence without steps")
                return
            }
            for (index, step) in steps.enumerated() {
                _ = runStep(step, label: "step \(index + 1) \(step["operation"]?.apiText ?? "")")
            }
        } else {
            var main = record
            main = Self.setting(main, ["params"], to: params)
            mainResult = runStep(main, label: record["operation"]?.apiText ?? "call", partial: plan.partialResponse)
        }
        guard case .array(let observed)? = record["observed"] else { return }
        if let observe = plan.observe {
            observe(self, observed)
            return
        }
        for (index, entry) in observed.enumerated() {
            if entry["operation"] != nil {
                _ = runStep(entry, label: "observed \(index + 1) \(entry["operation"]?.apiText ?? "")")
            } else if index < plan.queues.count, let queue = plan.queues[index], let expected = entry["value"] {
                expectMatch(Self.withoutMD5(expected), .array(receive(queue)), label: "observed \(index + 1)")
            } else {
                Issue.record("\(id): no plan to read observed entry \(index + 1)")
            }
        }
    }

    /// A setup call: it must succeed. Fills in what the recording left out of its parameters.
    func runSetup(_ step: JSONValue, params caseParams: JSONValue, label: String) {
        guard case .string(let operation)? = step["operation"] else { return }
        let sideName = step["account"]?.apiText ?? "primary"
        var params = step["params"] ?? .object(JSONObject())
        if case .string = params { params = caseParams }   // "same params", "identical call, succeeded"
        switch operation {
        case "PutRule+PutTargets":
            // Each named rule on the case's bus, with the target.
            guard case .array(let rules)? = params["rules"], let target = params["target"] else { return }
            let bus = bound["<bus-name>"] == nil ? JSONValue.string("default") : .string("<bus-name>")
            for (index, name) in rules.enumerated() {
                _ = expectSuccess("PutRule", .object(JSONObject([("Name", name), ("EventBusName", bus),
                                                                 ("EventPattern", .string(APIPlan.updateAccountPattern))])), label: label)
                let targets = JSONValue.array([.object(JSONObject([("Id", .string("target-\(index)")), ("Arn", target)]))])
                _ = expectSuccess("PutTargets", .object(JSONObject([("Rule", name), ("EventBusName", bus), ("Targets", targets)])), label: label)
            }
            return
        case "PutRule":
            params = Self.setting(params, ["note"], to: nil)
            if params["EventPattern"] == nil && params["ScheduleExpression"] == nil {
                params = Self.setting(params, ["EventPattern"], to: .string(APIPlan.updateAccountPattern))
            }
        case "StartReplay":
            if params["EventStartTime"] == nil { params = Self.setting(params, ["EventStartTime"], to: .string("<now - 1 min>")) }
            if params["EventEndTime"] == nil { params = Self.setting(params, ["EventEndTime"], to: .string("<now>")) }
        default:
            break
        }
        _ = expectSuccess(operation, params, side: sideName, label: label)
    }

    /// Runs a recorded call and compares what the router answered with what AWS answered.
    func runStep(_ step: JSONValue, label: String, partial: Bool = false) -> JSONValue? {
        guard case .string(let operation)? = step["operation"] else {
            Issue.record("\(id) \(label): no operation")
            return nil
        }
        let result = call(operation, step["params"] ?? .object(JSONObject()), side: step["account"]?.apiText ?? "primary")
        var status: Int? = nil
        if case .number(let number)? = step["http_status"] { status = Int(number.value) }
        switch result {
        case .success(let response):
            if let apiError = step["api_error"] {
                Issue.record("\(id) \(label): expected \(apiError.jsonText), got \(response.jsonText)")
            } else if let expected = step["response"] {
                expectMatch(expected, response, label: label, partial: partial)
            }
            if let status, status != 200 { Issue.record("\(id) \(label): AWS answered HTTP \(status), the router succeeded") }
            return response
        case .failure(let error):
            guard let apiError = step["api_error"] else {
                Issue.record("\(id) \(label): unexpected error \(error)")
                return nil
            }
            #expect(JSONValue.string(error.code) == apiError["Code"], "\(id) \(label): error code")
            if case .string(let message)? = apiError["Message"], !matchText(message, error.message) {
                Issue.record("\(id) \(label): message\n  AWS:    \(substituted(message))\n  router: \(error.message)")
            }
            if let status { #expect(error.httpStatus == status, "\(id) \(label): HTTP status") }
            return nil
        }
    }

    // MARK: - Calls

    func call(_ operation: String, _ params: JSONValue, side sideName: String = "primary", service: String = "events") -> Result<JSONValue, APIError> {
        let (account, region) = side(sideName)
        let result: Result<JSONValue, APIError>
        do {
            result = .success(try router.call(service: service, operation: operation, account: account, region: region, params: input(params)))
        } catch {
            result = .failure(error)
        }
        router.runUntilIdle()
        return result
    }

    @discardableResult
    func expectSuccess(_ operation: String, _ params: JSONValue, side: String = "primary", service: String = "events",
                       label: String = "setup") -> JSONValue? {
        switch call(operation, params, side: side, service: service) {
        case .success(let response): return response
        case .failure(let error):
            Issue.record("\(id) \(label): \(operation) failed: \(error)")
            return nil
        }
    }

    /// Creates a bus named by `placeholder` (a generated name unless bound) on `side`, binding `arn` to its ARN.
    func bus(_ placeholder: String, side: String = "primary", arn: String? = nil) {
        let response = expectSuccess("CreateEventBus", .object(JSONObject([("Name", .string(placeholder))])), side: side)
        if let arn, let busArn = response?["EventBusArn"] { bound[arn] = busArn }
    }

    /// Creates a queue on `side` and binds `placeholder` to its ARN.
    func queue(_ placeholder: String, side: String = "primary") {
        let name = generatedName(placeholder)
        let response = expectSuccess("CreateQueue", .object(JSONObject([("QueueName", .string(name))])), side: side, service: "sqs")
        guard case .string(let arn)? = response?["QueueArn"], case .string(let url)? = response?["QueueUrl"] else { return }
        bound[placeholder] = .string(arn)
        queueURLs[arn] = url
    }

    /// Creates a rule (the update-account pattern unless given) on `bus` (default bus when nil), with a queue target.
    func rule(_ placeholder: String, bus: String? = nil, pattern: String = APIPlan.updateAccountPattern, target: String? = nil) {
        var params: [(String, JSONValue)] = [("Name", .string(placeholder)), ("EventPattern", .string(pattern))]
        if let bus { params.append(("EventBusName", .string(bus))) }
        expectSuccess("PutRule", .object(JSONObject(params)))
        if let target { self.target(rule: placeholder, bus: bus, id: "<target-id-\(placeholder)>", arn: target) }
    }

    func target(rule: String, bus: String? = nil, id: String, arn: String) {
        var params: [(String, JSONValue)] = [("Rule", .string(rule)),
                                            ("Targets", .array([.object(JSONObject([("Id", .string(id)), ("Arn", .string(arn))]))]))]
        if let bus { params.append(("EventBusName", .string(bus))) }
        expectSuccess("PutTargets", .object(JSONObject(params)))
    }

    /// Creates an archive named by `placeholder` on the bus whose ARN `busArn` holds; binds `arn` to its ARN.
    func archive(_ placeholder: String, busArn: String, arn: String? = nil) {
        let response = expectSuccess("CreateArchive", .object(JSONObject([
            ("ArchiveName", .string(placeholder)), ("EventSourceArn", .string(busArn)), ("RetentionDays", .number(JSONNumber(1))),
        ])))
        if let arn, let archiveArn = response?["ArchiveArn"] { bound[arn] = archiveArn }
    }

    /// Receives (and deletes) every message of the queue whose ARN `placeholder` holds.
    func receive(_ placeholder: String) -> [JSONValue] {
        guard let url = queueURLs[value(for: placeholder)] else {
            Issue.record("\(id): no queue for \(placeholder)")
            return []
        }
        let response = expectSuccess("ReceiveMessage", .object(JSONObject([("QueueUrl", .string(url)),
                                                                            ("MaxNumberOfMessages", .number(JSONNumber(10)))])),
                                     service: "sqs", label: "ReceiveMessage")
        guard case .array(let messages)? = response?["Messages"] else { return [] }
        for message in messages {
            guard let handle = message["ReceiptHandle"] else { continue }
            expectSuccess("DeleteMessage", .object(JSONObject([("QueueUrl", .string(url)), ("ReceiptHandle", handle)])),
                          service: "sqs", label: "DeleteMessage")
        }
        return messages
    }

    // MARK: - Placeholders

    /// The value of a placeholder, generating a name the first time.
    func value(for placeholder: String) -> String {
        if let value = bound[placeholder] { return value.apiText ?? value.jsonText }
        let name = generatedName(placeholder)
        bound[placeholder] = .string(name)
        return name
    }

    /// A fresh name made from a placeholder: `<bus-name>` → `bus-name-3` (characters every name allows).
    func generatedName(_ placeholder: String) -> String {
        generated += 1
        var slug = ""
        for character in placeholder.lowercased().unicodeScalars {
            if (character >= "a" && character <= "z") || (character >= "0" && character <= "9") {
                slug.unicodeScalars.append(character)
            } else if !slug.isEmpty && !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        if slug.hasSuffix("-") { slug.removeLast() }
        return String(slug.prefix(24)) + "-\(generated)"
    }

    /// Parameters with every placeholder replaced by its value (a lone timestamp placeholder by its number).
    func input(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text):
            let pieces = Self.pieces(text)
            if pieces.count == 1, !pieces[0].literal, case .number(let number)? = bound[pieces[0].text] { return .number(number) }
            return .string(pieces.map { $0.literal ? $0.text : self.value(for: $0.text) }.joined())
        case .array(let elements):
            return .array(elements.map(input))
        case .object(let object):
            return .object(JSONObject(object.members.map { ($0.key, input($0.value)) }))
        default:
            return value
        }
    }

    /// Expected text with its bound placeholders replaced (unbound ones stay).
    func substituted(_ text: String) -> String {
        Self.pieces(applyingStandIns(text)).map { piece in
            if piece.literal { return piece.text }
            return bound[piece.text].map { $0.apiText ?? $0.jsonText } ?? piece.text
        }.joined()
    }

    func applyingStandIns(_ text: String) -> String {
        var text = text
        for (standIn, placeholder) in plan.standIns { text = text.replacingOccurrences(of: standIn, with: placeholder) }
        return text
    }

    /// The literal runs and `<…>` placeholders of a text; brackets nest (`<<next-token>:1>` is one placeholder).
    static func pieces(_ text: String) -> [(literal: Bool, text: String)] {
        var pieces: [(literal: Bool, text: String)] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "<" {
                var depth = 0
                var end = index
                var closed = false
                while end < text.endIndex {
                    if text[end] == "<" { depth += 1 } else if text[end] == ">" {
                        depth -= 1
                        if depth == 0 { closed = true; break }
                    }
                    end = text.index(after: end)
                }
                if closed {
                    if !literal.isEmpty { pieces.append((true, literal)); literal = "" }
                    pieces.append((false, String(text[index...end])))
                    index = text.index(after: end)
                    continue
                }
            }
            literal.append(text[index])
            index = text.index(after: index)
        }
        if !literal.isEmpty { pieces.append((true, literal)) }
        return pieces
    }

    /// Binds a placeholder met in an expected value; different `<uuid:N>` must be different ids.
    func bind(_ placeholder: String, _ value: String) -> Bool {
        if placeholder.hasPrefix("<uuid:") {
            for (other, existing) in bound where other.hasPrefix("<uuid:") && other != placeholder && existing == .string(value) {
                return false
            }
        }
        bound[placeholder] = .string(value)
        return true
    }

    // MARK: - Matching

    /// Whether `actual` is the expected text, binding the placeholders first met here.
    func matchText(_ expectedText: String, _ actual: String) -> Bool {
        let expected = applyingStandIns(expectedText)
        switch expected {
        case "datetime": return true
        case "date": return actual.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"#, options: .regularExpression) != nil
        case "event-id", "receipt-handle", "m-d5-of-body": return !actual.isEmpty
        default: break
        }
        var pattern = "^"
        var unbound: [String] = []
        for piece in Self.pieces(expected) {
            if piece.literal {
                pattern += NSRegularExpression.escapedPattern(for: piece.text)
            } else if let value = bound[piece.text] {
                pattern += NSRegularExpression.escapedPattern(for: value.apiText ?? value.jsonText)
            } else if let position = unbound.firstIndex(of: piece.text) {
                pattern += "\\\(position + 1)"
            } else {
                unbound.append(piece.text)
                pattern += "(.+?)"
            }
        }
        pattern += "$"
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]),
              let match = regex.firstMatch(in: actual, range: NSRange(actual.startIndex..., in: actual)) else { return false }
        for (position, placeholder) in unbound.enumerated() {
            guard let range = Range(match.range(at: position + 1), in: actual), bind(placeholder, String(actual[range])) else { return false }
        }
        return true
    }

    func expectMatch(_ expected: JSONValue, _ actual: JSONValue, label: String, partial: Bool = false) {
        var problems: [String] = []
        match(expected, actual, path: "", problems: &problems, partial: partial)
        for problem in problems { Issue.record("\(id) \(label): \(problem)") }
    }

    /// Compares an expected value with the router's (see the type's documentation for the rules).
    func match(_ expected: JSONValue, _ actual: JSONValue, path: String, problems: inout [String], partial: Bool = false) {
        let at = path.isEmpty ? "response" : path
        switch (expected, actual) {
        case (.string("datetime"), .number):
            return
        case (.string(let text), .string(let value)):
            if !matchText(text, value) { problems.append("\(at): AWS \(substituted(text).debugDescription), router \(value.debugDescription)") }
        case (.object, .string(let text)), (.array, .string(let text)):
            guard let parsed = try? JSONReader.parse(text) else {
                problems.append("\(at): AWS has JSON, the router's string is not JSON: \(text)")
                return
            }
            match(expected, parsed, path: path, problems: &problems)
        case (.object(let expectedObject), .object(let actualObject)):
            let expectedKeys = Set(expectedObject.members.map(\.key)), actualKeys = Set(actualObject.members.map(\.key))
            let missing = expectedKeys.subtracting(actualKeys), extra = actualKeys.subtracting(expectedKeys)
            if !missing.isEmpty { problems.append("\(at): missing keys \(missing.sorted())") }
            if !extra.isEmpty && !partial { problems.append("\(at): keys AWS does not have \(extra.sorted())") }
            for (key, value) in expectedObject.members {
                guard let other = actualObject[key] else { continue }
                match(value, other, path: path.isEmpty ? key : path + "." + key, problems: &problems)
            }
        case (.array(let expectedElements), .array(let actualElements)):
            guard expectedElements.count == actualElements.count else {
                problems.append("\(at): \(expectedElements.count) elements on AWS, \(actualElements.count) from the router: \(actual.jsonText)")
                return
            }
            for (index, element) in expectedElements.enumerated() {
                match(element, actualElements[index], path: "\(path)[\(index)]", problems: &problems)
            }
        case (.number(let a), .number(let b)):
            if a.value != b.value { problems.append("\(at): AWS \(a.text), router \(b.text)") }
        default:
            if expected != actual { problems.append("\(at): AWS \(expected.jsonText), router \(actual.jsonText)") }
        }
    }

    // MARK: - JSON helpers

    /// `value` with the member at `path` replaced (removed when `newValue` is nil).
    static func setting(_ value: JSONValue, _ path: [String], to newValue: JSONValue?) -> JSONValue {
        guard let first = path.first else { return newValue ?? .null }
        if case .array(var elements) = value, let index = Int(first), elements.indices.contains(index) {
            elements[index] = setting(elements[index], Array(path.dropFirst()), to: newValue)
            return .array(elements)
        }
        guard case .object(var object) = value else { return value }
        if path.count == 1 {
            object[first] = newValue
        } else if let member = object[first] {
            object[first] = setting(member, Array(path.dropFirst()), to: newValue)
        }
        return .object(object)
    }

    /// `Entries[0].Detail` → `["Entries", "0", "Detail"]`.
    static func pathComponents(_ path: String) -> [String] {
        path.split(whereSeparator: { $0 == "." || $0 == "[" || $0 == "]" }).map(String.init)
    }

    /// SQS messages without `MD5OfBody` (not computed by the local queues).
    static func withoutMD5(_ messages: JSONValue) -> JSONValue {
        guard case .array(let elements) = messages else { return messages }
        return .array(elements.map { setting($0, ["MD5OfBody"], to: nil) })
    }
}

private extension JSONValue {
    var apiText: String? {
        switch self {
        case .string(let text): return text
        case .number(let number): return number.text
        default: return nil
        }
    }
}
