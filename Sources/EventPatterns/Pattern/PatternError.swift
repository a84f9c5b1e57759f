/// Why an event pattern was rejected.
///
/// `reason` is AWS's reason text wherever AWS has one (see `Documentation/PATTERNS.md`);
/// `description` is the full message EventBridge returns:
/// `Event pattern is not valid. Reason: <reason>`.
///
/// ```swift
/// do { _ = try EventPattern(json: #"{"source": "aws.ec2"}"#) }
/// catch { print(error) }  // Event pattern is not valid. Reason: "source" must be an object or an array
/// ```
public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem. New kinds may be added; switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The text is not valid JSON (`offset` says where).
        public static let malformedJSON = Code("malformedJSON")
        /// The JSON is valid but breaks a rule of the pattern language.
        public static let invalidPattern = Code("invalidPattern")
        /// The pattern breaks a configured limit (size, depth, `$or` combinations, wildcard complexity).
        public static let limitExceeded = Code("limitExceeded")
    }

    public var code: Code
    /// The reason, without the `Event pattern is not valid. Reason: ` prefix.
    public var reason: String
    /// The dotted path of the field the problem was found in, when there is one.
    public var path: String?
    /// The byte offset in the pattern text, for malformed JSON.
    public var offset: Int?

    public init(_ code: Code, _ reason: String, path: String? = nil, offset: Int? = nil) {
        self.code = code
        self.reason = reason
        self.path = path
        self.offset = offset
    }

    /// AWS's reason for a wildcard it considers too expensive to match.
    public static let wildcardTooComplex =
        "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character"

    /// The prefix AWS puts before every reason.
    public static let messagePrefix = "Event pattern is not valid. Reason: "

    /// The full message, as EventBridge's `InvalidEventPatternException` carries it.
    public var message: String { PatternError.messagePrefix + reason }

    public var description: String { message }
}
