import EventBus
import EventPatterns

/// The protocol a request speaks, which decides how its parameters are read and how the answer and
/// the errors are written.
public enum WireProtocol: Sendable, Equatable {
    /// `X-Amz-Target: <prefix>.<Operation>`, JSON body; `version` is `1.0` (SQS) or `1.1`.
    case json(version: String)
    /// REST-JSON (Batch): the operation in the path, JSON body; errors in `x-amzn-ErrorType`.
    case restJSON
    /// Query (ELBv2): form-encoded `Action=…&Version=…`, XML answers.
    case query(namespace: String)
}

/// An HTTP answer, independent of the server library.
public struct WireResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A protocol-level error: AWS's code, message and HTTP status.
public struct WireError: Error, Sendable, Equatable {
    public var code: String
    public var message: String
    public var status: Int
    public init(_ code: String, _ message: String, status: Int = 400) {
        self.code = code
        self.message = message
        self.status = status
    }
}

/// Writing answers and errors in each protocol's shapes.
public enum WireFormat {
    /// A success answer.
    public static func success(_ value: JSONValue, protocol wire: WireProtocol, operation: String, requestID: String) -> WireResponse {
        switch wire {
        case .json(let version):
            return WireResponse(status: 200, headers: [("Content-Type", "application/x-amz-json-\(version)"), ("x-amzn-RequestId", requestID)],
                                body: Array(value.jsonText.utf8))
        case .restJSON:
            return WireResponse(status: 200, headers: [("Content-Type", "application/json"), ("x-amzn-RequestId", requestID)],
                                body: Array(value.jsonText.utf8))
        case .query(let namespace):
            var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
            xml += "<\(operation)Response xmlns=\"\(namespace)\"><\(operation)Result>"
            XMLWriter.writeMembers(value, to: &xml)
            xml += "</\(operation)Result><ResponseMetadata><RequestId>\(requestID)</RequestId></ResponseMetadata></\(operation)Response>"
            return WireResponse(status: 200, headers: [("Content-Type", "text/xml"), ("x-amzn-RequestId", requestID)], body: Array(xml.utf8))
        }
    }

    /// An error answer. `service` picks SQS's query-compatible error codes.
    public static func error(_ error: WireError, protocol wire: WireProtocol, service: String, requestID: String) -> WireResponse {
        switch wire {
        case .json(let version):
            var headers: [(name: String, value: String)] = [("Content-Type", "application/x-amz-json-\(version)"), ("x-amzn-RequestId", requestID)]
            var type = error.code
            if service == "sqs" {
                // SQS speaks JSON with query-compatible codes: the SDKs take the code from this header.
                type = "com.amazonaws.sqs#" + (sqsShapeNames[error.code] ?? error.code)
                headers.append(("x-amzn-query-error", "\(error.code);\(error.status >= 500 ? "Receiver" : "Sender")"))
            }
            let body = JSONValue.object(JSONObject([("__type", .string(type)), ("message", .string(error.message))]))
            return WireResponse(status: error.status, headers: headers, body: Array(body.jsonText.utf8))
        case .restJSON:
            let body = JSONValue.object(JSONObject([("__type", .string(error.code)), ("message", .string(error.message))]))
            return WireResponse(status: error.status, headers: [("Content-Type", "application/json"), ("x-amzn-RequestId", requestID),
                                                                ("x-amzn-ErrorType", error.code)],
                                body: Array(body.jsonText.utf8))
        case .query(let namespace):
            var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
            xml += "<ErrorResponse xmlns=\"\(namespace)\"><Error><Type>\(error.status >= 500 ? "Receiver" : "Sender")</Type>"
            xml += "<Code>\(XMLWriter.escape(queryCodes[error.code] ?? error.code))</Code><Message>\(XMLWriter.escape(error.message))</Message></Error>"
            xml += "<RequestId>\(requestID)</RequestId></ErrorResponse>"
            return WireResponse(status: error.status, headers: [("Content-Type", "text/xml"), ("x-amzn-RequestId", requestID)], body: Array(xml.utf8))
        }
    }

    /// SQS's JSON shape names for its query-era codes.
    static let sqsShapeNames = [
        "AWS.SimpleQueueService.NonExistentQueue": "QueueDoesNotExist",
        "AWS.SimpleQueueService.QueueDeletedRecently": "QueueDeletedRecently",
        "AWS.SimpleQueueService.PurgeQueueInProgress": "PurgeQueueInProgress",
    ]

    /// The query protocol's names of the authentication and protocol errors.
    static let queryCodes = [
        "UnrecognizedClientException": "InvalidClientTokenId",
        "InvalidSignatureException": "SignatureDoesNotMatch",
        "MissingAuthenticationTokenException": "MissingAuthenticationToken",
        "IncompleteSignatureException": "IncompleteSignature",
        "UnknownOperationException": "InvalidAction",
        "SerializationException": "MalformedQueryString",
    ]
}

/// Renders JSON values as the query protocol's XML: object members become elements, list items
/// `<member>` elements, strings are escaped. Member names are written as they are: ELBv2's answers
/// have no maps, so every name is a shape member name (a valid XML name).
public enum XMLWriter {
    /// The members of `value` (an object) as a sequence of elements; anything else as text.
    public static func writeMembers(_ value: JSONValue, to out: inout String) {
        switch value {
        case .object(let object):
            for (key, member) in object.members {
                if case .null = member { continue }
                out += "<\(key)>"
                writeMembers(member, to: &out)
                out += "</\(key)>"
            }
        case .array(let items):
            for item in items {
                out += "<member>"
                writeMembers(item, to: &out)
                out += "</member>"
            }
        case .string(let text): out += escape(text)
        case .number(let number): out += number.text
        case .bool(let flag): out += flag ? "true" : "false"
        case .null: break
        }
    }

