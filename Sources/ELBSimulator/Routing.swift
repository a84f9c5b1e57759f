import EventPatterns
import EventSchedule
import EventTargets

/// An HTTP request as the ALB sees it.
struct HTTPRequest: Sendable {
    var method: String
    var host: String
    var path: String
    var rawQuery: String
    var query: [(key: String, value: String)]
    var headers: [(name: String, value: String)]
    var sourceIP: String
    var cookies: [(name: String, value: String)]

    var sourceAddress: IPAddress? { IPAddress(sourceIP) }

    /// The host without a `:port` suffix (the port is ignored when matching host conditions).
    var hostWithoutPort: String {
        if host.hasPrefix("[") { return String(host.prefix(while: { $0 != "]" })) + "]" }
        return String(host.prefix(while: { $0 != ":" }))
    }

    func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    func cookie(_ name: String) -> String? { cookies.last(where: { $0.name == name })?.value }

    /// Reads `RouteRequest`'s request members (also the input of a listener rule target).
    init(_ p: ServiceParameters) throws(ServiceError) {
        method = try p.optionalString("Method") ?? "GET"
        guard !method.isEmpty, method.count <= 40 else { throw ServiceError("ValidationError", "Method must be 1 to 40 characters") }
        var headers: [(name: String, value: String)] = []
        if let object = try p.optionalObject("Headers") {
            for member in object.object.members {
                switch member.value {
                case .string(let value): headers.append((member.key, value))
                case .array(let values):
                    for value in values {
                        guard case .string(let text) = value else { throw ServiceError("ValidationError", "Headers values must be strings") }
                        headers.append((member.key, text))
                    }
                default: throw ServiceError("ValidationError", "Headers values must be strings")
                }
            }
        }
        self.headers = headers
        let hostHeader = headers.last(where: { $0.name.lowercased() == "host" })?.value
        host = try p.optionalString("Host") ?? hostHeader ?? ""
        var path = try p.optionalString("Path") ?? "/"
        var rawQuery = ""
        if let mark = path.firstIndex(of: "?") {
            rawQuery = String(path[path.index(after: mark)...])
            path = String(path[..<mark])
        }
        guard path.hasPrefix("/") else { throw ServiceError("ValidationError", "Path must start with '/'") }
        self.path = path
        switch p["Query"] {
        case nil: break
        case .string(let text)?: rawQuery = text.hasPrefix("?") ? String(text.dropFirst()) : text
        case .object(let object)?:
            var parts: [String] = []
            for member in object.members {
                guard case .string(let value) = member.value else { throw ServiceError("ValidationError", "Query values must be strings") }
                parts.append("\(member.key)=\(value)")
            }
            rawQuery = parts.joined(separator: "&")
        default: throw ServiceError("ValidationError", "Query must be a string or a map of strings")
        }
        self.rawQuery = rawQuery
        query = rawQuery.split(separator: "&").map { item in
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(pair.first ?? ""), pair.count > 1 ? String(pair[1]) : "")
        }
        sourceIP = try p.optionalString("SourceIp") ?? "192.0.2.1"
        guard IPAddress(sourceIP) != nil else { throw ServiceError("ValidationError", "SourceIp '\(sourceIP)' is not an IP address") }
        var cookies: [(name: String, value: String)] = []
        for header in headers where header.name.lowercased() == "cookie" {
            for part in header.value.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(pair.first ?? "").trimmingSpaces
                if !name.isEmpty { cookies.append((name, pair.count > 1 ? String(pair[1]).trimmingSpaces : "")) }
            }
        }
        for (name, value) in try p.stringMap("Cookies") { cookies.append((name, value)) }
        self.cookies = cookies
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

/// What routing a request decided.
struct RouteOutcome {
    var rule: Rule
    var rulesEvaluated: Int
    var members: [(String, JSONValue)]
}

extension State {
    /// Simulator-only `RouteRequest`: evaluates the listener's rules and runs the winning action.
    mutating func routeRequest(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let listener = try listener(try p.string("ListenerArn"), scope)
        let request = try HTTPRequest(p)
        let duration = try p.optionalInt("DurationSeconds") ?? 0
        guard (0...86_400).contains(duration) else { throw ServiceError("ValidationError", "DurationSeconds must be between 0 and 86400") }
        let requestBytes = try p.optionalInt("RequestBytes") ?? 0, responseBytes = try p.optionalInt("ResponseBytes") ?? 0
        // Bounded so that an hour's counters cannot overflow.
        guard (0...1_000_000_000_000).contains(requestBytes), (0...1_000_000_000_000).contains(responseBytes) else {
            throw ServiceError("ValidationError", "RequestBytes and ResponseBytes must be between 0 and 1000000000000")
        }
        let bytes = requestBytes + responseBytes
        let newConnection = try p.optionalBool("NewConnection") ?? true
        let responseCookies = try p.stringMap("ResponseCookies")
        return try route(request, listener: listener, scope: scope, duration: duration, bytes: bytes,
                         newConnection: newConnection, responseCookies: responseCookies)
    }

