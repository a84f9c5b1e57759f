import EventPatterns

/// What rendering needs besides the event: the matching rule and when the event arrived.
///
/// ```swift
/// let context = RenderContext(ruleName: "orders", ruleARN: "arn:aws:events:eu-west-1:111122223333:rule/shop/orders",
///                             ingestionTime: "2024-05-01T12:34:56Z")
/// ```
public struct RenderContext: Sendable, Hashable {
    /// The rule's name, for `<aws.events.rule-name>`.
    public var ruleName: String
    /// The rule's ARN, for `<aws.events.rule-arn>` (custom bus: `…:rule/<bus>/<rule>`).
    public var ruleARN: String
    /// When EventBridge received the event, already formatted (ISO-8601 UTC, e.g.
    /// `2024-05-01T12:34:56Z`), for `<aws.events.event.ingestion-time>` and the `time` of
    /// `<aws.events.event>`. The module has no clock: the bus formats its own.
    public var ingestionTime: String

    public init(ruleName: String, ruleARN: String, ingestionTime: String) {
        self.ruleName = ruleName
        self.ruleARN = ruleARN
        self.ingestionTime = ingestionTime
    }
}

/// Bounds on what rendering may produce, so that an 8 KB template of placeholders cannot turn one
/// event into gigabytes.
public struct RenderLimits: Sendable, Hashable {
    /// The largest output, in UTF-8 bytes (default 1 MiB, above every target's payload limit).
    public var maxOutputBytes: Int
    /// The deepest nesting accepted when reading back a JSON template's output (default 512: a
    /// template may nest 256 levels and the values put in it as many again).
    public var maxOutputDepth: Int

    public init(maxOutputBytes: Int = 1 << 20, maxOutputDepth: Int = 512) {
        self.maxOutputBytes = maxOutputBytes
        self.maxOutputDepth = maxOutputDepth
    }

    public static let `default` = RenderLimits()
}

/// What the target receives.
///
/// `text` is the exact body (an SQS message body, a Lambda payload). `json` is its parsed value
/// when the body is one JSON text — always for the whole event, an `InputPath` selection, a
/// constant `Input` and a JSON template; for a string template only when the substitutions left it
/// valid (a multi-line template is several JSON strings and so has no `json`).
public struct TargetBody: Sendable, Equatable, CustomStringConvertible {
    /// The exact body.
    public let text: String
    /// The body as JSON, when it is one JSON text.
    public let json: JSONValue?

    public init(text: String, json: JSONValue?) {
        self.text = text
        self.json = json
    }

    public var description: String { text }
}

/// Why nothing is delivered although the rule matched. New reasons may be added.
public struct NotDeliveredReason: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }
    public var description: String { name }

    /// A JSON template's output is not valid JSON — typically an object or array put inside a
    /// string literal (`{"p": "<payload>"}`). AWS accepts such a target and silently drops the
    /// event; so do we.
    public static let invalidJSON = NotDeliveredReason("invalidJSON")
    /// An `InputPath` selected nothing (AWS does not document this case; we deliver nothing).
    public static let pathNotFound = NotDeliveredReason("pathNotFound")
    /// The output would pass `RenderLimits.maxOutputBytes`.
    public static let outputTooLarge = NotDeliveredReason("outputTooLarge")
    /// A JSON template's output nests deeper than `RenderLimits.maxOutputDepth`.
    public static let outputTooDeep = NotDeliveredReason("outputTooDeep")
}

/// The result of rendering a target's input for one event.
public enum RenderOutcome: Sendable, Equatable {
    /// Send this body to the target.
    case delivered(TargetBody)
    /// Send nothing. For `.invalidJSON` this is AWS's silent drop (no error, no retry, no
    /// dead-letter queue); for the other reasons the bus decides how to report it.
    case notDelivered(NotDeliveredReason)

    /// The body, when there is one.
    public var body: TargetBody? {
        if case .delivered(let body) = self { return body }
        return nil
    }
}
