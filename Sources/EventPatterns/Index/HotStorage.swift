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

/// One entry of a frozen map: everything a probe compares, in one record (one cache line touched
/// per candidate, plus the key pool only for keys longer than eight bytes).
struct _HotEntry {
    /// The key's first eight bytes (zero-padded when shorter).
    let head: UInt64
    /// Where the whole key starts in the pool.
    let offset: Int32
    let length: Int32
    let tag: Int32
    let value: Int32
}

/// A frozen `_ByteMap`: open addressing over arena memory with one 32-bit word per slot — the
/// top byte of the key's hash beside the entry number — so a probe reads an entry only where that
/// byte matches: with a large index, a key that is not there costs one cache miss at most, and one
/// that is there two (three for keys longer than eight bytes).
struct _HotMap {
    /// Per slot: 0 when empty, else `fingerprint << 24 | entry` (fingerprint 1...255; an entry
    /// number of 0xFFFFFF or more is stored as 0xFFFFFF, the real one in `farEntries`).
    let slots: UnsafeMutablePointer<UInt32>
    /// Per slot, the entry number when it does not fit 24 bits (allocated only for such maps).
    let farEntries: UnsafeMutablePointer<Int32>
    let entries: UnsafeMutablePointer<_HotEntry>
    let pool: UnsafeMutablePointer<UInt8>
    let mask: Int
    let count: Int
    /// Whether the slot words outgrow a core's L2 cache beside the events streaming through it
    /// (64Ki slots, 256 KiB and up): a probe of such a map would wait on memory, so the matcher
    /// prefetches the slot when it reads the value and probes after the rest of the event.
    let defersProbes: Bool

    /// - Parameters:
    ///   - farFrom: entry numbers from this one on go to `farEntries` (only tests lower it).
    ///   - deferringSlots: probes are deferred if the map has this many slots or more (only
    ///     exact-value maps are probed that way; tests lower it to run every probe deferred).
    init(_ map: _ByteMap, arena: _Arena, farFrom: Int = 0xFF_FFFF, deferringSlots: Int = .max) {
        let far = min(farFrom, 0xFF_FFFF)
        slots = arena.buffer(map.slots.map { entry in
            entry < 0 ? 0 : UInt32(_fingerprint(map.hashes[Int(entry)])) << 24 | UInt32(entry >= far ? 0xFF_FFFF : Int(entry))
        }).base
        farEntries = arena.buffer(map.values.count > far ? map.slots : []).base
        entries = arena.buffer(map.values.indices.map { entry in
            let offset = Int(map.offsets[entry])
            let length = Int(map.lengths[entry])
            var head: UInt64 = 0
            for index in 0..<min(length, 8) { head |= UInt64(map.pool[offset + index]) << UInt64(8 * index) }
            return _HotEntry(head: head, offset: Int32(offset), length: Int32(length), tag: map.tags[entry], value: map.values[entry])
        }).base
        pool = arena.buffer(map.pool).base
        mask = map.mask
        count = map.values.count
        defersProbes = map.mask >= deferringSlots - 1
    }

    /// Slot count from which exact-value probes are deferred (see `defersProbes`).
    static let deferringSlots = 1 << 16

    /// Asks the CPU to start loading the slot word a probe with `hash` reads first.
    @inline(__always)
    func prefetchSlot(hash: UInt64) {
        _prefetch(UnsafeRawPointer(slots + (Int(truncatingIfNeeded: hash) & mask)))
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
        let fingerprint = UInt32(_fingerprint(hash))
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let word = slots[slot]
            if word == 0 { return nil }
            if word >> 24 == fingerprint {
                var number = Int(word & 0xFF_FFFF)
                if number == 0xFF_FFFF { number = Int(farEntries[slot]) }
                let entry = entries + number
                if Int(entry.pointee.length) == key.count && entry.pointee.tag == tag && entry.pointee.head == _keyHead(key) {
                    if key.count <= 8 { return entry.pointee.value }
                    if let keyBase = key.baseAddress,
                       memcmp(keyBase + 8, pool + (Int(entry.pointee.offset) + 8), key.count - 8) == 0 {
                        return entry.pointee.value
                    }
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

/// LLVM's prefetch intrinsic (read, keep in all cache levels, data cache), reached by its symbol
/// name: the standard library exposes no prefetch, and a plain load would hold a reorder-buffer
/// entry until memory answers, which is what deferring a probe is meant to avoid.
@_silgen_name("llvm.prefetch.p0")
func _llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ cache: Int32)

@inline(__always)
func _prefetch(_ address: UnsafeRawPointer) {
    _llvmPrefetch(address, 0, 3, 1)
}

/// A slot's fingerprint: the top byte of the hash, never 0 (0 marks an empty slot).
@inline(__always)
func _fingerprint(_ hash: UInt64) -> UInt8 {
    let byte = UInt8(truncatingIfNeeded: hash >> 56)
    return byte == 0 ? 1 : byte
}

/// The first eight bytes of `key`, zero-padded (little-endian order), read without going past it.
@inline(__always)
func _keyHead(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let count = key.count
    guard count > 0, let base = key.baseAddress else { return 0 }
    let raw = UnsafeRawPointer(base)
    if count >= 8 { return raw.loadUnaligned(as: UInt64.self) }
    if count >= 4 {
        let low = UInt64(raw.loadUnaligned(as: UInt32.self))
        let high = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
        return low | high << UInt64(8 * (count - 4))
    }
    var head = UInt64(base[0])
    if count > 1 { head |= UInt64(base[1]) << 8 }
    if count > 2 { head |= UInt64(base[2]) << 16 }
    return head
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
