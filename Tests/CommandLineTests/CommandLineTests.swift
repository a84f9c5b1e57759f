import EventPatterns
import Foundation
import PatternTestSupport
import Testing

/// The `eventrouter` command-line contracts, run as a subprocess.
@Suite struct CommandLineTests {
    func tool() throws -> URL {
        try #require(Fixtures.builtProduct("eventrouter"), "the eventrouter product must be built")
    }

    @Test func matchPrintsRuleNamesPerEventAndSkipsBadLines() throws {
        let rules = Fixtures.url("Examples/rules.jsonl").path
        let events = """
        {"source": "aws.ec2", "detail-type": "EC2 Instance State-change Notification", "detail": {"state": "stopped"}}
        not json
        {"source": "com.shop", "detail": {"total": 5, "coupon": "X"}}

        [1, 2]
        {"detail": {"people": [{"first": "Anna", "last": "Smith"}]}}
        """
        let result = try Fixtures.run(tool(), ["match", "--rules", rules], input: events)
        #expect(result.status == 1)   // bad lines were skipped
        #expect(result.stdout == """
        {"line":1,"matches":["ec2-state-changes","stopped-or-terminated","not-running"]}
        {"line":3,"matches":[]}
        {"line":6,"matches":["anna-smith"]}

        """)
        #expect(result.stderr.contains("stdin:2:"))
        #expect(result.stderr.contains("stdin:5:"))
    }

    @Test func matchAcceptsAnObjectOfNamedPatternsAndReportsBadRules() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("evr-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let rules = directory.appendingPathComponent("rules.json")
        try #"{"a": {"k": ["1"]}, "b": "{\"k\": [{\"prefix\": \"\"}]}", "bad": {"k": []}}"#.write(to: rules, atomically: true, encoding: .utf8)
        let result = try Fixtures.run(tool(), ["match", "--rules", rules.path, "--count"], input: "{\"k\":\"1\"}\n{\"k\":\"2\"}\n")
        #expect(result.stdout == "{\"events\":2,\"matches\":3}\n")
        #expect(result.stderr.contains("rule bad: Event pattern is not valid. Reason: Empty arrays are not allowed"))
        #expect(result.status == 1)
    }

    /// Input bytes reach the JSON reader as they are: invalid UTF-8 is an error with its line
    /// (it used to become U+FFFD and match a pattern holding U+FFFD).
    @Test func invalidUTF8InInputIsAnErrorNotAReplacementCharacter() throws {
        var input = Data(#"{"pattern": {"a": ["\#u{FFFD}"]}, "event": {"a": ""#.utf8)
        input.append(contentsOf: [0xFF])
        input.append(contentsOf: Data(#""}}"#.utf8) + Data("\n".utf8))
        input.append(contentsOf: Data(#"{"pattern": {"a": ["x"]}, "event": {"a": "x"}}"#.utf8))
        let tested = try Fixtures.run(tool(), ["test-pattern"], inputBytes: input)
        let lines = tested.stdout.split(separator: "\n").map { try? JSONReader.parse(String($0)) }
        try #require(lines.count == 2)
        #expect(lines[0]?["valid"] == .bool(false))
        #expect(lines[0]?["match"] == .null)
        if case .string(let error)? = lines[0]?["error"] { #expect(error.contains("UTF-8")) } else { Issue.record("no error text") }
        #expect(lines[1]?["match"] == .bool(true))

        let rules = Fixtures.url("Examples/rules.jsonl").path
        var events = Data("{\"source\": \"aws.ec2\"}\n{\"source\": \"".utf8)
        events.append(contentsOf: [0xC3, 0x28])
        events.append(contentsOf: Data("\"}\n".utf8))
        let matched = try Fixtures.run(tool(), ["match", "--rules", rules], inputBytes: events)
        #expect(matched.status == 1)
        #expect(matched.stdout.hasPrefix(#"{"line":1,"#))
        #expect(!matched.stdout.contains(#""line":2"#))
        #expect(matched.stderr.contains("stdin:2:"))
    }

    /// Files are read through their descriptor, so pipes and FIFOs work as file arguments; a file
    /// that cannot be read is an error with exit status 2, and a bad rule names its line.
    @Test func fileArgumentsPipesAndUnreadableFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("evr-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // /dev/stdin as FILE: a pipe, which a whole-file read of a regular file would refuse.
        let piped = try Fixtures.run(tool(), ["test-pattern", "/dev/stdin"], input: #"{"pattern": {"a": [1]}, "event": {"a": 1}}"# + "\n")
        #expect(piped.stdout == #"{"valid":true,"match":true,"error":null}"# + "\n")
        #expect(piped.status == 0)
        let missing = directory.appendingPathComponent("missing.jsonl").path
        for arguments in [["test-pattern", missing], ["match", "--rules", missing], ["run", missing],
                          ["explain", "--pattern", "@" + missing, "{}"], ["overlap", directory.path]] {
            let result = try Fixtures.run(tool(), arguments, input: "")
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("cannot read"), "\(arguments): \(result.stderr)")
        }
        // A scenario that asks the clock to go back is told so (status 1); the other lines run.
        let back = try Fixtures.run(tool(), ["run", "-"], input: "{\"at\": \"2025-01-01T00:10:00Z\"}\n{\"at\": \"2025-01-01T00:05:00Z\"}\n{\"advance\": 1e15}\n")
        #expect(back.status == 1)
        #expect(back.stderr == "-:2: \"at\" 2025-01-01T00:05:00Z is before the clock's time, 2025-01-01T00:10:00Z (the clock only moves forward)\n")
        let rules = directory.appendingPathComponent("rules.jsonl")
        try "{\"name\": \"a\", \"pattern\": {\"k\": [\"1\"]}}\n\n{\"name\": \"c\", \"pattern\": {\"x\": \"nope\"}}\n".write(to: rules, atomically: true, encoding: .utf8)
        let bad = try Fixtures.run(tool(), ["match", "--rules", rules.path], input: "{\"k\": \"1\"}\n")
        #expect(bad.stderr.contains("\(rules.path):3: rule c: Event pattern is not valid."))
        #expect(bad.stdout == #"{"line":1,"matches":["a"]}"# + "\n")
        #expect(bad.status == 1)
    }

    @Test func testPatternHandlesBadLines() throws {
        let input = """
        {"pattern": "{\\"a\\": [1,]}", "event": {"a": 1}}
        {"pattern": {"a": [1]}, "event": "not an object"}
        {"pattern": {"a": [1]}}
        garbage
        {"pattern": {"a": [1]}, "event": {"a": 1.0}}
        """
        let result = try Fixtures.run(tool(), ["test-pattern"], input: input)
        let lines = result.stdout.split(separator: "\n").map { try? JSONReader.parse(String($0)) }
        try #require(lines.count == 5)
        #expect(lines[0]?["valid"] == .bool(false))
        #expect(lines[0]?["match"] == .null)
        #expect(lines[1]?["valid"] == .bool(true))
        #expect(lines[1]?["match"] == .null)
        #expect(lines[2]?["match"] == .null)
        #expect(lines[3]?["valid"] == .bool(false))
        #expect(lines[4]?["match"] == .bool(true))
        #expect(lines[4]?["error"] == .null)
    }

    @Test func scheduleNext() throws {
        let utc = try Fixtures.run(tool(), ["schedule", "next", "cron(0 12 ? * MON-FRI *)", "--from", "2025-01-30T22:47:30Z", "--count", "3"], input: "")
        #expect(utc.status == 0)
        #expect(utc.stdout == "2025-01-31T12:00:00Z\n2025-02-03T12:00:00Z\n2025-02-04T12:00:00Z\n")
        // 02:30 does not exist in New York on 9 March 2025 (the clocks jump from 02:00 to 03:00).
        let zoned = try Fixtures.run(tool(), ["schedule", "next", "cron(30 2 * * ? *)", "--from", "2025-03-08T00:00:00Z",
                                              "--count", "2", "--tz", "America/New_York"], input: "")
        #expect(zoned.stdout == "2025-03-08T02:30:00-05:00\n2025-03-10T02:30:00-04:00\n")
        let never = try Fixtures.run(tool(), ["schedule", "next", "cron(0 0 31 2 ? *)", "--from", "2025-01-01T00:00:00Z"], input: "")
        #expect(never.status == 0 && never.stdout.isEmpty)
        let invalid = try Fixtures.run(tool(), ["schedule", "next", "rate(0 minutes)"], input: "")
        #expect(invalid.status != 0)
        #expect(!invalid.stderr.isEmpty && invalid.stdout.isEmpty)
    }
}

extension CommandLineTests {
    @Test func explainPrintsTheFailingFieldAndExitStatus() throws {
        let miss = try Fixtures.run(tool(), ["explain", "--pattern", #"{"source":["a"],"n":[{"numeric":["<",5]}]}"#, #"{"source":"a","n":9}"#], input: "")
        #expect(miss.status == 1)
        #expect(miss.stdout.hasPrefix("NO MATCH"))
        #expect(miss.stdout.contains("n = 9  ✘ numeric < 5 does not hold for 9"))
        let hit = try Fixtures.run(tool(), ["explain", "--json", "--pattern", #"{"source":["a"]}"#, #"{"source":"a"}"#], input: "")
        #expect(hit.status == 0)
        #expect((try JSONReader.parse(hit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))["match"] == .bool(true))
        let invalid = try Fixtures.run(tool(), ["explain", "--pattern", #"{"source":"a"}"#, "{}"], input: "")
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains(#"Event pattern is not valid. Reason: "source" must be an object or an array"#))
    }
}

extension CommandLineTests {
    @Test func examplesAreJSONLinesLabelledByTheMatcher() throws {
        let pattern = #"{"source":["shop"],"detail":{"total":[{"numeric":[">",100]}]}}"#
        let result = try Fixtures.run(tool(), ["examples", "--pattern", pattern, "--count", "6", "--seed", "3"], input: "")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        let compiled = try EventPattern(json: pattern)
        for line in lines {
            let value = try JSONReader.parse(line)
            guard let event = value["event"], case .bool(let label)? = value["match"] else { Issue.record("bad line \(line)"); continue }
            #expect(try compiled.matches(event.jsonText) == label)
        }
        let again = try Fixtures.run(tool(), ["examples", "--pattern", pattern, "--count", "6", "--seed", "3"], input: "")
        #expect(again.stdout == result.stdout)
    }

    @Test func fuzzPatternPrintsFlipsConfirmedByTheReferenceMatcher() throws {
        let pattern = #"{"detail":{"state":["running"],"total":[{"numeric":[">",100]}]}}"#
        let events = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-pattern-\(getpid()).jsonl")
        try #"{"detail": {"state": "running", "total": 150}, "id": 1}"#.write(to: events, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: events) }
        let result = try Fixtures.run(tool(), ["fuzz-pattern", "--pattern", pattern, "--events", events.path, "--runs", "500"], input: "")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try result.stdout.split(separator: "\n").map { try JSONReader.parse(String($0)) }
        let summary = try #require(lines.last?["summary"])
        #expect(summary["seed_events"] == .number(JSONNumber(1)))
        let edges = lines.dropLast()
        #expect(summary["distinct_edges"] == .number(JSONNumber(Double(edges.count))))
        let reference = try JSONReader.parse(pattern)
        var mutations = Set<String>()
        for edge in edges {
            guard case .string(let mutation)? = edge["mutation"], let event = edge["event"], case .bool(let after)? = edge["after"] else {
                Issue.record("bad line \(edge.jsonText)")
                continue
            }
            mutations.insert(mutation)
            #expect(ReferenceMatcher.matches(pattern: reference, event: event) == after, "\(edge.jsonText)")
        }
        #expect(mutations.isSuperset(of: ["case", "number-as-string", "remove"]), "\(mutations.sorted())")
        let bad = try Fixtures.run(tool(), ["fuzz-pattern", "--pattern", #"{"a": "x"}"#], input: "")
        #expect(bad.status == 2 && bad.stderr.contains("Event pattern is not valid"))
    }

    @Test func overlapReportsContainmentFirst() throws {
        let rules = FileManager.default.temporaryDirectory.appendingPathComponent("overlap-\(getpid()).jsonl")
        try """
            {"name": "all-shop", "pattern": {"source": ["shop"]}}
            {"name": "big-shop", "pattern": {"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}}}
            {"name": "ec2", "pattern": {"source": ["aws.ec2"]}}
            {"name": "eu", "pattern": {"detail": {"region": [{"prefix": "eu-"}]}}}
            """.write(to: rules, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: rules) }
        let result = try Fixtures.run(tool(), ["overlap", rules.path], input: "")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try result.stdout.split(separator: "\n").map { try JSONReader.parse(String($0)) }
        #expect(lines.first?["kind"] == .string("contains"))
        #expect(lines.first?["outer"] == .string("all-shop") && lines.first?["inner"] == .string("big-shop"))
        // shop and ec2 sources exclude each other: never reported together.
        #expect(!lines.contains { $0.jsonText.contains("\"all-shop\"") && $0.jsonText.contains("\"ec2\"") })
        #expect(lines.contains { $0["kind"] == .string("intersects") && $0.jsonText.contains("\"eu\"") })
        let only = try Fixtures.run(tool(), ["overlap", rules.path, "--containment-only"], input: "")
        #expect(only.stdout.split(separator: "\n").count == 1)
    }
}
