/// A compiled `numeric` condition: an interval over doubles, open or closed at each end.
///
/// `["=", 5]` is the closed interval [5, 5]; `[">", 0, "<=", 5]` is (0, 5]. Only JSON numbers in
/// the event are compared, by value (`300 == 300.0 == 3e2`); strings never match.
public struct NumericRange: Hashable, Sendable, CustomStringConvertible {
    public var lower: Double?
    public var lowerInclusive: Bool
    public var upper: Double?
    public var upperInclusive: Bool

    public init(lower: Double?, lowerInclusive: Bool, upper: Double?, upperInclusive: Bool) {
        self.lower = lower
        self.lowerInclusive = lowerInclusive
        self.upper = upper
        self.upperInclusive = upperInclusive
    }

    /// Whether `value` lies in the interval.
    public func contains(_ value: Double) -> Bool {
        if let lower {
            if lowerInclusive ? !(value >= lower) : !(value > lower) { return false }
        }
        if let upper {
            if upperInclusive ? !(value <= upper) : !(value < upper) { return false }
        }
        return true
    }

    public var description: String {
        if let lower, let upper, lower == upper, lowerInclusive, upperInclusive { return "= \(JSONNumber(lower).text)" }
        var parts: [String] = []
        if let lower { parts.append("\(lowerInclusive ? ">=" : ">") \(JSONNumber(lower).text)") }
        if let upper { parts.append("\(upperInclusive ? "<=" : "<") \(JSONNumber(upper).text)") }
        return parts.joined(separator: " and ")
    }
}
