@testable import EventPatterns
import Testing

/// The frozen hash map of the match path on its own: keys of every length up to 20 bytes, tagged
/// and untagged, found again and nothing else — also with entry numbers stored out of line (the
/// form maps with 16.7 million keys or more take; `farFrom` lowers that bound here).
@Suite struct HotMapTests {
    @Test(arguments: [0xFF_FFFF, 0, 7])
    func findsEveryKeyAndNothingElse(farFrom: Int) {
        var map = _ByteMap()
        var keys: [([UInt8], Int32)] = []
        for length in 0...20 {
            for variant in 0..<3 {
                let key = (0..<length).map { UInt8(truncatingIfNeeded: 97 + ($0 * 7 + variant) % 26) }
                keys.append((key, Int32(variant)))
            }
        }
        for (number, (key, tag)) in keys.enumerated() { map.set(key, Int32(number), tag: tag) }
        let arena = _Arena()
        let hot = _HotMap(map, arena: arena, farFrom: farFrom)
        for (number, (key, tag)) in keys.enumerated() {
            let found = key.withUnsafeBufferPointer { tag == 0 ? hot.lookup($0) : hot.lookup($0, tag: tag) }
            #expect(found == Int32(number), "key \(key) tag \(tag)")
            // Another tag, and the key with one byte changed, are not there.
            let otherTag = key.withUnsafeBufferPointer { hot.lookup($0, tag: tag + 5) }
            #expect(otherTag == nil)
            if !key.isEmpty {
                for position in key.indices {
                    var changed = key
                    changed[position] = UInt8(ascii: "Z")
                    let miss = changed.withUnsafeBufferPointer { tag == 0 ? hot.lookup($0) : hot.lookup($0, tag: tag) }
                    #expect(miss == nil, "changed \(changed)")
                }
            }
        }
        #expect([UInt8](repeating: 97, count: 21).withUnsafeBufferPointer { hot.lookup($0) } == nil)
    }

    /// Probes are deferred from 64Ki slots on: a map grows to that at its 16,385th key (it keeps
    /// at most half of its slots full). Keys are still found by a probe with the precomputed hash.
    @Test func deferringStartsAtSixtyFourKiSlots() {
        var map = _ByteMap()
        func key(_ number: Int) -> [UInt8] { Array("key\(number)".utf8) }
        for number in 0..<16_384 { map.set(key(number), Int32(number)) }
        let arena = _Arena()
        #expect(!_HotMap(map, arena: arena, deferringSlots: _HotMap.deferringSlots).defersProbes)
        map.set(key(16_384), 16_384)
        let large = _HotMap(map, arena: arena, deferringSlots: _HotMap.deferringSlots)
        #expect(large.defersProbes)
        #expect(!_HotMap(map, arena: arena).defersProbes)  // only exact-value maps are given the bound
        for number in [0, 8_191, 16_384] {
            let found = key(number).withUnsafeBufferPointer { large.lookup($0, hash: _hashBytes($0), tag: 0) }
            #expect(found == Int32(number))
        }
    }
}
