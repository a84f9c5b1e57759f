import FuzzHarnessChecks
import Foundation
import PatternTestSupport
import Testing

/// Replays every fuzzer input checked into the repository — the seed corpora (fuzz/corpora/<target>/)
/// and the minimised crashes (fuzz/regressions/<target>/) — through the same checks the libFuzzer
/// harnesses run (fuzz/Checks/FuzzCheck.swift), so `swift test` needs no libFuzzer to keep them fixed.
@Suite struct FuzzCorpusReplayTests {
    static func inputs(_ target: FuzzCheck.Target) -> [URL] {
        ["fuzz/corpora", "fuzz/regressions"].flatMap { directory -> [URL] in
            let url = Fixtures.url("\(directory)/\(target.rawValue)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { url.appendingPathComponent($0) }
        }
    }

    @Test(arguments: FuzzCheck.Target.allCases)
    func replay(target: FuzzCheck.Target) throws {
        let files = Self.inputs(target)
        #expect(!files.isEmpty, "no corpus for fuzz-\(target.rawValue)")
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: file))
            #expect(throws: Never.self, "fuzz/\(file.deletingLastPathComponent().deletingLastPathComponent().lastPathComponent)/\(target.rawValue)/\(file.lastPathComponent)") {
                try FuzzCheck.check(target, bytes)
            }
        }
    }

    /// The JSON check compares with jansson, and tolerates only the documented differences.
    @Test func jsonCheckUsesJanssonAndItsKnownDifferences() throws {
        #expect(FuzzCheck.comparesWithJansson)
        // Accepted by both, same values (duplicate keys: last wins in both; \u0000 allowed).
        for text in [#"{"a": 1, "a": [2.5, "x\u0000y", null, true]}"#, "-0", "1E2", #""\ud83d\ude00""#, "[[[]]]"] {
            #expect(throws: Never.self, "\(text)") { try FuzzCheck.check(.json, Array(text.utf8)) }
        }
        // Only we accept: numbers beyond jansson's ranges (documented).
        for text in ["18446744073709551616", "[1e400]", "-1e999"] {
            #expect(throws: Never.self, "\(text)") { try FuzzCheck.check(.json, Array(text.utf8)) }
        }
        // Nesting beyond our limit but within jansson's.
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: Never.self) { try FuzzCheck.check(.json, Array(deep.utf8)) }
        // Both reject.
        for text in ["[1,]", "{'a': 1}", "\u{FF}", "01", "[1e]"] {
            #expect(throws: Never.self, "\(text)") { try FuzzCheck.check(.json, Array(text.utf8)) }
        }
    }
}

