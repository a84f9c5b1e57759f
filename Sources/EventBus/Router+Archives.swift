import EventPatterns
import EventSchedule
import EventTargets

struct ArchiveState: Sendable {
    var name: String
    var arn: String
    var busArn: String
    var account: String
    var region: String
    var pattern: EventPattern?
    var patternText: String?
    var description: String?
    var retentionDays: Int
    var created: Instant
}

struct ReplayState: Sendable {
    var name: String
    var arn: String
    var archiveArn: String
    var destination: String
    var start: Instant
    var end: Instant
    var state: String
    var replayed: Int
}

extension Router {
    // MARK: - Archives

    /// CreateArchive on a bus of the caller's account; returns the archive ARN.
    @discardableResult
    public func createArchive(account: String, region: String, name: String, eventSourceArn: String, eventPattern: String? = nil,
                              description: String? = nil, retentionDays: Int = 0) throws(APIError) -> String {
        try Constraint.name(name, at: "archiveName", max: 48)
        var pattern: EventPattern? = nil
        if let eventPattern {
            do { pattern = try EventPattern(json: eventPattern) } catch { throw .invalidPattern(error.message) }
        }
        if retentionDays < 0 { throw Constraint.violation(String(retentionDays), at: "retentionDays", "Member must have value greater than or equal to 0") }
        guard let bus = ARN.parseEventBus(eventSourceArn) else {
            throw .validation("Parameter EventSourceArn is not valid. Reason: \(eventSourceArn) is not an event bus ARN.")
        }
        // Only the caller's own buses can be archived; another account's bus is "not found", as AWS answers.
        if bus.account != account || bus.region != region { throw .notFound("Event bus \(bus.name) does not exist.") }
        let now = clock.now()
        return try state.withLock { (state) throws(APIError) -> String in
            let key = Self.ensureRegion(&state, account: bus.account, region: bus.region, now: now)
            guard state.regions[key]?.buses[bus.name] != nil else { throw .notFound("Event bus \(bus.name) does not exist.") }
            let arn = ARN.archive(region: region, account: account, name: name)
            if state.archives[arn] != nil { throw .alreadyExists("Archive \(name) already exists.") }
            state.archives[arn] = ArchiveState(name: name, arn: arn, busArn: ARN.eventBus(region: bus.region, account: bus.account, name: bus.name),
                                               account: account, region: region, pattern: pattern, patternText: eventPattern,
                                               description: description, retentionDays: retentionDays, created: now)
            return arn
        }
    }

    /// Records an event in every archive of its bus (replayed events are not archived again).
    /// `size` is what the event adds to the archives' `SizeBytes` (see `archivedSize`); nil: worked
    /// out from the envelope.
    func archive(_ event: JSONValue, text: String, bus: BusState, size: Int? = nil, now: Instant, state: inout State) {
        guard !state.archives.isEmpty, event["replay-name"] == nil else { return }
        for (arn, archive) in state.archives where archive.busArn == bus.arn {
            if let pattern = archive.pattern, (try? pattern.matches(text)) != true { continue }
            state.archiveStore.append(archiveArn: arn, time: now, event: event, size: size ?? Self.archivedSize(event))
            if archive.retentionDays > 0 {
                // RetentionDays: older events expire (0 keeps them forever).
                state.archiveStore.removeEvents(archiveArn: arn,
                                                receivedBefore: Instant(secondsSince1970: now.secondsSince1970 - Int64(archive.retentionDays) * 86_400))
            }
        }
    }

    /// The bytes one archived event adds to `SizeBytes`: its time as `YYYY-MM-DDThh:mm:ssZ` (20),
    /// Source, DetailType, Detail as sent and each Resource, in UTF-8. AWS does not document this;
    /// the formula is inferred from its recorded value (10 events of 20 + 27 + 27 + 85 = 159 bytes
    /// made SizeBytes 1590).
    static func archivedSize(source: String, detailType: String, detailText: String, resources: [String]) -> Int {
        20 + source.utf8.count + detailType.utf8.count + detailText.utf8.count + resources.reduce(0) { $0 + $1.utf8.count }
    }

