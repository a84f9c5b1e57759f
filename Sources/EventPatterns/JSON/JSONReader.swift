/// A strict RFC 8259 JSON reader over UTF-8 bytes, with limits and byte-offset errors.
///
/// It rejects everything RFC 8259 rejects: trailing garbage, bad escapes, invalid UTF-8, lone
/// surrogates (`\uD800` without its pair), leading zeros, `NaN`/`Infinity`, control characters in
/// strings, trailing commas. Duplicate object keys are accepted and the last one wins.
///
/// ```swift
/// let value = try JSONReader.parse(#"{"source": ["aws.ec2"]}"#)
/// ```
///
/// - Complexity: O(n) in the input length (objects use a hash index to collapse duplicates).
public struct JSONReader: Sendable {
    /// Limits applied while reading.
    public struct Limits: Sendable, Equatable {
        /// Deepest nesting of arrays and objects accepted (the outermost container is depth 1).
        public var maxDepth: Int
        /// Largest input accepted, in bytes.
        public var maxBytes: Int

        public init(maxDepth: Int = 256, maxBytes: Int = 16 << 20) {
            self.maxDepth = maxDepth
            self.maxBytes = maxBytes
        }

        /// The deepest nesting any reader or matcher accepts, whatever the limits say: parsing
        /// recurses once per level, and deeper input would risk the thread's stack (secondary
        /// threads may have small stacks).
        public static let depthCeiling = 1_000

        public static let `default` = Limits()
    }

    public var limits: Limits

    public init(limits: Limits = .default) {
        self.limits = limits
    }

    /// Parses a complete JSON text.
    /// - Throws: `JSONError` with the byte offset of the first problem.
    public static func parse(_ text: String, limits: Limits = .default) throws(JSONError) -> JSONValue {
        var text = text
        return try text._withUTF8 { (bytes) throws(JSONError) -> JSONValue in
            try JSONReader(limits: limits).parse(bytes)
        }
    }

    /// Parses a complete JSON text given as bytes.
    public static func parse(_ bytes: [UInt8], limits: Limits = .default) throws(JSONError) -> JSONValue {
        try bytes._withBytes { (buffer) throws(JSONError) -> JSONValue in
            try JSONReader(limits: limits).parse(buffer)
        }
    }

    /// Parses a complete JSON text given as a buffer of UTF-8 bytes.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> JSONValue {
        if bytes.count > limits.maxBytes {
            throw JSONError(.tooLarge, offset: limits.maxBytes, "input is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)")
        }
        var parser = _JSONTreeParser(bytes: bytes, maxDepth: min(limits.maxDepth, Limits.depthCeiling))
        parser.skipWhitespace()
        if parser.position >= bytes.count {
            throw JSONError(.unexpectedEnd, offset: parser.position, "No content to map due to end-of-input")
        }
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.position < bytes.count {
            throw JSONError(.trailingData, offset: parser.position,
                            "Unexpected character (\(_describe(bytes[parser.position]))): expected end of input after the JSON value")
        }
        return value
    }
}

/// An error found in JSON text.
///
/// `offset` is the 0-based byte offset of the problem in the input.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is. New kinds may be added.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let unexpectedCharacter = Kind("unexpectedCharacter")
        public static let unexpectedEnd = Kind("unexpectedEnd")
        public static let trailingData = Kind("trailingData")
        public static let invalidNumber = Kind("invalidNumber")
        public static let invalidString = Kind("invalidString")
        public static let invalidUTF8 = Kind("invalidUTF8")
        public static let tooDeep = Kind("tooDeep")
        public static let tooLarge = Kind("tooLarge")
    }

    public var kind: Kind
    public var offset: Int
    public var message: String

    public init(_ kind: Kind, offset: Int, _ message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) (at byte \(offset))" }
}

/// Describes a byte the way Jackson (which AWS uses) does in its messages: `'a' (code 97)`.
func _describe(_ byte: UInt8) -> String {
    if byte >= 0x20 && byte < 0x7F {
        return "'\(Character(Unicode.Scalar(byte)))' (code \(byte))"
    }
    return "(CTRL-CHAR, code \(byte))"
}

