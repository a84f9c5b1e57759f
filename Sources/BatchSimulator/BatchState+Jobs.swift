import EventPatterns
import EventTargets

/// SubmitJob, CancelJob, TerminateJob, DescribeJobs and ListJobs (spec §1.4–1.6).
extension BatchState {
    static let maxDependencies = 20
    static let maxSubmitted = 1_000_000
    static let maxArraySize = 10_000

    mutating func submitJob(_ p: ServiceParameters, _ scope: Scope, now: Int64) throws(ServiceError) -> JSONValue {
        guard JSONValue.object(p.object).jsonText.utf8.count <= 30 * 1024 else {
            throw error("The SubmitJob request exceeds the 30 KiB payload limit")
        }
        let name = try p.string("jobName")
        guard Validation.isResourceName(name) else { throw error("Job name should match valid pattern") }
        let queueReference = try p.string("jobQueue")
        guard let queueArn = queueArn(queueReference, scope), let queue = queues[queueArn] else {
            throw error("Job queue \(queueReference) does not exist")
        }
        guard queue.enabled else { throw error("Job queue \(queue.name) is DISABLED and accepts no jobs") }
        let definitionReference = try p.string("jobDefinition")
        guard let definition = definition(definitionReference, scope) else {
            throw error("Job definition \(definitionReference) does not exist")
        }
        guard definition.active else { throw error("Job definition \(definitionReference) is INACTIVE") }

        var size: Int?
        if let array = try p.optionalObject("arrayProperties") {
            let value = try array.int("size")
            guard (2...Self.maxArraySize).contains(value) else {
                throw error("arrayProperties.size must be between 2 and \(Self.maxArraySize)")
            }
            size = value
        }
        guard submitted.count + (size ?? 0) + 1 <= Self.maxSubmitted else {
            throw error("Too many jobs in SUBMITTED: the limit is \(Self.maxSubmitted)")
        }

        // Dependencies.
        let entries = try p.objects("dependsOn")
        guard entries.count <= Self.maxDependencies else {
            throw error("A job may depend on at most \(Self.maxDependencies) jobs")
        }
        var standard: [Int] = [], nToN: [Int] = [], sequential = false
        var shown: [Dependency] = []
        for entry in entries {
            let jobId = try entry.optionalString("jobId")
            let type = try entry.optionalString("type")
            switch type {
            case nil, "":
                guard let jobId else { throw error("dependsOn entries without a type need a jobId") }
                guard let target = job(jobId, scope) else { throw error("Dependency job \(jobId) does not exist") }
                standard.append(target)
            case "N_TO_N":
                guard let jobId else { throw error("An N_TO_N dependency needs a jobId") }
                guard let target = job(jobId, scope) else { throw error("Dependency job \(jobId) does not exist") }
                guard let size, jobs[target].arraySize == size else {
                    throw error("An N_TO_N dependency needs two array jobs of the same size")
                }
                nToN.append(target)
            case "SEQUENTIAL":
                guard jobId == nil else { throw error("A SEQUENTIAL dependency takes no jobId") }
                guard size != nil else { throw error("A SEQUENTIAL dependency is only valid for array jobs") }
                sequential = true
            case let other?:
                throw error("dependsOn type \(other) must be one of N_TO_N | SEQUENTIAL")
            }
            shown.append(Dependency(jobId: jobId, type: (type?.isEmpty ?? true) ? nil : type))
        }

        // Parameters, overrides, container.
        var parameters = definition.parameters
        for (key, value) in try p.stringMap("parameters") {
            if let position = parameters.firstIndex(where: { $0.key == key }) { parameters[position].value = value } else { parameters.append((key, value)) }
        }
        var container = definition.container
        if let overrides = try p.optionalObject("containerOverrides") {
            if overrides.has("command") { container.command = try overrides.strings("command") }
            for (name, value) in try Validation.environment(overrides) {
                if let position = container.environment.firstIndex(where: { $0.name == name }) {
                    container.environment[position].value = value
                } else {
                    container.environment.append((name, value))
                }
            }
            let (vcpus, memory) = try Validation.resources(overrides)
            if let vcpus { container.vcpus = vcpus }
            if let memory { container.memory = memory }
            _ = try overrides.optionalString("instanceType")
        }
        container.command = container.command.map { Validation.substitute($0, parameters) }
        var retry = definition.retryStrategy ?? RetryStrategy()
        if let given = try p.optionalObject("retryStrategy") { retry = try Validation.retryStrategy(given) }
        let timeout = try Validation.timeout(p) ?? definition.timeout
        let tags = try Validation.tags(p)
        let propagateTags = try p.optionalBool("propagateTags") ?? definition.propagateTags

        let id = rng.uuid()
        var base = Job(id: id, name: name, arn: scope.arn("job/\(id)"), account: scope.account, region: scope.region, queueArn: queueArn,
                       definitionArn: definition.arn, container: container, parameters: parameters, retryStrategy: retry,
                       timeout: timeout, tags: tags, propagateTags: propagateTags,
                       platformCapabilities: definition.platformCapabilities, dependsOn: shown, waitsFor: standard, createdAt: now)

        base.cached = CachedDetail(
            container: Self.staticContainer(container, running: true),
            parameters: .object(JSONObject(parameters.map { (key: $0.key, value: JSONValue.string($0.value)) })),
            retryStrategy: retry.json, tags: .object(tags), platformCapabilities: .array(definition.platformCapabilities.map(JSONValue.string)))
        let index = jobs.count
        jobIndex[id] = index
        if let size {
            var parent = base
            parent.arraySize = size
            parent.firstChild = index + 1
            parent.summary = [size, 0, 0, 0, 0, 0, 0]
            parent.timeout = nil
            parent.waitsFor = []
            jobs.append(parent)
            jobs.reserveCapacity(jobs.count + size)
            for childIndex in 0..<size {
                var child = base
                child.id = "\(id):\(childIndex)"
                child.arn = scope.arn("job/\(child.id)")
                child.arrayIndex = childIndex
                child.parent = index
                var dependencies: [Dependency] = standard.map { Dependency(jobId: jobs[$0].id, type: nil) }
                for target in nToN {
                    let peer = jobs[target].firstChild + childIndex
                    child.waitsFor.append(peer)
                    dependencies.append(Dependency(jobId: jobs[peer].id, type: "N_TO_N"))
                }
                if sequential && childIndex > 0 {
                    child.waitsFor.append(index + childIndex)
                    dependencies.append(Dependency(jobId: "\(id):\(childIndex - 1)", type: "SEQUENTIAL"))
                }
                child.dependsOn = dependencies
                jobIndex[child.id] = jobs.count
                submitted.append(jobs.count)
                jobs.append(child)
            }
        } else {
            jobs.append(base)
            submitted.append(index)
        }
        needsPass = true
        return .members([("jobArn", .string(base.arn)), ("jobName", .string(name)), ("jobId", .string(id))])
    }

