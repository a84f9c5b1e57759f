import EventPatterns

// Random, reproducible inputs for differential tests of the pattern matcher.
//
// Everything is driven by `SeededGenerator`, and nothing iterates a Dictionary or Set (their order
// changes from process to process), so a seed always yields the same patterns and events on the
// same toolchain.
//
// Patterns and events share one small vocabulary (see "Vocabulary" below) so that they collide
// often: field names with a nested `detail` object, a dotted key, arrays of objects and scalar
// arrays; values with mixed case, non-ASCII text, numbers written in several ways, IP addresses
// (valid and not), null, booleans and the empty string.
//
// Every generated pattern is valid per spec/eventbridge.md §2 (§2.17 lists what is rejected). The
// generator also stays clear of corners where the spec leaves the answer open, so that a
// disagreement in a differential test points at one of the two matchers rather than at an open
// question:
// * no alternative of a pattern names the same dotted path twice (e.g. `"a.b"` next to
//   `"a": {"b": …}`), which the spec does not define;
// * exact-string matchers never use IP-looking strings (event-ruler compiles those as
//   one-address ranges, which the spec makes optional);
// * CIDR blocks are always written with their host bits zero, and IPv6 blocks in plain hex (no
//   dotted tail, nothing in `::ffff:0:0/96`);
// * anything-but `equals-ignore-case` values are never `""`;
// * wildcards never contain two `*` characters next to each other (not even `\**`) and at most
//   four `*` in all;
// * patterns stay well under 2,048 characters and 1,000 `$or` combinations.

// MARK: - Seeded random numbers

/// EventPatterns' `SplitMix64` with the helpers the generators use.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let pattern = PatternGenerator.pattern(using: &rng)
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var base: SplitMix64

    /// Creates a generator; equal seeds give equal sequences.
    public init(seed: UInt64) {
        base = SplitMix64(seed: seed)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 { base.next() }

    // Own helpers rather than `Int.random(in:using:)`, whose algorithm the standard library may
    // change between releases; these keep seeds reproducible.

    /// A number in `0..<n` (`n` > 0).
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(next() % UInt64(n))
    }

    /// `true` with probability `percent`/100.
    mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }

    /// A random element of a non-empty array.
    mutating func pick<T>(_ elements: [T]) -> T {
        elements[below(elements.count)]
    }

    /// The elements in random order.
    mutating func shuffled<T>(_ elements: [T]) -> [T] {
        var result = elements
        if result.count < 2 { return result }
        for i in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(i, below(i + 1))
        }
        return result
    }
}

// MARK: - Public API

/// Generates valid event patterns and matching or near-miss events for differential testing.
///
/// ```swift
/// var rng = SeededGenerator(seed: 7)
/// for _ in 0..<1_000 {
///     let pattern = PatternGenerator.pattern(using: &rng)
///     let event = PatternGenerator.eventFor(pattern: pattern, using: &rng)
///     #expect(fastMatcher(pattern, event) == ReferenceMatcher.matches(pattern: pattern, event: event))
/// }
/// ```
public enum PatternGenerator {
    /// A random valid pattern over the shared vocabulary.
    ///
    /// Uses every operator (exact values, `equals`, `prefix`/`suffix` with and without
    /// `equals-ignore-case`, `equals-ignore-case`, `wildcard`, all `anything-but` forms, `numeric`
    /// single and two-sided, `cidr` v4 and v6, `exists` true/false), several matchers per field,
    /// nested objects, dotted keys and `$or` (also nested).
    ///
    /// - Parameter rng: the random source.
    /// - Returns: a JSON object that EventBridge accepts as a pattern.
    /// - Complexity: O(1) expected (patterns are small; a few retries at most).
    public static func pattern(using rng: inout SeededGenerator) -> JSONValue {
        while true {
            let object = patternObject(schemaRoot, at: [], depth: 0, orDepth: 0, using: &rng)
            let candidate = JSONValue.object(object)
            if isWellBehaved(candidate) { return candidate }
        }
    }

    /// A random event over the shared vocabulary (a JSON object), unrelated to any pattern.
    ///
    /// - Parameter rng: the random source.
    /// - Complexity: O(1) expected.
    public static func event(using rng: inout SeededGenerator) -> JSONValue {
        let assignments = randomAssignments(percent: 35, using: &rng)
        return .object(buildObject(assignments, at: [], splitArrays: rng.chance(30), using: &rng))
    }

