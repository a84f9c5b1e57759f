import EMRSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import XCTest

/// Steps (spec §2.3): ActionOnFailure, concurrency, limits, CancelSteps.
final class StepTests: XCTestCase {
    func testTerminateClusterCancelsPendingStepsAndEndsWithStepFailure() throws {
        for action in ["TERMINATE_CLUSTER", "TERMINATE_JOB_FLOW"] {
            let h = try Harness()
            let id = try h.runJobFlow(Fixture.cluster(keepAlive: true, steps: [
                Fixture.step("ok", seconds: 10), Fixture.step("bad", seconds: 20, outcome: "FAILED", action: action), Fixture.step("after"),
            ]))
            h.router.advance(by: 3600)
            XCTAssertEqual(h.timeline("EMR Cluster State Change", id: id),
                           ["STARTING@0", "BOOTSTRAPPING@120", "RUNNING@180", "TERMINATING@210", "TERMINATED_WITH_ERRORS@270"], action)
            XCTAssertEqual(try h.reasonCode(id), "STEP_FAILURE")
            let steps = try h.call("ListSteps", #"{"ClusterId": "\#(id)"}"#)["Steps"]?.array ?? []
            XCTAssertEqual(steps.map { $0["Name"]?.string ?? "" }, ["after", "bad", "ok"], "most recent first")
            XCTAssertEqual(steps.map { $0["Status"]?["State"]?.string ?? "" }, ["CANCELLED", "FAILED", "COMPLETED"])
            let failure = steps[1]["Status"]?["FailureDetails"]
            XCTAssertEqual(failure?["Reason"], .string("Unknown Error."))
            XCTAssertNotNil(failure?["LogFile"])
            XCTAssertEqual(steps[1]["Status"]?["Timeline"]?["EndDateTime"]?.number, 1_735_689_600 + 210)
        }
    }

    func testTerminateClusterOnAProtectedKeptAliveClusterWaitsInstead() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true, protected: true, steps: [
            Fixture.step("bad", seconds: 20, outcome: "FAILED", action: "TERMINATE_CLUSTER"), Fixture.step("after"),
        ]))
        h.router.advance(by: 3600)
        XCTAssertEqual(try h.state(id), "WAITING")
        XCTAssertEqual(h.states("EMR Step Status Change"), ["PENDING", "PENDING", "RUNNING", "FAILED", "CANCELLED"])
        XCTAssertEqual(h.states("EMR Cluster State Change", id: id), ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"])
    }

    func testCancelAndWaitCancelsPendingStepsAndWaitsOrEndsATransientCluster() throws {
        let h = try Harness()
        let kept = try h.runJobFlow(Fixture.cluster(keepAlive: true, steps: [
            Fixture.step("bad", seconds: 20, outcome: "FAILED", action: "CANCEL_AND_WAIT"), Fixture.step("after"),
        ]))
        h.router.advance(by: 3600)
        XCTAssertEqual(h.timeline("EMR Cluster State Change", id: kept), ["STARTING@0", "BOOTSTRAPPING@120", "RUNNING@180", "WAITING@200"])
        XCTAssertEqual(h.states("EMR Step Status Change"), ["PENDING", "PENDING", "RUNNING", "FAILED", "CANCELLED"])
        // The cluster still takes new work.
        let more = try h.addSteps(kept, "[\(Fixture.step("again"))]")
        h.router.advance(by: 60)
        XCTAssertEqual(try h.stepState(kept, more[0]), "COMPLETED")

        let transient = try h.runJobFlow(Fixture.cluster("transient", keepAlive: false, steps: [
            Fixture.step("bad", seconds: 20, outcome: "FAILED", action: "CANCEL_AND_WAIT"), Fixture.step("after"),
        ]))
        h.router.advance(by: 3600)
        XCTAssertEqual(try h.state(transient), "TERMINATED_WITH_ERRORS")
        XCTAssertEqual(try h.reasonCode(transient), "STEP_FAILURE")
    }

    func testContinueRunsTheNextStepAndTheTransientClusterEndsCleanly() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: false, steps: [
            Fixture.step("bad", seconds: 20, outcome: "FAILED", action: "CONTINUE"), Fixture.step("after", seconds: 30),
        ]))
        h.router.advance(by: 3600)
        XCTAssertEqual(h.timeline("EMR Step Status Change"),
                       ["PENDING@0", "PENDING@0", "RUNNING@180", "FAILED@200", "RUNNING@200", "COMPLETED@230"])
        XCTAssertEqual(try h.state(id), "TERMINATED")
        XCTAssertEqual(try h.reasonCode(id), "ALL_STEPS_COMPLETED")
    }

    func testActionOnFailureDefaultsToContinue() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        let ids = try h.addSteps(id, #"[{"Name": "plain", "HadoopJarStep": {"Jar": "x.jar"}}]"#)
        XCTAssertEqual(try h.step(id, ids[0])["ActionOnFailure"], .string("CONTINUE"))
    }

    func testConcurrentStepsStartInSubmissionOrderUpToTheLevel() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true, steps: [
            Fixture.step("s1", seconds: 100), Fixture.step("s2", seconds: 30, outcome: "FAILED"), Fixture.step("s3", seconds: 60),
            Fixture.step("s4", seconds: 10), Fixture.step("s5", seconds: 10),
        ], extra: #", "StepConcurrencyLevel": 3"#))
        h.router.advance(by: 3600)
        let byName = { (name: String) -> [String] in
            h.events.filter { $0["detail"]?["name"]?.string == name && $0["detail-type"]?.string == "EMR Step Status Change" }
                .map { "\($0["detail"]?["state"]?.string ?? "")@\(((try? Instant(iso8601: $0["time"]?.string ?? ""))?.secondsSince1970 ?? 0) - 1_735_689_600)" }
        }
        XCTAssertEqual(byName("s1"), ["PENDING@0", "RUNNING@180", "COMPLETED@280"])
        XCTAssertEqual(byName("s2"), ["PENDING@0", "RUNNING@180", "FAILED@210"], "a failure at level > 1 fires no ActionOnFailure")
        XCTAssertEqual(byName("s3"), ["PENDING@0", "RUNNING@180", "COMPLETED@240"])
        XCTAssertEqual(byName("s4"), ["PENDING@0", "RUNNING@210", "COMPLETED@220"], "the first free slot goes to the earliest pending step")
        XCTAssertEqual(byName("s5"), ["PENDING@0", "RUNNING@220", "COMPLETED@230"])
        XCTAssertEqual(try h.state(id), "WAITING")
    }

    func testOnlyContinueIsAcceptedAboveConcurrencyOne() throws {
        let h = try Harness()
        XCTAssertEqual(h.failure("RunJobFlow", Fixture.cluster(keepAlive: true, steps: [Fixture.step("x", action: "TERMINATE_CLUSTER")],
                                                               extra: #", "StepConcurrencyLevel": 2"#))?.code, "ValidationException")
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true, extra: #", "StepConcurrencyLevel": 2"#))
        let error = h.failure("AddJobFlowSteps", #"{"JobFlowId": "\#(id)", "Steps": [\#(Fixture.step("ok")), \#(Fixture.step("x", action: "CANCEL_AND_WAIT"))]}"#)
        XCTAssertEqual(error?.code, "ValidationException")
        XCTAssertEqual(try h.call("ListSteps", #"{"ClusterId": "\#(id)"}"#)["Steps"]?.array?.count, 0, "no step of a rejected request is added")
        for level in [0, 257] {
            XCTAssertEqual(h.failure("ModifyCluster", #"{"ClusterId": "\#(id)", "StepConcurrencyLevel": \#(level)}"#)?.code, "ValidationException")
            XCTAssertEqual(h.failure("RunJobFlow", Fixture.cluster(keepAlive: true, extra: #", "StepConcurrencyLevel": \#(level)"#))?.code, "ValidationException")
        }
        XCTAssertEqual(try h.call("ModifyCluster", #"{"ClusterId": "\#(id)", "StepConcurrencyLevel": 256}"#)["StepConcurrencyLevel"]?.number, 256)
    }

    func testLoweringTheLevelLetsRunningStepsFinishBeforeNewOnesStart() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true, extra: #", "StepConcurrencyLevel": 3"#))
        h.router.advance(by: 300)
        let ids = try h.addSteps(id, "[\(Fixture.step("a", seconds: 100)), \(Fixture.step("b", seconds: 200)), \(Fixture.step("c", seconds: 300)), \(Fixture.step("d", seconds: 10))]")
        h.router.runUntilIdle()
        try h.call("ModifyCluster", #"{"ClusterId": "\#(id)", "StepConcurrencyLevel": 1}"#)
        h.router.advance(by: 250)   // a and b finished; c still runs, so d may not start
        XCTAssertEqual(try ids.map { try h.stepState(id, $0) ?? "" }, ["COMPLETED", "COMPLETED", "RUNNING", "PENDING"])
        h.router.advance(by: 50)
        XCTAssertEqual(try h.stepState(id, ids[3]), "RUNNING")
    }

    func testAfterLoweringToOneTerminateClusterFiresButCancelAndWaitDoesNotWhileOthersRun() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        h.router.advance(by: 300)
        // Added at level 1 (so non-CONTINUE actions are allowed), then run concurrently.
        let ids = try h.addSteps(id, "[\(Fixture.step("wait", seconds: 50, outcome: "FAILED", action: "CANCEL_AND_WAIT")), \(Fixture.step("long", seconds: 500)), \(Fixture.step("term", seconds: 100, outcome: "FAILED", action: "TERMINATE_CLUSTER")), \(Fixture.step("queued"))]")
        try h.call("ModifyCluster", #"{"ClusterId": "\#(id)", "StepConcurrencyLevel": 3}"#)
        h.router.runUntilIdle()
        try h.call("ModifyCluster", #"{"ClusterId": "\#(id)", "StepConcurrencyLevel": 1}"#)
        h.router.advance(by: 50)
        XCTAssertEqual(try h.stepState(id, ids[0]), "FAILED")
        XCTAssertEqual(try h.stepState(id, ids[3]), "PENDING", "CANCEL_AND_WAIT does not fire while other steps run")
        XCTAssertEqual(try h.state(id), "RUNNING")
        h.router.advance(by: 50)
        XCTAssertEqual(try h.stepState(id, ids[2]), "FAILED")
        XCTAssertEqual(try h.stepState(id, ids[3]), "CANCELLED")
        XCTAssertEqual(try h.stepState(id, ids[1]), "CANCELLED", "the running step is cancelled by the termination")
        XCTAssertEqual(try h.state(id), "TERMINATING")
        XCTAssertEqual(try h.reasonCode(id), "STEP_FAILURE")
    }

    func testAtMost256ActiveStepsAndPerRequest() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true))
        let batch = "[" + (0..<200).map { _ in Fixture.step("s") }.joined(separator: ",") + "]"
        XCTAssertEqual(try h.addSteps(id, batch).count, 200)
        let rest = "[" + (0..<56).map { _ in Fixture.step("s") }.joined(separator: ",") + "]"
        XCTAssertEqual(try h.addSteps(id, rest).count, 56)
        let error = h.failure("AddJobFlowSteps", #"{"JobFlowId": "\#(id)", "Steps": [\#(Fixture.step("one-too-many"))]}"#)
        XCTAssertEqual(error?.code, "ValidationException")
        XCTAssertTrue(error?.message.contains("Maximum number of active steps") ?? false)
        let tooMany = "[" + (0..<257).map { _ in Fixture.step("s") }.joined(separator: ",") + "]"
        let other = try h.runJobFlow(Fixture.cluster("other", keepAlive: true))
        XCTAssertEqual(h.failure("AddJobFlowSteps", #"{"JobFlowId": "\#(other)", "Steps": \#(tooMany)}"#)?.code, "ValidationException")
        // Finished steps no longer count.
        h.router.advance(by: 180 + 60)
        XCTAssertEqual(try h.addSteps(id, "[\(Fixture.step("now-fits"))]").count, 1)
        // Listing pages of 50 with a Marker.
        let first = try h.call("ListSteps", #"{"ClusterId": "\#(id)"}"#)
        XCTAssertEqual(first["Steps"]?.array?.count, 50)
        let marker = try XCTUnwrap(first["Marker"]?.string)
        let second = try h.call("ListSteps", #"{"ClusterId": "\#(id)", "Marker": "\#(marker)"}"#)
        XCTAssertEqual(second["Steps"]?.array?.count, 50)
        let completed = try h.call("ListSteps", #"{"ClusterId": "\#(id)", "StepStates": ["COMPLETED"]}"#)
        XCTAssertEqual(completed["Steps"]?.array?.count, 1)
        XCTAssertEqual(h.failure("ListSteps", #"{"ClusterId": "\#(id)", "StepStates": ["DONE"]}"#)?.code, "ValidationException")
    }

    func testCancelSteps() throws {
        let h = try Harness()
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: false, steps: [
            Fixture.step("running", seconds: 600, action: "TERMINATE_CLUSTER"), Fixture.step("pending"), Fixture.step("last", seconds: 30),
        ]))
        h.router.advance(by: 200)
        let listed = try h.call("ListSteps", #"{"ClusterId": "\#(id)"}"#)["Steps"]?.array ?? []
        let ids = listed.reversed().map { $0["Id"]?.string ?? "" }
        let response = try h.call("CancelSteps", #"{"ClusterId": "\#(id)", "StepIds": ["\#(ids[0])", "\#(ids[1])", "s-NOSUCHSTEP00"], "StepCancellationOption": "TERMINATE_PROCESS"}"#)
        let info = response["CancelStepsInfoList"]?.array ?? []
        XCTAssertEqual(info.map { $0["Status"]?.string ?? "" }, ["SUBMITTED", "SUBMITTED", "FAILED"])
        XCTAssertNotNil(info[2]["Reason"])
        XCTAssertEqual(try h.stepState(id, ids[0]), "CANCEL_PENDING")
        XCTAssertEqual(try h.stepState(id, ids[1]), "CANCELLED")
        h.router.advance(by: 9)
        XCTAssertEqual(try h.stepState(id, ids[2]), "PENDING", "a CANCEL_PENDING step still holds its slot")
        h.router.advance(by: 1)
        XCTAssertEqual(try h.stepState(id, ids[0]), "CANCELLED")
        XCTAssertEqual(try h.stepState(id, ids[2]), "RUNNING", "no ActionOnFailure: the cluster goes on")
        h.router.advance(by: 3600)
        XCTAssertEqual(try h.state(id), "TERMINATED")
        XCTAssertEqual(h.states("EMR Step Status Change", id: ids[0]), ["PENDING", "RUNNING", "CANCEL_PENDING", "CANCELLED"])
        let again = try h.call("CancelSteps", #"{"ClusterId": "\#(id)", "StepIds": ["\#(ids[2])"]}"#)
        XCTAssertEqual(again["CancelStepsInfoList"]?[0]?["Status"], .string("FAILED"), "a completed step cannot be cancelled")
        XCTAssertEqual(h.failure("CancelSteps", #"{"ClusterId": "\#(id)", "StepIds": ["\#(ids[2])"], "StepCancellationOption": "KILL"}"#)?.code,
                       "ValidationException")
    }
}
