import EventSchedule
import Testing

@Suite("Scheduler settings: StartDate, EndDate, flexible window, rate anchoring")
struct ZonedScheduleTests {
    @Test("StartDate is inclusive, EndDate exclusive (cron)")
    func bounds() throws {
        let schedule = try ZonedSchedule(expression: "cron(0 10 * * ? *)",
                                         startDate: utc("2025-02-01T10:00:00Z"), endDate: utc("2025-02-04T10:00:00Z"))
        #expect(isoList(Array(schedule.fireTimes(after: utc("2025-01-01T00:00:00Z"))))
                == ["2025-02-01T10:00:00Z", "2025-02-02T10:00:00Z", "2025-02-03T10:00:00Z"])
        #expect(schedule.previousFireTime(before: utc("2025-12-31T00:00:00Z"))?.iso8601 == "2025-02-03T10:00:00Z")
        #expect(schedule.previousFireTime(before: utc("2025-02-01T10:00:00Z")) == nil)
        #expect(schedule.nextFireTime(after: utc("2025-02-03T10:00:00Z")) == nil)
    }

    @Test("StartDate and EndDate in a zone bound instants, not wall times")
    func boundsInZone() throws {
        let schedule = try ZonedSchedule(expression: "cron(0 9 * * ? *)", timeZone: "Europe/Berlin",
                                         startDate: utc("2025-03-30T07:00:00Z"), endDate: utc("2025-04-01T07:00:01Z"))
        // 09:00 CEST = 07:00Z from 30 March on.
        #expect(isoList(Array(schedule.fireTimes(after: utc("2025-03-01T00:00:00Z"))))
                == ["2025-03-30T07:00:00Z", "2025-03-31T07:00:00Z", "2025-04-01T07:00:00Z"])
    }

    @Test("rate with StartDate: first at StartDate, then every period, until EndDate")
    func rateWithStart() throws {
        let schedule = try ZonedSchedule(expression: "rate(10 minutes)", timeZone: "America/New_York",
                                         startDate: utc("2025-03-09T06:45:00Z"), endDate: utc("2025-03-09T07:15:00Z"))
        #expect(isoList(Array(schedule.fireTimes(after: utc("2025-01-01T00:00:00Z"))))
                == ["2025-03-09T06:45:00Z", "2025-03-09T06:55:00Z", "2025-03-09T07:05:00Z"])
        #expect(schedule.previousFireTime(before: utc("2025-03-10T00:00:00Z"))?.iso8601 == "2025-03-09T07:05:00Z")
        #expect(schedule.previousFireTime(before: utc("2025-03-09T06:45:00Z")) == nil)
    }

    @Test("rate without StartDate counts from the anchor; a day stays 24 h across DST")
    func rateWithAnchor() throws {
        let schedule = try ZonedSchedule(expression: "rate(1 day)", timeZone: "America/New_York",
                                         anchor: utc("2025-03-08T14:00:00Z"))   // 09:00 EST
        // 09:00 EST, then 10:00 EDT: the wall-clock time drifts by the DST hour.
        #expect(isoList(Array(schedule.fireTimes(after: utc("2025-03-08T14:00:00Z")).prefix(2)))
                == ["2025-03-09T14:00:00Z", "2025-03-10T14:00:00Z"])
        #expect(throws: ScheduleError.self) { try ZonedSchedule(expression: "rate(1 day)") }
    }

    @Test("settings are validated")
    func validation() {
        #expect(throws: ScheduleError.self) {
            try ZonedSchedule(expression: "cron(0 10 * * ? *)", startDate: utc("2025-02-01T00:00:00Z"), endDate: utc("2025-02-01T00:00:00Z"))
        }
        for minutes in [0, -1, 1441] {
            #expect(throws: ScheduleError.self) { try FlexibleTimeWindow.flexible(maximumWindowInMinutes: minutes) }
        }
        #expect((try? FlexibleTimeWindow.flexible(maximumWindowInMinutes: 1440))?.windowSeconds == 86_400)
    }

    @Test("at(...) ignores StartDate and EndDate")
    func atIgnoresBounds() throws {
        let schedule = try ZonedSchedule(expression: "at(2025-06-01T09:00:00)", timeZone: "Europe/Berlin",
                                         startDate: utc("2025-07-01T00:00:00Z"), endDate: utc("2025-08-01T00:00:00Z"))
        #expect(schedule.nextFireTime(after: utc("2025-01-01T00:00:00Z"))?.iso8601 == "2025-06-01T07:00:00Z")
        #expect(schedule.previousFireTime(before: utc("2025-12-01T00:00:00Z"))?.iso8601 == "2025-06-01T07:00:00Z")
    }

    @Test("flexible window: deterministic offsets inside the window, seed-dependent")
    func flexibleWindow() throws {
        let window = try FlexibleTimeWindow.flexible(maximumWindowInMinutes: 15, seed: 7)
        let schedule = try ZonedSchedule(expression: "cron(0 * * * ? *)", flexibleTimeWindow: window)
        let invocations = Array(schedule.invocations(after: utc("2025-01-30T22:47:30Z")).prefix(200))
        #expect(invocations.count == 200)
        var distinctOffsets = Set<Int64>()
        for invocation in invocations {
            let offset = invocation.time.secondsSince1970 - invocation.fireTime.secondsSince1970
            #expect(offset >= 0 && offset < 15 * 60)
            distinctOffsets.insert(offset)
            #expect(schedule.invocation(forFireTime: invocation.fireTime) == invocation)   // deterministic
        }
        #expect(distinctOffsets.count > 100)   // spread over the window, not a constant

        let reseeded = try ZonedSchedule(expression: "cron(0 * * * ? *)",
                                         flexibleTimeWindow: try FlexibleTimeWindow.flexible(maximumWindowInMinutes: 15, seed: 8))
        let other = Array(reseeded.invocations(after: utc("2025-01-30T22:47:30Z")).prefix(200))
        #expect(other.map(\.fireTime) == invocations.map(\.fireTime))
        #expect(other.map(\.time) != invocations.map(\.time))

        let off = try ZonedSchedule(expression: "cron(0 * * * ? *)")
        #expect(off.invocation(forFireTime: utc("2025-01-31T10:00:00Z")).time == utc("2025-01-31T10:00:00Z"))
    }

    @Test("nextInvocation finds the earliest invocation even when the window exceeds the period")
    func nextInvocation() throws {
        let schedule = try ZonedSchedule(expression: "cron(* * * * ? *)",
                                         flexibleTimeWindow: try FlexibleTimeWindow.flexible(maximumWindowInMinutes: 30, seed: 3))
        let start = utc("2025-01-30T22:47:30Z")
        let found = try #require(schedule.nextInvocation(after: start))
        // Reference: look at every fire time that could invoke within the next 31 minutes.
        let candidates = (-31...31).map { start.adding(seconds: Int64($0) * 60 - 30) }
            .filter { schedule.nextFireTime(after: $0.adding(seconds: -1)) == $0 }
            .map { schedule.invocation(forFireTime: $0) }
            .filter { $0.time > start }
        let best = try #require(candidates.min { ($0.time, $0.fireTime) < ($1.time, $1.fireTime) })
        #expect(found.time == best.time)
        #expect(found.time > start)
    }

    @Test("ScheduleExpression.nextFireTimes for the CLI")
    func helper() throws {
        #expect(isoList(try ScheduleExpression.nextFireTimes("cron(30 2 * * ? *)", after: utc("2025-03-08T00:00:00Z"),
                                                             count: 2, timeZone: "America/New_York"))
                == ["2025-03-08T07:30:00Z", "2025-03-10T06:30:00Z"])
        #expect(isoList(try ScheduleExpression.nextFireTimes("rate(5 minutes)", after: utc("2025-01-30T22:47:30Z"),
                                                             count: 3, timeZone: nil))
                == ["2025-01-30T22:52:30Z", "2025-01-30T22:57:30Z", "2025-01-30T23:02:30Z"])
        #expect(try ScheduleExpression.nextFireTimes("cron(0 0 31 2 ? *)", after: utc("2025-01-01T00:00:00Z"),
                                                     count: 5, timeZone: nil).isEmpty)
        #expect(try ScheduleExpression.nextFireTimes("cron(0 0 * * ? *)", after: utc("2025-01-01T00:00:00Z"),
                                                     count: 0, timeZone: nil).isEmpty)
        #expect(throws: ScheduleError.self) {
            try ScheduleExpression.nextFireTimes("cron(0 0 * * ? *)", after: utc("2025-01-01T00:00:00Z"), count: -1, timeZone: nil)
        }
        #expect(throws: ScheduleError.self) {
            try ScheduleExpression.nextFireTimes("cron(0 0 * * * *)", after: utc("2025-01-01T00:00:00Z"), count: 1, timeZone: nil)
        }
    }
}
