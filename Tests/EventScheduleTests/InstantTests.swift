import EventSchedule
import Foundation
import Testing

@Suite("Instant and LocalDateTime")
struct InstantTests {
    @Test("calendar conversion agrees with Foundation's Gregorian calendar")
    func civilAgainstFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        // Every day from 1900 to 2200, plus a sample of far days.
        var days = Array(stride(from: Int64(-25_567), through: 84_000, by: 1))
        days += [1_000_000, 2_932_896]   // years 4707 and 10000 (Foundation switches to the Julian calendar before 1582)
        for day in days {
            let instant = Instant(secondsSince1970: day * 86_400 + 3_723)   // 01:02:03
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: instant.date)
            let local = instant.utcDateTime
            guard local.year == parts.year, local.month == parts.month, local.day == parts.day,
                  local.hour == 1, local.minute == 2, local.second == 3, local.weekday == parts.weekday,
                  Instant(year: local.year, month: local.month, day: local.day, hour: 1, minute: 2, second: 3) == instant
            else {
                Issue.record("day \(day): \(local) weekday \(local.weekday) vs \(parts)")
                return
            }
        }
    }

    @Test("ISO-8601 formatting")
    func format() {
        #expect(Instant(secondsSince1970: 0).iso8601 == "1970-01-01T00:00:00Z")
        #expect(Instant(secondsSince1970: 1_738_277_250).iso8601 == "2025-01-30T22:47:30Z")
        #expect(Instant(secondsSince1970: -1).iso8601 == "1969-12-31T23:59:59Z")
        #expect(Instant(secondsSince1970: 1_738_277_250).iso8601(utcOffsetSeconds: 3_600) == "2025-01-30T23:47:30+01:00")
        #expect(Instant(secondsSince1970: 1_738_277_250).iso8601(utcOffsetSeconds: -34_200) == "2025-01-30T13:17:30-09:30")
        #expect(Instant(secondsSince1970: 1_738_277_250).description == "2025-01-30T22:47:30Z")
    }

    @Test("ISO-8601 parsing")
    func parse() throws {
        #expect(try Instant(iso8601: "2025-01-30T22:47:30Z").secondsSince1970 == 1_738_277_250)
        #expect(try Instant(iso8601: "2025-01-30T23:47:30+01:00").secondsSince1970 == 1_738_277_250)
        #expect(try Instant(iso8601: "2025-01-30T13:17:30-09:30").secondsSince1970 == 1_738_277_250)
        #expect(try Instant(iso8601: "2025-01-30T22:47:30.999Z").secondsSince1970 == 1_738_277_250)
        #expect(try Instant(iso8601: "1969-12-31T23:59:59Z").secondsSince1970 == -1)
        for bad in ["2025-01-30T22:47:30", "2025-01-30 22:47:30Z", "2025-02-30T00:00:00Z", "2025-01-30T22:47:30+1:00",
                    "2025-01-30T22:47:30.Z", "2025-01-30T22:47:30Zx", "", "2025-01-30T22:47:30+24:00", "not a time"] {
            #expect(throws: ScheduleError.self, "\(bad)") { try Instant(iso8601: bad) }
        }
    }

    @Test("round trip through Date, and arithmetic saturates")
    func dateAndArithmetic() {
        let instant = Instant(secondsSince1970: 1_738_277_250)
        #expect(Instant(instant.date) == instant)
        #expect(Instant(Date(timeIntervalSince1970: 1.9)).secondsSince1970 == 1)
        #expect(Instant(Date(timeIntervalSince1970: -1.5)).secondsSince1970 == -2)
        #expect(Instant(secondsSince1970: .max).adding(seconds: 1).secondsSince1970 == .max)
        #expect(Instant(secondsSince1970: .min).adding(seconds: -1).secondsSince1970 == .min)
        #expect(Instant(secondsSince1970: 5) < Instant(secondsSince1970: 6))
    }

    @Test("LocalDateTime validates its components")
    func localValidation() {
        #expect(LocalDateTime(year: 2024, month: 2, day: 29) != nil)
        #expect(LocalDateTime(year: 2025, month: 2, day: 29) == nil)
        #expect(LocalDateTime(year: 2100, month: 2, day: 29) == nil)
        #expect(LocalDateTime(year: 2000, month: 2, day: 29) != nil)
        #expect(LocalDateTime(year: 2025, month: 4, day: 31) == nil)
        #expect(LocalDateTime(year: 2025, month: 1, day: 1, hour: 24) == nil)
        #expect(LocalDateTime(year: 2025, month: 0, day: 1) == nil)
        #expect(LocalDateTime(year: 2025, month: 1, day: 30)?.weekday == 5)   // a Thursday
    }

    @Test("LocalDateTime ordering is chronological, even for extreme readings")
    func localOrdering() throws {
        let a = try #require(LocalDateTime(year: 2025, month: 12, day: 31, hour: 23, minute: 59, second: 59))
        let b = try #require(LocalDateTime(year: 2026, month: 1, day: 1))
        let c = try #require(LocalDateTime(year: 2026, month: 1, day: 1, second: 1))
        #expect(a < b && b < c && !(b < a) && !(b < b))
        let low = Instant(secondsSince1970: .min).utcDateTime
        let high = Instant(secondsSince1970: .max).utcDateTime
        #expect(low < a && a < high)
    }
}
