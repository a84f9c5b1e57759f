/// Per-matcher scratch state: everything one match call writes, reused across calls so the match
/// path allocates nothing once the buffers have grown to the size of the events seen.
///
/// Per-event marks use a generation stamp instead of clearing: an entry counts for this event only
/// when its stamp equals `generation`.
struct _MatchState {
    var rules: _CompiledRules
    var generation: UInt32 = 0

    var condStamp: [UInt32]
    var condFirstRecord: [Int32]
    var clauseStamp: [UInt32]
    var subStamp: [UInt32]
    var subCount: [Int32]
    var ruleStamp: [UInt32]
    var fieldStamp: [UInt32]
    var exclusionStamp: [UInt32]
    var nodeObjectStamp: [UInt32]
    var exclusionSerial: UInt32 = 0
    var objectSerial: UInt32 = 0

    /// Satisfaction records (condition, leaf), linked per condition through `recordNext`.
    var recordCond: [Int32] = []
    var recordLeaf: [Int32] = []
    var recordNext: [Int32] = []
    /// Per leaf: where its array trail starts in `trailPool` and how many (array, index) pairs.
    var leafTrailStart: [Int32] = []
    var leafTrailCount: [Int32] = []
    var trailPool: [Int32] = []
    /// The (array serial, element index) pairs of the arrays enclosing the current value.
    var trailStack: [Int32] = []
    var arraySerial: Int32 = 0
    var sawTrailLeaf = false

    var candidates: [Int32] = []
    var matchedSlots: [Int32] = []
    var valueScratch: [UInt8] = []
    var keyScratch: [UInt8] = []
    var folded: [UInt8] = []
    var consistencyBudget = 0

    init(rules: _CompiledRules) {
        self.rules = rules
        condStamp = []
        condFirstRecord = []
        clauseStamp = []
        subStamp = []
        subCount = []
        ruleStamp = []
        fieldStamp = []
        exclusionStamp = []
        nodeObjectStamp = []
        resize()
    }

    /// Points the state at another compiled rule set (after the index changed).
    mutating func rebind(_ rules: _CompiledRules) {
        guard rules !== self.rules else { return }
        self.rules = rules
        resize()
    }

    private mutating func resize() {
        generation = 0
        objectSerial = 0
        exclusionSerial = 0
        condStamp = [UInt32](repeating: 0, count: rules.conditionCount)
        condFirstRecord = [Int32](repeating: -1, count: rules.conditionCount)
        exclusionStamp = [UInt32](repeating: 0, count: rules.conditionCount)
        clauseStamp = [UInt32](repeating: 0, count: rules.clauseCount)
        subStamp = [UInt32](repeating: 0, count: rules.subCount)
        subCount = [Int32](repeating: 0, count: rules.subCount)
        ruleStamp = [UInt32](repeating: 0, count: rules.ruleSlotCount)
        fieldStamp = [UInt32](repeating: 0, count: rules.fields.count)
        nodeObjectStamp = [UInt32](repeating: 0, count: rules.nodeField.count)
    }

    /// Starts a new event: a new generation, empty per-event lists.
    @inline(__always)
    mutating func beginEvent() {
        if generation == UInt32.max - 1 {
            // Wrap-around: clear the stamps once every four billion events.
            resize()
        }
        generation &+= 1
        recordCond.removeAll(keepingCapacity: true)
        recordLeaf.removeAll(keepingCapacity: true)
        recordNext.removeAll(keepingCapacity: true)
        leafTrailStart.removeAll(keepingCapacity: true)
        leafTrailCount.removeAll(keepingCapacity: true)
        trailPool.removeAll(keepingCapacity: true)
        trailStack.removeAll(keepingCapacity: true)
        candidates.removeAll(keepingCapacity: true)
        matchedSlots.removeAll(keepingCapacity: true)
        arraySerial = 0
        sawTrailLeaf = false
    }

    // MARK: - Leaves and conditions

    /// Registers a leaf value of `field`; returns its leaf number.
    @inline(__always)
    mutating func newLeaf(field: Int32) -> Int32 {
        fieldStamp[Int(field)] = generation
        let leaf = Int32(leafTrailStart.count)
        leafTrailStart.append(Int32(trailPool.count))
        leafTrailCount.append(Int32(trailStack.count / 2))
        if !trailStack.isEmpty {
            sawTrailLeaf = true
            trailPool.append(contentsOf: trailStack)
        }
        return leaf
    }

