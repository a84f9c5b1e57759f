import EventPatterns
import EventSchedule
import EventTargets

/// Load-balancer attributes the simulator accepts, with their defaults per type.
let loadBalancerAttributeDefaults: [LoadBalancerType: [(key: String, value: String)]] = [
    .application: [
        ("deletion_protection.enabled", "false"), ("idle_timeout.timeout_seconds", "60"),
        ("routing.http2.enabled", "true"), ("load_balancing.cross_zone.enabled", "true"),
        ("access_logs.s3.enabled", "false"),
    ],
    .network: [
        ("deletion_protection.enabled", "false"), ("load_balancing.cross_zone.enabled", "false"),
        ("access_logs.s3.enabled", "false"),
    ],
]

/// Names of load balancers and target groups: 1–32 alphanumerics and hyphens, no hyphen at either end.
func validateName(_ name: String, kind: String) throws(ServiceError) {
    guard !name.isEmpty else { throw ServiceError("ValidationError", "\(kind) name cannot be empty") }
    guard name.count <= 32 else {
        throw ServiceError("ValidationError", "\(kind) name '\(name)' cannot be longer than '32' characters")
    }
    guard name.unicodeScalars.allSatisfy({ $0.isASCII && ($0 == "-" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)) }) else {
        throw ServiceError("ValidationError", "\(kind) name '\(name)' can only contain characters that are alphanumeric characters or hyphens(-)")
    }
    guard !name.hasPrefix("-"), !name.hasSuffix("-") else {
        throw ServiceError("ValidationError", "\(kind) name '\(name)' cannot begin or end with '-'")
    }
}

extension State {
    mutating func createLoadBalancer(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let name = try p.string("Name")
        try validateName(name, kind: "Load balancer")
        if name.lowercased().hasPrefix("internal-") {
            throw ServiceError("ValidationError", "Load balancer name '\(name)' cannot begin with 'internal-'")
        }
        let typeName = try p.optionalString("Type") ?? "application"
        guard let type = LoadBalancerType(rawValue: typeName) else {
            throw ServiceError("ValidationError", "Load balancer type '\(typeName)' must be one of [application, network]")
        }
        let scheme = try p.optionalString("Scheme") ?? "internet-facing"
        guard scheme == "internet-facing" || scheme == "internal" else {
            throw ServiceError("ValidationError", "Scheme '\(scheme)' must be one of [internet-facing, internal]")
        }
        let ipType = try p.optionalString("IpAddressType") ?? "ipv4"
        guard ["ipv4", "dualstack", "dualstack-without-public-ipv4"].contains(ipType) else {
            throw ServiceError("ValidationError", "IpAddressType '\(ipType)' must be one of [ipv4, dualstack, dualstack-without-public-ipv4]")
        }
        if loadBalancers.values.contains(where: { $0.name == name && $0.account == scope.account && $0.region == scope.region }) {
            throw ServiceError("DuplicateLoadBalancerName", "A load balancer with the same name '\(name)' exists, but with different settings")
        }
        var subnets = try p.strings("Subnets")
        for mapping in try p.objects("SubnetMappings") { subnets.append(try mapping.string("SubnetId")) }
        // SIM: a subnet's zone is the region plus a letter by position; no subnets means two zones.
        if subnets.isEmpty { subnets = type == .application ? ["subnet-sim-a", "subnet-sim-b"] : ["subnet-sim-a"] }
        guard Set(subnets).count == subnets.count else {
            throw ServiceError("ValidationError", "Subnets must not contain duplicates")
        }
        if type == .application, subnets.count < 2 {
            throw ServiceError("ValidationError", "At least two subnets in two different Availability Zones must be specified")
        }
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        guard subnets.count <= letters.count else { throw ServiceError("ValidationError", "Too many subnets") }
        let zones = subnets.enumerated().map { (zone: "\(scope.region)\(letters[$0.offset])", subnet: $0.element) }
        let id = random.hex(16)
        let kind = type == .application ? "app" : "net"
        let arn = "\(scope.arnPrefix)loadbalancer/\(kind)/\(name)/\(id)"
        let dns = (scheme == "internal" ? "internal-" : "") + "\(name)-\(random.hex(10)).\(type == .network ? "elb." : "")\(scope.region)\(type == .network ? "" : ".elb").amazonaws.com"
        let lb = LoadBalancer(arn: arn, name: name, type: type, scheme: scheme, ipAddressType: ipType, zones: zones,
                              dnsName: dns, created: now, sequence: nextSequence(), account: scope.account,
                              region: scope.region, attributes: loadBalancerAttributeDefaults[type] ?? [])
        loadBalancers[arn] = lb
        meters[arn] = Meter(hourStart: hourStart(now))
        return .members([("LoadBalancers", .array([describe(lb)]))])
    }

