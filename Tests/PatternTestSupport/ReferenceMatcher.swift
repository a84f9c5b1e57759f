import EventPatterns

// A deliberately naive reference implementation of EventBridge event-pattern matching
// (spec/eventbridge.md §2), written independently of the production matcher so the two can be
// compared in differential tests.
//
// Design: nothing is compiled or indexed. The event is flattened into every
// (dotted path, leaf value, array trail) triple; the pattern is expanded into its `$or`
// alternatives, each a plain list of (path, matchers) conditions; an alternative matches when a
// backtracking search finds one leaf per condition that satisfies one of its matchers, with all
// chosen leaves pairwise array-consistent. Matchers are interpreted straight from their JSON form
// every time they are evaluated. Speed is a non-goal; obviousness is the goal.
//
// Strings are always compared by their Unicode scalars (equivalently, their UTF-8 bytes). Swift's
// `String ==` and `hasPrefix` use canonical equivalence ("é" == "e\u{301}"), which EventBridge does
// not, so they are never used on event or pattern text here.
//
// Decisions where the spec is silent or where event-ruler behaves oddly (the spec wins over
// event-ruler quirks):
// * The same dotted path twice in one alternative: the last one in document order counts
//   (event-ruler's behaviour; see `keepingLastConditionPerPath`).
// * Numbers compare as `Double` only: two different long integers that round to the same double are
//   equal, and there is no separate literal-text comparison.
// * Exact strings that look like IP addresses are compared byte-exactly (the spec's §2.4 makes
//   event-ruler's "IP literal as a one-address range" optional).
// * `cidr` only matches strings that are strict IP literals. A CIDR whose address has host bits set
//   ("10.0.0.5/24") covers the whole block here; event-ruler would start its range at the address
//   as written. Across families the library's documented choice is followed: an IPv6 address is in
//   an IPv4 block when its first four bytes are (event-ruler's range match reads only the block's
//   8 hex digits; conformance case p01462 relies on it), an IPv4 address is never in an IPv6 block.
// * Case folding is the per-scalar full lowercase mapping, no context ("Σ" → "σ", never "ς";
//   "İ" → "i̇"; "ß" stays "ß", so it never equals "SS").

/// A slow, obviously-correct EventBridge pattern matcher used as the oracle in differential tests.
///
/// ```swift
/// let pattern = try JSONReader.parse(#"{"source": [{"prefix": "aws."}]}"#)
/// let event = try JSONReader.parse(#"{"source": "aws.ec2"}"#)
/// ReferenceMatcher.matches(pattern: pattern, event: event)   // true
/// ```
public enum ReferenceMatcher {
    /// Whether `event` matches `pattern`.
    ///
    /// The pattern is assumed to be valid (it is not validated here). If it contains something a
    /// valid pattern cannot contain, the answer is `false`.
    ///
    /// - Parameters:
    ///   - pattern: a parsed, valid event pattern (a JSON object).
    ///   - event: a parsed event (normally a JSON object).
    /// - Returns: `true` when at least one `$or` alternative of the pattern matches the event.
    /// - Complexity: exponential in the worst case (plain backtracking); meant for small events.
    public static func matches(pattern: JSONValue, event: JSONValue) -> Bool {
        guard let alternatives = alternatives(of: pattern) else { return false }
        let leaves = flatten(event)
        for conditions in alternatives where alternativeMatches(conditions, leaves: leaves) {
            return true
        }
        return false
    }

    /// The `$or` alternatives of a pattern, each a list of conditions (one per distinct path) that
    /// must all hold; `nil` if the pattern has a shape no valid pattern has.
    static func alternatives(of pattern: JSONValue) -> [[Condition]]? {
        guard case .object(let root) = pattern, !root.isEmpty,
            let expanded = expand(root, prefix: nil)
        else { return nil }
        return expanded.map(keepingLastConditionPerPath)
    }
}

// MARK: - Event flattening

extension ReferenceMatcher {
    /// One step of an array trail: which array (a number unique within one event) and which element.
    struct ArrayStep: Equatable {
        var array: Int
        var index: Int
    }

