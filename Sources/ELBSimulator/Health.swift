import EventPatterns
import EventSchedule
import EventTargets

/// One health check the simulator is about to make (what a `HealthProber` decides on).
///
/// ```swift
/// struct FlakyProber: HealthProber {
///     func probe(_ probe: HealthProbe) -> HealthProbeResult {
///         probe.targetID == "i-0bad0000" ? .timeout : .status(200)
///     }
/// }
/// ```
public struct HealthProbe: Sendable, Equatable {
    /// The target group whose settings drive the check.
    public var targetGroupArn: String
    /// The target's `Id` (instance id, IP address or Lambda ARN).
    public var targetID: String
    /// The port checked (the target's port for `traffic-port`); nil for Lambda targets.
    public var port: Int?
    /// `HTTP`, `HTTPS` or `TCP`.
    public var healthCheckProtocol: String
    /// `HealthCheckPath` for HTTP(S) checks.
    public var path: String?
    /// When the check is made (its scheduled second).
    public var time: Instant
}

/// What a health check saw.
public enum HealthProbeResult: Sendable, Equatable {
    /// The target answered with this HTTP status (any answer passes a TCP check).
    case status(Int)
    /// No answer within `HealthCheckTimeoutSeconds` (fails every kind of check).
    case timeout
}

/// Decides health-check outcomes. The simulator asks it for every check that
/// `SetTargetHealthProbe` has not scripted.
public protocol HealthProber: Sendable {
    /// The outcome of one check. Called with the simulator's lock held: do not call back into it.
    /// - Complexity: the implementation's; called once per target per interval.
    func probe(_ probe: HealthProbe) -> HealthProbeResult
}

/// The default prober: every target answers `200` at once.
public struct AlwaysHealthyProber: HealthProber {
    /// Creates the prober.
    public init() {}
    /// Always `.status(200)`.
    public func probe(_ probe: HealthProbe) -> HealthProbeResult { .status(200) }
}

/// Scripted results of `SetTargetHealthProbe`: per target id and optional port.
struct ProbeScriptKey: Hashable, Sendable {
    var id: String
    var port: Int?
}

extension State {
    /// Simulator-only: scripts the results of a target's next health checks.
    /// `{TargetId, Port? (the registered port; absent: any), Results: [200, 500, "timeout", …]}` — one result per check, the last one
    /// repeating; an empty list removes the script.
    mutating func setTargetHealthProbe(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let id = try p.string("TargetId")
        let port = try p.optionalInt("Port")
        var results: [HealthProbeResult] = []
        for item in try p.array("Results") {
            switch item {
            case .number(let number) where number.value == number.value.rounded() && (100...599).contains(number.value):
                results.append(.status(Int(number.value)))
            case .string("timeout"):
                results.append(.timeout)
            default:
                throw ServiceError("ValidationError", "Results must hold HTTP status codes (100-599) or \"timeout\"")
            }
        }
        let key = ProbeScriptKey(id: id, port: port)
        probeScripts[key] = results.isEmpty ? nil : results
        return .members([("TargetId", .str(id)), ("ScriptedChecks", .int(results.count))])
    }

    /// A scripted result for the target (its registered port, then any port), else the prober's.
    mutating func probeResult(_ probe: HealthProbe, targetPort: Int?) -> HealthProbeResult {
        for key in [ProbeScriptKey(id: probe.targetID, port: targetPort), ProbeScriptKey(id: probe.targetID, port: nil)] {
            if var script = probeScripts[key], let first = script.first {
                if script.count > 1 {
                    script.removeFirst()
                    probeScripts[key] = script
                }
                return first
            }
        }
        return prober.probe(probe)
    }

