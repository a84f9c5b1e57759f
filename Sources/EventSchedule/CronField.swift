/// The set of values one cron field allows: minutes, hours, month, year, or the plain (list,
/// range, increment) form of day-of-month and day-of-week.
///
/// A field is a comma-separated list of terms; each term is `*`, a value, a range `a-b`, or one of
/// those followed by an increment `/n` (`*/15`, `0/15`, `10-40/5`). A range whose start is after
/// its end wraps around the field's cycle (`22-2` hours = 22,23,0,1,2; `FRI-MON` = FRI,SAT,SUN,MON);
/// an increment carries on across the wrap (`20-2/3` = 20,23,2). Years do not wrap: a reversed
/// year range is an error. Month names (`JAN`–`DEC`) and day names (`SUN`–`SAT`) are accepted in
/// any letter case wherever a number is.
///
/// ```swift
/// let cron = try CronExpression(parsing: "cron(0/20 22-2 ? * MON-FRI *)")
/// cron.minutes.values   // [0, 20, 40]
/// cron.hours.values     // [0, 1, 2, 22, 23]
/// cron.hours.contains(23)   // true
/// ```
public struct CronField: Hashable, Sendable, CustomStringConvertible {
    /// Which field this is.
    public let field: ScheduleError.Field
    /// The field's text as written.
    public let text: String
    /// The smallest value the field can take (0 for minutes, 1970 for years, …).
    public let lowerBound: Int
    /// The largest value the field can take (59 for minutes, 2199 for years, …).
    public let upperBound: Int
    /// Allowed values, each stored as `value - lowerBound`.
    let bits: BitSet256

    init(field: ScheduleError.Field, text: String, lowerBound: Int, upperBound: Int, bits: BitSet256) {
        self.field = field
        self.text = text
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.bits = bits
    }

    /// Whether the field allows `value`.
    ///
    /// - Complexity: O(1).
    public func contains(_ value: Int) -> Bool { bits.contains(value - lowerBound) }

    /// The allowed values in increasing order.
    ///
    /// - Complexity: O(k) for k values.
    public var values: [Int] { bits.members.map { $0 + lowerBound } }

    /// Whether the field allows every value (it was `*`, or a list covering the whole range).
    public var isUnrestricted: Bool { bits.count == upperBound - lowerBound + 1 }

    /// The smallest allowed value ≥ `value`.
    ///
    /// - Complexity: O(1).
    public func next(atOrAfter value: Int) -> Int? {
        guard value <= upperBound else { return nil }
        return bits.next(atOrAfter: value - lowerBound).map { $0 + lowerBound }
    }

    /// The largest allowed value ≤ `value`.
    ///
    /// - Complexity: O(1).
    public func previous(atOrBefore value: Int) -> Int? {
        guard value >= lowerBound else { return nil }
        return bits.previous(atOrBefore: value - lowerBound).map { $0 + lowerBound }
    }

    public var description: String { text }
}

/// The static description of one cron field: its range, names and which syntax it allows.
struct CronFieldSpec: Sendable {
    let field: ScheduleError.Field
    let lowerBound: Int
    let upperBound: Int
    /// Upper-case names for `lowerBound`, `lowerBound + 1`, …, when the field has names.
    let names: [String]
    /// The largest `/` increment accepted, or 0 when the field does not allow `/`.
    let maximumIncrement: Int
    /// Whether a range may wrap around (`22-2`); years may not.
    let wraps: Bool

    var rangeText: String { "\(lowerBound)-\(upperBound)" }

    // Increment limits follow the Quartz scheduler (which AWS's cron dialect descends from):
    // at most 59 for minutes, 23 for hours, 31 for day-of-month, 12 for months; for years any
    // increment that stays inside 1970–2199.
    static let minutes = CronFieldSpec(field: .minutes, lowerBound: 0, upperBound: 59, names: [],
                                       maximumIncrement: 59, wraps: true)
    static let hours = CronFieldSpec(field: .hours, lowerBound: 0, upperBound: 23, names: [],
                                     maximumIncrement: 23, wraps: true)
    static let dayOfMonth = CronFieldSpec(field: .dayOfMonth, lowerBound: 1, upperBound: 31, names: [],
                                          maximumIncrement: 31, wraps: true)
    static let month = CronFieldSpec(field: .month, lowerBound: 1, upperBound: 12,
                                     names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                             "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
                                     maximumIncrement: 12, wraps: true)
    static let dayOfWeek = CronFieldSpec(field: .dayOfWeek, lowerBound: 1, upperBound: 7,
                                         names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
                                         maximumIncrement: 0, wraps: true)
    static let year = CronFieldSpec(field: .year, lowerBound: 1970, upperBound: 2199, names: [],
                                    maximumIncrement: 229, wraps: false)
}

/// A piece of the expression's UTF-8 bytes with its absolute position, for parsing and for error offsets.
struct CronText {
    /// The whole expression.
    let bytes: [UInt8]
    /// The piece: `bytes[range]`.
    let range: Range<Int>