    func describe(_ lb: LoadBalancer) -> JSONValue {
        .members([
            ("LoadBalancerArn", .str(lb.arn)), ("DNSName", .str(lb.dnsName)),
            ("CanonicalHostedZoneId", .str(lb.type == .application ? "Z35SXDOTRQ7X7K" : "Z26RNL4JYFTOTI")),
            ("CreatedTime", .str(lb.created.iso8601)), ("LoadBalancerName", .str(lb.name)), ("Scheme", .str(lb.scheme)),
            ("VpcId", .str("vpc-sim")), ("State", .members([("Code", .str("active"))])), ("Type", .str(lb.type.rawValue)),
            ("AvailabilityZones", .array(lb.zones.map { .members([("ZoneName", .str($0.zone)), ("SubnetId", .str($0.subnet))]) })),
            ("IpAddressType", .str(lb.ipAddressType)),
        ])
    }

    mutating func deleteLoadBalancer(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let arn = try p.string("LoadBalancerArn")
        // Deleting an unknown load balancer succeeds, as in AWS.
        guard let lb = loadBalancers[arn], scope.owns(arn) else { return .object(JSONObject()) }
        if lb.attribute("deletion_protection.enabled") == "true" {
            throw ServiceError("OperationNotPermitted", "Load balancer '\(arn)' cannot be deleted because deletion protection is enabled")
        }
        for listener in listeners.values where listener.loadBalancerArn == arn { removeListener(listener.arn) }
        loadBalancers[arn] = nil
        meters[arn] = nil
        flows = flows.filter { $0.value.loadBalancerArn != arn }
        return .object(JSONObject())
    }

    mutating func removeListener(_ arn: String) {
        listeners[arn] = nil
        rules = rules.filter { $0.value.listenerArn != arn }
    }

    func describeLoadBalancers(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let arns = try p.strings("LoadBalancerArns")
        let names = try p.strings("Names")
        var result: [LoadBalancer] = []
        if !arns.isEmpty {
            for arn in arns { result.append(try loadBalancer(arn, scope)) }
        } else if !names.isEmpty {
            for name in names {
                guard let lb = loadBalancers.values.first(where: { $0.name == name && scope.owns($0.arn) }) else {
                    throw ServiceError("LoadBalancerNotFound", "Load balancers '[\(name)]' not found")
                }
                result.append(lb)
            }
        } else {
            result = loadBalancers.values.filter { scope.owns($0.arn) }.sorted { $0.sequence < $1.sequence }
        }
        return .members([("LoadBalancers", .array(result.map(describe)))])
    }

    mutating func modifyLoadBalancerAttributes(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        var lb = try loadBalancer(try p.string("LoadBalancerArn"), scope)
        let changes = try attributePairs(p)
        for (key, value) in changes {
            guard lb.attribute(key) != nil else {
                throw ServiceError("ValidationError", "Load balancer attribute key '\(key)' is not recognized")
            }
            switch key {
            case "idle_timeout.timeout_seconds":
                guard let seconds = Int(value), (1...4000).contains(seconds) else {
                    throw ServiceError("ValidationError", "Load balancer attribute 'idle_timeout.timeout_seconds' must be between 1 and 4000")
                }
            case "load_balancing.cross_zone.enabled" where lb.type == .application && value != "true":
                throw ServiceError("InvalidConfigurationRequest", "Cross-zone load balancing cannot be disabled for Application Load Balancers")
            default:
                guard value == "true" || value == "false" else {
                    throw ServiceError("ValidationError", "Load balancer attribute '\(key)' must be 'true' or 'false'")
                }
            }
            lb.setAttribute(key, value)
        }
        loadBalancers[lb.arn] = lb
        return .members([("Attributes", attributesJSON(lb.attributes))])
    }

    func describeLoadBalancerAttributes(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let lb = try loadBalancer(try p.string("LoadBalancerArn"), scope)
        return .members([("Attributes", attributesJSON(lb.attributes))])
    }

    func attributePairs(_ p: ServiceParameters) throws(ServiceError) -> [(String, String)] {
        var result: [(String, String)] = []
        for attribute in try p.objects("Attributes") {
            result.append((try attribute.string("Key"), try attribute.optionalString("Value") ?? ""))
        }
        if result.isEmpty { throw ServiceError("ValidationError", "Attributes must contain at least one attribute") }
        return result
    }

    func attributesJSON(_ attributes: [(key: String, value: String)]) -> JSONValue {
        .array(attributes.map { .members([("Key", .str($0.key)), ("Value", .str($0.value))]) })
    }

    // MARK: listeners

    mutating func createListener(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let lb = try loadBalancer(try p.string("LoadBalancerArn"), scope)
        guard let port = try p.optionalInt("Port") else { throw ServiceError("ValidationError", "A listener port must be specified") }
        guard let proto = try p.optionalString("Protocol") else { throw ServiceError("ValidationError", "A listener protocol must be specified") }
        try validateListener(lb, proto: proto, port: port, certificates: try p.array("Certificates"), excluding: nil)
        let count = listeners.values.filter { $0.loadBalancerArn == lb.arn }.count
        guard count < 50 else { throw ServiceError("TooManyListeners", "You've reached the limit on the number of listeners per load balancer") }
        let id = random.hex(16)
        let arn = "\(scope.arnPrefix)listener/\(lb.idPart)/\(id)"
        let ruleArn = "\(scope.arnPrefix)listener-rule/\(lb.idPart)/\(id)/\(random.hex(16))"
        let listener = Listener(arn: arn, loadBalancerArn: lb.arn, proto: proto, port: port,
                                certificates: try p.array("Certificates"), sslPolicy: try p.optionalString("SslPolicy"),
                                defaultRuleArn: ruleArn, sequence: nextSequence())
        let actions = try parseActions(try p.objects("DefaultActions"), name: "DefaultActions", lb: lb, listener: listener, scope: scope)
        listeners[arn] = listener
        rules[ruleArn] = Rule(arn: ruleArn, listenerArn: arn, priority: nil, conditions: [], actions: actions, sequence: nextSequence())
        restartHealthChecksForNewUse(actions.flatMap { $0.action.targetGroupArns })
        return .members([("Listeners", .array([describe(listener)]))])
    }