    /// Records that condition `cond` holds (for leaf `leaf`, or -1 for an absence) and advances the
    /// clauses and sub-rules that contain it.
    @inline(__always)
    mutating func satisfy(_ cond: Int32, leaf: Int32) {
        let c = Int(cond)
        let record = Int32(recordCond.count)
        recordCond.append(cond)
        recordLeaf.append(leaf)
        if condStamp[c] == generation {
            recordNext.append(condFirstRecord[c])
            condFirstRecord[c] = record
            return
        }
        recordNext.append(-1)
        condFirstRecord[c] = record
        condStamp[c] = generation
        let rules = self.rules
        var clauseIndex = Int(rules.condClauseStart[c])
        let clauseEnd = Int(rules.condClauseStart[c + 1])
        while clauseIndex < clauseEnd {
            let clause = Int(rules.condClauses[clauseIndex])
            clauseIndex += 1
            if clauseStamp[clause] == generation { continue }
            clauseStamp[clause] = generation
            var subIndex = Int(rules.clauseSubStart[clause])
            let subEnd = Int(rules.clauseSubStart[clause + 1])
            while subIndex < subEnd {
                let sub = Int(rules.clauseSubs[subIndex])
                subIndex += 1
                if subStamp[sub] != generation {
                    subStamp[sub] = generation
                    subCount[sub] = 0
                }
                subCount[sub] += 1
                if subCount[sub] == rules.subRequired[sub] { candidates.append(Int32(sub)) }
            }
        }
    }

    // MARK: - Evaluating leaves

    /// Evaluates a string leaf (its decoded UTF-8 bytes) against every condition of the field.
    mutating func evaluateString(_ value: UnsafeBufferPointer<UInt8>, field fieldID: Int32) {
        let leaf = newLeaf(field: fieldID)
        let field = rules.fields[Int(fieldID)]
        if field.existsCond >= 0 { satisfy(field.existsCond, leaf: leaf) }
        if !field.exact.isEmpty, let cond = field.exact.lookup(value) { satisfy(cond, leaf: leaf) }
        for length in field.prefixLengths {
            if length > value.count { break }
            if let cond = field.prefixes.lookup(UnsafeBufferPointer(rebasing: value[0..<length])) { satisfy(cond, leaf: leaf) }
        }
        for length in field.suffixLengths {
            if length > value.count { break }
            if let cond = field.suffixes.lookup(UnsafeBufferPointer(rebasing: value[(value.count - length)...])) {
                satisfy(cond, leaf: leaf)
            }
        }
        if field.needsFold {
            folded.removeAll(keepingCapacity: true)
            CaseFolding.fold(value, into: &folded)
            let folded = self.folded
            folded.withUnsafeBufferPointer { folded in
                if !field.foldedExact.isEmpty, let cond = field.foldedExact.lookup(folded) { satisfy(cond, leaf: leaf) }
                for length in field.foldedPrefixLengths {
                    if length > folded.count { break }
                    if let cond = field.foldedPrefixes.lookup(UnsafeBufferPointer(rebasing: folded[0..<length])) {
                        satisfy(cond, leaf: leaf)
                    }
                }
                for length in field.foldedSuffixLengths {
                    if length > folded.count { break }
                    if let cond = field.foldedSuffixes.lookup(UnsafeBufferPointer(rebasing: folded[(folded.count - length)...])) {
                        satisfy(cond, leaf: leaf)
                    }
                }
                for (exclusion, cond) in field.abOther where exclusion.admits(string: value, folded: folded) {
                    satisfy(cond, leaf: leaf)
                }
            }
        } else {
            for (exclusion, cond) in field.abOther where exclusion.admits(string: value, folded: value) {
                satisfy(cond, leaf: leaf)
            }
        }
        for (pattern, cond) in field.wildcards where pattern.matches(value) { satisfy(cond, leaf: leaf) }
        if !field.cidrs.isEmpty, let address = IPAddress(utf8: value) {
            for (block, cond) in field.cidrs where block.contains(address) { satisfy(cond, leaf: leaf) }
        }
        if !field.abStringConds.isEmpty {
            if let list = field.abStringExcluded.lookup(value) {
                satisfyAllExcept(field.abStringConds, excluded: field.exclusionLists[Int(list)], leaf: leaf)
            } else {
                for cond in field.abStringConds { satisfy(cond, leaf: leaf) }
            }
        }
        // A string is never equal to an excluded number.
        for cond in field.abNumberConds { satisfy(cond, leaf: leaf) }
    }

