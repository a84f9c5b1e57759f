import Dispatch
import EventPatterns
import EventSchedule
import EventTargets

extension Router {
    // MARK: - Driving time

    /// Delivers everything due now (including what those deliveries cause, such as bus-to-bus
    /// forwards), and fires schedules due now. Returns the number of delivery attempts made.
    /// At most `configuration.maxAttemptsPerRun` attempts (and as many rounds of simulated
    /// services' work) are made; the rest stay due.
    @discardableResult
    public func runUntilIdle() -> Int {
        runUntilIdleCapped().attempts
    }

    /// `runUntilIdle`, and whether it stopped at the cap with work still due.
    func runUntilIdleCapped() -> (attempts: Int, cut: Bool) {
        let cap = configuration.maxAttemptsPerRun
        var attempts = 0
        var serviceRounds = 0
        var cut = false
        while true {
            if attempts >= cap || serviceRounds >= cap {
                cut = nextWakeUp().map { $0 <= clock.now() } ?? false
                break
            }
            fireDueSchedules()
            if let delivery = takeDue() {
                attempt(delivery)
                attempts += 1
                continue
            }
            // Deliveries first, then the simulated services' work due now; what that work publishes
            // is delivered in the next round, at the same instant.
            let now = clock.now()
            var ranService = false
            for service in attachedServices where service.run(until: now) { ranService = true }
            if !ranService { break }
            serviceRounds += 1
        }
        if !clock.isManual { scheduleDispatch() }
        return (attempts, cut)
    }

    /// Moves a manual clock forward by `seconds`, stopping at every due delivery and schedule fire
    /// time on the way, in order, so each happens exactly once at its time. Returns the number of
    /// delivery attempts made. If one instant's run reaches `configuration.maxAttemptsPerRun` (an
    /// event loop), it returns there, with the clock at that instant and the rest still due.
    @discardableResult
    public func advance(by seconds: Int64) -> Int {
        guard let manual = clock as? ManualClock else { return runUntilIdle() }
        let (sum, overflow) = manual.now().secondsSince1970.addingReportingOverflow(max(seconds, 0))
        let end = Instant(secondsSince1970: overflow ? Int64.max / 2 : min(sum, Int64.max / 2))
        let first = runUntilIdleCapped()
        var attempts = first.attempts
        // An event loop filled a whole run at one instant: stop there rather than spin to `end`.
        if first.cut { return attempts }
        while let next = nextWakeUp(), next <= end {
            // A wake-up at or before now that `runUntilIdle` left pending (a service that reports
            // work it does not do) must not stall the loop: move on by a second.
            let now = manual.now()
            if next > now {
                manual.set(next)
            } else if now < end {
                manual.set(Instant(secondsSince1970: now.secondsSince1970 + 1))
            } else {
                break
            }
            let run = runUntilIdleCapped()
            attempts += run.attempts
            if run.cut { return attempts }
        }
        manual.set(end)
        attempts += runUntilIdle()
        return attempts
    }

    /// The next instant at which a delivery, a schedule or a simulated service's work is due.
    public func nextWakeUp() -> Instant? {
        let own = ownWakeUp()
        let service = attachedServices.compactMap { $0.nextWakeUp() }.min()
        switch (own, service) {
        case let (a?, b?): return min(a, b)
        case let (a?, nil): return a
        default: return service
        }
    }

    private func ownWakeUp() -> Instant? {
        state.withLock { state in
            let delivery = state.pending.first?.due
            let schedule = (state.schedules.values.compactMap(\.next) + state.scheduler.values.compactMap { $0.next?.time }).min()
            switch (delivery, schedule) {
            case let (a?, b?): return min(a, b)
            case let (a?, nil): return a
            case let (nil, b?): return b
            default: return nil
            }
        }
    }

