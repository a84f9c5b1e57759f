import CEventRouter
import EventPatterns
import EventRouterC
import PatternTestSupport
import Testing

/// The C API driven through its C declarations (include/eventrouter.h), from Swift: the same
/// functions a C program links, so `swift test` covers the boundary as well as `make test-c`.
@Suite struct CAPITests {
    /// Calls `body` with a fresh error struct and returns the status and the struct.
    func call(_ body: (UnsafeMutablePointer<evr_error>) -> evr_status) -> (evr_status, evr_error) {
        var err = evr_error()
        let status = body(&err)
        return (status, err)
    }

    func message(_ err: evr_error) -> String {
        var err = err
        return withUnsafeBytes(of: &err.message) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
    }

    func code(_ err: evr_error) -> String {
        var err = err
        return withUnsafeBytes(of: &err.code) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
    }

    @Test func versionMatchesTheHeader() {
        var major: Int32 = -1, minor: Int32 = -1, patch: Int32 = -1
        let text = evr_version(&major, &minor, &patch)
        #expect(String(cString: text!) == EVR_VERSION_STRING)
        #expect((major, minor, patch) == (EVR_VERSION_MAJOR, EVR_VERSION_MINOR, EVR_VERSION_PATCH))
    }

    @Test(arguments: ["aws-observed.jsonl", "patterns.jsonl"])
    func conformanceThroughTheCAPI(file: String) throws {
        let cases = try Fixtures.conformance(file)
        #expect(cases.count > 100)
        for testCase in cases {
            var match: Int32 = -1
            let event = testCase.event.jsonText
            let (status, err) = call { err in
                evr_pattern_test(&match, testCase.patternText, testCase.patternText.utf8.count, event, event.utf8.count, err)
            }
            if testCase.valid {
                #expect(status == EVR_OK, "\(testCase.id): \(message(err))")
                #expect((match == 1) == testCase.match, "\(testCase.id)")
            } else {
                #expect(status == EVR_E_PATTERN, "\(testCase.id)")
                if let expected = testCase.message { #expect(message(err) == expected, "\(testCase.id)") }
            }
        }
    }

    @Test func hostileInputIsAStatusNeverACrash() {
        var set: OpaquePointer? = nil
        #expect(evr_ruleset_new(&set, nil, nil) == EVR_OK)
        let bad: [UInt8] = [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]   // {"a":"\xC3("}
        let (utf8, err) = call { err in
            bad.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { evr_ruleset_match(nil, set, $0.baseAddress, $0.count, nil, nil, err) }
            }
        }
        #expect(utf8 == EVR_E_UTF8)
        #expect(err.offset == 6)
        #expect(code(err) == "invalidUTF8")
        #expect(evr_ruleset_add(set, nil, 1, "{}", 2, nil) == EVR_E_ARGUMENT)
        #expect(evr_ruleset_add(set, "a", -2, "{}", 2, nil) == EVR_E_ARGUMENT)           // (size_t)-2
        #expect(evr_ruleset_add(set, "a", -1, "{\"a\":[1]}", -1, nil) == EVR_OK)         // EVR_NTS
        #expect(evr_ruleset_count(nil, set, nil) == EVR_E_ARGUMENT)
        evr_ruleset_free(set)
        var count = 0
        #expect(evr_ruleset_count(&count, set, nil) == EVR_E_HANDLE)                      // after free
        #expect(evr_ruleset_count(&count, OpaquePointer(bitPattern: 0xdead_beef0), nil) == EVR_E_HANDLE)
        evr_ruleset_free(set)                                                              // twice: ignored
        evr_ruleset_free(nil)
    }

    @Test func matcherResultsAndRuleChanges() {
        var set: OpaquePointer? = nil
        var matcher: OpaquePointer? = nil
        #expect(evr_ruleset_new(&set, nil, nil) == EVR_OK)
        #expect(evr_ruleset_add(set, "é-rule", -1, #"{"source": ["shop"]}"#, -1, nil) == EVR_OK)
        #expect(evr_matcher_new(&matcher, set, nil) == EVR_OK)
        var count = 0
        #expect(evr_matcher_match(&count, matcher, #"{"source": "shop"}"#, -1, nil) == EVR_OK)
        #expect(count == 1)
        var name: UnsafePointer<CChar>? = nil
        var length = 0
        #expect(evr_matcher_result(&name, &length, matcher, 0, nil) == EVR_OK)
        #expect(String(cString: name!) == "é-rule" && length == "é-rule".utf8.count)
        // A precomposed and a decomposed é are different rule names (byte-exact identity).
        #expect(evr_ruleset_remove(set, "e\u{301}-rule", -1, nil) == EVR_E_NOT_FOUND)
        #expect(evr_ruleset_remove(set, "é-rule", -1, nil) == EVR_OK)
        #expect(evr_matcher_match(&count, matcher, #"{"source": "shop"}"#, -1, nil) == EVR_OK)
        #expect(count == 0)
        evr_matcher_free(matcher)
        evr_ruleset_free(set)
    }

    @Test func routerCallMapsAWSErrors() {
        var router: OpaquePointer? = nil
        #expect(evr_router_new(&router, nil, nil) == EVR_OK)
        var response: UnsafeMutablePointer<CChar>? = nil
        let (status, err) = call { err in
            evr_router_call(&response, nil, router, "events", -1, "DescribeRule", -1, nil, 0, nil, 0, #"{"Name": "x"}"#, -1, err)
        }
        #expect(status == EVR_E_NOT_FOUND)
        #expect(code(err) == "ResourceNotFoundException")
        #expect(response == nil)
        var length = 0
        #expect(evr_router_call(&response, &length, router, "events", -1, "PutRule", -1, nil, 0, nil, 0,
                                #"{"Name": "r", "EventPattern": "{\"source\": [\"a\"]}"}"#, -1, nil) == EVR_OK)
        #expect(String(cString: response!) == #"{"RuleArn":"arn:aws:events:us-east-1:123456789012:rule/r"}"#)
        #expect(length == strlenOf(response!))
        evr_string_free(response)
        evr_router_free(router)
    }

    func strlenOf(_ pointer: UnsafeMutablePointer<CChar>) -> Int {
        var count = 0
        while pointer[count] != 0 { count += 1 }
        return count
    }

    @Test func extremeTimesAreRefused() {
        var buffer = [CChar](repeating: 0, count: 32)
        #expect(evr_time_format(&buffer, 32, Int64.max, nil) == EVR_E_ARGUMENT)
        #expect(evr_time_format(&buffer, 32, Int64.min, nil) == EVR_E_ARGUMENT)
        #expect(evr_time_format(&buffer, 32, 253_402_300_799, nil) == EVR_OK)
        #expect(buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } == "9999-12-31T23:59:59Z")
        var times = [Int64](repeating: 0, count: 4)
        var count = 0
        #expect(evr_schedule_next(&times, &count, "rate(1 day)", -1, 253_402_300_000, 4, nil, 0, nil) == EVR_OK)
        #expect(evr_schedule_next(&times, &count, "cron(0 0 * * ? *)", -1, 253_402_300_000, 4, nil, 0, nil) == EVR_OK)
        #expect(evr_schedule_next(&times, &count, "rate(1 day)", -1, Int64.max, 4, nil, 0, nil) == EVR_E_ARGUMENT)
    }
}
