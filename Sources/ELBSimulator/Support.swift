import EventPatterns
import EventSchedule
import EventTargets

/// The simulator's randomness (every id, trace id, weighted choice and cookie key) is one seeded
/// `SplitMix64`, so the same seed and call sequence give the same output.
extension SplitMix64 {
    /// `count` lowercase hex digits.
    mutating func hex(_ count: Int) -> String {
        var text = ""
        while text.count < count { text += Hex.digits(next(), width: 16) }
        return String(text.prefix(count))
    }
}

enum Hex {
    static let alphabet = Array("0123456789abcdef")

    /// `value` as exactly `width` lowercase hex digits (the low-order digits).
    static func digits(_ value: UInt64, width: Int) -> String {
        var result = [Character](repeating: "0", count: width)
        var rest = value
        var index = width - 1
        while index >= 0 {
            result[index] = alphabet[Int(rest & 0xF)]
            rest >>= 4
            index -= 1
        }
        return String(result)
    }

    static func encode(_ bytes: [UInt8]) -> String {
        var text = ""
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(alphabet[Int(byte >> 4)])
            text.append(alphabet[Int(byte & 0xF)])
        }
        return text
    }

    static func decode(_ text: String) -> [UInt8]? {
        let units = Array(text.utf8)
        guard units.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(units.count / 2)
        var index = 0
        while index + 1 < units.count {
            guard let high = nibble(units[index]), let low = nibble(units[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ unit: UInt8) -> UInt8? {
        switch unit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return unit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return unit - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}

/// FNV-1a, 64 bits: the NLB flow hash and the cookie MAC's building block.
enum FNV {
    static func hash(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var value = seed
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01B3
        }
        return value
    }
}

/// ELB's `*` / `?` wildcards: `*` is any run of characters (also none), `?` exactly one; the
/// pattern is anchored at both ends. Case folding (ASCII) for host, header and query values.
enum Wildcard {
    static func matches(_ pattern: String, _ text: String, caseInsensitive: Bool) -> Bool {
        let p = Array((caseInsensitive ? pattern.lowercased() : pattern).unicodeScalars)
        let t = Array((caseInsensitive ? text.lowercased() : text).unicodeScalars)
        // Iterative glob matching with one backtrack point: linear-ish, never recursive.
        var pi = 0, ti = 0
        var star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || (p[pi] != "*" && p[pi] == t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    static func count(_ text: String) -> Int { text.unicodeScalars.filter { $0 == "*" || $0 == "?" }.count }
}

/// An IPv4 or IPv6 address as 4 or 16 bytes.
struct IPAddress: Equatable, Sendable {
    let bytes: [UInt8]

    init?(_ text: String) {
        if text.contains(":") {
            guard let bytes = IPAddress.parse6(text) else { return nil }
            self.bytes = bytes
        } else {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var bytes: [UInt8] = []
            for part in parts {
                guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                      let value = UInt8(part) else { return nil }
                bytes.append(value)
            }
            self.bytes = bytes
        }
    }

    private static func parse6(_ text: String) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        var all: [UInt16]
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard head.count == 8 else { return nil }
            all = head
        }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    var isIPv4: Bool { bytes.count == 4 }

    /// RFC 1918 (10/8, 172.16/12, 192.168/16) or RFC 6598 (100.64/10): the ranges ELB accepts for
    /// `ip` targets outside a VPC's subnets.
    var isPrivateIPv4: Bool {
        guard bytes.count == 4 else { return false }
        let a = bytes[0], b = bytes[1]
        return a == 10 || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168) || (a == 100 && (64...127).contains(b))
    }
}

/// A CIDR block (`10.0.0.0/8`, `2001:db8::/32`).
struct CIDRBlock: Equatable, Sendable {
    let network: IPAddress
    let prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress(String(parts[0])),
              parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let prefix = Int(parts[1]),
              prefix >= 0, prefix <= address.bytes.count * 8 else { return nil }
        network = address
        self.prefix = prefix
    }

    func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        var bits = prefix
        for index in 0..<network.bytes.count where bits > 0 {
            let take = min(8, bits)
            let mask: UInt8 = take == 8 ? 0xFF : ~(0xFF >> UInt8(take))
            if address.bytes[index] & mask != network.bytes[index] & mask { return false }
            bits -= take
        }
        return true
    }
}

extension String {
    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}

/// Formats an instant as an HTTP date (`Wed, 01 Jan 2025 00:00:00 GMT`), for cookie `Expires`.
func httpDate(_ instant: Instant) -> String {
    let t = instant.utcDateTime
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let day = days.indices.contains(t.weekday - 1) ? days[t.weekday - 1] : "Sun"
    let month = months.indices.contains(t.month - 1) ? months[t.month - 1] : "Jan"
    return "\(day), \(two(t.day)) \(month) \(t.year) \(two(t.hour)):\(two(t.minute)):\(two(t.second)) GMT"
}

extension JSONValue {
    static func str(_ text: String) -> JSONValue { .string(text) }
    static func double(_ value: Double) -> JSONValue { .number(JSONNumber(value)) }
    var text: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}
