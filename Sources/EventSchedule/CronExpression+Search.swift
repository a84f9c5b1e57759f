// Next and previous fire times.
//
// The search never walks minute by minute. It fixes the fields from the largest down — year, then
// month, then day, then hour, then minute — asking each field's bit set for "the first allowed
// value at or after the current one" (one trailing-zero count). When a field has no allowed value
// left, the next larger unit is advanced by one and everything below it is reset to its minimum.
// Days are decided per month from a 31-bit mask computed once per month visited, which is what
// makes `L`, `W`, `#` and day-of-week as cheap as plain days.
//
// Termination and cost: every step either returns, or strictly advances (year, month) or a smaller
// unit within the current month, and years are capped at 2199. The worst case — an expression that
// never fires again, such as `cron(0 0 31 2 ? *)` — visits at most 12 months in each of at most 230
// years (2,760 month masks), so "never" is answered exactly (nil), quickly, and without a time limit.

/// A wall-clock minute being searched: calendar fields as plain integers.
private struct MinuteCursor {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    init(minuteIndex: Int64) {
        let days = Civil.floorDivide(minuteIndex, 1440)
        let minuteOfDay = Int(Civil.floorModulo(minuteIndex, 1440))
        let date = Civil.date(days: days)
        // Years far outside 1970–2199 are clamped by the callers before they matter.
        year = Int(clamping: date.year)
        month = date.month
        day = date.day
        hour = minuteOfDay / 60
        minute = minuteOfDay % 60
    }

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    var wallSeconds: Int64 {
        Civil.days(year: Int64(year), month: month, day: day) * Civil.secondsPerDay
            + Int64(hour * 3600 + minute * 60)
    }
}

extension CronExpression {
    /// The first year the search can consider.
    static let firstYear = 1970
    /// The last year the search can consider (AWS accepts years up to 2199).
    static let lastYear = 2199

    /// The first wall-clock minute strictly after `wallSeconds` (seconds since 1970 read as a
    /// wall clock) that the expression selects, as wall seconds; nil if there is none up to 2199.
    ///
    /// - Complexity: O(1) amortised; at most 2,760 month visits in the worst case.
    func nextWallSeconds(after wallSeconds: Int64) -> Int64? {
        // The smallest whole minute strictly after the given second.
        let (minuteIndex, overflow) = Civil.floorDivide(wallSeconds, Civil.secondsPerMinute).addingReportingOverflow(1)
        guard !overflow else { return nil }
        var c = MinuteCursor(minuteIndex: minuteIndex)
        if c.year > Self.lastYear { return nil }
        if c.year < Self.firstYear { c = MinuteCursor(year: Self.firstYear, month: 1, day: 1, hour: 0, minute: 0) }

        while true {
            guard let year = year.next(atOrAfter: c.year) else { return nil }
            if year != c.year { c = MinuteCursor(year: year, month: 1, day: 1, hour: 0, minute: 0) }

            guard let month = month.next(atOrAfter: c.month) else {
                c = MinuteCursor(year: c.year + 1, month: 1, day: 1, hour: 0, minute: 0)
                continue
            }
            if month != c.month { c = MinuteCursor(year: c.year, month: month, day: 1, hour: 0, minute: 0) }

            let days = dayMask(year: c.year, month: c.month)
            let remaining = c.day <= 31 ? days >> UInt32(c.day) : 0
            guard remaining != 0 else {
                c = c.month == 12
                    ? MinuteCursor(year: c.year + 1, month: 1, day: 1, hour: 0, minute: 0)
                    : MinuteCursor(year: c.year, month: c.month + 1, day: 1, hour: 0, minute: 0)
                continue
            }
            let day = c.day + remaining.trailingZeroBitCount
            if day != c.day { c = MinuteCursor(year: c.year, month: c.month, day: day, hour: 0, minute: 0) }

            guard let hour = hours.next(atOrAfter: c.hour) else {
                // Day 32 is past every month: the day step above then moves to the next month.
                c = MinuteCursor(year: c.year, month: c.month, day: c.day + 1, hour: 0, minute: 0)
                continue
            }
            if hour != c.hour { c = MinuteCursor(year: c.year, month: c.month, day: c.day, hour: hour, minute: 0) }

            guard let minute = minutes.next(atOrAfter: c.minute) else {
                c = MinuteCursor(year: c.year, month: c.month, day: c.day, hour: c.hour + 1, minute: 0)
                continue
            }
            c.minute = minute
            return c.wallSeconds
        }
    }

