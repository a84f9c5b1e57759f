/// Example events for a pattern: ones that match, and near misses that break exactly one field.
///
/// ```swift
/// let pattern = try EventPattern(json: #"{"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}}"#)
/// var generator = SystemRandomNumberGenerator()
/// for example in pattern.examples(count: 4, using: &generator) { print(example.event.jsonText, example.matches, example.why) }
/// ```
///
/// Every example is checked with the matcher before it is returned, so its label is the matcher's
/// verdict: a near miss that would still match (because another alternative or matcher catches it)
/// is not returned.
public struct PatternExample: Sendable {
    public var event: JSONValue
    public var matches: Bool
    public var why: String
}

extension EventPattern {
    /// Up to `count` examples, alternating matching events and near misses.
    public func examples<G: RandomNumberGenerator>(count: Int, using generator: inout G) -> [PatternExample] {
        var results: [PatternExample] = []
        var attempts = 0
        // After 20 failed tries in a row at one kind, the other kind's turn comes (a pattern whose
        // matches the generator cannot make still gets its near misses, and the reverse).
        var failedInARow = 0
        var turn = 0
        while results.count < count && attempts < count * 20 + 20 {
            attempts += 1
            if failedInARow == 20 { turn += 1; failedInARow = 0 }
            failedInARow += 1
            guard let sub = subPatterns.randomElement(using: &generator) else { break }
            let wantMatch = (results.count + turn) % 2 == 0
            var fields: [(path: String, value: JSONValue?)] = []
            var why = "every field satisfied"
            let broken = wantMatch ? -1 : Int.random(in: 0..<max(sub.clauses.count, 1), using: &generator)
            for (index, clause) in sub.clauses.enumerated() {
                guard let matcher = clause.matchers.randomElement(using: &generator) else { continue }
                if index == broken {
                    let miss = Self.missValue(for: clause, using: &generator)
                    fields.append((clause.path, miss.value))
                    why = "\(clause.path) broken: \(miss.how)"
                } else {
                    fields.append((clause.path, Self.hitValue(for: matcher, using: &generator)))
                }
            }
            if fields.isEmpty { continue }
            let event = Self.event(from: fields)
            guard let verdict = try? matches(event.jsonText) else { continue }
            if verdict != wantMatch { continue }
            results.append(PatternExample(event: event, matches: verdict, why: why))
            failedInARow = 0
        }
        return results
    }

    /// Builds an object from dotted paths (nil values are left out).
    static func event(from fields: [(path: String, value: JSONValue?)]) -> JSONValue {
        var root = JSONObject()
        func set(_ object: inout JSONObject, _ parts: ArraySlice<Substring>, _ value: JSONValue) {
            guard let first = parts.first else { return }
            let key = String(first)
            if parts.count == 1 { object[key] = value; return }
            var child: JSONObject
            if case .object(let existing)? = object[key] { child = existing } else { child = JSONObject() }
            set(&child, parts.dropFirst(), value)
            object[key] = .object(child)
        }
        for (path, value) in fields {
            guard let value else { continue }
            set(&root, path.split(separator: ".", omittingEmptySubsequences: false)[...], value)
        }
        return .object(root)
    }

    /// The one value an exact matcher accepts (nil for every other matcher).
    static func exactValue(of matcher: PatternMatcher) -> JSONValue? {
        switch matcher {
        case .exactString(let value): return .string(value)
        case .exactNumber(let value): return .number(JSONNumber(value))
        case .exactBool(let flag): return .bool(flag)
        case .exactNull: return .null
        default: return nil
        }
    }

    /// A value `matcher` accepts (nil: the field must be absent).
    static func hitValue<G: RandomNumberGenerator>(for matcher: PatternMatcher, using generator: inout G) -> JSONValue? {
        let filler = ["x", "abc", "7", "Zq"].randomElement(using: &generator) ?? "x"
        switch matcher {
        case .exactString, .exactNumber, .exactBool, .exactNull: return exactValue(of: matcher)
        case .prefix(let value), .prefixIgnoreCase(let value): return .string(value + filler)
        case .suffix(let value), .suffixIgnoreCase(let value): return .string(filler + value)
        case .equalsIgnoreCase(let value): return .string(value.uppercased() == value ? value : value.uppercased())
        case .wildcard(let pattern): return .string(pattern.segments.map { String(decoding: $0, as: UTF8.self) }.joined(separator: filler))
        case .exists(let flag): return flag ? .string(filler) : nil
        case .numeric(let range):
            if let lower = range.lower, let upper = range.upper { return .number(JSONNumber(lower == upper ? lower : (lower + upper) / 2)) }
            if let lower = range.lower { return .number(JSONNumber(lower + 1)) }
            if let upper = range.upper { return .number(JSONNumber(upper - 1)) }
            return .number(JSONNumber(0))
        case .cidr(let block):
            return .string(block.isIPv6 ? Self.ipv6Text(block.low | 1) : Self.ipv4Text(UInt32(truncatingIfNeeded: block.low) | 1))
        case .anythingBut(let exclusion):
            switch exclusion {
            case .numbers(let values): return .number(JSONNumber((values.max() ?? 0) + 1))
            default:
                // Mostly a string; sometimes a number, which no string exclusion (not even the
                // wildcard `*`) excludes.
                if Int.random(in: 0..<4, using: &generator) == 0 { return .number(JSONNumber(Double(Int.random(in: 0..<1000, using: &generator)))) }
                return .string("not-excluded-\(filler)")
            }
        }
    }

    /// A value (or absence) no matcher of `clause` accepts, and how it breaks the clause.
    static func missValue<G: RandomNumberGenerator>(for clause: PatternClause, using generator: inout G) -> (value: JSONValue?, how: String) {
        if clause.matchers.contains(.exists(false)) { return (.string("present"), "the field is present") }
        if let matcher = clause.matchers.first {
            switch matcher {
            case .anythingBut(.strings(let values)) where !values.isEmpty: return (.string(values[0]), "an excluded value")
            case .anythingBut(.numbers(let values)) where !values.isEmpty: return (.number(JSONNumber(values[0])), "an excluded value")
            case .numeric, .exactNumber: return (.string("300"), "a number written as a string")
            default: break
            }
        }
        switch Int.random(in: 0..<2, using: &generator) {
        case 0: return (nil, "the field is missing")
        default: return (.string("~no-match~"), "a value no matcher accepts")
        }
    }

    static func ipv4Text(_ value: UInt32) -> String {
        (0..<4).map { String((value >> (24 - 8 * UInt32($0))) & 0xFF) }.joined(separator: ".")
    }

    static func ipv6Text(_ value: UInt128) -> String {
        (0..<8).map { String(UInt16(truncatingIfNeeded: value >> UInt128(112 - 16 * $0)), radix: 16) }.joined(separator: ":")
    }
}
