import EventPatterns

/// A validated constant `Input`: JSON text delivered instead of the event.
///
/// ```swift
/// let constant = try InputConstant(#"{"custom-value": "somecustominput"}"#, targetID: "t1")
/// constant.value["custom-value"]   // .string("somecustominput")
/// ```
///
/// The target receives `text` exactly as given (whitespace included). Any single JSON value is
/// accepted (`"hello"`, `42`, `[1]`), as AWS's JSON check does; trailing content after the value
/// is rejected.
public struct InputConstant: Sendable, Hashable, CustomStringConvertible {
    /// The JSON text, as given.
    public let text: String
    /// The parsed value.
    public let value: JSONValue

    /// The largest `Input` AWS accepts, in UTF-16 code units.
    public static let maxLength = 8192

    /// Validates constant input.
    ///
    /// - Parameters:
    ///   - text: the `Input` member.
    ///   - targetID: the target's `Id`, for the message.
    ///   - memberIndex: the target's 1-based position in the request, for the constraint message.
    /// - Throws: `TargetInputError` `.invalidInputJSON` with AWS's message
    ///   `JSON syntax error in input for target <id>: [Source: (String)"…"; line: 1, column: 4]`;
    ///   `.constraintViolation` when longer than 8192 chars.
    /// - Complexity: O(length of `text`).
    public init(_ text: String, targetID: String, memberIndex: Int = 1) throws(TargetInputError) {
        if text.utf16.count > InputConstant.maxLength {
            throw .constraints([ConstraintViolation(value: text, field: "targets.\(memberIndex).member.input",
                                                    constraint: "Member must have length less than or equal to 8192")])
        }
        do {
            self.value = try JSONReader.parse(text)
        } catch {
            throw .validation(.invalidInputJSON,
                              "JSON syntax error in input for target \(targetID): \(_JacksonLocation.describe(text, error: error))",
                              field: "targets.\(memberIndex).member.input", offset: error.offset)
        }
        self.text = text
    }

    public var description: String { text }

    /// Equal when the texts are equal byte for byte (not by Unicode equivalence).
    public static func == (lhs: InputConstant, rhs: InputConstant) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }
    public func hash(into hasher: inout Hasher) { hasher.combine(Array(text.utf8)) }
}
