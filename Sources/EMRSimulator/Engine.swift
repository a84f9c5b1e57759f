import EventPatterns
import EventSchedule

/// An event waiting to be published once the simulator's lock is released.
struct PendingEvent: Sendable {
    var account: String
    var region: String
    var detailType: String
    var detail: JSONValue
}

/// All simulator state; lives under the simulator's mutex. Methods that change state collect the
/// events they cause in `events`, which the simulator publishes after unlocking.
struct Engine: Sendable {
    var clusters: [Cluster] = []
    var positions: [String: Int] = [:]
    var rng: SplitMix64
    let executor: any EMRExecutor
    var events: [PendingEvent] = []
    private var usedIDs: Set<String> = []

    init(executor: any EMRExecutor, seed: UInt64) {
        self.executor = executor
        self.rng = SplitMix64(seed: seed)
    }

    /// A new id: `prefix` + 13 uppercase letters and digits from the seeded generator, never reused.
    mutating func newID(_ prefix: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        while true {
            var id = prefix
            for _ in 0..<13 { id.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            if usedIDs.insert(id).inserted { return id }
        }
    }

    mutating func drainEvents() -> [PendingEvent] {
        defer { events.removeAll() }
        return events
    }

    /// The earliest instant any cluster has work.
    var nextWakeUp: Instant? {
        var result: Instant? = nil
        for cluster in clusters {
            guard let due = cluster.nextDue else { continue }
            if result.map({ due < $0 }) ?? true { result = due }
        }
        return result
    }

    /// Does all the work due at or before `now`, earliest first (ties in cluster creation order).
    mutating func run(until now: Instant) -> Bool {
        var didWork = false
        while true {
            var earliest: (index: Int, due: Instant)? = nil
            for (index, cluster) in clusters.enumerated() {
                guard let due = cluster.nextDue, due <= now else { continue }
                if earliest.map({ due < $0.due }) ?? true { earliest = (index, due) }
            }
            guard let (index, due) = earliest else { return didWork }
            fire(index, at: due)
            didWork = true
        }
    }

    // MARK: - Timers

    /// Everything of cluster `c` due at `t`, in a fixed order: the phase, an injected instance loss,
    /// step ends (submission order), resizes, the idle timeout; then the cluster settles.
    mutating func fire(_ c: Int, at t: Instant) {
        if let due = clusters[c].phaseDue, due <= t {
            clusters[c].phaseDue = nil
            endPhase(c, at: t)
        }
        if let due = clusters[c].instanceFailureDue, due <= t {
            clusters[c].instanceFailureDue = nil
            if !clusters[c].state.isShuttingDown {
                beginTermination(c, Reason(code: "INSTANCE_FAILURE", message: "Instance failure: the master node was lost."),
                                 at: t, runningStepsBecome: .interrupted)
            }
        }
        var s = 0
        while s < clusters[c].steps.count {
            if let due = clusters[c].steps[s].due, due <= t {
                clusters[c].steps[s].due = nil
                endStep(c, s, at: t)
            }
            s += 1
        }
        for g in clusters[c].collections.indices {
            if let due = clusters[c].collections[g].resizeDue, due <= t {
                clusters[c].collections[g].resizeDue = nil
                endResize(c, g, at: t)
            }
        }
        if let due = clusters[c].idleDue, due <= t {
            clusters[c].idleDue = nil
            if clusters[c].state == .waiting && clusters[c].activeStepCount == 0 {
                let seconds = clusters[c].idleTimeout ?? 0
                beginTermination(c, Reason(code: "ALL_STEPS_COMPLETED", message: "Cluster was terminated after being idle for \(seconds) seconds."),
                                 at: t, runningStepsBecome: .cancelled)
            }
        }
        clusters[c].settleDue = nil
        settle(c, at: t)
    }

    /// The end of STARTING, BOOTSTRAPPING or TERMINATING.
    mutating func endPhase(_ c: Int, at t: Instant) {
        let failure = clusters[c].phaseFailure
        clusters[c].phaseFailure = nil
        switch clusters[c].state {
        case .starting:
            if let failure {
                beginTermination(c, Reason(code: failure.code, message: failure.message), at: t, runningStepsBecome: .cancelled)
                return
            }
            for g in clusters[c].collections.indices {
                clusters[c].collections[g].running = clusters[c].collections[g].requested
                clusters[c].collections[g].provisionedOnDemand = clusters[c].collections[g].targetOnDemand
                clusters[c].collections[g].provisionedSpot = clusters[c].collections[g].targetSpot
                setCollection(c, g, state: "BOOTSTRAPPING", reason: .none, at: t, message: nil)
            }
            setCluster(c, .bootstrapping, Reason(code: "", message: "Running bootstrap actions"), at: t)
            let outcome = executor.bootstrap(clusters[c].spec)
            clusters[c].phaseDue = t.adding(seconds: max(0, outcome.duration))
            clusters[c].phaseFailure = outcome.failure.map { PhaseFailure(code: $0.code.isEmpty ? "BOOTSTRAP_FAILURE" : $0.code, message: $0.message) }
        case .bootstrapping:
            if let failure {
                beginTermination(c, Reason(code: failure.code, message: failure.message), at: t, runningStepsBecome: .cancelled)
                return
            }
            clusters[c].ready = t
            for g in clusters[c].collections.indices {
                clusters[c].collections[g].ready = t
                setCollection(c, g, state: "RUNNING", reason: .none, at: t, message: nil)
            }
            if clusters[c].steps.contains(where: { $0.state == .pending }) {
                setCluster(c, .running, Reason(code: "", message: "Running step"), at: t)
            } else if clusters[c].keepAlive {
                enterWaiting(c, Reason(code: "", message: "Cluster ready to run steps."), at: t)
            } else {
                beginTermination(c, Reason(code: "ALL_STEPS_COMPLETED", message: "Steps completed"), at: t, runningStepsBecome: .cancelled)
            }
        case .terminating:
            for g in clusters[c].collections.indices {
                clusters[c].collections[g].running = 0
                clusters[c].collections[g].provisionedOnDemand = 0
                clusters[c].collections[g].provisionedSpot = 0
                clusters[c].collections[g].ended = t
                setCollection(c, g, state: "TERMINATED", reason: Reason(code: "CLUSTER_TERMINATED", message: "Cluster was terminated."),
                              at: t, message: nil)
            }
            clusters[c].ended = t
            let reason = clusters[c].reason
            setCluster(c, cleanTerminationCodes.contains(reason.code) ? .terminated : .terminatedWithErrors, reason, at: t)
        default:
            break
        }
    }

    /// Starts pending steps into free slots (moving a WAITING cluster to RUNNING first), and ends a
    /// RUNNING cluster's run when no step is left: WAITING when kept alive, else TERMINATING.
    mutating func settle(_ c: Int, at t: Instant) {
        guard clusters[c].state == .running || clusters[c].state == .waiting else { return }
        if clusters[c].slotsInUse < clusters[c].stepConcurrencyLevel,
           clusters[c].steps.contains(where: { $0.state == .pending }) {
            if clusters[c].state == .waiting {
                clusters[c].idleDue = nil
                setCluster(c, .running, Reason(code: "", message: "Running step"), at: t)
            }
            while clusters[c].slotsInUse < clusters[c].stepConcurrencyLevel,
                  let s = clusters[c].steps.firstIndex(where: { $0.state == .pending }) {
                startStep(c, s, at: t)
            }
        }
        if clusters[c].state == .waiting && !clusters[c].keepAlive && clusters[c].activeStepCount == 0 {
            // SetKeepJobFlowAliveWhenNoSteps(false) on a waiting cluster.
            beginTermination(c, Reason(code: "ALL_STEPS_COMPLETED", message: "Steps completed"), at: t, runningStepsBecome: .cancelled)
            return
        }
        if clusters[c].state == .running && clusters[c].activeStepCount == 0 {
            if clusters[c].keepAlive {
                enterWaiting(c, Reason(code: "", message: "Cluster ready after last step completed."), at: t)
            } else {
                beginTermination(c, Reason(code: "ALL_STEPS_COMPLETED", message: "Steps completed"), at: t, runningStepsBecome: .cancelled)
            }
        }
    }

    mutating func enterWaiting(_ c: Int, _ reason: Reason, at t: Instant) {
        setCluster(c, .waiting, reason, at: t)
        if let idle = clusters[c].idleTimeout { clusters[c].idleDue = t.adding(seconds: idle) }
    }

    /// Moves the cluster to TERMINATING: pending steps are CANCELLED, running ones become
    /// `runningStepsBecome` (CANCELLED, or INTERRUPTED for a lost instance), then the cluster and
    /// every instance group or fleet go TERMINATING. Does nothing to a cluster already shutting down.
    mutating func beginTermination(_ c: Int, _ reason: Reason, at t: Instant, runningStepsBecome: StepState) {
        guard !clusters[c].state.isShuttingDown else { return }
        for s in clusters[c].steps.indices where clusters[c].steps[s].state.isActive {
            let next: StepState = clusters[c].steps[s].state == .pending ? .cancelled : runningStepsBecome
            clusters[c].steps[s].due = nil
            clusters[c].steps[s].outcome = nil
            setStep(c, s, next, Reason(code: "NONE", message: "Cluster terminated: \(reason.code)"), at: t)
        }
        clusters[c].idleDue = nil
        clusters[c].settleDue = nil
        clusters[c].instanceFailureDue = nil
        clusters[c].phaseFailure = nil
        setCluster(c, .terminating, reason, at: t)
        clusters[c].phaseDue = t.adding(seconds: max(0, executor.terminationDuration(clusters[c].spec)))
        for g in clusters[c].collections.indices {
            clusters[c].collections[g].resizeDue = nil
            clusters[c].collections[g].resizeStarted = nil
            setCollection(c, g, state: "TERMINATING", reason: Reason(code: "CLUSTER_TERMINATED", message: "Cluster was terminated."),
                          at: t, message: nil)
        }
    }

    // MARK: - Steps

    mutating func startStep(_ c: Int, _ s: Int, at t: Instant) {
        let outcome = executor.run(clusters[c].steps[s].spec, on: clusters[c].spec)
        clusters[c].steps[s].started = t
        clusters[c].steps[s].outcome = outcome
        clusters[c].steps[s].due = t.adding(seconds: outcome.duration)
        setStep(c, s, .running, .none, at: t)
    }

    mutating func endStep(_ c: Int, _ s: Int, at t: Instant) {
        if clusters[c].steps[s].state == .cancelPending {
            setStep(c, s, .cancelled, Reason(code: "NONE", message: "Cancelled by user request"), at: t)
            return
        }
        guard clusters[c].steps[s].state == .running, let outcome = clusters[c].steps[s].outcome else { return }
        clusters[c].steps[s].outcome = nil
        switch outcome {
        case .completed:
            setStep(c, s, .completed, .none, at: t)
        case .failed(_, let reason, let message, let logFile):
            clusters[c].steps[s].failure = (reason, message, logFile)
            setStep(c, s, .failed, .none, at: t)
            applyActionOnFailure(c, s, at: t)
        case .instanceFailure:
            beginTermination(c, Reason(code: "INSTANCE_FAILURE", message: "Instance failure: the cluster lost its instances while running step \(clusters[c].steps[s].id)."),
                             at: t, runningStepsBecome: .interrupted)
        }
    }

    /// A failed step's ActionOnFailure. It fires only at concurrency level 1; CANCEL_AND_WAIT not while
    /// other steps still run (a level lowered from above 1).
    mutating func applyActionOnFailure(_ c: Int, _ s: Int, at t: Instant) {
        guard clusters[c].stepConcurrencyLevel == 1 else { return }
        let action = clusters[c].steps[s].actionOnFailure
        let failedID = clusters[c].steps[s].id
        switch action {
        case .continue:
            return
        case .cancelAndWait:
            guard clusters[c].slotsInUse == 0 else { return }
            cancelPendingSteps(c, because: failedID, at: t)
            if !clusters[c].keepAlive {
                beginTermination(c, Reason(code: "STEP_FAILURE", message: "Shut down as step failed"), at: t, runningStepsBecome: .cancelled)
            }
        case .terminateCluster, .terminateJobFlow:
            cancelPendingSteps(c, because: failedID, at: t)
            if clusters[c].terminationProtected && clusters[c].keepAlive { return }
            beginTermination(c, Reason(code: "STEP_FAILURE", message: "Shut down as step failed"), at: t, runningStepsBecome: .cancelled)
        }
    }

    mutating func cancelPendingSteps(_ c: Int, because failedID: String, at t: Instant) {
        for other in clusters[c].steps.indices where clusters[c].steps[other].state == .pending {
            setStep(c, other, .cancelled, Reason(code: "NONE", message: "Cancelled because step \(failedID) failed"), at: t)
        }
    }

    // MARK: - Instance groups

    mutating func endResize(_ c: Int, _ g: Int, at t: Instant) {
        guard clusters[c].collections[g].state == "RESIZING" else { return }
        let target = clusters[c].collections[g].resizeTarget
        let started = clusters[c].collections[g].resizeStarted ?? t
        clusters[c].collections[g].running = target
        clusters[c].collections[g].resizeStarted = nil
        let cluster = clusters[c], group = cluster.collections[g]
        let minutes = (t.secondsSince1970 - started.secondsSince1970) / 60
        let message = "The resizing operation for instance group \(group.id) in Amazon EMR cluster \(cluster.id) (\(cluster.name)) is complete. "
            + "It now has an instance count of \(target). The resize started at \(Self.humanTime(started)) and took \(minutes) minutes to complete."
        setCollection(c, g, state: "RUNNING", reason: .none, at: t, message: message)
    }

    /// Starts a resize of an instance group: RUNNING → RESIZING now, → RUNNING at the executor's time.
    mutating func beginResize(_ c: Int, _ g: Int, to count: Int, at t: Instant) {
        clusters[c].collections[g].requested = count
        clusters[c].collections[g].resizeTarget = count
        let duration = max(0, executor.resizeDuration(clusters[c].collections[g].spec, to: count))
        clusters[c].collections[g].resizeDue = t.adding(seconds: duration)
        if clusters[c].collections[g].state == "RESIZING" { return }
        clusters[c].collections[g].resizeStarted = t
        let cluster = clusters[c], group = cluster.collections[g]
        let message = "A resize for instance group \(group.id) in Amazon EMR cluster \(cluster.id) (\(cluster.name)) started at \(Self.humanTime(t)). "
            + "It is resizing from an instance count of \(group.running) to \(count)."
        setCollection(c, g, state: "RESIZING", reason: .none, at: t, message: message)
    }

    // MARK: - Transitions with their events

    mutating func setCluster(_ c: Int, _ state: ClusterState, _ reason: Reason, at t: Instant) {
        clusters[c].state = state
        clusters[c].reason = reason
        events.append(clusterEvent(clusters[c], at: t))
    }

    mutating func setStep(_ c: Int, _ s: Int, _ state: StepState, _ reason: Reason, at t: Instant) {
        clusters[c].steps[s].state = state
        clusters[c].steps[s].reason = reason
        if state != .running && state != .cancelPending && state != .pending { clusters[c].steps[s].ended = t }
        events.append(stepEvent(clusters[c], clusters[c].steps[s], at: t))
    }

    mutating func setCollection(_ c: Int, _ g: Int, state: String, reason: Reason, at t: Instant, message: String?) {
        clusters[c].collections[g].state = state
        clusters[c].collections[g].reason = reason
        events.append(collectionEvent(clusters[c], clusters[c].collections[g], at: t, message: message))
    }
}
