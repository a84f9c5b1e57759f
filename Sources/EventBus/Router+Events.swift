import EventInput
import EventPatterns
import EventSchedule
import EventTargets

/// One entry of a PutEvents request.
public struct PutEventsEntry: Sendable, Equatable {
    public var source: String?
    public var detailType: String?
    /// A JSON object, as text.
    public var detail: String?
    public var resources: [String]
    public var time: Instant?
    /// A bus name or ARN (default bus when nil).
    public var eventBusName: String?
    public var traceHeader: String?

    public init(source: String? = nil, detailType: String? = nil, detail: String? = nil, resources: [String] = [],
                time: Instant? = nil, eventBusName: String? = nil, traceHeader: String? = nil) {
        self.source = source
        self.detailType = detailType
        self.detail = detail
        self.resources = resources
        self.time = time
        self.eventBusName = eventBusName
        self.traceHeader = traceHeader
    }

    /// The entry's size as AWS counts it toward the 256 KB request limit.
    var size: Int {
        (time == nil ? 0 : 14) + (source?.utf8.count ?? 0) + (detailType?.utf8.count ?? 0) + (detail?.utf8.count ?? 0)
            + resources.reduce(0) { $0 + $1.utf8.count }
    }
}

/// The result of one PutEvents entry: an event id, or an error code and message.
public struct PutEventsResultEntry: Sendable, Equatable {
    public var eventID: String?
    public var errorCode: String?
    public var errorMessage: String?
}

extension Router {
    /// What a bus's matcher accepts: an envelope around a detail that fits `detailLimits`.
    static let envelopeLimits = EventLimits(maxBytes: 64 << 20, maxDepth: 258)
    /// What a Detail (PutEvents, service events) may be.
    static let detailLimits = JSONReader.Limits(maxDepth: 256, maxBytes: 32 << 20)

    /// The limit on the total size of a PutEvents request's entries.
    public static let putEventsSizeLimit = 262_144

    /// PutEvents: 1–10 entries, at most 256 KB in all; one result per entry, in order.
    public func putEvents(account: String, region: String, entries: [PutEventsEntry]) throws(APIError) -> [PutEventsResultEntry] {
        try Self.validateAccount(account)
        if entries.count > 10 {
            throw .validation("1 validation error detected: Value '[" + entries.map(Self.javaDump).joined(separator: ", ")
                + "]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10")
        }
        if entries.isEmpty {
            throw .validation("1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1")
        }
        // Member constraints of every entry fail the whole request (the size of each is per entry).
        var violations = Violations()
        for (index, entry) in entries.enumerated() {
            let member = "entries.\(index + 1).member"
            for (position, resource) in entry.resources.enumerated() {
                violations.length(resource, at: "\(member).resources.\(position + 1).member", min: 0, max: 2048)
            }
            violations.busNameOrArn(entry.eventBusName, at: "\(member).eventBusName", partnerNames: false)
            if let traceHeader = entry.traceHeader { violations.length(traceHeader, at: "\(member).traceHeader", max: 500) }
        }
        try violations.check()
        if entries.reduce(0, { $0 + $1.size }) > Self.putEventsSizeLimit {
            throw .validation("Total size of the entries in the request is over the limit.")
        }
        var results: [PutEventsResultEntry] = []
        for entry in entries {
            results.append(ingest(entry, account: account, region: region, fromService: false))
        }
        scheduleDispatch()
        return results
    }

    /// How AWS echoes an entry in the "more than 10 entries" message (Java's toString). The last two
    /// fields (`kmsKeyIdentifier`, `internalMetadata`) are members EventRouter does not take, so
    /// they are always `null`, as in AWS's recorded message for entries that do not set them.
    static func javaDump(_ entry: PutEventsEntry) -> String {
        func text(_ value: String?) -> String { value ?? "null" }
        let resources = entry.resources.isEmpty ? "null" : "[" + entry.resources.joined(separator: ", ") + "]"
        return "PutEventsRequestEntry(time=\(entry.time.map { $0.iso8601 } ?? "null"), source=\(text(entry.source)), "
            + "resources=\(resources), detailType=\(text(entry.detailType)), detail=\(text(entry.detail)), "
            + "eventBusName=\(text(entry.eventBusName)), traceHeader=\(text(entry.traceHeader)), "
            + "kmsKeyIdentifier=null, internalMetadata=null)"
    }

    /// ServiceEventSink: an AWS service (simulator) publishes to the account's default bus.
    @discardableResult
    public func putServiceEvent(account: String, region: String, source: String, detailType: String,
                                detail: JSONValue, resources: [String]) -> String {
        let result = ingest(PutEventsEntry(source: source, detailType: detailType, detail: detail.jsonText, resources: resources),
                            account: account, region: region, fromService: true)
        scheduleDispatch()
        return result.eventID ?? ""
    }

