/// Limits applied when compiling patterns. Every limit is reported as a `PatternError` with code
/// `.limitExceeded`, never as a crash.
public struct PatternLimits: Sendable, Equatable {
    /// Longest pattern text accepted, in characters (Unicode scalars). EventBridge's default quota
    /// is 2,048; the API's hard maximum is 4,096.
    public var maxPatternLength: Int
    /// Deepest nesting of objects and arrays in the pattern text.
    public var maxDepth: Int
    /// Most alternatives a pattern may expand to through `$or` (EventBridge: 1,000).
    public var maxOrCombinations: Int
    /// Most `*` in one wildcard value. AWS rejects `*:*:*:*:*:event-bus/*` (six) as too complex and
    /// does not publish its threshold; five or fewer are accepted.
    public var maxWildcardStars: Int

    public init(maxPatternLength: Int = 2048, maxDepth: Int = 64, maxOrCombinations: Int = 1000, maxWildcardStars: Int = 5) {
        self.maxPatternLength = maxPatternLength
        self.maxDepth = maxDepth
        self.maxOrCombinations = maxOrCombinations
        self.maxWildcardStars = maxWildcardStars
    }

    public static let `default` = PatternLimits()
}

/// One matcher of a field: one element of the array a pattern gives for a field.
///
/// String values of the `*IgnoreCase` cases are stored already folded (see `CaseFolding`).
public enum PatternMatcher: Hashable, Sendable {
    case exactString(String)
    case exactNumber(Double)
    case exactBool(Bool)
    case exactNull
    case prefix(String)
    case prefixIgnoreCase(String)
    case suffix(String)
    case suffixIgnoreCase(String)
    case equalsIgnoreCase(String)
    case wildcard(WildcardPattern)
    case anythingBut(AnythingBut)
    case numeric(NumericRange)
    case exists(Bool)
    case cidr(CIDRBlock)
}

/// The exclusion of an `anything-but` matcher. Lists are sorted and free of duplicates, so equal
/// exclusions compare equal (the rule index shares them).
public enum AnythingBut: Hashable, Sendable {
    case strings([String])
    case numbers([Double])
    case prefixes([String])
    case suffixes([String])
    /// Folded values.
    case ignoreCase([String])
    case wildcards([WildcardPattern])
}

/// A field condition: the event's leaves at `path` must satisfy at least one of `matchers`.
public struct PatternClause: Hashable, Sendable {
    /// The dotted path (`detail.state`); nested pattern keys and dotted keys both end up here.
    public var path: String
    public var matchers: [PatternMatcher]

    public init(path: String, matchers: [PatternMatcher]) {
        self.path = path
        self.matchers = matchers
    }
}

/// One alternative of a pattern after `$or` expansion: all its clauses must hold, with the leaves
/// that satisfy them taken consistently from arrays (never from two elements of one array).
public struct SubPattern: Hashable, Sendable {
    public var clauses: [PatternClause]

    public init(clauses: [PatternClause]) {
        self.clauses = clauses
    }
}

// MARK: - Byte-exact identity
//
// Swift's `String ==` is Unicode canonical equivalence; EventBridge compares strings byte for byte
// ("\u{212A}" KELVIN SIGN is not "K"). Matchers, exclusions and clauses therefore compare and hash
// through an explicit byte encoding rather than the synthesized conformances.

extension PatternMatcher {
    /// A byte string that is equal for two matchers exactly when they match the same values.
    var identity: [UInt8] {
        var out: [UInt8] = []
        func tag(_ value: UInt8) { out.append(value) }
        func text(_ string: String) {
            let bytes = Array(string.utf8)
            withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: bytes)
        }
        func number(_ value: Double) {
            withUnsafeBytes(of: (value == 0 ? 0.0 : value).bitPattern.littleEndian) { out.append(contentsOf: $0) }
        }
        switch self {
        case .exactString(let value): tag(1); text(value)
        case .exactNumber(let value): tag(2); number(value)
        case .exactBool(let value): tag(value ? 3 : 4)
        case .exactNull: tag(5)
        case .prefix(let value): tag(6); text(value)
        case .prefixIgnoreCase(let value): tag(7); text(value)
        case .suffix(let value): tag(8); text(value)
        case .suffixIgnoreCase(let value): tag(9); text(value)
        case .equalsIgnoreCase(let value): tag(10); text(value)
        case .wildcard(let pattern): tag(11); text(pattern.source)
        case .numeric(let range):
            tag(12)
            number(range.lower ?? -.infinity); tag(range.lower == nil ? 2 : (range.lowerInclusive ? 1 : 0))
            number(range.upper ?? .infinity); tag(range.upper == nil ? 2 : (range.upperInclusive ? 1 : 0))
        case .exists(let value): tag(value ? 13 : 14)
        case .cidr(let block):
            tag(15); tag(block.isIPv6 ? 1 : 0)
            withUnsafeBytes(of: block.low) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: block.high) { out.append(contentsOf: $0) }
        case .anythingBut(let exclusion):
            tag(16)
            switch exclusion {
            case .strings(let values): tag(1); values.forEach(text)
            case .numbers(let values): tag(2); values.forEach(number)
            case .prefixes(let values): tag(3); values.forEach(text)
            case .suffixes(let values): tag(4); values.forEach(text)
            case .ignoreCase(let values): tag(5); values.forEach(text)
            case .wildcards(let patterns): tag(6); patterns.forEach { text($0.source) }
            }
        }
        return out
    }

    public static func == (lhs: PatternMatcher, rhs: PatternMatcher) -> Bool { lhs.identity == rhs.identity }
    public func hash(into hasher: inout Hasher) { hasher.combine(identity) }
}

extension AnythingBut {
    public static func == (lhs: AnythingBut, rhs: AnythingBut) -> Bool {
        PatternMatcher.anythingBut(lhs).identity == PatternMatcher.anythingBut(rhs).identity
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(PatternMatcher.anythingBut(self).identity) }
}

extension WildcardPattern {
    public static func == (lhs: WildcardPattern, rhs: WildcardPattern) -> Bool { lhs.source.utf8.elementsEqual(rhs.source.utf8) }
    public func hash(into hasher: inout Hasher) { hasher.combine(_Bytes(source)) }
}

extension CIDRBlock {
    public static func == (lhs: CIDRBlock, rhs: CIDRBlock) -> Bool {
        lhs.isIPv6 == rhs.isIPv6 && lhs.low == rhs.low && lhs.high == rhs.high
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(isIPv6)
        hasher.combine(low)
        hasher.combine(high)
    }
}

extension PatternClause {
    public static func == (lhs: PatternClause, rhs: PatternClause) -> Bool {
        lhs.path.utf8.elementsEqual(rhs.path.utf8) && lhs.matchers == rhs.matchers
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(_Bytes(path))
        hasher.combine(matchers)
    }
}
