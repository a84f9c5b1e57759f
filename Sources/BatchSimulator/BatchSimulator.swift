import EventPatterns
import EventSchedule
import EventTargets
import Synchronization

/// A deterministic, in-process simulation of AWS Batch: compute environments, job queues, job
/// definitions and jobs with their full state machine, driven by the router's clock. It is both a
/// rule target (job-queue ARNs, `BatchParameters`) and a source of "Batch Job State Change"
/// events, which it publishes to the account's default bus. See `Documentation/BATCH.md`.
///
/// ```swift
/// let clock = ManualClock()
/// let router = Router(clock: clock)
/// let batch = BatchSimulator(clock: clock, events: router.eventSink)
/// router.attach(batch)
/// _ = try router.call(service: "batch", operation: "SubmitJob", account: a, region: r,
///                     params: .members([("jobName", .string("etl")), ("jobQueue", .string("high")),
///                                       ("jobDefinition", .string("etl:1"))]))
/// router.advance(by: 60)   // the job runs; its state changes reach the bus
/// ```
///
/// Thread safety: all state sits under one mutex; events are published after it is released, in
/// transition order even when several threads drive the simulator (`EventOutbox`).
/// Under a `ManualClock` nothing happens outside `run(until:)`.
public final class BatchSimulator: SimulatedService {
    /// Tunables of the simulation.
    public struct Configuration: Sendable {
        /// Seeds job ids and event ids (same seed and calls ⇒ same ids).
        public var seed: UInt64
        /// Seconds between STARTING and RUNNING (image pull). Default 1.
        public var startLatencySeconds: Int64
        /// Memory of a managed compute environment per vCPU of `maxvCpus`. Default 2048 MiB.
        public var memoryPerVcpuMiB: Int
        /// When true, a RUNNABLE job that fits nowhere blocks the jobs behind it in its queue;
        /// by default later jobs that fit are placed (first-fit backfill).
        public var strictFIFO: Bool
        /// What each attempt does. Default: ``BatchExecutor/scripted(defaultDurationSeconds:)``.
        public var executor: BatchExecutor

        /// The defaults: seed 1, 1 s start latency, 2048 MiB per vCPU, first-fit backfill, the
        /// scripted executor with 1 s runs. Negative latencies count as 0.
        public init(seed: UInt64 = 1, startLatencySeconds: Int64 = 1, memoryPerVcpuMiB: Int = 2048,
                    strictFIFO: Bool = false, executor: BatchExecutor = .scripted()) {
            self.seed = seed
            self.startLatencySeconds = max(0, startLatencySeconds)
            self.memoryPerVcpuMiB = max(1, memoryPerVcpuMiB)
            self.strictFIFO = strictFIFO
            self.executor = executor
        }
    }

    let clock: any RouterClock
    let sink: any ServiceEventSink
    let state: Mutex<BatchState>
    /// Events in transition order, published outside the state lock by one thread at a time.
    let outbox = EventOutbox<PendingEvent>()

    /// Creates a simulator on `clock` that publishes its events to `events` (the router).
    public init(clock: any RouterClock, events: any ServiceEventSink, configuration: Configuration = Configuration()) {
        self.clock = clock
        self.sink = events
        self.state = Mutex(BatchState(configuration: configuration))
    }

    /// `batch`: the name under which the router's JSON entry point reaches this simulator.
    public var serviceName: String { "batch" }

    /// Deliveries to job-queue ARNs submit jobs.
    public var targetArnPrefixes: [String] { ["arn:aws:batch:"] }

