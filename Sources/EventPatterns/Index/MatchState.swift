/// Per-matcher scratch state: everything one match call writes, reused across calls so the match
/// path allocates nothing once the buffers have grown to the size of the events seen.
///
/// Per-event marks use a generation stamp instead of clearing: an entry counts for this event only
/// when its stamp equals `generation`. All storage is raw memory owned by this (non-copyable)
/// value, so the hot loops run without reference counting or exclusivity checks.
struct _MatchState: ~Copyable {
    private(set) var rules: _CompiledRules
    var hot: _HotRules
    var generation: UInt32 = 0

    /// Per condition, everything one satisfaction writes, in one record (one cache line touched
    /// per condition with large rule sets).
    var conds: UnsafeMutablePointer<_CondState>
    var clauseStamp: UnsafeMutablePointer<UInt32>
    var subStamp: UnsafeMutablePointer<UInt32>
    var subCount: UnsafeMutablePointer<Int32>
    var ruleStamp: UnsafeMutablePointer<UInt32>
    var fieldStamp: UnsafeMutablePointer<UInt32>
    var exclusionStamp: UnsafeMutablePointer<UInt32>
    var nodeObjectStamp: UnsafeMutablePointer<UInt32>
    var exclusionSerial: UInt32 = 0
    var objectSerial: UInt32 = 0

    /// Array-element nodes of this event: one per element of an array at a path rules use,
    /// linked to the element it lies in (`nodeParent`, -1 at the top), with the array it belongs
    /// to and its depth. A leaf's place in arrays is the node of its innermost element.
    var nodeParent = _Vec<Int32>()
    var nodeArray = _Vec<Int32>()
    var nodeDepth = _Vec<Int32>()
    var nodeMark = _Vec<UInt32>()
    var markToken: UInt32 = 0
    /// The node of the array element being walked (-1: not inside an array).
    var currentNode: Int32 = -1
    var arraySerial: Int32 = 0
    /// Records (condition, node) for conditions that array consistency may have to check, linked
    /// per condition through `recordNext`; conditions also held outside every array are "free".
    var recordCond = _Vec<Int32>()
    var recordNode = _Vec<Int32>()
    var recordNext = _Vec<Int32>()
    var sawTrailLeaf = false
    /// Set when an event needs more records than `maxRecords` (see `EventLimits`).
    var recordsOverflowed = false
    /// Set when an array-consistency check spent its budget (`consistencyCheckLimit`).
    var consistencyGaveUp = false
    var maxRecords = 1 << 22

    var candidates = _Vec<Int32>()
    /// Exact-value probes of maps larger than the cache (`_HotMap.defersProbes`), made after the
    /// walk: their slot words were prefetched when the values were read.
    var deferredProbes = _Vec<_DeferredProbe>()
    /// Probes deferred since this state was made (tests read it to see the path taken).
    var deferredProbeTotal = 0
    /// Rule slots matched by conditions that complete their rule alone (`condDirectSlot`).
    var directSlots = _Vec<Int32>()
    var matchedSlots = _Vec<Int32>()
    var valueScratch: [UInt8] = []
    var keyScratch: [UInt8] = []
    var folded = _Vec<UInt8>(capacity: 64)
    var consistencyBudget = 0

    init(rules: _CompiledRules) {
        self.rules = rules
        self.hot = rules.hot
        let hot = rules.hot!
        (conds, exclusionStamp, clauseStamp, subStamp, subCount,
         ruleStamp, fieldStamp, nodeObjectStamp) = Self.allocateStamps(for: hot)
        clearStamps()
    }

    deinit {
        freeStamps()
        recordCond.free(); recordNode.free(); recordNext.free()
        nodeParent.free(); nodeArray.free(); nodeDepth.free(); nodeMark.free()
        candidates.free(); directSlots.free(); matchedSlots.free(); folded.free()
        deferredProbes.free()
    }

