/// What the day-of-month field of a cron expression asks for.
///
/// ```swift
/// try CronExpression(parsing: "cron(0 9 15W * ? *)").dayOfMonth   // .nearestWeekday(15)
/// try CronExpression(parsing: "cron(0 9 L-2 * ? *)").dayOfMonth   // .lastDay(offset: 2)
/// ```
public enum DayOfMonthRule: Hashable, Sendable {
    /// `?`: no specific value (day-of-week decides).
    case unspecified
    /// Lists, ranges, increments, `*`: the days in the set (days beyond the month's length never match).
    case days(CronField)
    /// `L` (offset 0) or `L-n`: the last day of the month, or `n` days before it (0 ≤ n ≤ 30).
    /// Months shorter than n + 1 days have no match.
    case lastDay(offset: Int)
    /// `LW`: the last weekday (Monday–Friday) of the month.
    case lastWeekday
    /// `nW`: the weekday nearest day n, without leaving the month: a Saturday moves to the Friday
    /// before (or to Monday the 3rd when n = 1), a Sunday to the Monday after (or to the Friday
    /// before when n is the month's last day). Months shorter than n days have no match.
    case nearestWeekday(Int)
}

/// What the day-of-week field of a cron expression asks for (1 = Sunday … 7 = Saturday).
///
/// ```swift
/// try CronExpression(parsing: "cron(0 9 ? * 6L *)").dayOfWeek       // .last(weekday: 6)
/// try CronExpression(parsing: "cron(0 9 ? * SAT#3 *)").dayOfWeek    // .nth(weekday: 7, 3)
/// ```
public enum DayOfWeekRule: Hashable, Sendable {
    /// `?`: no specific value (day-of-month decides).
    case unspecified
    /// Lists, ranges, `*`, names, and a bare `L` (= 7, Saturday, the last day of the week).
    case weekdays(CronField)
    /// `dL` (and `L-d`, see SCHEDULES.md): the last weekday d of the month (`6L` = last Friday).
    case last(weekday: Int)
    /// `d#n`: the n-th weekday d of the month (1 ≤ n ≤ 5); months without one have no match.
    case nth(weekday: Int, Int)
}

extension DayOfMonthRule {
    /// Parses the day-of-month field (already known not to be `?`-mixed).
    static func parse(_ text: CronText) throws(ScheduleError) -> DayOfMonthRule {
        let spec = CronFieldSpec.dayOfMonth
        if text.count == 1, text[0] == UInt8(ascii: "?") { return .unspecified }
        let hasL = text.contains(UInt8(ascii: "L")) || text.contains(UInt8(ascii: "l"))
        let hasW = text.contains(UInt8(ascii: "W")) || text.contains(UInt8(ascii: "w"))
        guard hasL || hasW else { return .days(try CronFieldParser.parse(text, spec)) }

        if let comma = text.offsets(of: UInt8(ascii: ",")).first {
            throw ScheduleError(.unsupportedSpecial,
                                "'L' and 'W' cannot be combined with other values in a list",
                                field: .dayOfMonth, offset: text.start + comma)
        }
        if text.equalsIgnoringCase("L") { return .lastDay(offset: 0) }
        if text.equalsIgnoringCase("LW") { return .lastWeekday }
        let first = CronText.upper(text[0])
        if first == UInt8(ascii: "L"), text.count >= 3, text[1] == UInt8(ascii: "-") {
            let digits = text.dropFirst(2)
            guard let offset = digits.decimalValue else {
                throw ScheduleError(.invalidValue, "'\(text.string)' must be L-n with n a number 0-30",
                                    field: .dayOfMonth, offset: digits.start)
            }
            guard offset <= 30 else {
                throw ScheduleError(.valueOutOfRange, "offset \(offset) in '\(text.string)' is out of range 0-30",
                                    field: .dayOfMonth, offset: digits.start)
            }
            return .lastDay(offset: offset)
        }
        if CronText.upper(text[text.count - 1]) == UInt8(ascii: "W"), text.count >= 2, text.dropLast(1).isAllDigits {
            let digits = text.dropLast(1)
            guard let day = digits.decimalValue, day >= 1, day <= 31 else {
                throw ScheduleError(.valueOutOfRange, "day \(digits.string) in '\(text.string)' is out of range 1-31",
                                    field: .dayOfMonth, offset: digits.start)
            }
            return .nearestWeekday(day)
        }
        throw ScheduleError(.unsupportedSpecial,
                            "'\(text.string)' is not a valid use of L/W (use L, L-n, LW or nW)",
                            field: .dayOfMonth, offset: text.start)
    }

