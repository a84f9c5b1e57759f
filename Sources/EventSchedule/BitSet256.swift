/// A fixed set of small non-negative integers (0...255) in four machine words.
///
/// Cron fields are sets of at most 230 values (years 1970–2199); "the next allowed value at or
/// after x" is then one shift and one trailing-zero count per word, which is what makes the fire
/// time search jump instead of scan.
struct BitSet256: Hashable, Sendable {
    private var w0: UInt64 = 0
    private var w1: UInt64 = 0
    private var w2: UInt64 = 0
    private var w3: UInt64 = 0

    static let capacity = 256

    @inline(__always)
    private func word(_ index: Int) -> UInt64 {
        switch index {
        case 0: return w0
        case 1: return w1
        case 2: return w2
        default: return w3
        }
    }

    mutating func insert(_ value: Int) {
        guard value >= 0, value < Self.capacity else { return }
        let bit = UInt64(1) << UInt64(value & 63)
        switch value >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        default: w3 |= bit
        }
    }

    func contains(_ value: Int) -> Bool {
        guard value >= 0, value < Self.capacity else { return false }
        return (word(value >> 6) >> UInt64(value & 63)) & 1 == 1
    }

    var isEmpty: Bool { w0 | w1 | w2 | w3 == 0 }

    var count: Int { w0.nonzeroBitCount + w1.nonzeroBitCount + w2.nonzeroBitCount + w3.nonzeroBitCount }

    /// The smallest member ≥ `value`.
    ///
    /// - Complexity: O(1) (at most four word probes).
    func next(atOrAfter value: Int) -> Int? {
        var index = max(value, 0)
        while index < Self.capacity {
            let rest = word(index >> 6) >> UInt64(index & 63)
            if rest != 0 { return index + rest.trailingZeroBitCount }
            index = (index | 63) + 1
        }
        return nil
    }

    /// The largest member ≤ `value`.
    ///
    /// - Complexity: O(1) (at most four word probes).
    func previous(atOrBefore value: Int) -> Int? {
        var index = min(value, Self.capacity - 1)
        while index >= 0 {
            let upTo = word(index >> 6) << UInt64(63 - (index & 63))
            if upTo != 0 { return index - upTo.leadingZeroBitCount }
            index = (index & ~63) - 1
        }
        return nil
    }

    /// The members in increasing order.
    var members: [Int] {
        var result: [Int] = []
        var cursor = next(atOrAfter: 0)
        while let value = cursor {
            result.append(value)
            cursor = next(atOrAfter: value + 1)
        }
        return result
    }
}
