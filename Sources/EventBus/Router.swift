import EventPatterns
import EventSchedule
import EventTargets
import Foundation
import Synchronization

/// EventBridge in a process: accounts and regions with their event buses, rules, targets, resource
/// policies, local queues and functions, and at-least-once delivery with retries and dead-letter
/// queues on an injectable clock.
///
/// ```swift
/// let clock = ManualClock()
/// let router = Router(clock: clock)
/// let queue = try router.createQueue(account: "111122223333", region: "us-east-1", name: "orders")
/// try router.putRule(account: "111122223333", region: "us-east-1", name: "big",
///                    eventPattern: #"{"detail": {"total": [{"numeric": [">", 100]}]}}"#)
/// try router.putTargets(account: "111122223333", region: "us-east-1", rule: "big",
///                       targets: [TargetConfiguration(id: "q", arn: queue)])
/// _ = try router.putEvents(account: "111122223333", region: "us-east-1",
///                          entries: [PutEventsEntry(source: "shop", detailType: "Order", detail: #"{"total": 250}"#)])
/// router.runUntilIdle()
/// router.queueMessages(arn: queue).count   // 1
/// ```
///
/// ## Concurrency
/// All methods are safe from any thread. State changes happen under one lock; matching uses the
/// buses' lock-free `RuleIndex`es; targets are invoked outside the lock (a target may call back into
/// the router). With a `ManualClock`, deliveries happen only inside `runUntilIdle()` and
/// `advance(by:)`; with a real clock a background dispatcher sleeps until the next due delivery.
public final class Router: ServiceEventSink, @unchecked Sendable {
    /// Options of a router.
    public struct Configuration: Sendable {
        /// Seeds event ids and scripted failures, for reproducible runs. Nil: random.
        public var seed: UInt64?
        /// PutEvents to a bus that does not exist: AWS reports success and drops the event
        /// (`false`, the default); `true` fails the entry with `ResourceNotFoundException`.
        public var strictMissingBus: Bool
        /// DeleteEventBus with rules: AWS's behaviour is unclear; by default the rules go with the bus.
        public var strictBusDeletion: Bool
        /// How many event-bus hops an event may make: deliveries to an event-bus target, counting a
        /// PutEvents onto another account's bus (AWS: 1 — "an event can be sent to an event bus target
        /// only once"). This also ends rules that forward to their own bus.
        public var maxBusHops: Int
        /// The most delivery attempts one `runUntilIdle()` makes (and one `advance(by:)` at any one
        /// instant) before it returns with the rest still due. A stop for event loops — a target
        /// whose work produces events its own rule matches again (a Batch job queue fed by the
        /// state changes of its own jobs) — which would otherwise never let the call return.
        /// AWS has no such stop (the loop runs, and bills); the default is far above any real burst.
        public var maxAttemptsPerRun: Int

        public init(seed: UInt64? = nil, strictMissingBus: Bool = false, strictBusDeletion: Bool = false, maxBusHops: Int = 1,
                    maxAttemptsPerRun: Int = 1_000_000) {
            self.seed = seed
            self.strictMissingBus = strictMissingBus
            self.strictBusDeletion = strictBusDeletion
            self.maxBusHops = max(maxBusHops, 0)
            self.maxAttemptsPerRun = max(maxAttemptsPerRun, 1)
        }
    }

    struct State: Sendable {
        var regions: [String: RegionState] = [:]
        var queues: [String: QueueState] = [:]
        var functions: [String: FunctionState] = [:]
        var organizations: [String: String] = [:]
        var pending: any DeliveryStore
        var archiveStore: any ArchiveStore
        var sequence = 0
        var outcomes: [DeliveryOutcome] = []
        var recordOutcomes = false
        var metrics: [String: RuleMetrics] = [:]
        var accounting = DeliveryAccounting()
        /// Deliveries taken from the store and being attempted (outside the lock).
        var attempting = 0
        var random: SplitMix64
        /// Next fire time per scheduled rule ARN, with the rule's account, region and anchor.
        var schedules: [String: ScheduledRule] = [:]
        var archives: [String: ArchiveState] = [:]
        /// EventBridge Scheduler schedules, by ARN.
        var scheduler: [String: SchedulerState] = [:]
        var replays: [String: ReplayState] = [:]
    }

    struct ScheduledRule: Sendable {
        var account: String
        var region: String
        var ruleName: String
        var next: Instant?
        var expression: ScheduleExpression
        var anchor: Instant
    }

    public let clock: RouterClock
    public let configuration: Configuration
    let intake: (any EventIntake)?
    let state: Mutex<State>
    private let customTargets = Mutex<[(prefix: String, target: any EventTarget)]>([])
    private let services = Mutex<[any SimulatedService]>([])
    /// The time (epoch seconds) the background dispatcher's earliest timer is armed for.
    let dispatchWake = Mutex<Int64?>(nil)

