import EventSchedule
import Foundation
import Testing

/// Keeps `Documentation/SCHEDULES.md` honest: every row of its checked-examples table is recomputed.
@Suite("Documentation examples")
struct DocumentationTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var expression: String
        var zone: String?
        var after: String
        var expected: [String]
        var testDescription: String { "\(expression) in \(zone ?? "UTC")" }
    }

    static let examples: [Example] = {
        let url = Fixtures.packageRoot.appendingPathComponent("Documentation/SCHEDULES.md")
        guard let data = try? Data(contentsOf: url) else { return [] }
        let text = String(decoding: data, as: UTF8.self)
        guard let begin = text.range(of: "<!-- checked-examples:begin -->"),
              let end = text.range(of: "<!-- checked-examples:end -->") else { return [] }
        return text[begin.upperBound..<end.lowerBound].split(separator: "\n").compactMap { line in
            guard line.hasPrefix("| `") else { return nil }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 6 else { return nil }
            let expression = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let zone = cells[2] == "UTC" ? nil : cells[2]
            let expected = cells[4] == "never" ? [] : cells[4].components(separatedBy: ", ")
            return Example(expression: expression, zone: zone, after: cells[3], expected: expected)
        }
    }()

    @Test("the table is there")
    func tableFound() {
        #expect(Self.examples.count >= 20)
    }

    @Test("each example's fire times", arguments: examples)
    func example(_ example: Example) throws {
        // "never" rows ask for one fire time and must get none.
        let count = max(example.expected.count, 1)
        let actual = try ScheduleExpression.nextFireTimes(example.expression, after: try Instant(iso8601: example.after),
                                                          count: count, timeZone: example.zone)
        #expect(isoList(actual) == example.expected)
    }
}
