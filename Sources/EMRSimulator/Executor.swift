/// A failure that ends a cluster phase: a `StateChangeReason.Code` (`INSTANCE_FAILURE`,
/// `VALIDATION_ERROR`, `INSTANCE_FLEET_TIMEOUT`, `BOOTSTRAP_FAILURE`, `INTERNAL_ERROR`) and a message.
public struct PhaseFailure: Sendable, Equatable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// How long a cluster phase (provisioning, bootstrapping) takes and whether it fails at its end.
public struct PhaseOutcome: Sendable, Equatable {
    /// Seconds on the router's clock (negative values count as 0).
    public var duration: Int64
    /// nil: the phase succeeds.
    public var failure: PhaseFailure?

    public init(duration: Int64, failure: PhaseFailure? = nil) {
        self.duration = duration
        self.failure = failure
    }
}

/// How a step run ends.
public enum StepOutcome: Sendable, Equatable {
    /// The step's process exits 0 after `after` seconds: COMPLETED.
    case completed(after: Int64)
    /// The step fails after `after` seconds: FAILED with `FailureDetails {Reason, Message, LogFile}`;
    /// its `ActionOnFailure` applies.
    case failed(after: Int64, reason: String, message: String, logFile: String?)
    /// The cluster loses its instances after `after` seconds: the step is INTERRUPTED, every other
    /// running step too, and the cluster terminates with errors (reason `INSTANCE_FAILURE`).
    case instanceFailure(after: Int64)

    var duration: Int64 {
        switch self {
        case .completed(let after), .failed(let after, _, _, _), .instanceFailure(let after): return max(0, after)
        }
    }
}

/// What the executor knows about a cluster.
public struct ClusterSpec: Sendable {
    /// `j-…`.
    public var id: String
    public var name: String
    public var releaseLabel: String
    /// `Applications[].Name` in order.
    public var applications: [String]
    /// (Name, ScriptBootstrapAction.Path, ScriptBootstrapAction.Args) in order.
    public var bootstrapActions: [(name: String, path: String, args: [String])]
    /// Instance groups, or fleets (their type as role, on-demand + spot target as the count).
    public var instanceGroups: [InstanceGroupSpec]

    public init(id: String, name: String, releaseLabel: String, applications: [String],
                bootstrapActions: [(name: String, path: String, args: [String])], instanceGroups: [InstanceGroupSpec]) {
        self.id = id
        self.name = name
        self.releaseLabel = releaseLabel
        self.applications = applications
        self.bootstrapActions = bootstrapActions
        self.instanceGroups = instanceGroups
    }
}

/// What the executor knows about an instance group.
public struct InstanceGroupSpec: Sendable {
    /// `ig-…` or `if-…`.
    public var id: String
    /// MASTER, CORE or TASK.
    public var role: String
    public var instanceType: String
    /// ON_DEMAND or SPOT.
    public var market: String
    public var requestedInstanceCount: Int

    public init(id: String, role: String, instanceType: String, market: String, requestedInstanceCount: Int) {
        self.id = id
        self.role = role
        self.instanceType = instanceType
        self.market = market
        self.requestedInstanceCount = requestedInstanceCount
    }
}

/// What the executor knows about a step (its `HadoopJarStep` and `ActionOnFailure`).
public struct StepSpec: Sendable {
    /// `s-…`.
    public var id: String
    public var name: String
    public var jar: String
    public var args: [String]
    public var mainClass: String?
    /// `HadoopJarStep.Properties` in order.
    public var properties: [(key: String, value: String)]
    /// TERMINATE_CLUSTER, TERMINATE_JOB_FLOW, CANCEL_AND_WAIT or CONTINUE.
    public var actionOnFailure: String

    public init(id: String, name: String, jar: String, args: [String], mainClass: String?,
                properties: [(key: String, value: String)], actionOnFailure: String) {
        self.id = id
        self.name = name
        self.jar = jar
        self.args = args
        self.mainClass = mainClass
        self.properties = properties
        self.actionOnFailure = actionOnFailure
    }

    /// The value of a property, or nil.
    public func property(_ key: String) -> String? { properties.first { $0.key == key }?.value }
}

/// Decides durations and outcomes of everything that takes time on a cluster. The simulator asks
/// once, when the work starts, and schedules the outcome on the router's clock; so an executor
/// must be deterministic for the simulation to be (it must not call back into the simulator, which
/// holds its lock while asking).
///
/// ```swift
/// struct AlwaysFails: EMRExecutor {
///     func run(_ step: StepSpec, on cluster: ClusterSpec) -> StepOutcome {
///         .failed(after: 30, reason: "Exit code 1", message: "boom", logFile: nil)
///     }
/// }
/// let emr = EMRSimulator(clock: clock, events: router, executor: AlwaysFails())
/// ```
/// Every requirement has a default: the matching answer of `ScriptedExecutor()`.
public protocol EMRExecutor: Sendable {
    /// STARTING: how long provisioning takes; a failure terminates the cluster with its code.
    func provision(_ cluster: ClusterSpec) -> PhaseOutcome
    /// BOOTSTRAPPING: how long the bootstrap actions take; a failure is `BOOTSTRAP_FAILURE`.
    func bootstrap(_ cluster: ClusterSpec) -> PhaseOutcome
    /// A step that starts RUNNING: when and how it ends.
    func run(_ step: StepSpec, on cluster: ClusterSpec) -> StepOutcome
    /// TERMINATING: seconds until TERMINATED / TERMINATED_WITH_ERRORS.
    func terminationDuration(_ cluster: ClusterSpec) -> Int64
    /// RESIZING: seconds until the group runs `count` instances.
    func resizeDuration(_ group: InstanceGroupSpec, to count: Int) -> Int64
    /// CANCEL_PENDING: seconds until a cancelled running step is CANCELLED.
    func cancellationDuration(_ step: StepSpec, option: String) -> Int64
}