    /// The per-event arrays, sized for a compiled rule set (contents set by `clearStamps`).
    private static func allocateStamps(for hot: _HotRules) -> (
        UnsafeMutablePointer<_CondState>,
        UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<Int32>,
        UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>
    ) {
        let conditions = max(hot.conditionCount, 1)
        return (.allocate(capacity: conditions), .allocate(capacity: conditions), .allocate(capacity: max(hot.clauseCount, 1)),
                .allocate(capacity: max(hot.subCount, 1)), .allocate(capacity: max(hot.subCount, 1)),
                .allocate(capacity: max(hot.ruleSlotCount, 1)), .allocate(capacity: max(hot.fieldCount, 1)),
                .allocate(capacity: max(hot.nodeCount, 1)))
    }

    private func freeStamps() {
        conds.deallocate()
        exclusionStamp.deallocate()
        clauseStamp.deallocate(); subStamp.deallocate(); subCount.deallocate()
        ruleStamp.deallocate(); fieldStamp.deallocate(); nodeObjectStamp.deallocate()
    }

    private mutating func clearStamps() {
        generation = 0
        objectSerial = 0
        exclusionSerial = 0
        conds.initialize(repeating: _CondState(), count: max(hot.conditionCount, 1))
        exclusionStamp.initialize(repeating: 0, count: max(hot.conditionCount, 1))
        clauseStamp.initialize(repeating: 0, count: max(hot.clauseCount, 1))
        subStamp.initialize(repeating: 0, count: max(hot.subCount, 1))
        subCount.initialize(repeating: 0, count: max(hot.subCount, 1))
        ruleStamp.initialize(repeating: 0, count: max(hot.ruleSlotCount, 1))
        fieldStamp.initialize(repeating: 0, count: max(hot.fieldCount, 1))
        nodeObjectStamp.initialize(repeating: 0, count: max(hot.nodeCount, 1))
    }

    /// Points the state at another compiled rule set (after the index changed).
    mutating func rebind(_ rules: _CompiledRules) {
        guard rules !== self.rules else { return }
        freeStamps()
        self.rules = rules
        self.hot = rules.hot
        (conds, exclusionStamp, clauseStamp, subStamp, subCount,
         ruleStamp, fieldStamp, nodeObjectStamp) = Self.allocateStamps(for: hot)
        clearStamps()
    }

    /// Starts a new event: a new generation, empty per-event lists.
    @inline(__always)
    mutating func beginEvent() {
        if generation == UInt32.max - 1 {
            // Wrap-around: clear the stamps once every four billion events.
            clearStamps()
        }
        generation &+= 1
        recordCond.removeAll(); recordNode.removeAll(); recordNext.removeAll()
        nodeParent.removeAll(); nodeArray.removeAll(); nodeDepth.removeAll(); nodeMark.removeAll()
        markToken = 0
        currentNode = -1
        candidates.removeAll(); directSlots.removeAll(); matchedSlots.removeAll()
        deferredProbes.removeAll()
        arraySerial = 0
        sawTrailLeaf = false
        recordsOverflowed = false
        consistencyGaveUp = false
    }

    // MARK: - Leaves and conditions

    /// Enters element `index` of array `array` (a serial unique in this event): a new node under
    /// the current one. Returns the node to restore afterwards.
    @inline(__always)
    mutating func enterElement(array: Int32, index: Int) -> Int32 {
        let parent = currentNode
        let node = Int32(truncatingIfNeeded: nodeParent.count)
        nodeParent.append(parent)
        nodeArray.append(array)
        nodeDepth.append(parent < 0 ? 1 : nodeDepth[Int(parent)] &+ 1)
        nodeMark.append(0)
        currentNode = node
        return parent
    }

    /// Registers a leaf value of `field`; returns its place in arrays (its node, or -1).
    @inline(__always)
    mutating func newLeaf(field: Int32) -> Int32 {
        fieldStamp[Int(field)] = generation
        return currentNode
    }

