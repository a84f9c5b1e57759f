import EventPatterns

/// The validated input configuration of one rule target: what the target receives for a matching
/// event.
///
/// ```swift
/// let target = try JSONReader.parse(#"""
///     {"Id": "t1", "Arn": "arn:aws:sqs:eu-west-1:111122223333:q",
///      "InputTransformer": {"InputPathsMap": {"state": "$.detail.state"},
///                           "InputTemplate": "\"The state is <state>\""}}
///     """#)
/// let input = try TargetInput(target: target)
/// let outcome = input.render(event: envelope, context: context)
/// outcome.body?.text   // "The state is RUNNING"   (with its quotes)
/// ```
///
/// The four cases mirror the `Target` members of AWS's API: none of them (`.event`), `Input`,
/// `InputPath`, `InputTransformer`. Build them with the validating initializers, which give
/// `PutTargets`' errors. The payload types validate on their own too; a transformer assembled by
/// hand from a template validated against a different map renders the unknown placeholders as a
/// missing path would (empty).
public enum TargetInput: Sendable, Hashable {
    /// No input configuration: the whole event envelope is delivered.
    case event
    /// `Input`: constant JSON delivered instead of the event.
    case constant(InputConstant)
    /// `InputPath`: the part of the event the path selects.
    case path(InputPath)
    /// `InputTransformer`: values picked by the map's paths, placed in the template.
    case transformer(InputPathsMap, InputTemplate)
}

extension TargetInput {
    /// The input members of AWS's `Target` structure, unvalidated, as a request carries them.
    ///
    /// `nil` means absent (JSON `null` is absent too). `inputTransformer` present with a `nil`
    /// template is the request `"InputTransformer": {}` and fails validation (the template is
    /// required).
    public struct APIMembers: Sendable {
        /// The members of `InputTransformer`.
        public struct Transformer: Sendable {
            /// `InputPathsMap`, key and path, in request order (`nil` when absent).
            public var inputPathsMap: [(key: String, value: String)]?
            /// `InputTemplate` (`nil` when absent).
            public var inputTemplate: String?

            public init(inputPathsMap: [(key: String, value: String)]? = nil, inputTemplate: String? = nil) {
                self.inputPathsMap = inputPathsMap
                self.inputTemplate = inputTemplate
            }
        }

        /// `Input`: constant JSON text.
        public var input: String?
        /// `InputPath`: a JSONPath.
        public var inputPath: String?
        /// `InputTransformer`.
        public var inputTransformer: Transformer?

        public init(input: String? = nil, inputPath: String? = nil, inputTransformer: Transformer? = nil) {
            self.input = input
            self.inputPath = inputPath
            self.inputTransformer = inputTransformer
        }
    }

    /// Validates a target's input members as `PutTargets` does.
    ///
    /// ```swift
    /// let input = try TargetInput(targetID: "t1", members: .init(inputPath: "$.detail"))
    /// ```
    ///
    /// Checks, in order: the model constraints of the target's `Id` and of every input member
    /// (all of them, reported together as AWS does: `N validation error(s) detected: …`); at most
    /// one of `Input`, `InputPath`, `InputTransformer`; then the chosen member.
    ///
    /// - Parameters:
    ///   - targetID: the target's `Id` (1–64 chars of `[.\-_A-Za-z0-9]`).
    ///   - members: the input members.
    ///   - memberIndex: the target's 1-based position in the `PutTargets` request (AWS names
    ///     members `targets.<n>.member.…` in constraint messages).
    /// - Throws: `TargetInputError` (code `ValidationException`).
    /// - Complexity: O(total length of the members).
    public init(targetID: String, members: APIMembers, memberIndex: Int = 1) throws(TargetInputError) {
        var violations = TargetInput.idViolations(targetID, memberIndex: memberIndex)
        violations += TargetInput.memberViolations(members, memberIndex: memberIndex)
        if !violations.isEmpty { throw .constraints(violations) }
        try self.init(checkedID: targetID, members: members, memberIndex: memberIndex)
    }

