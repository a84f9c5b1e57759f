import EventPatterns
import EventSchedule
import EventTargets
import Synchronization

/// A deterministic simulation of Amazon EMR (on EC2) clusters and steps: an API under the `emr`
/// service of the router's JSON entry point, a rule target for cluster ARNs, and a source of
/// `aws.emr` events on the account's default bus.
///
/// ```swift
/// let clock = ManualClock()
/// let router = Router(clock: clock, configuration: .init(seed: 1))
/// router.attach(EMRSimulator(clock: clock, events: router.eventSink))
/// let flow = try router.call(service: "emr", operation: "RunJobFlow", account: "123456789012", region: "us-east-1",
///                            params: try JSONReader.parse(#"{"Name": "etl", "Instances": {"MasterInstanceType": "m5.xlarge"}}"#))
/// router.advance(by: 600)   // STARTING → BOOTSTRAPPING → TERMINATING → TERMINATED (no steps, not kept alive)
/// ```
///
/// Operations: RunJobFlow, DescribeCluster, ListClusters, TerminateJobFlows, SetTerminationProtection,
/// SetKeepJobFlowAliveWhenNoSteps, ModifyCluster, AddJobFlowSteps, DescribeStep, ListSteps, CancelSteps,
/// ListInstanceGroups, ModifyInstanceGroups, ListInstanceFleets. Errors: `ValidationException`,
/// `InvalidRequestException`. Durations and outcomes come from an `EMRExecutor` (default
/// `ScriptedExecutor`), on the clock given here; under a `ManualClock` nothing happens except in
/// `run(until:)`, at the exact instants `nextWakeUp()` announces. See Documentation/EMR.md.
///
/// Thread-safe: all state is under one mutex; events are published after it is released, in
/// transition order even when several threads drive the simulator (`EventOutbox`).
public final class EMRSimulator: SimulatedService {
    private let clock: any RouterClock
    private let sink: any ServiceEventSink
    private let engine: Mutex<Engine>
    /// Events in transition order, published outside the engine lock by one thread at a time.
    private let outbox = EventOutbox<PendingEvent>()

    /// - Parameters:
    ///   - clock: the router's clock (the only source of time).
    ///   - events: where `aws.emr` events go (the router: the account's default bus).
    ///   - executor: durations and outcomes of provisioning, bootstrap, steps, resizes, termination.
    ///   - seed: seeds the generator of cluster, step and instance-group ids.
    public init(clock: any RouterClock, events: any ServiceEventSink, executor: any EMRExecutor = ScriptedExecutor(), seed: UInt64 = 1) {
        self.clock = clock
        self.sink = events
        self.engine = Mutex(Engine(executor: executor, seed: seed))
    }

    /// `emr`.
    public var serviceName: String { "emr" }

    /// `arn:aws:elasticmapreduce:`: cluster ARNs, any account and region.
    public var targetArnPrefixes: [String] { ["arn:aws:elasticmapreduce:"] }

    /// Runs one EMR operation with AWS's parameter names; returns AWS's response shape.
    ///
    /// - Throws: `ValidationException` for bad values, protected clusters, modifying a terminated
    ///   cluster and the step limits; `InvalidRequestException` for unknown ids.
    /// - Complexity: O(clusters + steps of the cluster) per call.
    public func call(operation: String, account: String, region: String, params: JSONObject) throws(ServiceError) -> JSONValue {
        let now = clock.now()
        defer { outbox.flush(publish) }
        return try engine.withLock { (engine: inout Engine) throws(ServiceError) -> JSONValue in
            defer { outbox.append(engine.drainEvents()) }
            return try engine.call(operation, account: account, region: region, params: params, now: now)
        }
    }

    /// The earliest instant at which a cluster, step or instance group has work.
    public func nextWakeUp() -> Instant? { engine.withLock { $0.nextWakeUp } }

    /// Does all work due at or before `now` and publishes its events.
    @discardableResult
    public func run(until now: Instant) -> Bool {
        let didWork = engine.withLock { engine in
            let didWork = engine.run(until: now)
            outbox.append(engine.drainEvents())
            return didWork
        }
        outbox.flush(publish)
        return didWork
    }

    /// A rule delivery to a cluster ARN: adds a step from `EmrParameters.StepTemplate`, or starts a
    /// cluster from `EmrParameters.RunJobFlowTemplate` (see Documentation/EMR.md).
    public func deliver(_ request: DeliveryRequest) -> DeliveryResult {
        let now = clock.now()
        let result = engine.withLock { engine in
            let result = engine.deliver(request, now: now)
            outbox.append(engine.drainEvents())
            return result
        }
        outbox.flush(publish)
        return result
    }

    /// Schedules the loss of a cluster's instances at `at` (now when nil): running steps become
    /// INTERRUPTED, pending ones CANCELLED, and the cluster terminates with errors
    /// (`INSTANCE_FAILURE`). Does nothing for a cluster that is shutting down by then.
    ///
    /// - Throws: `InvalidRequestException` for an unknown cluster.
    public func injectInstanceFailure(clusterID: String, account: String, region: String, at: Instant? = nil) throws(ServiceError) {
        let when = at ?? clock.now()
        try engine.withLock { (engine: inout Engine) throws(ServiceError) in
            let c = try engine.cluster(clusterID, account: account, region: region)
            engine.clusters[c].instanceFailureDue = when
        }
    }

    private func publish(_ event: PendingEvent) {
        sink.putServiceEvent(account: event.account, region: event.region, source: "aws.emr", detailType: event.detailType,
                             detail: event.detail, resources: [])
    }
}
