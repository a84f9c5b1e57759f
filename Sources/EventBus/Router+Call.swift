import EventInput
import EventPatterns
import EventSchedule
import EventTargets

/// The JSON operation entry point: AWS's service, operation and parameter names in, AWS's response
/// shapes and error codes out. This is what the C ABI, Python and `eventrouter run` drive.
///
/// Services and operations:
/// - `events`: CreateEventBus, DeleteEventBus, DescribeEventBus, ListEventBuses, PutRule, DeleteRule,
///   DescribeRule, ListRules, EnableRule, DisableRule, PutTargets, RemoveTargets, ListTargetsByRule,
///   ListRuleNamesByTarget, PutEvents, TestEventPattern, PutPermission, RemovePermission,
///   CreateArchive, DescribeArchive, ListArchives, UpdateArchive, DeleteArchive, StartReplay, DescribeReplay.
///   Its List operations take `Limit` and `NextToken`.
/// - `sqs`: CreateQueue, GetQueueUrl, SendMessage, ReceiveMessage, DeleteMessage, GetQueueAttributes, ListQueues,
///   PurgeQueue, DeleteQueue.
/// - `lambda`: CreateFunction (scripted: `FailFirst`, `FailureRate`, `Seed`), ListInvocations.
/// - `scheduler`: CreateSchedule, GetSchedule, DeleteSchedule, ListSchedules (EventBridge Scheduler).
/// - `organizations`: JoinOrganization (`OrganizationId`), for `aws:PrincipalOrgID` conditions.
/// - `router`: GetMetrics (`RuleArn`), GetAccounting.
/// - any attached `SimulatedService` under its name (`batch`, `emr`, `elbv2`): see `attach(_:)`.
extension Router {
    public func call(service: String, operation: String, account: String, region: String, params: JSONValue) throws(APIError) -> JSONValue {
        try Self.validateAccount(account)
        guard case .object(let p) = params else { throw .validation("Parameters must be a JSON object.") }
        let a = Params(p)
        switch (service, operation) {
        case ("events", "CreateEventBus"):
            let arn = try createEventBus(account: account, region: region, name: try a.string("Name"), description: try a.optionalString("Description"))
            var members: [(String, JSONValue)] = [("EventBusArn", .string(arn))]
            if let description = try a.optionalString("Description") { members.append(("Description", .string(description))) }
            return .object(JSONObject(members))
        case ("events", "DeleteEventBus"):
            try deleteEventBus(account: account, region: region, name: try a.string("Name"))
            return .object(JSONObject())
        case ("events", "DescribeEventBus"):
            return try describeEventBus(account: account, region: region, name: try a.optionalString("Name"))
        case ("events", "ListEventBuses"):
            let buses = try a.page(try listEventBuses(account: account, region: region, namePrefix: try a.optionalString("NamePrefix")))
            return Self.listing("EventBuses", Array(buses.items), nextToken: buses.nextToken)
        case ("events", "PutRule"):
            let arn = try putRule(account: account, region: region, name: try a.string("Name"), eventBusName: try a.optionalString("EventBusName"),
                                  eventPattern: try a.optionalString("EventPattern"), scheduleExpression: try a.optionalString("ScheduleExpression"),
                                  state: try a.optionalString("State"), description: try a.optionalString("Description"),
                                  roleArn: try a.optionalString("RoleArn"))
            return .object(JSONObject([("RuleArn", .string(arn))]))
        case ("events", "DeleteRule"):
            try deleteRule(account: account, region: region, name: try a.string("Name"), eventBusName: try a.optionalString("EventBusName"))
            return .object(JSONObject())
        case ("events", "DescribeRule"):
            return Self.ruleJSON(try describeRule(account: account, region: region, name: try a.string("Name"),
                                                  eventBusName: try a.optionalString("EventBusName")), describe: true)
        case ("events", "ListRules"):
            let rules = try a.page(try listRules(account: account, region: region, eventBusName: try a.optionalString("EventBusName"),
                                                 namePrefix: try a.optionalString("NamePrefix")))
            return Self.listing("Rules", rules.items.map { Self.ruleJSON($0, describe: false) }, nextToken: rules.nextToken)
        case ("events", "EnableRule"), ("events", "DisableRule"):
            try setRuleEnabled(account: account, region: region, name: try a.string("Name"), eventBusName: try a.optionalString("EventBusName"),
                               enabled: operation == "EnableRule")
            return .object(JSONObject())
        case ("events", "PutTargets"):
            // Every constraint the request breaks is reported together, in the model's member
            // order, as AWS does: the input members' (TargetInput) beside putTargets' own. Only
            // then do the checks beyond constraints (a template's placeholders, …) speak.
            var targets: [TargetConfiguration] = []
            var inputViolations: [ConstraintViolation] = []
            var inputError: APIError?
            for (index, value) in try a.array("Targets").enumerated() {
                let parsed = try Self.target(from: value, index: index)
                targets.append(parsed.target)
                inputViolations += parsed.violations
                if inputError == nil { inputError = parsed.error }
            }
            let rule = try a.optionalString("Rule")
            let eventBusName = try a.optionalString("EventBusName")
            var violations = Self.putTargetsViolations(rule: rule, eventBusName: eventBusName, targets: targets)
            violations.mergeTargetViolations(inputViolations)
            try violations.check()
            if let inputError { throw inputError }
            let failed = try storeTargets(account: account, region: region, rule: rule ?? "", eventBusName: eventBusName, targets: targets)
            return Self.failedEntries(failed)
        case ("events", "RemoveTargets"):
            let ids = try a.array("Ids").map { (value) throws(APIError) -> String in
                guard case .string(let id) = value else { throw .validation("Ids must be strings.") }
                return id
            }
            let failed = try removeTargets(account: account, region: region, rule: try a.string("Rule"),
                                           eventBusName: try a.optionalString("EventBusName"), ids: ids)
            return Self.failedEntries(failed)
        case ("events", "ListTargetsByRule"):
            let targets = try a.page(try listTargets(account: account, region: region, rule: try a.string("Rule"),
                                                     eventBusName: try a.optionalString("EventBusName")))
            return Self.listing("Targets", targets.items.map(Self.targetJSON), nextToken: targets.nextToken)
        case ("events", "ListRuleNamesByTarget"):
            let names = try a.page(try ruleNames(account: account, region: region, targetArn: try a.string("TargetArn"),
                                                 eventBusName: try a.optionalString("EventBusName")))
            return Self.listing("RuleNames", names.items.map(JSONValue.string), nextToken: names.nextToken)
        case ("events", "PutEvents"):
            let entries = try a.array("Entries").map { (value) throws(APIError) -> PutEventsEntry in try Self.entry(from: value) }
            let results = try putEvents(account: account, region: region, entries: entries)
            let failed = results.filter { $0.errorCode != nil }.count
            return .object(JSONObject([
                ("FailedEntryCount", .number(JSONNumber(Double(failed)))),
                ("Entries", .array(results.map { result in
                    if let code = result.errorCode {
                        return .object(JSONObject([("ErrorCode", .string(code)), ("ErrorMessage", .string(result.errorMessage ?? ""))]))
                    }
                    return .object(JSONObject([("EventId", .string(result.eventID ?? ""))]))
                })),
            ]))
        case ("events", "TestEventPattern"):
            let result = try testEventPattern(pattern: try a.string("EventPattern"), event: try a.string("Event"))
            return .object(JSONObject([("Result", .bool(result))]))
        case ("events", "PutPermission"):
            if let policy = try a.optionalString("Policy") {
                try putPolicy(account: account, region: region, eventBusName: try a.optionalString("EventBusName"), policy: policy)
                return .object(JSONObject())
            }
            var organization: String? = nil
            if let condition = a.object["Condition"] {
                guard case .string(let type)? = condition["Type"], type == "StringEquals",
                      case .string(let key)? = condition["Key"], key == "aws:PrincipalOrgID",
                      case .string(let value)? = condition["Value"] else {
                    throw .validation("Condition must be {Type: StringEquals, Key: aws:PrincipalOrgID, Value: <org id>}.")
                }
                organization = value
            }
            try putPermission(account: account, region: region, eventBusName: try a.optionalString("EventBusName"),
                              action: try a.optionalString("Action") ?? "events:PutEvents", principal: try a.string("Principal"),
                              statementID: try a.string("StatementId"), organizationID: organization)
            return .object(JSONObject())
        case ("events", "RemovePermission"):
            try removePermission(account: account, region: region, eventBusName: try a.optionalString("EventBusName"),
                                 statementID: try a.optionalString("StatementId"), removeAll: try a.optionalBool("RemoveAllPermissions") ?? false)
            return .object(JSONObject())
        case ("events", "CreateArchive"):
            let arn = try createArchive(account: account, region: region, name: try a.string("ArchiveName"),
                                        eventSourceArn: try a.string("EventSourceArn"), eventPattern: try a.optionalString("EventPattern"),
                                        description: try a.optionalString("Description"), retentionDays: try a.optionalInt("RetentionDays") ?? 0)
            return .object(JSONObject([("ArchiveArn", .string(arn)), ("State", .string("ENABLED")),
                                       ("CreationTime", .string(clock.now().iso8601))]))
        case ("events", "DescribeArchive"):
            return try describeArchive(account: account, region: region, name: try a.string("ArchiveName"))
        case ("events", "ListArchives"):
            let archives = try a.page(try listArchives(account: account, region: region, namePrefix: try a.optionalString("NamePrefix"),
                                                       eventSourceArn: try a.optionalString("EventSourceArn")))
            return Self.listing("Archives", Array(archives.items), nextToken: archives.nextToken)
        case ("events", "UpdateArchive"):
            return try updateArchive(account: account, region: region, name: try a.string("ArchiveName"),
                                     eventPattern: try a.optionalString("EventPattern"), description: try a.optionalString("Description"),
                                     retentionDays: try a.optionalInt("RetentionDays"))
        case ("events", "DeleteArchive"):
            try deleteArchive(account: account, region: region, name: try a.string("ArchiveName"))
            return .object(JSONObject())
        case ("events", "StartReplay"):
            guard case .object(let destination)? = a.object["Destination"], case .string(let destinationArn)? = destination["Arn"] else {
                throw .validation("Destination.Arn is required.")
            }
            var filters: [String]? = nil
            if case .array(let list)? = destination["FilterArns"] {
                filters = list.compactMap { if case .string(let arn) = $0 { return arn } else { return nil } }
            }
            return try startReplay(account: account, region: region, name: try a.string("ReplayName"), archiveArn: try a.string("EventSourceArn"),
                                   start: try a.instant("EventStartTime"), end: try a.instant("EventEndTime"),
                                   destinationArn: destinationArn, filterArns: filters)
        case ("events", "DescribeReplay"):
            return try describeReplay(account: account, region: region, name: try a.string("ReplayName"))

        case ("sqs", "CreateQueue"):
            let arn = try createQueue(account: account, region: region, name: try a.string("QueueName"))
            return .object(JSONObject([("QueueUrl", .string(queueURL(arn: arn) ?? "")), ("QueueArn", .string(arn))]))
        case ("sqs", "GetQueueUrl"):
            let arn = queueArn(try a.string("QueueName"), account: account, region: region)
            guard let url = queueURL(arn: arn) else {
                throw APIError("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
            }
            return .object(JSONObject([("QueueUrl", .string(url))]))
        case ("sqs", "ReceiveMessage"):
            let arn = queueArn(try a.string("QueueUrl"), account: account, region: region)
            let messages = try receiveMessages(arn: arn, maximum: try a.optionalInt("MaxNumberOfMessages") ?? 1)
            return .object(JSONObject([("Messages", .array(messages.map { message in
                var members: [(String, JSONValue)] = [("MessageId", .string(message.messageID)), ("ReceiptHandle", .string(message.receiptHandle)),
                                                      ("Body", .string(message.body))]
                if !message.attributes.isEmpty {
                    members.append(("MessageAttributes", .object(JSONObject(message.attributes.sorted { $0.key < $1.key }.map { key, value in
                        (key, .object(JSONObject([("DataType", .string("String")), ("StringValue", .string(value))])))
                    }))))
                }
                return .object(JSONObject(members))
            }))]))
        case ("sqs", "DeleteMessage"):
            try deleteMessage(arn: queueArn(try a.string("QueueUrl"), account: account, region: region), receiptHandle: try a.string("ReceiptHandle"))
            return .object(JSONObject())
        case ("sqs", "GetQueueAttributes"):
            let arn = queueArn(try a.string("QueueUrl"), account: account, region: region)
            let counts = try queueCounts(arn: arn)
            return .object(JSONObject([("Attributes", .object(JSONObject([
                ("QueueArn", .string(arn)), ("ApproximateNumberOfMessages", .string(String(counts.visible))),
                ("ApproximateNumberOfMessagesNotVisible", .string(String(counts.inFlight))),
            ])))]))

        case ("sqs", "SendMessage"):
            var attributes: [(String, String)] = []
            if case .object(let map)? = a.object["MessageAttributes"] {
                for (name, value) in map.members {
                    guard case .string(let text)? = value["StringValue"] else {
                        throw APIError("InvalidParameterValue", "Message attribute \(name) must have a StringValue.")
                    }
                    attributes.append((name, text))
                }
            }
            let id = try sendMessage(arn: queueArn(try a.string("QueueUrl"), account: account, region: region),
                                     body: try a.string("MessageBody"), attributes: attributes)
            return .object(JSONObject([("MessageId", .string(id))]))
        case ("sqs", "ListQueues"):
            let urls = listQueues(account: account, region: region, namePrefix: try a.optionalString("QueueNamePrefix"))
            return urls.isEmpty ? .object(JSONObject()) : .object(JSONObject([("QueueUrls", .array(urls.map(JSONValue.string)))]))
        case ("sqs", "PurgeQueue"):
            try purgeQueue(arn: queueArn(try a.string("QueueUrl"), account: account, region: region))
            return .object(JSONObject())
        case ("sqs", "DeleteQueue"):
            try deleteQueue(arn: queueArn(try a.string("QueueUrl"), account: account, region: region))
            return .object(JSONObject())
        case ("lambda", "CreateFunction"):
            let arn = try createScriptedFunction(account: account, region: region, name: try a.string("FunctionName"),
                                                 failFirst: try a.optionalInt("FailFirst") ?? 0, failureRate: try a.optionalDouble("FailureRate") ?? 0,
                                                 seed: UInt64(max(try a.optionalInt("Seed") ?? 1, 0)))
            return .object(JSONObject([("FunctionName", .string(try a.string("FunctionName"))), ("FunctionArn", .string(arn))]))
        case ("lambda", "ListInvocations"):
            let arn = ARN.function(region: region, account: account, name: try a.string("FunctionName"))
            let invocations = functionInvocations(arn: arn)
            return .object(JSONObject([("Invocations", .array(invocations.map { request in
                .object(JSONObject([("Input", request.input.reportValue), ("Attempt", .number(JSONNumber(Double(request.attempt)))),
                                    ("RuleArn", .string(request.ruleArn)), ("Time", .string(request.time.iso8601))]))
            }))]))

        case ("scheduler", "CreateSchedule"):
            guard case .object(let targetObject)? = a.object["Target"] else { throw .validation("Target is required.") }
            let t = Params(targetObject)
            var retry = RetryPolicy()
            if case .object(let policy)? = targetObject["RetryPolicy"] {
                let r = Params(policy)
                if let attempts = try r.optionalInt("MaximumRetryAttempts") { retry.maximumRetryAttempts = attempts }
                if let age = try r.optionalInt("MaximumEventAgeInSeconds") { retry.maximumEventAgeInSeconds = age }
            }
            var dlq: String? = nil
            if case .object(let config)? = targetObject["DeadLetterConfig"] { dlq = try Params(config).optionalString("Arn") }
            var source: String? = nil, detailType: String? = nil
            if case .object(let parameters)? = targetObject["EventBridgeParameters"] {
                source = try Params(parameters).optionalString("Source")
                detailType = try Params(parameters).optionalString("DetailType")
            }
            var window = 0
            if case .object(let flexible)? = a.object["FlexibleTimeWindow"] {
                let f = Params(flexible)
                if try f.optionalString("Mode") == "FLEXIBLE" { window = try f.optionalInt("MaximumWindowInMinutes") ?? 0 }
            }
            let arn = try createSchedule(account: account, region: region, name: try a.string("Name"),
                                         groupName: try a.optionalString("GroupName") ?? "default",
                                         expression: try a.string("ScheduleExpression"), timeZone: try a.optionalString("ScheduleExpressionTimezone"),
                                         startDate: try a.optionalInstant("StartDate"), endDate: try a.optionalInstant("EndDate"),
                                         flexibleWindowMinutes: window, enabled: (try a.optionalString("State") ?? "ENABLED") == "ENABLED",
                                         deleteAfterCompletion: try a.optionalString("ActionAfterCompletion") == "DELETE",
                                         targetArn: try t.string("Arn"), input: try t.optionalString("Input"), retryPolicy: retry,
                                         deadLetterArn: dlq, eventSource: source, eventDetailType: detailType)
            return .object(JSONObject([("ScheduleArn", .string(arn))]))
        case ("scheduler", "GetSchedule"):
            let schedule = try getSchedule(account: account, region: region, name: try a.string("Name"),
                                           groupName: try a.optionalString("GroupName") ?? "default")
            var members: [(String, JSONValue)] = [
                ("Name", .string(schedule.name)), ("GroupName", .string(schedule.groupName)), ("Arn", .string(schedule.arn)),
                ("ScheduleExpression", .string(schedule.expression)), ("State", .string(schedule.enabled ? "ENABLED" : "DISABLED")),
                ("FlexibleTimeWindow", .object(JSONObject(schedule.flexibleWindowMinutes == 0 ? [("Mode", .string("OFF"))]
                    : [("Mode", .string("FLEXIBLE")), ("MaximumWindowInMinutes", .number(JSONNumber(Double(schedule.flexibleWindowMinutes))))]))),
                ("Target", .object(JSONObject([("Arn", .string(schedule.target.arn)), ("Input", .string(schedule.input))]))),
                ("ActionAfterCompletion", .string(schedule.deleteAfterCompletion ? "DELETE" : "NONE")),
                ("CreationDate", .string(schedule.created.iso8601)),
            ]
            if let zone = schedule.timeZone { members.append(("ScheduleExpressionTimezone", .string(zone))) }
            if let start = schedule.startDate { members.append(("StartDate", .string(start.iso8601))) }
            if let end = schedule.endDate { members.append(("EndDate", .string(end.iso8601))) }
            return .object(JSONObject(members))
        case ("scheduler", "DeleteSchedule"):
            try deleteSchedule(account: account, region: region, name: try a.string("Name"), groupName: try a.optionalString("GroupName") ?? "default")
            return .object(JSONObject())
        case ("scheduler", "ListSchedules"):
            let schedules = listSchedules(account: account, region: region, namePrefix: try a.optionalString("NamePrefix"),
                                          groupName: try a.optionalString("GroupName"))
            return .object(JSONObject([("Schedules", .array(schedules.map { schedule in
                .object(JSONObject([("Name", .string(schedule.name)), ("GroupName", .string(schedule.groupName)), ("Arn", .string(schedule.arn)),
                                    ("State", .string(schedule.enabled ? "ENABLED" : "DISABLED")),
                                    ("Target", .object(JSONObject([("Arn", .string(schedule.target.arn))])))]))
            }))]))

        case ("organizations", "JoinOrganization"):
            setOrganization(account: account, organizationID: try a.string("OrganizationId"))
            return .object(JSONObject())

        case ("router", "GetMetrics"):
            let metrics = self.metrics(ruleArn: try a.string("RuleArn"))
            return .object(JSONObject(metrics.named.map { ($0.0, .number(JSONNumber(Double($0.1)))) }))
        case ("router", "GetAccounting"):
            let accounting = self.accounting
            return .object(JSONObject([("Matched", .number(JSONNumber(Double(accounting.matched)))),
                                       ("Delivered", .number(JSONNumber(Double(accounting.delivered)))),
                                       ("DeadLettered", .number(JSONNumber(Double(accounting.deadLettered)))),
                                       ("Dropped", .number(JSONNumber(Double(accounting.dropped)))),
                                       ("InFlight", .number(JSONNumber(Double(accounting.inFlight))))]))
        default:
            guard let simulated = attachedService(named: service) else { throw .unknownOperation(service, operation) }
            let result = try simulated.call(operation: operation, account: account, region: region, params: p)
            // The call may have created work (a submitted job, a starting cluster): a live router
            // arms its dispatcher for it.
            if !clock.isManual { scheduleDispatch() }
            return result
        }
    }

    static func ruleJSON(_ rule: RuleDescription, describe: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [("Name", .string(rule.name)), ("Arn", .string(rule.arn))]
        if let pattern = rule.eventPattern { members.append(("EventPattern", .string(pattern))) }
        if let schedule = rule.scheduleExpression { members.append(("ScheduleExpression", .string(schedule))) }
        members.append(("State", .string(rule.state)))
        if let description = rule.description { members.append(("Description", .string(description))) }
        if let role = rule.roleArn { members.append(("RoleArn", .string(role))) }
        members.append(("EventBusName", .string(rule.eventBusName)))
        if describe { members.append(("CreatedBy", .string(rule.createdBy))) }
        return .object(JSONObject(members))
    }

    /// A listing response: `{key: [items], "NextToken": token}`, the token only when more pages remain.
    static func listing(_ key: String, _ items: [JSONValue], nextToken: String?) -> JSONValue {
        var members: [(String, JSONValue)] = [(key, .array(items))]
        if let nextToken { members.append(("NextToken", .string(nextToken))) }
        return .object(JSONObject(members))
    }

    static func failedEntries(_ failed: [FailedTarget]) -> JSONValue {
        .object(JSONObject([
            ("FailedEntryCount", .number(JSONNumber(Double(failed.count)))),
            ("FailedEntries", .array(failed.map {
                .object(JSONObject([("TargetId", .string($0.targetID)), ("ErrorCode", .string($0.errorCode)),
                                    ("ErrorMessage", .string($0.errorMessage))]))
            })),
        ]))
    }

    static func targetJSON(_ target: TargetConfiguration) -> JSONValue {
        var members: [(String, JSONValue)] = [("Id", .string(target.id)), ("Arn", .string(target.arn))]
        members.append(contentsOf: target.input.jsonMembers.map { ($0.key, $0.value) })
        if let role = target.roleArn { members.append(("RoleArn", .string(role))) }
        if target.retryPolicy != RetryPolicy() {
            members.append(("RetryPolicy", .object(JSONObject([
                ("MaximumRetryAttempts", .number(JSONNumber(Double(target.retryPolicy.maximumRetryAttempts)))),
                ("MaximumEventAgeInSeconds", .number(JSONNumber(Double(target.retryPolicy.maximumEventAgeInSeconds)))),
            ]))))
        }
        if let dlq = target.deadLetterArn { members.append(("DeadLetterConfig", .object(JSONObject([("Arn", .string(dlq))])))) }
        members.append(contentsOf: target.parameters.members.map { ($0.key, $0.value) })
        return .object(JSONObject(members))
    }

    /// A `Target` object of PutTargets (element `index` of `Targets`). When its input members are
    /// rejected, the target carries no input (`.event`) and `violations` (model constraints) or
    /// `error` (a check beyond them) says why; the caller reports them after the constraints of
    /// the whole request.
    static func target(from value: JSONValue, index: Int) throws(APIError)
        -> (target: TargetConfiguration, violations: [ConstraintViolation], error: APIError?) {
        guard case .object(let object) = value else { throw .validation("Targets must be objects.") }
        let a = Params(object)
        // A missing Id or Arn is TargetInput's violation (`targets.N.member.id`: must not be
        // null); the stand-ins break no constraint of their own, and the request fails anyway.
        let id = try a.optionalString("Id") ?? "-"
        let arn = try a.optionalString("Arn") ?? "-"
        var input = TargetInput.event
        var violations: [ConstraintViolation] = []
        var inputError: APIError?
        do {
            input = try TargetInput(target: value, memberIndex: index + 1)
        } catch {
            // A member of the wrong JSON type means the request has not the API's shape at all.
            if error.code == .serializationException { throw APIError(error.code.name, error.message) }
            if error.violations.isEmpty { inputError = APIError(error.code.name, error.message) } else { violations = error.violations }
        }
        var retry = RetryPolicy()
        if case .object(let policy)? = object["RetryPolicy"] {
            let r = Params(policy)
            if let attempts = try r.optionalInt("MaximumRetryAttempts") { retry.maximumRetryAttempts = attempts }
            if let age = try r.optionalInt("MaximumEventAgeInSeconds") { retry.maximumEventAgeInSeconds = age }
        }
        var dlq: String? = nil
        if case .object(let config)? = object["DeadLetterConfig"] { dlq = try Params(config).optionalString("Arn") }
        var parameters = JSONObject()
        for member in object.members where member.key.hasSuffix("Parameters") {
            guard case .object = member.value else { throw .validation("\(member.key) must be a structure.") }
            parameters[member.key] = member.value
        }
        let target = TargetConfiguration(id: id, arn: arn, input: input, retryPolicy: retry,
                                         deadLetterArn: dlq, roleArn: try a.optionalString("RoleArn"), parameters: parameters)
        return (target, violations, inputError)
    }

    /// A PutEvents entry.
    static func entry(from value: JSONValue) throws(APIError) -> PutEventsEntry {
        guard case .object(let object) = value else { throw .validation("Entries must be objects.") }
        let a = Params(object)
        var resources: [String] = []
        if case .array(let list)? = object["Resources"] {
            for item in list {
                guard case .string(let arn) = item else { throw .validation("Resources must be strings.") }
                resources.append(arn)
            }
        }
        return PutEventsEntry(source: try a.optionalString("Source"), detailType: try a.optionalString("DetailType"),
                              detail: try a.optionalString("Detail"), resources: resources,
                              time: try a.optionalInstant("Time"),
                              eventBusName: try a.optionalString("EventBusName"), traceHeader: try a.optionalString("TraceHeader"))
    }
}

/// Typed access to request parameters, with AWS-style errors for missing or mistyped ones.
struct Params {
    let object: JSONObject
    init(_ object: JSONObject) { self.object = object }

