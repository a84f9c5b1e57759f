import ArgumentParser
import EventPatterns

/// `eventrouter examples --pattern P [--count N] [--seed S]`
struct Examples: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "examples",
        abstract: "Generate events that match a pattern and near misses that do not.",
        discussion: """
        Prints JSON Lines {"event": {...}, "match": true|false, "why": "..."}, alternating matching \
        events and near misses (one field broken each). Every line's "match" is the matcher's verdict on \
        that event. P is pattern text or @FILE; the same --seed gives the same events.
        """
    )

    @Option(help: "The pattern: JSON text or @file.")
    var pattern: String

    @Option(help: "How many examples.")
    var count = 10

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    func run() throws {
        let compiled = try compilePattern(pattern)
        var generator = SplitMix64(seed: seed)
        var output = Output()
        for example in compiled.examples(count: max(count, 0), using: &generator) {
            output.line(JSONValue.object(JSONObject([("event", example.event), ("match", .bool(example.matches)),
                                                     ("why", .string(example.why))])).jsonText)
        }
        output.flush()
    }
}
