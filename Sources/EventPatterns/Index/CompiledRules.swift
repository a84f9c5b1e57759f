/// The immutable, compiled form of a rule set: the automaton that `RuleIndex` publishes.
///
/// Rules become numbers here:
/// - a **field** is a dotted path some rule mentions, reached through a trie of key segments;
/// - a **condition** is one (field, matcher) pair, shared by every rule that uses it;
/// - a **clause** is an OR of conditions on one field (one array of matchers in a pattern);
/// - a **sub-rule** is one `$or` alternative of one rule: an AND of clauses;
/// - a **rule slot** names the rule the sub-rule belongs to.
///
/// Matching marks the conditions that hold, counts satisfied clauses per sub-rule, and reports a
/// rule when one of its sub-rules has all clauses satisfied (and, only if the event put the
/// satisfying leaves inside arrays, when they are array-consistent).
final class _CompiledRules: @unchecked Sendable {
    // Path trie: children keyed by (parent node, key segment); node 0 is the root.
    let trie: _ByteMap
    let nodeField: [Int32]
    let nodeHasChildren: [Bool]
    /// Per trie node: its number of direct children, and its parent (-1 for the root).
    let nodeChildCount: [Int32]
    let nodeParent: [Int32]
    let fields: [_FieldMatcher]
    let fieldPaths: [String]

    let conditionCount: Int
    let condClauseStart: [Int32]
    let condClauses: [Int32]
    let conditionIsAbsence: [Bool]
    let conditionField: [Int32]
    let conditionMatcher: [PatternMatcher]

    let clauseCount: Int
    let clauseSubStart: [Int32]
    let clauseSubs: [Int32]
    let clauseCondStart: [Int32]
    let clauseConds: [Int32]

    let subCount: Int
    let subRequired: [Int32]
    let subRule: [Int32]
    let subClauseStart: [Int32]
    let subClauses: [Int32]

    /// (field, condition) pairs for `exists: false`, checked once per event after the walk.
    let absences: [(field: Int32, cond: Int32)]
    let ruleSlotCount: Int

    /// The raw-memory form the match path reads; lives as long as `arena`.
    private let arena = _Arena()
    private(set) var hot: _HotRules! = nil

    /// Compiles rules given as (slot, sub-patterns).
    /// - Parameter deferringSlots: exact-value maps with this many slots or more have their probes
    ///   deferred to the end of the walk (`_HotMap.defersProbes`); tests lower it.
    init(rules: [(slot: Int32, subPatterns: [SubPattern])], slotCount: Int, deferringSlots: Int = _HotMap.deferringSlots) {
        var trie = _ByteMap()
        var nodeField: [Int32] = [-1]
        var nodeHasChildren: [Bool] = [false]
        var nodeChildCount: [Int32] = [0]
        var nodeParent: [Int32] = [-1]
        var nodeChildLengths: [UInt64] = [0]
        var nodeChildFirstBytes: [UInt64] = [0]
        var fields: [_FieldMatcher] = []
        var fieldPaths: [String] = []

        var conditionIDs: [[UInt8]: Int32] = [:]   // field number + matcher identity → cond
        var fieldIDs: [_Bytes: Int32] = [:]
        var conditionField: [Int32] = []
        var conditionMatcher: [PatternMatcher] = []
        var clauseIDs: [[Int32]: Int32] = [:]
        var clauseConds: [[Int32]] = []
        var condToClauses: [[Int32]] = []
        var clauseToSubs: [[Int32]] = []
        var subRequired: [Int32] = []
        var subRule: [Int32] = []
        var subClauses: [[Int32]] = []

        func fieldID(for path: String) -> Int32 {
            let key = _Bytes(path)
            if let known = fieldIDs[key] { return known }
            var node: Int32 = 0
            for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
                let key = Array(segment.utf8)
                if let child = trie.get(key, tag: node) {
                    node = child
                } else {
                    let child = Int32(nodeField.count)
                    nodeField.append(-1)
                    nodeHasChildren.append(false)
                    nodeChildCount.append(0)
                    nodeParent.append(node)
                    nodeChildLengths.append(0)
                    nodeChildLengths[Int(node)] |= 1 << UInt64(min(key.count, 63))
                    nodeChildFirstBytes.append(0)
                    nodeChildFirstBytes[Int(node)] |= 1 << UInt64((key.first ?? 0) & 63)
                    nodeChildCount[Int(node)] += 1
                    trie.set(key, child, tag: node)
                    nodeHasChildren[Int(node)] = true
                    node = child
                }
            }
            if nodeField[Int(node)] < 0 {
                nodeField[Int(node)] = Int32(fields.count)
                fields.append(_FieldMatcher())
                fieldPaths.append(path)
            }
            fieldIDs[key] = nodeField[Int(node)]
            return nodeField[Int(node)]
        }

