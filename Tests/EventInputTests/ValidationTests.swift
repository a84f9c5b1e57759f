import EventInput
import EventPatterns
import Testing

/// Every PutTargets error this module raises, with its exact message.
@Suite("Validation")
struct ValidationTests {
    // MARK: Which input

    @Test("no input member: the whole event")
    func noInput() throws {
        #expect(try TargetInput(target: json(#"{"Id": "t1", "Arn": "arn:aws:sqs:eu-west-1:1:q"}"#)) == .event)
        #expect(try TargetInput(target: json(#"{"Id": "t1", "Arn": "a", "Input": null, "InputPath": null, "InputTransformer": null}"#)) == .event)
    }

    @Test("more than one of Input, InputPath, InputTransformer", arguments: [
        #"{"Id": "t1", "Arn": "a", "Input": "{}", "InputPath": "$"}"#,
        #"{"Id": "t1", "Arn": "a", "Input": "{}", "InputTransformer": {"InputTemplate": "\"x\""}}"#,
        #"{"Id": "t1", "Arn": "a", "InputPath": "$.detail", "InputTransformer": {"InputTemplate": "\"x\""}}"#,
        #"{"Id": "t1", "Arn": "a", "Input": "not json", "InputPath": "not a path", "InputTransformer": {"InputTemplate": "bad"}}"#,
    ])
    func multipleInputs(_ target: String) throws {
        let error = try #require(targetError(target))
        #expect(error.code == .validationException)
        #expect(error.kind == .multipleInputs)
        #expect(error.message == "Only one of Input, InputPath, or InputTransformer must be provided for target t1.")
    }

    // MARK: Input