    /// A random event built to match `pattern` about half of the time.
    ///
    /// One `$or` alternative is chosen and a satisfying value is placed at each of its paths
    /// (paths wanted absent by `exists: false` are left out); the event structure is then varied
    /// (dotted keys, arrays of objects, scalar arrays with decoys, unrelated noise fields). Four
    /// events in five then get one or two mutations, which usually spoil the match: a changed,
    /// dropped, nulled or retyped value, a leaf where absence was required, an object or empty
    /// array where a leaf was expected, or fields spread over different elements of one array
    /// (array consistency). Over 20,000 generated patterns about 54% of the events match, and
    /// about 2% fail only because of array consistency.
    ///
    /// - Parameters:
    ///   - pattern: a valid pattern (normally from `pattern(using:)`).
    ///   - rng: the random source.
    /// - Returns: a JSON object; whether it matches is for the matcher under test to say.
    /// - Complexity: O(1) expected for generated patterns.
    public static func eventFor(pattern: JSONValue, using rng: inout SeededGenerator) -> JSONValue {
        guard let alternatives = ReferenceMatcher.alternatives(of: pattern), !alternatives.isEmpty else {
            return event(using: &rng)
        }
        var assignments: [Assignment] = []
        var absentPaths: [String] = []
        // Usually satisfy one alternative; sometimes also (part of) another one.
        var chosen = [rng.pick(alternatives)]
        if alternatives.count > 1 && rng.chance(25) { chosen.append(rng.pick(alternatives)) }
        for conditions in chosen {
            for condition in conditions {
                let matcher = rng.pick(condition.matchers)
                if isExistsFalse(matcher) {
                    absentPaths.append(condition.path)
                    continue
                }
                let value = witness(for: matcher, using: &rng) ?? randomLeaf(.mixed, using: &rng)
                assignments.append(Assignment(components: components(of: condition.path), value: value))
            }
        }
        // A path required absent by one chosen alternative and present by another: keep it absent.
        assignments.removeAll { absentPaths.contains(joined($0.components)) }

        var splitArrays = false
        if rng.chance(80) {
            let mutations = rng.chance(80) ? 1 : 2
            for _ in 0..<mutations {
                mutate(&assignments, absentPaths: &absentPaths, splitArrays: &splitArrays, using: &rng)
            }
        }

        // Unrelated fields, never at a path that must stay absent.
        if rng.chance(70) {
            let noise = randomAssignments(percent: 15, using: &rng)
            assignments += noise.filter { !absentPaths.contains(joined($0.components)) }
        }
        assignments = rng.shuffled(assignments)
        return .object(buildObject(assignments, at: [], splitArrays: splitArrays, using: &rng))
    }

    /// Compact JSON text of a value (object members in order, numbers as their source text).
    ///
    /// Handy for failure messages and for feeding text-based APIs.
    ///
    /// - Complexity: O(size of the value).
    public static func jsonText(_ value: JSONValue) -> String {
        value.jsonText
    }
}

// MARK: - Vocabulary

extension PatternGenerator {
    /// What kind of values a field usually holds (any field gets any kind now and then).
    enum Kind: CaseIterable {
        case text, number, ip, literal, mixed
    }

    /// The shape of events: objects with named children; leaves with a usual kind.
    indirect enum Schema {
        case leaf(Kind)
        case object([(key: String, child: Schema)])
    }

    /// Every leaf field of the vocabulary, as path components. Note the dotted keys: `"a.b"` (the
    /// same dotted path as `a` → `b`) and `detail` → `"state.status"`.
    static let fields: [(path: [String], kind: Kind)] = [
        (["source"], .text),
        (["detail-type"], .text),
        (["account"], .mixed),
        (["region"], .text),
        (["resources"], .text),
        (["n"], .number),
        (["ratio"], .number),
        (["flag"], .literal),
        (["ip"], .ip),
        (["tags"], .mixed),
        (["name"], .text),
        (["a.b"], .mixed),
        (["a", "b"], .mixed),
        (["a", "c"], .number),
        (["detail", "state"], .text),
        (["detail", "state.status"], .text),
        (["detail", "count"], .number),
        (["detail", "ip"], .ip),
        (["detail", "note"], .mixed),
        (["detail", "sub", "x"], .text),
        (["detail", "sub", "y"], .number),
        (["detail", "items", "id"], .text),
        (["detail", "items", "size"], .number),
        (["detail", "items", "ip"], .ip),
        (["employees", "first"], .text),
        (["employees", "last"], .text),
        (["employees", "age"], .number),
    ]

    /// Paths that events usually hold as arrays of objects.
    static let objectArrayPaths: [[String]] = [["employees"], ["detail", "items"]]

    /// Paths that events usually hold as arrays of scalars.
    static let scalarArrayPaths: [[String]] = [["resources"], ["tags"]]

    /// `fields` as a tree.
    static let schemaRoot: [(key: String, child: Schema)] = {
        func insert(_ path: ArraySlice<String>, _ kind: Kind, into children: inout [(key: String, child: Schema)]) {
            let key = path.first!
            if path.count == 1 {
                children.append((key, .leaf(kind)))
                return
            }
            if let index = children.firstIndex(where: { $0.key == key }), case .object(var inner) = children[index].child {
                insert(path.dropFirst(), kind, into: &inner)
                children[index].child = .object(inner)
            } else {
                var inner: [(key: String, child: Schema)] = []
                insert(path.dropFirst(), kind, into: &inner)
                children.append((key, .object(inner)))
            }
        }
        var root: [(key: String, child: Schema)] = []
        for field in fields { insert(field.path[...], field.kind, into: &root) }
        return root
    }()

    /// Short strings: mixed case, case-folding traps (ß, İ, final sigma, Kelvin sign), a
    /// decomposed é, wildcard and escape characters, number- and literal-looking text, "".
    static let texts: [String] = [
        "", " ", "a", "A", "ab", "aB", "Ab", "abc", "ABC", "a b",
        "aws.ec2", "AWS.EC2", "Aws.Ec2", "aws.s3", "prod", "Prod-1", "prod-1",
        "running", "RUNNING", "Running", "stopped", "Stopped",
        "Straße", "STRASSE", "strasse", "straße", "İstanbul", "istanbul", "i\u{307}stanbul",
        "ÉTÉ", "été", "Été", "e\u{301}te\u{301}", "Σ", "σ", "ς", "\u{212A}", "k", "K",
        "a*b", "a\\b", "*", "x.y", "null", "true", "300", "image.png", "IMAGE.PNG",
        "/usr/lib/x.so", "emoji🙂",
    ]

