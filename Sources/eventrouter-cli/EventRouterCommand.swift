import ArgumentParser
import EventPatterns
import Foundation

@main
struct EventRouterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventrouter",
        abstract: "Match events against Amazon EventBridge event patterns.",
        subcommands: [TestPattern.self, Match.self, Explain.self, Examples.self, FuzzPattern.self, Overlap.self, Run.self, Schedule.self]
    )
}

/// Reads lines from a file path, or from standard input when the path is nil or "-".
func readLines(_ path: String?) throws -> AnySequence<String> {
    if let path, path != "-" {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        let text = String(decoding: data, as: UTF8.self)
        return AnySequence(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }
    return AnySequence(AnyIterator { readLine(strippingNewline: true) })
}

/// Buffered standard output.
struct Output {
    private var buffer = ""

    mutating func line(_ text: String) {
        buffer += text
        buffer += "\n"
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        FileHandle.standardOutput.write(Data(buffer.utf8))
        buffer = ""
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// The pattern text of a JSON value: a string is the raw text, anything else is serialized.
func patternText(_ value: JSONValue) -> String {
    if case .string(let text) = value { return text }
    return value.jsonText
}

/// The pattern of a `--pattern` option (text or `@file`); an invalid one prints AWS's message and
/// exits with status 2.
func compilePattern(_ argument: String) throws -> EventPattern {
    do {
        return try EventPattern(json: try Explain.text(argument))
    } catch let error as PatternError {
        printError(error.message)
        throw ExitCode(2)
    }
}

