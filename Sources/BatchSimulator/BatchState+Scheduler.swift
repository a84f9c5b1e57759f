import EventPatterns
import EventSchedule

/// The scheduler (spec §1.8): one pass applies stop requests, evaluates SUBMITTED jobs and places
/// RUNNABLE jobs; timers move jobs STARTING → RUNNING → exit or timeout.
extension BatchState {
    /// Runs passes and due timers until nothing is left at or before `now`.
    mutating func run(until now: Int64) {
        while true {
            if needsPass {
                needsPass = false
                pass(now: now)
            }
            while let timer = timers.first, timer.time <= now {
                _ = timers.pop()
                fire(timer)
                drainResolutions(at: timer.time)
            }
            if !needsPass { break }
        }
    }

    /// One scheduler pass at `now`.
    mutating func pass(now: Int64) {
        // 1. Cancellations and terminations.
        let requests = stopRequests
        stopRequests = []
        for request in requests { stop(request.job, reason: request.reason, terminate: request.terminate, at: now) }
        drainResolutions(at: now)
        // 2. SUBMITTED → PENDING / RUNNABLE (or PENDING → FAILED when a dependency already failed).
        let waiting = submitted
        submitted = []
        for index in waiting where jobs[index].status == .submitted { evaluate(index, at: now) }
        drainResolutions(at: now)
        // 3. Placement: queues by priority (desc), then creation; FIFO within a queue. A DISABLED
        //    queue takes no new submissions but the jobs already in it still run.
        let order = queues.values.filter { $0.status == "VALID" && runnable[$0.arn]?.isEmpty == false }
            .sorted { ($0.priority, -$0.sequence) > ($1.priority, -$1.sequence) }
        for queue in order { place(queue: queue, at: now) }
        needsPass = false
    }

    mutating func stop(_ index: Int, reason: String, terminate: Bool, at now: Int64) {
        if jobs[index].isParent {
            let first = jobs[index].firstChild, size = jobs[index].arraySize ?? 0
            for child in first..<(first + size) { stop(child, reason: reason, terminate: terminate, at: now) }
            return
        }
        switch jobs[index].status {
        case .submitted, .pending, .runnable:
            transition(index, to: .failed, reason: reason, at: now)
        case .starting, .running:
            guard terminate else { return }
            if jobs[index].status == .running, var attempt = jobs[index].attempts.popLast() {
                attempt.stoppedAt = now
                attempt.statusReason = reason
                jobs[index].attempts.append(attempt)
            }
            release(index)
            transition(index, to: .failed, reason: reason, at: now)
        case .succeeded, .failed:
            return
        }
    }

    /// First evaluation of a job: wait for its dependencies or become RUNNABLE.
    mutating func evaluate(_ index: Int, at now: Int64) {
        var outstanding = 0
        var failed = false
        for dependency in jobs[index].waitsFor {
            switch jobs[dependency].status {
            case .succeeded: continue
            case .failed: failed = true
            default:
                outstanding += 1
                jobs[dependency].dependents.append(index)
            }
        }
        if failed {
            transition(index, to: .pending, reason: nil, at: now)
            transition(index, to: .failed, reason: "Dependent Job failed", at: now)
        } else if outstanding > 0 {
            jobs[index].outstanding = outstanding
            transition(index, to: .pending, reason: nil, at: now)
        } else {
            makeRunnable(index, reason: nil, at: now)
        }
    }

    /// Walks a queue's RUNNABLE jobs in FIFO order and places each in the first of the queue's
    /// usable compute environments where it fits; stops as soon as none has free capacity.
    mutating func place(queue: JobQueue, at now: Int64) {
        guard let list = runnable[queue.arn] else { return }
        let usable = queue.order.map(\.arn).filter { computeEnvironments[$0]?.enabled == true && computeEnvironments[$0]?.status == "VALID" }
        var kept: [Int] = []
        kept.reserveCapacity(list.count)
        var position = 0
        while position < list.count {
            if !hasFreeCapacity(usable) { break }
            let index = list[position]
            position += 1
            guard jobs[index].status == .runnable else {
                inRunnable.remove(index)
                continue
            }
            if placeJob(index, in: usable, at: now) {
                inRunnable.remove(index)
            } else {
                kept.append(index)
                if configuration.strictFIFO { break }
            }
        }
        if position < list.count { kept.append(contentsOf: list[position...]) }
        runnable[queue.arn] = kept
    }

    func hasFreeCapacity(_ ces: [String]) -> Bool {
        for arn in ces {
            guard let ce = computeEnvironments[arn] else { continue }
            for host in ce.hosts where host.usedVcpus < host.vcpus - 1e-9 && host.usedMemory < host.memory { return true }
        }
        return false
    }

    mutating func placeJob(_ index: Int, in ces: [String], at now: Int64) -> Bool {
        let vcpus = jobs[index].container.vcpus, memory = jobs[index].container.memory
        for arn in ces {
            guard var ce = computeEnvironments[arn] else { continue }
            guard let host = ce.hosts.firstIndex(where: { $0.fits(vcpus: vcpus, memory: memory) }) else { continue }
            ce.hosts[host].usedVcpus += vcpus
            ce.hosts[host].usedMemory += memory
            computeEnvironments[arn] = ce
            jobs[index].placement = (arn, host)
            jobs[index].generation += 1
            transition(index, to: .starting, reason: nil, at: now)
            schedule(index, .run, at: Self.later(now, configuration.startLatencySeconds))
            return true
        }
        return false
    }

