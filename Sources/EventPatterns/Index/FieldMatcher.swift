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
    var numbers: [Double: Int32] = [:]
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
    var abNumberExcluded: [Double: Int32] = [:]
    var exclusionLists: [[Int32]] = []
    /// `anything-but` with prefix / suffix / equals-ignore-case / wildcard forms.
    var abOther: [(exclusion: AnythingBut, cond: Int32)] = []
    /// Whether any condition needs the folded value.
    var needsFold = false

    /// Registers condition `cond` for `matcher`.
    func add(_ matcher: PatternMatcher, cond: Int32) {
        switch matcher {
        case .exactString(let value): exact.set(Array(value.utf8), cond)
        case .exactNumber(let value): numbers[value == 0 ? 0 : value] = cond
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
            ranges.append((range, cond))
            ranges.sort { ($0.range.lower ?? -.infinity) < ($1.range.lower ?? -.infinity) }
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
                    let key = value == 0 ? 0 : value
                    if let list = abNumberExcluded[key] {
                        exclusionLists[Int(list)].append(cond)
                    } else {
                        abNumberExcluded[key] = Int32(exclusionLists.count)
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

    /// Approximate bytes held by this field's structures.
    var byteSize: Int {
        var size = 256
        size += exact.byteSize + prefixes.byteSize + suffixes.byteSize + foldedExact.byteSize
        size += foldedPrefixes.byteSize + foldedSuffixes.byteSize + abStringExcluded.byteSize
        size += numbers.count * 24 + abNumberExcluded.count * 24
        size += (wildcards.count + ranges.count + cidrs.count + abOther.count) * 64
        size += exclusionLists.reduce(0) { $0 + 24 + $1.count * 4 }
        return size
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
