import EventPatterns
import EventTargets

/// Compute environments, job queues and job definitions (spec §1.1–1.3).
extension BatchState {
    static let maxComputeEnvironments = 50
    static let maxQueues = 50
    /// computeResources is kept as given for DescribeComputeEnvironments (SIM bound).
    static let maxComputeResourcesBytes = 16 * 1024

    // MARK: - Compute environments

    mutating func createComputeEnvironment(_ p: ServiceParameters, _ scope: Scope) throws(ServiceError) -> JSONValue {
        let name = try p.string("computeEnvironmentName")
        guard Validation.isResourceName(name) else {
            throw error("computeEnvironmentName \(name) must be 1 to 128 letters, digits, hyphens or underscores, starting with a letter or digit")
        }
        let arn = scope.arn("compute-environment/\(name)")
        guard computeEnvironments[arn] == nil else { throw error("A compute environment already exists with the name \(name)") }
        let count = computeEnvironments.values.filter { $0.account == scope.account && $0.region == scope.region }.count
        guard count < Self.maxComputeEnvironments else {
            throw error("Compute environment limit exceeded: an account may have \(Self.maxComputeEnvironments) per region")
        }
        let type = try p.string("type")
        guard type == "MANAGED" || type == "UNMANAGED" else { throw error("type \(type) must be one of MANAGED | UNMANAGED") }
        var ce = ComputeEnvironment(name: name, arn: arn, account: scope.account, region: scope.region, managed: type == "MANAGED",
                                    enabled: try Validation.state(p) ?? true, serviceRole: try p.optionalString("serviceRole"),
                                    tags: try Validation.tags(p), sequence: nextSequence())
        let resources = try p.optionalObject("computeResources")
        if ce.managed {
            guard let resources else { throw error("computeResources is required for a MANAGED compute environment") }
            try applyResources(resources, to: &ce, creating: true)
        } else if resources != nil {
            throw error("computeResources is not allowed for an UNMANAGED compute environment")
        }
        computeEnvironments[arn] = ce
        return .members([("computeEnvironmentName", .string(name)), ("computeEnvironmentArn", .string(arn))])
    }

    /// Validates and applies `computeResources` (min ≤ desired ≤ max).
    func applyResources(_ r: ServiceParameters, to ce: inout ComputeEnvironment, creating: Bool) throws(ServiceError) {
        if creating {
            let type = try r.string("type")
            guard ["EC2", "SPOT", "FARGATE", "FARGATE_SPOT"].contains(type) else {
                throw error("computeResources.type \(type) must be one of EC2 | SPOT | FARGATE | FARGATE_SPOT")
            }
            ce.resourcesType = type
            guard try r.optionalInt("maxvCpus") != nil else { throw error("computeResources.maxvCpus is required") }
        }
        let fargate = ce.family == "FARGATE"
        let minimum = try r.optionalInt("minvCpus")
        if fargate, minimum != nil { throw error("minvCpus is not applicable to Fargate compute environments") }
        let newMin = minimum ?? ce.minvCpus
        let newMax = try r.optionalInt("maxvCpus") ?? ce.maxvCpus
        let desired = try r.optionalInt("desiredvCpus")
        guard newMin >= 0 else { throw error("minvCpus must be at least 0") }
        guard newMax > 0 else { throw error("maxvCpus must be greater than 0") }
        guard newMax >= newMin else { throw error("maxVCpus must be greater than minvCpus") }
        if let desired {
            guard desired >= newMin else { throw error("desiredvCpus must be greater than or equal to minvCpus") }
            guard desired <= newMax else { throw error("desiredvCpus must be less than or equal to maxvCpus") }
        }
        ce.minvCpus = newMin
        ce.maxvCpus = newMax
        var given = ce.resources ?? JSONObject()
        for member in r.object.members where member.key != "minvCpus" && member.key != "maxvCpus" && member.key != "desiredvCpus" {
            given[member.key] = member.value
        }
        guard JSONValue.object(given).jsonText.utf8.count <= Self.maxComputeResourcesBytes else {
            throw error("computeResources must be at most \(Self.maxComputeResourcesBytes / 1024) KiB")
        }
        ce.resources = given
        let (product, overflow) = newMax.multipliedReportingOverflow(by: configuration.memoryPerVcpuMiB)
        let memory = overflow ? Int.max / 2 : product
        if ce.hosts.isEmpty {
            ce.hosts = [Host(vcpus: Double(newMax), memory: memory)]
        } else {
            ce.hosts[0].vcpus = Double(newMax)
            ce.hosts[0].memory = memory
        }
    }

