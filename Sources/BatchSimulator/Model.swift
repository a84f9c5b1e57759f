import EventPatterns
import EventSchedule

/// The states of a Batch job (spec §1.5). An array parent only takes SUBMITTED, PENDING,
/// SUCCEEDED and FAILED.
enum BatchJobStatus: String, Sendable, CaseIterable {
    case submitted = "SUBMITTED"
    case pending = "PENDING"
    case runnable = "RUNNABLE"
    case starting = "STARTING"
    case running = "RUNNING"
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"

    var isTerminal: Bool { self == .succeeded || self == .failed }
    /// Not yet placed on capacity: CancelJob applies.
    var isCancellable: Bool { self == .submitted || self == .pending || self == .runnable }
    var summaryIndex: Int { BatchJobStatus.allCases.firstIndex(of: self) ?? 0 }
}

/// One simulated host of a compute environment: a managed CE is one pool of `maxvCpus`, an
/// unmanaged CE the hosts the program registered.
struct Host {
    var vcpus: Double
    var memory: Int
    var usedVcpus: Double = 0
    var usedMemory: Int = 0

    func fits(vcpus needed: Double, memory neededMemory: Int) -> Bool {
        // Written as differences so that no input size can overflow.
        needed <= vcpus - usedVcpus + 1e-9 && neededMemory <= memory - usedMemory
    }
}

struct ComputeEnvironment {
    var name: String
    var arn: String
    var account: String
    var region: String
    var managed: Bool
    var enabled: Bool
    var status = "VALID"
    var statusReason = "ComputeEnvironment Healthy"
    /// `computeResources` as given (kept for DescribeComputeEnvironments), with min/max/desired
    /// maintained separately.
    var resourcesType: String?
    var resources: JSONObject?
    var minvCpus: Int = 0
    var maxvCpus: Int = 0
    var serviceRole: String?
    var tags: JSONObject
    var hosts: [Host] = []
    var sequence: Int

    var family: String {
        guard let type = resourcesType else { return "EC2" }
        return type.hasPrefix("FARGATE") ? "FARGATE" : "EC2"
    }
    var reservedVcpus: Double { hosts.reduce(0) { $0 + $1.usedVcpus } }
}

struct JobQueue {
    var name: String
    var arn: String
    var account: String
    var region: String
    var enabled: Bool
    var status = "VALID"
    var statusReason = "JobQueue Healthy"
    var priority: Int
    /// CE ARNs with their `order`, sorted ascending by order.
    var order: [(order: Int, arn: String)]
    var tags: JSONObject
    var sequence: Int
}

struct EvaluateOnExit {
    var onStatusReason: String?
    var onReason: String?
    var onExitCode: String?
    var retry: Bool
    /// The entry as given (action upper-cased), for DescribeJobs.
    var json: JSONValue
}

struct RetryStrategy {
    var attempts: Int = 1
    var evaluateOnExit: [EvaluateOnExit] = []

    var json: JSONValue {
        .members([("attempts", .int(attempts)), ("evaluateOnExit", .array(evaluateOnExit.map(\.json)))])
    }
}

/// What runs: the container as the definition (plus overrides) describes it.
struct ContainerSpec {
    var image: String
    var command: [String]
    var environment: [(name: String, value: String)]
    var vcpus: Double
    var memory: Int
    /// The other members of `containerProperties` (jobRoleArn, volumes, …), kept verbatim.
    var extra: JSONObject
}

struct JobDefinition {
    var name: String
    var revision: Int
    var arn: String
    var account: String
    var region: String
    var active = true
    var container: ContainerSpec
    var parameters: [(key: String, value: String)]
    var retryStrategy: RetryStrategy?
    var timeout: Int?
    var propagateTags: Bool
    var platformCapabilities: [String]
    var tags: JSONObject
}

struct AttemptRecord {
    var startedAt: Int64
    var stoppedAt: Int64?
    var exitCode: Int?
    var reason: String?
    var statusReason: String?
    var computeEnvironmentArn: String
}

/// How a job depends on another, as DescribeJobs shows it.
struct Dependency {
    var jobId: String?
    var type: String?
}

struct Job {
    var id: String
    var name: String
    var arn: String
    var account: String
    var region: String
    var queueArn: String
    var definitionArn: String
    var container: ContainerSpec
    var parameters: [(key: String, value: String)]
    var retryStrategy: RetryStrategy
    var timeout: Int?
    var tags: JSONObject
    var propagateTags: Bool
    var platformCapabilities: [String]
    var dependsOn: [Dependency]
    /// Indices of the jobs this one waits for (resolved per child).
    var waitsFor: [Int]
    var status: BatchJobStatus = .submitted
    var statusReason: String?
    var createdAt: Int64
    var startedAt: Int64?
    var stoppedAt: Int64?
    var attempts: [AttemptRecord] = []
    /// The current attempt's placement (STARTING / RUNNING).
    var placement: (ce: String, host: Int)?
    var outstanding = 0
    var dependents: [Int] = []
    /// The exit the executor decided for the running attempt.
    var pendingExit: (code: Int, reason: String?)?
    /// Why the container could not start, when it could not.
    var startFailure: String?
    /// Bumped whenever a timer for this job becomes stale.
    var generation = 0
    // Array jobs.
    var arraySize: Int?
    var arrayIndex: Int?
    var parent: Int?
    var firstChild = 0
    var summary: [Int] = []
    var terminalChildren = 0
    var failedChildren = 0

    /// The parts of the job's detail that never change, built once at submission and shared by
    /// an array's children (events are built for every transition).
    var cached = CachedDetail()

    var isParent: Bool { arraySize != nil }
}

struct CachedDetail {
    var container = JSONObject()
    var parameters = JSONValue.null
    var retryStrategy = JSONValue.null
    var tags = JSONValue.null
    var platformCapabilities = JSONValue.null
}

enum TimerKind { case run, finish, timeout }

struct Timer: Comparable {
    var time: Int64
    var sequence: Int
    var job: Int
    var generation: Int
    var kind: TimerKind

    static func < (lhs: Timer, rhs: Timer) -> Bool {
        (lhs.time, lhs.sequence) < (rhs.time, rhs.sequence)
    }
    static func == (lhs: Timer, rhs: Timer) -> Bool { lhs.time == rhs.time && lhs.sequence == rhs.sequence }
}

/// A binary min-heap of timers.
struct TimerHeap {
    private var items: [Timer] = []

    var first: Timer? { items.first }
    var isEmpty: Bool { items.isEmpty }

    mutating func push(_ timer: Timer) {
        items.append(timer)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Timer? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count && items[left] < items[smallest] { smallest = left }
                if right < items.count && items[right] < items[smallest] { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}

/// An event to publish once the lock is released.
struct PendingEvent {
    var account: String
    var region: String
    var arn: String
    var detail: JSONValue
}
