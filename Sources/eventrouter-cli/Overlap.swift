import ArgumentParser
import EventPatterns

/// `eventrouter overlap RULES [--witnesses N] [--seed S]`
struct Overlap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overlap",
        abstract: "Report rules whose matches contain or intersect another rule's.",
        discussion: """
        RULES is a rules file as for `match` (JSON Lines {"name", "pattern"}, or one object of name → \
        pattern). Prints one JSON line per overlapping pair: {"kind": "contains", "outer", "inner", \
        "witness"} (proved: outer matches every event inner matches), {"kind": "equivalent", "rules": [a, \
        b], "witness"}, {"kind": "likely-contains", …} (every generated witness of inner matches outer, \
        without a proof) or {"kind": "intersects", "rules": [a, b], "witness"}; the witness is an event \
        both rules match. Containment comes first; --containment-only leaves out the intersections. Exit status 0, or 2 when a rule is invalid.
        """
    )

    @Argument(help: "The rules file.")
    var rules: String

    @Option(help: "Matching events generated per rule.")
    var witnesses = 12

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Flag(help: "Print only containment (contains, equivalent, likely-contains), not mere intersections.")
    var containmentOnly = false

    func run() throws {
        let (loaded, bad) = try loadRules(rules)
        var compiled: [(name: String, pattern: EventPattern)] = []
        var invalid = bad
        for rule in loaded {
            do {
                compiled.append((rule.name, try EventPattern(json: rule.pattern)))
            } catch {
                printError("\(rule.place(in: rules)): rule \(rule.name): \(error.message)")
                invalid = true
            }
        }
        if invalid { throw ExitCode(2) }
        var generator = SplitMix64(seed: seed)
        var output = Output()
        let overlaps = PatternOverlap.analyze(compiled, witnesses: max(witnesses, 1), using: &generator)
        // Containment comes first (what usually needs attention: a rule another one shadows).
        for overlap in overlaps where !containmentOnly || overlap.kind != .intersects { output.line(overlap.json.jsonText) }
        output.flush()
    }
}
