extension Instant {
    /// The ISO-8601 UTC form with whole seconds: `2025-01-30T22:47:30Z`.
    ///
    /// ```swift
    /// Instant(secondsSince1970: 0).iso8601   // "1970-01-01T00:00:00Z"
    /// ```
    /// - Complexity: O(1).
    public var iso8601: String {
        utcDateTime.description + "Z"
    }

    /// The ISO-8601 form of this instant's local time at a fixed offset from UTC, e.g.
    /// `2025-01-30T23:47:30+01:00`. An offset of zero is written `+00:00`.
    ///
    /// - Parameter utcOffsetSeconds: seconds east of UTC.
    /// - Complexity: O(1).
    public func iso8601(utcOffsetSeconds: Int) -> String {
        let local = LocalDateTime(wallSeconds: adding(seconds: Int64(utcOffsetSeconds)).secondsSince1970)
        return local.description + ISO8601Text.offset(utcOffsetSeconds)
    }

    /// The ISO-8601 form of this instant's local time in a time zone, with that zone's offset at
    /// this instant: `2025-03-09T03:00:00-04:00` in America/New_York.
    ///
    /// ```swift
    /// let ny = try ScheduleTimeZone(identifier: "America/New_York")
    /// try Instant(iso8601: "2025-03-09T07:00:00Z").iso8601(in: ny)   // "2025-03-09T03:00:00-04:00"
    /// ```
    /// - Complexity: O(1) plus one time-zone lookup.
    public func iso8601(in timeZone: ScheduleTimeZone) -> String {
        iso8601(utcOffsetSeconds: timeZone.secondsFromUTC(at: self))
    }

    /// Parses `yyyy-mm-ddThh:mm:ss` followed by an optional fraction of a second (dropped) and
    /// `Z` or an offset `±hh:mm`.
    ///
    /// ```swift
    /// try Instant(iso8601: "2025-01-30T23:47:30+01:00").iso8601   // "2025-01-30T22:47:30Z"
    /// ```
    /// - Throws: ``ScheduleError`` with code ``ScheduleError/Code/invalidTimestamp`` when the
    ///   text is not in that form or a component is out of range.
    /// - Complexity: O(n) in the length of the text.
    public init(iso8601 text: String) throws(ScheduleError) {
        let bytes = Array(text.utf8)
        guard let (local, end) = ISO8601Text.parseDateTime(bytes, field: .timestamp) else {
            throw ScheduleError(.invalidTimestamp,
                                "'\(text)' is not an ISO-8601 time like 2025-01-30T22:47:30Z",
                                field: .timestamp, offset: 0)
        }
        var index = end
        // Optional fraction: digits after a '.', ignored (we keep whole seconds, rounding down).
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let digitsStart = index
            while index < bytes.count, ISO8601Text.isDigit(bytes[index]) { index += 1 }
            guard index > digitsStart else {
                throw ScheduleError(.invalidTimestamp, "'\(text)' has an empty fraction of a second",
                                    field: .timestamp, offset: digitsStart)
            }
        }
        var offsetSeconds = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "Z"), index + 1 == bytes.count {
            index += 1
        } else if index + 6 == bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
                  let hours = ISO8601Text.number(bytes, index + 1, 2), bytes[index + 3] == UInt8(ascii: ":"),
                  let minutes = ISO8601Text.number(bytes, index + 4, 2), hours <= 23, minutes <= 59 {
            offsetSeconds = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        } else {
            throw ScheduleError(.invalidTimestamp,
                                "'\(text)' must end with 'Z' or an offset like +01:00",
                                field: .timestamp, offset: index)
        }
        self.init(secondsSince1970: local.wallSeconds - Int64(offsetSeconds))
    }
}

/// Fixed-width formatting and parsing of ISO-8601 pieces (no Foundation formatters: they are slow,
/// locale-sensitive and allocate).
enum ISO8601Text {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The value of exactly `count` ASCII digits at `start`, or nil.
    static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start >= 0, start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<start + count] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Parses `yyyy-mm-ddThh:mm:ss` at the start of `bytes`; returns the date-time and the index
    /// just after it, or nil if the text is not of that form or the date does not exist.
    static func parseDateTime(_ bytes: [UInt8], field: ScheduleError.Field) -> (LocalDateTime, Int)? {
        guard bytes.count >= 19,
              let year = number(bytes, 0, 4), bytes[4] == UInt8(ascii: "-"),
              let month = number(bytes, 5, 2), bytes[7] == UInt8(ascii: "-"),
              let day = number(bytes, 8, 2), bytes[10] == UInt8(ascii: "T"),
              let hour = number(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"),
              let minute = number(bytes, 14, 2), bytes[16] == UInt8(ascii: ":"),
              let second = number(bytes, 17, 2),
              let local = LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        return (local, 19)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    static func date(year: Int64, month: Int, day: Int) -> String {
        let yearText = year < 0 ? "-" + pad(Int(-year), 4) : pad(Int(year), 4)
        return yearText + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    static func time(hour: Int, minute: Int, second: Int) -> String {
        pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
    }

    /// `+hh:mm` / `-hh:mm` (seconds of an offset, which only pre-1900 local mean times have, are dropped).
    static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let magnitude = abs(seconds)
        return sign + pad(magnitude / 3600, 2) + ":" + pad(magnitude / 60 % 60, 2)
    }
}
