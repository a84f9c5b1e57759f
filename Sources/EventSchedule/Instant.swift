import Foundation

/// A point in time: whole seconds since 1970-01-01T00:00:00Z (leap seconds are not counted, as in
/// POSIX time).
///
/// Schedules have one-second resolution at most (fire times are whole minutes), so an integer is
/// exact, cheap and needs no Foundation `Date`. Convert at the edges with ``init(_:)`` and ``date``.
///
/// ```swift
/// let t = try Instant(iso8601: "2025-01-30T22:47:30Z")
/// t.secondsSince1970          // 1738277250
/// t.iso8601                   // "2025-01-30T22:47:30Z"
/// t.adding(seconds: 60).iso8601 // "2025-01-30T22:48:30Z"
/// ```
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z; negative before.
    public var secondsSince1970: Int64

    /// Creates an instant from a second count.
    ///
    /// - Complexity: O(1).
    @inlinable
    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// Creates an instant from a Foundation `Date`, dropping any fraction of a second (rounding
    /// towards the past). Dates beyond ±2⁶² seconds are clamped.
    ///
    /// - Complexity: O(1).
    public init(_ date: Date) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let limit = Double(Int64(1) << 62)
        self.secondsSince1970 = seconds.isNaN ? 0 : Int64(max(-limit, min(limit, seconds)))
    }

    /// The same instant as a Foundation `Date`.
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }

    /// The UTC instant of a calendar date and time, or `nil` if a component is out of range
    /// (month 1–12, day valid for the month, hour 0–23, minute and second 0–59).
    ///
    /// ```swift
    /// Instant(year: 2024, month: 2, day: 29)?.iso8601     // "2024-02-29T00:00:00Z"
    /// Instant(year: 2025, month: 2, day: 29)              // nil
    /// ```
    /// - Complexity: O(1).
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard let local = LocalDateTime(year: year, month: month, day: day,
                                        hour: hour, minute: minute, second: second) else { return nil }
        self.init(secondsSince1970: local.wallSeconds)
    }

    /// This instant moved by a number of seconds (saturating at the `Int64` limits).
    ///
    /// - Complexity: O(1).
    public func adding(seconds: Int64) -> Instant {
        let (sum, overflow) = secondsSince1970.addingReportingOverflow(seconds)
        if overflow { return Instant(secondsSince1970: seconds < 0 ? .min : .max) }
        return Instant(secondsSince1970: sum)
    }

    /// The UTC calendar date and time of this instant.
    public var utcDateTime: LocalDateTime { LocalDateTime(wallSeconds: secondsSince1970) }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }

    /// The ISO-8601 UTC form, e.g. `2025-01-30T22:47:30Z`.
    public var description: String { iso8601 }
}
