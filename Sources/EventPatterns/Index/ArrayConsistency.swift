/// Array consistency: the leaves that satisfy the clauses of one sub-rule may not come from two
/// different elements of the same event array.
///
/// Every element of an array at a path rules use is a node linked to the element it lies in; a
/// leaf's place is its innermost element's node. Two places conflict exactly when, going up from
/// both, they meet under one parent in two different elements of the same array. So a choice of
/// places is consistent exactly when, for every array, all of them that lie in it lie in one
/// element. The check runs only for sub-rules with two or more clauses and only when some
/// satisfying leaf lay in an array; everything else is decided by counting alone.
///
/// Cost: a clause satisfied by a leaf outside every array is free. For the rest, each distinct node
/// that satisfies a clause is first tried as an anchor: if every clause has a node on the anchor's
/// path to the top, the clauses are consistent — O(clauses × nodes × array depth). Otherwise a
/// bottom-up pass over the elements involved computes, per element, which sets of clauses its
/// subtree can satisfy consistently (one element per array, any number of arrays), keeping only
/// the largest sets; the sub-rule holds when the top level can satisfy all of them. That is
/// linear in the nodes for the usual two or three clauses; `consistencyCheckLimit` bounds the set
/// work for patterns with many clauses, and an event that exceeds it is an error, not a guess.
extension _MatchState {
    /// Upper bound on the set operations (or, past 64 clauses, pairwise node checks) spent on one
    /// sub-rule's consistency. Beyond it the event is rejected (`consistencyGaveUp`).
    static let consistencyCheckLimit = 1_000_000
    /// Array nesting up to which consistency is decided by the recursive element pass.
    static let maxRecursiveDepth: Int32 = 128

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
        consistencyBudget = Self.consistencyCheckLimit
        let consistent: Bool
        // The element pass recurses once per array level; past `maxRecursiveDepth` levels (arrays
        // of arrays, deeper than any pattern path) the budgeted search, which recurses per
        // clause instead, keeps the stack small.
        var deepest: Int32 = 0
        for nodes in choices {
            for node in nodes { deepest = max(deepest, nodeDepth[Int(node)]) }
        }
        if choices.count <= 64 && deepest <= Self.maxRecursiveDepth {
            consistent = coverableByOneElementPerArray(choices)
        } else {
            choices.sort { $0.count < $1.count }
            var chosen: [Int32] = []
            chosen.reserveCapacity(choices.count)
            consistent = search(choices, depth: 0, chosen: &chosen)
        }
        if consistencyBudget < 0 { consistencyGaveUp = true }
        return consistent
    }

    /// Whether one node per clause can be chosen with, in every array, all chosen nodes inside one
    /// element. Bottom-up over the elements involved: an element's "family" is the maximal sets of
    /// clauses (bit i: `choices[i]`) its subtree can satisfy consistently — the clauses it
    /// satisfies itself, joined with one member of each child array's family, where an array's
    /// family is the maximal sets among its elements' families. The top level is an element with
    /// no clauses of its own.
    private mutating func coverableByOneElementPerArray(_ choices: [[Int32]]) -> Bool {
        let all: UInt64 = choices.count == 64 ? ~0 : (1 << UInt64(choices.count)) - 1
        // The elements involved: every choice node and its ancestors, each with its own clauses
        // and its children (linked lists through `firstChild` / `nextSibling`, local indices).
        var local: [Int32: Int] = [:]
        var nodeOf: [Int32] = [-1]                // local 0 is the top level
        var own: [UInt64] = [0]
        var firstChild: [Int] = [-1]
        var nextSibling: [Int] = [-1]
        func localIndex(_ node: Int32) -> Int {
            if node < 0 { return 0 }
            if let index = local[node] { return index }
            let parent = localIndex(nodeParent[Int(node)])
            let index = nodeOf.count
            local[node] = index
            nodeOf.append(node)
            own.append(0)
            nextSibling.append(firstChild[parent])
            firstChild.append(-1)
            firstChild[parent] = index
            return index
        }
        for (clause, nodes) in choices.enumerated() {
            for node in nodes { own[localIndex(node)] |= 1 << UInt64(clause) }
        }
        return family(of: 0, nodeOf: nodeOf, own: own, firstChild: firstChild, nextSibling: nextSibling, all: all)
            .contains(all)
    }

    /// The family of local element `element` (see `coverableByOneElementPerArray`); stops early
    /// with `[all]` once a subtree covers every clause, and with what it has when the budget is spent.
    private mutating func family(of element: Int, nodeOf: [Int32], own: [UInt64], firstChild: [Int], nextSibling: [Int],
                                 all: UInt64) -> [UInt64] {
        var current: [UInt64] = [own[element]]
        if own[element] == all { return current }
        // Children grouped by the array they are elements of.
        var byArray: [(array: Int32, members: [UInt64])] = []
        var child = firstChild[element]
        while child >= 0 {
            let members = family(of: child, nodeOf: nodeOf, own: own, firstChild: firstChild, nextSibling: nextSibling, all: all)
            if members.contains(all) { return [all] }
            if consistencyBudget < 0 { return current }
            let array = nodeArray[Int(nodeOf[child])]
            if let group = byArray.firstIndex(where: { $0.array == array }) {
                byArray[group].members.append(contentsOf: members)
            } else {
                byArray.append((array, members))
            }
            child = nextSibling[child]
        }
        for group in byArray {
            let members = maximalSets(group.members)
            var joined: [UInt64] = []
            for base in current {
                for member in members { joined.append(base | member) }
            }
            consistencyBudget -= joined.count
            current = maximalSets(joined)
            if current.contains(all) || consistencyBudget < 0 { return current }
        }
        return current
    }

    /// The sets of `sets` that no other set contains (duplicates once).
    private mutating func maximalSets(_ sets: [UInt64]) -> [UInt64] {
        if sets.count < 2 { return sets }
        var result: [UInt64] = []
        for set in sets.sorted(by: { $0.nonzeroBitCount > $1.nonzeroBitCount }) {
            consistencyBudget -= result.count + 1
            if !result.contains(where: { $0 | set == $0 }) { result.append(set) }
        }
        return result
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
