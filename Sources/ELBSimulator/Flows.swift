import EventPatterns
import EventSchedule
import EventTargets

extension State {
    /// Simulator-only `RouteFlow`: one packet (or connection) through a Network Load Balancer listener.
    mutating func routeFlow(_ scope: Scope, _ p: ServiceParameters) throws(ServiceError) -> JSONValue {
        let listener = try listener(try p.string("ListenerArn"), scope)
        let lb = try loadBalancer(listener.loadBalancerArn, scope)
        guard lb.type == .network else {
            throw ServiceError("ValidationError", "RouteFlow needs a Network Load Balancer listener; use RouteRequest for Application Load Balancers")
        }
        let proto = try p.optionalString("Protocol") ?? (listener.proto == "TCP_UDP" ? "TCP" : listener.proto)
        let allowed: [String]
        switch listener.proto {
        case "TCP_UDP": allowed = ["TCP", "UDP"]
        default: allowed = [listener.proto]
        }
        guard allowed.contains(proto) else {
            throw ServiceError("ValidationError", "Protocol '\(proto)' does not match the \(listener.proto) listener")
        }
        let sourceIP = try p.string("SourceIp")
        guard IPAddress(sourceIP) != nil else { throw ServiceError("ValidationError", "SourceIp '\(sourceIP)' is not an IP address") }
        let sourcePort = try p.int("SourcePort")
        guard (1...65535).contains(sourcePort) else { throw ServiceError("ValidationError", "SourcePort must be between 1 and 65535") }
        let destinationPort = try p.optionalInt("DestinationPort") ?? listener.port
        let sequenceNumber = try p.optionalInt("SequenceNumber") ?? 0
        let bytes = try p.optionalInt("Bytes") ?? 0
        guard (0...1_000_000_000_000).contains(bytes), sequenceNumber >= 0 else {
            throw ServiceError("ValidationError", "Bytes must be between 0 and 1000000000000 and SequenceNumber must not be negative")
        }
        let close = try p.optionalBool("Close") ?? false
        // SIM: DNS spreads clients evenly over the load balancer's nodes, one per zone.
        let zoneNames = lb.zones.map(\.zone)
        let nodeZone: String
        if let zone = try p.optionalString("AvailabilityZone") {
            guard zoneNames.contains(zone) else { throw ServiceError("ValidationError", "Availability Zone '\(zone)' is not enabled for the load balancer") }
            nodeZone = zone
        } else {
            nodeZone = zoneNames.isEmpty ? "" : zoneNames[Int(FNV.hash(Array(sourceIP.utf8)) % UInt64(zoneNames.count))]
        }
        let nodeIndex = zoneNames.firstIndex(of: nodeZone) ?? 0
        let nodeIP = "10.0.\(nodeIndex).5"
        let destinationIP = try p.optionalString("DestinationIp") ?? nodeIP
        let isTCP = proto != "UDP"
        // The flow hash: TCP (and TLS) add the connection's sequence number; UDP hashes the 5-tuple only.
        let key = [proto, sourceIP, String(sourcePort), destinationIP, String(destinationPort)]
            .joined(separator: "|") + (isTCP ? "|\(sequenceNumber)" : "")
        guard let rule = rules[listener.defaultRuleArn], let groupArn = rule.terminal?.targetGroupArns.first,
              let group = targetGroups[groupArn] else {
            throw ServiceError("TargetGroupNotFound", "One or more target groups not found")
        }
        var newFlow = false
        var failOpen = false
        let target: Registration
        if var flow = flows[key], flow.targetGroupArn == groupArn,
           let pinned = group.targets.first(where: { $0.key == flow.target }) {
            target = pinned
            markActive(lb.arn, protocolClass(proto, listener: listener.proto), from: flow.countedMinute + 1, through: minute(now))
            flow.countedMinute = max(flow.countedMinute, minute(now))
            flow.lastSeen = now
            flows[key] = flow
        } else {
            guard let pick = pickFlowTarget(group, lb: lb, nodeZone: nodeZone, key: key, sourceIP: sourceIP, proto: proto) else {
                throw ServiceError("TargetNotAvailable", "No target of the target group can take the flow (simulated connection refused)")
            }
            target = pick.target
            failOpen = pick.failOpen
            newFlow = true
            let protoClass = protocolClass(proto, listener: listener.proto)
            meters[lb.arn]?.newConnections[protoClass, default: 0] += 1
            markActive(lb.arn, protoClass, from: minute(now), through: minute(now))
            flows[key] = Flow(key: key, loadBalancerArn: lb.arn, listenerProtocol: listener.proto, proto: proto, targetGroupArn: groupArn,
                              target: target.key, started: now, lastSeen: now, idleTimeout: isTCP ? 350 : 120, countedMinute: minute(now))
        }
        let billedClass = protocolClass(proto, listener: listener.proto)
        if var meter = meters[lb.arn] {
            meter.bytes[billedClass] = saturatingSum(meter.bytes[billedClass] ?? 0, bytes)
            meters[lb.arn] = meter
        }
        if close { flows[key] = nil }
        // Client IP preservation: instance targets and UDP always see the client; ip targets
        // behind TCP/TLS see the node's address unless preserve_client_ip.enabled is true.
        let preserved = group.targetType == "instance" || proto == "UDP" || group.proto == "TCP_UDP" || group.proto == "UDP"
            || group.attribute("preserve_client_ip.enabled") == "true"
        var targetMembers: [(String, JSONValue)] = [("Id", .str(target.id))]
        if let port = target.port { targetMembers.append(("Port", .int(port))) }
        targetMembers.append(("AvailabilityZone", .str(target.zone)))
        return .members([
            ("ListenerArn", .str(listener.arn)), ("TargetGroupArn", .str(groupArn)), ("Target", .members(targetMembers)),
            ("NewFlow", .bool(newFlow)), ("FailOpen", .bool(failOpen)), ("LoadBalancerNode", .members([
                ("AvailabilityZone", .str(nodeZone)), ("PrivateIpAddress", .str(nodeIP)),
            ])),
            ("SourceIpSeenByTarget", .str(preserved ? sourceIP : nodeIP)),
            ("ProxyProtocolV2", .bool(group.attribute("proxy_protocol_v2.enabled") == "true")),
        ])
    }

