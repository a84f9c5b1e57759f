import EventBus
import EventPatterns
import EventRouterServer
import Foundation
import Testing

struct WireTests {
    @Test func queryParametersBecomeJSON() throws {
        let pairs = QueryDecoder.pairs("Action=CreateTargetGroup&Version=2015-12-01&Name=tg+1&Port=80&VpcId=vpc-1"
            + "&Tags.member.2.Key=b&Tags.member.1.Key=a&Tags.member.1.Value=x%2Fy&HealthCheckEnabled=true&Names.member.1=n")
        let params = try QueryDecoder.decode(pairs)
        #expect(JSONValue.object(params).jsonText
                == #"{"Name":"tg 1","Port":80,"VpcId":"vpc-1","Tags":[{"Key":"a","Value":"x/y"},{"Key":"b"}],"HealthCheckEnabled":true,"Names":["n"]}"#)
        #expect(throws: WireError.self) { try QueryDecoder.decode([("Names.member.x", "1")]) }
    }

    @Test func xmlAnswerAndError() {
        let value = JSONValue.object(JSONObject([("TargetGroups", .array([.object(JSONObject([("TargetGroupName", .string("a<b"))]))]))]))
        let answer = WireFormat.success(value, protocol: .query(namespace: "ns"), operation: "DescribeTargetGroups", requestID: "r")
        #expect(answer.bodyText.contains(#"<DescribeTargetGroupsResponse xmlns="ns"><DescribeTargetGroupsResult><TargetGroups><member><TargetGroupName>a&lt;b</TargetGroupName></member></TargetGroups></DescribeTargetGroupsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeTargetGroupsResponse>"#))
        let error = WireFormat.error(WireError("TargetGroupNotFound", "nope"), protocol: .query(namespace: "ns"), service: "elbv2", requestID: "r")
        #expect(error.status == 400)
        #expect(error.bodyText.contains("<Error><Type>Sender</Type><Code>TargetGroupNotFound</Code><Message>nope</Message></Error>"))
    }

    @Test func sqsErrorsCarryTheQueryCode() {
        let error = WireFormat.error(WireError("AWS.SimpleQueueService.NonExistentQueue", "gone"), protocol: .json(version: "1.0"),
                                     service: "sqs", requestID: "r")
        #expect(error.headers.contains { $0.name == "x-amzn-query-error" && $0.value == "AWS.SimpleQueueService.NonExistentQueue;Sender" })
        #expect(error.bodyText == #"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"}"#)
    }

    static func service(credentials: CredentialStore? = nil) -> AWSService {
        AWSService(router: Router(), credentials: credentials, defaultAccount: "111111111111", now: { 1_440_938_160 })
    }

    static func eventsRequest(_ operation: String, _ body: String, headers extra: [(name: String, value: String)] = []) -> SignedRequest {
        SignedRequest(method: "POST", path: "/", query: "",
                      headers: [("host", "localhost"), ("x-amz-target", "AWSEvents." + operation),
                                ("content-type", "application/x-amz-json-1.1")] + extra,
                      body: Array(body.utf8))
    }