    /// `archivedSize` of an envelope whose detail text is not at hand (a forwarded event, a
    /// Scheduler event): the detail counts as its compact JSON.
    static func archivedSize(_ event: JSONValue) -> Int {
        func text(_ key: String) -> String { if case .string(let value)? = event[key] { return value } else { return "" } }
        var resources: [String] = []
        if case .array(let list)? = event["resources"] {
            resources = list.compactMap { if case .string(let arn) = $0 { return arn } else { return nil } }
        }
        return archivedSize(source: text("source"), detailType: text("detail-type"), detailText: event["detail"]?.jsonText ?? "",
                            resources: resources)
    }

    func archiveJSON(_ archive: ArchiveState, full: Bool, store: any ArchiveStore) -> JSONValue {
        let statistics = store.statistics(archiveArn: archive.arn)
        var members: [(String, JSONValue)] = [("ArchiveName", .string(archive.name))]
        if full { members.append(("ArchiveArn", .string(archive.arn))) }
        members.append(("EventSourceArn", .string(archive.busArn)))
        if full, let description = archive.description { members.append(("Description", .string(description))) }
        if full, let pattern = archive.patternText { members.append(("EventPattern", .string(pattern))) }
        members.append(contentsOf: [("State", .string("ENABLED")), ("RetentionDays", .number(JSONNumber(Double(archive.retentionDays)))),
                                    ("SizeBytes", .number(JSONNumber(Double(statistics.bytes)))),
                                    ("EventCount", .number(JSONNumber(Double(statistics.count)))),
                                    ("CreationTime", .string(archive.created.iso8601))])
        return .object(JSONObject(members))
    }

    public func describeArchive(account: String, region: String, name: String) throws(APIError) -> JSONValue {
        let arn = ARN.archive(region: region, account: account, name: name)
        return try state.withLock { (state) throws(APIError) -> JSONValue in
            guard let archive = state.archives[arn] else { throw .notFound("Archive \(name) does not exist.") }
            return archiveJSON(archive, full: true, store: state.archiveStore)
        }
    }

    public func listArchives(account: String, region: String, namePrefix: String? = nil, eventSourceArn: String? = nil) throws(APIError) -> [JSONValue] {
        let now = clock.now()
        return try state.withLock { (state) throws(APIError) -> [JSONValue] in
            if let eventSourceArn, let bus = ARN.parseEventBus(eventSourceArn) {
                let key = Self.ensureRegion(&state, account: bus.account, region: bus.region, now: now)
                if state.regions[key]?.buses[bus.name] == nil { throw .notFound("Event bus \(bus.name) does not exist.") }
            }
            return state.archives.values
                .filter { $0.account == account && $0.region == region }
                .filter { archive in namePrefix.map { archive.name.hasPrefix($0) } ?? true }
                .filter { archive in eventSourceArn.map { archive.busArn == $0 } ?? true }
                .sorted { $0.name < $1.name }
                .map { archiveJSON($0, full: false, store: state.archiveStore) }
        }
    }

    /// UpdateArchive: replaces the description, event pattern and retention of an archive (each
    /// only when given); events already archived stay. Returns the archive's ARN, state and
    /// creation time, AWS's response.
    public func updateArchive(account: String, region: String, name: String, eventPattern: String? = nil,
                              description: String? = nil, retentionDays: Int? = nil) throws(APIError) -> JSONValue {
        var pattern: EventPattern? = nil
        if let eventPattern {
            do { pattern = try EventPattern(json: eventPattern) } catch { throw .invalidPattern(error.message) }
        }
        if let retentionDays, retentionDays < 0 {
            throw Constraint.violation(String(retentionDays), at: "retentionDays", "Member must have value greater than or equal to 0")
        }
        let arn = ARN.archive(region: region, account: account, name: name)
        return try state.withLock { (state) throws(APIError) -> JSONValue in
            guard var archive = state.archives[arn] else { throw .notFound("Archive \(name) does not exist.") }
            if let eventPattern {
                archive.pattern = pattern
                archive.patternText = eventPattern
            }
            if let description { archive.description = description }
            if let retentionDays { archive.retentionDays = retentionDays }
            state.archives[arn] = archive
            return .object(JSONObject([("ArchiveArn", .string(arn)), ("State", .string("ENABLED")),
                                       ("CreationTime", .string(archive.created.iso8601))]))
        }
    }

