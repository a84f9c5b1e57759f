import EventSchedule
import Testing

/// Parsing: every special character, names, wrapping ranges, and the errors for each field.
@Suite("Cron syntax")
struct CronSyntaxTests {
    private func cron(_ text: String) throws -> CronExpression { try CronExpression(parsing: text) }

    /// The error a text produces (nil if it parses).
    private func error(_ text: String, dialect: ScheduleExpression.Dialect = .scheduledRule) -> ScheduleError? {
        do {
            _ = try ScheduleExpression(parsing: text, dialect: dialect)
            return nil
        } catch {
            return error
        }
    }

    @Test("'*' allows every value")
    func star() throws {
        let c = try cron("cron(* * * * ? *)")
        #expect(c.minutes.values == Array(0...59))
        #expect(c.hours.values == Array(0...23))
        #expect(c.month.values == Array(1...12))
        #expect(c.year.values.first == 1970 && c.year.values.last == 2199 && c.year.values.count == 230)
        #expect(c.minutes.isUnrestricted && c.year.isUnrestricted)
        guard case .days(let days) = c.dayOfMonth else { Issue.record("expected days"); return }
        #expect(days.values == Array(1...31))
        #expect(c.dayOfWeek == .unspecified)
    }

    @Test("',' lists values, in any order, duplicates merged")
    func comma() throws {
        let c = try cron("cron(35,5,5 1,22 ? * SUN,SAT *)")
        #expect(c.minutes.values == [5, 35])
        #expect(c.hours.values == [1, 22])
        guard case .weekdays(let days) = c.dayOfWeek else { Issue.record("expected weekdays"); return }
        #expect(days.values == [1, 7])
    }

    @Test("'-' ranges, including names and single-value ranges")
    func dash() throws {
        let c = try cron("cron(10-12 9-17 ? FEB-FEB MON-FRI 2025-2027)")
        #expect(c.minutes.values == [10, 11, 12])
        #expect(c.hours.values == Array(9...17))
        #expect(c.month.values == [2])
        #expect(c.year.values == [2025, 2026, 2027])
        guard case .weekdays(let days) = c.dayOfWeek else { Issue.record("expected weekdays"); return }
        #expect(days.values == [2, 3, 4, 5, 6])
    }

    @Test("'/' increments from a start, from '*', and within a range")
    func slash() throws {
        #expect(try cron("cron(0/15 * * * ? *)").minutes.values == [0, 15, 30, 45])
        #expect(try cron("cron(1/10 * * * ? *)").minutes.values == [1, 11, 21, 31, 41, 51])
        #expect(try cron("cron(*/20 * * * ? *)").minutes.values == [0, 20, 40])
        #expect(try cron("cron(0 0-23/6 * * ? *)").hours.values == [0, 6, 12, 18])
        #expect(try cron("cron(0 0 * JAN/2 ? *)").month.values == [1, 3, 5, 7, 9, 11])
        #expect(try cron("cron(0 0 * */3 ? *)").month.values == [1, 4, 7, 10])
        #expect(try cron("cron(0 0 1 1 ? 2190/3)").year.values == [2190, 2193, 2196, 2199])
        guard case .days(let days) = try cron("cron(0 0 1/7 * ? *)").dayOfMonth else { Issue.record("days"); return }
        #expect(days.values == [1, 8, 15, 22, 29])
    }

    @Test("ranges that wrap around the field's cycle")
    func wrappingRanges() throws {
        #expect(try cron("cron(0 22-2 * * ? *)").hours.values == [0, 1, 2, 22, 23])
        #expect(try cron("cron(0 20-2/3 * * ? *)").hours.values == [2, 20, 23])
        #expect(try cron("cron(50-10 * * * ? *)").minutes.values == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59])
        #expect(try cron("cron(0 0 * NOV-FEB ? *)").month.values == [1, 2, 11, 12])
        guard case .weekdays(let friToMon) = try cron("cron(0 0 ? * FRI-MON *)").dayOfWeek else { Issue.record("weekdays"); return }
        #expect(friToMon.values == [1, 2, 6, 7])
        guard case .weekdays(let satToSun) = try cron("cron(0 0 ? * SAT-SUN *)").dayOfWeek else { Issue.record("weekdays"); return }
        #expect(satToSun.values == [1, 7])
        guard case .days(let days) = try cron("cron(0 0 30-2 * ? *)").dayOfMonth else { Issue.record("days"); return }
        #expect(days.values == [1, 2, 30, 31])
        // Years do not wrap.
        let reversed = error("cron(0 0 1 1 ? 2030-2025)")
        #expect(reversed?.field == .year)
        #expect(reversed?.code == .invalidRange)
    }

