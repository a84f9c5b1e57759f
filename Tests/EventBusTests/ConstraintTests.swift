import EventBus
import EventPatterns
import Testing

/// Member constraints of the API model (lengths, patterns, list sizes) fail the whole request with
/// one ValidationException that lists every broken member, in AWS's wording.
@Suite struct ConstraintTests {
    func error(_ operation: String, _ params: String) throws -> APIError? {
        let (router, _) = makeRouter()
        _ = try router.putRule(account: account, region: region, name: "r", eventPattern: #"{"source":["x"]}"#)
        let value = try JSONReader.parse(params)
        do {
            _ = try router.call(service: "events", operation: operation, account: account, region: region, params: value)
            return nil
        } catch {
            return error
        }
    }

    @Test func putEventsChecksEveryEntrysMembers() throws {
        let failure = try error("PutEvents", #"{"Entries": [{"Source": "s", "DetailType": "t", "Detail": "{}", "EventBusName": "bad name!"}]}"#)
        #expect(failure?.code == "ValidationException")
        #expect(failure?.message == "1 validation error detected: Value 'bad name!' at 'entries.1.member.eventBusName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[\\.\\-_A-Za-z0-9]+")
        let long = String(repeating: "t", count: 501)
        let resource = String(repeating: "r", count: 2049)
        let two = try error("PutEvents", #"{"Entries": [{"Source": "s", "DetailType": "t", "Detail": "{}", "TraceHeader": "\#(long)"}, {"Source": "s", "DetailType": "t", "Detail": "{}", "Resources": ["\#(resource)"], "EventBusName": ""}]}"#)
        #expect(two?.message.hasPrefix("4 validation errors detected: ") == true)
        for field in ["entries.1.member.traceHeader", "entries.2.member.resources.1.member", "entries.2.member.eventBusName"] {
            #expect(two?.message.contains("at '\(field)'") == true, "\(field)")
        }
        // A rule ARN, a short account, an empty name after event-bus/ are not bus names or ARNs.
        for bad in ["arn:aws:events:us-east-1:111111111111:rule/x", "arn:aws:events:us-east-1:11111111111:event-bus/b",
                    "arn:aws:events:us-east-1:111111111111:event-bus/", "arn:aws:sqs:us-east-1:111111111111:event-bus/b",
                    "arn:aws:events:useast1:111111111111:event-bus/b", "aws.partner/x"] {
            let failure = try error("PutEvents", #"{"Entries": [{"Source": "s", "DetailType": "t", "Detail": "{}", "EventBusName": "\#(bad)"}]}"#)
            #expect(failure?.message.contains("at 'entries.1.member.eventBusName' failed to satisfy constraint: Member must satisfy regular expression pattern") == true, "\(bad)")
        }
        for good in ["arn:aws-cn:events:cn-north-1:111111111111:event-bus/b", "arn:aws-us-gov:events:us-gov-west-1:111111111111:event-bus/b"] {
            let failure = try error("PutEvents", #"{"Entries": [{"Source": "s", "DetailType": "t", "Detail": "{}", "EventBusName": "\#(good)"}]}"#)
            #expect(failure == nil, "\(good)")
        }
        // Names and event-bus ARNs of any region pass.
        #expect(try error("PutEvents", #"{"Entries": [{"Source": "s", "DetailType": "t", "Detail": "{}", "EventBusName": "arn:aws:events:eu-west-1:111111111111:event-bus/default"}, {"Source": "s", "DetailType": "t", "Detail": "{}", "EventBusName": "my.bus-1_x"}]}"#) == nil)
    }

    @Test func putRuleReportsEveryBrokenMember() throws {
        let bang = String(repeating: "!", count: 65)
        let failure = try error("PutRule", #"{"Name": "\#(bang)", "EventPattern": "{\"source\":[\"x\"]}", "State": "FOO", "Description": "\#(String(repeating: "d", count: 513))"}"#)
        #expect(failure?.message.hasPrefix("4 validation errors detected: Value '\(bang)' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern") == true)
        #expect(failure?.message.contains("at 'name' failed to satisfy constraint: Member must have length less than or equal to 64") == true)
        #expect(failure?.message.contains("at 'state'") == true)
        #expect(failure?.message.contains("at 'description'") == true)
        let empty = try error("PutRule", #"{"Name": "ok", "EventPattern": "{\"source\":[\"x\"]}", "EventBusName": "", "RoleArn": ""}"#)
        #expect(empty?.message.hasPrefix("3 validation errors detected: ") == true)
        #expect(empty?.message.contains("Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 1") == true)
        let badBus = try error("PutRule", #"{"Name": "ok", "EventPattern": "{\"source\":[\"x\"]}", "EventBusName": "bad bus!"}"#)
        #expect(badBus?.code == "ValidationException")
        // A partner bus name (with '/') is a well-formed name: it is merely missing here.
        let partner = try error("PutRule", #"{"Name": "ok", "EventPattern": "{\"source\":[\"x\"]}", "EventBusName": "aws.partner/example.com/1"}"#)
        #expect(partner?.code == "ResourceNotFoundException")
    }

    @Test func putTargetsReportsEveryTarget() throws {
        let failure = try error("PutTargets", #"{"Rule": "r", "Targets": [{"Id": "a b", "Arn": "arn:aws:sqs:us-east-1:111111111111:q"}, {"Id": "c d", "Arn": "arn:aws:sqs:us-east-1:111111111111:q"}]}"#)
        #expect(failure?.message.hasPrefix("2 validation errors detected: Value 'a b' at 'targets.1.member.id'") == true)
        #expect(failure?.message.contains("Value 'c d' at 'targets.2.member.id'") == true)
        let none = try error("PutTargets", #"{"Rule": "r", "Targets": []}"#)
        #expect(none?.message == "1 validation error detected: Value '[]' at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1")
        let retry = try error("PutTargets", #"{"Rule": "r", "Targets": [{"Id": "a", "Arn": "arn:aws:sqs:us-east-1:111111111111:q", "RetryPolicy": {"MaximumRetryAttempts": 186, "MaximumEventAgeInSeconds": 59}}]}"#)
        #expect(retry?.message.hasPrefix("2 validation errors detected: Value '186' at 'targets.1.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185") == true)
        #expect(retry?.message.contains("Member must have value greater than or equal to 60") == true)
    }

    /// The input members' violations (found by TargetInput) and putTargets' own (rule, role,
    /// retry ranges) come back in one message, in the model's member order, each once.
    @Test func putTargetsMergesInputAndTargetViolations() throws {
        let queue = "arn:aws:sqs:us-east-1:111111111111:q"
        let longPath = "$." + String(repeating: "p", count: 255)
        let both = try error("PutTargets", #"{"Rule": "r r", "Targets": [{"Id": "a b", "Arn": "\#(queue)", "InputPath": "\#(longPath)", "RoleArn": "", "RetryPolicy": {"MaximumRetryAttempts": 186}}, {"Id": "ok", "Arn": "\#(queue)", "InputTransformer": {"InputPathsMap": {"AWSx": "$.a"}}}]}"#)
        let fields = both.map { failure in
            failure.message.split(separator: "; ").compactMap { part in
                part.range(of: " at '").map { start in String(part[start.upperBound...].prefix { $0 != "'" }) }
            }
        }
        #expect(both?.message.hasPrefix("6 validation errors detected: Value 'r r' at 'rule' failed to satisfy constraint: Member must satisfy regular expression pattern") == true)
        #expect(fields == ["rule", "targets.1.member.id", "targets.1.member.roleArn", "targets.1.member.inputPath",
                           "targets.1.member.retryPolicy.maximumRetryAttempts", "targets.2.member.inputTransformer.inputTemplate"])
        // An id that breaks the pattern and the length: both, pattern first, each once.
        let longBad = String(repeating: "!", count: 65)
        let id = try error("PutTargets", #"{"Rule": "r", "Targets": [{"Id": "\#(longBad)", "Arn": "\#(queue)"}]}"#)
        #expect(id?.message == "2 validation errors detected: Value '\(longBad)' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+; Value '\(longBad)' at 'targets.1.member.id' failed to satisfy constraint: Member must have length less than or equal to 64")
        // Constraints first: a broken template of target 1 waits for target 2's constraints.
        let order = try error("PutTargets", #"{"Rule": "r", "Targets": [{"Id": "a", "Arn": "\#(queue)", "InputTransformer": {"InputTemplate": "{\"x\": <nope>}"}}, {"Id": "b", "Arn": "\#(queue)", "RetryPolicy": {"MaximumEventAgeInSeconds": 1}}]}"#)
        #expect(order?.message == "1 validation error detected: Value '1' at 'targets.2.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60")
        let template = try error("PutTargets", #"{"Rule": "r", "Targets": [{"Id": "a", "Arn": "\#(queue)", "InputTransformer": {"InputTemplate": "{\"x\": <nope>}"}}]}"#)
        #expect(template?.message == "InputTemplate for target a contains invalid placeholder nope.")
        // Missing required members are reported with the rest, at their own paths.
        let missing = try error("PutTargets", #"{"Targets": [{"Id": "a b"}, {"Arn": "\#(queue)", "RetryPolicy": {"MaximumRetryAttempts": -1}}]}"#)
        #expect(missing?.message == "5 validation errors detected: Value null at 'rule' failed to satisfy constraint: Member must not be null; Value 'a b' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+; Value null at 'targets.1.member.arn' failed to satisfy constraint: Member must not be null; Value null at 'targets.2.member.id' failed to satisfy constraint: Member must not be null; Value '-1' at 'targets.2.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to 0")
        // A member of the wrong JSON type is a SerializationException before anything else.
        let shape = try error("PutTargets", #"{"Rule": "r r", "Targets": [{"Id": "a", "Arn": "\#(queue)", "InputPath": 5}]}"#)
        #expect(shape?.code == "SerializationException")
    }

    @Test func testEventPatternTakesPutRulesLengthLimit() throws {
        let pattern = #"{"source":[""# + String(repeating: "x", count: 4090) + #""]}"#
        let failure = try error("TestEventPattern", JSONValue.object(JSONObject([
            ("EventPattern", .string(pattern)),
            ("Event", .string(#"{"id":"1","account":"111111111111","source":"s","time":"2025-01-01T00:00:00Z","region":"us-east-1","detail-type":"t","detail":{}}"#)),
        ])).jsonText)
        #expect(failure?.code == "ValidationException")
        #expect(failure?.message.hasSuffix("at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to 4096") == true)
    }

    @Test func createEventBusNameLengthInAWSWords() throws {
        let failure = try error("CreateEventBus", #"{"Name": ""}"#)
        #expect(failure?.message == "1 validation error detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1")
    }
}
