import CEventRouter
import EventSchedule

/// The most fire times one `evr_schedule_next` call computes.
let maximumFireTimes = 1 << 20

@c @implementation
public func evr_schedule_validate(_ expression: UnsafePointer<CChar>?, _ expressionLength: Int,
                                  _ dialect: evr_schedule_dialect, _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        let text = try inputString(expression, expressionLength, "expression")
        let parsedDialect: ScheduleExpression.Dialect
        switch dialect {
        case EVR_SCHEDULE_SCHEDULER: parsedDialect = .scheduler
        case EVR_SCHEDULE_RULE: parsedDialect = .scheduledRule
        default: throw .argument("dialect \(dialect.rawValue) is not an evr_schedule_dialect")
        }
        do throws(ScheduleError) { _ = try ScheduleExpression(parsing: text, dialect: parsedDialect) } catch { throw Failure(error) }
    }
}

@c @implementation
public func evr_schedule_next(_ outTimes: UnsafeMutablePointer<Int64>?, _ outCount: UnsafeMutablePointer<Int>?,
                              _ expression: UnsafePointer<CChar>?, _ expressionLength: Int, _ after: Int64,
                              _ capacity: Int, _ timeZone: UnsafePointer<CChar>?, _ timeZoneLength: Int,
                              _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    outCount?.pointee = 0
    return boundary(err) { () throws(Failure) in
        guard let outCount else { throw .argument("out_count is NULL") }
        guard capacity >= 0, capacity <= maximumFireTimes else { throw .argument("capacity must be 0...\(maximumFireTimes)") }
        guard capacity == 0 || outTimes != nil else { throw .argument("out_times is NULL") }
        guard after >= 0, after <= latestTime else { throw .argument("after \(after) is outside 1970-01-01 ... 9999-12-31") }
        let text = try inputString(expression, expressionLength, "expression")
        let zone: String? = timeZone == nil ? nil : try inputString(timeZone, timeZoneLength, "time_zone")
        let times: [Instant]
        do throws(ScheduleError) {
            times = try ScheduleExpression.nextFireTimes(text, after: Instant(secondsSince1970: after), count: capacity, timeZone: zone)
        } catch {
            throw Failure(error)
        }
        for (index, time) in times.enumerated() { outTimes![index] = time.secondsSince1970 }
        outCount.pointee = times.count
    }
}

@c @implementation
public func evr_time_parse(_ outTime: UnsafeMutablePointer<Int64>?, _ text: UnsafePointer<CChar>?, _ textLength: Int,
                           _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        guard let outTime else { throw .argument("out_time is NULL") }
        let string = try inputString(text, textLength, "text")
        do throws(ScheduleError) { outTime.pointee = try Instant(iso8601: string).secondsSince1970 } catch { throw Failure(error) }
    }
}

@c @implementation
public func evr_time_format(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ time: Int64,
                            _ err: UnsafeMutablePointer<evr_error>?) -> evr_status {
    boundary(err) { () throws(Failure) in
        guard let buffer else { throw .argument("buffer is NULL") }
        guard size >= 32 else { throw .argument("size must be at least 32") }
        guard time >= 0, time <= latestTime else {
            buffer[0] = 0
            throw .argument("time \(time) is outside 1970-01-01 ... 9999-12-31")
        }
        copyTruncated(Instant(secondsSince1970: time).iso8601, into: UnsafeMutableRawBufferPointer(start: buffer, count: 32))
    }
}