    /// The last wall-clock minute strictly before `wallSeconds` that the expression selects, as
    /// wall seconds; nil if there is none from 1970 on.
    ///
    /// - Complexity: O(1) amortised; at most 2,760 month visits in the worst case.
    func previousWallSeconds(before wallSeconds: Int64) -> Int64? {
        // The largest whole minute strictly before the given second.
        let floorMinute = Civil.floorDivide(wallSeconds, Civil.secondsPerMinute)
        let onBoundary = Civil.floorModulo(wallSeconds, Civil.secondsPerMinute) == 0
        let (minuteIndex, overflow) = floorMinute.subtractingReportingOverflow(onBoundary ? 1 : 0)
        guard !overflow else { return nil }
        var c = MinuteCursor(minuteIndex: minuteIndex)
        if c.year < Self.firstYear { return nil }
        if c.year > Self.lastYear { c = MinuteCursor(year: Self.lastYear, month: 12, day: 31, hour: 23, minute: 59) }

        while true {
            guard let year = year.previous(atOrBefore: c.year) else { return nil }
            if year != c.year { c = MinuteCursor(year: year, month: 12, day: 31, hour: 23, minute: 59) }

            guard let month = month.previous(atOrBefore: c.month) else {
                c = MinuteCursor(year: c.year - 1, month: 12, day: 31, hour: 23, minute: 59)
                continue
            }
            if month != c.month { c = MinuteCursor(year: c.year, month: month, day: 31, hour: 23, minute: 59) }

            let days = dayMask(year: c.year, month: c.month)
            // Keep bits 0...c.day (day 0 is never set).
            let upTo = c.day >= 1 ? days & (UInt32.max >> UInt32(31 - min(c.day, 31))) : 0
            guard upTo != 0 else {
                c = c.month == 1
                    ? MinuteCursor(year: c.year - 1, month: 12, day: 31, hour: 23, minute: 59)
                    : MinuteCursor(year: c.year, month: c.month - 1, day: 31, hour: 23, minute: 59)
                continue
            }
            let day = 31 - upTo.leadingZeroBitCount
            if day != c.day { c = MinuteCursor(year: c.year, month: c.month, day: day, hour: 23, minute: 59) }

            guard let hour = hours.previous(atOrBefore: c.hour) else {
                c = MinuteCursor(year: c.year, month: c.month, day: c.day - 1, hour: 23, minute: 59)
                continue
            }
            if hour != c.hour { c = MinuteCursor(year: c.year, month: c.month, day: c.day, hour: hour, minute: 59) }

            guard let minute = minutes.previous(atOrBefore: c.minute) else {
                c = MinuteCursor(year: c.year, month: c.month, day: c.day, hour: c.hour - 1, minute: 59)
                continue
            }
            c.minute = minute
            return c.wallSeconds
        }
    }

    /// The first fire time strictly after `instant`, in UTC (EventBridge scheduled rules), or nil
    /// if the expression never fires again (its years are used up; the search stops at 2199).
    ///
    /// ```swift
    /// let cron = try CronExpression(parsing: "cron(0 0 ? 2 2#5 *)")   // 29 February on a Monday
    /// cron.next(after: try Instant(iso8601: "2025-01-01T00:00:00Z"))?.iso8601   // "2044-02-29T00:00:00Z"
    /// try CronExpression(parsing: "cron(0 0 31 2 ? *)").next(after: .init(secondsSince1970: 0))  // nil
    /// ```
    /// - Complexity: O(1): the search jumps field by field and visits at most 2,760 months.
    public func next(after instant: Instant) -> Instant? {
        nextWallSeconds(after: instant.secondsSince1970).map(Instant.init(secondsSince1970:))
    }

    /// The last fire time strictly before `instant`, in UTC, or nil if there is none since 1970.
    ///
    /// ```swift
    /// let cron = try CronExpression(parsing: "cron(0 10 * * ? *)")
    /// cron.previous(before: try Instant(iso8601: "2025-01-30T10:00:00Z"))?.iso8601   // "2025-01-29T10:00:00Z"
    /// ```
    /// - Complexity: O(1), as ``next(after:)``.
    public func previous(before instant: Instant) -> Instant? {
        previousWallSeconds(before: instant.secondsSince1970).map(Instant.init(secondsSince1970:))
    }

    /// The first wall-clock minute strictly after `local` that the expression selects.
    ///
    /// - Complexity: O(1), as ``next(after:)``.
    public func next(after local: LocalDateTime) -> LocalDateTime? {
        nextWallSeconds(after: local.wallSeconds).map(LocalDateTime.init(wallSeconds:))
    }

    /// The last wall-clock minute strictly before `local` that the expression selects.
    ///
    /// - Complexity: O(1), as ``next(after:)``.
    public func previous(before local: LocalDateTime) -> LocalDateTime? {
        previousWallSeconds(before: local.wallSeconds).map(LocalDateTime.init(wallSeconds:))
    }

    /// The fire times strictly after `instant`, in UTC, in increasing order; finite (it ends at
    /// the last fire time up to 2199).
    ///
    /// ```swift
    /// let cron = try CronExpression(parsing: "cron(0/15 * * * ? *)")
    /// Array(cron.fireTimes(after: try Instant(iso8601: "2025-01-30T22:47:30Z")).prefix(2))
    /// // [2025-01-30T23:00:00Z, 2025-01-30T23:15:00Z]
    /// ```
    /// - Complexity: each element costs one ``next(after:)``.
    public func fireTimes(after instant: Instant) -> FireTimes {
        FireTimes(after: instant) { self.next(after: $0) }
    }
}
