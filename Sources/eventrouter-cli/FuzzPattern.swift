import ArgumentParser
import EventPatterns

/// `eventrouter fuzz-pattern --pattern P [--events FILE] [--runs N] [--seed S]`
struct FuzzPattern: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-pattern",
        abstract: "Mutate events and report the small changes that flip a pattern's verdict.",
        discussion: """
        Starts from the events of --events (JSON Lines; default: 16 generated examples, matches and near \
        misses), mutates the fields the pattern reads (case, 300 vs 300.0 vs "300", array wrapping, dotted \
        keys, spaces, accents, null, missing fields, neighbouring numbers, …) and prints one JSON line per \
        distinct surprise: {"path", "mutation", "from", "to", "before", "after", "note", "event"} — both \
        verdicts come from the matcher. The last line is {"summary": {"runs", "seed_events", "flips", \
        "distinct_edges"}}. P is pattern text or @FILE. Exit status 0, or 2 on invalid input.
        """
    )

    @Option(help: "The pattern: JSON text or @file.")
    var pattern: String

    @Option(help: "JSON Lines file of events to start from (default: generated examples).")
    var events: String?

    @Option(help: "The most mutated events to evaluate.")
    var runs = 1000

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    func run() throws {
        let compiled = try compilePattern(pattern)
        var seeds: [JSONValue] = []
        if let events {
            let input = try Input(events)
            for line in input where !line.isBlank {
                let number = line.number
                do {
                    let value = try JSONReader.parse(line.bytes)
                    guard case .object = value else {
                        printError("\(events):\(number): an event must be a JSON object")
                        throw ExitCode(2)
                    }
                    seeds.append(value)
                } catch let error as JSONError {
                    printError("\(events):\(number): not valid JSON: \(error)")
                    throw ExitCode(2)
                }
            }
            try input.finish()
        }
        var generator = SplitMix64(seed: seed)
        let report = compiled.edges(seedEvents: seeds, runs: max(runs, 0), using: &generator)
        var output = Output()
        for edge in report.edges { output.line(edge.json.jsonText) }
        output.line(report.summaryJSON.jsonText)
        output.flush()
    }
}
