/// A parsed `cron(Minutes Hours Day-of-month Month Day-of-week Year)` expression (AWS dialect).
///
/// Six fields separated by single spaces; exactly one of day-of-month and day-of-week must be `?`;
/// day-of-week 1 = Sunday; years 1970–2199. See `Documentation/SCHEDULES.md` for the full grammar.
/// The expression itself has no time zone: ``next(after:)`` and ``previous(before:)`` work in UTC
/// (as EventBridge scheduled rules do); ``ZonedSchedule`` evaluates it in any IANA zone.
///
/// ```swift
/// let cron = try CronExpression(parsing: "cron(15 10 ? * 6L *)")     // 10:15 on the last Friday
/// let t = try Instant(iso8601: "2025-01-30T22:47:30Z")
/// cron.next(after: t)?.iso8601                                      // "2025-01-31T10:15:00Z"
/// cron.fireTimes(after: t).prefix(3).map(\.iso8601)
/// // ["2025-01-31T10:15:00Z", "2025-02-28T10:15:00Z", "2025-03-28T10:15:00Z"]
/// ```
public struct CronExpression: Hashable, Sendable, CustomStringConvertible {
    /// Minutes, 0–59.
    public let minutes: CronField
    /// Hours, 0–23.
    public let hours: CronField
    /// Day-of-month: `?`, days 1–31, `L`, `L-n`, `LW` or `nW`.
    public let dayOfMonth: DayOfMonthRule
    /// Month, 1–12 (names JAN–DEC accepted).
    public let month: CronField
    /// Day-of-week: `?`, weekdays 1–7 (1 = Sunday; names SUN–SAT accepted), `dL`, `L-d` or `d#n`.
    public let dayOfWeek: DayOfWeekRule
    /// Year, 1970–2199.
    public let year: CronField

    /// The expression as written, `cron(...)` included.
    public let text: String

    /// Parses `cron(...)`.
    ///
    /// - Parameter text: the whole expression, e.g. `cron(0 10 * * ? *)`; no surrounding spaces.
    /// - Throws: ``ScheduleError`` naming the field at fault and why; `offset` is the UTF-8 byte
    ///   offset in `text`.
    /// - Complexity: O(n) in the length of the text.
    public init(parsing text: String) throws(ScheduleError) {
        let bytes = Array(text.utf8)
        let prefix = Array("cron(".utf8)
        guard bytes.count >= prefix.count, Array(bytes[0..<prefix.count]) == prefix else {
            throw ScheduleError(.malformedExpression, "a cron expression must start with 'cron('",
                                field: .expression, offset: 0)
        }
        guard bytes.count > prefix.count, bytes[bytes.count - 1] == UInt8(ascii: ")") else {
            throw ScheduleError(.malformedExpression, "a cron expression must end with ')'",
                                field: .expression, offset: bytes.count)
        }
        let inner = CronText(bytes: bytes, range: prefix.count..<(bytes.count - 1))
        if let parenthesis = inner.offsets(of: UInt8(ascii: "(")).first ?? inner.offsets(of: UInt8(ascii: ")")).first {
            throw ScheduleError(.malformedExpression, "unexpected parenthesis inside cron(...)",
                                field: .expression, offset: inner.start + parenthesis)
        }
        if let whitespace = (0..<inner.count).first(where: { inner[$0] == 0x09 || inner[$0] == 0x0A || inner[$0] == 0x0D }) {
            throw ScheduleError(.malformedExpression, "fields must be separated by single spaces, not tabs or line breaks",
                                field: .expression, offset: inner.start + whitespace)
        }
        let fields = inner.split(UInt8(ascii: " "))
        if let empty = fields.first(where: { $0.isEmpty }) {
            throw ScheduleError(.malformedExpression,
                                "fields must be separated by exactly one space, with no space after '(' or before ')'",
                                field: .expression, offset: empty.start)
        }
        guard fields.count == 6 else {
            let hint = fields.count == 5 ? " (the year field is required; this is not Unix cron)" : ""
            throw ScheduleError(.wrongFieldCount,
                                "expected 6 fields (Minutes Hours Day-of-month Month Day-of-week Year), found \(fields.count)\(hint)",
                                field: .expression, offset: inner.start)
        }
        self.minutes = try CronFieldParser.parse(fields[0], .minutes)
        self.hours = try CronFieldParser.parse(fields[1], .hours)
        self.dayOfMonth = try DayOfMonthRule.parse(fields[2])
        self.month = try CronFieldParser.parse(fields[3], .month)
        self.dayOfWeek = try DayOfWeekRule.parse(fields[4])
        self.year = try CronFieldParser.parse(fields[5], .year)

        switch (dayOfMonth, dayOfWeek) {
        case (.unspecified, .unspecified):
            throw ScheduleError(.dayFieldConflict,
                                "Day-of-month and Day-of-week cannot both be '?'; exactly one of them must be '?'",
                                field: .dayOfWeek, offset: fields[4].start)
        case (.unspecified, _), (_, .unspecified):
            break
        default:
            throw ScheduleError(.dayFieldConflict,
                                "Day-of-month and Day-of-week cannot both be specified; one of them must be '?'",
                                field: .dayOfWeek, offset: fields[4].start)
        }
        self.text = text
    }

    /// The expression as written, e.g. `cron(0 10 * * ? *)`.
    public var description: String { text }

    /// Bit d (1...31) set for each day of `month` in `year` that the day fields select.
    ///
    /// - Complexity: O(1).
    func dayMask(year: Int, month: Int) -> UInt32 {
        let daysInMonth = Civil.daysInMonth(year: Int64(year), month: month)
        let firstWeekday = Civil.weekday(year: Int64(year), month: month, day: 1)
        switch dayOfMonth {
        case .unspecified:
            return dayOfWeek.dayMask(daysInMonth: daysInMonth, firstWeekday: firstWeekday)
        default:
            return dayOfMonth.dayMask(year: Int64(year), month: month, daysInMonth: daysInMonth,
                                      firstWeekday: firstWeekday)
        }
    }

    /// Whether the expression fires at this wall-clock minute (seconds must be 0).
    ///
    /// ```swift
    /// let cron = try CronExpression(parsing: "cron(0 12 ? * MON *)")
    /// cron.matches(LocalDateTime(year: 2025, month: 2, day: 3, hour: 12)!)   // true (a Monday)
    /// ```
    /// - Complexity: O(1).
    public func matches(_ local: LocalDateTime) -> Bool {
        guard local.second == 0, minutes.contains(local.minute), hours.contains(local.hour),
              month.contains(local.month), year.contains(local.year) else { return false }
        return dayMask(year: local.year, month: local.month) & (1 << UInt32(local.day)) != 0
    }

    /// Whether the expression fires at this instant, read in UTC.
    ///
    /// - Complexity: O(1).
    public func matches(_ instant: Instant) -> Bool {
        matches(instant.utcDateTime)
    }
}
