/// A parsed JSON document.
///
/// `EventPatterns` parses patterns (and, on its slow paths, events) into this tree. Objects keep
/// their members in document order with duplicate keys collapsed: the **last** occurrence wins, as
/// EventBridge does. Numbers keep both their source text and their `Double` value.
///
/// ```swift
/// let value = try JSONReader.parse(#"{"a": [1, "x", null]}"#)
/// value["a"]?[1] == .string("x")   // true
/// ```
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The member named `key` of an object, or `nil` (also for non-objects).
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The element at `index` of an array, or `nil` (also for non-arrays and out-of-range indices).
    public subscript(index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }

    /// A short name of the value's JSON type, used in messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// A JSON number: its exact source text and its nearest `Double`.
///
/// Equality is numeric (`300 == 300.0 == 3e2`), which is how EventBridge compares numbers.
public struct JSONNumber: Sendable, Equatable, CustomStringConvertible {
    /// The number as written in the JSON text.
    public var text: String
    /// The nearest binary64 value (may be infinite for out-of-range text such as `1e400`).
    public var value: Double

    public init(text: String, value: Double) {
        self.text = text
        self.value = value
    }

    public init(_ value: Double) {
        self.value = value
        if value == value.rounded(), abs(value) < 1e15 {
            self.text = String(Int64(value))
        } else {
            self.text = String(value)
        }
    }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool { lhs.value == rhs.value }

    public var description: String { text }
}

/// A string compared and hashed by its UTF-8 bytes.
///
/// Swift's `String` equality is Unicode canonical equivalence (`"\u{212A}" == "K"`, precomposed
/// `"é"` equals decomposed `"é"`), but JSON keys and EventBridge values compare byte for byte.
/// Every identity decision in this module goes through bytes.
struct _Bytes: Hashable, Comparable, Sendable {
    let bytes: [UInt8]
    init(_ string: String) { bytes = Array(string.utf8) }
    init(bytes: [UInt8]) { self.bytes = bytes }
    static func < (lhs: _Bytes, rhs: _Bytes) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}

/// A JSON object: members in document order, keys unique (the last duplicate won). Keys are
/// compared by their UTF-8 bytes, never by Unicode equivalence.
public struct JSONObject: Sendable, Equatable {
    public private(set) var members: [(key: String, value: JSONValue)]

    public init() { members = [] }

    /// Builds an object; a later member with an existing key replaces the earlier value in place.
    ///
    /// - Complexity: O(n) expected (a hash index is used for all but tiny objects).
    public init(_ members: [(key: String, value: JSONValue)]) {
        if members.count <= 8 {
            self.members = []
            self.members.reserveCapacity(members.count)
            for member in members { self[member.key] = member.value }
            return
        }
        var unique: [(key: String, value: JSONValue)] = []
        unique.reserveCapacity(members.count)
        var position: [_Bytes: Int] = [:]
        for member in members {
            let key = _Bytes(member.key)
            if let index = position[key] {
                unique[index].value = member.value
            } else {
                position[key] = unique.count
                unique.append(member)
            }
        }
        self.members = unique
    }

    public var isEmpty: Bool { members.isEmpty }
    public var count: Int { members.count }

    public subscript(key: String) -> JSONValue? {
        get {
            for member in members where member.key.utf8.elementsEqual(key.utf8) { return member.value }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { $0.key.utf8.elementsEqual(key.utf8) }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
    }

    /// Equal when both hold the same keys (byte for byte) with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for member in lhs.members {
            guard let other = rhs[member.key], other == member.value else { return false }
        }
        return true
    }
}