    /// Records that condition `cond` holds (for a leaf at array node `node`, -1 outside arrays or
    /// for an absence) and advances the clauses and sub-rules that contain it.
    @inline(__always)
    mutating func satisfy(_ cond: Int32, leaf node: Int32) {
        let c = Int(cond)
        // A condition that is the only clause of a rule's only sub-rule matches that rule by
        // itself: no per-condition state to keep (no other rule uses it, no array consistency
        // to judge); a repeat is harmless, the rule is reported once.
        let direct = hot.condDirectSlot[c]
        if direct >= 0 { directSlots.append(direct); return }
        let state = conds + c
        let fresh = state.pointee.stamp != generation
        if fresh {
            state.pointee.stamp = generation
            state.pointee.firstRecord = -1
            state.pointee.lastNode = -1
        }
        if node < 0 {
            state.pointee.freeStamp = generation
        } else if hot.condNeedsTrail[c] && state.pointee.lastNode != node {
            // Only conditions of multi-clause sub-rules can be judged by array consistency; one
            // record per (condition, element) is enough, since leaves of one element are interchangeable.
            state.pointee.lastNode = node
            sawTrailLeaf = true
            if recordCond.count < maxRecords {
                recordCond.append(cond)
                recordNode.append(node)
                recordNext.append(state.pointee.firstRecord)
                state.pointee.firstRecord = Int32(truncatingIfNeeded: recordCond.count - 1)
            } else {
                recordsOverflowed = true
            }
        }
        guard fresh else { return }
        let hot = self.hot
        var clauseIndex = Int(hot.condClauseStart[c])
        let clauseEnd = Int(hot.condClauseStart[c + 1])
        while clauseIndex < clauseEnd {
            let clause = Int(hot.condClauses[clauseIndex])
            clauseIndex += 1
            if clauseStamp[clause] == generation { continue }
            clauseStamp[clause] = generation
            var subIndex = Int(hot.clauseSubStart[clause])
            let subEnd = Int(hot.clauseSubStart[clause + 1])
            while subIndex < subEnd {
                let sub = Int(hot.clauseSubs[subIndex])
                subIndex += 1
                if subStamp[sub] != generation {
                    subStamp[sub] = generation
                    subCount[sub] = 0
                }
                subCount[sub] += 1
                if subCount[sub] == hot.subRequired[sub] { candidates.append(Int32(sub)) }
            }
        }
    }

    // MARK: - Evaluating leaves

    /// Evaluates a string leaf (its decoded UTF-8 bytes) against every condition of the field.
    /// - Parameter inEvent: the bytes lie in the event being matched (unescaped), so they stay
    ///   readable until `probeDeferred()`, and a probe of a large exact map may wait until then.
    mutating func evaluateString(_ value: UnsafeBufferPointer<UInt8>, field fieldID: Int32, inEvent: Bool = false) {
        let leaf = newLeaf(field: fieldID)
        let field = UnsafePointer(hot.fields.base + Int(fieldID))
        if field.pointee.existsCond >= 0 { satisfy(field.pointee.existsCond, leaf: leaf) }
        let exact = field.pointee.exact
        if inEvent && exact.defersProbes && deferredProbes.count < _MatchState.maxDeferredProbes {
            let hash = _hashBytes(value)
            exact.prefetchSlot(hash: hash)
            deferredProbes.append(_DeferredProbe(value: value, hash: hash, field: fieldID, leaf: leaf))
            deferredProbeTotal &+= 1
        } else if let cond = exact.lookup(value) {
            satisfy(cond, leaf: leaf)
        }
        lookupAffixes(value, lengths: field.pointee.prefixLengths, map: field.pointee.prefixes, suffix: false, leaf: leaf)
        lookupAffixes(value, lengths: field.pointee.suffixLengths, map: field.pointee.suffixes, suffix: true, leaf: leaf)
        var foldedValue = value
        if field.pointee.needsFold {
            folded.removeAll()
            _fold(value, into: &folded)
            foldedValue = UnsafeBufferPointer(start: folded.base, count: folded.count)
            if let cond = field.pointee.foldedExact.lookup(foldedValue) { satisfy(cond, leaf: leaf) }
            lookupAffixes(foldedValue, lengths: field.pointee.foldedPrefixLengths, map: field.pointee.foldedPrefixes, suffix: false, leaf: leaf)
            lookupAffixes(foldedValue, lengths: field.pointee.foldedSuffixLengths, map: field.pointee.foldedSuffixes, suffix: true, leaf: leaf)
        }
        if !field.pointee.wildcards.isEmpty { evaluateWildcards(value, field: field, leaf: leaf) }
        if !field.pointee.cidrs.isEmpty, let address = IPAddress(cidrLiteral: value) {
            for index in 0..<field.pointee.cidrs.count where field.pointee.cidrs[index].contains(address) {
                satisfy(field.pointee.cidrs[index].cond, leaf: leaf)
            }
        }
        if !field.pointee.abStringConds.isEmpty {
            if let list = field.pointee.abStringExcluded.lookup(value) {
                satisfyAllExcept(field.pointee.abStringConds, field: field.pointee, list: list, leaf: leaf)
            } else {
                for index in 0..<field.pointee.abStringConds.count { satisfy(field.pointee.abStringConds[index], leaf: leaf) }
            }
        }
        // A string is never equal to an excluded number.
        for index in 0..<field.pointee.abNumberConds.count { satisfy(field.pointee.abNumberConds[index], leaf: leaf) }
        if !field.pointee.abOtherConds.isEmpty {
            let cold = field.pointee.cold
            for index in 0..<field.pointee.abOtherConds.count where cold.abOther[index].exclusion.admits(string: value, folded: foldedValue) {
                satisfy(field.pointee.abOtherConds[index], leaf: leaf)
            }
        }
    }

