import EventInput
import EventPatterns
import Testing

/// Each rendering rule and quirk, one at a time.
@Suite("Rendering")
struct RenderingTests {
    static let detail = #"""
        {"command": "update-account", "payload": {"acc_id": "0a787ecb-4015", "sf_id": "baz"},
         "listsingle": ["HIGH"], "listmulti": ["ACTIVE", "INACTIVE"], "valid": true, "count": 12, "price": 1.50,
         "nothing": null, "quote": "say \"hi\"", "nl": "a\nb", "backslash": "a\\nb", "nested": [[1, 2], [3, [4, 5]]],
         "items": [{"id": "a"}, {"id": "b"}, {"x": 1}], "unicode": "héllo ☃", "obj": {"k": "x\"y"}}
        """#
    static let event = envelope(detail: detail)
    static let map: [(String, String)] = [
        ("s", "$.detail.command"), ("o", "$.detail.payload"), ("one", "$.detail.listsingle"), ("l", "$.detail.listmulti"),
        ("b", "$.detail.valid"), ("n", "$.detail.count"), ("f", "$.detail.price"), ("z", "$.detail.nothing"),
        ("m", "$.detail.missing"), ("q", "$.detail.quote"), ("nl", "$.detail.nl"), ("bs", "$.detail.backslash"),
        ("nested", "$.detail.nested"), ("nums", "$.detail.nested[0]"), ("u", "$.detail.unicode"), ("obj", "$.detail.obj"),
        ("ids", "$.detail.items[*].id"), ("all", "$"),
    ]

    func render(_ template: String, event: JSONValue = RenderingTests.event) -> RenderOutcome {
        transformer(RenderingTests.map, template).render(event: event, context: testContext)
    }

    // MARK: JSON templates

    @Test("unquoted placeholders are JSON values; a missing path is \"\" (not null)")
    func unquoted() throws {
        let outcome = render(#"{"s": <s>, "o": <o>, "l": <l>, "b": <b>, "n": <n>, "f": <f>, "z": <z>, "m": <m>}"#)
        #expect(outcome.text == #"{"s": "update-account", "o": {"acc_id":"0a787ecb-4015","sf_id":"baz"}, "l": ["ACTIVE","INACTIVE"], "b": true, "n": 12, "f": 1.50, "z": null, "m": ""}"#)
        #expect(outcome.json?["m"] == .string(""))
        #expect(outcome.json?["o"]?["sf_id"] == .string("baz"))
    }

    @Test("quoted placeholders insert the value's text; missing is empty")
    func quoted() throws {
        let outcome = render(#"{"p": "users/<s>/<n>/<b>/<f>/<z>/<m>.", "same": "<s>"}"#)
        #expect(outcome.text == #"{"p": "users/update-account/12/true/1.50/null/.", "same": "update-account"}"#)
        // Unquoted and quoted placeholders holding a string give the same JSON.
        #expect(render(#"{"id": <s>}"#).json == render(#"{"id": "<s>"}"#).json)
    }

    @Test("an object or array inside a JSON template's string: not delivered", arguments: [
        #"{"p": "<o>"}"#, #"{"p": "x <one>"}"#, #"{"p": "users/<o>", "b": <o>}"#, #"{"p": "<l>"}"#,
    ])
    func objectInsideString(_ template: String) {
        #expect(render(template) == .notDelivered(.invalidJSON))
    }

    @Test("substitution is textual: an array of numbers inside a string happens to stay valid")
    func textualSubstitution() {
        let outcome = render(#"{"p": "x <nums>"}"#)
        #expect(outcome.text == #"{"p": "x [1,2]"}"#)
        #expect(outcome.json?["p"] == .string("x [1,2]"))
    }

    @Test("string values are not escaped inside quotes: a quote or a newline breaks the JSON")
    func unescaped() {
        #expect(render(#"{"q": "<q>"}"#) == .notDelivered(.invalidJSON))
        #expect(render(#"{"q": "<nl>"}"#) == .notDelivered(.invalidJSON))
        // Unquoted, the value is written as a JSON string, escaped.
        #expect(render(#"{"q": <q>, "nl": <nl>}"#).text == #"{"q": "say \"hi\"", "nl": "a\nb"}"#)
        #expect(render(#"{"q": <q>}"#).json?["q"] == .string("say \"hi\""))
        // A literal backslash-n in the value becomes an escape of the output.
        #expect(render(#"{"v": "<bs>"}"#).json?["v"] == .string("a\nb"))
    }

    @Test("the template's own whitespace and escapes are kept verbatim")
    func verbatim() {
        #expect(render("{ \"a\" :\n\t<s> ,\"e\":\"\\u00e9\\\"\" }").text == "{ \"a\" :\n\t\"update-account\" ,\"e\":\"\\u00e9\\\"\" }")
        // AWS's documented example: quotes escaped inside a string template.
        #expect(render(#""<s> is in state \"<n>\"""#).text == #""update-account is in state \"12\"""#)
        #expect(render(#""<s> is in state \"<n>\"""#).json == .string(#"update-account is in state "12""#))
    }

    @Test("unicode passes through as UTF-8")
    func unicode() {
        #expect(render(#"{"u": <u>, "v": "<u>"}"#).text == #"{"u": "héllo ☃", "v": "héllo ☃"}"#)
        #expect(render(#""<u>""#).text == #""héllo ☃""#)
    }

    @Test("a map path may be $ or have a wildcard")
    func wholeEventAndWildcards() {
        #expect(render(#"{"e": <all>}"#).json?["e"] == RenderingTests.event)
        #expect(render(#"{"ids": <ids>}"#).text == #"{"ids": ["a","b"]}"#)
        #expect(render(#""<ids>""#).text == #""[a,b]""#)
    }

    // MARK: String templates

    @Test("string templates: objects and arrays lose their quotes, scalars are bare, missing is empty")
    func stringTemplate() {
        let outcome = render(#""<s>|<o>|<one>|<l>|<b>|<n>|<f>|<z>|<m>|<nested>""#)
        #expect(outcome.text == #""update-account|{acc_id:0a787ecb-4015,sf_id:baz}|[HIGH]|[ACTIVE,INACTIVE]|true|12|1.50|null||[[1,2],[3,[4,5]]]""#)
        #expect(outcome.json == .string("update-account|{acc_id:0a787ecb-4015,sf_id:baz}|[HIGH]|[ACTIVE,INACTIVE]|true|12|1.50|null||[[1,2],[3,[4,5]]]"))
    }

    @Test("string templates are delivered even when the substitution breaks the JSON")
    func brokenStringTemplate() {
        let quote = render(#""He said <q>""#)
        #expect(quote.text == #""He said say "hi"""#)
        #expect(quote.body != nil && quote.json == nil)
        // Only the double quotes are removed from an object: its escapes stay.
        let escaped = render(#""<obj>""#)
        #expect(escaped.text == #""{k:x\y}""#)
        #expect(escaped.json == nil)
    }

