/// Everything the rules ask of one field (one dotted path), arranged so that evaluating a leaf value
/// costs a few hash probes whatever the number of rules:
///
/// | operator | structure | cost per leaf |
/// |---|---|---|
/// | exact string / `equals` | hash map value → condition | 1 probe |
/// | exact number | hash map double → condition | 1 probe |
/// | `true` / `false` / `null` / `exists` | one condition each | O(1) |
/// | `prefix` / `suffix` | hash map per distinct length | 1 probe per distinct length |
/// | `equals-ignore-case`, `*-ignore-case` | fold once, then as above | fold + probes |
/// | `anything-but` strings / numbers | value → conditions excluding it | 1 probe + 1 step per such condition |
/// | `numeric` | sorted list of intervals | O(#intervals on the field) |
/// | `wildcard`, `cidr`, other `anything-but` forms | list | O(#such conditions on the field) |
final class _FieldMatcher: @unchecked Sendable {
    // Immutable once the index is built.
    var exact = _ByteMap()
    var numbers = _ByteMap()
    var trueCond: Int32 = -1
    var falseCond: Int32 = -1
    var nullCond: Int32 = -1
    var existsCond: Int32 = -1
    var absentCond: Int32 = -1
    var prefixLengths: [Int] = []
    var prefixes = _ByteMap()
    var suffixLengths: [Int] = []
    var suffixes = _ByteMap()
    var foldedExact = _ByteMap()
    var foldedPrefixLengths: [Int] = []
    var foldedPrefixes = _ByteMap()
    var foldedSuffixLengths: [Int] = []
    var foldedSuffixes = _ByteMap()
    var wildcards: [(pattern: WildcardPattern, cond: Int32)] = []
    var ranges: [(range: NumericRange, cond: Int32)] = []
    var cidrs: [(block: CIDRBlock, cond: Int32)] = []
    /// `anything-but` over a set of strings: all such conditions, and for each excluded value the
    /// conditions that exclude it (an index into `exclusionLists`).
    var abStringConds: [Int32] = []
    var abStringExcluded = _ByteMap()
    var abNumberConds: [Int32] = []
    var abNumberExcluded = _ByteMap()
    var exclusionLists: [[Int32]] = []
    /// `anything-but` with prefix / suffix / equals-ignore-case / wildcard forms.
    var abOther: [(exclusion: AnythingBut, cond: Int32)] = []
    /// Whether any condition needs the folded value.
    var needsFold = false

    /// Registers condition `cond` for `matcher`.
    func add(_ matcher: PatternMatcher, cond: Int32) {
        switch matcher {
        case .exactString(let value): exact.set(Array(value.utf8), cond)
        case .exactNumber(let value): numbers.set(number: value, cond)
        case .exactBool(let flag): if flag { trueCond = cond } else { falseCond = cond }
        case .exactNull: nullCond = cond
        case .prefix(let value): Self.addAffix(value, cond, &prefixes, &prefixLengths)
        case .suffix(let value): Self.addAffix(value, cond, &suffixes, &suffixLengths)
        case .prefixIgnoreCase(let value):
            Self.addAffix(value, cond, &foldedPrefixes, &foldedPrefixLengths)
            needsFold = true
        case .suffixIgnoreCase(let value):
            Self.addAffix(value, cond, &foldedSuffixes, &foldedSuffixLengths)
            needsFold = true
        case .equalsIgnoreCase(let value):
            foldedExact.set(Array(value.utf8), cond)
            needsFold = true
        case .wildcard(let pattern): wildcards.append((pattern, cond))
        case .numeric(let range):
            ranges.append((range, cond))   // sorted by lower bound when frozen
        case .cidr(let block): cidrs.append((block, cond))
        case .exists(let flag): if flag { existsCond = cond } else { absentCond = cond }
        case .anythingBut(let exclusion):
            switch exclusion {
            case .strings(let values):
                abStringConds.append(cond)
                for value in values {
                    let key = Array(value.utf8)
                    if let list = abStringExcluded.get(key) {
                        exclusionLists[Int(list)].append(cond)
                    } else {
                        abStringExcluded.set(key, Int32(exclusionLists.count))
                        exclusionLists.append([cond])
                    }
                }
            case .numbers(let values):
                abNumberConds.append(cond)
                for value in values {
                    if let list = abNumberExcluded.get(number: value) {
                        exclusionLists[Int(list)].append(cond)
                    } else {
                        abNumberExcluded.set(number: value, Int32(exclusionLists.count))
                        exclusionLists.append([cond])
                    }
                }
            case .ignoreCase:
                abOther.append((exclusion, cond))
                needsFold = true
            case .prefixes, .suffixes, .wildcards:
                abOther.append((exclusion, cond))
            }
        }
    }

