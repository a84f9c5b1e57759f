/// Any schedule expression: `rate(...)`, `cron(...)` or (EventBridge Scheduler only) `at(...)`.
///
/// ```swift
/// let schedule = try ScheduleExpression(parsing: "cron(0 18 ? * MON-FRI *)")
/// if case .cron(let cron) = schedule { cron.dayOfWeek }     // .weekdays(2-6)
///
/// try ScheduleExpression(parsing: "rate(1 hours)")          // throws: Rate unit: with the value 1 the unit must be 'hour' …
/// try ScheduleExpression(parsing: "at(2025-06-01T09:00:00)", dialect: .scheduledRule)   // throws: rules take rate/cron only
///
/// try ScheduleExpression.nextFireTimes("cron(0 10 * * ? *)", after: Instant(iso8601: "2025-01-30T22:47:30Z"),
///                                      count: 2, timeZone: nil).map(\.iso8601)
/// // ["2025-01-31T10:00:00Z", "2025-02-01T10:00:00Z"]
/// ```
public enum ScheduleExpression: Hashable, Sendable, CustomStringConvertible {
    case rate(RateExpression)
    case cron(CronExpression)
    case at(AtExpression)

    /// Which service's grammar to accept.
    public enum Dialect: Hashable, Sendable {
        /// EventBridge scheduled rules (PutRule): `rate` and `cron`, always evaluated in UTC.
        case scheduledRule
        /// EventBridge Scheduler (CreateSchedule): `rate`, `cron` and `at`, in any time zone.
        case scheduler
    }

    /// The longest expression either service accepts.
    public static let maximumLength = 256

    /// Parses a schedule expression exactly as AWS receives it (no trimming: a leading or trailing
    /// space is an error, as it is for AWS).
    ///
    /// - Parameters:
    ///   - text: `rate(...)`, `cron(...)` or `at(...)`.
    ///   - dialect: ``Dialect/scheduler`` (default) also accepts `at(...)`.
    /// - Throws: ``ScheduleError`` saying which field is wrong and why. An AWS-shaped API should
    ///   answer any such error with ``ScheduleError/awsMessage``.
    /// - Complexity: O(n) in the length of the text.
    public init(parsing text: String, dialect: Dialect = .scheduler) throws(ScheduleError) {
        let length = text.utf8.count
        guard length >= 1, length <= Self.maximumLength else {
            throw ScheduleError(.malformedExpression,
                                "the expression must have 1-\(Self.maximumLength) characters (it has \(length))",
                                field: .expression, offset: 0)
        }
        if text.hasPrefix("rate(") {
            self = .rate(try RateExpression(parsing: text))
        } else if text.hasPrefix("cron(") {
            self = .cron(try CronExpression(parsing: text))
        } else if text.hasPrefix("at(") {
            guard dialect == .scheduler else {
                throw ScheduleError(.notSupportedByDialect,
                                    "at(...) one-time schedules belong to EventBridge Scheduler; scheduled rules take rate(...) or cron(...)",
                                    field: .expression, offset: 0)
            }
            self = .at(try AtExpression(parsing: text))
        } else {
            let expected = dialect == .scheduler ? "rate(...), cron(...) or at(...)" : "rate(...) or cron(...)"
            throw ScheduleError(.malformedExpression, "the expression must be \(expected)",
                                field: .expression, offset: 0)
        }
    }

    /// Whether `text` parses in `dialect`.
    ///
    /// ```swift
    /// ScheduleExpression.isValid("cron(0 1 * * * *)", dialect: .scheduledRule)   // false
    /// ```
    /// - Complexity: O(n) in the length of the text.
    public static func isValid(_ text: String, dialect: Dialect = .scheduler) -> Bool {
        do {
            _ = try ScheduleExpression(parsing: text, dialect: dialect)
            return true
        } catch {
            return false
        }
    }

    /// The expression in its canonical text (as written for cron; normalised for rate and at).
    public var description: String {
        switch self {
        case .rate(let rate): return rate.description
        case .cron(let cron): return cron.description
        case .at(let at): return at.description
        }
    }

    /// The first `count` fire times strictly after `after`, for a command line or a preview.
    ///
    /// Cron and `at` are read in `timeZone` (UTC when nil), with the daylight-saving rules of
    /// ``ZonedSchedule``; a rate counts from `after`, as if the schedule were created then. Fewer
    /// than `count` times come back when the schedule stops firing.
    ///
    /// ```swift
    /// try ScheduleExpression.nextFireTimes("cron(30 2 * * ? *)", after: Instant(iso8601: "2025-03-08T00:00:00Z"),
    ///                                      count: 2, timeZone: "America/New_York").map(\.iso8601)
    /// // ["2025-03-08T07:30:00Z", "2025-03-10T06:30:00Z"]   (02:30 on 9 March does not exist there)
    /// ```
    /// - Throws: ``ScheduleError`` for an invalid expression, an unknown zone or a negative count.
    /// - Complexity: O(count) searches, each O(1) (see ``CronExpression/next(after:)``).
    public static func nextFireTimes(_ expression: String, after: Instant, count: Int,
                                     timeZone: String?) throws(ScheduleError) -> [Instant] {
        guard count >= 0 else {
            throw ScheduleError(.invalidArgument, "count must not be negative (it is \(count))", field: .argument)
        }
        let parsed = try ScheduleExpression(parsing: expression, dialect: .scheduler)
        let zone = try timeZone.map { (name) throws(ScheduleError) in try ScheduleTimeZone(identifier: name) } ?? .utc
        let schedule = try ZonedSchedule(parsed, timeZone: zone, anchor: after)
        var result: [Instant] = []
        var iterator = schedule.fireTimes(after: after)
        while result.count < count, let time = iterator.next() {
            result.append(time)
        }
        return result
    }
}