    /// Runs one Batch operation (AWS's REST-JSON names: `jobName`, `jobQueue`, …). Errors are
    /// `ClientException` (HTTP 400).
    ///
    /// - Complexity: O(size of the request) for most operations; SubmitJob of an array job is
    ///   O(array size).
    public func call(operation: String, account: String, region: String, params: JSONObject) throws(ServiceError) -> JSONValue {
        let p = ServiceParameters(params, errorCode: "ClientException")
        let now = clock.now().secondsSince1970
        let scope = Scope(account: account, region: region)
        return try state.withLock { (state: inout BatchState) throws(ServiceError) -> JSONValue in
            switch operation {
            case "CreateComputeEnvironment": return try state.createComputeEnvironment(p, scope)
            case "UpdateComputeEnvironment": return try state.updateComputeEnvironment(p, scope)
            case "DeleteComputeEnvironment": return try state.deleteComputeEnvironment(p, scope)
            case "DescribeComputeEnvironments": return try state.describeComputeEnvironments(p, scope)
            case "CreateJobQueue": return try state.createJobQueue(p, scope)
            case "UpdateJobQueue": return try state.updateJobQueue(p, scope)
            case "DeleteJobQueue": return try state.deleteJobQueue(p, scope)
            case "DescribeJobQueues": return try state.describeJobQueues(p, scope)
            case "RegisterJobDefinition": return try state.registerJobDefinition(p, scope)
            case "DeregisterJobDefinition": return try state.deregisterJobDefinition(p, scope)
            case "DescribeJobDefinitions": return try state.describeJobDefinitions(p, scope)
            case "SubmitJob": return try state.submitJob(p, scope, now: now)
            case "DescribeJobs": return try state.describeJobs(p, scope)
            case "ListJobs": return try state.listJobs(p, scope)
            case "CancelJob": return try state.cancelJob(p, scope, terminate: false, now: now)
            case "TerminateJob": return try state.cancelJob(p, scope, terminate: true, now: now)
            default:
                throw ServiceError("UnknownOperationException", "The batch operation \(operation) is not supported.")
            }
        }
    }

    /// Registers a host in an UNMANAGED compute environment (the simulated container instance
    /// joining its ECS cluster). Jobs are placed on a single host where vCPUs and memory fit.
    ///
    /// - Throws: `ClientException` if the compute environment does not exist or is managed, or
    ///   the sizes are not positive.
    public func registerHost(computeEnvironment: String, account: String, region: String, vcpus: Double, memoryMiB: Int) throws(ServiceError) {
        try state.withLock { (state: inout BatchState) throws(ServiceError) in
            try state.registerHost(computeEnvironment, Scope(account: account, region: region), vcpus: vcpus, memory: memoryMiB)
        }
    }

    /// The earliest instant with work: now when jobs await a scheduler pass, else the next
    /// STARTING → RUNNING, exit or timeout.
    public func nextWakeUp() -> Instant? {
        state.withLock { state in
            if state.needsPass { return clock.now() }
            return state.timers.first.map { Instant(secondsSince1970: $0.time) }
        }
    }

    /// Runs every scheduler pass and timer due at or before `now`, then publishes the resulting
    /// state-change events in transition order.
    ///
    /// - Complexity: O(transitions + RUNNABLE jobs walked), with the walk of a queue stopping as
    ///   soon as none of its compute environments has free capacity.
    @discardableResult
    public func run(until now: Instant) -> Bool {
        let happened = state.withLock { state -> Bool in
            state.run(until: now.secondsSince1970)
            let events = state.takeEvents()
            outbox.append(events)
            return !events.isEmpty
        }
        outbox.flush(publish)
        return happened
    }

    /// Submits a job for a rule whose target is a job-queue ARN (see `Documentation/BATCH.md`).
    public func deliver(_ request: DeliveryRequest) -> DeliveryResult {
        let now = clock.now().secondsSince1970
        return state.withLock { state in state.deliver(request, now: now) }
    }

    func publish(_ event: PendingEvent) {
        sink.putServiceEvent(account: event.account, region: event.region, source: "aws.batch",
                             detailType: "Batch Job State Change", detail: event.detail, resources: [event.arn])
    }

    // MARK: - Inspection for hosts and tests

    /// The DescribeJobs view of a job, or nil if there is none with this id.
    public func job(_ jobId: String) -> JSONValue? {
        state.withLock { state in state.jobIndex[jobId].map { state.jobDetail($0) } }
    }

    /// The number of jobs known (parents, children and single jobs).
    public var jobCount: Int { state.withLock { $0.jobs.count } }
}

/// The account and region a call runs in.
struct Scope {
    var account: String
    var region: String

    func arn(_ resource: String) -> String { "arn:aws:batch:\(region):\(account):\(resource)" }
}
