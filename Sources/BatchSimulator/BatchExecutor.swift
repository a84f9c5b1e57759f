import EventSchedule

/// What the simulator tells an executor about one attempt of a job, at the moment the job enters
/// RUNNING.
public struct BatchAttemptContext: Sendable {
    /// The job id (`parent:index` for an array child).
    public var jobId: String
    /// The `jobName` given to SubmitJob (shared by an array's children).
    public var jobName: String
    /// 1-based, as `AWS_BATCH_JOB_ATTEMPT`.
    public var attempt: Int
    /// The child's index, as `AWS_BATCH_JOB_ARRAY_INDEX` (nil for a job that is no array child).
    public var arrayIndex: Int?
    /// The command after overrides and `Ref::` substitution.
    public var command: [String]
    /// The container's environment: the definition's, merged with the overrides, followed by the
    /// variables Batch injects (`AWS_BATCH_JOB_ID`, `AWS_BATCH_JOB_ATTEMPT`,
    /// `AWS_BATCH_JOB_ARRAY_INDEX`, `AWS_BATCH_JQ_NAME`, `AWS_BATCH_CE_NAME`).
    public var environment: [(name: String, value: String)]
    /// The job's parameters (definition defaults overridden by SubmitJob).
    public var parameters: [(key: String, value: String)]
    /// The vCPUs reserved for the attempt (after overrides).
    public var vcpus: Double
    /// The memory reserved for the attempt, in MiB (after overrides).
    public var memoryMiB: Int
    /// The name of the job's queue.
    public var jobQueueName: String
    /// The name of the compute environment the attempt was placed in.
    public var computeEnvironmentName: String
    /// When the attempt entered RUNNING.
    public var startedAt: Instant

    /// The value of an environment variable.
    public func environment(_ name: String) -> String? {
        environment.last { $0.name == name }?.value
    }

    /// The value of a job parameter.
    public func parameter(_ key: String) -> String? {
        parameters.last { $0.key == key }?.value
    }
}

/// What an attempt does.
public enum BatchAttemptOutcome: Sendable, Equatable {
    /// The container runs for `afterSeconds` (≥ 0) and exits with `code`; `reason` is the
    /// container's `reason` (matched by evaluateOnExit's `onReason`).
    case exit(code: Int, afterSeconds: Int64, reason: String? = nil)
    /// The container cannot start: the job goes from STARTING straight to FAILED with this
    /// reason (`CannotPullContainerError: …`), without retry.
    case cannotStart(reason: String)
}

/// Decides what each attempt of a job does, so that scenarios are reproducible.
///
/// The executor is called while the simulator holds its lock: it must not call back into the
/// simulator. Use ``scripted`` (the default) or ``custom(_:)``.
///
/// ```swift
/// // Every job fails its first attempt with exit 137, then succeeds after 30 s.
/// let executor = BatchExecutor.custom { context in
///     context.attempt == 1 ? .exit(code: 137, afterSeconds: 5) : .exit(code: 0, afterSeconds: 30)
/// }
/// ```
public struct BatchExecutor: Sendable {
    let decide: @Sendable (BatchAttemptContext) -> BatchAttemptOutcome

    /// A host-supplied closure.
    public static func custom(_ decide: @escaping @Sendable (BatchAttemptContext) -> BatchAttemptOutcome) -> BatchExecutor {
        BatchExecutor(decide: decide)
    }

    /// The scripted default: reads the job's environment first, then its parameters.
    ///
    /// - `SIM_EXIT_CODE`: the exit code, or a comma-separated list with one value per attempt
    ///   (the last value repeats): `"1,1,0"` fails twice then succeeds. Default `0`.
    /// - `SIM_DURATION_SECONDS`: how long the container runs, a number or a per-attempt list.
    ///   Default `defaultDurationSeconds`.
    /// - `SIM_REASON`: the container's `reason` on a non-zero exit (a per-attempt list separated
    ///   by `|`).
    /// - `SIM_FAIL_INDEXES`: for array children, a comma-separated list of indexes that exit with
    ///   `SIM_FAIL_EXIT_CODE` (default 1) on every attempt; the other children use `SIM_EXIT_CODE`.
    /// - `SIM_CANNOT_START`: if set, the container cannot start, with this reason.
    ///
    /// A value that is not a list of integers makes the container fail to start with a reason
    /// naming the variable, so a typo in a scenario shows in the job's status.
    public static func scripted(defaultDurationSeconds: Int64 = 1) -> BatchExecutor {
        BatchExecutor { context in
            func value(_ name: String) -> String? { context.environment(name) ?? context.parameter(name) }
            func pick(_ name: String, _ fallback: Int64) -> Int64? {
                guard let text = value(name) else { return fallback }
                let items = text.split(separator: ",", omittingEmptySubsequences: false)
                    .map { Int64($0.trimmingSpaces) }
                guard !items.isEmpty, items.allSatisfy({ $0 != nil }) else { return nil }
                let index = min(context.attempt - 1, items.count - 1)
                return items[max(index, 0)]
            }
            if let reason = value("SIM_CANNOT_START") { return .cannotStart(reason: reason) }
            guard let duration = pick("SIM_DURATION_SECONDS", defaultDurationSeconds), duration >= 0 else {
                return .cannotStart(reason: "SIM_DURATION_SECONDS is not a list of non-negative integers")
            }
            guard var code = pick("SIM_EXIT_CODE", 0) else {
                return .cannotStart(reason: "SIM_EXIT_CODE is not a list of integers")
            }
            if let index = context.arrayIndex, let failing = value("SIM_FAIL_INDEXES") {
                let indexes = failing.split(separator: ",").compactMap { Int($0.trimmingSpaces) }
                if indexes.contains(index) {
                    guard let failCode = pick("SIM_FAIL_EXIT_CODE", 1) else {
                        return .cannotStart(reason: "SIM_FAIL_EXIT_CODE is not a list of integers")
                    }
                    code = failCode
                }
            }
            var reason: String?
            if code != 0, let reasons = value("SIM_REASON") {
                let items = reasons.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                reason = items[max(0, min(context.attempt - 1, items.count - 1))]
            }
            return .exit(code: Int(code), afterSeconds: duration, reason: reason)
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
