import EventPatterns
import EventSchedule
import EventTargets

extension Router {
    // MARK: - Event buses

    /// CreateEventBus. Returns the bus ARN.
    @discardableResult
    public func createEventBus(account: String, region: String, name: String, description: String? = nil) throws(APIError) -> String {
        try Self.validateAccount(account)
        if name.isEmpty {
            throw Constraint.violation(name, at: "name", "Member must have length greater than or equal to 1")
        }
        if name.count > 256 {
            throw Constraint.violation(name, at: "name", "Member must have length less than or equal to 256")
        }
        if name.contains("/") { throw .validation("Event bus name must not contain '/'.") }
        if !name.utf8.allSatisfy(Constraint.isNameCharacter) {
            throw Constraint.violation(name, at: "name", "Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+")
        }
        let now = clock.now()
        return try state.withLock { (state) throws(APIError) -> String in
            let key = Self.ensureRegion(&state, account: account, region: region, now: now)
            if state.regions[key]?.buses[name] != nil { throw .alreadyExists("Event bus \(name) already exists.") }
            let arn = ARN.eventBus(region: region, account: account, name: name)
            state.regions[key]?.buses[name] = BusState(name: name, arn: arn, description: description, created: now)
            state.regions[key]?.busOrder.append(name)
            return arn
        }
    }

    /// DeleteEventBus: deleting a missing bus succeeds (as on AWS); `default` cannot be deleted.
    public func deleteEventBus(account: String, region: String, name: String) throws(APIError) {
        if name == "default" { throw .validation("Cannot delete event bus default.") }
        let strict = configuration.strictBusDeletion
        let now = clock.now()
        try state.withLock { (state) throws(APIError) in
            let key = Self.ensureRegion(&state, account: account, region: region, now: now)
            guard let bus = state.regions[key]?.buses[name] else { return }
            if strict && !bus.rules.isEmpty { throw .validation("Event bus \(name) still has rules.") }
            for rule in bus.rules.values { state.schedules[rule.arn] = nil }
            state.regions[key]?.buses[name] = nil
            state.regions[key]?.busOrder.removeAll { $0 == name }
        }
    }

    /// The name and account of the bus a name-or-ARN refers to, from `account`'s point of view.
    static func resolveBus(_ nameOrArn: String?, account: String, region: String) -> (account: String, region: String, name: String) {
        guard let nameOrArn, !nameOrArn.isEmpty else { return (account, region, "default") }
        if let parsed = ARN.parseEventBus(nameOrArn) { return (parsed.account, parsed.region, parsed.name) }
        return (account, region, nameOrArn)
    }

    /// Runs `body` on an existing bus of the caller's account.
    func withBus<T>(account: String, region: String, _ nameOrArn: String?,
                    _ body: (inout State, String, inout BusState) throws(APIError) -> T) throws(APIError) -> T {
        let now = clock.now()
        let target = Self.resolveBus(nameOrArn, account: account, region: region)
        // Managing a bus (its rules, targets, policy, archives) is for its owner, in its region.
        if target.account != account || target.region != region {
            throw APIError("AccessDeniedException", "User: arn:aws:iam::\(account):root is not authorized to manage resource: "
                           + ARN.eventBus(region: target.region, account: target.account, name: target.name))
        }
        return try state.withLock { (state) throws(APIError) -> T in
            let key = Self.ensureRegion(&state, account: target.account, region: target.region, now: now)
            // Take the bus out while changing it, so its rule tables are not copied on write.
            guard var bus = state.regions[key]?.buses.removeValue(forKey: target.name) else {
                throw .notFound("Event bus \(target.name) does not exist.")
            }
            defer { state.regions[key]?.buses[target.name] = bus }
            return try body(&state, key, &bus)
        }
    }

    /// DescribeEventBus: name, ARN, description, and the policy document when there is one.
    public func describeEventBus(account: String, region: String, name: String?) throws(APIError) -> JSONValue {
        try withBus(account: account, region: region, name) { (_, _, bus) throws(APIError) -> JSONValue in
            Self.busJSON(bus)
        }
    }

