import EventPatterns

/// Where a JSON syntax error is, in the words of Jackson (the parser AWS runs):
/// `[Source: (String)"env:dev"; line: 1, column: 4]`.
///
/// AWS reports a bad `Input` as `JSON syntax error in input for target <id>: <location>`. Our
/// reader finds the same error but at a slightly different place than Jackson, so this converts:
///
/// - Jackson's position is *after* what it consumed. For an unexpected character that is one past
///   the character; for a word that is not `true`/`false`/`null` (`env`, `tru`) it reads the whole
///   word first ("Unrecognized token 'env'"), so the position is after the word.
/// - Lines are 1-based and counted at `\n`; the column is 1-based, in UTF-16 code units (Java chars)
///   from the line start.
/// - The source is shown up to 500 chars, then `"[truncated N chars]`.
///
/// Both AWS messages on record agree: `env:dev` → column 4, `{'db_name':…` → column 3.
enum _JacksonLocation {
    static func describe(_ text: String, error: JSONError) -> String {
        let bytes = Array(text.utf8)
        var end = min(max(error.offset, 0), bytes.count)
        if error.kind == .unexpectedEnd || error.kind == .tooLarge {
            // Jackson stops at the end of the input; its column is one past it.
        } else if end < bytes.count {
            if isTokenByte(bytes[end]) {
                while end < bytes.count, isTokenByte(bytes[end]) { end += 1 }
            } else {
                end += utf8SequenceLength(bytes[end])
                end = min(end, bytes.count)
            }
        }
        var line = 1
        var lineStart = 0
        for index in 0..<end where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: bytes[lineStart..<end], as: UTF8.self).utf16.count + 1
        return "[Source: (String)\"\(shownSource(text)); line: \(line), column: \(column)]"
    }

    /// Jackson's truncated echo of the source (500 chars).
    static func shownSource(_ text: String) -> String {
        let units = text.utf16
        if units.count <= 500 { return text + "\"" }
        var shown = ""
        var taken = 0
        for scalar in text.unicodeScalars {
            let width = scalar.value > 0xFFFF ? 2 : 1
            if taken + width > 500 { break }
            shown.unicodeScalars.append(scalar)
            taken += width
        }
        return shown + "\"[truncated \(units.count - taken) chars]"
    }

    /// Bytes Jackson reads as part of an unrecognized word (Java identifier characters; any
    /// non-ASCII byte counts, which is right for letters and harmless otherwise).
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
            || byte >= 0x80
    }

    private static func utf8SequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: return 4
        case 0xE0...: return 3
        case 0xC0...: return 2
        default: return 1
        }
    }
}
