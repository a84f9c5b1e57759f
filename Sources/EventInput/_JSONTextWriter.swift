import EventPatterns

/// Compact JSON text for a value, written without recursion (an event nested 100,000 levels deep
/// costs heap, not stack) and stopping as soon as the output would pass a byte budget.
///
/// The text is the same as `JSONValue.jsonText`: numbers keep their source text, strings are
/// escaped per RFC 8259, non-ASCII is written as UTF-8.
struct _JSONTextWriter {
    /// The largest `output.utf8.count` allowed; writing stops (and reports failure) past it.
    let budget: Int
    /// The deepest container nesting seen so far (a scalar is depth 0, `{}` is 1).
    private(set) var maxDepth = 0

    init(budget: Int) {
        self.budget = budget
    }

    private enum Frame {
        case array([JSONValue], next: Int)
        case object([(key: String, value: JSONValue)], next: Int)
    }

    /// Appends the compact JSON text of `value` to `output`.
    /// - Returns: `false` when the output passed the budget (it is then incomplete).
    /// - Complexity: O(size of the value); extra memory O(depth).
    mutating func write(_ value: JSONValue, to output: inout String) -> Bool {
        var stack: [Frame] = []
        var pending: JSONValue? = value
        while true {
            if let current = pending {
                pending = nil
                switch current {
                case .null: output += "null"
                case .bool(let flag): output += flag ? "true" : "false"
                case .number(let number): output += number.text
                case .string(let string): JSONValue.writeString(string, to: &output)
                case .array(let elements):
                    output += "["
                    stack.append(.array(elements, next: 0))
                    maxDepth = max(maxDepth, stack.count)
                case .object(let object):
                    output += "{"
                    stack.append(.object(object.members, next: 0))
                    maxDepth = max(maxDepth, stack.count)
                }
                if output.utf8.count > budget { return false }
            }
            guard let top = stack.popLast() else { return true }
            switch top {
            case .array(let elements, let next):
                if next == elements.count {
                    output += "]"
                } else {
                    if next > 0 { output += "," }
                    pending = elements[next]
                    stack.append(.array(elements, next: next + 1))
                }
            case .object(let members, let next):
                if next == members.count {
                    output += "}"
                } else {
                    if next > 0 { output += "," }
                    JSONValue.writeString(members[next].key, to: &output)
                    output += ":"
                    pending = members[next].value
                    stack.append(.object(members, next: next + 1))
                }
            }
            if output.utf8.count > budget { return false }
        }
    }
}