    @inline(__always)
    mutating func lookupAffixes(_ value: UnsafeBufferPointer<UInt8>, lengths: _Buf<Int32>, map: _HotMap, suffix: Bool, leaf: Int32) {
        guard let base = value.baseAddress else {
            // An empty value can only match an empty prefix or suffix.
            if lengths.count > 0 && lengths[0] == 0, let cond = map.lookup(value) { satisfy(cond, leaf: leaf) }
            return
        }
        for index in 0..<lengths.count {
            let length = Int(lengths[index])
            if length > value.count { break }
            let start = suffix ? base + (value.count - length) : base
            if let cond = map.lookup(UnsafeBufferPointer(start: start, count: length)) { satisfy(cond, leaf: leaf) }
        }
    }

    /// Tests the wildcards whose literal first (last) segment the value starts (ends) with, then
    /// the ones that begin and end with `*`.
    mutating func evaluateWildcards(_ value: UnsafeBufferPointer<UInt8>, field: UnsafePointer<_HotField>, leaf: Int32) {
        let index = field.pointee.wildcardIndex
        let wildcards = field.pointee.wildcards
        if let base = value.baseAddress {
            for side in 0..<2 {
                let lengths = side == 0 ? index.prefixLengths : index.suffixLengths
                let map = side == 0 ? index.prefixes : index.suffixes
                for position in 0..<lengths.count {
                    let length = Int(lengths[position])
                    if length > value.count { break }
                    let start = side == 0 ? base : base + (value.count - length)
                    guard let list = map.lookup(UnsafeBufferPointer(start: start, count: length)) else { continue }
                    for entry in Int(index.listStarts[list])..<Int(index.listStarts[Int(list) + 1]) {
                        let wildcard = wildcards[index.listFlat[entry]]
                        if wildcard.matches(value) { satisfy(wildcard.cond, leaf: leaf) }
                    }
                }
            }
        }
        for position in 0..<index.floating.count {
            let wildcard = wildcards[index.floating[position]]
            if wildcard.matches(value) { satisfy(wildcard.cond, leaf: leaf) }
        }
    }

