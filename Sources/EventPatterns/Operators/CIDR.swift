/// An IP address as a 128-bit integer plus its family.
///
/// IPv4 addresses keep their own family (they never match IPv6 blocks, and vice versa).
public struct IPAddress: Hashable, Sendable {
    public var isIPv6: Bool
    public var value: UInt128

    /// Parses an IPv4 dotted quad (`10.0.0.1`: four decimal octets ≤ 255, no leading zeros) or an
    /// IPv6 literal (groups of 1–4 hex digits, one optional `::`, an optional dotted IPv4 tail).
    /// Returns nil for anything else.
    public init?(_ text: String) {
        var text = text
        guard let parsed = text.withUTF8({ IPAddress(utf8: $0) }) else { return nil }
        self = parsed
    }

    /// Parses an address the way `cidr` patterns and the values they test read one: as
    /// `init?(utf8:)`, except that an IPv6 literal with a dotted IPv4 tail (`::ffff:10.1.2.3`)
    /// is not an address — AWS's matcher (event-ruler) only takes text made of hex digits and
    /// colons as IPv6, so such a value never matches a block and such a block is invalid.
    init?(cidrLiteral bytes: UnsafeBufferPointer<UInt8>) {
        self.init(utf8: bytes, allowingDottedTail: false)
    }

    init(isIPv6: Bool, value: UInt128) {
        self.isIPv6 = isIPv6
        self.value = value
    }

    /// Parses UTF-8 bytes (see `init?(_:)`).
    public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        self.init(utf8: bytes, allowingDottedTail: true)
    }

    private init?(utf8 bytes: UnsafeBufferPointer<UInt8>, allowingDottedTail: Bool) {
        if bytes.count < 2 || bytes.count > 45 { return nil }
        var hasColon = false, hasDot = false
        for byte in bytes {
            if byte == UInt8(ascii: ":") { hasColon = true } else if byte == UInt8(ascii: ".") { hasDot = true }
        }
        if hasColon {
            guard allowingDottedTail || !hasDot, let value = _parseIPv6(bytes) else { return nil }
            self.init(isIPv6: true, value: value)
        } else {
            guard let value = _parseIPv4(bytes, from: 0, to: bytes.count) else { return nil }
            self.init(isIPv6: false, value: UInt128(value))
        }
    }
}

