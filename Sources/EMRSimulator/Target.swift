import EventPatterns
import EventSchedule
import EventTargets

/// EMR as a rule target. EventBridge has no native EMR target; the simulator defines one:
///
/// - Target `Arn`: `arn:aws:elasticmapreduce:REGION:ACCOUNT:cluster/j-XXXX` (a cluster), or
///   `…:cluster/*` when the cluster comes from `EmrParameters.ClusterId` or a new cluster is started.
/// - `EmrParameters.StepTemplate`: a StepConfig (`Name`, `ActionOnFailure`, `HadoopJarStep`) added to
///   the cluster as AddJobFlowSteps would. `EmrParameters.ClusterId` (optional) names the cluster
///   instead of the ARN.
/// - `EmrParameters.RunJobFlowTemplate`: RunJobFlow parameters; each delivery starts a new cluster
///   (the transient-cluster "job flow engine").
///
/// Every string of the templates (and `ClusterId`) may hold `<path>` placeholders, replaced from the
/// delivered input (what Input / InputPath / InputTransformer produced): `<name>` is a member of the
/// input object, `<detail.clusterId>` a dot path into it, `<$>` the whole input. Strings are
/// inserted as they are, other values as JSON text; a structure member that is exactly one
/// placeholder takes the value itself (`"InstanceCount": "<count>"` becomes a number). A
/// placeholder that names nothing stays as written.
enum TargetTemplate {
    /// Replaces the placeholders in every string of `value`. A structure member whose value is
    /// exactly one placeholder takes the input's value itself (`"InstanceCount": "<count>"` becomes a
    /// number, `"Args": "<detail.args>"` a list); everywhere else (list elements, text around the
    /// placeholder) values are inserted as text.
    static func fill(_ value: JSONValue, from input: JSONValue?, isMember: Bool = false) -> JSONValue {
        switch value {
        case .string(let text):
            if isMember, text.hasPrefix("<"), text.hasSuffix(">"), text.count > 2,
               !text.dropFirst().dropLast().contains(where: { $0 == "<" || $0 == ">" }),
               let whole = lookup(String(text.dropFirst().dropLast()), in: input) {
                return whole
            }
            return .string(fill(text, from: input))
        case .array(let items): return .array(items.map { fill($0, from: input) })
        case .object(let object):
            return .object(JSONObject(object.members.map { (key: $0.key, value: fill($0.value, from: input, isMember: true)) }))
        default: return value
        }
    }

    static func fill(_ text: String, from input: JSONValue?) -> String {
        guard text.contains("<") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: ">") else {
                result += rest[open...]
                return result
            }
            let path = String(rest[afterOpen..<close])
            if let value = lookup(path, in: input) {
                if case .string(let string) = value { result += string } else { result += value.jsonText }
            } else {
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    static func lookup(_ path: String, in input: JSONValue?) -> JSONValue? {
        guard let input, !path.isEmpty else { return nil }
        if path == "$" { return input }
        if let direct = input[path] { return direct }
        var current = input
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            if case .array = current, let index = Int(part), let next = current[index] {
                current = next
            } else if let next = current[String(part)] {
                current = next
            } else {
                return nil
            }
        }
        return current
    }
}

extension Engine {
    /// Carries out one delivery; returns the router's view of the outcome.
    mutating func deliver(_ request: DeliveryRequest, now: Instant) -> DeliveryResult {
        // arn:aws:elasticmapreduce:REGION:ACCOUNT:cluster/ID
        let parts = request.targetArn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "elasticmapreduce" else {
            return .failed(code: "NO_RESOURCE", message: "\(request.targetArn) is not an EMR cluster ARN.", retriable: false)
        }
        let region = parts[3].isEmpty ? request.region : String(parts[3])
        let account = parts[4].isEmpty ? request.account : String(parts[4])
        let resource = parts[5]
        guard case .object(let emr)? = request.parameters["EmrParameters"] else {
            return .failed(code: "TARGET_ERROR", message: "An EMR target needs EmrParameters with a StepTemplate or a RunJobFlowTemplate.", retriable: false)
        }
        let input = request.input.json
        let p = ServiceParameters(emr, errorCode: "ValidationException")
        do throws(ServiceError) {
            if case .object(let template)? = p["RunJobFlowTemplate"] {
                guard case .object(let filled) = TargetTemplate.fill(.object(template), from: input) else {
                    return .failed(code: "TARGET_ERROR", message: "RunJobFlowTemplate must be a structure.", retriable: false)
                }
                let clusterRequest = try Requests.cluster(ServiceParameters(filled, errorCode: "ValidationException"))
                _ = createCluster(clusterRequest, account: account, region: region, now: now)
                return .delivered
            }
            guard case .object(let template)? = p["StepTemplate"] else {
                return .failed(code: "TARGET_ERROR", message: "EmrParameters needs a StepTemplate or a RunJobFlowTemplate structure.", retriable: false)
            }
            var clusterID = resource.hasPrefix("cluster/") ? String(resource.dropFirst("cluster/".count)) : ""
            if let given = try p.optionalString("ClusterId") { clusterID = TargetTemplate.fill(given, from: input) }
            guard let c = positions[clusterID], clusters[c].account == account, clusters[c].region == region else {
                return .failed(code: "NO_RESOURCE", message: "Cluster id '\(clusterID)' is not valid.", retriable: false)
            }
            guard case .object(let filled) = TargetTemplate.fill(.object(template), from: input) else {
                return .failed(code: "TARGET_ERROR", message: "StepTemplate must be a structure.", retriable: false)
            }
            let config = try Requests.step(ServiceParameters(filled, errorCode: "ValidationException"))
            if clusters[c].stepConcurrencyLevel > 1 && config.actionOnFailure != .continue {
                throw EMRError.validation("ActionOnFailure \(config.actionOnFailure.rawValue) is not supported when StepConcurrencyLevel is greater than 1. Use CONTINUE.")
            }
            _ = try addSteps([config], to: c, now: now)
            return .delivered
        } catch {
            return .failed(code: "TARGET_ERROR", message: "\(error.code): \(error.message)", retriable: false)
        }
    }
}
