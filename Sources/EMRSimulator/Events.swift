import EventPatterns
import EventSchedule
import EventTargets

/// The `aws.emr` events: "EMR Cluster State Change", "EMR Step Status Change",
/// "EMR Instance Group State Change" and "EMR Instance Fleet State Change".
extension Engine {
    /// `2024-05-01 10:00 UTC`, the form EMR's event messages use.
    static func humanTime(_ t: Instant) -> String {
        let iso = t.iso8601   // 2024-05-01T10:00:00Z
        let date = iso.prefix(10), time = iso.dropFirst(11).prefix(5)
        return "\(date) \(time) UTC"
    }

    /// `{"code":"…","message":"…"}` as a JSON string, the form of the detail's `stateChangeReason`.
    static func reasonString(_ reason: Reason) -> String {
        var members: [(String, JSONValue)] = [("code", .string(reason.code))]
        if !reason.message.isEmpty { members.append(("message", .string(reason.message))) }
        return JSONValue.members(members).jsonText
    }

    func clusterEvent(_ cluster: Cluster, at t: Instant) -> PendingEvent {
        let label = "Amazon EMR Cluster \(cluster.id) (\(cluster.name))"
        let when = Self.humanTime(t)
        let message: String
        var severity = "INFO"
        switch cluster.state {
        case .starting: message = "\(label) was requested at \(when) and is being created."
        case .bootstrapping: message = "\(label) is running bootstrap actions since \(when)."
        case .running: message = "\(label) is running steps since \(when)."
        case .waiting: message = "\(label) is ready for use since \(when) and is waiting for steps."
        case .terminating:
            message = "\(label) is terminating since \(when) with a reason of \(cluster.reason.code)."
            if !cleanTerminationCodes.contains(cluster.reason.code) { severity = "WARN" }
        case .terminated: message = "\(label) has terminated at \(when) with a reason of \(cluster.reason.code)."
        case .terminatedWithErrors:
            message = "\(label) has terminated with errors at \(when) with a reason of \(cluster.reason.code)."
            severity = "CRITICAL"
        }
        let detail = JSONValue.members([
            ("severity", .string(severity)),
            ("stateChangeReason", .string(Self.reasonString(cluster.reason))),
            ("name", .string(cluster.name)),
            ("clusterId", .string(cluster.id)),
            ("state", .string(cluster.state.rawValue)),
            ("message", .string(message)),
        ])
        return PendingEvent(account: cluster.account, region: cluster.region, detailType: "EMR Cluster State Change", detail: detail)
    }

    func stepEvent(_ cluster: Cluster, _ step: Step, at t: Instant) -> PendingEvent {
        let label = "Step \(step.id) (\(step.name)) in Amazon EMR cluster \(cluster.id) (\(cluster.name))"
        let when = Self.humanTime(t)
        let message: String
        switch step.state {
        case .pending: message = "\(label) was added at \(when) and is pending."
        case .running: message = "\(label) started running at \(when)."
        case .cancelPending: message = "\(label) is being cancelled since \(when)."
        case .completed: message = "\(label) completed execution at \(when)."
        case .cancelled: message = "\(label) was cancelled at \(when)."
        case .failed: message = "\(label) failed at \(when)."
        case .interrupted: message = "\(label) was interrupted at \(when)."
        }
        let detail = JSONValue.members([
            ("severity", .string(step.state == .failed ? "ERROR" : step.state == .interrupted ? "WARN" : "INFO")),
            ("actionOnFailure", .string(step.actionOnFailure.rawValue)),
            ("stepId", .string(step.id)),
            ("name", .string(step.name)),
            ("clusterId", .string(cluster.id)),
            ("state", .string(step.state.rawValue)),
            ("message", .string(message)),
        ])
        return PendingEvent(account: cluster.account, region: cluster.region, detailType: "EMR Step Status Change", detail: detail)
    }

    func collectionEvent(_ cluster: Cluster, _ group: InstanceCollection, at t: Instant, message custom: String?) -> PendingEvent {
        let kind = group.kind == .group ? "instance group" : "instance fleet"
        let message = custom ?? "The \(kind) \(group.id) (\(group.role)) in Amazon EMR cluster \(cluster.id) (\(cluster.name)) is \(group.state) since \(Self.humanTime(t))."
        let severity = group.state == "SUSPENDED" || group.state == "ARRESTED" ? "WARN" : "INFO"
        switch group.kind {
        case .group:
            let detail = JSONValue.members([
                ("severity", .string(severity)),
                ("clusterId", .string(cluster.id)),
                ("instanceGroupId", .string(group.id)),
                ("instanceGroupType", .string(group.role)),
                ("instanceType", .string(group.instanceType)),
                ("market", .string(group.market)),
                ("bidPrice", .string(group.bidPrice ?? "")),
                ("bidPriceAsPercentageOfOnDemandPrice", .string("")),
                ("requestedInstanceCount", .string(String(group.requested))),
                ("runningInstanceCount", .string(String(group.running))),
                ("state", .string(group.state)),
                ("message", .string(message)),
            ])
            return PendingEvent(account: cluster.account, region: cluster.region, detailType: "EMR Instance Group State Change", detail: detail)
        case .fleet:
            let detail = JSONValue.members([
                ("severity", .string(severity)),
                ("clusterId", .string(cluster.id)),
                ("instanceFleetId", .string(group.id)),
                ("instanceFleetType", .string(group.role)),
                ("targetOnDemandCapacity", .string(String(group.targetOnDemand))),
                ("targetSpotCapacity", .string(String(group.targetSpot))),
                ("provisionedOnDemandCapacity", .string(String(group.provisionedOnDemand))),
                ("provisionedSpotCapacity", .string(String(group.provisionedSpot))),
                ("state", .string(group.state)),
                ("message", .string(message)),
            ])
            return PendingEvent(account: cluster.account, region: cluster.region, detailType: "EMR Instance Fleet State Change", detail: detail)
        }
    }
}
