import EventPatterns

/// A validated JSONPath that selects part of an event: the `InputPath` of a target, or a value of
/// an `InputPathsMap`.
///
/// ```swift
/// let path = try InputPath("$.detail.payload.sf_id", targetID: "t1")
/// path.select(in: event)          // .string("baz"), or nil when the event has no such field
/// ```
///
/// EventBridge supports only a subset of JSONPath and says little about it; we accept exactly this
/// grammar (anything else is `InputPath for target <id> is invalid.`):
///
/// ```
/// path     = "$" *step                       ; at most 256 chars (UTF-16 code units)
/// step     = "." name                        ; $.detail.instance-id
///          / "." "*"                         ; every member value / element
///          / "[" index "]"                   ; $.resources[0]
///          / "[" "*" "]"
///          / "[" "'" quoted "'" "]"          ; $.detail['aws:tag'], any key
///          / "[" DQUOTE quoted DQUOTE "]"
/// name     = 1*( ALPHA / DIGIT / "_" / "-" / "/" )          ; ASCII only
/// index    = "0" / ( %x31-39 *8DIGIT )       ; no sign, no leading zero, < 1,000,000,000
/// quoted   = 1*( any character except the quote in use, "\" and control characters )
/// ```
///
/// No spaces, no recursive descent (`..`), filters, slices, unions, negative indices or escapes.
///
/// Selection: a name applies to an object only, an index to an array only; anything else, or an
/// absent key, or an index past the end, selects nothing. A path with a wildcard is *indefinite*:
/// it selects a JSON array of every match in document order (possibly `[]`), skipping branches
/// that do not match, as Jayway JsonPath does.
public struct InputPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Step: Sendable, Hashable {
        /// An object member, by its exact key (compared byte for byte).
        case member(String)
        /// An array element, 0-based.
        case index(Int)
        /// Every member value of an object, or every element of an array.
        case wildcard
    }

    /// The path as written.
    public let text: String
    /// The steps after `$` (empty for `$`, the whole event).
    public let steps: [Step]

    /// Whether the path selects at most one value (it has no wildcard).
    public var isDefinite: Bool { !steps.contains(.wildcard) }

    /// The largest path AWS accepts, in UTF-16 code units.
    public static let maxLength = 256

    /// Parses and validates a path.
    ///
    /// - Parameters:
    ///   - text: the JSONPath, e.g. `$.detail.state`.
    ///   - targetID: the target's `Id`, for the error message.
    ///   - memberIndex: the target's 1-based position in the `PutTargets` request, for the
    ///     constraint message (`targets.<n>.member.inputPath`).
    /// - Throws: `TargetInputError` `.invalidInputPath` (`InputPath for target <id> is invalid.`)
    ///   with the byte offset of the first bad character; `.constraintViolation` when longer than
    ///   256 chars.
    /// - Complexity: O(length of `text`).
    public init(_ text: String, targetID: String, memberIndex: Int = 1) throws(TargetInputError) {
        if text.utf16.count > InputPath.maxLength {
            throw .constraints([ConstraintViolation(value: text, field: "targets.\(memberIndex).member.inputPath",
                                                    constraint: "Member must have length less than or equal to 256")])
        }
        self.text = text
        self.steps = try InputPath.parse(text, targetID: targetID)
    }

    init(validated text: String, steps: [Step]) {
        self.text = text
        self.steps = steps
    }

    public var description: String { text }

    /// Equal when the texts are equal byte for byte (not by Unicode equivalence).
    public static func == (lhs: InputPath, rhs: InputPath) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }
    public func hash(into hasher: inout Hasher) { hasher.combine(Array(text.utf8)) }

    /// The error message for a bad path.
    static func invalidMessage(targetID: String) -> String { "InputPath for target \(targetID) is invalid." }

    /// Parses the grammar above.
    static func parse(_ text: String, targetID: String) throws(TargetInputError) -> [Step] {
        let bytes = Array(text.utf8)
        func fail(_ offset: Int) -> TargetInputError {
            .validation(.invalidInputPath, invalidMessage(targetID: targetID), offset: offset)
        }
        guard bytes.first == UInt8(ascii: "$") else { throw fail(0) }
        var steps: [Step] = []
        var position = 1
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "."):
                position += 1
                guard position < bytes.count else { throw fail(position) }
                if bytes[position] == UInt8(ascii: "*") {
                    steps.append(.wildcard)
                    position += 1
                    continue
                }
                let start = position
                while position < bytes.count, isNameByte(bytes[position]) { position += 1 }
                guard position > start else { throw fail(start) }
                steps.append(.member(String(decoding: bytes[start..<position], as: UTF8.self)))
            case UInt8(ascii: "["):
                position += 1
                guard position < bytes.count else { throw fail(position) }
                let first = bytes[position]
                if first == UInt8(ascii: "*") {
                    position += 1
                    steps.append(.wildcard)
                } else if first == UInt8(ascii: "'") || first == UInt8(ascii: "\"") {
                    position += 1
                    let start = position
                    while position < bytes.count, bytes[position] != first {
                        let byte = bytes[position]
                        if byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\\") { throw fail(position) }
                        position += 1
                    }
                    guard position < bytes.count, position > start else { throw fail(position) }
                    steps.append(.member(String(decoding: bytes[start..<position], as: UTF8.self)))
                    position += 1
                } else if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") {
                    let start = position
                    var value = 0
                    while position < bytes.count, bytes[position] >= UInt8(ascii: "0") && bytes[position] <= UInt8(ascii: "9") {
                        value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                        position += 1
                        if position - start > 9 { throw fail(start) }
                    }
                    if first == UInt8(ascii: "0") && position - start > 1 { throw fail(start) }
                    steps.append(.index(value))
                } else {
                    throw fail(position)
                }
                guard position < bytes.count, bytes[position] == UInt8(ascii: "]") else { throw fail(position) }
                position += 1
            default:
                throw fail(position)
            }
        }
        return steps
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/")
    }

    /// The part of `value` the path selects.
    ///
    /// ```swift
    /// try InputPath("$.resources[0]", targetID: "t").select(in: event)   // the first ARN, or nil
    /// try InputPath("$.detail.items[*].id", targetID: "t").select(in: event)   // .array([...])
    /// ```
    ///
    /// - Returns: the selected value; `nil` when a definite path selects nothing. An indefinite
    ///   path always returns an array (empty when nothing matched).
    /// - Complexity: O(steps) for a definite path (plus O(keys) per object member lookup); for an
    ///   indefinite path, O(size of the parts of the value it visits). No recursion.
    public func select(in value: JSONValue) -> JSONValue? {
        if isDefinite {
            var current = value
            for step in steps {
                guard let next = InputPath.apply(step, to: current) else { return nil }
                current = next
            }
            return current
        }
        var frontier = [value]
        for step in steps {
            var next: [JSONValue] = []
            for node in frontier {
                if step == .wildcard {
                    switch node {
                    case .array(let elements): next.append(contentsOf: elements)
                    case .object(let object): next.append(contentsOf: object.members.lazy.map(\.value))
                    default: break
                    }
                } else if let child = InputPath.apply(step, to: node) {
                    next.append(child)
                }
            }
            frontier = next
        }
        return .array(frontier)
    }

    private static func apply(_ step: Step, to node: JSONValue) -> JSONValue? {
        switch step {
        case .member(let key):
            guard case .object(let object) = node else { return nil }
            return object[key]
        case .index(let index):
            guard case .array(let elements) = node, index < elements.count else { return nil }
            return elements[index]
        case .wildcard:
            return nil
        }
    }
}