    private static func addAffix(_ value: String, _ cond: Int32, _ map: inout _ByteMap, _ lengths: inout [Int]) {
        let bytes = Array(value.utf8)
        map.set(bytes, cond)
        if !lengths.contains(bytes.count) {
            lengths.append(bytes.count)
            lengths.sort()
        }
    }

    /// The raw-memory form used while matching.
    /// - Parameter deferringSlots: see `_HotMap.defersProbes`.
    func freeze(arena: _Arena, deferringSlots: Int) -> _HotField {
        ranges.sort { ($0.range.lower ?? -.infinity) < ($1.range.lower ?? -.infinity) }
        var exclusionStarts: [Int32] = []
        var exclusionFlat: [Int32] = []
        for list in exclusionLists {
            exclusionStarts.append(Int32(exclusionFlat.count))
            exclusionFlat.append(contentsOf: list)
        }
        exclusionStarts.append(Int32(exclusionFlat.count))
        return _HotField(
            exact: _HotMap(exact, arena: arena, deferringSlots: deferringSlots),
            numbers: _HotMap(numbers, arena: arena),
            trueCond: trueCond, falseCond: falseCond, nullCond: nullCond, existsCond: existsCond,
            prefixLengths: arena.buffer(prefixLengths.map(Int32.init)), prefixes: _HotMap(prefixes, arena: arena),
            suffixLengths: arena.buffer(suffixLengths.map(Int32.init)), suffixes: _HotMap(suffixes, arena: arena),
            foldedExact: _HotMap(foldedExact, arena: arena),
            foldedPrefixLengths: arena.buffer(foldedPrefixLengths.map(Int32.init)),
            foldedPrefixes: _HotMap(foldedPrefixes, arena: arena),
            foldedSuffixLengths: arena.buffer(foldedSuffixLengths.map(Int32.init)),
            foldedSuffixes: _HotMap(foldedSuffixes, arena: arena),
            needsFold: needsFold,
            wildcards: arena.buffer(wildcards.map { _HotWildcard($0.pattern, cond: $0.cond, arena: arena) }),
            wildcardIndex: _WildcardIndex(wildcards.map(\.pattern), arena: arena),
            ranges: arena.buffer(ranges.map { _HotRange($0.range, cond: $0.cond) }),
            rangeMaxUpper: arena.buffer(Self.prefixMaxima(ranges.map { $0.range.upper ?? .infinity })),
            cidrs: arena.buffer(cidrs.map { _HotCIDR(isIPv6: $0.block.isIPv6, low: $0.block.low, high: $0.block.high, cond: $0.cond) }),
            abStringConds: arena.buffer(abStringConds), abStringExcluded: _HotMap(abStringExcluded, arena: arena),
            abNumberConds: arena.buffer(abNumberConds), abNumberExcluded: _HotMap(abNumberExcluded, arena: arena),
            exclusionStarts: arena.buffer(exclusionStarts), exclusionFlat: arena.buffer(exclusionFlat),
            abOtherConds: arena.buffer(abOther.map(\.cond)),
            cold: self)
    }

    /// `result[i]` is the largest of `values[0...i]`.
    static func prefixMaxima(_ values: [Double]) -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(values.count)
        var maximum = -Double.infinity
        for value in values {
            maximum = Swift.max(maximum, value)
            result.append(maximum)
        }
        return result
    }

    /// Approximate bytes held by this field's structures.
    var byteSize: Int {
        var size = 256
        size += exact.byteSize + prefixes.byteSize + suffixes.byteSize + foldedExact.byteSize
        size += foldedPrefixes.byteSize + foldedSuffixes.byteSize + abStringExcluded.byteSize
        size += numbers.byteSize + abNumberExcluded.byteSize
        size += (wildcards.count + ranges.count + cidrs.count + abOther.count) * 64
        size += exclusionLists.reduce(0) { $0 + 24 + $1.count * 4 }
        return size
    }
}

