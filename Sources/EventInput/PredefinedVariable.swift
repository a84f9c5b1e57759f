/// The placeholders EventBridge defines itself; they need no `InputPathsMap` entry and no map key
/// can take their names (keys cannot contain `.`).
///
/// ```swift
/// PredefinedVariable(rawValue: "aws.events.rule-name")   // .ruleName
/// ```
public enum PredefinedVariable: String, Sendable, CaseIterable {
    /// `<aws.events.rule-arn>`: the rule's ARN (on a custom bus, `…:rule/<bus>/<rule>`).
    case ruleARN = "aws.events.rule-arn"
    /// `<aws.events.rule-name>`: the rule's name.
    case ruleName = "aws.events.rule-name"
    /// `<aws.events.event.ingestion-time>`: when EventBridge received the event (ISO-8601).
    case ingestionTime = "aws.events.event.ingestion-time"
    /// `<aws.events.event>`: the envelope without `detail`, `detail-type` renamed `detailType`,
    /// `time` set to the ingestion time. Only as an unquoted JSON value.
    case event = "aws.events.event"
    /// `<aws.events.event.json>`: the whole envelope. Only as an unquoted JSON value.
    case eventJSON = "aws.events.event.json"

    /// Whether the variable inserts raw JSON and so is allowed only as an unquoted value of a
    /// JSON template.
    public var isJSONOnly: Bool { self == .event || self == .eventJSON }
}
