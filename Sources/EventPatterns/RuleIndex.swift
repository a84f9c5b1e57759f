import Synchronization

/// Limits applied to events on the match path.
public struct EventLimits: Sendable, Equatable {
    /// Largest event accepted, in bytes (EventBridge: 256 KB per PutEvents request).
    public var maxBytes: Int
    /// Deepest nesting of objects and arrays (never more than `JSONReader.Limits.depthCeiling`).
    public var maxDepth: Int
    /// Promise that events are canonical: well-formed JSON, no key repeated within an object, and
    /// no key containing a dot that aliases a nested path (`"a.b"` beside `"a": {"b": …}`).
    ///
    /// With the promise, matching stops reading an object as soon as it has seen every key that
    /// rules use under it (at the top level it stops reading the event), which skips most of a
    /// large event. Without it (the default), every byte is read: a later duplicate key must win,
    /// and everything up to the end is scanned (values rules read are checked in full; values no
    /// rule reads are only scanned for their end: brackets counted, strings stepped over). With
    /// the promise, a broken event may be matched as far as it was read.
    public var canonicalEvents: Bool

    public init(maxBytes: Int = 1 << 20, maxDepth: Int = 128, canonicalEvents: Bool = false) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.canonicalEvents = canonicalEvents
    }

    public static let `default` = EventLimits()
}

/// Runs one event through compiled rules; the matched slots are left in `state.matchedSlots`.
func _matchEvent(_ event: UnsafeBufferPointer<UInt8>, state: inout _MatchState, limits: EventLimits) throws(JSONError) {
    if event.count > limits.maxBytes {
        throw JSONError(.tooLarge, offset: limits.maxBytes, "event is \(event.count) bytes, more than the limit of \(limits.maxBytes)")
    }
    state.beginEvent()
    let maxDepth = min(limits.maxDepth, JSONReader.Limits.depthCeiling)
    var scanner = _EventScanner(bytes: event, maxDepth: maxDepth, stopEarly: limits.canonicalEvents)
    do {
        try scanner.scanEvent(into: &state)
        state.probeDeferred()
    } catch {
        switch error {
        case .json(let failure):
            throw failure
        case .duplicateKey:
            // A key that rules care about repeats: re-match through a parsed tree (last one wins).
            let tree = try JSONReader(limits: .init(maxDepth: maxDepth, maxBytes: limits.maxBytes)).parse(event)
            guard case .object(let object) = tree else {
                throw JSONError(.unexpectedCharacter, offset: 0, "An event must be a JSON object")
            }
            state.beginEvent()
            state.walkTree(object)
        }
    }
    state.finishEvent()
    if state.consistencyGaveUp {
        throw JSONError(.tooLarge, offset: 0,
                        "the event's arrays are too intricate to check array consistency within the limit (\(_MatchState.consistencyCheckLimit) steps for one rule)")
    }
    if state.recordsOverflowed {
        throw JSONError(.tooLarge, offset: 0,
                        "the event has too many array elements satisfying rule conditions to check array consistency (more than \(state.maxRecords))")
    }
}

/// An index of named event patterns that answers "which rules match this event?" in one pass over
/// the event, at a cost that grows with the event's fields that rules mention — not with the
/// number of rules.
///
/// ```swift
/// let index = RuleIndex<String>()
/// try index.add("ec2", pattern: #"{"source": ["aws.ec2"]}"#)
/// try index.add("big", pattern: #"{"detail": {"size": [{"numeric": [">", 100]}]}}"#)
/// try index.matches(#"{"source": "aws.ec2", "detail": {"size": 7}}"#)   // ["ec2"]
/// ```
///
/// Several patterns added under one rule ID mean OR. `matches` returns each matching rule once,
/// in the order the rules were first added.
///
/// ## Concurrency
/// Any number of threads may match while other threads add or remove rules. Writers are serialised
/// by a lock and publish a new immutable compiled index atomically; readers never take that lock,
/// never wait for a writer, and always see one complete rule set (the one before or the one after
/// a change, never a mix). For the fastest, allocation-free matching give each thread its own
/// `Matcher` (`makeMatcher()`); the index's own `matches` methods are safe from any thread too.
///
/// ## Cost
/// - Matching: one pass over the event bytes; members no rule mentions are skipped without
///   decoding. Per leaf at a rule field: one hash probe for exact values, one per distinct
///   prefix/suffix length, a fold plus probes for the ignore-case forms, a walk over the
///   intervals for `numeric` and over the list for `wildcard`, `cidr` and the prefix/suffix/
///   wildcard/ignore-case forms of `anything-but` on that field. See `Documentation/PERFORMANCE.md`.
/// - Changing rules: recompiles the index, O(total pattern size); add many rules at once with
///   `add(contentsOf:)`.
public final class RuleIndex<RuleID: Hashable & Sendable>: Sendable {
    /// Options of an index.
    public struct Configuration: Sendable {
        public var patternLimits: PatternLimits
        public var eventLimits: EventLimits