struct _JSONTreeParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Where `offset` is, the way Jackson (which AWS uses) describes it in messages:
    /// `[Source: (String)"…"; line: 1, column: 1]` (1-based line and column).
    func sourceLocation(_ offset: Int) -> String {
        var line = 1
        var column = 1
        for index in 0..<min(offset, bytes.count) {
            if bytes[index] == 0x0A { line += 1; column = 1 } else { column += 1 }
        }
        let shown = min(bytes.count, 500)
        var source = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<shown]), as: UTF8.self)
        if shown < bytes.count { source += "\"[truncated \(bytes.count - shown) bytes]" } else { source += "\"" }
        return "[Source: (String)\"\(source); line: \(line), column: \(column)]"
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard position < bytes.count else {
            throw JSONError(.unexpectedEnd, offset: position, "Unexpected end-of-input: expected a value")
        }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case let byte:
            throw JSONError(.unexpectedCharacter, offset: position,
                            "Unexpected character (\(_describe(byte))): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let start = position
        let count = literal.utf8CodeUnitCount
        let base = literal.utf8Start
        for index in 0..<count {
            guard position < bytes.count, bytes[position] == base[index] else {
                throw JSONError(.unexpectedCharacter, offset: start,
                                "Unrecognized token: was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
            }
            position += 1
        }
        // A literal must not run into an identifier character ("truex").
        if position < bytes.count, _isLetterOrDigit(bytes[position]) {
            throw JSONError(.unexpectedCharacter, offset: start,
                            "Unrecognized token: was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
        }
    }

    mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
        let start = position
        if depth > maxDepth {
            throw JSONError(.tooDeep, offset: position, "nesting deeper than the limit of \(maxDepth)")
        }
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(JSONObject())
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else {
                throw JSONError(.unexpectedEnd, offset: position, "Unexpected end-of-input: expected close marker for Object (start marker at \(sourceLocation(start)))")
            }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw JSONError(.unexpectedCharacter, offset: position,
                                "Unexpected character (\(_describe(bytes[position]))): was expecting double-quote to start field name")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count else {
                throw JSONError(.unexpectedEnd, offset: position, "Unexpected end-of-input: expected close marker for Object (start marker at \(sourceLocation(start)))")
            }
            guard bytes[position] == UInt8(ascii: ":") else {
                throw JSONError(.unexpectedCharacter, offset: position,
                                "Unexpected character (\(_describe(bytes[position]))): was expecting a colon to separate field name and value")
            }
            position += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append((key, value))
            skipWhitespace()
            guard position < bytes.count else {
                throw JSONError(.unexpectedEnd, offset: position, "Unexpected end-of-input: expected close marker for Object (start marker at \(sourceLocation(start)))")
            }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(JSONObject(members))
            case let byte:
                throw JSONError(.unexpectedCharacter, offset: position,
                                "Unexpected character (\(_describe(byte))): was expecting comma to separate Object entries")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        let start = position
        if depth > maxDepth {
            throw JSONError(.tooDeep, offset: position, "nesting deeper than the limit of \(maxDepth)")
        }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard position < bytes.count else {
                throw JSONError(.unexpectedEnd, offset: position, "Unexpected end-of-input: expected close marker for Array (start marker at \(sourceLocation(start)))")
            }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(elements)
            case let byte:
                throw JSONError(.unexpectedCharacter, offset: position,
                                "Unexpected character (\(_describe(byte))): was expecting comma to separate Array entries")
            }
        }
    }

    mutating func parseNumber() throws(JSONError) -> JSONNumber {
        let start = position
        guard let end = _scanNumber(bytes, from: position) else {
            throw JSONError(.invalidNumber, offset: start, "Invalid numeric value: not a valid JSON number")
        }
        position = end
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        return JSONNumber(text: String(decoding: slice, as: UTF8.self), value: _parseDouble(slice))
    }

    mutating func parseString() throws(JSONError) -> String {
        // position is at the opening quote.
        var scratch: [UInt8] = []
        let start = position + 1
        let (end, escaped) = try _scanString(bytes, openingQuote: position, unescapeInto: &scratch)
        position = end
        if escaped { return String(decoding: scratch, as: UTF8.self) }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(end - 1)]), as: UTF8.self)
    }
}

@inline(__always)
func _isLetterOrDigit(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
        || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
}