    /// Bit d (1...31) is set for each day of the given month this rule selects.
    ///
    /// - Complexity: O(1) (at most 31 steps).
    func dayMask(year: Int64, month: Int, daysInMonth: Int, firstWeekday: Int) -> UInt32 {
        switch self {
        case .unspecified:
            return 0
        case .days(let field):
            var mask: UInt32 = 0
            var day = field.next(atOrAfter: 1)
            while let d = day, d <= daysInMonth {
                mask |= 1 << UInt32(d)
                day = field.next(atOrAfter: d + 1)
            }
            return mask
        case .lastDay(let offset):
            let day = daysInMonth - offset
            return day >= 1 ? 1 << UInt32(day) : 0
        case .lastWeekday:
            let lastWeekday = CronDays.weekday(ofDay: daysInMonth, firstWeekday: firstWeekday)
            let day = lastWeekday == 7 ? daysInMonth - 1 : lastWeekday == 1 ? daysInMonth - 2 : daysInMonth
            return 1 << UInt32(day)
        case .nearestWeekday(let target):
            guard target <= daysInMonth else { return 0 }
            let weekday = CronDays.weekday(ofDay: target, firstWeekday: firstWeekday)
            let day: Int
            switch weekday {
            case 7: day = target == 1 ? 3 : target - 1                  // Saturday
            case 1: day = target == daysInMonth ? target - 2 : target + 1  // Sunday
            default: day = target
            }
            return 1 << UInt32(day)
        }
    }
}