    mutating func updateComputeEnvironment(_ p: ServiceParameters, _ scope: Scope) throws(ServiceError) -> JSONValue {
        let reference = try p.string("computeEnvironment")
        guard let arn = computeEnvironmentArn(reference, scope), var ce = computeEnvironments[arn] else {
            throw error("Compute environment \(reference) does not exist")
        }
        if let enabled = try Validation.state(p) { ce.enabled = enabled }
        if let resources = try p.optionalObject("computeResources") {
            guard ce.managed else { throw error("computeResources cannot be updated on an UNMANAGED compute environment") }
            try applyResources(resources, to: &ce, creating: false)
        }
        if let role = try p.optionalString("serviceRole") { ce.serviceRole = role }
        computeEnvironments[arn] = ce
        needsPass = true
        return .members([("computeEnvironmentName", .string(ce.name)), ("computeEnvironmentArn", .string(arn))])
    }

    mutating func deleteComputeEnvironment(_ p: ServiceParameters, _ scope: Scope) throws(ServiceError) -> JSONValue {
        let reference = try p.string("computeEnvironment")
        guard let arn = computeEnvironmentArn(reference, scope), let ce = computeEnvironments[arn] else {
            throw error("Compute environment \(reference) does not exist")
        }
        guard !ce.enabled else { throw error("Cannot delete, compute environment \(ce.name) must be DISABLED first") }
        if let queue = queues.values.first(where: { $0.order.contains { $0.arn == arn } }) {
            throw error("Cannot delete, compute environment \(ce.name) is being used by job queue \(queue.name)")
        }
        guard ce.reservedVcpus == 0 else { throw error("Cannot delete, compute environment \(ce.name) still has jobs running") }
        computeEnvironments[arn] = nil
        return .object(JSONObject())
    }

    mutating func registerHost(_ reference: String, _ scope: Scope, vcpus: Double, memory: Int) throws(ServiceError) {
        guard let arn = computeEnvironmentArn(reference, scope), var ce = computeEnvironments[arn] else {
            throw error("Compute environment \(reference) does not exist")
        }
        guard !ce.managed else { throw error("Hosts can only be registered in an UNMANAGED compute environment") }
        guard vcpus > 0, vcpus.isFinite, memory > 0 else { throw error("A host needs a positive number of vCPUs and memory") }
        ce.hosts.append(Host(vcpus: vcpus, memory: memory))
        computeEnvironments[arn] = ce
        needsPass = true
    }

    func describeComputeEnvironments(_ p: ServiceParameters, _ scope: Scope) throws(ServiceError) -> JSONValue {
        let wanted = try p.strings("computeEnvironments")
        guard wanted.count <= 100 else { throw error("computeEnvironments may list at most 100 entries") }
        var selected = computeEnvironments.values.filter { $0.account == scope.account && $0.region == scope.region }
        if !wanted.isEmpty {
            let arns = Set(wanted.compactMap { computeEnvironmentArn($0, scope) })
            selected = selected.filter { arns.contains($0.arn) }
        }
        return .members([("computeEnvironments", .array(selected.sorted { $0.sequence < $1.sequence }.map(ceJSON)))])
    }