    /// CancelJob / TerminateJob: validated now, applied at the next scheduler pass (same instant).
    mutating func cancelJob(_ p: ServiceParameters, _ scope: Scope, terminate: Bool, now: Int64) throws(ServiceError) -> JSONValue {
        let jobId = try p.optionalString("jobId") ?? ""
        guard !jobId.isEmpty else { throw error("'jobId' is a required field (cannot be an empty string)") }
        let reason = try p.optionalString("reason") ?? ""
        guard !reason.isEmpty else { throw error("'reason' is a required field (cannot be an empty string)") }
        guard reason.count <= 1024 else { throw error("reason must be at most 1024 characters") }
        guard let index = job(jobId, scope) else { throw error("Job \(jobId) does not exist") }
        if !jobs[index].status.isTerminal {
            stopRequests.append((index, reason, terminate))
            needsPass = true
        }
        return .object(JSONObject())
    }

    func describeJobs(_ p: ServiceParameters, _ scope: Scope) throws(ServiceError) -> JSONValue {
        let ids = try p.strings("jobs")
        guard !ids.isEmpty else { throw error("jobs is required") }
        guard ids.count <= 100 else { throw error("jobs may list at most 100 job ids") }
        return .members([("jobs", .array(ids.compactMap { id in job(id, scope).map { jobDetail($0) } }))])
    }

