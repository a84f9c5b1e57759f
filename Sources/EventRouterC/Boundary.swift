import CEventRouter
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The C boundary: every exported function validates its inputs here and reports failures as an
// `evr_status` plus the caller's `evr_error`. A Swift trap would kill the host process, so nothing
// below may trap on caller input: pointers, lengths and UTF-8 are checked before use.

/// A failure on its way out through the C boundary.
struct Failure: Error {
    var status: evr_status
    var code: String
    var message: String
    var offset: Int64

    init(_ status: evr_status, _ code: String, _ message: String, offset: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.offset = offset.map { Int64($0) } ?? -1
    }

    static func argument(_ message: String) -> Failure { Failure(EVR_E_ARGUMENT, "invalidArgument", message) }
    static func handle(_ what: StaticString) -> Failure {
        Failure(EVR_E_HANDLE, "invalidHandle", "\(what) is not a live handle (never created, already freed, or of another type)")
    }
}

/// The largest length accepted for any input: anything bigger is a mistaken length
/// (for example a negative number converted to `size_t`), not a real buffer.
let maximumInputLength = 1 << 40

/// Runs the body of an exported function: a thrown `Failure` becomes its status and fills `err`;
/// success clears `err`.
@inline(__always)
func boundary(_ err: UnsafeMutablePointer<evr_error>?, _ body: () throws(Failure) -> Void) -> evr_status {
    do {
        try body()
        if let err { clearError(err) }
        return EVR_OK
    } catch {
        if let err { fillError(err, error) }
        return error.status
    }
}

@inline(__always)
func clearError(_ err: UnsafeMutablePointer<evr_error>) {
    err.pointee.status = EVR_OK
    err.pointee.offset = -1
    err.pointee.code.0 = 0
    err.pointee.message.0 = 0
}

func fillError(_ err: UnsafeMutablePointer<evr_error>, _ failure: Failure) {
    err.pointee.status = failure.status
    err.pointee.offset = failure.offset
    withUnsafeMutableBytes(of: &err.pointee.code) { copyTruncated(failure.code, into: $0) }
    withUnsafeMutableBytes(of: &err.pointee.message) { copyTruncated(failure.message, into: $0) }
}

/// Copies `text` into a fixed C buffer, NUL-terminated, cut at a UTF-8 character boundary.
func copyTruncated(_ text: String, into buffer: UnsafeMutableRawBufferPointer) {
    guard buffer.count > 0 else { return }
    var text = text
    text.withUTF8 { bytes in
        var count = min(bytes.count, buffer.count - 1)
        // Do not cut inside a multi-byte character: step back over continuation bytes.
        if count < bytes.count {
            while count > 0 && (bytes[count] & 0xC0) == 0x80 { count -= 1 }
        }
        if count > 0 { buffer.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: count) }
        buffer[count] = 0
    }
}

/// Reads a fixed, possibly unterminated C char array as text (invalid UTF-8 is repaired).
func readFixed(_ buffer: UnsafeRawBufferPointer) -> String {
    let bytes = buffer.bindMemory(to: UInt8.self)
    let end = bytes.firstIndex(of: 0) ?? bytes.count
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
}

// MARK: - Inputs

/// The bytes of a `const char *` + `size_t` input (`EVR_NTS`: NUL-terminated).
func inputBytes(_ pointer: UnsafePointer<CChar>?, _ length: Int, _ what: StaticString) throws(Failure) -> UnsafeBufferPointer<UInt8> {
    guard let pointer else { throw .argument("\(what) is NULL") }
    let count: Int
    if length == -1 {   // EVR_NTS, (size_t)-1
        count = strlen(pointer)
    } else if length < 0 || length > maximumInputLength {
        throw .argument("\(what): length \(UInt(bitPattern: length)) is not a possible length")
    } else {
        count = length
    }
    return UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: count)
}

/// Checks that `bytes` are UTF-8; the error names the first bad byte.
func checkUTF8(_ bytes: UnsafeBufferPointer<UInt8>, _ what: StaticString) throws(Failure) {
    // Fast path: ASCII only (the common case for events and names), eight bytes at a time.
    if isASCII(bytes) { return }
    do {
        _ = try UTF8Span(validating: bytes.span)
    } catch {
        throw Failure(EVR_E_UTF8, "invalidUTF8", "\(what) is not valid UTF-8 (at byte \(error.byteOffsets.lowerBound))",
                      offset: error.byteOffsets.lowerBound)
    }
}

@inline(__always)
func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var index = 0
    let count = bytes.count
    while index + 8 <= count {
        if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
        index += 8
    }
    while index < count {
        if base[index] >= 0x80 { return false }
        index += 1
    }
    return true
}

/// A UTF-8 text input as a `String`.
func inputString(_ pointer: UnsafePointer<CChar>?, _ length: Int, _ what: StaticString) throws(Failure) -> String {
    let bytes = try inputBytes(pointer, length, what)
    try checkUTF8(bytes, what)
    return String(decoding: bytes, as: UTF8.self)
}

/// An optional text input: NULL means `fallback`.
func optionalString(_ pointer: UnsafePointer<CChar>?, _ length: Int, _ what: StaticString, default fallback: String) throws(Failure) -> String {
    guard pointer != nil else { return fallback }
    return try inputString(pointer, length, what)
}

/// A string returned to the caller, allocated with `malloc` (released by `evr_string_free`).
func mallocString(_ text: String) -> UnsafeMutablePointer<CChar>? {
    var text = text
    return text.withUTF8 { bytes -> UnsafeMutablePointer<CChar>? in
        guard let memory = malloc(bytes.count + 1) else { return nil }
        if bytes.count > 0 { memory.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
        memory.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        return memory.assumingMemoryBound(to: CChar.self)
    }
}

/// Hands a string to a `char **` / `size_t *` pair of out-parameters (either may be NULL).
func returnString(_ text: String, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ outLength: UnsafeMutablePointer<Int>?) throws(Failure) {
    if let out {
        guard let memory = mallocString(text) else { throw Failure(EVR_E_INTERNAL, "outOfMemory", "out of memory") }
        out.pointee = memory
    }
    outLength?.pointee = text.utf8.count
}

// MARK: - Errors of the Swift modules

import EventPatterns
import EventSchedule

extension Failure {
    init(_ error: PatternError) {
        // Every pattern error, including a complexity limit, is an invalid pattern to AWS.
        self.init(EVR_E_PATTERN, error.code.name, error.message, offset: error.offset)
    }

    init(_ error: JSONError, what: String = "the event") {
        let status: evr_status
        switch error.kind {
        case .invalidUTF8: status = EVR_E_UTF8
        case .tooDeep, .tooLarge: status = EVR_E_LIMIT
        default: status = EVR_E_JSON
        }
        self.init(status, error.kind.name, "\(what): \(error.message) (at byte \(error.offset))", offset: error.offset)
    }

    init(_ error: ScheduleError) {
        self.init(EVR_E_SCHEDULE, error.code.name, error.description, offset: error.offset)
    }
}
