/// A pattern's edges: small changes to an event that flip the pattern's verdict.
///
/// `edges(seedEvents:runs:using:)` takes events (yours, or generated examples), applies small
/// mutations to the fields the pattern reads — change of case, `300` → `300.0`, `300` → `"300"`,
/// wrapping a value in an array, writing `{"a": {"b": 1}}` as `{"a.b": 1}`, a trailing space, a
/// decomposed accent, a missing field, `null`… — and reports every mutation after which the
/// matcher's verdict differs. Each report names the rule of the pattern language behind it, so the
/// author learns what the pattern really accepts before deploying it.
///
/// ```swift
/// let pattern = try EventPattern(json: #"{"detail": {"state": ["running"]}}"#)
/// var generator = SystemRandomNumberGenerator()
/// let report = pattern.edges(seedEvents: [], runs: 500, using: &generator)
/// for edge in report.edges { print(edge.path, edge.mutation, edge.note) }
/// // detail.state case  string values compare exactly, case included: "running" is not "RUNNING" …
/// ```
///
/// Both verdicts of every edge come from the matcher itself (never from a model of it).
public struct PatternEdge: Sendable {
    /// The dotted path of the mutated field.
    public var path: String
    /// The kind of mutation (`case`, `number-format`, `number-as-string`, `string-as-number`,
    /// `wrap-in-array`, `unwrap-array`, `add-array-element`, `dotted-key`, `whitespace`,
    /// `unicode-form`, `extend`, `truncate`, `empty-string`, `neighbour`, `bool-as-string`, `null`,
    /// `remove`, `ip-format`).
    public var mutation: String
    /// The value before and after (nil: the field is absent).
    public var original: JSONValue?
    public var mutated: JSONValue?
    /// The matcher's verdicts on the event before and after the mutation.
    public var matchedBefore: Bool
    public var matchedAfter: Bool
    /// The mutated event.
    public var event: JSONValue
    /// The rule of the pattern language that explains the flip.
    public var note: String

    /// A JSON object: `{"path", "mutation", "from", "to", "before", "after", "note", "event"}`
    /// (`from`/`to` are omitted when the field is absent).
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [("path", .string(path)), ("mutation", .string(mutation))]
        if let original { members.append(("from", original)) }
        if let mutated { members.append(("to", mutated)) }
        members.append(contentsOf: [("before", .bool(matchedBefore)), ("after", .bool(matchedAfter)), ("note", .string(note)),
                                    ("event", event)])
        return .object(JSONObject(members))
    }
}

/// What `EventPattern.edges` found.
public struct PatternEdgeReport: Sendable {
    /// Distinct edges (one per path, mutation and direction), in the order found.
    public var edges: [PatternEdge]
    /// Mutated events evaluated.
    public var runs: Int
    /// Events the mutations started from.
    public var seedEvents: Int
    /// Evaluations whose verdict flipped (duplicates included).
    public var flips: Int

    /// `{"summary": {"runs", "seed_events", "flips", "distinct_edges"}}`
    public var summaryJSON: JSONValue {
        let summary = JSONObject([
            ("runs", .number(JSONNumber(Double(runs)))), ("seed_events", .number(JSONNumber(Double(seedEvents)))),
            ("flips", .number(JSONNumber(Double(flips)))), ("distinct_edges", .number(JSONNumber(Double(edges.count)))),
        ])
        return .object(JSONObject([("summary", .object(summary))]))
    }
}

