import CEventRouter
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The library's version; the header's `EVR_VERSION_*` macros must agree (a test checks).
enum Version {
    static let major: Int32 = 0
    static let minor: Int32 = 1
    static let patch: Int32 = 0
    static let string: StaticString = "0.1.0"
}

@c @implementation
public func evr_version(_ major: UnsafeMutablePointer<Int32>?, _ minor: UnsafeMutablePointer<Int32>?,
                        _ patch: UnsafeMutablePointer<Int32>?) -> UnsafePointer<CChar>? {
    major?.pointee = Version.major
    minor?.pointee = Version.minor
    patch?.pointee = Version.patch
    return UnsafeRawPointer(Version.string.utf8Start).assumingMemoryBound(to: CChar.self)
}

@c @implementation
public func evr_string_free(_ string: UnsafeMutablePointer<CChar>?) {
    free(string)
}