    static func busJSON(_ bus: BusState) -> JSONValue {
        var members: [(String, JSONValue)] = [("Name", .string(bus.name)), ("Arn", .string(bus.arn))]
        if let description = bus.description { members.append(("Description", .string(description))) }
        members.append(("CreationTime", .string(bus.created.iso8601)))
        members.append(("LastModifiedTime", .string(bus.created.iso8601)))
        if !bus.policy.isEmpty { members.append(("Policy", .string(policyDocument(bus.policy).jsonText))) }
        return .object(JSONObject(members))
    }

    static func policyDocument(_ statements: [PolicyStatement]) -> JSONValue {
        .object(JSONObject([("Version", .string("2012-10-17")), ("Statement", .array(statements.map(\.json)))]))
    }

    /// ListEventBuses, optionally filtered by name prefix.
    public func listEventBuses(account: String, region: String, namePrefix: String? = nil) throws(APIError) -> [JSONValue] {
        try Self.validateAccount(account)
        let now = clock.now()
        return state.withLock { state in
            let key = Self.ensureRegion(&state, account: account, region: region, now: now)
            guard let regionState = state.regions[key] else { return [] }
            return regionState.busOrder.compactMap { name in
                guard let bus = regionState.buses[name], namePrefix.map({ name.hasPrefix($0) }) ?? true else { return nil }
                return Self.busJSON(bus)
            }
        }
    }

    // MARK: - Rules

    /// PutRule: creates or replaces a rule (targets are kept). Returns the rule ARN.
    @discardableResult
    public func putRule(account: String, region: String, name: String, eventBusName: String? = nil,
                        eventPattern: String? = nil, scheduleExpression: String? = nil, state ruleState: String? = nil,
                        description: String? = nil, roleArn: String? = nil) throws(APIError) -> String {
        try Self.validateAccount(account)
        // Every member constraint at once, in the API model's member order, as AWS reports them.
        var violations = Violations()
        violations.name(name, at: "name", max: 64)
        if let scheduleExpression { violations.length(scheduleExpression, at: "scheduleExpression", max: 256) }
        if let eventPattern { violations.length(eventPattern, at: "eventPattern", max: 4096) }
        let enabled: Bool
        switch ruleState ?? "ENABLED" {
        case "ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS": enabled = true
        case "DISABLED": enabled = false
        case let other:
            enabled = false
            violations.add(other, at: "state", "Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]")
        }
        if let description { violations.length(description, at: "description", min: 0, max: 512) }
        if let roleArn { violations.length(roleArn, at: "roleArn", max: 1600) }
        violations.busNameOrArn(eventBusName, at: "eventBusName")
        try violations.check()
        if eventPattern == nil && scheduleExpression == nil {
            throw .validation("Parameter(s) EventPattern or ScheduleExpression must be specified.")
        }
        if let eventPattern, let error = EventPattern.validate(eventPattern) { throw .invalidPattern(error.message) }
        var parsedSchedule: ScheduleExpression? = nil
        if let scheduleExpression {
            let busName = Self.resolveBus(eventBusName, account: account, region: region).name
            if busName != "default" { throw .validation("ScheduleExpression is supported only on the default event bus.") }
            do {
                parsedSchedule = try ScheduleExpression(parsing: scheduleExpression, dialect: .scheduledRule)
            } catch {
                throw .validation("Parameter ScheduleExpression is not valid.")
            }
        }
        let now = clock.now()
        let arn = try withBus(account: account, region: region, eventBusName) { (state, _, bus) throws(APIError) -> String in
            let arn = ARN.rule(region: region, account: account, bus: bus.name, name: name)
            var rule = RuleState(name: name, arn: arn, busName: bus.name, pattern: eventPattern, schedule: scheduleExpression,
                                 parsedSchedule: parsedSchedule, enabled: enabled, description: description, roleArn: roleArn,
                                 createdBy: account, created: now)
            if let existing = bus.rules[name] {
                rule.targets = existing.targets
                rule.created = existing.created
            } else {
                bus.ruleOrder.append(name)
            }
            bus.rules[name] = rule
            Self.reindex(rule, in: bus)
            Self.reschedule(rule, account: account, region: region, now: now, state: &state)
            return arn
        }
        if scheduleExpression != nil { scheduleDispatch() }
        return arn
    }

