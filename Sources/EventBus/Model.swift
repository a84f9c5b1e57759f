import EventInput
import EventPatterns
import EventSchedule
import EventTargets

/// How long and how often a failed delivery is retried (EventBridge's `RetryPolicy`).
public struct RetryPolicy: Sendable, Equatable {
    /// 0–185 (AWS's default: 185).
    public var maximumRetryAttempts: Int
    /// 60–86,400 seconds (AWS's default: 86,400 = 24 hours).
    public var maximumEventAgeInSeconds: Int

    public init(maximumRetryAttempts: Int = 185, maximumEventAgeInSeconds: Int = 86_400) {
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumEventAgeInSeconds = maximumEventAgeInSeconds
    }

    /// Seconds to wait before retry number `retry` (1-based): exponential back-off, 1 s doubling up to
    /// 5 minutes, plus a deterministic jitter of up to 20% drawn from `jitterSeed`.
    public static func backoff(retry: Int, jitterSeed: UInt64) -> Int64 {
        let base = Int64(1) << Int64(min(max(retry - 1, 0), 9))   // 1, 2, 4, … 512
        let capped = min(base, 300)
        let jitter = Int64(_mixSeed(jitterSeed &+ UInt64(retry)) % UInt64(capped / 5 + 1))
        return capped + jitter
    }
}

/// The configuration of one target of a rule (`PutTargets`).
public struct TargetConfiguration: Sendable, Equatable {
    public var id: String
    public var arn: String
    /// What the target receives: the whole event, or the target's validated `Input`, `InputPath`
    /// or `InputTransformer` (see `EventInput` and Documentation/INPUT.md).
    public var input: TargetInput
    public var retryPolicy: RetryPolicy
    public var deadLetterArn: String?
    public var roleArn: String?
    /// Service-specific parameters, kept as given: every PutTargets member named `…Parameters`
    /// (`BatchParameters`, `EmrParameters`, `ElbParameters`, `HttpParameters`, …). Targets receive
    /// them in `DeliveryRequest.parameters`.
    public var parameters: JSONObject

    public init(id: String, arn: String, input: TargetInput = .event, retryPolicy: RetryPolicy = RetryPolicy(),
                deadLetterArn: String? = nil, roleArn: String? = nil, parameters: JSONObject = JSONObject()) {
        self.id = id
        self.arn = arn
        self.input = input
        self.retryPolicy = retryPolicy
        self.deadLetterArn = deadLetterArn
        self.roleArn = roleArn
        self.parameters = parameters
    }
}

/// A rule as `DescribeRule` shows it.
public struct RuleDescription: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var eventBusName: String
    public var eventPattern: String?
    public var scheduleExpression: String?
    public var state: String
    public var description: String?
    public var roleArn: String?
    public var createdBy: String
}

/// A statement of an event bus's resource policy.
struct PolicyStatement: Sendable, Equatable {
    var sid: String
    var effectAllow: Bool
    /// A 12-digit account, "*", or a principal that is no account (`service:NAME` for a service).
    var principal: String
    var actions: [String]
    var resource: String
    /// `aws:PrincipalOrgID` the sender must belong to.
    var organizationID: String?
    /// The statement as the caller wrote it in a policy document (PutPermission with `Policy`):
    /// DescribeEventBus gives it back unchanged, as AWS does. Nil for the parameter form.
    var document: JSONValue? = nil

    func allows(account: String, organization: String?, action: String) -> Bool {
        effectAllow && applies(account: account, organization: organization, action: action)
    }

    func denies(account: String, organization: String?, action: String) -> Bool {
        !effectAllow && applies(account: account, organization: organization, action: action)
    }

    private func applies(account: String, organization: String?, action: String) -> Bool {
        guard actions.contains(action) || actions.contains("events:*") else { return false }
        guard principal == "*" || principal == account else { return false }
        if let organizationID, organizationID != organization { return false }
        return true
    }

    var json: JSONValue {
        if let document { return document }
        var members: [(String, JSONValue)] = [
            ("Sid", .string(sid)),
            ("Effect", .string(effectAllow ? "Allow" : "Deny")),
            ("Principal", principal == "*" ? .string("*") : .object(JSONObject([("AWS", .string("arn:aws:iam::\(principal):root"))]))),
            ("Action", actions.count == 1 ? .string(actions[0]) : .array(actions.map(JSONValue.string))),
            ("Resource", .string(resource)),
        ]
        if let organizationID {
            members.append(("Condition", .object(JSONObject([("StringEquals", .object(JSONObject([("aws:PrincipalOrgID", .string(organizationID))])))]))))
        }
        return .object(JSONObject(members))
    }
}