        for (slot, subPatterns) in rules {
            for subPattern in subPatterns {
                var clauses: [Int32] = []
                for clause in subPattern.clauses {
                    let field = fieldID(for: clause.path)
                    var conds: [Int32] = []
                    for matcher in clause.matchers {
                        let cond: Int32
                        var key = withUnsafeBytes(of: field.littleEndian) { Array($0) }
                        key.append(contentsOf: matcher.identity)
                        if let existing = conditionIDs[key] {
                            cond = existing
                        } else {
                            cond = Int32(conditionField.count)
                            conditionIDs[key] = cond
                            conditionField.append(field)
                            conditionMatcher.append(matcher)
                            condToClauses.append([])
                            fields[Int(field)].add(matcher, cond: cond)
                        }
                        if !conds.contains(cond) { conds.append(cond) }
                    }
                    conds.sort()
                    let clauseID: Int32
                    if let existing = clauseIDs[conds] {
                        clauseID = existing
                    } else {
                        clauseID = Int32(clauseConds.count)
                        clauseIDs[conds] = clauseID
                        clauseConds.append(conds)
                        clauseToSubs.append([])
                        for cond in conds { condToClauses[Int(cond)].append(clauseID) }
                    }
                    if !clauses.contains(clauseID) { clauses.append(clauseID) }
                }
                let sub = Int32(subRequired.count)
                subRequired.append(Int32(clauses.count))
                subRule.append(slot)
                subClauses.append(clauses)
                for clause in clauses { clauseToSubs[Int(clause)].append(sub) }
            }
        }

        // A condition needs array-consistency records only if it feeds a sub-rule of 2+ clauses.
        var condNeedsTrail = [Bool](repeating: false, count: conditionField.count)
        for clauses in subClauses where clauses.count > 1 {
            for clause in clauses {
                for cond in clauseConds[Int(clause)] { condNeedsTrail[Int(cond)] = true }
            }
        }

        // A condition with one clause, in one sub-rule that needs only that clause, matches that
        // sub-rule's rule by itself (most rules with one field, and `$or` alternatives of one field).
        var condDirectSlot = [Int32](repeating: -1, count: conditionField.count)
        for (cond, clauses) in condToClauses.enumerated() where clauses.count == 1 {
            let subs = clauseToSubs[Int(clauses[0])]
            if subs.count == 1 && subRequired[Int(subs[0])] == 1 { condDirectSlot[cond] = subRule[Int(subs[0])] }
        }

        var absences: [(field: Int32, cond: Int32)] = []
        var conditionIsAbsence = [Bool](repeating: false, count: conditionField.count)
        for (index, field) in fields.enumerated() where field.absentCond >= 0 {
            absences.append((Int32(index), field.absentCond))
            conditionIsAbsence[Int(field.absentCond)] = true
        }

