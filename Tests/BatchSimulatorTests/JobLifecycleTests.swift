import BatchSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import XCTest

/// The single-job state machine (spec §1.5), the event shape (§1.9), parameters and overrides
/// (§1.3–1.4) and the injected environment (§1.7).
final class JobLifecycleTests: XCTestCase {
    func testAJobGoesThroughEveryStateAndEachTransitionAfterSubmittedPublishesOneEvent() throws {
        let h = try BatchHarness()
        try h.standardSetUp()
        let t0 = h.now
        let id = try h.submit("hello", extra: #", "parameters": {"input": "s3://b/k"}, "containerOverrides": {"environment": [{"name": "SIM_DURATION_SECONDS", "value": "30"}]}"#)
        XCTAssertEqual(try h.status(id), "SUBMITTED", "nothing happens before the router runs the simulator")
        h.router.runUntilIdle()
        XCTAssertEqual(try h.status(id), "STARTING")
        h.router.advance(by: 1)
        XCTAssertEqual(try h.status(id), "RUNNING")
        h.router.advance(by: 29)
        XCTAssertEqual(try h.status(id), "RUNNING")
        h.router.advance(by: 1)
        XCTAssertEqual(try h.status(id), "SUCCEEDED")
        XCTAssertEqual(try h.statuses(of: id), ["RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED"], "no event for SUBMITTED")

        let envelopes = try h.envelopes()
        let last = try XCTUnwrap(envelopes.last)
        XCTAssertEqual(last["source"], .string("aws.batch"))
        XCTAssertEqual(last["detail-type"], .string("Batch Job State Change"))
        XCTAssertEqual(last["resources"], .array([.string("arn:aws:batch:us-east-1:123456789012:job/\(id)")]))
        XCTAssertEqual(last["time"], .string(Instant(secondsSince1970: t0 + 31).iso8601))
        let detail = try XCTUnwrap(last["detail"])
        XCTAssertEqual(detail["jobQueue"], .string("arn:aws:batch:us-east-1:123456789012:job-queue/q1"))
        XCTAssertEqual(detail["jobDefinition"], .string("arn:aws:batch:us-east-1:123456789012:job-definition/work:1"))
        XCTAssertEqual(detail["createdAt"]?.int, Int(t0 * 1000), "epoch milliseconds")
        XCTAssertEqual(detail["startedAt"]?.int, Int((t0 + 1) * 1000))
        XCTAssertEqual(detail["stoppedAt"]?.int, Int((t0 + 31) * 1000))
        XCTAssertEqual(detail["statusReason"], .string("Essential container in task exited"))
        XCTAssertEqual(detail["container"]?["command"], .array([.string("run"), .string("s3://b/k")]))
        XCTAssertEqual(detail["container"]?["exitCode"]?.int, 0)
        XCTAssertEqual(detail["attempts"]?.count, 1)
        XCTAssertEqual(detail["attempts"]?[0]?["container"]?["exitCode"]?.int, 0)
        XCTAssertEqual(detail["parameters"]?["input"], .string("s3://b/k"))
        XCTAssertEqual(detail["retryStrategy"]?["attempts"]?.int, 1)
        let first = try XCTUnwrap(envelopes.first?["detail"])
        XCTAssertNil(first["startedAt"], "keys without a value yet are omitted")
        XCTAssertEqual(first["attempts"], .array([]))
        XCTAssertNil(h.router.nextWakeUp(), "nothing left to do")
    }

    func testJobIdsAreUUIDsFromTheSeedSoRunsAreReproducible() throws {
        func run() throws -> [String] {
            let h = try BatchHarness(captureEvents: false, seed: 42)
            try h.standardSetUp()
            return [try h.submit("a"), try h.submit("b")]
        }
        let first = try run(), second = try run()
        XCTAssertEqual(first, second)
        XCTAssertNotEqual(first[0], first[1])
        let parts = first[0].split(separator: "-").map(\.count)
        XCTAssertEqual(parts, [8, 4, 4, 4, 12])
    }

    func testRefSubstitutionUsesDefinitionDefaultsOverriddenBySubmitAndReplacesEveryPlaceholder() throws {
        let h = try BatchHarness(captureEvents: false)
        try h.standardSetUp(command: #"["ffmpeg", "-i", "Ref::in", "-c", "Ref::codec", "Ref::in/Ref::codec", "Ref::missing", "Ref::inner"]"#,
                            definitionExtras: #", "parameters": {"codec": "mp4", "in": "default", "inner": "x"}"#)
        let id = try h.submit("encode", extra: #", "parameters": {"in": "s3://b/a.mov"}"#)
        let command = try h.describe(id)["container"]?["command"]
        XCTAssertEqual(command, .array(["ffmpeg", "-i", "s3://b/a.mov", "-c", "mp4", "s3://b/a.mov/mp4", "Ref::missing", "x"].map(JSONValue.string)))
        XCTAssertEqual(try h.describe(id)["parameters"], .object(JSONObject([("codec", .string("mp4")), ("in", .string("s3://b/a.mov")), ("inner", .string("x"))])))
    }

    func testContainerOverridesReplaceTheCommandMergeTheEnvironmentAndSetTheResourcesTheSchedulerUses() throws {
        let log = AttemptLog()
        let h = try BatchHarness(executor: log.executor { _ in .exit(code: 0, afterSeconds: 10) }, captureEvents: false)
        try h.standardSetUp(maxvCpus: 4, definitionExtras: "")
        try h.call("RegisterJobDefinition", """
            {"jobDefinitionName": "env", "type": "container", "containerProperties": {"image": "busybox", "command": ["a"], "vcpus": 1, "memory": 1024,
             "environment": [{"name": "KEEP", "value": "1"}, {"name": "CHANGE", "value": "old"}]}}
            """)
        let big = try h.submit("big", definition: "env", extra: #", "parameters": {"p": "v"}, "containerOverrides": {"command": ["b", "Ref::p"], "environment": [{"name": "CHANGE", "value": "new"}, {"name": "ADDED", "value": "2"}], "resourceRequirements": [{"type": "VCPU", "value": "3"}, {"type": "MEMORY", "value": "4096"}]}"#)
        let small = try h.submit("small", definition: "env", extra: #", "containerOverrides": {"vcpus": 2}"#)
        h.router.runUntilIdle()
        let detail = try h.describe(big)
        XCTAssertEqual(detail["container"]?["command"], .array([.string("b"), .string("v")]))
        XCTAssertEqual(detail["container"]?["environment"], .array([
            .members([("name", .string("KEEP")), ("value", .string("1"))]),
            .members([("name", .string("CHANGE")), ("value", .string("new"))]),
            .members([("name", .string("ADDED")), ("value", .string("2"))]),
        ]))
        XCTAssertEqual(detail["container"]?["resourceRequirements"]?[0]?["value"], .string("3"))
        XCTAssertEqual(try h.status(big), "STARTING")
        XCTAssertEqual(try h.status(small), "RUNNABLE", "3 + 2 vCPUs exceed the 4 of the compute environment")
        h.router.advance(by: 11)
        XCTAssertEqual(try h.status(small), "STARTING", "placed once the big job released its vCPUs")
    }

    func testTheContainerSeesTheInjectedBatchVariablesAndTheAttemptNumber() throws {
        let log = AttemptLog()
        let h = try BatchHarness(executor: log.executor { $0.attempt < 2 ? .exit(code: 1, afterSeconds: 5) : .exit(code: 0, afterSeconds: 5) },
                                 captureEvents: false)
        try h.standardSetUp()
        let id = try h.submit("retry-me", extra: #", "retryStrategy": {"attempts": 2}"#)
        h.router.advance(by: 60)
        XCTAssertEqual(try h.status(id), "SUCCEEDED")
        let attempts = log.all
        XCTAssertEqual(attempts.map { $0.environment("AWS_BATCH_JOB_ATTEMPT") }, ["1", "2"])
        XCTAssertEqual(attempts.first?.environment("AWS_BATCH_JOB_ID"), id)
        XCTAssertEqual(attempts.first?.environment("AWS_BATCH_JQ_NAME"), "q1")
        XCTAssertEqual(attempts.first?.environment("AWS_BATCH_CE_NAME"), "ce1")
        XCTAssertNil(attempts.first?.environment("AWS_BATCH_JOB_ARRAY_INDEX"), "only array children get an index")
    }

    func testTheScriptedExecutorReadsPerAttemptExitCodesAndDurations() throws {
        let h = try BatchHarness()
        try h.standardSetUp()
        let id = try h.submit("scripted", extra: #", "retryStrategy": {"attempts": 3}, "parameters": {"SIM_EXIT_CODE": "3,4,0", "SIM_DURATION_SECONDS": "10,20,30"}"#)
        h.router.advance(by: 1000)
        let detail = try h.describe(id)
        XCTAssertEqual(detail["status"], .string("SUCCEEDED"))
        let attempts = try XCTUnwrap(detail["attempts"])
        XCTAssertEqual((0..<3).map { attempts[$0]?["container"]?["exitCode"]?.int }, [3, 4, 0])
        XCTAssertEqual((0..<3).map { index -> Int? in
            guard let start = attempts[index]?["startedAt"]?.int, let stop = attempts[index]?["stoppedAt"]?.int else { return nil }
            return (stop - start) / 1000
        }, [10, 20, 30])
        XCTAssertEqual(try h.statuses(of: id), ["RUNNABLE", "STARTING", "RUNNING", "RUNNABLE", "STARTING", "RUNNING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED"])
        let bad = try h.submit("typo", extra: #", "parameters": {"SIM_EXIT_CODE": "zero"}"#)
        h.router.advance(by: 10)
        XCTAssertEqual(try h.status(bad), "FAILED")
        XCTAssertEqual(try h.describe(bad)["statusReason"], .string("SIM_EXIT_CODE is not a list of integers"))
    }

    func testRetriesFollowEvaluateOnExitAndEachRetryEventCarriesAGrowingAttemptsArray() throws {
        let h = try BatchHarness()
        try h.standardSetUp()
        let strategy = #", "retryStrategy": {"attempts": 3, "evaluateOnExit": [{"onExitCode": "137", "action": "retry"}, {"onReason": "*", "action": "EXIT"}]}"#
        let oom = try h.submit("oom", extra: strategy + #", "parameters": {"SIM_EXIT_CODE": "137,137,137"}"#)
        let other = try h.submit("other", extra: strategy + #", "parameters": {"SIM_EXIT_CODE": "2"}"#)
        h.router.advance(by: 100)
        XCTAssertEqual(try h.status(oom), "FAILED")
        XCTAssertEqual(try h.describe(oom)["attempts"]?.count, 3, "137 is retried until the attempts run out")
        XCTAssertEqual(try h.status(other), "FAILED")
        XCTAssertEqual(try h.describe(other)["attempts"]?.count, 1, "any other exit matches onReason * and EXITs")
        XCTAssertEqual(try h.describe(oom)["retryStrategy"]?["evaluateOnExit"]?[0]?["action"], .string("RETRY"))
        let retries = try h.eventDetails().filter { $0["jobId"] == .string(oom) && $0["status"] == .string("RUNNABLE") }
        XCTAssertEqual(retries.map { $0["attempts"]?.count ?? -1 }, [0, 1, 2])
    }

    func testEvaluateOnExitConditionsAreAndedAndReasonGlobsArePrefixes() throws {
        let h = try BatchHarness()
        try h.standardSetUp()
        let strategy = #", "retryStrategy": {"attempts": 5, "evaluateOnExit": [{"onExitCode": "1*", "onReason": "OutOfMemoryError*", "action": "EXIT"}]}"#
        let both = try h.submit("both", extra: strategy + #", "parameters": {"SIM_EXIT_CODE": "12", "SIM_REASON": "OutOfMemoryError: Container killed"}"#)
        let codeOnly = try h.submit("code-only", extra: strategy + #", "parameters": {"SIM_EXIT_CODE": "12,12,0", "SIM_REASON": "Killed"}"#)
        h.router.advance(by: 100)
        XCTAssertEqual(try h.describe(both)["attempts"]?.count, 1)
        XCTAssertEqual(try h.describe(both)["container"]?["reason"], .string("OutOfMemoryError: Container killed"))
        XCTAssertEqual(try h.status(codeOnly), "SUCCEEDED", "no entry matched, so the job was retried")
        XCTAssertEqual(try h.describe(codeOnly)["attempts"]?.count, 3)
    }

    func testATimedOutAttemptFailsAtItsDeadlineAndIsNeverRetried() throws {
        let h = try BatchHarness()
        try h.standardSetUp(definitionExtras: #", "timeout": {"attemptDurationSeconds": 600}"#)
        let id = try h.submit("slow", extra: #", "timeout": {"attemptDurationSeconds": 60}, "retryStrategy": {"attempts": 3}, "parameters": {"SIM_DURATION_SECONDS": "100"}"#)
        h.router.runUntilIdle()
        h.router.advance(by: 1)
        let started = h.now
        h.router.advance(by: 59)
        XCTAssertEqual(try h.status(id), "RUNNING")
        h.router.advance(by: 1)
        let detail = try h.describe(id)
        XCTAssertEqual(detail["status"], .string("FAILED"))
        XCTAssertEqual(detail["statusReason"], .string("Job attempt duration exceeded timeout"))
        XCTAssertEqual(detail["stoppedAt"]?.int, Int((started + 60) * 1000))
        XCTAssertEqual(detail["attempts"]?.count, 1)
        XCTAssertEqual(detail["timeout"]?["attemptDurationSeconds"]?.int, 60, "SubmitJob's timeout overrides the definition's")
        h.router.advance(by: 300)
        XCTAssertEqual(try h.status(id), "FAILED")
    }

    func testAContainerThatCannotStartFailsFromStarting() throws {
        let h = try BatchHarness()
        try h.standardSetUp()
        let id = try h.submit("pull", extra: #", "retryStrategy": {"attempts": 3}, "parameters": {"SIM_CANNOT_START": "CannotPullContainerError: no such image"}"#)
        h.router.advance(by: 5)
        XCTAssertEqual(try h.statuses(of: id), ["RUNNABLE", "STARTING", "FAILED"])
        XCTAssertEqual(try h.describe(id)["statusReason"], .string("CannotPullContainerError: no such image"))
    }
}
