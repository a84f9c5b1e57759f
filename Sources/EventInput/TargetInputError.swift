/// Why a target's `Input`, `InputPath` or `InputTransformer` was rejected, with the error code and
/// message EventBridge's `PutTargets` answers.
///
/// ```swift
/// do {
///     _ = try TargetInput(target: try JSONReader.parse(#"{"Id": "t1", "Arn": "arn:aws:sqs:…", "Input": "{", "InputPath": "$"}"#))
/// } catch {
///     error.code      // ValidationException
///     error.kind      // .multipleInputs
///     error.message   // Only one of Input, InputPath, or InputTransformer must be provided for target t1.
/// }
/// ```
///
/// Messages are AWS's exact texts where they were observed (see `Documentation/INPUT.md` for the
/// provenance of each); the others follow AWS's style and are marked there as our choice.
public struct TargetInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The AWS error code (the `__type` of the error response). New codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A constraint or a semantic rule of `PutTargets` is broken (HTTP 400).
        public static let validationException = Code("ValidationException")
        /// The request's JSON does not have the API's shape (a number where a string belongs, …).
        public static let serializationException = Code("SerializationException")
    }

    /// What exactly is wrong, for callers and tests that branch on it. New kinds may be added;
    /// switch with a `default`.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// One or more model constraints (length, pattern, required, map size) are broken;
        /// `violations` lists them, `message` is AWS's `N validation error(s) detected: …`.
        public static let constraintViolation = Kind("constraintViolation")
        /// More than one of `Input`, `InputPath`, `InputTransformer` is set.
        public static let multipleInputs = Kind("multipleInputs")
        /// `Input` is not one valid JSON text.
        public static let invalidInputJSON = Kind("invalidInputJSON")
        /// `InputPath`, or a value of `InputPathsMap`, is not a path of the accepted grammar.
        public static let invalidInputPath = Kind("invalidInputPath")
        /// An `InputPathsMap` key starts with `AWS`.
        public static let reservedKey = Kind("reservedKey")
        /// The template names a placeholder that is neither a map key nor a predefined variable.
        public static let invalidPlaceholder = Kind("invalidPlaceholder")
        /// `<aws.events.event>` or `<aws.events.event.json>` is used outside a JSON value position.
        public static let jsonOnlyPlaceholder = Kind("jsonOnlyPlaceholder")
        /// A placeholder is used as (or inside) an object key of a JSON template.
        public static let placeholderAsKey = Kind("placeholderAsKey")
        /// The template is neither a JSON object nor one or more JSON strings, or is malformed.
        public static let invalidTemplate = Kind("invalidTemplate")
        /// The `Target` JSON does not have the API's shape.
        public static let malformedTarget = Kind("malformedTarget")
    }

    /// The AWS error code.
    public var code: Code
    /// What is wrong.
    public var kind: Kind
    /// The full message, as EventBridge's error response carries it.
    public var message: String
    /// The API member the problem is in, in AWS's request notation
    /// (`targets.1.member.inputTransformer.inputTemplate`), when there is one.
    public var field: String?
    /// The byte offset of the problem in the member's text (malformed JSON, bad path), when known.
    public var offset: Int?
    /// The broken model constraints, for `.constraintViolation` (empty otherwise). A caller that
    /// validates several targets of one request can merge them and format one message with
    /// `ConstraintViolation.message(for:)`, as AWS does.
    public var violations: [ConstraintViolation]

    public init(_ code: Code, _ kind: Kind, _ message: String, field: String? = nil, offset: Int? = nil,
                violations: [ConstraintViolation] = []) {
        self.code = code
        self.kind = kind
        self.message = message
        self.field = field
        self.offset = offset
        self.violations = violations
    }

    public var description: String { "\(code): \(message)" }

    static func validation(_ kind: Kind, _ message: String, field: String? = nil, offset: Int? = nil) -> TargetInputError {
        TargetInputError(.validationException, kind, message, field: field, offset: offset)
    }

    static func constraints(_ violations: [ConstraintViolation]) -> TargetInputError {
        TargetInputError(.validationException, .constraintViolation, ConstraintViolation.message(for: violations),
                         field: violations.first?.field, violations: violations)
    }

    static func malformed(_ message: String, field: String) -> TargetInputError {
        TargetInputError(.serializationException, .malformedTarget, message, field: field)
    }
}

/// One broken model constraint, in the form AWS's request validation reports it:
/// `Value '<value>' at '<field>' failed to satisfy constraint: <constraint>`.
///
/// ```swift
/// let violation = ConstraintViolation(value: "!@#", field: "targets.1.member.id",
///                                     constraint: "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")
/// ConstraintViolation.message(for: [violation])
/// // 1 validation error detected: Value '!@#' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy …
/// ```
public struct ConstraintViolation: Sendable, Hashable, CustomStringConvertible {
    /// The offending value as AWS echoes it; `nil` prints as `Value null` (a missing required member).
    public var value: String?
    /// The member, in request notation (`targets.1.member.inputPath`).
    public var field: String
    /// The constraint text (`Member must have length less than or equal to 256`).
    public var constraint: String

    public init(value: String?, field: String, constraint: String) {
        self.value = value
        self.field = field
        self.constraint = constraint
    }

    public var description: String {
        let shown = value.map { "'\($0)'" } ?? "null"
        return "Value \(shown) at '\(field)' failed to satisfy constraint: \(constraint)"
    }

    /// AWS's message for a list of violations: `1 validation error detected: A` or
    /// `3 validation errors detected: A; B; C`.
    ///
    /// - Complexity: O(total length of the violations' texts).
    public static func message(for violations: [ConstraintViolation]) -> String {
        let count = violations.count
        let head = count == 1 ? "1 validation error detected: " : "\(count) validation errors detected: "
        return head + violations.map(\.description).joined(separator: "; ")
    }
}
