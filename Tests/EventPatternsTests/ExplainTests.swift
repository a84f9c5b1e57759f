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
