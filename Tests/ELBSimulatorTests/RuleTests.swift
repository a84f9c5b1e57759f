import ELBSimulator
import EventBus
import EventPatterns
import XCTest

/// Listener rules: evaluation order, every condition type, limits and priority management.
final class RuleTests: XCTestCase {
    var h: Harness!
    var listener = ""

    override func setUpWithError() throws {
        h = try Harness()
        let lb = try h.loadBalancer()
        listener = try h.listener(lb, defaultActions: h.fixed("404", "default"))
    }

    func body(_ request: String) throws -> String? { try h.route(listener, request)["MessageBody"]?.text }

    func testRulesAreEvaluatedByAscendingPriorityAndTheDefaultRuleComesLast() throws {
        // Created out of order: priority decides, not creation.
        try h.rule(listener, 20, conditions: #"[{"Field": "path-pattern", "Values": ["/api/*"]}]"#, actions: h.fixed("200", "twenty"))
        try h.rule(listener, 5, conditions: #"[{"Field": "path-pattern", "Values": ["/api/v1/*"]}]"#, actions: h.fixed("200", "five"))
        XCTAssertEqual(try body(#""Path": "/api/v1/users""#), "five")
        XCTAssertEqual(try body(#""Path": "/api/v2/users""#), "twenty")
        let miss = try h.route(listener, #""Path": "/other""#)
        XCTAssertEqual(miss["MessageBody"]?.text, "default")
        XCTAssertEqual(miss["Priority"]?.text, "default")
        XCTAssertEqual(miss["RulesEvaluated"]?.int, 2)
        let rules = try h.call("DescribeRules", #"{"ListenerArn": "\#(listener)"}"#)
        XCTAssertEqual(rules["Rules"]?[0]?["Priority"]?.text, "5")
        XCTAssertEqual(rules["Rules"]?[1]?["Priority"]?.text, "20")
        XCTAssertEqual(rules["Rules"]?[2]?["Priority"]?.text, "default")
        XCTAssertEqual(rules["Rules"]?[2]?["IsDefault"], .bool(true))
    }

    func testHostHeaderIsCaseInsensitiveIgnoresThePortAndStarNeedsALabel() throws {
        try h.rule(listener, 1, conditions: #"[{"Field": "host-header", "HostHeaderConfig": {"Values": ["*.example.com"]}}]"#, actions: h.fixed("200", "wild"))
        try h.rule(listener, 2, conditions: #"[{"Field": "host-header", "HostHeaderConfig": {"Values": ["shop?.example.org"]}}]"#, actions: h.fixed("200", "one"))
        XCTAssertEqual(try body(#""Host": "API.Example.COM:8080""#), "wild")
        XCTAssertEqual(try body(#""Host": "example.com""#), "default", "*.example.com does not match the apex")
        XCTAssertEqual(try body(#""Headers": {"Host": "shop1.example.org"}"#), "one", "the Host header is used when Host is absent")
        XCTAssertEqual(try body(#""Host": "shop12.example.org""#), "default", "? is exactly one character")
    }

    func testPathPatternIsCaseSensitiveAnchoredAndIgnoresTheQuery() throws {
        try h.rule(listener, 1, conditions: #"[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/img/*"]}}]"#, actions: h.fixed("200", "img"))
        XCTAssertEqual(try body(#""Path": "/img/a/b.png""#), "img")
        XCTAssertEqual(try body(#""Path": "/IMG/a.png""#), "default")
        XCTAssertEqual(try body(#""Path": "/static/img/a.png""#), "default")
        XCTAssertEqual(try body(#""Path": "/img/x?q=/other""#), "img")
    }

    func testHttpHeaderValuesAreOredAndCaseInsensitive() throws {
        try h.rule(listener, 1, conditions: #"[{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "User-Agent", "Values": ["*Chrome*", "*Safari*"]}}]"#,
                   actions: h.fixed("200", "browser"))
        XCTAssertEqual(try body(#""Headers": {"user-agent": "Mozilla/5.0 (X11) CHROME/120"}"#), "browser")
        XCTAssertEqual(try body(#""Headers": {"User-Agent": "Mozilla/5.0 Safari/605"}"#), "browser")
        XCTAssertEqual(try body(#""Headers": {"User-Agent": "curl/8.0"}"#), "default")
        XCTAssertEqual(try body(""), "default", "a missing header does not match")
    }

    func testHttpRequestMethodIsAnExactCaseSensitiveMatch() throws {
        try h.rule(listener, 1, conditions: #"[{"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["POST", "CUSTOM_VERB"]}}]"#,
                   actions: h.fixed("200", "write"))
        XCTAssertEqual(try body(#""Method": "POST""#), "write")
        XCTAssertEqual(try body(#""Method": "CUSTOM_VERB""#), "write")
        XCTAssertEqual(try body(#""Method": "post""#), "default")
        XCTAssertEqual(try body(#""Method": "GET""#), "default")
        XCTAssertEqual(try h.failure("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": 2, "Conditions": [{"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["get"]}}], "Actions": \#(h.fixed("200", "x"))}"#)?.code, "ValidationError")
    }

    func testQueryStringPairsMatchKeyAndValueAndAKeylessEntryMatchesAnyKey() throws {
        try h.rule(listener, 1, conditions: #"[{"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "version", "Value": "v1"}, {"Value": "example"}]}}]"#,
                   actions: h.fixed("200", "query"))
        XCTAssertEqual(try body(#""Path": "/p", "Query": "version=V1""#), "query")
        XCTAssertEqual(try body(#""Path": "/p?foo=example""#), "query")
        XCTAssertEqual(try body(#""Query": {"version": "v2"}"#), "default")
        XCTAssertEqual(try body(#""Query": "other=v1""#), "default")
    }

    func testSourceIpComparesThePeerAddressAgainstCIDRBlocks() throws {
        try h.rule(listener, 1, conditions: #"[{"Field": "source-ip", "SourceIpConfig": {"Values": ["10.0.0.0/8", "2001:db8::/32"]}}]"#,
                   actions: h.fixed("200", "inside"))
        XCTAssertEqual(try body(#""SourceIp": "10.20.30.40""#), "inside")
        XCTAssertEqual(try body(#""SourceIp": "2001:db8:1::5""#), "inside")
        XCTAssertEqual(try body(#""SourceIp": "11.0.0.1", "Headers": {"X-Forwarded-For": "10.0.0.1"}"#), "default",
                       "X-Forwarded-For is never used")
        XCTAssertEqual(try h.failure("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": 2, "Conditions": [{"Field": "source-ip", "SourceIpConfig": {"Values": ["10.0.0.0/33"]}}], "Actions": \#(h.fixed("200", "x"))}"#)?.code, "ValidationError")
    }

    func testConditionsAreAndedAcrossFields() throws {
        try h.rule(listener, 1, conditions: #"[{"Field": "host-header", "Values": ["api.example.com"]}, {"Field": "path-pattern", "Values": ["/v1/*"]}]"#,
                   actions: h.fixed("200", "both"))
        XCTAssertEqual(try body(#""Host": "api.example.com", "Path": "/v1/x""#), "both")
        XCTAssertEqual(try body(#""Host": "api.example.com", "Path": "/v2/x""#), "default")
        XCTAssertEqual(try body(#""Host": "www.example.com", "Path": "/v1/x""#), "default")
    }

    func testConditionValidationFollowsELBsLimits() throws {
        func code(_ conditions: String) throws -> String? {
            try h.failure("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": 9, "Conditions": \#(conditions), "Actions": \#(h.fixed("200", "x"))}"#)?.code
        }
        let unknown = try h.failure("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": 9, "Conditions": [{"Field": "cookie", "Values": ["a"]}], "Actions": \#(h.fixed("200", "x"))}"#)
        XCTAssertEqual(unknown?.message, "Condition field 'cookie' must be one of '[path-pattern, host-header, http-header, http-request-method, query-string, source-ip]'")
        let legacy = try h.failure("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": 9, "Conditions": [{"Field": "host-header", "Values": ["a.com", "b.com"]}], "Actions": \#(h.fixed("200", "x"))}"#)
        XCTAssertEqual(legacy?.message, "The 'host-header' field contains too many values; the limit is '1'")
        XCTAssertEqual(try code(#"[{"Field": "http-header", "Values": ["x"]}]"#), "ValidationError")  // Values only for host/path
        XCTAssertEqual(try code(#"[{"Field": "path-pattern", "Values": ["/a"], "PathPatternConfig": {"Values": ["/b"]}}]"#), "ValidationError")
        XCTAssertEqual(try code(#"[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/a", "/b", "/c", "/d"]}}]"#), "ValidationError")  // 3 per condition
        XCTAssertEqual(try code(#"[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/a", "/b", "/c"]}}, {"Field": "host-header", "HostHeaderConfig": {"Values": ["a", "b", "c"]}}]"#), "ValidationError")  // 5 per rule
        XCTAssertEqual(try code(#"[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/*/*/*/*/*/*"]}}]"#), "ValidationError")  // 5 wildcards
        XCTAssertEqual(try code(#"[{"Field": "path-pattern", "Values": ["/a"]}, {"Field": "path-pattern", "Values": ["/b"]}]"#), "ValidationError")  // one path-pattern
        let long = "/" + String(repeating: "a", count: 128)
        let tooLong = try h.failure("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": 9, "Conditions": [{"Field": "path-pattern", "Values": ["\#(long)"]}], "Actions": \#(h.fixed("200", "x"))}"#)
        XCTAssertEqual(tooLong?.message, "The 'path-pattern' value is too long; the limit is '128'")
        XCTAssertEqual(try code(#"[{"Field": "host-header", "Values": ["bad_host"]}]"#), "ValidationError")
        XCTAssertEqual(try code(#"[{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-*", "Values": ["a"]}}]"#), "ValidationError")
        XCTAssertEqual(try code("[]"), "ValidationError")
        // Two http-header conditions are allowed.
        try h.rule(listener, 9, conditions: #"[{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "A", "Values": ["1"]}}, {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "B", "Values": ["2"]}}]"#, actions: h.fixed("200", "ab"))
        XCTAssertEqual(try body(#""Headers": {"A": "1", "B": "2"}"#), "ab")
        XCTAssertEqual(try body(#""Headers": {"A": "1"}"#), "default")
    }

    func testPrioritiesAreUniqueInRangeAndTheDefaultRuleIsProtected() throws {
        let ten = try h.rule(listener, 10, conditions: #"[{"Field": "path-pattern", "Values": ["/a"]}]"#, actions: h.fixed("200", "a"))
        let twenty = try h.rule(listener, 20, conditions: #"[{"Field": "path-pattern", "Values": ["/b"]}]"#, actions: h.fixed("200", "b"))
        let inUse = try h.failure("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": 10, "Conditions": [{"Field": "path-pattern", "Values": ["/c"]}], "Actions": \#(h.fixed("200", "c"))}"#)
        XCTAssertEqual(inUse?.code, "PriorityInUse")
        XCTAssertEqual(inUse?.message, "The specified priority is in use.")
        for bad in [0, 50_001] {
            XCTAssertEqual(try h.failure("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": \#(bad), "Conditions": [{"Field": "path-pattern", "Values": ["/c"]}], "Actions": \#(h.fixed("200", "c"))}"#)?.code, "ValidationError")
        }
        // Swapping two priorities in one call is allowed; repeating one is not.
        try h.call("SetRulePriorities", #"{"RulePriorities": [{"RuleArn": "\#(ten)", "Priority": 20}, {"RuleArn": "\#(twenty)", "Priority": 10}]}"#)
        let rules = try h.call("DescribeRules", #"{"RuleArns": ["\#(ten)"]}"#)
        XCTAssertEqual(rules["Rules"]?[0]?["Priority"]?.text, "20")
        let twice = try h.failure("SetRulePriorities", #"{"RulePriorities": [{"RuleArn": "\#(ten)", "Priority": 30}, {"RuleArn": "\#(twenty)", "Priority": 30}]}"#)
        XCTAssertEqual(twice?.message, "Priority '30' was provided multiple times")
        let clash = try h.failure("SetRulePriorities", #"{"RulePriorities": [{"RuleArn": "\#(ten)", "Priority": 10}]}"#)
        XCTAssertEqual(clash?.code, "PriorityInUse")
        let defaultRule = try XCTUnwrap(h.call("DescribeRules", #"{"ListenerArn": "\#(listener)"}"#)["Rules"]?[2]?["RuleArn"]?.text)
        XCTAssertEqual(try h.failure("DeleteRule", #"{"RuleArn": "\#(defaultRule)"}"#)?.code, "OperationNotPermitted")
        XCTAssertEqual(try h.failure("SetRulePriorities", #"{"RulePriorities": [{"RuleArn": "\#(defaultRule)", "Priority": 7}]}"#)?.code, "OperationNotPermitted")
        try h.call("DeleteRule", #"{"RuleArn": "\#(ten)"}"#)
        XCTAssertEqual(try h.failure("DeleteRule", #"{"RuleArn": "\#(ten)"}"#)?.code, "RuleNotFound")
    }

    func testRuleChangesArePublishedAsEvents() throws {
        let queue = try h.eventQueue("ELB Listener Rule Change")
        let rule = try h.rule(listener, 7, conditions: #"[{"Field": "path-pattern", "Values": ["/a"]}]"#, actions: h.fixed("200", "a"))
        try h.call("SetRulePriorities", #"{"RulePriorities": [{"RuleArn": "\#(rule)", "Priority": 8}]}"#)
        try h.call("DeleteRule", #"{"RuleArn": "\#(rule)"}"#)
        let events = try h.events(queue)
        XCTAssertEqual(events.map { $0["detail"]?["change"]?.text ?? "" }, ["CreateRule", "SetRulePriorities", "DeleteRule"])
        XCTAssertEqual(events.map { $0["detail"]?["priority"]?.text ?? "" }, ["7", "8", "8"])
        XCTAssertEqual(events.first?["detail"]?["listenerArn"]?.text, listener)
        XCTAssertEqual(events.first?["resources"]?[0]?.text, rule)
    }

    func testModifyRuleNeedsConditionsOrActionsAndReplacesThem() throws {
        let rule = try h.rule(listener, 1, conditions: #"[{"Field": "path-pattern", "Values": ["/a"]}]"#, actions: h.fixed("200", "a"))
        XCTAssertEqual(try h.failure("ModifyRule", #"{"RuleArn": "\#(rule)"}"#)?.message, "Either conditions or actions must be specified")
        try h.call("ModifyRule", #"{"RuleArn": "\#(rule)", "Conditions": [{"Field": "path-pattern", "Values": ["/b"]}]}"#)
        XCTAssertEqual(try body(#""Path": "/a""#), "default")
        XCTAssertEqual(try body(#""Path": "/b""#), "a")
        try h.call("ModifyRule", #"{"RuleArn": "\#(rule)", "Actions": \#(h.fixed("200", "changed"))}"#)
        XCTAssertEqual(try body(#""Path": "/b""#), "changed")
    }

    func testTooManyRulesPerLoadBalancer() throws {
        for priority in 1...100 {
            try h.rule(listener, priority, conditions: #"[{"Field": "path-pattern", "Values": ["/p\#(priority)"]}]"#, actions: h.fixed("200", "x"))
        }
        let error = try h.failure("CreateRule", #"{"ListenerArn": "\#(listener)", "Priority": 101, "Conditions": [{"Field": "path-pattern", "Values": ["/x"]}], "Actions": \#(h.fixed("200", "x"))}"#)
        XCTAssertEqual(error?.code, "TooManyRules")
    }
}