extension EventPattern {
    /// Mutates `seedEvents` (or, when empty, 16 generated examples — matches and near misses) at the
    /// fields the pattern reads and reports the mutations that flip the verdict.
    /// - Parameters:
    ///   - seedEvents: JSON objects to start from; other values are ignored.
    ///   - runs: the most mutated events to evaluate (all candidate mutations are shuffled, then the
    ///     first `runs` are tried).
    /// - Complexity: O(runs × event size).
    public func edges<G: RandomNumberGenerator>(seedEvents: [JSONValue], runs: Int, using generator: inout G) -> PatternEdgeReport {
        var seeds = seedEvents.filter { if case .object = $0 { return true } else { return false } }
        if seeds.isEmpty { seeds = examples(count: 16, using: &generator).map(\.event) }
        let paths = Set(fieldPaths)
        var prefixes = Set<String>()
        for path in paths {
            var current = ""
            for part in path.split(separator: ".", omittingEmptySubsequences: false) {
                current = current.isEmpty ? String(part) : current + "." + part
                prefixes.insert(current)
            }
        }
        var candidates: [(seed: Int, mutation: _EdgeMutation)] = []
        var verdicts: [Bool] = []
        for (index, seed) in seeds.enumerated() {
            verdicts.append((try? matches(seed.jsonText)) ?? false)
            for mutation in _EdgeMutation.all(in: seed, relevant: prefixes) { candidates.append((index, mutation)) }
        }
        candidates.shuffle(using: &generator)
        var report = PatternEdgeReport(edges: [], runs: 0, seedEvents: seeds.count, flips: 0)
        var seen = Set<String>()
        for candidate in candidates.prefix(max(runs, 0)) {
            let before = verdicts[candidate.seed]
            guard let event = candidate.mutation.apply(to: seeds[candidate.seed]) else { continue }
            report.runs += 1
            guard let after = try? matches(event.jsonText), after != before else { continue }
            report.flips += 1
            let mutation = candidate.mutation
            let key = mutation.path + "\u{0}" + mutation.kind + (before ? "+" : "-")
            guard seen.insert(key).inserted else { continue }
            report.edges.append(PatternEdge(path: mutation.path, mutation: mutation.kind, original: mutation.original, mutated: mutation.replacement,
                                            matchedBefore: before, matchedAfter: after, event: event,
                                            note: mutation.note(matchedBefore: before)))
        }
        return report
    }
}

/// One mutation of one event: where, what it replaces, and what with.
struct _EdgeMutation {
    enum Step { case key(String), index(Int) }

    var steps: [Step]
    var path: String
    var kind: String
    var original: JSONValue?
    /// nil: remove the field (for `dotted-key`, the value moved).
    var replacement: JSONValue?

    /// Every mutation of `event` at paths in `relevant` (the pattern's paths and their ancestors).
    static func all(in event: JSONValue, relevant: Set<String>) -> [_EdgeMutation] {
        var result: [_EdgeMutation] = []
        func visit(_ value: JSONValue, steps: [Step], path: String, parentIsArray: Bool) {
            if !path.isEmpty && !relevant.contains(path) { return }
            if !path.isEmpty { result.append(contentsOf: mutations(of: value, steps: steps, path: path, parentIsArray: parentIsArray)) }
            switch value {
            case .object(let object):
                for member in object.members {
                    visit(member.value, steps: steps + [.key(member.key)], path: path.isEmpty ? member.key : path + "." + member.key,
                          parentIsArray: false)
                }
            case .array(let elements):
                for (index, element) in elements.enumerated() {
                    visit(element, steps: steps + [.index(index)], path: path, parentIsArray: true)
                }
            default:
                break
            }
        }
        visit(event, steps: [], path: "", parentIsArray: false)
        return result
    }

