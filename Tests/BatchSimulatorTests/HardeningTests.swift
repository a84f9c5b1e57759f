import BatchSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import XCTest

/// Regression tests of the review: inputs and clocks at the edges of the integer range.
final class HardeningTests: XCTestCase {
    /// Epoch milliseconds of times near the far end of the clock (a scripted duration of
    /// Int64.max saturates there, `advance(by: .max)` goes there) saturate instead of trapping.
    func testTimesAtTheFarEndOfTheClockSaturateInMilliseconds() throws {
        let h = try BatchHarness()
        try h.standardSetUp()
        let forever = try h.submit("forever", extra: #", "parameters": {"SIM_DURATION_SECONDS": "9223372036854775807"}"#)
        h.router.advance(by: 10)
        XCTAssertEqual(try h.status(forever), "RUNNING")
        h.router.advance(by: Int64.max)
        XCTAssertEqual(try h.status(forever), "SUCCEEDED")
        let detail = try h.describe(forever)
        XCTAssertEqual(detail["stoppedAt"], .int64(Int64.max), "saturated")
        XCTAssertEqual(detail["attempts"]?[0]?["stoppedAt"], .int64(Int64.max))
        // A job created at the far end of the clock.
        let late = try h.submit("late")
        h.router.advance(by: 10)
        XCTAssertEqual(try h.describe(late)["createdAt"], .int64(Int64.max))
        let listed = try h.call("ListJobs", #"{"jobQueue": "q1", "filters": [{"name": "AFTER_CREATED_AT", "values": ["0"]}]}"#)
        XCTAssertEqual(listed["jobSummaryList"]?.count, 2)
        XCTAssertEqual(try h.statuses(of: late).last, "SUCCEEDED", "its events were published")
    }
}