struct RuleState: Sendable {
    var name: String
    var arn: String
    var busName: String
    var pattern: String?
    var schedule: String?
    var parsedSchedule: ScheduleExpression?
    var enabled: Bool
    var description: String?
    var roleArn: String?
    var createdBy: String
    var created: Instant
    var targets: [TargetConfiguration] = []
}

struct BusState: Sendable {
    var name: String
    var arn: String
    var description: String?
    var created: Instant
    var policy: [PolicyStatement] = []
    var rules: [String: RuleState] = [:]
    var ruleOrder: [String] = []
    /// Enabled rules with a pattern, by rule name.
    let index = RuleIndex<String>(configuration: .init(eventLimits: Router.envelopeLimits))
}

struct RegionState: Sendable {
    var buses: [String: BusState] = [:]
    var busOrder: [String] = []
}

struct QueueMessage: Sendable {
    var messageID: String
    var body: String
    var attributes: [(String, String)]
    var receiptHandle: String?
    var visibleAt: Instant
    var receiveCount: Int
    var sentAt: Instant
}

struct QueueState: Sendable {
    var name: String
    var arn: String
    var url: String
    var messages: [QueueMessage] = []
    var visibilityTimeout: Int64 = 30
}

/// A function target: a host handler, or scripted behaviour.
struct FunctionState: Sendable {
    var name: String
    var arn: String
    var handler: (@Sendable (DeliveryRequest) -> DeliveryResult)?
    /// Scripted: fail the first N invocations, then succeed; or fail with a probability under a seed.
    var failFirst: Int = 0
    var failureRate: Double = 0
    var random: SplitMix64
    /// The most recent requests (at most `Router.invocationHistoryLimit`), and how many there were.
    var invocations: [DeliveryRequest] = []
    var invocationCount = 0
}

/// A delivery waiting for its due time: what a `DeliveryStore` holds.
public struct PendingDelivery: Sendable {
    public var due: Instant
    public var sequence: Int
    public var event: JSONValue
    public var input: DeliveredInput
    public var target: TargetConfiguration
    public var ruleArn: String
    public var ruleName: String
    public var account: String
    public var region: String
    public var attempt: Int
    public var firstAttempt: Instant
    /// Event-bus hops the event has made (bus targets, and PutEvents onto another account's bus).
    public var hops: Int
    public var lastError: (code: String, message: String)?
}

/// Per-rule delivery metrics, with CloudWatch's names.
public struct RuleMetrics: Sendable, Equatable {
    public var matchedEvents = 0
    public var invocations = 0
    public var invocationAttempts = 0
    public var successfulInvocationAttempts = 0
    public var retryInvocationAttempts = 0
    public var failedInvocations = 0
    public var deadLetterInvocations = 0
    public var invocationsSentToDlq = 0
    public var invocationsFailedToBeSentToDlq = 0

    public init() {}

    /// The metrics as CloudWatch names them.
    public var named: [(String, Int)] {
        [("MatchedEvents", matchedEvents), ("Invocations", invocations), ("InvocationAttempts", invocationAttempts),
         ("SuccessfulInvocationAttempts", successfulInvocationAttempts), ("RetryInvocationAttempts", retryInvocationAttempts),
         ("FailedInvocations", failedInvocations), ("DeadLetterInvocations", deadLetterInvocations),
         ("InvocationsSentToDlq", invocationsSentToDlq), ("InvocationsFailedToBeSentToDlq", invocationsFailedToBeSentToDlq)]
    }
}

/// Where every matched (event, target) pair stands. `matched == delivered + deadLettered +
/// dropped + inFlight` always holds.
public struct DeliveryAccounting: Sendable, Equatable {
    public var matched = 0
    public var delivered = 0
    public var deadLettered = 0
    public var dropped = 0
    public var inFlight = 0

    public init(matched: Int = 0, delivered: Int = 0, deadLettered: Int = 0, dropped: Int = 0, inFlight: Int = 0) {
        self.matched = matched
        self.delivered = delivered
        self.deadLettered = deadLettered
        self.dropped = dropped
        self.inFlight = inFlight
    }

    public var balances: Bool { matched == delivered + deadLettered + dropped + inFlight }
}

/// The end of one delivery attempt, as the scenario runner prints it.
public struct DeliveryOutcome: Sendable {
    public enum Kind: String, Sendable { case delivery, deadLetter = "dead-letter", dropped, retry }
    public var kind: Kind
    public var targetArn: String
    public var ruleArn: String
    public var input: DeliveredInput
    public var attempt: Int
    public var time: Instant
    public var dlqArn: String?
    public var error: (code: String, message: String)?
}