    @Test("'?' means no specific value, and must be the whole field")
    func question() throws {
        #expect(try cron("cron(0 0 ? * MON *)").dayOfMonth == .unspecified)
        #expect(try cron("cron(0 0 1 * ? *)").dayOfWeek == .unspecified)
        #expect(error("cron(? 0 1 * ? *)")?.field == .minutes)
        #expect(error("cron(0 ? 1 * ? *)")?.field == .hours)
        #expect(error("cron(0 0 1 ? ? *)")?.field == .month)
        #expect(error("cron(0 0 1,? * ? *)")?.code == .unsupportedSpecial)
    }

    @Test("exactly one of day-of-month and day-of-week is '?'")
    func dayFieldConflict() {
        let both = error("cron(0 1 * * * *)")
        #expect(both?.code == .dayFieldConflict)
        #expect(both?.field == .dayOfWeek)
        #expect(error("cron(0 12 * * 1 *)")?.code == .dayFieldConflict)
        #expect(error("cron(1,58 0 ? * ? *)")?.code == .dayFieldConflict)
    }

    @Test("'L' in day-of-month: last day, L-n, LW")
    func lastDayOfMonth() throws {
        #expect(try cron("cron(0 0 L * ? *)").dayOfMonth == .lastDay(offset: 0))
        #expect(try cron("cron(0 0 l * ? *)").dayOfMonth == .lastDay(offset: 0))
        #expect(try cron("cron(0 0 L-3 * ? *)").dayOfMonth == .lastDay(offset: 3))
        #expect(try cron("cron(0 0 L-0 * ? *)").dayOfMonth == .lastDay(offset: 0))
        #expect(try cron("cron(0 0 L-30 * ? *)").dayOfMonth == .lastDay(offset: 30))
        #expect(try cron("cron(0 0 LW * ? *)").dayOfMonth == .lastWeekday)
        #expect(error("cron(0 0 L-31 * ? *)")?.code == .valueOutOfRange)
        #expect(error("cron(0 0 L-x * ? *)")?.field == .dayOfMonth)
        #expect(error("cron(0 0 1,L * ? *)")?.code == .unsupportedSpecial)
        #expect(error("cron(0 0 L/2 * ? *)")?.field == .dayOfMonth)
        #expect(error("cron(0 0 L * L *)")?.code == .dayFieldConflict)
    }

    @Test("'W' in day-of-month: nearest weekday")
    func nearestWeekday() throws {
        #expect(try cron("cron(0 0 15W * ? *)").dayOfMonth == .nearestWeekday(15))
        #expect(try cron("cron(0 0 1W * ? *)").dayOfMonth == .nearestWeekday(1))
        #expect(try cron("cron(0 0 31W * ? *)").dayOfMonth == .nearestWeekday(31))
        #expect(error("cron(0 0-11 W * ? *)")?.field == .dayOfMonth)
        #expect(error("cron(0 0 0W * ? *)")?.code == .valueOutOfRange)
        #expect(error("cron(0 0 32W * ? *)")?.code == .valueOutOfRange)
        #expect(error("cron(0 0 1W,15 * ? *)")?.code == .unsupportedSpecial)
        #expect(error("cron(0 0 1-5W * ? *)")?.field == .dayOfMonth)
        #expect(error("cron(0 0 ? * 2W *)")?.field == .dayOfWeek)
    }

    @Test("'L' in day-of-week: dL, bare L, L-d")
    func lastWeekdayOfMonth() throws {
        #expect(try cron("cron(0 0 ? * 6L *)").dayOfWeek == .last(weekday: 6))
        #expect(try cron("cron(0 0 ? * FRIL *)").dayOfWeek == .last(weekday: 6))
        #expect(try cron("cron(0 0 ? * 1l *)").dayOfWeek == .last(weekday: 1))
        #expect(try cron("cron(0 0 ? * L-2 *)").dayOfWeek == .last(weekday: 2))
        guard case .weekdays(let saturday) = try cron("cron(0 0 ? * L *)").dayOfWeek else { Issue.record("weekdays"); return }
        #expect(saturday.values == [7])
        #expect(error("cron(0 0 ? * 8L *)")?.code == .valueOutOfRange)
        #expect(error("cron(0 0 ? * L-8 *)")?.code == .valueOutOfRange)
        #expect(error("cron(0 0 ? * 2,6L *)")?.code == .unsupportedSpecial)
        #expect(error("cron(0 0 ? * 1-6L *)")?.code == .unsupportedSpecial)
    }

