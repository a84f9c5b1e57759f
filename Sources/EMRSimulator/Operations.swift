import EventPatterns
import EventSchedule
import EventTargets

/// The EMR API operations, in AWS's parameter names and response shapes.
extension Engine {
    static let operations = ["RunJobFlow", "DescribeCluster", "ListClusters", "TerminateJobFlows", "SetTerminationProtection",
                             "SetKeepJobFlowAliveWhenNoSteps", "ModifyCluster", "AddJobFlowSteps", "DescribeStep", "ListSteps",
                             "CancelSteps", "ListInstanceGroups", "ModifyInstanceGroups", "ListInstanceFleets"]

    mutating func call(_ operation: String, account: String, region: String, params: JSONObject, now: Instant) throws(ServiceError) -> JSONValue {
        let p = ServiceParameters(params, errorCode: "ValidationException")
        switch operation {
        case "RunJobFlow":
            let index = createCluster(try Requests.cluster(p), account: account, region: region, now: now)
            return .members([("JobFlowId", .string(clusters[index].id)), ("ClusterArn", .string(clusters[index].arn))])
        case "DescribeCluster":
            let c = try cluster(try p.string("ClusterId"), account: account, region: region)
            return .members([("Cluster", clusterJSON(clusters[c]))])
        case "ListClusters":
            return try listClusters(p, account: account, region: region)
        case "TerminateJobFlows":
            try terminate(try p.strings("JobFlowIds"), account: account, region: region, now: now)
            return .object(JSONObject())
        case "SetTerminationProtection", "SetKeepJobFlowAliveWhenNoSteps":
            let ids = try p.strings("JobFlowIds")
            let flagName = operation == "SetTerminationProtection" ? "TerminationProtected" : "KeepJobFlowAliveWhenNoSteps"
            guard let flag = try p.optionalBool(flagName) else { throw EMRError.validation("\(flagName) is required.") }
            guard !ids.isEmpty else { throw EMRError.validation("JobFlowIds must not be empty.") }
            var indices: [Int] = []
            for id in ids {
                let c = try cluster(id, account: account, region: region)
                try requireModifiable(c)
                indices.append(c)
            }
            for c in indices {
                if operation == "SetTerminationProtection" {
                    clusters[c].terminationProtected = flag
                } else {
                    clusters[c].keepAlive = flag
                    clusters[c].settleDue = now   // a WAITING cluster no longer kept alive ends
                }
            }
            return .object(JSONObject())
        case "ModifyCluster":
            let c = try cluster(try p.string("ClusterId"), account: account, region: region)
            if let level = try p.optionalInt("StepConcurrencyLevel") {
                let level = try Requests.concurrency(level)
                try requireModifiable(c)
                clusters[c].stepConcurrencyLevel = level
                clusters[c].settleDue = now
            }
            return .members([("StepConcurrencyLevel", .int(clusters[c].stepConcurrencyLevel))])
        case "AddJobFlowSteps":
            let c = try cluster(try p.string("JobFlowId"), account: account, region: region)
            let configs = try Requests.steps(p, concurrency: clusters[c].stepConcurrencyLevel)
            let ids = try addSteps(configs, to: c, now: now)
            return .members([("StepIds", .array(ids.map(JSONValue.string)))])
        case "DescribeStep":
            let c = try cluster(try p.string("ClusterId"), account: account, region: region)
            let stepID = try p.string("StepId")
            guard let step = clusters[c].steps.first(where: { $0.id == stepID }) else {
                throw EMRError.invalidRequest("Step id '\(stepID)' is not valid.")
            }
            return .members([("Step", stepJSON(step, summary: false))])
        case "ListSteps":
            return try listSteps(p, account: account, region: region)
        case "CancelSteps":
            return try cancelSteps(p, account: account, region: region, now: now)
        case "ListInstanceGroups", "ListInstanceFleets":
            let c = try cluster(try p.string("ClusterId"), account: account, region: region)
            let fleets = operation == "ListInstanceFleets"
            guard clusters[c].usesFleets == fleets else {
                throw EMRError.invalidRequest(fleets ? "Cluster \(clusters[c].id) uses instance groups, not instance fleets."
                                                     : "Cluster \(clusters[c].id) uses instance fleets, not instance groups.")
            }
            let items = clusters[c].collections.map { fleets ? fleetJSON($0) : groupJSON($0) }
            return try page(items, key: fleets ? "InstanceFleets" : "InstanceGroups", p)
        case "ModifyInstanceGroups":
            try modifyInstanceGroups(p, account: account, region: region, now: now)
            return .object(JSONObject())
        default:
            throw ServiceError("UnknownOperationException", "Unknown operation \(operation) for service emr. Supported: \(Self.operations.joined(separator: ", ")).")
        }
    }