/// The raw-memory form of a field's conditions (see `_FieldMatcher`).
struct _HotField {
    let exact: _HotMap
    let numbers: _HotMap
    let trueCond: Int32
    let falseCond: Int32
    let nullCond: Int32
    let existsCond: Int32
    let prefixLengths: _Buf<Int32>
    let prefixes: _HotMap
    let suffixLengths: _Buf<Int32>
    let suffixes: _HotMap
    let foldedExact: _HotMap
    let foldedPrefixLengths: _Buf<Int32>
    let foldedPrefixes: _HotMap
    let foldedSuffixLengths: _Buf<Int32>
    let foldedSuffixes: _HotMap
    let needsFold: Bool
    let wildcards: _Buf<_HotWildcard>
    let wildcardIndex: _WildcardIndex
    /// Sorted by lower bound; `rangeMaxUpper[i]` is the largest upper bound among `ranges[0...i]`.
    let ranges: _Buf<_HotRange>
    let rangeMaxUpper: _Buf<Double>
    let cidrs: _Buf<_HotCIDR>
    let abStringConds: _Buf<Int32>
    let abStringExcluded: _HotMap
    let abNumberConds: _Buf<Int32>
    let abNumberExcluded: _HotMap
    let exclusionStarts: _Buf<Int32>
    let exclusionFlat: _Buf<Int32>
    /// Conditions of the prefix/suffix/ignore-case/wildcard forms of anything-but; their
    /// exclusions are `cold.abOther[i].exclusion`.
    let abOtherConds: _Buf<Int32>
    unowned(unsafe) let cold: _FieldMatcher
}

/// Wildcards of one field grouped by their literal ends, so a value is tested only against the
/// wildcards whose first (or, failing that, last) literal segment it starts (ends) with: one hash
/// probe per distinct segment length, as for prefixes and suffixes. Wildcards that start and end
/// with `*` are tested one by one.
struct _WildcardIndex {
    let prefixLengths: _Buf<Int32>
    let prefixes: _HotMap        // first segment → list
    let suffixLengths: _Buf<Int32>
    let suffixes: _HotMap        // last segment → list
    let listStarts: _Buf<Int32>
    let listFlat: _Buf<Int32>    // indices into the field's wildcards
    let floating: _Buf<Int32>

    init(_ patterns: [WildcardPattern], arena: _Arena) {
        var prefixMap = _ByteMap()
        var suffixMap = _ByteMap()
        var prefixLengths: [Int32] = []
        var suffixLengths: [Int32] = []
        var lists: [[Int32]] = []
        var floating: [Int32] = []
        for (index, pattern) in patterns.enumerated() {
            let first = pattern.segments[0]
            let last = pattern.segments[pattern.segments.count - 1]
            if pattern.segments.count > 1 && !first.isEmpty {
                Self.add(Int32(index), key: first, to: &prefixMap, lengths: &prefixLengths, lists: &lists)
            } else if pattern.segments.count > 1 && !last.isEmpty {
                Self.add(Int32(index), key: last, to: &suffixMap, lengths: &suffixLengths, lists: &lists)
            } else {
                floating.append(Int32(index))   // "*…*", "*", or no star at all (an exact value)
            }
        }
        var starts: [Int32] = []
        var flat: [Int32] = []
        for list in lists {
            starts.append(Int32(flat.count))
            flat.append(contentsOf: list)
        }
        starts.append(Int32(flat.count))
        self.prefixLengths = arena.buffer(prefixLengths.sorted())
        self.prefixes = _HotMap(prefixMap, arena: arena)
        self.suffixLengths = arena.buffer(suffixLengths.sorted())
        self.suffixes = _HotMap(suffixMap, arena: arena)
        self.listStarts = arena.buffer(starts)
        self.listFlat = arena.buffer(flat)
        self.floating = arena.buffer(floating)
    }

    private static func add(_ index: Int32, key: [UInt8], to map: inout _ByteMap, lengths: inout [Int32], lists: inout [[Int32]]) {
        if let list = map.get(key) {
            lists[Int(list)].append(index)
        } else {
            map.set(key, Int32(lists.count))
            lists.append([index])
            if !lengths.contains(Int32(key.count)) { lengths.append(Int32(key.count)) }
        }
    }
}

/// A wildcard in raw memory: its segments back to back in `bytes`, `starts` has count + 1 entries.
struct _HotWildcard {
    let bytes: UnsafeMutablePointer<UInt8>
    let starts: UnsafeMutablePointer<Int32>
    let segmentCount: Int
    let cond: Int32

