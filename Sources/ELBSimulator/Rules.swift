import EventPatterns
import EventTargets

extension State {
    static let rulesPerLoadBalancer = 100

    mutating func createRule(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let listener = try listener(try p.string("ListenerArn"), scope)
        let lb = try loadBalancer(listener.loadBalancerArn, scope)
        guard lb.type == .application else {
            throw ServiceError("ValidationError", "Listener rules are supported only by Application Load Balancers")
        }
        guard let priority = try p.optionalInt("Priority") else { throw ServiceError("ValidationError", "A rule priority must be specified") }
        try checkPriority(priority)
        if rules.values.contains(where: { $0.listenerArn == listener.arn && $0.priority == priority }) {
            throw ServiceError("PriorityInUse", "The specified priority is in use.")
        }
        let conditionItems = try p.objects("Conditions")
        guard !conditionItems.isEmpty else { throw ServiceError("ValidationError", "At least one condition must be specified") }
        let conditions = try Conditions.parse(conditionItems)
        let actions = try parseActions(try p.objects("Actions"), name: "Actions", lb: lb, listener: listener, scope: scope)
        let count = rules.values.filter { !$0.isDefault && listeners[$0.listenerArn]?.loadBalancerArn == lb.arn }.count
        guard count < Self.rulesPerLoadBalancer else {
            throw ServiceError("TooManyRules", "You've reached the limit on the number of rules per load balancer")
        }
        let listenerID = listener.arn.split(separator: "/").last.map(String.init) ?? ""
        let arn = "\(scope.arnPrefix)listener-rule/\(lb.idPart)/\(listenerID)/\(random.hex(16))"
        let rule = Rule(arn: arn, listenerArn: listener.arn, priority: priority, conditions: conditions, actions: actions, sequence: nextSequence())
        rules[arn] = rule
        restartHealthChecksForNewUse(actions.flatMap { $0.action.targetGroupArns })
        ruleEvent(rule, change: "CreateRule")
        return .members([("Rules", .array([describe(rule)]))])
    }

    func checkPriority(_ priority: Int) throws(ServiceError) {
        guard (1...50_000).contains(priority) else {
            throw ServiceError("ValidationError", "Priority '\(priority)' must be between 1 and 50000")
        }
    }

    mutating func modifyRule(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        var rule = try rule(try p.string("RuleArn"), scope)
        guard p.has("Conditions") || p.has("Actions") else {
            throw ServiceError("ValidationError", "Either conditions or actions must be specified")
        }
        let listener = try listener(rule.listenerArn, scope)
        let lb = try loadBalancer(listener.loadBalancerArn, scope)
        if p.has("Conditions") {
            guard !rule.isDefault else {
                throw ServiceError("OperationNotPermitted", "Conditions cannot be specified for the default rule")
            }
            let items = try p.objects("Conditions")
            guard !items.isEmpty else { throw ServiceError("ValidationError", "At least one condition must be specified") }
            rule.conditions = try Conditions.parse(items)
        }
        if p.has("Actions") {
            rule.actions = try parseActions(try p.objects("Actions"), name: "Actions", lb: lb, listener: listener, scope: scope)
        }
        rules[rule.arn] = rule
        restartHealthChecksForNewUse(rule.actions.flatMap { $0.action.targetGroupArns })
        ruleEvent(rule, change: "ModifyRule")
        return .members([("Rules", .array([describe(rule)]))])
    }

    mutating func deleteRule(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let rule = try rule(try p.string("RuleArn"), scope)
        guard !rule.isDefault else { throw ServiceError("OperationNotPermitted", "The default rule cannot be deleted") }
        rules[rule.arn] = nil
        ruleEvent(rule, change: "DeleteRule")
        return .object(JSONObject())
    }

