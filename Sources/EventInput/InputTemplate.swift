import EventPatterns

/// A validated `InputTemplate`: text with `<name>` placeholders, compiled once into literal pieces
/// and placeholders so that rendering is a single pass.
///
/// ```swift
/// let map = try InputPathsMap([("state", "$.detail.state")], targetID: "t1")
/// let template = try InputTemplate(#"{"state": <state>, "text": "now <state>"}"#, pathsMap: map, targetID: "t1")
/// template.form           // .jsonObject
/// template.placeholders   // ["state"]
/// ```
///
/// A template has one of two forms, decided by its first non-whitespace character:
///
/// - **JSON object** (`{`): a JSON object once every unquoted placeholder is read as a value.
///   Placeholders may stand as values (`{"a": <v>}`, `[<v>, 1]`) or inside string literals
///   (`{"p": "users/<v>"}`), never in a key.
/// - **Strings** (`"`): one or more JSON string literals separated by whitespace, typically one
///   per line; every placeholder is inside a literal.
///
/// Anything else (bare text, an array, a number) is rejected, as are malformed JSON and strings.
///
/// A placeholder is `<`, one or more of `[A-Za-z0-9_.-]`, `>`; any other `<` or `>` is plain text.
/// Every placeholder must be a key of the `InputPathsMap` or a `PredefinedVariable`;
/// `<aws.events.event>` and `<aws.events.event.json>` only as unquoted values of a JSON template.
public struct InputTemplate: Sendable, Hashable, CustomStringConvertible {
    /// The two template forms.
    public enum Form: Sendable, Hashable {
        /// A JSON object with placeholders; the output must be valid JSON or nothing is delivered.
        case jsonObject
        /// One or more quoted strings; the output is delivered as text, whatever it becomes.
        case strings
    }

    /// Where a placeholder stands, which decides how its value is written.
    enum Position: Sendable, Hashable {
        /// Unquoted, as a JSON value: the value's JSON text.
        case jsonValue
        /// Inside a string literal of a JSON template: the value's text, unescaped.
        case jsonString
        /// Inside a string literal of a string template: the value's text, objects and arrays
        /// without any `"`.
        case text
    }

    enum Segment: Sendable, Hashable {
        case literal(String)
        case placeholder(String, Position)
    }

    /// The template as written.
    public let text: String
    /// Its form.
    public let form: Form
    /// The distinct placeholder names, in order of first use.
    public let placeholders: [String]
    /// The compiled template.
    let segments: [Segment]

    /// The largest template AWS accepts, in UTF-16 code units (and the smallest is 1).
    public static let maxLength = 8192

    /// Validates a template against the map whose keys it may use.
    ///
    /// - Parameters:
    ///   - text: the `InputTemplate` member.
    ///   - pathsMap: the `InputPathsMap` (may be empty).
    ///   - targetID: the target's `Id`, for messages.
    ///   - memberIndex: the target's 1-based position in the request, for constraint messages.
    /// - Throws: `TargetInputError` with kind `.constraintViolation` (empty or longer than 8192),
    ///   `.invalidPlaceholder` (`InputTemplate for target <id> contains invalid placeholder <name>.`),
    ///   `.invalidTemplate`, `.jsonOnlyPlaceholder` or `.placeholderAsKey`.
    /// - Complexity: O(length of `text`).
    public init(_ text: String, pathsMap: InputPathsMap, targetID: String, memberIndex: Int = 1) throws(TargetInputError) {
        if let violation = InputTemplate.constraintViolation(text, memberIndex: memberIndex) { throw .constraints([violation]) }
        try self.init(checked: text, pathsMap: pathsMap, targetID: targetID, memberIndex: memberIndex)
    }

    /// The length constraint AWS's model puts on a template, if broken.
    static func constraintViolation(_ text: String, memberIndex: Int) -> ConstraintViolation? {
        let length = text.utf16.count
        let field = "targets.\(memberIndex).member.inputTransformer.inputTemplate"
        if length > maxLength {
            return ConstraintViolation(value: text, field: field, constraint: "Member must have length less than or equal to 8192")
        }
        if length < 1 {
            return ConstraintViolation(value: text, field: field, constraint: "Member must have length greater than or equal to 1")
        }
        return nil
    }

