import EventPatterns
import EventTargets

extension State {
    /// Parses and validates a rule's (or listener's default) actions, sorted by `Order`.
    func parseActions(_ items: [ServiceParameters], name: String, lb: LoadBalancer, listener: Listener,
                      scope: Scope) throws(ServiceError) -> [(action: Action, order: Int)] {
        guard !items.isEmpty else { throw ServiceError("ValidationError", "At least one action must be specified in \(name)") }
        guard items.count <= 2 else {
            throw ServiceError("TooManyActions", "You've reached the limit on the number of actions per rule")
        }
        var parsed: [(action: Action, order: Int)] = []
        for (index, item) in items.enumerated() {
            let type = try item.string("Type")
            let order = try item.optionalInt("Order") ?? index + 1
            guard (1...50_000).contains(order) else {
                throw ServiceError("ValidationError", "Action order '\(order)' must be between 1 and 50000")
            }
            let action: Action
            switch type {
            case "forward": action = try parseForward(item, lb: lb, listener: listener, scope: scope)
            case "redirect": action = try parseRedirect(item, lb: lb, listener: listener)
            case "fixed-response": action = try parseFixedResponse(item, lb: lb)
            default:
                throw ServiceError("ValidationError", "1 validation error detected: Value '\(type)' at 'actions.\(index + 1).member.type' failed to satisfy constraint: Member must satisfy enum value set: [forward, redirect, fixed-response]")
            }
            parsed.append((action, order))
        }
        guard Set(parsed.map(\.order)).count == parsed.count else {
            throw ServiceError("ValidationError", "The action orders must be unique")
        }
        // Each of the simulated types is terminal: a rule carries exactly one (authenticate actions,
        // which may precede it in AWS, are not simulated).
        guard parsed.count == 1 else {
            throw ServiceError("ValidationError", "A rule must have exactly one terminal action (forward, redirect or fixed-response), and it must be last")
        }
        return parsed.sorted { $0.order < $1.order }
    }

    func parseForward(_ item: ServiceParameters, lb: LoadBalancer, listener: Listener, scope: Scope) throws(ServiceError) -> Action {
        var groups: [WeightedGroup] = []
        var stickiness: Int?
        let single = try item.optionalString("TargetGroupArn")
        let config = try item.optionalObject("ForwardConfig")
        if let config {
            for entry in try config.objects("TargetGroups") {
                let weight = try entry.optionalInt("Weight") ?? 1
                guard (0...999).contains(weight) else {
                    throw ServiceError("ValidationError", "Target group weight '\(weight)' must be between 0 and 999")
                }
                groups.append(WeightedGroup(arn: try entry.string("TargetGroupArn"), weight: weight))
            }
            if let sticky = try config.optionalObject("TargetGroupStickinessConfig"), try sticky.optionalBool("Enabled") == true {
                guard let seconds = try sticky.optionalInt("DurationSeconds") else {
                    throw ServiceError("ValidationError", "DurationSeconds must be specified when target group stickiness is enabled")
                }
                guard (1...604_800).contains(seconds) else {
                    throw ServiceError("ValidationError", "Target group stickiness duration must be between 1 and 604800 seconds")
                }
                stickiness = seconds
            }
            if let single, groups.count != 1 || groups.first?.arn != single {
                throw ServiceError("ValidationError", "TargetGroupArn and ForwardConfig must name the same single target group when both are given")
            }
        } else if let single {
            groups = [WeightedGroup(arn: single, weight: 1)]
        }
        guard !groups.isEmpty else {
            throw ServiceError("ValidationError", "A target group ARN must be specified for a forward action")
        }
        guard groups.count <= 5 else {
            throw ServiceError("ValidationError", "A forward action can have at most '5' target groups")
        }
        guard Set(groups.map(\.arn)).count == groups.count else {
            throw ServiceError("ValidationError", "A target group can be specified only once in a forward action")
        }
        for weighted in groups {
            let group = try targetGroup(weighted.arn, scope)
            try checkCompatible(group, lb: lb, listener: listener)
        }
        if lb.type == .network {
            guard groups.count == 1 else {
                throw ServiceError("ValidationError", "Network Load Balancer forward actions take exactly one target group")
            }
            guard stickiness == nil else {
                throw ServiceError("ValidationError", "Target group stickiness is not supported by Network Load Balancers")
            }
        }
        return .forward(groups: groups, stickiness: stickiness, explicitConfig: config != nil)
    }