    /// Numbers as written in JSON, including equal values with different spellings.
    static let numbers: [JSONNumber] = [
        JSONNumber(text: "0", value: 0),
        JSONNumber(text: "-0.0", value: -0.0),
        JSONNumber(text: "1e-6", value: 1e-6),
        JSONNumber(text: "0.1", value: 0.1),
        JSONNumber(text: "0.30000000000000004", value: 0.30000000000000004),
        JSONNumber(text: "1.5", value: 1.5),
        JSONNumber(text: "-1", value: -1),
        JSONNumber(text: "42", value: 42),
        JSONNumber(text: "100", value: 100),
        JSONNumber(text: "101.0", value: 101),
        JSONNumber(text: "255", value: 255),
        JSONNumber(text: "300", value: 300),
        JSONNumber(text: "300.0", value: 300),
        JSONNumber(text: "3e2", value: 300),
        JSONNumber(text: "5e9", value: 5e9),
        JSONNumber(text: "-5e9", value: -5e9),
        JSONNumber(text: "167772161", value: 167_772_161),
        JSONNumber(text: "123456789012", value: 123_456_789_012),
    ]

    /// Valid IPv4 literals.
    static let ipv4s: [String] = [
        "10.0.0.1", "10.0.0.0", "10.0.0.255", "10.0.1.7", "10.1.2.3", "192.168.1.20",
        "172.16.5.4", "0.0.0.0", "255.255.255.255", "8.8.8.8",
    ]

    /// Valid IPv6 literals, in plain hex (these also serve as CIDR network sources).
    static let ipv6s: [String] = [
        "2001:db8::1", "2001:DB8::1", "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8:0:0:0:0:0:1",
        "::1", "::", "fe80::1", "FE80::ABCD", "2001:db8:1234:1a00::5", "1:2:3:4:5:6:7:8",
    ]

    /// Strings that look like IP addresses but are not valid literals, plus a valid IPv6 with an
    /// embedded IPv4 tail.
    static let oddIPs: [String] = [
        "10.0.0.256", "010.0.0.1", "10.0.0", "10.0.0.1.2", " 10.0.0.1", "2001:db8::g", "1::2::3",
        "2001:db8:::1", "fe80::1%eth0", "12345::1", "::ffff:10.0.0.1",
    ]

    static let tails: [String] = ["", "x", "-1", "ß", "Z", ".png", "é"]
}

// MARK: - Pattern generation

extension PatternGenerator {
    /// The matcher operators the generator knows.
    enum Operator: CaseIterable {
        case exactString, exactNumber, literal, equals
        case prefix, prefixIgnoreCase, suffix, suffixIgnoreCase, equalsIgnoreCase, wildcard
        case anythingBut, numeric, existsTrue, existsFalse, cidr
    }

    /// Operators that suit each kind of field; any operator may still show up anywhere.
    static func operators(for kind: Kind) -> [Operator] {
        switch kind {
        case .text:
            return [.exactString, .exactString, .equals, .prefix, .prefixIgnoreCase, .suffix, .suffixIgnoreCase,
                    .equalsIgnoreCase, .equalsIgnoreCase, .wildcard, .wildcard, .anythingBut, .anythingBut,
                    .existsTrue, .existsFalse]
        case .number:
            return [.exactNumber, .exactNumber, .numeric, .numeric, .numeric, .anythingBut, .anythingBut,
                    .existsTrue, .existsFalse]
        case .ip:
            return [.cidr, .cidr, .cidr, .prefix, .wildcard, .anythingBut, .existsTrue, .existsFalse]
        case .literal:
            return [.literal, .literal, .literal, .anythingBut, .existsTrue, .existsFalse]
        case .mixed:
            return Operator.allCases
        }
    }