    @Test("a multi-line template is delivered verbatim, as text")
    func multiLine() {
        let outcome = render("\"<one> single\"\n\"<o> payload\"\n\"<m> missing\"")
        #expect(outcome.text == "\"[HIGH] single\"\n\"{acc_id:0a787ecb-4015,sf_id:baz} payload\"\n\" missing\"")
        #expect(outcome.body != nil && outcome.json == nil)
    }

    // MARK: Predefined variables

    @Test("rule ARN, rule name and ingestion time: strings in both forms")
    func predefinedStrings() {
        let text = render(#""<aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>""#)
        #expect(text.text == #""arn:aws:events:eu-west-1:111122223333:rule/my-bus/my-rule my-rule 2024-06-11T08:33:10Z""#)
        let json = render(#"{"arn": <aws.events.rule-arn>, "name": "rule <aws.events.rule-name>", "at": <aws.events.event.ingestion-time>}"#)
        #expect(json.text == #"{"arn": "arn:aws:events:eu-west-1:111122223333:rule/my-bus/my-rule", "name": "rule my-rule", "at": "2024-06-11T08:33:10Z"}"#)
    }

    @Test("<aws.events.event>: no detail, detailType, ingestion time, AWS's key order; extra members follow")
    func eventWithoutDetail() throws {
        let replayed = envelope(detail: #"{"a": 1}"#, resources: ["arn:x"], extra: [("replay-name", .string("r1"))])
        let outcome = transformer([], #"{"e": <aws.events.event>}"#).render(event: replayed, context: testContext)
        let event = try #require(outcome.json?["e"])
        guard case .object(let members) = event else { Issue.record("not an object"); return }
        #expect(members.members.map(\.key) == ["id", "account", "detailType", "time", "source", "region", "resources", "version", "replay-name"])
        #expect(event["time"] == .string("2024-06-11T08:33:10Z"))   // the ingestion time, not the event's 08:33:00
        #expect(event["detailType"] == .string("core.update-account-command"))
        #expect(event["resources"] == .array([.string("arn:x")]))
        #expect(event["detail"] == nil)
    }

    @Test("<aws.events.event.json>: the whole envelope as delivered")
    func eventJSON() throws {
        let outcome = render(#"{"e": <aws.events.event.json>, "again": [<aws.events.event.json>]}"#)
        #expect(sameInOrder(try #require(outcome.json?["e"]), RenderingTests.event))
        #expect(outcome.json?["again"]?[0] == RenderingTests.event)
    }

    // MARK: The other input kinds

    @Test("no input configuration: the envelope, compact")
    func wholeEvent() {
        let outcome = TargetInput.event.render(event: RenderingTests.event, context: testContext)
        #expect(outcome.text == RenderingTests.event.jsonText)
        #expect(outcome.json == RenderingTests.event)
    }

    @Test("InputPath: the selection as JSON; a string arrives quoted")
    func inputPath() throws {
        func select(_ path: String) throws -> RenderOutcome {
            try TargetInput(targetID: "t", members: .init(inputPath: path)).render(event: RenderingTests.event, context: testContext)
        }
        #expect(try select("$.detail.payload.sf_id").text == #""baz""#)
        #expect(try select("$.detail.payload").text == #"{"acc_id":"0a787ecb-4015","sf_id":"baz"}"#)
        #expect(try select("$.detail.price").text == "1.50")
        #expect(try select("$.detail.nothing").text == "null")
        #expect(try select("$").json == RenderingTests.event)
        #expect(try select("$.detail.nested[1][1][0]").text == "4")
        #expect(try select("$.detail.items[*].id").text == #"["a","b"]"#)
        #expect(try select("$.detail.payload.*").text == #"["0a787ecb-4015","baz"]"#)
        #expect(try select("$.detail.command[*]").text == "[]")
        #expect(try select("$.detail.missing") == .notDelivered(.pathNotFound))
        #expect(try select("$.detail.nested[2]") == .notDelivered(.pathNotFound))
    }

    @Test("Input: the constant text, verbatim, whatever the event")
    func constant() throws {
        let input = try TargetInput(targetID: "t", members: .init(input: " {\"custom-value\" :  \"x\"}\n"))
        let outcome = input.render(event: .null, context: testContext)
        #expect(outcome.text == " {\"custom-value\" :  \"x\"}\n")
        #expect(outcome.json?["custom-value"] == .string("x"))
    }

    @Test("each path is read once however often its placeholder appears")
    func repeated() {
        #expect(render(#"{"a": "<s>/<s>", "b": [<s>, <s>]}"#).text == #"{"a": "update-account/update-account", "b": ["update-account", "update-account"]}"#)
    }

    @Test("a template paired by hand with a map lacking its placeholder renders it as missing")
    func handAssembled() throws {
        let wide = try InputPathsMap([("a", "$.detail.command")], targetID: "t")
        let template = try InputTemplate(#"{"a": <a>, "b": "x<a>"}"#, pathsMap: wide, targetID: "t")
        let input = TargetInput.transformer(try InputPathsMap([], targetID: "t"), template)
        #expect(input.render(event: RenderingTests.event, context: testContext).text == #"{"a": "", "b": "x"}"#)
    }
}