    /// A leaf of the event: a string, number, boolean or null, with the dotted path that leads to
    /// it and the (array, index) of every array it sits in, outermost first.
    struct Leaf {
        var path: String
        var value: JSONValue
        var trail: [ArrayStep]
    }

    /// Joins a key onto a dotted path. `nil` is the root (no key yet), which is different from a
    /// path made of one empty key.
    static func join(_ prefix: String?, _ key: String) -> String {
        guard let prefix else { return key }
        return prefix + "." + key
    }

    /// All leaves of `event`.
    ///
    /// Objects add their key to the path; arrays are transparent (each element is a value of the
    /// array's own path) but every element records its (array, index) in the trail. Objects and
    /// empty arrays produce no leaf of their own. A scalar at the root has no path and is dropped.
    static func flatten(_ event: JSONValue) -> [Leaf] {
        var leaves: [Leaf] = []
        var arraysSeen = 0
        func visit(_ value: JSONValue, path: String?, trail: [ArrayStep]) {
            switch value {
            case .object(let object):
                for member in object.members {
                    visit(member.value, path: join(path, member.key), trail: trail)
                }
            case .array(let elements):
                let arrayID = arraysSeen
                arraysSeen += 1
                for (index, element) in elements.enumerated() {
                    visit(element, path: path, trail: trail + [ArrayStep(array: arrayID, index: index)])
                }
            case .null, .bool, .number, .string:
                if let path { leaves.append(Leaf(path: path, value: value, trail: trail)) }
            }
        }
        visit(event, path: nil, trail: [])
        return leaves
    }

    /// Two leaves may be used together unless they lie in different elements of the same array.
    static func consistent(_ a: Leaf, _ b: Leaf) -> Bool {
        for stepA in a.trail {
            for stepB in b.trail where stepA.array == stepB.array && stepA.index != stepB.index {
                return false
            }
        }
        return true
    }
}

// MARK: - Pattern expansion ($or)

extension ReferenceMatcher {
    /// One field test of a pattern alternative: the dotted path and its matchers (ORed).
    struct Condition {
        var path: String
        var matchers: [JSONValue]
    }

    /// Expands a pattern object into its alternatives; each alternative is a list of conditions that
    /// must all hold. Ordinary keys AND together (a cross product of their alternatives); a `$or`
    /// key contributes the union of its branches' alternatives, each branch read at the same
    /// nesting level as the `$or` itself. Returns `nil` for shapes a valid pattern cannot have.
    ///
    /// Conditions come out in document order (a `$or` branch's conditions sit where the `$or` key
    /// is). Two keys may spell the same dotted path (`{"a.b": …, "a": {"b": …}}`, or a field both
    /// outside and inside a `$or` branch); `keepingLastConditionPerPath` settles that afterwards.
    static func expand(_ object: JSONObject, prefix: String?) -> [[Condition]]? {
        var alternatives: [[Condition]] = [[]]
        for member in object.members {
            var memberAlternatives: [[Condition]] = []
            if member.key == "$or" {
                guard case .array(let branches) = member.value, !branches.isEmpty else { return nil }
                for branch in branches {
                    guard case .object(let branchObject) = branch, !branchObject.isEmpty,
                        let branchAlternatives = expand(branchObject, prefix: prefix)
                    else { return nil }
                    memberAlternatives += branchAlternatives
                }
            } else {
                let path = join(prefix, member.key)
                switch member.value {
                case .object(let inner):
                    guard !inner.isEmpty, let innerAlternatives = expand(inner, prefix: path) else { return nil }
                    memberAlternatives = innerAlternatives
                case .array(let matchers):
                    guard !matchers.isEmpty else { return nil }
                    memberAlternatives = [[Condition(path: path, matchers: matchers)]]
                default:
                    return nil
                }
            }
            var product: [[Condition]] = []
            for left in alternatives {
                for right in memberAlternatives { product.append(left + right) }
            }
            alternatives = product
        }
        return alternatives
    }
}

// MARK: - Duplicate paths

