/// Why an event does or does not match a pattern: per alternative (`$or` expansion) and per field,
/// the event's values at the field's path, which matchers accepted them, and what failed.
///
/// ```swift
/// let pattern = try EventPattern(json: #"{"detail": {"state": [{"anything-but": "running"}]}}"#)
/// let why = try pattern.explain(JSONReader.parse(#"{"detail": {"state": "running"}}"#))
/// why.matches                              // false
/// why.alternatives[0].fields[0].reason     // "anything-but \"running\" excludes \"running\""
/// ```
///
/// Every verdict comes from the same matcher as `matches` (each field, and each matcher, is run as a
/// pattern of its own), so an explanation never disagrees with the answer.
public struct PatternExplanation: Sendable {
    /// One field condition of one alternative.
    public struct Field: Sendable {
        /// The dotted path.
        public var path: String
        /// The event's leaf values at the path (arrays flattened; objects are not values).
        public var values: [JSONValue]
        /// Whether some matcher accepted some value (or `exists: false` held).
        public var satisfied: Bool
        /// The matchers that accepted, described.
        public var matchedBy: [String]
        /// Why the field failed, when it did.
        public var reason: String?
    }

    /// One alternative of the pattern (there is one unless the pattern uses `$or`).
    public struct Alternative: Sendable {
        public var matches: Bool
        public var fields: [Field]
        /// Set when every field holds on its own but not together: the values come from different
        /// elements of one array.
        public var arrayConflict: String?
    }

    public var matches: Bool
    public var alternatives: [Alternative]

    /// A readable, multi-line account.
    public var text: String {
        var lines: [String] = [matches ? "MATCH" : "NO MATCH"]
        for (index, alternative) in alternatives.enumerated() {
            if alternatives.count > 1 {
                lines.append("alternative \(index + 1) of \(alternatives.count): \(alternative.matches ? "matches" : "does not match")")
            }
            for field in alternative.fields {
                let values = field.values.isEmpty ? "(no value)" : field.values.map(\.jsonText).joined(separator: ", ")
                let verdict = field.satisfied ? "✔ " + field.matchedBy.joined(separator: "; ") : "✘ " + (field.reason ?? "")
                lines.append("  \(field.path) = \(values)  \(verdict)")
            }
            if let conflict = alternative.arrayConflict { lines.append("  ✘ \(conflict)") }
        }
        return lines.joined(separator: "\n")
    }

    /// The explanation as JSON.
    public var json: JSONValue {
        .object(JSONObject([
            ("match", .bool(matches)),
            ("alternatives", .array(alternatives.map { alternative in
                var members: [(String, JSONValue)] = [
                    ("match", .bool(alternative.matches)),
                    ("fields", .array(alternative.fields.map { field in
                        .object(JSONObject([
                            ("path", .string(field.path)), ("values", .array(field.values)), ("satisfied", .bool(field.satisfied)),
                            ("matched_by", .array(field.matchedBy.map(JSONValue.string))),
                            ("reason", field.reason.map(JSONValue.string) ?? .null),
                        ]))
                    })),
                ]
                members.append(("array_conflict", alternative.arrayConflict.map(JSONValue.string) ?? .null))
                return .object(JSONObject(members))
            })),
        ]))
    }
}

extension EventPattern {
    /// Explains the pattern's verdict on `event` (see `PatternExplanation`).
    /// - Throws: `JSONError` when the event is not an object or breaks `limits`.
    public func explain(_ event: JSONValue, limits: EventLimits = .default) throws(JSONError) -> PatternExplanation {
        let text = event.jsonText
        let leaves = Self.leaves(of: event)
        var alternatives: [PatternExplanation.Alternative] = []
        for sub in subPatterns {
            var fields: [PatternExplanation.Field] = []
            for clause in sub.clauses {
                let values = leaves.filter { $0.path.utf8.elementsEqual(clause.path.utf8) }.map(\.value)
                let one = EventPattern(validated: [SubPattern(clauses: [clause])])
                let satisfied = try one.matches(text, limits: limits)
                var matchedBy: [String] = []
                for matcher in clause.matchers {
                    let single = EventPattern(validated: [SubPattern(clauses: [PatternClause(path: clause.path, matchers: [matcher])])])
                    if try single.matches(text, limits: limits) { matchedBy.append(matcher.readable) }
                }
                fields.append(PatternExplanation.Field(path: clause.path, values: values, satisfied: satisfied, matchedBy: matchedBy,
                                                       reason: satisfied ? nil : Self.reason(clause, values: values)))
            }
            let matches = try EventPattern(validated: [sub]).matches(text, limits: limits)
            var conflict: String? = nil
            if !matches && fields.allSatisfy(\.satisfied) {
                conflict = "each field holds on its own, but the values that satisfy them come from different elements of one array"
            }
            alternatives.append(PatternExplanation.Alternative(matches: matches, fields: fields, arrayConflict: conflict))
        }
        return PatternExplanation(matches: alternatives.contains { $0.matches }, alternatives: alternatives)
    }

