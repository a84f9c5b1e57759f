@testable import EventPatterns
import Foundation
import PatternTestSupport
import Testing

@Suite struct RuleIndexTests {
    @Test func addRemoveAndOrder() throws {
        let index = RuleIndex<String>()
        try index.add("b", pattern: #"{"source":["x"]}"#)
        try index.add("a", pattern: #"{"source":[{"prefix":"x"}]}"#)
        try index.add("c", pattern: #"{"detail":{"n":[{"numeric":[">",1]}]}}"#)
        #expect(try index.matches(#"{"source":"x","detail":{"n":2}}"#) == ["b", "a", "c"])
        #expect(index.remove("a"))
        #expect(!index.remove("a"))
        #expect(try index.matches(#"{"source":"x","detail":{"n":2}}"#) == ["b", "c"])
        #expect(index.count == 2)
        index.removeAll()
        #expect(try index.matches(#"{"source":"x"}"#) == [])
    }

    @Test func replaceSwapsAllPatternsOfARule() throws {
        let index = RuleIndex<String>()
        try index.add("r", pattern: #"{"a":["1"]}"#)
        try index.add("r", pattern: #"{"b":["2"]}"#)
        try index.replace("r", pattern: #"{"c":["3"]}"#)
        #expect(try index.matches(#"{"a":"1","b":"2"}"#) == [])
        #expect(try index.matches(#"{"c":"3"}"#) == ["r"])
    }

    @Test func severalPatternsUnderOneNameMeanOr() throws {
        let index = RuleIndex<String>()
        try index.add("r", pattern: #"{"a":["1"]}"#)
        try index.add("r", pattern: #"{"b":["2"]}"#)
        #expect(try index.matches(#"{"a":"1"}"#) == ["r"])
        #expect(try index.matches(#"{"b":"2"}"#) == ["r"])
        #expect(try index.matches(#"{"a":"1","b":"2"}"#) == ["r"])
        #expect(try index.matches(#"{"c":"3"}"#) == [])
        #expect(index.count == 1)
    }

    @Test func invalidPatternLeavesIndexUnchanged() throws {
        let index = RuleIndex<Int>()
        try index.add(1, pattern: #"{"a":["1"]}"#)
        #expect(throws: PatternError.self) { try index.add(2, pattern: #"{"a":"1"}"#) }
        #expect(throws: RuleIndexError<Int>.self) {
            try index.add(contentsOf: [(3, #"{"b":["1"]}"#), (4, #"{"b":[]}"#)])
        }
        #expect(index.ruleIDs == [1])
    }

    @Test func batchAddAndMatcherHandle() throws {
        let index = RuleIndex<Int>()
        try index.add(contentsOf: (0..<1000).map { ($0, #"{"id":["v\#($0)"]}"#) })
        let matcher = index.makeMatcher()
        var found: [Int] = []
        var event = Array(#"{"id":"v777"}"#.utf8)
        try event.withUnsafeBufferPointer { try matcher.matches($0, into: &found) }
        #expect(found == [777])
        // The matcher picks up changes.
        index.remove(777)
        try index.add(5000, pattern: #"{"id":["v777"]}"#)
        event = Array(#"{"id":"v777"}"#.utf8)
        try event.withUnsafeBufferPointer { try matcher.matches($0, into: &found) }
        #expect(found == [5000])
    }

    @Test func malformedEventsAreErrors() throws {
        let index = RuleIndex<Int>()
        try index.add(1, pattern: #"{"a":["1"]}"#)
        for event in ["", "[]", "\"a\"", "{", #"{"a":"1""#, #"{"a":"1"} x"#, #"{"a":01}"#, #"{"a" "1"}"#,
                      #"{"b":[1,2}"#, #"{"a":tru}"#, "{\"a\":\"\u{01}\"}", #"{"b":{"c":"\"}"#] {
            #expect(throws: JSONError.self, "\(event)") { try index.matches(event) }
        }
    }

    /// Exact values of every length from 0 to 20 bytes, and values that differ from them in one
    /// byte at each position (a hash entry holds a key's first eight bytes; the rest is in a pool).
    @Test func exactValuesOfEveryLength() throws {
        let index = RuleIndex<Int>()
        let values = (0...20).map { length in String((0..<length).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) }) }
        try index.add(contentsOf: values.enumerated().map { ($0.offset, #"{"v":[""# + $0.element + #""]}"#) })
        for (number, value) in values.enumerated() {
            #expect(try index.matches(#"{"v":""# + value + #""}"#) == [number])
            for position in 0..<value.utf8.count {
                var bytes = Array(value.utf8)
                bytes[position] = UInt8(ascii: "Z")
                let changed = String(decoding: bytes, as: UTF8.self)
                #expect(try index.matches(#"{"v":""# + changed + #""}"#) == [], "\(changed)")
            }
        }
    }

    /// Bytes one above a stop byte (`#` after `"`, `]` after `\`, `/` after `.`) right after the
    /// real one, at every alignment: the word scanners' cheap masks may flag such a byte too, and
    /// must still stop at the real one.
    @Test func stopBytesFollowedByTheirNeighbours() throws {
        let index = RuleIndex<Int>()
        try index.add(1, pattern: ##"{"k#":["v\\]\"#"],"a":{"b/":["x"]}}"##)
        for padding in 0..<9 {
            let pad = String(repeating: "p", count: padding)
            let event = ##"{"s":""## + pad + ##"\\]\"#","k#":"v\\]\"#","a.b/":"x","t":""## + pad + ##"\"#"}"##
            #expect(try index.matches(event) == [1], "\(event)")
            let miss = ##"{"s":""## + pad + ##"","k#":"v\\]\"#x","a.b/":"x"}"##
            #expect(try index.matches(miss) == [], "\(miss)")
        }
    }

    /// A dotted event key is the nested path it spells, wherever its dots fall relative to the
    /// 8-byte words the key scanner reads (the scanner notes dots while it looks for the quote).
    @Test func dottedKeysAtEveryAlignment() throws {
        for length in 3...19 {
            for dot in 1..<(length - 1) {
                let outer = String(repeating: "a", count: dot)
                let inner = String(repeating: "b", count: length - dot - 1)
                let index = RuleIndex<Int>()
                try index.add(1, pattern: #"{""# + outer + #"":{""# + inner + #"":["v"]}}"#)
                for padding in 0..<8 {
                    let pad = #""p":""# + String(repeating: "x", count: padding) + #"","#
                    let dotted = "{" + pad + #"""# + outer + "." + inner + #"":"v"}"#
                    #expect(try index.matches(dotted) == [1], "\(dotted)")
                    let other = "{" + pad + #"""# + outer + "_" + inner + #"":"v"}"#
                    #expect(try index.matches(other) == [], "\(other)")
                }
            }
        }
    }

    /// Skipped subtrees with escapes, quotes and brackets inside strings, at every alignment
    /// relative to the 8-byte words the skipper reads.
    @Test func skippingIsExactAtEveryAlignment() throws {
        let index = RuleIndex<Int>()
        try index.add(1, pattern: #"{"target":["yes"]}"#)
        let tricky = [#""x\\\"}]""#, #""\\\\""#, #"["[{", "}]", "\\\\\\\"", {"k": "\\u005d"}]"#, #"{"a":{"b":[1,2,{"c":"]]]"}]}}"#]
        for padding in 0..<17 {
            for skipped in tricky {
                let event = #"{"pad":""# + String(repeating: "p", count: padding) + #"","skip":"# + skipped + #","target":"yes"}"#
                #expect(try index.matches(event) == [1], "\(event)")
                let after = #"{"pad":""# + String(repeating: "p", count: padding) + #"","skip":["# + skipped + #"],"other":{"target":"yes"}}"#
                #expect(try index.matches(after) == [], "\(after)")
            }
        }
    }

    /// Random skipped containers: strings full of brackets, quotes and backslashes (escaped at
    /// every position), nesting near the depth limit; the skipper must end each at its exact close.
    @Test func skippingRandomContainersFindsTheirEnd() throws {
        let index = RuleIndex<Int>()
        try index.add(1, pattern: #"{"target":["yes"]}"#)
        var rng = SeededGenerator(seed: 77)
        // `|` shares the folded bracket range; "ۻۼ۽" (DB BB, DB BC, DB BD) has bytes that fold onto
        // `{`, `|`, `}` once their high bit is dropped: none of them may count as a bracket.
        let pieces = ["{", "}", "[", "]", "\\\"", "\\\\", "x", "\\u007b", " ", "\\/", "ab", "|", "ۻۼ۽"]
        func randomString() -> String {
            var text = "\""
            for _ in 0..<Int.random(in: 0..<12, using: &rng) { text += pieces.randomElement(using: &rng) ?? "" }
            return text + "\""
        }
        func randomValue(_ depth: Int) -> String {
            switch Int.random(in: 0..<(depth > 40 ? 3 : 5), using: &rng) {
            case 0: return randomString()
            case 1: return String(Int.random(in: -99...99, using: &rng))
            case 2: return ["true", "false", "null"].randomElement(using: &rng) ?? "null"
            case 3: return "[" + (0..<Int.random(in: 0..<4, using: &rng)).map { _ in randomValue(depth + 1) }.joined(separator: ",") + "]"
            default:
                return "{" + (0..<Int.random(in: 0..<4, using: &rng)).map { _ in randomString() + ":" + randomValue(depth + 1) }.joined(separator: ",") + "}"
            }
        }
        for round in 0..<3000 {
            var skipped = randomValue(0)
            if !(skipped.hasPrefix("{") || skipped.hasPrefix("[")) { skipped = "[" + skipped + "]" }
            if round % 10 == 0 { skipped = String(repeating: "[", count: 60) + skipped + String(repeating: "]", count: 60) }
            let padding = String(repeating: "p", count: round % 9)
            let event = #"{"pad":""# + padding + #"","skip":"# + skipped + #","target":"yes"}"#
            #expect(try index.matches(event) == [1], "\(event)")
            let inside = #"{"pad":""# + padding + #"","skip":["# + skipped + #",{"target":"no"}],"other":"yes"}"#
            #expect(try index.matches(inside) == [], "\(inside)")
        }
        // Past the depth limit: an error, not a wrong answer.
        let deep = #"{"skip":"# + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + #","target":"yes"}"#
        #expect(throws: JSONError.self) { try index.matches(deep) }
    }

    /// With `canonicalEvents`, reading stops once every key rules use has been seen; on events that
    /// keep the promise the answers are the same as a full read.
    @Test func canonicalEventsStopEarlyWithSameAnswers() throws {
        let strict = RuleIndex<Int>()
        let early = RuleIndex<Int>(configuration: .init(eventLimits: .init(canonicalEvents: true)))
        let rules = [
            (1, #"{"source":["a"],"detail":{"x":[{"numeric":[">",1]}]}}"#),
            (2, #"{"detail":{"y":[{"exists":false}]}}"#),
            (3, #"{"detail":{"list":{"k":["v"]},"x":[2]}}"#),
            (4, #"{"detail":{"x":[{"anything-but":[5]}]}}"#),
        ]
        try strict.add(contentsOf: rules)
        try early.add(contentsOf: rules)
        let events = [
            #"{"source":"a","detail":{"x":2,"z":[1,2,3]},"tail":{"big":[1,2,3]}}"#,
            #"{"detail":{"x":5,"y":null},"source":"a","tail":"#,          // truncated after the keys: early stops before the damage
            #"{"detail":{"list":[{"k":"v"},{"k":"w"}],"x":2,"more":{}},"source":"b"}"#,
            #"{"tail":[{"x":1}],"detail":{"y":1}}"#,
        ]
        #expect(try early.matches(events[0]) == strict.matches(events[0]))
        #expect(throws: JSONError.self) { try strict.matches(events[1]) }
        #expect(try early.matches(events[1]) == [1])
        #expect(try early.matches(events[2]) == strict.matches(events[2]))
        #expect(try early.matches(events[3]) == strict.matches(events[3]))
        // A repeated key breaks the promise: the full read lets the last one win.
        let duplicate = #"{"source":"a","detail":{"x":2},"detail":{"x":0}}"#
        #expect(try strict.matches(duplicate) == [2, 4])
        #expect(try early.matches(duplicate) == [1, 2, 4])
    }

    /// An exact-value map too large for the cache (40,000 values: 131,072 slots) is probed after
    /// the walk, from the event's own bytes; escaped values, values past the per-event limit of
    /// deferred probes, repeated keys (matched again through a tree), rules that also need
    /// another field and array consistency must all come out as with a small map.
    @Test func largeExactMapsProbedAfterTheWalk() throws {
        let count = 40_000
        let index = RuleIndex<Int>()
        var rules = (0..<count).map { ($0, #"{"a":{"k":["v\#($0)"]}}"#) }
        // Rules needing a second field beside a value of the large map (a.n: one element of `a`
        // must hold both when `a` is an array).
        rules.append((count, #"{"a":{"k":["v7"]},"s":["on"]}"#))
        rules.append((count + 1, #"{"a":{"k":["v8"],"n":[1]}}"#))
        try index.add(contentsOf: rules)
        let matcher = index.makeMatcher()
        func matches(_ event: String) throws -> [Int] { try matcher.matches(event) }
        // The path under test is taken: a.k's map defers, and only unescaped values are deferred.
        let fields = index.currentSnapshot().compiled.hot.fields
        #expect((0..<fields.count).filter { fields[$0].exact.defersProbes }.count == 1)
        func deferred(_ event: String) throws -> Int {
            let before = matcher._deferredProbeTotal
            _ = try matcher.matches(event)
            return matcher._deferredProbeTotal - before
        }
        #expect(try deferred(#"{"a":{"k":"v1"}}"#) == 1)
        #expect(try deferred(#"{"a":{"k":"\u00761"}}"#) == 0)
        #expect(try deferred(#"{"a":{"k":["# + (0..<40).map { #""v\#($0)""# }.joined(separator: ",") + "]}}") == 32)

        #expect(try matches(#"{"a":{"k":"v123"}}"#) == [123])
        #expect(try matches(#"{"a":{"k":"v40000"}}"#) == [])
        #expect(try matches(#"{"a":{"k":"\u0076123"}}"#) == [123])  // escaped: probed at once
        #expect(try matches(#"{"a":{"k":"v7"},"s":"on"}"#) == [7, count])
        #expect(try matches(#"{"s":"on","a":{"k":"v7"}}"#) == [7, count])
        #expect(try matches(#"{"a":{"k":"v7"},"s":"off"}"#) == [7])
        // The last of a repeated key wins (the event is matched again through a parsed tree).
        #expect(try matches(#"{"a":{"k":"v1","k":"v2"}}"#) == [2])
        // More values than are deferred per event: the rest are probed at once, all are found.
        let many = (0..<100).map { #""v\#($0 * 300)""# }.joined(separator: ",")
        #expect(try matches(#"{"a":{"k":["# + many + "]}}") == (0..<100).map { $0 * 300 })
        // Array consistency across deferred leaves: k and n must come from one element.
        #expect(try matches(#"{"a":[{"k":"v8","n":1}]}"#) == [8, count + 1])
        #expect(try matches(#"{"a":[{"k":"v8","n":2},{"k":"v9","n":1}]}"#) == [8, 9])
        #expect(try matches(#"{"a":[{"k":"v9","n":1},{"k":"v8","n":1}]}"#) == [8, 9, count + 1])
        // A broken event after a deferred value is an error; the next event is matched on its own.
        #expect(throws: JSONError.self) { try matches(#"{"a":{"k":"v5"},"x":}"#) }
        #expect(try matches(#"{"a":{"k":"v6"}}"#) == [6])
    }

    @Test func eventLimits() throws {
        let index = RuleIndex<Int>(configuration: .init(eventLimits: .init(maxBytes: 100, maxDepth: 8)))
        try index.add(1, pattern: #"{"a":{"b":["1"]}}"#)
        #expect(throws: JSONError.self) { try index.matches("{\"x\":\"" + String(repeating: "y", count: 200) + "\"}") }
        let deep = #"{"x":"# + String(repeating: "[", count: 20) + String(repeating: "]", count: 20) + "}"
        #expect(throws: JSONError.self) { try index.matches(deep) }
        let deepA = #"{"a":"# + String(repeating: "[", count: 20) + String(repeating: "]", count: 20) + "}"
        #expect(throws: JSONError.self) { try index.matches(deepA) }
        #expect(try index.matches(#"{"a":{"b":"1"}}"#) == [1])
    }

    /// Readers keep matching, lock-free, while a writer changes rules; every answer must come from
    /// one complete published rule set, never a half-applied change.
    @Test func concurrentReadersSeeConsistentRuleSets() async throws {
        let index = RuleIndex<Int>()
        // Rule set n: rules 2n and 2n+1 both match the event; a reader must never see exactly one.
        try index.add(0, pattern: #"{"k":["v"]}"#)
        try index.add(1, pattern: #"{"k":[{"prefix":"v"}]}"#)
        let event = Array(#"{"k":"v"}"#.utf8)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    let matcher = index.makeMatcher()
                    var found: [Int] = []
                    var checked = 0
                    for _ in 0..<20_000 {
                        try event.withUnsafeBufferPointer { try matcher.matches($0, into: &found) }
                        // Every rule set the writer publishes is exactly one pair (2n, 2n+1).
                        if found.count != 2 || found[0] / 2 != found[1] / 2 { throw CancellationError() }
                        let shared = try event.withUnsafeBufferPointer { try index.matches($0) }
                        if shared.count != 2 || shared[0] / 2 != shared[1] / 2 { throw CancellationError() }
                        checked += 1
                    }
                    return checked
                }
            }
            group.addTask {
                for generation in 1..<200 {
                    try index.update(removing: [2 * generation - 2, 2 * generation - 1],
                                     adding: [(2 * generation, #"{"k":["v"]}"#), (2 * generation + 1, #"{"k":[{"prefix":"v"}]}"#)])
                }
                return 0
            }
            var total = 0
            for try await checked in group { total += checked }
            #expect(total == 40_000)
        }
    }
}

@Suite struct HostileInputTests {
    @Test func deepNestingIsAnErrorNotACrash() throws {
        let index = RuleIndex<Int>()
        try index.add(1, pattern: #"{"a":["x"]}"#)
        for opener in ["[", "{\"a\":"] {
            let deep = "{\"a\":" + String(repeating: opener, count: 100_000)
            #expect(throws: JSONError.self) { try index.matches(deep) }
        }
        #expect(EventPattern.validate(String(repeating: "[", count: 100_000)) != nil)
        #expect(throws: JSONError.self) { try JSONReader.parse(String(repeating: "[", count: 1_000_000)) }
    }

    @Test func bigStringsAndNumbers() throws {
        let megabyte = String(repeating: "x", count: 1 << 20)
        let event = #"{"a":""# + megabyte + #"","n":1e400}"#
        // Over the default 1 MiB event limit: an error.
        let small = RuleIndex<Int>()
        try small.add(1, pattern: #"{"a":["x"]}"#)
        #expect(throws: JSONError.self) { try small.matches(event) }
        let big = RuleIndex<Int>(configuration: .init(eventLimits: .init(maxBytes: 4 << 20)))
        try big.add(1, pattern: #"{"a":[{"wildcard":"*x*y*z"}], "n":[{"numeric":[">",1e308]}]}"#)
        try big.add(2, pattern: #"{"a":[{"prefix":"xx"}]}"#)
        #expect(try big.matches(event) == [2])
        #expect(try big.matches(#"{"a":"xyz","n":1e400}"#) == [1])
    }

    @Test func invalidUTF8InEvents() throws {
        let index = RuleIndex<Int>()
        try index.add(1, pattern: #"{"a":["x"]}"#)
        for bytes: [UInt8] in [Array(#"{"a":""#.utf8) + [0xFF] + Array(#""}"#.utf8),
                               Array(#"{"a":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8),
                               Array(#"{"a":"\ud800"}"#.utf8)] {
            #expect(throws: JSONError.self) { try bytes.withUnsafeBufferPointer { try index.matches($0) } }
        }
    }

    @Test func pathologicalWildcardsAreBounded() throws {
        // Five stars over a long input of near-misses: linear scans, no backtracking blow-up.
        let pattern = try EventPattern(json: #"{"a":[{"wildcard":"*a*a*a*a*b"}]}"#)
        let value = String(repeating: "a", count: 200_000)
        #expect(try pattern.matches(#"{"a":""# + value + #""}"#) == false)
        #expect(try pattern.matches(#"{"a":""# + value + #"b"}"#) == true)
    }

    @Test func arrayConsistencyOnLargeArraysIsBounded() throws {
        // 2,000 elements, each satisfying one clause; only the last element satisfies both.
        let pattern = try EventPattern(json: #"{"e":{"f":["A"],"l":["B"]}}"#)
        var elements = (0..<1999).map { $0 % 2 == 0 ? #"{"f":"A","l":"x"}"# : #"{"f":"x","l":"B"}"# }
        var event = #"{"e":["# + elements.joined(separator: ",") + "]}"
        #expect(try pattern.matches(event, limits: .init(maxBytes: 1 << 22)) == false)
        elements.append(#"{"f":"A","l":"B"}"#)
        event = #"{"e":["# + elements.joined(separator: ",") + "]}"
        #expect(try pattern.matches(event, limits: .init(maxBytes: 1 << 22)) == true)
    }

    /// Found in review: a consistent choice that comes first must not be lost to the search budget,
    /// and many satisfying elements must not make the check quadratic.
    @Test func arrayConsistencyFindsEarlyChoicesAndStaysLinear() throws {
        let pattern = try EventPattern(json: #"{"r":{"a":["1"],"b":["1"]}}"#)
        var elements = [#"{"a":"1","b":"1"}"#]
        for _ in 0..<1010 { elements.append(#"{"a":"1"}"#); elements.append(#"{"b":"1"}"#) }
        #expect(try pattern.matches(#"{"r":["# + elements.joined(separator: ",") + "]}", limits: .init(maxBytes: 1 << 22)))
        // Leaves outside arrays are free; a big scalar array for one clause stays cheap.
        let big = try EventPattern(json: #"{"b":[1],"c":[1]}"#)
        let ones = Array(repeating: "1", count: 200_000).joined(separator: ",")
        #expect(try big.matches(#"{"c":1,"b":["# + ones + "]}", limits: .init(maxBytes: 1 << 22)))
        // Sibling arrays inside one element combine (the search path).
        let siblings = try EventPattern(json: #"{"e":{"x":{"k":["1"]},"y":{"k":["2"]}}}"#)
        #expect(try siblings.matches(#"{"e":[{"x":[{"k":"1"}],"y":[{"k":"2"}]}]}"#))
        #expect(try !siblings.matches(#"{"e":[{"x":[{"k":"1"}]},{"y":[{"k":"2"}]}]}"#))
    }

    /// Found in an audit: decoy elements with many sibling-array leaves used to exhaust the
    /// pairwise search, which then answered "no match" although arr[0] alone satisfies every field.
    @Test func arrayConsistencyWithDecoysIsDecidedNotGuessed() throws {
        let pattern = try EventPattern(json: #"{"arr":{"x":{"p":[1]},"y":{"q":[1]},"w":{"r":[1]},"z":{"s":[1]}}}"#)
        func repeated(_ text: String, _ count: Int) -> String { Array(repeating: text, count: count).joined(separator: ",") }
        let decoy = #"{"x":["# + repeated(#"{"p":1}"#, 12) + #"],"y":["# + repeated(#"{"q":1}"#, 12) + #"],"w":["# + repeated(#"{"r":1}"#, 12) + "]}"
        let manyZ = #"{"z":["# + repeated(#"{"s":1}"#, 200) + "]}"
        let whole = #"{"x":[{"p":1}],"y":[{"q":1}],"w":[{"r":1}],"z":[{"s":1}]}"#
        #expect(try pattern.matches(#"{"arr":["# + [whole, manyZ, decoy, decoy, decoy].joined(separator: ",") + "]}"))
        // Without the complete element no element has all four: every z lies apart from every x.
        #expect(try !pattern.matches(#"{"arr":["# + [#"{"z":[{"s":1}]}"#, manyZ, decoy, decoy, decoy].joined(separator: ",") + "]}"))
        // x, y, w in one element and z in a nested array of that same element: consistent.
        let nested = #"{"x":[{"p":1}],"y":[{"q":1}],"w":[{"r":1}],"z":[{"s":1}]}"#
        #expect(try pattern.matches(#"{"arr":["# + [decoy, manyZ, nested].joined(separator: ",") + "]}"))
    }

    /// Arrays of arrays 900 levels deep (deeper than the element pass recurses): still decided,
    /// on a thread with a small stack, without overflowing it.
    @Test func arrayConsistencyUnderDeepArraysOfArrays() async throws {
        let pattern = try EventPattern(json: #"{"a":{"x":[1],"y":[1]}}"#)
        let depth = 900
        let deep = String(repeating: "[", count: depth) + #"{"x":1},{"y":1}"# + String(repeating: "]", count: depth)
        let apart = String(repeating: "[", count: depth) + #"{"x":1}],[{"y":1}"# + String(repeating: "]", count: depth)
        let limits = EventLimits(maxDepth: 1_000)
        let answers = try await Task.detached {
            (try pattern.matches(#"{"a":"# + deep + "}", limits: limits), try pattern.matches(#"{"a":"# + apart + "}", limits: limits))
        }.value
        #expect(answers.0 == false)   // two elements of the innermost array
        #expect(answers.1 == false)
        let together = String(repeating: "[", count: depth) + #"{"x":1,"y":1}"# + String(repeating: "]", count: depth)
        #expect(try pattern.matches(#"{"a":"# + together + "}", limits: limits))
        // Sibling arrays inside one deep element (not decidable by an anchor), on both sides of
        // the recursion limit.
        let siblings = try EventPattern(json: #"{"a":{"x":{"k":[1]},"y":{"k":[1]}}}"#)
        for levels in [100, 900] {
            let inside = String(repeating: "[", count: levels) + #"{"x":[{"k":1}],"y":[{"k":1}]}"# + String(repeating: "]", count: levels)
            let split = String(repeating: "[", count: levels) + #"{"x":[{"k":1}]},{"y":[{"k":1}]}"# + String(repeating: "]", count: levels)
            let verdicts = try await Task.detached {
                (try siblings.matches(#"{"a":"# + inside + "}", limits: limits), try siblings.matches(#"{"a":"# + split + "}", limits: limits))
            }.value
            #expect(verdicts.0, "\(levels)")
            #expect(!verdicts.1, "\(levels)")
        }
    }

    /// Sixty-four clauses in eight sibling arrays, each element satisfying one of them: the sets of
    /// clauses that can be combined grow as 8^k, and past the limit the event is an error naming
    /// the reason, never a silent "no match".
    @Test func arrayConsistencyBeyondItsLimitIsAnError() throws {
        var fields: [String] = []
        var arrays: [String] = []
        for array in 0..<8 {
            fields.append(#""a\#(array)":{"# + (0..<8).map { #""v\#($0)":[1]"# }.joined(separator: ",") + "}")
            arrays.append(#""a\#(array)":["# + (0..<8).map { #"{"v\#($0)":1}"# }.joined(separator: ",") + "]")
        }
        let pattern = try EventPattern(json: #"{"r":{"# + fields.joined(separator: ",") + "}}")
        let event = #"{"r":[{"# + arrays.joined(separator: ",") + "}]}"
        do {
            _ = try pattern.matches(event)
            Issue.record("expected the consistency limit to be reported")
        } catch {
            #expect(error.description.contains("too intricate to check array consistency"))
        }
        // The same fields, each array with one element holding all eight: decided at once.
        let easy = #"{"r":[{"# + (0..<8).map { array in #""a\#(array)":[{"# + (0..<8).map { #""v\#($0)":1"# }.joined(separator: ",") + "}]" }.joined(separator: ",") + "}]}"
        #expect(try pattern.matches(easy))
    }

    @Test func hostileConfigurationsDoNotTrap() throws {
        // Limits set to "unlimited" still end in errors, not stack overflows or arithmetic traps.
        var nested = #"{"a":["x"]}"#
        for depth in 0..<64 { nested = #"{"$or":["# + nested + "," + #"{"b\#(depth)":["y"]}"# + "]}" }
        let limits = PatternLimits(maxPatternLength: .max, maxDepth: .max, maxOrCombinations: .max, maxWildcardStars: .max)
        _ = EventPattern.validate(nested, limits: limits)
        let deep = String(repeating: "[", count: 200_000)
        #expect(throws: JSONError.self) { try JSONReader.parse(deep, limits: .init(maxDepth: .max, maxBytes: .max)) }
        let index = RuleIndex<Int>(configuration: .init(patternLimits: limits, eventLimits: .init(maxBytes: .max, maxDepth: .max)))
        try index.add(1, pattern: #"{"a":{"b":["x"]}}"#)
        #expect(throws: JSONError.self) { try index.matches(#"{"a":"# + String(repeating: "[", count: 200_000)) }
    }

    @Test func randomBytesNeverCrash() throws {
        var generator = SeededGenerator(seed: 42)
        let index = RuleIndex<Int>()
        try index.add(1, pattern: #"{"a":["x"],"b":{"c":[{"numeric":[">",1]}]}}"#)
        let alphabet = Array(#"{}[]":,.-+eE0123456789 abc\truefalsn"#.utf8) + [0xFF, 0xC3, 0xA9, 0x00]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0..<40, using: &generator)
            let bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            _ = try? bytes.withUnsafeBufferPointer { try index.matches($0) }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = EventPattern.validate(text)
            _ = try? JSONReader.parse(bytes)
        }
    }
}