extension ReferenceMatcher {
    /// When one alternative names the same dotted path more than once, only the condition that
    /// comes last in document order counts.
    ///
    /// The spec does not cover this case. We follow event-ruler (the spec's tie-breaker), which
    /// stores each alternative as a map from path to matchers, so a later key on the same path
    /// replaces an earlier one: `{"a.b": ["x"], "a": {"b": ["y"]}}` behaves like
    /// `{"a": {"b": ["y"]}}`, and in `{"k": ["x"], "$or": [{"k": ["y"]}, {"j": ["z"]}]}` the first
    /// branch is just `k = "y"`. (`PatternGenerator` never generates such patterns, so differential
    /// tests do not depend on this choice.)
    static func keepingLastConditionPerPath(_ conditions: [Condition]) -> [Condition] {
        var kept: [Condition] = []
        for (index, condition) in conditions.enumerated() {
            let laterSamePath = conditions[(index + 1)...].contains { sameText($0.path, condition.path) }
            if !laterSamePath { kept.append(condition) }
        }
        return kept
    }
}

// MARK: - Matching one alternative

extension ReferenceMatcher {
    /// Whether `{"exists": false}` is among the matchers.
    static func allowsAbsence(_ matchers: [JSONValue]) -> Bool {
        matchers.contains { matcher in
            if case .object(let object) = matcher, object.count == 1, case .bool(false)? = object["exists"] {
                return true
            }
            return false
        }
    }

    /// Backtracking search: pick, for each condition in turn, a leaf at its path that satisfies one
    /// of its matchers and is array-consistent with every leaf picked so far. A condition that allows
    /// absence (`exists: false`) is also satisfied, without picking a leaf, when its path has no leaf
    /// at all.
    static func alternativeMatches(_ conditions: [Condition], leaves: [Leaf]) -> Bool {
        func search(_ position: Int, chosen: [Leaf]) -> Bool {
            if position == conditions.count { return true }
            let condition = conditions[position]
            let candidates = leaves.filter { sameText($0.path, condition.path) }
            if candidates.isEmpty {
                return allowsAbsence(condition.matchers) && search(position + 1, chosen: chosen)
            }
            for leaf in candidates {
                guard condition.matchers.contains(where: { leafSatisfies(leaf.value, matcher: $0) }) else { continue }
                guard chosen.allSatisfy({ consistent($0, leaf) }) else { continue }
                if search(position + 1, chosen: chosen + [leaf]) { return true }
            }
            return false
        }
        return search(0, chosen: [])
    }
}

// MARK: - Matchers

extension ReferenceMatcher {
    /// Whether one leaf value satisfies one matcher (an element of a pattern's matcher array).
    static func leafSatisfies(_ value: JSONValue, matcher: JSONValue) -> Bool {
        switch matcher {
        case .string(let expected):
            return isString(value, equalTo: expected)
        case .number(let expected):
            return isNumber(value, equalTo: expected)
        case .bool(let expected):
            if case .bool(let actual) = value { return actual == expected }
            return false
        case .null:
            if case .null = value { return true }
            return false
        case .array:
            return false
        case .object(let object):
            guard object.count == 1, let (name, argument) = object.members.first else { return false }
            return operatorSatisfied(name, argument, by: value)
        }
    }

    /// Evaluates a single-key operator object `{name: argument}` against a leaf.
    static func operatorSatisfied(_ name: String, _ argument: JSONValue, by value: JSONValue) -> Bool {
        switch name {
        case "equals":
            guard case .string(let expected) = argument else { return false }
            return isString(value, equalTo: expected)

        case "prefix", "suffix":
            guard case .string(let text) = value else { return false }
            switch argument {
            case .string(let affix):
                return hasAffix(name, scalars(text), scalars(affix))
            case .object(let inner):
                guard inner.count == 1, case .string(let affix)? = inner["equals-ignore-case"] else { return false }
                return hasAffix(name, folded(text), folded(affix))
            default:
                return false
            }

        case "equals-ignore-case":
            guard case .string(let expected) = argument, case .string(let text) = value else { return false }
            return folded(text) == folded(expected)

        case "wildcard":
            guard case .string(let wildcard) = argument, case .string(let text) = value,
                let pieces = wildcardPieces(wildcard)
            else { return false }
            return wildcardMatches(pieces, scalars(text))

        case "anything-but":
            return anythingButSatisfied(argument, by: value)

        case "numeric":
            return numericSatisfied(argument, by: value)

        case "exists":
            // exists:true is satisfied by any leaf; exists:false by no leaf (absence is handled
            // by the search, which only asks about leaves that are present).
            guard case .bool(let wanted) = argument else { return false }
            return wanted

        case "cidr":
            guard case .string(let cidr) = argument, case .string(let text) = value,
                let block = parseCIDR(cidr), let address = parseIPAddress(text)
            else { return false }
            return block.contains(address)

        default:
            return false
        }
    }