        public init(patternLimits: PatternLimits = .default, eventLimits: EventLimits = .default) {
            self.patternLimits = patternLimits
            self.eventLimits = eventLimits
        }
    }

    public let configuration: Configuration
    /// See `_HotMap.defersProbes` (tests lower it to defer every exact-value probe).
    let deferringSlots: Int

    struct WriterState {
        var order: [RuleID] = []
        var patterns: [RuleID: [SubPattern]] = [:]
    }

    private let writer = Mutex(WriterState())
    /// The published `_Snapshot`, as the bits of a +1 retained pointer.
    private let published: Atomic<Int>
    /// Readers between loading `published` and retaining what they loaded.
    private let inFlight = Atomic<Int>(0)
    /// Bumped after every publication; matchers compare it to their cached version.
    let version = Atomic<Int>(0)
    /// One spare matcher state for the convenience `matches` methods.
    private let spare = Mutex<_MatchState?>(nil)

    public convenience init(configuration: Configuration = Configuration()) {
        self.init(configuration: configuration, deferringSlots: _HotMap.deferringSlots)
    }

    init(configuration: Configuration, deferringSlots: Int) {
        self.configuration = configuration
        self.deferringSlots = deferringSlots
        let empty = _Snapshot<RuleID>(compiled: _CompiledRules(rules: [], slotCount: 0), ruleIDs: [], version: 0)
        published = Atomic(Int(bitPattern: Unmanaged.passRetained(empty).toOpaque()))
    }

    deinit {
        let bits = published.load(ordering: .sequentiallyConsistent)
        if let raw = UnsafeRawPointer(bitPattern: bits) {
            Unmanaged<_Snapshot<RuleID>>.fromOpaque(raw).release()
        }
    }

    // MARK: - Rules

    /// Adds a pattern under `id` (a second pattern under the same ID is an alternative: OR).
    /// - Throws: `PatternError` with AWS's reason when the pattern is invalid; the index is unchanged.
    /// - Complexity: recompiles the index: O(total size of all patterns).
    public func add(_ id: RuleID, pattern: String) throws(PatternError) {
        let parsed = try EventPattern(json: pattern, limits: configuration.patternLimits)
        add(id, pattern: parsed)
    }

    /// Adds an already validated pattern under `id`.
    public func add(_ id: RuleID, pattern: EventPattern) {
        update { state in Self.append(id, pattern.subPatterns, to: &state) }
    }

    /// Adds many rules with one recompilation. All patterns are validated first: if any is
    /// invalid, nothing is added and the error names the first bad one.
    /// - Throws: `RuleIndexError` wrapping the first `PatternError`.
    public func add(contentsOf rules: some Sequence<(RuleID, String)>) throws(RuleIndexError<RuleID>) {
        var parsed: [(RuleID, [SubPattern])] = []
        for (id, text) in rules {
            do {
                parsed.append((id, try EventPattern(json: text, limits: configuration.patternLimits).subPatterns))
            } catch {
                throw RuleIndexError(ruleID: id, patternError: error)
            }
        }
        update { state in
            for (id, subPatterns) in parsed { Self.append(id, subPatterns, to: &state) }
        }
    }

    /// Removes the rules `removing`, then adds the rules `adding`, as one change: readers see the
    /// rule set before or after it, never in between. Adding under an ID that was just removed
    /// replaces that rule's patterns (what EventBridge's PutRule does).
    /// - Throws: `RuleIndexError` for the first invalid pattern; then nothing changes.
    public func update(removing: some Sequence<RuleID>, adding: some Sequence<(RuleID, String)>) throws(RuleIndexError<RuleID>) {
        var parsed: [(RuleID, [SubPattern])] = []
        for (id, text) in adding {
            do {
                parsed.append((id, try EventPattern(json: text, limits: configuration.patternLimits).subPatterns))
            } catch {
                throw RuleIndexError(ruleID: id, patternError: error)
            }
        }
        let removed = Array(removing)
        update { state in
            for id in removed where state.patterns.removeValue(forKey: id) != nil {
                if let position = state.order.firstIndex(of: id) { state.order.remove(at: position) }
            }
            for (id, subPatterns) in parsed { Self.append(id, subPatterns, to: &state) }
        }
    }

    /// Replaces every pattern of rule `id` with `pattern`, as one change.
    public func replace(_ id: RuleID, pattern: String) throws(PatternError) {
        let parsed = try EventPattern(json: pattern, limits: configuration.patternLimits)
        update { state in
            if state.patterns[id] == nil { state.order.append(id) }
            state.patterns[id] = parsed.subPatterns
        }
    }