    /// One level of a pattern (the schema node at `path`): 1–3 fields, maybe a `$or` of 2–3
    /// branches. Inside arrays of objects it prefers several fields, so that array consistency
    /// gets exercised.
    static func patternObject(_ schema: [(key: String, child: Schema)], at path: [String], depth: Int, orDepth: Int,
                              using rng: inout SeededGenerator) -> JSONObject {
        var members: [(key: String, value: JSONValue)] = []
        var wanted = 1 + rng.below(depth == 0 ? 3 : 2)
        if objectArrayPaths.contains(path) && rng.chance(60) { wanted = 2 + rng.below(2) }
        for _ in 0..<wanted {
            let (key, child) = rng.pick(schema)
            var name = key
            var value: JSONValue
            switch child {
            case .leaf(let kind):
                value = matcherList(kind, using: &rng)
            case .object(let inner):
                if rng.chance(8) {
                    // A leaf test where events hold an object: only exists/anything-but style
                    // matchers can then tell anything apart, but any matcher is valid.
                    value = matcherList(.mixed, using: &rng)
                } else if rng.chance(20) {
                    // A dotted key reaching into the child: {"detail.state": [...]}.
                    let (innerKey, grandchild) = rng.pick(inner)
                    name = key + "." + innerKey
                    switch grandchild {
                    case .leaf(let kind): value = matcherList(kind, using: &rng)
                    case .object(let deeper):
                        value = .object(patternObject(deeper, at: path + [key, innerKey], depth: depth + 2,
                                                      orDepth: orDepth, using: &rng))
                    }
                } else {
                    value = .object(patternObject(inner, at: path + [key], depth: depth + 1, orDepth: orDepth, using: &rng))
                }
            }
            if members.contains(where: { $0.key == name }) { continue }
            members.append((name, value))
        }
        if orDepth < 2 && rng.chance(orDepth == 0 ? 25 : 15) {
            var branches: [JSONValue] = []
            for _ in 0..<(2 + rng.below(2)) {
                branches.append(.object(patternObject(schema, at: path, depth: depth + 1, orDepth: orDepth + 1, using: &rng)))
            }
            members.insert(("$or", .array(branches)), at: rng.below(members.count + 1))
        }
        return JSONObject(members)
    }

    /// A non-empty array of 1–3 matchers for a field of the given kind.
    static func matcherList(_ kind: Kind, using rng: inout SeededGenerator) -> JSONValue {
        let roll = rng.below(100)
        let count = roll < 55 ? 1 : (roll < 85 ? 2 : 3)
        var matchers: [JSONValue] = []
        for _ in 0..<count {
            let effective = rng.chance(20) ? rng.pick(Kind.allCases) : kind
            matchers.append(matcher(rng.pick(operators(for: effective)), kind: effective, using: &rng))
        }
        return .array(matchers)
    }

    /// Source text for string operators on a field of this kind.
    static func sourceText(_ kind: Kind, using rng: inout SeededGenerator) -> String {
        if kind == .ip || (kind == .mixed && rng.chance(20)) {
            return rng.pick(rng.chance(70) ? ipv4s : ipv6s)
        }
        return rng.pick(texts)
    }

    /// A non-empty piece of a string (a prefix or a suffix of it), for prefix/suffix operators.
    static func affix(of text: String, prefix: Bool, allowEmpty: Bool, using rng: inout SeededGenerator) -> String {
        let scalars = Array(text.unicodeScalars)
        let lowest = allowEmpty ? 0 : 1
        if scalars.count < lowest { return "x" }
        let length = lowest + rng.below(scalars.count - lowest + 1)
        let piece = prefix ? scalars.prefix(length) : scalars.suffix(length)
        var result = ""
        result.unicodeScalars.append(contentsOf: piece)
        return result.isEmpty && !allowEmpty ? "x" : result
    }

    /// A single matcher using `op`.
    static func matcher(_ op: Operator, kind: Kind, using rng: inout SeededGenerator) -> JSONValue {
        func object(_ key: String, _ value: JSONValue) -> JSONValue {
            .object(JSONObject([(key, value)]))
        }
        switch op {
        case .exactString:
            return .string(rng.pick(texts))  // never IP-looking (see the header note)
        case .exactNumber:
            return .number(rng.pick(numbers))
        case .literal:
            return rng.pick([JSONValue.null, .bool(true), .bool(false)])
        case .equals:
            return object("equals", .string(rng.pick(texts)))
        case .prefix, .suffix:
            let text = sourceText(kind, using: &rng)
            return object(op == .prefix ? "prefix" : "suffix",
                          .string(affix(of: text, prefix: op == .prefix, allowEmpty: true, using: &rng)))
        case .prefixIgnoreCase, .suffixIgnoreCase:
            let text = caseVariant(sourceText(kind, using: &rng), using: &rng)
            let piece = affix(of: text, prefix: op == .prefixIgnoreCase, allowEmpty: true, using: &rng)
            return object(op == .prefixIgnoreCase ? "prefix" : "suffix",
                          object("equals-ignore-case", .string(piece)))
        case .equalsIgnoreCase:
            return object("equals-ignore-case", .string(caseVariant(sourceText(kind, using: &rng), using: &rng)))
        case .wildcard:
            return object("wildcard", .string(wildcardText(sourceText(kind, using: &rng), using: &rng)))
        case .anythingBut:
            return object("anything-but", anythingButArgument(kind, using: &rng))
        case .numeric:
            return object("numeric", numericArgument(using: &rng))
        case .existsTrue:
            return object("exists", .bool(true))
        case .existsFalse:
            return object("exists", .bool(false))
        case .cidr:
            return object("cidr", .string(cidrText(using: &rng)))
        }
    }

