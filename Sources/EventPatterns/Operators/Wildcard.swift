/// A compiled `wildcard` value: literal segments separated by `*`.
///
/// `*` matches any run of zero or more characters; `\*` is a literal asterisk and `\\` a literal
/// backslash (after JSON decoding). The match is anchored at both ends. Because every segment is
/// valid UTF-8 and UTF-8 is self-synchronising, matching on bytes equals matching on characters.
///
/// - Complexity: matching is O(n · m) in the worst case for value length n and total segment
///   length m (greedy leftmost search of each middle segment, which is exact for `*`-only globs);
///   it never backtracks exponentially.
public struct WildcardPattern: Hashable, Sendable, CustomStringConvertible {
    /// The pattern as written (after JSON decoding).
    public let source: String
    /// Literal segments; `segments.count == stars + 1`.
    let segments: [[UInt8]]

    /// The number of `*` wildcards.
    public var starCount: Int { segments.count - 1 }

    /// Parses and validates a wildcard value.
    /// - Throws: `PatternError` with AWS's reasons for a bad escape, two `*` in a row, or more
    ///   than `maxStars` wildcards ("Rule is too complex ...").
    public init(_ source: String, maxStars: Int = PatternLimits.default.maxWildcardStars) throws(PatternError) {
        self.source = source
        var segments: [[UInt8]] = []
        var current: [UInt8] = []
        var bytePosition = 0           // 0-based UTF-8 byte position, as Ruler counts (1-based in messages)
        var previousWasStar = false
        var previousStarPosition = 0
        var iterator = source.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            let position = bytePosition
            bytePosition += scalar.utf8.count
            if scalar == "\\" {
                guard let next = iterator.next(), next == "*" || next == "\\" else {
                    throw PatternError(.invalidPattern, "Invalid escape character at pos \(position + 1)")
                }
                bytePosition += 1
                current.append(UInt8(ascii: next == "*" ? "*" : "\\"))
                previousWasStar = false
            } else if scalar == "*" {
                if previousWasStar {
                    throw PatternError(.invalidPattern, "Consecutive wildcard characters at pos \(previousStarPosition + 1)")
                }
                segments.append(current)
                current = []
                previousWasStar = true
                previousStarPosition = position
            } else {
                current.append(contentsOf: String(scalar).utf8)
                previousWasStar = false
            }
        }
        segments.append(current)
        if segments.count - 1 > maxStars {
            throw PatternError(.limitExceeded, PatternError.wildcardTooComplex)
        }
        self.segments = segments
    }

    /// Whether the whole of `value` (UTF-8) matches.
    public func matches(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        _globMatches(value, segmentCount: segments.count) { index, body in
            segments[index].withUnsafeBufferPointer { body($0) }
        }
    }

    /// Whether `value` matches (convenience for strings).
    public func matches(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { matches($0) }
    }

    public var description: String { source }
}

/// Glob matching shared by `WildcardPattern` and the index's raw-memory wildcards: the first
/// segment is a prefix, the last a suffix, each middle segment is found leftmost after the previous
/// one (greedy leftmost is exact for `*`-only globs, so there is no backtracking).
@inline(__always)
func _globMatches(_ value: UnsafeBufferPointer<UInt8>, segmentCount: Int,
                  _ segment: (Int, (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool) -> Bool {
    let count = value.count
    if segmentCount == 1 {
        return segment(0) { first in count == first.count && _equalBytes(value, 0, first) }
    }
    var firstLength = 0
    var lastLength = 0
    let endsMatch = segment(0) { first in
        firstLength = first.count
        return _equalBytes(value, 0, first)
    } && segment(segmentCount - 1) { last in
        lastLength = last.count
        return count >= firstLength + last.count && _equalBytes(value, count - last.count, last)
    }
    guard endsMatch, count >= firstLength + lastLength else { return false }
    var cursor = firstLength
    let limit = count - lastLength
    var index = 1
    while index < segmentCount - 1 {
        let found = segment(index) { needle in
            guard let at = _findBytes(needle, in: value, from: cursor, to: limit) else { return false }
            cursor = at + needle.count
            return true
        }
        if !found { return false }
        index += 1
    }
    return true
}

/// The C library's memcmp, declared here so the core needs neither Foundation nor Glibc.
@_silgen_name("memcmp")
func memcmp(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, _ count: Int) -> Int32
