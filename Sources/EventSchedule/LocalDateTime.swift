/// A calendar date and wall-clock time with no time zone attached (proleptic Gregorian calendar).
///
/// Cron fields and `at(...)` expressions describe wall-clock times; a ``ScheduleTimeZone`` turns
/// them into ``Instant``s. Only valid dates can be constructed.
///
/// ```swift
/// let t = LocalDateTime(year: 2025, month: 3, day: 9, hour: 2, minute: 30)!
/// t.description   // "2025-03-09T02:30:00"
/// t.weekday       // 1 (Sunday)
/// ```
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year (proleptic Gregorian; astronomical numbering).
    public let year: Int
    /// 1–12.
    public let month: Int
    /// 1–28/29/30/31.
    public let day: Int
    /// 0–23.
    public let hour: Int
    /// 0–59.
    public let minute: Int
    /// 0–59.
    public let second: Int

    /// Creates a date-time, or returns `nil` if any component is out of range for its place
    /// (including 30 February and 29 February outside leap years).
    ///
    /// - Complexity: O(1).
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard (-1_000_000...1_000_000).contains(year), (1...12).contains(month),
              day >= 1, day <= Civil.daysInMonth(year: Int64(year), month: month),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// The wall-clock reading `wallSeconds` seconds after 1970-01-01T00:00:00 (as if in UTC).
    init(wallSeconds: Int64) {
        let days = Civil.floorDivide(wallSeconds, Civil.secondsPerDay)
        let secondOfDay = Int(Civil.floorModulo(wallSeconds, Civil.secondsPerDay))
        let date = Civil.date(days: days)
        self.year = Int(date.year)
        self.month = date.month
        self.day = date.day
        self.hour = secondOfDay / 3600
        self.minute = secondOfDay / 60 % 60
        self.second = secondOfDay % 60
    }

    /// Seconds from 1970-01-01T00:00:00 to this wall-clock reading, counting as if in UTC;
    /// saturates at the `Int64` limits (only readings made from extreme instants get there).
    var wallSeconds: Int64 {
        let days = Civil.days(year: Int64(year), month: month, day: day)
        let (dayStart, overflow1) = days.multipliedReportingOverflow(by: Civil.secondsPerDay)
        let (total, overflow2) = dayStart.addingReportingOverflow(Int64(hour * 3600 + minute * 60 + second))
        if overflow1 || overflow2 { return days < 0 ? .min : .max }
        return total
    }

    /// Day of the week in AWS numbering: 1 = Sunday, 2 = Monday … 7 = Saturday.
    public var weekday: Int { Civil.weekday(year: Int64(year), month: month, day: day) }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second)
            < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
    }

    /// `yyyy-mm-ddThh:mm:ss`, the form `at(...)` uses.
    public var description: String {
        ISO8601Text.date(year: Int64(year), month: month, day: day)
            + "T" + ISO8601Text.time(hour: hour, minute: minute, second: second)
    }
}