    @Test func eventBridgeOverJSON() async {
        let service = Self.service()
        let (created, _) = await service.handle(Self.eventsRequest("CreateEventBus", #"{"Name": "orders"}"#))
        #expect(created.status == 200)
        #expect(created.bodyText.contains("arn:aws:events:us-east-1:111111111111:event-bus/orders"))
        let (bad, _) = await service.handle(Self.eventsRequest("PutRule", #"{"Name": "r", "EventPattern": "{\"a\": 1}"}"#))
        #expect(bad.status == 400)
        #expect(bad.bodyText.contains(#""__type":"InvalidEventPatternException""#))
        let (missing, _) = await service.handle(Self.eventsRequest("DescribeEventBus", #"{"Name": "nope"}"#))
        #expect(missing.bodyText.contains("ResourceNotFoundException"))
        let (garbage, _) = await service.handle(Self.eventsRequest("PutRule", "{nope"))
        #expect(garbage.status == 400)
        #expect(garbage.bodyText.contains("SerializationException"))
        let (unknown, _) = await service.handle(Self.eventsRequest("Frobnicate", "{}"))
        #expect(unknown.bodyText.contains("UnknownOperationException"))
    }

    @Test func simulatorsNotAttachedAnswerUnknownOperation() async {
        let service = Self.service()
        let (batch, _) = await service.handle(SignedRequest(method: "POST", path: "/v1/submitjob", query: "", headers: [("host", "h")], body: Array("{}".utf8)))
        #expect(batch.status == 400)
        #expect(batch.headers.contains { $0.name == "x-amzn-ErrorType" && $0.value == "UnknownOperationException" })
        let (elb, _) = await service.handle(SignedRequest(method: "POST", path: "/", query: "",
                                                          headers: [("host", "h"), ("content-type", "application/x-www-form-urlencoded")],
                                                          body: Array("Action=DescribeLoadBalancers&Version=2015-12-01".utf8)))
        #expect(elb.bodyText.contains("<Code>InvalidAction</Code>"))
        let (nothing, _) = await service.handle(SignedRequest(method: "POST", path: "/", query: "", headers: [("host", "h")], body: []))
        #expect(nothing.bodyText.contains("UnknownOperationException"))
    }

    @Test func authenticationErrors() async {
        let store = CredentialStore(["AKIDEXAMPLE": .init(secretAccessKey: "secret", accountID: "222222222222")])
        let service = Self.service(credentials: store)
        let (missing, _) = await service.handle(Self.eventsRequest("ListEventBuses", "{}"))
        #expect(missing.status == 403)
        #expect(missing.bodyText.contains("MissingAuthenticationTokenException"))
        // The body is read only after authentication: garbage from a stranger is an auth error.
        let (garbage, _) = await service.handle(Self.eventsRequest("PutEvents", "{nope"))
        #expect(garbage.status == 403)
        let unknownKey = "AWS4-HMAC-SHA256 Credential=AKIDOTHER/20150830/us-east-1/events/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
        let (unknown, _) = await service.handle(Self.eventsRequest("ListEventBuses", "{}", headers: [("authorization", unknownKey), ("x-amz-date", "20150830T123600Z")]))
        #expect(unknown.status == 403)
        #expect(unknown.bodyText.contains("The security token included in the request is invalid."))
        let badSignature = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/events/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
        let (bad, _) = await service.handle(Self.eventsRequest("ListEventBuses", "{}", headers: [("authorization", badSignature), ("x-amz-date", "20150830T123600Z")]))
        #expect(bad.status == 403)
        #expect(bad.bodyText.contains("InvalidSignatureException"))
        // A correct signature.
        var request = Self.eventsRequest("ListEventBuses", "{}", headers: [("x-amz-date", "20150830T123600Z")])
        let auth = SigV4.Authorization(accessKeyID: "AKIDEXAMPLE", date: "20150830", region: "eu-west-1", service: "events",
                                       signedHeaders: ["host", "x-amz-date", "x-amz-target"], signature: "")
        let signature = SigV4.expectedSignature(request, authorization: auth, secretAccessKey: "secret")
        request.headers.append(("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/events/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=\(signature)"))
        let (ok, record) = await service.handle(request)
        #expect(ok.status == 200)
        #expect(ok.bodyText.contains("arn:aws:events:eu-west-1:222222222222:event-bus/default"))
        #expect(record.account == "222222222222")
    }

    @Test func oversizedBodiesAreRefused() async {
        let service = AWSService(router: Router(), credentials: nil, maximumBodySize: 10)
        let (answer, _) = await service.handle(Self.eventsRequest("ListEventBuses", "{\"Limit\": 10}"))
        #expect(answer.status == 413)
    }
}

struct BatchRoutingAndJournalTests {
    @Test func batchPathsNameOperations() async {
        let service = AWSService(router: Router(), credentials: nil)
        for (method, path, operation) in [("POST", "/v1/submitjob", "SubmitJob"), ("POST", "/v1/describecomputeenvironments", "DescribeComputeEnvironments"),
                                          ("GET", "/v1/tags/arn%3Aaws%3Abatch%3Aus-east-1%3A1%3Ajob-queue%2Fq", "ListTagsForResource"),
                                          ("DELETE", "/v1/tags/arn?tagKeys=a&tagKeys=b", "UntagResource")] {
            let parts = path.split(separator: "?", maxSplits: 1).map(String.init)
            let (_, record) = await service.handle(SignedRequest(method: method, path: parts[0], query: parts.count > 1 ? parts[1] : "",
                                                                 headers: [("host", "h")], body: []))
            #expect(record.service == "batch")
            #expect(record.operation == operation)
        }
        let (answer, _) = await service.handle(SignedRequest(method: "POST", path: "/v1/nosuchthing", query: "", headers: [("host", "h")], body: []))
        #expect(answer.status == 404)
        #expect(answer.headers.contains { $0.name == "x-amzn-ErrorType" && $0.value == "UnknownOperationException" })
    }

    @Test func journalReplaysConfigurationCalls() async throws {
        let directory = NSTemporaryDirectory() + "journal-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try StateJournal(directory: directory)
        let service = AWSService(router: Router(), credentials: nil, journal: journal)
        _ = await service.handle(WireTests.eventsRequest("CreateEventBus", #"{"Name": "kept"}"#))
        _ = await service.handle(WireTests.eventsRequest("PutRule", #"{"Name": "r", "EventBusName": "kept", "EventPattern": "{\"source\": [\"a\"]}"}"#))
        _ = await service.handle(WireTests.eventsRequest("PutRule", #"{"Name": "bad", "EventPattern": "{\"source\": \"a\"}"}"#))   // fails: not kept
        _ = await service.handle(WireTests.eventsRequest("PutEvents", #"{"Entries": [{"Source": "a", "DetailType": "t", "Detail": "{}"}]}"#))   // not configuration
        FileManager.default.createFile(atPath: directory + "/extra", contents: nil)
        let handle = FileHandle(forWritingAtPath: directory + "/journal.jsonl")
        handle?.seekToEndOfFile()
        handle?.write(Data("not json\n".utf8))
        try handle?.close()

        let router = Router()
        let (replayed, failed) = try StateJournal(directory: directory).replay(onto: router)
        #expect(replayed == 2)
        #expect(failed == 1)
        let rule = try router.call(service: "events", operation: "DescribeRule", account: "000000000000", region: "us-east-1",
                                   params: JSONReader.parse(#"{"Name": "r", "EventBusName": "kept"}"#))
        #expect(rule["EventPattern"] == .string(#"{"source": ["a"]}"#))
    }
}
