import EventSchedule
import Testing

@Suite("rate(...)")
struct RateTests {
    private func error(_ text: String) -> ScheduleError? {
        do { _ = try RateExpression(parsing: text); return nil } catch { return error }
    }

    @Test("valid rates and their periods", arguments: [
        ("rate(1 minute)", 60), ("rate(5 minutes)", 300), ("rate(1 hour)", 3_600), ("rate(15 hours)", 54_000),
        ("rate(1 day)", 86_400), ("rate(1440 days)", 124_416_000), ("rate(05 minutes)", 300),
    ] as [(String, Int64)])
    func valid(_ text: String, _ period: Int64) throws {
        #expect(try RateExpression(parsing: text).periodSeconds == period)
    }

    @Test("singular only with 1, plural otherwise")
    func plurality() {
        for text in ["rate(1 minutes)", "rate(1 hours)", "rate(1 days)", "rate(5 minute)", "rate(10 hour)", "rate(10 day)"] {
            let failure = error(text)
            #expect(failure?.code == .invalidRateUnit, "\(text)")
            #expect(failure?.field == .rateUnit, "\(text)")
        }
        #expect(error("rate(1 hours)")?.message.contains("'hour'") == true)
    }

    @Test("values: positive whole numbers only")
    func values() {
        for text in ["rate(0 minutes)", "rate(-1 days)", "rate(60.0 minutes)", "rate(foo minutes)", "rate(2147483648 minutes)",
                     "rate(99999999999999999999 days)"] {
            #expect(error(text)?.field == .rateValue, "\(text)")
            #expect(error(text)?.code == .invalidRateValue, "\(text)")
        }
        #expect((try? RateExpression(parsing: "rate(2147483647 days)"))?.value == 2_147_483_647)
    }

    @Test("units: minute(s), hour(s), day(s), lower case")
    func units() {
        for text in ["rate(10 seconds)", "rate(1 week)", "rate(10 MINUTES)", "rate(1 Minute)", "rate(10 minutess)"] {
            #expect(error(text)?.field == .rateUnit, "\(text)")
        }
    }

    @Test("spacing and wrapper are exact")
    func shape() {
        for text in ["rate(1  hour)", "rate( 10 minutes)", "rate(10 minutes )", "rate(10minutes)", "rate(10)", "rate()",
                     "rate(5 minutes", " rate(10 minutes)", "rate(1\thour)", "RATE(1 hour)"] {
            #expect(error(text) != nil, "\(text)")
        }
        #expect(error("rate(1  hour)")?.code == .malformedExpression)
    }

    @Test("fire times count from the anchor; the anchor itself does not fire")
    func anchoring() throws {
        let rate = try RateExpression(parsing: "rate(1 hour)")
        let anchor = utc("2025-01-30T22:47:30Z")
        #expect(rate.next(after: anchor, anchor: anchor)?.iso8601 == "2025-01-30T23:47:30Z")
        #expect(rate.next(after: utc("2025-01-01T00:00:00Z"), anchor: anchor)?.iso8601 == "2025-01-30T23:47:30Z")
        #expect(rate.next(after: utc("2025-01-31T05:00:00Z"), anchor: anchor)?.iso8601 == "2025-01-31T05:47:30Z")
        #expect(rate.next(after: utc("2025-01-31T05:47:30Z"), anchor: anchor)?.iso8601 == "2025-01-31T06:47:30Z")
        #expect(rate.previous(before: utc("2025-01-31T05:47:30Z"), anchor: anchor)?.iso8601 == "2025-01-31T04:47:30Z")
        #expect(rate.previous(before: utc("2025-01-31T05:47:31Z"), anchor: anchor)?.iso8601 == "2025-01-31T05:47:30Z")
        #expect(rate.previous(before: utc("2025-01-30T23:47:30Z"), anchor: anchor) == nil)
        #expect(rate.previous(before: utc("2025-01-30T23:47:31Z"), anchor: anchor)?.iso8601 == "2025-01-30T23:47:30Z")
    }

