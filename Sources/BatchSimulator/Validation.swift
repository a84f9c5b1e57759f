import EventPatterns
import EventTargets

/// Name and value rules of the Batch API (spec §1.1–1.4).
enum Validation {
    static func isAlphanumeric(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber)
    }

    /// 1–128 letters, digits, hyphens and underscores, starting with a letter or digit (compute
    /// environments, queues, job names).
    static func isResourceName(_ name: String) -> Bool {
        guard let first = name.first, isAlphanumeric(first), name.count <= 128 else { return false }
        return name.allSatisfy { isAlphanumeric($0) || $0 == "-" || $0 == "_" }
    }

    /// 1–128 letters, digits, hyphens and underscores (job definitions).
    static func isDefinitionName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 128 && name.allSatisfy { isAlphanumeric($0) || $0 == "-" || $0 == "_" }
    }

    static func state(_ p: ServiceParameters, _ name: String = "state") throws(ServiceError) -> Bool? {
        guard let state = try p.optionalString(name) else { return nil }
        switch state {
        case "ENABLED": return true
        case "DISABLED": return false
        default: throw p.error("state \(state) must be one of ENABLED | DISABLED")
        }
    }

    static func tags(_ p: ServiceParameters) throws(ServiceError) -> JSONObject {
        let tags = try p.stringMap("tags")
        guard tags.count <= 50 else { throw p.error("tags must have at most 50 entries") }
        for tag in tags {
            guard !tag.key.isEmpty, tag.key.count <= 128 else { throw p.error("tag keys must be 1 to 128 characters") }
            guard tag.value.count <= 256 else { throw p.error("tag values must be at most 256 characters") }
        }
        return JSONObject(tags.map { (key: $0.key, value: JSONValue.string($0.value)) })
    }

    /// A `retryStrategy` structure: attempts 1–10, at most 5 evaluateOnExit entries with valid
    /// globs and an action of RETRY or EXIT (any case).
    static func retryStrategy(_ p: ServiceParameters) throws(ServiceError) -> RetryStrategy {
        var strategy = RetryStrategy()
        if let attempts = try p.optionalInt("attempts") {
            guard (1...10).contains(attempts) else { throw p.error("retryStrategy.attempts must be between 1 and 10") }
            strategy.attempts = attempts
        }
        let entries = try p.objects("evaluateOnExit")
        guard entries.count <= 5 else { throw p.error("retryStrategy.evaluateOnExit may have at most 5 entries") }
        for entry in entries {
            guard let action = try entry.optionalString("action") else { throw p.error("evaluateOnExit.action is required") }
            let upper = action.uppercased()
            guard upper == "RETRY" || upper == "EXIT" else { throw p.error("evaluateOnExit.action must be RETRY or EXIT") }
            let onStatusReason = try glob(entry, "onStatusReason", digitsOnly: false)
            let onReason = try glob(entry, "onReason", digitsOnly: false)
            let onExitCode = try glob(entry, "onExitCode", digitsOnly: true)
            var members: [(String, JSONValue)] = []
            if let onStatusReason { members.append(("onStatusReason", .string(onStatusReason))) }
            if let onReason { members.append(("onReason", .string(onReason))) }
            if let onExitCode { members.append(("onExitCode", .string(onExitCode))) }
            members.append(("action", .string(upper)))
            strategy.evaluateOnExit.append(EvaluateOnExit(onStatusReason: onStatusReason, onReason: onReason, onExitCode: onExitCode,
                                                          retry: upper == "RETRY", json: .members(members)))
        }
        return strategy
    }

    static func glob(_ p: ServiceParameters, _ name: String, digitsOnly: Bool) throws(ServiceError) -> String? {
        guard let value = try p.optionalString(name) else { return nil }
        guard !value.isEmpty, value.count <= 512 else { throw p.error("evaluateOnExit.\(name) must be 1 to 512 characters") }
        let body = value.hasSuffix("*") ? value.dropLast() : Substring(value)
        let valid = body.allSatisfy { c in
            digitsOnly ? (c.isASCII && c.isNumber) : (isAlphanumeric(c) || c == "." || c == ":" || c == " " || c == "\t")
        }
        guard valid else {
            throw p.error(digitsOnly
                ? "evaluateOnExit.\(name) may contain only digits and a trailing *"
                : "evaluateOnExit.\(name) may contain only letters, digits, '.', ':', white space and a trailing *")
        }
        return value
    }

    static func timeout(_ p: ServiceParameters) throws(ServiceError) -> Int? {
        guard let timeout = try p.optionalObject("timeout") else { return nil }
        guard let seconds = try timeout.optionalInt("attemptDurationSeconds") else { return nil }
        guard seconds >= 60 else { throw p.error("timeout.attemptDurationSeconds must be at least 60 seconds") }
        return seconds
    }

    /// `environment: [{name, value}]`; names starting with AWS_BATCH are reserved.
    static func environment(_ p: ServiceParameters, nameKey: String = "name", valueKey: String = "value",
                            member: String = "environment") throws(ServiceError) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        for entry in try p.objects(member) {
            guard let name = try entry.optionalString(nameKey), !name.isEmpty else { throw p.error("\(member) entries need a \(nameKey)") }
            guard !name.hasPrefix("AWS_BATCH") else {
                throw p.error("Environment variable names starting with AWS_BATCH are reserved: \(name)")
            }
            result.append((name, try entry.optionalString(valueKey) ?? ""))
        }
        return result
    }

    /// vCPUs and memory from `resourceRequirements` (preferred) or the legacy fields.
    static func resources(_ p: ServiceParameters, typeKey: String = "type", valueKey: String = "value",
                          requirements: String = "resourceRequirements", vcpusKey: String = "vcpus",
                          memoryKey: String = "memory") throws(ServiceError) -> (vcpus: Double?, memory: Int?) {
        var vcpus = try p.optionalDouble(vcpusKey)
        var memory = try p.optionalInt(memoryKey)
        for requirement in try p.objects(requirements) {
            guard let type = try requirement.optionalString(typeKey), let value = try requirement.optionalString(valueKey) else {
                throw p.error("\(requirements) entries need a \(typeKey) and a \(valueKey)")
            }
            switch type {
            case "VCPU":
                guard let number = Double(value), number.isFinite else { throw p.error("VCPU value \(value) is not a number") }
                vcpus = number
            case "MEMORY":
                guard let number = Int(value) else { throw p.error("MEMORY value \(value) is not an integer") }
                memory = number
            case "GPU":
                guard Int(value) != nil else { throw p.error("GPU value \(value) is not an integer") }
            default:
                throw p.error("resourceRequirements type \(type) must be one of VCPU | MEMORY | GPU")
            }
        }
        if let vcpus, !(vcpus > 0) { throw p.error("container vcpus limit must be greater than 0") }
        if let memory, memory < 4 { throw p.error("container memory limit must be greater than 4") }
        return (vcpus, memory)
    }

    /// Replaces every `Ref::key` that has a value (longest key first at each position); other
    /// placeholders stay verbatim.
    static func substitute(_ text: String, _ parameters: [(key: String, value: String)]) -> String {
        guard text.contains("Ref::"), !parameters.isEmpty else { return text }
        let keys = parameters.map(\.key).sorted { $0.count > $1.count }
        var values: [String: String] = [:]
        for parameter in parameters { values[parameter.key] = parameter.value }
        var result = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: "Ref::") {
            result += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            if let key = keys.first(where: { !$0.isEmpty && after.hasPrefix($0) }), let value = values[key] {
                result += value
                rest = after.dropFirst(key.count)
            } else {
                result += "Ref::"
                rest = after
            }
        }
        result += rest
        return result
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