    func listJobs(_ p: ServiceParameters, _ scope: Scope) throws(ServiceError) -> JSONValue {
        let queueReference = try p.optionalString("jobQueue")
        let arrayJobId = try p.optionalString("arrayJobId")
        if try p.optionalString("multiNodeJobId") != nil { throw error("multi-node parallel jobs are not simulated") }
        let status: BatchJobStatus?
        if let text = try p.optionalString("jobStatus") {
            guard let value = BatchJobStatus(rawValue: text) else {
                throw error("Job status is not one of SUBMITTED | PENDING | RUNNABLE | STARTING | RUNNING | SUCCEEDED | FAILED")
            }
            status = value
        } else {
            status = .running
        }
        var filters: [(name: String, values: [String])] = []
        let filterList = try p.objects("filters")
        guard filterList.count <= 1 else { throw error("Only one filter can be used at a time") }
        for filter in filterList {
            let name = try filter.string("name")
            guard ["JOB_NAME", "JOB_DEFINITION", "BEFORE_CREATED_AT", "AFTER_CREATED_AT"].contains(name) else {
                throw error("filters name \(name) must be one of JOB_NAME | JOB_DEFINITION | BEFORE_CREATED_AT | AFTER_CREATED_AT")
            }
            let values = try filter.strings("values")
            guard values.count <= 100 else { throw error("filters values may list at most 100 values") }
            filters.append((name, values))
        }
        let maxResults = try p.optionalInt("maxResults") ?? 100
        guard (1...1000).contains(maxResults) else { throw error("maxResults must be between 1 and 1000") }
        var start = 0
        if let token = try p.optionalString("nextToken") {
            guard let value = Int(token), value >= 0 else { throw error("nextToken is not valid") }
            start = value
        }

        var candidates: [Int] = []
        if let arrayJobId {
            guard let parent = job(arrayJobId, scope), let size = jobs[parent].arraySize else {
                throw error("Job \(arrayJobId) is not an array job")
            }
            candidates = Array(jobs[parent].firstChild..<(jobs[parent].firstChild + size))
        } else if let queueReference {
            guard let arn = queueArn(queueReference, scope) else { throw error("Job queue \(queueReference) does not exist") }
            candidates = jobs.indices.filter { jobs[$0].queueArn == arn && jobs[$0].parent == nil }
        } else {
            throw error("One of jobQueue, arrayJobId or multiNodeJobId is required")
        }
        let selected = candidates.filter { index in
            let job = jobs[index]
            if filters.isEmpty { return job.status == status }
            for filter in filters {
                let matched = filter.values.contains { value in
                    switch filter.name {
                    case "JOB_NAME": return Glob.matches(value, job.name)
                    case "JOB_DEFINITION":
                        let revisioned = job.definitionArn.split(separator: "/").last.map(String.init) ?? ""
                        let bare = revisioned.split(separator: ":").first.map(String.init) ?? ""
                        return Glob.matches(value, job.definitionArn) || Glob.matches(value, revisioned) || Glob.matches(value, bare)
                    case "BEFORE_CREATED_AT": return Int64(value).map { Self.milliseconds(job.createdAt) < $0 } ?? false
                    default: return Int64(value).map { Self.milliseconds(job.createdAt) > $0 } ?? false
                    }
                }
                if !matched { return false }
            }
            return true
        }
        let page = selected.dropFirst(start).prefix(maxResults)
        var members: [(String, JSONValue)] = [("jobSummaryList", .array(page.map { jobSummary($0) }))]
        if start + page.count < selected.count { members.append(("nextToken", .string(String(start + page.count)))) }
        return .members(members)
    }

    // MARK: - JSON shapes

    func jobSummary(_ index: Int) -> JSONValue {
        let job = jobs[index]
        var members: [(String, JSONValue)] = [
            ("jobArn", .string(job.arn)), ("jobId", .string(job.id)), ("jobName", .string(job.name)),
            ("createdAt", .int64(Self.milliseconds(job.createdAt))), ("status", .string(job.status.rawValue)),
        ]
        if let reason = job.statusReason { members.append(("statusReason", .string(reason))) }
        if let started = job.startedAt { members.append(("startedAt", .int64(Self.milliseconds(started)))) }
        if let stopped = job.stoppedAt { members.append(("stoppedAt", .int64(Self.milliseconds(stopped)))) }
        if let last = job.attempts.last, last.exitCode != nil || last.reason != nil {
            var container: [(String, JSONValue)] = []
            if let code = last.exitCode { container.append(("exitCode", .int(code))) }
            if let reason = last.reason { container.append(("reason", .string(reason))) }
            members.append(("container", .members(container)))
        }
        if let size = job.arraySize { members.append(("arrayProperties", .members([("size", .int(size))]))) }
        if let arrayIndex = job.arrayIndex { members.append(("arrayProperties", .members([("index", .int(arrayIndex))]))) }
        members.append(("jobDefinition", .string(job.definitionArn)))
        return .members(members)
    }

