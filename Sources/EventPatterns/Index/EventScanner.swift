/// The match path: one pass over the event's bytes, driven by the trie of paths the rules use.
///
/// At each object member the key is looked up in the current trie node; a member nobody asked for
/// is skipped (strings scanned for their closing quote, containers by counting brackets outside
/// strings) without building anything. Leaves at rule fields are decoded in place (into a reused
/// buffer only when they contain escapes) and evaluated at once.
///
/// Duplicate keys: EventBridge lets the last one win. A one-pass walk cannot un-see the first, so
/// when a key the rules care about repeats in one object the walk stops and the event is matched
/// again through a parsed tree (`_TreeWalk`), which applies last-wins. Repeated keys nobody asked
/// for cost nothing.
struct _EventScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    /// `EventLimits.canonicalEvents`: stop reading an object once every key rules use under it
    /// has been seen.
    let stopEarly: Bool
    var position = 0
    /// Set when the walk stopped early at the top level (the rest of the event is not read).
    var finished = false
    /// With `stopEarly`: how many objects, innermost first, were left after their last needed
    /// member and not yet read to their end. Whoever reads on skips them first (`skipUnread`), so
    /// when the whole chain up to the top is complete, nothing after the last needed value is read.
    var unreadLevels = 0

    enum Failure: Error {
        case json(JSONError)
        case duplicateKey
    }

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, stopEarly: Bool = false) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.stopEarly = stopEarly
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 } else { return }
        }
    }

    func error(_ kind: JSONError.Kind, _ message: String) -> Failure {
        .json(JSONError(kind, offset: position, message))
    }

    func unexpected(_ expecting: String) -> Failure {
        if position >= bytes.count {
            return .json(JSONError(.unexpectedEnd, offset: position, "Unexpected end-of-input: \(expecting)"))
        }
        return .json(JSONError(.unexpectedCharacter, offset: position, "Unexpected character (\(_describe(bytes[position]))): \(expecting)"))
    }

    /// Matches a whole event. The state must have begun the event.
    mutating func scanEvent(into state: inout _MatchState) throws(Failure) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else {
            if position >= bytes.count { throw error(.unexpectedEnd, "No content to map due to end-of-input") }
            throw error(.unexpectedCharacter, "An event must be a JSON object")
        }
        try walkObject(node: 0, depth: 1, state: &state)
        if finished { return }
        skipWhitespace()
        if position < bytes.count { throw unexpected("expected end of input after the event object") }
    }

    /// Walks an object whose trie node is `node` (which has children). Position is at `{`.
    mutating func walkObject(node: Int32, depth: Int, state: inout _MatchState) throws(Failure) {
        if depth > maxDepth { throw error(.tooDeep, "nesting deeper than the limit of \(maxDepth)") }
        position += 1
        state.objectSerial &+= 1
        let object = state.objectSerial
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return }
        var childrenSeen: Int32 = 0
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw unexpected("was expecting double-quote to start field name")
            }
            let child = try lookupKey(from: node, state: &state)
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw unexpected("was expecting a colon to separate field name and value")
            }
            position += 1
            skipWhitespace()
            if child >= 0 {
                if state.nodeObjectStamp[Int(child)] == object { throw .duplicateKey }
                state.nodeObjectStamp[Int(child)] = object
                try walkValue(node: child, depth: depth, state: &state)
                if stopEarly {
                    if state.hot.nodeParent[child] == node {
                        childrenSeen += 1
                        if childrenSeen == state.hot.nodeChildCount[node] {
                            // Every key the rules use here has been read: the rest of this object
                            // (and of any unfinished objects inside it) is left unread; the caller
                            // skips it only if it goes on reading.
                            if depth == 1 { finished = true; return }
                            unreadLevels += 1
                            return
                        }
                    }
                    if unreadLevels > 0 { try skipUnread(depth: depth) }
                }
            } else if position < bytes.count && bytes[position] == UInt8(ascii: "\"") {
                try skipString()   // the commonest skipped member, without the call
            } else {
                try skipValue(depth: depth)
            }
            skipWhitespace()
            guard position < bytes.count else { throw unexpected("expected close marker for Object") }
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: ",") { continue }
            if byte == UInt8(ascii: "}") { return }
            position -= 1
            throw unexpected("was expecting comma to separate Object entries")
        }
    }

    /// Reads the key at `position` (an opening quote) and returns the trie node it leads to from
    /// `node`, or -1. A key with dots walks one trie level per segment.
    @inline(__always)
    mutating func lookupKey(from node: Int32, state: inout _MatchState) throws(Failure) -> Int32 {
        let start = position + 1
        var index = start
        var hasEscape = false
        var hasDot = false
        let count = bytes.count
        if let base = bytes.baseAddress {
            // Eight bytes at a time to the closing quote (or a backslash or control byte), noting
            // dots on the way, so that most keys are rejected without another look at their bytes.
            while index &+ 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                let stop = _stringStopMask(word)
                // A false dot flag lies above a real dot, so "a dot before the stop" stays exact.
                let dots = _firstByteMask(word, UInt8(ascii: "."))
                if stop != 0 {
                    if dots & ((stop & (0 &- stop)) &- 1) != 0 { hasDot = true }   // dots before the first stop
                    index &+= stop.trailingZeroBitCount &>> 3
                    break
                }
                if dots != 0 { hasDot = true }
                index &+= 8
            }
        }
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") { hasEscape = true; index += 2; continue }
            if byte < 0x20 { position = index; throw error(.invalidString, "Illegal unquoted character (\(_describe(byte))) in a field name") }
            if byte == UInt8(ascii: ".") { hasDot = true }
            index += 1
        }
        if index >= bytes.count { position = index; throw error(.unexpectedEnd, "Unexpected end-of-input in a field name") }
        if !hasEscape {
            position = index + 1
            let key = UnsafeBufferPointer(rebasing: bytes[start..<index])
            if hasDot { return Self.walkSegments(key, from: node, trie: state.hot.trie, childLengths: state.hot.nodeChildLengths) }
            // The common case, a key without a dot that no child's key is as long as (or starts
            // like): no hashing.
            let length = index &- start
            if state.hot.nodeChildLengths[node] & (1 &<< UInt64(min(length, 63))) == 0 { return -1 }
            let first = length > 0 ? bytes[start] : 0
            if state.hot.nodeChildFirstBytes[node] & (1 &<< UInt64(first & 63)) == 0 { return -1 }
            return state.hot.trie.lookup(key, tag: node) ?? -1
        }
        let end: Int
        do {
            (end, _) = try _scanString(bytes, openingQuote: position, unescapeInto: &state.keyScratch)
        } catch {
            throw .json(error)
        }
        position = end
        let trie = state.hot.trie
        let childLengths = state.hot.nodeChildLengths
        return state.keyScratch.withUnsafeBufferPointer { Self.walkSegments($0, from: node, trie: trie, childLengths: childLengths) }
    }

    /// The trie node that `key` leads to from `node` (one level per dot-separated segment), or -1.
    static func walkSegments(_ key: UnsafeBufferPointer<UInt8>, from node: Int32, trie: borrowing _HotMap,
                             childLengths: _Buf<UInt64>) -> Int32 {
        if !key.contains(UInt8(ascii: ".")) {
            if childLengths[node] & (1 &<< UInt64(min(key.count, 63))) == 0 { return -1 }
            return trie.lookup(key, tag: node) ?? -1
        }
        var node = node
        var segmentStart = 0
        var index = 0
        while index < key.count {
            if key[index] == UInt8(ascii: ".") {
                guard let child = trie.lookup(UnsafeBufferPointer(rebasing: key[segmentStart..<index]), tag: node) else { return -1 }
                node = child
                segmentStart = index + 1
            }
            index += 1
        }
        return trie.lookup(UnsafeBufferPointer(rebasing: key[segmentStart..<key.count]), tag: node) ?? -1
    }

    /// Walks a value at trie node `node`.
    mutating func walkValue(node: Int32, depth: Int, state: inout _MatchState) throws(Failure) {
        guard position < bytes.count else { throw unexpected("expected a value") }
        let field = state.hot.nodeField[node]
        switch bytes[position] {
        case UInt8(ascii: "{"):
            if state.hot.nodeHasChildren[node] {
                try walkObject(node: node, depth: depth + 1, state: &state)
            } else {
                try skipValue(depth: depth)
            }
        case UInt8(ascii: "["):
            if depth + 1 > maxDepth { throw error(.tooDeep, "nesting deeper than the limit of \(maxDepth)") }
            position += 1
            state.arraySerial &+= 1
            let array = state.arraySerial
            let enclosing = state.currentNode
            defer { state.currentNode = enclosing }
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return }
            var element = 0
            while true {
                skipWhitespace()
                _ = state.enterElement(array: array, index: element)
                try walkValue(node: node, depth: depth + 1, state: &state)
                if unreadLevels > 0 { try skipUnread(depth: depth + 1) }
                state.currentNode = enclosing
                skipWhitespace()
                guard position < bytes.count else { throw unexpected("expected close marker for Array") }
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: ",") { element += 1; continue }
                if byte == UInt8(ascii: "]") { return }
                position -= 1
                throw unexpected("was expecting comma to separate Array entries")
            }
        case UInt8(ascii: "\""):
            if field < 0 { try skipString(); return }
            let start = position + 1
            let end: Int
            let escaped: Bool
            do {
                (end, escaped) = try _scanString(bytes, openingQuote: position, unescapeInto: &state.valueScratch)
            } catch {
                throw .json(error)
            }
            position = end
            if escaped {
                let value = state.valueScratch
                value.withUnsafeBufferPointer { state.evaluateString($0, field: field) }
            } else {
                state.evaluateString(UnsafeBufferPointer(rebasing: bytes[start..<(end - 1)]), field: field, inEvent: true)
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let literal = bytes[position]
            try skipLiteral()
            if field >= 0 { state.evaluateLiteral(literal, field: field) }
        default:
            let start = position
            guard let end = _scanNumber(bytes, from: position) else { throw unexpected("expected a valid value") }
            position = end
            if field >= 0 { state.evaluateNumber(_parseDouble(UnsafeBufferPointer(rebasing: bytes[start..<end])), field: field) }
        }
    }

    // MARK: - Skipping

    /// Skips to the end of the `unreadLevels` objects left open inside the value just walked at
    /// `depth` (position is after the last value read in the innermost one).
    mutating func skipUnread(depth: Int) throws(Failure) {
        guard let base = bytes.baseAddress else { throw unexpected("expected a value") }
        let levels = unreadLevels
        unreadLevels = 0
        try skipContainer(depth: depth, base: base, level: levels)
    }

    @inline(__always)
    mutating func skipLiteral() throws(Failure) {
        let literal: StaticString
        switch bytes[position] {
        case UInt8(ascii: "t"): literal = "true"
        case UInt8(ascii: "f"): literal = "false"
        default: literal = "null"
        }
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw unexpected("expected a valid value") }
        let base = literal.utf8Start
        for index in 0..<count where bytes[position + index] != base[index] {
            throw unexpected("expected a valid value")
        }
        position += count
        if position < bytes.count, _isLetterOrDigit(bytes[position]) { throw unexpected("expected a valid value") }
    }

    /// Skips a string; position at its opening quote. Only finds the end (escapes are stepped over,
    /// not validated): the content of a skipped string cannot change which rules match.
    @inline(__always)
    mutating func skipString() throws(Failure) {
        guard let base = bytes.baseAddress else { throw unexpected("expected a string") }
        var index = position + 1
        let count = bytes.count
        while true {
            // Eight bytes at a time to the next quote, backslash or control byte.
            while index + 8 <= count {
                let mask = _stringStopMask(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                if mask != 0 { index += mask.trailingZeroBitCount >> 3; break }
                index += 8
            }
            guard index < count else { break }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") { position = index + 1; return }
            if byte == UInt8(ascii: "\\") { index += 2; continue }
            if byte < 0x20 {
                position = index
                throw error(.invalidString, "Illegal unquoted character (\(_describe(byte))) in a string")
            }
            index += 1
        }
        position = count
        throw unexpected("was expecting closing quote for a string value")
    }

    /// Skips any value. Containers are skipped by counting brackets outside strings, eight bytes
    /// at a time between structural characters.
    mutating func skipValue(depth: Int) throws(Failure) {
        guard position < bytes.count, let base = bytes.baseAddress else { throw unexpected("expected a value") }
        switch base[position] {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipContainer(depth: depth, base: base)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            try skipLiteral()
        default:
            guard let end = _scanNumber(bytes, from: position) else { throw unexpected("expected a valid value") }
            position = end
        }
    }

    /// Skips an object or array (position at its opening bracket) by tracking string state and
    /// bracket depth over eight bytes at a time. Per word, an exact mask of its quotes and one of
    /// its brackets and backslashes: a word without brackets or backslashes (most of them) only
    /// flips the string state by the parity of its quotes; otherwise one step per flagged byte.
    /// Strings inside are not validated, only stepped over; the brackets are only counted, not
    /// paired by kind.
    @inline(__always)
    mutating func skipContainer(depth: Int, base: UnsafePointer<UInt8>, level startLevel: Int = 0) throws(Failure) {
        let count = bytes.count
        var index = position
        var level = startLevel
        var inString = false
        var escapeNext = false   // a backslash was the last byte of the previous word
        while index &+ 8 <= count {
            var word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            var others = _bracketOrBackslashMask(word)
            if others == 0 && !escapeNext {
                // A run of words with no bracket or backslash: each quote only toggles the string
                // state, so only the parity of their count matters (the XOR of their masks keeps
                // it). A tight loop of its own, so that its constants stay in registers.
                var pendingQuotes: UInt64 = 0
                repeat {
                    pendingQuotes ^= _byteEqualMask(word, 0x22)
                    index &+= 8
                    guard index &+ 8 <= count else { break }
                    word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                    others = _bracketOrBackslashMask(word)
                } while others == 0
                if _hasOddFlagCount(pendingQuotes) { inString.toggle() }
                if others == 0 { break }   // fewer than eight bytes left
            }
            let quotes = _byteEqualMask(word, 0x22)
            var mask = quotes | others
            if escapeNext {
                mask &= ~UInt64(0x80)
                escapeNext = false
            }
            while mask != 0 {
                let byteIndex = mask.trailingZeroBitCount &>> 3
                mask &= mask &- 1
                let byte = base[index &+ byteIndex]
                if inString {
                    if byte == UInt8(ascii: "\"") {
                        inString = false
                    } else if byte == UInt8(ascii: "\\") {
                        if byteIndex == 7 { escapeNext = true } else { mask &= ~(UInt64(0x80) << UInt64((byteIndex + 1) * 8)) }
                    }
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                } else if byte | 0x20 == UInt8(ascii: "{") {
                    level &+= 1
                    if depth &+ level > maxDepth {
                        position = index + byteIndex
                        throw error(.tooDeep, "nesting deeper than the limit of \(maxDepth)")
                    }
                } else if byte | 0x20 == UInt8(ascii: "}") {
                    level &-= 1
                    if level == 0 { position = index &+ byteIndex &+ 1; return }
                }
                // A backslash outside a string is not valid JSON, but skipping does not judge it.
            }
            index &+= 8
        }
        // The last few bytes, one at a time.
        if escapeNext { index += 1 }
        while index < count {
            let byte = base[index]
            if inString {
                if byte == UInt8(ascii: "\"") { inString = false } else if byte == UInt8(ascii: "\\") { index += 1 }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte | 0x20 == UInt8(ascii: "{") {
                level += 1
                if depth + level > maxDepth { position = index; throw error(.tooDeep, "nesting deeper than the limit of \(maxDepth)") }
            } else if byte | 0x20 == UInt8(ascii: "}") {
                level -= 1
                if level == 0 { position = index + 1; return }
            }
            index += 1
        }
        position = count
        throw unexpected("expected close marker for a container")
    }
}

/// A mask with the high bit set in exactly the bytes of `word` equal to `byte`.
@inline(__always)
func _byteEqualMask(_ word: UInt64, _ byte: UInt8) -> UInt64 {
    let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
    let t = ((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x
    return ~t & 0x8080_8080_8080_8080
}

/// High bits at the bytes that stop a string scan: `"`, `\` or a byte below 0x20.
///
/// The cheap form of the test: nonzero exactly when the word has such a byte, and its lowest
/// flag is always right; a byte above a real stop may be flagged too (a borrow), so callers use
/// only the first flag, or only whether there is one.
@inline(__always)
func _stringStopMask(_ word: UInt64) -> UInt64 {
    _firstByteMask(word, 0x22) | _firstByteMask(word, 0x5C)
        | ((word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080)
}

/// High bits at the bytes of `word` equal to `byte` — exact at the lowest flag and in whether
/// there is any; a byte just above a match may be flagged too. See `_byteEqualMask` for the
/// exact form.
@inline(__always)
func _firstByteMask(_ word: UInt64, _ byte: UInt8) -> UInt64 {
    let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
    return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
}

/// High bits at the bytes that are `{`, `[`, `}`, `]` or `\` — and `|`, which shares their
/// folded range; callers compare the byte itself, so a `|` costs one step and nothing else. No
/// byte is flagged because of its neighbour, and no byte of a multi-byte UTF-8 character.
@inline(__always)
func _bracketOrBackslashMask(_ word: UInt64) -> UInt64 {
    // Fold `[`/`]`/`\` (0x5B–0x5D) onto `{`/`}`/`|` (0x7B–0x7D), then test 0x7B...0x7D on the low
    // seven bits (no carries between bytes), leaving out bytes with the high bit set.
    let low = (word | 0x2020_2020_2020_2020) & 0x7F7F_7F7F_7F7F_7F7F
    return (low &+ 0x0505_0505_0505_0505) & ~(low &+ 0x0202_0202_0202_0202) & ~word & 0x8080_8080_8080_8080
}

/// Whether a mask with flags only at the bytes' high bits has an odd number of them.
@inline(__always)
func _hasOddFlagCount(_ mask: UInt64) -> Bool {
    var parity = mask ^ (mask >> 32)
    parity ^= parity >> 16
    parity ^= parity >> 8
    return parity & 0x80 != 0
}