    /// Removes every pattern of rule `id`. Returns whether the rule existed.
    @discardableResult
    public func remove(_ id: RuleID) -> Bool {
        var existed = false
        update { state in
            guard state.patterns.removeValue(forKey: id) != nil else { return }
            existed = true
            if let position = state.order.firstIndex(of: id) { state.order.remove(at: position) }
        }
        return existed
    }

    /// Removes every rule.
    public func removeAll() {
        update { state in state = WriterState() }
    }

    /// The number of rules (distinct IDs).
    public var count: Int { currentSnapshot().ruleIDs.count }

    /// The rule IDs, in the order they were added.
    public var ruleIDs: [RuleID] { currentSnapshot().ruleIDs }

    /// Approximate memory held by the compiled index, in bytes.
    public var indexBytes: Int { currentSnapshot().compiled.byteSize }

    private static func append(_ id: RuleID, _ subPatterns: [SubPattern], to state: inout WriterState) {
        if state.patterns[id] == nil {
            state.order.append(id)
            state.patterns[id] = subPatterns
        } else {
            for sub in subPatterns where !(state.patterns[id]?.contains(sub) ?? false) {
                state.patterns[id]?.append(sub)
            }
        }
    }

    /// Applies a change under the writer lock and publishes the recompiled index.
    private func update(_ change: (inout WriterState) -> Void) {
        writer.withLock { state in
            change(&state)
            var rules: [(slot: Int32, subPatterns: [SubPattern])] = []
            rules.reserveCapacity(state.order.count)
            for (slot, id) in state.order.enumerated() {
                rules.append((Int32(slot), state.patterns[id] ?? []))
            }
            let compiled = _CompiledRules(rules: rules, slotCount: state.order.count, deferringSlots: deferringSlots)
            let nextVersion = version.load(ordering: .sequentiallyConsistent) &+ 1
            publish(_Snapshot(compiled: compiled, ruleIDs: state.order, version: nextVersion))
        }
    }

    private func publish(_ snapshot: _Snapshot<RuleID>) {
        let newBits = Int(bitPattern: Unmanaged.passRetained(snapshot).toOpaque())
        let oldBits = published.exchange(newBits, ordering: .sequentiallyConsistent)
        version.store(snapshot.version, ordering: .sequentiallyConsistent)
        // Wait for readers that may have loaded the old pointer but not yet retained it (a window
        // of a few instructions; yield in case such a reader was descheduled inside it).
        while inFlight.load(ordering: .sequentiallyConsistent) != 0 { _ = _schedYield() }
        if let raw = UnsafeRawPointer(bitPattern: oldBits) {
            Unmanaged<_Snapshot<RuleID>>.fromOpaque(raw).release()
        }
    }

    /// The current compiled index, retained. Lock-free.
    func currentSnapshot() -> _Snapshot<RuleID> {
        inFlight.wrappingAdd(1, ordering: .sequentiallyConsistent)
        let bits = published.load(ordering: .sequentiallyConsistent)
        guard let raw = UnsafeRawPointer(bitPattern: bits) else {
            preconditionFailure("RuleIndex: no published snapshot")
        }
        let unmanaged = Unmanaged<_Snapshot<RuleID>>.fromOpaque(raw)
        _ = unmanaged.retain()
        inFlight.wrappingSubtract(1, ordering: .sequentiallyConsistent)
        return unmanaged.takeRetainedValue()
    }

    // MARK: - Matching

    /// The rules matching `event` (JSON text), in the order they were added.
    /// - Throws: `JSONError` when the event is not a JSON object or breaks the event limits.
    public func matches(_ event: String) throws(JSONError) -> [RuleID] {
        var event = event
        return try event._withUTF8 { (bytes) throws(JSONError) -> [RuleID] in try matches(bytes) }
    }

    /// The rules matching `event` (UTF-8 JSON bytes), in the order they were added.
    public func matches(_ event: UnsafeBufferPointer<UInt8>) throws(JSONError) -> [RuleID] {
        let snapshot = currentSnapshot()
        // Reuse the spare scratch state when no other thread holds it (never wait for it).
        var state: _MatchState
        if let taken = spare.withLockIfAvailable({ spare -> _MatchState? in spare.take() }), let taken {
            state = taken
            state.rebind(snapshot.compiled)
        } else {
            state = _MatchState(rules: snapshot.compiled)
        }
        let outcome: Result<[RuleID], JSONError>
        do {
            try _matchEvent(event, state: &state, limits: configuration.eventLimits)
            var found: [RuleID] = []
            found.reserveCapacity(state.matchedSlots.count)
            for index in 0..<state.matchedSlots.count { found.append(snapshot.ruleIDs[Int(state.matchedSlots[index])]) }
            outcome = .success(found)
        } catch {
            outcome = .failure(error)
        }
        // Offer the state back as the spare; if another thread holds the lock, it is dropped.
        var offered: _MatchState? = consume state
        _ = spare.withLockIfAvailable { (spare: inout _MatchState?) -> Void in
            if spare == nil { spare = offered.take() }
        }
        return try outcome.get()
    }

