import EventBus
import EventPatterns
import Testing

/// The SQS operations the HTTP server needs beyond the router's own use of queues.
@Suite struct QueueOperationsTests {
    func call(_ router: Router, _ operation: String, _ params: String, account: String = account) throws -> JSONValue {
        try router.call(service: "sqs", operation: operation, account: account, region: region, params: try JSONReader.parse(params))
    }

    @Test func sendListPurgeDelete() throws {
        let (router, _) = makeRouter()
        let url = try call(router, "CreateQueue", #"{"QueueName": "b"}"#)["QueueUrl"]
        _ = try call(router, "CreateQueue", #"{"QueueName": "a"}"#)
        _ = try call(router, "CreateQueue", #"{"QueueName": "c"}"#, account: other)
        guard case .string(let queueURL)? = url else { Issue.record("no QueueUrl"); return }
        let sent = try call(router, "SendMessage", #"{"QueueUrl": "\#(queueURL)", "MessageBody": "hello", "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}}"#)
        let received = try call(router, "ReceiveMessage", #"{"QueueUrl": "\#(queueURL)"}"#)
        #expect(received["Messages"]?[0]?["MessageId"] == sent["MessageId"])
        #expect(received["Messages"]?[0]?["Body"] == .string("hello"))
        #expect(received["Messages"]?[0]?["MessageAttributes"]?["k"]?["StringValue"] == .string("v"))

        let listed = try call(router, "ListQueues", "{}")
        #expect(listed["QueueUrls"] == .array([.string("https://sqs.us-east-1.amazonaws.com/\(account)/a"), .string(queueURL)]))
        #expect(try call(router, "ListQueues", #"{"QueueNamePrefix": "a"}"#)["QueueUrls"]?[0] == .string("https://sqs.us-east-1.amazonaws.com/\(account)/a"))

        _ = try call(router, "SendMessage", #"{"QueueUrl": "\#(queueURL)", "MessageBody": "again"}"#)
        _ = try call(router, "PurgeQueue", #"{"QueueUrl": "\#(queueURL)"}"#)
        #expect(router.queueMessages(arn: "arn:aws:sqs:us-east-1:\(account):b").isEmpty)
        _ = try call(router, "DeleteQueue", #"{"QueueUrl": "\#(queueURL)"}"#)
        #expect(throws: APIError("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")) {
            try call(router, "SendMessage", #"{"QueueUrl": "\#(queueURL)", "MessageBody": "x"}"#)
        }
        #expect(throws: APIError.self) { try call(router, "SendMessage", #"{"QueueUrl": "a", "MessageBody": ""}"#) }
    }
}