    init(checked text: String, pathsMap: InputPathsMap, targetID: String, memberIndex: Int) throws(TargetInputError) {
        let field = "targets.\(memberIndex).member.inputTransformer.inputTemplate"
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count, InputTemplate.isWhitespace(bytes[start]) { start += 1 }
        let form: Form
        if start < bytes.count, bytes[start] == UInt8(ascii: "{") {
            form = .jsonObject
        } else if start < bytes.count, bytes[start] == UInt8(ascii: "\"") {
            form = .strings
        } else {
            form = .strings   // provisional: the placeholder check comes first, then this is rejected
        }
        let scan = InputTemplate.scan(bytes, form: form)

        // 1. Every placeholder is defined (the check AWS is observed to make).
        for (name, _) in scan.placeholders where pathsMap.position(of: name) == nil && PredefinedVariable(rawValue: name) == nil {
            throw .validation(.invalidPlaceholder, "InputTemplate for target \(targetID) contains invalid placeholder \(name).", field: field)
        }
        // 2. The form.
        guard start < bytes.count, bytes[start] == UInt8(ascii: "{") || bytes[start] == UInt8(ascii: "\"") else {
            throw .validation(.invalidTemplate,
                              "InputTemplate for target \(targetID) must be a JSON object or one or more quoted strings.",
                              field: field, offset: start)
        }
        // 3. The syntax.
        if let error = InputTemplate.syntaxError(bytes, form: form, scan: scan) {
            throw .validation(.invalidTemplate,
                              "JSON syntax error in InputTemplate for target \(targetID): \(_JacksonLocation.describe(text, error: error))",
                              field: field, offset: error.offset)
        }
        // 4. Raw-JSON variables only as values of a JSON template.
        for (name, position) in scan.placeholders where position != .jsonValue {
            if let variable = PredefinedVariable(rawValue: name), variable.isJSONOnly {
                throw .validation(.jsonOnlyPlaceholder,
                                  "InputTemplate for target \(targetID) contains placeholder \(name) valid only for JSON template.",
                                  field: field)
            }
        }
        // 5. No placeholder in a key.
        if let key = scan.keyPlaceholder {
            throw .validation(.placeholderAsKey,
                              "InputTemplate for target \(targetID) contains placeholder \(key.name) used as an object key.",
                              field: field, offset: key.offset)
        }
        self.text = text
        self.form = form
        self.segments = scan.segments
        var seen: Set<String> = []
        self.placeholders = scan.placeholders.compactMap { seen.insert($0.name).inserted ? $0.name : nil }
    }

    public var description: String { text }

    /// Equal when the texts are equal byte for byte (not by Unicode equivalence).
    public static func == (lhs: InputTemplate, rhs: InputTemplate) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }
    public func hash(into hasher: inout Hasher) { hasher.combine(Array(text.utf8)) }

    // MARK: - Scanning

    struct Scan {
        var segments: [Segment] = []
        var placeholders: [(name: String, position: Position)] = []
        /// Offsets of the `<` of unquoted placeholders (their `<` and `>` become `"` for the syntax check).
        var unquoted: [(open: Int, close: Int)] = []
        /// The first placeholder found in an object key.
        var keyPlaceholder: (name: String, offset: Int)?
    }

    /// One pass over the template: literal pieces, placeholders and where each stands.
    static func scan(_ bytes: [UInt8], form: Form) -> Scan {
        var scan = Scan()
        var index = 0
        var literalStart = 0
        var inString = false
        var stringPlaceholder: (name: String, offset: Int)?   // first placeholder of the current literal
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "\"") {
                    inString = false
                    index += 1
                    if let placeholder = stringPlaceholder, scan.keyPlaceholder == nil, followedByColon(bytes, from: index) {
                        scan.keyPlaceholder = placeholder
                    }
                    continue
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                stringPlaceholder = nil
                index += 1
                continue
            }
            if byte == UInt8(ascii: "<"), let end = placeholderEnd(bytes, from: index) {
                if literalStart < index {
                    scan.segments.append(.literal(String(decoding: bytes[literalStart..<index], as: UTF8.self)))
                }
                let name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                let position: Position = !inString ? .jsonValue : (form == .jsonObject ? .jsonString : .text)
                scan.segments.append(.placeholder(name, position))
                scan.placeholders.append((name, position))
                if inString {
                    if stringPlaceholder == nil { stringPlaceholder = (name, index) }
                } else {
                    scan.unquoted.append((index, end))
                    if scan.keyPlaceholder == nil, followedByColon(bytes, from: end + 1) { scan.keyPlaceholder = (name, index) }
                }
                index = end + 1
                literalStart = index
                continue
            }
            index += 1
        }
        if literalStart < bytes.count {
            scan.segments.append(.literal(String(decoding: bytes[literalStart..<bytes.count], as: UTF8.self)))
        }
        return scan
    }

    /// The offset of the `>` closing a placeholder whose `<` is at `start`, or nil.
    private static func placeholderEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ">") { return index > start + 1 ? index : nil }
            let isNameByte = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            if !isNameByte { return nil }
            index += 1
        }
        return nil
    }

    private static func followedByColon(_ bytes: [UInt8], from start: Int) -> Bool {
        var index = start
        while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
        return index < bytes.count && bytes[index] == UInt8(ascii: ":")
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    // MARK: - Syntax

    /// The first syntax error of the template, as a reader error at a template offset.
    private static func syntaxError(_ bytes: [UInt8], form: Form, scan: Scan) -> JSONError? {
        switch form {
        case .jsonObject:
            // Read each unquoted placeholder as a string of the same length, so that offsets in
            // the probe are offsets in the template.
            var probe = bytes
            for placeholder in scan.unquoted {
                probe[placeholder.open] = UInt8(ascii: "\"")
                probe[placeholder.close] = UInt8(ascii: "\"")
            }
            do {
                _ = try JSONReader.parse(probe)
                return nil
            } catch {
                return error
            }
        case .strings:
            var index = 0
            while true {
                while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
                if index == bytes.count { return nil }
                guard bytes[index] == UInt8(ascii: "\"") else {
                    return JSONError(.unexpectedCharacter, offset: index, "expected a string")
                }
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                index = min(index + 1, bytes.count + 1)
                let literal = Array(bytes[start..<min(index, bytes.count)])
                do {
                    _ = try JSONReader.parse(literal)
                } catch {
                    return JSONError(error.kind, offset: start + error.offset, error.message)
                }
                if index > bytes.count { return nil }
            }
        }
    }
}
