/// Array consistency: the leaves that satisfy the clauses of one sub-rule may not come from two
/// different elements of the same event array.
///
/// Every element of an array at a path rules use is a node linked to the element it lies in; a
/// leaf's place is its innermost element's node. Two places conflict exactly when, going up from
/// both, they meet under one parent in two different elements of the same array. The check runs
/// only for sub-rules with two or more clauses and only when some satisfying leaf lay in an array;
/// everything else is decided by counting alone.
///
/// Cost: a clause satisfied by a leaf outside every array is free. For the rest, each distinct node
/// that satisfies a clause is tried as an anchor: if every clause has a node on the anchor's path
/// to the top, the clauses are consistent — O(clauses × nodes × array depth). Only choices that
/// branch into sibling arrays need a search, which is bounded by `consistencyCheckLimit`.
extension _MatchState {
    /// Upper bound on pairwise node checks in the fallback search for one sub-rule. Beyond it the
    /// sub-rule is treated as not matching.
    static let consistencyCheckLimit = 1_000_000

    /// Whether places `a` and `b` (nodes, or -1 outside arrays) can be used together.
    func nodesConsistent(_ a: Int32, _ b: Int32) -> Bool {
        if a < 0 || b < 0 || a == b { return true }
        var x = Int(a), y = Int(b)
        while nodeDepth[x] > nodeDepth[y] { x = Int(nodeParent[x]); if x < 0 { return true } }
        while nodeDepth[y] > nodeDepth[x] { y = Int(nodeParent[y]); if y < 0 { return true } }
        while x != y {
            let parentX = nodeParent[x], parentY = nodeParent[y]
            if parentX == parentY { return nodeArray[x] != nodeArray[y] }
            if parentX < 0 || parentY < 0 { return true }
            x = Int(parentX)
            y = Int(parentY)
        }
        return true   // one is an ancestor of the other
    }

    /// A fresh token for `nodeMark`.
    mutating func nextMark() -> UInt32 {
        markToken &+= 1
        if markToken == 0 {
            for index in 0..<nodeMark.count { nodeMark[index] = 0 }
            markToken = 1
        }
        return markToken
    }

    /// Whether sub-rule `sub` (all of whose clauses hold) can be satisfied by array-consistent leaves.
    mutating func isArrayConsistent(sub: Int) -> Bool {
        let hot = self.hot
        // The distinct nodes satisfying each clause that is not free.
        var choices: [[Int32]] = []
        var clauseIndex = Int(hot.subClauseStart[sub])
        let clauseEnd = Int(hot.subClauseStart[sub + 1])
        while clauseIndex < clauseEnd {
            let clause = Int(hot.subClauses[clauseIndex])
            clauseIndex += 1
            let token = nextMark()
            var nodes: [Int32] = []
            var free = false
            for condIndex in Int(hot.clauseCondStart[clause])..<Int(hot.clauseCondStart[clause + 1]) {
                let cond = Int(hot.clauseConds[condIndex])
                guard conds[cond].stamp == generation else { continue }
                if conds[cond].freeStamp == generation { free = true; break }
                var record = conds[cond].firstRecord
                while record >= 0 {
                    let node = recordNode[Int(record)]
                    if nodeMark[Int(node)] != token {
                        nodeMark[Int(node)] = token
                        nodes.append(node)
                    }
                    record = recordNext[Int(record)]
                }
            }
            if free { continue }
            if nodes.isEmpty { return false }
            choices.append(nodes)
        }
        if choices.count < 2 { return true }
        if anchoredChoiceExists(choices) { return true }
        choices.sort { $0.count < $1.count }
        consistencyBudget = Self.consistencyCheckLimit
        var chosen: [Int32] = []
        chosen.reserveCapacity(choices.count)
        return search(choices, depth: 0, chosen: &chosen)
    }

    /// Whether some node has, for every clause, a satisfying node on its path to the top (itself
    /// or an enclosing element): such a choice never branches, so it is consistent.
    private mutating func anchoredChoiceExists(_ choices: [[Int32]]) -> Bool {
        var anchors: [Int32] = []
        let anchorToken = nextMark()
        for nodes in choices {
            for node in nodes where nodeMark[Int(node)] != anchorToken {
                nodeMark[Int(node)] = anchorToken
                anchors.append(node)
            }
        }
        var alive = [Bool](repeating: true, count: anchors.count)
        var aliveCount = anchors.count
        for nodes in choices {
            let token = nextMark()
            for node in nodes { nodeMark[Int(node)] = token }
            for (position, anchor) in anchors.enumerated() where alive[position] {
                var walk = Int(anchor)
                var found = false
                while walk >= 0 {
                    if nodeMark[walk] == token { found = true; break }
                    walk = Int(nodeParent[walk])
                }
                if !found {
                    alive[position] = false
                    aliveCount -= 1
                }
            }
            if aliveCount == 0 { return false }
        }
        return aliveCount > 0
    }

    private mutating func search(_ choices: [[Int32]], depth: Int, chosen: inout [Int32]) -> Bool {
        if depth == choices.count { return true }
        for node in choices[depth] {
            var fits = true
            for other in chosen {
                consistencyBudget -= 1
                if consistencyBudget < 0 { return false }
                if !nodesConsistent(node, other) { fits = false; break }
            }
            if !fits { continue }
            chosen.append(node)
            if search(choices, depth: depth + 1, chosen: &chosen) { return true }
            chosen.removeLast()
            if consistencyBudget < 0 { return false }
        }
        return false
    }
}
