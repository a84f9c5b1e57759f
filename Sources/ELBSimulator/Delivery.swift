import EventPatterns
import EventSchedule
import EventTargets

extension State {
    /// The rule-target forms (see Documentation/ELB.md):
    /// - a listener ARN: the input (a JSON object with `RouteRequest`'s or `RouteFlow`'s members,
    ///   over the target's `ElbParameters`) is routed through the listener;
    /// - a target-group ARN: the input names an instance or IP that is registered or deregistered.
    mutating func deliver(_ request: DeliveryRequest) -> DeliveryResult {
        let arn = request.targetArn
        let scope = Scope(account: request.account, region: request.region)
        var members: [(key: String, value: JSONValue)] = []
        if case .object(let defaults)? = request.parameters["ElbParameters"] { members += defaults.members }
        let input = request.input.json
        if case .object(let object)? = input { members += object.members }
        let params = ServiceParameters(JSONObject(members), errorCode: "ValidationError")
        do throws(ServiceError) {
            let owner = Scope(account: arnField(arn, 4), region: arnField(arn, 3))
            if arn.contains(":listener/") {
                guard let listener = listeners[arn] else {
                    return .failed(code: "NO_RESOURCE", message: "Listener \(arn) not found", retriable: false)
                }
                guard case .object? = input else {
                    return .failed(code: "TARGET_ERROR", message: "The input must be a JSON object describing the request", retriable: false)
                }
                var routeMembers = members
                routeMembers.append((key: "ListenerArn", value: .str(listener.arn)))
                let routeParams = ServiceParameters(JSONObject(routeMembers), errorCode: "ValidationError")
                let result = loadBalancers[listener.loadBalancerArn]?.type == .network
                    ? try routeFlow(owner, routeParams) : try routeRequest(owner, routeParams)
                routedDeliveries.append(.members([("Time", .str(request.time.iso8601)), ("RuleArn", .str(request.ruleArn)), ("Result", result)]))
                if routedDeliveries.count > 100 { routedDeliveries.removeFirst(routedDeliveries.count - 100) }
                return .delivered
            }
            if arn.contains(":targetgroup/") {
                guard targetGroups[arn] != nil else {
                    return .failed(code: "NO_RESOURCE", message: "Target group \(arn) not found", retriable: false)
                }
                return try changeRegistration(arn, owner: owner, params: params, input: input ?? .null)
            }
            _ = scope
            return .failed(code: "NO_RESOURCE", message: "\(arn) is neither a listener nor a target group", retriable: false)
        } catch {
            return .failed(code: "TARGET_ERROR", message: "\(error.code): \(error.message)", retriable: false)
        }
    }

    func arnField(_ arn: String, _ index: Int) -> String {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.indices.contains(index) ? String(parts[index]) : ""
    }

    /// Registers or deregisters the target an event names: `Id` (or the EC2 `instance-id`, also under
    /// `detail`); `Action` `register`/`deregister`, else from the EC2 `state` (running or pending
    /// register; stopping, stopped, shutting-down or terminated deregister).
    mutating func changeRegistration(_ arn: String, owner: Scope, params: ServiceParameters, input: JSONValue) throws(ServiceError) -> DeliveryResult {
        let detail = input["detail"]
        guard let id = params["Id"]?.text ?? input["instance-id"]?.text ?? detail?["instance-id"]?.text else {
            return .failed(code: "TARGET_ERROR", message: "The input names no target (Id or instance-id)", retriable: false)
        }
        let state = input["state"]?.text ?? detail?["state"]?.text
        let action: String
        if let explicit = try params.optionalString("Action") {
            guard explicit == "register" || explicit == "deregister" else {
                return .failed(code: "TARGET_ERROR", message: "ElbParameters.Action must be register or deregister", retriable: false)
            }
            action = explicit
        } else if let state, ["stopping", "stopped", "shutting-down", "terminated"].contains(state) {
            action = "deregister"
        } else {
            action = "register"
        }
        var target: [(String, JSONValue)] = [("Id", .str(id))]
        if let port = try params.optionalInt("Port") { target.append(("Port", .int(port))) }
        if let zone = try params.optionalString("AvailabilityZone") { target.append(("AvailabilityZone", .str(zone))) }
        let call = ServiceParameters(JSONObject([("TargetGroupArn", .str(arn)), ("Targets", .array([.members(target)]))]), errorCode: "ValidationError")
        if action == "register" {
            _ = try registerTargets(owner, call)
        } else {
            do throws(ServiceError) {
                _ = try deregisterTargets(owner, call)
            } catch where error.code == "InvalidTarget" {
                return .delivered  // not registered (any more): nothing to do
            }
        }
        return .delivered
    }

    /// Simulator-only `DescribeRoutedDeliveries`: what the last (up to 100) rule deliveries to listeners routed.
    func describeRoutedDeliveries() -> JSONValue {
        .members([("Deliveries", .array(routedDeliveries))])
    }
}
