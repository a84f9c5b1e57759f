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
        var utf16Position = 0          // 0-based position in UTF-16 code units, as Java counts
        var previousWasStar = false
        var previousStarPosition = 0
        var iterator = source.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            let position = utf16Position
            utf16Position += scalar.utf16.count
            if scalar == "\\" {
                guard let next = iterator.next(), next == "*" || next == "\\" else {
                    throw PatternError(.invalidPattern, "Invalid escape character at pos \(position + 1)")
                }
                utf16Position += 1
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
        let count = value.count
        let first = segments[0]
        if segments.count == 1 {
            return count == first.count && _bytesEqual(value, 0, first)
        }
        let last = segments[segments.count - 1]
        guard count >= first.count + last.count else { return false }
        guard _bytesEqual(value, 0, first), _bytesEqual(value, count - last.count, last) else { return false }
        var cursor = first.count
        let limit = count - last.count
        var index = 1
        while index < segments.count - 1 {
            let segment = segments[index]
            guard let found = _find(segment, in: value, from: cursor, to: limit) else { return false }
            cursor = found + segment.count
            index += 1
        }
        return true
    }

    /// Whether `value` matches (convenience for strings).
    public func matches(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { matches($0) }
    }

    public var description: String { source }
}

@inline(__always)
func _bytesEqual(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: Int, _ literal: [UInt8]) -> Bool {
    if literal.isEmpty { return true }
    guard offset >= 0, offset + literal.count <= buffer.count else { return false }
    return literal.withUnsafeBufferPointer { lit in
        guard let base = buffer.baseAddress, let litBase = lit.baseAddress else { return false }
        return memcmp(base + offset, litBase, lit.count) == 0
    }
}

/// Leftmost occurrence of `needle` in `haystack[from..<to]`.
@inline(__always)
func _find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
    let length = needle.count
    if length == 0 { return from }
    guard to - from >= length, let first = needle.first else { return nil }
    var start = from
    let lastStart = to - length
    while start <= lastStart {
        if haystack[start] == first && _bytesEqual(haystack, start, needle) { return start }
        start += 1
    }
    return nil
}

/// The C library's memcmp, declared here so the core needs neither Foundation nor Glibc.
@_silgen_name("memcmp")
func memcmp(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, _ count: Int) -> Int32