    /// Keeps the bus's index in step with a rule: enabled rules with a pattern are in it.
    static func reindex(_ rule: RuleState, in bus: BusState) {
        if rule.enabled, let pattern = rule.pattern {
            // Validated by putRule; a failure here would mean the limits differ, so drop the rule from matching.
            if (try? bus.index.replace(rule.name, pattern: pattern)) == nil { bus.index.remove(rule.name) }
        } else {
            bus.index.remove(rule.name)
        }
    }

    static func reschedule(_ rule: RuleState, account: String, region: String, now: Instant, state: inout State) {
        guard rule.enabled, let expression = rule.parsedSchedule else {
            state.schedules[rule.arn] = nil
            return
        }
        // A rate counts from the rule's creation; cron fires at its next matching minute.
        let anchor = state.schedules[rule.arn]?.anchor ?? now
        var scheduled = ScheduledRule(account: account, region: region, ruleName: rule.name, next: nil, expression: expression, anchor: anchor)
        scheduled.next = Self.nextFire(expression, after: now, anchor: anchor)
        state.schedules[rule.arn] = scheduled
    }

    static func nextFire(_ expression: ScheduleExpression, after: Instant, anchor: Instant) -> Instant? {
        guard let schedule = try? ZonedSchedule(expression, timeZone: .utc, anchor: anchor) else { return nil }
        var iterator = schedule.fireTimes(after: after)
        return iterator.next()
    }

    /// DeleteRule: refuses while the rule has targets; deleting a missing rule succeeds.
    public func deleteRule(account: String, region: String, name: String, eventBusName: String? = nil) throws(APIError) {
        try withBus(account: account, region: region, eventBusName) { (state, _, bus) throws(APIError) in
            guard let rule = bus.rules[name] else { return }
            if !rule.targets.isEmpty { throw .validation("Rule can't be deleted since it has targets.") }
            bus.rules[name] = nil
            bus.ruleOrder.removeAll { $0 == name }
            bus.index.remove(name)
            state.schedules[rule.arn] = nil
        }
    }

    /// DescribeRule.
    public func describeRule(account: String, region: String, name: String, eventBusName: String? = nil) throws(APIError) -> RuleDescription {
        try withBus(account: account, region: region, eventBusName) { (_, _, bus) throws(APIError) -> RuleDescription in
            guard let rule = bus.rules[name] else { throw .notFound("Rule \(name) does not exist on EventBus \(bus.name).") }
            return Self.describe(rule)
        }
    }

    static func describe(_ rule: RuleState) -> RuleDescription {
        RuleDescription(name: rule.name, arn: rule.arn, eventBusName: rule.busName, eventPattern: rule.pattern,
                        scheduleExpression: rule.schedule, state: rule.enabled ? "ENABLED" : "DISABLED",
                        description: rule.description, roleArn: rule.roleArn, createdBy: rule.createdBy)
    }

    /// ListRules on a bus, optionally by name prefix.
    public func listRules(account: String, region: String, eventBusName: String? = nil, namePrefix: String? = nil) throws(APIError) -> [RuleDescription] {
        try withBus(account: account, region: region, eventBusName) { (_, _, bus) throws(APIError) -> [RuleDescription] in
            bus.ruleOrder.compactMap { name in
                guard let rule = bus.rules[name], namePrefix.map({ name.hasPrefix($0) }) ?? true else { return nil }
                return Self.describe(rule)
            }
        }
    }

    /// EnableRule / DisableRule.
    public func setRuleEnabled(account: String, region: String, name: String, eventBusName: String? = nil, enabled: Bool) throws(APIError) {
        let now = clock.now()
        try withBus(account: account, region: region, eventBusName) { (state, _, bus) throws(APIError) in
            guard var rule = bus.rules[name] else { throw .notFound("Rule \(name) does not exist on EventBus \(bus.name).") }
            rule.enabled = enabled
            bus.rules[name] = rule
            Self.reindex(rule, in: bus)
            Self.reschedule(rule, account: account, region: region, now: now, state: &state)
        }
        scheduleDispatch()
    }

    // MARK: - Targets

    /// A target that PutTargets could not add.
    public struct FailedTarget: Sendable, Equatable {
        public var targetID: String
        public var errorCode: String
        public var errorMessage: String
    }