    init(_ pattern: WildcardPattern, cond: Int32, arena: _Arena) {
        var bytes: [UInt8] = []
        var starts: [Int32] = []
        for segment in pattern.segments {
            starts.append(Int32(bytes.count))
            bytes.append(contentsOf: segment)
        }
        starts.append(Int32(bytes.count))
        self.bytes = arena.buffer(bytes).base
        self.starts = arena.buffer(starts).base
        self.segmentCount = pattern.segments.count
        self.cond = cond
    }

    @inline(__always)
    func segment(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: bytes + Int(starts[index]), count: Int(starts[index + 1] - starts[index]))
    }

    /// Same semantics as `WildcardPattern.matches` (the same matcher over raw memory).
    func matches(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        _globMatches(value, segmentCount: segmentCount) { index, body in body(segment(index)) }
    }
}

@inline(__always)
func _equalBytes(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: Int, _ literal: UnsafeBufferPointer<UInt8>) -> Bool {
    if literal.count == 0 { return true }
    guard let base = buffer.baseAddress, let literalBase = literal.baseAddress, offset + literal.count <= buffer.count else { return false }
    return memcmp(base + offset, literalBase, literal.count) == 0
}

@inline(__always)
func _findBytes(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
    let length = needle.count
    if length == 0 { return from }
    guard to - from >= length, let first = needle.first else { return nil }
    var start = from
    let lastStart = to - length
    while start <= lastStart {
        if haystack[start] == first && _equalBytes(haystack, start, needle) { return start }
        start += 1
    }
    return nil
}

/// A numeric interval in raw memory (missing bounds are infinite).
struct _HotRange {
    let lower: Double
    let lowerInclusive: Bool
    let upper: Double
    let upperInclusive: Bool
    let cond: Int32

    init(_ range: NumericRange, cond: Int32) {
        lower = range.lower ?? -.infinity
        lowerInclusive = range.lower == nil ? true : range.lowerInclusive
        upper = range.upper ?? .infinity
        upperInclusive = range.upper == nil ? true : range.upperInclusive
        self.cond = cond
    }

    @inline(__always)
    func contains(_ value: Double) -> Bool {
        (lowerInclusive ? value >= lower : value > lower) && (upperInclusive ? value <= upper : value < upper)
    }
}

/// A CIDR block in raw memory (same semantics as `CIDRBlock.contains`).
struct _HotCIDR {
    let isIPv6: Bool
    let low: UInt128
    let high: UInt128
    let cond: Int32

    @inline(__always)
    func contains(_ address: IPAddress) -> Bool {
        if address.isIPv6 == isIPv6 { return address.value >= low && address.value <= high }
        if isIPv6 { return false }
        let head = address.value >> 96
        return head >= low && head <= high
    }
}

extension AnythingBut {
    /// Whether a string value (UTF-8, and its folded form when the field folds) is *not* excluded.
    @inline(__always)
    func admits(string value: UnsafeBufferPointer<UInt8>, folded: UnsafeBufferPointer<UInt8>) -> Bool {
        switch self {
        case .strings(let values):
            for excluded in values where _equal(value, excluded) { return false }
            return true
        case .numbers:
            return true
        case .prefixes(let values):
            for excluded in values where _hasPrefix(value, excluded) { return false }
            return true
        case .suffixes(let values):
            for excluded in values where _hasSuffix(value, excluded) { return false }
            return true
        case .ignoreCase(let values):
            for excluded in values where _equal(folded, excluded) { return false }
            return true
        case .wildcards(let patterns):
            for pattern in patterns where pattern.matches(value) { return false }
            return true
        }
    }
}

@inline(__always)
func _equal(_ value: UnsafeBufferPointer<UInt8>, _ string: String) -> Bool {
    var string = string
    return string.withUTF8 { other in
        other.count == value.count && (other.count == 0 || memcmp(other.baseAddress!, value.baseAddress!, other.count) == 0)
    }
}

@inline(__always)
func _hasPrefix(_ value: UnsafeBufferPointer<UInt8>, _ string: String) -> Bool {
    var string = string
    return string.withUTF8 { other in
        other.count <= value.count && (other.count == 0 || memcmp(other.baseAddress!, value.baseAddress!, other.count) == 0)
    }
}

@inline(__always)
func _hasSuffix(_ value: UnsafeBufferPointer<UInt8>, _ string: String) -> Bool {
    var string = string
    return string.withUTF8 { other in
        other.count <= value.count
            && (other.count == 0 || memcmp(other.baseAddress!, value.baseAddress! + (value.count - other.count), other.count) == 0)
    }
}