    /// Groups that a listener or rule now references start (or restart) their health checks:
    /// targets that were not being checked go back to `initial`.
    mutating func restartHealthChecksForNewUse(_ groupArns: [String]) {
        for arn in Set(groupArns).sorted() {
            guard var group = targetGroups[arn], group.health.enabled else { continue }
            for index in group.targets.indices where group.targets[index].state != .draining && group.targets[index].nextCheck == nil {
                let previous = group.targets[index].state
                group.targets[index].state = .initial
                group.targets[index].reason = "Elb.RegistrationInProgress"
                group.targets[index].description = "Target registration is in progress"
                group.targets[index].consecutiveFailures = 0
                group.targets[index].consecutiveSuccesses = 0
                group.targets[index].nextCheck = now.adding(seconds: Int64(group.health.interval))
                // Not being checked means it was reported unused (group not in use) or unavailable (checks off).
                healthEvent(group, group.targets[index], previous: previous == .unavailable ? "unavailable" : "unused")
            }
            targetGroups[arn] = group
        }
    }

    /// Health checks were enabled or disabled for a group.
    mutating func healthCheckSwitched(_ arn: String) {
        guard var group = targetGroups[arn] else { return }
        if group.health.enabled {
            for index in group.targets.indices where group.targets[index].state == .unavailable {
                group.targets[index].nextCheck = nil
            }
            targetGroups[arn] = group
            restartHealthChecksForNewUse([arn])
            return
        }
        for index in group.targets.indices where group.targets[index].state != .draining {
            let previous = group.targets[index].state
            group.targets[index].state = .unavailable
            group.targets[index].reason = "Target.HealthCheckDisabled"
            group.targets[index].description = "Health checks are disabled"
            group.targets[index].nextCheck = nil
            if previous != .unavailable { healthEvent(group, group.targets[index], previous: previous.rawValue) }
        }
        targetGroups[arn] = group
    }

    /// Removes targets whose deregistration delay has ended (reported `unused` afterwards).
    mutating func finishDraining(_ arn: String) {
        guard var group = targetGroups[arn] else { return }
        let done = group.targets.filter { $0.state == .draining && ($0.drainEnds ?? now) <= now }
        guard !done.isEmpty else { return }
        group.targets.removeAll { $0.state == .draining && ($0.drainEnds ?? now) <= now }
        targetGroups[arn] = group
        for var target in done {
            target.state = .unused
            target.reason = "Target.NotRegistered"
            target.description = "Target is not registered to the target group"
            healthEvent(group, target, previous: TargetState.draining.rawValue)
        }
    }

    /// Runs one due health check of `group.targets[index]`.
    mutating func runCheck(_ arn: String, _ index: Int) {
        guard var group = targetGroups[arn], group.targets.indices.contains(index) else { return }
        var target = group.targets[index]
        guard let due = target.nextCheck else { return }
        guard isInUse(arn), group.health.enabled else {
            target.nextCheck = nil
            group.targets[index] = target
            targetGroups[arn] = group
            return
        }
        let checkPort = group.health.port == "traffic-port" ? target.port : Int(group.health.port)
        let probe = HealthProbe(targetGroupArn: arn, targetID: target.id, port: checkPort,
                                healthCheckProtocol: group.health.proto, path: group.health.path, time: due)
        let result = probeResult(probe, targetPort: target.port)
        var failure: (reason: String, description: String)?
        switch result {
        case .timeout:
            failure = ("Target.Timeout", "Request timed out")
        case .status(let code):
            if group.health.proto != "TCP" {
                let matcher = HTTPCodeMatcher(group.health.matcher ?? "200", allowed: 100...599)
                if !(matcher?.matches(code) ?? (code == 200)) {
                    failure = ("Target.ResponseCodeMismatch", "Health checks failed with these codes: [\(code)]")
                }
            }
        }
        let previous = target.state
        if let failure {
            target.consecutiveFailures += 1
            target.consecutiveSuccesses = 0
            if target.consecutiveFailures >= group.health.unhealthyThreshold {
                target.state = .unhealthy
                target.reason = failure.reason
                target.description = failure.description
            } else if target.state == .initial {
                target.reason = "Elb.InitialHealthChecking"
                target.description = "Initial health checks in progress"
            }
        } else {
            target.consecutiveSuccesses += 1
            target.consecutiveFailures = 0
            // A new target needs one passing check; an unhealthy one HealthyThresholdCount in a row.
            if target.state == .initial || (target.state == .unhealthy && target.consecutiveSuccesses >= group.health.healthyThreshold) {
                target.state = .healthy
                target.reason = nil
                target.description = nil
                target.healthySince = due
            }
        }
        target.nextCheck = due.adding(seconds: Int64(group.health.interval))
        group.targets[index] = target
        targetGroups[arn] = group
        if previous != target.state { healthEvent(group, target, previous: previous.rawValue) }
    }