        self.trie = trie
        self.nodeField = nodeField
        self.nodeHasChildren = nodeHasChildren
        self.nodeChildCount = nodeChildCount
        self.nodeParent = nodeParent
        self.fields = fields
        self.fieldPaths = fieldPaths
        self.conditionCount = conditionField.count
        (self.condClauseStart, self.condClauses) = Self.flatten(condToClauses)
        self.conditionIsAbsence = conditionIsAbsence
        self.conditionField = conditionField
        self.conditionMatcher = conditionMatcher
        self.clauseCount = clauseConds.count
        (self.clauseSubStart, self.clauseSubs) = Self.flatten(clauseToSubs)
        (self.clauseCondStart, self.clauseConds) = Self.flatten(clauseConds)
        self.subCount = subRequired.count
        self.subRequired = subRequired
        self.subRule = subRule
        (self.subClauseStart, self.subClauses) = Self.flatten(subClauses)
        self.absences = absences
        self.ruleSlotCount = slotCount
        self.hot = _HotRules(
            trie: _HotMap(trie, arena: arena),
            nodeField: arena.buffer(nodeField),
            nodeHasChildren: arena.buffer(nodeHasChildren),
            nodeChildCount: arena.buffer(nodeChildCount), nodeParent: arena.buffer(nodeParent),
            nodeChildLengths: arena.buffer(nodeChildLengths), nodeChildFirstBytes: arena.buffer(nodeChildFirstBytes),
            fields: arena.buffer(fields.map { $0.freeze(arena: arena, deferringSlots: deferringSlots) }),
            condClauseStart: arena.buffer(self.condClauseStart), condClauses: arena.buffer(self.condClauses),
            clauseSubStart: arena.buffer(self.clauseSubStart), clauseSubs: arena.buffer(self.clauseSubs),
            clauseCondStart: arena.buffer(self.clauseCondStart), clauseConds: arena.buffer(self.clauseConds),
            subRequired: arena.buffer(self.subRequired), subRule: arena.buffer(self.subRule),
            subClauseStart: arena.buffer(self.subClauseStart), subClauses: arena.buffer(self.subClauses),
            absenceFields: arena.buffer(absences.map(\.field)), absenceConds: arena.buffer(absences.map(\.cond)),
            condNeedsTrail: arena.buffer(condNeedsTrail), condDirectSlot: arena.buffer(condDirectSlot),
            conditionCount: conditionField.count, clauseCount: self.clauseCount, subCount: self.subCount,
            fieldCount: fields.count, nodeCount: nodeField.count, ruleSlotCount: slotCount)
    }

    /// Compressed-sparse-row form of a list of lists: starts (count + 1) and one flat array.
    static func flatten(_ lists: [[Int32]]) -> ([Int32], [Int32]) {
        var starts: [Int32] = []
        starts.reserveCapacity(lists.count + 1)
        var flat: [Int32] = []
        flat.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for list in lists {
            starts.append(Int32(flat.count))
            flat.append(contentsOf: list)
        }
        starts.append(Int32(flat.count))
        return (starts, flat)
    }

    /// Approximate bytes held by the compiled structures.
    var byteSize: Int {
        var size = trie.byteSize + nodeField.count * 5
        size += fields.reduce(0) { $0 + $1.byteSize }
        size += (condClauseStart.count + condClauses.count + clauseSubStart.count + clauseSubs.count) * 4
        size += (clauseCondStart.count + clauseConds.count + subClauseStart.count + subClauses.count) * 4
        size += (subRequired.count + subRule.count + conditionField.count * 2) * 4 + conditionIsAbsence.count
        size += conditionMatcher.count * 48
        return size
    }
}

/// The raw-memory view of a `_CompiledRules` (valid while it lives): plain pointers, no ARC.
struct _HotRules {
    let trie: _HotMap
    let nodeField: _Buf<Int32>
    let nodeHasChildren: _Buf<Bool>
    let nodeChildCount: _Buf<Int32>
    let nodeParent: _Buf<Int32>
    /// Per trie node: bit `min(n, 63)` is set when some child's key segment is `n` bytes long, so
    /// that most keys no rule uses are rejected without hashing them.
    let nodeChildLengths: _Buf<UInt64>
    /// Per trie node: bit `b & 63` is set when some child's key segment starts with byte `b`
    /// (bit 0 for an empty one): a second filter, for keys of a length that some child has.
    let nodeChildFirstBytes: _Buf<UInt64>
    let fields: _Buf<_HotField>
    let condClauseStart: _Buf<Int32>
    let condClauses: _Buf<Int32>
    let clauseSubStart: _Buf<Int32>
    let clauseSubs: _Buf<Int32>
    let clauseCondStart: _Buf<Int32>
    let clauseConds: _Buf<Int32>
    let subRequired: _Buf<Int32>
    let subRule: _Buf<Int32>
    let subClauseStart: _Buf<Int32>
    let subClauses: _Buf<Int32>
    let absenceFields: _Buf<Int32>
    let absenceConds: _Buf<Int32>
    let condNeedsTrail: _Buf<Bool>
    /// Per condition: the rule slot it matches on its own (see `_MatchState.satisfy`), or -1.
    let condDirectSlot: _Buf<Int32>
    let conditionCount: Int
    let clauseCount: Int
    let subCount: Int
    let fieldCount: Int
    let nodeCount: Int
    let ruleSlotCount: Int
}