extension EMRExecutor {
    public func provision(_ cluster: ClusterSpec) -> PhaseOutcome { ScriptedExecutor().provision(cluster) }
    public func bootstrap(_ cluster: ClusterSpec) -> PhaseOutcome { ScriptedExecutor().bootstrap(cluster) }
    public func run(_ step: StepSpec, on cluster: ClusterSpec) -> StepOutcome { ScriptedExecutor().run(step, on: cluster) }
    public func terminationDuration(_ cluster: ClusterSpec) -> Int64 { ScriptedExecutor().terminationDuration(cluster) }
    public func resizeDuration(_ group: InstanceGroupSpec, to count: Int) -> Int64 { ScriptedExecutor().resizeDuration(group, to: count) }
    public func cancellationDuration(_ step: StepSpec, option: String) -> Int64 { ScriptedExecutor().cancellationDuration(step, option: option) }
}

/// The default executor: fixed durations, and outcomes scripted by the request itself so that a
/// scenario file can drive failures without code.
///
/// - A step runs `stepSeconds` seconds and completes, unless its `HadoopJarStep.Properties` say
///   otherwise: `emr.sim.duration` (seconds), `emr.sim.outcome` (`COMPLETED`, `FAILED`,
///   `INSTANCE_FAILURE`), `emr.sim.failure-reason` (the FailureDetails reason, default
///   "Unknown Error.").
/// - Bootstrapping takes `bootstrapSeconds` seconds plus `emr.sim.duration=N` found in any
///   bootstrap action's `Args`; an action whose `Args` hold `emr.sim.outcome=FAILED` fails it.
/// - Provisioning takes `provisioningSeconds` seconds and fails with `provisioningFailure` if set.
///
/// ```swift
/// let emr = EMRSimulator(clock: clock, events: router, executor: ScriptedExecutor(stepSeconds: 300))
/// ```
public struct ScriptedExecutor: EMRExecutor {
    public var provisioningSeconds: Int64
    public var bootstrapSeconds: Int64
    public var stepSeconds: Int64
    public var terminationSeconds: Int64
    public var resizeSeconds: Int64
    public var cancellationSeconds: Int64
    public var provisioningFailure: PhaseFailure?

    public init(provisioningSeconds: Int64 = 120, bootstrapSeconds: Int64 = 60, stepSeconds: Int64 = 60,
                terminationSeconds: Int64 = 60, resizeSeconds: Int64 = 120, cancellationSeconds: Int64 = 10,
                provisioningFailure: PhaseFailure? = nil) {
        self.provisioningSeconds = provisioningSeconds
        self.bootstrapSeconds = bootstrapSeconds
        self.stepSeconds = stepSeconds
        self.terminationSeconds = terminationSeconds
        self.resizeSeconds = resizeSeconds
        self.cancellationSeconds = cancellationSeconds
        self.provisioningFailure = provisioningFailure
    }

    public func provision(_ cluster: ClusterSpec) -> PhaseOutcome {
        PhaseOutcome(duration: provisioningSeconds, failure: provisioningFailure)
    }

    public func bootstrap(_ cluster: ClusterSpec) -> PhaseOutcome {
        var duration = bootstrapSeconds
        var failure: PhaseFailure? = nil
        for action in cluster.bootstrapActions {
            for arg in action.args {
                if arg.hasPrefix("emr.sim.duration="), let extra = Int64(arg.dropFirst("emr.sim.duration=".count)), extra > 0 {
                    duration = duration.addingReportingOverflow(extra).overflow ? duration : duration + extra
                }
                if arg == "emr.sim.outcome=FAILED", failure == nil {
                    failure = PhaseFailure(code: "BOOTSTRAP_FAILURE", message: "On the master instance, bootstrap action \(action.name) returned a non-zero return code")
                }
            }
        }
        return PhaseOutcome(duration: duration, failure: failure)
    }

    public func run(_ step: StepSpec, on cluster: ClusterSpec) -> StepOutcome {
        var duration = stepSeconds
        if let text = step.property("emr.sim.duration"), let seconds = Int64(text), seconds >= 0 { duration = seconds }
        switch step.property("emr.sim.outcome") {
        case "FAILED"?:
            return .failed(after: duration, reason: step.property("emr.sim.failure-reason") ?? "Unknown Error.",
                           message: "Step \(step.id) (\(step.name)) exited with a non-zero code.",
                           logFile: "s3://aws-logs/elasticmapreduce/\(cluster.id)/steps/\(step.id)/stderr.gz")
        case "INSTANCE_FAILURE"?:
            return .instanceFailure(after: duration)
        default:
            return .completed(after: duration)
        }
    }

    public func terminationDuration(_ cluster: ClusterSpec) -> Int64 { terminationSeconds }
    public func resizeDuration(_ group: InstanceGroupSpec, to count: Int) -> Int64 { resizeSeconds }
    public func cancellationDuration(_ step: StepSpec, option: String) -> Int64 { cancellationSeconds }
}
