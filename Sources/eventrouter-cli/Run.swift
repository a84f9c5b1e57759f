import ArgumentParser
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import Foundation
import SimulatedServices

/// `eventrouter run SCRIPT.jsonl`: runs a scenario against an in-memory router on a manual clock.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario script (JSON Lines) against an in-memory router.",
        discussion: """
        Each line is a clock step or a call:
          {"advance": SECONDS}                      move the clock, delivering everything due on the way
          {"at": "2025-01-01T00:10:00Z"}            move the clock to an instant
          {"call": "PutRule", "service": "events", "account": "...", "region": "...", "params": {...},
           "save": {"name": "Dot.Path.0"}}          call the AWS-shaped API; save response values
        `service` defaults to events, account to 123456789012, region to us-east-1. Saved values are
        used as ${name} inside any later string. Output, one JSON line each: {"call": NAME, "response": {...}}
        or {"call": NAME, "error": {"code", "message"}}; then, for every finished delivery,
        {"delivery": {"target", "rule", "input", "attempt", "time"}}, {"dead-letter": {..., "dlq", "error"}}
        or {"dropped": {..., "error"}}. The clock starts at --start; ids come from --seed.
        Simulated services (Documentation/SIMULATORS.md), each with AWS's operation and parameter names:
        "batch" (AWS Batch: SubmitJob, DescribeJobs, …; "Batch Job State Change" events; Documentation/BATCH.md),
        "emr" (Amazon EMR: RunJobFlow, AddJobFlowSteps, DescribeCluster, …; aws.emr events; Documentation/EMR.md),
        "elbv2" (ELBv2: CreateLoadBalancer, CreateRule, RegisterTargets, …, plus the simulator calls RouteRequest,
        RouteFlow, SetTargetHealthProbe, DescribeCapacityUnits; sim.elasticloadbalancing events; Documentation/ELB.md).
        Their ARNs (job queues, clusters, listeners, target groups) are rule targets; their events reach the default bus.
        """
    )

    @Argument(help: "The scenario file (JSON Lines); '-' for standard input.")
    var script: String

    @Option(help: "The clock's start (ISO-8601).")
    var start = "2025-01-01T00:00:00Z"

    @Option(help: "Seed for event ids and scripted failures.")
    var seed: UInt64 = 1

    func run() throws {
        let startInstant: Instant
        do { startInstant = try Instant(iso8601: start) } catch { throw ValidationError("--start: \(error)") }
        let clock = ManualClock(start: startInstant)
        let router = Router(clock: clock, configuration: .init(seed: seed))
        router.recordOutcomes(true)
        router.attachSimulators(seed: seed)
        var saved: [String: String] = [:]
        var output = Output()
        var failures = 0
        let input = try Input(script)
        for line in input where !line.isBlank {
            let number = line.number
            let step: JSONValue
            do {
                step = Self.substitute(try JSONReader.parse(line.bytes), saved)
            } catch {
                printError("\(script):\(number): not valid JSON: \(error)")
                failures += 1
                continue
            }
            if case .number(let seconds)? = step["advance"] {
                guard seconds.value.isFinite, seconds.value >= 0, seconds.value <= 1e15 else {
                    printError("\(script):\(number): \"advance\" must be a number of seconds between 0 and 1e15")
                    failures += 1
                    continue
                }
                router.advance(by: Int64(seconds.value.rounded(.down)))
            } else if case .string(let text)? = step["at"] {
                guard let target = try? Instant(iso8601: text) else {
                    printError("\(script):\(number): \"at\" is not an ISO-8601 instant")
                    failures += 1
                    continue
                }
                let now = clock.now()
                guard target.secondsSince1970 >= now.secondsSince1970 else {
                    printError("\(script):\(number): \"at\" \(text) is before the clock's time, \(now.iso8601) (the clock only moves forward)")
                    failures += 1
                    continue
                }
                router.advance(by: target.secondsSince1970 - now.secondsSince1970)
            } else if case .string(let operation)? = step["call"] {
                var service = "events", account = "123456789012", region = "us-east-1"
                if case .string(let value)? = step["service"] { service = value }
                if case .string(let value)? = step["account"] { account = value }
                if case .string(let value)? = step["region"] { region = value }
                let params = step["params"] ?? .object(JSONObject())
                do {
                    let response = try router.call(service: service, operation: operation, account: account, region: region, params: params)
                    output.line(JSONValue.object(JSONObject([("call", .string(operation)), ("response", response)])).jsonText)
                    if case .object(let names)? = step["save"] {
                        for (name, path) in names.members {
                            guard case .string(let path) = path, let value = Self.lookup(response, path) else {
                                printError("\(script):\(number): nothing to save at \(path.jsonText)")
                                failures += 1
                                continue
                            }
                            if case .string(let text) = value { saved[name] = text } else { saved[name] = value.jsonText }
                        }
                    }
                } catch {
                    output.line(JSONValue.object(JSONObject([
                        ("call", .string(operation)),
                        ("error", .object(JSONObject([("code", .string(error.code)), ("message", .string(error.message))]))),
                    ])).jsonText)
                }
                router.runUntilIdle()
            } else {
                printError("\(script):\(number): a line needs \"call\", \"advance\" or \"at\"")
                failures += 1
                continue
            }
            for outcome in router.drainOutcomes() where outcome.kind != .retry {
                output.line(Self.outcomeJSON(outcome).jsonText)
            }
        }
        output.flush()
        try input.finish()
        if failures > 0 { throw ExitCode(1) }
    }

    static func outcomeJSON(_ outcome: DeliveryOutcome) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("target", .string(outcome.targetArn)), ("rule", .string(outcome.ruleArn)), ("input", outcome.input.reportValue),
            ("attempt", .number(JSONNumber(Double(outcome.attempt)))), ("time", .string(outcome.time.iso8601)),
        ]
        if let dlq = outcome.dlqArn { members.append(("dlq", .string(dlq))) }
        if let error = outcome.error {
            members.append(("error", .object(JSONObject([("code", .string(error.code)), ("message", .string(error.message))]))))
        }
        return .object(JSONObject([(outcome.kind.rawValue, .object(JSONObject(members)))]))
    }

    /// Replaces `${name}` in every string of `value`.
    static func substitute(_ value: JSONValue, _ saved: [String: String]) -> JSONValue {
        switch value {
        case .string(let text):
            guard text.contains("${") else { return value }
            var result = text
            for (name, replacement) in saved { result = result.replacingOccurrences(of: "${\(name)}", with: replacement) }
            return .string(result)
        case .array(let elements):
            return .array(elements.map { substitute($0, saved) })
        case .object(let object):
            return .object(JSONObject(object.members.map { (substitute(.string($0.key), saved).stringValue ?? $0.key, substitute($0.value, saved)) }))
        default:
            return value
        }
    }

    /// A dot path (`TargetGroups.0.TargetGroupArn`) into a response.
    static func lookup(_ value: JSONValue, _ path: String) -> JSONValue? {
        var current = value
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            if let index = Int(part), case .array = current {
                guard let next = current[index] else { return nil }
                current = next
            } else {
                guard let next = current[String(part)] else { return nil }
                current = next
            }
        }
        return current
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
