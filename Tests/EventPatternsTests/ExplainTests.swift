import EventPatterns
import PatternTestSupport
import Testing

@Suite struct ExplainTests {
    /// The explanation's verdict is the matcher's, on every conformance case.
    @Test func verdictAgreesWithMatchesOnEveryCase() throws {
        for testCase in try Fixtures.conformance("aws-observed.jsonl") + Fixtures.conformance("patterns.jsonl") where testCase.valid {
            let pattern = try EventPattern(json: testCase.patternText)
            let explanation = try pattern.explain(testCase.event)
            #expect(explanation.matches == testCase.match, "\(testCase.id)")
            #expect(explanation.alternatives.count == pattern.subPatterns.count)
        }
    }

    @Test func namesTheFailingCondition() throws {
        func explain(_ pattern: String, _ event: String) throws -> PatternExplanation {
            try EventPattern(json: pattern).explain(JSONReader.parse(event))
        }
        // Spec example 8: a numeric condition never matches a string.
        var why = try explain(#"{"number":[{"numeric":[">",100]}]}"#, #"{"number":"300"}"#)
        #expect(why.alternatives[0].fields[0].reason == #"numeric > 100: only JSON numbers match, and "300" is not one"#)
        // Spec example 33: anything-but never matches a missing field.
        why = try explain(#"{"detail":{"state":[{"anything-but":"initializing"}]}}"#, #"{"detail":{}}"#)
        #expect(why.alternatives[0].fields[0].reason?.hasPrefix("the event has no value at detail.state") == true)
        // Spec example 59: array consistency.
        why = try explain(#"{"employees":{"first":["Anna"],"last":["Doe"]}}"#,
                          #"{"employees":[{"first":"John","last":"Doe"},{"first":"Anna","last":"Smith"}]}"#)
        #expect(!why.matches)
        #expect(why.alternatives[0].fields.allSatisfy { $0.satisfied })
        #expect(why.alternatives[0].arrayConflict != nil)
        // Which matcher of an OR list accepted.
        why = try explain(#"{"k":[{"prefix":"x"},{"suffix":"z"}]}"#, #"{"k":"abz"}"#)
        #expect(why.matches && why.alternatives[0].fields[0].matchedBy == [#"suffix "z""#])
        // $or alternatives are reported one by one.
        why = try explain(#"{"$or":[{"a":["1"]},{"b":["2"]}]}"#, #"{"b":"2"}"#)
        #expect(why.alternatives.map(\.matches) == [false, true])
    }
}

@Suite struct ExampleGenerationTests {
    /// Generated examples are labelled with the verdict of an independent matcher (the naive
    /// reference), and most patterns get both a matching event and a near miss.
    @Test func examplesAreLabelledTruthfully() throws {
        var generator = SeededGenerator(seed: 21)
        var withMatch = 0, withMiss = 0, total = 0
        for testCase in try Fixtures.conformance("patterns.jsonl") where testCase.valid {
            let pattern = try EventPattern(json: testCase.patternText)
            let value = try JSONReader.parse(testCase.patternText)
            let examples = pattern.examples(count: 6, using: &generator)
            total += 1
            if examples.contains(where: \.matches) { withMatch += 1 }
            if examples.contains(where: { !$0.matches }) { withMiss += 1 }
            for example in examples {
                #expect(ReferenceMatcher.matches(pattern: value, event: example.event) == example.matches, "\(testCase.id): \(example.event.jsonText)")
            }
        }
        #expect(Double(withMatch) > 0.8 * Double(total), "\(withMatch) of \(total) patterns got a matching example")
        #expect(Double(withMiss) > 0.8 * Double(total), "\(withMiss) of \(total) patterns got a near miss")
    }

    /// Patterns that only non-strings (or nothing the generator makes) can match still get their
    /// examples: an anything-but that excludes every string matches a number, and a pattern whose
    /// matches are not found still gets near misses.
    @Test func examplesForPatternsThatExcludeEveryString() throws {
        var generator = SeededGenerator(seed: 5)
        for text in [#"{"a":[{"anything-but":{"wildcard":"*"}}]}"#, #"{"a":[{"anything-but":{"wildcard":"*"}}],"b":["x"]}"#] {
            let pattern = try EventPattern(json: text)
            let examples = pattern.examples(count: 6, using: &generator)
            #expect(examples.count == 6, "\(text)")
            let matching = examples.filter(\.matches).count
            #expect(matching > 0 && matching < examples.count, "\(text)")
            for example in examples {
                #expect(ReferenceMatcher.matches(pattern: try JSONReader.parse(text), event: example.event) == example.matches)
            }
        }
    }
}
