import BatchSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import XCTest

/// Dependencies (spec §1.4–1.5) and array jobs (§1.6).
final class DependencyAndArrayTests: XCTestCase {
    func testADependentJobWaitsInPendingUntilItsDependencySucceeds() throws {
        let h = try BatchHarness()
        try h.standardSetUp()
        let first = try h.submit("first", extra: #", "parameters": {"SIM_DURATION_SECONDS": "50"}"#)
        let second = try h.submit("second", extra: #", "dependsOn": [{"jobId": "\#(first)"}]"#)
        h.router.advance(by: 10)
        XCTAssertEqual(try h.status(second), "PENDING")
        h.router.advance(by: 41)
        XCTAssertEqual(try h.status(first), "SUCCEEDED")
        XCTAssertEqual(try h.statuses(of: second), ["PENDING", "RUNNABLE", "STARTING"])
        XCTAssertEqual(try h.describe(second)["dependsOn"], .array([.members([("jobId", .string(first))])]))
    }

    func testAFailedDependencyCascadesDownTheGraphAndNothingBelowRuns() throws {
        let log = AttemptLog()
        let h = try BatchHarness(executor: log.executor { $0.jobName == "a" ? .exit(code: 1, afterSeconds: 5) : .exit(code: 0, afterSeconds: 5) })
        try h.standardSetUp()
        let a = try h.submit("a")
        let b = try h.submit("b", extra: #", "dependsOn": [{"jobId": "\#(a)"}]"#)
        let c = try h.submit("c", extra: #", "dependsOn": [{"jobId": "\#(b)"}]"#)
        let unrelated = try h.submit("d")
        h.router.advance(by: 100)
        XCTAssertEqual(try [a, b, c, unrelated].map { try h.status($0) }, ["FAILED", "FAILED", "FAILED", "SUCCEEDED"])
        XCTAssertEqual(try h.statuses(of: c), ["PENDING", "FAILED"])
        XCTAssertEqual(try h.describe(c)["statusReason"], .string("Dependent Job failed"))
        XCTAssertEqual(Set(log.all.map(\.jobName)), ["a", "d"], "b and c never ran")
        let late = try h.submit("late", extra: #", "dependsOn": [{"jobId": "\#(a)"}]"#)
        h.router.runUntilIdle()
        XCTAssertEqual(try h.statuses(of: late), ["PENDING", "FAILED"], "depending on an already failed job fails at evaluation")
    }

    func testAnArrayJobHasIndexedChildrenAndAParentWithAStatusSummary() throws {
        let log = AttemptLog()
        let h = try BatchHarness(executor: log.executor { _ in .exit(code: 0, afterSeconds: 10) })
        try h.standardSetUp(maxvCpus: 2)
        let parent = try h.submit("array", extra: #", "arrayProperties": {"size": 3}, "timeout": {"attemptDurationSeconds": 120}"#)
        h.router.runUntilIdle()
        let detail = try h.describe(parent)
        XCTAssertEqual(detail["status"], .string("PENDING"))
        XCTAssertEqual(detail["arrayProperties"]?["size"]?.int, 3)
        let summary = try XCTUnwrap(detail["arrayProperties"]?["statusSummary"])
        XCTAssertEqual(summary["STARTING"]?.int, 2)
        XCTAssertEqual(summary["RUNNABLE"]?.int, 1)
        XCTAssertEqual(summary["SUBMITTED"]?.int, 0)
        XCTAssertNil(detail["timeout"], "the parent itself has no timeout")
        let child = try h.describe("\(parent):2")
        XCTAssertEqual(child["jobId"], .string("\(parent):2"))
        XCTAssertEqual(child["jobArn"], .string("arn:aws:batch:us-east-1:123456789012:job/\(parent):2"))
        XCTAssertEqual(child["arrayProperties"], .members([("index", .int(2))]))
        XCTAssertEqual(child["timeout"]?["attemptDurationSeconds"]?.int, 120, "children inherit the timeout")
        h.router.advance(by: 100)
        XCTAssertEqual(try h.status(parent), "SUCCEEDED")
        XCTAssertEqual(try h.describe(parent)["arrayProperties"]?["statusSummary"]?["SUCCEEDED"]?.int, 3)
        XCTAssertEqual(try h.statuses(of: parent), ["PENDING", "SUCCEEDED"], "the parent only takes SUBMITTED, PENDING, SUCCEEDED, FAILED")
        XCTAssertEqual(log.all.map { $0.environment("AWS_BATCH_JOB_ARRAY_INDEX") }.sorted { ($0 ?? "") < ($1 ?? "") }, ["0", "1", "2"])
        XCTAssertEqual(log.all.first?.environment("AWS_BATCH_JOB_ID"), "\(parent):0")

        let listed = try h.call("ListJobs", #"{"arrayJobId": "\#(parent)", "jobStatus": "SUCCEEDED"}"#)
        XCTAssertEqual(listed["jobSummaryList"]?.count, 3)
        let inQueue = try h.call("ListJobs", #"{"jobQueue": "q1", "jobStatus": "SUCCEEDED"}"#)
        XCTAssertEqual(inQueue["jobSummaryList"]?.count, 1, "a queue lists the parent, not its children")
    }

    func testTheParentFailsOnceEveryChildIsTerminalIfAnyChildFailed() throws {
        let h = try BatchHarness()
        try h.standardSetUp(maxvCpus: 1)
        let parent = try h.submit("array", extra: #", "arrayProperties": {"size": 3}, "parameters": {"SIM_FAIL_INDEXES": "0", "SIM_DURATION_SECONDS": "10"}"#)
        h.router.advance(by: 12)
        XCTAssertEqual(try h.status("\(parent):0"), "FAILED")
        XCTAssertEqual(try h.status(parent), "PENDING", "children 1 and 2 have not finished")
        h.router.advance(by: 100)
        XCTAssertEqual(try h.status(parent), "FAILED")
        XCTAssertEqual(try h.status("\(parent):2"), "SUCCEEDED")
        XCTAssertEqual(try h.describe(parent)["arrayProperties"]?["statusSummary"]?["FAILED"]?.int, 1)
    }

    func testCancellingTheParentCancelsEveryChildButCancellingAChildOnlyThatChild() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp(maxvCpus: 1)
        let whole = try h.submit("whole", extra: #", "arrayProperties": {"size": 4}, "containerOverrides": {"vcpus": 2}"#)
        h.router.runUntilIdle()
        try h.call("CancelJob", #"{"jobId": "\#(whole)", "reason": "stop all"}"#)
        h.router.runUntilIdle()
        XCTAssertEqual(try h.status(whole), "FAILED")
        XCTAssertEqual(try h.describe(whole)["arrayProperties"]?["statusSummary"]?["FAILED"]?.int, 4)

        let some = try h.submit("some", extra: #", "arrayProperties": {"size": 2}, "parameters": {"SIM_DURATION_SECONDS": "10"}"#)
        h.router.runUntilIdle()
        try h.call("CancelJob", #"{"jobId": "\#(some):1", "reason": "only one"}"#)
        h.router.advance(by: 100)
        XCTAssertEqual(try h.status("\(some):0"), "SUCCEEDED")
        XCTAssertEqual(try h.status("\(some):1"), "FAILED")
        XCTAssertEqual(try h.status(some), "FAILED", "one failed child fails the parent")
    }

    func testSequentialChildrenRunOneAfterAnother() throws {
        let log = AttemptLog()
        let h = try BatchHarness(executor: log.executor { _ in .exit(code: 0, afterSeconds: 10) }, captureEvents: false)
        try h.standardSetUp(maxvCpus: 8)
        let parent = try h.submit("seq", extra: #", "arrayProperties": {"size": 4}, "dependsOn": [{"type": "SEQUENTIAL"}]"#)
        h.router.runUntilIdle()
        XCTAssertEqual(try (0..<4).map { try h.status("\(parent):\($0)") }, ["STARTING", "PENDING", "PENDING", "PENDING"])
        h.router.advance(by: 200)
        let starts = log.all.map { ($0.arrayIndex ?? -1, $0.startedAt.secondsSince1970) }
        XCTAssertEqual(starts.map(\.0), [0, 1, 2, 3])
        XCTAssertEqual(zip(starts.dropFirst(), starts).map { $0.1 - $1.1 }, [11, 11, 11], "each child starts after the previous one finished")
        XCTAssertEqual(try h.describe("\(parent):2")["dependsOn"], .array([.members([("jobId", .string("\(parent):1")), ("type", .string("SEQUENTIAL"))])]))
        XCTAssertEqual(try h.status(parent), "SUCCEEDED")
    }

    func testNToNChildrenWaitForTheSameIndexOfTheOtherArray() throws {
        let log = AttemptLog()
        let h = try BatchHarness(executor: log.executor { context in
            // Child i of "first" runs 10·(i+1) s; child 1 of "first" fails.
            if context.jobName == "first" { return .exit(code: context.arrayIndex == 1 ? 1 : 0, afterSeconds: Int64(10 * ((context.arrayIndex ?? 0) + 1))) }
            return .exit(code: 0, afterSeconds: 1)
        }, captureEvents: false)
        try h.standardSetUp(maxvCpus: 8)
        let first = try h.submit("first", extra: #", "arrayProperties": {"size": 3}"#)
        let second = try h.submit("second", extra: #", "arrayProperties": {"size": 3}, "dependsOn": [{"jobId": "\#(first)", "type": "N_TO_N"}]"#)
        h.router.advance(by: 11)
        XCTAssertEqual(try (0..<3).map { try h.status("\(second):\($0)") }, ["STARTING", "PENDING", "PENDING"],
                       "child 0 of first finished at 11 s; the others still run")
        h.router.advance(by: 100)
        XCTAssertEqual(try (0..<3).map { try h.status("\(second):\($0)") }, ["SUCCEEDED", "FAILED", "SUCCEEDED"])
        XCTAssertEqual(try h.describe("\(second):1")["statusReason"], .string("Dependent Job failed"))
        XCTAssertEqual(try h.describe("\(second):2")["dependsOn"], .array([.members([("jobId", .string("\(first):2")), ("type", .string("N_TO_N"))])]))
        XCTAssertEqual(log.all.filter { $0.jobName == "second" }.map(\.arrayIndex), [0, 2], "child 1 never ran")
    }

    func testAStandardDependencyOnAnArrayJobWaitsForAllItsChildren() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp(maxvCpus: 8)
        let array = try h.submit("array", extra: #", "arrayProperties": {"size": 3}, "parameters": {"SIM_DURATION_SECONDS": "10"}"#)
        let after = try h.submit("after", extra: #", "dependsOn": [{"jobId": "\#(array)"}]"#)
        h.router.advance(by: 10)
        XCTAssertEqual(try h.status(after), "PENDING")
        h.router.advance(by: 1)
        XCTAssertEqual(try h.status(array), "SUCCEEDED")
        XCTAssertEqual(try h.status(after), "STARTING")
    }

    func testATenThousandChildArrayJobCompletesUnderTheManualClock() throws {
        let h = try BatchHarness(captureEvents: false)
        // Only the parent's events are copied to a queue, so the test counts them.
        let queue = try h.router.createQueue(account: BatchHarness.account, region: BatchHarness.region, name: "parents")
        _ = try h.router.putRule(account: BatchHarness.account, region: BatchHarness.region, name: "parents",
                                 eventPattern: #"{"source": ["aws.batch"], "detail": {"arrayProperties": {"size": [{"exists": true}]}}}"#)
        _ = try h.router.putTargets(account: BatchHarness.account, region: BatchHarness.region, rule: "parents", targets: [TargetConfiguration(id: "q", arn: queue)])
        try h.standardSetUp(maxvCpus: 256)
        let parent = try h.submit("big", extra: #", "arrayProperties": {"size": 10000}, "parameters": {"SIM_DURATION_SECONDS": "30"}"#)
        XCTAssertEqual(h.batch.jobCount, 10_001)
        h.router.advance(by: 3600)
        let detail = try h.describe(parent)
        XCTAssertEqual(detail["status"], .string("SUCCEEDED"))
        XCTAssertEqual(detail["arrayProperties"]?["statusSummary"]?["SUCCEEDED"]?.int, 10_000)
        // 10,000 / 256 = 40 waves of 31 s (1 s start latency + 30 s).
        XCTAssertEqual(detail["stoppedAt"]?.int, Int((h.clock.now().secondsSince1970 - 3600 + 40 * 31) * 1000))
        let bodies = h.router.queueMessages(arn: queue).compactMap { try? JSONReader.parse($0.body)["detail"]?["status"] }
        XCTAssertEqual(bodies, [.string("PENDING"), .string("SUCCEEDED")])
        let page = try h.call("ListJobs", #"{"arrayJobId": "\#(parent)", "jobStatus": "SUCCEEDED", "maxResults": 1000}"#)
        XCTAssertEqual(page["jobSummaryList"]?.count, 1000)
        XCTAssertEqual(page["nextToken"], .string("1000"))
    }
}