    // MARK: - Timers

    mutating func fire(_ timer: Timer) {
        let index = timer.job
        guard jobs.indices.contains(index), jobs[index].generation == timer.generation else { return }
        let time = timer.time
        switch timer.kind {
        case .run:
            guard jobs[index].status == .starting, let placement = jobs[index].placement else { return }
            let context = attemptContext(index, placement: placement.ce, at: time)
            switch configuration.executor.decide(context) {
            case .cannotStart(let reason):
                release(index)
                jobs[index].startFailure = reason
                transition(index, to: .failed, reason: reason, at: time)
            case .exit(let code, let seconds, let reason):
                jobs[index].attempts.append(AttemptRecord(startedAt: time, computeEnvironmentArn: placement.ce))
                jobs[index].startedAt = time
                jobs[index].pendingExit = (code, reason)
                transition(index, to: .running, reason: nil, at: time)
                let duration = max(0, seconds)
                if let limit = jobs[index].timeout, Int64(limit) <= duration {
                    schedule(index, .timeout, at: Self.later(time, Int64(limit)))
                } else {
                    schedule(index, .finish, at: Self.later(time, duration))
                }
            }
        case .finish:
            guard jobs[index].status == .running else { return }
            let (code, reason) = jobs[index].pendingExit ?? (0, nil)
            let statusReason = "Essential container in task exited"
            if var attempt = jobs[index].attempts.popLast() {
                attempt.stoppedAt = time
                attempt.exitCode = code
                attempt.reason = reason
                attempt.statusReason = statusReason
                jobs[index].attempts.append(attempt)
            }
            release(index)
            if code == 0 {
                transition(index, to: .succeeded, reason: statusReason, at: time)
            } else if shouldRetry(index, exitCode: code, reason: reason, statusReason: statusReason) {
                makeRunnable(index, reason: statusReason, at: time)
            } else {
                transition(index, to: .failed, reason: statusReason, at: time)
            }
        case .timeout:
            guard jobs[index].status == .running else { return }
            let statusReason = "Job attempt duration exceeded timeout"
            if var attempt = jobs[index].attempts.popLast() {
                attempt.stoppedAt = time
                attempt.statusReason = statusReason
                jobs[index].attempts.append(attempt)
            }
            release(index)
            transition(index, to: .failed, reason: statusReason, at: time)
        }
    }

    /// The retry decision after a failed attempt (spec §1.3): the first evaluateOnExit entry
    /// whose conditions all match decides; none matching means RETRY; attempts must remain.
    func shouldRetry(_ index: Int, exitCode: Int, reason: String?, statusReason: String) -> Bool {
        let strategy = jobs[index].retryStrategy
        guard jobs[index].attempts.count < strategy.attempts else { return false }
        for entry in strategy.evaluateOnExit {
            if let pattern = entry.onExitCode, !Glob.matches(pattern, String(exitCode)) { continue }
            if let pattern = entry.onReason, !Glob.matches(pattern, reason ?? "") { continue }
            if let pattern = entry.onStatusReason, !Glob.matches(pattern, statusReason) { continue }
            return entry.retry
        }
        return true
    }

    /// `time + seconds`, saturating far in the future (a scripted duration comes from input).
    static func later(_ time: Int64, _ seconds: Int64) -> Int64 {
        let (sum, overflow) = time.addingReportingOverflow(max(0, seconds))
        return overflow ? Int64.max / 2 : min(sum, Int64.max / 2)
    }

    /// Epoch seconds as the epoch milliseconds of the API, saturating at the `Int64` limits: a
    /// clock started near them, or a timer saturated by `later` and reached by
    /// `Router.advance(by: .max)`, must not trap.
    static func milliseconds(_ seconds: Int64) -> Int64 {
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? (seconds < 0 ? .min : .max) : product
    }

    func attemptContext(_ index: Int, placement: String, at time: Int64) -> BatchAttemptContext {
        let job = jobs[index]
        let queueName = job.queueArn.split(separator: "/").last.map(String.init) ?? job.queueArn
        let ceName = placement.split(separator: "/").last.map(String.init) ?? placement
        var environment = job.container.environment
        environment.append(("AWS_BATCH_JOB_ID", job.id))
        environment.append(("AWS_BATCH_JOB_ATTEMPT", String(job.attempts.count + 1)))
        if let arrayIndex = job.arrayIndex { environment.append(("AWS_BATCH_JOB_ARRAY_INDEX", String(arrayIndex))) }
        environment.append(("AWS_BATCH_JQ_NAME", queueName))
        environment.append(("AWS_BATCH_CE_NAME", ceName))
        return BatchAttemptContext(jobId: job.id, jobName: job.name, attempt: job.attempts.count + 1, arrayIndex: job.arrayIndex,
                                   command: job.container.command, environment: environment, parameters: job.parameters,
                                   vcpus: job.container.vcpus, memoryMiB: job.container.memory, jobQueueName: queueName,
                                   computeEnvironmentName: ceName, startedAt: Instant(secondsSince1970: time))
    }
}

/// evaluateOnExit globs: exact, or a prefix with one trailing `*`.
enum Glob {
    static func matches(_ pattern: String, _ value: String) -> Bool {
        if pattern.hasSuffix("*") { return value.hasPrefix(String(pattern.dropLast())) }
        return pattern == value
    }
}
