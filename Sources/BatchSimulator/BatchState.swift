import EventPatterns
import EventSchedule
import EventTargets

/// Everything the simulator knows, under its mutex. Resources are keyed by ARN (which carries
/// account and region); jobs live in one array in submission order, so a job's index is its
/// FIFO position.
struct BatchState {
    let configuration: BatchSimulator.Configuration
    var rng: SplitMix64
    var sequence = 0

    var computeEnvironments: [String: ComputeEnvironment] = [:]
    var queues: [String: JobQueue] = [:]
    /// Revisions by "account/region/name"; revision n is at index n − 1.
    var definitions: [String: [JobDefinition]] = [:]
    var definitionOrder: [String] = []

    var jobs: [Job] = []
    var jobIndex: [String: Int] = [:]
    /// RUNNABLE jobs per queue ARN, ascending by index (FIFO). Entries of jobs that left RUNNABLE
    /// are dropped lazily by the scheduler walk; `inRunnable` says whether a job has an entry.
    var runnable: [String: [Int]] = [:]
    var inRunnable: Set<Int> = []
    /// Jobs awaiting their first scheduler evaluation (SUBMITTED), in order.
    var submitted: [Int] = []
    /// CancelJob / TerminateJob requests, applied at the next pass.
    var stopRequests: [(job: Int, reason: String, terminate: Bool)] = []
    /// Jobs that became terminal and whose dependents must be resolved.
    var toResolve: [Int] = []
    var needsPass = false
    var timers = TimerHeap()
    var events: [PendingEvent] = []

    init(configuration: BatchSimulator.Configuration) {
        self.configuration = configuration
        self.rng = SplitMix64(seed: configuration.seed)
    }

    mutating func nextSequence() -> Int {
        sequence += 1
        return sequence
    }

    mutating func takeEvents() -> [PendingEvent] {
        defer { events = [] }
        return events
    }

    // MARK: - Lookups

    func error(_ message: String) -> ServiceError { ServiceError("ClientException", message) }

    /// A compute environment by name or ARN in the caller's account and region.
    func computeEnvironmentArn(_ reference: String, _ scope: Scope) -> String? {
        let arn = reference.hasPrefix("arn:") ? reference : scope.arn("compute-environment/\(reference)")
        guard let ce = computeEnvironments[arn], ce.account == scope.account, ce.region == scope.region else { return nil }
        return arn
    }

    func queueArn(_ reference: String, _ scope: Scope) -> String? {
        let arn = reference.hasPrefix("arn:") ? reference : scope.arn("job-queue/\(reference)")
        guard let queue = queues[arn], queue.account == scope.account, queue.region == scope.region else { return nil }
        return arn
    }

    func definitionKey(_ name: String, _ scope: Scope) -> String { "\(scope.account)/\(scope.region)/\(name)" }

