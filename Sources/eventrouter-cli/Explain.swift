import ArgumentParser
import EventPatterns
import Foundation

/// `eventrouter explain --pattern P EVENT`: why an event does or does not match.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain why an event does or does not match a pattern.",
        discussion: """
        For each alternative of the pattern and each field: the event's values at the field's path, \
        which matchers accepted them, and why the field failed (missing, wrong type, value excluded, \
        numeric bound, array consistency). P and EVENT are JSON text, or @FILE. Exit status: 0 when the \
        event matches, 1 when it does not, 2 on invalid input. --json prints the explanation as JSON.
        """
    )

    @Option(help: "The pattern: JSON text or @file.")
    var pattern: String

    @Argument(help: "The event: JSON text or @file.")
    var event: String

    @Flag(help: "Print the explanation as JSON.")
    var json = false

    func run() throws {
        let compiled = try compilePattern(pattern)
        let value: JSONValue
        do {
            value = try JSONReader.parse(try Self.text(event))
        } catch let error as JSONError {
            printError("the event is not valid JSON: \(error)")
            throw ExitCode(2)
        }
        let explanation: PatternExplanation
        do {
            explanation = try compiled.explain(value)
        } catch {
            printError("the event cannot be matched: \(error)")
            throw ExitCode(2)
        }
        print(json ? explanation.json.jsonText : explanation.text)
        if !explanation.matches { throw ExitCode(1) }
    }

    /// The argument itself, or the contents of the file it names after `@`.
    static func text(_ argument: String) throws -> String {
        guard argument.hasPrefix("@") else { return argument }
        let path = String(argument.dropFirst())
        let bytes = try Input.contents(of: path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            printError("\(path): not valid UTF-8")
            throw ExitCode(2)
        }
        return text
    }
}