/// Scans a JSON number starting at `from`; returns the end offset, or nil if it is not a valid
/// RFC 8259 number (leading zeros, a lone `-`, `1.`, `.5`, `1e` are all invalid).
func _scanNumber(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    var index = start
    let count = bytes.count
    if index < count, bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < count else { return nil }
    if bytes[index] == UInt8(ascii: "0") {
        index += 1
    } else if bytes[index] >= UInt8(ascii: "1") && bytes[index] <= UInt8(ascii: "9") {
        index += 1
        while index < count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
    } else {
        return nil
    }
    if index < count, bytes[index] == UInt8(ascii: ".") {
        index += 1
        let digits = index
        while index < count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        if index == digits { return nil }
    }
    if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
        index += 1
        if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digits = index
        while index < count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        if index == digits { return nil }
    }
    // A number must not run into letters or digits ("01", "1x").
    if index < count, _isLetterOrDigit(bytes[index]) || bytes[index] == UInt8(ascii: ".") { return nil }
    return index
}

/// Powers of ten exactly representable as doubles.
let _exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// Converts the text of a valid JSON number to the nearest double, correctly rounded, without
/// allocating for the numbers events usually carry.
///
/// - Up to 15 significant digits and a power of ten up to 22 (Clinger's fast path): the digits and
///   the power are exact doubles, so one multiplication or division rounds correctly.
/// - Up to 19 significant digits with a power of ten from -18 to 19: exact 128-bit integer
///   arithmetic (a product, or a quotient with at least 66 bits plus a sticky bit for the
///   remainder), rounded once by the integer-to-double conversion.
/// - Anything else: the standard library's correctly rounded conversion of the text.
func _parseDouble(_ text: UnsafeBufferPointer<UInt8>) -> Double {
    var index = 0
    let count = text.count
    var negative = false
    if index < count, text[index] == UInt8(ascii: "-") { negative = true; index += 1 }
    var mantissa: UInt64 = 0
    var digits = 0
    var exponent = 0
    var representable = true
    while index < count, text[index] &- UInt8(ascii: "0") < 10 {
        if mantissa != 0 || text[index] != UInt8(ascii: "0") { digits += 1 }
        if digits > 19 { representable = false; break }
        mantissa = mantissa &* 10 &+ UInt64(text[index] &- UInt8(ascii: "0"))
        index += 1
    }
    if representable, index < count, text[index] == UInt8(ascii: ".") {
        index += 1
        while index < count, text[index] &- UInt8(ascii: "0") < 10 {
            if mantissa != 0 || text[index] != UInt8(ascii: "0") { digits += 1 }
            if digits > 19 { representable = false; break }
            mantissa = mantissa &* 10 &+ UInt64(text[index] &- UInt8(ascii: "0"))
            exponent -= 1
            index += 1
        }
    }
    if representable, index < count, text[index] | 0x20 == UInt8(ascii: "e") {
        index += 1
        var expNegative = false
        if index < count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
            expNegative = text[index] == UInt8(ascii: "-")
            index += 1
        }
        var explicit = 0
        while index < count, text[index] &- UInt8(ascii: "0") < 10 {
            if explicit < 100_000 { explicit = explicit * 10 + Int(text[index] &- UInt8(ascii: "0")) }
            index += 1
        }
        exponent += expNegative ? -explicit : explicit
    }
    if representable && index == count {
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        var value: Double? = nil
        if digits <= 15 && exponent >= -22 && exponent <= 22 {
            var exact = Double(mantissa)
            if exponent < 0 { exact /= _exactPowersOfTen[-exponent] } else { exact *= _exactPowersOfTen[exponent] }
            value = exact
        } else if exponent >= 0 && exponent <= 19 {
            value = _roundToDouble(UInt128(mantissa) * _powerOfTen128(exponent), sticky: false)
        } else if exponent < 0 && exponent >= -18 {
            // 10^18 < 2^63: a two-step long division by a 64-bit divisor (hardware divides).
            let divisor = UInt64(_powerOfTen128(-exponent))
            let shift = 127 - (64 - mantissa.leadingZeroBitCount)
            let dividend = UInt128(mantissa) << UInt128(shift)
            let high = UInt64(truncatingIfNeeded: dividend >> 64)
            let low = UInt64(truncatingIfNeeded: dividend)
            let (quotientHigh, remainderHigh) = high.quotientAndRemainder(dividingBy: divisor)
            let (quotientLow, remainder) = divisor.dividingFullWidth((remainderHigh, low))
            let quotient = UInt128(quotientHigh) << 64 | UInt128(quotientLow)
            value = Double(sign: .plus, exponent: -shift, significand: 1) * _roundToDouble(quotient, sticky: remainder != 0)
        }
        if let value { return negative ? -value : value }
    }
    return Double(String(decoding: text, as: UTF8.self)) ?? .nan
}

