import EventPatterns
import EventSchedule
import EventTargets
import Synchronization

/// A deterministic simulation of Elastic Load Balancing v2 (Application and Network Load
/// Balancers): load balancers, listeners, listener rules, target groups, target health on the
/// clock, request and flow routing, capacity-unit metering, and events.
///
/// Attach it to a router and drive it through the JSON entry point under the `elbv2` service with
/// the ELBv2 API's own operation and parameter names (`CreateLoadBalancer`, `CreateRule`, …), plus
/// the simulator-only calls `RouteRequest`, `RouteFlow`, `SetTargetHealthProbe` and
/// `DescribeCapacityUnits` (see Documentation/ELB.md).
///
/// ```swift
/// let clock = ManualClock()
/// let router = Router(clock: clock, configuration: .init(seed: 1))
/// router.attach(ELBSimulator(clock: clock, events: router.eventSink))
/// try router.call(service: "elbv2", operation: "CreateLoadBalancer", account: a, region: r,
///                 params: .members([("Name", .string("web"))]))
/// ```
///
/// Events are published under the source `sim.elasticloadbalancing` (ELB publishes none natively):
/// `ELB Target Health State Change` and, every clock hour, `ELB Capacity Units Report`.
///
/// Thread-safe: all state lives under one lock; events are published after it is released.
public final class ELBSimulator: SimulatedService {
    /// The source of the events this simulator publishes.
    public static let eventSource = "sim.elasticloadbalancing"

    let clock: any RouterClock
    let events: any ServiceEventSink
    let prober: any HealthProber
    let state: Mutex<State>
    /// Events leave in transition order, never while `state` is locked.
    private let outbox = EventOutbox<PendingEvent>()

    /// Creates a simulator.
    /// - Parameters:
    ///   - clock: the router's clock; all health checks, draining and reports run on it.
    ///   - events: where events go (the router).
    ///   - seed: seeds ids, trace ids, weighted choices and the cookie key.
    ///   - prober: answers health checks that `SetTargetHealthProbe` has not scripted; it is called
    ///     while the simulator's lock is held and must not call back into the simulator.
    public init(clock: any RouterClock, events: any ServiceEventSink, seed: UInt64 = 1,
                prober: any HealthProber = AlwaysHealthyProber()) {
        self.clock = clock
        self.events = events
        self.prober = prober
        self.state = Mutex(State(seed: seed))
    }

    public var serviceName: String { "elbv2" }

    /// Listener ARNs (a matched event becomes a routed request) and target-group ARNs (a matched
    /// event registers or deregisters a target).
    public var targetArnPrefixes: [String] { ["arn:aws:elasticloadbalancing:"] }

    /// Runs one ELBv2 operation (or simulator call) with the API's parameter names.
    /// - Throws: `ServiceError` with ELB's error codes (`ValidationError`, `PriorityInUse`, …).
    public func call(operation: String, account: String, region: String, params: JSONObject) throws(ServiceError) -> JSONValue {
        let p = ServiceParameters(params, errorCode: "ValidationError")
        let now = clock.now()
        let prober = self.prober
        let result: Result<JSONValue, ServiceError> = state.withLock { state in
            state.prober = prober
            _ = state.runDue(until: now)
            state.now = now
            let result: Result<JSONValue, ServiceError>
            do throws(ServiceError) {
                result = .success(try state.perform(operation, account: account, region: region, p))
            } catch {
                result = .failure(error)
            }
            outbox.append(state.pending)
            state.pending = []
            return result
        }
        outbox.flush(publish)
        return try result.get()
    }

    /// The earliest health check, draining end, request completion, flow expiry or hourly report.
    public func nextWakeUp() -> Instant? { state.withLock { $0.nextWakeUp() } }

    /// Runs everything due at or before `now`, in time order.
    @discardableResult
    public func run(until now: Instant) -> Bool {
        let prober = self.prober
        let ran = state.withLock { state -> Bool in
            state.prober = prober
            let ran = state.runDue(until: now)
            outbox.append(state.pending)
            state.pending = []
            return ran
        }
        outbox.flush(publish)
        return ran
    }

    /// A rule target: a listener ARN routes the event's input as a request; a target-group ARN
    /// registers or deregisters the target the input names (see Documentation/ELB.md).
    public func deliver(_ request: DeliveryRequest) -> DeliveryResult {
        let prober = self.prober
        let result = state.withLock { state -> DeliveryResult in
            state.prober = prober
            _ = state.runDue(until: request.time)
            state.now = request.time
            let result = state.deliver(request)
            outbox.append(state.pending)
            state.pending = []
            return result
        }
        outbox.flush(publish)
        return result
    }

    private func publish(_ event: PendingEvent) {
        events.putServiceEvent(account: event.account, region: event.region, source: Self.eventSource,
                               detailType: event.detailType, detail: event.detail, resources: event.resources)
    }
}