    /// PutTargets: adds or replaces targets (by id), at most 5 per rule.
    @discardableResult
    public func putTargets(account: String, region: String, rule: String, eventBusName: String? = nil,
                           targets: [TargetConfiguration]) throws(APIError) -> [FailedTarget] {
        try Self.putTargetsViolations(rule: rule, eventBusName: eventBusName, targets: targets).check()
        return try storeTargets(account: account, region: region, rule: rule, eventBusName: eventBusName, targets: targets)
    }

    /// PutTargets once its member constraints hold: adds or replaces the targets on the rule.
    func storeTargets(account: String, region: String, rule: String, eventBusName: String?,
                      targets: [TargetConfiguration]) throws(APIError) -> [FailedTarget] {
        try withBus(account: account, region: region, eventBusName) { (_, _, bus) throws(APIError) -> [FailedTarget] in
            guard var ruleState = bus.rules[rule] else { throw .notFound("Rule \(rule) does not exist on EventBus \(bus.name).") }
            var merged = ruleState.targets
            for target in targets {
                if let position = merged.firstIndex(where: { $0.id == target.id }) { merged[position] = target } else { merged.append(target) }
            }
            if merged.count > 5 { throw .limitExceeded("The requested resource exceeds the maximum number allowed.") }
            ruleState.targets = merged
            bus.rules[rule] = ruleState
            return []
        }
    }

    /// PutTargets' member constraints, all at once (every target), in the API model's member order.
    static func putTargetsViolations(rule: String?, eventBusName: String?, targets: [TargetConfiguration]) -> Violations {
        var violations = Violations()
        if let rule { violations.name(rule, at: "rule", max: 64) } else { violations.add(nil, at: "rule", "Member must not be null") }
        violations.busNameOrArn(eventBusName, at: "eventBusName")
        if targets.isEmpty { violations.add("[]", at: "targets", "Member must have length greater than or equal to 1") }
        for (index, target) in targets.enumerated() {
            let member = "targets.\(index + 1).member"
            violations.name(target.id, at: "\(member).id", max: 64)
            violations.length(target.arn, at: "\(member).arn", max: 1600)
            if let roleArn = target.roleArn { violations.length(roleArn, at: "\(member).roleArn", max: 1600) }
            let policy = target.retryPolicy
            violations.value(policy.maximumRetryAttempts, at: "\(member).retryPolicy.maximumRetryAttempts", min: 0, max: 185)
            violations.value(policy.maximumEventAgeInSeconds, at: "\(member).retryPolicy.maximumEventAgeInSeconds", min: 60, max: 86_400)
        }
        return violations
    }

    /// RemoveTargets by id; unknown ids are reported as failed entries.
    @discardableResult
    public func removeTargets(account: String, region: String, rule: String, eventBusName: String? = nil, ids: [String]) throws(APIError) -> [FailedTarget] {
        try withBus(account: account, region: region, eventBusName) { (_, _, bus) throws(APIError) -> [FailedTarget] in
            guard var ruleState = bus.rules[rule] else { throw .notFound("Rule \(rule) does not exist on EventBus \(bus.name).") }
            var failed: [FailedTarget] = []
            for id in ids {
                if let position = ruleState.targets.firstIndex(where: { $0.id == id }) {
                    ruleState.targets.remove(at: position)
                } else {
                    failed.append(FailedTarget(targetID: id, errorCode: "ResourceNotFoundException",
                                               errorMessage: "Target \(id) does not exist on rule \(rule)."))
                }
            }
            bus.rules[rule] = ruleState
            return failed
        }
    }

    /// ListTargetsByRule.
    public func listTargets(account: String, region: String, rule: String, eventBusName: String? = nil) throws(APIError) -> [TargetConfiguration] {
        try withBus(account: account, region: region, eventBusName) { (_, _, bus) throws(APIError) -> [TargetConfiguration] in
            guard let ruleState = bus.rules[rule] else { throw .notFound("Rule \(rule) does not exist on EventBus \(bus.name).") }
            return ruleState.targets
        }
    }

    /// ListRuleNamesByTarget.
    public func ruleNames(account: String, region: String, targetArn: String, eventBusName: String? = nil) throws(APIError) -> [String] {
        try withBus(account: account, region: region, eventBusName) { (_, _, bus) throws(APIError) -> [String] in
            bus.ruleOrder.filter { bus.rules[$0]?.targets.contains { $0.arn == targetArn } ?? false }
        }
    }
}
