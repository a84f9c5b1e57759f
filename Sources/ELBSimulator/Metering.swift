import EventPatterns
import EventSchedule
import EventTargets

/// Capacity units, ELB's billing measure: LCUs for Application Load Balancers, NLCUs for Network
/// Load Balancers. Each dimension is divided by what one unit buys; a load balancer-hour is billed
/// on the largest dimension (NLB: per protocol, then summed).
///
/// ```swift
/// // The spec's worked example: 100 new connections/s, 9 000 active, 2 GB/h, 500 req/s over 12 rules.
/// let lcu = CapacityUnits.application(newConnectionsPerSecond: 100, activeConnectionsPerMinute: 9_000,
///                                     processedGBPerHour: 2,
///                                     ruleEvaluationsPerSecond: CapacityUnits.ruleEvaluations(requestsPerSecond: 500, rulesProcessed: 12))
/// lcu.billed  // 4
/// ```
public struct CapacityUnits: Sendable, Equatable {
    /// Units for new connections (or flows), active connections, processed bytes and rule evaluations (ALB only; 0 for NLB).
    public var newConnections: Double
    public var activeConnections: Double
    public var processedBytes: Double
    public var ruleEvaluations: Double

    /// Units per dimension.
    public init(newConnections: Double, activeConnections: Double, processedBytes: Double, ruleEvaluations: Double) {
        self.newConnections = newConnections
        self.activeConnections = activeConnections
        self.processedBytes = processedBytes
        self.ruleEvaluations = ruleEvaluations
    }

    /// The billed units: the largest dimension.
    public var billed: Double { max(newConnections, activeConnections, processedBytes, ruleEvaluations) }

    /// Bytes in one GB for the processed-bytes dimension (SIM: 2³⁰).
    public static let bytesPerGB = 1_073_741_824.0

    /// Rule evaluations per second: the request rate times the rules processed beyond the first 10 free ones.
    /// - Complexity: O(1).
    public static func ruleEvaluations(requestsPerSecond: Double, rulesProcessed: Int) -> Double {
        requestsPerSecond * Double(max(0, rulesProcessed - 10))
    }

    /// ALB LCUs: 25 new connections/s, 3 000 active connections/min, 1 GB/h (0.4 GB/h for Lambda
    /// targets), 1 000 rule evaluations/s.
    /// - Complexity: O(1).
    public static func application(newConnectionsPerSecond: Double, activeConnectionsPerMinute: Double, processedGBPerHour: Double,
                                   lambdaProcessedGBPerHour: Double = 0, ruleEvaluationsPerSecond: Double) -> CapacityUnits {
        CapacityUnits(newConnections: newConnectionsPerSecond / 25, activeConnections: activeConnectionsPerMinute / 3_000,
                      processedBytes: processedGBPerHour / 1 + lambdaProcessedGBPerHour / 0.4,
                      ruleEvaluations: ruleEvaluationsPerSecond / 1_000)
    }

    /// NLB NLCUs of one protocol (`TCP`: 800 new/s, 100 000 active, 1 GB/h; `UDP`: 400, 50 000, 1 GB/h;
    /// `TLS`: 50, 3 000, 1 GB/h); nil for another protocol.
    /// - Complexity: O(1).
    public static func network(protocol name: String, newPerSecond: Double, activePerMinute: Double, processedGBPerHour: Double) -> CapacityUnits? {
        let table: [String: (Double, Double)] = ["TCP": (800, 100_000), "UDP": (400, 50_000), "TLS": (50, 3_000)]
        guard let (new, active) = table[name] else { return nil }
        return CapacityUnits(newConnections: newPerSecond / new, activeConnections: activePerMinute / active,
                             processedBytes: processedGBPerHour, ruleEvaluations: 0)
    }
}

/// `a + b`, or `Int.max` where the sum would overflow: byte counters are bounded per request, not
/// per hour, and a counter that wrapped would report a negative figure (and `+` would trap).
func saturatingSum(_ a: Int, _ b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? (b < 0 ? Int.min : Int.max) : sum
}

func hourStart(_ instant: Instant) -> Int64 {
    let seconds = instant.secondsSince1970
    return seconds - ((seconds % 3600) + 3600) % 3600
}

/// The end of the hour starting at `start`; nil for the last hour of `Int64` time, which never ends
/// (`start + 3600` trapped there, and a saturated end would be reported again and again).
func hourEnd(_ start: Int64) -> Instant? {
    let (end, overflow) = start.addingReportingOverflow(3600)
    return overflow ? nil : Instant(secondsSince1970: end)
}

func minute(_ instant: Instant) -> Int64 {
    let seconds = instant.secondsSince1970
    return (seconds - ((seconds % 60) + 60) % 60) / 60
}

extension State {
    /// Marks a connection active during the minutes `from...through` (minute numbers since 1970).
    mutating func markActive(_ lbArn: String, _ protoClass: String, from: Int64, through: Int64) {
        guard from <= through, var meter = meters[lbArn] else { return }
        let capped = min(through, from + 60 * 24 * 2)
        var current = from
        while current <= capped {
            meter.activeMinutes[protoClass, default: [:]][current, default: 0] += 1
            current += 1
        }
        meters[lbArn] = meter
    }