    mutating func route(_ request: HTTPRequest, listener: Listener, scope: Scope, duration: Int, bytes: Int,
                        newConnection: Bool, responseCookies: [(key: String, value: String)]) throws(ServiceError) -> JSONValue {
        let lb = try loadBalancer(listener.loadBalancerArn, scope)
        guard lb.type == .application else {
            throw ServiceError("ValidationError", "RouteRequest needs an Application Load Balancer listener; use RouteFlow for Network Load Balancers")
        }
        var evaluated = 0
        var chosen: Rule?
        for rule in orderedRules(listener.arn) {
            if rule.isDefault { chosen = rule; break }
            evaluated += 1
            if rule.conditions.allSatisfy({ Conditions.matches($0.condition, request) }) { chosen = rule; break }
        }
        guard let rule = chosen, let action = rule.terminal else {
            throw ServiceError("ListenerNotFound", "The listener has no default rule")
        }
        var members: [(String, JSONValue)] = [
            ("RuleArn", .str(rule.arn)), ("Priority", .str(rule.priority.map(String.init) ?? "default")),
            ("RulesEvaluated", .int(evaluated)), ("ActionType", .str(action.type)),
        ]
        let trace = traceHeader(request)
        members.append(("TraceId", .str(trace)))
        var lambda = false
        switch action {
        case .fixedResponse(let status, let contentType, let body):
            members.append(("StatusCode", .int(Int(status) ?? 503)))
            if let contentType { members.append(("ContentType", .str(contentType))) }
            if let body { members.append(("MessageBody", .str(body))) }
        case .redirect(let config):
            members.append(("StatusCode", .int(config.statusCode == "HTTP_301" ? 301 : 302)))
            members.append(("Location", .str(Redirects.location(config, request: request, listenerProtocol: listener.proto, listenerPort: listener.port))))
        case .forward(let groups, let stickiness, _):
            var setCookies: [String] = []
            guard let groupArn = pickGroup(groups, stickiness: stickiness, rule: rule, request: request, setCookies: &setCookies) else {
                members.append(("StatusCode", .int(503)))
                members.append(("MessageBody", .str("503 Service Temporarily Unavailable")))
                break
            }
            members.append(("TargetGroupArn", .str(groupArn)))
            guard let pick = pickTarget(groupArn, lb: lb, request: request, responseCookies: responseCookies, setCookies: &setCookies) else {
                members.append(("StatusCode", .int(503)))
                members.append(("MessageBody", .str("503 Service Temporarily Unavailable")))
                if !setCookies.isEmpty { members.append(("SetCookie", .array(setCookies.map(JSONValue.string)))) }
                break
            }
            lambda = targetGroups[groupArn]?.targetType == "lambda"
            var target: [(String, JSONValue)] = [("Id", .str(pick.target.id))]
            if let port = pick.target.port { target.append(("Port", .int(port))) }
            target.append(("AvailabilityZone", .str(pick.target.zone)))
            members.append(("Target", .members(target)))
            members.append(("FailOpen", .bool(pick.failOpen)))
            let forwardedFor = (request.headerValues("X-Forwarded-For").last.map { $0 + ", " } ?? "") + request.sourceIP
            members.append(("RequestHeaders", .members([
                ("X-Amzn-Trace-Id", .str(trace)), ("X-Forwarded-For", .str(forwardedFor)),
                ("X-Forwarded-Proto", .str(listener.proto.lowercased())), ("X-Forwarded-Port", .str(String(listener.port))),
            ])))
            if !setCookies.isEmpty { members.append(("SetCookie", .array(setCookies.map(JSONValue.string)))) }
            if duration > 0 {
                inFlight.append(InFlight(ends: now.adding(seconds: Int64(duration)), targetGroupArn: groupArn, target: pick.target.key))
                if var group = targetGroups[groupArn], let index = group.targets.firstIndex(where: { $0.key == pick.target.key }) {
                    group.targets[index].inFlight += 1
                    targetGroups[groupArn] = group
                }
            }
        }
        meterRequest(lb.arn, rulesEvaluated: evaluated, bytes: bytes, lambda: lambda, newConnection: newConnection, duration: duration)
        return .members(members)
    }