    /// Evaluates a number leaf.
    mutating func evaluateNumber(_ value: Double, field fieldID: Int32) {
        let leaf = newLeaf(field: fieldID)
        let field = rules.fields[Int(fieldID)]
        if field.existsCond >= 0 { satisfy(field.existsCond, leaf: leaf) }
        if !field.numbers.isEmpty, let cond = field.numbers[value == 0 ? 0 : value] { satisfy(cond, leaf: leaf) }
        for (range, cond) in field.ranges {
            if let lower = range.lower, lower > value { break }   // sorted by lower bound
            if range.contains(value) { satisfy(cond, leaf: leaf) }
        }
        if !field.abNumberConds.isEmpty {
            if let list = field.abNumberExcluded[value == 0 ? 0 : value] {
                satisfyAllExcept(field.abNumberConds, excluded: field.exclusionLists[Int(list)], leaf: leaf)
            } else {
                for cond in field.abNumberConds { satisfy(cond, leaf: leaf) }
            }
        }
        satisfyNonStringExclusions(field, leaf: leaf)
    }

    /// Evaluates `true`, `false` or `null`.
    mutating func evaluateLiteral(_ literal: UInt8, field fieldID: Int32) {
        let leaf = newLeaf(field: fieldID)
        let field = rules.fields[Int(fieldID)]
        if field.existsCond >= 0 { satisfy(field.existsCond, leaf: leaf) }
        switch literal {
        case UInt8(ascii: "t"): if field.trueCond >= 0 { satisfy(field.trueCond, leaf: leaf) }
        case UInt8(ascii: "f"): if field.falseCond >= 0 { satisfy(field.falseCond, leaf: leaf) }
        default: if field.nullCond >= 0 { satisfy(field.nullCond, leaf: leaf) }
        }
        for cond in field.abNumberConds { satisfy(cond, leaf: leaf) }
        satisfyNonStringExclusions(field, leaf: leaf)
    }

    /// A non-string value is outside every string-based exclusion.
    @inline(__always)
    mutating func satisfyNonStringExclusions(_ field: _FieldMatcher, leaf: Int32) {
        for cond in field.abStringConds { satisfy(cond, leaf: leaf) }
        for (_, cond) in field.abOther { satisfy(cond, leaf: leaf) }
    }

    @inline(__always)
    mutating func satisfyAllExcept(_ conds: [Int32], excluded: [Int32], leaf: Int32) {
        exclusionSerial &+= 1
        if exclusionSerial == 0 {
            for index in exclusionStamp.indices { exclusionStamp[index] = 0 }
            exclusionSerial = 1
        }
        for cond in excluded { exclusionStamp[Int(cond)] = exclusionSerial }
        for cond in conds where exclusionStamp[Int(cond)] != exclusionSerial { satisfy(cond, leaf: leaf) }
    }

    // MARK: - Finishing an event

    /// After the walk: `exists: false` conditions, then the rules whose sub-rules all hold.
    /// Leaves the matched rule slots, in slot order, in `matchedSlots`.
    mutating func finishEvent() {
        let rules = self.rules
        for (field, cond) in rules.absences where fieldStamp[Int(field)] != generation {
            satisfy(cond, leaf: -1)
        }
        var index = 0
        while index < candidates.count {
            let sub = Int(candidates[index])
            index += 1
            let slot = Int(rules.subRule[sub])
            if ruleStamp[slot] == generation { continue }
            if sawTrailLeaf && rules.subClauseStart[sub + 1] - rules.subClauseStart[sub] > 1 {
                if !isArrayConsistent(sub: sub) { continue }
            }
            ruleStamp[slot] = generation
            matchedSlots.append(Int32(slot))
        }
        if matchedSlots.count > 1 { matchedSlots.sort() }
    }
}