    /// Validates one entry, builds the envelope, checks permission on a foreign bus, and routes it.
    func ingest(_ entry: PutEventsEntry, account: String, region: String, fromService: Bool) -> PutEventsResultEntry {
        func failure(_ code: String, _ message: String) -> PutEventsResultEntry {
            PutEventsResultEntry(eventID: nil, errorCode: code, errorMessage: message)
        }
        guard let source = entry.source, !source.isEmpty else {
            return failure("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument.")
        }
        guard let detailType = entry.detailType, !detailType.isEmpty else {
            return failure("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument.")
        }
        guard let detailText = entry.detail, !detailText.isEmpty else {
            return failure("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument.")
        }
        // Detail sits one level inside the envelope, which the bus's matcher reads with `envelopeLimits`.
        guard let detail = try? JSONReader.parse(detailText, limits: Self.detailLimits), case .object = detail else {
            return failure("MalformedDetail", "Detail is malformed.")
        }
        if !fromService && source.hasPrefix("aws.") {
            return failure("NotAuthorizedForSourceException", "Not authorized for the source.")
        }
        let now = clock.now()
        let target = Self.resolveBus(entry.eventBusName, account: account, region: region)
        // The intake (if any) is called after the lock is released: it may call back into the router.
        var forIntake: (event: JSONValue, busArn: String)? = nil
        let result: PutEventsResultEntry = state.withLock { state in
            let id = newID(&state)
            let event = Self.envelope(id: id, detailType: detailType, source: source, account: account,
                                      time: entry.time ?? now, region: region, resources: entry.resources, detail: detail)
            let key = Self.ensureRegion(&state, account: target.account, region: target.region, now: now)
            guard let bus = state.regions[key]?.buses[target.name] else {
                if configuration.strictMissingBus {
                    return failure("ResourceNotFoundException", "Event bus \(target.name) does not exist.")
                }
                return PutEventsResultEntry(eventID: id)   // AWS: success, silently dropped
            }
            if target.account != account
                && !Self.allows(bus, sender: account, organization: state.organizations[account], action: "events:PutEvents") {
                return failure("AccessDeniedException",
                               "User: arn:aws:iam::\(account):root is not authorized to perform: events:PutEvents on resource: \(bus.arn)")
            }
            if intake != nil {
                forIntake = (event, bus.arn)
                return PutEventsResultEntry(eventID: id)
            }
            route(event, to: bus, account: target.account, region: target.region, hops: target.account != account ? 1 : 0,
                  ingestion: now, archivedSize: Self.archivedSize(source: source, detailType: detailType, detailText: detailText,
                                                                  resources: entry.resources),
                  state: &state)
            return PutEventsResultEntry(eventID: id)
        }
        if let intake, let (event, busArn) = forIntake, !intake.accept(event: event, busArn: busArn) {
            routeIngested(event: event, busArn: busArn)
        }
        return result
    }

    /// Routes an event that an `EventIntake` took earlier (for example one read back from a broker)
    /// on the bus `busArn`. Returns false when that bus does not exist here.
    @discardableResult
    public func routeIngested(event: JSONValue, busArn: String) -> Bool {
        guard let target = ARN.parseEventBus(busArn) else { return false }
        let now = clock.now()
        let routed = state.withLock { state -> Bool in
            let key = Self.ensureRegion(&state, account: target.account, region: target.region, now: now)
            guard let bus = state.regions[key]?.buses[target.name] else { return false }
            var hops = 0
            if case .string(let sender)? = event["account"], sender != target.account { hops = 1 }
            route(event, to: bus, account: target.account, region: target.region, hops: hops, ingestion: now, state: &state)
            return true
        }
        scheduleDispatch()
        return routed
    }