    // MARK: - Clusters

    func cluster(_ id: String, account: String, region: String) throws(ServiceError) -> Int {
        guard let c = positions[id], clusters[c].account == account, clusters[c].region == region else {
            throw EMRError.invalidRequest("Cluster id '\(id)' is not valid.")
        }
        return c
    }

    func requireModifiable(_ c: Int) throws(ServiceError) {
        if clusters[c].state.isShuttingDown {
            throw EMRError.validation("A job flow that is shutting down, terminated, or finished may not be modified.")
        }
    }

    /// Creates a STARTING cluster with its steps PENDING; provisioning ends at the executor's time.
    mutating func createCluster(_ request: ClusterRequest, account: String, region: String, now: Instant) -> Int {
        let id = newID("j-")
        var collections: [InstanceCollection] = []
        for group in request.groups {
            var collection = InstanceCollection(kind: group.kind, id: newID(group.kind == .group ? "ig-" : "if-"), name: group.name,
                                                role: group.role, created: now)
            collection.market = group.market
            collection.bidPrice = group.bidPrice
            collection.instanceType = group.instanceType
            collection.requested = group.count
            collection.targetOnDemand = group.onDemand
            collection.targetSpot = group.spot
            collection.instanceTypeConfigs = group.configs
            collections.append(collection)
        }
        let cluster = Cluster(id: id, arn: "arn:aws:elasticmapreduce:\(region):\(account):cluster/\(id)", account: account, region: region,
                              settings: request.settings, collections: collections, created: now)
        clusters.append(cluster)
        let c = clusters.count - 1
        positions[id] = c
        events.append(clusterEvent(clusters[c], at: now))
        appendSteps(request.steps, to: c, now: now)
        let outcome = executor.provision(clusters[c].spec)
        clusters[c].phaseDue = now.adding(seconds: max(0, outcome.duration))
        clusters[c].phaseFailure = outcome.failure
        return c
    }

    /// Adds steps (PENDING) to a cluster that is not shutting down, within the 256 active steps.
    mutating func addSteps(_ configs: [StepConfig], to c: Int, now: Instant) throws(ServiceError) -> [String] {
        try requireModifiable(c)
        guard clusters[c].activeStepCount + configs.count <= maximumActiveSteps else {
            throw EMRError.validation("Maximum number of active steps(State = 'Running', 'Pending' or 'Cancel_Pending') for cluster exceeded.")
        }
        let ids = appendSteps(configs, to: c, now: now)
        clusters[c].settleDue = now
        return ids
    }

    @discardableResult
    mutating func appendSteps(_ configs: [StepConfig], to c: Int, now: Instant) -> [String] {
        var ids: [String] = []
        for config in configs {
            let step = Step(id: newID("s-"), name: config.name, jar: config.jar, args: config.args, mainClass: config.mainClass,
                            properties: config.properties, actionOnFailure: config.actionOnFailure, created: now)
            clusters[c].steps.append(step)
            ids.append(step.id)
            events.append(stepEvent(clusters[c], step, at: now))
        }
        return ids
    }

    /// TerminateJobFlows: unprotected clusters start terminating (USER_REQUEST); if any was
    /// protected, it keeps running and the call fails after the others were terminated.
    mutating func terminate(_ ids: [String], account: String, region: String, now: Instant) throws(ServiceError) {
        guard !ids.isEmpty else { throw EMRError.validation("JobFlowIds must not be empty.") }
        var indices: [Int] = []
        for id in ids { indices.append(try cluster(id, account: account, region: region)) }
        var refused = false
        for c in indices {
            if clusters[c].terminationProtected && !clusters[c].state.isShuttingDown {
                refused = true
                continue
            }
            beginTermination(c, Reason(code: "USER_REQUEST", message: "Terminated by user request"), at: now, runningStepsBecome: .cancelled)
        }
        if refused {
            throw EMRError.validation("Could not shut down one or more job flows since they are termination protected.")
        }
    }