    mutating func meterRequest(_ lbArn: String, rulesEvaluated: Int, bytes: Int, lambda: Bool, newConnection: Bool, duration: Int) {
        guard var meter = meters[lbArn] else { return }
        meter.requests += 1
        meter.ruleEvaluations += max(0, rulesEvaluated - 10)
        if lambda { meter.lambdaBytes = saturatingSum(meter.lambdaBytes, bytes) } else { meter.bytes["HTTP"] = saturatingSum(meter.bytes["HTTP"] ?? 0, bytes) }
        if newConnection { meter.newConnections["HTTP", default: 0] += 1 }
        meters[lbArn] = meter
        if newConnection { markActive(lbArn, "HTTP", from: minute(now), through: minute(now.adding(seconds: Int64(duration)))) }
    }

    /// The figures of one meter for its hour (or the part of it so far).
    func figures(_ lb: LoadBalancer, _ meter: Meter) -> JSONValue {
        let hourFinish = hourEnd(meter.hourStart)?.secondsSince1970 ?? .max
        func active(_ proto: String) -> Double {
            let minutes = meter.activeMinutes[proto] ?? [:]
            let total = minutes.filter { $0.key * 60 >= meter.hourStart && $0.key * 60 < hourFinish }.values.reduce(0, +)
            return Double(total) / 60
        }
        var members: [(String, JSONValue)] = [
            ("loadBalancerArn", .str(lb.arn)), ("loadBalancerType", .str(lb.type.rawValue)),
            ("hourStart", .str(Instant(secondsSince1970: meter.hourStart).iso8601)),
            ("hourEnd", .str(Instant(secondsSince1970: hourFinish).iso8601)),
        ]
        func units(_ units: CapacityUnits) -> JSONValue {
            .members([("newConnections", .double(units.newConnections)), ("activeConnections", .double(units.activeConnections)),
                      ("processedBytes", .double(units.processedBytes)), ("ruleEvaluations", .double(units.ruleEvaluations))])
        }
        if lb.type == .application {
            let newPerSecond = Double(meter.newConnections["HTTP"] ?? 0) / 3600
            let gb = Double(meter.bytes["HTTP"] ?? 0) / CapacityUnits.bytesPerGB
            let lambdaGB = Double(meter.lambdaBytes) / CapacityUnits.bytesPerGB
            let evaluations = Double(meter.ruleEvaluations) / 3600
            let lcu = CapacityUnits.application(newConnectionsPerSecond: newPerSecond, activeConnectionsPerMinute: active("HTTP"),
                                                processedGBPerHour: gb, lambdaProcessedGBPerHour: lambdaGB, ruleEvaluationsPerSecond: evaluations)
            members += [
                ("requests", .int(meter.requests)),
                ("dimensions", .members([
                    ("newConnectionsPerSecond", .double(newPerSecond)), ("activeConnectionsPerMinute", .double(active("HTTP"))),
                    ("processedBytes", .int(saturatingSum(meter.bytes["HTTP"] ?? 0, meter.lambdaBytes))), ("lambdaProcessedBytes", .int(meter.lambdaBytes)),
                    ("ruleEvaluationsPerSecond", .double(evaluations)),
                ])),
                ("capacityUnits", units(lcu)), ("billedCapacityUnits", .double(lcu.billed)), ("unit", .str("LCU")),
            ]
        } else {
            var total = 0.0
            var protocols: [(String, JSONValue)] = []
            for proto in ["TCP", "UDP", "TLS"] {
                let newPerSecond = Double(meter.newConnections[proto] ?? 0) / 3600
                let gb = Double(meter.bytes[proto] ?? 0) / CapacityUnits.bytesPerGB
                guard let nlcu = CapacityUnits.network(protocol: proto, newPerSecond: newPerSecond, activePerMinute: active(proto),
                                                       processedGBPerHour: gb) else { continue }
                total += nlcu.billed
                protocols.append((proto, .members([
                    ("dimensions", .members([("newFlowsPerSecond", .double(newPerSecond)), ("activeFlowsPerMinute", .double(active(proto))),
                                             ("processedBytes", .int(meter.bytes[proto] ?? 0))])),
                    ("capacityUnits", units(nlcu)), ("billedCapacityUnits", .double(nlcu.billed)),
                ])))
            }
            members += [("protocols", .members(protocols)), ("billedCapacityUnits", .double(total)), ("unit", .str("NLCU"))]
        }
        return .members(members)
    }

    /// Closes a load balancer's hour: queues the "ELB Capacity Units Report" and starts the next hour.
    mutating func report(_ lbArn: String) {
        guard let lb = loadBalancers[lbArn], var meter = meters[lbArn] else {
            meters[lbArn] = nil  // never leave a due meter behind (runDue would see it again)
            return
        }
        let detail = figures(lb, meter)
        lastReports[lbArn] = detail
        pending.append(PendingEvent(account: lb.account, region: lb.region, detailType: "ELB Capacity Units Report",
                                    detail: detail, resources: [lb.arn]))
        let next = hourEnd(meter.hourStart)?.secondsSince1970 ?? .max
        var fresh = Meter(hourStart: next)
        for (proto, minutes) in meter.activeMinutes {
            fresh.activeMinutes[proto] = minutes.filter { $0.key * 60 >= next }
        }
        meter = fresh
        meters[lbArn] = meter
    }

    /// Simulator-only `DescribeCapacityUnits`: the current hour so far and the last reported hour.
    func describeCapacityUnits(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let lb = try loadBalancer(try p.string("LoadBalancerArn"), scope)
        var members: [(String, JSONValue)] = []
        if let meter = meters[lb.arn] { members.append(("CurrentHour", figures(lb, meter))) }
        if let last = lastReports[lb.arn] { members.append(("LastReportedHour", last)) }
        return .members(members)
    }
}
