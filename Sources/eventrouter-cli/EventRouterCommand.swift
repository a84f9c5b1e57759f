import ArgumentParser
import EventPatterns
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct EventRouterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventrouter",
        abstract: "Match events against Amazon EventBridge event patterns.",
        subcommands: [TestPattern.self, Match.self, Explain.self, Examples.self, FuzzPattern.self, Overlap.self, Run.self, Schedule.self]
    )
}

/// One line of input: its bytes without the newline, exactly as read (the JSON reader rejects
/// invalid UTF-8 in them with its byte offset, where decoding to `String` would have replaced it).
struct InputLine {
    /// Counted from 1.
    let number: Int
    let bytes: [UInt8]

    /// Only spaces, tabs or a carriage return.
    var isBlank: Bool { bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }
}

/// Input read through a file descriptor: a file of any kind that can be read (regular files,
/// pipes and FIFOs such as `<(…)`, `/dev/stdin`), or standard input for nil or "-". Lines are
/// read as they come, so a stream is answered line by line.
final class Input: Sequence {
    let name: String
    private let descriptor: Int32
    private let owned: Bool
    private var pending: [UInt8] = []
    private var head = 0
    private var scanned = 0
    private var finished = false
    private var lineNumber = 0
    /// Set when reading failed part way (the error was printed; `finish()` exits with status 2).
    private(set) var failed = false

    /// Opens `path`; a file that cannot be opened, or a directory, is reported on standard error
    /// and ends the command with exit status 2.
    init(_ path: String?) throws {
        guard let path, path != "-" else {
            name = "stdin"; descriptor = 0; owned = false
            return
        }
        name = path
        let opened = open(path, O_RDONLY)
        guard opened >= 0 else { throw Input.unreadable(path, String(cString: strerror(errno))) }
        var status = stat()
        if fstat(opened, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR {
            close(opened)
            throw Input.unreadable(path, "it is a directory")
        }
        descriptor = opened; owned = true
    }

    deinit { if owned { close(descriptor) } }

    static func unreadable(_ path: String, _ reason: String) -> ExitCode {
        printError("cannot read \(path): \(reason)")
        return ExitCode(2)
    }

    /// The next line, or nil at the end.
    func nextLine() -> InputLine? {
        while true {
            if let newline = pending[Swift.max(head, scanned)...].firstIndex(of: 0x0A) {
                let bytes = Array(pending[head..<newline])
                head = newline + 1
                scanned = head
                lineNumber += 1
                return InputLine(number: lineNumber, bytes: bytes)
            }
            scanned = pending.count
            if finished {
                guard head < pending.count else { return nil }
                let bytes = Array(pending[head...])
                head = pending.count
                lineNumber += 1
                return InputLine(number: lineNumber, bytes: bytes)
            }
            if head > 0 {
                pending.removeFirst(head)
                scanned -= head
                head = 0
            }
            readChunk()
        }
    }

    /// Everything left to read, as bytes.
    func readAll() -> [UInt8] {
        while !finished { readChunk() }
        defer { pending = []; head = 0; scanned = 0 }
        return Array(pending[head...])
    }

    private func readChunk() {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            pending.append(contentsOf: chunk[..<count])
        } else if count == 0 {
            finished = true
        } else if errno != EINTR {
            printError("cannot read \(name): \(String(cString: strerror(errno)))")
            failed = true
            finished = true
        }
    }

    func makeIterator() -> AnyIterator<InputLine> { AnyIterator { self.nextLine() } }

    /// Ends the command with exit status 2 if reading failed part way.
    func finish() throws {
        if failed { throw ExitCode(2) }
    }

    /// The whole content of `path` (`@file` arguments, rules files).
    static func contents(of path: String) throws -> [UInt8] {
        let input = try Input(path)
        let bytes = input.readAll()
        try input.finish()
        return bytes
    }
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