    /// All valid `anything-but` argument forms.
    static func anythingButArgument(_ kind: Kind, using rng: inout SeededGenerator) -> JSONValue {
        func strings(_ make: (inout SeededGenerator) -> String) -> JSONValue {
            if rng.chance(50) { return .string(make(&rng)) }
            var list: [JSONValue] = []
            for _ in 0..<(1 + rng.below(3)) { list.append(.string(make(&rng))) }
            return .array(list)
        }
        func wrap(_ key: String, _ value: JSONValue) -> JSONValue { .object(JSONObject([(key, value)])) }
        let numeric = kind == .number || (kind == .mixed && rng.chance(30))
        switch rng.below(numeric ? 2 : 6) {
        case 0:  // a single value
            return numeric ? .number(rng.pick(numbers)) : .string(sourceText(kind, using: &rng))
        case 1:  // a list, all numbers or all strings
            var list: [JSONValue] = []
            for _ in 0..<(1 + rng.below(3)) {
                list.append(numeric ? .number(rng.pick(numbers)) : .string(sourceText(kind, using: &rng)))
            }
            return .array(list)
        case 2:
            return wrap("prefix", strings { affix(of: sourceText(kind, using: &$0), prefix: true, allowEmpty: false, using: &$0) })
        case 3:
            return wrap("suffix", strings { affix(of: sourceText(kind, using: &$0), prefix: false, allowEmpty: false, using: &$0) })
        case 4:
            return wrap("equals-ignore-case", strings {
                let text = caseVariant(sourceText(kind, using: &$0), using: &$0)
                return text.isEmpty ? "a" : text
            })
        default:
            return wrap("wildcard", strings { wildcardText(sourceText(kind, using: &$0), using: &$0) })
        }
    }

    /// `[op, v]` or `[">"|">=", low, "<"|"<=", high]` with low < high.
    static func numericArgument(using rng: inout SeededGenerator) -> JSONValue {
        if rng.chance(50) {
            let op = rng.pick(["=", "<", "<=", ">", ">="])
            return .array([.string(op), .number(rng.pick(numbers))])
        }
        var low = rng.pick(numbers)
        var high = rng.pick(numbers)
        if low.value == high.value {
            high = JSONNumber(low.value + 1)
        } else if low.value > high.value {
            swap(&low, &high)
        }
        return .array([.string(rng.pick([">", ">="])), .number(low), .string(rng.pick(["<", "<="])), .number(high)])
    }

    /// A CIDR block with host bits zero, from the IPv4 or IPv6 vocabulary.
    static func cidrText(using rng: inout SeededGenerator) -> String {
        if rng.chance(60) {
            let address = ReferenceMatcher.parseIPv4(rng.pick(ipv4s))!
            let bits = rng.pick([0, 8, 10, 12, 16, 23, 24, 24, 30, 31, rng.below(32)])
            return formatIPv4(masked(address, bits)) + "/" + String(bits)
        }
        let address = ReferenceMatcher.parseIPv6(rng.pick(ipv6s))!
        let bits = rng.pick([0, 10, 16, 32, 48, 64, 64, 120, 127, rng.below(128)])
        return formatIPv6(masked(address, bits), style: 0) + "/" + String(bits)
    }

    /// A wildcard value derived from `text`: some runs replaced by `*`, literal `*` and `\`
    /// escaped; never two `*` characters side by side, at most four `*` in all.
    static func wildcardText(_ text: String, using rng: inout SeededGenerator) -> String {
        for _ in 0..<8 {
            var out = ""
            var scalars = Array(text.unicodeScalars)[...]
            if rng.chance(30) { out += "*" }
            while let scalar = scalars.first {
                if rng.chance(20) {
                    // Replace a run of 0–2 scalars with a star.
                    out += "*"
                    scalars = scalars.dropFirst(rng.below(3))
                    continue
                }
                scalars = scalars.dropFirst()
                if scalar == "*" || scalar == "\\" { out += "\\" }
                out.unicodeScalars.append(scalar)
            }
            if rng.chance(30) { out += "*" }
            // Checked per scalar: `String.contains` works on Characters, and a `*` followed by a
            // combining mark is one Character, which would hide a "**".
            let written = Array(out.unicodeScalars)
            let stars = written.filter { $0 == "*" }.count
            let adjacent = zip(written, written.dropFirst()).contains { $0 == "*" && $1 == "*" }
            if stars <= 4 && !adjacent { return out }
        }
        return rng.pick(["*", "a*", "*b", "a*b", "\\*x*"])
    }

    /// Whether a generated pattern stays inside the limits and away from unsettled corners.
    static func isWellBehaved(_ pattern: JSONValue) -> Bool {
        guard jsonText(pattern).utf8.count <= 1_500 else { return false }
        guard case .object(let root) = pattern, let expanded = ReferenceMatcher.expand(root, prefix: nil),
            expanded.count <= 200
        else { return false }
        for conditions in expanded {
            for (index, condition) in conditions.enumerated()
            where conditions[(index + 1)...].contains(where: { $0.path == condition.path }) {
                return false
            }
        }
        return true
    }
}

// MARK: - Values and witnesses

extension PatternGenerator {
    /// A random leaf value, usually of the field's kind.
    static func randomLeaf(_ kind: Kind, using rng: inout SeededGenerator) -> JSONValue {
        let actual = rng.chance(15) ? .mixed : kind
        switch actual {
        case .text:
            let text = rng.pick(texts)
            return .string(rng.chance(20) ? text + rng.pick(tails) : text)
        case .number:
            return .number(rng.pick(numbers))
        case .ip:
            switch rng.below(10) {
            case 0...4: return .string(rng.pick(ipv4s))
            case 5...7: return .string(rng.pick(ipv6s))
            default: return .string(rng.pick(oddIPs))
            }
        case .literal:
            return rng.pick([JSONValue.null, .bool(true), .bool(false)])
        case .mixed:
            return randomLeaf(rng.pick([Kind.text, .number, .ip, .literal]), using: &rng)
        }
    }

