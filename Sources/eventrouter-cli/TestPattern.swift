import ArgumentParser
import EventPatterns

/// `eventrouter test-pattern`: the batch form of EventBridge's TestEventPattern.
struct TestPattern: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-pattern",
        abstract: "Test patterns against events, one JSON line each.",
        discussion: """
        Reads JSON Lines {"pattern": P, "event": E} from standard input (or FILE) and writes one \
        line per input, in order: {"valid": true|false, "match": true|false|null, "error": "..."|null}.
        A pattern given as a JSON string is the raw pattern text, exactly as EventBridge receives \
        it (it may be malformed on purpose); any other JSON value is the pattern itself. `error` is \
        EventBridge's full message for an invalid pattern ("Event pattern is not valid. Reason: ..."), \
        or says what is wrong with the line or the event; `match` is null whenever it cannot be decided.
        """
    )

    @Argument(help: "A JSON Lines file (default: standard input).")
    var file: String?

    func run() throws {
        var output = Output()
        let input = try Input(file)
        for line in input where !line.isBlank {
            output.line(Self.evaluate(line.bytes))
        }
        output.flush()
        try input.finish()
    }

    static func result(valid: Bool, match: Bool?, error: String?) -> String {
        var text = "{\"valid\":\(valid),\"match\":"
        text += match.map { $0 ? "true" : "false" } ?? "null"
        text += ",\"error\":"
        if let error { JSONValue.writeString(error, to: &text) } else { text += "null" }
        return text + "}"
    }

    static func evaluate(_ line: [UInt8]) -> String {
        let input: JSONValue
        do {
            input = try JSONReader.parse(line)
        } catch {
            return result(valid: false, match: nil, error: "input line is not valid JSON: \(error)")
        }
        guard let patternValue = input["pattern"] else {
            return result(valid: false, match: nil, error: "input line has no \"pattern\"")
        }
        let pattern: EventPattern
        do {
            pattern = try EventPattern(json: patternText(patternValue))
        } catch {
            return result(valid: false, match: nil, error: error.message)
        }
        guard let event = input["event"] else {
            return result(valid: true, match: nil, error: "input line has no \"event\"")
        }
        let eventText: String
        if case .string(let text) = event { eventText = text } else { eventText = event.jsonText }
        do {
            return result(valid: true, match: try pattern.matches(eventText), error: nil)
        } catch {
            return result(valid: true, match: nil, error: "event is not valid: \(error)")
        }
    }
}
