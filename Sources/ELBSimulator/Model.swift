import EventPatterns
import EventSchedule
import EventTargets

/// `application` or `network`.
enum LoadBalancerType: String, Sendable {
    case application, network
}

struct LoadBalancer: Sendable {
    var arn: String
    var name: String
    var type: LoadBalancerType
    var scheme: String
    var ipAddressType: String
    var zones: [(zone: String, subnet: String)]
    var dnsName: String
    var created: Instant
    var sequence: Int
    var account: String
    var region: String
    var attributes: [(key: String, value: String)]

    func attribute(_ key: String) -> String? { attributes.first(where: { $0.key == key })?.value }
    mutating func setAttribute(_ key: String, _ value: String) {
        if let index = attributes.firstIndex(where: { $0.key == key }) { attributes[index].value = value } else { attributes.append((key, value)) }
    }
    /// ALB: always on at the load-balancer level; NLB: off unless the attribute says so.
    var crossZone: Bool { type == .application || attribute("load_balancing.cross_zone.enabled") == "true" }
    var idPart: String { String(arn.split(separator: "/").suffix(3).joined(separator: "/")) }
}

struct Listener: Sendable {
    var arn: String
    var loadBalancerArn: String
    var proto: String
    var port: Int
    var certificates: [JSONValue]
    var sslPolicy: String?
    var defaultRuleArn: String
    var sequence: Int
}

/// One condition of a listener rule, validated.
enum Condition: Sendable {
    case hostHeader([String])
    case pathPattern([String])
    case httpHeader(name: String, values: [String])
    case httpRequestMethod([String])
    case queryString([(key: String?, value: String)])
    case sourceIP([CIDRBlock])

    var field: String {
        switch self {
        case .hostHeader: return "host-header"
        case .pathPattern: return "path-pattern"
        case .httpHeader: return "http-header"
        case .httpRequestMethod: return "http-request-method"
        case .queryString: return "query-string"
        case .sourceIP: return "source-ip"
        }
    }
}

struct WeightedGroup: Sendable {
    var arn: String
    var weight: Int
}

struct RedirectConfig: Sendable {
    var proto: String
    var port: String
    var host: String
    var path: String
    var query: String
    var statusCode: String
}

/// A rule's terminal action.
enum Action: Sendable {
    case forward(groups: [WeightedGroup], stickiness: Int?, explicitConfig: Bool)
    case redirect(RedirectConfig)
    case fixedResponse(statusCode: String, contentType: String?, body: String?)

    var type: String {
        switch self {
        case .forward: return "forward"
        case .redirect: return "redirect"
        case .fixedResponse: return "fixed-response"
        }
    }

    var targetGroupArns: [String] {
        if case .forward(let groups, _, _) = self { return groups.map(\.arn) }
        return []
    }
}

struct Rule: Sendable {
    var arn: String
    var listenerArn: String
    /// nil: the default rule.
    var priority: Int?
    var conditions: [(condition: Condition, original: JSONValue)]
    var actions: [(action: Action, order: Int)]
    var sequence: Int

    var isDefault: Bool { priority == nil }
    var terminal: Action? { actions.last?.action }
}

/// Target-group health-check settings.
struct HealthCheck: Sendable {
    var enabled: Bool
    var proto: String
    var port: String
    var path: String?
    var interval: Int
    var timeout: Int
    var healthyThreshold: Int
    var unhealthyThreshold: Int
    var matcher: String?
}

/// The health state of one registration, as `DescribeTargetHealth` reports it.
enum TargetState: String, Sendable {
    case initial, healthy, unhealthy, unused, draining, unavailable
}

struct Registration: Sendable {
    var id: String
    var port: Int?
    var zone: String
    var sequence: Int
    var state: TargetState
    var reason: String?
    var description: String?
    var consecutiveSuccesses = 0
    var consecutiveFailures = 0
    var nextCheck: Instant?
    var drainEnds: Instant?
    var inFlight = 0
    /// When the target last turned healthy (slow start counts from here).
    var healthySince: Instant?
    /// Smooth weighted round-robin credit, used while a target of the group is in slow start.
    var credit = 0.0
    var registered: Instant

    var key: TargetKey { TargetKey(id: id, port: port) }
}

struct TargetKey: Hashable, Sendable {
    var id: String
    var port: Int?
}

struct TargetGroup: Sendable {
    var arn: String
    var name: String
    var proto: String?
    var protocolVersion: String?
    var port: Int?
    var vpcId: String?
    var targetType: String
    var ipAddressType: String
    var health: HealthCheck
    var attributes: [(key: String, value: String)]
    var targets: [Registration] = []
    var sequence: Int
    var account: String
    var region: String
    var roundRobinCursor = 0

    var isNetwork: Bool { ["TCP", "UDP", "TCP_UDP", "TLS"].contains(proto ?? "") }

    func attribute(_ key: String) -> String? { attributes.first(where: { $0.key == key })?.value }
    mutating func setAttribute(_ key: String, _ value: String) {
        if let index = attributes.firstIndex(where: { $0.key == key }) { attributes[index].value = value } else { attributes.append((key, value)) }
    }
    var deregistrationDelay: Int { Int(attribute("deregistration_delay.timeout_seconds") ?? "") ?? 300 }
    var algorithm: String { attribute("load_balancing.algorithm.type") ?? "round_robin" }
    var stickinessEnabled: Bool { attribute("stickiness.enabled") == "true" }
    var stickinessType: String { attribute("stickiness.type") ?? (isNetwork ? "source_ip" : "lb_cookie") }
}

/// A request that is still in flight at a target (`DurationSeconds` of `RouteRequest`).
struct InFlight: Sendable {
    var ends: Instant
    var targetGroupArn: String
    var target: TargetKey
}

/// An NLB flow pinned to its target.
struct Flow: Sendable {
    var key: String
    var loadBalancerArn: String
    var listenerProtocol: String
    var proto: String
    var targetGroupArn: String
    var target: TargetKey
    var started: Instant
    var lastSeen: Instant
    var idleTimeout: Int
    var countedMinute: Int64
}

/// Capacity-unit counters of one load balancer for one clock hour.
struct Meter: Sendable {
    var hourStart: Int64
    var newConnections: [String: Int] = [:]
    var activeMinutes: [String: [Int64: Int]] = [:]
    var bytes: [String: Int] = [:]
    var lambdaBytes = 0
    var ruleEvaluations = 0
    var requests = 0

    init(hourStart: Int64) { self.hourStart = hourStart }
}

/// A published event, collected under the lock and sent after it.
struct PendingEvent: Sendable {
    var account: String
    var region: String
    var detailType: String
    var detail: JSONValue
    var resources: [String]
}
