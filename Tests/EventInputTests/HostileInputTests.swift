import EventInput
import EventPatterns
import Testing

/// Invalid input must produce an error, never a trap; valid input must render in bounded time and
/// memory.
@Suite("Hostile input")
struct HostileInputTests {
    @Test("an 8 KB template of placeholders over a large value stops at the output limit")
    func placeholderBomb() throws {
        let big = "\"" + String(repeating: "x", count: 100_000) + "\""
        let event = envelope(detail: #"{"big": \#(big)}"#)
        let template = "{\"a\":[" + Array(repeating: "<b>", count: 2_046).joined(separator: ",") + "]}"
        #expect(template.utf8.count <= 8192)
        let input = transformer([("b", "$.detail.big")], template)
        #expect(input.render(event: event, context: testContext) == .notDelivered(.outputTooLarge))
        // The same in a string template.
        let text = "\"" + String(repeating: "<b>", count: 2_730) + "\""
        #expect(transformer([("b", "$.detail.big")], text).render(event: event, context: testContext) == .notDelivered(.outputTooLarge))
        // And with the whole event.
        let whole = "{\"a\":[" + Array(repeating: "<aws.events.event.json>", count: 340).joined(separator: ",") + "]}"
        #expect(transformer([], whole).render(event: event, context: testContext) == .notDelivered(.outputTooLarge))
    }

    @Test("an 8 KB template of small placeholders renders")
    func manyPlaceholders() throws {
        let template = "\"" + String(repeating: "<b>", count: 2_730) + "\""
        let outcome = transformer([("b", "$.detail.v")], template).render(event: envelope(detail: #"{"v": 7}"#), context: testContext)
        #expect(outcome.text == "\"" + String(repeating: "7", count: 2_730) + "\"")
        let limits = RenderLimits(maxOutputBytes: 100)
        #expect(transformer([("b", "$.detail.v")], template).render(event: envelope(detail: #"{"v": 7}"#), context: testContext, limits: limits)
                == .notDelivered(.outputTooLarge))
    }

    @Test("the output limit applies to every kind of input")
    func outputLimit() throws {
        let event = envelope(detail: #"{"v": "0123456789"}"#)
        let tight = RenderLimits(maxOutputBytes: 12)
        #expect(TargetInput.event.render(event: event, context: testContext, limits: tight) == .notDelivered(.outputTooLarge))
        let path = try TargetInput(targetID: "t", members: .init(inputPath: "$.detail.v"))
        #expect(path.render(event: event, context: testContext, limits: tight).text == #""0123456789""#)   // 12 bytes
        #expect(path.render(event: event, context: testContext, limits: RenderLimits(maxOutputBytes: 11)) == .notDelivered(.outputTooLarge))
        let constant = try TargetInput(targetID: "t", members: .init(input: #"{"a": "0123456789"}"#))
        #expect(constant.render(event: event, context: testContext, limits: tight) == .notDelivered(.outputTooLarge))
    }

    /// An event nested `depth` arrays deep under `detail.deep`, built without recursion.
    static func deepEvent(depth: Int) -> JSONValue {
        var value = JSONValue.number(JSONNumber(1))
        for _ in 0..<depth { value = .array([value]) }
        return envelope(detail: "{}", extra: []).replacingDetail(with: object([("deep", value)]))
    }

    @Test("deep events: whole-event and path rendering do not recurse")
    func deepEvent() throws {
        let depth = 3_000
        let event = HostileInputTests.deepEvent(depth: depth)
        let whole = TargetInput.event.render(event: event, context: testContext)
        #expect(whole.text?.utf8.count ?? 0 > 2 * depth)
        let path = try TargetInput(targetID: "t", members: .init(inputPath: "$.detail.deep" + String(repeating: "[0]", count: 80)))
        #expect(path.render(event: event, context: testContext).text?.hasPrefix("[[[") == true)
        // A JSON template reads its output back, so a value deeper than the limit is not delivered.
        let template = transformer([("d", "$.detail.deep")], #"{"d": <d>}"#)
        #expect(template.render(event: event, context: testContext) == .notDelivered(.outputTooDeep))
        // In a string template the value is text: delivered.
        let text = transformer([("d", "$.detail.deep")], #""<d>""#).render(event: event, context: testContext)
        #expect(text.json?.typeName == "string")   // quotes stripped: one JSON string
    }

    @Test("a template nested 256 deep holding a value nested 255 deep is read back")
    func deepestReadBack() throws {
        let event = HostileInputTests.deepEvent(depth: 255)
        let template = String(repeating: "{\"a\":", count: 255) + "{\"d\": <d>}" + String(repeating: "}", count: 255)
        let outcome = transformer([("d", "$.detail.deep")], template).render(event: event, context: testContext)
        #expect(outcome.json != nil)
        let deeper = transformer([("d", "$.detail.deep")], template).render(event: HostileInputTests.deepEvent(depth: 257), context: testContext)
        #expect(deeper == .notDelivered(.outputTooDeep))
    }

    @Test("random templates validate or fail cleanly, and what validates renders")
    func randomTemplates() {
        var rng = SplitMix64(seed: 7)
        let pieces = ["{", "}", "[", "]", "\"", "\\", "\\\"", ":", ",", " ", "\n", "<", ">", "<a>", "<b>", "<m>", "<aws.events.event>",
                      "<aws.events.event.json>", "<aws.events.rule-name>", "<c d>", "x", "1", "null", "\"k\":", "é", "\u{0}", "\t", "\\u00"]
        let event = envelope(detail: #"{"a": "v\"q", "b": {"c": [1, "x"]}}"#)
        var accepted = 0
        for _ in 0..<3_000 {
            var template = Bool.random(using: &rng) ? "{" : "\""
            for _ in 0..<Int.random(in: 0...20, using: &rng) { template += pieces.randomElement(using: &rng) ?? "" }
            if Bool.random(using: &rng) { template += template.hasPrefix("{") ? "}" : "\"" }
            do {
                let input = try TargetInput(targetID: "t", members: .init(inputTransformer: .init(
                    inputPathsMap: [("a", "$.detail.a"), ("b", "$.detail.b"), ("m", "$.detail.missing")], inputTemplate: template)))
                accepted += 1
                switch input.render(event: event, context: testContext) {
                case .delivered(let body):
                    if case .transformer(_, let compiled) = input, compiled.form == .jsonObject { #expect(body.json != nil) }
                case .notDelivered(let reason):
                    #expect(reason == .invalidJSON)
                }
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
        #expect(accepted > 0)
    }

    @Test("random paths parse or fail cleanly, and what parses selects without trapping")
    func randomPaths() {
        var rng = SplitMix64(seed: 11)
        let pieces = ["$", ".", "..", "[", "]", "*", "0", "7", "00", "-1", "'", "\"", "a", "b-c", "/", " ", "\\", "é", "999999999", "[0]", "['x']"]
        let event = envelope(detail: #"{"a": [{"b": [1, 2]}, {"b": {"c": 3}}], "b-c": "x", "x": null}"#)
        var parsed = 0
        for _ in 0..<3_000 {
            var text = Bool.random(using: &rng) ? "$" : ""
            for _ in 0..<Int.random(in: 0...8, using: &rng) { text += pieces.randomElement(using: &rng) ?? "" }
            do {
                let path = try InputPath(text, targetID: "t")
                parsed += 1
                _ = path.select(in: event)
            } catch {
                #expect(error.kind == .invalidInputPath || error.kind == .constraintViolation)
            }
        }
        #expect(parsed > 0)
    }

    @Test("every byte value in a template, a path and an Input is handled")
    func everyByte() {
        for byte in UInt8.min...UInt8.max {
            let character = String(decoding: [byte], as: UTF8.self)
            _ = transformerError([("a", "$.a")], "{\"k\": \"" + character + "<a>\"}")
            _ = transformerError([("a", "$.a")], "\"" + character + "\"")
            _ = try? InputPath("$.a" + character, targetID: "t")
            _ = try? InputConstant("[" + character + "]", targetID: "t")
        }
    }

    @Test("deeply nested Input and huge indices are rejected, not trapped on")
    func deepInput() {
        let deep = String(repeating: "[", count: 4_000) + String(repeating: "]", count: 4_000)
        #expect(throws: TargetInputError.self) { try InputConstant(deep, targetID: "t") }
        #expect(throws: TargetInputError.self) { try InputPath("$[99999999999999999999]", targetID: "t") }
        #expect((try? InputPath("$[999999999]", targetID: "t"))?.select(in: .array([])) == nil)
    }
}

extension JSONValue {
    func replacingDetail(with detail: JSONValue) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object["detail"] = detail
        return .object(object)
    }
}