    /// A job definition by `name` (latest ACTIVE revision), `name:revision` or ARN.
    func definition(_ reference: String, _ scope: Scope) -> JobDefinition? {
        var text = reference
        if reference.hasPrefix("arn:") {
            let prefix = scope.arn("job-definition/")
            guard reference.hasPrefix(prefix) else { return nil }
            text = String(reference.dropFirst(prefix.count))
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard let name = parts.first, parts.count <= 2, let revisions = definitions[definitionKey(String(name), scope)] else { return nil }
        if parts.count == 2 {
            guard let revision = Int(parts[1]), revision >= 1, revision <= revisions.count else { return nil }
            return revisions[revision - 1]
        }
        if reference.hasPrefix("arn:") { return nil }
        return revisions.last { $0.active }
    }

    func job(_ id: String, _ scope: Scope) -> Int? {
        guard let index = jobIndex[id], jobs[index].account == scope.account, jobs[index].region == scope.region else { return nil }
        return index
    }

    // MARK: - Transitions

    /// Applies one transition, updates the parent's summary and emits the job's event. Terminal
    /// jobs are queued for dependency resolution (`drainResolutions`), never resolved
    /// recursively, so a 10,000-deep SEQUENTIAL cascade uses no stack.
    mutating func transition(_ index: Int, to status: BatchJobStatus, reason: String?, at time: Int64) {
        let old = jobs[index].status
        guard old != status else { return }
        jobs[index].status = status
        if let reason { jobs[index].statusReason = reason }
        if status.isTerminal {
            jobs[index].stoppedAt = time
            jobs[index].generation += 1
            toResolve.append(index)
        }
        emit(index)
        guard let parent = jobs[index].parent else { return }
        if jobs[parent].summary.indices.contains(old.summaryIndex) { jobs[parent].summary[old.summaryIndex] -= 1 }
        if jobs[parent].summary.indices.contains(status.summaryIndex) { jobs[parent].summary[status.summaryIndex] += 1 }
        if old == .submitted && jobs[parent].status == .submitted {
            jobs[parent].status = .pending
            emit(parent)
        }
        if status.isTerminal {
            jobs[parent].terminalChildren += 1
            if status == .failed { jobs[parent].failedChildren += 1 }
            if jobs[parent].terminalChildren == jobs[parent].arraySize, !jobs[parent].status.isTerminal {
                let failed = jobs[parent].failedChildren > 0
                jobs[parent].status = failed ? .failed : .succeeded
                jobs[parent].statusReason = failed ? "Array Child Job failed" : nil
                jobs[parent].stoppedAt = time
                toResolve.append(parent)
                emit(parent)
            }
        }
    }

    mutating func emit(_ index: Int) {
        let job = jobs[index]
        events.append(PendingEvent(account: job.account, region: job.region, arn: job.arn, detail: jobDetail(index)))
    }

    mutating func makeRunnable(_ index: Int, reason: String?, at time: Int64) {
        transition(index, to: .runnable, reason: reason, at: time)
        if !inRunnable.contains(index) {
            inRunnable.insert(index)
            var list = runnable[jobs[index].queueArn, default: []]
            var low = 0, high = list.count
            while low < high {
                let mid = (low + high) / 2
                if list[mid] < index { low = mid + 1 } else { high = mid }
            }
            list.insert(index, at: low)
            runnable[jobs[index].queueArn] = list
        }
        needsPass = true
    }

    /// Resolves the dependents of every job that became terminal: a success counts down their
    /// outstanding dependencies, a failure fails every PENDING dependent (transitively).
    mutating func drainResolutions(at time: Int64) {
        var position = 0
        while position < toResolve.count {
            let index = toResolve[position]
            position += 1
            let succeeded = jobs[index].status == .succeeded
            let dependents = jobs[index].dependents
            jobs[index].dependents = []
            for dependent in dependents where jobs[dependent].status == .pending {
                if succeeded {
                    jobs[dependent].outstanding -= 1
                    if jobs[dependent].outstanding <= 0 { makeRunnable(dependent, reason: nil, at: time) }
                } else {
                    transition(dependent, to: .failed, reason: "Dependent Job failed", at: time)
                }
            }
        }
        toResolve.removeAll(keepingCapacity: true)
    }

    /// Frees the capacity held by a STARTING or RUNNING job.
    mutating func release(_ index: Int) {
        guard let placement = jobs[index].placement else { return }
        jobs[index].placement = nil
        jobs[index].generation += 1
        let vcpus = jobs[index].container.vcpus, memory = jobs[index].container.memory
        if var ce = computeEnvironments[placement.ce], ce.hosts.indices.contains(placement.host) {
            ce.hosts[placement.host].usedVcpus = max(0, ce.hosts[placement.host].usedVcpus - vcpus)
            ce.hosts[placement.host].usedMemory = max(0, ce.hosts[placement.host].usedMemory - memory)
            computeEnvironments[placement.ce] = ce
        }
        needsPass = true
    }

    mutating func schedule(_ index: Int, _ kind: TimerKind, at time: Int64) {
        timers.push(Timer(time: time, sequence: nextSequence(), job: index, generation: jobs[index].generation, kind: kind))
    }
}
