import EventSchedule
import Testing

/// The shared conformance data (answers computed outside this project).
@Suite("Conformance fixtures")
struct ConformanceTests {
    @Test("the fixture files are complete")
    func fixtureCounts() {
        #expect(Fixtures.schedules.count == 240)
        #expect(Fixtures.observed.count == 40)
    }

    @Test("schedules.jsonl: validity and the first n fire times (UTC)", arguments: Fixtures.schedules)
    func schedule(_ testCase: Fixtures.ScheduleCase) throws {
        let valid = ScheduleExpression.isValid(testCase.expr, dialect: .scheduledRule)
        #expect(valid == testCase.expect.valid)
        guard testCase.expect.valid, let expected = testCase.expect.next else { return }
        #expect(testCase.expr.hasPrefix("cron("))
        let start = try Instant(iso8601: testCase.start)
        let cron = try CronExpression(parsing: testCase.expr)
        let actual = isoList(Array(cron.fireTimes(after: start).prefix(testCase.n)))
        #expect(actual == expected)
        // The same answer through the CLI helper (UTC).
        let viaHelper = try ScheduleExpression.nextFireTimes(testCase.expr, after: start, count: testCase.n, timeZone: nil)
        #expect(isoList(viaHelper) == expected)
    }

    @Test("aws-observed-schedules.jsonl: AWS's validity", arguments: Fixtures.observed)
    func observed(_ testCase: Fixtures.ObservedCase) {
        #expect(ScheduleExpression.isValid(testCase.expr, dialect: .scheduledRule) == testCase.expect.valid)
    }

    @Test("every invalid case fails with a field and a message, never a trap")
    func invalidCasesExplainThemselves() {
        let invalid = Fixtures.schedules.filter { !$0.expect.valid }.map(\.expr)
            + Fixtures.observed.filter { !$0.expect.valid }.map(\.expr)
        #expect(invalid.count > 100)
        for text in invalid {
            do {
                _ = try ScheduleExpression(parsing: text, dialect: .scheduledRule)
                Issue.record("accepted \(text)")
            } catch {
                #expect(!error.message.isEmpty)
                #expect(error.description.hasPrefix(error.field.name + ": "))
                if let offset = error.offset { #expect(offset >= 0 && offset <= text.utf8.count) }
            }
        }
    }

    /// The worked examples of spec §5.4 (reference time 2025-01-30T22:47:30Z).
    @Test("spec §5.4 worked examples", arguments: [
        ("cron(0 10 * * ? *)", ["2025-01-31T10:00:00Z", "2025-02-01T10:00:00Z", "2025-02-02T10:00:00Z"]),
        ("cron(0/15 * * * ? *)", ["2025-01-30T23:00:00Z", "2025-01-30T23:15:00Z", "2025-01-30T23:30:00Z"]),
        ("cron(0 18 ? * MON-FRI *)", ["2025-01-31T18:00:00Z", "2025-02-03T18:00:00Z", "2025-02-04T18:00:00Z"]),
        ("cron(0 8 1 * ? *)", ["2025-02-01T08:00:00Z", "2025-03-01T08:00:00Z", "2025-04-01T08:00:00Z"]),
        ("cron(15 10 ? * 6L *)", ["2025-01-31T10:15:00Z", "2025-02-28T10:15:00Z", "2025-03-28T10:15:00Z"]),
        ("cron(0 2 ? * SAT#3 *)", ["2025-02-15T02:00:00Z", "2025-03-15T02:00:00Z", "2025-04-19T02:00:00Z"]),
        ("cron(0 9 15W * ? *)", ["2025-02-14T09:00:00Z", "2025-03-14T09:00:00Z", "2025-04-15T09:00:00Z"]),
        ("cron(0/30 20-2 ? * MON-FRI *)", ["2025-01-30T23:00:00Z", "2025-01-30T23:30:00Z", "2025-01-31T00:00:00Z"]),
        ("cron(0 12 ? * 2 *)", ["2025-02-03T12:00:00Z", "2025-02-10T12:00:00Z", "2025-02-17T12:00:00Z"]),
        ("cron(0 0 L * ? *)", ["2025-01-31T00:00:00Z", "2025-02-28T00:00:00Z", "2025-03-31T00:00:00Z"]),
        ("cron(0 12 ? JAN,MAR 1 2026)", ["2026-01-04T12:00:00Z", "2026-01-11T12:00:00Z", "2026-01-18T12:00:00Z"]),
    ])
    func specExample(_ expression: String, _ expected: [String]) throws {
        #expect(try cronTimes(expression, after: "2025-01-30T22:47:30Z", count: 3) == expected)
    }

    @Test("spec §5.4 example 12: rate(5 minutes) anchored at creation")
    func specRateExample() throws {
        let created = utc("2025-01-30T22:47:30Z")
        let rate = try RateExpression(parsing: "rate(5 minutes)")
        #expect(isoList(Array(rate.fireTimes(after: created, anchor: created).prefix(3)))
                == ["2025-01-30T22:52:30Z", "2025-01-30T22:57:30Z", "2025-01-30T23:02:30Z"])
    }
}