    /// A leaf value that satisfies `matcher`, if one can be found quickly.
    ///
    /// Candidates are built from the matcher's own operands and then filtered with the reference
    /// matcher, so a returned value really satisfies the matcher.
    static func witness(for matcher: JSONValue, using rng: inout SeededGenerator) -> JSONValue? {
        var candidates: [JSONValue] = []
        switch matcher {
        case .string, .bool, .null:
            candidates = [matcher]
        case .number(let number):
            candidates = [.number(number)] + respellings(of: number).map { .number($0) }
        case .array:
            return nil
        case .object(let object):
            guard let (name, argument) = object.members.first else { return nil }
            candidates = operatorCandidates(name, argument, using: &rng)
        }
        for _ in 0..<4 { candidates.append(randomLeaf(.mixed, using: &rng)) }
        let good = candidates.filter { ReferenceMatcher.leafSatisfies($0, matcher: matcher) }
        return good.isEmpty ? nil : rng.pick(good)
    }

    /// Likely-satisfying values for an operator object `{name: argument}`.
    static func operatorCandidates(_ name: String, _ argument: JSONValue, using rng: inout SeededGenerator) -> [JSONValue] {
        var out: [JSONValue] = []
        switch (name, argument) {
        case ("equals", .string(let text)):
            out.append(.string(text))
        case ("prefix", .string(let text)), ("suffix", .string(let text)):
            for _ in 0..<3 {
                let tail = rng.pick(tails + texts)
                out.append(.string(name == "prefix" ? text + tail : tail + text))
            }
        case ("prefix", .object(let inner)), ("suffix", .object(let inner)):
            guard case .string(let text)? = inner["equals-ignore-case"] else { break }
            for _ in 0..<4 {
                let variant = caseVariant(text, using: &rng)
                let tail = rng.pick(tails)
                out.append(.string(name == "prefix" ? variant + tail : tail + variant))
            }
        case ("equals-ignore-case", .string(let text)):
            for _ in 0..<4 { out.append(.string(caseVariant(text, using: &rng))) }
        case ("wildcard", .string(let text)):
            for _ in 0..<4 { out.append(.string(fillWildcard(text, using: &rng))) }
        case ("anything-but", _):
            for _ in 0..<6 { out.append(randomLeaf(.mixed, using: &rng)) }
        case ("numeric", .array(let terms)):
            for term in terms {
                guard case .number(let bound) = term else { continue }
                let b = bound.value
                out.append(.number(bound))
                for value in [b + 1, b - 1, b + 0.5, b - 0.5, b * 2, -b, 0] { out.append(.number(JSONNumber(value))) }
            }
            if terms.count == 4, case .number(let low) = terms[1], case .number(let high) = terms[3] {
                out.append(.number(JSONNumber((low.value + high.value) / 2)))
            }
        case ("exists", _):
            for _ in 0..<3 { out.append(randomLeaf(.mixed, using: &rng)) }
        case ("cidr", .string(let text)):
            guard let block = ReferenceMatcher.parseCIDR(text) else { break }
            for _ in 0..<3 { out.append(.string(addressInside(block, using: &rng))) }
        default:
            break
        }
        return out
    }

    /// Other JSON spellings of the same number (300 → 300.0, 3e2).
    static func respellings(of number: JSONNumber) -> [JSONNumber] {
        let v = number.value
        guard v == v.rounded(), abs(v) < 1e15 else { return [JSONNumber(v)] }
        let integer = Int64(v)
        return [JSONNumber(text: "\(integer)", value: v), JSONNumber(text: "\(integer).0", value: v),
                JSONNumber(text: "\(integer)e0", value: v)]
    }