    @Test("Input must be one JSON text: AWS's message and Jackson's location")
    func inputJSON() throws {
        // Both messages are on record from real AWS (aws-cli #6711, ansible community.aws #201).
        let env = try #require(targetError(#"{"Id": "1", "Arn": "a", "Input": "env:dev"}"#))
        #expect(env.kind == .invalidInputJSON)
        #expect(env.message == #"JSON syntax error in input for target 1: [Source: (String)"env:dev"; line: 1, column: 4]"#)
        let quotes = try #require(targetError(#"{"Id": "clone_lambda", "Arn": "a", "Input": "{'db_name': 'x'}"}"#))
        #expect(quotes.message == #"JSON syntax error in input for target clone_lambda: [Source: (String)"{'db_name': 'x'}"; line: 1, column: 3]"#)
        // Line and column on a later line; end of input; trailing content.
        #expect(targetError(#"{"Id": "t", "Arn": "a", "Input": "{\n  \"a\": }"}"#)?.message
                == "JSON syntax error in input for target t: [Source: (String)\"{\n  \"a\": }\"; line: 2, column: 9]")
        #expect(targetError(#"{"Id": "t", "Arn": "a", "Input": "{\"a\": 1"}"#)?.message
                == #"JSON syntax error in input for target t: [Source: (String)"{"a": 1"; line: 1, column: 8]"#)
        #expect(targetError(#"{"Id": "t", "Arn": "a", "Input": "{} {}"}"#)?.kind == .invalidInputJSON)
        #expect(targetError(#"{"Id": "t", "Arn": "a", "Input": ""}"#)?.kind == .invalidInputJSON)
    }

    @Test("Input may be any JSON value and is kept verbatim")
    func inputValues() throws {
        for text in ["\"hello\"", "42", "[1, 2]", "true", "null", " {\"a\" : 1} "] {
            let input = try TargetInput(targetID: "t", members: .init(input: text))
            guard case .constant(let constant) = input else { Issue.record("not a constant"); continue }
            #expect(constant.text == text)
        }
    }

    @Test("Jackson truncates the echoed source at 500 chars")
    func longSourceIsTruncated() throws {
        let text = "[" + String(repeating: "1,", count: 400) + "x]"
        let failure = caught { () throws(TargetInputError) in _ = try InputConstant(text, targetID: "t") }
        let error = try #require(failure)
        #expect(error.message.contains(#""[truncated 303 chars]; line: 1, column: 803]"#), "\(error.message)")
    }

    // MARK: Model constraints

    @Test("Id constraints, with AWS's messages")
    func idConstraints() throws {
        // Observed on AWS (aws-observed-api.jsonl: target/id-invalid-characters).
        #expect(targetError(#"{"Id": "!@#$@!#$", "Arn": "a", "InputPath": "$.detail"}"#)?.message
                == #"1 validation error detected: Value '!@#$@!#$' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+"#)
        let long = String(repeating: "a", count: 65)
        #expect(targetError(#"{"Id": "\#(long)", "Arn": "a"}"#)?.message
                == "1 validation error detected: Value '\(long)' at 'targets.1.member.id' failed to satisfy constraint: Member must have length less than or equal to 64")
        #expect(targetError(#"{"Arn": "a"}"#)?.message
                == "1 validation error detected: Value null at 'targets.1.member.id' failed to satisfy constraint: Member must not be null")
        #expect(targetError(#"{"Id": "", "Arn": "a"}"#)?.violations.count == 2)
        #expect(targetError(#"{"Id": "a.b-c_D9", "Arn": "a"}"#) == nil)
    }

    @Test("all constraint violations are reported together")
    func aggregated() throws {
        let input = String(repeating: "1", count: 8193)
        let error = try #require(targetError(#"{"Id": "bad id", "Input": "\#(input)"}"#))
        #expect(error.kind == .constraintViolation)
        #expect(error.violations.map(\.field) == ["targets.1.member.id", "targets.1.member.arn", "targets.1.member.input"])
        #expect(error.message.hasPrefix("3 validation errors detected: Value 'bad id' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+; Value null at 'targets.1.member.arn' failed to satisfy constraint: Member must not be null; Value '1111"))
        #expect(error.message.hasSuffix("' at 'targets.1.member.input' failed to satisfy constraint: Member must have length less than or equal to 8192"))
        // The member index names the target's place in the request.
        let target = json(#"{"Id": "t", "Arn": "a", "InputPath": "\#(String(repeating: "a", count: 257))"}"#)
        let failure = caught { () throws(TargetInputError) in _ = try TargetInput(target: target, memberIndex: 3) }
        let third = try #require(failure)
        #expect(third.violations.first?.field == "targets.3.member.inputPath")
    }

    @Test("length limits: Input 8192, InputPath 256, template 1...8192, Arn 1600")
    func lengths() throws {
        #expect(targetError(#"{"Id": "t", "Arn": "a", "Input": "\"\#(String(repeating: "x", count: 8190))\""}"#) == nil)
        #expect(targetError(#"{"Id": "t", "Arn": "a", "Input": "\"\#(String(repeating: "x", count: 8191))\""}"#)?.kind == .constraintViolation)
        let path256 = "$." + String(repeating: "a", count: 254)
        #expect(targetError(#"{"Id": "t", "Arn": "a", "InputPath": "\#(path256)"}"#) == nil)
        #expect(targetError(#"{"Id": "t", "Arn": "a", "InputPath": "\#(path256)a"}"#)?.message.hasSuffix("at 'targets.1.member.inputPath' failed to satisfy constraint: Member must have length less than or equal to 256") == true)
        #expect(transformerError([], "")?.message
                == "1 validation error detected: Value '' at 'targets.1.member.inputTransformer.inputTemplate' failed to satisfy constraint: Member must have length greater than or equal to 1")
        let template8192 = "\"" + String(repeating: "x", count: 8190) + "\""
        #expect(transformerError([], template8192) == nil)
        #expect(transformerError([], template8192 + " ")?.violations.first?.constraint == "Member must have length less than or equal to 8192")
        #expect(targetError(#"{"Id": "t", "Arn": "\#(String(repeating: "a", count: 1601))"}"#)?.violations.first?.field == "targets.1.member.arn")
        #expect(targetError(#"{"Id": "t", "Arn": ""}"#)?.violations.first?.constraint == "Member must have length greater than or equal to 1")
        // Lengths are Java chars (UTF-16 code units): 4,096 emoji are 8,192 of them.
        let emoji = "\"" + String(repeating: "😀", count: 4095) + "\""
        #expect(transformerError([], emoji) == nil)
        #expect(transformerError([], emoji + "  ")?.kind == .constraintViolation)
    }

    @Test("the template is required in an InputTransformer")
    func templateRequired() throws {
        #expect(targetError(#"{"Id": "t", "Arn": "a", "InputTransformer": {}}"#)?.message
                == "1 validation error detected: Value null at 'targets.1.member.inputTransformer.inputTemplate' failed to satisfy constraint: Member must not be null")
        #expect(targetError(#"{"Id": "t", "Arn": "a", "InputTransformer": {"InputPathsMap": {"a": "$.a"}}}"#)?.kind == .constraintViolation)
    }

    @Test("InputPathsMap keys: [A-Za-z0-9_-]{1,256}, AWS's message")
    func mapKeys() throws {
        // The form of the message is on record from AWS (a console user's PutTargets error).
        let error = try #require(transformerError([("Quem foi?", "$.detail.userIdentity.userName"), ("ok", "$.a")], "\"<ok>\""))
        #expect(error.message == #"1 validation error detected: Value '{Quem foi?=$.detail.userIdentity.userName, ok=$.a}' at 'targets.1.member.inputTransformer.inputPathsMap' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [A-Za-z0-9\_\-]+]"#)
        for bad in ["", "a.b", "aws.events.rule-name", "é", "a b", String(repeating: "k", count: 257)] {
            #expect(transformerError([(bad, "$")], "\"x\"")?.kind == .constraintViolation, "\(bad)")
        }
        for good in ["a", "A-Z_0-9", String(repeating: "k", count: 256), "detail-type", "aws"] {
            #expect(transformerError([(good, "$")], "\"x\"") == nil, "\(good)")
        }
    }

    @Test("InputPathsMap: at most 100 entries; values at most 256 chars")
    func mapSize() throws {
        let hundred = (0..<100).map { ("k\($0)", "$.detail.k\($0)") }
        #expect(transformerError(hundred, "\"<k0> <k99>\"") == nil)
        let error = try #require(transformerError(hundred + [("k100", "$")], "\"x\""))
        #expect(error.violations.map(\.constraint) == ["Member must have length less than or equal to 100"])
        let longPath = "$." + String(repeating: "a", count: 255)
        #expect(transformerError([("a", longPath)], "\"x\"")?.violations.map(\.constraint)
                == ["Map value must satisfy constraint: [Member must have length less than or equal to 256]"])
    }

    @Test("keys may not start with AWS")
    func reservedKeys() throws {
        let error = try #require(transformerError([("AWSAccount", "$.account")], "\"<AWSAccount>\""))
        #expect(error.kind == .reservedKey)
        #expect(error.message == "InputPathsMap for target t1 contains reserved key AWSAccount.")
        #expect(transformerError([("awsAccount", "$.account")], "\"<awsAccount>\"") == nil)
    }

    @Test("a repeated key keeps its last path")
    func repeatedKey() throws {
        let input = try TargetInput(target: json(#"{"Id": "t", "Arn": "a", "InputTransformer": {"InputPathsMap": {"v": "$.a", "v": "$.b"}, "InputTemplate": "\"<v>\""}}"#))
        guard case .transformer(let map, _) = input else { Issue.record("not a transformer"); return }
        #expect(map.count == 1)
        #expect(map["v"]?.text == "$.b")
    }

    // MARK: Placeholders

    @Test("a placeholder must be a map key or a predefined variable: AWS's message")
    func invalidPlaceholder() throws {
        // The conformance case, and the first undefined name wins.
        let error = try #require(transformerError([("detail-type", "$.detail-type")],
                                                  "\"Event of <detail-type> type, with not defined key <notdefinedkey> and <other>\""))
        #expect(error.kind == .invalidPlaceholder)
        #expect(error.message == "InputTemplate for target t1 contains invalid placeholder notdefinedkey.")
        #expect(transformerError([], "{\"a\": <aws.events.rule-name>}") == nil)
        #expect(transformerError([], "\"<aws.events.unknown>\"")?.message == "InputTemplate for target t1 contains invalid placeholder aws.events.unknown.")
        #expect(transformerError([], "\"<AWS.EVENTS.RULE-NAME>\"")?.kind == .invalidPlaceholder)
        // The check comes before the form and syntax checks.
        #expect(transformerError([], "plain <undefined>")?.kind == .invalidPlaceholder)
    }

    @Test("only <name> with name in [A-Za-z0-9_.-]+ is a placeholder; other angle brackets are text")
    func notPlaceholders() throws {
        for template in ["\"a < b > c\"", "\"<a b>\"", "\"<>\"", "\"</b>\"", "\"<<\"", "\"x>y<z\"", "{\"html\": \"<p/>\"}"] {
            #expect(transformerError([], template) == nil, "\(template)")
        }
        let input = transformer([], "\"1 < 2 and <> ok\"")
        #expect(input.render(event: envelope(detail: "{}"), context: testContext).text == "\"1 < 2 and <> ok\"")
    }

    @Test("<aws.events.event> and <aws.events.event.json> only as JSON values", arguments: [
        "\"<aws.events.event.json>\"",
        "\"the event: <aws.events.event>\"",
        "{\"e\": \"<aws.events.event.json>\"}",
        "{\"e\": \"x <aws.events.event>\"}",
    ])
    func jsonOnlyPlaceholders(_ template: String) throws {
        let error = try #require(transformerError([], template))
        #expect(error.kind == .jsonOnlyPlaceholder)
        #expect(error.message.hasPrefix("InputTemplate for target t1 contains placeholder aws.events.event"))
        #expect(error.message.hasSuffix(" valid only for JSON template."))
    }

    @Test("placeholders are not allowed in object keys")
    func placeholderKeys() throws {
        let unquoted = try #require(transformerError([("k", "$.a")], "{<k>: 1}"))
        #expect(unquoted.kind == .placeholderAsKey)
        #expect(unquoted.message == "InputTemplate for target t1 contains placeholder k used as an object key.")
        #expect(transformerError([("k", "$.a")], "{\"key-<k>\" : 1}")?.kind == .placeholderAsKey)
        #expect(transformerError([("k", "$.a")], "{\"a\": {\"<k>\"\n:1}}")?.kind == .placeholderAsKey)
        #expect(transformerError([("k", "$.a")], "{\"a\": \"<k>\", \"b\": [\"<k>\"]}") == nil)
    }

    // MARK: Template forms

    @Test("a template is a JSON object or quoted strings", arguments: [
        "plain text <v>", "<v>", "[<v>]", "42", "true", " ", "\n", "'single'",
    ])
    func badForms(_ template: String) throws {
        let error = try #require(transformerError([("v", "$.a")], template))
        #expect(error.kind == .invalidTemplate)
        #expect(error.message == "InputTemplate for target t1 must be a JSON object or one or more quoted strings.")
    }

    @Test("malformed templates give a JSON syntax error with Jackson's location")
    func malformedTemplates() throws {
        let cases: [(String, String)] = [
            ("{\"a\": <v>", #"JSON syntax error in InputTemplate for target t1: [Source: (String)"{"a": <v>"; line: 1, column: 10]"#),
            ("{\"a\": <v> <v>}", #"JSON syntax error in InputTemplate for target t1: [Source: (String)"{"a": <v> <v>}"; line: 1, column: 12]"#),
            ("{\"a\": x<v>}", #"JSON syntax error in InputTemplate for target t1: [Source: (String)"{"a": x<v>}"; line: 1, column: 8]"#),
            ("\"unterminated <v>", #"JSON syntax error in InputTemplate for target t1: [Source: (String)""unterminated <v>"; line: 1, column: 18]"#),
            ("\"a\"\nb", "JSON syntax error in InputTemplate for target t1: [Source: (String)\"\"a\"\nb\"; line: 2, column: 2]"),
            ("\"bad \\q escape\"", #"JSON syntax error in InputTemplate for target t1: [Source: (String)""bad \q escape""; line: 1, column: 8]"#),
            ("\"tab\tinside\"", "JSON syntax error in InputTemplate for target t1: [Source: (String)\"\"tab\tinside\"\"; line: 1, column: 6]"),
            ("{\"a\": 1} {\"b\": 2}", #"JSON syntax error in InputTemplate for target t1: [Source: (String)"{"a": 1} {"b": 2}"; line: 1, column: 11]"#),
            ("\"a\" <v>", #"JSON syntax error in InputTemplate for target t1: [Source: (String)""a" <v>"; line: 1, column: 6]"#),
        ]
        for (template, message) in cases {
            let error = try #require(transformerError([("v", "$.a")], template), "\(template)")
            #expect(error.kind == .invalidTemplate, "\(template)")
            #expect(error.message == message)
        }
    }

    @Test("well-formed templates of both forms")
    func goodForms() throws {
        for template in [
            "{}", " {\"a\": <v>} ", "{\"a\": [<v>, \"<v>\", {\"b\": <v>}]}", "\"\"", "\"<v>\"",
            "\"line 1 <v>\"\n\"line 2\"", "\"a\" \"b\"\t\"c\"", "\"escaped \\\"<v>\\\" and \\u00e9\"",
        ] {
            #expect(transformerError([("v", "$.a")], template) == nil, "\(template)")
        }
        guard case .transformer(_, let json) = transformer([("v", "$.a")], " {\"a\": <v>}") else { return }
        #expect(json.form == .jsonObject)
        guard case .transformer(_, let strings) = transformer([("v", "$.a")], "\"<v>\" \"<aws.events.rule-name> <v>\"") else { return }
        #expect(strings.form == .strings)
        #expect(strings.placeholders == ["v", "aws.events.rule-name"])
    }

    @Test("a template nested deeper than 256 levels is rejected")
    func deepTemplate() throws {
        let deep = String(repeating: "{\"a\":", count: 257) + "1" + String(repeating: "}", count: 257)
        #expect(transformerError([], deep)?.kind == .invalidTemplate)
        let fine = String(repeating: "{\"a\":", count: 256) + "1" + String(repeating: "}", count: 256)
        #expect(transformerError([], fine) == nil)
    }

    // MARK: InputPath

    @Test("a bad InputPath or map path: AWS's message", arguments: [
        "", "detail", "$.", "$..a", "$.a.", "$ .a", "$.a b", "$[", "$[0", "$[-1]", "$[01]", "$[1000000000]", "$['']", "$['a\\'b']",
        "$['a]", "$[a]", "$.a[?(@.b)]", "$.a[0:2]", "$.a[0,1]", "$.é", "$.a:b", "$.*a", "@.a", "$$",
    ])
    func badPaths(_ path: String) throws {
        let direct = try #require(targetError(#"{"Id": "t1", "Arn": "a", "InputPath": \#(JSONValue.string(path).jsonText)}"#))
        #expect(direct.kind == .invalidInputPath)
        #expect(direct.message == "InputPath for target t1 is invalid.")
        #expect(direct.field == "targets.1.member.inputPath")
        let mapped = try #require(transformerError([("v", path)], "\"<v>\""))
        #expect(mapped.message == "InputPath for target t1 is invalid.")
        #expect(mapped.field == "targets.1.member.inputTransformer.inputPathsMap")
    }

    @Test("good paths", arguments: [
        "$", "$.detail", "$.detail-type", "$.detail.instance-id", "$.a_b.C9", "$.resources[0]", "$.a[12][0]", "$.a['b-c']",
        "$.a[\"x y\"]", "$['aws:tag']", "$.a.*", "$.a[*].b", "$.a/b", "$[999999999]", "$.0",
    ])
    func goodPaths(_ path: String) throws {
        #expect(targetError(#"{"Id": "t1", "Arn": "a", "InputPath": \#(JSONValue.string(path).jsonText)}"#) == nil)
    }

    @Test("the path offset points at the first bad character")
    func pathOffset() throws {
        do {
            _ = try InputPath("$.detail..x", targetID: "t")
            Issue.record("should fail")
        } catch {
            #expect(error.offset == 9)
        }
    }

    // MARK: Shape of the request

    @Test("members of the wrong JSON type are a SerializationException", arguments: [
        #"[]"#,
        #"{"Id": 5, "Arn": "a"}"#,
        #"{"Id": "t", "Arn": "a", "Input": {"a": 1}}"#,
        #"{"Id": "t", "Arn": "a", "InputPath": ["$"]}"#,
        #"{"Id": "t", "Arn": "a", "InputTransformer": "x"}"#,
        #"{"Id": "t", "Arn": "a", "InputTransformer": {"InputPathsMap": [], "InputTemplate": "\"x\""}}"#,
        #"{"Id": "t", "Arn": "a", "InputTransformer": {"InputPathsMap": {"a": 1}, "InputTemplate": "\"x\""}}"#,
        #"{"Id": "t", "Arn": "a", "InputTransformer": {"InputTemplate": true}}"#,
    ])
    func serialization(_ target: String) throws {
        let error = try #require(targetError(target))
        #expect(error.code == .serializationException)
        #expect(error.kind == .malformedTarget)
    }

    @Test("unknown Target members are ignored")
    func otherMembers() throws {
        #expect(targetError(#"{"Id": "t", "Arn": "a", "RoleArn": "r", "RetryPolicy": {"MaximumRetryAttempts": 0}, "InputPath": "$.detail"}"#) == nil)
    }

    // MARK: Round trip

    @Test("apiMembers and jsonMembers give back what was validated")
    func roundTrip() throws {
        let targets = [
            #"{"Id": "t", "Arn": "a"}"#,
            #"{"Id": "t", "Arn": "a", "Input": " {\"a\": 1} "}"#,
            #"{"Id": "t", "Arn": "a", "InputPath": "$.detail['x-y']"}"#,
            #"{"Id": "t", "Arn": "a", "InputTransformer": {"InputPathsMap": {"b": "$.b", "a": "$.a"}, "InputTemplate": "{\"x\": <a>}"}}"#,
            #"{"Id": "t", "Arn": "a", "InputTransformer": {"InputTemplate": "\"<aws.events.rule-name>\""}}"#,
        ]
        for text in targets {
            let input = try TargetInput(target: json(text))
            #expect(try TargetInput(targetID: "t", members: input.apiMembers) == input)
            var members: [(String, JSONValue)] = [("Id", .string("t")), ("Arn", .string("a"))]
            members += input.jsonMembers.map { ($0.key, $0.value) }
            let rebuilt = object(members)
            #expect(sameInOrder(rebuilt, json(text)), "\(rebuilt.jsonText)")
        }
    }

    @Test("errors describe themselves with their code")
    func errorDescription() throws {
        let error = try #require(targetError(#"{"Id": "t1", "Arn": "a", "Input": "1", "InputPath": "$"}"#))
        #expect(error.description == "ValidationException: Only one of Input, InputPath, or InputTransformer must be provided for target t1.")
    }
}
