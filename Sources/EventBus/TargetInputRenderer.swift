import EventPatterns
import EventSchedule
import EventTargets

/// Turns a target's input selection into what the target receives.
enum TargetInputRenderer {
    /// Checks an input selection at PutTargets time.
    static func validate(_ spec: TargetInputSpec, targetID: String) throws(APIError) {
        switch spec {
        case .event:
            return
        case .constant(let text):
            if text.count > 8192 { throw Constraint.violation(text, at: "input", "Member must have length less than or equal to 8192") }
            if (try? JSONReader.parse(text)) == nil { throw .validation("Input for target \(targetID) is not valid JSON text.") }
        case .path(let path):
            if path.count > 256 { throw Constraint.violation(path, at: "inputPath", "Member must have length less than or equal to 256") }
            if JSONPath(path) == nil { throw .validation("Parameter InputPath is not valid for target \(targetID).") }
        case .transformer(let map, let template):
            do {
                _ = try InputTemplate(map: map, template: template, targetID: targetID)
            } catch {
                throw .validation(error.message)
            }
        }
    }

    /// What the target receives, or nil when EventBridge would silently not deliver (a template that
    /// renders to invalid JSON).
    static func render(_ spec: TargetInputSpec, event: JSONValue, ruleName: String, ruleArn: String, ingestion: Instant) -> DeliveredInput? {
        switch spec {
        case .event:
            return .json(event)
        case .constant(let text):
            if let value = try? JSONReader.parse(text) { return .json(value) }
            return .text(text)
        case .path(let path):
            guard let selector = JSONPath(path) else { return nil }
            return .json(selector.select(in: event) ?? .null)
        case .transformer(let map, let template):
            guard let compiled = try? InputTemplate(map: map, template: template, targetID: "") else { return nil }
            return compiled.render(event: event, ruleName: ruleName, ruleArn: ruleArn, ingestion: ingestion)
        }
    }
}

/// A simple JSONPath: `$`, then `.name`, `['name']` or `[index]` steps.
struct JSONPath {
    enum Step { case key(String), index(Int) }
    let steps: [Step]

    init?(_ text: String) {
        var scalars = Array(text.unicodeScalars)
        guard scalars.first == "$" else { return nil }
        scalars.removeFirst()
        var steps: [Step] = []
        var index = 0
        while index < scalars.count {
            if scalars[index] == "." {
                index += 1
                var name = ""
                while index < scalars.count, scalars[index] != ".", scalars[index] != "[" {
                    name.unicodeScalars.append(scalars[index])
                    index += 1
                }
                if name.isEmpty { return nil }
                steps.append(.key(name))
            } else if scalars[index] == "[" {
                index += 1
                if index < scalars.count, scalars[index] == "'" || scalars[index] == "\"" {
                    let quote = scalars[index]
                    index += 1
                    var name = ""
                    while index < scalars.count, scalars[index] != quote {
                        name.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                    guard index + 1 < scalars.count, scalars[index + 1] == "]" else { return nil }
                    index += 2
                    steps.append(.key(name))
                } else {
                    var digits = ""
                    while index < scalars.count, scalars[index] != "]" {
                        digits.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                    guard index < scalars.count, let number = Int(digits), number >= 0 else { return nil }
                    index += 1
                    steps.append(.index(number))
                }
            } else {
                return nil
            }
        }
        self.steps = steps
    }

    func select(in value: JSONValue) -> JSONValue? {
        var current = value
        for step in steps {
            switch step {
            case .key(let name):
                guard let next = current[name] else { return nil }
                current = next
            case .index(let position):
                guard let next = current[position] else { return nil }
                current = next
            }
        }
        return current
    }
}

/// An InputTransformer: a paths map and a template with `<name>` placeholders.
struct InputTemplate {
    struct Failure: Error { var message: String }

    static let reserved: Set<String> = [
        "aws.events.rule-arn", "aws.events.rule-name", "aws.events.event.ingestion-time", "aws.events.event", "aws.events.event.json",
    ]

    let paths: [String: JSONPath]
    let template: String

    init(map: [(String, String)], template: String, targetID: String) throws(Failure) {
        if map.count > 100 { throw Failure(message: "InputPathsMap for target \(targetID) has more than 100 entries.") }
        var paths: [String: JSONPath] = [:]
        for (key, path) in map {
            if Self.reserved.contains(key) || key.hasPrefix("aws.events") {
                throw Failure(message: "InputPathsMap for target \(targetID) contains invalid key \(key).")
            }
            guard let parsed = JSONPath(path) else {
                throw Failure(message: "InputPathsMap for target \(targetID) contains invalid path \(path).")
            }
            paths[key] = parsed
        }
        if template.isEmpty || template.count > 8192 {
            throw Failure(message: "InputTemplate for target \(targetID) must have length between 1 and 8192.")
        }
        for name in Self.placeholders(in: template) where paths[name] == nil && !Self.reserved.contains(name) {
            throw Failure(message: "InputTemplate for target \(targetID) contains invalid placeholder \(name).")
        }
        self.paths = paths
        self.template = template
    }

    static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        var current: String? = nil
        for scalar in template.unicodeScalars {
            if scalar == "<" { current = ""; continue }
            if scalar == ">", let name = current {
                if !name.isEmpty && name.unicodeScalars.allSatisfy(isNameScalar) { names.append(name) }
                current = nil
                continue
            }
            if current != nil { current?.unicodeScalars.append(scalar) }
        }
        return names
    }

    static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
            || scalar == "-" || scalar == "_" || scalar == "."
    }