    static func mutations(of value: JSONValue, steps: [Step], path: String, parentIsArray: Bool) -> [_EdgeMutation] {
        var out: [_EdgeMutation] = []
        func add(_ kind: String, _ replacement: JSONValue?) {
            out.append(_EdgeMutation(steps: steps, path: path, kind: kind, original: value, replacement: replacement))
        }
        switch value {
        case .string(let text):
            let upper = text.uppercased(), lower = text.lowercased()
            if upper != text { add("case", .string(upper)) } else if lower != text { add("case", .string(lower)) }
            add("whitespace", .string(text + " "))
            add("extend", .string(text + "x"))
            add("extend", .string("x" + text))
            if text.count > 1 { add("truncate", .string(String(text.dropLast()))) }
            if !text.isEmpty { add("empty-string", .string("")) }
            if let number = try? JSONReader.parse(text), case .number = number { add("string-as-number", number) }
            if text == "true" || text == "false" { add("bool-as-string", .bool(text == "true")) }
            if let decomposed = _decomposed(text) { add("unicode-form", .string(decomposed)) }
            if let widened = _ipWithLeadingZero(text) { add("ip-format", .string(widened)) }
        case .number(let number):
            for text in _sameValueTexts(number.text) { add("number-format", .number(JSONNumber(text: text, value: number.value))) }
            add("number-as-string", .string(number.text))
            if number.value.magnitude < 1e15 {
                add("neighbour", .number(JSONNumber(number.value + 1)))
                add("neighbour", .number(JSONNumber(number.value - 1)))
            }
        case .bool(let flag):
            add("bool-as-string", .string(flag ? "true" : "false"))
        case .null:
            add("null", .string("null"))
        case .array(let elements):
            if elements.count == 1, let only = elements.first { add("unwrap-array", only) }
            if elements.isEmpty { add("remove", nil) }
        case .object:
            break
        }
        switch value {
        case .array, .object: break
        default:
            add("wrap-in-array", .array([value]))
            add("add-array-element", .array([value, .string("other")]))
        }
        if case .null = value {} else { add("null", .null) }
        if !parentIsArray {
            add("remove", nil)
            // {"a": {"b": v}} written as {"a.b": v}
            if steps.count >= 2, case .key = steps[steps.count - 1], case .key = steps[steps.count - 2] {
                out.append(_EdgeMutation(steps: steps, path: path, kind: "dotted-key", original: value, replacement: value))
            }
        }
        return out
    }

    /// The mutated event, or nil when the location no longer exists.
    func apply(to event: JSONValue) -> JSONValue? {
        if kind == "dotted-key" {
            guard steps.count >= 2, case .key(let inner) = steps[steps.count - 1], case .key(let outer) = steps[steps.count - 2] else {
                return nil
            }
            let parentSteps = Array(steps.dropLast(2))
            return Self.update(event, parentSteps[...]) { (container: JSONValue) -> JSONValue? in
                guard case .object(var object) = container, case .object(var middle)? = object[outer], let moved = middle[inner] else { return nil }
                middle[inner] = nil
                object[outer] = middle.isEmpty ? nil : .object(middle)
                object[outer + "." + inner] = moved
                return .object(object)
            }
        }
        return Self.update(event, steps[...]) { _ in replacement }
    }

    /// Replaces the value at `steps` with `change(value)`; a nil result removes an object member.
    static func update(_ value: JSONValue, _ steps: ArraySlice<Step>, _ change: (JSONValue) -> JSONValue?) -> JSONValue? {
        guard let first = steps.first else { return change(value) }
        let rest = steps.dropFirst()
        switch (first, value) {
        case (.key(let key), .object(var object)):
            guard let child = object[key] else { return nil }
            if rest.isEmpty {
                object[key] = change(child)
            } else {
                guard let updated = update(child, rest, change) else { return nil }
                object[key] = updated
            }
            return .object(object)
        case (.index(let index), .array(var elements)):
            guard elements.indices.contains(index) else { return nil }
            if rest.isEmpty {
                guard let replaced = change(elements[index]) else { return nil }
                elements[index] = replaced
            } else {
                guard let updated = update(elements[index], rest, change) else { return nil }
                elements[index] = updated
            }
            return .array(elements)
        default:
            return nil
        }
    }