    func validateListener(_ lb: LoadBalancer, proto: String, port: Int, certificates: [JSONValue], excluding: String?) throws(ServiceError) {
        guard (1...65535).contains(port) else {
            throw ServiceError("ValidationError", "Listener port '\(port)' must be between 1 and 65535")
        }
        let allowed = lb.type == .application ? ["HTTP", "HTTPS"] : ["TCP", "UDP", "TCP_UDP", "TLS"]
        guard allowed.contains(proto) else {
            throw ServiceError("UnsupportedProtocol", "Protocol '\(proto)' is not supported by \(lb.type.rawValue) load balancers; use one of [\(allowed.joined(separator: ", "))]")
        }
        if (proto == "HTTPS" || proto == "TLS") && certificates.isEmpty {
            throw ServiceError("ValidationError", "A certificate must be specified for \(proto) listeners")
        }
        func family(_ proto: String) -> Set<String> {
            switch proto {
            case "UDP": return ["udp"]
            case "TCP_UDP": return ["tcp", "udp"]
            default: return ["tcp"]
            }
        }
        for other in listeners.values where other.loadBalancerArn == lb.arn && other.arn != excluding && other.port == port {
            if !family(other.proto).isDisjoint(with: family(proto)) {
                throw ServiceError("DuplicateListener", "A listener with the specified port already exists.")
            }
        }
    }

    mutating func modifyListener(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        var listener = try listener(try p.string("ListenerArn"), scope)
        let lb = try loadBalancer(listener.loadBalancerArn, scope)
        let port = try p.optionalInt("Port") ?? listener.port
        let proto = try p.optionalString("Protocol") ?? listener.proto
        let certificates = p.has("Certificates") ? try p.array("Certificates") : listener.certificates
        try validateListener(lb, proto: proto, port: port, certificates: certificates, excluding: listener.arn)
        listener.port = port
        listener.proto = proto
        listener.certificates = certificates
        if let policy = try p.optionalString("SslPolicy") { listener.sslPolicy = policy }
        if p.has("DefaultActions") {
            let actions = try parseActions(try p.objects("DefaultActions"), name: "DefaultActions", lb: lb, listener: listener, scope: scope)
            rules[listener.defaultRuleArn]?.actions = actions
            restartHealthChecksForNewUse(actions.flatMap { $0.action.targetGroupArns })
            listeners[listener.arn] = listener
            if let rule = rules[listener.defaultRuleArn] { ruleEvent(rule, change: "ModifyListener") }
        } else {
            // The existing actions must suit the new protocol.
            for rule in rules.values where rule.listenerArn == listener.arn {
                for arn in rule.actions.flatMap({ $0.action.targetGroupArns }) {
                    if let group = targetGroups[arn] { try checkCompatible(group, lb: lb, listener: listener) }
                }
            }
        }
        listeners[listener.arn] = listener
        return .members([("Listeners", .array([describe(listener)]))])
    }

    mutating func deleteListener(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let listener = try listener(try p.string("ListenerArn"), scope)
        removeListener(listener.arn)
        return .object(JSONObject())
    }

    func describeListeners(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let arns = try p.strings("ListenerArns")
        var result: [Listener] = []
        if !arns.isEmpty {
            for arn in arns { result.append(try listener(arn, scope)) }
        } else if let lbArn = try p.optionalString("LoadBalancerArn") {
            _ = try loadBalancer(lbArn, scope)
            result = listeners.values.filter { $0.loadBalancerArn == lbArn }.sorted { $0.sequence < $1.sequence }
        } else {
            throw ServiceError("ValidationError", "You must specify either listener ARNs or a load balancer ARN")
        }
        return .members([("Listeners", .array(result.map(describe)))])
    }

    func describe(_ listener: Listener) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("ListenerArn", .str(listener.arn)), ("LoadBalancerArn", .str(listener.loadBalancerArn)),
            ("Port", .int(listener.port)), ("Protocol", .str(listener.proto)),
        ]
        if !listener.certificates.isEmpty { members.append(("Certificates", .array(listener.certificates))) }
        if let policy = listener.sslPolicy { members.append(("SslPolicy", .str(policy))) }
        members.append(("DefaultActions", .array((rules[listener.defaultRuleArn]?.actions ?? []).map(describe))))
        return .members(members)
    }
}