    /// `text` as XML character data: markup characters as entities, `\r` as `&#xD;` (a literal one
    /// would be read back as `\n`), and the characters XML 1.0 forbids even as references (C0
    /// controls other than tab and line feed, U+FFFE, U+FFFF) as U+FFFD, so that the answer stays
    /// well-formed for the SDKs' parsers.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#xD;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Form-encoded query parameters (`Names.member.1=a&Attributes.member.1.Key=k`) → JSON parameters
/// (`{"Names": ["a"], "Attributes": [{"Key": "k"}]}`). Every value is text except members named
/// in `integerMembers` / `booleanMembers` whose text reads as one (the query protocol carries no
/// types; these are ELBv2's numeric and boolean members). `entry.N` is read like `member.N` (a list
/// of `{key, value}` objects); ELBv2 has no map parameters.
public enum QueryDecoder {
    public static let integerMembers: Set<String> = [
        "Port", "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount",
        "PageSize", "Priority", "Weight", "DurationSeconds", "MaxResults",
    ]
    public static let booleanMembers: Set<String> = ["HealthCheckEnabled", "IsDefault", "Enabled"]

    /// Splits `a=1&b=x+y` into decoded pairs (`+` is a space, as in forms).
    public static func pairs(_ text: String) -> [(String, String)] {
        text.split(separator: "&").compactMap { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = SigV4.percentDecode(String(parts[0]), plusIsSpace: true)
            guard !name.isEmpty else { return nil }
            return (name, parts.count > 1 ? SigV4.percentDecode(String(parts[1]), plusIsSpace: true) : "")
        }
    }

    /// The most parameters one request may carry, and the most dot-separated segments in a name
    /// (ELBv2's deepest, `Actions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn`, has 8).
    public static let maximumParameters = 10_000
    public static let maximumSegments = 24

    /// A parameter tree under construction: objects keep their members' first-appearance order and
    /// find a member in O(1); lists keep positions (sorted when converted).
    private indirect enum Node {
        case leaf(String)
        case object(keys: [String], children: [String: Node])
        case list([Int: Node])
    }

    /// The parameters of `pairs` without `Action` and `Version`, as a JSON object.
    /// - Throws: `WireError` (MalformedQueryString) for a list index that is not a number from 1 to
    ///   1000, an empty name segment, more than `maximumSegments` segments or more than
    ///   `maximumParameters` parameters.
    public static func decode(_ pairs: [(String, String)]) throws(WireError) -> JSONObject {
        guard pairs.count <= maximumParameters + 2 else {
            throw WireError("MalformedQueryString", "The request has \(pairs.count) parameters; at most \(maximumParameters) are accepted.")
        }
        var root = Node.object(keys: [], children: [:])
        for (name, value) in pairs where name != "Action" && name != "Version" {
            var path: [PathItem] = []
            let segments = name.split(separator: ".", omittingEmptySubsequences: false)
            guard segments.count <= maximumSegments else {
                throw WireError("MalformedQueryString", "Parameter \(name.prefix(200)) has more than \(maximumSegments) segments.")
            }
            var index = 0
            while index < segments.count {
                let segment = segments[index]
                if segment == "member" || segment == "entry" {
                    guard index + 1 < segments.count, segments[index + 1].utf8.count <= 4,
                          segments[index + 1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                          let position = Int(segments[index + 1]), position >= 1, position <= 1000 else {
                        throw WireError("MalformedQueryString", "Parameter \(name.prefix(200)) has no valid list index (1 to 1000).")
                    }
                    path.append(.index(position))
                    index += 2
                } else {
                    guard !segment.isEmpty else { throw WireError("MalformedQueryString", "Parameter \(name.prefix(200)) is malformed.") }
                    path.append(.key(String(segment)))
                    index += 1
                }
            }
            insert(&root, path[...], value)
        }
        guard case .object(let object) = convert(root, name: "") else { return JSONObject() }
        return object
    }

    private enum PathItem { case key(String), index(Int) }

    private static func insert(_ node: inout Node, _ path: ArraySlice<PathItem>, _ value: String) {
        guard let first = path.first else {
            node = .leaf(value)
            return
        }
        let rest = path.dropFirst()
        switch first {
        case .key(let key):
            var keys: [String] = [], children: [String: Node] = [:]
            if case .object(let existingKeys, let existingChildren) = node {
                keys = existingKeys
                children = existingChildren
            }
            node = .leaf("")  // the arrays are now uniquely referenced: no copy per insertion
            if children[key] == nil { keys.append(key) }
            var child = children.removeValue(forKey: key) ?? .object(keys: [], children: [:])
            insert(&child, rest, value)
            children[key] = child
            node = .object(keys: keys, children: children)
        case .index(let position):
            var items: [Int: Node] = [:]
            if case .list(let existing) = node { items = existing }
            node = .leaf("")
            var child = items.removeValue(forKey: position) ?? .object(keys: [], children: [:])
            insert(&child, rest, value)
            items[position] = child
            node = .list(items)
        }
    }

    private static func convert(_ node: Node, name: String) -> JSONValue {
        switch node {
        case .leaf(let text):
            if integerMembers.contains(name), let number = Int(text) { return .number(JSONNumber(Double(number))) }
            if booleanMembers.contains(name), text == "true" || text == "false" { return .bool(text == "true") }
            return .string(text)
        case .object(let keys, let children):
            return .object(JSONObject(keys.compactMap { key in children[key].map { (key, convert($0, name: key)) } }))
        case .list(let items):
            return .array(items.sorted { $0.key < $1.key }.map { convert($0.value, name: name) })
        }
    }
}
