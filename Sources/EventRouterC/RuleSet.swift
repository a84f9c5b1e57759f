import CEventRouter
import EventPatterns
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A rule name as the C API sees it: the exact bytes, kept NUL-terminated so that callbacks and
/// results hand out a pointer without copying. Identity is byte-exact (not `String` equality,
/// which is canonical equivalence).
final class RuleName: Hashable, @unchecked Sendable {
    let bytes: UnsafeMutablePointer<CChar>
    let length: Int

    init(_ source: UnsafeBufferPointer<UInt8>) {
        length = source.count
        bytes = .allocate(capacity: source.count + 1)
        if let base = source.baseAddress { UnsafeMutableRawPointer(bytes).copyMemory(from: base, byteCount: source.count) }
        bytes[source.count] = 0
    }

    deinit { bytes.deallocate() }

    static func == (lhs: RuleName, rhs: RuleName) -> Bool {
        lhs === rhs || (lhs.length == rhs.length && memcmp(lhs.bytes, rhs.bytes, lhs.length) == 0)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(bytes: UnsafeRawBufferPointer(start: bytes, count: length))
    }
}

/// Scratch state for one matching thread: the index's matcher and a result list with capacity.
final class MatchSlot: @unchecked Sendable {   // used by one thread at a time (the pool hands it over)
    let matcher: RuleIndex<RuleName>.Matcher
    var results: [RuleName] = []

    init(_ index: RuleIndex<RuleName>) {
        matcher = index.makeMatcher()
        results.reserveCapacity(16)
    }
}

/// What an `evr_ruleset` handle stands for.
final class RuleSetBox: @unchecked Sendable {
    let index: RuleIndex<RuleName>
    let trustedUTF8: Bool
    /// Idle scratch states for `evr_ruleset_match`, reused so that matching allocates nothing.
    private let pool = Mutex<[MatchSlot]>([])
    static let poolLimit = 64

    init(configuration: RuleIndex<RuleName>.Configuration, trustedUTF8: Bool) {
        index = RuleIndex(configuration: configuration)
        self.trustedUTF8 = trustedUTF8
    }

    func takeSlot() -> MatchSlot {
        pool.withLock { $0.popLast() } ?? MatchSlot(index)
    }

    func returnSlot(_ slot: MatchSlot) {
        slot.results.removeAll(keepingCapacity: true)   // do not keep names of removed rules alive
        pool.withLock { pool in if pool.count < Self.poolLimit { pool.append(slot) } }
    }

    /// Matches into `slot.results`, mapping errors.
    @inline(__always)
    func match(_ event: UnsafeBufferPointer<UInt8>, into slot: MatchSlot) throws(Failure) {
        if !trustedUTF8 { try checkUTF8(event, "event") }
        do throws(JSONError) {
            try slot.matcher.matches(event, into: &slot.results)
        } catch {
            slot.results.removeAll(keepingCapacity: true)
            throw Failure(error)
        }
    }
}

/// What an `evr_matcher` handle stands for.
final class MatcherBox: @unchecked Sendable {
    let set: RuleSetBox
    let slot: MatchSlot
    /// Set while a call uses the matcher: a second thread gets `EVR_E_BUSY` instead of a data race.
    let busy = Atomic<Bool>(false)

    init(_ set: RuleSetBox) {
        self.set = set
        slot = MatchSlot(set.index)
    }

    @inline(__always)
    func enter() throws(Failure) {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            throw Failure(EVR_E_BUSY, "busy", "the matcher is in use by another thread (use one matcher per thread)")
        }
    }

    @inline(__always)
    func leave() { busy.store(false, ordering: .releasing) }
}

/// A name input: non-empty UTF-8 without NUL bytes.
func ruleName(_ pointer: UnsafePointer<CChar>?, _ length: Int) throws(Failure) -> UnsafeBufferPointer<UInt8> {
    let bytes = try inputBytes(pointer, length, "name")
    guard bytes.count > 0 else { throw .argument("name is empty") }
    guard bytes.count <= 65_536 else { throw .argument("name is longer than 65536 bytes") }
    guard memchr(bytes.baseAddress!, 0, bytes.count) == nil else { throw .argument("name contains a NUL byte") }
    try checkUTF8(bytes, "name")
    return bytes
}

// MARK: - Rule sets

@c @implementation
public func evr_ruleset_new(_ out: UnsafeMutablePointer<OpaquePointer?>?, _ options: UnsafePointer<evr_ruleset_options>?,
                            _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        guard let out else { throw .argument("out is NULL") }
        out.pointee = nil
        var limits = EventLimits.default
        var trusted = false
        if let options {
            guard options.pointee.version == UInt32(EVR_RULESET_OPTIONS_VERSION) else {
                throw .argument("options.version is \(options.pointee.version); this library knows version \(EVR_RULESET_OPTIONS_VERSION)")
            }
            if options.pointee.max_event_bytes > 0 {
                guard options.pointee.max_event_bytes <= maximumInputLength else { throw .argument("options.max_event_bytes is too large") }
                limits.maxBytes = options.pointee.max_event_bytes
            }
            if options.pointee.max_event_depth > 0 { limits.maxDepth = Int(options.pointee.max_event_depth) }
            limits.canonicalEvents = options.pointee.canonical_events != 0
            trusted = options.pointee.trusted_utf8 != 0
        }
        let box = RuleSetBox(configuration: .init(eventLimits: limits), trustedUTF8: trusted)
        out.pointee = HandleTable.shared.register(box, kind: .ruleset)
    }
}

