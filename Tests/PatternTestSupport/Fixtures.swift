import EventPatterns
import Foundation

/// Locates and loads the test fixtures under `Tests/Fixtures`.
public enum Fixtures {
    /// The repository's root directory (found from this source file's path).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // PatternTestSupport
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()

    public static func url(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent(relativePath)
    }

    /// The lines of a fixture file, without blank lines.
    public static func lines(_ relativePath: String) throws -> [String] {
        let data = try Data(contentsOf: url(relativePath))
        return String(decoding: data, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map(String.init)
    }

    /// One conformance case: `{"id", "pattern", "event", "expect": {"valid", "match"}, "reason"?, "message"?}`.
    public struct ConformanceCase: Sendable, CustomStringConvertible {
        public var id: String
        /// The pattern text exactly as EventBridge would receive it.
        public var patternText: String
        public var event: JSONValue
        public var valid: Bool
        public var match: Bool?
        /// The full expected message for an invalid pattern, when the case records one.
        public var message: String?
        /// The line as it appears in the file.
        public var line: String

        public var description: String { id }
    }

    /// Loads a conformance file.
    public static func conformance(_ name: String) throws -> [ConformanceCase] {
        try lines("Tests/Fixtures/conformance/\(name)").map { line in
            let value = try JSONReader.parse(line)
            guard case .string(let id)? = value["id"], let pattern = value["pattern"], let event = value["event"],
                  case .bool(let valid)? = value["expect"]?["valid"] else {
                throw FixtureError(description: "bad conformance line: \(line.prefix(80))")
            }
            var match: Bool? = nil
            if case .bool(let flag)? = value["expect"]?["match"] { match = flag }
            var message: String? = nil
            if case .string(let text)? = value["message"] { message = text }
            else if case .string(let reason)? = value["reason"] { message = PatternError.messagePrefix + reason }
            let patternText: String
            if case .string(let text) = pattern { patternText = text } else { patternText = pattern.jsonText }
            return ConformanceCase(id: id, patternText: patternText, event: event, valid: valid, match: match,
                                   message: message, line: line)
        }
    }

    public struct FixtureError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The path of a product built next to the running test binary (e.g. `eventrouter`).
    public static func builtProduct(_ name: String) -> URL? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// Runs a program with `input` on standard input; returns (exit status, stdout, stderr).
    public static func run(_ executable: URL, _ arguments: [String], input: String) throws -> (status: Int32, stdout: String, stderr: String) {
        try run(executable, arguments, inputBytes: Data(input.utf8))
    }

    /// As `run(_:_:input:)`, with standard input given as bytes (which need not be UTF-8).
    public static func run(_ executable: URL, _ arguments: [String], inputBytes input: Data) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        final class Box: @unchecked Sendable { var data = Data() }
        let errorBox = Box()
        let errorDone = DispatchSemaphore(value: 0)
        let errorReader = Thread {
            errorBox.data = stderr.fileHandleForReading.readDataToEndOfFile()
            errorDone.signal()
        }
        errorReader.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorDone.wait()
        let errorData = errorBox.data
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }
}
