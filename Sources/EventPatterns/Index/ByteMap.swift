/// An open-addressing hash map from (tag, byte string) to `Int32`, built while compiling rules and
/// then frozen into a `_HotMap` for the match path.
///
/// The tag lets one table hold keys of many owners (the path trie keys children by
/// (parent node, key segment)); plain maps use tag 0.
///
/// Keys live in one contiguous pool; lookups take an `UnsafeBufferPointer<UInt8>` straight from
/// the event, so matching a value costs one hash and (usually) one `memcmp`.
///
/// - Complexity: lookup O(k) for a key of k bytes, expected; insert amortised O(k).
struct _ByteMap: Sendable {
    var slots: [Int32]          // index into entries, or -1
    var hashes: [UInt64]        // per entry
    var offsets: [Int32]        // per entry, into pool
    var lengths: [Int32]        // per entry
    var values: [Int32]         // per entry
    var tags: [Int32]           // per entry
    var pool: [UInt8]
    var mask: Int

    init() {
        slots = [Int32](repeating: -1, count: 8)
        hashes = []
        offsets = []
        lengths = []
        values = []
        tags = []
        pool = []
        mask = 7
    }

    var count: Int { values.count }
    var isEmpty: Bool { values.isEmpty }

    /// Bytes of its frozen form (`_HotMap`: 4 per slot, 24 per entry, the key pool).
    var byteSize: Int { slots.count * 4 + values.count * 24 + pool.count }

    /// Inserts or replaces the value for `key`.
    mutating func set(_ key: [UInt8], _ value: Int32, tag: Int32 = 0) {
        let hash = key.withUnsafeBufferPointer { _hashBytes($0, seed: _tagSeed(tag)) }
        if let existing = key.withUnsafeBufferPointer({ entryIndex($0, hash: hash, tag: tag) }) {
            values[existing] = value
            return
        }
        if (values.count + 1) * 2 > slots.count { grow() }
        hashes.append(hash)
        offsets.append(Int32(pool.count))
        lengths.append(Int32(key.count))
        values.append(value)
        tags.append(tag)
        pool.append(contentsOf: key)
        place(entry: values.count - 1, hash: hash)
    }

    /// The value for `key` (build time; the match path reads the frozen `_HotMap`).
    func get(_ key: [UInt8], tag: Int32 = 0) -> Int32? {
        key.withUnsafeBufferPointer { bytes in
            entryIndex(bytes, hash: _hashBytes(bytes, seed: _tagSeed(tag)), tag: tag).map { values[$0] }
        }
    }

    func entryIndex(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, tag: Int32) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return nil }
            if hashes[entry] == hash && Int(lengths[entry]) == key.count && tags[entry] == tag {
                let offset = Int(offsets[entry])
                if key.elementsEqual(pool[offset..<(offset + key.count)]) { return entry }
            }
            slot = (slot + 1) & mask
        }
    }

    private mutating func place(entry: Int, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry)
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for entry in 0..<values.count { place(entry: entry, hash: hashes[entry]) }
    }
}

/// The hash seed for keys of `tag` (tag 0 uses the plain seed).
@inline(__always)
func _tagSeed(_ tag: Int32) -> UInt64 {
    tag == 0 ? 0x9E37_79B9_7F4A_7C15 : _mix(UInt64(UInt32(bitPattern: tag)) &+ 0x9E37_79B9_7F4A_7C15)
}

/// A fast 64-bit hash of a byte string: 8 bytes at a time, multiply-xorshift mixing.
func _hashBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    _hashBytes(bytes, seed: 0x9E37_79B9_7F4A_7C15)
}

func _hashBytes(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
    var hash = seed ^ (UInt64(bytes.count) &* 0xFF51_AFD7_ED55_8CCD)
    guard let base = bytes.baseAddress else { return _mix(hash) }
    let raw = UnsafeRawPointer(base)
    var index = 0
    let count = bytes.count
    while index + 8 <= count {
        let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 31
        index += 8
    }
    if index < count {
        // The last 1–7 bytes in at most two loads (overlapping ones for 3–7 bytes; the length is
        // already in the seed), never reading outside the key.
        let rest = count &- index
        let tail: UInt64
        if count >= 8 {
            tail = raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) >> UInt64((8 &- rest) &* 8)
        } else if rest >= 4 {
            let low = UInt64(raw.loadUnaligned(fromByteOffset: index, as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
            tail = low | (high << 32)
        } else {
            tail = UInt64(base[index]) | (UInt64(base[index &+ (rest >> 1)]) << 8) | (UInt64(base[count &- 1]) << 16)
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
    }
    return _mix(hash)
}

@inline(__always)
func _mix(_ value: UInt64) -> UInt64 {
    var x = value
    x ^= x >> 33
    x = x &* 0xFF51_AFD7_ED55_8CCD
    x ^= x >> 33
    return x
}
