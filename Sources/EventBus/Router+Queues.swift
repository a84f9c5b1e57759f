import EventPatterns
import EventSchedule
import EventTargets

/// A message received from a local queue.
public struct ReceivedMessage: Sendable, Equatable {
    public var messageID: String
    public var receiptHandle: String
    public var body: String
    /// Message attributes (dead-letter records carry RULE_ARN, TARGET_ARN, ERROR_CODE, …).
    public var attributes: [String: String]
}

extension Router {
    // MARK: - Queues (SQS-like)

    /// CreateQueue: returns the queue ARN (creating an existing queue returns it again).
    @discardableResult
    public func createQueue(account: String, region: String, name: String) throws(APIError) -> String {
        try Self.validateAccount(account)
        if name.isEmpty || name.count > 80 || !name.utf8.allSatisfy({ Constraint.isNameCharacter($0) && $0 != 0x2E }) {
            throw APIError("InvalidParameterValue", "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
        }
        let arn = ARN.queue(region: region, account: account, name: name)
        state.withLock { state in
            if state.queues[arn] == nil {
                state.queues[arn] = QueueState(name: name, arn: arn, url: "https://sqs.\(region).amazonaws.com/\(account)/\(name)")
            }
        }
        return arn
    }

    /// The ARN of a queue given by URL, ARN or name (in the caller's account and region).
    func queueArn(_ reference: String, account: String, region: String) -> String {
        if reference.hasPrefix("arn:") { return reference }
        if reference.hasPrefix("https://") || reference.hasPrefix("http://") {
            let parts = reference.split(separator: "/")
            if parts.count >= 2 {
                let name = String(parts[parts.count - 1])
                let owner = String(parts[parts.count - 2])
                let host = parts.count >= 2 ? String(parts[1]) : ""
                let hostParts = host.split(separator: ".")
                let queueRegion = hostParts.count > 1 && hostParts[0] == "sqs" ? String(hostParts[1]) : region
                return ARN.queue(region: queueRegion, account: owner, name: name)
            }
        }
        return ARN.queue(region: region, account: account, name: reference)
    }

    /// The queue's URL.
    public func queueURL(arn: String) -> String? { state.withLock { $0.queues[arn]?.url } }

    /// Appends a message; false when the queue does not exist. Called with the lock held.
    static func sendToQueue(arn: String, body: String, attributes: [(String, String)], now: Instant, state: inout State) -> Bool {
        guard state.queues[arn] != nil else { return false }
        let id = state.random.uuid()
        state.queues[arn]?.messages.append(QueueMessage(messageID: id, body: body, attributes: attributes, receiptHandle: nil,
                                                         visibleAt: now, receiveCount: 0, sentAt: now))
        return true
    }

    /// ReceiveMessage: up to `maximum` (1–10) visible messages; they stay invisible for the queue's
    /// visibility timeout (30 s) unless deleted.
    public func receiveMessages(arn: String, maximum: Int = 1) throws(APIError) -> [ReceivedMessage] {
        if maximum < 1 || maximum > 10 {
            throw APIError("InvalidParameterValue", "Value \(maximum) for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.")
        }
        let now = clock.now()
        return try state.withLock { (state) throws(APIError) -> [ReceivedMessage] in
            guard var queue = state.queues.removeValue(forKey: arn) else {
                throw APIError("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
            }
            defer { state.queues[arn] = queue }
            var received: [ReceivedMessage] = []
            for index in queue.messages.indices where received.count < maximum && queue.messages[index].visibleAt <= now {
                let handle = state.random.uuid()
                queue.messages[index].receiptHandle = handle
                queue.messages[index].receiveCount += 1
                queue.messages[index].visibleAt = Instant(secondsSince1970: now.secondsSince1970 + queue.visibilityTimeout)
                let message = queue.messages[index]
                received.append(ReceivedMessage(messageID: message.messageID, receiptHandle: handle, body: message.body,
                                                attributes: Dictionary(message.attributes, uniquingKeysWith: { $1 })))
            }
            return received
        }
    }

    /// DeleteMessage by receipt handle.
    public func deleteMessage(arn: String, receiptHandle: String) throws(APIError) {
        try state.withLock { (state) throws(APIError) in
            guard state.queues[arn] != nil else {
                throw APIError("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
            }
            guard let index = state.queues[arn]?.messages.firstIndex(where: { $0.receiptHandle == receiptHandle }) else {
                throw APIError("ReceiptHandleIsInvalid", "The input receipt handle \"\(receiptHandle)\" is not a valid receipt handle.")
            }
            state.queues[arn]?.messages.remove(at: index)
        }
    }

    /// Every message in the queue (received or not), oldest first, without changing anything.
    public func queueMessages(arn: String) -> [ReceivedMessage] {
        state.withLock { state in
            (state.queues[arn]?.messages ?? []).map {
                ReceivedMessage(messageID: $0.messageID, receiptHandle: $0.receiptHandle ?? "", body: $0.body,
                                attributes: Dictionary($0.attributes, uniquingKeysWith: { $1 }))
            }
        }
    }

    /// SendMessage: appends a message with `body` (and string message attributes); returns its id.
    @discardableResult
    public func sendMessage(arn: String, body: String, attributes: [(String, String)] = []) throws(APIError) -> String {
        if body.isEmpty || body.utf8.count > 262_144 {
            throw APIError("InvalidParameterValue", "One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes and not empty.")
        }
        let now = clock.now()
        let id: String? = state.withLock { state in
            guard Self.sendToQueue(arn: arn, body: body, attributes: attributes, now: now, state: &state) else { return nil }
            return state.queues[arn]?.messages.last?.messageID
        }
        guard let id else { throw APIError("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.") }
        return id
    }

    /// ListQueues: the URLs of the account's queues in the region, by name, optionally by prefix.
    public func listQueues(account: String, region: String, namePrefix: String? = nil) -> [String] {
        let arnPrefix = ARN.queue(region: region, account: account, name: "")
        return state.withLock { state in
            state.queues.values.filter { $0.arn.hasPrefix(arnPrefix) && $0.name.hasPrefix(namePrefix ?? "") }
                .sorted { $0.name < $1.name }.map(\.url)
        }
    }

    /// DeleteQueue (with its messages).
    public func deleteQueue(arn: String) throws(APIError) {
        try state.withLock { (state) throws(APIError) in
            guard state.queues.removeValue(forKey: arn) != nil else {
                throw APIError("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
            }
        }
    }

    /// PurgeQueue: drops every message.
    public func purgeQueue(arn: String) throws(APIError) {
        try state.withLock { (state) throws(APIError) in
            guard state.queues[arn] != nil else {
                throw APIError("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
            }
            state.queues[arn]?.messages.removeAll()
        }
    }

    /// GetQueueAttributes' counts: (visible, in flight).
    public func queueCounts(arn: String) throws(APIError) -> (visible: Int, inFlight: Int) {
        let now = clock.now()
        return try state.withLock { (state) throws(APIError) -> (visible: Int, inFlight: Int) in
            guard let queue = state.queues[arn] else {
                throw APIError("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
            }
            let visible = queue.messages.filter { $0.visibleAt <= now }.count
            return (visible, queue.messages.count - visible)
        }
    }

    // MARK: - Functions

    /// Registers a function target backed by a host handler. Returns its ARN.
    @discardableResult
    public func createFunction(account: String, region: String, name: String,
                               handler: @escaping @Sendable (DeliveryRequest) -> DeliveryResult) throws(APIError) -> String {
        try Self.validateAccount(account)
        let arn = ARN.function(region: region, account: account, name: name)
        state.withLock { state in
            let seed = state.random.next()
            state.functions[arn] = FunctionState(name: name, arn: arn, handler: handler, random: SplitMix64(seed: seed))
        }
        return arn
    }

    /// A scripted function: fails its first `failFirst` invocations, and then each one with
    /// probability `failureRate` (drawn from `seed`), with a retriable `TARGET_ERROR`.
    @discardableResult
    public func createScriptedFunction(account: String, region: String, name: String, failFirst: Int = 0,
                                       failureRate: Double = 0, seed: UInt64 = 1) throws(APIError) -> String {
        try Self.validateAccount(account)
        if failFirst < 0 || !(0...1).contains(failureRate) {
            throw APIError("InvalidParameterValue", "FailFirst must be ≥ 0 and FailureRate between 0 and 1.")
        }
        let arn = ARN.function(region: region, account: account, name: name)
        state.withLock { state in
            state.functions[arn] = FunctionState(name: name, arn: arn, handler: nil, failFirst: failFirst, failureRate: failureRate,
                                                 random: SplitMix64(seed: seed))
        }
        return arn
    }

    /// How many requests a function's history keeps (the most recent ones).
    public static let invocationHistoryLimit = 100_000

    /// The requests a function received, in order (all attempts; the most recent
    /// `invocationHistoryLimit` at most).
    public func functionInvocations(arn: String) -> [DeliveryRequest] {
        state.withLock { $0.functions[arn]?.invocations ?? [] }
    }

    func invokeFunction(arn: String, _ request: DeliveryRequest) -> DeliveryResult {
        // Decide scripted behaviour and take the handler under the lock; run the handler outside it.
        enum Plan { case missing, scripted(DeliveryResult), handler(@Sendable (DeliveryRequest) -> DeliveryResult) }
        let plan: Plan = state.withLock { state in
            // Take the function out of the dictionary so that appending does not copy its history.
            guard var function = state.functions.removeValue(forKey: arn) else { return .missing }
            function.invocationCount += 1
            function.invocations.append(request)
            if function.invocations.count > Self.invocationHistoryLimit {
                function.invocations.removeFirst(function.invocations.count - Self.invocationHistoryLimit / 2)
            }
            defer { state.functions[arn] = function }
            if let handler = function.handler { return .handler(handler) }
            let invocation = function.invocationCount
            let fails = invocation <= function.failFirst || (function.failureRate > 0 && function.random.unit() < function.failureRate)
            return .scripted(fails ? .failed(code: "TARGET_ERROR", message: "Function \(function.name) failed (scripted).", retriable: true)
                                   : .delivered)
        }
        switch plan {
        case .missing: return .failed(code: "NO_RESOURCE", message: "Function \(arn) does not exist.", retriable: false)
        case .scripted(let result): return result
        case .handler(let handler): return handler(request)
        }
    }
}
