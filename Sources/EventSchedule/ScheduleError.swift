/// Why a schedule expression (or a schedule setting) was rejected.
///
/// `field` says which part is wrong, `message` says why, and `offset` points at the UTF-8 byte
/// of the expression where the problem starts. AWS itself only ever answers
/// ``ScheduleError/awsMessage`` (`Parameter ScheduleExpression is not valid.`) with a
/// `ValidationException`; an AWS-shaped API must return exactly that, while tools may show
/// ``description``.
///
/// ```swift
/// do { _ = try ScheduleExpression(parsing: "cron(71 8 1 * ? *)") }
/// catch {
///     error.field          // .minutes
///     error.code           // .valueOutOfRange
///     error.description    // "Minutes: 71 is out of range 0-59"
/// }
/// ```
///
/// Codes and fields are open sets: new ones may be added, so `switch` over them with a `default`.
public struct ScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Not `rate(...)`, `cron(...)` or `at(...)`, bad parentheses or spacing, empty, or too long.
        public static let malformedExpression = Code("malformedExpression")
        /// A cron expression without exactly six fields.
        public static let wrongFieldCount = Code("wrongFieldCount")
        /// A value that is neither a number nor a name the field knows (`a`, `NOT`, `**`, `1,,2`).
        public static let invalidValue = Code("invalidValue")
        /// A number outside the field's range (`71` minutes, year `2200`, `3#6`).
        public static let valueOutOfRange = Code("valueOutOfRange")
        /// A bad `/` increment: missing, zero, or larger than the field allows.
        public static let invalidIncrement = Code("invalidIncrement")
        /// A bad `-` range: a missing end, `*` inside it, or a reversed year range.
        public static let invalidRange = Code("invalidRange")
        /// A special character in a field that does not allow it, or a combination AWS does not
        /// support (`L`, `W` or `#` inside a list, two `#` terms).
        public static let unsupportedSpecial = Code("unsupportedSpecial")
        /// Day-of-month and day-of-week are both `?` or both specified.
        public static let dayFieldConflict = Code("dayFieldConflict")
        /// A rate value that is not a positive whole number.
        public static let invalidRateValue = Code("invalidRateValue")
        /// A rate unit other than minute(s), hour(s), day(s), or singular/plural not matching the value.
        public static let invalidRateUnit = Code("invalidRateUnit")
        /// A timestamp (in `at(...)` or ISO-8601 text) that is malformed or does not exist.
        public static let invalidTimestamp = Code("invalidTimestamp")
        /// A time-zone name the system's time-zone database does not know.
        public static let unknownTimeZone = Code("unknownTimeZone")
        /// A schedule setting out of range: flexible window, StartDate/EndDate, a missing rate anchor.
        public static let invalidSetting = Code("invalidSetting")
        /// An `at(...)` expression where only `rate` and `cron` are allowed (EventBridge rules).
        public static let notSupportedByDialect = Code("notSupportedByDialect")
        /// An argument of a convenience function out of range (a negative count).
        public static let invalidArgument = Code("invalidArgument")
    }

    /// The part of the expression or schedule that is wrong.
    public struct Field: Hashable, Sendable, CustomStringConvertible {
        /// The name AWS's documentation uses for the field (`Day-of-month`).
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The expression as a whole (prefix, parentheses, spacing, field count).
        public static let expression = Field("Expression")
        // The six cron fields, named as AWS's documentation names them.
        public static let minutes = Field("Minutes")
        public static let hours = Field("Hours")
        public static let dayOfMonth = Field("Day-of-month")
        public static let month = Field("Month")
        public static let dayOfWeek = Field("Day-of-week")
        public static let year = Field("Year")
        // The two parts of a rate expression.
        public static let rateValue = Field("Rate value")
        public static let rateUnit = Field("Rate unit")
        /// The date-time of an `at(...)` expression, or an ISO-8601 text.
        public static let timestamp = Field("Timestamp")
        // Scheduler settings, named as in the CreateSchedule API.
        public static let timeZone = Field("ScheduleExpressionTimezone")
        public static let startDate = Field("StartDate")
        public static let endDate = Field("EndDate")
        public static let flexibleTimeWindow = Field("FlexibleTimeWindow")
        /// An argument of a convenience function (`count`).
        public static let argument = Field("Argument")
    }

    /// The kind of problem.
    public var code: Code
    /// What is wrong, without the field name (see ``description`` for both).
    public var message: String
    /// The field the problem was found in.
    public var field: Field
    /// UTF-8 byte offset in the expression text where the problem starts, when there is one.
    public var offset: Int?

    /// Creates an error (the library's own parsers are the usual source).
    public init(_ code: Code, _ message: String, field: Field, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.offset = offset
    }

    /// The only message AWS's APIs give for any invalid schedule expression.
    public static let awsMessage = "Parameter ScheduleExpression is not valid."
    /// The error code AWS returns with ``awsMessage``.
    public static let awsErrorCode = "ValidationException"

    /// `<Field>: <message>`, e.g. `Minutes: 71 is out of range 0-59`.
    public var description: String { "\(field.name): \(message)" }
}
