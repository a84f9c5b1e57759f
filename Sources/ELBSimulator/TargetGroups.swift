import EventPatterns
import EventSchedule
import EventTargets

extension State {
    static let targetGroupsPerRegion = 3000
    static let targetsPerGroup = 1000
    static let registrationsPerTargetID = 100

    mutating func createTargetGroup(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let name = try p.string("Name")
        try validateName(name, kind: "Target group")
        let targetType = try p.optionalString("TargetType") ?? "instance"
        guard ["instance", "ip", "lambda"].contains(targetType) else {
            throw ServiceError("ValidationError", "Target type '\(targetType)' must be one of [instance, ip, lambda]")
        }
        let proto = try p.optionalString("Protocol")
        let port = try p.optionalInt("Port")
        let vpc = try p.optionalString("VpcId")
        if targetType == "lambda" {
            guard proto == nil, port == nil, vpc == nil else {
                throw ServiceError("ValidationError", "Protocol, port and VPC ID cannot be specified for target groups with target type 'lambda'")
            }
        } else {
            guard let proto else { throw ServiceError("ValidationError", "A protocol must be specified") }
            guard ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"].contains(proto) else {
                throw ServiceError("ValidationError", "Protocol '\(proto)' must be one of [HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP]")
            }
            guard let port else { throw ServiceError("ValidationError", "A port must be specified") }
            guard (1...65535).contains(port) else { throw ServiceError("ValidationError", "Port '\(port)' must be between 1 and 65535") }
            guard vpc != nil else { throw ServiceError("ValidationError", "A VPC ID must be specified") }
        }
        if targetGroups.values.contains(where: { $0.name == name && scope.owns($0.arn) }) {
            throw ServiceError("DuplicateTargetGroupName", "A target group with the specified name already exists.")
        }
        guard targetGroups.values.filter({ scope.owns($0.arn) }).count < Self.targetGroupsPerRegion else {
            throw ServiceError("TooManyTargetGroups", "You've reached the limit on the number of target groups for your AWS account")
        }
        let network = ["TCP", "TLS", "UDP", "TCP_UDP"].contains(proto ?? "")
        let lambda = targetType == "lambda"
        let defaults = HealthCheck(
            enabled: !lambda, proto: network ? "TCP" : (proto == "HTTPS" ? "HTTPS" : "HTTP"), port: "traffic-port",
            path: network ? nil : "/", interval: lambda ? 35 : 30, timeout: lambda ? 30 : (network ? 10 : 5),
            healthyThreshold: 5, unhealthyThreshold: 2, matcher: network ? nil : "200")
        let health = try healthCheck(p, base: defaults, network: network, lambda: lambda)
        let arn = "\(scope.arnPrefix)targetgroup/\(name)/\(random.hex(16))"
        var attributes: [(key: String, value: String)] = [("deregistration_delay.timeout_seconds", "300"), ("stickiness.enabled", "false")]
        if lambda {
            attributes = [("lambda.multi_value_headers.enabled", "false")]
        } else if network {
            let preserve = targetType == "instance" || proto == "UDP" || proto == "TCP_UDP"
            attributes += [("stickiness.type", "source_ip"), ("proxy_protocol_v2.enabled", "false"),
                           ("preserve_client_ip.enabled", preserve ? "true" : "false"),
                           ("load_balancing.cross_zone.enabled", "use_load_balancer_configuration")]
        } else {
            attributes += [("stickiness.type", "lb_cookie"), ("stickiness.lb_cookie.duration_seconds", "86400"),
                           ("stickiness.app_cookie.cookie_name", ""), ("stickiness.app_cookie.duration_seconds", "86400"),
                           ("load_balancing.algorithm.type", "round_robin"), ("load_balancing.algorithm.anomaly_mitigation", "off"),
                           ("slow_start.duration_seconds", "0"), ("load_balancing.cross_zone.enabled", "use_load_balancer_configuration")]
        }
        let group = TargetGroup(arn: arn, name: name, proto: proto, protocolVersion: try p.optionalString("ProtocolVersion"),
                                port: port, vpcId: vpc, targetType: targetType, ipAddressType: try p.optionalString("IpAddressType") ?? "ipv4",
                                health: health, attributes: attributes, sequence: nextSequence(), account: scope.account, region: scope.region)
        targetGroups[arn] = group
        return .members([("TargetGroups", .array([describe(group)]))])
    }

    /// The health-check settings of `p` over `base`, validated.
    func healthCheck(_ p: ServiceParameters, base: HealthCheck, network: Bool, lambda: Bool) throws(ServiceError) -> HealthCheck {
        var check = base
        if let enabled = try p.optionalBool("HealthCheckEnabled") {
            if !enabled && network { throw ServiceError("ValidationError", "Health checks cannot be disabled for network target groups") }
            check.enabled = enabled
        }
        if let proto = try p.optionalString("HealthCheckProtocol") {
            let allowed = network ? ["HTTP", "HTTPS", "TCP"] : ["HTTP", "HTTPS"]
            guard allowed.contains(proto) else {
                throw ServiceError("ValidationError", "Health check protocol '\(proto)' must be one of [\(allowed.joined(separator: ", "))]")
            }
            if proto != check.proto && network {
                check.path = proto == "TCP" ? nil : (check.path ?? "/")
                check.matcher = proto == "TCP" ? nil : (check.matcher ?? "200-399")
            }
            check.proto = proto
        }
        if let port = try p.optionalString("HealthCheckPort") {
            guard port == "traffic-port" || (Int(port).map { (1...65535).contains($0) } ?? false) else {
                throw ServiceError("ValidationError", "Health check port '\(port)' must be 'traffic-port' or between 1 and 65535")
            }
            check.port = port
        }
        if let path = try p.optionalString("HealthCheckPath") {
            guard check.proto != "TCP" else { throw ServiceError("ValidationError", "A health check path cannot be set for TCP health checks") }
            guard path.hasPrefix("/"), path.count <= 1024 else {
                throw ServiceError("ValidationError", "Health check path '\(path)' must start with '/' and be at most 1024 characters")
            }
            check.path = path
        }
        func ranged(_ name: String, _ range: ClosedRange<Int>) throws(ServiceError) -> Int? {
            guard let value = try p.optionalInt(name) else { return nil }
            guard range.contains(value) else {
                throw ServiceError("ValidationError", "\(name) '\(value)' must be between \(range.lowerBound) and \(range.upperBound)")
            }
            return value
        }
        if let value = try ranged("HealthCheckIntervalSeconds", 5...300) { check.interval = value }
        if let value = try ranged("HealthCheckTimeoutSeconds", 2...120) { check.timeout = value }
        if let value = try ranged("HealthyThresholdCount", 2...10) { check.healthyThreshold = value }
        if let value = try ranged("UnhealthyThresholdCount", 2...10) { check.unhealthyThreshold = value }
        if check.proto != "TCP" || lambda, check.timeout >= check.interval {
            throw ServiceError("ValidationError", "Health check timeout '\(check.timeout)' must be smaller than the interval '\(check.interval)'")
        }
        if let matcher = try p.optionalObject("Matcher") {
            guard let code = try matcher.optionalString("HttpCode") else {
                throw ServiceError("ValidationError", "Matcher must specify HttpCode")
            }
            guard check.proto != "TCP" else { throw ServiceError("ValidationError", "A matcher cannot be set for TCP health checks") }
            guard HTTPCodeMatcher(code, allowed: network ? 200...599 : 200...499) != nil else {
                throw ServiceError("InvalidParameterValue", "HttpCode must be like 200 | 200-399 | 200,201 ...")
            }
            check.matcher = code
        }
        return check
    }

    mutating func modifyTargetGroup(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        var group = try targetGroup(try p.string("TargetGroupArn"), scope)
        let wasEnabled = group.health.enabled
        group.health = try healthCheck(p, base: group.health, network: group.isNetwork, lambda: group.targetType == "lambda")
        targetGroups[group.arn] = group
        if wasEnabled != group.health.enabled { healthCheckSwitched(group.arn) }
        return .members([("TargetGroups", .array([describe(group)]))])
    }

    mutating func deleteTargetGroup(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let arn = try p.string("TargetGroupArn")
        guard targetGroups[arn] != nil, scope.owns(arn) else { return .object(JSONObject()) }
        if let rule = rules.values.filter({ $0.actions.contains { $0.action.targetGroupArns.contains(arn) } }).min(by: { $0.sequence < $1.sequence }) {
            throw ServiceError("ResourceInUse", "Target group '\(arn)' is currently in use by a listener or a rule (\(rule.arn))")
        }
        targetGroups[arn] = nil
        return .object(JSONObject())
    }

    func describeTargetGroups(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let arns = try p.strings("TargetGroupArns")
        let names = try p.strings("Names")
        var result: [TargetGroup]
        if !arns.isEmpty {
            result = []
            for arn in arns { result.append(try targetGroup(arn, scope)) }
        } else if !names.isEmpty {
            result = []
            for name in names {
                guard let group = targetGroups.values.first(where: { $0.name == name && scope.owns($0.arn) }) else {
                    throw ServiceError("TargetGroupNotFound", "One or more target groups not found")
                }
                result.append(group)
            }
        } else {
            result = targetGroups.values.filter { scope.owns($0.arn) }.sorted { $0.sequence < $1.sequence }
            if let lbArn = try p.optionalString("LoadBalancerArn") {
                _ = try loadBalancer(lbArn, scope)
                result = result.filter { group in loadBalancers(using: group.arn).contains { $0.arn == lbArn } }
            }
        }
        return .members([("TargetGroups", .array(result.map(describe)))])
    }

    func describe(_ group: TargetGroup) -> JSONValue {
        var members: [(String, JSONValue)] = [("TargetGroupArn", .str(group.arn)), ("TargetGroupName", .str(group.name))]
        if let proto = group.proto { members.append(("Protocol", .str(proto))) }
        if let version = group.protocolVersion { members.append(("ProtocolVersion", .str(version))) }
        if let port = group.port { members.append(("Port", .int(port))) }
        if let vpc = group.vpcId { members.append(("VpcId", .str(vpc))) }
        let check = group.health
        members.append(("HealthCheckEnabled", .bool(check.enabled)))
        if group.targetType != "lambda" {
            members.append(("HealthCheckProtocol", .str(check.proto)))
            members.append(("HealthCheckPort", .str(check.port)))
        }
        members += [
            ("HealthCheckIntervalSeconds", .int(check.interval)), ("HealthCheckTimeoutSeconds", .int(check.timeout)),
            ("HealthyThresholdCount", .int(check.healthyThreshold)), ("UnhealthyThresholdCount", .int(check.unhealthyThreshold)),
        ]
        if let path = check.path { members.append(("HealthCheckPath", .str(path))) }
        if let matcher = check.matcher { members.append(("Matcher", .members([("HttpCode", .str(matcher))]))) }
        members.append(("LoadBalancerArns", .array(loadBalancers(using: group.arn).map { .str($0.arn) })))
        members.append(("TargetType", .str(group.targetType)))
        members.append(("IpAddressType", .str(group.ipAddressType)))
        return .members(members)
    }

    // MARK: attributes

    mutating func modifyTargetGroupAttributes(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        var group = try targetGroup(try p.string("TargetGroupArn"), scope)
        for (key, value) in try attributePairs(p) {
            guard group.attribute(key) != nil else {
                throw ServiceError("ValidationError", "Target group attribute key '\(key)' is not recognized")
            }
            group.setAttribute(key, value)
        }
        try validateAttributes(group)
        targetGroups[group.arn] = group
        return .members([("Attributes", attributesJSON(group.attributes))])
    }

    func validateAttributes(_ group: TargetGroup) throws(ServiceError) {
        func invalid(_ message: String) -> ServiceError { ServiceError("ValidationError", message) }
        func integer(_ key: String, _ range: ClosedRange<Int>) throws(ServiceError) {
            guard let text = group.attribute(key) else { return }
            guard let value = Int(text), range.contains(value) else {
                throw invalid("'\(key)' must be between \(range.lowerBound) and \(range.upperBound)")
            }
        }
        func flag(_ key: String) throws(ServiceError) {
            guard let text = group.attribute(key) else { return }
            guard text == "true" || text == "false" else { throw invalid("'\(key)' must be 'true' or 'false'") }
        }
        try integer("deregistration_delay.timeout_seconds", 0...3600)
        try integer("stickiness.lb_cookie.duration_seconds", 1...604_800)
        try integer("stickiness.app_cookie.duration_seconds", 1...604_800)
        try flag("stickiness.enabled")
        try flag("proxy_protocol_v2.enabled")
        try flag("preserve_client_ip.enabled")
        try flag("lambda.multi_value_headers.enabled")
        if let slow = group.attribute("slow_start.duration_seconds") {
            guard let value = Int(slow), value == 0 || (30...900).contains(value) else {
                throw invalid("'slow_start.duration_seconds' must be 0 or between 30 and 900")
            }
        }
        if let cross = group.attribute("load_balancing.cross_zone.enabled"),
           !["true", "false", "use_load_balancer_configuration"].contains(cross) {
            throw invalid("'load_balancing.cross_zone.enabled' must be one of [true, false, use_load_balancer_configuration]")
        }
        if let algorithm = group.attribute("load_balancing.algorithm.type") {
            guard ["round_robin", "least_outstanding_requests", "weighted_random"].contains(algorithm) else {
                throw invalid("'load_balancing.algorithm.type' must be one of [round_robin, least_outstanding_requests, weighted_random]")
            }
            if group.attribute("load_balancing.algorithm.anomaly_mitigation").map({ $0 != "on" && $0 != "off" }) ?? false {
                throw invalid("'load_balancing.algorithm.anomaly_mitigation' must be 'on' or 'off'")
            }
            if group.attribute("load_balancing.algorithm.anomaly_mitigation") == "on" && algorithm != "weighted_random" {
                throw ServiceError("InvalidConfigurationRequest", "Anomaly mitigation is supported only with the weighted_random algorithm")
            }
            if algorithm == "least_outstanding_requests" && (Int(group.attribute("slow_start.duration_seconds") ?? "0") ?? 0) > 0 {
                throw ServiceError("InvalidConfigurationRequest", "Slow start cannot be combined with the least_outstanding_requests algorithm")
            }
        }
        if let type = group.attribute("stickiness.type") {
            let allowed = group.isNetwork ? ["source_ip"] : ["lb_cookie", "app_cookie"]
            guard allowed.contains(type) else {
                throw ServiceError("InvalidConfigurationRequest", "Stickiness type '\(type)' is not supported for target groups with the \(group.proto ?? "lambda") protocol")
            }
            if type == "app_cookie" && group.stickinessEnabled {
                let cookie = group.attribute("stickiness.app_cookie.cookie_name") ?? ""
                guard !cookie.isEmpty else {
                    throw ServiceError("InvalidConfigurationRequest", "An application cookie name must be specified for app_cookie stickiness")
                }
                guard !cookie.uppercased().hasPrefix("AWSALB") else {
                    throw invalid("Application cookie names starting with AWSALB (AWSALB, AWSALBAPP, AWSALBTG) are reserved")
                }
            }
        }
    }

    func describeTargetGroupAttributes(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let group = try targetGroup(try p.string("TargetGroupArn"), scope)
        return .members([("Attributes", attributesJSON(group.attributes))])
    }

    // MARK: targets

    mutating func registerTargets(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        var group = try targetGroup(try p.string("TargetGroupArn"), scope)
        let items = try p.objects("Targets")
        guard !items.isEmpty else { throw ServiceError("ValidationError", "At least one target must be specified") }
        var additions: [(id: String, port: Int?, zone: String)] = []
        var defaultZone: String?
        for item in items {
            let id = try item.string("Id")
            var port = try item.optionalInt("Port")
            switch group.targetType {
            case "instance":
                guard id.hasPrefix("i-"), id.count == 10 || id.count == 19,
                      id.dropFirst(2).unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }) else {
                    throw ServiceError("InvalidTarget", "The specified target does not exist or is not in the same VPC as the target group.")
                }
            case "ip":
                guard let address = IPAddress(id), !address.isIPv4 || address.isPrivateIPv4 else {
                    throw ServiceError("InvalidTarget", "The specified target does not exist or is not in the same VPC as the target group.")
                }
            default:
                guard id.hasPrefix("arn:aws:lambda:") else {
                    throw ServiceError("ValidationError", "A Lambda function ARN must be specified for target groups with target type 'lambda'")
                }
                guard port == nil else { throw ServiceError("ValidationError", "A port cannot be specified for Lambda targets") }
            }
            if group.targetType != "lambda" {
                port = port ?? group.port
                if let port, !(1...65535).contains(port) {
                    throw ServiceError("ValidationError", "Port '\(port)' must be between 1 and 65535")
                }
            }
            // SIM: without a zone, a target sits in the first zone of the first load balancer using
            // the group (else the region's zone "a").
            let zone: String
            if let given = try item.optionalString("AvailabilityZone") {
                zone = given
            } else {
                // Looked up once per call, not once per listed target.
                if defaultZone == nil { defaultZone = loadBalancers(using: group.arn).first?.zones.first?.zone ?? "\(scope.region)a" }
                zone = defaultZone ?? "\(scope.region)a"
            }
            additions.append((id, port, zone))
        }
        if group.targetType == "lambda" {
            let ids = Set(group.targets.filter { $0.state != .draining }.map(\.id) + additions.map(\.id))
            guard ids.count <= 1 else {
                throw ServiceError("TooManyTargets", "You've reached the limit on the number of targets per target group (1 Lambda function)")
            }
        }
        let newKeys = Set(additions.map { TargetKey(id: $0.id, port: $0.port) }).subtracting(group.targets.map(\.key))
        guard group.targets.count + newKeys.count <= Self.targetsPerGroup else {
            throw ServiceError("TooManyTargets", "You've reached the limit on the number of targets per target group")
        }
        // Registrations per target id: one pass over the new keys and one over every group's targets
        // (not one pass over all of them per id).
        var adding: [String: Int] = [:]
        for key in newKeys { adding[key.id, default: 0] += 1 }
        var existingCounts: [String: Int] = [:]
        for other in targetGroups.values {
            for target in other.targets where adding[target.id] != nil { existingCounts[target.id, default: 0] += 1 }
        }
        for (id, count) in adding.sorted(by: { $0.key < $1.key }) {
            guard (existingCounts[id] ?? 0) + count <= Self.registrationsPerTargetID else {
                throw ServiceError("TooManyRegistrationsForTargetId", "You've reached the limit on the number of times a target can be registered")
            }
        }
        let inUse = isInUse(group.arn)
        for addition in additions {
            let key = TargetKey(id: addition.id, port: addition.port)
            if let index = group.targets.firstIndex(where: { $0.key == key }) {
                guard group.targets[index].state == .draining else { continue }  // already registered: no-op
                group.targets.remove(at: index)
            }
            var registration = Registration(id: addition.id, port: addition.port, zone: addition.zone, sequence: nextSequence(),
                                            state: .initial, registered: now)
            let previous = "unused"
            if group.health.enabled {
                registration.reason = "Elb.RegistrationInProgress"
                registration.description = "Target registration is in progress"
                if inUse { registration.nextCheck = now.adding(seconds: Int64(group.health.interval)) }
            } else {
                registration.state = .unavailable
                registration.reason = "Target.HealthCheckDisabled"
                registration.description = "Health checks are disabled"
            }
            group.targets.append(registration)
            healthEvent(group, registration, previous: previous)
        }
        targetGroups[group.arn] = group
        return .object(JSONObject())
    }

    mutating func deregisterTargets(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        var group = try targetGroup(try p.string("TargetGroupArn"), scope)
        let items = try p.objects("Targets")
        guard !items.isEmpty else { throw ServiceError("ValidationError", "At least one target must be specified") }
        var indices: [Int] = []
        for item in items {
            let id = try item.string("Id")
            let port = try item.optionalInt("Port") ?? (group.targetType == "lambda" ? nil : group.port)
            guard let index = group.targets.firstIndex(where: { $0.id == id && $0.port == port }) else {
                throw ServiceError("InvalidTarget", "The specified target does not exist or is not in the same VPC as the target group.")
            }
            indices.append(index)
        }
        let delay = Int64(group.deregistrationDelay)
        for index in indices where group.targets.indices.contains(index) && group.targets[index].state != .draining {
            let previous = reportedState(group, group.targets[index]).state
            group.targets[index].state = .draining
            group.targets[index].reason = "Target.DeregistrationInProgress"
            group.targets[index].description = "Target deregistration is in progress"
            group.targets[index].nextCheck = nil
            group.targets[index].drainEnds = now.adding(seconds: delay)
            healthEvent(group, group.targets[index], previous: previous.rawValue)
        }
        targetGroups[group.arn] = group
        if delay == 0 { finishDraining(group.arn) }
        return .object(JSONObject())
    }

    /// The state `DescribeTargetHealth` reports: `unused` while no listener or rule uses the group.
    func reportedState(_ group: TargetGroup, _ target: Registration) -> (state: TargetState, reason: String?, description: String?) {
        guard target.state != .draining else { return (target.state, target.reason, target.description) }
        let users = loadBalancers(using: group.arn)
        if users.isEmpty {
            return (.unused, "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer")
        }
        if target.zone != "all" && !users.contains(where: { lb in lb.zones.contains { $0.zone == target.zone } }) {
            return (.unused, "Target.NotInUse", "Target is in an Availability Zone that is not enabled for the load balancer")
        }
        return (target.state, target.reason, target.description)
    }

    func describeTargetHealth(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let group = try targetGroup(try p.string("TargetGroupArn"), scope)
        var descriptions: [JSONValue] = []
        func entry(_ id: String, _ port: Int?, _ zone: String?, _ state: TargetState, _ reason: String?, _ text: String?) -> JSONValue {
            var target: [(String, JSONValue)] = [("Id", .str(id))]
            if let port { target.append(("Port", .int(port))) }
            if let zone { target.append(("AvailabilityZone", .str(zone))) }
            var health: [(String, JSONValue)] = [("State", .str(state.rawValue))]
            if let reason { health.append(("Reason", .str(reason))) }
            if let text { health.append(("Description", .str(text))) }
            var members: [(String, JSONValue)] = [("Target", .members(target))]
            if group.targetType != "lambda" {
                let checkPort = group.health.port == "traffic-port" ? port.map(String.init) : group.health.port
                if let checkPort { members.append(("HealthCheckPort", .str(checkPort))) }
            }
            members.append(("TargetHealth", .members(health)))
            return .members(members)
        }
        let filter = try p.objects("Targets")
        if filter.isEmpty {
            for target in group.targets.sorted(by: { $0.sequence < $1.sequence }) {
                let reported = reportedState(group, target)
                descriptions.append(entry(target.id, target.port, target.zone, reported.state, reported.reason, reported.description))
            }
        } else {
            for item in filter {
                let id = try item.string("Id")
                let port = try item.optionalInt("Port")
                let matching = group.targets.filter { $0.id == id && (port == nil || $0.port == port) }
                if matching.isEmpty {
                    descriptions.append(entry(id, port ?? group.port, nil, .unused, "Target.NotRegistered", "Target is not registered to the target group"))
                }
                for target in matching {
                    let reported = reportedState(group, target)
                    descriptions.append(entry(target.id, target.port, target.zone, reported.state, reported.reason, reported.description))
                }
            }
        }
        return .members([("TargetHealthDescriptions", .array(descriptions))])
    }
}

/// An ELB `Matcher.HttpCode`: `200`, `200,202`, or `200-299`, within the allowed range.
struct HTTPCodeMatcher: Sendable {
    var ranges: [ClosedRange<Int>]

    init?(_ text: String, allowed: ClosedRange<Int>) {
        var ranges: [ClosedRange<Int>] = []
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        for part in parts {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 1 || (bounds.count == 2 && parts.count == 1) else { return nil }
            var numbers: [Int] = []
            for bound in bounds {
                guard bound.count == 3, let value = Int(bound), allowed.contains(value) else { return nil }
                numbers.append(value)
            }
            guard let low = numbers.first, let high = numbers.last, low <= high else { return nil }
            ranges.append(low...high)
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    func matches(_ code: Int) -> Bool { ranges.contains { $0.contains(code) } }
}