@c @implementation
public func evr_ruleset_free(_ set: OpaquePointer?) {
    _ = HandleTable.shared.remove(set, kind: .ruleset)
}

@c @implementation
public func evr_ruleset_add(_ set: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ nameLength: Int,
                            _ pattern: UnsafePointer<CChar>?, _ patternLength: Int,
                            _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        let box = try HandleTable.shared.lookup(set, kind: .ruleset, as: RuleSetBox.self, "set")
        let id = RuleName(try ruleName(name, nameLength))
        let text = try inputString(pattern, patternLength, "pattern")
        do throws(PatternError) { try box.index.add(id, pattern: text) } catch { throw Failure(error) }
    }
}

@c @implementation
public func evr_ruleset_remove(_ set: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ nameLength: Int,
                               _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        let box = try HandleTable.shared.lookup(set, kind: .ruleset, as: RuleSetBox.self, "set")
        let bytes = try ruleName(name, nameLength)
        guard box.index.remove(RuleName(bytes)) else {
            throw Failure(EVR_E_NOT_FOUND, "ruleNotFound", "no rule named '\(String(decoding: bytes, as: UTF8.self))'")
        }
    }
}

@c @implementation
public func evr_ruleset_count(_ outCount: UnsafeMutablePointer<Int>?, _ set: OpaquePointer?,
                              _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        guard let outCount else { throw .argument("out_count is NULL") }
        let box = try HandleTable.shared.lookup(set, kind: .ruleset, as: RuleSetBox.self, "set")
        outCount.pointee = box.index.count
    }
}

@c @implementation
public func evr_ruleset_match(_ outCount: UnsafeMutablePointer<Int>?, _ set: OpaquePointer?,
                              _ event: UnsafePointer<CChar>?, _ eventLength: Int,
                              _ fn: evr_match_fn?, _ payload: UnsafeMutableRawPointer?,
                              _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        let box = try HandleTable.shared.lookup(set, kind: .ruleset, as: RuleSetBox.self, "set")
        let bytes = try inputBytes(event, eventLength, "event")
        let slot = box.takeSlot()
        do throws(Failure) {
            try box.match(bytes, into: slot)
        } catch {
            box.returnSlot(slot)
            throw error
        }
        outCount?.pointee = slot.results.count
        if let fn {
            // The callback runs with no lock held; the slot is ours alone until it is returned.
            for name in slot.results where fn(name.bytes, name.length, payload) != 0 { break }
        }
        box.returnSlot(slot)
    }
}

// MARK: - Matchers

@c @implementation
public func evr_matcher_new(_ out: UnsafeMutablePointer<OpaquePointer?>?, _ set: OpaquePointer?,
                            _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        guard let out else { throw .argument("out is NULL") }
        out.pointee = nil
        let box = try HandleTable.shared.lookup(set, kind: .ruleset, as: RuleSetBox.self, "set")
        out.pointee = HandleTable.shared.register(MatcherBox(box), kind: .matcher)
    }
}

@c @implementation
public func evr_matcher_free(_ matcher: OpaquePointer?) {
    _ = HandleTable.shared.remove(matcher, kind: .matcher)
}

@c @implementation
public func evr_matcher_match(_ outCount: UnsafeMutablePointer<Int>?, _ matcher: OpaquePointer?,
                              _ event: UnsafePointer<CChar>?, _ eventLength: Int,
                              _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        let box = try HandleTable.shared.lookup(matcher, kind: .matcher, as: MatcherBox.self, "matcher")
        try box.enter()
        defer { box.leave() }
        let bytes: UnsafeBufferPointer<UInt8>
        do throws(Failure) {
            bytes = try inputBytes(event, eventLength, "event")
        } catch {
            box.slot.results.removeAll(keepingCapacity: true)
            throw error
        }
        try box.set.match(bytes, into: box.slot)
        outCount?.pointee = box.slot.results.count
    }
}

@c @implementation
public func evr_matcher_result(_ outName: UnsafeMutablePointer<UnsafePointer<CChar>?>?, _ outLength: UnsafeMutablePointer<Int>?,
                               _ matcher: OpaquePointer?, _ index: Int,
                               _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        guard let outName else { throw .argument("out_name is NULL") }
        let box = try HandleTable.shared.lookup(matcher, kind: .matcher, as: MatcherBox.self, "matcher")
        try box.enter()
        defer { box.leave() }
        let results = box.slot.results
        guard index >= 0, index < results.count else {
            throw .argument("index \(UInt(bitPattern: index)) is not below the match count \(results.count)")
        }
        outName.pointee = UnsafePointer(results[index].bytes)
        outLength?.pointee = results[index].length
    }
}
