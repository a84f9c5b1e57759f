import EventPatterns
import EventSchedule

/// A cluster state (`Cluster.Status.State`).
enum ClusterState: String, Sendable, CaseIterable {
    case starting = "STARTING", bootstrapping = "BOOTSTRAPPING", running = "RUNNING", waiting = "WAITING"
    case terminating = "TERMINATING", terminated = "TERMINATED", terminatedWithErrors = "TERMINATED_WITH_ERRORS"

    /// TERMINATING, TERMINATED or TERMINATED_WITH_ERRORS: the cluster takes no more work.
    var isShuttingDown: Bool { self == .terminating || self == .terminated || self == .terminatedWithErrors }
}

/// A step state (`Step.Status.State`).
enum StepState: String, Sendable, CaseIterable {
    case pending = "PENDING", cancelPending = "CANCEL_PENDING", running = "RUNNING", completed = "COMPLETED"
    case cancelled = "CANCELLED", failed = "FAILED", interrupted = "INTERRUPTED"

    /// PENDING, RUNNING or CANCEL_PENDING: counted against the 256 active steps.
    var isActive: Bool { self == .pending || self == .running || self == .cancelPending }
    /// RUNNING or CANCEL_PENDING: holds one of the `StepConcurrencyLevel` slots.
    var holdsSlot: Bool { self == .running || self == .cancelPending }
}

/// What a step does when it fails (`ActionOnFailure`).
enum ActionOnFailure: String, Sendable, CaseIterable {
    case terminateJobFlow = "TERMINATE_JOB_FLOW", terminateCluster = "TERMINATE_CLUSTER"
    case cancelAndWait = "CANCEL_AND_WAIT", `continue` = "CONTINUE"

    /// TERMINATE_CLUSTER or its legacy alias TERMINATE_JOB_FLOW.
    var terminates: Bool { self == .terminateCluster || self == .terminateJobFlow }
}

/// A state-change reason: a code (may be empty, as for a starting cluster) and a message.
struct Reason: Sendable, Equatable {
    var code: String
    var message: String

    static let none = Reason(code: "", message: "")
}

/// The reason codes that end a cluster with TERMINATED (all others end in TERMINATED_WITH_ERRORS).
let cleanTerminationCodes: Set<String> = ["USER_REQUEST", "ALL_STEPS_COMPLETED"]

/// A step of a cluster.
struct Step: Sendable {
    var id: String
    var name: String
    var jar: String
    var args: [String]
    var mainClass: String?
    var properties: [(key: String, value: String)]
    var actionOnFailure: ActionOnFailure
    var state: StepState = .pending
    var reason: Reason = .none
    var failure: (reason: String, message: String, logFile: String?)? = nil
    var created: Instant
    var started: Instant? = nil
    var ended: Instant? = nil
    /// When the running step ends (its executor outcome) or a CANCEL_PENDING step is cancelled.
    var due: Instant? = nil
    var outcome: StepOutcome? = nil

    var spec: StepSpec {
        StepSpec(id: id, name: name, jar: jar, args: args, mainClass: mainClass, properties: properties,
                 actionOnFailure: actionOnFailure.rawValue)
    }
}

/// An instance group or an instance fleet (one kind per cluster).
struct InstanceCollection: Sendable {
    enum Kind: Sendable { case group, fleet }
    var kind: Kind
    var id: String
    var name: String?
    /// MASTER, CORE or TASK.
    var role: String
    // Instance groups.
    var market = "ON_DEMAND"
    var bidPrice: String? = nil
    var instanceType = ""
    var requested = 0
    var running = 0
    // Instance fleets.
    var targetOnDemand = 0
    var targetSpot = 0
    var provisionedOnDemand = 0
    var provisionedSpot = 0
    var instanceTypeConfigs: [JSONValue] = []

    var state = "PROVISIONING"
    var reason: Reason = .none
    var created: Instant
    var ready: Instant? = nil
    var ended: Instant? = nil
    /// A resize in progress: its end and the count it converges to.
    var resizeDue: Instant? = nil
    var resizeTarget = 0
    var resizeStarted: Instant? = nil

    var spec: InstanceGroupSpec {
        InstanceGroupSpec(id: id, role: role, instanceType: instanceType, market: market, requestedInstanceCount: requested)
    }
}

/// A bootstrap action of RunJobFlow.
struct BootstrapAction: Sendable {
    var name: String
    var path: String
    var args: [String]
}

/// The settings a RunJobFlow request gives a cluster (some changed later by
/// SetTerminationProtection, SetKeepJobFlowAliveWhenNoSteps, ModifyCluster).
struct ClusterSettings: Sendable {
    var name: String
    var releaseLabel: String
    var logUri: String?
    var applications: [(name: String, version: String?)]
    var bootstrapActions: [BootstrapAction]
    var tags: [(key: String, value: String)]
    var serviceRole: String?
    var jobFlowRole: String?
    var keepAlive: Bool
    var terminationProtected: Bool
    var stepConcurrencyLevel: Int
    /// `AutoTerminationPolicy.IdleTimeout` in seconds.
    var idleTimeout: Int64?
    var usesFleets: Bool
}

/// A cluster and everything it owns. Its settings read as its own members (`cluster.keepAlive`).
@dynamicMemberLookup
struct Cluster: Sendable {
    var id: String
    var arn: String
    var account: String
    var region: String
    var settings: ClusterSettings
    var collections: [InstanceCollection]

    var state: ClusterState = .starting
    var reason: Reason = .none
    var created: Instant
    var ready: Instant? = nil
    var ended: Instant? = nil
    var steps: [Step] = []

    /// The end of STARTING, BOOTSTRAPPING or TERMINATING.
    var phaseDue: Instant? = nil
    /// The failure the current phase ends with (from the executor), if any.
    var phaseFailure: PhaseFailure? = nil
    /// Auto-termination of an idle WAITING cluster.
    var idleDue: Instant? = nil
    /// Work the API asked for (new steps, a raised concurrency level) that `run(until:)` does.
    var settleDue: Instant? = nil
    /// An injected instance loss.
    var instanceFailureDue: Instant? = nil

    subscript<Value>(dynamicMember setting: WritableKeyPath<ClusterSettings, Value>) -> Value {
        get { settings[keyPath: setting] }
        set { settings[keyPath: setting] = newValue }
    }

    var spec: ClusterSpec {
        ClusterSpec(id: id, name: settings.name, releaseLabel: settings.releaseLabel, applications: settings.applications.map(\.name),
                    bootstrapActions: settings.bootstrapActions.map { ($0.name, $0.path, $0.args) },
                    instanceGroups: collections.map(\.spec))
    }

    /// The earliest instant at which this cluster has work.
    var nextDue: Instant? {
        // A terminated cluster never has work again.
        if state == .terminated || state == .terminatedWithErrors { return nil }
        var result: Instant? = nil
        func consider(_ instant: Instant?) {
            guard let instant else { return }
            if result.map({ instant < $0 }) ?? true { result = instant }
        }
        consider(phaseDue)
        consider(idleDue)
        consider(settleDue)
        consider(instanceFailureDue)
        for step in steps { consider(step.due) }
        for collection in collections { consider(collection.resizeDue) }
        return result
    }

    var activeStepCount: Int { steps.count { $0.state.isActive } }
    var slotsInUse: Int { steps.count { $0.state.holdsSlot } }
}
