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