    func listClusters(_ p: ServiceParameters, account: String, region: String) throws(ServiceError) -> JSONValue {
        var states: Set<String> = []
        for state in try p.strings("ClusterStates") {
            guard ClusterState(rawValue: state) != nil else {
                throw EMRError.validation("Value '\(state)' at 'clusterStates' failed to satisfy constraint: Member must satisfy enum value set: [\(ClusterState.allCases.map(\.rawValue).joined(separator: ", "))]")
            }
            states.insert(state)
        }
        let after = try timestamp(p, "CreatedAfter"), before = try timestamp(p, "CreatedBefore")
        // Newest first, as EMR lists them.
        let items = clusters.reversed().filter { cluster in
            cluster.account == account && cluster.region == region
                && (states.isEmpty || states.contains(cluster.state.rawValue))
                && (after.map { cluster.created >= $0 } ?? true) && (before.map { cluster.created <= $0 } ?? true)
        }.map { cluster in
            JSONValue.members([("Id", .string(cluster.id)), ("Name", .string(cluster.name)), ("Status", clusterStatusJSON(cluster)),
                               ("NormalizedInstanceHours", .int(normalizedHours(cluster))), ("ClusterArn", .string(cluster.arn))])
        }
        return try page(items, key: "Clusters", p)
    }

    /// A timestamp parameter: epoch seconds or ISO-8601 text.
    func timestamp(_ p: ServiceParameters, _ name: String) throws(ServiceError) -> Instant? {
        switch p[name] {
        case nil: return nil
        case .number(let number)? where number.value.isFinite && abs(number.value) < 1e12:
            return Instant(secondsSince1970: Int64(number.value.rounded(.down)))
        case .string(let text)?:
            do { return try Instant(iso8601: text) } catch { throw EMRError.validation("\(name) is not a valid timestamp.") }
        default:
            throw EMRError.validation("\(name) is not a valid timestamp.")
        }
    }

    /// One page of 50 items from `Marker`, with the next `Marker` when more remain.
    func page(_ items: [JSONValue], key: String, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        var start = 0
        if let marker = try p.optionalString("Marker") {
            guard let offset = Int(marker), offset >= 0, offset <= items.count else {
                throw EMRError.invalidRequest("Marker '\(marker)' is not valid.")
            }
            start = offset
        }
        let end = min(items.count, start + 50)
        var members: [(String, JSONValue)] = [(key, .array(Array(items[start..<end])))]
        if end < items.count { members.append(("Marker", .string(String(end)))) }
        return .members(members)
    }

    // MARK: - Steps

    func listSteps(_ p: ServiceParameters, account: String, region: String) throws(ServiceError) -> JSONValue {
        let c = try cluster(try p.string("ClusterId"), account: account, region: region)
        var states: Set<String> = []
        for state in try p.strings("StepStates") {
            guard StepState(rawValue: state) != nil else {
                throw EMRError.validation("Value '\(state)' at 'stepStates' failed to satisfy constraint: Member must satisfy enum value set: [\(StepState.allCases.map(\.rawValue).joined(separator: ", "))]")
            }
            states.insert(state)
        }
        let ids = Set(try p.strings("StepIds"))
        // Most recent first, as EMR lists them.
        let items = clusters[c].steps.reversed().filter { step in
            (states.isEmpty || states.contains(step.state.rawValue)) && (ids.isEmpty || ids.contains(step.id))
        }.map { stepJSON($0, summary: true) }
        return try page(items, key: "Steps", p)
    }

    /// CancelSteps: PENDING steps are CANCELLED at once, RUNNING ones go CANCEL_PENDING and are
    /// CANCELLED at the executor's time; others are reported FAILED with a reason.
    mutating func cancelSteps(_ p: ServiceParameters, account: String, region: String, now: Instant) throws(ServiceError) -> JSONValue {
        let c = try cluster(try p.string("ClusterId"), account: account, region: region)
        let ids = try p.strings("StepIds")
        guard !ids.isEmpty, ids.count <= 256 else { throw EMRError.validation("StepIds must hold between 1 and 256 step ids.") }
        let option = try p.optionalString("StepCancellationOption") ?? "SEND_INTERRUPT"
        guard option == "SEND_INTERRUPT" || option == "TERMINATE_PROCESS" else {
            throw EMRError.validation("Value '\(option)' at 'stepCancellationOption' failed to satisfy constraint: Member must satisfy enum value set: [SEND_INTERRUPT, TERMINATE_PROCESS]")
        }
        var results: [JSONValue] = []
        for id in ids {
            func failed(_ reason: String) -> JSONValue {
                .members([("StepId", .string(id)), ("Status", .string("FAILED")), ("Reason", .string(reason))])
            }
            guard let s = clusters[c].steps.firstIndex(where: { $0.id == id }) else {
                results.append(failed("Step id '\(id)' is not valid."))
                continue
            }
            switch clusters[c].steps[s].state {
            case .pending:
                setStep(c, s, .cancelled, Reason(code: "NONE", message: "Cancelled by user request"), at: now)
                clusters[c].settleDue = now
            case .running:
                clusters[c].steps[s].outcome = nil
                let delay = max(0, executor.cancellationDuration(clusters[c].steps[s].spec, option: option))
                clusters[c].steps[s].due = now.adding(seconds: delay)
                setStep(c, s, .cancelPending, Reason(code: "NONE", message: "Cancellation requested by user (\(option))"), at: now)
            default:
                results.append(failed("Step \(id) is \(clusters[c].steps[s].state.rawValue) and cannot be cancelled."))
                continue
            }
            results.append(.members([("StepId", .string(id)), ("Status", .string("SUBMITTED"))]))
        }
        return .members([("CancelStepsInfoList", .array(results))])
    }

