import EventPatterns
import EventSchedule

/// What a target receives: the exact body text, and its JSON value when the body is JSON.
public struct DeliveredInput: Sendable, Equatable {
    /// The body, byte for byte (what an SQS message body holds).
    public var text: String
    /// The parsed body, when it is JSON (nil for a text template that is not one JSON value).
    public var json: JSONValue?

    public init(text: String, json: JSONValue?) {
        self.text = text
        self.json = json
    }

    /// A JSON value delivered as its compact text.
    public init(json: JSONValue) {
        self.text = json.jsonText
        self.json = json
    }

    /// The input for reports: the JSON value, or the text as a JSON string.
    public var reportValue: JSONValue { json ?? .string(text) }
}

/// One delivery attempt of one event to one target.
public struct DeliveryRequest: Sendable {
    public var targetArn: String
    public var targetID: String
    public var ruleArn: String
    /// The event as routed (the envelope), independent of the target's input transformation.
    public var event: JSONValue
    public var input: DeliveredInput
    /// 1 for the first attempt.
    public var attempt: Int
    public var time: Instant
    /// The account and region of the rule that matched.
    public var account: String
    public var region: String
    /// The target's service-specific parameters as given in PutTargets (`BatchParameters`,
    /// `EmrParameters`, `ElbParameters`, `HttpParameters`, …: every member named `…Parameters`).
    public var parameters: JSONObject

    public init(targetArn: String, targetID: String, ruleArn: String, event: JSONValue, input: DeliveredInput,
                attempt: Int, time: Instant, account: String, region: String, parameters: JSONObject = JSONObject()) {
        self.targetArn = targetArn
        self.targetID = targetID
        self.ruleArn = ruleArn
        self.event = event
        self.input = input
        self.attempt = attempt
        self.time = time
        self.account = account
        self.region = region
        self.parameters = parameters
    }
}

/// The outcome of a delivery attempt.
public enum DeliveryResult: Sendable, Equatable {
    case delivered
    /// A failure. `retriable` failures are retried under the target's retry policy; others go to the
    /// dead-letter queue (or are dropped) at once. `code` is a DLQ `ERROR_CODE` such as
    /// `NO_PERMISSIONS`, `NO_RESOURCE`, `THROTTLING`, `TIMEOUT`, `TARGET_ERROR`.
    case failed(code: String, message: String, retriable: Bool)
}

/// A rule target the router does not know by itself (Batch, EMR, ELB simulators, host targets).
///
/// Targets are addressed by ARN; register one with the router for an ARN or an ARN prefix.
/// `deliver` is called from the router's dispatcher, never while the router holds its lock, so a
/// target may call back into the router (for example to publish a state-change event).
public protocol EventTarget: AnyObject, Sendable {
    func deliver(_ request: DeliveryRequest) -> DeliveryResult
}

/// Where simulated AWS services publish their own events (`aws.batch`, `aws.emr`, …): the default
/// bus of the account, bypassing the `aws.` source check that applies to customers.
public protocol ServiceEventSink: AnyObject, Sendable {
    /// Publishes a service event; returns its event id.
    @discardableResult
    func putServiceEvent(account: String, region: String, source: String, detailType: String,
                         detail: JSONValue, resources: [String]) -> String
}
