import EventPatterns
import PatternTestSupport
import Testing

/// One pattern, one event, one expected answer.
struct MatchCase: CustomTestStringConvertible, Sendable {
    var pattern: String
    var event: String
    var expected: Bool
    var testDescription: String { "\(pattern) vs \(event)" }

    init(_ pattern: String, _ event: String, _ expected: Bool) {
        self.pattern = pattern
        self.event = event
        self.expected = expected
    }
}

func check(_ testCase: MatchCase, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let pattern = try EventPattern(json: testCase.pattern)
    #expect(try pattern.matches(testCase.event) == testCase.expected, sourceLocation: sourceLocation)
    // The same answer through a RuleIndex holding this and an unrelated rule.
    let index = RuleIndex<Int>()
    try index.add(1, pattern: testCase.pattern)
    try index.add(2, pattern: #"{"unrelated": ["x"]}"#)
    #expect(try index.matches(testCase.event) == (testCase.expected ? [1] : []), sourceLocation: sourceLocation)
}

@Suite struct ExactValueTests {
    static let cases: [MatchCase] = [
        MatchCase(#"{"source":["aws.ec2","aws.fargate"]}"#, #"{"source":"aws.fargate"}"#, true),
        MatchCase(#"{"source":["aws.ec2"]}"#, #"{"source":"aws.ec2 "}"#, false),
        MatchCase(#"{"MY_KEY":["v"]}"#, #"{"my_key":"v"}"#, false),
        MatchCase(#"{"k":[""]}"#, #"{"k":""}"#, true),
        MatchCase(#"{"k":[""]}"#, #"{"k":null}"#, false),
        MatchCase(#"{"k":[null]}"#, #"{"k":null}"#, true),
        MatchCase(#"{"k":[null]}"#, #"{"k":"null"}"#, false),
        MatchCase(#"{"k":[null]}"#, #"{}"#, false),
        MatchCase(#"{"k":[null]}"#, #"{"k":[]}"#, false),
        MatchCase(#"{"k":[false]}"#, #"{"k":true}"#, false),
        MatchCase(#"{"k":[false]}"#, #"{"k":"false"}"#, false),
        MatchCase(#"{"k":[true]}"#, #"{"k":1}"#, false),
        MatchCase(#"{"n":[300]}"#, #"{"n":300.0}"#, true),
        MatchCase(#"{"n":[300]}"#, #"{"n":3e2}"#, true),
        MatchCase(#"{"n":[300]}"#, #"{"n":"300"}"#, false),
        MatchCase(#"{"n":["300"]}"#, #"{"n":300}"#, false),
        MatchCase(#"{"n":[0]}"#, #"{"n":-0.0}"#, true),
        MatchCase(#"{"n":[-122.45123456789012]}"#, #"{"n":-122.45123456789012}"#, true),
        MatchCase(#"{"n":[-122.4512345678901]}"#, #"{"n":-122.4512345678902}"#, false),
        MatchCase(#"{"k":[{"equals":"x"}]}"#, #"{"k":"x"}"#, true),
        MatchCase(#"{"account":["*"]}"#, #"{"account":"123"}"#, false),
        MatchCase(#"{"resources":["a","b"]}"#, #"{"resources":["c","b"]}"#, true),
        MatchCase(#"{"resources":["a","b"]}"#, #"{"resources":["c"]}"#, false),
        MatchCase(#"{"k":["é"]}"#, #"{"k":"\u00e9"}"#, true),
        MatchCase(#"{"k":["😀"]}"#, #"{"k":"\ud83d\ude00"}"#, true),
        MatchCase(#"{"detail":{"my-key":["v"]}}"#, #"{"detail":"{\"my-key\":\"v\"}"}"#, false),
    ]

    @Test(arguments: cases) func exact(_ testCase: MatchCase) throws { try check(testCase) }
}

@Suite struct PathTests {
    static let cases: [MatchCase] = [
        MatchCase(#"{"detail":{"state.status":["running"]}}"#, #"{"detail":{"state":{"status":"running"}}}"#, true),
        MatchCase(#"{"detail":{"state":{"status":["running"]}}}"#, #"{"detail":{"state.status":"running"}}"#, true),
        MatchCase(#"{"detail":{"state":{"status":["running"]}}}"#, #"{"detail":{"state.status":{"status":"running"}}}"#, false),
        MatchCase(#"{"a":{"b":["x"]}}"#, #"{"a":[{"b":"y"},{"b":"x"}]}"#, true),
        MatchCase(#"{"a":{"b":["x"]}}"#, #"{"a":[[{"b":"x"}]]}"#, true),
        MatchCase(#"{"a":["x"]}"#, #"{"a":{"b":"x"}}"#, false),
        MatchCase(#"{"employees":{"first":["Anna"],"last":["Smith"]}}"#,
                  #"{"employees":[{"first":"John","last":"Doe"},{"first":"Anna","last":"Smith"}]}"#, true),
        MatchCase(#"{"employees":{"first":["Anna"],"last":["Doe"]}}"#,
                  #"{"employees":[{"first":"John","last":"Doe"},{"first":"Anna","last":"Smith"}]}"#, false),
        // Consistency applies per array: fields outside the array combine freely.
        MatchCase(#"{"team":["x"],"employees":{"first":["Anna"]}}"#,
                  #"{"team":"x","employees":[{"first":"John"},{"first":"Anna"}]}"#, true),
        // Nested arrays: the same outer element, different inner elements is fine across fields of
        // different inner arrays.
        MatchCase(#"{"a":{"b":{"c":["1"]},"d":["2"]}}"#, #"{"a":[{"b":[{"c":"1"}],"d":"2"},{"d":"3"}]}"#, true),
        MatchCase(#"{"a":{"b":{"c":["1"]},"d":["3"]}}"#, #"{"a":[{"b":[{"c":"1"}],"d":"2"},{"d":"3"}]}"#, false),
        // Duplicate keys in the event: the last one wins.
        MatchCase(#"{"k":["a"]}"#, #"{"k":"a","k":"b"}"#, false),
        MatchCase(#"{"k":["b"]}"#, #"{"k":"a","k":"b"}"#, true),
        MatchCase(#"{"o":{"k":["a"]}}"#, #"{"o":{"k":"a"},"o":{"j":"a"}}"#, false),
        // Duplicate keys in the pattern: the last one wins.
        MatchCase(#"{"location":[{"prefix":"us-"}],"location":[{"anything-but":"us-east"}]}"#, #"{"location":"eu-central-1"}"#, true),
    ]

    @Test(arguments: cases) func paths(_ testCase: MatchCase) throws { try check(testCase) }
}

@Suite struct StringOperatorTests {
    static let cases: [MatchCase] = [
        MatchCase(#"{"t":[{"prefix":"2022-07-13"}]}"#, #"{"t":"2022-07-13T13:48:01Z"}"#, true),
        MatchCase(#"{"t":[{"prefix":""}]}"#, #"{"t":""}"#, true),
        MatchCase(#"{"t":[{"prefix":""}]}"#, #"{"t":5}"#, false),
        MatchCase(#"{"t":[{"prefix":"ab"}]}"#, #"{"t":"a"}"#, false),
        MatchCase(#"{"t":[{"prefix":{"equals-ignore-case":"EventB"}}]}"#, #"{"t":"EvEnTbridge"}"#, true),
        MatchCase(#"{"f":[{"suffix":".PNG"}]}"#, #"{"f":"image.png"}"#, false),
        MatchCase(#"{"f":[{"suffix":".png"}]}"#, #"{"f":"image.png"}"#, true),
        MatchCase(#"{"f":[{"suffix":{"equals-ignore-case":".png"}}]}"#, #"{"f":"image.PNG"}"#, true),
        MatchCase(#"{"f":[{"suffix":{"equals-ignore-case":".png"}}]}"#, #"{"f":"image.jpg"}"#, false),
        MatchCase(#"{"d":[{"equals-ignore-case":"ec2 instance state-change notification"}]}"#,
                  #"{"d":"EC2 Instance State-change Notification"}"#, true),
        MatchCase(#"{"d":[{"equals-ignore-case":""}]}"#, #"{"d":"x"}"#, false),
        MatchCase(#"{"d":[{"equals-ignore-case":"ÉTÉ"}]}"#, #"{"d":"été"}"#, true),
        MatchCase(#"{"d":[{"equals-ignore-case":"a"}]}"#, #"{"d":["b","A"]}"#, true),
        MatchCase(#"{"f":[{"wildcard":"/Users/*/doc.txt"}]}"#, #"{"f":"/Users/u/dir/dir/doc.txt"}"#, true),
        MatchCase(#"{"f":[{"wildcard":"/Users/*/doc.txt"}]}"#, #"{"f":"/Users/u/dir/notmatchingdoc.txt"}"#, false),
        MatchCase(#"{"f":[{"wildcard":""}]}"#, #"{"f":"x"}"#, false),
        MatchCase(#"{"f":[{"wildcard":""}]}"#, #"{"f":""}"#, true),
        MatchCase(#"{"f":[{"wildcard":"a\\*b"}]}"#, #"{"f":"a*b"}"#, true),
        MatchCase(#"{"f":[{"wildcard":"a\\*b"}]}"#, #"{"f":"axb"}"#, false),
        MatchCase(#"{"f":[{"wildcard":"a\\\\b"}]}"#, #"{"f":"a\\b"}"#, true),
        MatchCase(#"{"f":[{"wildcard":"*.png"}]}"#, #"{"f":".png"}"#, true),
        MatchCase(#"{"f":[{"wildcard":"a*b*a"}]}"#, #"{"f":"aba"}"#, true),
        MatchCase(#"{"f":[{"wildcard":"a*b*a"}]}"#, #"{"f":"ab"}"#, false),
        MatchCase(#"{"f":[{"wildcard":"*"}]}"#, #"{"f":5}"#, false),
        MatchCase(#"{"f":[{"wildcard":"*ß*"}]}"#, #"{"f":"Straße"}"#, true),
        MatchCase(#"{"k":[{"exists":true},{"prefix":"IGNORED"}]}"#, #"{"k":"my-value"}"#, true),
    ]

    @Test(arguments: cases) func strings(_ testCase: MatchCase) throws { try check(testCase) }
}

@Suite struct AnythingButTests {
    static let cases: [MatchCase] = [
        MatchCase(#"{"s":[{"anything-but":"init"}]}"#, #"{"s":null}"#, true),
        MatchCase(#"{"s":[{"anything-but":"init"}]}"#, #"{}"#, false),
        MatchCase(#"{"s":[{"anything-but":"init"}]}"#, #"{"s":"init"}"#, false),
        MatchCase(#"{"s":[{"anything-but":"init"}]}"#, #"{"s":{"a":"b"}}"#, false),
        MatchCase(#"{"s":[{"anything-but":"101"}]}"#, #"{"s":101}"#, true),
        MatchCase(#"{"x":[{"anything-but":[100,200,300]}]}"#, #"{"x":300}"#, false),
        MatchCase(#"{"x":[{"anything-but":[100,200,300]}]}"#, #"{"x":300.0}"#, false),
        MatchCase(#"{"x":[{"anything-but":[100,500]}]}"#, #"{"x":[100,50]}"#, true),
        MatchCase(#"{"x":[{"anything-but":[100,500]}]}"#, #"{"x":[100]}"#, false),
        MatchCase(#"{"x":[{"anything-but":[100,500]}]}"#, #"{"x":"100"}"#, true),
        MatchCase(#"{"x":[{"anything-but":[100,500]}]}"#, #"{"x":true}"#, true),
        MatchCase(#"{"s":[{"anything-but":{"prefix":["init","post"]}}]}"#, #"{"s":"post-init"}"#, false),
        MatchCase(#"{"s":[{"anything-but":{"prefix":"init"}}]}"#, #"{"s":12}"#, true),
        MatchCase(#"{"f":[{"anything-but":{"suffix":[".txt",".jpg"]}}]}"#, #"{"f":"file.txt.bak"}"#, true),
        MatchCase(#"{"f":[{"anything-but":{"suffix":[".txt",".jpg"]}}]}"#, #"{"f":"file.jpg"}"#, false),
        MatchCase(#"{"s":[{"anything-but":{"equals-ignore-case":["initializing","stopped"]}}]}"#, #"{"s":"Stopped"}"#, false),
        MatchCase(#"{"s":[{"anything-but":{"equals-ignore-case":["initializing","stopped"]}}]}"#, #"{"s":"Running"}"#, true),
        MatchCase(#"{"p":[{"anything-but":{"wildcard":"*/init/*"}}]}"#, #"{"p":"dir/init/file"}"#, false),
        MatchCase(#"{"p":[{"anything-but":{"wildcard":"*/init/*"}}]}"#, #"{"p":"dir/other/file"}"#, true),
        MatchCase(#"{"p":[{"anything-but":{"wildcard":""}}]}"#, #"{"p":"x"}"#, true),
        MatchCase(#"{"p":[{"anything-but":{"wildcard":""}}]}"#, #"{"p":""}"#, false),
        MatchCase(#"{"h":{"S":[{"anything-but":["roses"]},{"exists":false}]}}"#, #"{"h":{"N":"789"}}"#, true),
        MatchCase(#"{"N":[{"numeric":[">",100]},{"anything-but":"101"}]}"#, #"{"N":"42"}"#, true),
        MatchCase(#"{"N":[{"numeric":[">",100]},{"anything-but":"101"}]}"#, #"{"N":"101"}"#, false),
        MatchCase(#"{"k":[{"anything-but":"a"},{"anything-but":"b"}]}"#, #"{"k":"a"}"#, true),
    ]

    @Test(arguments: cases) func anythingBut(_ testCase: MatchCase) throws { try check(testCase) }
}

@Suite struct NumericExistsCIDRTests {
    static let cases: [MatchCase] = [
        MatchCase(#"{"n":[{"numeric":[">",100]}]}"#, #"{"n":101.0}"#, true),
        MatchCase(#"{"n":[{"numeric":[">",100]}]}"#, #"{"n":100}"#, false),
        MatchCase(#"{"n":[{"numeric":[">=",100]}]}"#, #"{"n":100}"#, true),
        MatchCase(#"{"n":[{"numeric":[">",100]}]}"#, #"{"n":"300"}"#, false),
        MatchCase(#"{"n":[{"numeric":[">",100]}]}"#, #"{}"#, false),
        MatchCase(#"{"n":[{"numeric":[">",0,"<=",5]}]}"#, #"{"n":5}"#, true),
        MatchCase(#"{"n":[{"numeric":[">",0,"<=",5]}]}"#, #"{"n":0}"#, false),
        MatchCase(#"{"n":[{"numeric":[">",0,"<",5]}]}"#, #"{"n":5}"#, false),
        MatchCase(#"{"n":[{"numeric":["=",3.018e2]}]}"#, #"{"n":301.8}"#, true),
        MatchCase(#"{"n":[{"numeric":["<",-1e300]}]}"#, #"{"n":-1.5e308}"#, true),
        MatchCase(#"{"n":[{"numeric":[">",5e9]}]}"#, #"{"n":5000000001}"#, true),
        MatchCase(#"{"n":[{"numeric":[">",0]}]}"#, #"{"n":1e-6}"#, true),
        MatchCase(#"{"n":[{"numeric":["<",0]}]}"#, #"{"n":-0.0}"#, false),
        MatchCase(#"{"n":[{"numeric":[">",1]}]}"#, #"{"n":[0,2]}"#, true),
        MatchCase(#"{"s":[{"exists":true}]}"#, #"{"s":null}"#, true),
        MatchCase(#"{"s":[{"exists":true}]}"#, #"{"s":{"c":1}}"#, false),
        MatchCase(#"{"s":[{"exists":true}]}"#, #"{"s":[]}"#, false),
        MatchCase(#"{"s":[{"exists":false}]}"#, #"{"s":{"c":1}}"#, true),
        MatchCase(#"{"s":[{"exists":false}]}"#, #"{"s":[]}"#, true),
        MatchCase(#"{"s":[{"exists":false}]}"#, #"{"s":null}"#, false),
        MatchCase(#"{"a":{"b":{"c":[{"exists":false}]}}}"#, #"{"a":{"x":1}}"#, true),
        MatchCase(#"{"a":{"b":{"c":[{"exists":false}]}}}"#, #"{"a":[{"b":{"c":1}}]}"#, false),
        MatchCase(#"{"x":[{"exists":false}],"y":["1"]}"#, #"{"y":"1"}"#, true),
        MatchCase(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":"10.0.0.255"}"#, true),
        MatchCase(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":"10.0.1.0"}"#, false),
        MatchCase(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":"10.0.0.256"}"#, false),
        MatchCase(#"{"ip":[{"cidr":"10.0.0.0/24"}]}"#, #"{"ip":123}"#, false),
        MatchCase(#"{"ip":[{"cidr":"2001:db8:1234:1a00::/64"}]}"#, #"{"ip":"2001:0db8:1234:1a00:0000:0000:0000:0000"}"#, true),
        MatchCase(#"{"ip":[{"cidr":"2001:db8:1234:1a00::/64"}]}"#, #"{"ip":"2001:0db8:123f:1a01:0000:0000:0000:0000"}"#, false),
        MatchCase(#"{"ip":[{"cidr":"2001:db8::/32"}]}"#, #"{"ip":"2001:DB8::FFFF"}"#, true),
        // A dotted IPv4 tail makes no IPv6 address for cidr (AWS's matcher reads hex and colons only).
        MatchCase(#"{"ip":[{"cidr":"::ffff:0:0/96"}]}"#, #"{"ip":"::ffff:10.1.2.3"}"#, false),
        MatchCase(#"{"ip":[{"cidr":"2001:db8::/32"}]}"#, #"{"ip":"2001:db8::ffff:1.2.3.4"}"#, false),
        MatchCase(#"{"ip":[{"cidr":"::ffff:0:0/96"}]}"#, #"{"ip":"::ffff:a01:203"}"#, true),
        MatchCase(#"{"ip":[{"cidr":"10.0.0.0/8"}]}"#, #"{"ip":"::a00:1"}"#, false),
    ]

    @Test(arguments: cases) func values(_ testCase: MatchCase) throws { try check(testCase) }

    /// IPv6 text in every compressed form reads back as the groups it was written from.
    @Test func ipv6LiteralsInEveryForm() {
        var generator = SeededGenerator(seed: 6)
        for _ in 0..<3000 {
            // Groups with runs of zeros, so that "::" lands everywhere.
            let groups = (0..<8).map { _ in UInt16.random(in: 0...3, using: &generator) == 0 ? 0 : UInt16.random(in: 0...0xFFFF, using: &generator) }
            let expected = groups.reduce(UInt128(0)) { $0 << 16 | UInt128($1) }
            let hex = groups.map { String($0, radix: 16) }
            let full = IPAddress(hex.joined(separator: ":"))
            #expect(full?.value == expected && full?.isIPv6 == true)
            // Every run of zero groups may be written as "::" (one per address).
            for start in 0..<8 where groups[start] == 0 {
                var end = start
                while end < 8 && groups[end] == 0 {
                    end += 1
                    let text = hex[0..<start].joined(separator: ":") + "::" + hex[end...].joined(separator: ":")
                    #expect(IPAddress(text)?.value == expected, "\(text)")
                }
            }
            // A dotted tail is an address in general, but not for cidr.
            let dotted = hex[0..<6].joined(separator: ":") + ":\(groups[6] >> 8).\(groups[6] & 0xFF).\(groups[7] >> 8).\(groups[7] & 0xFF)"
            #expect(IPAddress(dotted)?.value == expected, "\(dotted)")
        }
        for bad in ["1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", ":1:2", "1:", "::g", "1:2:3:4:5:6:7:1.2.3.4"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
    }
}

@Suite struct OrTests {
    static let cases: [MatchCase] = [
        MatchCase(#"{"detail":{"$or":[{"c":[{"numeric":[">",0,"<=",5]}]},{"d":[{"numeric":["<",10]}]},{"x":[{"numeric":["=",3.018e2]}]}]}}"#,
                  #"{"detail":{"c":0,"d":0}}"#, true),
        MatchCase(#"{"detail":{"$or":[{"c":[{"numeric":[">",0,"<=",5]}]},{"d":[{"numeric":["<",10]}]},{"x":[{"numeric":["=",3.018e2]}]}]}}"#,
                  #"{"detail":{"c":0,"d":10,"x":901.8}}"#, false),
        MatchCase(#"{"s":["a"],"$or":[{"x":["1"]},{"$or":[{"y":["2"]},{"z":["3"]}]}]}"#, #"{"s":"a","z":"3"}"#, true),
        MatchCase(#"{"s":["a"],"$or":[{"x":["1"]},{"$or":[{"y":["2"]},{"z":["3"]}]}]}"#, #"{"s":"b","z":"3"}"#, false),
        MatchCase(#"{"$or":[{"a":["1"]},{"b":["2"]}],"c":{"$or":[{"d":["3"]},{"e":["4"]}]}}"#, #"{"b":"2","c":{"e":"4"}}"#, true),
        MatchCase(#"{"$or":[{"a":["1"]},{"b":["2"]}],"c":{"$or":[{"d":["3"]},{"e":["4"]}]}}"#, #"{"b":"2","c":{"f":"4"}}"#, false),
    ]

    @Test(arguments: cases) func or(_ testCase: MatchCase) throws { try check(testCase) }
}