    // MARK: - Instance groups

    mutating func modifyInstanceGroups(_ p: ServiceParameters, account: String, region: String, now: Instant) throws(ServiceError) {
        var byCluster: Int? = nil
        if let id = try p.optionalString("ClusterId") { byCluster = try cluster(id, account: account, region: region) }
        // Instance group ids of the cluster (or of every cluster of the account and region), indexed
        // once: the work is O(groups + changes), not O(groups × changes).
        var groupIndex: [String: (c: Int, g: Int)] = [:]
        for c in byCluster.map({ [$0] }) ?? Array(clusters.indices) where clusters[c].account == account && clusters[c].region == region {
            for (g, collection) in clusters[c].collections.enumerated() where collection.kind == .group { groupIndex[collection.id] = (c, g) }
        }
        var changes: [(c: Int, g: Int, count: Int)] = []
        for change in try p.objects("InstanceGroups") {
            let groupID = try change.string("InstanceGroupId")
            guard let (c, g) = groupIndex[groupID] else { throw EMRError.invalidRequest("Instance group id '\(groupID)' is not valid.") }
            try requireModifiable(c)
            guard let count = try change.optionalInt("InstanceCount") else { continue }
            guard count >= 0 && count <= 10_000 else { throw EMRError.validation("InstanceCount must be between 0 and 10000.") }
            guard clusters[c].collections[g].role != "MASTER" else {
                throw EMRError.validation("A master instance group cannot be resized.")
            }
            guard clusters[c].state == .running || clusters[c].state == .waiting else {
                throw EMRError.validation("An instance group can only be resized while its cluster is RUNNING or WAITING.")
            }
            changes.append((c, g, count))
        }
        for change in changes where change.count != clusters[change.c].collections[change.g].requested {
            beginResize(change.c, change.g, to: change.count, at: now)
        }
    }

    // MARK: - Response shapes

    func normalizedHours(_ cluster: Cluster) -> Int {
        // Not modelled in detail: instance count times started hours since ready. Saturating: a
        // clock started near Int64.min or run to the router's far limit must not trap.
        guard let ready = cluster.ready else { return 0 }
        let end = cluster.ended ?? ready
        let (seconds, late) = end.secondsSince1970.subtractingReportingOverflow(ready.secondsSince1970)
        let hours = late ? Int.max : Int(max(0, seconds) / 3600 + (seconds % 3600 > 0 ? 1 : 0))
        var instances = 0
        for collection in cluster.collections {
            let (sum, overflow) = instances.addingReportingOverflow(collection.requested)
            instances = overflow ? Int.max : sum
        }
        let (product, overflow) = hours.multipliedReportingOverflow(by: instances)
        return overflow ? Int.max : product
    }