    func checkCompatible(_ group: TargetGroup, lb: LoadBalancer, listener: Listener) throws(ServiceError) {
        let compatible: Bool
        switch lb.type {
        case .application:
            compatible = !group.isNetwork
        case .network:
            switch listener.proto {
            case "TCP": compatible = group.proto == "TCP" || group.proto == "TCP_UDP"
            case "UDP": compatible = group.proto == "UDP" || group.proto == "TCP_UDP"
            case "TCP_UDP": compatible = group.proto == "TCP_UDP"
            default: compatible = group.proto == "TCP" || group.proto == "TLS"  // TLS listeners
            }
        }
        guard compatible else {
            throw ServiceError("IncompatibleProtocols", "The protocol of target group '\(group.name)' (\(group.proto ?? "lambda")) is not compatible with the \(listener.proto) listener")
        }
    }

    func parseRedirect(_ item: ServiceParameters, lb: LoadBalancer, listener: Listener) throws(ServiceError) -> Action {
        guard lb.type == .application else {
            throw ServiceError("InvalidLoadBalancerAction", "Redirect actions are supported only by Application Load Balancers")
        }
        guard let config = try item.optionalObject("RedirectConfig") else {
            throw ServiceError("ValidationError", "A redirect configuration must be specified for a redirect action")
        }
        let status = try config.string("StatusCode")
        guard status == "HTTP_301" || status == "HTTP_302" else {
            throw ServiceError("ValidationError", "Redirect StatusCode '\(status)' must be one of [HTTP_301, HTTP_302]")
        }
        let redirect = RedirectConfig(
            proto: try config.optionalString("Protocol") ?? "#{protocol}", port: try config.optionalString("Port") ?? "#{port}",
            host: try config.optionalString("Host") ?? "#{host}", path: try config.optionalString("Path") ?? "/#{path}",
            query: try config.optionalString("Query") ?? "#{query}", statusCode: status)
        try Redirects.validate(redirect, listenerProtocol: listener.proto)
        return .redirect(redirect)
    }

    func parseFixedResponse(_ item: ServiceParameters, lb: LoadBalancer) throws(ServiceError) -> Action {
        guard lb.type == .application else {
            throw ServiceError("InvalidLoadBalancerAction", "Fixed-response actions are supported only by Application Load Balancers")
        }
        guard let config = try item.optionalObject("FixedResponseConfig") else {
            throw ServiceError("ValidationError", "A fixed-response configuration must be specified for a fixed-response action")
        }
        let status = try config.string("StatusCode")
        let digits = Array(status.unicodeScalars)
        guard digits.count == 3, let first = digits.first, "245".unicodeScalars.contains(first),
              digits.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw ServiceError("ValidationError", "Fixed-response StatusCode '\(status)' must match 2XX, 4XX or 5XX")
        }
        let contentType = try config.optionalString("ContentType")
        if let contentType, !["text/plain", "text/css", "text/html", "application/javascript", "application/json"].contains(contentType) {
            throw ServiceError("ValidationError", "Fixed-response ContentType '\(contentType)' must be one of [text/plain, text/css, text/html, application/javascript, application/json]")
        }
        let body = try config.optionalString("MessageBody")
        if let body, body.count > 1024 {
            throw ServiceError("ValidationError", "Fixed-response MessageBody is too long; the limit is '1024'")
        }
        return .fixedResponse(statusCode: status, contentType: contentType, body: body)
    }

    /// The action as DescribeRules and DescribeListeners show it.
    func describe(_ entry: (action: Action, order: Int)) -> JSONValue {
        var members: [(String, JSONValue)] = [("Type", .str(entry.action.type))]
        switch entry.action {
        case .forward(let groups, let stickiness, _):
            if groups.count == 1, let first = groups.first { members.append(("TargetGroupArn", .str(first.arn))) }
            var sticky: [(String, JSONValue)] = [("Enabled", .bool(stickiness != nil))]
            if let stickiness { sticky.append(("DurationSeconds", .int(stickiness))) }
            members.append(("ForwardConfig", .members([
                ("TargetGroups", .array(groups.map { .members([("TargetGroupArn", .str($0.arn)), ("Weight", .int($0.weight))]) })),
                ("TargetGroupStickinessConfig", .members(sticky)),
            ])))
        case .redirect(let config):
            members.append(("RedirectConfig", .members([
                ("Protocol", .str(config.proto)), ("Port", .str(config.port)), ("Host", .str(config.host)),
                ("Path", .str(config.path)), ("Query", .str(config.query)), ("StatusCode", .str(config.statusCode)),
            ])))
        case .fixedResponse(let status, let contentType, let body):
            var fixed: [(String, JSONValue)] = [("StatusCode", .str(status))]
            if let contentType { fixed.append(("ContentType", .str(contentType))) }
            if let body { fixed.append(("MessageBody", .str(body))) }
            members.append(("FixedResponseConfig", .members(fixed)))
        }
        members.append(("Order", .int(entry.order)))
        return .members(members)
    }
}