    @Test("a day is 24 hours, whatever the calendar does")
    func days() throws {
        let rate = try RateExpression(parsing: "rate(2 days)")
        let anchor = utc("2024-02-27T12:00:00Z")
        #expect(isoList(Array(rate.fireTimes(after: anchor, anchor: anchor).prefix(2)))
                == ["2024-02-29T12:00:00Z", "2024-03-02T12:00:00Z"])
    }

    @Test("extreme instants give nil, not a trap")
    func extremes() throws {
        let rate = try RateExpression(parsing: "rate(2147483647 days)")
        #expect(rate.next(after: Instant(secondsSince1970: .max), anchor: Instant(secondsSince1970: .min)) == nil)
        #expect(rate.previous(before: Instant(secondsSince1970: .min), anchor: Instant(secondsSince1970: .max)) == nil)
        #expect(rate.next(after: Instant(secondsSince1970: .max - 10), anchor: Instant(secondsSince1970: 0)) == nil)
    }

    @Test("canonical text")
    func text() throws {
        #expect(try RateExpression(parsing: "rate(05 minutes)").description == "rate(5 minutes)")
        #expect(try RateExpression(value: 1, unit: .day).description == "rate(1 day)")
        #expect(throws: ScheduleError.self) { try RateExpression(value: 0, unit: .day) }
    }
}

@Suite("at(...)")
struct AtTests {
    @Test("parses the exact form")
    func parse() throws {
        let at = try AtExpression(parsing: "at(2025-01-30T22:47:30)")
        #expect(at.dateTime.description == "2025-01-30T22:47:30")
        #expect(at.description == "at(2025-01-30T22:47:30)")
        #expect(at.fireTime()?.iso8601 == "2025-01-30T22:47:30Z")
        #expect(at.next(after: utc("2025-01-30T22:47:29Z"))?.iso8601 == "2025-01-30T22:47:30Z")
        #expect(at.next(after: utc("2025-01-30T22:47:30Z")) == nil)
        #expect(at.previous(before: utc("2025-01-30T22:47:31Z"))?.iso8601 == "2025-01-30T22:47:30Z")
        #expect(at.previous(before: utc("2025-01-30T22:47:30Z")) == nil)
    }

    @Test("rejects malformed and impossible times", arguments: [
        "at(2025-02-29T00:00:00)", "at(2025-13-01T00:00:00)", "at(2025-01-01T24:00:00)", "at(2025-01-01T00:60:00)",
        "at(2025-01-01T00:00:60)", "at(2025-01-01 00:00:00)", "at(2025-01-01T00:00)", "at(2025-01-01T00:00:00Z)",
        "at(25-01-01T00:00:00)", "at(2025-01-01T00:00:00", "at()", "at( 2025-01-01T00:00:00)",
    ])
    func invalid(_ text: String) {
        #expect(throws: ScheduleError.self) { try ScheduleExpression(parsing: text) }
    }

    @Test("a wrong separator is a format error, an impossible date a calendar one")
    func messagesSayWhatIsWrong() {
        func message(_ text: String) -> String? {
            do { _ = try AtExpression(parsing: text); return nil } catch { return error.message }
        }
        for text in ["at(2025-03-01 10:00:00)", "at(2025-03-01t10:00:00)", "at(2025/03/01T10:00:00)", "at(2025-03-01T10.00.00)"] {
            #expect(message(text)?.hasPrefix("expected at(yyyy-mm-ddThh:mm:ss)") == true, "\(text)")
        }
        #expect(message("at(2025-02-30T10:00:00)") == "'2025-02-30T10:00:00' is not a real date and time")
    }

    @Test("scheduled rules do not take at(...)")
    func dialect() {
        #expect(ScheduleExpression.isValid("at(2025-06-01T09:00:00)", dialect: .scheduler))
        #expect(!ScheduleExpression.isValid("at(2025-06-01T09:00:00)", dialect: .scheduledRule))
        do {
            _ = try ScheduleExpression(parsing: "at(2025-06-01T09:00:00)", dialect: .scheduledRule)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .notSupportedByDialect)
        }
    }

    @Test("leap day exists in leap years only")
    func leap() throws {
        #expect(try AtExpression(parsing: "at(2024-02-29T12:00:00)").fireTime()?.iso8601 == "2024-02-29T12:00:00Z")
        #expect(throws: ScheduleError.self) { try AtExpression(parsing: "at(2100-02-29T12:00:00)") }
    }
}