    /// The same text with scalars switched between their upper- and lowercase mappings at random.
    static func caseVariant(_ text: String, using rng: inout SeededGenerator) -> String {
        var out = ""
        let mode = rng.below(4)  // 0: as is, 1: all upper, 2: all lower, 3: mixed
        for scalar in text.unicodeScalars {
            let upper = mode == 1 || (mode == 3 && rng.chance(50))
            let lower = mode == 2 || (mode == 3 && !upper)
            if upper {
                out += scalar.properties.uppercaseMapping
            } else if lower {
                out += scalar.properties.lowercaseMapping
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A string matched by a wildcard: each `*` filled with a short random run, escapes undone.
    static func fillWildcard(_ wildcard: String, using rng: inout SeededGenerator) -> String {
        var out = ""
        var escaping = false
        for scalar in wildcard.unicodeScalars {
            if escaping {
                out.unicodeScalars.append(scalar)
                escaping = false
            } else if scalar == "\\" {
                escaping = true
            } else if scalar == "*" {
                out += rng.pick(["", "", "x", "ab", "-", "é", "*", "/lib/"])
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The address with every bit after the first `bits` cleared.
    static func masked(_ bytes: [UInt8], _ bits: Int) -> [UInt8] {
        var out = bytes
        for bit in bits..<(bytes.count * 8) {
            out[bit / 8] &= ~(UInt8(0x80) >> UInt8(bit % 8))
        }
        return out
    }

    /// A random address inside a block (sometimes its first or last address), in a random
    /// textual form.
    static func addressInside(_ block: ReferenceMatcher.CIDRBlock, using rng: inout SeededGenerator) -> String {
        var bytes = block.network.bytes
        let total = bytes.count * 8
        let mode = rng.below(4)  // 0: lowest, 1: highest, else random host bits
        for bit in block.bits..<total {
            let set = mode == 1 || (mode >= 2 && rng.chance(50))
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            if set { bytes[bit / 8] |= mask } else { bytes[bit / 8] &= ~mask }
        }
        return bytes.count == 4 ? formatIPv4(bytes) : formatIPv6(bytes, style: rng.below(4))
    }

    static func formatIPv4(_ bytes: [UInt8]) -> String {
        bytes.map { String($0) }.joined(separator: ".")
    }

    /// IPv6 text. Styles: 0 compressed lowercase (RFC 5952-like), 1 compressed uppercase,
    /// 2 eight groups without leading zeros, 3 eight four-digit groups.
    static func formatIPv6(_ bytes: [UInt8], style: Int) -> String {
        var groups: [UInt16] = []
        for i in stride(from: 0, to: 16, by: 2) { groups.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])) }
        func hex(_ group: UInt16) -> String {
            var text = String(group, radix: 16, uppercase: style == 1)
            if style == 3 { text = String(repeating: "0", count: 4 - text.count) + text }
            return text
        }
        if style >= 2 { return groups.map(hex).joined(separator: ":") }
        // Longest run of at least two zero groups (the first one on ties) becomes "::".
        var bestStart = -1, bestLength = 0, i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8 && groups[j] == 0 { j += 1 }
                if j - i > bestLength { bestStart = i; bestLength = j - i }
                i = j
            } else {
                i += 1
            }
        }
        if bestLength < 2 { return groups.map(hex).joined(separator: ":") }
        let head = groups[..<bestStart].map(hex).joined(separator: ":")
        let tail = groups[(bestStart + bestLength)...].map(hex).joined(separator: ":")
        return head + "::" + tail
    }

    static func isExistsFalse(_ matcher: JSONValue) -> Bool {
        if case .object(let object) = matcher, object.count == 1, case .bool(false)? = object["exists"] { return true }
        return false
    }
}

// MARK: - Event assembly

extension PatternGenerator {
    /// A value to place at a dotted path (given as components).
    struct Assignment {
        var components: [String]
        var value: JSONValue
    }

