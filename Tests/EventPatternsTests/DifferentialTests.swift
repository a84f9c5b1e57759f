@testable import EventPatterns
import PatternTestSupport
import Testing

/// The compiled index against the naive reference matcher (written separately, from the spec),
/// over thousands of generated patterns and events with fixed seeds. Zero differences allowed.
@Suite struct DifferentialTests {
    /// One pattern at a time: `EventPattern` (a one-rule index) against the reference.
    @Test(arguments: [1 as UInt64, 2, 3, 4])
    func singlePatterns(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        var differences: [String] = []
        var matched = 0
        for _ in 0..<1500 {
            let patternValue = PatternGenerator.pattern(using: &generator)
            let pattern = try EventPattern(value: patternValue)
            for round in 0..<4 {
                let event = round < 3
                    ? PatternGenerator.eventFor(pattern: patternValue, using: &generator)
                    : PatternGenerator.event(using: &generator)
                let expected = ReferenceMatcher.matches(pattern: patternValue, event: event)
                let actual = try pattern.matches(event.jsonText)
                if expected { matched += 1 }
                if actual != expected, differences.count < 10 {
                    differences.append("pattern \(patternValue.jsonText)\nevent \(event.jsonText)\nexpected \(expected)")
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n\n"))")
        // The generator must exercise both outcomes.
        #expect(matched > 1000 && matched < 5000)
    }

    /// Many rules in one index: every event's match set equals the reference's, rule by rule —
    /// through shared conditions, clauses and fields. Run twice: as compiled for these sizes, and
    /// with every exact-value probe deferred to the end of the walk (as maps larger than the cache
    /// are probed), so that path meets the same arrays, escapes and multi-clause rules.
    @Test(arguments: [11 as UInt64, 12], [false, true])
    func sharedIndex(seed: UInt64, deferAllProbes: Bool) throws {
        var generator = SeededGenerator(seed: seed)
        let patterns = (0..<300).map { _ in PatternGenerator.pattern(using: &generator) }
        let deferringSlots = deferAllProbes ? 0 : _HotMap.deferringSlots
        let index = RuleIndex<Int>(configuration: .init(), deferringSlots: deferringSlots)
        try index.add(contentsOf: patterns.enumerated().map { ($0.offset, $0.element.jsonText) })
        let matcher = index.makeMatcher()
        // The same rules read with the `canonicalEvents` promise (stop once every needed key was
        // seen), on the events that keep it: the answers must not change.
        let early = RuleIndex<Int>(configuration: .init(eventLimits: .init(canonicalEvents: true)), deferringSlots: deferringSlots)
        try early.add(contentsOf: patterns.enumerated().map { ($0.offset, $0.element.jsonText) })
        let earlyMatcher = early.makeMatcher()
        var differences: [String] = []
        var totalMatches = 0
        var canonicalEvents = 0
        for round in 0..<1500 {
            let event = round % 3 == 0
                ? PatternGenerator.event(using: &generator)
                : PatternGenerator.eventFor(pattern: patterns[Int.random(in: 0..<patterns.count, using: &generator)], using: &generator)
            let expected = patterns.indices.filter { ReferenceMatcher.matches(pattern: patterns[$0], event: event) }
            let actual = try matcher.matches(event.jsonText)
            totalMatches += actual.count
            if actual != expected, differences.count < 5 {
                let missing = Set(expected).subtracting(actual).map { patterns[$0].jsonText }
                let extra = Set(actual).subtracting(expected).map { patterns[$0].jsonText }
                differences.append("event \(event.jsonText)\nmissing \(missing)\nextra \(extra)")
            }
            if !Self.hasDottedKey(event) {
                canonicalEvents += 1
                let earlyActual = try earlyMatcher.matches(event.jsonText)
                if earlyActual != expected, differences.count < 5 {
                    differences.append("canonicalEvents: event \(event.jsonText)\nexpected \(expected)\ngot \(earlyActual)")
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n\n"))")
        #expect(totalMatches > 1500)
        #expect(canonicalEvents > 500)
    }

    /// Whether any key in `value` contains a dot (such events break the `canonicalEvents` promise).
    static func hasDottedKey(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object): return object.members.contains { $0.key.utf8.contains(UInt8(ascii: ".")) || hasDottedKey($0.value) }
        case .array(let elements): return elements.contains(where: hasDottedKey)
        default: return false
        }
    }

    /// The reference matcher itself agrees with every valid conformance case, so the differential
    /// test compares against something that is itself checked against AWS.
    @Test func referenceAgreesWithConformance() throws {
        for file in ["aws-observed.jsonl", "patterns.jsonl"] {
            for testCase in try Fixtures.conformance(file) where testCase.valid {
                let pattern = try JSONReader.parse(testCase.patternText)
                #expect(ReferenceMatcher.matches(pattern: pattern, event: testCase.event) == testCase.match, "\(testCase.id)")
            }
        }
    }
    /// Array consistency where it is hardest: two to five clauses whose leaves sit in sibling
    /// arrays at two levels (`e[i].x[j].k`, `e[i].g[j].z[m].k`), so that often no single element
    /// holds them all and the bottom-up element search decides. Against the reference's
    /// exhaustive search.
    @Test(arguments: [21 as UInt64, 22])
    func arrayConsistencyInSiblingArrays(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        func random(_ range: Range<Int>) -> Int { Int.random(in: range, using: &generator) }
        func items(_ make: () -> String) -> String { "[" + (0..<random(1..<4)).map { _ in make() }.joined(separator: ",") + "]" }
        func leafField(_ name: String) -> String {
            random(0..<3) == 0 ? #""\#(name)":{"k":\#(random(0..<2))}"# : #""\#(name)":"# + items { #"{"k":\#(random(0..<2))}"# }
        }
        func fields(_ names: [String]) -> [String] { names.filter { _ in random(0..<2) == 0 }.map(leafField) }
        func inner() -> String { "{" + fields(["z", "w", "v"]).joined(separator: ",") + "}" }
        func element() -> String {
            var members = fields(["x", "y"])
            switch random(0..<3) {
            case 0: members.append(#""g":"# + inner())
            case 1: members.append(#""g":"# + items(inner))
            default: break
            }
            return "{" + members.joined(separator: ",") + "}"
        }
        var differences: [String] = []
        var matched = 0
        for _ in 0..<600 {
            var outer = ["x", "y"].filter { _ in random(0..<2) == 0 }.map { #""\#($0)":{"k":[1]}"# }
            let nested = ["z", "w", "v"].filter { _ in random(0..<2) == 0 }.map { #""\#($0)":{"k":[1]}"# }
            if !nested.isEmpty { outer.append(#""g":{"# + nested.joined(separator: ",") + "}") }
            guard outer.count + nested.count >= 3 else { continue }
            let patternText = #"{"e":{"# + outer.joined(separator: ",") + "}}"
            let pattern = try EventPattern(json: patternText)
            let patternValue = try JSONReader.parse(patternText)
            for _ in 0..<8 {
                let eventText = #"{"e":"# + items(element) + "}"
                let expected = ReferenceMatcher.matches(pattern: patternValue, event: try JSONReader.parse(eventText))
                if expected { matched += 1 }
                if try pattern.matches(eventText) != expected, differences.count < 5 {
                    differences.append("pattern \(patternText)\nevent \(eventText)\nexpected \(expected)")
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n\n"))")
        // Both outcomes, in numbers (about 2,000 events are tried).
        #expect(matched > 50 && matched < 1900, "\(matched)")
    }
}