    @Test("'#' in day-of-week: n-th weekday, only one term")
    func hash() throws {
        #expect(try cron("cron(0 0 ? * 3#2 *)").dayOfWeek == .nth(weekday: 3, 2))
        #expect(try cron("cron(0 0 ? * SAT#3 *)").dayOfWeek == .nth(weekday: 7, 3))
        #expect(try cron("cron(0 0 ? * sat#5 *)").dayOfWeek == .nth(weekday: 7, 5))
        let two = error("cron(1,58 0-11 ? * 3#1,6#3 *)")
        #expect(two?.field == .dayOfWeek)
        #expect(two?.code == .unsupportedSpecial)
        #expect(error("cron(* 0 ? * 3#6 *)")?.code == .valueOutOfRange)
        #expect(error("cron(* 0 ? * 3#0 *)")?.code == .valueOutOfRange)
        #expect(error("cron(* 0 ? * 8#1 *)")?.code == .valueOutOfRange)
        #expect(error("cron(* 0 ? * #1 *)")?.field == .dayOfWeek)
        #expect(error("cron(* 0 ? * 3# *)")?.field == .dayOfWeek)
        #expect(error("cron(* 0 1#1 * ? *)")?.field == .dayOfMonth)
    }

    @Test("names are case-insensitive; unknown names are rejected")
    func names() throws {
        #expect(try cron("cron(0 0 1 jan,Feb,MAR ? *)").month.values == [1, 2, 3])
        guard case .weekdays(let days) = try cron("cron(0 0 ? * sun,Mon,TUE,wEd,thu,fri,sat *)").dayOfWeek else {
            Issue.record("weekdays"); return
        }
        #expect(days.values == Array(1...7))
        let unknown = error("cron(7 20 ? * NOT *)")
        #expect(unknown?.field == .dayOfWeek)
        #expect(unknown?.code == .invalidValue)
        #expect(error("cron(0 0 1 JANUARY ? *)")?.field == .month)
        #expect(error("cron(0 0 ? MON * *)")?.field == .month)        // a day name in the month field
        #expect(error("cron(0 MON ? * * *)")?.field == .hours)        // names only where the field has them
    }

    @Test("day-of-week numbering: 1 = Sunday … 7 = Saturday; 0 and 8 are invalid")
    func weekdayNumbers() throws {
        guard case .weekdays(let sunday) = try cron("cron(0 0 ? * 1 *)").dayOfWeek,
              case .weekdays(let sunByName) = try cron("cron(0 0 ? * SUN *)").dayOfWeek else {
            Issue.record("weekdays"); return
        }
        #expect(sunday.values == [1])
        #expect(sunByName.values == [1])
        #expect(error("cron(43 07 ? * 0 *)")?.code == .valueOutOfRange)
        #expect(error("cron(0 0 ? * 8 *)")?.code == .valueOutOfRange)
    }

    @Test("range limits of every field", arguments: [
        ("cron(60 0 1 * ? *)", ScheduleError.Field.minutes),
        ("cron(0 24 1 * ? *)", .hours),
        ("cron(0 0 32 * ? *)", .dayOfMonth),
        ("cron(0 0 0 * ? *)", .dayOfMonth),
        ("cron(0 0 1 13 ? *)", .month),
        ("cron(0 0 1 0 ? *)", .month),
        ("cron(0 0 1 * ? 1969)", .year),
        ("cron(0 0 1 * ? 2200)", .year),
        ("cron(0 0 1 * ? 99999999999999999999)", .year),
    ])
    func outOfRange(_ text: String, _ field: ScheduleError.Field) {
        let failure = error(text)
        #expect(failure?.field == field)
        #expect(failure?.code == .valueOutOfRange)
    }

    @Test("boundary values are accepted")
    func boundaries() throws {
        let c = try cron("cron(0,59 0,23 1,31 1,12 ? 1970,2199)")
        #expect(c.minutes.values == [0, 59])
        #expect(c.year.values == [1970, 2199])
        #expect(try cron("cron(00 08 ? * 07 *)").hours.values == [8])   // leading zeros
    }