    /// Validates the input of a `Target` object of AWS's API (as in a `PutTargets` request):
    /// `{"Id", "Arn", "Input"?, "InputPath"?, "InputTransformer"?: {"InputPathsMap"?, "InputTemplate"}}`.
    /// Other members (`RoleArn`, `RetryPolicy`, `SqsParameters`, …) are ignored.
    ///
    /// ```swift
    /// let input = try TargetInput(target: try JSONReader.parse(#"{"Id": "t1", "Arn": "arn:…", "InputPath": "$.detail"}"#))
    /// ```
    ///
    /// - Parameters:
    ///   - target: the `Target` JSON object.
    ///   - memberIndex: its 1-based position in the request's `Targets`.
    /// - Throws: `TargetInputError`: `SerializationException` when a member has the wrong JSON
    ///   type; otherwise `ValidationException` as `init(targetID:members:memberIndex:)`, plus the
    ///   constraints on `Arn` (required, 1–1600 chars).
    /// - Complexity: O(size of `target`).
    public init(target: JSONValue, memberIndex: Int = 1) throws(TargetInputError) {
        let prefix = "targets.\(memberIndex).member"
        guard case .object(let object) = target else {
            throw .malformed(TargetInput.unexpected(target, expected: "Target"), field: prefix)
        }
        let id = try TargetInput.string(object["Id"], field: "\(prefix).id")
        let arn = try TargetInput.string(object["Arn"], field: "\(prefix).arn")
        var members = APIMembers()
        members.input = try TargetInput.string(object["Input"], field: "\(prefix).input")
        members.inputPath = try TargetInput.string(object["InputPath"], field: "\(prefix).inputPath")
        switch object["InputTransformer"] {
        case nil, .null?:
            break
        case .object(let transformer)?:
            var config = APIMembers.Transformer()
            config.inputTemplate = try TargetInput.string(transformer["InputTemplate"], field: "\(prefix).inputTransformer.inputTemplate")
            switch transformer["InputPathsMap"] {
            case nil, .null?:
                break
            case .object(let map)?:
                var entries: [(key: String, value: String)] = []
                for member in map.members {
                    let field = "\(prefix).inputTransformer.inputPathsMap"
                    guard let path = try TargetInput.string(member.value, field: field) else {
                        throw .malformed(TargetInput.unexpected(member.value, expected: "InputPathsMap value"), field: field)
                    }
                    entries.append((member.key, path))
                }
                config.inputPathsMap = entries
            case let other?:
                throw .malformed(TargetInput.unexpected(other, expected: "InputPathsMap"), field: "\(prefix).inputTransformer.inputPathsMap")
            }
            members.inputTransformer = config
        case let other?:
            throw .malformed(TargetInput.unexpected(other, expected: "InputTransformer"), field: "\(prefix).inputTransformer")
        }

        var violations = TargetInput.idViolations(id, memberIndex: memberIndex)
        let arnField = "\(prefix).arn"
        if let arn {
            if arn.utf16.count > 1600 {
                violations.append(ConstraintViolation(value: arn, field: arnField, constraint: "Member must have length less than or equal to 1600"))
            }
            if arn.isEmpty {
                violations.append(ConstraintViolation(value: arn, field: arnField, constraint: "Member must have length greater than or equal to 1"))
            }
        } else {
            violations.append(ConstraintViolation(value: nil, field: arnField, constraint: "Member must not be null"))
        }
        violations += TargetInput.memberViolations(members, memberIndex: memberIndex)
        if !violations.isEmpty { throw .constraints(violations) }
        try self.init(checkedID: id ?? "", members: members, memberIndex: memberIndex)
    }

    /// The semantic checks, once the model constraints hold.
    private init(checkedID id: String, members: APIMembers, memberIndex: Int) throws(TargetInputError) {
        let given = (members.input != nil ? 1 : 0) + (members.inputPath != nil ? 1 : 0) + (members.inputTransformer != nil ? 1 : 0)
        if given > 1 {
            throw .validation(.multipleInputs, "Only one of Input, InputPath, or InputTransformer must be provided for target \(id).")
        }
        if let input = members.input {
            self = .constant(try InputConstant(input, targetID: id, memberIndex: memberIndex))
        } else if let path = members.inputPath {
            do {
                self = .path(InputPath(validated: path, steps: try InputPath.parse(path, targetID: id)))
            } catch {
                var error = error
                error.field = "targets.\(memberIndex).member.inputPath"
                throw error
            }
        } else if let transformer = members.inputTransformer, let template = transformer.inputTemplate {
            let map: InputPathsMap
            do {
                map = try InputPathsMap(checked: transformer.inputPathsMap ?? [], targetID: id)
            } catch {
                var error = error
                error.field = "targets.\(memberIndex).member.inputTransformer.inputPathsMap"
                throw error
            }
            self = .transformer(map, try InputTemplate(checked: template, pathsMap: map, targetID: id, memberIndex: memberIndex))
        } else {
            self = .event
        }
    }

