/// Raw-memory forms of the compiled index, for the match path.
///
/// Everything the per-event loop touches is a plain value holding pointers into memory that the
/// owning `_CompiledRules` allocated and frees: copying these costs nothing and involves no
/// reference counting, uniqueness checks or exclusivity checks. Indices are produced by the
/// compiler itself (never by input data), so reads are unchecked.

/// Allocations owned by one compiled index; freed together.
final class _Arena: @unchecked Sendable {
    private var blocks: [UnsafeMutableRawPointer] = []

    /// A copy of `array` in raw memory owned by the arena.
    func buffer<T>(_ array: [T]) -> _Buf<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
        array.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.initialize(from: base, count: source.count) }
        }
        blocks.append(UnsafeMutableRawPointer(pointer))
        return _Buf(base: pointer, count: array.count)
    }

    deinit {
        // The element types stored here are all trivial (integers, floats, flags, pointers).
        for block in blocks { block.deallocate() }
    }
}

/// A fixed, read-only array in arena memory.
struct _Buf<T> {
    let base: UnsafeMutablePointer<T>
    let count: Int

    @inline(__always) subscript(index: Int) -> T { base[index] }
    @inline(__always) subscript(index: Int32) -> T { base[Int(index)] }
    var isEmpty: Bool { count == 0 }
}

/// A frozen `_ByteMap`: open addressing over arena memory.
struct _HotMap {
    let slots: UnsafeMutablePointer<Int32>
    let hashes: UnsafeMutablePointer<UInt64>
    let offsets: UnsafeMutablePointer<Int32>
    let lengths: UnsafeMutablePointer<Int32>
    let values: UnsafeMutablePointer<Int32>
    let tags: UnsafeMutablePointer<Int32>
    let pool: UnsafeMutablePointer<UInt8>
    let mask: Int
    let count: Int

    init(_ map: _ByteMap, arena: _Arena) {
        slots = arena.buffer(map.slots).base
        hashes = arena.buffer(map.hashes).base
        offsets = arena.buffer(map.offsets).base
        lengths = arena.buffer(map.lengths).base
        values = arena.buffer(map.values).base
        tags = arena.buffer(map.tags).base
        pool = arena.buffer(map.pool).base
        mask = map.mask
        count = map.values.count
    }

    @inline(__always) var isEmpty: Bool { count == 0 }

    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        lookup(key, hash: _hashBytes(key), tag: 0)
    }

    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>, tag: Int32) -> Int32? {
        lookup(key, hash: _hashBytes(key, seed: _tagSeed(tag)), tag: tag)
    }

    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, tag: Int32) -> Int32? {
        if count == 0 { return nil }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return nil }
            if hashes[entry] == hash && Int(lengths[entry]) == key.count && tags[entry] == tag {
                if key.count == 0 { return values[entry] }
                if let keyBase = key.baseAddress, memcmp(keyBase, pool + Int(offsets[entry]), key.count) == 0 {
                    return values[entry]
                }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Looks up the 8 bytes of a double (normalised so that -0 == 0).
    @inline(__always)
    func lookup(number: Double) -> Int32? {
        if count == 0 { return nil }
        var bits = (number == 0 ? 0.0 : number).bitPattern
        return withUnsafeBytes(of: &bits) { raw in
            lookup(raw.assumingMemoryBound(to: UInt8.self))
        }
    }
}

extension _ByteMap {
    /// Sets the value for the 8 bytes of a double (normalised so that -0 == 0).
    mutating func set(number: Double, _ value: Int32) {
        set(_numberKey(number), value)
    }

    func get(number: Double) -> Int32? {
        get(_numberKey(number))
    }
}

func _numberKey(_ number: Double) -> [UInt8] {
    let bits = (number == 0 ? 0.0 : number).bitPattern
    return (0..<8).map { UInt8(truncatingIfNeeded: bits >> (8 * UInt64($0))) }
}

/// A growable array in raw memory for per-event scratch lists; freed by its owner.
struct _Vec<T> {
    var base: UnsafeMutablePointer<T>
    var count = 0
    var capacity: Int

    init(capacity: Int = 16) {
        self.capacity = max(capacity, 1)
        base = UnsafeMutablePointer<T>.allocate(capacity: self.capacity)
    }

    @inline(__always)
    mutating func append(_ element: T) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    mutating func grow() {
        let newCapacity = capacity * 2
        let newBase = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always) subscript(index: Int) -> T {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    @inline(__always) mutating func removeAll() { count = 0 }

    @inline(__always) mutating func removeLast(_ k: Int) { count -= k }

    /// Frees the memory (elements must be trivial).
    func free() { base.deallocate() }
}