    /// With a real clock, wakes a background dispatcher at the next due time (no polling loop):
    /// one timer for the earliest wake-up; an earlier item arriving later arms an earlier timer.
    func scheduleDispatch() {
        guard !clock.isManual, let next = nextWakeUp() else { return }
        let armed = dispatchWake.withLock { (wake: inout Int64?) -> Bool in
            if let current = wake, current <= next.secondsSince1970 { return false }
            wake = next.secondsSince1970
            return true
        }
        guard armed else { return }
        let delay = max(0, next.secondsSince1970 - clock.now().secondsSince1970)
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(Int(delay))) { [weak self] in
            guard let self else { return }
            self.dispatchWake.withLock { wake in if wake == next.secondsSince1970 { wake = nil } }
            self.runUntilIdle()
            self.scheduleDispatch()
        }
    }

    // MARK: - Schedules

    /// Emits a "Scheduled Event" to the targets of every scheduled rule due now.
    func fireDueSchedules() {
        let now = clock.now()
        state.withLock { state in
            for (arn, scheduled) in state.schedules {
                guard let due = scheduled.next, due <= now else { continue }
                let key = Self.ensureRegion(&state, account: scheduled.account, region: scheduled.region, now: now)
                if let bus = state.regions[key]?.buses["default"], let rule = bus.rules[scheduled.ruleName], rule.enabled {
                    let id = newID(&state)
                    let event = Self.envelope(id: id, detailType: "Scheduled Event", source: "aws.events", account: scheduled.account,
                                              time: due, region: scheduled.region, resources: [arn], detail: .object(JSONObject()))
                    state.metrics[arn, default: RuleMetrics()].matchedEvents += 1
                    enqueue(event, rule: rule, account: scheduled.account, region: scheduled.region, hops: 0, ingestion: due, state: &state)
                }
                state.schedules[arn]?.next = Self.nextFire(scheduled.expression, after: due, anchor: scheduled.anchor)
            }
            fireDueSchedulerSchedules(now: now, state: &state)
        }
    }

    // MARK: - Attempts

    /// Removes and returns the earliest due delivery (ties in queueing order), if any is due.
    func takeDue() -> PendingDelivery? {
        let now = clock.now()
        return state.withLock { state in
            guard let first = state.pending.first, first.due <= now else { return nil }
            state.attempting += 1
            return state.pending.popFirst()
        }
    }

    /// One attempt: invoke the target (outside the lock), then record the outcome, retry, or
    /// dead-letter.
    func attempt(_ delivery: PendingDelivery) {
        let now = clock.now()
        let request = DeliveryRequest(targetArn: delivery.target.arn, targetID: delivery.target.id, ruleArn: delivery.ruleArn,
                                      event: delivery.event, input: delivery.input, attempt: delivery.attempt, time: now,
                                      account: delivery.account, region: delivery.region, parameters: delivery.target.parameters)
        let result = invoke(request, delivery: delivery)
        state.withLock { state in
            state.attempting -= 1
            var metrics = state.metrics[delivery.ruleArn] ?? RuleMetrics()
            metrics.invocationAttempts += 1
            if delivery.attempt == 1 { metrics.invocations += 1 } else { metrics.retryInvocationAttempts += 1 }
            defer { state.metrics[delivery.ruleArn] = metrics }
            switch result {
            case .delivered:
                metrics.successfulInvocationAttempts += 1
                state.accounting.delivered += 1
                record(.delivery, target: delivery.target, ruleArn: delivery.ruleArn, input: delivery.input, attempt: delivery.attempt,
                       time: now, state: &state)
            case .failed(let code, let message, let retriable):
                let policy = delivery.target.retryPolicy
                let age = now.secondsSince1970 - delivery.firstAttempt.secondsSince1970
                let retriesDone = delivery.attempt - 1
                if retriable && retriesDone < policy.maximumRetryAttempts {
                    let wait = RetryPolicy.backoff(retry: retriesDone + 1, jitterSeed: UInt64(truncatingIfNeeded: delivery.sequence))
                    if age + wait <= Int64(policy.maximumEventAgeInSeconds) {
                        var next = delivery
                        next.attempt += 1
                        next.due = Instant(secondsSince1970: now.secondsSince1970 + wait)
                        next.lastError = (code, message)
                        state.pending.append(next)
                        record(.retry, target: delivery.target, ruleArn: delivery.ruleArn, input: delivery.input, attempt: delivery.attempt,
                               time: now, error: (code, message), state: &state)
                        return
                    }
                }
                metrics.failedInvocations += 1
                let exhausted = !retriable ? nil
                    : (retriesDone >= policy.maximumRetryAttempts ? "MaximumRetryAttempts" : "MaximumEventAgeInSeconds")
                deadLetter(delivery, code: code, message: message, exhausted: exhausted, now: now, metrics: &metrics, state: &state)
            }
        }
    }

    /// Sends a failed delivery to its dead-letter queue, or counts it as dropped.
    func deadLetter(_ delivery: PendingDelivery, code: String, message: String, exhausted: String?, now: Instant,
                    metrics: inout RuleMetrics, state: inout State) {
        guard let dlq = delivery.target.deadLetterArn else {
            state.accounting.dropped += 1
            record(.dropped, target: delivery.target, ruleArn: delivery.ruleArn, input: delivery.input, attempt: delivery.attempt,
                   time: now, error: (code, message), state: &state)
            return
        }
        var attributes: [(String, String)] = [
            ("RULE_ARN", delivery.ruleArn), ("TARGET_ARN", delivery.target.arn),
            ("ERROR_CODE", code), ("ERROR_MESSAGE", message), ("RETRY_ATTEMPTS", String(delivery.attempt - 1)),
        ]
        if let exhausted { attributes.append(("EXHAUSTED_RETRY_CONDITION", exhausted)) }
        if Self.sendToQueue(arn: dlq, body: delivery.event.jsonText, attributes: attributes, now: now, state: &state) {
            metrics.deadLetterInvocations += 1
            metrics.invocationsSentToDlq += 1
            state.accounting.deadLettered += 1
            record(.deadLetter, target: delivery.target, ruleArn: delivery.ruleArn, input: delivery.input, attempt: delivery.attempt,
                   time: now, dlq: dlq, error: (code, message), state: &state)
        } else {
            metrics.invocationsFailedToBeSentToDlq += 1
            state.accounting.dropped += 1
            record(.dropped, target: delivery.target, ruleArn: delivery.ruleArn, input: delivery.input, attempt: delivery.attempt,
                   time: now, dlq: dlq, error: (code, message + " (dead-letter queue \(dlq) does not exist)"), state: &state)
        }
    }

    /// Calls the target. Never called with the lock held.
    func invoke(_ request: DeliveryRequest, delivery: PendingDelivery) -> DeliveryResult {
        let arn = request.targetArn
        if let parts = ARN.parse(arn) {
            switch parts.service {
            case "sqs":
                let delivered = state.withLock { state in
                    Self.sendToQueue(arn: arn, body: request.input.text, attributes: [], now: request.time, state: &state)
                }
                return delivered ? .delivered : .failed(code: "NO_RESOURCE", message: "Queue \(arn) does not exist.", retriable: false)
            case "lambda":
                return invokeFunction(arn: arn, request)
            case "events" where parts.resource.hasPrefix("event-bus/"):
                return forward(request, delivery: delivery)
            default:
                break
            }
        }
        if let target = customTarget(for: arn) { return target.deliver(request) }
        return .failed(code: "NO_RESOURCE", message: "No target is registered for \(arn).", retriable: false)
    }

    /// Bus-to-bus: same account, or another account whose bus policy allows the rule's account (one hop).
    func forward(_ request: DeliveryRequest, delivery: PendingDelivery) -> DeliveryResult {
        guard let target = ARN.parseEventBus(request.targetArn) else {
            return .failed(code: "NO_RESOURCE", message: "\(request.targetArn) is not an event bus.", retriable: false)
        }
        let now = clock.now()
        let crossAccount = target.account != request.account
        if delivery.hops >= configuration.maxBusHops {
            var id = ""
            if case .string(let value)? = request.event["id"] { id = value }
            return .failed(code: "THIRD_ACCOUNT_HOP_DETECTED",
                           message: "Event ingestion rejected for event \(id) because an event can be sent to an event bus target only once. "
                               + "This event was previously delivered to an event bus target.", retriable: false)
        }
        let result: DeliveryResult = state.withLock { state in
            let key = Self.ensureRegion(&state, account: target.account, region: target.region, now: now)
            guard let bus = state.regions[key]?.buses[target.name] else {
                return .failed(code: "NO_RESOURCE", message: "Event bus \(target.name) does not exist.", retriable: false)
            }
            if crossAccount && !Self.allows(bus, sender: request.account, organization: state.organizations[request.account], action: "events:PutEvents") {
                return .failed(code: "NO_PERMISSIONS", message: "The bus policy of \(bus.arn) does not allow account \(request.account).",
                               retriable: false)
            }
            // The event keeps its account, region and source; a cross-region hop gets a new id.
            var event = request.event
            if target.region != request.region, case .object(var object) = event {
                object["id"] = .string(newID(&state))
                event = .object(object)
            }
            route(event, to: bus, account: target.account, region: target.region, hops: delivery.hops + 1,
                  ingestion: now, state: &state)
            return .delivered
        }
        return result
    }
}