    /// The constraints on a target `Id`, in AWS's order: the pattern, then the length (as AWS
    /// reports a name that breaks both, in the recorded CreateConnection case).
    static func idViolations(_ id: String?, memberIndex: Int) -> [ConstraintViolation] {
        let field = "targets.\(memberIndex).member.id"
        guard let id else { return [ConstraintViolation(value: nil, field: field, constraint: "Member must not be null")] }
        var violations: [ConstraintViolation] = []
        let valid = !id.isEmpty && id.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        if !valid {
            violations.append(ConstraintViolation(value: id, field: field,
                                                  constraint: "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+"))
        }
        if id.utf16.count > 64 {
            violations.append(ConstraintViolation(value: id, field: field, constraint: "Member must have length less than or equal to 64"))
        }
        if id.isEmpty {
            violations.append(ConstraintViolation(value: id, field: field, constraint: "Member must have length greater than or equal to 1"))
        }
        return violations
    }

    /// The model constraints on the input members.
    static func memberViolations(_ members: APIMembers, memberIndex: Int) -> [ConstraintViolation] {
        let prefix = "targets.\(memberIndex).member"
        var violations: [ConstraintViolation] = []
        if let input = members.input, input.utf16.count > InputConstant.maxLength {
            violations.append(ConstraintViolation(value: input, field: "\(prefix).input", constraint: "Member must have length less than or equal to 8192"))
        }
        if let path = members.inputPath, path.utf16.count > InputPath.maxLength {
            violations.append(ConstraintViolation(value: path, field: "\(prefix).inputPath", constraint: "Member must have length less than or equal to 256"))
        }
        if let transformer = members.inputTransformer {
            if let map = transformer.inputPathsMap {
                violations += InputPathsMap.constraintViolations(map, memberIndex: memberIndex)
            }
            if let template = transformer.inputTemplate {
                if let violation = InputTemplate.constraintViolation(template, memberIndex: memberIndex) { violations.append(violation) }
            } else {
                violations.append(ConstraintViolation(value: nil, field: "\(prefix).inputTransformer.inputTemplate", constraint: "Member must not be null"))
            }
        }
        return violations
    }

    /// A string member: `nil` when absent or `null`; a non-string is a serialization error.
    private static func string(_ value: JSONValue?, field: String) throws(TargetInputError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let string)?: return string
        case let other?: throw .malformed(unexpected(other, expected: "string"), field: field)
        }
    }

    /// The deserializer's complaint about a JSON value of the wrong type. AWS's JSON protocol says
    /// `Start of structure or map found where not expected.` / `Start of list found where not
    /// expected.`; for scalars we say what was expected.
    private static func unexpected(_ value: JSONValue, expected: String) -> String {
        switch value {
        case .object: return "Start of structure or map found where not expected."
        case .array: return "Start of list found where not expected."
        default: return "Expected \(expected), found \(value.typeName)."
        }
    }
}

extension TargetInput {
    /// The members to show for this input in `ListTargetsByRule` (and to store): the inverse of
    /// `init(targetID:members:)`.
    public var apiMembers: APIMembers {
        switch self {
        case .event:
            return APIMembers()
        case .constant(let constant):
            return APIMembers(input: constant.text)
        case .path(let path):
            return APIMembers(inputPath: path.text)
        case .transformer(let map, let template):
            return APIMembers(inputTransformer: .init(inputPathsMap: map.entries.map { ($0.key, $0.path.text) },
                                                      inputTemplate: template.text))
        }
    }

    /// The same members as JSON `Target` members (`Input`, `InputPath`, `InputTransformer`), in
    /// AWS's spelling, to merge into a `Target` object.
    public var jsonMembers: [(key: String, value: JSONValue)] {
        switch self {
        case .event:
            return []
        case .constant(let constant):
            return [("Input", .string(constant.text))]
        case .path(let path):
            return [("InputPath", .string(path.text))]
        case .transformer(let map, let template):
            var transformer: [(key: String, value: JSONValue)] = []
            if !map.isEmpty {
                transformer.append(("InputPathsMap", .object(JSONObject(map.entries.map { ($0.key, JSONValue.string($0.path.text)) }))))
            }
            transformer.append(("InputTemplate", .string(template.text)))
            return [("InputTransformer", .object(JSONObject(transformer)))]
        }
    }
}
