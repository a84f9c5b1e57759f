import ArgumentParser
import CBenchSupport
import EventPatterns
import Foundation

/// `eventrouter-bench`: matching throughput, rule-add time and index size over a data set of events.
///
/// Prints one JSON line per workload:
/// `{"workload","rules","events","eps_median","eps_min","eps_max","matches_per_pass","add_rules_ms",
///   "index_bytes","allocs_per_event"}`, then `"eps_chunked"` (one thread: the rate over each
///   1,000-event chunk's fastest time, steadier on a shared machine) or `"threads"`.
@main
struct Bench: ParsableCommand {
    @Option(help: "The events: JSON Lines, optionally gzip-compressed.")
    var data: String

    @Option(help: "A directory of W*.rules files (one pattern per line; rules are named r0, r1, ...).")
    var workloads: String?

    @Option(help: "Comma-separated workload names to run (default: all).")
    var only: String?

    @Option(help: "Measured passes over the data per workload (at least 1).")
    var passes = 5

    @Option(help: "Warm-up passes before measuring.")
    var warmup = 1

    @Option(help: "Matching threads (each thread matches every event of a pass with its own matcher).")
    var threads = 1

    @Flag(help: "Run the scaling series (1 to 100,000 exact rules; 1,000 prefix/wildcard/anything-but/numeric rules).")
    var scaling = false

    @Flag(help: "Also match with no rules at all (the cost of reading the bytes).")
    var baseline = false

    @Option(help: ArgumentHelp(
        "Compare two rule sets on a noisy machine: A,B are workload names from --workloads, or scale-exact-N (the scaling series' generator).",
        discussion: "Both indexes match chunks of events in turn (each chunk cold, as in a full pass), every chunk --passes times; the fastest time of each chunk counts. Prints one JSON line with both rates and their ratio."))
    var pair: String?

    @Option(help: "Events per chunk for --pair and eps_chunked.")
    var chunk = 1000

    @Flag(help: "Match with EventLimits.canonicalEvents (stop reading once every key rules use was seen); workload names get a '+canonical' suffix.")
    var canonical = false

