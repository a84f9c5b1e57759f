import EventSchedule
import Foundation
import Testing

/// Fixture files, found from this source file's path (`Tests/EventScheduleTests/Support.swift`).
enum Fixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // EventScheduleTests
        .deletingLastPathComponent()   // Tests
    static let packageRoot = testsDirectory.deletingLastPathComponent()

    static func url(_ name: String) -> URL {
        testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent("conformance").appendingPathComponent(name)
    }

    /// Non-empty lines of a fixture file; an unreadable file yields no lines (and the count
    /// checks in the tests then fail loudly).
    static func lines(_ name: String) -> [String] {
        guard let data = try? Data(contentsOf: url(name)) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    struct ScheduleCase: Sendable, CustomTestStringConvertible, Decodable {
        struct Expect: Sendable, Decodable {
            var valid: Bool
            var next: [String]?
        }
        var id: String
        var expr: String
        var start: String
        var n: Int
        var expect: Expect
        var testDescription: String { "\(id) \(expr)" }
    }

    struct ObservedCase: Sendable, CustomTestStringConvertible, Decodable {
        struct Expect: Sendable, Decodable { var valid: Bool }
        var expr: String
        var expect: Expect
        var testDescription: String { expr }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ name: String) -> [T] {
        lines(name).compactMap { try? JSONDecoder().decode(T.self, from: Data($0.utf8)) }
    }

    static let schedules: [ScheduleCase] = decode(ScheduleCase.self, "schedules.jsonl")
    static let observed: [ObservedCase] = decode(ObservedCase.self, "aws-observed-schedules.jsonl")
}

/// Parses an ISO-8601 UTC literal in a test; an invalid literal is a test bug, reported as
/// `Instant(secondsSince1970: .min)` so comparisons fail visibly rather than trapping.
func utc(_ text: String) -> Instant {
    (try? Instant(iso8601: text)) ?? Instant(secondsSince1970: .min)
}

func isoList(_ instants: [Instant]) -> [String] { instants.map(\.iso8601) }

/// The first `count` UTC fire times of a cron expression after `start`.
func cronTimes(_ expression: String, after start: String, count: Int) throws -> [String] {
    let cron = try CronExpression(parsing: expression)
    return isoList(Array(cron.fireTimes(after: utc(start)).prefix(count)))
}

/// The first `count` fire times of a cron/at expression read in `zone`.
func zonedTimes(_ expression: String, zone: String, after start: String, count: Int) throws -> [String] {
    let schedule = try ZonedSchedule(expression: expression, timeZone: zone)
    return isoList(Array(schedule.fireTimes(after: utc(start)).prefix(count)))
}

/// A deliberately naive evaluator used as a differential reference for the search: it walks
/// day by day with Foundation's Gregorian calendar and decides each day with a direct reading of
/// the documented rules. It shares only the parsed field values with the library — not the
/// calendar arithmetic, the day masks or the field-jumping search.
struct NaiveCron {
    let cron: CronExpression
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private func weekday(_ date: Date) -> Int { Self.calendar.component(.weekday, from: date) }   // 1 = Sunday

    private func isWeekdayMonFri(_ date: Date) -> Bool { (2...6).contains(weekday(date)) }

    private func dayMatches(_ date: Date, day: Int, daysInMonth: Int) -> Bool {
        switch cron.dayOfMonth {
        case .days(let field): return field.contains(day)
        case .lastDay(let offset): return day == daysInMonth - offset
        case .lastWeekday:
            // A weekday with no later weekday in the month.
            guard isWeekdayMonFri(date) else { return false }
            for later in stride(from: day + 1, through: daysInMonth, by: 1) {
                let laterDate = Self.calendar.date(byAdding: .day, value: later - day, to: date)!
                if isWeekdayMonFri(laterDate) { return false }
            }
            return true
        case .nearestWeekday(let target):
            guard target <= daysInMonth else { return false }
            let targetDate = Self.calendar.date(byAdding: .day, value: target - day, to: date)!
            switch weekday(targetDate) {
            case 7: return day == (target == 1 ? 3 : target - 1)
            case 1: return day == (target == daysInMonth ? target - 2 : target + 1)
            default: return day == target
            }
        case .unspecified:
            switch cron.dayOfWeek {
            case .weekdays(let field): return field.contains(weekday(date))
            case .last(let weekdayWanted): return weekday(date) == weekdayWanted && day + 7 > daysInMonth
            case .nth(let weekdayWanted, let n): return weekday(date) == weekdayWanted && (day - 1) / 7 + 1 == n
            case .unspecified: return false
            }
        }
    }

    /// Fire times strictly after `start`, up to `count`, looking at most `horizonDays` days ahead.
    func fireTimes(after start: Instant, count: Int, horizonDays: Int) -> [Instant] {
        var result: [Instant] = []
        let startDate = start.date
        var dayStart = Self.calendar.startOfDay(for: startDate)
        for _ in 0..<horizonDays {
            let parts = Self.calendar.dateComponents([.year, .month, .day], from: dayStart)
            let year = parts.year!, month = parts.month!, day = parts.day!
            let daysInMonth = Self.calendar.range(of: .day, in: .month, for: dayStart)!.count
            if cron.year.contains(year), cron.month.contains(month), dayMatches(dayStart, day: day, daysInMonth: daysInMonth) {
                for hour in cron.hours.values {
                    for minute in cron.minutes.values {
                        let time = Instant(dayStart).adding(seconds: Int64(hour * 3600 + minute * 60))
                        if time > start {
                            result.append(time)
                            if result.count == count { return result }
                        }
                    }
                }
            }
            dayStart = Self.calendar.date(byAdding: .day, value: 1, to: dayStart)!
        }
        return result
    }
}