    // MARK: Exact values

    /// A string leaf equal to `expected` scalar for scalar (no normalisation).
    static func isString(_ value: JSONValue, equalTo expected: String) -> Bool {
        guard case .string(let actual) = value else { return false }
        return sameText(actual, expected)
    }

    /// A number leaf numerically equal to `expected` (as `Double`: `300 == 300.0 == 3e2`).
    static func isNumber(_ value: JSONValue, equalTo expected: JSONNumber) -> Bool {
        guard case .number(let actual) = value else { return false }
        return actual.value == expected.value
    }

    // MARK: Text helpers

    static func scalars(_ text: String) -> [Unicode.Scalar] {
        Array(text.unicodeScalars)
    }

    /// Scalar-by-scalar equality (used for paths too: field names are byte-exact).
    static func sameText(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }

    /// Case folding used by every `*-ignore-case` form: each scalar independently replaced by its
    /// full Unicode lowercase mapping (which may be several scalars, e.g. "İ" → "i̇"), no context.
    static func folded(_ text: String) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            result += scalar.properties.lowercaseMapping.unicodeScalars
        }
        return result
    }

    /// `prefix` or `suffix` test on scalar arrays.
    static func hasAffix(_ kind: String, _ text: [Unicode.Scalar], _ affix: [Unicode.Scalar]) -> Bool {
        guard affix.count <= text.count else { return false }
        if kind == "prefix" { return Array(text.prefix(affix.count)) == affix }
        return Array(text.suffix(affix.count)) == affix
    }

    // MARK: Wildcard

    /// A wildcard pattern after escape processing: literal scalars and stars.
    enum WildcardPiece: Equatable {
        case literal(Unicode.Scalar)
        case star
    }

    /// Splits a wildcard value into pieces: `*` is a star, `\*` a literal star, `\\` a literal
    /// backslash. Any other use of a backslash is invalid (`nil`).
    static func wildcardPieces(_ wildcard: String) -> [WildcardPiece]? {
        var pieces: [WildcardPiece] = []
        var escaping = false
        for scalar in wildcard.unicodeScalars {
            if escaping {
                guard scalar == "*" || scalar == "\\" else { return nil }
                pieces.append(.literal(scalar))
                escaping = false
            } else if scalar == "\\" {
                escaping = true
            } else if scalar == "*" {
                pieces.append(.star)
            } else {
                pieces.append(.literal(scalar))
            }
        }
        return escaping ? nil : pieces
    }

    /// Whole-string wildcard match by the textbook dynamic programme:
    /// `ok[i][j]` = the first `i` pieces match the first `j` scalars of the text.
    static func wildcardMatches(_ pieces: [WildcardPiece], _ text: [Unicode.Scalar]) -> Bool {
        var ok = Array(repeating: Array(repeating: false, count: text.count + 1), count: pieces.count + 1)
        ok[0][0] = true
        for i in stride(from: 1, through: pieces.count, by: 1) {
            for j in 0...text.count {
                switch pieces[i - 1] {
                case .star:
                    // The star matches nothing (ok[i-1][j]) or one more scalar (ok[i][j-1]).
                    ok[i][j] = ok[i - 1][j] || (j > 0 && ok[i][j - 1])
                case .literal(let scalar):
                    ok[i][j] = j > 0 && ok[i - 1][j - 1] && text[j - 1] == scalar
                }
            }
        }
        return ok[pieces.count][text.count]
    }

    // MARK: anything-but

    /// Whether a single leaf lies outside the set excluded by `{"anything-but": argument}`.
    ///
    /// Values are typed: a string is never excluded by a number and vice versa; null and booleans
    /// are never excluded; the string-only forms (prefix, suffix, equals-ignore-case, wildcard)
    /// never exclude a non-string.
    static func anythingButSatisfied(_ argument: JSONValue, by value: JSONValue) -> Bool {
        switch argument {
        case .string(let excluded):
            return !isString(value, equalTo: excluded)
        case .number(let excluded):
            return !isNumber(value, equalTo: excluded)
        case .array(let list):
            guard !list.isEmpty else { return false }
            for excluded in list {
                switch excluded {
                case .string(let text): if isString(value, equalTo: text) { return false }
                case .number(let number): if isNumber(value, equalTo: number) { return false }
                default: return false  // not a valid anything-but list
                }
            }
            return true
        case .object(let object):
            guard object.count == 1, let (form, operand) = object.members.first else { return false }
            var excludedTexts: [String] = []
            switch operand {
            case .string(let text):
                excludedTexts = [text]
            case .array(let list) where !list.isEmpty:
                for element in list {
                    guard case .string(let text) = element else { return false }
                    excludedTexts.append(text)
                }
            default:
                return false
            }
            guard ["prefix", "suffix", "equals-ignore-case", "wildcard"].contains(form) else { return false }
            guard case .string(let text) = value else { return true }  // non-strings are never excluded
            for excluded in excludedTexts {
                switch form {
                case "prefix", "suffix":
                    if hasAffix(form, scalars(text), scalars(excluded)) { return false }
                case "equals-ignore-case":
                    if folded(text) == folded(excluded) { return false }
                default:  // wildcard
                    guard let pieces = wildcardPieces(excluded) else { return false }
                    if wildcardMatches(pieces, scalars(text)) { return false }
                }
            }
            return true
        default:
            return false
        }
    }

    // MARK: numeric

    /// `{"numeric": [op, v]}` or `[op, v, op, v]`: every (operator, bound) pair must hold for a
    /// JSON number leaf, compared as `Double`.
    static func numericSatisfied(_ argument: JSONValue, by value: JSONValue) -> Bool {
        guard case .number(let number) = value, case .array(let terms) = argument,
            terms.count == 2 || terms.count == 4
        else { return false }
        let x = number.value
        var index = 0
        while index < terms.count {
            guard case .string(let op) = terms[index], case .number(let bound) = terms[index + 1] else { return false }
            let b = bound.value
            let holds: Bool
            switch op {
            case "=": holds = x == b
            case "<": holds = x < b
            case "<=": holds = x <= b
            case ">": holds = x > b
            case ">=": holds = x >= b
            default: return false
            }
            if !holds { return false }
            index += 2
        }
        return true
    }

    // MARK: cidr

    /// An IP address: 4 bytes (IPv4) or 16 bytes (IPv6).
    struct IPAddress: Equatable {
        var bytes: [UInt8]
    }

    /// A CIDR block: a network address and the number of leading bits that must agree.
    struct CIDRBlock {
        var network: IPAddress
        var bits: Int

        /// Same family, and the first `bits` bits are equal. Across families, the documented
        /// choice (Documentation/PATTERNS.md, from event-ruler): an IPv6 address is in an IPv4 block
        /// when its first four bytes are; an IPv4 address is never in an IPv6 block.
        func contains(_ address: IPAddress) -> Bool {
            if address.bytes.count == 16 && network.bytes.count == 4 {
                return contains(IPAddress(bytes: Array(address.bytes.prefix(4))))
            }
            guard address.bytes.count == network.bytes.count else { return false }
            for bit in 0..<bits {
                let byte = bit / 8
                let mask = UInt8(0x80) >> UInt8(bit % 8)
                if address.bytes[byte] & mask != network.bytes[byte] & mask { return false }
            }
            return true
        }
    }

    // The IP parsers work on Unicode scalars, not Characters: a combining mark after "." or "/"
    // would otherwise glue onto it and hide it from `split`.

    /// Parses `"address/bits"` (exactly one slash, decimal bits within the family's width).
    static func parseCIDR(_ text: String) -> CIDRBlock? {
        let parts = scalars(text).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = parseIPAddress(string(parts[0])),
            let bits = decimal(parts[1]), bits <= address.bytes.count * 8
        else { return nil }
        return CIDRBlock(network: address, bits: bits)
    }

    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    /// A non-empty run of at most 9 ASCII decimal digits as an Int, else nil.
    static func decimal(_ digits: ArraySlice<Unicode.Scalar>) -> Int? {
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        var result = 0
        for scalar in digits {
            guard scalar.value >= 0x30 && scalar.value <= 0x39 else { return nil }
            result = result * 10 + Int(scalar.value - 0x30)
        }
        return result
    }

    /// A strict IPv4 or IPv6 literal; IPv6 with a dotted IPv4 tail is neither (event-ruler takes
    /// only hex digits and colons as IPv6).
    static func parseIPAddress(_ text: String) -> IPAddress? {
        if text.unicodeScalars.contains(":") && text.unicodeScalars.contains(".") { return nil }
        if let v4 = parseIPv4(text) { return IPAddress(bytes: v4) }
        if let v6 = parseIPv6(text) { return IPAddress(bytes: v6) }
        return nil
    }

    /// Dotted quad: exactly four parts, each 1–3 decimal digits, value ≤ 255, no leading zero
    /// (except the single digit "0").
    static func parseIPv4(_ text: String) -> [UInt8]? {
        let parts = scalars(text).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard part.count <= 3, let number = decimal(part), number <= 255 else { return nil }
            if part.count > 1 && part.first == "0" { return nil }
            bytes.append(UInt8(number))
        }
        return bytes
    }

    /// IPv6: eight groups of 1–4 hex digits (either case) separated by ':', at most one "::"
    /// standing for one or more zero groups, and optionally a dotted IPv4 address in place of the
    /// last two groups.
    static func parseIPv6(_ text: String) -> [UInt8]? {
        let chars = Array(text.unicodeScalars)
        // Locate the first "::", and make sure there is no second one.
        var doubleColon: Int? = nil
        var i = 0
        while i + 1 < chars.count {
            if chars[i] == ":" && chars[i + 1] == ":" {
                if doubleColon != nil { return nil }
                doubleColon = i
                i += 2
                continue
            }
            i += 1
        }
        let head: [Unicode.Scalar]
        let tail: [Unicode.Scalar]
        if let at = doubleColon {
            head = Array(chars[..<at])
            tail = Array(chars[(at + 2)...])
        } else {
            head = chars
            tail = []
        }

        // Parses one side into 16-bit groups; `mayEndWithIPv4` allows a dotted tail there.
        func groups(_ side: [Unicode.Scalar], mayEndWithIPv4: Bool) -> [UInt16]? {
            if side.isEmpty { return [] }
            let pieces = side.split(separator: ":", omittingEmptySubsequences: false)
            var result: [UInt16] = []
            for (n, piece) in pieces.enumerated() {
                let isLast = n == pieces.count - 1
                if isLast && mayEndWithIPv4 && piece.contains(".") {
                    guard let v4 = parseIPv4(string(piece)) else { return nil }
                    result.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    result.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                    continue
                }
                guard piece.count >= 1, piece.count <= 4 else { return nil }
                var group: UInt16 = 0
                for scalar in piece {
                    guard let digit = hexDigit(scalar) else { return nil }
                    group = group << 4 | UInt16(digit)
                }
                result.append(group)
            }
            return result
        }

        var all: [UInt16]
        if doubleColon != nil {
            // The IPv4 tail can only be at the very end of the address.
            guard let before = groups(head, mayEndWithIPv4: false),
                let after = groups(tail, mayEndWithIPv4: true),
                before.count + after.count <= 7
            else { return nil }
            all = before + Array(repeating: 0, count: 8 - before.count - after.count) + after
        } else {
            guard let only = groups(head, mayEndWithIPv4: true), only.count == 8 else { return nil }
            all = only
        }
        var bytes: [UInt8] = []
        for group in all {
            bytes.append(UInt8(group >> 8))
            bytes.append(UInt8(group & 0xFF))
        }
        return bytes
    }

    static func hexDigit(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x30...0x39: return UInt8(scalar.value - 0x30)
        case 0x41...0x46: return UInt8(scalar.value - 0x41 + 10)
        case 0x61...0x66: return UInt8(scalar.value - 0x61 + 10)
        default: return nil
        }
    }
}