    func validate() throws {
        if passes < 1 { throw ValidationError("--passes must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if chunk < 1 { throw ValidationError("--chunk must be at least 1") }
        if let pair, pair.split(separator: ",").count != 2 { throw ValidationError("--pair takes two names: A,B") }
    }

    func run() throws {
        let events = try EventData(path: data)
        if baseline {
            try measure(name: "W0-no-rules", rules: [], events: events)
        }
        if let workloads, pair == nil {
            let wanted = only.map { Set($0.split(separator: ",").map(String.init)) }
            let files = try FileManager.default.contentsOfDirectory(atPath: workloads)
                .filter { $0.hasSuffix(".rules") }
                .sorted { $0.localizedStandardCompare($1) == .orderedAscending }
            for file in files {
                let name = String(file.dropLast(".rules".count))
                if let wanted, !wanted.contains(name) { continue }
                try measure(name: name, rules: try rules(named: name, events: events), events: events)
            }
        }
        if scaling { try runScaling(events: events) }
        if let pair { try runPair(pair.split(separator: ",").map(String.init), events: events) }
    }

    /// Adds the rules, then times full passes over the events.
    func measure(name: String, rules: [(String, String)], events: EventData, extra: [String: String] = [:]) throws {
        let index = RuleIndex<Int>(configuration: .init(
            patternLimits: .init(maxPatternLength: 4096), eventLimits: .init(canonicalEvents: canonical)))
        let addStart = DispatchTime.now().uptimeNanoseconds
        // Rule IDs are the rules' line numbers: Int IDs cost nothing to copy into results, where
        // String IDs would be retained per match (shared reference counts slow two threads down).
        try index.add(contentsOf: rules.enumerated().map { ($0.offset, $0.element.1) })
        let addMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - addStart) / 1e6

        var rates: [Double] = []
        var matchesPerPass = 0
        var allocationsPerEvent = 0.0
        let chunkTimes = ChunkTimes(events: events.count, chunk: chunk)
        for pass in 0..<(warmup + passes) {
            let (seconds, matches, allocations) = try timePass(index: index, events: events, chunkTimes: pass >= warmup ? chunkTimes : nil)
            if pass >= warmup {
                rates.append(Double(events.count * threads) / seconds)
                matchesPerPass = matches
                allocationsPerEvent = Double(allocations) / Double(events.count * threads)
            }
        }
        rates.sort()
        var fields: [(String, String)] = [
            ("workload", "\"\(name)\(canonical ? "+canonical" : "")\""),
            ("rules", "\(rules.count)"),
            ("events", "\(events.count)"),
            ("eps_median", "\(Int(rates[rates.count / 2]))"),
            ("eps_min", "\(Int(rates.first ?? 0))"),
            ("eps_max", "\(Int(rates.last ?? 0))"),
            ("matches_per_pass", "\(matchesPerPass)"),
            ("add_rules_ms", String(format: "%.2f", addMilliseconds)),
            ("index_bytes", "\(index.indexBytes)"),
            ("allocs_per_event", String(format: "%.4f", allocationsPerEvent)),
        ]
        if threads > 1 { fields.append(("threads", "\(threads)")) } else { fields.append(("eps_chunked", "\(Int(chunkTimes.rate))")) }
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { fields.append((key, value)) }
        emit("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    }

    /// The fastest time of each chunk of events over several passes of one matcher.
    final class ChunkTimes {
        let events: Int
        /// The chunks: consecutive ranges of event numbers.
        let ranges: [Range<Int>]
        private var fastest: [UInt64]
        init(events: Int, chunk: Int) {
            self.events = events
            ranges = stride(from: 0, to: events, by: chunk).map { $0..<min($0 + chunk, events) }
            fastest = [UInt64](repeating: .max, count: ranges.count)
        }
        /// Runs `body` (chunk `number`'s work) and keeps its time if it is that chunk's fastest.
        func time(_ number: Int, _ body: () throws -> Void) rethrows {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            fastest[number] = min(fastest[number], DispatchTime.now().uptimeNanoseconds - start)
        }
        /// Events per second over the sum of the fastest times (0 until every chunk was timed).
        var rate: Double {
            let nanoseconds = fastest.reduce(0) { $0 &+ $1 }
            return fastest.contains(.max) || nanoseconds == 0 ? 0 : Double(events) / (Double(nanoseconds) / 1e9)
        }
    }

    /// One pass over all events on `threads` threads; returns (seconds, matches of one thread, allocations).
    /// With one thread, also keeps each chunk's fastest time in `chunkTimes`.
    func timePass(index: RuleIndex<Int>, events: EventData, chunkTimes: ChunkTimes? = nil) throws -> (Double, Int, UInt64) {
        final class Matchers: @unchecked Sendable {
            // Each matcher is used by exactly one thread.
            let all: [RuleIndex<Int>.Matcher]
            init(_ all: [RuleIndex<Int>.Matcher]) { self.all = all }
        }
        let matchers = Matchers((0..<threads).map { _ in index.makeMatcher() })
        final class Counter: @unchecked Sendable { var matches = 0; var failed = false }
        let counters = (0..<threads).map { _ in Counter() }
        // Grow each matcher's buffers before counting allocations.
        var results: [Int] = []
        results.reserveCapacity(index.count + 16)
        for matcher in matchers.all { try events.withEvent(0) { try matcher.matches($0, into: &results) } }
        let allocationsBefore = bench_allocation_count()
        let start = DispatchTime.now().uptimeNanoseconds
        if threads == 1 {
            counters[0].matches = try matchPass(matchers.all[0], events: events, chunkTimes: chunkTimes)
        } else {
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                do { counters[thread].matches = try matchPass(matchers.all[thread], events: events) }
                catch { counters[thread].failed = true }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let allocations = bench_allocation_count() - allocationsBefore
        if counters.contains(where: { $0.failed }) { throw ValidationError("an event failed to match") }
        return (seconds, counters[0].matches, allocations)
    }

    func matchPass(_ matcher: RuleIndex<Int>.Matcher, events: EventData, chunkTimes: ChunkTimes? = nil) throws -> Int {
        var results: [Int] = []
        results.reserveCapacity(matcher.index.count + 16)
        var matches = 0
        guard let chunkTimes else {
            for event in 0..<events.count {
                try events.withEvent(event) { try matcher.matches($0, into: &results) }
                matches += results.count
            }
            return matches
        }
        for (number, range) in chunkTimes.ranges.enumerated() {
            try chunkTimes.time(number) {
                for event in range {
                    try events.withEvent(event) { try matcher.matches($0, into: &results) }
                    matches += results.count
                }
            }
        }
        return matches
    }

    // MARK: - Pairs

    /// The rules of workload `name`: a `.rules` file in `--workloads`, or `scale-exact-N`.
    func rules(named name: String, events: EventData) throws -> [(String, String)] {
        if name.hasPrefix("scale-exact-"), let count = Int(name.dropFirst("scale-exact-".count)), count > 0 {
            return exactRules(count, present: presentValues(events))
        }
        guard let workloads else { throw ValidationError("\(name): no --workloads directory given") }
        let text = try String(contentsOfFile: workloads + "/" + name + ".rules", encoding: .utf8)
        return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }.enumerated().map { ("r\($0.offset)", $0.element) }
    }

    /// Rates of two rule sets measured chunk by chunk, alternating, keeping each chunk's fastest
    /// time: CPU time stolen by other tenants lengthens some runs of a chunk, never shortens one.
    /// Needs the data set to be much larger than the last-level cache (chunks must be read cold).
    func runPair(_ names: [String], events: EventData) throws {
        let indexes = try names.map { name in
            let index = RuleIndex<Int>(configuration: .init(
                patternLimits: .init(maxPatternLength: 4096), eventLimits: .init(canonicalEvents: canonical)))
            try index.add(contentsOf: rules(named: name, events: events).enumerated().map { ($0.offset, $0.element.1) })
            return index
        }
        let matchers = indexes.map { $0.makeMatcher() }
        var results: [Int] = []
        results.reserveCapacity((indexes.map(\.count).max() ?? 0) + 16)
        var matches = [0, 0]
        for side in 0..<2 {  // warm-up pass, counting matches
            for event in 0..<events.count {
                try events.withEvent(event) { try matchers[side].matches($0, into: &results) }
                matches[side] += results.count
            }
        }
        let times = [ChunkTimes(events: events.count, chunk: chunk), ChunkTimes(events: events.count, chunk: chunk)]
        let chunks = times[0].ranges
        // Two sides half the data apart: with fewer chunks one side would read what the other just did.
        guard chunks.count >= 4 else {
            throw ValidationError("--pair needs at least 4 chunks of events (\(events.count) events, --chunk \(chunk))")
        }
        // At each step the two sides take chunks half the data set apart (and swap halves every
        // pass), so neither finds events the other just read in the cache: each chunk is read
        // cold, as in a full pass.
        for pass in 0..<passes {
            for step in 0..<chunks.count {
                for side in 0..<2 {
                    let number = (step + (side + pass) % 2 * (chunks.count / 2)) % chunks.count
                    try times[side].time(number) {
                        for event in chunks[number] {
                            try events.withEvent(event) { try matchers[side].matches($0, into: &results) }
                        }
                    }
                }
            }
        }
        let rates = times.map(\.rate)
        emit(#"{"pair":"\#(names[0])/\#(names[1])","events":\#(events.count),"eps_a":\#(Int(rates[0])),"eps_b":\#(Int(rates[1])),"#
             + #""ratio_b_to_a":\#(String(format: "%.3f", rates[1] / rates[0])),"matches_a":\#(matches[0]),"matches_b":\#(matches[1]),"#
             + #""chunk":\#(chunk),"passes":\#(passes)}"#)
    }

    // MARK: - Scaling

    /// Values that occur in the data (MAPBLKLOT of events spread over the set).
    func presentValues(_ events: EventData) -> [String] {
        var present: [String] = []
        let stride = max(1, events.count / 60_000)
        var seen = Set<String>()
        for event in Swift.stride(from: 0, to: events.count, by: stride) {
            if let value = events.stringField(event, key: "\"MAPBLKLOT\": \""), seen.insert(value).inserted { present.append(value) }
        }
        return present
    }

    /// `count` one-field exact rules: even ones name a value of `present`, odd ones a value that never occurs.
    func exactRules(_ count: Int, present: [String]) -> [(String, String)] {
        (0..<count).map { index in
            let value = index % 2 == 0 && index / 2 < present.count ? present[index / 2] : "ABSENT\(index)"
            return ("r\(index)", #"{"properties":{"MAPBLKLOT":[""# + value + #""]}}"#)
        }
    }

    func runScaling(events: EventData) throws {
        let present = presentValues(events)
        func exactRules(_ count: Int) -> [(String, String)] { self.exactRules(count, present: present) }
        for count in [1, 10, 100, 1_000, 10_000, 100_000] {
            try measure(name: "scale-exact-\(count)", rules: exactRules(count), events: events)
        }
        let thousand = 0..<1000
        let prefixes = thousand.map { ("r\($0)", #"{"properties":{"MAPBLKLOT":[{"prefix":"\#(String(format: "%04d", $0 * 7 % 10000))"}]}}"#) }
        try measure(name: "scale-prefix-1000", rules: prefixes, events: events)
        let wildcards = thousand.map { ("r\($0)", #"{"properties":{"MAPBLKLOT":[{"wildcard":"\#(String(format: "%03d", $0))*\#($0 % 10)"}]}}"#) }
        try measure(name: "scale-wildcard-1000", rules: wildcards, events: events)
        let anythingBut = thousand.map { ("r\($0)", #"{"properties":{"MAPBLKLOT":[{"anything-but":["\#(present[$0 % present.count])"]}]}}"#) }
        try measure(name: "scale-anything-but-1000", rules: anythingBut, events: events)
        let numeric = thousand.map { index in
            let low = -122.52 + Double(index) * 0.0001
            return ("r\(index)", #"{"geometry":{"firstCoordinates":{"x":[{"numeric":[">",\#(low),"<",\#(low + 0.0005)]}]}}}"#)
        }
        try measure(name: "scale-numeric-1000", rules: numeric, events: events)
        // 100,000 against 10,000 rules chunk by chunk: the ratio survives a noisy machine.
        try runPair(["scale-exact-10000", "scale-exact-100000"], events: events)
        // One-by-one adds (each add recompiles and publishes, so n adds cost O(n²)), for the rule-add rate.
        for count in [100, 1_000] {
            let rules = exactRules(count)
            let index = RuleIndex<Int>()
            let start = DispatchTime.now().uptimeNanoseconds
            for (number, rule) in rules.enumerated() { try index.add(number, pattern: rule.1) }
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            emit(#"{"workload":"add-one-by-one-\#(count)","rules":\#(count),"add_rules_ms":\#(String(format: "%.1f", milliseconds)),"index_bytes":\#(index.indexBytes)}"#)
        }
    }
}

/// Writes one line to standard output, unbuffered.
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The events, one per line, in one contiguous buffer.
final class EventData: @unchecked Sendable {
    let buffer: UnsafeMutablePointer<UInt8>
    let length: Int
    var starts: [Int] = []
    var ends: [Int] = []

    init(path: String) throws {
        var length = 0
        guard let buffer = bench_read_file(path, &length) else { throw ValidationError("cannot read \(path)") }
        self.buffer = buffer
        self.length = length
        var start = 0
        for index in 0..<length where buffer[index] == 0x0A {
            if index > start { starts.append(start); ends.append(index) }
            start = index + 1
        }
        if start < length { starts.append(start); ends.append(length) }
    }

    deinit { bench_free(buffer) }

    var count: Int { starts.count }

    @inline(__always)
    func withEvent<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: buffer + starts[index], count: ends[index] - starts[index]))
    }

    /// The string value after `key` (a literal like `"MAPBLKLOT": "`) in event `index`.
    func stringField(_ index: Int, key: String) -> String? {
        withEvent(index) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let range = text.range(of: key) else { return nil }
            let rest = text[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { return nil }
            return String(rest[..<end])
        }
    }
}