    /// Every (dotted path, leaf) of an event, arrays flattened.
    static func leaves(of value: JSONValue, path: String = "") -> [(path: String, value: JSONValue)] {
        switch value {
        case .object(let object):
            return object.members.flatMap { leaves(of: $0.value, path: path.isEmpty ? $0.key : path + "." + $0.key) }
        case .array(let elements):
            return elements.flatMap { leaves(of: $0, path: path) }
        default:
            return path.isEmpty ? [] : [(path, value)]
        }
    }

    static func reason(_ clause: PatternClause, values: [JSONValue]) -> String {
        if values.isEmpty {
            if clause.matchers.contains(.exists(false)) { return "unexpected: exists: false should hold" }
            return "the event has no value at \(clause.path) (missing, an object, or an empty array)"
        }
        let shown = values.prefix(5).map(\.jsonText).joined(separator: ", ") + (values.count > 5 ? ", …" : "")
        var parts: [String] = []
        for matcher in clause.matchers {
            switch matcher {
            case .exists(false): parts.append("exists: false, but there is a value")
            case .anythingBut: parts.append("\(matcher.readable) excludes \(shown)")
            case .exactNumber, .numeric:
                if values.allSatisfy({ if case .number = $0 { return false } else { return true } }) {
                    parts.append("\(matcher.readable): only JSON numbers match, and \(shown) is not one")
                } else {
                    parts.append("\(matcher.readable) does not hold for \(shown)")
                }
            case .exactString, .prefix, .suffix, .prefixIgnoreCase, .suffixIgnoreCase, .equalsIgnoreCase, .wildcard, .cidr:
                if values.allSatisfy({ if case .string = $0 { return false } else { return true } }) {
                    parts.append("\(matcher.readable): only strings match, and \(shown) is not one")
                } else {
                    parts.append("\(matcher.readable) does not hold for \(shown)")
                }
            default:
                parts.append("\(matcher.readable) does not hold for \(shown)")
            }
        }
        return parts.joined(separator: "; ")
    }
}

extension PatternMatcher {
    /// A short human description: `prefix "eu-"`, `numeric > 0 and <= 5`, `anything-but ["a", "b"]`.
    public var readable: String {
        func quoted(_ text: String) -> String {
            var out = ""
            JSONValue.writeString(text, to: &out)
            return out
        }
        func number(_ value: Double) -> String { JSONNumber(value).text }
        switch self {
        case .exactString(let value): return "equals \(quoted(value))"
        case .exactNumber(let value): return "equals \(number(value))"
        case .exactBool(let value): return "equals \(value)"
        case .exactNull: return "equals null"
        case .prefix(let value): return "prefix \(quoted(value))"
        case .prefixIgnoreCase(let value): return "prefix (ignoring case) \(quoted(value))"
        case .suffix(let value): return "suffix \(quoted(value))"
        case .suffixIgnoreCase(let value): return "suffix (ignoring case) \(quoted(value))"
        case .equalsIgnoreCase(let value): return "equals-ignore-case \(quoted(value))"
        case .wildcard(let pattern): return "wildcard \(quoted(pattern.source))"
        case .numeric(let range): return "numeric \(range)"
        case .exists(let flag): return "exists: \(flag)"
        case .cidr(let block): return "cidr \(block.source)"
        case .anythingBut(let exclusion):
            switch exclusion {
            case .strings(let values): return "anything-but " + (values.count == 1 ? quoted(values[0]) : "[" + values.map(quoted).joined(separator: ", ") + "]")
            case .numbers(let values): return "anything-but [" + values.map(number).joined(separator: ", ") + "]"
            case .prefixes(let values): return "anything-but prefix [" + values.map(quoted).joined(separator: ", ") + "]"
            case .suffixes(let values): return "anything-but suffix [" + values.map(quoted).joined(separator: ", ") + "]"
            case .ignoreCase(let values): return "anything-but equals-ignore-case [" + values.map(quoted).joined(separator: ", ") + "]"
            case .wildcards(let patterns): return "anything-but wildcard [" + patterns.map { quoted($0.source) }.joined(separator: ", ") + "]"
            }
        }
    }
}
