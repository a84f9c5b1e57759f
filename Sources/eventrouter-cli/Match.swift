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
        for (name, pattern) in loaded {
            do {
                try index.add(name, pattern: pattern)
            } catch {
                printError("\(rules): rule \(name): \(error.message)")
                bad = true
            }
        }

        let matcher = index.makeMatcher()
        var output = Output()
        var results: [String] = []
        var eventCount = 0
        var matchCount = 0
        var number = 0
        for line in try readLines(events) {
            number += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            var line = line
            do {
                try line.withUTF8 { bytes in try matcher.matches(bytes, into: &results) }
            } catch {
                printError("\(events ?? "stdin"):\(number): \(error)")
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
        if bad { throw ExitCode(1) }
    }
}

/// Reads a rules file: JSON Lines of {"name", "pattern"}, or one JSON object mapping names to
/// patterns. Bad lines are reported on standard error and flagged in `bad`.
func loadRules(_ path: String) throws -> (rules: [(name: String, pattern: String)], bad: Bool) {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read \(path)")
    }
    let text = String(decoding: data, as: UTF8.self)
    var loaded: [(name: String, pattern: String)] = []
    var bad = false
    // One JSON object mapping names to patterns — unless it is a one-line JSON Lines file.
    if let whole = try? JSONReader.parse(text), case .object(let object) = whole,
       !(object.count == 2 && object["pattern"] != nil && object["name"] != nil) {
        for (name, pattern) in object.members { loaded.append((name, patternText(pattern))) }
    } else {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            do {
                let value = try JSONReader.parse(String(line))
                guard case .string(let name)? = value["name"], let pattern = value["pattern"] else {
                    printError("\(path):\(number + 1): a rule line needs \"name\" (a string) and \"pattern\"")
                    bad = true
                    continue
                }
                loaded.append((name, patternText(pattern)))
            } catch {
                printError("\(path):\(number + 1): not valid JSON: \(error)")
                bad = true
            }
        }
    }
    return (loaded, bad)
}
