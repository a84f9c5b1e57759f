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
}
