/// A schedule as EventBridge Scheduler runs it: an expression read in a time zone, limited by
/// StartDate and EndDate, with an optional flexible time window.
///
/// Rules (details and reasons in `Documentation/SCHEDULES.md`):
/// - **cron** fields are wall-clock times in ``timeZone``. A fire time that falls in a
///   daylight-saving gap is **skipped** (not moved); one that falls in a repeated hour fires
///   **once**, at its first occurrence (on the offset in force before the change).
/// - **rate** is a fixed duration (a day is always 24 h). With a StartDate the fire times are
///   `StartDate + k × period`, k ≥ 0; without one they are `anchor + k × period`, k ≥ 1 (the
///   anchor is the creation time, which does not fire itself).
/// - **at** fires once at its wall-clock time (skipped if in a gap); StartDate and EndDate are
///   ignored for it, as AWS does.
/// - StartDate is inclusive and EndDate exclusive: fire times `t` satisfy `start ≤ t < end`.
/// - The flexible window moves each invocation, never the fire time; StartDate, EndDate and the
///   `after`/`before` of every query refer to fire times.
///
/// ```swift
/// let schedule = try ZonedSchedule(expression: "cron(30 2 * * ? *)", timeZone: "Europe/Berlin")
/// schedule.fireTimes(after: try Instant(iso8601: "2025-03-29T00:00:00Z")).prefix(2).map(\.iso8601)
/// // ["2025-03-29T01:30:00Z", "2025-03-31T00:30:00Z"]   (02:30 on 30 March does not exist in Berlin)
/// ```
///
/// Values are immutable and `Sendable`; every query is a pure function of its arguments.
public struct ZonedSchedule: Hashable, Sendable {
    /// The parsed expression.
    public let expression: ScheduleExpression
    /// Where cron and at wall-clock times are read (rates ignore it).
    public let timeZone: ScheduleTimeZone
    /// Inclusive lower bound for fire times (and the first fire time of a rate).
    public let startDate: Instant?
    /// Exclusive upper bound for fire times.
    public let endDate: Instant?
    /// Moves each invocation within a window after its fire time.
    public let flexibleTimeWindow: FlexibleTimeWindow
    /// Where a rate without a StartDate counts from: the schedule's creation time.
    public let anchor: Instant?

    /// Creates a schedule.
    ///
    /// - Parameters:
    ///   - expression: the parsed expression.
    ///   - timeZone: where cron and at times are read; UTC by default.
    ///   - startDate: fire times before it are dropped (ignored for `at`).
    ///   - endDate: fire times at or after it are dropped (ignored for `at`).
    ///   - flexibleTimeWindow: ``FlexibleTimeWindow/off`` by default.
    ///   - anchor: creation time; a rate needs it when there is no StartDate.
    /// - Throws: ``ScheduleError`` (``ScheduleError/Code/invalidSetting``) when EndDate is not
    ///   after StartDate, or a rate has neither StartDate nor anchor.
    /// - Complexity: O(1).
    public init(_ expression: ScheduleExpression, timeZone: ScheduleTimeZone = .utc,
                startDate: Instant? = nil, endDate: Instant? = nil,
                flexibleTimeWindow: FlexibleTimeWindow = .off, anchor: Instant? = nil) throws(ScheduleError) {
        if let startDate, let endDate, endDate <= startDate {
            throw ScheduleError(.invalidSetting, "EndDate (\(endDate)) must be after StartDate (\(startDate))",
                                field: .endDate)
        }
        if case .rate = expression, startDate == nil, anchor == nil {
            throw ScheduleError(.invalidSetting,
                                "a rate schedule counts from its StartDate or its creation time (anchor); give one",
                                field: .startDate)
        }
        self.expression = expression
        self.timeZone = timeZone
        self.startDate = startDate
        self.endDate = endDate
        self.flexibleTimeWindow = flexibleTimeWindow
        self.anchor = anchor
    }

    /// Parses the expression and looks up the zone, then creates the schedule.
    ///
    /// - Parameter timeZone: an IANA name; nil means UTC.
    /// - Throws: ``ScheduleError`` for an invalid expression, zone or setting.
    public init(expression: String, timeZone: String? = nil, startDate: Instant? = nil, endDate: Instant? = nil,
                flexibleTimeWindow: FlexibleTimeWindow = .off, anchor: Instant? = nil) throws(ScheduleError) {
        let zone = try timeZone.map { (name) throws(ScheduleError) in try ScheduleTimeZone(identifier: name) } ?? .utc
        try self.init(try ScheduleExpression(parsing: expression, dialect: .scheduler), timeZone: zone,
                      startDate: startDate, endDate: endDate, flexibleTimeWindow: flexibleTimeWindow, anchor: anchor)
    }

    // MARK: - Fire times

    /// The first fire time strictly after `instant`, or nil if the schedule never fires again.
    ///
    /// - Complexity: O(1): one cron search (plus, around a daylight-saving change, at most an
    ///   hour's worth of skipped wall times) or one division for a rate.
    public func nextFireTime(after instant: Instant) -> Instant? {
        switch expression {
        case .at(let at):
            return at.next(after: instant, in: timeZone)
        case .rate(let rate):
            guard let time = nextRate(rate, after: instant), isBeforeEnd(time) else { return nil }
            return time
        case .cron(let cron):
            var after = instant
            if let startDate, startDate.adding(seconds: -1) > after { after = startDate.adding(seconds: -1) }
            guard let time = nextCron(cron, after: after.secondsSince1970), isBeforeEnd(time) else { return nil }
            return time
        }
    }