    func reasonJSON(_ reason: Reason) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if !reason.code.isEmpty { members.append(("Code", .string(reason.code))) }
        if !reason.message.isEmpty { members.append(("Message", .string(reason.message))) }
        return .members(members)
    }

    func timeline(_ pairs: [(String, Instant?)]) -> JSONValue {
        .members(pairs.compactMap { pair in pair.1.map { (pair.0, JSONValue.int64($0.secondsSince1970)) } })
    }

    func clusterStatusJSON(_ cluster: Cluster) -> JSONValue {
        .members([("State", .string(cluster.state.rawValue)), ("StateChangeReason", reasonJSON(cluster.reason)),
                  ("Timeline", timeline([("CreationDateTime", cluster.created), ("ReadyDateTime", cluster.ready), ("EndDateTime", cluster.ended)]))])
    }

    func clusterJSON(_ cluster: Cluster) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("Id", .string(cluster.id)), ("Name", .string(cluster.name)), ("Status", clusterStatusJSON(cluster)),
            ("InstanceCollectionType", .string(cluster.usesFleets ? "INSTANCE_FLEET" : "INSTANCE_GROUP")),
        ]
        if let logUri = cluster.logUri { members.append(("LogUri", .string(logUri))) }
        members += [
            ("ReleaseLabel", .string(cluster.releaseLabel)),
            ("AutoTerminate", .bool(!cluster.keepAlive)),
            ("TerminationProtected", .bool(cluster.terminationProtected)),
            ("Applications", .array(cluster.applications.map { app in
                .members([("Name", .string(app.name))] + (app.version.map { [("Version", JSONValue.string($0))] } ?? []))
            })),
            ("Tags", .array(cluster.tags.map { .members([("Key", .string($0.key)), ("Value", .string($0.value))]) })),
        ]
        if let role = cluster.serviceRole { members.append(("ServiceRole", .string(role))) }
        members += [
            ("NormalizedInstanceHours", .int(normalizedHours(cluster))),
            ("StepConcurrencyLevel", .int(cluster.stepConcurrencyLevel)),
            ("ClusterArn", .string(cluster.arn)),
        ]
        if let idle = cluster.idleTimeout {
            members.append(("AutoTerminationPolicy", .members([("IdleTimeout", .int64(idle))])))
        }
        return .members(members)
    }

    func stepJSON(_ step: Step, summary: Bool) -> JSONValue {
        var config: [(String, JSONValue)] = [("Jar", .string(step.jar))]
        config.append(("Properties", .object(JSONObject(step.properties.map { (key: $0.key, value: JSONValue.string($0.value)) }))))
        if let main = step.mainClass { config.append(("MainClass", .string(main))) }
        config.append(("Args", .array(step.args.map(JSONValue.string))))
        var status: [(String, JSONValue)] = [("State", .string(step.state.rawValue)), ("StateChangeReason", reasonJSON(step.reason))]
        if let failure = step.failure {
            var details: [(String, JSONValue)] = [("Reason", .string(failure.reason)), ("Message", .string(failure.message))]
            if let log = failure.logFile { details.append(("LogFile", .string(log))) }
            status.append(("FailureDetails", .members(details)))
        }
        status.append(("Timeline", timeline([("CreationDateTime", step.created), ("StartDateTime", step.started), ("EndDateTime", step.ended)])))
        _ = summary   // StepSummary and Step share these members.
        return .members([("Id", .string(step.id)), ("Name", .string(step.name)), ("Config", .members(config)),
                         ("ActionOnFailure", .string(step.actionOnFailure.rawValue)), ("Status", .members(status))])
    }

    func collectionStatus(_ group: InstanceCollection) -> JSONValue {
        .members([("State", .string(group.state)), ("StateChangeReason", reasonJSON(group.reason)),
                  ("Timeline", timeline([("CreationDateTime", group.created), ("ReadyDateTime", group.ready), ("EndDateTime", group.ended)]))])
    }

    func groupJSON(_ group: InstanceCollection) -> JSONValue {
        var members: [(String, JSONValue)] = [("Id", .string(group.id))]
        if let name = group.name { members.append(("Name", .string(name))) }
        members += [("Market", .string(group.market)), ("InstanceGroupType", .string(group.role))]
        if let bid = group.bidPrice { members.append(("BidPrice", .string(bid))) }
        members += [("InstanceType", .string(group.instanceType)), ("RequestedInstanceCount", .int(group.requested)),
                    ("RunningInstanceCount", .int(group.running)), ("Status", collectionStatus(group))]
        return .members(members)
    }

    func fleetJSON(_ fleet: InstanceCollection) -> JSONValue {
        var members: [(String, JSONValue)] = [("Id", .string(fleet.id))]
        if let name = fleet.name { members.append(("Name", .string(name))) }
        members += [("Status", collectionStatus(fleet)), ("InstanceFleetType", .string(fleet.role)),
                    ("TargetOnDemandCapacity", .int(fleet.targetOnDemand)), ("TargetSpotCapacity", .int(fleet.targetSpot)),
                    ("ProvisionedOnDemandCapacity", .int(fleet.provisionedOnDemand)), ("ProvisionedSpotCapacity", .int(fleet.provisionedSpot)),
                    ("InstanceTypeSpecifications", .array(fleet.instanceTypeConfigs))]
        return .members(members)
    }
}
