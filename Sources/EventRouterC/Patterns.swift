import CEventRouter
import EventPatterns

@c @implementation
public func evr_pattern_validate(_ pattern: UnsafePointer<CChar>?, _ patternLength: Int,
                                 _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        let text = try inputString(pattern, patternLength, "pattern")
        if let error = EventPattern.validate(text) { throw Failure(error) }
    }
}

@c @implementation
public func evr_pattern_test(_ outMatch: UnsafeMutablePointer<Int32>?,
                             _ pattern: UnsafePointer<CChar>?, _ patternLength: Int,
                             _ event: UnsafePointer<CChar>?, _ eventLength: Int,
                             _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        guard let outMatch else { throw .argument("out_match is NULL") }
        let text = try inputString(pattern, patternLength, "pattern")
        let bytes = try inputBytes(event, eventLength, "event")
        try checkUTF8(bytes, "event")
        let compiled: EventPattern
        do throws(PatternError) { compiled = try EventPattern(json: text) } catch { throw Failure(error) }
        do throws(JSONError) {
            outMatch.pointee = try compiled.matches(bytes) ? 1 : 0
        } catch {
            throw Failure(error)
        }
    }
}

// MARK: - Pattern tools

/// A pattern for the tools, with AWS's message when it is invalid.
private func toolPattern(_ pointer: UnsafePointer<CChar>?, _ length: Int) throws(Failure) -> EventPattern {
    let text = try inputString(pointer, length, "pattern")
    do throws(PatternError) { return try EventPattern(json: text) } catch { throw Failure(error) }
}

/// A JSON document argument.
private func toolJSON(_ pointer: UnsafePointer<CChar>?, _ length: Int, _ what: StaticString) throws(Failure) -> JSONValue {
    let bytes = try inputBytes(pointer, length, what)
    try checkUTF8(bytes, what)
    do throws(JSONError) { return try JSONReader.parse(Array(bytes)) } catch { throw Failure(error, what: "\(what)") }
}

@c @implementation
public func evr_pattern_explain(_ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ outLength: UnsafeMutablePointer<Int>?,
                                _ pattern: UnsafePointer<CChar>?, _ patternLength: Int,
                                _ event: UnsafePointer<CChar>?, _ eventLength: Int,
                                _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    outJSON?.pointee = nil
    return boundary(err) { () throws(Failure) in
        let compiled = try toolPattern(pattern, patternLength)
        let value = try toolJSON(event, eventLength, "event")
        guard case .object = value else { throw Failure(EVR_E_JSON, "notAnObject", "the event must be a JSON object") }
        let explanation: PatternExplanation
        do throws(JSONError) { explanation = try compiled.explain(value) } catch { throw Failure(error) }
        guard case .object(var object) = explanation.json else { throw Failure(EVR_E_INTERNAL, "internal", "explanation is not an object") }
        object["text"] = .string(explanation.text)
        try returnString(JSONValue.object(object).jsonText, outJSON, outLength)
    }
}

@c @implementation
public func evr_pattern_examples(_ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ outLength: UnsafeMutablePointer<Int>?,
                                 _ pattern: UnsafePointer<CChar>?, _ patternLength: Int, _ count: Int, _ seed: UInt64,
                                 _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    outJSON?.pointee = nil
    return boundary(err) { () throws(Failure) in
        let compiled = try toolPattern(pattern, patternLength)
        guard count >= 0, count <= 10_000 else { throw .argument("count must be at most 10000") }
        var generator = SplitMix64(seed: seed)
        let examples = compiled.examples(count: count, using: &generator).map { example in
            JSONValue.object(JSONObject([("event", example.event), ("match", .bool(example.matches)), ("why", .string(example.why))]))
        }
        try returnString(JSONValue.array(examples).jsonText, outJSON, outLength)
    }
}

@c @implementation
public func evr_pattern_edges(_ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ outLength: UnsafeMutablePointer<Int>?,
                              _ pattern: UnsafePointer<CChar>?, _ patternLength: Int,
                              _ events: UnsafePointer<CChar>?, _ eventsLength: Int, _ runs: Int, _ seed: UInt64,
                              _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    outJSON?.pointee = nil
    return boundary(err) { () throws(Failure) in
        let compiled = try toolPattern(pattern, patternLength)
        guard runs >= 0, runs <= 1_000_000 else { throw .argument("runs must be at most 1000000") }
        var seeds: [JSONValue] = []
        if events != nil {
            guard case .array(let list) = try toolJSON(events, eventsLength, "events"),
                  list.allSatisfy({ if case .object = $0 { return true } else { return false } }) else {
                throw Failure(EVR_E_JSON, "notAnArray", "events must be a JSON array of event objects")
            }
            seeds = list
        }
        var generator = SplitMix64(seed: seed)
        let report = compiled.edges(seedEvents: seeds, runs: runs, using: &generator)
        let summary = report.summaryJSON["summary"] ?? .null
        let result = JSONValue.object(JSONObject([("edges", .array(report.edges.map(\.json))), ("summary", summary)]))
        try returnString(result.jsonText, outJSON, outLength)
    }
}

@c @implementation
public func evr_patterns_overlap(_ outJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ outLength: UnsafeMutablePointer<Int>?,
                                 _ rules: UnsafePointer<CChar>?, _ rulesLength: Int, _ witnesses: Int, _ seed: UInt64,
                                 _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    outJSON?.pointee = nil
    return boundary(err) { () throws(Failure) in
        guard witnesses >= 0, witnesses <= 1000 else { throw .argument("witnesses must be at most 1000") }
        guard case .object(let object) = try toolJSON(rules, rulesLength, "rules") else {
            throw Failure(EVR_E_JSON, "notAnObject", "rules must be a JSON object of rule name -> pattern")
        }
        var compiled: [(name: String, pattern: EventPattern)] = []
        for member in object.members {
            let text: String
            if case .string(let raw) = member.value { text = raw } else { text = member.value.jsonText }
            do throws(PatternError) {
                compiled.append((member.key, try EventPattern(json: text)))
            } catch {
                var failure = Failure(error)
                failure.message = "rule \(member.key): \(error.message)"
                throw failure
            }
        }
        var generator = SplitMix64(seed: seed)
        let overlaps = PatternOverlap.analyze(compiled, witnesses: witnesses == 0 ? 12 : witnesses, using: &generator)
        try returnString(JSONValue.array(overlaps.map(\.json)).jsonText, outJSON, outLength)
    }
}
