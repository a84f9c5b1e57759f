import ArgumentParser
import EventPatterns
import Foundation

/// `eventrouter match`: route a stream of events through a rule set.
struct Match: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Print the rules each event matches.",
        discussion: """
        Rules: JSON Lines {"name": N, "pattern": P} or one JSON object {name: pattern, ...}; a \
        pattern given as a JSON string is the raw pattern text. Events: JSON Lines, from EVENTS or \
        standard input. For every event prints {"line": L, "matches": [names...]} (L is the event's \
        line number). Bad rule or event lines are reported on standard error with their line number \
        and skipped; the exit status is 1 if any line was bad.
        """
    )

    @Option(help: "The rules file.")
    var rules: String

    @Argument(help: "A JSON Lines file of events (default: standard input).")
    var events: String?

    @Flag(help: "Print only the number of events and matches at the end.")
    var count = false

    func run() throws {
        let index = RuleIndex<String>()
        let (loaded, loadFailed) = try loadRules(rules)
        var bad = loadFailed
        for rule in loaded {
            do {
                try index.add(rule.name, pattern: rule.pattern)
            } catch {
                printError("\(rule.place(in: rules)): rule \(rule.name): \(error.message)")
                bad = true
            }
        }

        let matcher = index.makeMatcher()
        var output = Output()
        var results: [String] = []
        var eventCount = 0
        var matchCount = 0
        let input = try Input(events)
        for line in input where !line.isBlank {
            let number = line.number
            do {
                try line.bytes.withUnsafeBufferPointer { bytes in try matcher.matches(bytes, into: &results) }
            } catch {
                printError("\(input.name):\(number): \(error)")
                bad = true
                continue
            }
            eventCount += 1
            matchCount += results.count
            if !count {
                var text = "{\"line\":\(number),\"matches\":["
                for (position, name) in results.enumerated() {
                    if position > 0 { text += "," }
                    JSONValue.writeString(name, to: &text)
                }
                output.line(text + "]}")
            }
        }
        if count { output.line("{\"events\":\(eventCount),\"matches\":\(matchCount)}") }
        output.flush()
        try input.finish()
        if bad { throw ExitCode(1) }
    }
}

/// A rule of a rules file, with its line number in JSON Lines files.
struct LoadedRule {
    let name: String
    let pattern: String
    let line: Int?

    /// `path:line`, or `path` for a rule of a one-object file.
    func place(in path: String) -> String { line.map { "\(path):\($0)" } ?? path }
}

/// Reads a rules file: JSON Lines of {"name", "pattern"}, or one JSON object mapping names to
/// patterns. Bad lines (invalid JSON or UTF-8 included) are reported on standard error with their
/// line number and flagged in `bad`; an unreadable file ends the command with exit status 2.
func loadRules(_ path: String) throws -> (rules: [LoadedRule], bad: Bool) {
    let bytes = try Input.contents(of: path)
    var loaded: [LoadedRule] = []
    var bad = false
    // One JSON object mapping names to patterns — unless it is a one-line JSON Lines file.
    if let whole = try? JSONReader.parse(bytes), case .object(let object) = whole,
       !(object.count == 2 && object["pattern"] != nil && object["name"] != nil) {
        for (name, pattern) in object.members { loaded.append(LoadedRule(name: name, pattern: patternText(pattern), line: nil)) }
    } else {
        for (index, slice) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let line = InputLine(number: index + 1, bytes: Array(slice))
            let number = line.number
            if line.isBlank { continue }
            do {
                let value = try JSONReader.parse(line.bytes)
                guard case .string(let name)? = value["name"], let pattern = value["pattern"] else {
                    printError("\(path):\(number): a rule line needs \"name\" (a string) and \"pattern\"")
                    bad = true
                    continue
                }
                loaded.append(LoadedRule(name: name, pattern: patternText(pattern), line: number))
            } catch {
                printError("\(path):\(number): not valid JSON: \(error)")
                bad = true
            }
        }
    }
    return (loaded, bad)
}
