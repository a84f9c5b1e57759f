import EventPatterns
import EventSchedule
import Testing

/// Invalid input must produce an error, never a trap; valid input must never hang.
@Suite("Hostile input")
struct HostileInputTests {
    @Test("random expressions from cron's alphabet parse or fail cleanly, and searches end")
    func randomExpressions() {
        var rng = SplitMix64(seed: 42)
        let pieces = ["0", "1", "5", "7", "9", "12", "23", "31", "59", "60", "99", "1970", "2199", "2200", "*", "?", "L", "W",
                      "#", "/", "-", ",", " ", "  ", "LW", "L-", "JAN", "sun", "FRI", "x", "é", "\u{0}", "(", ")", "99999999999"]
        var parsed = 0
        for _ in 0..<4_000 {
            var body = ""
            for _ in 0..<Int.random(in: 1...24, using: &rng) { body += pieces.randomElement(using: &rng)! }
            let prefix = ["cron(", "rate(", "at(", ""].randomElement(using: &rng)!
            let text = prefix + body + (Bool.random(using: &rng) ? ")" : "")
            do {
                let expression = try ScheduleExpression(parsing: text)
                parsed += 1
                if case .cron(let cron) = expression {
                    _ = cron.next(after: utc("2025-01-30T22:47:30Z"))
                    _ = cron.previous(before: utc("2025-01-30T22:47:30Z"))
                }
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
        // Well-formed six-field cron texts from random field choices: all must parse.
        let fields = [["*", "0", "0/5", "1-59/2", "59"], ["*", "23", "22-2"], ["?"], ["*", "FEB", "NOV-FEB"], ["MON", "6L", "2#5", "L"], ["*", "2199"]]
        for _ in 0..<500 {
            let text = "cron(" + fields.map { $0.randomElement(using: &rng)! }.joined(separator: " ") + ")"
            #expect(ScheduleExpression.isValid(text), "\(text)")
        }
        #expect(parsed >= 0)
    }

    @Test("every byte value inside cron(...) is handled")
    func everyByte() {
        for byte in UInt8.min...UInt8.max {
            let scalar = String(decoding: [byte], as: UTF8.self)
            _ = ScheduleExpression.isValid("cron(\(scalar) * * * ? *)")
            _ = ScheduleExpression.isValid("rate(\(scalar) minutes)")
            _ = ScheduleExpression.isValid("at(2025-01-01T00:00:0\(scalar))")
        }
    }

    @Test("extreme instants in every query")
    func extremeInstants() throws {
        let extremes = [Instant(secondsSince1970: .min), Instant(secondsSince1970: .max), Instant(secondsSince1970: 0),
                        Instant(secondsSince1970: -1), Instant(secondsSince1970: 7_258_118_400)]   // 2200-01-01
        let ny = try ScheduleTimeZone(identifier: "America/New_York")
        for text in ["cron(* * * * ? *)", "cron(0 0 31 2 ? *)", "rate(1 minute)", "at(2025-01-01T00:00:00)"] {
            let zoned = try ZonedSchedule(ScheduleExpression(parsing: text), timeZone: ny,
                                          flexibleTimeWindow: try FlexibleTimeWindow.flexible(maximumWindowInMinutes: 1440, seed: .max),
                                          anchor: Instant(secondsSince1970: .min))
            for t in extremes {
                _ = zoned.nextFireTime(after: t)
                _ = zoned.previousFireTime(before: t)
                _ = zoned.nextInvocation(after: t)
                _ = t.iso8601
                _ = t.iso8601(in: ny)
                _ = zoned.invocation(forFireTime: t)
            }
        }
        #expect(Instant(secondsSince1970: .max).iso8601.hasSuffix("Z"))
    }

    @Test("odd time-zone names are rejected or accepted, never trap")
    func zoneNames() {
        for name in ["../../../etc/passwd", "/etc/localtime", "America/", "America/New_York/", "UTC\u{0}", "😀",
                     "Etc/GMT+99", "posixrules", String(repeating: "/", count: 50)] {
            _ = try? ScheduleTimeZone(identifier: name)
        }
        #expect((try? ScheduleTimeZone(identifier: "Etc/UTC")) != nil)
    }
}