    /// A matcher for one thread: it keeps its own scratch buffers, so matching allocates nothing
    /// once they have grown, and it picks up rule changes on its next call.
    public func makeMatcher() -> Matcher { Matcher(index: self) }

    /// A per-thread matching handle of a `RuleIndex`.
    ///
    /// Not thread-safe itself: use one per thread. It reads the index's current version with one
    /// atomic load per event and re-fetches the compiled index only after a change.
    public final class Matcher {
        public let index: RuleIndex<RuleID>
        private var snapshot: _Snapshot<RuleID>
        private var state: _MatchState
        /// This matcher's own copy of the snapshot's rule IDs (its own buffer: reading it per
        /// event never touches a reference count that other threads' matchers share).
        @usableFromInline
        internal private(set) var _ruleIDs: ContiguousArray<RuleID>

        init(index: RuleIndex<RuleID>) {
            self.index = index
            let snapshot = index.currentSnapshot()
            self.snapshot = snapshot
            self.state = _MatchState(rules: snapshot.compiled)
            self._ruleIDs = snapshot.ruleIDs.withUnsafeBufferPointer { ContiguousArray($0) }
        }

        @inline(__always)
        private func refresh() {
            if index.version.load(ordering: .acquiring) != snapshot.version {
                snapshot = index.currentSnapshot()
                state.rebind(snapshot.compiled)
                _ruleIDs = snapshot.ruleIDs.withUnsafeBufferPointer { ContiguousArray($0) }
            }
        }

        /// Matches `event`; returns the positions in `_ruleIDs` of the matching rules, in order.
        /// The buffer is this matcher's scratch: valid until its next call.
        @usableFromInline
        internal func _matchPositions(_ event: UnsafeBufferPointer<UInt8>) throws(JSONError) -> UnsafeBufferPointer<Int32> {
            refresh()
            try _matchEvent(event, state: &state, limits: index.configuration.eventLimits)
            return UnsafeBufferPointer(start: state.matchedSlots.base, count: state.matchedSlots.count)
        }

        /// Appends the IDs of the rules matching `event` to `results` (which it empties first).
        /// Allocates nothing when `results` has the capacity.
        ///
        /// Inlinable, so that it is specialized for the caller's `RuleID`: emptying and filling
        /// `results` through unspecialized generic code cost about 2,000 instructions per event.
        @inlinable
        public func matches(_ event: UnsafeBufferPointer<UInt8>, into results: inout [RuleID]) throws(JSONError) {
            if !results.isEmpty { results.removeAll(keepingCapacity: true) }
            let positions = try _matchPositions(event)
            if positions.isEmpty { return }
            _ruleIDs.withUnsafeBufferPointer { ids in
                for position in positions { results.append(ids[Int(position)]) }
            }
        }

        /// Exact-value probes this matcher deferred to the end of the walk so far (for tests).
        var _deferredProbeTotal: Int { state.deferredProbeTotal }

        /// Counts the rules matching `event`, without collecting them.
        public func matchCount(_ event: UnsafeBufferPointer<UInt8>) throws(JSONError) -> Int {
            refresh()
            try _matchEvent(event, state: &state, limits: index.configuration.eventLimits)
            return state.matchedSlots.count
        }

        /// The rules matching `event` (JSON text).
        public func matches(_ event: String) throws(JSONError) -> [RuleID] {
            var event = event
            var results: [RuleID] = []
            try event._withUTF8 { (bytes) throws(JSONError) in try matches(bytes, into: &results) }
            return results
        }
    }
}

/// One published version of a `RuleIndex`: immutable.
final class _Snapshot<RuleID: Hashable & Sendable>: Sendable {
    let compiled: _CompiledRules
    let ruleIDs: [RuleID]
    let version: Int

    init(compiled: _CompiledRules, ruleIDs: [RuleID], version: Int) {
        self.compiled = compiled
        self.ruleIDs = ruleIDs
        self.version = version
    }
}

/// A rule that could not be added, and why.
public struct RuleIndexError<RuleID: Hashable & Sendable>: Error, Sendable, CustomStringConvertible {
    public var ruleID: RuleID
    public var patternError: PatternError

    public var description: String { "rule \(ruleID): \(patternError.message)" }
}

/// `sched_yield` from the C library (declared here so the core imports neither Glibc nor Darwin).
@_silgen_name("sched_yield")
func _schedYield() -> Int32
