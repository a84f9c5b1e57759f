import EMRSimulator
import EventBus
import EventPatterns
import EventSchedule
import EventTargets
import XCTest

/// The pluggable executor and the scripted default.
final class ExecutorTests: XCTestCase {
    /// Overrides only the step outcome; everything else keeps the scripted defaults.
    struct LoadFails: EMRExecutor {
        func run(_ step: StepSpec, on cluster: ClusterSpec) -> StepOutcome {
            step.name == "load" ? .failed(after: 30, reason: "Exit code 1", message: "disk full", logFile: nil) : .completed(after: 600)
        }
    }

    func testACustomExecutorDecidesDurationsAndOutcomes() throws {
        let h = try Harness(executor: LoadFails())
        let id = try h.runJobFlow(Fixture.cluster(keepAlive: true, steps: [
            #"{"Name": "extract", "HadoopJarStep": {"Jar": "a.jar"}}"#,
            #"{"Name": "load", "HadoopJarStep": {"Jar": "a.jar"}}"#,
        ]))
        h.router.advance(by: 3600)
        XCTAssertEqual(h.timeline("EMR Step Status Change"), ["PENDING@0", "PENDING@0", "RUNNING@180", "COMPLETED@780", "RUNNING@780", "FAILED@810"])
        let load = (try h.call("ListSteps", #"{"ClusterId": "\#(id)"}"#)["Steps"]?.array ?? []).first
        XCTAssertEqual(load?["Status"]?["FailureDetails"], .members([("Reason", .string("Exit code 1")), ("Message", .string("disk full"))]))
    }

    func testScriptedExecutorReadsTheRequest() {
        let executor = ScriptedExecutor(bootstrapSeconds: 10, stepSeconds: 5)
        let cluster = ClusterSpec(id: "j-1", name: "c", releaseLabel: "emr-7.1.0", applications: [],
                                  bootstrapActions: [("a", "s3://a.sh", ["emr.sim.duration=20"]), ("b", "s3://b.sh", ["x", "emr.sim.outcome=FAILED"])],
                                  instanceGroups: [])
        let bootstrap = executor.bootstrap(cluster)
        XCTAssertEqual(bootstrap.duration, 30)
        XCTAssertEqual(bootstrap.failure?.code, "BOOTSTRAP_FAILURE")
        func step(_ properties: [(key: String, value: String)]) -> StepOutcome {
            executor.run(StepSpec(id: "s-1", name: "s", jar: "a.jar", args: [], mainClass: nil, properties: properties, actionOnFailure: "CONTINUE"), on: cluster)
        }
        XCTAssertEqual(step([]), .completed(after: 5))
        XCTAssertEqual(step([("emr.sim.duration", "7"), ("emr.sim.outcome", "INSTANCE_FAILURE")]), .instanceFailure(after: 7))
        XCTAssertEqual(step([("emr.sim.duration", "-3")]), .completed(after: 5), "a negative duration is ignored")
        guard case .failed(_, let reason, _, _) = step([("emr.sim.outcome", "FAILED"), ("emr.sim.failure-reason", "OOM")]) else {
            return XCTFail("expected a failure")
        }
        XCTAssertEqual(reason, "OOM")
    }
}