    /// Interval stabbing: binary search for the last interval whose lower bound admits `value`,
    /// then walk back while some earlier interval can still reach it (`rangeMaxUpper`).
    mutating func evaluateRanges(_ value: Double, field: UnsafePointer<_HotField>, leaf: Int32) {
        let ranges = field.pointee.ranges
        let maxUpper = field.pointee.rangeMaxUpper
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].lower <= value { low = middle + 1 } else { high = middle }
        }
        var index = low - 1
        while index >= 0 && maxUpper[index] >= value {
            let range = ranges[index]
            if range.contains(value) { satisfy(range.cond, leaf: leaf) }
            index -= 1
        }
    }

    /// Evaluates a number leaf.
    mutating func evaluateNumber(_ value: Double, field fieldID: Int32) {
        let leaf = newLeaf(field: fieldID)
        let field = UnsafePointer(hot.fields.base + Int(fieldID))
        if field.pointee.existsCond >= 0 { satisfy(field.pointee.existsCond, leaf: leaf) }
        if let cond = field.pointee.numbers.lookup(number: value) { satisfy(cond, leaf: leaf) }
        if !field.pointee.ranges.isEmpty { evaluateRanges(value, field: field, leaf: leaf) }
        if !field.pointee.abNumberConds.isEmpty {
            if let list = field.pointee.abNumberExcluded.lookup(number: value) {
                satisfyAllExcept(field.pointee.abNumberConds, field: field.pointee, list: list, leaf: leaf)
            } else {
                for index in 0..<field.pointee.abNumberConds.count { satisfy(field.pointee.abNumberConds[index], leaf: leaf) }
            }
        }
        satisfyNonStringExclusions(field.pointee, leaf: leaf)
    }

    /// Evaluates `true`, `false` or `null`.
    mutating func evaluateLiteral(_ literal: UInt8, field fieldID: Int32) {
        let leaf = newLeaf(field: fieldID)
        let field = UnsafePointer(hot.fields.base + Int(fieldID))
        if field.pointee.existsCond >= 0 { satisfy(field.pointee.existsCond, leaf: leaf) }
        switch literal {
        case UInt8(ascii: "t"): if field.pointee.trueCond >= 0 { satisfy(field.pointee.trueCond, leaf: leaf) }
        case UInt8(ascii: "f"): if field.pointee.falseCond >= 0 { satisfy(field.pointee.falseCond, leaf: leaf) }
        default: if field.pointee.nullCond >= 0 { satisfy(field.pointee.nullCond, leaf: leaf) }
        }
        for index in 0..<field.pointee.abNumberConds.count { satisfy(field.pointee.abNumberConds[index], leaf: leaf) }
        satisfyNonStringExclusions(field.pointee, leaf: leaf)
    }

    /// A non-string value is outside every string-based exclusion.
    @inline(__always)
    mutating func satisfyNonStringExclusions(_ field: _HotField, leaf: Int32) {
        for index in 0..<field.abStringConds.count { satisfy(field.abStringConds[index], leaf: leaf) }
        for index in 0..<field.abOtherConds.count { satisfy(field.abOtherConds[index], leaf: leaf) }
    }

    /// Satisfies every condition of `conds` except those in exclusion list `list`.
    @inline(__always)
    mutating func satisfyAllExcept(_ conds: _Buf<Int32>, field: _HotField, list: Int32, leaf: Int32) {
        exclusionSerial &+= 1
        if exclusionSerial == 0 {
            exclusionStamp.update(repeating: 0, count: max(hot.conditionCount, 1))
            exclusionSerial = 1
        }
        let start = Int(field.exclusionStarts[list])
        let end = Int(field.exclusionStarts[Int(list) + 1])
        for index in start..<end { exclusionStamp[Int(field.exclusionFlat[index])] = exclusionSerial }
        for index in 0..<conds.count where exclusionStamp[Int(conds[index])] != exclusionSerial {
            satisfy(conds[index], leaf: leaf)
        }
    }

    // MARK: - Finishing an event

    /// Deferred probes per event: enough to overlap the memory latency of the values of one
    /// event; an event with more values at such fields probes the rest at once (bounded scratch).
    static let maxDeferredProbes = 32

    /// Makes the exact-value probes deferred during the walk (call before `finishEvent`, while
    /// the event's bytes are still valid).
    @inline(__always)
    mutating func probeDeferred() {
        var index = 0
        while index < deferredProbes.count {
            let probe = deferredProbes[index]
            index += 1
            let field = UnsafePointer(hot.fields.base + Int(probe.field))
            if let cond = field.pointee.exact.lookup(probe.value, hash: probe.hash, tag: 0) { satisfy(cond, leaf: probe.leaf) }
        }
        deferredProbes.removeAll()
    }

    /// After the walk: `exists: false` conditions, then the rules whose sub-rules all hold.
    /// Leaves the matched rule slots, in slot order, in `matchedSlots`.
    mutating func finishEvent() {
        let hot = self.hot
        for index in 0..<hot.absenceFields.count where fieldStamp[Int(hot.absenceFields[index])] != generation {
            satisfy(hot.absenceConds[index], leaf: -1)
        }
        for index in 0..<directSlots.count {
            let slot = Int(directSlots[index])
            if ruleStamp[slot] == generation { continue }
            ruleStamp[slot] = generation
            matchedSlots.append(Int32(slot))
        }
        var index = 0
        while index < candidates.count {
            let sub = Int(candidates[index])
            index += 1
            let slot = Int(hot.subRule[sub])
            if ruleStamp[slot] == generation { continue }
            if sawTrailLeaf && hot.subClauseStart[sub + 1] - hot.subClauseStart[sub] > 1 {
                if !isArrayConsistent(sub: sub) { continue }
            }
            ruleStamp[slot] = generation
            matchedSlots.append(Int32(slot))
        }
        if matchedSlots.count > 1 { _sortInPlace(matchedSlots.base, matchedSlots.count) }
    }
}

