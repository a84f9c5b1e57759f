import EventPatterns
import EventSchedule
import Testing

/// Next / previous fire times in UTC. Expected values were computed outside this project (a
/// brute-force day-by-day evaluator in Python over its `calendar` module), or by hand from a
/// calendar where noted.
@Suite("Cron search (UTC)")
struct CronSearchTests {
    @Test("leap years: 29 February, and 2100 is not a leap year")
    func leapYears() throws {
        #expect(try cronTimes("cron(0 12 29 2 ? *)", after: "2025-01-30T22:47:30Z", count: 4)
                == ["2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z", "2036-02-29T12:00:00Z", "2040-02-29T12:00:00Z"])
        #expect(try cronTimes("cron(0 12 29 2 ? *)", after: "2096-03-01T00:00:00Z", count: 2)
                == ["2104-02-29T12:00:00Z", "2108-02-29T12:00:00Z"])
    }

    @Test("sparse: 29 February on a Monday (2#5 in February), and on a Sunday")
    func sparse() throws {
        #expect(try cronTimes("cron(0 0 ? 2 2#5 *)", after: "2025-01-30T22:47:30Z", count: 3)
                == ["2044-02-29T00:00:00Z", "2072-02-29T00:00:00Z", "2112-02-29T00:00:00Z"])
        #expect(try cronTimes("cron(0 0 ? 2 1#5 *)", after: "2025-01-30T22:47:30Z", count: 3)
                == ["2032-02-29T00:00:00Z", "2060-02-29T00:00:00Z", "2088-02-29T00:00:00Z"])
    }

    @Test("end of month: L over short, long and leap months")
    func endOfMonth() throws {
        #expect(try cronTimes("cron(0 0 L * ? *)", after: "2024-01-30T00:00:00Z", count: 4)
                == ["2024-01-31T00:00:00Z", "2024-02-29T00:00:00Z", "2024-03-31T00:00:00Z", "2024-04-30T00:00:00Z"])
        // Strictly after: a fire time equal to the start is not returned.
        #expect(try cronTimes("cron(0 0 L * ? *)", after: "2025-01-31T00:00:00Z", count: 3)
                == ["2025-02-28T00:00:00Z", "2025-03-31T00:00:00Z", "2025-04-30T00:00:00Z"])
        // Day 31 only in months that have it.
        #expect(try cronTimes("cron(0 0 31 * ? 2025)", after: "2025-01-01T00:00:00Z", count: 7)
                == ["2025-01-31T00:00:00Z", "2025-03-31T00:00:00Z", "2025-05-31T00:00:00Z", "2025-07-31T00:00:00Z",
                    "2025-08-31T00:00:00Z", "2025-10-31T00:00:00Z", "2025-12-31T00:00:00Z"])
    }

    @Test("L-n: n days before the last day")
    func lastDayOffset() throws {
        #expect(try cronTimes("cron(0 0 L-2 * ? 2025)", after: "2025-01-01T00:00:00Z", count: 4)
                == ["2025-01-29T00:00:00Z", "2025-02-26T00:00:00Z", "2025-03-29T00:00:00Z", "2025-04-28T00:00:00Z"])
        // L-30 exists only in 31-day months (it is their 1st).
        #expect(try cronTimes("cron(0 0 L-30 * ? *)", after: "2025-01-30T22:47:30Z", count: 4)
                == ["2025-03-01T00:00:00Z", "2025-05-01T00:00:00Z", "2025-07-01T00:00:00Z", "2025-08-01T00:00:00Z"])
    }

    @Test("LW: the last weekday of each month of 2025")
    func lastWeekday() throws {
        #expect(try cronTimes("cron(0 18 LW * ? 2025)", after: "2025-01-01T00:00:00Z", count: 13)
                == ["2025-01-31T18:00:00Z", "2025-02-28T18:00:00Z", "2025-03-31T18:00:00Z", "2025-04-30T18:00:00Z",
                    "2025-05-30T18:00:00Z", "2025-06-30T18:00:00Z", "2025-07-31T18:00:00Z", "2025-08-29T18:00:00Z",
                    "2025-09-30T18:00:00Z", "2025-10-31T18:00:00Z", "2025-11-28T18:00:00Z", "2025-12-31T18:00:00Z"])
    }

    @Test("nW: nearest weekday, never leaving the month")
    func nearestWeekday() throws {
        // 1 Feb 2025 is a Saturday -> Monday 3rd; 1 Jun 2025 is a Sunday -> Monday 2nd.
        #expect(try cronTimes("cron(0 9 1W * ? 2025)", after: "2025-01-01T00:00:00Z", count: 12)
                == ["2025-01-01T09:00:00Z", "2025-02-03T09:00:00Z", "2025-03-03T09:00:00Z", "2025-04-01T09:00:00Z",
                    "2025-05-01T09:00:00Z", "2025-06-02T09:00:00Z", "2025-07-01T09:00:00Z", "2025-08-01T09:00:00Z",
                    "2025-09-01T09:00:00Z", "2025-10-01T09:00:00Z", "2025-11-03T09:00:00Z", "2025-12-01T09:00:00Z"])
        // 15 Feb 2025 is a Saturday -> Friday 14th; 15 Jun 2025 is a Sunday -> Monday 16th.
        #expect(try cronTimes("cron(0 9 15W * ? 2025)", after: "2025-01-01T00:00:00Z", count: 12)
                == ["2025-01-15T09:00:00Z", "2025-02-14T09:00:00Z", "2025-03-14T09:00:00Z", "2025-04-15T09:00:00Z",
                    "2025-05-15T09:00:00Z", "2025-06-16T09:00:00Z", "2025-07-15T09:00:00Z", "2025-08-15T09:00:00Z",
                    "2025-09-15T09:00:00Z", "2025-10-15T09:00:00Z", "2025-11-14T09:00:00Z", "2025-12-15T09:00:00Z"])
        // 30 Nov 2025 is a Sunday and the last day -> Friday 28th; February has no 30th.
        #expect(try cronTimes("cron(0 9 30W * ? 2025)", after: "2025-01-01T00:00:00Z", count: 12)
                == ["2025-01-30T09:00:00Z", "2025-03-31T09:00:00Z", "2025-04-30T09:00:00Z", "2025-05-30T09:00:00Z",
                    "2025-06-30T09:00:00Z", "2025-07-30T09:00:00Z", "2025-08-29T09:00:00Z", "2025-09-30T09:00:00Z",
                    "2025-10-30T09:00:00Z", "2025-11-28T09:00:00Z", "2025-12-30T09:00:00Z"])
        #expect(try cronTimes("cron(0 9 31W * ? 2025)", after: "2025-01-01T00:00:00Z", count: 8)
                == ["2025-01-31T09:00:00Z", "2025-03-31T09:00:00Z", "2025-05-30T09:00:00Z", "2025-07-31T09:00:00Z",
                    "2025-08-29T09:00:00Z", "2025-10-31T09:00:00Z", "2025-12-31T09:00:00Z"])
    }

    @Test("d#n: n-th weekday; months without a fifth are skipped")
    func nthWeekday() throws {
        #expect(try cronTimes("cron(0 9 ? * 2#1 2025)", after: "2025-01-01T00:00:00Z", count: 6)
                == ["2025-01-06T09:00:00Z", "2025-02-03T09:00:00Z", "2025-03-03T09:00:00Z", "2025-04-07T09:00:00Z",
                    "2025-05-05T09:00:00Z", "2025-06-02T09:00:00Z"])
        #expect(try cronTimes("cron(0 9 ? * 1#5 *)", after: "2025-01-01T00:00:00Z", count: 6)
                == ["2025-03-30T09:00:00Z", "2025-06-29T09:00:00Z", "2025-08-31T09:00:00Z", "2025-11-30T09:00:00Z",
                    "2026-03-29T09:00:00Z", "2026-05-31T09:00:00Z"])
    }

    @Test("dL and L-d in day-of-week: last such weekday of the month")
    func lastWeekdayOfWeek() throws {
        #expect(try cronTimes("cron(0 0 ? * 2L *)", after: "2100-01-01T00:00:00Z", count: 4)
                == ["2100-01-25T00:00:00Z", "2100-02-22T00:00:00Z", "2100-03-29T00:00:00Z", "2100-04-26T00:00:00Z"])
        #expect(try cronTimes("cron(0 0 ? * L-2 *)", after: "2100-01-01T00:00:00Z", count: 4)
                == ["2100-01-25T00:00:00Z", "2100-02-22T00:00:00Z", "2100-03-29T00:00:00Z", "2100-04-26T00:00:00Z"])
        // A bare L is Saturday, every week.
        #expect(try cronTimes("cron(0 9 ? * L *)", after: "2025-01-30T22:47:30Z", count: 3)
                == ["2025-02-01T09:00:00Z", "2025-02-08T09:00:00Z", "2025-02-15T09:00:00Z"])
    }

    @Test("wrapping ranges fire on each date's own terms")
    func wrappingRanges() throws {
        #expect(try cronTimes("cron(0/30 20-2 ? * MON-FRI *)", after: "2025-01-30T22:47:30Z", count: 6)
                == ["2025-01-30T23:00:00Z", "2025-01-30T23:30:00Z", "2025-01-31T00:00:00Z", "2025-01-31T00:30:00Z",
                    "2025-01-31T01:00:00Z", "2025-01-31T01:30:00Z"])
        #expect(try cronTimes("cron(0 9 ? * FRI-MON *)", after: "2025-01-30T22:47:30Z", count: 6)
                == ["2025-01-31T09:00:00Z", "2025-02-01T09:00:00Z", "2025-02-02T09:00:00Z", "2025-02-03T09:00:00Z",
                    "2025-02-07T09:00:00Z", "2025-02-08T09:00:00Z"])
        #expect(try cronTimes("cron(0 0 1 NOV-FEB ? *)", after: "2025-01-30T22:47:30Z", count: 5)
                == ["2025-02-01T00:00:00Z", "2025-11-01T00:00:00Z", "2025-12-01T00:00:00Z", "2026-01-01T00:00:00Z",
                    "2026-02-01T00:00:00Z"])
        #expect(try cronTimes("cron(0 0 30-2 * ? *)", after: "2025-01-30T22:47:30Z", count: 8)
                == ["2025-01-31T00:00:00Z", "2025-02-01T00:00:00Z", "2025-02-02T00:00:00Z", "2025-03-01T00:00:00Z",
                    "2025-03-02T00:00:00Z", "2025-03-30T00:00:00Z", "2025-03-31T00:00:00Z", "2025-04-01T00:00:00Z"])
        #expect(try cronTimes("cron(50-10/10 5 * * ? *)", after: "2025-01-30T22:47:30Z", count: 4)
                == ["2025-01-31T05:00:00Z", "2025-01-31T05:10:00Z", "2025-01-31T05:50:00Z", "2025-02-01T05:00:00Z"])
    }

    @Test("year increments")
    func yearIncrement() throws {
        #expect(try cronTimes("cron(0 0 1 1 ? 2028/2)", after: "2025-01-30T22:47:30Z", count: 3)
                == ["2028-01-01T00:00:00Z", "2030-01-01T00:00:00Z", "2032-01-01T00:00:00Z"])
    }

    @Test("never fires (again): nil, found without scanning", arguments: [
        "cron(0 0 31 2 ? *)",
        "cron(0 0 30 2 ? *)",
        "cron(0 0 31 4,6,9,11 ? *)",
        "cron(0 0 ? 2 1#5 2033-2059)",      // February 1st is a Sunday in leap years 2032 and 2060 only
        "cron(15 10 ? * 6L 2002-2005)",     // valid for AWS, but the years are past
        "cron(0 0 L-30 2 ? *)",
    ])
    func neverFires(_ expression: String) throws {
        let cron = try CronExpression(parsing: expression)
        #expect(cron.next(after: utc("2025-01-30T22:47:30Z")) == nil)
        #expect(Array(cron.fireTimes(after: utc("2025-01-30T22:47:30Z"))).isEmpty)
    }

    @Test("never fired and never will: previous is nil as well")
    func neverAtAll() throws {
        let cron = try CronExpression(parsing: "cron(0 0 31 2 ? *)")
        #expect(cron.next(after: Instant(secondsSince1970: .min)) == nil)
        #expect(cron.previous(before: Instant(secondsSince1970: .max)) == nil)
    }

    @Test("the last possible fire time, and nothing after 2199")
    func upperBound() throws {
        let every = try CronExpression(parsing: "cron(* * * * ? *)")
        #expect(every.next(after: utc("2199-12-31T23:58:30Z"))?.iso8601 == "2199-12-31T23:59:00Z")
        #expect(every.next(after: utc("2199-12-31T23:59:00Z")) == nil)
        #expect(every.next(after: Instant(secondsSince1970: .max)) == nil)
        #expect(every.previous(before: Instant(secondsSince1970: .max))?.iso8601 == "2199-12-31T23:59:00Z")
        #expect(every.next(after: Instant(secondsSince1970: .min))?.iso8601 == "1970-01-01T00:00:00Z")
        #expect(every.previous(before: utc("1970-01-01T00:00:00Z")) == nil)
        #expect(every.previous(before: utc("1970-01-01T00:00:01Z"))?.iso8601 == "1970-01-01T00:00:00Z")
    }

    @Test("previous fire time")
    func previous() throws {
        let lastFriday = try CronExpression(parsing: "cron(15 10 ? * 6L *)")
        // 31 Dec 2024 is a Tuesday, so the last Friday of December 2024 is the 27th.
        #expect(lastFriday.previous(before: utc("2025-01-31T10:15:00Z"))?.iso8601 == "2024-12-27T10:15:00Z")
        #expect(lastFriday.previous(before: utc("2025-01-31T10:15:01Z"))?.iso8601 == "2025-01-31T10:15:00Z")
        let past = try CronExpression(parsing: "cron(15 10 ? * 6L 2002-2005)")
        #expect(past.previous(before: utc("2025-01-30T22:47:30Z"))?.iso8601 == "2005-12-30T10:15:00Z")
        let daily = try CronExpression(parsing: "cron(0 10 * * ? *)")
        #expect(daily.previous(before: utc("2025-01-30T10:00:00Z"))?.iso8601 == "2025-01-29T10:00:00Z")
        #expect(daily.previous(before: utc("2025-03-01T00:00:00Z"))?.iso8601 == "2025-02-28T10:00:00Z")
        let leap = try CronExpression(parsing: "cron(0 12 29 2 ? *)")
        #expect(leap.previous(before: utc("2104-01-01T00:00:00Z"))?.iso8601 == "2096-02-29T12:00:00Z")
    }

    @Test("wall-clock search on LocalDateTime")
    func localSearch() throws {
        let cron = try CronExpression(parsing: "cron(30 2 * * ? *)")
        let start = try #require(LocalDateTime(year: 2025, month: 3, day: 9))
        #expect(cron.next(after: start)?.description == "2025-03-09T02:30:00")
        #expect(cron.previous(before: start)?.description == "2025-03-08T02:30:00")
        #expect(cron.matches(try #require(LocalDateTime(year: 2025, month: 3, day: 9, hour: 2, minute: 30))))
        #expect(!cron.matches(try #require(LocalDateTime(year: 2025, month: 3, day: 9, hour: 2, minute: 30, second: 1))))
    }

    /// Expressions used for the structural checks below, with how many fire times they have left
    /// after 2025-01-30T22:47:30Z (capped at 300). 29 February: leap years 2028…2196 without 2100
    /// = 42; last Fridays of January and July 2025–2040 at 2 minutes × 4 hours = 16 × 2 × 8 = 256.
    static let sample: [(String, Int)] = [
        ("cron(0/7 * * * ? *)", 300), ("cron(0 0/5 1,15 * ? *)", 300), ("cron(5 4 ? * 1#5 *)", 300),
        ("cron(0 0 LW * ? *)", 300), ("cron(59 23 L-1 * ? *)", 300), ("cron(0 12 15W * ? *)", 300),
        ("cron(0/30 22-2 ? * FRI-MON *)", 300), ("cron(0 0 29 2 ? *)", 42),
        ("cron(1,58 0-23/6 ? JAN,JUL 6L 2025-2040)", 256), ("cron(* 0 1 1 ? *)", 300),
    ]

    @Test("iteration is strictly increasing; each time matches; next/previous agree", arguments: sample)
    func iterationProperties(_ expression: String, _ expectedCount: Int) throws {
        let cron = try CronExpression(parsing: expression)
        let times = Array(cron.fireTimes(after: utc("2025-01-30T22:47:30Z")).prefix(300))
        #expect(times.count == expectedCount)
        if expectedCount < 300, let last = times.last {
            #expect(cron.next(after: last) == nil)
        }
        for (index, time) in times.enumerated() {
            #expect(time.secondsSince1970 % 60 == 0)
            #expect(cron.matches(time))
            #expect(cron.next(after: time.adding(seconds: -1)) == time)
            #expect(cron.next(after: time.adding(seconds: -59)) == time)
            if index > 0 {
                #expect(times[index - 1] < time)
                #expect(cron.previous(before: time) == times[index - 1])
                #expect(cron.previous(before: times[index - 1].adding(seconds: 1)) == times[index - 1])
            }
        }
        // No fire time is skipped: nothing matches strictly between two consecutive fire times
        // (checked minute by minute over the first few, where gaps are small enough to scan).
        for pair in zip(times, times.dropFirst()).prefix(5) where pair.1.secondsSince1970 - pair.0.secondsSince1970 <= 86_400 * 2 {
            var t = pair.0.adding(seconds: 60)
            while t < pair.1 {
                #expect(!cron.matches(t), "\(expression) matches \(t) between \(pair.0) and \(pair.1)")
                t = t.adding(seconds: 60)
            }
        }
    }

    /// Random expressions against the naive day-by-day evaluator.
    @Test("differential: random expressions against a naive evaluator")
    func differential() throws {
        var rng = SplitMix64(seed: 20250130)
        let minutes = ["*", "0", "5,35", "0/15", "10-20", "50-10", "*/7", "3-59/20", "59"]
        let hours = ["*", "0", "12", "22-2", "0-23/6", "9-17", "1,13", "23"]
        let daysOfMonth = ["*", "1", "15", "31", "29", "L", "L-3", "LW", "1W", "15W", "31W", "1/7", "28-3", "30W"]
        let months = ["*", "FEB", "JAN,MAR", "NOV-FEB", "*/3", "2/2", "12", "2"]
        let daysOfWeek = ["*", "MON-FRI", "FRI-MON", "1", "6L", "SAT#3", "2#5", "L", "L-2", "SUN,SAT", "1#5", "7L"]
        let years = ["*", "*", "2025-2028", "2026", "2028/2", "2027,2029"]
        var fullComparisons = 0
        for round in 0..<120 {
            let useDayOfMonth = Bool.random(using: &rng)
            let dom = useDayOfMonth ? daysOfMonth.randomElement(using: &rng)! : "?"
            let dow = useDayOfMonth ? "?" : daysOfWeek.randomElement(using: &rng)!
            let text = "cron(\(minutes.randomElement(using: &rng)!) \(hours.randomElement(using: &rng)!) \(dom) "
                + "\(months.randomElement(using: &rng)!) \(dow) \(years.randomElement(using: &rng)!))"
            let cron = try CronExpression(parsing: text)
            let start = Instant(secondsSince1970: 1_735_689_600 + Int64.random(in: 0..<(2 * 365 * 86_400), using: &rng))
            let horizonDays = 5 * 366
            let expected = NaiveCron(cron: cron).fireTimes(after: start, count: 6, horizonDays: horizonDays)
            let actual = Array(cron.fireTimes(after: start).prefix(6))
            if expected.count == 6 {
                fullComparisons += 1
                #expect(actual == expected, "round \(round): \(text) after \(start)")
            } else {
                // The naive walk stopped at its horizon: what it found must be a prefix, and
                // anything further must lie beyond the horizon.
                #expect(Array(actual.prefix(expected.count)) == expected, "round \(round): \(text) after \(start)")
                if actual.count > expected.count {
                    #expect(actual[expected.count].secondsSince1970 > start.secondsSince1970 + Int64(horizonDays - 1) * 86_400)
                }
            }
        }
        #expect(fullComparisons >= 80)   // most random expressions fire often enough to compare six times
    }
}