    /// Queues an "ELB Target Health State Change" event.
    mutating func healthEvent(_ group: TargetGroup, _ target: Registration, previous: String) {
        let lb = loadBalancers(using: group.arn).first
        var targetMembers: [(String, JSONValue)] = [("id", .str(target.id))]
        if let port = target.port { targetMembers.append(("port", .int(port))) }
        targetMembers.append(("availabilityZone", .str(target.zone)))
        let state = target.state == .unused ? target.state : reportedState(group, target).state
        guard state.rawValue != previous else { return }
        let detail: JSONValue = .members([
            ("loadBalancerArn", lb.map { .str($0.arn) } ?? .null), ("targetGroupArn", .str(group.arn)),
            ("target", .members(targetMembers)), ("previousState", .str(previous)), ("state", .str(state.rawValue)),
            ("reason", target.reason.map(JSONValue.string) ?? .null), ("description", target.description.map(JSONValue.string) ?? .null),
        ])
        var resources = [group.arn]
        if let lb { resources.append(lb.arn) }
        pending.append(PendingEvent(account: group.account, region: group.region, detailType: "ELB Target Health State Change",
                                    detail: detail, resources: resources))
    }

    // MARK: the clock

    func nextWakeUp() -> Instant? {
        var next: Instant?
        func consider(_ time: Instant?) {
            guard let time else { return }
            if next.map({ time < $0 }) ?? true { next = time }
        }
        for group in targetGroups.values {
            for target in group.targets {
                consider(target.nextCheck)
                consider(target.drainEnds)
            }
        }
        for request in inFlight { consider(request.ends) }
        for flow in flows.values { consider(flow.lastSeen.adding(seconds: Int64(flow.idleTimeout))) }
        for meter in meters.values { consider(hourEnd(meter.hourStart)) }
        return next
    }

    /// Runs all work due at or before `until`, one instant at a time in order.
    mutating func runDue(until: Instant) -> Bool {
        var ran = false
        while let due = nextWakeUp(), due <= until {
            ran = true
            now = due
            // Requests finishing at this instant first, then draining, health checks, idle flows, reports.
            let finished = inFlight.filter { $0.ends <= due }
            inFlight.removeAll { $0.ends <= due }
            for request in finished {
                guard var group = targetGroups[request.targetGroupArn],
                      let index = group.targets.firstIndex(where: { $0.key == request.target }) else { continue }
                group.targets[index].inFlight = max(0, group.targets[index].inFlight - 1)
                targetGroups[group.arn] = group
            }
            let groups = targetGroups.values.sorted { $0.sequence < $1.sequence }
            for group in groups where group.targets.contains(where: { $0.drainEnds.map { $0 <= due } ?? false }) {
                finishDraining(group.arn)
            }
            for group in targetGroups.values.sorted(by: { $0.sequence < $1.sequence }) {
                let order = group.targets.indices.sorted { group.targets[$0].sequence < group.targets[$1].sequence }
                for index in order where group.targets[index].nextCheck.map({ $0 <= due }) ?? false {
                    runCheck(group.arn, index)
                }
            }
            expireFlows(at: due)
            for arn in meters.keys.sorted() where meters[arn].flatMap({ hourEnd($0.hourStart) }).map({ $0 <= due }) ?? false {
                report(arn)
            }
        }
        if now < until { now = until }
        return ran
    }
}