/// The double nearest to `value` (plus a nonzero fraction below its last bit when `sticky`),
/// rounded once: the top 64 bits keep 11 bits beyond the 53 of a double and every lower bit (and
/// the sticky flag) is folded into the last kept bit, so the hardware's 64-bit conversion rounds
/// exactly as the full value would. When `sticky`, `value` must have at least 55 bits (callers
/// pass quotients of 66 bits or more).
@inline(__always)
func _roundToDouble(_ value: UInt128, sticky: Bool) -> Double {
    let bits = 128 - value.leadingZeroBitCount
    if bits <= 64 && !sticky { return Double(UInt64(truncatingIfNeeded: value)) }
    let shift = max(bits - 64, 0)
    var top = UInt64(truncatingIfNeeded: value >> UInt128(shift))
    let lost: UInt128 = shift == 0 ? 0 : value & ((UInt128(1) << UInt128(shift)) &- 1)
    if lost != 0 || sticky { top |= 1 }
    return Double(sign: .plus, exponent: shift, significand: 1) * Double(top)
}

/// 10^n as a 128-bit integer, for n in 0...38.
@inline(__always)
func _powerOfTen128(_ n: Int) -> UInt128 {
    var result: UInt128 = 1
    for _ in 0..<n { result &*= 10 }
    return result
}

/// Validates the string whose opening quote is at `openingQuote`.
///
/// Returns the offset just past the closing quote and whether the string had escapes; when it
/// had, the decoded bytes are in `scratch` (otherwise the bytes between the quotes are the value).
/// - Throws: on a bad escape, a lone surrogate, a control character, invalid UTF-8 or a missing quote.
func _scanString(_ bytes: UnsafeBufferPointer<UInt8>, openingQuote: Int, unescapeInto scratch: inout [UInt8]) throws(JSONError) -> (end: Int, escaped: Bool) {
    var index = openingQuote + 1
    let count = bytes.count
    var hasEscape = false
    var copiedUpTo = index
    // Eight bytes at a time while they are plain ASCII (no quote, backslash, control or
    // non-ASCII byte); the loop below validates everything else byte by byte.
    if let base = bytes.baseAddress {
        while index &+ 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if _stringStopMask(word) | (word & 0x8080_8080_8080_8080) != 0 { break }
            index &+= 8
        }
    }
    while true {
        guard index < count else {
            throw JSONError(.unexpectedEnd, offset: index, "Unexpected end-of-input: was expecting closing quote for a string value")
        }
        let byte = bytes[index]
        if byte == UInt8(ascii: "\"") {
            if !hasEscape { return (index + 1, false) }
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo..<index]))
            return (index + 1, true)
        }
        if byte == UInt8(ascii: "\\") {
            if !hasEscape {
                hasEscape = true
                scratch.removeAll(keepingCapacity: true)
            }
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo..<index]))
            index = try _decodeEscape(bytes, at: index, into: &scratch)
            copiedUpTo = index
            continue
        }
        if byte < 0x20 {
            throw JSONError(.invalidString, offset: index,
                            "Illegal unquoted character (\(_describe(byte))): has to be escaped using backslash to be included in string value")
        }
        if byte < 0x80 {
            index += 1
        } else {
            index = try _validateUTF8Sequence(bytes, at: index)
        }
    }
}

