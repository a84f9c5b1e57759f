import EventPatterns
import Foundation
import PatternTestSupport
import Testing

/// The shared conformance cases: real AWS answers (`aws-observed.jsonl`) and the reference engine's
/// (`patterns.jsonl`). Validity and match must agree on every case; the message must agree where
/// the case records one.
@Suite struct ConformanceTests {
    static let files = ["aws-observed.jsonl", "patterns.jsonl"]

    @Test(arguments: files)
    func libraryAgreesWithEveryCase(file: String) throws {
        let cases = try Fixtures.conformance(file)
        #expect(cases.count > 100)
        for testCase in cases {
            do {
                let pattern = try EventPattern(json: testCase.patternText)
                #expect(testCase.valid, "\(testCase.id): accepted a pattern AWS rejects")
                let matched = try pattern.matches(testCase.event.jsonText)
                #expect(matched == testCase.match, "\(testCase.id): match \(matched), expected \(String(describing: testCase.match))")
            } catch let error as PatternError {
                #expect(!testCase.valid, "\(testCase.id): rejected a valid pattern: \(error.message)")
                if let message = testCase.message {
                    #expect(error.message == message, "\(testCase.id)")
                }
            }
        }
    }

    /// The same cases through the command-line contract `eventrouter test-pattern`.
    @Test(arguments: files)
    func commandLineAgreesWithEveryCase(file: String) throws {
        let cases = try Fixtures.conformance(file)
        let tool = try #require(Fixtures.builtProduct("eventrouter"), "the eventrouter product must be built")
        var input = ""
        for testCase in cases {
            input += "{\"pattern\":"
            JSONValue.writeString(testCase.patternText, to: &input)
            input += ",\"event\":" + testCase.event.jsonText + "}\n"
        }
        let result = try Fixtures.run(tool, ["test-pattern"], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == cases.count)
        for (testCase, line) in zip(cases, lines) {
            let output = try JSONReader.parse(line)
            #expect(output["valid"] == .bool(testCase.valid), "\(testCase.id): \(line)")
            let expectedMatch: JSONValue = testCase.match.map { .bool($0) } ?? .null
            #expect(output["match"] == expectedMatch, "\(testCase.id): \(line)")
            if !testCase.valid, let message = testCase.message {
                #expect(output["error"] == .string(message), "\(testCase.id)")
            }
        }
    }
}
