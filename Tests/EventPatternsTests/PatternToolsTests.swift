import EventPatterns
import PatternTestSupport
import Testing

@Suite struct PatternEdgesTests {
    func edges(_ pattern: String, seeds: [String] = [], runs: Int = 5000, seed: UInt64 = 3) throws -> PatternEdgeReport {
        var generator = SeededGenerator(seed: seed)
        return try EventPattern(json: pattern).edges(seedEvents: seeds.map { try JSONReader.parse($0) }, runs: runs, using: &generator)
    }

    @Test func reportsTheClassicEdgesOfAnExactValue() throws {
        let report = try edges(#"{"detail": {"state": ["running"]}}"#, seeds: [#"{"detail": {"state": "running"}}"#])
        let kinds = Set(report.edges.map(\.mutation))
        // Case, spaces, truncation and extension all break an exact string; wrapping in an array does not.
        for kind in ["case", "whitespace", "extend", "truncate", "remove", "null", "empty-string"] {
            #expect(kinds.contains(kind), "missing \(kind) in \(kinds.sorted())")
        }
        #expect(!kinds.contains("wrap-in-array"), "[\"running\"] matches like \"running\"")
        #expect(!kinds.contains("add-array-element"), "an array matches when any element does")
        let caseEdge = try #require(report.edges.first { $0.mutation == "case" })
        #expect(caseEdge.original == .string("running") && caseEdge.mutated == .string("RUNNING"))
        #expect(caseEdge.matchedBefore && !caseEdge.matchedAfter)
        #expect(caseEdge.event == (try JSONReader.parse(#"{"detail": {"state": "RUNNING"}}"#)))
        #expect(caseEdge.note.contains("equals-ignore-case"))
    }

    @Test func ignoringCaseRemovesTheCaseEdgeAndNumbersCompareByValue() throws {
        var report = try edges(#"{"state": [{"equals-ignore-case": "running"}]}"#, seeds: [#"{"state": "running"}"#])
        #expect(!report.edges.contains { $0.mutation == "case" })
        report = try edges(#"{"n": [300]}"#, seeds: [#"{"n": 300}"#])
        let kinds = Set(report.edges.map(\.mutation))
        #expect(kinds.contains("number-as-string"), "300 and \"300\" differ")
        #expect(kinds.contains("neighbour"))
        #expect(!kinds.contains("number-format"), "300, 300.0 and 300e0 are one number")
        // Starting from a near miss: the string "300" becomes the number 300.
        report = try edges(#"{"n": [{"numeric": [">", 100]}]}"#, seeds: [#"{"n": "300"}"#])
        let flip = try #require(report.edges.first { $0.mutation == "string-as-number" })
        #expect(!flip.matchedBefore && flip.matchedAfter)
    }

    @Test func boundsAndAbsence() throws {
        var report = try edges(#"{"n": [{"numeric": [">=", 10]}]}"#, seeds: [#"{"n": 10}"#])
        let neighbour = try #require(report.edges.first { $0.mutation == "neighbour" })
        #expect(neighbour.mutated == .number(JSONNumber(9)))
        report = try edges(#"{"coupon": [{"exists": false}]}"#, seeds: [#"{"coupon": "X1", "a": 1}"#])
        let removal = try #require(report.edges.first { $0.mutation == "remove" })
        #expect(!removal.matchedBefore && removal.matchedAfter)
        #expect(removal.event == (try JSONReader.parse(#"{"a": 1}"#)))
        report = try edges(#"{"ip": [{"cidr": "10.0.0.0/8"}]}"#, seeds: [#"{"ip": "10.1.2.3"}"#])
        #expect(report.edges.contains { $0.mutation == "ip-format" && $0.mutated == .string("10.1.2.03") })
        report = try edges(#"{"name": ["café"]}"#, seeds: [#"{"name": "café"}"#])
        #expect(report.edges.contains { $0.mutation == "unicode-form" })
    }

    /// Every edge, on every conformance pattern, is a real flip: an independent reference matcher
    /// agrees with the verdict after the mutation, and the verdicts differ.
    @Test func everyEdgeIsConfirmedByTheReferenceMatcher() throws {
        var generator = SeededGenerator(seed: 99)
        var total = 0
        for testCase in try Fixtures.conformance("patterns.jsonl").prefix(400) where testCase.valid {
            let value = try JSONReader.parse(testCase.patternText)
            let report = try EventPattern(json: testCase.patternText).edges(seedEvents: [testCase.event], runs: 200, using: &generator)
            #expect(report.runs <= 200)
            for edge in report.edges {
                total += 1
                #expect(edge.matchedBefore != edge.matchedAfter)
                #expect(ReferenceMatcher.matches(pattern: value, event: edge.event) == edge.matchedAfter,
                        "\(testCase.id) \(edge.mutation) at \(edge.path): \(edge.event.jsonText)")
            }
        }
        #expect(total > 500, "only \(total) edges found")
    }

    @Test func runsAreBoundedAndTheSummaryCountsThem() throws {
        let report = try edges(#"{"a": ["x"], "b": [{"prefix": "p"}]}"#, runs: 7)
        #expect(report.runs <= 7)
        #expect(report.seedEvents == 16, "generated examples stand in for missing seeds")
        #expect(report.summaryJSON["summary"]?["runs"] == .number(JSONNumber(Double(report.runs))))
    }
}

@Suite struct PatternOverlapTests {
    func analyze(_ rules: [(String, String)], seed: UInt64 = 5) throws -> [PatternOverlap] {
        var generator = SeededGenerator(seed: seed)
        let compiled = try rules.map { ($0.0, try EventPattern(json: $0.1)) }
        return PatternOverlap.analyze(compiled, using: &generator)
    }

    func find(_ overlaps: [PatternOverlap], _ a: String, _ b: String) -> PatternOverlap? {
        overlaps.first { ($0.outer == a && $0.inner == b) || ($0.outer == b && $0.inner == a) }
    }

    @Test func provesContainmentAcrossOperators() throws {
        let overlaps = try analyze([
            ("shop", #"{"source": ["shop"]}"#),
            ("shop-big", #"{"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}}"#),
            ("shop-huge", #"{"source": ["shop"], "detail": {"total": [{"numeric": [">=", 1000, "<", 5000]}]}}"#),
            ("eu", #"{"region": [{"prefix": "eu-"}]}"#),
            ("eu-west", #"{"region": ["eu-west-1", "eu-west-2"]}"#),
            ("not-a", #"{"state": [{"anything-but": ["a"]}]}"#),
            ("not-ab", #"{"state": [{"anything-but": ["a", "b"]}]}"#),
            ("net", #"{"ip": [{"cidr": "10.0.0.0/8"}]}"#),
            ("subnet", #"{"ip": [{"cidr": "10.1.0.0/16"}]}"#),
            ("either", #"{"$or": [{"x": ["1"]}, {"y": ["2"]}]}"#),
            ("either-swapped", #"{"$or": [{"y": ["2"]}, {"x": ["1"]}]}"#),
        ])
        for (outer, inner) in [("shop", "shop-big"), ("shop-big", "shop-huge"), ("shop", "shop-huge"), ("eu", "eu-west"),
                               ("not-a", "not-ab"), ("net", "subnet")] {
            let found = find(overlaps, outer, inner)
            #expect(found?.kind == .contains && found?.outer == outer && found?.inner == inner, "\(outer) ⊇ \(inner): \(String(describing: found))")
        }
        #expect(find(overlaps, "either", "either-swapped")?.kind == .equivalent)
        #expect(find(overlaps, "shop", "eu")?.kind == .intersects, "different fields: a merged witness matches both")
        #expect(find(overlaps, "eu-west", "net")?.kind == .intersects)
    }

    @Test func disjointAndNotContainedRulesAreNotReportedAsContaining() throws {
        let overlaps = try analyze([
            ("running", #"{"state": ["running"]}"#),
            ("stopped", #"{"state": ["stopped"]}"#),
            ("shop", #"{"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}}"#),
            ("no-coupon", #"{"source": ["shop"], "detail": {"coupon": [{"exists": false}]}}"#),
        ])
        #expect(find(overlaps, "running", "stopped") == nil, "no event has both states")
        // Every generated witness of "shop" lacks a coupon, but a coupon-carrying order is a counterexample.
        #expect(find(overlaps, "shop", "no-coupon")?.kind == .intersects)
    }

    /// Soundness on random rule sets: every witness matches both rules (by the reference matcher),
    /// and for every proved containment, events generated for the inner rule match the outer one.
    @Test func reportsAreSoundOnRandomRules() throws {
        var rng = SeededGenerator(seed: 2024)
        var rules: [(String, String)] = []
        var values: [String: JSONValue] = [:]
        while rules.count < 60 {
            let value = PatternGenerator.pattern(using: &rng)
            let text = PatternGenerator.jsonText(value)
            guard EventPattern.validate(text) == nil else { continue }
            let name = "r\(rules.count)"
            rules.append((name, text))
            values[name] = value
        }
        let overlaps = try analyze(rules, seed: 11)
        var generator = SeededGenerator(seed: 12)
        var proved = 0
        for overlap in overlaps {
            let outer = try #require(values[overlap.outer]), inner = try #require(values[overlap.inner])
            #expect(ReferenceMatcher.matches(pattern: outer, event: overlap.witness), "\(overlap.json.jsonText)")
            #expect(ReferenceMatcher.matches(pattern: inner, event: overlap.witness), "\(overlap.json.jsonText)")
            guard overlap.kind == .contains || overlap.kind == .equivalent else { continue }
            proved += 1
            let innerPattern = try EventPattern(value: inner)
            for example in innerPattern.examples(count: 40, using: &generator) where example.matches {
                #expect(ReferenceMatcher.matches(pattern: outer, event: example.event),
                        "\(overlap.outer) ⊇ \(overlap.inner) broken by \(example.event.jsonText)")
            }
        }
        #expect(overlaps.count > 0)
        #expect(proved > 0, "no containment among \(overlaps.count) overlaps")
    }
}
