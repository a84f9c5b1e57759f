import EventPatterns

/// The validated `InputPathsMap` of an input transformer: placeholder names and the paths whose
/// values replace them.
///
/// ```swift
/// let map = try InputPathsMap([("instance", "$.detail.instance-id"), ("state", "$.detail.state")], targetID: "t1")
/// map["state"]?.text   // "$.detail.state"
/// ```
///
/// Rules (AWS's model and documentation): at most 100 entries; keys 1–256 chars of
/// `[A-Za-z0-9_-]` (so the predefined `aws.events.*` names can never be keys) and not starting
/// with `AWS`; values are `InputPath`s. Entries keep the order given; a repeated key keeps its last
/// path, as a JSON object with duplicate keys does. No path is checked against any event.
public struct InputPathsMap: Sendable, Hashable {
    /// The entries, in the order given, keys unique.
    public let entries: [(key: String, path: InputPath)]
    /// Key → position in `entries`.
    private let positions: [String: Int]

    /// The most entries AWS accepts.
    public static let maxEntries = 100

    /// Validates a map.
    ///
    /// - Parameters:
    ///   - entries: key and JSONPath text pairs, in request order.
    ///   - targetID: the target's `Id`, for messages.
    ///   - memberIndex: the target's 1-based position in the request, for constraint messages.
    /// - Throws: `TargetInputError`: `.constraintViolation` (too many entries, a bad key, a path
    ///   longer than 256), `.reservedKey`, or `.invalidInputPath`.
    /// - Complexity: O(total length of keys and paths).
    public init(_ entries: [(key: String, value: String)], targetID: String, memberIndex: Int = 1) throws(TargetInputError) {
        let violations = InputPathsMap.constraintViolations(entries, memberIndex: memberIndex)
        if !violations.isEmpty { throw .constraints(violations) }
        try self.init(checked: entries, targetID: targetID)
    }

    /// Validates entries that already satisfy the model constraints.
    init(checked entries: [(key: String, value: String)], targetID: String) throws(TargetInputError) {
        var unique: [(key: String, path: InputPath)] = []
        var positions: [String: Int] = [:]
        for entry in entries {
            if entry.key.utf8.starts(with: "AWS".utf8) {
                throw .validation(.reservedKey, "InputPathsMap for target \(targetID) contains reserved key \(entry.key).")
            }
            let path = InputPath(validated: entry.value, steps: try InputPath.parse(entry.value, targetID: targetID))
            if let position = positions[entry.key] {
                unique[position].path = path
            } else {
                positions[entry.key] = unique.count
                unique.append((entry.key, path))
            }
        }
        self.entries = unique
        self.positions = positions
    }

    /// The model-constraint violations of a map, in AWS's wording (empty when there are none).
    static func constraintViolations(_ entries: [(key: String, value: String)], memberIndex: Int) -> [ConstraintViolation] {
        let field = "targets.\(memberIndex).member.inputTransformer.inputPathsMap"
        var violations: [ConstraintViolation] = []
        let shown = "{" + entries.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "}"
        if entries.count > maxEntries {
            violations.append(ConstraintViolation(value: shown, field: field, constraint: "Member must have length less than or equal to 100"))
        }
        if entries.contains(where: { !isValidKey($0.key) }) {
            violations.append(ConstraintViolation(value: shown, field: field, constraint:
                "Map keys must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [A-Za-z0-9\\_\\-]+]"))
        }
        if entries.contains(where: { $0.value.utf16.count > InputPath.maxLength }) {
            violations.append(ConstraintViolation(value: shown, field: field, constraint:
                "Map value must satisfy constraint: [Member must have length less than or equal to 256]"))
        }
        return violations
    }

    /// `[A-Za-z0-9_-]{1,256}`.
    static func isValidKey(_ key: String) -> Bool {
        let bytes = key.utf8
        guard !bytes.isEmpty, bytes.count <= 256 else { return false }
        return bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// The path for a key, or `nil`.
    /// - Complexity: O(1) expected.
    public subscript(key: String) -> InputPath? {
        positions[key].map { entries[$0].path }
    }

    /// The position of a key in `entries`.
    func position(of key: String) -> Int? { positions[key] }

    /// The number of entries.
    public var count: Int { entries.count }
    /// Whether the map has no entries (a template of predefined variables only).
    public var isEmpty: Bool { entries.isEmpty }

    /// Equal when the entries are the same, in the same order.
    public static func == (lhs: InputPathsMap, rhs: InputPathsMap) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.path == $1.path }
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.key)
            hasher.combine(entry.path)
        }
    }
}
