import EventSchedule
import Testing

/// Daylight saving. Expected instants were computed with Python's `zoneinfo` (an independent
/// reading of the same IANA database) and a brute-force evaluator that resolves each wall time
/// to its first occurrence and drops wall times that do not exist.
///
/// Transitions used (2025): New York 9 Mar 02:00 EST -> 03:00 EDT, 2 Nov 02:00 EDT -> 01:00 EST;
/// Berlin 30 Mar 02:00 CET -> 03:00 CEST, 26 Oct 03:00 CEST -> 02:00 CET; Lord Howe (30-minute
/// shift) 6 Apr 02:00 +11:00 -> 01:30 +10:30, 5 Oct 02:00 +10:30 -> 02:30 +11:00.
@Suite("Time zones and daylight saving")
struct TimeZoneTests {
    private func local(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int) throws -> LocalDateTime {
        try #require(LocalDateTime(year: y, month: mo, day: d, hour: h, minute: mi))
    }

    @Test("resolving local times: unique, repeated, skipped")
    func resolution() throws {
        let ny = try ScheduleTimeZone(identifier: "America/New_York")
        #expect(ny.resolve(try local(2025, 3, 9, 2, 30)) == .skipped)
        #expect(ny.resolve(try local(2025, 3, 9, 3, 0)) == .unique(utc("2025-03-09T07:00:00Z")))
        #expect(ny.resolve(try local(2025, 3, 9, 1, 59)) == .unique(utc("2025-03-09T06:59:00Z")))
        #expect(ny.resolve(try local(2025, 11, 2, 1, 30))
                == .repeated(earlier: utc("2025-11-02T05:30:00Z"), later: utc("2025-11-02T06:30:00Z")))
        let lordHowe = try ScheduleTimeZone(identifier: "Australia/Lord_Howe")
        #expect(lordHowe.resolve(try local(2025, 10, 5, 2, 15)) == .skipped)
        #expect(lordHowe.resolve(try local(2025, 10, 5, 2, 30)) == .unique(utc("2025-10-04T15:30:00Z")))
        #expect(lordHowe.resolve(try local(2025, 4, 6, 1, 45))
                == .repeated(earlier: utc("2025-04-05T14:45:00Z"), later: utc("2025-04-05T15:15:00Z")))
        #expect(ScheduleTimeZone.utc.resolve(try local(2025, 3, 9, 2, 30)) == .unique(utc("2025-03-09T02:30:00Z")))
    }

    @Test("New York: the skipped 02:30 and the repeated 01:30")
    func newYorkDaily() throws {
        #expect(try zonedTimes("cron(30 2 * * ? *)", zone: "America/New_York", after: "2025-03-08T00:00:00Z", count: 3)
                == ["2025-03-08T07:30:00Z", "2025-03-10T06:30:00Z", "2025-03-11T06:30:00Z"])
        #expect(try zonedTimes("cron(30 1 * * ? *)", zone: "America/New_York", after: "2025-11-01T00:00:00Z", count: 3)
                == ["2025-11-01T05:30:00Z", "2025-11-02T05:30:00Z", "2025-11-03T06:30:00Z"])
    }

    @Test("New York: every 30 minutes across both changes")
    func newYorkHalfHourly() throws {
        #expect(try zonedTimes("cron(0/30 * * * ? *)", zone: "America/New_York", after: "2025-03-09T06:15:00Z", count: 4)
                == ["2025-03-09T06:30:00Z", "2025-03-09T07:00:00Z", "2025-03-09T07:30:00Z", "2025-03-09T08:00:00Z"])
        // 01:00 and 01:30 EST (06:00Z, 06:30Z) repeat wall times already fired on EDT: not fired again.
        #expect(try zonedTimes("cron(0/30 * * * ? *)", zone: "America/New_York", after: "2025-11-02T04:45:00Z", count: 5)
                == ["2025-11-02T05:00:00Z", "2025-11-02T05:30:00Z", "2025-11-02T07:00:00Z", "2025-11-02T07:30:00Z",
                    "2025-11-02T08:00:00Z"])
    }

    @Test("New York: weekdays at 09:00 local follow the offset change")
    func newYorkWeekdays() throws {
        #expect(try zonedTimes("cron(0 9 ? * MON-FRI *)", zone: "America/New_York", after: "2025-03-06T00:00:00Z", count: 4)
                == ["2025-03-06T14:00:00Z", "2025-03-07T14:00:00Z", "2025-03-10T13:00:00Z", "2025-03-11T13:00:00Z"])
    }

    @Test("Berlin: the skipped and the repeated 02:30")
    func berlin() throws {
        #expect(try zonedTimes("cron(30 2 * * ? *)", zone: "Europe/Berlin", after: "2025-03-29T00:00:00Z", count: 3)
                == ["2025-03-29T01:30:00Z", "2025-03-31T00:30:00Z", "2025-04-01T00:30:00Z"])
        #expect(try zonedTimes("cron(30 2 * * ? *)", zone: "Europe/Berlin", after: "2025-10-25T00:00:00Z", count: 3)
                == ["2025-10-25T00:30:00Z", "2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z"])
        #expect(try zonedTimes("cron(0/15 1-3 * * ? *)", zone: "Europe/Berlin", after: "2025-10-25T23:50:00Z", count: 10)
                == ["2025-10-26T00:00:00Z", "2025-10-26T00:15:00Z", "2025-10-26T00:30:00Z", "2025-10-26T00:45:00Z",
                    "2025-10-26T02:00:00Z", "2025-10-26T02:15:00Z", "2025-10-26T02:30:00Z", "2025-10-26T02:45:00Z",
                    "2025-10-27T00:00:00Z", "2025-10-27T00:15:00Z"])
    }

    @Test("Berlin: 02:30 on the last Sunday of March never exists")
    func berlinNever() throws {
        let schedule = try ZonedSchedule(expression: "cron(30 2 ? 3 1L 2025-2030)", timeZone: "Europe/Berlin")
        #expect(schedule.nextFireTime(after: utc("2025-01-01T00:00:00Z")) == nil)
        #expect(schedule.previousFireTime(before: utc("2031-01-01T00:00:00Z")) == nil)
    }

    @Test("Lord Howe: a 30-minute shift")
    func lordHowe() throws {
        #expect(try zonedTimes("cron(45 1 * * ? *)", zone: "Australia/Lord_Howe", after: "2025-04-04T00:00:00Z", count: 3)
                == ["2025-04-04T14:45:00Z", "2025-04-05T14:45:00Z", "2025-04-06T15:15:00Z"])
        #expect(try zonedTimes("cron(15 2 * * ? *)", zone: "Australia/Lord_Howe", after: "2025-10-03T00:00:00Z", count: 3)
                == ["2025-10-03T15:45:00Z", "2025-10-05T15:15:00Z", "2025-10-06T15:15:00Z"])
        #expect(try zonedTimes("cron(0/15 * * * ? *)", zone: "Australia/Lord_Howe", after: "2025-10-04T15:00:00Z", count: 3)
                == ["2025-10-04T15:15:00Z", "2025-10-04T15:30:00Z", "2025-10-04T15:45:00Z"])
        #expect(try zonedTimes("cron(0/15 * * * ? *)", zone: "Australia/Lord_Howe", after: "2025-04-05T14:20:00Z", count: 4)
                == ["2025-04-05T14:30:00Z", "2025-04-05T14:45:00Z", "2025-04-05T15:30:00Z", "2025-04-05T15:45:00Z"])
    }

    @Test("previous fire time across the changes mirrors next", arguments: [
        ("cron(0/30 * * * ? *)", "America/New_York", "2025-11-02T04:45:00Z"),
        ("cron(0/30 * * * ? *)", "America/New_York", "2025-03-09T06:15:00Z"),
        ("cron(0/15 1-3 * * ? *)", "Europe/Berlin", "2025-10-25T23:50:00Z"),
        ("cron(0/15 * * * ? *)", "Australia/Lord_Howe", "2025-04-05T14:20:00Z"),
        ("cron(0/15 * * * ? *)", "Australia/Lord_Howe", "2025-10-04T15:00:00Z"),
        ("cron(30 2 * * ? *)", "Europe/Berlin", "2025-03-28T00:00:00Z"),
    ])
    func previousMirrorsNext(_ expression: String, _ zone: String, _ start: String) throws {
        let schedule = try ZonedSchedule(expression: expression, timeZone: zone)
        let times = Array(schedule.fireTimes(after: utc(start)).prefix(12))
        #expect(times.count == 12)
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(earlier < later)
            #expect(schedule.previousFireTime(before: later) == earlier)
            #expect(schedule.nextFireTime(after: earlier) == later)
            // Any instant strictly between two fire times has the same neighbours.
            let middle = Instant(secondsSince1970: (earlier.secondsSince1970 + later.secondsSince1970) / 2)
            if middle > earlier && middle < later {
                #expect(schedule.nextFireTime(after: middle) == later)
                #expect(schedule.previousFireTime(before: middle) == earlier)
            }
        }
    }

    @Test("at(...) inside a gap never fires; inside an overlap fires at the first occurrence")
    func atAcrossChanges() throws {
        let ny = try ScheduleTimeZone(identifier: "America/New_York")
        #expect(try AtExpression(parsing: "at(2025-03-09T02:30:00)").fireTime(in: ny) == nil)
        #expect(try AtExpression(parsing: "at(2025-11-02T01:30:00)").fireTime(in: ny)?.iso8601 == "2025-11-02T05:30:00Z")
        #expect(try zonedTimes("at(2025-03-09T02:30:00)", zone: "America/New_York", after: "2025-01-01T00:00:00Z", count: 1) == [])
        #expect(try zonedTimes("at(2025-07-04T09:00:00)", zone: "America/New_York", after: "2025-01-01T00:00:00Z", count: 2)
                == ["2025-07-04T13:00:00Z"])
    }

    @Test("ISO-8601 with the zone's offset")
    func formatting() throws {
        let ny = try ScheduleTimeZone(identifier: "America/New_York")
        #expect(utc("2025-03-09T06:59:00Z").iso8601(in: ny) == "2025-03-09T01:59:00-05:00")
        #expect(utc("2025-03-09T07:00:00Z").iso8601(in: ny) == "2025-03-09T03:00:00-04:00")
        let lordHowe = try ScheduleTimeZone(identifier: "Australia/Lord_Howe")
        #expect(utc("2025-04-05T15:15:00Z").iso8601(in: lordHowe) == "2025-04-06T01:45:00+10:30")
        let berlin = try ScheduleTimeZone(identifier: "Europe/Berlin")
        #expect(utc("2025-01-30T22:47:30Z").iso8601(in: berlin) == "2025-01-30T23:47:30+01:00")
        #expect(berlin.localDateTime(at: utc("2025-01-30T22:47:30Z")).description == "2025-01-30T23:47:30")
        #expect(utc("2025-01-30T22:47:30Z").iso8601(in: .utc) == "2025-01-30T22:47:30+00:00")
    }

    @Test("unknown and overlong zone names are errors")
    func badZones() {
        for name in ["Mars/Olympus_Mons", "", String(repeating: "A", count: 51)] {
            do {
                _ = try ScheduleTimeZone(identifier: name)
                Issue.record("accepted \(name)")
            } catch {
                #expect(error.code == .unknownTimeZone)
                #expect(error.field == .timeZone)
            }
        }
        #expect(throws: ScheduleError.self) {
            try ScheduleExpression.nextFireTimes("cron(0 0 * * ? *)", after: utc("2025-01-01T00:00:00Z"), count: 1,
                                                 timeZone: "Nowhere/Special")
        }
    }

    @Test("abbreviations and UTC offsets are not zone names; the tz database's aliases are")
    func zoneNamesMustBeTheDatabases() throws {
        // Foundation alone would read BST as Asia/Dhaka and UTC+1 as a fixed offset.
        for name in ["BST", "PST", "IST", "JST", "CEST", "EDT", "AET", "CTT", "UTC+1", "GMT+5", "UTC+0530", "utc", "europe/berlin"] {
            #expect(throws: ScheduleError.self, "\(name)") { try ScheduleTimeZone(identifier: name) }
        }
        for name in ["UTC", "GMT", "CET", "EST", "HST", "EST5EDT", "Etc/UTC", "Etc/GMT+5", "US/Eastern", "Europe/London", "Asia/Kolkata"] {
            #expect(try ScheduleTimeZone(identifier: name).identifier == name)
        }
        // EST is the database's fixed UTC-5 zone, not New York: no daylight saving in July.
        #expect(try ScheduleTimeZone(identifier: "EST").secondsFromUTC(at: utc("2025-07-01T00:00:00Z")) == -18_000)
        // Etc/GMT+5 is five hours *behind* UTC (POSIX sign convention), and stays a fixed offset.
        let etc = try ScheduleTimeZone(identifier: "Etc/GMT+5")
        #expect(etc.secondsFromUTC(at: utc("2025-07-01T00:00:00Z")) == -18_000)
        let eastern = try ScheduleTimeZone(identifier: "US/Eastern")
        #expect(eastern.secondsFromUTC(at: utc("2025-07-01T00:00:00Z")) == -14_400)
    }
}