    public func deleteArchive(account: String, region: String, name: String) throws(APIError) {
        let arn = ARN.archive(region: region, account: account, name: name)
        try state.withLock { (state) throws(APIError) in
            guard state.archives.removeValue(forKey: arn) != nil else { throw .notFound("Archive \(name) does not exist.") }
            state.archiveStore.removeAll(archiveArn: arn)
        }
    }

    // MARK: - Replays

    /// StartReplay: re-sends the archived events whose ingestion time is in [start, end) to the
    /// archive's bus (only to `filterArns` rules when given), marked with `replay-name`. The replay
    /// runs at once and is COMPLETED when this returns.
    public func startReplay(account: String, region: String, name: String, archiveArn: String, start: Instant, end: Instant,
                            destinationArn: String, filterArns: [String]? = nil) throws(APIError) -> JSONValue {
        try Constraint.name(name, at: "replayName", max: 64)
        let now = clock.now()
        let result: JSONValue = try state.withLock { (state) throws(APIError) -> JSONValue in
            guard let destination = ARN.parseEventBus(destinationArn) else {
                throw .validation("Parameter Destination.Arn is not valid. Reason: \(destinationArn) is not an event bus ARN.")
            }
            let key = Self.ensureRegion(&state, account: destination.account, region: destination.region, now: now)
            guard let bus = state.regions[key]?.buses[destination.name] else {
                throw .notFound("Event bus \(destination.name) does not exist.")
            }
            if !(start < end) {
                throw .validation("Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.")
            }
            guard let archive = state.archives[archiveArn], archive.account == account, archive.region == region else {
                let archiveName = archiveArn.split(separator: "/").last.map(String.init) ?? archiveArn
                throw .validation("Parameter EventSourceArn is not valid. Reason: Archive \(archiveName) does not exist.")
            }
            if archive.busArn != bus.arn {
                throw .validation("Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.")
            }
            let arn = ARN.replay(region: region, account: account, name: name)
            if state.replays[arn] != nil { throw .alreadyExists("Replay \(name) already exists.") }
            var replayed = 0
            for (_, event) in state.archiveStore.events(archiveArn: archive.arn, from: start, to: end) {
                guard case .object(var object) = event else { continue }
                object["replay-name"] = .string(name)
                route(.object(object), to: bus, account: destination.account, region: destination.region, hops: 0, ingestion: now,
                      state: &state, onlyRules: filterArns.map(Set.init))
                replayed += 1
            }
            state.replays[arn] = ReplayState(name: name, arn: arn, archiveArn: archiveArn, destination: destinationArn, start: start,
                                             end: end, state: "COMPLETED", replayed: replayed)
            return .object(JSONObject([("ReplayArn", .string(arn)), ("State", .string("STARTING")),
                                       ("StateReason", .string("Replay accepted.")), ("ReplayStartTime", .string(now.iso8601))]))
        }
        scheduleDispatch()
        return result
    }

    public func describeReplay(account: String, region: String, name: String) throws(APIError) -> JSONValue {
        let arn = ARN.replay(region: region, account: account, name: name)
        return try state.withLock { (state) throws(APIError) -> JSONValue in
            guard let replay = state.replays[arn] else { throw .notFound("Replay \(name) does not exist.") }
            return .object(JSONObject([
                ("ReplayName", .string(replay.name)), ("ReplayArn", .string(replay.arn)), ("EventSourceArn", .string(replay.archiveArn)),
                ("Destination", .object(JSONObject([("Arn", .string(replay.destination))]))), ("State", .string(replay.state)),
                ("EventStartTime", .string(replay.start.iso8601)), ("EventEndTime", .string(replay.end.iso8601)),
            ]))
        }
    }
}