/// An exact-value probe waiting for the end of the walk (see `_HotMap.defersProbes`).
struct _DeferredProbe {
    let value: UnsafeBufferPointer<UInt8>
    let hash: UInt64
    let field: Int32
    let leaf: Int32
}

/// Folds UTF-8 into a raw vector (see `CaseFolding`).
@inline(__always)
func _fold(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout _Vec<UInt8>) {
    var index = 0
    let count = bytes.count
    while index < count {
        let byte = bytes[index]
        if byte < 0x80 {
            output.append(byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte)
            index += 1
        } else {
            var scalarBytes: [UInt8] = []
            index = _foldScalar(bytes, at: index, into: &scalarBytes)
            for folded in scalarBytes { output.append(folded) }
        }
    }
}

/// Sorts without allocating (the standard library's sort may allocate a merge buffer): insertion
/// sort for short runs, heapsort beyond.
func _sortInPlace(_ base: UnsafeMutablePointer<Int32>, _ count: Int) {
    if count <= 24 {
        for index in 1..<max(count, 1) {
            let value = base[index]
            var position = index - 1
            while position >= 0 && base[position] > value {
                base[position + 1] = base[position]
                position -= 1
            }
            base[position + 1] = value
        }
        return
    }
    func siftDown(_ start: Int, _ end: Int) {
        var root = start
        while true {
            var child = 2 * root + 1
            if child >= end { return }
            if child + 1 < end && base[child] < base[child + 1] { child += 1 }
            if base[root] >= base[child] { return }
            base.swapAt(root, child)
            root = child
        }
    }
    var start = count / 2 - 1
    while start >= 0 { siftDown(start, count); start -= 1 }
    var end = count - 1
    while end > 0 {
        base.swapAt(0, end)
        siftDown(0, end)
        end -= 1
    }
}

extension UnsafeMutablePointer where Pointee == Int32 {
    @inline(__always) func swapAt(_ i: Int, _ j: Int) {
        let value = self[i]
        self[i] = self[j]
        self[j] = value
    }
}

/// What one event did to one condition (see `_MatchState.satisfy`).
struct _CondState {
    /// The generation of the event that satisfied it last.
    var stamp: UInt32 = 0
    /// The generation of the event in which a leaf outside every array satisfied it.
    var freeStamp: UInt32 = 0
    /// Its latest array-consistency record in this event (linked through `recordNext`), or -1.
    var firstRecord: Int32 = -1
    /// The array node of its latest record in this event, or -1.
    var lastNode: Int32 = -1
}