    func describeRules(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let arns = try p.strings("RuleArns")
        var result: [Rule] = []
        if !arns.isEmpty {
            for arn in arns { result.append(try rule(arn, scope)) }
        } else if let listenerArn = try p.optionalString("ListenerArn") {
            result = orderedRules(try listener(listenerArn, scope).arn)
        } else {
            throw ServiceError("ValidationError", "You must specify either listener rule ARNs or a listener ARN")
        }
        return .members([("Rules", .array(result.map(describe)))])
    }

    /// A listener's rules in evaluation order: ascending priority, the default rule last.
    func orderedRules(_ listenerArn: String) -> [Rule] {
        rules.values.filter { $0.listenerArn == listenerArn }.sorted { a, b in
            switch (a.priority, b.priority) {
            case let (x?, y?): return x < y
            case (nil, _?): return false
            case (_?, nil): return true
            case (nil, nil): return a.sequence < b.sequence
            }
        }
    }

    mutating func setRulePriorities(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let entries = try p.objects("RulePriorities")
        guard !entries.isEmpty else { throw ServiceError("ValidationError", "RulePriorities must not be empty") }
        var changes: [(rule: Rule, priority: Int)] = []
        var seen: Set<Int> = []
        var seenRules: Set<String> = []
        for entry in entries {
            let rule = try rule(try entry.string("RuleArn"), scope)
            let priority = try entry.int("Priority")
            try checkPriority(priority)
            guard seen.insert(priority).inserted else {
                throw ServiceError("ValidationError", "Priority '\(priority)' was provided multiple times")
            }
            // One rule listed twice would get two priorities (and 50 000 entries of one rule made
            // the check below quadratic).
            guard seenRules.insert(rule.arn).inserted else {
                throw ServiceError("ValidationError", "Rule '\(rule.arn)' was provided multiple times")
            }
            guard !rule.isDefault else {
                throw ServiceError("OperationNotPermitted", "The default rule's priority cannot be changed")
            }
            changes.append((rule, priority))
        }
        let moving = Set(changes.map(\.rule.arn))
        // The priorities the other rules keep, per listener (one pass over the rules). The new
        // priorities are distinct among themselves (checked above).
        var kept: Set<String> = []
        for rule in rules.values where !moving.contains(rule.arn) {
            if let priority = rule.priority { kept.insert("\(priority)|\(rule.listenerArn)") }
        }
        for change in changes where kept.contains("\(change.priority)|\(change.rule.listenerArn)") {
            throw ServiceError("PriorityInUse", "The specified priority is in use.")
        }
        for change in changes {
            rules[change.rule.arn]?.priority = change.priority
            if let rule = rules[change.rule.arn] { ruleEvent(rule, change: "SetRulePriorities") }
        }
        return .members([("Rules", .array(changes.compactMap { rules[$0.rule.arn] }.map(describe)))])
    }

    /// Queues an "ELB Listener Rule Change" event.
    mutating func ruleEvent(_ rule: Rule, change: String) {
        guard let listener = listeners[rule.listenerArn], let lb = loadBalancers[listener.loadBalancerArn] else { return }
        let detail: JSONValue = .members([
            ("change", .str(change)), ("loadBalancerArn", .str(lb.arn)), ("listenerArn", .str(listener.arn)),
            ("ruleArn", .str(rule.arn)), ("priority", .str(rule.priority.map(String.init) ?? "default")),
            ("actionType", rule.terminal.map { .str($0.type) } ?? .null),
        ])
        pending.append(PendingEvent(account: lb.account, region: lb.region, detailType: "ELB Listener Rule Change",
                                    detail: detail, resources: [rule.arn, listener.arn, lb.arn]))
    }

    func describe(_ rule: Rule) -> JSONValue {
        .members([
            ("RuleArn", .str(rule.arn)), ("Priority", .str(rule.priority.map(String.init) ?? "default")),
            ("Conditions", .array(rule.conditions.map(\.original))), ("Actions", .array(rule.actions.map(describe))),
            ("IsDefault", .bool(rule.isDefault)),
        ])
    }
}
