/// Array consistency: the leaves that satisfy the clauses of one sub-rule may not come from two
/// different elements of the same event array.
///
/// Each leaf carries its trail: the (array, element index) pairs of the arrays around it, outermost
/// first. Two leaves conflict exactly when, at the first array they both lie in at the same trail
/// position, their element indices differ. The check runs only for sub-rules with two or more
/// clauses, and only for events where some matched leaf lay inside an array; everything else
/// takes the counting fast path.
extension _MatchState {
    /// Upper bound on leaf-pair checks for one sub-rule. Beyond it the sub-rule is treated as not
    /// matching; only adversarial events (thousands of array elements all satisfying several clauses
    /// without a consistent choice) get there.
    static let consistencyCheckLimit = 1_000_000

    func trailsConsistent(_ a: Int32, _ b: Int32) -> Bool {
        if a < 0 || b < 0 { return true }
        let countA = Int(leafTrailCount[Int(a)])
        let countB = Int(leafTrailCount[Int(b)])
        if countA == 0 || countB == 0 { return true }
        let startA = Int(leafTrailStart[Int(a)])
        let startB = Int(leafTrailStart[Int(b)])
        var level = 0
        let shared = min(countA, countB)
        while level < shared {
            let arrayA = trailPool[startA + 2 * level]
            let arrayB = trailPool[startB + 2 * level]
            if arrayA != arrayB { return true }
            if trailPool[startA + 2 * level + 1] != trailPool[startB + 2 * level + 1] { return false }
            level += 1
        }
        return true
    }

    /// Whether sub-rule `sub` (all of whose clauses hold) can be satisfied by array-consistent leaves.
    mutating func isArrayConsistent(sub: Int) -> Bool {
        let rules = self.hot
        // For each clause, the distinct leaves that satisfy it; a clause satisfied by an absence or
        // by a leaf outside every array is free (consistent with anything).
        var choices: [[Int32]] = []
        var clauseIndex = Int(rules.subClauseStart[sub])
        let clauseEnd = Int(rules.subClauseStart[sub + 1])
        while clauseIndex < clauseEnd {
            let clause = Int(rules.subClauses[clauseIndex])
            clauseIndex += 1
            var leaves: [Int32] = []
            var free = false
            var condIndex = Int(rules.clauseCondStart[clause])
            let condEnd = Int(rules.clauseCondStart[clause + 1])
            scan: while condIndex < condEnd {
                let cond = Int(rules.clauseConds[condIndex])
                condIndex += 1
                guard condStamp[cond] == generation else { continue }
                var record = condFirstRecord[cond]
                while record >= 0 {
                    let leaf = recordLeaf[Int(record)]
                    if leaf < 0 || leafTrailCount[Int(leaf)] == 0 { free = true; break scan }
                    if leaves.last != leaf && !leaves.contains(leaf) { leaves.append(leaf) }
                    record = recordNext[Int(record)]
                }
            }
            if free { continue }
            if leaves.isEmpty { return false }
            choices.append(leaves)
        }
        if choices.count < 2 { return true }
        choices.sort { $0.count < $1.count }
        // Leaves with the same trail are interchangeable: keep one per distinct trail.
        for index in choices.indices { choices[index] = distinctTrails(choices[index]) }
        consistencyBudget = Self.consistencyCheckLimit
        var chosen: [Int32] = []
        chosen.reserveCapacity(choices.count)
        return search(choices, depth: 0, chosen: &chosen)
    }

    private func distinctTrails(_ leaves: [Int32]) -> [Int32] {
        if leaves.count < 2 { return leaves }
        var seen = Set<[Int32]>()
        var result: [Int32] = []
        for leaf in leaves {
            let start = Int(leafTrailStart[Int(leaf)])
            let count = Int(leafTrailCount[Int(leaf)]) * 2
            let trail = (start..<(start + count)).map { trailPool[$0] }
            if seen.insert(trail).inserted { result.append(leaf) }
        }
        return result
    }

    private mutating func search(_ choices: [[Int32]], depth: Int, chosen: inout [Int32]) -> Bool {
        if depth == choices.count { return true }
        for leaf in choices[depth] {
            var fits = true
            for other in chosen {
                consistencyBudget -= 1
                if consistencyBudget < 0 { return false }
                if !trailsConsistent(leaf, other) { fits = false; break }
            }
            if !fits { continue }
            chosen.append(leaf)
            if search(choices, depth: depth + 1, chosen: &chosen) { return true }
            chosen.removeLast()
            if consistencyBudget < 0 { return false }
        }
        return false
    }
}