/// Decodes the escape sequence whose backslash is at `at`, appending its UTF-8 bytes.
/// Returns the offset just past it.
func _decodeEscape(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, into scratch: inout [UInt8]) throws(JSONError) -> Int {
    let count = bytes.count
    guard start + 1 < count else {
        throw JSONError(.unexpectedEnd, offset: start, "Unexpected end-of-input in character escape sequence")
    }
    switch bytes[start + 1] {
    case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
    case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
    case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
    case UInt8(ascii: "b"): scratch.append(0x08)
    case UInt8(ascii: "f"): scratch.append(0x0C)
    case UInt8(ascii: "n"): scratch.append(0x0A)
    case UInt8(ascii: "r"): scratch.append(0x0D)
    case UInt8(ascii: "t"): scratch.append(0x09)
    case UInt8(ascii: "u"):
        guard let high = _hex4(bytes, at: start + 2) else {
            throw JSONError(.invalidString, offset: start, "Unexpected character in \\u escape: expected four hex digits")
        }
        var scalarValue = UInt32(high)
        var end = start + 6
        if high >= 0xD800 && high <= 0xDBFF {
            guard end + 1 < count, bytes[end] == UInt8(ascii: "\\"), bytes[end + 1] == UInt8(ascii: "u"),
                  let low = _hex4(bytes, at: end + 2), low >= 0xDC00 && low <= 0xDFFF else {
                throw JSONError(.invalidString, offset: start, "Invalid surrogate: a high surrogate \\u escape must be followed by a low surrogate")
            }
            scalarValue = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            end += 6
        } else if high >= 0xDC00 && high <= 0xDFFF {
            throw JSONError(.invalidString, offset: start, "Invalid surrogate: a low surrogate \\u escape without a high surrogate")
        }
        _appendUTF8(scalarValue, to: &scratch)
        return end
    case let other:
        throw JSONError(.invalidString, offset: start + 1,
                        "Unrecognized character escape \(_describe(other))")
    }
    return start + 2
}

@inline(__always)
func _hex4(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> UInt16? {
    guard start + 4 <= bytes.count else { return nil }
    var value: UInt16 = 0
    for index in start..<(start + 4) {
        guard let digit = _hexDigit(bytes[index]) else { return nil }
        value = value << 4 | UInt16(digit)
    }
    return value
}

/// The value of a hexadecimal digit (either case), or nil.
@inline(__always)
func _hexDigit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}

/// Validates one multi-byte UTF-8 sequence starting at `at` (whose first byte is ≥ 0x80) and
/// returns the offset after it. Rejects overlong forms, encoded surrogates and values > U+10FFFF.
@inline(__always)
func _validateUTF8Sequence(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) throws(JSONError) -> Int {
    let count = bytes.count
    let lead = bytes[start]
    @inline(__always) func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
        start + offset < count && bytes[start + offset] >= low && bytes[start + offset] <= high
    }
    switch lead {
    case 0xC2...0xDF:
        if continuation(1) { return start + 2 }
    case 0xE0:
        if continuation(1, 0xA0, 0xBF) && continuation(2) { return start + 3 }
    case 0xE1...0xEC, 0xEE...0xEF:
        if continuation(1) && continuation(2) { return start + 3 }
    case 0xED:
        if continuation(1, 0x80, 0x9F) && continuation(2) { return start + 3 }
    case 0xF0:
        if continuation(1, 0x90, 0xBF) && continuation(2) && continuation(3) { return start + 4 }
    case 0xF1...0xF3:
        if continuation(1) && continuation(2) && continuation(3) { return start + 4 }
    case 0xF4:
        if continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) { return start + 4 }
    default:
        break
    }
    throw JSONError(.invalidUTF8, offset: start, "Invalid UTF-8 start byte 0x\(String(lead, radix: 16))")
}

/// Appends the UTF-8 encoding of a Unicode scalar value (never a surrogate here).
@inline(__always)
func _appendUTF8(_ value: UInt32, to output: inout [UInt8]) {
    switch value {
    case 0..<0x80:
        output.append(UInt8(value))
    case 0x80..<0x800:
        output.append(UInt8(0xC0 | (value >> 6)))
        output.append(UInt8(0x80 | (value & 0x3F)))
    case 0x800..<0x10000:
        output.append(UInt8(0xE0 | (value >> 12)))
        output.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
        output.append(UInt8(0x80 | (value & 0x3F)))
    default:
        output.append(UInt8(0xF0 | (value >> 18)))
        output.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
        output.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
        output.append(UInt8(0x80 | (value & 0x3F)))
    }
}
