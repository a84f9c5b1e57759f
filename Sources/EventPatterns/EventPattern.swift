import Synchronization

/// A validated EventBridge event pattern, for one-shot checks ("does this pattern match this
/// event?" — what EventBridge's TestEventPattern answers).
///
/// ```swift
/// let pattern = try EventPattern(json: #"{"detail": {"state": [{"anything-but": "running"}]}}"#)
/// try pattern.matches(#"{"detail": {"state": "stopped"}}"#)   // true
/// ```
///
/// Validation produces AWS's reason texts (`PatternError.message` is the full
/// `Event pattern is not valid. Reason: …`). To match many patterns against many events, add them
/// to a `RuleIndex` instead: it shares work between patterns.
public struct EventPattern: Sendable {
    /// The pattern's alternatives after `$or` expansion (at least one).
    public let subPatterns: [SubPattern]
    /// The one-rule index, compiled on first use (adding a pattern to a `RuleIndex` never needs it).
    private let box: _LazyCompiled

    /// Parses and validates pattern text exactly as EventBridge receives it.
    /// - Throws: `PatternError` (malformed JSON, an invalid pattern, or a limit exceeded).
    /// - Complexity: O(pattern size), plus the `$or` expansion (at most `maxOrCombinations`).
    public init(json: String, limits: PatternLimits = .default) throws(PatternError) {
        self.init(validated: try PatternParser(limits: limits).parse(text: json))
    }

    /// Validates a pattern that is already parsed.
    public init(value: JSONValue, limits: PatternLimits = .default) throws(PatternError) {
        self.init(validated: try PatternParser(limits: limits).parse(value: value))
    }

    init(validated subPatterns: [SubPattern]) {
        self.subPatterns = subPatterns
        self.box = _LazyCompiled(subPatterns)
    }

    private var compiled: _CompiledRules { box.compiled }

    /// Checks whether pattern text is valid; returns the error instead of throwing.
    public static func validate(_ json: String, limits: PatternLimits = .default) -> PatternError? {
        do {
            _ = try PatternParser(limits: limits).parse(text: json)
            return nil
        } catch {
            return error
        }
    }

    /// Whether the event (JSON text of an object) matches.
    /// - Throws: `JSONError` when the event is not a JSON object or breaks `limits`.
    public func matches(_ event: String, limits: EventLimits = .default) throws(JSONError) -> Bool {
        var event = event
        return try event._withUTF8 { (bytes) throws(JSONError) -> Bool in try matches(bytes, limits: limits) }
    }

    /// Whether the event (UTF-8 JSON bytes of an object) matches.
    public func matches(_ event: UnsafeBufferPointer<UInt8>, limits: EventLimits = .default) throws(JSONError) -> Bool {
        var state = _MatchState(rules: compiled)
        try _matchEvent(event, state: &state, limits: limits)
        return state.matchedSlots.count > 0
    }

    /// The dotted paths of the event fields this pattern reads.
    public var fieldPaths: [String] { compiled.fieldPaths }
}

/// Compiles a pattern's one-rule index once, on first use, from any thread.
final class _LazyCompiled: Sendable {
    private let subPatterns: [SubPattern]
    private let storage = AtomicLazyReference<_CompiledRules>()

    init(_ subPatterns: [SubPattern]) {
        self.subPatterns = subPatterns
    }

    var compiled: _CompiledRules {
        if let existing = storage.load() { return existing }
        return storage.storeIfNil(_CompiledRules(rules: [(0, subPatterns)], slotCount: 1))
    }
}