    func string(_ name: String) throws(APIError) -> String {
        guard let value = try optionalString(name) else {
            throw .validation("1 validation error detected: Value null at '\(name.prefix(1).lowercased() + name.dropFirst())' failed to satisfy constraint: Member must not be null")
        }
        return value
    }

    func optionalString(_ name: String) throws(APIError) -> String? {
        switch object[name] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw APIError("SerializationException", "Parameter \(name) must be a string.")
        }
    }

    func optionalInt(_ name: String) throws(APIError) -> Int? {
        switch object[name] {
        case nil, .null?: return nil
        case .number(let number)? where number.value == number.value.rounded() && abs(number.value) < 1e15: return Int(number.value)
        default: throw APIError("SerializationException", "Parameter \(name) must be an integer.")
        }
    }

    func optionalDouble(_ name: String) throws(APIError) -> Double? {
        switch object[name] {
        case nil, .null?: return nil
        case .number(let number)?: return number.value
        default: throw APIError("SerializationException", "Parameter \(name) must be a number.")
        }
    }

    func optionalBool(_ name: String) throws(APIError) -> Bool? {
        switch object[name] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw APIError("SerializationException", "Parameter \(name) must be a boolean.")
        }
    }

    func array(_ name: String) throws(APIError) -> [JSONValue] {
        switch object[name] {
        case .array(let list)?: return list
        case nil, .null?: throw .validation("1 validation error detected: Value null at '\(name.prefix(1).lowercased() + name.dropFirst())' failed to satisfy constraint: Member must not be null")
        default: throw APIError("SerializationException", "Parameter \(name) must be a list.")
        }
    }

    /// One page of a listing: at most `Limit` (1–100) items, from where `NextToken` points, and the
    /// token of the next page when items remain (as on AWS, the last page has no token). AWS's
    /// tokens are opaque; ours are offsets into the listing.
    func page<Item>(_ items: [Item]) throws(APIError) -> (items: ArraySlice<Item>, nextToken: String?) {
        let limit = try optionalInt("Limit")
        if let limit, limit < 1 {
            throw Constraint.violation(String(limit), at: "limit", "Member must have value greater than or equal to 1")
        }
        if let limit, limit > 100 {
            throw Constraint.violation(String(limit), at: "limit", "Member must have value less than or equal to 100")
        }
        var start = 0
        if let token = try optionalString("NextToken") {
            guard let offset = Int(token), offset >= 0, offset <= items.count else {
                throw .validation("The NextToken is not valid.")
            }
            start = offset
        }
        let end = limit.map { min(items.count, start + $0) } ?? items.count
        return (items[start..<end], end < items.count ? String(end) : nil)
    }

    /// A timestamp, or nil when absent or null.
    func optionalInstant(_ name: String) throws(APIError) -> Instant? {
        switch object[name] {
        case nil, .null?: return nil
        default: return try instant(name)
        }
    }

    /// A timestamp: epoch seconds (a number) or ISO-8601 text, between years 0 and 9999.
    func instant(_ name: String) throws(APIError) -> Instant {
        switch object[name] {
        case .number(let number)? where number.value.isFinite && number.value >= -62_135_596_800 && number.value < 253_402_300_800:
            return Instant(secondsSince1970: Int64(number.value.rounded(.down)))
        case .string(let text)?:
            do { return try Instant(iso8601: text) } catch { throw APIError("SerializationException", "Parameter \(name) is not a valid timestamp.") }
        default:
            throw APIError("SerializationException", "Parameter \(name) must be a timestamp.")
        }
    }
}
