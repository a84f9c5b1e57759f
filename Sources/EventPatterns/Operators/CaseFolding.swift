/// Case folding for `equals-ignore-case` and the `*-ignore-case` forms.
///
/// Each Unicode scalar maps to its full lowercase mapping, one scalar at a time and without
/// context (so `"É"` folds to `"é"`, `"İ"` to `"i̇"`, `"ß"` stays `"ß"`). ASCII takes a fast
/// path. Pattern values and event values are folded the same way and then compared as bytes.
public enum CaseFolding {
    /// Appends the folded form of valid UTF-8 `bytes` to `output`.
    public static func fold(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                output.append(byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte)
                index += 1
            } else {
                index = _foldScalar(bytes, at: index, into: &output)
            }
        }
    }

    /// The folded form of a string.
    public static func fold(_ string: String) -> String {
        var string = string
        var output: [UInt8] = []
        string.withUTF8 { fold($0, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Folds the multi-byte scalar at `at` (valid UTF-8 assumed; invalid bytes are copied through).
func _foldScalar(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, into output: inout [UInt8]) -> Int {
    let lead = bytes[start]
    let length: Int
    var value: UInt32
    if lead & 0xE0 == 0xC0 { length = 2; value = UInt32(lead & 0x1F) }
    else if lead & 0xF0 == 0xE0 { length = 3; value = UInt32(lead & 0x0F) }
    else if lead & 0xF8 == 0xF0 { length = 4; value = UInt32(lead & 0x07) }
    else { output.append(lead); return start + 1 }
    guard start + length <= bytes.count else { output.append(lead); return start + 1 }
    for offset in 1..<length { value = value << 6 | UInt32(bytes[start + offset] & 0x3F) }
    guard let scalar = Unicode.Scalar(value) else {
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<(start + length)]))
        return start + length
    }
    let properties = scalar.properties
    if properties.changesWhenLowercased {
        output.append(contentsOf: properties.lowercaseMapping.utf8)
    } else {
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<(start + length)]))
    }
    return start + length
}