    var isEmpty: Bool { range.isEmpty }
    var count: Int { range.count }
    var start: Int { range.lowerBound }
    var string: String { String(decoding: bytes[range], as: UTF8.self) }

    subscript(offset: Int) -> UInt8 { bytes[range.lowerBound + offset] }

    func sub(_ offsets: Range<Int>) -> CronText {
        CronText(bytes: bytes, range: (range.lowerBound + offsets.lowerBound)..<(range.lowerBound + offsets.upperBound))
    }

    func dropFirst(_ n: Int) -> CronText { sub(min(n, count)..<count) }
    func dropLast(_ n: Int) -> CronText { sub(0..<max(0, count - n)) }

    /// Offsets of every occurrence of `byte`.
    func offsets(of byte: UInt8) -> [Int] {
        var result: [Int] = []
        for i in 0..<count where self[i] == byte { result.append(i) }
        return result
    }

    func contains(_ byte: UInt8) -> Bool { bytes[range].contains(byte) }

    /// Splits on `separator`, keeping empty pieces.
    func split(_ separator: UInt8) -> [CronText] {
        var pieces: [CronText] = []
        var pieceStart = 0
        for i in 0..<count where self[i] == separator {
            pieces.append(sub(pieceStart..<i))
            pieceStart = i + 1
        }
        pieces.append(sub(pieceStart..<count))
        return pieces
    }

    /// Whether the piece equals `literal` ignoring ASCII letter case.
    func equalsIgnoringCase(_ literal: String) -> Bool {
        let other = Array(literal.utf8)
        guard other.count == count else { return false }
        for i in 0..<count where CronText.upper(self[i]) != CronText.upper(other[i]) { return false }
        return true
    }

    static func upper(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) ? byte - 32 : byte
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isLetter(_ byte: UInt8) -> Bool {
        let upper = upper(byte)
        return upper >= UInt8(ascii: "A") && upper <= UInt8(ascii: "Z")
    }

    var isAllDigits: Bool { !isEmpty && bytes[range].allSatisfy(CronText.isDigit) }
    var isAllLetters: Bool { !isEmpty && bytes[range].allSatisfy(CronText.isLetter) }

    /// The value of an all-digit piece; nil if it is not all digits or has more than 9 digits
    /// (leading zeros included), which is out of every field's range anyway.
    var decimalValue: Int? {
        guard isAllDigits, count <= 9 else { return nil }
        var value = 0
        for byte in bytes[range] { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
        return value
    }
}

/// Parsing of the list/range/increment syntax shared by every field.
enum CronFieldParser {
    /// Parses a whole field (a comma-separated list of terms) into a set.
    static func parse(_ text: CronText, _ spec: CronFieldSpec) throws(ScheduleError) -> CronField {
        var bits = BitSet256()
        for term in text.split(UInt8(ascii: ",")) {
            try addTerm(term, spec, into: &bits)
        }
        return CronField(field: spec.field, text: text.string, lowerBound: spec.lowerBound,
                         upperBound: spec.upperBound, bits: bits)
    }

    private static func addTerm(_ term: CronText, _ spec: CronFieldSpec, into bits: inout BitSet256) throws(ScheduleError) {
        guard !term.isEmpty else {
            throw ScheduleError(.invalidValue, "empty value in the list (two commas in a row, or a comma at an end)",
                                field: spec.field, offset: term.start)
        }
        try rejectSpecials(term, spec)

        // Split off an increment.
        let slashes = term.offsets(of: UInt8(ascii: "/"))
        var base = term
        var increment = 1
        var hasIncrement = false
        if let slash = slashes.first {
            guard spec.maximumIncrement > 0 else {
                throw ScheduleError(.unsupportedSpecial, "'/' is not allowed in \(spec.field.name)",
                                    field: spec.field, offset: term.start + slash)
            }
            guard slashes.count == 1 else {
                throw ScheduleError(.invalidIncrement, "'\(term.string)' has more than one '/'",
                                    field: spec.field, offset: term.start + slashes[1])
            }
            base = term.sub(0..<slash)
            let incrementText = term.sub((slash + 1)..<term.count)
            guard !base.isEmpty else {
                throw ScheduleError(.invalidIncrement, "'\(term.string)' needs a start value or '*' before '/'",
                                    field: spec.field, offset: term.start)
            }
            guard !incrementText.isEmpty else {
                throw ScheduleError(.invalidIncrement, "'\(term.string)' needs an increment after '/'",
                                    field: spec.field, offset: incrementText.start)
            }
            guard let value = incrementText.decimalValue else {
                throw ScheduleError(.invalidIncrement, "increment '\(incrementText.string)' is not a whole number",
                                    field: spec.field, offset: incrementText.start)
            }
            guard value >= 1, value <= spec.maximumIncrement else {
                throw ScheduleError(.invalidIncrement,
                                    "increment \(value) is out of range 1-\(spec.maximumIncrement)",
                                    field: spec.field, offset: incrementText.start)
            }
            increment = value
            hasIncrement = true
        }

        // The start and end of the term.
        let start: Int
        var end: Int
        let dashes = base.offsets(of: UInt8(ascii: "-"))
        if base.count == 1, base[0] == UInt8(ascii: "*") {
            start = spec.lowerBound
            end = spec.upperBound
        } else if let dash = dashes.first {
            guard dashes.count == 1 else {
                throw ScheduleError(.invalidRange, "'\(base.string)' has more than one '-'",
                                    field: spec.field, offset: base.start + dashes[1])
            }
            let from = base.sub(0..<dash)
            let to = base.sub((dash + 1)..<base.count)
            guard !from.isEmpty, !to.isEmpty else {
                throw ScheduleError(.invalidRange, "range '\(base.string)' needs a value on both sides of '-'",
                                    field: spec.field, offset: base.start + dash)
            }
            if from.contains(UInt8(ascii: "*")) || to.contains(UInt8(ascii: "*")) {
                throw ScheduleError(.invalidRange, "'*' cannot be one end of a range ('\(base.string)')",
                                    field: spec.field, offset: base.start)
            }
            start = try value(from, spec)
            end = try value(to, spec)
            if start > end && !spec.wraps {
                throw ScheduleError(.invalidRange,
                                    "range '\(base.string)' starts after it ends (\(spec.field.name) ranges do not wrap)",
                                    field: spec.field, offset: base.start)
            }
        } else {
            if base.contains(UInt8(ascii: "*")) {
                throw ScheduleError(.invalidValue, "'\(base.string)' is not a valid value", field: spec.field,
                                    offset: base.start)
            }
            start = try value(base, spec)
            end = hasIncrement ? spec.upperBound : start
        }

        // Enumerate, unwrapping a reversed range by one cycle.
        let cycle = spec.upperBound - spec.lowerBound + 1
        if end < start { end += cycle }
        var position = start
        while position <= end {
            let value = position > spec.upperBound ? position - cycle : position
            bits.insert(value - spec.lowerBound)
            position += increment
        }
    }