extension DayOfWeekRule {
    /// Parses the day-of-week field.
    static func parse(_ text: CronText) throws(ScheduleError) -> DayOfWeekRule {
        let spec = CronFieldSpec.dayOfWeek
        if text.count == 1, text[0] == UInt8(ascii: "?") { return .unspecified }
        let hashes = text.offsets(of: UInt8(ascii: "#"))
        // `L` as a letter of its own; day names (SUN…SAT) contain no L.
        let hasL = text.contains(UInt8(ascii: "L")) || text.contains(UInt8(ascii: "l"))
        guard hasL || !hashes.isEmpty else { return .weekdays(try CronFieldParser.parse(text, spec)) }

        if let comma = text.offsets(of: UInt8(ascii: ",")).first {
            let what = hashes.isEmpty ? "'L'" : "'#'"
            let note = hashes.count > 1 ? " (only one '#' term is allowed)" : ""
            throw ScheduleError(.unsupportedSpecial, "\(what) cannot be combined with other values in a list\(note)",
                                field: .dayOfWeek, offset: text.start + comma)
        }
        if let hash = hashes.first {
            guard hashes.count == 1, !hasL else {
                throw ScheduleError(.unsupportedSpecial, "'\(text.string)' must be a single term 'day#n'",
                                    field: .dayOfWeek, offset: text.start + hash)
            }
            let dayText = text.sub(0..<hash)
            let nText = text.sub((hash + 1)..<text.count)
            guard !dayText.isEmpty, !nText.isEmpty else {
                throw ScheduleError(.invalidValue, "'\(text.string)' must be day#n, e.g. 3#2 or TUE#2",
                                    field: .dayOfWeek, offset: text.start + hash)
            }
            let weekday = try CronFieldParser.value(dayText, spec)
            guard nText.isAllDigits else {
                throw ScheduleError(.invalidValue, "'\(nText.string)' after '#' must be a number 1-5",
                                    field: .dayOfWeek, offset: nText.start)
            }
            guard let n = nText.decimalValue, n >= 1, n <= 5 else {
                throw ScheduleError(.valueOutOfRange, "\(nText.string) after '#' is out of range 1-5",
                                    field: .dayOfWeek, offset: nText.start)
            }
            return .nth(weekday: weekday, n)
        }
        if text.equalsIgnoringCase("L") {
            // The last day of the week: Saturday.
            var bits = BitSet256()
            bits.insert(7 - spec.lowerBound)
            return .weekdays(CronField(field: .dayOfWeek, text: text.string, lowerBound: spec.lowerBound,
                                       upperBound: spec.upperBound, bits: bits))
        }
        if CronText.upper(text[0]) == UInt8(ascii: "L"), text.count >= 3, text[1] == UInt8(ascii: "-") {
            // `L-d`: accepted by the validators behind the conformance data, and evaluated there as
            // the last weekday d of the month (the same as `dL`).
            let dayText = text.dropFirst(2)
            guard dayText.isAllDigits else {
                throw ScheduleError(.invalidValue, "'\(text.string)' must be L-d with d a number 1-7",
                                    field: .dayOfWeek, offset: dayText.start)
            }
            guard let weekday = dayText.decimalValue, weekday >= 1, weekday <= 7 else {
                throw ScheduleError(.valueOutOfRange, "\(dayText.string) in '\(text.string)' is out of range 1-7",
                                    field: .dayOfWeek, offset: dayText.start)
            }
            return .last(weekday: weekday)
        }
        if CronText.upper(text[text.count - 1]) == UInt8(ascii: "L"), text.count >= 2 {
            let dayText = text.dropLast(1)
            if dayText.contains(UInt8(ascii: "L")) || dayText.contains(UInt8(ascii: "l"))
                || dayText.contains(UInt8(ascii: "-")) || dayText.contains(UInt8(ascii: "/")) || dayText.contains(UInt8(ascii: "*")) {
                throw ScheduleError(.unsupportedSpecial, "'\(text.string)' must be dL with d a single day, e.g. 6L or FRIL",
                                    field: .dayOfWeek, offset: text.start)
            }
            return .last(weekday: try CronFieldParser.value(dayText, spec))
        }
        throw ScheduleError(.unsupportedSpecial, "'\(text.string)' is not a valid use of 'L' (use L, dL or L-d)",
                            field: .dayOfWeek, offset: text.start)
    }

    /// Bit d (1...31) is set for each day of the given month this rule selects.
    ///
    /// - Complexity: O(1) (at most 31 steps).
    func dayMask(daysInMonth: Int, firstWeekday: Int) -> UInt32 {
        switch self {
        case .unspecified:
            return 0
        case .weekdays(let field):
            // Days with weekday w are first(w), first(w) + 7, …
            var mask: UInt32 = 0
            for weekday in 1...7 where field.contains(weekday) {
                var day = CronDays.firstDay(withWeekday: weekday, firstWeekday: firstWeekday)
                while day <= daysInMonth {
                    mask |= 1 << UInt32(day)
                    day += 7
                }
            }
            return mask
        case .last(let weekday):
            let lastWeekday = CronDays.weekday(ofDay: daysInMonth, firstWeekday: firstWeekday)
            return 1 << UInt32(daysInMonth - (lastWeekday - weekday + 7) % 7)
        case .nth(let weekday, let n):
            let day = CronDays.firstDay(withWeekday: weekday, firstWeekday: firstWeekday) + 7 * (n - 1)
            return day <= daysInMonth ? 1 << UInt32(day) : 0
        }
    }
}

/// Weekday arithmetic within one month, from the weekday of its first day.
enum CronDays {
    /// Weekday (1 = Sunday) of `day` in a month whose day 1 has weekday `firstWeekday`.
    @inline(__always)
    static func weekday(ofDay day: Int, firstWeekday: Int) -> Int {
        (firstWeekday - 1 + day - 1) % 7 + 1
    }

    /// The first day of the month with weekday `weekday`.
    @inline(__always)
    static func firstDay(withWeekday weekday: Int, firstWeekday: Int) -> Int {
        1 + (weekday - firstWeekday + 7) % 7
    }
}