    @Test("increment errors")
    func increments() {
        #expect(error("cron(*/0 * * * ? *)")?.code == .invalidIncrement)
        #expect(error("cron(1/ * * * ? *)")?.code == .invalidIncrement)
        #expect(error("cron(/5 * * * ? *)")?.code == .invalidIncrement)
        #expect(error("cron(0/60 * * * ? *)")?.code == .invalidIncrement)
        #expect(error("cron(0 0/24 * * ? *)")?.code == .invalidIncrement)
        #expect(error("cron(0/5/2 * * * ? *)")?.code == .invalidIncrement)
        #expect(error("cron(0/x * * * ? *)")?.code == .invalidIncrement)
        let dow = error("cron(0/15 0-11 ? * 2/2 *)")
        #expect(dow?.field == .dayOfWeek)
        #expect(dow?.code == .unsupportedSpecial)
    }

    @Test("range errors")
    func ranges() {
        #expect(error("cron(5-* * * * ? *)")?.code == .invalidRange)
        #expect(error("cron(*-5 * * * ? *)")?.code == .invalidRange)
        #expect(error("cron(1- * * * ? *)")?.code == .invalidRange)
        #expect(error("cron(-1 * * * ? *)")?.code == .invalidRange)
        #expect(error("cron(1-2-3 * * * ? *)")?.code == .invalidRange)
    }

    @Test("malformed values and lists")
    func garbage() {
        #expect(error("cron(0 dummy ? * MON-FRI *)")?.field == .hours)
        #expect(error("cron(0 ** ? * MON *)")?.code == .invalidValue)
        #expect(error("cron(1,,2 * * * ? *)")?.code == .invalidValue)
        #expect(error("cron(1, * * * ? *)")?.code == .invalidValue)
        #expect(error("cron(,1 * * * ? *)")?.code == .invalidValue)
        #expect(error("cron(1.5 * * * ? *)")?.code == .invalidValue)
        #expect(error("cron(0 L * * ? *)")?.code == .unsupportedSpecial)
        #expect(error("cron(0 0 * * ? 2025#1)")?.code == .unsupportedSpecial)
        #expect(error("cron(0 0 * * ? é)")?.field == .year)
    }

    @Test("shape: six fields, single spaces, exact wrapper")
    func shape() {
        #expect(error("cron(0 12 * * ?)")?.code == .wrongFieldCount)
        #expect(error("cron(0 0 12 * * ? *)")?.code == .wrongFieldCount)
        #expect(error("cron(INVALID)")?.code == .wrongFieldCount)
        #expect(error("cron( 0 12 * * ? *)")?.code == .malformedExpression)
        #expect(error("cron(0 12 * * ? * )")?.code == .malformedExpression)
        #expect(error("cron(0  12 * * ? *)")?.code == .malformedExpression)
        #expect(error("cron(0 12 * * ? *")?.code == .malformedExpression)
        #expect(error("cron(0 12 * * ? *))")?.code == .malformedExpression)
        #expect(error("CRON(0 12 * * ? *)")?.code == .malformedExpression)
        #expect(error(" cron(0 12 * * ? *)")?.code == .malformedExpression)
        #expect(error("cron()")?.field == .expression)
        #expect(error("cron(")?.field == .expression)
        #expect(error("")?.code == .malformedExpression)
        #expect(error("cron(0 0 1 1 ? 2025,\(String(repeating: "2025,", count: 60))2025)")?.code == .malformedExpression)
        // A tab or line break between fields is named as such, not counted as a missing field.
        for text in ["cron(0\t0 * * ? *)", "cron(0 0 * * ?\n*)", "cron(0 0 * *\r? *)"] {
            #expect(error(text)?.code == .malformedExpression)
            #expect(error(text)?.message == "fields must be separated by single spaces, not tabs or line breaks")
        }
        #expect(error("cron(0\t0 * * ? *)")?.offset == 6)
    }

    @Test("errors point at the offending byte")
    func offsets() {
        let text = "cron(0 12 1 * ? 2200)"
        let failure = error(text)
        #expect(failure?.offset == 16)
        #expect(failure?.description == "Year: 2200 is out of range 1970-2199")
        #expect(error("cron(71 8 1 * ? *)")?.description == "Minutes: 71 is out of range 0-59")
        #expect(error("cron(71 8 1 * ? *)")?.offset == 5)
    }

    @Test("the expression keeps its text")
    func text() throws {
        let c = try cron("cron(0 18 ? * mon-fri *)")
        #expect(c.description == "cron(0 18 ? * mon-fri *)")
        #expect(c.hours.description == "18")
        #expect(try ScheduleExpression(parsing: "cron(0 18 ? * mon-fri *)").description == "cron(0 18 ? * mon-fri *)")
    }
}