extension SplitMix64 {
    /// A uniform value in [0, 1), for scripted failure rates.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// SplitMix64's output function on one value: stateless mixing for retry jitter.
func _mixSeed(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// Where deliveries wait for their due time (first attempts and retries).
///
/// The router calls these methods with its own lock held, so an implementation needs no locking
/// for the router's sake, must be quick, and must not call back into the router. The in-memory
/// `InMemoryDeliveryStore` is the default; a durable or shared store (a database, a broker's
/// stream) plugs in through `Router.init(clock:configuration:deliveryStore:archiveStore:)`.
public protocol DeliveryStore: AnyObject, Sendable {
    /// Adds a delivery.
    func append(_ delivery: PendingDelivery)
    /// The delivery that is due first (ties: the one queued first), without removing it.
    var first: PendingDelivery? { get }
    /// Removes and returns `first`.
    func popFirst() -> PendingDelivery?
    /// Deliveries waiting.
    var count: Int { get }
}

/// Where accepted events go before routing. By default (no intake) the router routes each event
/// on the bus at once. An intake that returns `true` takes the event instead — for example to
/// publish it to a broker stream shared by several routers — and whoever consumes it later calls
/// `Router.routeIngested(event:busArn:)` (returning `false` lets the router route it at once). Called
/// without the router's lock: an intake may call back into the router.
public protocol EventIntake: AnyObject, Sendable {
    func accept(event: JSONValue, busArn: String) -> Bool
}

/// Where archived events are kept (`CreateArchive` / `StartReplay`). Called with the router's
/// lock held, like `DeliveryStore`.
public protocol ArchiveStore: AnyObject, Sendable {
    /// Records an event received at `time` by archive `archiveArn`; `size` is what it adds to the
    /// archive's `SizeBytes`.
    func append(archiveArn: String, time: Instant, event: JSONValue, size: Int)
    /// The archive's events received in `[start, end)`, oldest first.
    func events(archiveArn: String, from start: Instant, to end: Instant) -> [(time: Instant, event: JSONValue)]
    /// How many events and bytes the archive holds.
    func statistics(archiveArn: String) -> (count: Int, bytes: Int)
    /// Forgets an archive's events.
    func removeAll(archiveArn: String)
    /// Forgets the archive's events received before `time` (retention).
    func removeEvents(archiveArn: String, receivedBefore time: Instant)
}

/// The default archive storage: in memory.
public final class InMemoryArchiveStore: ArchiveStore, @unchecked Sendable {
    // Only touched under the router's lock. Events arrive in time order.
    private var storage: [String: [(time: Instant, event: JSONValue, size: Int)]] = [:]
    private var bytes: [String: Int] = [:]

    public init() {}

    public func append(archiveArn: String, time: Instant, event: JSONValue, size: Int) {
        storage[archiveArn, default: []].append((time, event, size))
        bytes[archiveArn, default: 0] += size
    }

    public func events(archiveArn: String, from start: Instant, to end: Instant) -> [(time: Instant, event: JSONValue)] {
        (storage[archiveArn] ?? []).filter { $0.time >= start && $0.time < end }.map { ($0.time, $0.event) }
    }

    public func statistics(archiveArn: String) -> (count: Int, bytes: Int) {
        (storage[archiveArn]?.count ?? 0, bytes[archiveArn] ?? 0)
    }

    public func removeAll(archiveArn: String) {
        storage[archiveArn] = nil
        bytes[archiveArn] = nil
    }

    public func removeEvents(archiveArn: String, receivedBefore time: Instant) {
        // The expired events are a prefix.
        guard let events = storage[archiveArn], let first = events.first, first.time < time else { return }
        let keep = events.firstIndex { $0.time >= time } ?? events.count
        bytes[archiveArn] = max(0, (bytes[archiveArn] ?? 0) - events[..<keep].reduce(0) { $0 + $1.size })
        storage[archiveArn] = Array(events[keep...])
    }
}

/// The default delivery store: a binary min-heap in memory, ordered by (due time, queueing order).
public final class InMemoryDeliveryStore: DeliveryStore, @unchecked Sendable {
    // Only touched under the router's lock.
    private var items: [PendingDelivery] = []

    public init() {}

    public var count: Int { items.count }
    public var first: PendingDelivery? { items.first }

    private static func before(_ a: PendingDelivery, _ b: PendingDelivery) -> Bool {
        (a.due, a.sequence) < (b.due, b.sequence)
    }

    public func append(_ item: PendingDelivery) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if !Self.before(items[child], items[parent]) { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    public func popFirst() -> PendingDelivery? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let first = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && Self.before(items[left], items[smallest]) { smallest = left }
            if right < items.count && Self.before(items[right], items[smallest]) { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}
