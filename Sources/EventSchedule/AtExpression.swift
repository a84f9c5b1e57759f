/// A parsed one-time `at(yyyy-mm-ddThh:mm:ss)` expression (EventBridge Scheduler only).
///
/// The date-time is a wall-clock reading in the schedule's time zone. If that reading falls in a
/// daylight-saving gap the schedule never fires (the same rule as for cron fire times); if it
/// falls in a repeated hour it fires once, at the first occurrence.
///
/// ```swift
/// let at = try AtExpression(parsing: "at(2025-11-02T01:30:00)")
/// at.fireTime(in: .utc)?.iso8601                                                  // "2025-11-02T01:30:00Z"
/// at.fireTime(in: try ScheduleTimeZone(identifier: "America/New_York"))?.iso8601  // "2025-11-02T05:30:00Z"
/// ```
public struct AtExpression: Hashable, Sendable, CustomStringConvertible {
    /// The wall-clock date and time.
    public let dateTime: LocalDateTime

    /// Creates an expression for a wall-clock time.
    public init(_ dateTime: LocalDateTime) {
        self.dateTime = dateTime
    }

    /// Parses `at(yyyy-mm-ddThh:mm:ss)` (exactly that form: four-digit year, no zone, no fraction).
    ///
    /// - Throws: ``ScheduleError`` with code ``ScheduleError/Code/invalidTimestamp`` when the
    ///   date-time is malformed or does not exist in the calendar (`2025-02-29`).
    /// - Complexity: O(n) in the length of the text.
    public init(parsing text: String) throws(ScheduleError) {
        let bytes = Array(text.utf8)
        let prefix = Array("at(".utf8)
        guard bytes.count >= prefix.count, Array(bytes[0..<prefix.count]) == prefix else {
            throw ScheduleError(.malformedExpression, "a one-time expression must start with 'at('",
                                field: .expression, offset: 0)
        }
        guard bytes.count > prefix.count, bytes[bytes.count - 1] == UInt8(ascii: ")") else {
            throw ScheduleError(.malformedExpression, "a one-time expression must end with ')'",
                                field: .expression, offset: bytes.count)
        }
        let inner = Array(bytes[prefix.count..<(bytes.count - 1)])
        guard inner.count == 19, let (local, _) = ISO8601Text.parseDateTime(inner, field: .timestamp) else {
            let shapeOK = inner.count == 19 && ISO8601Text.number(inner, 0, 4) != nil
                && ISO8601Text.number(inner, 5, 2) != nil && ISO8601Text.number(inner, 8, 2) != nil
                && ISO8601Text.number(inner, 11, 2) != nil && ISO8601Text.number(inner, 14, 2) != nil
                && ISO8601Text.number(inner, 17, 2) != nil
                && inner[4] == UInt8(ascii: "-") && inner[7] == UInt8(ascii: "-") && inner[10] == UInt8(ascii: "T")
                && inner[13] == UInt8(ascii: ":") && inner[16] == UInt8(ascii: ":")
            let message = shapeOK
                ? "'\(String(decoding: inner, as: UTF8.self))' is not a real date and time"
                : "expected at(yyyy-mm-ddThh:mm:ss), e.g. at(2025-01-30T22:47:30)"
            throw ScheduleError(.invalidTimestamp, message, field: .timestamp, offset: prefix.count)
        }
        self.dateTime = local
    }

    /// The instant this expression fires at in `timeZone`: nil if the local time is skipped by a
    /// daylight-saving change; the first occurrence if it is repeated.
    ///
    /// - Complexity: O(1).
    public func fireTime(in timeZone: ScheduleTimeZone = .utc) -> Instant? {
        timeZone.resolve(dateTime).first
    }

    /// The fire time if it is strictly after `instant`, else nil.
    ///
    /// - Complexity: O(1).
    public func next(after instant: Instant, in timeZone: ScheduleTimeZone = .utc) -> Instant? {
        guard let time = fireTime(in: timeZone), time > instant else { return nil }
        return time
    }

    /// The fire time if it is strictly before `instant`, else nil.
    ///
    /// - Complexity: O(1).
    public func previous(before instant: Instant, in timeZone: ScheduleTimeZone = .utc) -> Instant? {
        guard let time = fireTime(in: timeZone), time < instant else { return nil }
        return time
    }

    /// `at(2025-01-30T22:47:30)`.
    public var description: String { "at(\(dateTime))" }
}