    /// The DescribeJobs `JobDetail` (also the detail of "Batch Job State Change"); times in epoch
    /// milliseconds; keys without a value are omitted.
    func jobDetail(_ index: Int) -> JSONValue {
        let job = jobs[index]
        var members: [(String, JSONValue)] = [
            ("jobArn", .string(job.arn)), ("jobName", .string(job.name)), ("jobId", .string(job.id)),
            ("jobQueue", .string(job.queueArn)), ("status", .string(job.status.rawValue)),
        ]
        if let reason = job.statusReason { members.append(("statusReason", .string(reason))) }
        members.append(("attempts", .array(job.attempts.map(attemptJSON))))
        members.append(("createdAt", .int64(Self.milliseconds(job.createdAt))))
        if let started = job.startedAt { members.append(("startedAt", .int64(Self.milliseconds(started)))) }
        if let stopped = job.stoppedAt { members.append(("stoppedAt", .int64(Self.milliseconds(stopped)))) }
        members.append(("retryStrategy", job.cached.retryStrategy))
        members.append(("dependsOn", .array(job.dependsOn.map { dependency in
            var entry: [(String, JSONValue)] = []
            if let id = dependency.jobId { entry.append(("jobId", .string(id))) }
            if let type = dependency.type { entry.append(("type", .string(type))) }
            return .members(entry)
        })))
        members.append(("jobDefinition", .string(job.definitionArn)))
        members.append(("parameters", job.cached.parameters))
        members.append(("container", containerJSON(job)))
        if let size = job.arraySize {
            let summary = zip(BatchJobStatus.allCases, job.summary).map { (key: $0.0.rawValue, value: JSONValue.int($0.1)) }
            members.append(("arrayProperties", .members([("statusSummary", .object(JSONObject(summary))), ("size", .int(size))])))
        }
        if let arrayIndex = job.arrayIndex { members.append(("arrayProperties", .members([("index", .int(arrayIndex))]))) }
        if let timeout = job.timeout { members.append(("timeout", .members([("attemptDurationSeconds", .int(timeout))]))) }
        members.append(("tags", job.cached.tags))
        members.append(("propagateTags", .bool(job.propagateTags)))
        members.append(("platformCapabilities", job.cached.platformCapabilities))
        return .members(members)
    }

    func attemptJSON(_ attempt: AttemptRecord) -> JSONValue {
        var container: [(String, JSONValue)] = []
        if let code = attempt.exitCode { container.append(("exitCode", .int(code))) }
        if let reason = attempt.reason { container.append(("reason", .string(reason))) }
        container.append(("networkInterfaces", .array([])))
        var members: [(String, JSONValue)] = [("container", .members(container)), ("startedAt", .int64(Self.milliseconds(attempt.startedAt)))]
        if let stopped = attempt.stoppedAt { members.append(("stoppedAt", .int64(Self.milliseconds(stopped)))) }
        if let reason = attempt.statusReason { members.append(("statusReason", .string(reason))) }
        return .members(members)
    }

    /// A job's `container`: the static part built at submission plus the last attempt's exit
    /// code and reason.
    func containerJSON(_ job: Job) -> JSONValue {
        var container = job.cached.container
        if let last = job.attempts.last {
            if let code = last.exitCode { container["exitCode"] = .int(code) }
            if let reason = last.reason { container["reason"] = .string(reason) }
        } else if let reason = job.startFailure {
            container["reason"] = .string(reason)
        }
        return .object(container)
    }

    /// `containerProperties` of a definition (`running: false`) or the unchanging part of a job's
    /// `container` (`running: true`, with `networkInterfaces`).
    static func staticContainer(_ spec: ContainerSpec, running: Bool) -> JSONObject {
        var members: [(key: String, value: JSONValue)] = [
            ("image", .string(spec.image)), ("command", .array(spec.command.map(JSONValue.string))),
            ("environment", .array(spec.environment.map { .members([("name", .string($0.name)), ("value", .string($0.value))]) })),
            ("resourceRequirements", .array([
                .members([("type", .string("VCPU")), ("value", .string(Validation.number(spec.vcpus)))]),
                .members([("type", .string("MEMORY")), ("value", .string(String(spec.memory)))]),
            ])),
        ]
        for key in ["volumes", "mountPoints", "ulimits", "secrets"] where spec.extra[key] == nil { members.append((key, .array([]))) }
        for member in spec.extra.members { members.append(member) }
        if running { members.append(("networkInterfaces", .array([]))) }
        return JSONObject(members)
    }
}