    func ceJSON(_ ce: ComputeEnvironment) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("computeEnvironmentName", .string(ce.name)), ("computeEnvironmentArn", .string(ce.arn)),
            ("ecsClusterArn", .string("arn:aws:ecs:\(ce.region):\(ce.account):cluster/\(ce.name)")),
            ("type", .string(ce.managed ? "MANAGED" : "UNMANAGED")), ("state", .string(ce.enabled ? "ENABLED" : "DISABLED")),
            ("status", .string(ce.status)), ("statusReason", .string(ce.statusReason)),
        ]
        if ce.managed {
            var resources = ce.resources ?? JSONObject()
            let reserved = Int(ce.reservedVcpus.rounded(.up))
            if ce.family != "FARGATE" {
                resources["minvCpus"] = .int(ce.minvCpus)
                resources["desiredvCpus"] = .int(min(max(reserved, ce.minvCpus), ce.maxvCpus))
            }
            resources["maxvCpus"] = .int(ce.maxvCpus)
            members.append(("computeResources", .object(resources)))
        }
        if let role = ce.serviceRole { members.append(("serviceRole", .string(role))) }
        members.append(("tags", .object(ce.tags)))
        members.append(("containerOrchestrationType", .string("ECS")))
        return .members(members)
    }

    // MARK: - Job queues

    /// `computeEnvironmentOrder`: 1–3 entries of existing, VALID compute environments of one
    /// family, sorted by `order`.
    func computeEnvironmentOrder(_ p: ServiceParameters, _ scope: Scope) throws(ServiceError) -> [(order: Int, arn: String)] {
        let entries = try p.objects("computeEnvironmentOrder")
        guard !entries.isEmpty else { throw error("At least 1 compute environment must be provided") }
        guard entries.count <= 3 else { throw error("At most 3 compute environments may be attached to a job queue") }
        var result: [(order: Int, arn: String)] = []
        for entry in entries {
            guard let order = try entry.optionalInt("order"), let reference = try entry.optionalString("computeEnvironment") else {
                throw error("computeEnvironmentOrder is malformed")
            }
            guard let arn = computeEnvironmentArn(reference, scope), let ce = computeEnvironments[arn] else {
                throw error("Compute environment \(reference) does not exist")
            }
            guard ce.status == "VALID" else { throw error("Compute environment \(ce.name) is not VALID") }
            guard !result.contains(where: { $0.arn == arn }) else { throw error("Compute environment \(ce.name) is listed twice") }
            guard !result.contains(where: { $0.order == order }) else { throw error("computeEnvironmentOrder has order \(order) twice") }
            result.append((order, arn))
        }
        let families = Set(result.compactMap { computeEnvironments[$0.arn]?.family })
        guard families.count == 1 else {
            throw error("The compute environments of a job queue must all be EC2/SPOT or all FARGATE/FARGATE_SPOT")
        }
        return result.sorted { $0.order < $1.order }
    }

    mutating func createJobQueue(_ p: ServiceParameters, _ scope: Scope) throws(ServiceError) -> JSONValue {
        let name = try p.string("jobQueueName")
        guard Validation.isResourceName(name) else {
            throw error("jobQueueName \(name) must be 1 to 128 letters, digits, hyphens or underscores, starting with a letter or digit")
        }
        let arn = scope.arn("job-queue/\(name)")
        guard queues[arn] == nil else { throw error("Job queue \(name) already exists") }
        let count = queues.values.filter { $0.account == scope.account && $0.region == scope.region }.count
        guard count < Self.maxQueues else { throw error("Job queue limit exceeded: an account may have \(Self.maxQueues) per region") }
        let priority = try p.int("priority")
        guard priority >= 0 else { throw error("priority must be a non-negative integer") }
        let queue = JobQueue(name: name, arn: arn, account: scope.account, region: scope.region, enabled: try Validation.state(p) ?? true,
                             priority: priority, order: try computeEnvironmentOrder(p, scope), tags: try Validation.tags(p),
                             sequence: nextSequence())
        queues[arn] = queue
        return .members([("jobQueueName", .string(name)), ("jobQueueArn", .string(arn))])
    }

    mutating func updateJobQueue(_ p: ServiceParameters, _ scope: Scope) throws(ServiceError) -> JSONValue {
        let reference = try p.string("jobQueue")
        guard let arn = queueArn(reference, scope), var queue = queues[arn] else { throw error("Job queue \(reference) does not exist") }
        if let enabled = try Validation.state(p) { queue.enabled = enabled }
        if let priority = try p.optionalInt("priority") {
            guard priority >= 0 else { throw error("priority must be a non-negative integer") }
            queue.priority = priority
        }
        if p.has("computeEnvironmentOrder") { queue.order = try computeEnvironmentOrder(p, scope) }
        queues[arn] = queue
        needsPass = true
        return .members([("jobQueueName", .string(queue.name)), ("jobQueueArn", .string(arn))])
    }

    /// Deleting requires DISABLED; the queue's unfinished jobs are terminated ("Job queue deleted").
    mutating func deleteJobQueue(_ p: ServiceParameters, _ scope: Scope) throws(ServiceError) -> JSONValue {
        let reference = try p.string("jobQueue")
        guard let arn = queueArn(reference, scope), let queue = queues[arn] else { throw error("Job queue \(reference) does not exist") }
        guard !queue.enabled else { throw error("Cannot delete, job queue \(queue.name) must be DISABLED first") }
        for index in jobs.indices where jobs[index].queueArn == arn && jobs[index].parent == nil && !jobs[index].status.isTerminal {
            stopRequests.append((index, "Job queue deleted", true))
        }
        queues[arn] = nil
        needsPass = true
        return .object(JSONObject())
    }

    func describeJobQueues(_ p: ServiceParameters, _ scope: Scope) throws(ServiceError) -> JSONValue {
        let wanted = try p.strings("jobQueues")
        guard wanted.count <= 100 else { throw error("jobQueues may list at most 100 entries") }
        var selected = queues.values.filter { $0.account == scope.account && $0.region == scope.region }
        if !wanted.isEmpty {
            let arns = Set(wanted.compactMap { queueArn($0, scope) })
            selected = selected.filter { arns.contains($0.arn) }
        }
        let items = selected.sorted { $0.sequence < $1.sequence }.map { queue -> JSONValue in
            .members([
                ("jobQueueName", .string(queue.name)), ("jobQueueArn", .string(queue.arn)),
                ("state", .string(queue.enabled ? "ENABLED" : "DISABLED")), ("status", .string(queue.status)),
                ("statusReason", .string(queue.statusReason)), ("priority", .int(queue.priority)),
                ("computeEnvironmentOrder", .array(queue.order.map { .members([("order", .int($0.order)), ("computeEnvironment", .string($0.arn))]) })),
                ("tags", .object(queue.tags)),
            ])
        }
        return .members([("jobQueues", .array(items))])
    }

    // MARK: - Job definitions

    mutating func registerJobDefinition(_ p: ServiceParameters, _ scope: Scope) throws(ServiceError) -> JSONValue {
        guard JSONValue.object(p.object).jsonText.utf8.count <= 24 * 1024 else {
            throw error("The job definition exceeds the 24 KiB payload limit")
        }
        let name = try p.string("jobDefinitionName")
        guard Validation.isDefinitionName(name) else {
            throw error("jobDefinitionName \(name) must be 1 to 128 letters, digits, hyphens or underscores")
        }
        let type = try p.string("type")
        guard type == "container" else {
            throw error(type == "multinode" ? "multinode job definitions are not simulated" : "type \(type) must be one of container | multinode")
        }
        let platforms = try p.strings("platformCapabilities")
        for platform in platforms where platform != "EC2" && platform != "FARGATE" {
            throw error("platformCapabilities \(platform) must be one of EC2 | FARGATE")
        }
        guard let properties = try p.optionalObject("containerProperties") else { throw error("containerProperties is required") }
        guard let image = try properties.optionalString("image"), !image.isEmpty else { throw error("containerProperties must contain image") }
        let command = try properties.strings("command")
        let environment = try Validation.environment(properties)
        let (vcpus, memory) = try Validation.resources(properties)
        guard let memory else { throw error("containerProperties must contain memory") }
        guard let vcpus else { throw error("containerProperties must contain vcpus") }
        if !platforms.contains("FARGATE"), vcpus < 1 { throw error("container vcpus limit must be at least 1 on EC2") }
        var extra = JSONObject()
        let known: Set<String> = ["image", "command", "environment", "vcpus", "memory", "resourceRequirements"]
        for member in properties.object.members where !known.contains(member.key) { extra[member.key] = member.value }
        let retry = try p.optionalObject("retryStrategy").map { (r) throws(ServiceError) in try Validation.retryStrategy(r) }
        let key = definitionKey(name, scope)
        let revision = (definitions[key]?.count ?? 0) + 1
        let arn = scope.arn("job-definition/\(name):\(revision)")
        let definition = JobDefinition(
            name: name, revision: revision, arn: arn, account: scope.account, region: scope.region,
            container: ContainerSpec(image: image, command: command, environment: environment, vcpus: vcpus, memory: memory, extra: extra),
            parameters: try p.stringMap("parameters"), retryStrategy: retry, timeout: try Validation.timeout(p),
            propagateTags: try p.optionalBool("propagateTags") ?? false, platformCapabilities: platforms, tags: try Validation.tags(p))
        if definitions[key] == nil { definitionOrder.append(key) }
        definitions[key, default: []].append(definition)
        return .members([("jobDefinitionName", .string(name)), ("jobDefinitionArn", .string(arn)), ("revision", .int(revision))])
    }

    mutating func deregisterJobDefinition(_ p: ServiceParameters, _ scope: Scope) throws(ServiceError) -> JSONValue {
        let reference = try p.string("jobDefinition")
        guard reference.contains(":"), let definition = definition(reference, scope) else {
            throw error("Job definition \(reference) does not exist (give name:revision or the ARN)")
        }
        let key = definitionKey(definition.name, scope)
        definitions[key]?[definition.revision - 1].active = false
        return .object(JSONObject())
    }

    func describeJobDefinitions(_ p: ServiceParameters, _ scope: Scope) throws(ServiceError) -> JSONValue {
        let wanted = try p.strings("jobDefinitions")
        guard wanted.count <= 100 else { throw error("jobDefinitions may list at most 100 entries") }
        let name = try p.optionalString("jobDefinitionName")
        let status = try p.optionalString("status")
        if let status, status != "ACTIVE", status != "INACTIVE" { throw error("status \(status) must be one of ACTIVE | INACTIVE") }
        var selected: [JobDefinition] = []
        for key in definitionOrder {
            for definition in definitions[key] ?? [] where definition.account == scope.account && definition.region == scope.region {
                if let name, definition.name != name { continue }
                if let status, (status == "ACTIVE") != definition.active { continue }
                if !wanted.isEmpty {
                    let matches = wanted.contains { reference in
                        reference == definition.arn || reference == "\(definition.name):\(definition.revision)" || reference == definition.name
                    }
                    if !matches { continue }
                }
                selected.append(definition)
            }
        }
        return .members([("jobDefinitions", .array(selected.map(definitionJSON)))])
    }

    func definitionJSON(_ d: JobDefinition) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("jobDefinitionName", .string(d.name)), ("jobDefinitionArn", .string(d.arn)), ("revision", .int(d.revision)),
            ("status", .string(d.active ? "ACTIVE" : "INACTIVE")), ("type", .string("container")),
            ("parameters", .object(JSONObject(d.parameters.map { (key: $0.key, value: JSONValue.string($0.value)) }))),
        ]
        if let retry = d.retryStrategy { members.append(("retryStrategy", retry.json)) }
        if let timeout = d.timeout { members.append(("timeout", .members([("attemptDurationSeconds", .int(timeout))]))) }
        members.append(("containerProperties", .object(Self.staticContainer(d.container, running: false))))
        members.append(("propagateTags", .bool(d.propagateTags)))
        members.append(("platformCapabilities", .array(d.platformCapabilities.map(JSONValue.string))))
        members.append(("tags", .object(d.tags)))
        return .members(members)
    }
}