    /// The last fire time strictly before `instant`, or nil if there is none.
    ///
    /// - Complexity: as ``nextFireTime(after:)``.
    public func previousFireTime(before instant: Instant) -> Instant? {
        switch expression {
        case .at(let at):
            return at.previous(before: instant, in: timeZone)
        case .rate(let rate):
            let before = endDate.map { Swift.min($0, instant) } ?? instant
            if let startDate {
                return rate.previous(before: before, origin: startDate, firstMultiple: 0)
            }
            guard let anchor else { return nil }
            return rate.previous(before: before, origin: anchor, firstMultiple: 1)
        case .cron(let cron):
            let before = endDate.map { Swift.min($0, instant) } ?? instant
            guard let time = previousCron(cron, before: before.secondsSince1970) else { return nil }
            if let startDate, time < startDate { return nil }
            return time
        }
    }

    /// The fire times strictly after `instant`, increasing.
    ///
    /// - Complexity: each element as ``nextFireTime(after:)``.
    public func fireTimes(after instant: Instant) -> FireTimes {
        FireTimes(after: instant) { self.nextFireTime(after: $0) }
    }

    // MARK: - Invocations (flexible time window)

    /// When the target is invoked for a fire time: the fire time plus the window's offset.
    ///
    /// - Complexity: O(1).
    public func invocation(forFireTime fireTime: Instant) -> Invocation {
        Invocation(fireTime: fireTime, time: fireTime.adding(seconds: flexibleTimeWindow.offsetSeconds(forFireTime: fireTime)))
    }

    /// Invocations for the fire times strictly after `instant`, in fire-time order. With a window
    /// longer than the schedule's period, invocation times can interleave out of order; use
    /// ``nextInvocation(after:)`` to ask "what runs next".
    public func invocations(after instant: Instant) -> LazyMapSequence<FireTimes, Invocation> {
        fireTimes(after: instant).lazy.map { self.invocation(forFireTime: $0) }
    }

    /// The invocation with the earliest invocation time strictly after `instant` (ties: the earlier
    /// fire time).
    ///
    /// - Complexity: O(w / p) fire-time searches for window w and period p (1 when the window is off).
    public func nextInvocation(after instant: Instant) -> Invocation? {
        guard !flexibleTimeWindow.isOff else {
            return nextFireTime(after: instant).map { Invocation(fireTime: $0, time: $0) }
        }
        // An invocation after `instant` comes from a fire time after `instant - window`.
        var cursor = instant.adding(seconds: -flexibleTimeWindow.windowSeconds)
        var best: Invocation? = nil
        while let fireTime = nextFireTime(after: cursor) {
            if let best, fireTime >= best.time { break }   // later fire times invoke later still
            let candidate = invocation(forFireTime: fireTime)
            if candidate.time > instant, best.map({ candidate.time < $0.time }) ?? true { best = candidate }
            cursor = fireTime
        }
        return best
    }

    // MARK: - Implementation

    private func isBeforeEnd(_ time: Instant) -> Bool {
        endDate.map { time < $0 } ?? true
    }

    private func nextRate(_ rate: RateExpression, after instant: Instant) -> Instant? {
        if let startDate { return rate.next(after: instant, origin: startDate, firstMultiple: 0) }
        guard let anchor else { return nil }
        return rate.next(after: instant, origin: anchor, firstMultiple: 1)
    }

    /// Instants outside [earliestFire, latestFire] cannot be near any cron fire time in any zone
    /// (wall times 1970-01-01 – 2199-12-31, offsets within ±26 h); clamping to them keeps the
    /// offset arithmetic below far from overflow.
    private static let earliestFire: Int64 = -3 * Civil.secondsPerDay
    private static let latestFire: Int64 = Civil.days(year: 2200, month: 1, day: 3) * Civil.secondsPerDay
    private static let offsetSearchSpan: Int64 = 2 * Civil.secondsPerDay

    /// First cron fire instant after `t`.
    ///
    /// A fire instant i > t shows wall time w = i + offset(i), and offset(i) is at least the
    /// smaller of the offsets at t and two days later (for i within two days; beyond that w is
    /// far larger anyway). So the wall-clock search can start at t + that minimum; wall times
    /// that turn out to be skipped (gap) or to map to t or earlier (repeated hour, second pass)
    /// are stepped over. Mapping wall times to first occurrences is increasing, so the first
    /// hit is the answer.
    private func nextCron(_ cron: CronExpression, after t: Int64) -> Instant? {
        if timeZone.isUTC { return cron.next(after: Instant(secondsSince1970: t)) }
        guard t < Self.latestFire else { return nil }
        let t = Swift.max(t, Self.earliestFire)
        var cursor = t + timeZone.offsetBounds(around: t, spanning: Self.offsetSearchSpan).min
        while let wall = cron.nextWallSeconds(after: cursor) {
            if let instant = timeZone.resolve(wallSeconds: wall).first, instant.secondsSince1970 > t {
                return instant
            }
            cursor = wall
        }
        return nil
    }

    /// Last cron fire instant before `t` (the mirror image of `nextCron`).
    private func previousCron(_ cron: CronExpression, before t: Int64) -> Instant? {
        if timeZone.isUTC { return cron.previous(before: Instant(secondsSince1970: t)) }
        guard t > Self.earliestFire else { return nil }
        let t = Swift.min(t, Self.latestFire)
        var cursor = t + timeZone.offsetBounds(around: t, spanning: -Self.offsetSearchSpan).max
        while let wall = cron.previousWallSeconds(before: cursor) {
            if let instant = timeZone.resolve(wallSeconds: wall).first, instant.secondsSince1970 < t {
                return instant
            }
            cursor = wall
        }
        return nil
    }
}
