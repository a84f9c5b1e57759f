import CEventRouter
import EventPatterns
import EventRouterC
import PatternTestSupport
import Testing

/// The pattern tools through the C API: explain, examples, edges and overlap.
@Suite struct CPatternToolsTests {
    /// Runs a tool call and returns its status, parsed JSON output (nil on failure) and error.
    func tool(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, UnsafeMutablePointer<Int>, UnsafeMutablePointer<evr_error>) -> evr_status)
        -> (status: evr_status, json: JSONValue?, code: String, message: String) {
        var out: UnsafeMutablePointer<CChar>? = nil
        var length = -1
        var err = evr_error()
        let status = body(&out, &length, &err)
        var json: JSONValue? = nil
        if let out {
            let text = String(cString: out)
            #expect(text.utf8.count == length)
            json = try? JSONReader.parse(text)
            evr_string_free(out)
        }
        let code = withUnsafeBytes(of: &err.code) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        let message = withUnsafeBytes(of: &err.message) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        return (status, json, code, message)
    }

    @Test func explainNamesTheFailingField() {
        let pattern = #"{"detail": {"total": [{"numeric": [">", 100]}], "state": ["paid"]}}"#
        let event = #"{"detail": {"total": "300", "state": "paid"}}"#
        let result = tool { evr_pattern_explain($0, $1, pattern, pattern.utf8.count, event, event.utf8.count, $2) }
        #expect(result.status == EVR_OK)
        #expect(result.json?["match"] == .bool(false))
        guard case .array(let fields)? = result.json?["alternatives"]?[0]?["fields"] else { Issue.record("no fields"); return }
        let total = fields.first { $0["path"] == .string("detail.total") }
        let state = fields.first { $0["path"] == .string("detail.state") }
        #expect(total?["satisfied"] == .bool(false))
        #expect(total?["reason"] == .string(#"numeric > 100: only JSON numbers match, and "300" is not one"#))
        #expect(state?["satisfied"] == .bool(true) && state?["matched_by"] == .array([.string(#"equals "paid""#)]))
        if case .string(let text)? = result.json?["text"] { #expect(text.contains("detail.total")) } else { Issue.record("no text") }
        let bad = tool { evr_pattern_explain($0, $1, pattern, pattern.utf8.count, "[1]", 3, $2) }
        #expect(bad.status == EVR_E_JSON && bad.json == nil)
        let badPattern = tool { evr_pattern_explain($0, $1, #"{"a": 1}"#, EVR_NTS_VALUE, event, event.utf8.count, $2) }
        #expect(badPattern.status == EVR_E_PATTERN && badPattern.message.hasPrefix("Event pattern is not valid."))
    }

    @Test func examplesAreLabelledByAnIndependentMatcherAndSeeded() throws {
        let pattern = #"{"source": ["shop"], "detail": {"tier": [{"anything-but": "free"}]}}"#
        let first = tool { evr_pattern_examples($0, $1, pattern, pattern.utf8.count, 8, 42, $2) }
        let again = tool { evr_pattern_examples($0, $1, pattern, pattern.utf8.count, 8, 42, $2) }
        #expect(first.status == EVR_OK && first.json == again.json)
        guard case .array(let examples)? = first.json else { Issue.record("not an array"); return }
        #expect(examples.count == 8)
        let reference = try JSONReader.parse(pattern)
        for example in examples {
            guard let event = example["event"], case .bool(let label)? = example["match"] else { Issue.record("\(example)"); continue }
            #expect(ReferenceMatcher.matches(pattern: reference, event: event) == label)
        }
        #expect(tool { evr_pattern_examples($0, $1, pattern, pattern.utf8.count, 10_001, 1, $2) }.status == EVR_E_ARGUMENT)
    }

    @Test func edgesFromGivenEvents() throws {
        let pattern = #"{"n": [300]}"#
        let events = #"[{"n": 300}]"#
        let result = tool { evr_pattern_edges($0, $1, pattern, pattern.utf8.count, events, events.utf8.count, 200, 1, $2) }
        #expect(result.status == EVR_OK)
        guard case .array(let edges)? = result.json?["edges"] else { Issue.record("no edges"); return }
        #expect(edges.contains { $0["mutation"] == .string("number-as-string") })
        #expect(!edges.contains { $0["mutation"] == .string("number-format") })
        #expect(result.json?["summary"]?["seed_events"] == .number(JSONNumber(1)))
        let generated = tool { evr_pattern_edges($0, $1, pattern, pattern.utf8.count, nil, 0, 100, 1, $2) }
        #expect(generated.json?["summary"]?["seed_events"] == .number(JSONNumber(16)))
        let notObjects = tool { evr_pattern_edges($0, $1, pattern, pattern.utf8.count, "[1, 2]", 6, 10, 1, $2) }
        #expect(notObjects.status == EVR_E_JSON)
    }

    @Test func overlapFindsContainmentAndNamesABadRule() {
        let rules = #"{"all": {"source": ["shop"]}, "big": "{\"source\": [\"shop\"], \"detail\": {\"total\": [{\"numeric\": [\">\", 9]}]}}"}"#
        let result = tool { evr_patterns_overlap($0, $1, rules, rules.utf8.count, 0, 7, $2) }
        #expect(result.status == EVR_OK)
        #expect(result.json?[0]?["kind"] == .string("contains"))
        #expect(result.json?[0]?["outer"] == .string("all") && result.json?[0]?["inner"] == .string("big"))
        let bad = #"{"good": {"a": ["x"]}, "broken": {"a": "x"}}"#
        let failure = tool { evr_patterns_overlap($0, $1, bad, bad.utf8.count, 0, 7, $2) }
        #expect(failure.status == EVR_E_PATTERN && failure.message.hasPrefix("rule broken: Event pattern is not valid."))
        #expect(tool { evr_patterns_overlap($0, $1, "[]", 2, 0, 7, $2) }.status == EVR_E_JSON)
    }
}

/// `EVR_NTS` (`(size_t)-1`) as Swift sees it.
let EVR_NTS_VALUE = -1