func _parseIPv4(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> UInt32? {
    var result: UInt32 = 0
    var octets = 0
    var index = start
    while octets < 4 {
        let digitsStart = index
        var octet: UInt32 = 0
        while index < end, bytes[index] &- UInt8(ascii: "0") < 10, index - digitsStart < 3 {
            octet = octet * 10 + UInt32(bytes[index] &- UInt8(ascii: "0"))
            index += 1
        }
        let digitCount = index - digitsStart
        if digitCount == 0 || octet > 255 { return nil }
        if digitCount > 1 && bytes[digitsStart] == UInt8(ascii: "0") { return nil }
        result = result << 8 | octet
        octets += 1
        if octets < 4 {
            guard index < end, bytes[index] == UInt8(ascii: ".") else { return nil }
            index += 1
        }
    }
    return index == end ? result : nil
}

func _parseIPv6(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt128? {
    // Up to eight 16-bit groups, on the stack: matching an event value allocates nothing.
    withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 9) { groups in
        _parseIPv6(bytes, into: groups)
    }
}

/// `_parseIPv6` with its group storage (at least nine slots) supplied.
private func _parseIPv6(_ bytes: UnsafeBufferPointer<UInt8>, into groups: UnsafeMutableBufferPointer<UInt16>) -> UInt128? {
    var count = 0
    func append(_ group: UInt16) -> Bool {
        guard count < 9 else { return false }
        groups[count] = group
        count += 1
        return true
    }
    var gapAt: Int? = nil
    var index = 0
    let end = bytes.count
    if end >= 2, bytes[0] == UInt8(ascii: ":") {
        guard bytes[1] == UInt8(ascii: ":") else { return nil }
        gapAt = 0
        index = 2
        if index == end { return 0 }
    }
    while index < end {
        // An IPv4 tail: the rest contains a dot.
        var segmentEnd = index
        var hasDot = false
        while segmentEnd < end, bytes[segmentEnd] != UInt8(ascii: ":") {
            if bytes[segmentEnd] == UInt8(ascii: ".") { hasDot = true }
            segmentEnd += 1
        }
        if hasDot {
            guard segmentEnd == end, count <= 6, let v4 = _parseIPv4(bytes, from: index, to: end) else { return nil }
            _ = append(UInt16(v4 >> 16))
            _ = append(UInt16(v4 & 0xFFFF))
            index = end
            break
        }
        let length = segmentEnd - index
        guard length >= 1, length <= 4 else { return nil }
        var group: UInt16 = 0
        for position in index..<segmentEnd {
            guard let digit = _hexDigit(bytes[position]) else { return nil }
            group = group << 4 | UInt16(digit)
        }
        guard append(group), count <= 8 else { return nil }
        index = segmentEnd
        if index < end {
            // At a colon.
            index += 1
            if index < end, bytes[index] == UInt8(ascii: ":") {
                guard gapAt == nil else { return nil }
                gapAt = count
                index += 1
            } else if index == end {
                return nil  // a trailing single colon
            }
        }
    }
    var value: UInt128 = 0
    if let gapAt {
        guard count <= 7 else { return nil }
        // The groups before the gap, the missing zero groups, then the rest.
        for position in 0..<gapAt { value = value << 16 | UInt128(groups[position]) }
        value = value << UInt128(16 * (8 - count))
        for position in gapAt..<count { value = value << 16 | UInt128(groups[position]) }
        return value
    }
    guard count == 8 else { return nil }
    for position in 0..<8 { value = value << 16 | UInt128(groups[position]) }
    return value
}

/// A compiled `cidr` block: the range of addresses it covers.
public struct CIDRBlock: Hashable, Sendable, CustomStringConvertible {
    public let source: String
    public let isIPv6: Bool
    public let low: UInt128
    public let high: UInt128

    /// Parses `address/bits` with AWS's validation messages.
    public init(_ source: String) throws(PatternError) {
        self.source = source
        var parts = source.split(separator: "/", omittingEmptySubsequences: false)
        // As AWS's matcher splits (Java's String.split): trailing empty parts do not count, so
        // "10.0.0.0/" has one part.
        while parts.last?.isEmpty == true { parts.removeLast() }
        guard parts.count == 2 else { throw PatternError(.invalidPattern, "Malformed CIDR, one '/' required") }
        guard let bits = Int(parts[1]) else {
            throw PatternError(.invalidPattern, "Malformed CIDR, mask bits must be an integer")
        }
        if bits < 0 { throw PatternError(.invalidPattern, "Malformed CIDR, mask bits must not be negative") }
        var text = String(parts[0])
        guard let address = text.withUTF8({ IPAddress(cidrLiteral: $0) }) else {
            throw PatternError(.invalidPattern, "Nonstandard IP address: \(parts[0])")
        }
        let width = address.isIPv6 ? 128 : 32
        if address.isIPv6 && bits >= 128 { throw PatternError(.invalidPattern, "IPv6 mask bits must be < 128") }
        if !address.isIPv6 && bits >= 32 { throw PatternError(.invalidPattern, "IPv4 mask bits must be < 32") }
        let hostBits = width - bits
        let hostMask: UInt128 = hostBits >= 128 ? .max : (UInt128(1) << UInt128(hostBits)) &- 1
        self.isIPv6 = address.isIPv6
        self.low = address.value & ~hostMask
        self.high = self.low | hostMask
    }

    /// Whether `address` lies in the block.
    ///
    /// Within one family this is the usual numeric range check. Across families it reproduces the
    /// reference engine (event-ruler), which matches the hex digits of the address against the
    /// block's range digit by digit and stops when the range's digits are used up: an IPv6
    /// address is in an IPv4 block when its first 32 bits are (so `0.0.0.0/0` contains every IPv6
    /// address), and an IPv4 address is never in an IPv6 block (it runs out of digits).
    public func contains(_ address: IPAddress) -> Bool {
        if address.isIPv6 == isIPv6 { return address.value >= low && address.value <= high }
        if isIPv6 { return false }
        let head = address.value >> 96
        return head >= low && head <= high
    }

    public var description: String { source }
}
