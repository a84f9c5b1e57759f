import EventPatterns
import EventSchedule
import EventTargets

/// An EventBridge Scheduler schedule: `at`, `rate` or `cron` in an IANA zone, with an optional
/// start and end, a flexible time window, and one target invoked directly.
public struct SchedulerSchedule: Sendable {
    public var name: String
    public var groupName: String
    public var arn: String
    public var expression: String
    public var timeZone: String?
    public var startDate: Instant?
    public var endDate: Instant?
    /// 0 means OFF.
    public var flexibleWindowMinutes: Int
    public var enabled: Bool
    /// Delete the schedule after its last invocation (`ActionAfterCompletion: DELETE`).
    public var deleteAfterCompletion: Bool
    public var target: TargetConfiguration
    /// The text delivered (`Target.Input`); `{}` when none was given.
    public var input: String
    /// For event-bus targets: the event's source and detail-type (`EventBridgeParameters`).
    public var eventSource: String?
    public var eventDetailType: String?
    public var created: Instant
}

struct SchedulerState: Sendable {
    var schedule: SchedulerSchedule
    var account: String
    var region: String
    var zoned: ZonedSchedule
    var next: Invocation?
}

extension Router {
    static func schedulerArn(region: String, account: String, group: String, name: String) -> String {
        "arn:aws:scheduler:\(region):\(account):schedule/\(group)/\(name)"
    }