    func pickFlowTarget(_ group: TargetGroup, lb: LoadBalancer, nodeZone: String, key: String, sourceIP: String,
                        proto: String) -> (target: Registration, failOpen: Bool)? {
        let enabled = Set(lb.zones.map(\.zone))
        let crossZone: Bool
        switch group.attribute("load_balancing.cross_zone.enabled") {
        case "true"?: crossZone = true
        case "false"?: crossZone = false
        default: crossZone = lb.crossZone
        }
        let everywhere = eligibleTargets(group, zones: enabled)
        var candidates: (targets: [Registration], failOpen: Bool)
        if crossZone {
            candidates = everywhere
        } else {
            candidates = eligibleTargets(group, zones: [nodeZone])
            // SIM: with no usable target in the node's zone, DNS fails the client over to a node
            // in a zone that has one (or to fail-open over all zones).
            if candidates.targets.isEmpty || (candidates.failOpen && !everywhere.failOpen) { candidates = everywhere }
        }
        guard !candidates.targets.isEmpty else { return nil }
        // source_ip stickiness: hash the client address alone, so every flow of a client lands together.
        let hashed = group.stickinessEnabled && group.stickinessType == "source_ip" ? "\(proto)|\(sourceIP)" : key
        let index = Int(FNV.hash(Array(hashed.utf8)) % UInt64(candidates.targets.count))
        return (candidates.targets[index], candidates.failOpen)
    }

    /// TCP, UDP or TLS: the NLCU dimension table a flow is billed under.
    func protocolClass(_ proto: String, listener: String) -> String {
        listener == "TLS" ? "TLS" : (proto == "UDP" ? "UDP" : "TCP")
    }

    mutating func expireFlows(at due: Instant) {
        let expired = flows.values.filter { $0.lastSeen.adding(seconds: Int64($0.idleTimeout)) <= due }.sorted { $0.key < $1.key }
        for flow in expired {
            markActive(flow.loadBalancerArn, protocolClass(flow.proto, listener: flow.listenerProtocol),
                       from: flow.countedMinute + 1, through: minute(due) - 1)
            flows[flow.key] = nil
        }
    }
}
