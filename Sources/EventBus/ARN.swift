/// AWS resource names as EventRouter builds and reads them.
public enum ARN {
    public static func eventBus(region: String, account: String, name: String) -> String {
        "arn:aws:events:\(region):\(account):event-bus/\(name)"
    }

    /// `rule/NAME` on the default bus, `rule/BUS/NAME` on a custom bus.
    public static func rule(region: String, account: String, bus: String, name: String) -> String {
        bus == "default" ? "arn:aws:events:\(region):\(account):rule/\(name)"
            : "arn:aws:events:\(region):\(account):rule/\(bus)/\(name)"
    }

    public static func archive(region: String, account: String, name: String) -> String {
        "arn:aws:events:\(region):\(account):archive/\(name)"
    }

    public static func replay(region: String, account: String, name: String) -> String {
        "arn:aws:events:\(region):\(account):replay/\(name)"
    }

    public static func queue(region: String, account: String, name: String) -> String {
        "arn:aws:sqs:\(region):\(account):\(name)"
    }

    public static func function(region: String, account: String, name: String) -> String {
        "arn:aws:lambda:\(region):\(account):function:\(name)"
    }

    /// The parts of `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, or nil.
    public static func parse(_ arn: String) -> (service: String, region: String, account: String, resource: String)? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        return (String(parts[2]), String(parts[3]), String(parts[4]), String(parts[5]))
    }

    /// (region, account, bus name) of an event-bus ARN.
    static func parseEventBus(_ arn: String) -> (region: String, account: String, name: String)? {
        guard let parts = parse(arn), parts.service == "events", parts.resource.hasPrefix("event-bus/") else { return nil }
        return (parts.region, parts.account, String(parts.resource.dropFirst("event-bus/".count)))
    }
}