    /// Substitutes placeholders: unquoted values as JSON, values inside quotes as text.
    func render(event: JSONValue, ruleName: String, ruleArn: String, ingestion: Instant) -> DeliveredInput? {
        var output = ""
        var inString = false
        var scalars = Array(template.unicodeScalars)[...]
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            if scalar == "\"" { inString.toggle(); output.unicodeScalars.append(scalar); continue }
            if scalar == "\\" && inString, let next = scalars.first {
                output.unicodeScalars.append(scalar)
                output.unicodeScalars.append(next)
                scalars = scalars.dropFirst()
                continue
            }
            if scalar == "<", let close = scalars.firstIndex(of: ">") {
                let name = String(String.UnicodeScalarView(scalars[scalars.startIndex..<close]))
                if !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isNameScalar) {
                    let value = self.value(name, event: event, ruleName: ruleName, ruleArn: ruleArn, ingestion: ingestion)
                    output += inString ? Self.textForm(value) : (value.map(\.jsonText) ?? "\"\"")
                    scalars = scalars[scalars.index(after: close)...]
                    continue
                }
            }
            output.unicodeScalars.append(scalar)
        }
        if let value = try? JSONReader.parse(output) { return .json(value) }
        // A template that is not one JSON value is delivered as text only when it is made of quoted lines.
        let trimmed = output.trimmingSpaces
        if trimmed.hasPrefix("\"") { return .text(output) }
        return nil
    }

    func value(_ name: String, event: JSONValue, ruleName: String, ruleArn: String, ingestion: Instant) -> JSONValue? {
        switch name {
        case "aws.events.rule-arn": return .string(ruleArn)
        case "aws.events.rule-name": return .string(ruleName)
        case "aws.events.event.ingestion-time": return .string(ingestion.iso8601)
        case "aws.events.event.json": return event
        case "aws.events.event":
            guard case .object(let object) = event else { return event }
            var members: [(String, JSONValue)] = []
            for (key, value) in object.members where key != "detail" {
                members.append((key == "detail-type" ? "detailType" : key, key == "time" ? .string(ingestion.iso8601) : value))
            }
            return .object(JSONObject(members))
        default:
            return paths[name].flatMap { $0.select(in: event) }
        }
    }

    /// A value inside a string: strings bare, objects and arrays without inner quotes.
    static func textForm(_ value: JSONValue?) -> String {
        guard let value else { return "" }
        switch value {
        case .string(let string): return string
        case .object, .array: return value.jsonText.replacingAll("\"", with: "")
        default: return value.jsonText
        }
    }
}

extension String {
    var trimmingSpaces: String {
        String(String.UnicodeScalarView(unicodeScalars.drop(while: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })))
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