    /// CreateSchedule (EventBridge Scheduler). Returns the schedule ARN.
    @discardableResult
    public func createSchedule(account: String, region: String, name: String, groupName: String = "default", expression: String,
                               timeZone: String? = nil, startDate: Instant? = nil, endDate: Instant? = nil, flexibleWindowMinutes: Int = 0,
                               enabled: Bool = true, deleteAfterCompletion: Bool = false, targetArn: String, input: String? = nil,
                               retryPolicy: RetryPolicy = RetryPolicy(), deadLetterArn: String? = nil,
                               eventSource: String? = nil, eventDetailType: String? = nil) throws(APIError) -> String {
        try Self.validateAccount(account)
        if name.isEmpty || name.count > 64 || !name.utf8.allSatisfy(Constraint.isNameCharacter) {
            throw Constraint.violation(name, at: "name", "Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+")
        }
        if let input, (try? JSONReader.parse(input)) == nil && !input.isEmpty {
            // Scheduler passes text targets through; keep it, but a JSON-looking input must be JSON.
            if input.hasPrefix("{") || input.hasPrefix("[") { throw .validation("Target Input is not valid JSON.") }
        }
        if retryPolicy.maximumRetryAttempts < 0 || retryPolicy.maximumRetryAttempts > 185 {
            throw Constraint.violation(String(retryPolicy.maximumRetryAttempts), at: "target.retryPolicy.maximumRetryAttempts",
                                       "Member must have value between 0 and 185")
        }
        if retryPolicy.maximumEventAgeInSeconds < 60 || retryPolicy.maximumEventAgeInSeconds > 86_400 {
            throw Constraint.violation(String(retryPolicy.maximumEventAgeInSeconds), at: "target.retryPolicy.maximumEventAgeInSeconds",
                                       "Member must have value between 60 and 86400")
        }
        if ARN.parseEventBus(targetArn) != nil && (eventSource == nil || eventDetailType == nil) {
            throw .validation("EventBridgeParameters with Source and DetailType are required for an event bus target.")
        }
        let window: FlexibleTimeWindow
        do {
            window = flexibleWindowMinutes == 0 ? .off
                : try .flexible(maximumWindowInMinutes: flexibleWindowMinutes,
                                // A seed from the schedule's name: the same offsets on every run.
                                seed: name.utf8.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 })
        } catch {
            throw .validation("Invalid FlexibleTimeWindow: \(error.message)")
        }
        let now = clock.now()
        let zoned: ZonedSchedule
        do {
            zoned = try ZonedSchedule(expression: expression, timeZone: timeZone, startDate: startDate, endDate: endDate,
                                      flexibleTimeWindow: window, anchor: now)
        } catch {
            // AWS's text for an invalid expression; a bad zone is named as the zone, not the expression.
            if error.field == .timeZone {
                throw .validation("Invalid ScheduleExpressionTimezone \(timeZone ?? ""): \(error.message)")
            }
            throw .validation("Invalid Schedule Expression \(expression): \(error)")
        }
        let arn = Self.schedulerArn(region: region, account: account, group: groupName, name: name)
        let schedule = SchedulerSchedule(name: name, groupName: groupName, arn: arn, expression: expression, timeZone: timeZone,
                                         startDate: startDate, endDate: endDate, flexibleWindowMinutes: flexibleWindowMinutes,
                                         enabled: enabled, deleteAfterCompletion: deleteAfterCompletion,
                                         target: TargetConfiguration(id: name, arn: targetArn, retryPolicy: retryPolicy, deadLetterArn: deadLetterArn),
                                         input: input ?? "{}", eventSource: eventSource, eventDetailType: eventDetailType, created: now)
        try state.withLock { (state) throws(APIError) in
            if state.scheduler[arn] != nil { throw APIError("ConflictException", "Schedule \(name) already exists.") }
            state.scheduler[arn] = SchedulerState(schedule: schedule, account: account, region: region, zoned: zoned,
                                                  next: enabled ? zoned.nextInvocation(after: now) : nil)
        }
        scheduleDispatch()
        return arn
    }

    public func getSchedule(account: String, region: String, name: String, groupName: String = "default") throws(APIError) -> SchedulerSchedule {
        let arn = Self.schedulerArn(region: region, account: account, group: groupName, name: name)
        return try state.withLock { (state) throws(APIError) -> SchedulerSchedule in
            guard let entry = state.scheduler[arn] else { throw .notFound("Schedule \(name) does not exist.") }
            return entry.schedule
        }
    }

    public func deleteSchedule(account: String, region: String, name: String, groupName: String = "default") throws(APIError) {
        let arn = Self.schedulerArn(region: region, account: account, group: groupName, name: name)
        try state.withLock { (state) throws(APIError) in
            guard state.scheduler.removeValue(forKey: arn) != nil else { throw .notFound("Schedule \(name) does not exist.") }
        }
    }

    public func listSchedules(account: String, region: String, namePrefix: String? = nil, groupName: String? = nil) -> [SchedulerSchedule] {
        state.withLock { state in
            state.scheduler.values
                .filter { $0.account == account && $0.region == region }
                .map(\.schedule)
                .filter { schedule in namePrefix.map { schedule.name.hasPrefix($0) } ?? true }
                .filter { schedule in groupName.map { schedule.groupName == $0 } ?? true }
                .sorted { $0.name < $1.name }
        }
    }

    /// The next invocation time of a schedule (nil when it will not fire again).
    public func nextInvocation(scheduleArn: String) -> Instant? {
        state.withLock { $0.scheduler[scheduleArn]?.next?.time }
    }

    /// Invokes every Scheduler schedule due now. Called with the lock held.
    func fireDueSchedulerSchedules(now: Instant, state: inout State) {
        for (arn, entry) in state.scheduler {
            guard let invocation = entry.next, invocation.time <= now else { continue }
            let schedule = entry.schedule
            if let bus = ARN.parseEventBus(schedule.target.arn) {
                // An event-bus target receives an event whose detail is the schedule's input.
                let key = Self.ensureRegion(&state, account: bus.account, region: bus.region, now: now)
                let detail = (try? JSONReader.parse(schedule.input)).flatMap { value -> JSONValue? in
                    if case .object = value { return value } else { return nil }
                } ?? .object(JSONObject())
                state.accounting.matched += 1
                if let target = state.regions[key]?.buses[bus.name], bus.account == entry.account {
                    let event = Self.envelope(id: newID(&state), detailType: schedule.eventDetailType ?? "Scheduled Event",
                                              source: schedule.eventSource ?? "aws.scheduler", account: entry.account,
                                              time: invocation.fireTime, region: entry.region, resources: [arn], detail: detail)
                    route(event, to: target, account: bus.account, region: bus.region, hops: 0, ingestion: now, state: &state)
                    state.accounting.delivered += 1
                    record(.delivery, target: schedule.target, ruleArn: arn, input: DeliveredInput(json: event), attempt: 1, time: now, state: &state)
                } else {
                    state.accounting.dropped += 1
                    record(.dropped, target: schedule.target, ruleArn: arn, input: DeliveredInput(text: schedule.input, json: nil), attempt: 1,
                           time: now, error: ("NO_RESOURCE", "Event bus \(bus.name) does not exist or belongs to another account."), state: &state)
                }
            } else {
                let parsed = try? JSONReader.parse(schedule.input)
                let input = DeliveredInput(text: schedule.input, json: parsed)
                state.accounting.matched += 1
                state.sequence += 1
                state.pending.append(PendingDelivery(due: now, sequence: state.sequence, event: parsed ?? .string(schedule.input), input: input,
                                                     target: schedule.target, ruleArn: arn, ruleName: schedule.name, account: entry.account,
                                                     region: entry.region, attempt: 1, firstAttempt: now, hops: 0))
            }
            let next = entry.zoned.nextInvocation(after: invocation.time)
            if next == nil && schedule.deleteAfterCompletion {
                state.scheduler[arn] = nil
            } else {
                state.scheduler[arn]?.next = next
            }
        }
    }
}