    /// Why the verdict flipped, in terms of the pattern language.
    func note(matchedBefore before: Bool) -> String {
        let from = original.map(\.jsonText) ?? "(absent)"
        let to = replacement.map(\.jsonText) ?? "(absent)"
        switch kind {
        case "case":
            return "string values compare exactly, case included: \(from) is not \(to) (use equals-ignore-case, or prefix/suffix with equals-ignore-case, to ignore case)"
        case "whitespace":
            return "values compare exactly: a trailing space makes \(to) a different value from \(from)"
        case "extend", "truncate":
            return before
                ? "the pattern accepts \(from) but not \(to): exact values must equal the whole string, and prefix/suffix/wildcard fix which ends may change"
                : "the pattern accepts \(to) but not \(from): a prefix, suffix or wildcard reaches exactly this far"
        case "empty-string":
            return "the empty string is a present value like any other: it exists, but equals no non-empty value"
        case "string-as-number", "number-as-string":
            return "a JSON string never equals a JSON number: \(from) and \(to) are different values (numeric and exact-number matching need a number)"
        case "number-format":
            return "numbers compare by value: \(from) and \(to) are the same number, yet the verdict changed — please report this"
        case "neighbour":
            return "a numeric bound or exact number lies between \(from) and \(to)"
        case "bool-as-string":
            return "true and \"true\" are different values: booleans match only [true]/[false], strings only strings"
        case "null":
            return before
                ? "null is a value of its own: it matches only [null], exists: true, and anything-but of non-null values"
                : "the pattern accepts null here (a [null] value)"
        case "remove":
            return before
                ? "the pattern needs this field: every condition except exists: false requires a value"
                : "the pattern matches when this field is absent (exists: false, or a value that the removed one broke)"
        case "wrap-in-array", "add-array-element":
            return "a field holding an array matches when any one element matches" + (before ? "; here the added element or the array breaks it (anything-but or exists: false, or an element type)" : "")
        case "unwrap-array":
            return "an array matches when any element does; a single value is compared as itself"
        case "dotted-key":
            return "writing the nested keys of \(path) as one dotted key changed the verdict: the dotted form does not reach the pattern's path the same way here"
        case "unicode-form":
            return "strings compare byte for byte, without Unicode normalization: a precomposed accent and a combining one are different strings"
        case "ip-format":
            return "cidr accepts only canonical addresses: an octet with a leading zero is not an IPv4 address"
        default:
            return "the verdict changed"
        }
    }
}

/// Other spellings of the same number: `300` → `300.0`, `3e2`; `1.5` → `1.50`, `15e-1`.
func _sameValueTexts(_ text: String) -> [String] {
    var out: [String] = []
    let lower = text.lowercased()
    if !lower.contains("e") {
        if lower.contains(".") { out.append(text + "0") } else { out.append(text + ".0") }
        out.append(text + "e0")
    } else {
        out.append(text.uppercased())
    }
    return out
}

/// A decomposed form of the first precomposed Latin letter in `text` (é → e + U+0301), if any.
func _decomposed(_ text: String) -> String? {
    let table: [Character: (Character, Unicode.Scalar)] = [
        "é": ("e", "\u{0301}"), "è": ("e", "\u{0300}"), "ê": ("e", "\u{0302}"), "ë": ("e", "\u{0308}"),
        "á": ("a", "\u{0301}"), "à": ("a", "\u{0300}"), "â": ("a", "\u{0302}"), "ä": ("a", "\u{0308}"),
        "í": ("i", "\u{0301}"), "ó": ("o", "\u{0301}"), "ö": ("o", "\u{0308}"), "ú": ("u", "\u{0301}"),
        "ü": ("u", "\u{0308}"), "ñ": ("n", "\u{0303}"), "ç": ("c", "\u{0327}"),
        "É": ("E", "\u{0301}"), "Ö": ("O", "\u{0308}"), "Ü": ("U", "\u{0308}"), "Å": ("A", "\u{030A}"), "å": ("a", "\u{030A}"),
    ]
    var scalars = String.UnicodeScalarView()
    var changed = false
    for character in text {
        if !changed, let (base, mark) = table[character] {
            scalars.append(contentsOf: base.unicodeScalars)
            scalars.append(mark)
            changed = true
        } else {
            scalars.append(contentsOf: character.unicodeScalars)
        }
    }
    return changed ? String(scalars) : nil
}

/// `10.0.0.1` → `10.0.0.01` (an IPv4 address with a leading zero in its last octet).
func _ipWithLeadingZero(_ text: String) -> String? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
          let last = parts.last else { return nil }
    return parts.dropLast().joined(separator: ".") + ".0" + last
}