    /// - Parameters:
    ///   - deliveryStore: where deliveries wait (in memory by default).
    ///   - archiveStore: where archived events are kept (in memory by default).
    ///   - intake: takes accepted events instead of routing them at once (see `EventIntake`).
    public init(clock: RouterClock = ManualClock(), configuration: Configuration = Configuration(),
                deliveryStore: any DeliveryStore = InMemoryDeliveryStore(), archiveStore: any ArchiveStore = InMemoryArchiveStore(),
                intake: (any EventIntake)? = nil) {
        self.intake = intake
        self.clock = clock
        self.configuration = configuration
        let seed = configuration.seed ?? UInt64.random(in: 0...UInt64.max)
        state = Mutex(State(pending: deliveryStore, archiveStore: archiveStore, random: SplitMix64(seed: seed)))
    }

    /// A router on the wall clock, delivering in the background.
    public static func live(configuration: Configuration = Configuration()) -> Router {
        Router(clock: SystemClock { Int64(Date().timeIntervalSince1970) }, configuration: configuration)
    }

    // MARK: - Accounts and buses

    func regionKey(_ account: String, _ region: String) -> String { account + "/" + region }

    /// The region's state, creating it (with its default bus) on first use.
    static func ensureRegion(_ state: inout State, account: String, region: String, now: Instant) -> String {
        let key = account + "/" + region
        if state.regions[key] == nil {
            var regionState = RegionState()
            regionState.buses["default"] = BusState(name: "default", arn: ARN.eventBus(region: region, account: account, name: "default"),
                                                    description: nil, created: now)
            regionState.busOrder = ["default"]
            state.regions[key] = regionState
        }
        return key
    }

    static func validateAccount(_ account: String) throws(APIError) {
        guard Constraint.isAccountID(account) else {
            throw APIError("InvalidParameterValue", "Account \(account) is not a 12-digit AWS account id.")
        }
    }

    /// Places an account in an organization (for `aws:PrincipalOrgID` conditions).
    public func setOrganization(account: String, organizationID: String?) {
        state.withLock { $0.organizations[account] = organizationID }
    }

    /// Registers a target for every ARN that starts with `arnPrefix` (simulators, host targets).
    public func registerTarget(arnPrefix: String, _ target: any EventTarget) {
        customTargets.withLock { $0.append((arnPrefix, target)) }
    }

    /// Attaches a simulated service: its operations join the JSON entry point under its name, it runs
    /// on the router's clock (see `SimulatedService`), and it receives deliveries for its ARN
    /// prefixes. Attaching a second service with the same name replaces the first's operations.
    /// The router keeps the service alive: create it with `events: router.eventSink` (weak), not
    /// `events: router`, or the two keep each other alive.
    public func attach(_ service: any SimulatedService) {
        services.withLock { list in
            list.removeAll { $0.serviceName == service.serviceName }
            list.append(service)
        }
        for prefix in service.targetArnPrefixes { registerTarget(arnPrefix: prefix, service) }
        if !clock.isManual { scheduleDispatch() }
    }

    /// This router as the event sink of a simulated service, held **weakly**: the router keeps its
    /// attached services alive, so a service that kept the router itself (`events: router`) would
    /// form a cycle and neither would ever be freed. Pass `router.eventSink` to services you attach.
    public var eventSink: any ServiceEventSink { _WeakRouterSink(self) }

    /// The attached service named `name`, if any.
    public func attachedService(named name: String) -> (any SimulatedService)? {
        services.withLock { list in list.first { $0.serviceName == name } }
    }

    var attachedServices: [any SimulatedService] { services.withLock { $0 } }

    func customTarget(for arn: String) -> (any EventTarget)? {
        customTargets.withLock { targets in targets.last(where: { arn.hasPrefix($0.prefix) })?.target }
    }

    // MARK: - Metrics and accounting

    /// Per-rule metrics (CloudWatch names), by rule ARN.
    public func metrics(ruleArn: String) -> RuleMetrics {
        state.withLock { $0.metrics[ruleArn] ?? RuleMetrics() }
    }

    /// Where every matched (event, target) pair stands.
    public var accounting: DeliveryAccounting {
        state.withLock { state in
            var accounting = state.accounting
            accounting.inFlight = state.pending.count + state.attempting
            return accounting
        }
    }

    /// Starts or stops recording delivery outcomes for `drainOutcomes()`.
    public func recordOutcomes(_ on: Bool) {
        state.withLock { $0.recordOutcomes = on }
    }

    /// The delivery outcomes recorded since the last call, in order.
    public func drainOutcomes() -> [DeliveryOutcome] {
        state.withLock { state in
            let outcomes = state.outcomes
            state.outcomes.removeAll()
            return outcomes
        }
    }

    func newID(_ state: inout State) -> String { state.random.uuid() }
}

/// `Router.eventSink`: forwards to the router while it lives; afterwards events are dropped.
final class _WeakRouterSink: ServiceEventSink, @unchecked Sendable {
    private weak var router: Router?

    init(_ router: Router) { self.router = router }

    @discardableResult
    func putServiceEvent(account: String, region: String, source: String, detailType: String,
                         detail: JSONValue, resources: [String]) -> String {
        router?.putServiceEvent(account: account, region: region, source: source, detailType: detailType,
                                detail: detail, resources: resources) ?? ""
    }
}