/// Redirect-action rules: which `#{…}` placeholders each component may use, loop and
/// downgrade checks, and rendering the `Location` of a request.
enum Redirects {
    static let placeholders = ["protocol", "host", "port", "path", "query"]
    static let allowed: [String: Set<String>] = [
        "Protocol": ["protocol"], "Host": ["host"], "Port": ["port"],
        "Path": ["host", "port", "path"], "Query": ["protocol", "host", "port", "path", "query"],
    ]

    /// The placeholder names used in `text`, or nil when a `#{` is not a known placeholder.
    static func used(_ text: String) -> [String]? {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "#{") {
            rest = rest[open.upperBound...]
            guard let close = rest.firstIndex(of: "}") else { return nil }
            let name = String(rest[..<close])
            guard placeholders.contains(name) else { return nil }
            names.append(name)
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    static func validate(_ config: RedirectConfig, listenerProtocol: String) throws(ServiceError) {
        let components = [("Protocol", config.proto), ("Port", config.port), ("Host", config.host), ("Path", config.path), ("Query", config.query)]
        for (name, value) in components {
            guard let names = used(value) else {
                throw ServiceError("ValidationError", "Redirect \(name) '\(value)' contains an unknown placeholder")
            }
            for placeholder in names where !(allowed[name] ?? []).contains(placeholder) {
                throw ServiceError("ValidationError", "Redirect \(name) cannot use the placeholder '#{\(placeholder)}'")
            }
        }
        guard ["HTTP", "HTTPS", "#{protocol}"].contains(config.proto) else {
            throw ServiceError("ValidationError", "Redirect Protocol '\(config.proto)' must be one of [HTTP, HTTPS, #{protocol}]")
        }
        if config.port != "#{port}" {
            guard let port = Int(config.port), (1...65535).contains(port) else {
                throw ServiceError("ValidationError", "Redirect Port '\(config.port)' must be between 1 and 65535 or #{port}")
            }
        }
        guard config.host.count <= 128, !config.host.isEmpty else {
            throw ServiceError("ValidationError", "Redirect Host must be 1 to 128 characters")
        }
        guard config.path.hasPrefix("/"), config.path.count <= 128 else {
            throw ServiceError("ValidationError", "Redirect Path '\(config.path)' must start with '/' and be at most 128 characters")
        }
        guard !config.query.hasPrefix("?"), config.query.count <= 128 else {
            throw ServiceError("ValidationError", "Redirect Query must not start with '?' and be at most 128 characters")
        }
        if config.proto == "#{protocol}" && config.port == "#{port}" && config.host == "#{host}" && config.path == "/#{path}" {
            throw ServiceError("ValidationError", "The redirect must change at least one of protocol, port, host or path, or it would loop")
        }
        if listenerProtocol == "HTTPS" && config.proto == "HTTP" {
            throw ServiceError("ValidationError", "Redirects from HTTPS to HTTP are not allowed")
        }
    }

    /// The `Location` for `request` arriving on a `listenerProtocol` listener at `listenerPort`.
    static func location(_ config: RedirectConfig, request: HTTPRequest, listenerProtocol: String, listenerPort: Int) -> String {
        let values: [String: String] = [
            "protocol": listenerProtocol, "host": request.hostWithoutPort, "port": String(listenerPort),
            "path": request.path.hasPrefix("/") ? String(request.path.dropFirst()) : request.path,
            "query": request.rawQuery,
        ]
        func fill(_ text: String) -> String {
            var result = text
            for name in placeholders { result = result.replacingAll("#{\(name)}", with: values[name] ?? "") }
            return result
        }
        let proto = fill(config.proto).lowercased()
        let query = fill(config.query)
        return "\(proto)://\(fill(config.host)):\(fill(config.port))\(fill(config.path))" + (query.isEmpty ? "" : "?\(query)")
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        components(separatedBy: target).joined(separator: replacement)
    }
}