    /// The forward action's group: the `AWSALBTG` cookie's group when group stickiness is on and
    /// the cookie is valid, else a weighted random choice.
    mutating func pickGroup(_ groups: [WeightedGroup], stickiness: Int?, rule: Rule, request: HTTPRequest,
                            setCookies: inout [String]) -> String? {
        var chosen: String?
        if stickiness != nil, let token = request.cookie("AWSALBTG"), let fields = openCookie(token), fields.count == 3,
           fields[0] == "g", fields[1] == rule.arn, groups.contains(where: { $0.arn == fields[2] && $0.weight > 0 }) {
            chosen = fields[2]
        }
        if chosen == nil {
            let total = groups.reduce(0) { $0 + $1.weight }
            guard total > 0 else { return nil }
            var ticket = Int(random.next() % UInt64(total))
            for group in groups {
                if ticket < group.weight { chosen = group.arn; break }
                ticket -= group.weight
            }
        }
        if let stickiness, let chosen {
            let expires = now.adding(seconds: Int64(stickiness))
            let token = sealCookie(["g", rule.arn, chosen], expires: expires)
            setCookies.append("AWSALBTG=\(token); Expires=\(httpDate(expires)); Path=/")
            setCookies.append("AWSALBTGCORS=\(token); Expires=\(httpDate(expires)); Path=/; SameSite=None; Secure")
        }
        return chosen
    }

    /// Targets that may receive new requests, and whether that set is the fail-open fallback.
    func eligibleTargets(_ group: TargetGroup, zones: Set<String>) -> (targets: [Registration], failOpen: Bool) {
        let active = group.targets.filter { $0.state != .draining && (zones.contains($0.zone) || $0.zone == "all") }
            .sorted { $0.sequence < $1.sequence }
        let usable = active.filter { $0.state == .healthy || $0.state == .unavailable }
        if !usable.isEmpty { return (usable, false) }
        // Fail open: when every registered target is unhealthy, route to all of them.
        if !active.isEmpty && active.allSatisfy({ $0.state == .unhealthy }) { return (active, true) }
        return ([], false)
    }

    mutating func pickTarget(_ groupArn: String, lb: LoadBalancer, request: HTTPRequest, responseCookies: [(key: String, value: String)],
                             setCookies: inout [String]) -> (target: Registration, failOpen: Bool)? {
        guard var group = targetGroups[groupArn] else { return nil }
        let (eligible, failOpen) = eligibleTargets(group, zones: Set(lb.zones.map(\.zone)))
        guard !eligible.isEmpty else { return nil }
        let sticky = group.stickinessEnabled
        let type = group.stickinessType
        var pick: Registration?
        if sticky {
            let cookieName = type == "app_cookie" ? "AWSALBAPP-0" : "AWSALB"
            let appCookie = group.attribute("stickiness.app_cookie.cookie_name") ?? ""
            if let token = request.cookie(cookieName), let fields = openCookie(token), fields.count == 4, fields[0] == "t",
               fields[1] == groupArn, type != "app_cookie" || request.cookie(appCookie) != nil {
                pick = eligible.first { $0.id == fields[2] && ($0.port.map(String.init) ?? "") == fields[3] }
            }
        }
        let wasSticky = pick != nil
        let weights = slowStartWeights(group, eligible)
        if pick == nil, let weights {
            pick = weightedPick(&group, eligible, weights)
            targetGroups[groupArn] = group
        } else if pick == nil {
            switch group.algorithm {
            case "least_outstanding_requests":
                pick = eligible.min { $0.inFlight != $1.inFlight ? $0.inFlight < $1.inFlight : $0.sequence < $1.sequence }
            case "weighted_random":
                pick = eligible[Int(random.next() % UInt64(eligible.count))]
            default:
                pick = eligible[group.roundRobinCursor % eligible.count]
                group.roundRobinCursor = (group.roundRobinCursor + 1) % 1_000_000_007
                targetGroups[groupArn] = group
            }
        }
        guard let target = pick else { return nil }
        if sticky {
            let fields = ["t", groupArn, target.id, target.port.map(String.init) ?? ""]
            if type == "app_cookie" {
                let appCookie = group.attribute("stickiness.app_cookie.cookie_name") ?? ""
                if wasSticky || responseCookies.contains(where: { $0.key == appCookie }) {
                    let expires = now.adding(seconds: Int64(group.attribute("stickiness.app_cookie.duration_seconds") ?? "") ?? 86_400)
                    setCookies.append("AWSALBAPP-0=\(sealCookie(fields, expires: expires)); Expires=\(httpDate(expires)); Path=/")
                }
            } else {
                let expires = now.adding(seconds: Int64(group.attribute("stickiness.lb_cookie.duration_seconds") ?? "") ?? 86_400)
                let token = sealCookie(fields, expires: expires)
                setCookies.append("AWSALB=\(token); Expires=\(httpDate(expires)); Path=/")
                setCookies.append("AWSALBCORS=\(token); Expires=\(httpDate(expires)); Path=/; SameSite=None; Secure")
            }
        }
        return (target, failOpen)
    }

