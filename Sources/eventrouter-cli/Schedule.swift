import ArgumentParser
import EventSchedule
import Foundation

/// `eventrouter schedule`: schedule expressions.
struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Work with schedule expressions (rate, cron, at).",
        subcommands: [Next.self]
    )

    /// `eventrouter schedule next 'EXPR' [--from ISO] [--count N] [--tz ZONE]`
    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the next fire times of a schedule expression.",
            discussion: """
            Prints the next N fire times strictly after --from (default: now), one ISO-8601 time per \
            line: UTC with a trailing Z, or the zone's local time with its UTC offset when --tz is \
            given. Cron and at() are read in the zone; a rate counts from --from. An invalid \
            expression exits with status 1 and the reason on standard error.
            """
        )

        @Argument(help: "The expression, e.g. 'cron(0 12 ? * MON-FRI *)', 'rate(5 minutes)', 'at(2026-01-01T00:00:00)'.")
        var expression: String

        @Option(help: "Start instant (ISO-8601, e.g. 2025-01-30T22:47:30Z); default: now.")
        var from: String?

        @Option(help: "How many fire times to print.")
        var count = 5

        @Option(name: .customLong("tz"), help: "An IANA time zone, e.g. Europe/Berlin (default: UTC).")
        var timeZone: String?

        func run() throws {
            do {
                let start = try from.map { (text) throws(ScheduleError) in try Instant(iso8601: text) }
                    ?? Instant(secondsSince1970: Int64(Date().timeIntervalSince1970))
                let times = try ScheduleExpression.nextFireTimes(expression, after: start, count: count, timeZone: timeZone)
                let zone = try timeZone.map { (name) throws(ScheduleError) in try ScheduleTimeZone(identifier: name) }
                var output = Output()
                for time in times { output.line(zone.map { time.iso8601(in: $0) } ?? time.iso8601) }
                output.flush()
            } catch {
                printError("eventrouter: \(error)")
                throw ExitCode(1)
            }
        }
    }
}
