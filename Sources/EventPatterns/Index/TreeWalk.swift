/// The slow path: matching over a parsed `JSONValue` (duplicate keys already collapsed, last
/// wins). Used when the one-pass scan meets a repeated key that rules care about.
extension _MatchState {
    mutating func walkTree(_ object: JSONObject) {
        walkTreeObject(object, node: 0)
    }

    private mutating func walkTreeObject(_ object: JSONObject, node: Int32) {
        let trie = hot.trie
        let childLengths = hot.nodeChildLengths
        for (key, value) in object.members {
            var key = key
            let child = key.withUTF8 { _EventScanner.walkSegments($0, from: node, trie: trie, childLengths: childLengths) }
            if child >= 0 { walkTreeValue(value, node: child) }
        }
    }

    private mutating func walkTreeValue(_ value: JSONValue, node: Int32) {
        let field = hot.nodeField[node]
        switch value {
        case .object(let object):
            if hot.nodeHasChildren[node] { walkTreeObject(object, node: node) }
        case .array(let elements):
            arraySerial &+= 1
            let array = arraySerial
            let enclosing = currentNode
            for (index, element) in elements.enumerated() {
                _ = enterElement(array: array, index: index)
                walkTreeValue(element, node: node)
                currentNode = enclosing
            }
        case .string(var string):
            if field >= 0 { string.withUTF8 { evaluateString($0, field: field) } }
        case .number(let number):
            if field >= 0 { evaluateNumber(number.value, field: field) }
        case .bool(let flag):
            if field >= 0 { evaluateLiteral(flag ? UInt8(ascii: "t") : UInt8(ascii: "f"), field: field) }
        case .null:
            if field >= 0 { evaluateLiteral(UInt8(ascii: "n"), field: field) }
        }
    }
}
