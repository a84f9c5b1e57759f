import BatchSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import SimulatorTestSupport
import Synchronization
import XCTest

/// A router with the Batch simulator attached, a rule copying every `aws.batch` event to an SQS
/// queue (when `captureEvents`), and helpers for JSON calls.
final class BatchHarness {
    static let account = "123456789012", region = "us-east-1"
    let clock: ManualClock
    let router: Router
    let batch: BatchSimulator
    var eventQueue: String?

    init(executor: BatchExecutor = .scripted(), strictFIFO: Bool = false, startLatency: Int64 = 1,
         captureEvents: Bool = true, seed: UInt64 = 7) throws {
        clock = ManualClock(start: try Instant(iso8601: "2025-01-01T00:00:00Z"))
        router = Router(clock: clock, configuration: .init(seed: seed))
        batch = BatchSimulator(clock: clock, events: router,
                               configuration: .init(seed: seed, startLatencySeconds: startLatency, strictFIFO: strictFIFO, executor: executor))
        router.attach(batch)
        if captureEvents {
            let queue = try router.createQueue(account: Self.account, region: Self.region, name: "batch-events")
            _ = try router.putRule(account: Self.account, region: Self.region, name: "all-batch", eventPattern: #"{"source": ["aws.batch"]}"#)
            _ = try router.putTargets(account: Self.account, region: Self.region, rule: "all-batch",
                                      targets: [TargetConfiguration(id: "q", arn: queue)])
            eventQueue = queue
        }
    }

    var now: Int64 { clock.now().secondsSince1970 }

    @discardableResult
    func call(_ operation: String, _ json: String, service: String = "batch") throws -> JSONValue {
        try router.call(service: service, operation: operation, account: Self.account, region: Self.region, params: try JSONReader.parse(json))
    }

    /// The error code and message of a call that must fail.
    func failure(_ operation: String, _ json: String, file: StaticString = #filePath, line: UInt = #line) -> APIError? {
        expectAPIError("\(operation) \(json)", file: file, line: line) { try call(operation, json) }
    }

    func expectClientError(_ operation: String, _ json: String, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let error = failure(operation, json, file: file, line: line) else { return }
        XCTAssertEqual(error.code, "ClientException", file: file, line: line)
        XCTAssertEqual(error.httpStatus, 400, file: file, line: line)
        XCTAssertTrue(error.message.contains(fragment), "\(error.message) should contain \(fragment)", file: file, line: line)
    }

    /// A managed EC2 compute environment, a queue on it and a definition `work` (1 vCPU, 2048 MiB).
    func standardSetUp(maxvCpus: Int = 8, command: String = #"["run", "Ref::input"]"#, definitionExtras: String = "") throws {
        try call("CreateComputeEnvironment", """
            {"computeEnvironmentName": "ce1", "type": "MANAGED", "computeResources": {"type": "EC2", "minvCpus": 0, "maxvCpus": \(maxvCpus), "instanceTypes": ["optimal"], "subnets": ["subnet-1"]}}
            """)
        try call("CreateJobQueue", #"{"jobQueueName": "q1", "priority": 1, "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": "ce1"}]}"#)
        try call("RegisterJobDefinition", """
            {"jobDefinitionName": "work", "type": "container", "containerProperties": {"image": "busybox", "command": \(command), "vcpus": 1, "memory": 2048}\(definitionExtras)}
            """)
    }

    /// Submits a job and returns its id.
    func submit(_ name: String, queue: String = "q1", definition: String = "work", extra: String = "") throws -> String {
        let response = try call("SubmitJob", #"{"jobName": "\#(name)", "jobQueue": "\#(queue)", "jobDefinition": "\#(definition)"\#(extra)}"#)
        guard case .string(let id)? = response["jobId"] else { throw APIError("Test", "no jobId") }
        return id
    }

    func describe(_ id: String) throws -> JSONValue {
        let response = try call("DescribeJobs", #"{"jobs": ["\#(id)"]}"#)
        guard let job = response["jobs"]?[0] else { throw APIError("Test", "job \(id) not described") }
        return job
    }

    func status(_ id: String) throws -> String? {
        if case .string(let status)? = try describe(id)["status"] { return status }
        return nil
    }

    /// The captured events' details, in publication order.
    func eventDetails() throws -> [JSONValue] {
        guard let queue = eventQueue else { return [] }
        return try router.queueMessages(arn: queue).map { message in
            let body = try JSONReader.parse(message.body)
            guard let detail = body["detail"] else { throw APIError("Test", "event without detail") }
            return detail
        }
    }

    /// The captured events' envelopes.
    func envelopes() throws -> [JSONValue] {
        guard let queue = eventQueue else { return [] }
        return try router.queueMessages(arn: queue).map { try JSONReader.parse($0.body) }
    }

    /// The statuses the events reported for one job, in order.
    func statuses(of id: String) throws -> [String] {
        try eventDetails().compactMap { detail in
            guard detail["jobId"] == .string(id), case .string(let status)? = detail["status"] else { return nil }
            return status
        }
    }
}

/// Records every attempt an executor sees.
final class AttemptLog: Sendable {
    private let entries = Mutex<[BatchAttemptContext]>([])
    var all: [BatchAttemptContext] { entries.withLock { $0 } }
    func record(_ context: BatchAttemptContext) { entries.withLock { $0.append(context) } }

    func executor(_ decide: @escaping @Sendable (BatchAttemptContext) -> BatchAttemptOutcome) -> BatchExecutor {
        .custom { [self] context in
            record(context)
            return decide(context)
        }
    }
}

extension JSONValue {
    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }
    var int: Int? {
        if case .number(let number) = self { return Int(number.value) }
        return nil
    }
    var count: Int {
        switch self {
        case .array(let items): return items.count
        case .object(let object): return object.count
        default: return 0
        }
    }
}
