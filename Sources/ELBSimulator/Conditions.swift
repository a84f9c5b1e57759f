import EventPatterns
import EventTargets

/// Rule-condition parsing (with ELB's limits) and evaluation.
enum Conditions {
    static let fields = ["path-pattern", "host-header", "http-header", "http-request-method", "query-string", "source-ip"]
    static let configNames = [
        "host-header": "HostHeaderConfig", "path-pattern": "PathPatternConfig", "http-header": "HttpHeaderConfig",
        "http-request-method": "HttpRequestMethodConfig", "query-string": "QueryStringConfig", "source-ip": "SourceIpConfig",
    ]
    /// Fields a rule may carry at most once.
    static let single: Set<String> = ["host-header", "http-request-method", "path-pattern", "source-ip"]
    static let valuesPerCondition = 3
    static let valuesPerRule = 5
    static let wildcardsPerRule = 5

    static func invalid(_ message: String) -> ServiceError { ServiceError("ValidationError", message) }

    /// Parses and validates a rule's `Conditions`.
    static func parse(_ items: [ServiceParameters]) throws(ServiceError) -> [(condition: Condition, original: JSONValue)] {
        var result: [(condition: Condition, original: JSONValue)] = []
        var seen: Set<String> = []
        var totalValues = 0
        var wildcards = 0
        for item in items {
            guard let field = try item.optionalString("Field") else { throw invalid("A condition field must be specified") }
            guard fields.contains(field), let configName = configNames[field] else {
                throw invalid("Condition field '\(field)' must be one of '[\(fields.joined(separator: ", "))]'")
            }
            if single.contains(field) {
                guard seen.insert(field).inserted else { throw invalid("A rule can only have one '\(field)' condition") }
            }
            let legacy = try item.strings("Values")
            let config = try item.optionalObject(configName)
            if item.has("Values") && config != nil {
                throw invalid("You cannot specify both 'Values' and '\(configName)' for a '\(field)' condition")
            }
            if item.has("Values") && field != "host-header" && field != "path-pattern" {
                throw invalid("The 'Values' field is not compatible with '\(field)'")
            }
            if item.has("Values") && legacy.count > 1 {
                throw invalid("The '\(field)' field contains too many values; the limit is '1'")
            }
            let condition: Condition
            var count = 0
            switch field {
            case "host-header", "path-pattern":
                let values = item.has("Values") ? legacy : try config?.strings("Values") ?? []
                for value in values { try validate(value, field: field) }
                count = values.count
                wildcards += values.reduce(0) { $0 + Wildcard.count($1) }
                condition = field == "host-header" ? .hostHeader(values) : .pathPattern(values)
            case "http-header":
                guard let config else { throw invalid("A condition value must be specified") }
                let name = try config.string("HttpHeaderName")
                guard !name.isEmpty, name.count <= 40 else { throw invalid("The 'http-header' header name must be 1 to 40 characters") }
                guard name.unicodeScalars.allSatisfy(isTokenCharacter), !name.contains("*"), !name.contains("?") else {
                    throw invalid("The 'http-header' header name '\(name)' contains invalid characters; wildcards are not allowed")
                }
                let values = try config.strings("Values")
                for value in values {
                    guard value.count <= 128 else { throw invalid("The 'http-header' value is too long; the limit is '128'") }
                }
                count = values.count
                wildcards += values.reduce(0) { $0 + Wildcard.count($1) }
                condition = .httpHeader(name: name, values: values)
            case "http-request-method":
                let values = try config?.strings("Values") ?? []
                for value in values {
                    guard !value.isEmpty, value.count <= 40,
                          value.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || $0 == "-" || $0 == "_" }) else {
                        throw invalid("The 'http-request-method' value '\(value)' is not valid; use up to 40 characters A-Z, '-' and '_'")
                    }
                }
                count = values.count
                condition = .httpRequestMethod(values)
            case "query-string":
                var pairs: [(key: String?, value: String)] = []
                for pair in try config?.objects("Values") ?? [] {
                    let key = try pair.optionalString("Key")
                    guard let value = try pair.optionalString("Value"), !value.isEmpty else {
                        throw invalid("A 'query-string' condition value must have a 'Value'")
                    }
                    guard value.count <= 128, (key?.count ?? 0) <= 128 else {
                        throw invalid("The 'query-string' key or value is too long; the limit is '128'")
                    }
                    if let key, key.isEmpty { throw invalid("A 'query-string' key cannot be empty") }
                    wildcards += Wildcard.count(value) + Wildcard.count(key ?? "")
                    pairs.append((key, value))
                }
                count = pairs.count
                condition = .queryString(pairs)
            default:  // source-ip
                var blocks: [CIDRBlock] = []
                for value in try config?.strings("Values") ?? [] {
                    guard let block = CIDRBlock(value) else {
                        throw invalid("The 'source-ip' value '\(value)' is not a valid CIDR block")
                    }
                    blocks.append(block)
                }
                count = blocks.count
                condition = .sourceIP(blocks)
            }
            guard count > 0 else { throw invalid("A condition value must be specified") }
            guard count <= valuesPerCondition else {
                throw invalid("The '\(field)' condition contains too many values; the limit is '\(valuesPerCondition)'")
            }
            totalValues += count
            result.append((condition, canonical(condition)))
        }
        guard totalValues <= valuesPerRule else {
            throw invalid("A rule can only have '\(valuesPerRule)' condition values")
        }
        guard wildcards <= wildcardsPerRule else {
            throw invalid("A rule can only have '\(wildcardsPerRule)' wildcards")
        }
        return result
    }

    static func validate(_ value: String, field: String) throws(ServiceError) {
        guard value.count <= 128 else { throw invalid("The '\(field)' value is too long; the limit is '128'") }
        guard !value.isEmpty else { throw invalid("A condition value must be specified") }
        let allowed: (Unicode.Scalar) -> Bool
        if field == "host-header" {
            allowed = { isAlphanumeric($0) || "-.*?".unicodeScalars.contains($0) }
        } else {
            allowed = { isAlphanumeric($0) || "_-.$/~\"'@:+&*?".unicodeScalars.contains($0) }
        }
        guard value.unicodeScalars.allSatisfy(allowed) else {
            throw invalid("The '\(field)' value '\(value)' contains invalid characters")
        }
        if field == "path-pattern" && !value.hasPrefix("/") && !value.hasPrefix("*") {
            throw invalid("The 'path-pattern' value '\(value)' must start with '/' or '*'")
        }
    }

    static func isAlphanumeric(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
    }

    static func isTokenCharacter(_ c: Unicode.Scalar) -> Bool {
        isAlphanumeric(c) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(c)
    }

    /// The condition as DescribeRules shows it (legacy `Values` as well for host and path).
    static func canonical(_ condition: Condition) -> JSONValue {
        func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        switch condition {
        case .hostHeader(let values):
            return .members([("Field", .str("host-header")), ("Values", strings(values)), ("HostHeaderConfig", .members([("Values", strings(values))]))])
        case .pathPattern(let values):
            return .members([("Field", .str("path-pattern")), ("Values", strings(values)), ("PathPatternConfig", .members([("Values", strings(values))]))])
        case .httpHeader(let name, let values):
            return .members([("Field", .str("http-header")), ("HttpHeaderConfig", .members([("HttpHeaderName", .str(name)), ("Values", strings(values))]))])
        case .httpRequestMethod(let values):
            return .members([("Field", .str("http-request-method")), ("HttpRequestMethodConfig", .members([("Values", strings(values))]))])
        case .queryString(let pairs):
            let values: [JSONValue] = pairs.map { pair in
                var members: [(String, JSONValue)] = []
                if let key = pair.key { members.append(("Key", .str(key))) }
                members.append(("Value", .str(pair.value)))
                return .members(members)
            }
            return .members([("Field", .str("query-string")), ("QueryStringConfig", .members([("Values", .array(values))]))])
        case .sourceIP(let blocks):
            let texts = blocks.map { block -> String in
                if block.network.isIPv4 { return block.network.bytes.map(String.init).joined(separator: ".") + "/\(block.prefix)" }
                var groups: [String] = []
                var index = 0
                while index + 1 < block.network.bytes.count {
                    groups.append(String(UInt16(block.network.bytes[index]) << 8 | UInt16(block.network.bytes[index + 1]), radix: 16))
                    index += 2
                }
                return groups.joined(separator: ":") + "/\(block.prefix)"
            }
            return .members([("Field", .str("source-ip")), ("SourceIpConfig", .members([("Values", strings(texts))]))])
        }
    }

    /// Whether `condition` holds for `request` (values inside one condition are ORed).
    static func matches(_ condition: Condition, _ request: HTTPRequest) -> Bool {
        switch condition {
        case .hostHeader(let values):
            return values.contains { Wildcard.matches($0, request.hostWithoutPort, caseInsensitive: true) }
        case .pathPattern(let values):
            return values.contains { Wildcard.matches($0, request.path, caseInsensitive: false) }
        case .httpHeader(let name, let values):
            let headerValues = request.headerValues(name)
            return headerValues.contains { header in values.contains { Wildcard.matches($0, header, caseInsensitive: true) } }
        case .httpRequestMethod(let values):
            return values.contains(request.method)
        case .queryString(let pairs):
            return pairs.contains { pair in
                request.query.contains { item in
                    (pair.key.map { Wildcard.matches($0, item.key, caseInsensitive: true) } ?? true)
                        && Wildcard.matches(pair.value, item.value, caseInsensitive: true)
                }
            }
        case .sourceIP(let blocks):
            guard let address = request.sourceAddress else { return false }
            return blocks.contains { $0.contains(address) }
        }
    }
}
