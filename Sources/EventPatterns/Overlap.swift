/// Which rules of a set overlap: one rule's matches contain another's, or some event matches both.
///
/// ```swift
/// let report = PatternOverlap.analyze([
///     ("all-orders", try EventPattern(json: #"{"source": ["shop"]}"#)),
///     ("big-orders", try EventPattern(json: #"{"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}}"#)),
/// ], using: &generator)
/// // [contains: all-orders ⊇ big-orders (structural), witness {"source": "shop", "detail": {"total": 101}}]
/// ```
///
/// How it decides:
/// - **Witnesses.** For every rule, matching events are generated (`EventPattern.examples`) and run
///   through one `RuleIndex` of all the rules; an event that two rules match proves that they
///   intersect. Pairs not shown to intersect that way are tried with merged witnesses (one rule's
///   event laid over the other's).
/// - **Containment** is proved structurally: A ⊆ B when every alternative of A has an alternative of
///   B all of whose fields A constrains at least as tightly (each of A's values there is accepted by
///   one of B's conditions: exact values are checked with the matcher itself; prefixes, suffixes,
///   numeric ranges, CIDR blocks, anything-but lists and exists are compared by their sets). The
///   proof is sound, not complete: when it fails but every generated witness of A matches B, the
///   pair is reported as `likely-contains`.
/// - No report for a pair means no witness matched both: they may still intersect in rare events.
public struct PatternOverlap: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Both rules match exactly the same events (proved both ways).
        case equivalent
        /// `outer` matches every event `inner` matches (proved).
        case contains
        /// Every generated witness of `inner` matches `outer`, but no proof was found.
        case likelyContains = "likely-contains"
        /// Some event (the witness) matches both; neither contains the other as far as shown.
        case intersects
    }

    public var kind: Kind
    /// For `contains` and `likely-contains`, the rule whose matches are the larger set.
    public var outer: String
    public var inner: String
    /// An event both rules match (checked with the matcher).
    public var witness: JSONValue

    /// `{"kind", "outer", "inner", "witness"}` (`"rules": [a, b]` instead of outer/inner for
    /// `equivalent` and `intersects`).
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [("kind", .string(kind.rawValue))]
        switch kind {
        case .contains, .likelyContains:
            members.append(("outer", .string(outer)))
            members.append(("inner", .string(inner)))
        case .equivalent, .intersects:
            members.append(("rules", .array([.string(outer), .string(inner)])))
        }
        members.append(("witness", witness))
        return .object(JSONObject(members))
    }

    /// Finds the overlapping pairs among `rules` (names should be distinct): containment
    /// (`equivalent`, `contains`, `likely-contains`) first, then the mere intersections.
    /// - Parameter witnesses: matching events generated per rule.
    /// - Complexity: O(rules × witnesses) matches through one index, plus O(pairs) structural checks
    ///   for pairs that share a witness and merged-witness tries for up to 1,000 rules.
    public static func analyze<G: RandomNumberGenerator>(_ rules: [(name: String, pattern: EventPattern)], witnesses: Int = 12,
                                                         using generator: inout G) -> [PatternOverlap] {
        let index = RuleIndex<Int>()
        for (number, rule) in rules.enumerated() { index.add(number, pattern: rule.pattern) }
        var witnessSets: [[JSONValue]] = []
        for rule in rules {
            let generated = rule.pattern.examples(count: max(witnesses, 1) * 2, using: &generator).filter(\.matches).map(\.event)
            witnessSets.append(generated)
        }
        // pair (i, j), i < j → a shared witness; hits[i][j] = how many of i's witnesses match j.
        var shared: [Int: [Int: JSONValue]] = [:]
        var hits: [Int: [Int: Int]] = [:]
        for (i, events) in witnessSets.enumerated() {
            for event in events {
                guard let matched = try? index.matches(event.jsonText) else { continue }
                for j in matched where j != i {
                    hits[i, default: [:]][j, default: 0] += 1
                    let (a, b) = i < j ? (i, j) : (j, i)
                    if shared[a]?[b] == nil { shared[a, default: [:]][b] = event }
                }
            }
        }
        if rules.count <= 1000 {
            for i in rules.indices {
                for j in rules.indices where j > i && shared[i]?[j] == nil {
                    if let event = mergedWitness(witnessSets[i], witnessSets[j], rules[i].pattern, rules[j].pattern) {
                        shared[i, default: [:]][j] = event
                    }
                }
            }
        }
        var result: [PatternOverlap] = []
        var intersections: [PatternOverlap] = []
        for i in rules.indices {
            guard let partners = shared[i] else { continue }
            for j in partners.keys.sorted() {
                guard let witness = partners[j] else { continue }
                let (a, b) = (rules[i], rules[j])
                let aInB = contains(outer: b.pattern, inner: a.pattern)
                let bInA = contains(outer: a.pattern, inner: b.pattern)
                if aInB && bInA {
                    result.append(PatternOverlap(kind: .equivalent, outer: a.name, inner: b.name, witness: witness))
                } else if bInA {
                    result.append(PatternOverlap(kind: .contains, outer: a.name, inner: b.name, witness: witness))
                } else if aInB {
                    result.append(PatternOverlap(kind: .contains, outer: b.name, inner: a.name, witness: witness))
                } else if let count = hits[j]?[i], count == witnessSets[j].count, count >= 3,
                          !hasCounterexample(outer: a.pattern, inner: b.pattern, innerWitnesses: witnessSets[j], using: &generator) {
                    result.append(PatternOverlap(kind: .likelyContains, outer: a.name, inner: b.name, witness: witness))
                } else if let count = hits[i]?[j], count == witnessSets[i].count, count >= 3,
                          !hasCounterexample(outer: b.pattern, inner: a.pattern, innerWitnesses: witnessSets[i], using: &generator) {
                    result.append(PatternOverlap(kind: .likelyContains, outer: b.name, inner: a.name, witness: witness))
                } else {
                    intersections.append(PatternOverlap(kind: .intersects, outer: a.name, inner: b.name, witness: witness))
                }
            }
        }
        return result + intersections
    }

    /// Whether some event matches `inner` but not `outer`: `outer`'s near misses (one field broken)
    /// laid over `inner`'s witnesses and under them.
    static func hasCounterexample<G: RandomNumberGenerator>(outer: EventPattern, inner: EventPattern, innerWitnesses: [JSONValue],
                                                            using generator: inout G) -> Bool {
        let misses = outer.examples(count: 24, using: &generator).filter { !$0.matches }.map(\.event)
        for x in innerWitnesses.prefix(6) {
            for y in misses {
                for event in [merge(y, over: x), merge(x, over: y)] {
                    let text = event.jsonText
                    if (try? inner.matches(text)) == true, (try? outer.matches(text)) == false { return true }
                }
            }
        }
        return false
    }

    /// An event both patterns match, made by laying one's witness over the other's.
    static func mergedWitness(_ first: [JSONValue], _ second: [JSONValue], _ a: EventPattern, _ b: EventPattern) -> JSONValue? {
        for x in first.prefix(4) {
            for y in second.prefix(4) {
                for event in [merge(x, over: y), merge(y, over: x)] {
                    let text = event.jsonText
                    if (try? a.matches(text)) == true, (try? b.matches(text)) == true { return event }
                }
            }
        }
        return nil
    }

    /// `top` laid over `base`: objects merge member by member, anything else is `top`'s.
    static func merge(_ top: JSONValue, over base: JSONValue) -> JSONValue {
        guard case .object(let upper) = top, case .object(var lower) = base else { return top }
        for member in upper.members {
            if let existing = lower[member.key] {
                lower[member.key] = merge(member.value, over: existing)
            } else {
                lower[member.key] = member.value
            }
        }
        return .object(lower)
    }

    // MARK: - Structural containment

    /// Whether every event `inner` matches, `outer` matches (sound; false when unsure).
    public static func contains(outer: EventPattern, inner: EventPattern) -> Bool {
        inner.subPatterns.allSatisfy { a in outer.subPatterns.contains { b in contains(outer: b, inner: a) } }
    }

    /// Alternative `inner` ⊆ alternative `outer`: each of `outer`'s fields is constrained by `inner`
    /// at least as tightly.
    static func contains(outer: SubPattern, inner: SubPattern) -> Bool {
        outer.clauses.allSatisfy { b in
            inner.clauses.contains { a in a.path.utf8.elementsEqual(b.path.utf8) && contains(outer: b, inner: a) }
        }
    }

    /// Every value accepted by some matcher of `inner` is accepted by some matcher of `outer`.
    static func contains(outer: PatternClause, inner: PatternClause) -> Bool {
        inner.matchers.allSatisfy { m in outer.matchers.contains { n in subset(m, n, path: inner.path) } }
    }

    /// Values matching `m` ⊆ values matching `n` (at `path`; false when unsure).
    static func subset(_ m: PatternMatcher, _ n: PatternMatcher, path: String) -> Bool {
        if m == n { return true }
        switch (m, n) {
        case (.exists(false), _), (_, .exists(false)):
            return false
        case (.exactString, _), (.exactNumber, _), (.exactBool, _), (.exactNull, _):
            // One value: ask the matcher.
            guard let value = EventPattern.exactValue(of: m) else { return false }
            let single = EventPattern(validated: [SubPattern(clauses: [PatternClause(path: path, matchers: [n])])])
            let event = EventPattern.event(from: [(path, value)])
            return (try? single.matches(event.jsonText)) == true
        case (.anythingBut, .exists(true)):
            return false
        case (_, .exists(true)):
            return true
        case (.prefix(let p), .prefix(let q)):
            return p.utf8.starts(with: q.utf8)
        case (.suffix(let p), .suffix(let q)):
            return p.utf8.reversed().starts(with: q.utf8.reversed())
        case (.prefix(let p), .prefixIgnoreCase(let q)), (.prefixIgnoreCase(let p), .prefixIgnoreCase(let q)):
            return isASCII(p) && isASCII(q) && asciiLower(p).starts(with: asciiLower(q))
        case (.suffix(let p), .suffixIgnoreCase(let q)), (.suffixIgnoreCase(let p), .suffixIgnoreCase(let q)):
            return isASCII(p) && isASCII(q) && asciiLower(p).reversed().starts(with: asciiLower(q).reversed())
        case (.equalsIgnoreCase(let v), .equalsIgnoreCase(let w)):
            return isASCII(v) && isASCII(w) && asciiLower(v) == asciiLower(w)
        case (.equalsIgnoreCase(let v), .prefixIgnoreCase(let q)):
            return isASCII(v) && isASCII(q) && asciiLower(v).starts(with: asciiLower(q))
        case (.equalsIgnoreCase(let v), .suffixIgnoreCase(let q)):
            return isASCII(v) && isASCII(q) && asciiLower(v).reversed().starts(with: asciiLower(q).reversed())
        case (.numeric(let r), .numeric(let s)):
            return within(r, s)
        case (.cidr(let a), .cidr(let b)):
            return a.isIPv6 == b.isIPv6 && a.low >= b.low && a.high <= b.high
        case (.anythingBut(.strings(let excludedByM)), .anythingBut(.strings(let excludedByN))):
            return excludedByN.allSatisfy { x in excludedByM.contains { $0.utf8.elementsEqual(x.utf8) } }
        case (.anythingBut(.numbers(let excludedByM)), .anythingBut(.numbers(let excludedByN))):
            return excludedByN.allSatisfy { excludedByM.contains($0) }
        case (.anythingBut(.prefixes(let byM)), .anythingBut(.prefixes(let byN))):
            // Every prefix N excludes is already excluded by a shorter-or-equal prefix of M.
            return byN.allSatisfy { q in byM.contains { p in q.utf8.starts(with: p.utf8) } }
        default:
            return false
        }
    }

    /// Interval `r` within interval `s`.
    static func within(_ r: NumericRange, _ s: NumericRange) -> Bool {
        let lowerOK: Bool
        switch (r.lower, s.lower) {
        case (_, nil): lowerOK = true
        case (nil, _?): lowerOK = false
        case let (a?, b?): lowerOK = a > b || (a == b && (s.lowerInclusive || !r.lowerInclusive))
        }
        let upperOK: Bool
        switch (r.upper, s.upper) {
        case (_, nil): upperOK = true
        case (nil, _?): upperOK = false
        case let (a?, b?): upperOK = a < b || (a == b && (s.upperInclusive || !r.upperInclusive))
        }
        return lowerOK && upperOK
    }

    static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }

    static func asciiLower(_ text: String) -> [UInt8] {
        text.utf8.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 0x20 : $0 }
    }
}
