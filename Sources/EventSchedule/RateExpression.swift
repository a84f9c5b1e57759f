/// A parsed `rate(value unit)` expression: a fixed period counted from an anchor.
///
/// `value` is a positive whole number; `unit` is `minute`, `hour` or `day` when the value is 1 and
/// `minutes`, `hours` or `days` otherwise; exactly one space separates them. A day is always
/// 86,400 seconds, whatever the time zone does.
///
/// The fire times are `anchor + k × period` for k = 1, 2, 3, …: AWS counts a rate from when the
/// rule is created (or enabled), so the anchor itself is not a fire time.
///
/// ```swift
/// let rate = try RateExpression(parsing: "rate(5 minutes)")
/// let created = try Instant(iso8601: "2025-01-30T22:47:30Z")
/// rate.next(after: created, anchor: created)?.iso8601     // "2025-01-30T22:52:30Z"
/// rate.fireTimes(after: created, anchor: created).prefix(3).map(\.iso8601)
/// // ["2025-01-30T22:52:30Z", "2025-01-30T22:57:30Z", "2025-01-30T23:02:30Z"]
/// ```
public struct RateExpression: Hashable, Sendable, CustomStringConvertible {
    /// The unit of a rate.
    public enum Unit: String, Hashable, Sendable, CaseIterable {
        case minute, hour, day

        /// Seconds in one unit.
        public var seconds: Int64 {
            switch self {
            case .minute: return 60
            case .hour: return 3_600
            case .day: return 86_400
            }
        }
    }

    /// The largest value accepted (2³¹ − 1, the range of AWS's Java integer).
    public static let maximumValue = 2_147_483_647

    /// How many units make one period (≥ 1).
    public let value: Int
    /// Minutes, hours or days.
    public let unit: Unit

    /// Creates a rate from its parts.
    ///
    /// - Throws: ``ScheduleError`` (``ScheduleError/Code/invalidRateValue``) when `value` is not
    ///   in 1...``maximumValue``.
    public init(value: Int, unit: Unit) throws(ScheduleError) {
        guard value >= 1, value <= Self.maximumValue else {
            throw ScheduleError(.invalidRateValue, "\(value) is out of range 1-\(Self.maximumValue)", field: .rateValue)
        }
        self.value = value
        self.unit = unit
    }