/// Everything the simulator knows, guarded by its lock.
struct State {
    var random: SplitMix64
    var cookieKey: UInt64
    var now = Instant(secondsSince1970: 0)
    var prober: any HealthProber = AlwaysHealthyProber()
    var sequence = 0
    var loadBalancers: [String: LoadBalancer] = [:]
    var listeners: [String: Listener] = [:]
    var rules: [String: Rule] = [:]
    var targetGroups: [String: TargetGroup] = [:]
    var inFlight: [InFlight] = []
    var flows: [String: Flow] = [:]
    var meters: [String: Meter] = [:]
    var probeScripts: [ProbeScriptKey: [HealthProbeResult]] = [:]
    var lastReports: [String: JSONValue] = [:]
    var routedDeliveries: [JSONValue] = []
    var pending: [PendingEvent] = []

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
        cookieKey = random.next()
    }

    mutating func nextSequence() -> Int {
        sequence += 1
        return sequence
    }

    mutating func perform(_ operation: String, account: String, region: String, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let scope = Scope(account: account, region: region)
        switch operation {
        case "CreateLoadBalancer": return try createLoadBalancer(scope, p)
        case "DeleteLoadBalancer": return try deleteLoadBalancer(scope, p)
        case "DescribeLoadBalancers": return try describeLoadBalancers(scope, p)
        case "ModifyLoadBalancerAttributes": return try modifyLoadBalancerAttributes(scope, p)
        case "DescribeLoadBalancerAttributes": return try describeLoadBalancerAttributes(scope, p)
        case "CreateListener": return try createListener(scope, p)
        case "ModifyListener": return try modifyListener(scope, p)
        case "DeleteListener": return try deleteListener(scope, p)
        case "DescribeListeners": return try describeListeners(scope, p)
        case "CreateTargetGroup": return try createTargetGroup(scope, p)
        case "ModifyTargetGroup": return try modifyTargetGroup(scope, p)
        case "DeleteTargetGroup": return try deleteTargetGroup(scope, p)
        case "DescribeTargetGroups": return try describeTargetGroups(scope, p)
        case "ModifyTargetGroupAttributes": return try modifyTargetGroupAttributes(scope, p)
        case "DescribeTargetGroupAttributes": return try describeTargetGroupAttributes(scope, p)
        case "RegisterTargets": return try registerTargets(scope, p)
        case "DeregisterTargets": return try deregisterTargets(scope, p)
        case "DescribeTargetHealth": return try describeTargetHealth(scope, p)
        case "CreateRule": return try createRule(scope, p)
        case "ModifyRule": return try modifyRule(scope, p)
        case "DeleteRule": return try deleteRule(scope, p)
        case "DescribeRules": return try describeRules(scope, p)
        case "SetRulePriorities": return try setRulePriorities(scope, p)
        // Simulator-only calls (no such AWS operations).
        case "RouteRequest": return try routeRequest(scope, p)
        case "RouteFlow": return try routeFlow(scope, p)
        case "SetTargetHealthProbe": return try setTargetHealthProbe(scope, p)
        case "DescribeCapacityUnits": return try describeCapacityUnits(scope, p)
        case "DescribeRoutedDeliveries": return describeRoutedDeliveries()
        default:
            throw ServiceError("InvalidAction", "The action \(operation) is not valid for this web service.")
        }
    }

    // MARK: lookups

    func loadBalancer(_ arn: String, _ scope: Scope) throws(ServiceError) -> LoadBalancer {
        guard let lb = loadBalancers[arn], scope.owns(arn) else {
            throw ServiceError("LoadBalancerNotFound", "One or more load balancers not found")
        }
        return lb
    }

    func listener(_ arn: String, _ scope: Scope) throws(ServiceError) -> Listener {
        guard let listener = listeners[arn], scope.owns(arn) else {
            throw ServiceError("ListenerNotFound", "One or more listeners not found")
        }
        return listener
    }

    func targetGroup(_ arn: String, _ scope: Scope) throws(ServiceError) -> TargetGroup {
        guard let group = targetGroups[arn], scope.owns(arn) else {
            throw ServiceError("TargetGroupNotFound", "One or more target groups not found")
        }
        return group
    }

    func rule(_ arn: String, _ scope: Scope) throws(ServiceError) -> Rule {
        guard let rule = rules[arn], scope.owns(arn) else {
            throw ServiceError("RuleNotFound", "The specified rule does not exist.")
        }
        return rule
    }

    /// The load balancers whose listeners or rules forward to `groupArn`, in creation order.
    func loadBalancers(using groupArn: String) -> [LoadBalancer] {
        var arns: Set<String> = []
        for rule in rules.values where rule.actions.contains(where: { $0.action.targetGroupArns.contains(groupArn) }) {
            if let listener = listeners[rule.listenerArn] { arns.insert(listener.loadBalancerArn) }
        }
        return arns.compactMap { loadBalancers[$0] }.sorted { $0.sequence < $1.sequence }
    }

    func isInUse(_ groupArn: String) -> Bool { !loadBalancers(using: groupArn).isEmpty }
}

/// The caller's account and region; ARNs outside it are "not found".
struct Scope {
    var account: String
    var region: String

    var arnPrefix: String { "arn:aws:elasticloadbalancing:\(region):\(account):" }
    func owns(_ arn: String) -> Bool { arn.hasPrefix(arnPrefix) }
}