    static func components(of path: String) -> [String] {
        path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    static func joined(_ components: [String]) -> String {
        components.joined(separator: ".")
    }

    /// Random values for a random subset of the vocabulary's fields, with some odd shapes
    /// (an object or an empty array where a leaf usually is).
    static func randomAssignments(percent: Int, using rng: inout SeededGenerator) -> [Assignment] {
        var out: [Assignment] = []
        for field in fields where rng.chance(percent) {
            var value = randomLeaf(field.kind, using: &rng)
            switch rng.below(20) {
            case 0: value = .object(JSONObject([("k", value)]))
            case 1: value = .array([])
            case 2: value = .object(JSONObject())
            default: break
            }
            out.append(Assignment(components: field.path, value: value))
            if rng.chance(15) {  // a second value at the same path
                out.append(Assignment(components: field.path, value: randomLeaf(field.kind, using: &rng)))
            }
        }
        return out
    }

    /// Spoils (or, by chance, keeps) a would-be match.
    static func mutate(_ assignments: inout [Assignment], absentPaths: inout [String], splitArrays: inout Bool,
                       using rng: inout SeededGenerator) {
        // Two different paths below one object: spreading them over the elements of an array
        // of objects is the way to test array consistency, so favour it then.
        let sharesObject = assignments.contains { first in
            assignments.contains { second in
                first.components.count > 1 && second.components.count > 1
                    && first.components[0] == second.components[0] && first.components != second.components
            }
        }
        let choice = sharesObject && rng.chance(40) ? 0 : rng.below(10)
        if choice == 0 || choice == 9 || (assignments.isEmpty && absentPaths.isEmpty) {
            splitArrays = true  // spread fields over different elements of arrays of objects
            return
        }
        if (choice == 1 || assignments.isEmpty), !absentPaths.isEmpty {
            // Put a leaf where absence was required.
            let path = absentPaths.remove(at: rng.below(absentPaths.count))
            assignments.append(Assignment(components: components(of: path), value: randomLeaf(.mixed, using: &rng)))
            return
        }
        guard !assignments.isEmpty else { return }
        let index = rng.below(assignments.count)
        let value = assignments[index].value
        switch choice {
        case 2: assignments.remove(at: index)  // missing field
        case 3: assignments[index].value = .null
        case 4: assignments[index].value = .object(JSONObject([("k", value)]))  // object where a leaf was
        case 5: assignments[index].value = .array([])
        case 6: assignments[index].value = retyped(value)  // "300" <-> 300, "true" <-> true
        default: assignments[index].value = randomLeaf(.mixed, using: &rng)
        }
    }

    /// The same-looking value of another JSON type.
    static func retyped(_ value: JSONValue) -> JSONValue {
        switch value {
        case .number(let number): return .string(number.text)
        case .bool(let flag): return .string(flag ? "true" : "false")
        case .null: return .string("null")
        case .string(let text):
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
            if text == "null" { return .null }
            if isJSONNumberText(text), let number = Double(text) {
                return .number(JSONNumber(text: text, value: number))
            }
            return .string(text + "x")
        default: return .null
        }
    }

    /// Whether `text` is a number in JSON syntax: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    /// (`Double(_:)` alone also accepts ".5", "1.", "0x10", "inf" and so on.)
    static func isJSONNumberText(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
            return i - start
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else if digits() == 0 {
            return false
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            if digits() == 0 { return false }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            if digits() == 0 { return false }
        }
        return i == bytes.count
    }

    /// Builds the object holding `assignments` (paths relative to `prefix`), choosing a random
    /// event shape:
    /// * sometimes several leading components become one dotted key (`{"detail.state": …}`);
    /// * several values at one path, or one value by chance, become a scalar array, sometimes
    ///   with decoy elements;
    /// * a nested object sometimes becomes an array of objects (usually for `objectArrayPaths`),
    ///   all the fields in one element plus decoy elements, or, when `splitArrays` is set,
    ///   the fields spread over several elements.
    /// A key needed both as a leaf and as an object is resolved by writing the nested paths as
    /// fully dotted keys.
    static func buildObject(_ assignments: [Assignment], at prefix: [String], splitArrays: Bool,
                            using rng: inout SeededGenerator) -> JSONObject {
        // 1. Pick the key each assignment uses at this level.
        var items: [(key: String, rest: [String], value: JSONValue)] = []
        for assignment in assignments {
            let parts = assignment.components
            var take = 1
            if parts.count > 1 && rng.chance(12) { take = 2 + rng.below(parts.count - 1) }
            items.append((parts[..<take].joined(separator: "."), Array(parts[take...]), assignment.value))
        }
        // 2. Resolve keys that would be both a leaf and an object.
        while true {
            let leafKeys = items.filter { $0.rest.isEmpty }.map(\.key)
            guard let clash = items.firstIndex(where: { !$0.rest.isEmpty && leafKeys.contains($0.key) }) else { break }
            items[clash] = (([items[clash].key] + items[clash].rest).joined(separator: "."), [], items[clash].value)
        }
        // 3. Emit keys in first-seen order.
        var keys: [String] = []
        for item in items where !keys.contains(item.key) { keys.append(item.key) }
        var members: [(key: String, value: JSONValue)] = []
        for key in keys {
            let group = items.filter { $0.key == key }
            let path = prefix + components(of: key)
            if group[0].rest.isEmpty {
                members.append((key, leafValue(group.map(\.value), path: path, using: &rng)))
            } else {
                let inner = group.map { Assignment(components: $0.rest, value: $0.value) }
                members.append((key, nested(inner, path: path, splitArrays: splitArrays, using: &rng)))
            }
        }
        return JSONObject(members)
    }

    /// The value for a key holding leaves: the single value, or a scalar array.
    static func leafValue(_ values: [JSONValue], path: [String], using rng: inout SeededGenerator) -> JSONValue {
        let arrayish = scalarArrayPaths.contains(path)
        if values.count == 1 && !rng.chance(arrayish ? 70 : 12) { return values[0] }
        var elements = values
        if rng.chance(50) {
            for _ in 0..<(1 + rng.below(2)) { elements.append(randomLeaf(.mixed, using: &rng)) }
        }
        elements = rng.shuffled(elements)
        if rng.chance(8) { elements = [.array(elements)] }  // an array inside an array
        return .array(elements)
    }

    /// The value for a key holding nested paths: an object, or an array of objects.
    static func nested(_ inner: [Assignment], path: [String], splitArrays: Bool, using rng: inout SeededGenerator) -> JSONValue {
        let distinctPaths = inner.reduce(into: [String]()) { found, item in
            let text = joined(item.components)
            if !found.contains(text) { found.append(text) }
        }
        let objectArray = objectArrayPaths.contains(path)
        let wrapPercent = splitArrays && distinctPaths.count > 1 ? 70 : (objectArray ? 70 : 10)
        guard rng.chance(wrapPercent) else {
            return .object(buildObject(inner, at: path, splitArrays: splitArrays, using: &rng))
        }
        let elementCount = 1 + rng.below(3) + (splitArrays ? 1 : 0)
        var buckets = Array(repeating: [Assignment](), count: elementCount)
        if splitArrays && distinctPaths.count > 1 {
            // Different paths go to different elements (round robin from a random start).
            let start = rng.below(elementCount)
            for item in inner {
                let slot = (start + distinctPaths.firstIndex(of: joined(item.components))!) % elementCount
                buckets[slot].append(item)
            }
        } else {
            buckets[rng.below(elementCount)] = inner
        }
        var elements: [JSONValue] = []
        for bucket in buckets {
            if bucket.isEmpty {
                // A decoy element with random values at some of the same paths.
                var decoy: [Assignment] = []
                for item in inner where rng.chance(50) {
                    decoy.append(Assignment(components: item.components, value: randomLeaf(.mixed, using: &rng)))
                }
                elements.append(.object(buildObject(decoy, at: path, splitArrays: false, using: &rng)))
            } else {
                elements.append(.object(buildObject(bucket, at: path, splitArrays: splitArrays, using: &rng)))
            }
        }
        return .array(elements)
    }
}