    /// One value: digits or a name.
    static func value(_ text: CronText, _ spec: CronFieldSpec) throws(ScheduleError) -> Int {
        if text.isAllDigits {
            guard let number = text.decimalValue, number >= spec.lowerBound, number <= spec.upperBound else {
                throw ScheduleError(.valueOutOfRange, "\(text.string) is out of range \(spec.rangeText)",
                                    field: spec.field, offset: text.start)
            }
            return number
        }
        if let message = specialLetterMessage(text, spec) {
            throw ScheduleError(.unsupportedSpecial, message, field: spec.field, offset: text.start)
        }
        if text.isAllLetters, !spec.names.isEmpty {
            for (index, name) in spec.names.enumerated() where text.equalsIgnoringCase(name) {
                return spec.lowerBound + index
            }
            throw ScheduleError(.invalidValue,
                                "'\(text.string)' is not a valid value (use \(spec.rangeText) or \(spec.names[0])-\(spec.names[spec.names.count - 1]))",
                                field: spec.field, offset: text.start)
        }
        throw ScheduleError(.invalidValue, "'\(text.string)' is not a valid value (use \(spec.rangeText))",
                            field: spec.field, offset: text.start)
    }

    /// Rejects `?` and `#` where they reach the plain list syntax, with a message saying where
    /// they are allowed. (`L` and `W` are caught per value, because names such as `WED` and `JUL`
    /// contain those letters.)
    private static func rejectSpecials(_ term: CronText, _ spec: CronFieldSpec) throws(ScheduleError) {
        let isDayField = spec.field == .dayOfMonth || spec.field == .dayOfWeek
        for i in 0..<term.count {
            let message: String
            switch term[i] {
            case UInt8(ascii: "?"):
                message = isDayField ? "'?' must be the whole field" : "'?' is only allowed in Day-of-month and Day-of-week"
            case UInt8(ascii: "#"):
                message = spec.field == .dayOfWeek
                    ? "'#' must be a single term 'day#n' (not in a list, range or increment)"
                    : "'#' is only allowed in Day-of-week"
            default:
                continue
            }
            throw ScheduleError(.unsupportedSpecial, message, field: spec.field, offset: term.start + i)
        }
    }

    /// The message for a value such as `L`, `5L` or `15W` that reached the plain syntax.
    static func specialLetterMessage(_ text: CronText, _ spec: CronFieldSpec) -> String? {
        var letter: UInt8? = nil
        for i in 0..<text.count {
            let byte = CronText.upper(text[i])
            if CronText.isDigit(byte) { continue }
            guard byte == UInt8(ascii: "L") || byte == UInt8(ascii: "W") else { return nil }
            letter = byte
        }
        guard let letter else { return nil }
        switch (letter, spec.field) {
        case (UInt8(ascii: "L"), .dayOfMonth), (UInt8(ascii: "L"), .dayOfWeek), (UInt8(ascii: "W"), .dayOfMonth):
            return "'\(text.string)' must be the whole field (it cannot be part of a list, range or increment)"
        case (UInt8(ascii: "L"), _):
            return "'L' is only allowed in Day-of-month and Day-of-week"
        default:
            return "'W' is only allowed in Day-of-month"
        }
    }
}