    /// The delivered event, with AWS's key order.
    static func envelope(id: String, detailType: String, source: String, account: String, time: Instant, region: String,
                         resources: [String], detail: JSONValue, replayName: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("version", .string("0")), ("id", .string(id)), ("detail-type", .string(detailType)), ("source", .string(source)),
            ("account", .string(account)), ("time", .string(time.iso8601)), ("region", .string(region)),
            ("resources", .array(resources.map(JSONValue.string))), ("detail", detail),
        ]
        if let replayName { members.append(("replay-name", .string(replayName))) }
        return .object(JSONObject(members))
    }

    /// The bus policy's answer: an explicit Deny for the sender wins over any Allow.
    static func allows(_ bus: BusState, sender: String, organization: String?, action: String) -> Bool {
        if bus.policy.contains(where: { $0.denies(account: sender, organization: organization, action: action) }) { return false }
        return bus.policy.contains { $0.allows(account: sender, organization: organization, action: action) }
    }

    /// Matches an event on a bus and queues one delivery per (rule, target). Called with the lock held.
    /// `archivedSize`: what the event adds to its bus's archives (nil: worked out from the envelope).
    func route(_ event: JSONValue, to bus: BusState, account: String, region: String, hops: Int, ingestion: Instant,
               archivedSize: Int? = nil, state: inout State, onlyRules: Set<String>? = nil) {
        let names: [String]
        let text = event.jsonText   // serialized once, for the rules and the archives
        do {
            names = try bus.index.matches(text)
        } catch {
            // Events that passed ingest are well-formed and within `detailLimits`; what is left is an
            // event whose arrays are too intricate to check array consistency within its limit.
            // Keep a trace (an outcome with the reason) rather than losing the event silently.
            record(.dropped, target: TargetConfiguration(id: "-", arn: bus.arn), ruleArn: "", input: DeliveredInput(json: event),
                   attempt: 0, time: ingestion, error: ("UNMATCHABLE_EVENT", "\(error)"), state: &state)
            return
        }
        archive(event, text: text, bus: bus, size: archivedSize, now: ingestion, state: &state)
        for name in names {
            guard let rule = bus.rules[name], rule.enabled else { continue }
            if let onlyRules, !onlyRules.contains(rule.arn) { continue }
            state.metrics[rule.arn, default: RuleMetrics()].matchedEvents += 1
            enqueue(event, rule: rule, account: account, region: region, hops: hops, ingestion: ingestion, state: &state)
        }
    }

    /// Queues one delivery per target of `rule`, due now.
    func enqueue(_ event: JSONValue, rule: RuleState, account: String, region: String, hops: Int, ingestion: Instant, state: inout State) {
        for target in rule.targets {
            state.accounting.matched += 1
            let input: DeliveredInput
            switch target.input.render(event: event, context: RenderContext(ruleName: rule.name, ruleARN: rule.arn,
                                                                             ingestionTime: ingestion.iso8601)) {
            case .delivered(let body):
                input = DeliveredInput(text: body.text, json: body.json)
            case .notDelivered(let reason):
                // e.g. a template that renders to invalid JSON: AWS accepts it and silently delivers nothing.
                state.accounting.dropped += 1
                record(.dropped, target: target, ruleArn: rule.arn, input: DeliveredInput(text: "", json: nil), attempt: 0, time: ingestion,
                       error: ("INVALID_INPUT", "Not delivered: \(reason)"), state: &state)
                continue
            }
            state.sequence += 1
            state.pending.append(PendingDelivery(due: ingestion, sequence: state.sequence, event: event, input: input, target: target,
                                                 ruleArn: rule.arn, ruleName: rule.name, account: account, region: region, attempt: 1,
                                                 firstAttempt: ingestion, hops: hops))
        }
    }

    func record(_ kind: DeliveryOutcome.Kind, target: TargetConfiguration, ruleArn: String, input: DeliveredInput, attempt: Int,
                time: Instant, dlq: String? = nil, error: (code: String, message: String)? = nil, state: inout State) {
        guard state.recordOutcomes else { return }
        state.outcomes.append(DeliveryOutcome(kind: kind, targetArn: target.arn, ruleArn: ruleArn, input: input, attempt: attempt,
                                              time: time, dlqArn: dlq, error: error))
    }

    // MARK: - TestEventPattern

    /// TestEventPattern: the event must be a JSON object with `id`, `account`, `source`, `time`,
    /// `region` and `detail-type`.
    public func testEventPattern(pattern: String, event: String) throws(APIError) -> Bool {
        var violations = Violations()
        violations.length(pattern, at: "eventPattern", max: 4096)   // as PutRule: the model's limit first
        try violations.check()
        let compiled: EventPattern
        do { compiled = try EventPattern(json: pattern) } catch { throw .invalidPattern(error.message) }
        guard let value = try? JSONReader.parse(event), case .object(let object) = value,
              ["id", "account", "source", "time", "region", "detail-type"].allSatisfy({ object[$0] != nil }) else {
            throw .validation("Parameter Event is not valid.")
        }
        do { return try compiled.matches(event) } catch { throw .validation("Parameter Event is not valid.") }
    }

    // MARK: - Permissions

    /// PutPermission (parameter form): allow `principal` (an account or "*", optionally limited to an
    /// organization) to put events on the bus.
    public func putPermission(account: String, region: String, eventBusName: String? = nil, action: String = "events:PutEvents",
                              principal: String, statementID: String, organizationID: String? = nil) throws(APIError) {
        if action != "events:PutEvents" { throw .validation("Provided value in parameter 'action' is not supported.") }
        if principal != "*" && !Constraint.isAccountID(principal) {
            throw Constraint.violation(principal, at: "principal", "Member must satisfy regular expression pattern: (\\d{12}|\\*)")
        }
        if statementID.isEmpty || statementID.count > 64
            || !statementID.utf8.allSatisfy({ Constraint.isNameCharacter($0) && $0 != 0x2E }) {
            throw Constraint.violation(statementID, at: "statementId", "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+")
        }
        if organizationID != nil && principal != "*" {
            throw .validation("Value of the parameter 'principal' must be '*' when the parameter 'condition' is set.")
        }
        try withBus(account: account, region: region, eventBusName) { (_, _, bus) throws(APIError) in
            let statement = PolicyStatement(sid: statementID, effectAllow: true, principal: principal, actions: [action],
                                            resource: bus.arn, organizationID: organizationID)
            if let position = bus.policy.firstIndex(where: { $0.sid == statementID }) {
                bus.policy[position] = statement
            } else {
                bus.policy.append(statement)
            }
        }
    }

    /// PutPermission with a whole policy document (replaces the bus's policy).
    public func putPolicy(account: String, region: String, eventBusName: String? = nil, policy: String) throws(APIError) {
        if policy.count > 10_240 { throw .validation("Policy document exceeds the maximum allowed size of 10240 characters.") }
        let statements: [JSONValue]
        switch (try? JSONReader.parse(policy))?["Statement"] {
        case .array(let list)?: statements = list
        case .object(let single)?: statements = [.object(single)]
        default: throw .validation("Policy document is not valid JSON with a Statement list.")
        }
        var parsed: [PolicyStatement] = []
        for (index, statement) in statements.enumerated() {
            var principal = "*"
            switch statement["Principal"] {
            case .string(let text)?: principal = text
            case .object(let object)?:
                if case .string(let aws)? = object["AWS"] {
                    principal = aws.hasPrefix("arn:aws:iam::") ? String(aws.dropFirst("arn:aws:iam::".count).prefix(12)) : aws
                } else if case .string(let service)? = object["Service"] {
                    principal = "service:" + service   // e.g. events.amazonaws.com: never matches an account
                } else {
                    throw .validation("Unsupported Principal in statement \(index).")
                }
            default: throw .validation("Statement \(index) has no Principal.")
            }
            var actions: [String] = []
            switch statement["Action"] {
            case .string(let action)?: actions = [action]
            case .array(let list)?: actions = list.compactMap { if case .string(let action) = $0 { return action } else { return nil } }
            default: throw .validation("Statement \(index) has no Action.")
            }
            var organization: String? = nil
            if case .object(let condition)? = statement["Condition"] {
                // Only `StringEquals aws:PrincipalOrgID` is evaluated; refusing other conditions beats
                // silently granting more than the document says.
                guard condition.count == 1, case .object(let equals)? = condition["StringEquals"], equals.count == 1,
                      case .string(let org)? = equals["aws:PrincipalOrgID"] else {
                    throw .validation("Statement \(index): only the condition StringEquals aws:PrincipalOrgID is supported.")
                }
                organization = org
            }
            var sid = "statement-\(index)"
            if case .string(let given)? = statement["Sid"] { sid = given }
            var allow = true
            if case .string(let effect)? = statement["Effect"] { allow = effect == "Allow" }
            var resource = ""
            if case .string(let given)? = statement["Resource"] { resource = given }
            parsed.append(PolicyStatement(sid: sid, effectAllow: allow, principal: principal, actions: actions,
                                          resource: resource, organizationID: organization, document: statement))
        }
        try withBus(account: account, region: region, eventBusName) { (_, _, bus) throws(APIError) in
            bus.policy = parsed.map { statement in
                var statement = statement
                if statement.resource.isEmpty { statement.resource = bus.arn }
                return statement
            }
        }
    }

    /// RemovePermission: one statement, or all of them.
    public func removePermission(account: String, region: String, eventBusName: String? = nil, statementID: String?,
                                 removeAll: Bool = false) throws(APIError) {
        try withBus(account: account, region: region, eventBusName) { (_, _, bus) throws(APIError) in
            if removeAll { bus.policy.removeAll(); return }
            guard let statementID, let position = bus.policy.firstIndex(where: { $0.sid == statementID }) else {
                throw .notFound("Statement with the provided id does not exist.")
            }
            bus.policy.remove(at: position)
        }
    }
}
