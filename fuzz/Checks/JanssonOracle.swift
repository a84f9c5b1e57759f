#if canImport(CJansson)
import CJansson
import EventPatterns

/// The differential JSON check: our `JSONReader` against jansson (Debian's libjansson), a C
/// reader written independently.
///
/// Both must accept and reject the same documents, and what both accept must hold the same
/// values, except where the two differ by design — each difference below is documented in
/// Documentation/PATTERNS.md and is what EventBridge's own (Jackson-based) reader does:
/// - numbers beyond jansson's ranges (integers outside 64 bits, reals that overflow a double):
///   jansson rejects them, we read them as doubles (±infinity for overflow);
/// - nesting deeper than our limit (256) and shallower than jansson's (2048): we reject;
/// - `\u0000` inside an object key: jansson refuses it ("NUL byte in object key not supported"),
///   JSON allows it and so do we (found by fuzz-json);
/// - a raw NUL byte: jansson ends the input there (`-0<NUL>x` is `-0` to it); we reject it, as
///   RFC 8259 does (found by fuzz-json).
/// jansson is run with JSON_DECODE_ANY (scalars at the top) and JSON_ALLOW_NUL (`\u0000` in strings).
enum JanssonOracle {
    static func compare(_ bytes: [UInt8]) throws(FuzzCheck.Failure) {
        var error = json_error_t()
        let theirs = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                json_loadb(chars.baseAddress, chars.count, Int(JSON_DECODE_ANY | JSON_ALLOW_NUL), &error)
            }
        }
        defer { if let theirs { json_decref(theirs) } }
        let ours: JSONValue?
        var ourError: JSONError? = nil
        do { ours = try JSONReader.parse(bytes) } catch { ours = nil; ourError = error }
        switch (ours, theirs) {
        case (nil, nil):
            return
        case (let value?, nil):
            let reason = withUnsafeBytes(of: &error.text) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if reason.contains("too big") || reason.contains("overflow") { return }
            // jansson refuses \u0000 inside object keys even with JSON_ALLOW_NUL; JSON allows it.
            if reason.contains("NUL byte in object key") { return }
            throw FuzzCheck.Failure("we accept \(value.jsonText.debugDescription) but jansson rejects it: \(reason)")
        case (nil, let value?):
            // jansson stops reading at a raw NUL byte, even in json_loadb; a raw NUL is never valid JSON.
            if bytes.contains(0) { return }
            if let ourError, ourError.kind == .tooDeep, depth(value) > JSONReader.Limits.default.maxDepth { return }
            throw FuzzCheck.Failure("jansson accepts \(String(decoding: bytes, as: UTF8.self).debugDescription) but we reject it: \(String(describing: ourError))")
        case (let value?, let other?):
            if let difference = differ(value, other, path: "$") {
                throw FuzzCheck.Failure("values differ at \(difference) for \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            }
        }
    }

    /// Where our value and jansson's differ, or nil.
    static func differ(_ ours: JSONValue, _ theirs: UnsafeMutablePointer<json_t>, path: String) -> String? {
        switch ours {
        case .null:
            return type(theirs) == JSON_NULL ? nil : path + ": null"
        case .bool(let flag):
            return type(theirs) == (flag ? JSON_TRUE : JSON_FALSE) ? nil : path + ": \(flag)"
        case .number(let number):
            let value: Double
            if type(theirs) == JSON_INTEGER {
                value = Double(json_integer_value(theirs))
            } else if type(theirs) == JSON_REAL {
                value = json_real_value(theirs)
            } else {
                return path + ": number \(number.text)"
            }
            return value == number.value ? nil : path + ": \(number.text) is \(number.value) here, \(value) in jansson"
        case .string(let text):
            guard type(theirs) == JSON_STRING, let pointer = json_string_value(theirs) else { return path + ": string" }
            let count = json_string_length(theirs)
            let bytes = UnsafeRawBufferPointer(start: pointer, count: count)
            return bytes.elementsEqual(text.utf8) ? nil : path + ": string \(text.debugDescription)"
        case .array(let elements):
            guard type(theirs) == JSON_ARRAY, json_array_size(theirs) == elements.count else { return path + ": array size" }
            for (index, element) in elements.enumerated() {
                guard let other = json_array_get(theirs, index) else { return path + "[\(index)]: missing" }
                if let difference = differ(element, other, path: path + "[\(index)]") { return difference }
            }
            return nil
        case .object(let object):
            guard type(theirs) == JSON_OBJECT else { return path + ": object" }
            // Duplicate keys: both keep the last value, so compare the distinct keys.
            var keys: [String] = []
            for member in object.members where !keys.contains(where: { $0.utf8.elementsEqual(member.key.utf8) }) { keys.append(member.key) }
            guard json_object_size(theirs) == keys.count else { return path + ": \(keys.count) keys here, \(json_object_size(theirs)) in jansson" }
            for key in keys {
                guard let value = object[key] else { return path + ".\(key): missing here" }
                var keyBytes = Array(key.utf8)
                let other = keyBytes.withUnsafeMutableBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { json_object_getn(theirs, $0.baseAddress, $0.count) }
                }
                guard let other else { return path + ".\(key): missing in jansson" }
                if let difference = differ(value, other, path: path + ".\(key)") { return difference }
            }
            return nil
        }
    }

    static func type(_ json: UnsafeMutablePointer<json_t>) -> json_type { json_type(rawValue: UInt32(bitPattern: evr_json_type(json))) }

    static func depth(_ value: UnsafeMutablePointer<json_t>) -> Int {
        if type(value) == JSON_ARRAY {
            var deepest = 0
            for index in 0..<json_array_size(value) {
                if let element = json_array_get(value, index) { deepest = max(deepest, depth(element)) }
            }
            return deepest + 1
        }
        if type(value) == JSON_OBJECT {
            var deepest = 0
            var iterator = json_object_iter(value)
            while let current = iterator {
                if let element = json_object_iter_value(current) { deepest = max(deepest, depth(element)) }
                iterator = json_object_iter_next(value, current)
            }
            return deepest + 1
        }
        return 0
    }
}
#endif