    /// Parses `rate(value unit)`.
    ///
    /// - Throws: ``ScheduleError`` naming the value or unit at fault.
    /// - Complexity: O(n) in the length of the text.
    public init(parsing text: String) throws(ScheduleError) {
        let bytes = Array(text.utf8)
        let prefix = Array("rate(".utf8)
        guard bytes.count >= prefix.count, Array(bytes[0..<prefix.count]) == prefix else {
            throw ScheduleError(.malformedExpression, "a rate expression must start with 'rate('",
                                field: .expression, offset: 0)
        }
        guard bytes.count > prefix.count, bytes[bytes.count - 1] == UInt8(ascii: ")") else {
            throw ScheduleError(.malformedExpression, "a rate expression must end with ')'",
                                field: .expression, offset: bytes.count)
        }
        let inner = CronText(bytes: bytes, range: prefix.count..<(bytes.count - 1))
        let parts = inner.split(UInt8(ascii: " "))
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ScheduleError(.malformedExpression,
                                "expected rate(value unit) with exactly one space between value and unit",
                                field: .expression, offset: inner.start)
        }
        let valueText = parts[0], unitText = parts[1]
        guard valueText.isAllDigits else {
            throw ScheduleError(.invalidRateValue, "'\(valueText.string)' is not a positive whole number",
                                field: .rateValue, offset: valueText.start)
        }
        var value = 0
        for i in 0..<valueText.count {
            value = value * 10 + Int(valueText[i] - UInt8(ascii: "0"))
            guard value <= Self.maximumValue else {
                throw ScheduleError(.invalidRateValue, "\(valueText.string) is larger than \(Self.maximumValue)",
                                    field: .rateValue, offset: valueText.start)
            }
        }
        guard value >= 1 else {
            throw ScheduleError(.invalidRateValue, "the value must be at least 1", field: .rateValue,
                                offset: valueText.start)
        }
        let unitName = unitText.string
        let unit: Unit
        let plural: Bool
        switch unitName {
        case "minute": (unit, plural) = (.minute, false)
        case "minutes": (unit, plural) = (.minute, true)
        case "hour": (unit, plural) = (.hour, false)
        case "hours": (unit, plural) = (.hour, true)
        case "day": (unit, plural) = (.day, false)
        case "days": (unit, plural) = (.day, true)
        default:
            throw ScheduleError(.invalidRateUnit,
                                "'\(unitName)' is not a unit; use minute, minutes, hour, hours, day or days (lower case)",
                                field: .rateUnit, offset: unitText.start)
        }
        if plural != (value != 1) {
            let right = value == 1 ? unit.rawValue : unit.rawValue + "s"
            throw ScheduleError(.invalidRateUnit,
                                "with the value \(value) the unit must be '\(right)' (singular only with 1)",
                                field: .rateUnit, offset: unitText.start)
        }
        self.value = value
        self.unit = unit
    }

    /// The period in seconds.
    public var periodSeconds: Int64 { Int64(value) * unit.seconds }

    /// `rate(5 minutes)`.
    public var description: String {
        "rate(\(value) \(unit.rawValue)\(value == 1 ? "" : "s"))"
    }

    /// The first fire time strictly after `instant`: the smallest `anchor + k × period` (k ≥ 1)
    /// later than `instant`; nil only on arithmetic overflow.
    ///
    /// ```swift
    /// let rate = try RateExpression(parsing: "rate(1 hour)")
    /// let anchor = try Instant(iso8601: "2025-01-30T22:47:30Z")
    /// rate.next(after: try Instant(iso8601: "2025-01-31T05:00:00Z"), anchor: anchor)?.iso8601
    /// // "2025-01-31T05:47:30Z"
    /// ```
    /// - Parameter anchor: when counting starts (the rule's creation or enabling time).
    /// - Complexity: O(1).
    public func next(after instant: Instant, anchor: Instant) -> Instant? {
        next(after: instant, origin: anchor, firstMultiple: 1)
    }

    /// The last fire time strictly before `instant` (some `anchor + k × period`, k ≥ 1), or nil if
    /// `instant` is not later than the first fire time.
    ///
    /// - Complexity: O(1).
    public func previous(before instant: Instant, anchor: Instant) -> Instant? {
        previous(before: instant, origin: anchor, firstMultiple: 1)
    }

    /// The fire times strictly after `instant`, counted from `anchor`.
    ///
    /// - Complexity: each element is O(1).
    public func fireTimes(after instant: Instant, anchor: Instant) -> FireTimes {
        FireTimes(after: instant) { self.next(after: $0, anchor: anchor) }
    }

    /// The smallest `origin + k × period` with k ≥ `firstMultiple` that is later than `instant`.
    func next(after instant: Instant, origin: Instant, firstMultiple: Int64) -> Instant? {
        let period = periodSeconds
        let (elapsed, overflow0) = instant.secondsSince1970.subtractingReportingOverflow(origin.secondsSince1970)
        guard !overflow0 else { return nil }
        let k = max(firstMultiple, Civil.floorDivide(elapsed, period) + 1)
        let (offset, overflow1) = k.multipliedReportingOverflow(by: period)
        let (result, overflow2) = origin.secondsSince1970.addingReportingOverflow(offset)
        return overflow1 || overflow2 ? nil : Instant(secondsSince1970: result)
    }

    /// The largest `origin + k × period` with k ≥ `firstMultiple` that is earlier than `instant`.
    func previous(before instant: Instant, origin: Instant, firstMultiple: Int64) -> Instant? {
        let period = periodSeconds
        let (elapsed, overflow0) = instant.secondsSince1970.subtractingReportingOverflow(origin.secondsSince1970)
        guard !overflow0, elapsed > Int64.min else { return nil }
        let k = Civil.floorDivide(elapsed - 1, period)
        guard k >= firstMultiple else { return nil }
        let (offset, overflow1) = k.multipliedReportingOverflow(by: period)
        let (result, overflow2) = origin.secondsSince1970.addingReportingOverflow(offset)
        return overflow1 || overflow2 ? nil : Instant(secondsSince1970: result)
    }
}