    // MARK: slow start

    /// Per-target weights while slow start applies: 1 for a target out of its window, the elapsed
    /// fraction of the window for one inside it. Nil when no target is in slow start, or when no
    /// other target is out of it (then slow start does not apply, as in AWS).
    func slowStartWeights(_ group: TargetGroup, _ eligible: [Registration]) -> [Double]? {
        let window = Int64(group.attribute("slow_start.duration_seconds") ?? "") ?? 0
        guard window > 0 else { return nil }
        let weights = eligible.map { target -> Double in
            guard target.state == .healthy, let since = target.healthySince else { return 1 }
            let elapsed = now.secondsSince1970 - since.secondsSince1970
            return elapsed >= window ? 1 : max(Double(elapsed), 0) / Double(window)
        }
        guard weights.contains(where: { $0 < 1 }), weights.contains(1) else { return nil }
        return weights
    }

    /// A pick in proportion to `weights`: seeded random for `weighted_random`, smooth weighted
    /// round robin (deterministic) otherwise.
    mutating func weightedPick(_ group: inout TargetGroup, _ eligible: [Registration], _ weights: [Double]) -> Registration? {
        let total = weights.reduce(0, +)
        guard total > 0 else { return eligible.first }
        if group.algorithm == "weighted_random" {
            var ticket = Double(random.next() >> 11) / Double(UInt64(1) << 53) * total
            for (target, weight) in zip(eligible, weights) {
                if ticket < weight { return target }
                ticket -= weight
            }
            return eligible.last
        }
        var best: (index: Int, credit: Double)?
        for (target, weight) in zip(eligible, weights) {
            guard let index = group.targets.firstIndex(where: { $0.key == target.key }) else { continue }
            group.targets[index].credit += weight
            if best.map({ group.targets[index].credit > $0.credit }) ?? true { best = (index, group.targets[index].credit) }
        }
        guard let best else { return eligible.first }
        group.targets[best.index].credit -= total
        return group.targets[best.index]
    }

    // MARK: cookies

    /// An opaque, tamper-evident cookie: hex of the fields and expiry, a dot, and a keyed FNV MAC.
    func sealCookie(_ fields: [String], expires: Instant) -> String {
        let payload = Array((fields + [String(expires.secondsSince1970)]).joined(separator: "\n").utf8)
        return Hex.encode(payload) + "." + Hex.digits(FNV.hash(payload, seed: cookieKey), width: 16)
    }

    /// The fields of a cookie made by `sealCookie`, or nil when it is malformed, tampered with or expired.
    func openCookie(_ token: String) -> [String]? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Hex.decode(String(parts[0])),
              Hex.digits(FNV.hash(payload, seed: cookieKey), width: 16) == parts[1] else { return nil }
        var fields = String(decoding: payload, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let expiry = fields.popLast().flatMap({ Int64($0) }), expiry > now.secondsSince1970 else { return nil }
        return fields
    }

    // MARK: X-Amzn-Trace-Id

    /// The request's `X-Amzn-Trace-Id` after this load balancer: a new `Root` when there is none,
    /// else the `Root` kept with a new `Self` in front; other fields are kept after them.
    mutating func traceHeader(_ request: HTTPRequest) -> String {
        let stamp = Hex.digits(UInt64(max(0, now.secondsSince1970)) & 0xFFFF_FFFF, width: 8)
        let fresh = "1-\(stamp)-\(random.hex(24))"
        let headerBytes = request.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
        guard let incoming = request.headerValues("X-Amzn-Trace-Id").last, headerBytes <= 7 * 1024 else {
            return "Root=\(fresh)"
        }
        var root: String?
        var others: [String] = []
        for field in incoming.split(separator: ";") {
            let text = String(field).trimmingSpaces
            if text.hasPrefix("Root=") { root = String(text.dropFirst(5)) } else if text.hasPrefix("Self=") { continue } else if !text.isEmpty { others.append(text) }
        }
        guard let root else { return (["Root=\(fresh)"] + others).joined(separator: ";") }
        return (["Self=\(fresh)", "Root=\(root)"] + others).joined(separator: ";")
    }
}
