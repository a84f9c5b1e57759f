import EventPatterns
import Testing

struct InvalidCase: CustomTestStringConvertible, Sendable {
    var pattern: String
    var reason: String
    var testDescription: String { pattern }
    init(_ pattern: String, _ reason: String) {
        self.pattern = pattern
        self.reason = reason
    }
}

@Suite struct ValidationTests {
    static let cases: [InvalidCase] = [
        InvalidCase(#"[1]"#, "Filter is not an object"),
        InvalidCase(#""x""#, "Filter is not an object"),
        InvalidCase(#""#, "Filter is not an object"),
        InvalidCase(#"{}"#, "Empty objects are not allowed"),
        InvalidCase(#"{"a":{}}"#, "Empty objects are not allowed"),
        InvalidCase(#"{"a":[]}"#, "Empty arrays are not allowed"),
        InvalidCase(#"{"source":"x"}"#, #""source" must be an object or an array"#),
        InvalidCase(#"{"n":42}"#, #""n" must be an object or an array"#),
        InvalidCase(#"{"a":[["x"]]}"#, "Match value must be String, number, true, false, or null"),
        InvalidCase(#"{"a":[{}]}"#, "Match expression name not found"),
        InvalidCase(#"{"a":[{"prefix":"a","suffix":"b"}]}"#, "Only one key allowed in match expression"),
        InvalidCase(#"{"a":[{"EXISTS":true}]}"#, "Unrecognized match type EXISTS"),
        InvalidCase(#"{"a":[{"prefix":["x"]}]}"#, "prefix match pattern must be a string"),
        InvalidCase(#"{"a":[{"prefix":{"wildcard":"a*"}}]}"#, "Unsupported prefix pattern: wildcard"),
        InvalidCase(#"{"a":[{"suffix":{"foo":"a"}}]}"#, "Unsupported suffix pattern: foo"),
        InvalidCase(#"{"a":[{"prefix":{"equals-ignore-case":5}}]}"#, "equals-ignore-case match pattern must be a string"),
        InvalidCase(#"{"a":[{"suffix":5}]}"#, "suffix match pattern must be a string"),
        InvalidCase(#"{"a":[{"equals-ignore-case":["x"]}]}"#, "equals-ignore-case match pattern must be a string"),
        InvalidCase(#"{"a":[{"wildcard":5}]}"#, "wildcard match pattern must be a string"),
        InvalidCase(#"{"a":[{"wildcard":"a**b"}]}"#, "Consecutive wildcard characters at pos 2"),
        InvalidCase(#"{"a":[{"wildcard":"arn:aws:events:us-east-1:**:event-bus/*"}]}"#, "Consecutive wildcard characters at pos 26"),
        InvalidCase(#"{"a":[{"wildcard":"\\"}]}"#, "Invalid escape character at pos 1"),
        InvalidCase(#"{"a":[{"wildcard":"ab\\c"}]}"#, "Invalid escape character at pos 3"),
        // Positions count UTF-8 bytes (é is two, 😀 four), as Ruler does.
        InvalidCase(#"{"a":[{"wildcard":"é**"}]}"#, "Consecutive wildcard characters at pos 3"),
        InvalidCase(#"{"ip":[{"cidr":"::ffff:10.0.0.0/104"}]}"#, "Nonstandard IP address: ::ffff:10.0.0.0"),
        InvalidCase(#"{"k":[{"prefix":{}}]}"#, "Prefix expression name not found"),
        InvalidCase(#"{"n":[{"numeric":["=",5],"prefix":"x"}]}"#, "Too many elements in numeric expression"),
        InvalidCase(#"{"a":[{"anything-but":"x","y":1}]}"#, "Too many elements in numeric expression"),
        InvalidCase(#"{"a":[{"prefix":"x","suffix":"y"}]}"#, "Only one key allowed in match expression"),
        InvalidCase(#"{"ip":[{"cidr":"10.0.0.0/"}]}"#, "Malformed CIDR, one '/' required"),
        InvalidCase(#"{"ip":[{"cidr":"10.0.0.0//"}]}"#, "Malformed CIDR, one '/' required"),
        InvalidCase(#"{"ip":[{"cidr":"/8"}]}"#, "Nonstandard IP address: "),
        InvalidCase(#"{"k":[{"suffix":{}}]}"#, "Suffix expression name not found"),
        InvalidCase(#"{"a":[{"wildcard":"😀\\x"}]}"#, "Invalid escape character at pos 5"),
        InvalidCase(#"{"a":[{"anything-but":{"wildcard":"ü\\x"}}]}"#, "Invalid escape character at pos 3"),
        InvalidCase(#"{"a":[{"wildcard":"*:*:*:*:*:event-bus/*"}]}"#, PatternError.wildcardTooComplex),
        InvalidCase(#"{"a":[{"anything-but":null}]}"#, "Value of anything-but must be an array or single string/number value."),
        InvalidCase(#"{"a":[{"anything-but":true}]}"#, "Value of anything-but must be an array or single string/number value."),
        InvalidCase(#"{"a":[{"anything-but":{"prefix":{"equals-ignore-case":"x"}}}]}"#, "Value of anything-but must be an array or single string/number value."),
        InvalidCase(#"{"a":[{"anything-but":["stopped",null]}]}"#, "Inside anything but list, start|null|boolean is not supported."),
        InvalidCase(#"{"a":[{"anything-but":["a",1]}]}"#, "Inside anything but list, either all values are number or string, mixed type is not supported"),
        InvalidCase(#"{"a":[{"anything-but":[]}]}"#, "Inside anything but list, either all values are number or string, mixed type is not supported"),
        InvalidCase(#"{"a":[{"anything-but":{"prefix":123}}]}"#, "prefix/suffix match pattern must be a string"),
        InvalidCase(#"{"a":[{"anything-but":{"suffix":[null,".txt"]}}]}"#, "prefix/suffix match pattern must be a string"),
        InvalidCase(#"{"a":[{"anything-but":{"prefix":""}}]}"#, "Null prefix/suffix not allowed"),
        InvalidCase(#"{"a":[{"anything-but":{"suffix":["x",""]}}]}"#, "Null prefix/suffix not allowed"),
        InvalidCase(#"{"a":[{"anything-but":{"equals-ignore-case":123}}]}"#, "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."),
        InvalidCase(#"{"a":[{"anything-but":{"wildcard":[123,"*/dir/*"]}}]}"#, "wildcard match pattern must be a string"),
        InvalidCase(#"{"a":[{"anything-but":{"numeric":[">",1]}}]}"#, "Unsupported anything-but pattern: numeric"),
        InvalidCase(#"{"a":[{"anything-but":{}}]}"#, "Anything-But expression name not found"),
        InvalidCase(#"{"a":[{"numeric":10}]}"#, "Value of numeric must be an array."),
        InvalidCase(#"{"a":[{"numeric":[]}]}"#, "Invalid member in numeric match: ]"),
        InvalidCase(#"{"a":[{"numeric":[5]}]}"#, "Invalid member in numeric match: 5"),
        InvalidCase(#"{"a":[{"numeric":["==",1]}]}"#, "Unrecognized numeric range operator: =="),
        InvalidCase(#"{"a":[{"numeric":["=","x"]}]}"#, "Value of equals must be numeric"),
        InvalidCase(#"{"a":[{"numeric":[">",0,"<"]}]}"#, "Value of < must be numeric"),
        InvalidCase(#"{"a":[{"numeric":[">",0,">",0]}]}"#, "Bad numeric range operator: >"),
        InvalidCase(#"{"a":[{"numeric":[">",0,5]}]}"#, "Bad value in numeric range: 5"),
        InvalidCase(#"{"a":[{"numeric":["<",5,">",1]}]}"#, "Too many elements in numeric expression"),
        InvalidCase(#"{"a":[{"numeric":["=",5,"<",9]}]}"#, "Too many elements in numeric expression"),
        InvalidCase(#"{"a":[{"numeric":[">",0,"<",5,6]}]}"#, "Too many terms in numeric range expression"),
        InvalidCase(#"{"a":[{"numeric":[">",5,"<",5]}]}"#, "Bottom must be less than top"),
        InvalidCase(#"{"a":[{"exists":"yes"}]}"#, "exists match pattern must be either true or false."),
        InvalidCase(#"{"a":[{"cidr":["x"]}]}"#, "prefix match pattern must be a string"),
        InvalidCase(#"{"a":[{"cidr":"bad-filter"}]}"#, "Malformed CIDR, one '/' required"),
        InvalidCase(#"{"a":[{"cidr":"bad-/64filter"}]}"#, "Malformed CIDR, mask bits must be an integer"),
        InvalidCase(#"{"a":[{"cidr":"10.0.0.0/-1"}]}"#, "Malformed CIDR, mask bits must not be negative"),
        InvalidCase(#"{"a":[{"cidr":"xx.11.xx/8"}]}"#, "Nonstandard IP address: xx.11.xx"),
        InvalidCase(#"{"a":[{"cidr":"10.0.0.1/32"}]}"#, "IPv4 mask bits must be < 32"),
        InvalidCase(#"{"a":[{"cidr":"::1/128"}]}"#, "IPv6 mask bits must be < 128"),
        InvalidCase(#"{"$or":{"a":["x"]}}"#, "It must be an Array followed with $or."),
        InvalidCase(#"{"$or":["a","b"]}"#, "Only JSON object is allowed in array of $or relationship."),
        InvalidCase(#"{"x":[{"numeric":["=",5]}],"$or":[{"a":["1"]}]}"#, "There must have at least 2 Objects in $or relationship."),
        InvalidCase(#"{"detail":{"$or":[{"prefix":["x"]},{"b":["y"]}]}}"#, "prefix is Ruler reserved fieldName which cannot be used inside $or."),
        InvalidCase(#"{"a":[{"$or":[{"prefix":"a"},{"suffix":"b"}]}]}"#, "Unrecognized match type $or"),
        InvalidCase("{a: [1]}", "Unexpected character ('a' (code 97)): was expecting double-quote to start field name"),
        InvalidCase(#"{"a": [1,]}"#, "Unexpected character (']' (code 93)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
    ]

    @Test(arguments: cases)
    func rejectsWithAWSReason(_ testCase: InvalidCase) {
        let error = EventPattern.validate(testCase.pattern)
        #expect(error?.reason == testCase.reason)
        #expect(error?.message == "Event pattern is not valid. Reason: " + testCase.reason)
    }

    @Test func trailingGarbageIsRejected() {
        #expect(EventPattern.validate(#"{"a": ["x"]} trailing"#)?.code == .malformedJSON)
    }

    @Test func orCombinationLimit() throws {
        // 2^10 = 1,024 combinations: over the limit of 1,000.
        let branches = (0..<10).map { index in #"{"$or":[{"a\#(index)":["1"]},{"b\#(index)":["2"]}]}"# }
        let nested = "{" + (0..<10).map { #""k\#($0)":\#(branches[$0])"# }.joined(separator: ",") + "}"
        #expect(EventPattern.validate(nested, limits: .init(maxPatternLength: 100_000))?.code == .limitExceeded)
        // 2^9 = 512 is fine.
        let fewer = "{" + (0..<9).map { #""k\#($0)":\#(branches[$0])"# }.joined(separator: ",") + "}"
        let pattern = try EventPattern(json: fewer, limits: .init(maxPatternLength: 100_000))
        #expect(pattern.subPatterns.count == 512)
    }

    @Test func patternSizeLimit() {
        let long = #"{"a":[""# + String(repeating: "x", count: 3000) + #""]}"#
        #expect(EventPattern.validate(long)?.code == .limitExceeded)
        #expect(EventPattern.validate(long, limits: .init(maxPatternLength: 4096)) == nil)
    }

    @Test func nestingLimit() {
        let deep = String(repeating: #"{"a":"#, count: 100) + #"["x"]"# + String(repeating: "}", count: 100)
        #expect(EventPattern.validate(deep, limits: .init(maxPatternLength: 100_000))?.code == .limitExceeded)
    }

    @Test func fivestarWildcardIsAccepted() {
        #expect(EventPattern.validate(#"{"a":[{"wildcard":"a*b*c*d*e*f"}]}"#) == nil)
        #expect(EventPattern.validate(#"{"a":[{"wildcard":"a*b*c*d*e*f*g"}]}"#)?.reason == PatternError.wildcardTooComplex)
    }
}
