import EventPatterns
import EventTargets

/// A rule target: a job-queue ARN with `BatchParameters`.
///
/// - `BatchParameters.JobDefinition` (name, name:revision or ARN) and `JobName` are required;
///   `ArrayProperties.Size` and `RetryStrategy.Attempts` are optional.
/// - The target's input (what Input / InputPath / InputTransformer produced), when it is a JSON
///   object, supplies `Parameters` (a map; strings as they are, numbers and booleans as their JSON
///   text) and `ContainerOverrides` (`Command`, `Environment: [{Name, Value}]`,
///   `ResourceRequirements: [{Type, Value}]`, `Vcpus`, `Memory`, `InstanceType`), as in the Batch
///   user guide's input-transformer tutorial (`{"Parameters": {"S3bucket": <bucket>}}`). The
///   camelCase spellings (`parameters`, `containerOverrides`) are accepted too. Other members
///   (the whole event, by default) are ignored.
extension BatchState {
    mutating func deliver(_ request: DeliveryRequest, now: Int64) -> DeliveryResult {
        // arn:aws:batch:{region}:{account}:job-queue/{name}
        let parts = request.targetArn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[5].hasPrefix("job-queue/") else {
            return .failed(code: "NO_RESOURCE", message: "\(request.targetArn) is not a Batch job queue ARN.", retriable: false)
        }
        let scope = Scope(account: String(parts[4]), region: String(parts[3]))
        guard queueArn(request.targetArn, scope) != nil else {
            return .failed(code: "NO_RESOURCE", message: "Job queue \(request.targetArn) does not exist.", retriable: false)
        }
        guard case .object(let batch)? = request.parameters["BatchParameters"] else {
            return .failed(code: "INVALID_PARAMETER", message: "A Batch target needs BatchParameters.", retriable: false)
        }
        var submit: [(key: String, value: JSONValue)] = [("jobQueue", .string(request.targetArn))]
        if let definition = batch["JobDefinition"] { submit.append(("jobDefinition", definition)) }
        if let name = batch["JobName"] { submit.append(("jobName", name)) }
        if let size = batch["ArrayProperties"]?["Size"] { submit.append(("arrayProperties", .members([("size", size)]))) }
        if let attempts = batch["RetryStrategy"]?["Attempts"] { submit.append(("retryStrategy", .members([("attempts", attempts)]))) }
        if case .object(let input)? = request.input.json {
            switch input["Parameters"] ?? input["parameters"] {
            case .object(let map)?:
                var parameters: [(key: String, value: JSONValue)] = []
                for member in map.members {
                    switch member.value {
                    case .string: parameters.append(member)
                    case .number(let number): parameters.append((member.key, .string(number.text)))
                    case .bool(let flag): parameters.append((member.key, .string(flag ? "true" : "false")))
                    default:
                        return .failed(code: "INVALID_PARAMETER", message: "Parameters.\(member.key) must be a string.", retriable: false)
                    }
                }
                submit.append(("parameters", .object(JSONObject(parameters))))
            case nil: break
            case _?:
                return .failed(code: "INVALID_PARAMETER", message: "Parameters in the target input must be an object.", retriable: false)
            }
            if let overrides = input["ContainerOverrides"] ?? input["containerOverrides"] {
                submit.append(("containerOverrides", Self.camelCased(overrides)))
            }
        }
        do {
            _ = try submitJob(ServiceParameters(JSONObject(submit), errorCode: "ClientException"), scope, now: now)
            return .delivered
        } catch {
            return .failed(code: "INVALID_PARAMETER", message: "\(error.code): \(error.message)", retriable: false)
        }
    }

    /// `ContainerOverrides` as the Batch API spells it: the first letter of every member name
    /// lower-cased (`Command` → `command`, `ResourceRequirements` → `resourceRequirements`).
    static func camelCased(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.members.map { member in
                let key = member.key.prefix(1).lowercased() + member.key.dropFirst()
                return (key: key, value: camelCased(member.value))
            }))
        case .array(let items):
            return .array(items.map(camelCased))
        default:
            return value
        }
    }
}
